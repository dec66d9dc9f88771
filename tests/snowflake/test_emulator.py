"""The Snowflake path end to end, on the fakesnow emulator.

One sandbox feeds two warehouses with the same loads: the DuckDB file (the default
target) and the fakesnow emulator, loaded by dlt's own Snowflake client (loader
destination ``snowflake_emulator``: PUT into table stages, COPY INTO, MERGE from the
staging dataset) and built by dbt-snowflake's own materializations (dbt target
``snowflake_emulator``). Each is built twice: a full ``dbt build`` (seeds, models,
snapshots, unit and data tests), then, after the sandbox clock moves on and the
delta is loaded, a second build of the marts and everything upstream of them, which
runs the incremental facts as incremental merges and the snapshots as snapshot
merges. The emulator's marts and snapshots must then hold the same keys and measures
as DuckDB's.

What differs on the emulator, and why, is listed in docs/snowflake.md ("Snowflake
emulator: what differs"); ``test_production_sql_is_dbt_snowflakes`` checks that those
workarounds stay confined to the emulator target.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from tests.conftest import (
    ROOT,
    FakesnowServer,
    SandboxHandle,
    dbt_env,
    loader_env,
    run_dbt,
    run_loader,
)

pytestmark = pytest.mark.slow

SANDBOX_ARGS = (
    *("--scale", "0.0003", "--history-days", "5", "--defect-rate", "0.002"),
    "--no-rate-limits",
)
#: Wrap-ups, late calls, corrections, approvals and deletions of the days before.
ADVANCE_MINUTES = 6 * 60
DATABASE = "TWIN"
#: The emulator's builds. The first is the full build. The second: the marts and
#: everything upstream of them (staging tables are rebuilt on Snowflake), with the
#: tests of the intermediate and mart layers and of the snapshots; the staging and
#: source tests check the loads, as in the first build.
#: Elementary's anomaly tests: the emulator cannot run their SQL (a CTE DuckDB reads as
#: recursive), and a test that errors skips every model downstream of its model
#: (docs/snowflake.md, emulator workaround 18; production Snowflake runs them)
ANOMALY_TESTS = tuple(
    f"test_name:{name}_anomalies" for name in ("volume", "freshness", "dimension", "column")
)
EMULATOR_BUILDS = (
    ("--exclude", *ANOMALY_TESTS),
    (
        *("--select", "+path:models/marts"),
        *(
            "--exclude",
            "path:models/staging,resource_type:test",
            "resource_type:unit_test",
            *ANOMALY_TESTS,
        ),
    ),
)
#: DuckDB's builds, the reference the emulator is compared with: the same nodes
#: without tests (the other suites test the DuckDB build), so both fit the time budget.
DUCKDB_BUILDS = (
    ("--exclude", "resource_type:test", "resource_type:unit_test"),
    (
        *("--select", "+path:models/marts"),
        *("--exclude", "resource_type:test", "resource_type:unit_test"),
    ),
)
INCREMENTAL_FACTS = ("fact_calls", "fact_asset_usage", "fact_project_hours")
#: Measures compared between the engines: (table, SQL aggregate).
MEASURES = (
    ("fact_calls", "sum(talk_seconds)"),
    ("fact_calls", "sum(handle_seconds)"),
    ("fact_calls", "sum(case when is_answered then 1 else 0 end)"),
    ("fact_project_hours", "round(sum(hours_worked), 2)"),
    ("fact_asset_usage", "count(distinct asset_id)"),
    ("dim_project", "round(sum(budget), 2)"),
)
#: What a masked value of each PII class looks like (macros/snowflake/masking.sql);
#: unknown members ('Unknown customer') are constants, not PII.
MASKED = {
    "name": re.compile(r"anon-[0-9a-f]{10}|Unknown .*"),
    "email": re.compile(r"\*{5}@.*"),
    "phone": re.compile(r"\*{7}\d{0,4}"),
    "free_text": re.compile(r"\*{5}"),
}


@dataclass
class Build:
    """One warehouse: its environment, and the run results of each dbt build."""

    name: str
    env: dict[str, str]
    build_args: tuple[tuple[str, ...], ...]
    loader_args: tuple[str, ...] = ()
    results: list[dict[str, Any]] = field(default_factory=list)
    run_sql: dict[str, str] = field(default_factory=dict)

    @property
    def target(self) -> Path:
        """dbt's target directory."""
        return Path(self.env["DBT_TARGET_PATH"])

    def build(self, *args: str) -> float:
        """Run ``dbt build``; keep its run results and the SQL it ran for stateful nodes."""
        began = time.perf_counter()
        result = run_dbt(self.env, "build", *args, check=False)
        seconds = time.perf_counter() - began
        run_results = self.target / "run_results.json"
        assert run_results.exists(), result.stdout[-3000:] + result.stderr[-2000:]
        self.results.append(json.loads(run_results.read_text()))
        assert result.returncode == 0, f"{self.name}: dbt build failed:\n{result.stdout[-6000:]}"
        run_dir = self.target / "run" / "warehouse"
        self.run_sql = {
            path.stem: path.read_text()
            for folder in ("models/marts", "snapshots")
            for path in (run_dir / folder).rglob("*.sql")
        }
        return seconds


