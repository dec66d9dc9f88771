"""Each in-house generic test fails on bad data and passes on good data.

The tiny dbt project in ``dbt_fixture/`` applies every test, with the same
arguments, to a good relation and a bad one; this runs it on DuckDB, and through the
Snowflake dispatch on the fakesnow emulator, and reads the exact status of each test
from ``run_results.json``.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_dbt

FIXTURE = Path(__file__).parent / "dbt_fixture"
EXPECTATIONS = {
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_between",
    "expect_column_values_to_match_regex",
    "expect_table_row_count_to_be_between",
    "expect_column_values_to_be_unique",
    "expect_column_values_to_be_in_set",
    "expect_compound_columns_to_be_unique",
    "expect_column_pair_values_a_to_be_greater_than_b",
    "expect_row_values_to_have_recent_data",
}
GOOD = {"rows_good", "recent_good"}
BAD = {"rows_bad", "recent_bad"}


def fixture_env(workdir: Path) -> dict[str, str]:
    return {
        "DUCKDB_PATH": str(workdir / "fixture.duckdb"),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
        "DBT_PROFILES_DIR": str(FIXTURE),
        "DBT_PROJECT_DIR": str(FIXTURE),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def fakesnow_port() -> Iterator[int]:
    """A fakesnow server (Snowflake emulator) on a free loopback port."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("fakesnow")), "-s", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("fakesnow did not start")
            time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="module", params=["duckdb", "snowflake_emulator"])
def fixture_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Seed, run and test the fixture project twice; return statuses and paths."""
    target: str = request.param
    workdir = tmp_path_factory.mktemp(f"expectations_{target}")
    env = {**fixture_env(workdir), "DBT_TARGET": target}
    if target == "snowflake_emulator":
        env["FAKESNOW_PORT"] = str(request.getfixturevalue("fakesnow_port"))
    run_dbt(env, "seed", "--target", target)
    run_dbt(env, "run", "--target", target)
    run_dbt(env, "test", "--target", target, check=False)  # a first run: history
    result = run_dbt(env, "test", "--target", target, check=False)
    assert "Done." in result.stdout, result.stdout[-3000:]
    artifacts = workdir / "target"
    manifest = json.loads((artifacts / "manifest.json").read_text())
    run_results = json.loads((artifacts / "run_results.json").read_text())
    statuses: dict[tuple[str, str], list[str]] = {}
    for entry in run_results["results"]:
        node = manifest["nodes"].get(entry["unique_id"], {})
        if node.get("resource_type") != "test":
            continue
        name = node["test_metadata"]["name"]
        tested = node["attached_node"].split(".")[-1]
        statuses.setdefault((name, tested), []).append(entry["status"])
    return {"statuses": statuses, "db": workdir / "fixture.duckdb", "target": target}


def test_every_test_is_exercised(fixture_run: dict[str, Any]) -> None:
    names = {name for name, _ in fixture_run["statuses"]}
    assert names == EXPECTATIONS


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_passes_on_good_and_fails_on_bad(fixture_run: dict[str, Any], name: str) -> None:
    statuses = fixture_run["statuses"]
    good = [
        s for (n, model), found in statuses.items() if n == name and model in GOOD for s in found
    ]
    bad = [s for (n, model), found in statuses.items() if n == name and model in BAD for s in found]
    assert good and set(good) == {"pass"}, f"{name} on good data: {good}"
    assert bad and set(bad) == {"fail"}, f"{name} on bad data: {bad}"
