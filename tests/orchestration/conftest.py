"""Fixtures of the orchestration tests: an Airflow home (SQLite) and ``airflow dags test``.

The tests need the ``orchestration`` dependency group (Airflow, cosmos); ``make test``
installs it. Without it they are skipped, and say so.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from orchestration.settings import POOL_SLOTS, ROOT, WAREHOUSE_POOL, airflow_environment

if importlib.util.find_spec("airflow") is None or importlib.util.find_spec("cosmos") is None:
    pytest.skip(
        "the orchestration dependency group (Airflow, cosmos) is not installed: "
        "`make orchestration` or `uv sync --group orchestration`",
        allow_module_level=True,
    )

#: the marts, everything upstream of them and of the quarantine tables (tests of the
#: marts read them), Elementary's models (its tests and hooks write there) and the
#: tests of the layers the marts build on (as tests/warehouse/test_incremental.py): a
#: warehouse the micro-batch and the deploy can refresh
INITIAL_BUILD = (
    *("--select", "+path:models/marts", "+path:models/quarantine", "package:elementary"),
    *("--indirect-selection", "cautious"),
    *("--exclude", "path:models/staging,test_type:data"),
)
#: the same nodes without the tests: a warehouse only read or compared, whose tests a
#: DAG run or a deploy then runs (half the time of INITIAL_BUILD)
INITIAL_MODELS = (
    *INITIAL_BUILD,
    *("--resource-type", "model", "--resource-type", "snapshot", "--resource-type", "seed"),
)


def airflow(
    env: dict[str, str], *args: str, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """Run the ``airflow`` CLI of this environment with ``env`` added."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("airflow")), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An initialised Airflow home (SQLite metadata database, the warehouse pool);
    the environment that points Airflow at it."""
    home = tmp_path_factory.mktemp("airflow")
    env = airflow_environment(home)
    migrated = airflow(env, "db", "migrate")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    pool = airflow(env, "pools", "set", WAREHOUSE_POOL, str(POOL_SLOTS), "warehouse writers")
    assert pool.returncode == 0, pool.stderr[-3000:]
    return env


@pytest.fixture(scope="session")
def dag_test(airflow_home: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``airflow dags test DAG_ID [-c CONF]`` with extra environment (the warehouse)."""

    def run(
        dag_id: str, env: dict[str, str], conf: dict[str, Any] | None = None
    ) -> subprocess.CompletedProcess[str]:
        args = ["dags", "test", dag_id]
        if conf is not None:
            args += ["-c", json.dumps(conf)]
        return airflow({**airflow_home, **env}, *args)

    return run


def error_lines(result: subprocess.CompletedProcess[str]) -> str:
    """The lines of an ``airflow dags test`` output that report errors (for messages)."""
    lines = (result.stdout + result.stderr).splitlines()
    return "\n".join(line[:400] for line in lines if "rror" in line and "XCom" not in line)[-6000:]


def run_state(result: subprocess.CompletedProcess[str]) -> str:
    """The final state of the DAG run ``airflow dags test`` reported (``success``...)."""
    for line in (result.stdout + result.stderr).splitlines():
        if "DagRun Finished" in line:
            return line.split(" state=", 1)[1].split(",", 1)[0].strip()
    return f"no run finished (exit {result.returncode}):\n{result.stderr[-3000:]}"
