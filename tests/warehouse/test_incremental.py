"""Incremental builds over several clock advances equal a full refresh.

The warehouse is built once, then the sandbox clock moves three times by six hours
(wrap-ups an hour after a call, calls arriving three hours late, corrections,
approvals and deletions of records from the days before); after each advance the
loaders run and ``dbt build`` runs incrementally. A copy of the final warehouse is
then rebuilt with ``dbt run --full-refresh`` (snapshots excluded: they are history,
not derivable) and every staging table, fact, dimension and report must hold the same
rows.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SandboxHandle, Warehouse, dbt_env, loader_env, run_dbt

#: staging tables upstream of the marts that take in only new loads (campaigns and
#: metaproperties are rebuilt: dlt replaces their raw whole; no mart reads assignments)
INCREMENTAL_STAGING = (
    *(f"stg_webphone__{entity}" for entity in ("agents", "customers", "calls", "surveys")),
    *(
        f"stg_webphone__{entity}_tombstones"
        for entity in ("agents", "customers", "calls", "surveys")
    ),
    *(f"stg_bynder__{table}" for table in ("media", "usage", "media_removed")),
    *(
        f"stg_workfront__{table}"
        for table in ("users", "projects", "tasks", "hours", "journal_entries")
    ),
)

#: The marts and everything upstream of them, with the tests of the intermediate and
#: mart layers (the staging and source tests check the loads, not incrementality).
SELECTION = (
    # Elementary's models too: its anomaly tests on the marts write there
    *("--select", "+path:models/marts", "package:elementary", "--indirect-selection", "cautious"),
    *("--exclude", "path:models/staging,test_type:data"),
)
#: (schema, table) compared between the incremental and the rebuilt warehouse
COMPARED = (
    *(
        ("marts", table)
        for table in (
            "fact_calls",
            "fact_asset_usage",
            "fact_project_hours",
            "dim_agent",
            "dim_customer",
            "dim_asset",
            "dim_project",
            "dim_campaign",
            "dim_date",
            "rpt_call_center_daily",
            "rpt_campaign_performance",
            "rpt_project_asset_value",
        )
    ),
    ("intermediate", "int_surveys_matched_to_calls"),
    *(("staging", table) for table in INCREMENTAL_STAGING),
)
INCREMENTAL = (
    "int_surveys_matched_to_calls",
    "fact_calls",
    "fact_asset_usage",
    "fact_project_hours",
    "dim_asset",
    "dim_customer",
    "dim_project",
    *INCREMENTAL_STAGING,
)


def _differences(full: Path, incremental: Path, schema: str, table: str) -> tuple[int, int, int]:
    """(rows, rows only in the full refresh, rows only in the incremental build)."""
    with duckdb.connect(str(full)) as con:
        con.execute(f"attach '{incremental}' as incremental (read_only)")
        columns = [
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns "
                f"where table_catalog = current_database() and table_schema = '{schema}' "
                f"and table_name = '{table}' order by ordinal_position"
            ).fetchall()
        ]
        listed = ", ".join(columns)
        rows = con.execute(f"select count(*) from {schema}.{table}").fetchall()[0][0]
        only_full = con.execute(
            f"select count(*) from (select {listed} from {schema}.{table} "
            f"except all select {listed} from incremental.{schema}.{table})"
        ).fetchall()[0][0]
        only_incremental = con.execute(
            f"select count(*) from (select {listed} from incremental.{schema}.{table} "
            f"except all select {listed} from {schema}.{table})"
        ).fetchall()[0][0]
    return rows, only_full, only_incremental


def _materialized_incrementally(target: Path) -> set[str]:
    """The models the last dbt invocation built as incremental runs (not full builds)."""
    compiled = target / "run" / "warehouse" / "models"
    return {
        path.stem for path in compiled.rglob("*.sql") if "delete from" in path.read_text().lower()
    }


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_incremental_builds_equal_a_full_refresh(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path: Path
) -> None:
    handle = sandbox_factory(
        *("--scale", "0.0005", "--history-days", "3", "--defect-rate", "0.002"),
        "--no-rate-limits",
    )
    workdir = tmp_path / "incremental"
    built = Warehouse(handle, workdir, {**loader_env(handle, workdir), **dbt_env(workdir)})
    built.load()
    built.dbt("build", *SELECTION)

    for _ in range(3):
        handle.advance(6 * 60)
        built.load()
        built.dbt("build", *SELECTION)
        assert _materialized_incrementally(built.target_path) == set(INCREMENTAL)

    changed_calls = built.query(
        "select count(*) from marts.fact_calls where updated_at > started_at + interval 30 minute"
    )[0][0]
    assert changed_calls > 0, "the advances should change some calls after their first load"

    # a copy of the final warehouse, rebuilt from scratch (snapshots are kept: history)
    full_dir = tmp_path / "full"
    full_dir.mkdir()
    full_db = full_dir / "warehouse.duckdb"
    shutil.copy(built.duckdb_path, full_db)
    full_env = {**built.env, **dbt_env(full_dir)}
    run_dbt(
        full_env,
        "run",
        "--full-refresh",
        *("--select", "+path:models/marts"),
    )
    assert _materialized_incrementally(full_dir / "target") == set()

    report = {
        f"{schema}.{table}": _differences(full_db, built.duckdb_path, schema, table)
        for schema, table in COMPARED
    }
    # a tombstone or removal table may stay empty at this scale; the marts may not
    assert all(rows > 0 for name, (rows, _, _) in report.items() if name.startswith("marts.")), (
        report
    )
    assert all(a == 0 and b == 0 for _, a, b in report.values()), report