@dataclass
class Twin:
    """The same loads, built on DuckDB and on the Snowflake emulator."""

    duckdb: Build
    snowflake: Build
    server: FakesnowServer
    seconds: dict[str, float]

    def duckdb_rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a query on the DuckDB warehouse."""
        with duckdb.connect(self.duckdb.env["DUCKDB_PATH"], read_only=True) as con:
            return [tuple(_plain(v) for v in row) for row in con.execute(sql).fetchall()]

    def snowflake_rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a query on the emulator's database."""
        with self.server.connect(DATABASE) as con:
            return [tuple(_plain(v) for v in row) for row in con.cursor().execute(sql).fetchall()]


def _plain(value: Any) -> Any:
    """One Python form per value across the two engines (numbers, times)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _profiles(directory: Path) -> Path:
    """A profiles directory holding profiles.yml.example as it is now, plus a target
    that reaches the emulator under another name (the SQL real Snowflake would get)."""
    profiles = yaml.safe_load((ROOT / "profiles.yml.example").read_text())
    outputs = profiles["warehouse"]["outputs"]
    outputs["snowflake_as_production"] = dict(outputs["snowflake_emulator"])
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "profiles.yml").write_text(yaml.safe_dump(profiles, sort_keys=False))
    return directory


def _load(builds: list[Build]) -> None:
    """Run the loaders into every warehouse at once (same sandbox, same clock)."""
    with ThreadPoolExecutor(max_workers=len(builds)) as pool:
        futures = [pool.submit(run_loader, build.env, *build.loader_args) for build in builds]
        for build, future in zip(builds, futures, strict=True):
            result = future.result()
            assert result.returncode == 0, f"{build.name}: {result.stderr[-3000:]}"


def _build(builds: list[Build], seconds: dict[str, float], step: int) -> None:
    """Build ``step`` (0 or 1) of every warehouse at once; record each wall time."""
    with ThreadPoolExecutor(max_workers=len(builds)) as pool:
        durations = list(pool.map(lambda b: b.build(*b.build_args[step]), builds))
    for build, duration in zip(builds, durations, strict=True):
        seconds[f"{('first', 'second')[step]} build {build.name}"] = round(duration, 1)


@pytest.fixture(scope="module")
def twin(
    sandbox_factory: Callable[..., SandboxHandle],
    fakesnow_server: FakesnowServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Twin]:
    began = time.perf_counter()
    handle = sandbox_factory(*SANDBOX_ARGS)
    workdir = tmp_path_factory.mktemp("snowflake_twin")
    profiles = str(_profiles(workdir / "profiles"))
    duck_dir, sf_dir = workdir / "duckdb", workdir / "snowflake"
    duck = Build(
        "duckdb",
        {
            **loader_env(handle, duck_dir),
            **dbt_env(duck_dir, DBT_PROFILES_DIR=profiles, DBT_TARGET="duckdb"),
        },
        DUCKDB_BUILDS,
    )
    snowflake = Build(
        "snowflake_emulator",
        {
            **loader_env(handle, sf_dir),
            **dbt_env(sf_dir, DBT_PROFILES_DIR=profiles, DBT_TARGET="snowflake_emulator"),
            **fakesnow_server.env,
            "SNOWFLAKE_DATABASE": DATABASE,
        },
        EMULATOR_BUILDS,
        loader_args=("--destination", "snowflake_emulator"),
    )
    builds = [duck, snowflake]
    seconds: dict[str, float] = {}

    step = time.perf_counter()
    _load(builds)
    seconds["first load"] = round(time.perf_counter() - step, 1)
    _build(builds, seconds, 0)

    handle.advance(ADVANCE_MINUTES)
    step = time.perf_counter()
    _load(builds)
    seconds["second load"] = round(time.perf_counter() - step, 1)
    _build(builds, seconds, 1)
    seconds["total"] = round(time.perf_counter() - began, 1)
    (workdir / "timings.json").write_text(json.dumps(seconds, indent=2))
    print(f"\nSnowflake emulator twin timings (s): {json.dumps(seconds)}")
    yield Twin(duck, snowflake, fakesnow_server, seconds)
    shutil.rmtree(duck_dir / "dlt", ignore_errors=True)
    shutil.rmtree(sf_dir / "dlt", ignore_errors=True)


# --------------------------------------------------------------------------- helpers
def _manifest(build: Build) -> dict[str, Any]:
    return dict(json.loads((build.target / "manifest.json").read_text()))


def _compared_relations(build: Build) -> dict[str, list[str]]:
    """schema.name of every mart and snapshot, with its natural key from its tests.

    The key is a compound-uniqueness test's column list (without a row condition),
    else a `unique` column that is not a surrogate key (`*_key` hashes differ by
    engine: they hash timestamps rendered as text); an empty key compares row counts.
    """
    manifest = _manifest(build)
    nodes = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "snapshot"
        or (node["resource_type"] == "model" and node["fqn"][1] == "marts")
    }
    keys: dict[str, list[str]] = {unique_id: [] for unique_id in nodes}
    for test in manifest["nodes"].values():
        if test["resource_type"] != "test" or not test.get("test_metadata"):
            continue
        parent = test.get("attached_node")
        if parent not in keys:
            continue
        metadata = test["test_metadata"]
        kwargs = metadata.get("kwargs", {})
        if metadata["name"] == "expect_compound_columns_to_be_unique":
            if not kwargs.get("row_condition") and not test["config"].get("where"):
                keys[parent] = list(kwargs["column_list"])
        elif metadata["name"] in ("unique", "expect_column_values_to_be_unique"):
            column = kwargs.get("column_name") or test.get("column_name")
            if column and not column.endswith("_key") and not keys[parent]:
                keys[parent] = [column]
    return {f"{nodes[uid]['schema']}.{nodes[uid]['alias']}": key for uid, key in keys.items()}


# ----------------------------------------------------------------------------- tests
def test_both_warehouses_build_every_node(twin: Twin) -> None:
    """The emulator runs seeds, models, snapshots, unit and data tests; nothing fails."""
    for build in (twin.duckdb, twin.snowflake):
        for results in build.results:
            failed = [
                (r["unique_id"], r["status"], (r.get("message") or "")[:300])
                for r in results["results"]
                if r["status"] in ("error", "fail", "runtime error")
            ]
            assert failed == [], f"{build.name}: {failed}"
    first = {r["unique_id"] for r in twin.snowflake.results[0]["results"]}
    kinds = {unique_id.split(".")[0] for unique_id in first}
    assert {"seed", "model", "snapshot", "test", "unit_test"} <= kinds, kinds
    expected = {
        unique_id
        for unique_id, node in {**_manifest(twin.snowflake)["nodes"]}.items()
        if node["resource_type"] in ("seed", "model", "snapshot", "test", "unit_test")
        and node["config"].get("enabled", True)
        and not (node.get("test_metadata") or {}).get("name", "").endswith("_anomalies")
    }
    assert expected - first == set(), "nodes the full build did not run"
    second = {r["unique_id"].split(".")[-1] for r in twin.snowflake.results[1]["results"]}
    assert {*INCREMENTAL_FACTS, "dim_customer"} <= second


def test_loaders_land_the_same_raw_rows(twin: Twin) -> None:
    """dlt's Snowflake destination lands what its DuckDB destination lands."""
    tables = twin.duckdb_rows(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema like 'raw_%' and table_schema not like '%_staging' "
        "and table_name not like '_dlt_%' order by 1, 2"
    )
    assert len(tables) >= 20, tables
    for schema, table in tables:
        duck = twin.duckdb_rows(f"select count(*) from {schema}.{table}")[0][0]
        landed = twin.snowflake_rows(f"select count(*) from {schema}.{table}")[0][0]
        assert landed == duck, f"{schema}.{table}: emulator {landed}, DuckDB {duck}"


