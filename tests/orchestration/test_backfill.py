"""``elt_backfill``: two days in one-day chunks equal the same days loaded
incrementally, row for row; loading a chunk again changes nothing."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from orchestration.backfill import chunk_bounds, format_instant
from tests.conftest import SandboxHandle, Warehouse, dbt_env, loader_env
from tests.orchestration.conftest import INITIAL_BUILD, INITIAL_MODELS, error_lines, run_state

COMPARED = (
    "fact_calls",
    "fact_asset_usage",
    "fact_project_hours",
    "dim_agent",
    "dim_customer",
    "dim_asset",
    "dim_project",
    "dim_campaign",
    "rpt_call_center_daily",
    "rpt_campaign_performance",
    "rpt_project_asset_value",
)


def test_chunks_cover_the_range_once() -> None:
    chunks = chunk_bounds("2026-10-30T00:00:00Z", "2026-11-02T06:00:00Z", 1)
    assert [c["start"][:10] for c in chunks] == [
        "2026-10-30",
        "2026-10-31",
        "2026-11-01",
        "2026-11-02",
    ]
    assert chunks[-1]["end"] == "2026-11-02T06:00:00Z"
    assert all(a["end"] == b["start"] for a, b in itertools.pairwise(chunks))
    # three years of one-day chunks: one window each, never the whole range at once
    assert len(chunk_bounds("2023-11-01", "2026-11-01")) == 1096
    with pytest.raises(ValueError):
        chunk_bounds("2026-11-02", "2026-11-01")


def _differences(one: Path, other: Path, table: str) -> tuple[int, int, int]:
    """(rows, rows only in ``one``, rows only in ``other``) of ``marts.<table>``; the
    load-time columns (``_source_loaded_at``...) are left out."""
    with duckdb.connect(str(one), read_only=True) as con:
        con.execute(f"attach '{other}' as other (read_only)")
        columns = [
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns where table_catalog = "
                f"current_database() and table_schema = 'marts' and table_name = '{table}' "
                "and column_name not like '\\_%' escape '\\' order by ordinal_position"
            ).fetchall()
        ]
        listed = ", ".join(columns)
        rows = con.execute(f"select count(*) from marts.{table}").fetchone()[0]  # type: ignore[index]
        only_one = con.execute(
            f"select count(*) from (select {listed} from marts.{table} "
            f"except all select {listed} from other.marts.{table})"
        ).fetchone()[0]  # type: ignore[index]
        only_other = con.execute(
            f"select count(*) from (select {listed} from other.marts.{table} "
            f"except all select {listed} from marts.{table})"
        ).fetchone()[0]  # type: ignore[index]
    return rows, only_one, only_other


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_backfill_in_chunks_equals_incremental_loads(
    sandbox_factory: Callable[..., SandboxHandle],
    tmp_path: Path,
    dag_test: Callable[..., Any],
) -> None:
    handle = sandbox_factory(
        *("--scale", "0.0005", "--history-days", "2", "--defect-rate", "0.002"),
        "--no-rate-limits",
    )
    now = datetime.fromtimestamp(handle.now_ms() / 1000, tz=UTC)

    incremental_dir = tmp_path / "incremental"
    incremental = Warehouse(
        handle, incremental_dir, {**loader_env(handle, incremental_dir), **dbt_env(incremental_dir)}
    )
    incremental.load()
    # the reference is only compared: its models (the DAG's build runs the tests)
    incremental.dbt("build", *INITIAL_MODELS)

    backfill_dir = tmp_path / "backfill"
    env = {
        **loader_env(handle, backfill_dir),
        **dbt_env(backfill_dir),
        "ELT_SANDBOX_STATE": str(handle.state_file),
    }
    conf: dict[str, str | int] = {
        # the two days of history, and the hour after the clock (nothing there yet)
        "start": format_instant(now - timedelta(days=2)),
        "end": format_instant(now + timedelta(hours=1)),
        "chunk_days": 1,
        "dbt_args": " ".join(INITIAL_BUILD),
    }
    # what changed before the range (users, agents, projects last modified long ago):
    # one stateless load, so that both warehouses share the history before the days
    from orchestration import backfill

    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        backfill.load_chunk("2000-01-01T00:00:00Z", str(conf["start"]))
    began = time.perf_counter()
    result = dag_test("elt_backfill", env, conf)
    seconds = time.perf_counter() - began
    print(f"elt_backfill: {seconds:.0f}s for 2 days ({seconds / 2:.0f}s a simulated day)")
    assert run_state(result) == "success", error_lines(result)
    backfilled = Warehouse(handle, backfill_dir, env)

    report = {t: _differences(incremental.duckdb_path, backfilled.duckdb_path, t) for t in COMPARED}
    assert all(rows > 0 for rows, _, _ in report.values()), report
    assert all(a == 0 and b == 0 for _, a, b in report.values()), report

    # the first chunk again, as the task loads it, then the same build: nothing changes
    first = chunk_bounds(str(conf["start"]), str(conf["end"]), 1)[0]
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        backfill.load_chunk(first["start"], first["end"])
    backfilled.dbt("build", *INITIAL_MODELS)
    again = {t: _differences(incremental.duckdb_path, backfilled.duckdb_path, t) for t in COMPARED}
    assert again == report
