"""The checks the data dictionary generates catch bad rows and pass good ones.

``tools/sync_dictionary.py`` turns each dictionary row into dbt_expectations tests
(keys, raw wire formats, accepted values and flags, minimums, required fields). The
tiny dbt project in ``dbt_fixture/`` holds a good seed and a bad one with a column
per kind of check; this test writes the tests the generator emits for real dictionary
rows onto both seeds, runs them on DuckDB and on the fakesnow emulator (the package's
Snowflake dispatch: regular expressions as ``$$`` literals), and reads each test's
status from ``run_results.json``: every test passes on the good seed and fails (error)
or warns (warn) on the bad one. The staging models' recency check runs on a recent and
a stale load, in a time zone other than UTC (dbt_date's "now" on DuckDB).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, run_dbt
from tools import sync_dictionary

FIXTURE = Path(__file__).parent / "dbt_fixture"
PACKAGES = ("dbt_utils", "dbt_expectations", "dbt_date")
#: fixture column -> (system, table, raw column) of the dictionary row it stands for
SOURCE_CHECKS = {
    "key_id": ("webphone", "agents", "id"),
    "ts_utc": ("webphone", "calls", "started_at"),
    "ts_workfront": ("workfront", "projects", "entry_date"),
    "iso_date": ("workfront", "hours", "entry_date"),
    "phone": ("webphone", "calls", "from_number"),
    "phone_list": ("webphone", "customers", "phone_numbers"),
    "enum_optional": ("bynder", "media", "orientation"),
    "enum_required": ("bynder", "media", "type"),
    "flag": ("bynder", "media", "is_public"),
}
STAGING_CHECKS = {
    "amount": ("webphone", "calls", "ring_seconds"),
    "required_text": ("webphone", "customers", "last_name"),
}
#: what every generated kind of check must be among the tests
KINDS = {
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_unique",
    "expect_column_values_to_match_regex",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_be_between",
}


def dictionary_row(system: str, table: str, raw_column: str) -> dict[str, str]:
    """The dictionary row of one raw column."""
    for row in sync_dictionary.read_dictionary():
        key = (row["source_system"], row["source_object"], row["raw_column"])
        if key == (system, table, raw_column):
            return row
    raise LookupError(f"no dictionary row {system}.{table}.{raw_column}")


def generated_tests() -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The generator's tests as seed columns, and the enum values to seed."""
    columns: list[dict[str, Any]] = []
    values: dict[str, str] = {}
    for column, (system, table, raw) in SOURCE_CHECKS.items():
        row = {**dictionary_row(system, table, raw), "raw_column": column}
        columns.append(
            {"name": column, "data_tests": sync_dictionary.source_tests(system, table, row)}
        )
        accepted = row["accepted_values"].split("|")
        if row["accepted_values"]:
            values[f"{column}_0"], values[f"{column}_1"] = accepted[0], accepted[1]
    assert all(c["data_tests"] for c in columns), "each sample row must generate a check"
    for column, (system, table, raw) in STAGING_CHECKS.items():
        row = {**dictionary_row(system, table, raw), "target_column": column}
        columns.append({"name": column, "data_tests": sync_dictionary.staging_tests(row)})
    return columns, values


def prepare_project(workdir: Path) -> Path:
    """A copy of the fixture with the generated tests, the project's macros and packages."""
    project = workdir / "project"
    shutil.copytree(FIXTURE, project)
    columns, values = generated_tests()
    for seed in ("rows_good", "rows_bad"):
        path = project / "seeds" / f"{seed}.csv"
        text = path.read_text()
        for name, value in values.items():
            text = text.replace(name.upper(), value)  # ENUM_OPTIONAL_0 -> landscape
        path.write_text(text)
    seeds = [{"name": seed, "columns": columns} for seed in ("rows_good", "rows_bad")]
    document = {"version": 2, "seeds": seeds}
    (project / "seeds" / "_generated__seeds.yml").write_text(sync_dictionary.dump(document))
    # the project's macros, but not Elementary's test materialization
    # (macros/observability/): the fixture installs no Elementary
    shutil.copytree(
        ROOT / "macros", project / "macros", ignore=shutil.ignore_patterns("observability")
    )
    (project / "dbt_packages").mkdir()
    for package in PACKAGES:
        (project / "dbt_packages" / package).symlink_to(ROOT / "dbt_packages" / package)
    return project


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
    """Seed, run and test the fixture project; return each test's status and severity."""
    target: str = request.param
    workdir = tmp_path_factory.mktemp(f"dictionary_checks_{target}")
    project = prepare_project(workdir)
    env = {
        "DUCKDB_PATH": str(workdir / "fixture.duckdb"),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
        "DBT_PROFILES_DIR": str(project),
        "DBT_PROJECT_DIR": str(project),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # "now" must not depend on the machine's time zone
        "TZ": "America/Los_Angeles",
    }
    if target == "snowflake_emulator":
        env["FAKESNOW_PORT"] = str(request.getfixturevalue("fakesnow_port"))
    run_dbt(env, "seed", "--target", target)
    run_dbt(env, "run", "--target", target)
    result = run_dbt(env, "test", "--target", target, check=False)
    assert "Done." in result.stdout, result.stdout[-3000:]
    artifacts = workdir / "target"
    manifest = json.loads((artifacts / "manifest.json").read_text())
    tests: list[dict[str, str]] = []
    for entry in json.loads((artifacts / "run_results.json").read_text())["results"]:
        node = manifest["nodes"][entry["unique_id"]]
        tests.append(
            {
                "name": node["test_metadata"]["name"],
                "namespace": node["test_metadata"].get("namespace") or "",
                "column": node.get("column_name") or "",
                "relation": node["attached_node"].split(".")[-1],
                "severity": node["config"]["severity"].lower(),
                "status": entry["status"],
            }
        )
    return {"tests": tests, "target": target}


def test_every_generated_kind_runs_from_the_package(fixture_run: dict[str, Any]) -> None:
    tests = fixture_run["tests"]
    assert {t["name"] for t in tests} >= KINDS
    assert {t["namespace"] for t in tests} == {"dbt_expectations"}
    assert {t["column"] for t in tests} >= set(SOURCE_CHECKS) | set(STAGING_CHECKS)


def test_good_rows_pass(fixture_run: dict[str, Any]) -> None:
    good = [t for t in fixture_run["tests"] if t["relation"] in ("rows_good", "recent_good")]
    failing = {(t["name"], t["column"]): t["status"] for t in good if t["status"] != "pass"}
    assert good and failing == {}


def test_bad_rows_fail_every_check(fixture_run: dict[str, Any]) -> None:
    """A failing error test fails, a failing warn test warns; none passes on bad rows."""
    bad = [t for t in fixture_run["tests"] if t["relation"] in ("rows_bad", "recent_bad")]
    wrong = {
        (t["name"], t["column"]): t["status"]
        for t in bad
        if t["status"] != ("fail" if t["severity"] == "error" else "warn")
    }
    assert bad and wrong == {}


def test_generated_yaml_is_what_the_staging_files_hold() -> None:
    """The fixture's checks are the generator's: the same entries the dictionary writes."""
    sources = yaml.safe_load((ROOT / "models/staging/bynder/_bynder__sources.yml").read_text())
    media = next(t for t in sources["sources"][0]["tables"] if t["name"] == "media")
    orientation = next(c for c in media["columns"] if c["name"] == "orientation")
    row = dictionary_row("bynder", "media", "orientation")
    assert orientation["data_tests"] == sync_dictionary.source_tests("bynder", "media", row)
