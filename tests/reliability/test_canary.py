"""The canary (issue 19): no credential and no personal value where stewards or logs see.

The sandbox knows every credential it accepts and every token it issued
(``GET /_sandbox/secrets``) and every personal value it served (the raw columns the
dictionary classes personal; the rules of what is searched for are in
``tests/reliability/leaks.py``). One run as a user would make it, on DuckDB and on the
Snowflake emulator:

1. a load of every source (Workfront with its API key, the riskiest credential), then,
   the clock a little further on, a second load in which one endpoint (Workfront's
   hours) answers every request with an error: the loader names that endpoint and
   fails that source; the other sources load;
2. ``dbt build`` on data with injected defects, some in personal columns (phone
   numbers outside E.164, missing e-mail addresses): tests on personal columns warn
   or fail; then ``dbt docs generate`` and Elementary's report (``scripts/report.sh``;
   on DuckDB: edr's own dbt project cannot run on the emulator).

Then every place a steward, an operator or a log reader sees is searched: the console
output of every command; every file under the dlt pipelines dir (``trace.pickle``
also unpickled); dbt's ``target/`` and ``logs/``; Elementary's report and its
working dir; and every text column of the schemas stewards read (``observability``,
``elementary``, the test-audit schema of ``store_failures`` tests, the quarantine
summary). Nothing may be found.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sandbox.settings import Credentials
from tests.conftest import (
    ROOT,
    FakesnowServer,
    SandboxHandle,
    dbt_env,
    elementary_clock,
    loader_env,
    run_dbt,
    run_loader,
)
from tests.reliability.helpers import set_faults
from tests.reliability.leaks import PersonalValues, decode, personal_values, secrets_found
from tests.reliability.test_security import _trace_text

#: a demo-scale world (about 2,000 calls, 4,000 assets and 1,500 Workfront records)
#: with a 1% defect rate, so tests on personal columns warn
SANDBOX_ARGS = (
    *("--scale", "0.0005", "--history-days", "7", "--defect-rate", "0.01"),
    "--no-rate-limits",
)
#: the endpoint that fails in the second load
FAILING_ENDPOINT = "/attask/api/v19.0/hour/search"
ADVANCE_MINUTES = 60
#: the schemas stewards read (besides the test-audit schema, found by its suffix)
STEWARD_SCHEMAS = ("observability", "elementary")
STEWARD_TABLES = (("quarantine", "quarantine_summary"),)
TEXT_TYPES = ("VARCHAR", "TEXT", "STRING", "JSON", "VARIANT", "OBJECT", "ARRAY")
CREDS = Credentials()

Query = Callable[[str], list[tuple[Any, ...]]]


@dataclass
class Run:
    """One canary run: its environment, console output and what it left behind."""

    name: str
    workdir: Path
    env: dict[str, str]
    loader_args: tuple[str, ...] = ()
    build_args: tuple[str, ...] = ()
    #: Elementary's report (``edr report``); not on the emulator: edr's own dbt project
    #: creates temporary tables the emulator refuses, and has none of the project's
    #: emulator workarounds (the ``elementary`` schema it reads is scanned all the same)
    elementary_report: bool = True
    console: dict[str, str] = field(default_factory=dict)
    returncodes: dict[str, int] = field(default_factory=dict)

    seconds: dict[str, float] = field(default_factory=dict)

    def record(self, step: str, command: Callable[[], subprocess.CompletedProcess[str]]) -> None:
        """Run a command; keep its console output, exit code and duration."""
        began = time.perf_counter()
        result = command()
        self.seconds[step] = round(time.perf_counter() - began, 1)
        self.console[step] = result.stdout + result.stderr
        self.returncodes[step] = result.returncode

    @property
    def report(self) -> Path:
        """Elementary's report."""
        return self.workdir / "elementary_report.html"

    def directories(self) -> dict[str, Path]:
        """What a run writes outside the warehouse: dlt, dbt and Elementary files."""
        return {
            "pipelines dir": Path(self.env["DLT_PIPELINES_DIR"]),
            "dbt target": Path(self.env["DBT_TARGET_PATH"]),
            "dbt logs": Path(self.env["DBT_LOG_PATH"]),
            "edr target": self.workdir / "edr_target",
        }