def test_second_build_is_incremental(twin: Twin) -> None:
    """The facts merge (delete+insert) and the snapshots merge, as on real Snowflake."""
    sql = twin.snowflake.run_sql
    for fact in INCREMENTAL_FACTS:
        assert "delete from" in sql[fact].lower(), fact
        assert "create or replace" not in sql[fact].lower(), fact
    snapshots = [name for name in sql if name.endswith("_snapshot")]
    assert len(snapshots) >= 4, snapshots
    for snapshot in snapshots:
        assert "merge into" in sql[snapshot].lower(), snapshot
    # both loads reached the facts
    loads = twin.snowflake_rows("select count(distinct _source_loaded_at) from marts.fact_calls")
    assert loads[0][0] >= 2, loads


def test_marts_and_snapshots_match_duckdb(twin: Twin) -> None:
    """Same rows and the same keys in every mart and snapshot, on both engines."""
    compared = _compared_relations(twin.duckdb)
    assert len(compared) >= 12, compared
    for relation, key in sorted(compared.items()):
        duck_count = twin.duckdb_rows(f"select count(*) from {relation}")[0][0]
        sf_count = twin.snowflake_rows(f"select count(*) from {relation}")[0][0]
        assert sf_count == duck_count, f"{relation}: emulator {sf_count}, DuckDB {duck_count}"
        if key:
            columns = ", ".join(key)
            duck_keys = set(twin.duckdb_rows(f"select {columns} from {relation}"))
            sf_keys = set(twin.snowflake_rows(f"select {columns} from {relation}"))
            assert sf_keys == duck_keys, (
                f"{relation} ({columns}): only on the emulator {sorted(sf_keys - duck_keys)[:5]}, "
                f"only on DuckDB {sorted(duck_keys - sf_keys)[:5]}"
            )


