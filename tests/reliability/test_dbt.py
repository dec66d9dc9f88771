"""``dbt build`` killed mid-run then rerun gives the clean build; no secret in dbt output.

The session's shared warehouse is a clean build. A copy of it gets a second build
that is killed (SIGKILL) right after a randomly chosen snapshot or table starts, then
a third that runs to the end. Every node has then run again after the clean build,
so the result must equal it: same rows in every staging, intermediate, mart,
snapshot, quarantine and reference table. That is both promises at once: a rerun
after a crash repairs it, and a build on top of a build changes nothing.

The builds cover every model, snapshot and seed (``resource_type:test`` and unit
tests are left out to keep CI short: they change no data). Left out of the
comparison: Elementary's history (``elementary.*`` grows with every invocation by
design), the reconciliation (``observability.*``, relative to the loads) and
``quarantined_at``, the build's own timestamp on quarantine rows.

The dbt process runs with the loaders' secrets in its environment, as a scheduler
would run it; none of them may reach dbt's logs, artifacts or the docs site.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from reliability.fingerprint import TableFingerprint, differences, fingerprint
from sandbox.settings import Credentials
from tests.conftest import ROOT, Warehouse, dbt_env, run_dbt

SCHEMAS = ("staging", "intermediate", "marts", "snapshots", "quarantine", "reference")
BUILD_STAMPS = ("quarantined_at",)
BUILD = ("build", "--exclude", "resource_type:test resource_type:unit_test")


@dataclass
class Rebuilt:
    """A copy of the clean build, after a killed build and a full rerun."""

    workdir: Path
    env: dict[str, str]
    clean: dict[str, TableFingerprint]
    after: dict[str, TableFingerprint]
    victim: str


def _state(db: Path) -> dict[str, TableFingerprint]:
    return fingerprint(db, SCHEMAS, ignore_columns=BUILD_STAMPS)


def _kill_after_start(env: dict[str, str], node: str, delay: float) -> list[str]:
    """Run the build and SIGKILL it ``delay`` seconds after ``node`` starts."""
    dbt = str(Path(sys.executable).with_name("dbt"))
    process = subprocess.Popen(
        [dbt, *BUILD],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line)
        if "START" in line and f".{node} " in line:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, "".join(lines[-20:])
    return lines


@pytest.fixture(scope="module")
def rebuilt(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Rebuilt:
    workdir = tmp_path_factory.mktemp("rebuilt")
    shutil.copy(warehouse.duckdb_path, workdir / "warehouse.duckdb")
    shutil.copytree(warehouse.target_path, workdir / "target")  # partial parsing
    env = {**warehouse.env, **dbt_env(workdir)}
    clean = _state(workdir / "warehouse.duckdb")
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    stateful = sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "snapshot"
        or (
            node["config"].get("materialized") in ("incremental", "table")
            and node["schema"] in ("marts", "intermediate", "quarantine")
        )
    )
    rng = random.Random(11)
    victim, delay = rng.choice(stateful), rng.uniform(0.0, 0.5)
    lines = _kill_after_start(env, victim, delay)
    print(f"dbt build killed {delay:.2f} s after {victim} started ({len(lines)} log lines)")
    run_dbt(env, *BUILD)
    return Rebuilt(workdir, env, clean, _state(workdir / "warehouse.duckdb"), victim)


def test_a_killed_dbt_build_reruns_to_the_clean_build(rebuilt: Rebuilt) -> None:
    assert rebuilt.clean["marts.fact_calls"].rows > 0
    assert rebuilt.clean["snapshots.webphone_customers_snapshot"].rows > 0
    assert not differences(rebuilt.clean, rebuilt.after), differences(rebuilt.clean, rebuilt.after)


def test_no_secret_in_dbt_logs_artifacts_or_docs_site(rebuilt: Rebuilt) -> None:
    assert any("SECRET" in key for key in rebuilt.env)  # the loaders' secrets are there
    run_dbt(rebuilt.env, "docs", "generate", "--no-compile")
    target, logs = rebuilt.workdir / "target", rebuilt.workdir / "logs"
    assert (target / "index.html").exists() and (target / "catalog.json").exists()
    secrets = {k: v for k, v in vars(Credentials()).items() if "client_id" not in k}
    files = [p for folder in (target, logs) for p in folder.rglob("*") if p.is_file()]
    leaks = [
        (name, str(path.relative_to(rebuilt.workdir)))
        for path in files
        for name, value in secrets.items()
        if value.encode() in path.read_bytes()
    ]
    assert not leaks, leaks