def canary_run(
    handle: SandboxHandle, run: Run, fault: str, query: Callable[[], Any]
) -> dict[str, Any]:
    """Load twice (the second time one endpoint fails), build, document, report; scan."""
    run.record("first load", lambda: run_loader(run.env, *run.loader_args))
    assert run.returncodes["first load"] == 0, run.console["first load"][-3000:]
    handle.advance(ADVANCE_MINUTES)
    set_faults(handle, ("workfront",), rate=1.0, kinds=[fault], paths=[FAILING_ENDPOINT])
    try:
        run.record("second load", lambda: run_loader(run.env, *run.loader_args))
    finally:
        set_faults(handle, ("workfront",), rate=0.0, paths=[])
    env = {**run.env, **elementary_clock(handle)}
    run.record("dbt build", lambda: run_dbt(env, "build", *run.build_args, check=False))
    # later commands (docs generate, edr's own dbt runs) write these again
    target = Path(run.env["DBT_TARGET_PATH"])
    for artifact in ("run_results.json", "manifest.json"):
        shutil.copy(target / artifact, run.workdir / f"build_{artifact}")
    run.record("dbt docs", lambda: run_dbt(env, "docs", "generate", check=False))
    if run.elementary_report:
        run.record("edr report", lambda: edr_report(run, env))
    began = time.perf_counter()
    with query() as execute:
        known = scan(run, handle, execute)
    run.seconds["scan"] = round(time.perf_counter() - began, 1)
    print(f"canary {run.name} timings (s): {run.seconds}")
    return known


