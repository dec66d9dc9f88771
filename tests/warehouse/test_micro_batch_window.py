"""A micro-batch's tests read the rows of the recent loads; the complete build every row.

With var ``micro_batch`` (the 5-minute refresh, selectors.yml) the row-by-row tests of
a fact filter it to the rows loaded within var ``lookback_hours`` of its newest load
(macros/warehouse/micro_batch.sql), so their cost does not grow with history. A
duplicate loaded long ago is then the complete build's to find; one loaded recently
fails the micro-batch too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SandboxHandle, Warehouse, dbt_env, loader_env, run_dbt

UNIQUE_CALL_ID = ("--select", "fact_calls,test_name:unique")
MICRO_BATCH = ("--vars", "{micro_batch: true}")


def _duplicate_a_call(db: Path, loaded_days_before: int) -> None:
    """Insert a copy of one call, as if loaded ``loaded_days_before`` days earlier."""
    with duckdb.connect(str(db)) as con:
        con.execute(
            "insert into marts.fact_calls select * replace ("
            f"_source_loaded_at - interval {loaded_days_before} day as _source_loaded_at) "
            "from marts.fact_calls order by call_id limit 1"
        )


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_micro_batch_tests_read_only_the_recent_loads(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path: Path
) -> None:
    handle = sandbox_factory(
        *("--scale", "0.0005", "--history-days", "2", "--defect-rate", "0"), "--no-rate-limits"
    )
    workdir = tmp_path / "window"
    built = Warehouse(handle, workdir, {**loader_env(handle, workdir), **dbt_env(workdir)})
    built.load()
    built.dbt("build", "--select", "+fact_calls", "--resource-type", "model", "snapshot", "seed")
    # the micro-batch's own target folder: each vars keep their partial parse
    micro_env = {**built.env, "DBT_TARGET_PATH": str(workdir / "target_micro_batch")}

    _duplicate_a_call(built.duckdb_path, loaded_days_before=7)
    complete = built.dbt("test", *UNIQUE_CALL_ID, check=False)
    assert complete.returncode != 0, "the complete build tests every row"
    old = run_dbt(micro_env, "test", *UNIQUE_CALL_ID, *MICRO_BATCH, check=False)
    assert old.returncode == 0, old.stdout[-3000:]

    _duplicate_a_call(built.duckdb_path, loaded_days_before=0)
    recent = run_dbt(micro_env, "test", *UNIQUE_CALL_ID, *MICRO_BATCH, check=False)
    assert recent.returncode != 0, "a duplicate among the recent loads fails the micro-batch"


def _comments(db: Path, table: str) -> tuple[str | None, int]:
    """The table comment of ``marts.<table>`` and how many of its columns have one."""
    with duckdb.connect(str(db), read_only=True) as con:
        table_comment = con.execute(
            "select comment from duckdb_tables() where schema_name = 'marts' and table_name = ?",
            [table],
        ).fetchone()
        commented = con.execute(
            "select count(comment) from duckdb_columns() where schema_name = 'marts' "
            "and table_name = ?",
            [table],
        ).fetchone()
    assert table_comment is not None and commented is not None, table
    return table_comment[0], commented[0]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_micro_batch_keeps_the_tables_comments(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path: Path
) -> None:
    """A batch leaves the complete build's comments on the tables it updates in place
    (it does not write them again, macro persist_docs) and comments the tables it
    rebuilds: a reader browsing the warehouse sees every description at any time."""
    handle = sandbox_factory(
        *("--scale", "0.0005", "--history-days", "1", "--defect-rate", "0"), "--no-rate-limits"
    )
    workdir = tmp_path / "comments"
    built = Warehouse(handle, workdir, {**loader_env(handle, workdir), **dbt_env(workdir)})
    built.load()
    built.dbt("build", "--select", "+fact_calls", "--resource-type", "model", "snapshot", "seed")
    complete = {table: _comments(built.duckdb_path, table) for table in ("fact_calls", "dim_agent")}
    assert all(comment and columns > 10 for comment, columns in complete.values()), complete

    micro_env = {**built.env, "DBT_TARGET_PATH": str(workdir / "target_micro_batch")}
    run_dbt(micro_env, "run", "--select", "fact_calls", "dim_agent", *MICRO_BATCH)
    # fact_calls is incremental (updated in place), dim_agent a table (rebuilt)
    after = {table: _comments(built.duckdb_path, table) for table in ("fact_calls", "dim_agent")}
    assert after == complete


def test_micro_batch_selection_leaves_out_what_does_not_follow_the_batch(tmp_path: Path) -> None:
    """The 5-minute selection rebuilds what the loads feed, and nothing a load leaves as is.

    The calendar (a spine between two vars) and the load reports (read by the complete
    build's reconciliation only) wait for the complete build, as do the tests that
    compare a whole table with its upstream, and the snapshots' column tests (dbt writes
    those columns); the facts' tests against the calendar and the dimensions' tests
    still run on every batch.
    """
    listed = run_dbt(
        dbt_env(tmp_path), "ls", "--selector", "micro_batch", "--output", "name", "--quiet"
    ).stdout.split()
    assert "fact_calls" in listed
    assert "bynder_assets_snapshot" in listed
    assert "stg_webphone__calls" in listed
    assert "dim_date" not in listed
    # the portfolio's lifetime sums read all history: the complete build refreshes them
    assert "rpt_project_asset_value" not in listed
    assert "rpt_call_center_daily" in listed
    assert not [name for name in listed if name.startswith("stg_load_reports")]
    assert not [
        name for name in listed if name.startswith(("not_null_dim_date", "unique_dim_date"))
    ]
    assert "relationships_fact_calls_call_date_key__date_key__ref_dim_date_" in listed
    # the whole-table comparisons read all history: the complete build runs them
    assert not [name for name in listed if name.startswith("dbt_utils_equality")]
    assert "assert_fact_calls_has_no_quarantined_rows" in listed
    snapshots = ("bynder_assets", "webphone_agents", "webphone_customers", "workfront_projects")
    assert not [name for name in listed if any(f"_{s}_snapshot_" in name for s in snapshots)]
    assert "assert_dimension_versions_are_contiguous" in listed
    assert "unique_dim_asset_asset_key" in listed