def test_measures_match_duckdb(twin: Twin) -> None:
    for table, aggregate in MEASURES:
        sql = f"select {aggregate} from marts.{table}"
        assert twin.snowflake_rows(sql) == twin.duckdb_rows(sql), sql


def test_pii_is_masked_in_duckdb_marts_only(twin: Twin) -> None:
    """DuckDB marts hold masks; Snowflake marts hold the values (the policy masks)."""
    manifest = _manifest(twin.duckdb)
    checked = 0
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["fqn"][1] != "marts":
            continue
        for column, spec in node["columns"].items():
            pii = (spec.get("meta") or {}).get("pii")
            if not pii or pii == "none":
                continue
            relation = f"{node['schema']}.{node['alias']}"
            values = [
                row[0]
                for row in twin.duckdb_rows(
                    f"select distinct {column} from {relation} where {column} is not null"
                )
            ]
            unmasked = [v for v in values if not MASKED[pii].fullmatch(str(v))]
            assert unmasked == [], f"{relation}.{column} ({pii}): {unmasked[:5]}"
            raw = twin.snowflake_rows(
                f"select count(distinct {column}) from {relation} where {column} is not null "
                f"and {column} not like 'Unknown %'"
            )[0][0]
            if values:
                assert raw > 0, f"{relation}.{column}: the emulator's mart should hold values"
            checked += 1
    assert checked >= 6, checked


def test_production_sql_is_dbt_snowflakes(twin: Twin) -> None:
    """The emulator workarounds apply on the emulator target only: any other Snowflake
    target gets dbt-snowflake's own SQL (temporary tables and views). (On the emulator
    itself the builds above prove them: temporary relations would have failed.)"""
    relation = "api.Relation.create(database='D', schema='S', identifier='T')"
    inline = (
        f"{{{{ snowflake__create_table_temporary_sql({relation}, 'select 1 as a') }}}} | "
        f"{{{{ snowflake__create_view_as_with_temp_flag({relation}, 'select 1 as a', True) }}}}"
        " | {{ is_snowflake_emulator() }}"
    )
    env = {**twin.snowflake.env, "DBT_TARGET": "snowflake_as_production"}
    result = run_dbt(env, "compile", "--quiet", "--inline", inline)
    compiled = " ".join(result.stdout.lower().split())
    assert "create or replace temporary table d.s.t" in compiled, compiled
    assert "create or replace temporary view d.s.t" in compiled, compiled
    assert compiled.endswith("| false"), compiled


def test_grants_are_logged_as_the_statements_snowflake_would_run(twin: Twin) -> None:
    """fakesnow runs no GRANT: the emulator target writes each statement to dbt.log, so
    the grants of docs/snowflake.md ("Who reads what") stay reviewable."""
    log = (Path(twin.snowflake.env["DBT_LOG_PATH"]) / "dbt.log").read_text().lower()
    granted = re.findall(r"grant \(emulator: not run\): grant select on (\S+) to ([\w, ]+)", log)
    by_relation = {".".join(relation.split(".")[-2:]): roles.strip() for relation, roles in granted}
    assert by_relation["quarantine.quarantine_webphone"] == "pii_reader"
    assert by_relation["snapshots.webphone_customers_snapshot"] == "pii_reader"
    assert by_relation["marts.dim_customer"] == "reporter"
    assert by_relation["observability.reconciliation_loads"] == "steward"