def edr_report(run: Run, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``scripts/report.sh``: Elementary's report of this run's warehouse."""
    venv_bin = str(Path(sys.executable).parent)
    return subprocess.run(
        [str(ROOT / "scripts" / "report.sh")],
        cwd=ROOT,
        env={
            **os.environ,
            **env,
            "RUN": "env",
            "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
            "REPORT_FILE": str(run.report),
            "EDR_TARGET_PATH": str(run.workdir / "edr_target"),
        },
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


# ------------------------------------------------------------ what the sandbox served
def dictionary() -> list[dict[str, str]]:
    """The rows of the field-mapping dictionary."""
    with (ROOT / "seeds" / "field_mapping.csv").open() as file:
        return list(csv.DictReader(file))


def personal_rows() -> list[dict[str, str]]:
    """The dictionary rows of the fields it classes personal (``pii_class``)."""
    return [row for row in dictionary() if row["pii_class"] not in ("", "none")]


def served_personal_values(execute: Query) -> PersonalValues:
    """The personal values of the raw tables (what the sandbox served), by the rules of
    ``tests/reliability/leaks.py``."""
    pii = {
        (f"raw_{r['source_system']}", r["source_object"], r["raw_column"]): r
        for r in personal_rows()
    }
    columns = execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns"
        " where lower(table_schema) like 'raw%'"
    )
    columns = [row for row in columns if row[0].lower().startswith("raw_")]
    classed: list[tuple[str, str, str]] = []
    not_personal: list[str] = []
    by_table: dict[tuple[str, str], dict[str, str]] = {}
    for schema, table, column, data_type in columns:
        key = (schema.lower(), table.lower(), column.lower())
        by_table.setdefault((schema, table), {})[column.lower()] = column
        if column.lower().startswith("_dlt") or not is_text(data_type):
            continue
        values = distinct_text(execute, schema, table, column)
        if key in pii:
            classed += [(pii[key]["pii_class"], column, value) for value in values]
        else:
            not_personal += values
    full_names: list[str] = []
    for (schema, table), names in by_table.items():
        if "first_name" in names and "last_name" in names:
            full_names += [
                value
                for (value,) in execute(
                    f'select distinct "{names["first_name"]}" || \' \' || "{names["last_name"]}"'
                    f' from "{schema}"."{table}"'
                )
                if value
            ]
    return personal_values(classed, full_names, not_personal)


def is_text(data_type: str) -> bool:
    """Whether a column of this type can hold text."""
    return data_type.upper().split("(")[0] in TEXT_TYPES


def distinct_text(execute: Query, schema: str, table: str, column: str) -> list[str]:
    """The distinct values of a column, as text."""
    return [
        str(value)
        for (value,) in execute(
            f'select distinct cast("{column}" as varchar) from "{schema}"."{table}"'
            f' where "{column}" is not null'
        )
    ]


# ------------------------------------------------------------------- where to look
def steward_tables(execute: Query) -> dict[str, bytes]:
    """Every text column of the relations stewards read, one text per relation."""
    columns = execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns"
    )
    wanted: dict[tuple[str, str], list[str]] = {}
    for schema, table, column, data_type in columns:
        steward = (
            schema.lower() in STEWARD_SCHEMAS
            or schema.lower().endswith("dbt_test__audit")
            or (schema.lower(), table.lower()) in STEWARD_TABLES
        )
        if steward and is_text(data_type):
            wanted.setdefault((schema, table), []).append(column)
    found: dict[str, bytes] = {}
    for (schema, table), names in sorted(wanted.items()):
        selected = ", ".join(f'cast("{name}" as varchar)' for name in names)
        rows = execute(f'select {selected} from "{schema}"."{table}"')
        text = "\n".join("\t".join(str(v) for v in row if v is not None) for row in rows)
        found[f"table {schema}.{table}"] = text.encode()
    return found


def files(run: Run) -> dict[str, bytes]:
    """Every file the run wrote outside the warehouse, and every dlt trace unpickled."""
    found: dict[str, bytes] = {}
    for label, directory in run.directories().items():
        for path in directory.rglob("*"):
            if path.is_file():
                found[f"{label}: {path.relative_to(directory)}"] = path.read_bytes()
    for path in run.workdir.glob("build_*.json"):  # target/ as dbt build left it
        found[f"dbt target after the build: {path.name}"] = path.read_bytes()
    if run.elementary_report:
        found["elementary report"] = run.report.read_bytes()
    found["dlt traces, unpickled"] = _trace_text(run.workdir).encode()
    return found


def scan(run: Run, handle: SandboxHandle, execute: Query) -> dict[str, Any]:
    """Secrets and personal values found anywhere a steward, operator or log reader sees."""
    haystacks = {
        **{f"console: {step}": text.encode() for step, text in run.console.items()},
        **files(run),
        **steward_tables(execute),
    }
    secrets = handle.secrets()
    personal = served_personal_values(execute)
    personal_hits: dict[str, set[str]] = {}
    for where, haystack in haystacks.items():
        hits = personal.find(decode(haystack))
        if hits:
            personal_hits[where] = hits
    leaked = secrets_found(secrets, haystacks)
    # the control: the same search finds the customers' values where they belong
    customers = execute(
        "select email_address, primary_phone_number, first_name || ' ' || last_name"
        " from staging.stg_webphone__customers"
    )
    control = personal.find("\n".join(" ".join(map(str, row)) for row in customers))
    values = set().union(*personal_hits.values()) if personal_hits else set()
    summary = (
        f"{run.name}: {len(secrets)} secrets and {len(personal)} personal values searched in"
        f" {len(haystacks)} places ({sum(map(len, haystacks.values())) / 1e6:.1f} MB);"
        f" secrets found: {len({name for name, _ in leaked})} ({len(leaked)} hits),"
        f" personal values found: {len(values)} (in {len(personal_hits)} places)"
    )
    print(summary)
    return {
        "secrets": secrets,
        "personal": personal,
        "haystacks": haystacks,
        "leaked": leaked,
        "personal_hits": personal_hits,
        "control": control,
        "customers": len(customers),
        "summary": summary,
    }


# ----------------------------------------------------------------------- the runs
@pytest.fixture(scope="module")
def duckdb_canary(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Run, dict[str, Any]]:
    handle = sandbox_factory(*SANDBOX_ARGS)
    workdir = tmp_path_factory.mktemp("canary_duckdb")
    env = {
        **loader_env(
            handle,
            workdir,
            RUNTIME__LOG_LEVEL="INFO",
            RUNTIME__REQUEST_MAX_ATTEMPTS="2",
            RUNTIME__REQUEST_BACKOFF_FACTOR="0.05",
            SOURCES__WORKFRONT__API_KEY=CREDS.workfront_api_key,
        ),
        **dbt_env(workdir),
    }
    run = Run("duckdb", workdir, env)

    def connect() -> Any:
        return _DuckDB(Path(env["DUCKDB_PATH"]))

    return run, canary_run(handle, run, "500", connect)


class _DuckDB:
    """A read-only connection to the DuckDB file as a query function."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Query:
        self.con = duckdb.connect(str(self.path), read_only=True)
        return lambda sql: self.con.execute(sql).fetchall()

    def __exit__(self, *_: object) -> None:
        self.con.close()


class _Emulator:
    """A connection to the emulator's database as a query function."""

    def __init__(self, server: FakesnowServer, database: str) -> None:
        self.server, self.database = server, database

    def __enter__(self) -> Query:
        self.con = self.server.connect(self.database)
        cursor = self.con.cursor()
        return lambda sql: cursor.execute(sql).fetchall()

    def __exit__(self, *_: object) -> None:
        self.con.close()


EMULATOR_DATABASE = "CANARY"
#: Elementary's anomaly tests: the emulator cannot run their SQL (a CTE DuckDB reads as
#: recursive), and a test that errors skips every model downstream of its model
EMULATOR_EXCLUDES = (
    "--exclude",
    *(f"test_name:{name}_anomalies" for name in ("volume", "freshness", "dimension", "column")),
)


@pytest.fixture(scope="module")
def emulator_canary(
    sandbox_factory: Callable[..., SandboxHandle],
    fakesnow_server: FakesnowServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Run, dict[str, Any]]]:
    handle = sandbox_factory(*SANDBOX_ARGS)
    workdir = tmp_path_factory.mktemp("canary_emulator")
    env = {
        **loader_env(
            handle,
            workdir,
            RUNTIME__LOG_LEVEL="INFO",
            RUNTIME__REQUEST_MAX_ATTEMPTS="2",
            RUNTIME__REQUEST_BACKOFF_FACTOR="0.05",
            SOURCES__WORKFRONT__API_KEY=CREDS.workfront_api_key,
        ),
        **dbt_env(workdir, DBT_TARGET="snowflake_emulator"),
        **fakesnow_server.env,
        "SNOWFLAKE_DATABASE": EMULATOR_DATABASE,
    }
    run = Run(
        "snowflake_emulator",
        workdir,
        env,
        loader_args=("--destination", "snowflake_emulator"),
        build_args=EMULATOR_EXCLUDES,
        elementary_report=False,
    )

    def connect() -> Any:
        return _Emulator(fakesnow_server, EMULATOR_DATABASE)

    yield run, canary_run(handle, run, "400", connect)


# ---------------------------------------------------------------------- the tests
def check_run(run: Run) -> None:
    """The run is the one the canary needs: one endpoint failed, tests warned on PII."""
    assert run.returncodes["second load"] != 0, "the failing endpoint must fail its source"
    second = run.console["second load"]
    assert FAILING_ENDPOINT in second, second[-3000:]  # the loader names the endpoint
    assert "webphone:" in second and "bynder:" in second, second[-3000:]  # the rest loads
    for step in ("dbt build", "dbt docs", "edr report"):
        if step in run.returncodes:
            assert run.returncodes[step] == 0, run.console[step][-5000:]
    assert "edr report" in run.returncodes or not run.elementary_report
    assert not run.elementary_report or run.report.stat().st_size > 100_000


def pii_tests_not_passing(run: Run) -> list[str]:
    """Tests on a personal column that warned or failed in the build."""
    manifest = json.loads((run.workdir / "build_manifest.json").read_text())
    personal = {r["raw_column"] for r in personal_rows()} | {
        r["target_column"] for r in personal_rows()
    }
    results = json.loads((run.workdir / "build_run_results.json").read_text())["results"]
    build = [r for r in results if r["unique_id"].startswith("test.")]
    return [
        r["unique_id"]
        for r in build
        if r["status"] in ("warn", "fail")
        and (manifest["nodes"][r["unique_id"]].get("column_name") or "").lower() in personal
    ]


def assert_nothing_leaked(known: dict[str, Any]) -> None:
    """Zero secrets, zero personal values, with the places named when there are some."""
    assert len(known["personal"]) > 500, known["summary"]
    # every credential, and at least one token per OAuth API (Workfront uses its key)
    secrets = known["secrets"]
    assert CREDS.workfront_api_key in secrets.values(), secrets.keys()
    assert {"webphone issued token 0", "bynder issued token 0"} <= secrets.keys()
    # the search finds most customers' e-mail, phone and name where they belong
    assert len(known["control"]) > known["customers"], (len(known["control"]), known["customers"])
    sample = {where: sorted(hits)[:3] for where, hits in list(known["personal_hits"].items())[:10]}
    assert not known["leaked"] and not known["personal_hits"], (
        f"{known['summary']}\nsecrets: {known['leaked'][:20]}\npersonal values: {sample}"
    )


@pytest.mark.xdist_group("canary_duckdb")
def test_duckdb_run_fails_one_endpoint_and_warns_on_personal_columns(
    duckdb_canary: tuple[Run, dict[str, Any]],
) -> None:
    run, _ = duckdb_canary
    check_run(run)
    assert pii_tests_not_passing(run)


@pytest.mark.xdist_group("canary_duckdb")
def test_duckdb_no_secret_or_personal_value_where_stewards_or_logs_see(
    duckdb_canary: tuple[Run, dict[str, Any]],
) -> None:
    assert_nothing_leaked(duckdb_canary[1])


@pytest.mark.slow
@pytest.mark.xdist_group("canary_emulator")
def test_emulator_run_fails_one_endpoint_and_warns_on_personal_columns(
    emulator_canary: tuple[Run, dict[str, Any]],
) -> None:
    run, _ = emulator_canary
    check_run(run)
    assert pii_tests_not_passing(run)


@pytest.mark.slow
@pytest.mark.xdist_group("canary_emulator")
def test_emulator_no_secret_or_personal_value_where_stewards_or_logs_see(
    emulator_canary: tuple[Run, dict[str, Any]],
) -> None:
    assert_nothing_leaked(emulator_canary[1])
