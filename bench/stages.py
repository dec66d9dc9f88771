"""The four measurements of ``make bench``; each returns its figures as a flat dict."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import duckdb

from bench.harness import Workspace, source_figures
from loaders.settings import SYSTEMS

#: the dashboards' queries, as dbt analyses (compiled by the stage, then timed)
DASHBOARDS = "analyses/dashboards"

#: fact tables of the marts and their keys, amplified for the dashboard queries
FACTS = {
    "fact_calls": "call_id",
    "fact_asset_usage": "usage_id",
    "fact_project_hours": "time_entry_id",
}


def _sandbox_args(scale: float, days: int, seed: int) -> tuple[str, ...]:
    return ("--scale", str(scale), "--history-days", str(days), "--seed", str(seed))


def end_to_end(workdir: Path, scale: float, seed: int) -> dict[str, Any]:
    """One day of history: sandbox APIs → loaders → DuckDB → ``dbt build``.

    Then two limits, to put the loaders' time in proportion: the source floor (every
    page the loaders read, fetched again by a bare HTTP client with the loaders'
    concurrency: :mod:`bench.source_floor`), and the same raw records written once as
    JSON lines and read back by DuckDB's native JSON reader.
    """
    ws = Workspace(workdir / "end_to_end")
    ws.start(*_sandbox_args(scale, 1, seed))
    try:
        load = ws.load()
        # after the loaders: their figures stay as measured before the floor existed
        floor, walked = ws.source_floor()
    finally:
        ws.stop()  # the APIs' processes would compete with dbt for the two cores
    rows = ws.raw_rows()
    records = sum(rows.values())
    build = ws.dbt("build")
    read_seconds = _json_read_seconds(ws.duckdb_path, workdir / "end_to_end" / "jsonl")
    figures: dict[str, Any] = {
        "scale": scale,
        "raw_records": records,
        "loader_seconds": load.seconds,
        "loader_rows_per_second": records / load.seconds,
        "loader_peak_rss_mib": load.peak_rss_mib,
        "dbt_build_seconds": build.seconds,
        "dbt_build_rows_per_second": records / build.seconds,
        "end_to_end_seconds": load.seconds + build.seconds,
        "jsonl_read_seconds": read_seconds,
        "loader_to_jsonl_read_ratio": load.seconds / read_seconds,
        "source_floor_seconds": floor.seconds,
        "source_floor_records": sum(walked[system]["records"] for system in SYSTEMS),
        "source_floor_pages": sum(walked[system]["pages"] for system in SYSTEMS),
        "source_floor_mib": sum(walked[system]["bytes"] for system in SYSTEMS) / 2**20,
        "loader_to_source_floor_ratio": load.seconds / floor.seconds,
    }
    for system in SYSTEMS:
        figures[f"source_floor_{system}_seconds"] = walked[system]["seconds"]
    for source, (delivered, seconds) in source_figures(load.output).items():
        figures[f"loader_{source}_rows"] = delivered
        figures[f"loader_{source}_seconds"] = seconds
    return figures


def _json_read_seconds(db: Path, folder: Path) -> float:
    """Write every raw table as JSON lines (untimed), then time DuckDB reading them.

    The reader infers each column's type from every line (``sample_size = -1``), as
    it must for raw data whose values mix formats (the injected defects).
    """
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema like 'raw\\_%' escape '\\' "
            "and table_schema not like '%\\_staging' escape '\\' "
            "and table_name not like '\\_dlt%' escape '\\'"
        ).fetchall()
        files = []
        for schema, table in tables:
            path = folder / f"{schema}.{table}.jsonl"
            con.execute(f'copy (select * from "{schema}"."{table}") to \'{path}\' (format json)')
            files.append((f"{schema}__{table}", path))
    target = folder / "read.duckdb"
    target.unlink(missing_ok=True)
    began = time.perf_counter()
    with duckdb.connect(str(target)) as con:
        for name, path in files:
            con.execute(
                f"create table \"{name}\" as select * from read_json('{path}', "
                "format = 'newline_delimited', sample_size = -1)"
            )
    return time.perf_counter() - began


#: Elementary's end-of-run uploads a micro-batch leaves out (selectors.yml; the complete
#: build keeps them): the project graph (unchanged between deploys) and each node's run
#: result. Its test results and the invocation are still recorded.
MICRO_BATCH_VARS = "{disable_dbt_artifacts_autoupload: true, disable_run_results: true}"


def micro_batch(workdir: Path, scale: float, days: int, seed: int) -> dict[str, Any]:
    """A 5-minute advance against ``days`` of history, beside the full refresh of them.

    Both run the loaders and the dashboards' refresh, ``dbt build --selector
    micro_batch`` (selectors.yml). The full refresh is the first load of the history
    and that selection rebuilt with ``--full-refresh``; the micro-batch is the same
    after the clock moved 5 minutes: the loaders extract the delta from their cursors
    and the incremental facts merge it.
    """
    ws = Workspace(workdir / "micro_batch")
    ws.start(*_sandbox_args(scale, days, seed))
    selection = ("build", "--selector", "micro_batch", "--vars", MICRO_BATCH_VARS)
    try:
        full_load = ws.load()
        first_build = ws.dbt("build")  # everything once: seeds, views, Elementary's tables
        full_build = ws.dbt(*selection, "--full-refresh")
        full_records = sum(ws.raw_rows().values())
        assert ws.sandbox is not None
        ws.sandbox.advance(5)
        batch_load = ws.load()
        delta = sum(ws.raw_rows().values()) - full_records
        batch_build = ws.dbt(*selection)
    finally:
        ws.stop()
    full = full_load.seconds + full_build.seconds
    batch = batch_load.seconds + batch_build.seconds
    return {
        "scale": scale,
        "history_days": days,
        "full_refresh_records": full_records,
        "full_refresh_load_seconds": full_load.seconds,
        "full_refresh_dbt_seconds": full_build.seconds,
        "full_refresh_seconds": full,
        "first_complete_dbt_build_seconds": first_build.seconds,
        "micro_batch_records_delivered": sum(
            rows for rows, _ in source_figures(batch_load.output).values()
        ),
        "micro_batch_new_raw_rows": delta,
        "micro_batch_load_seconds": batch_load.seconds,
        "micro_batch_dbt_seconds": batch_build.seconds,
        "micro_batch_seconds": batch,
        "micro_batch_share_of_full_refresh": batch / full,
    }


def dashboard_queries(
    workdir: Path, scale: float, days: int, seed: int, repeats: int, amplify: bool
) -> dict[str, Any]:
    """The dashboards' queries (``analyses/dashboards``) over ``days``: p50 and p95.

    With ``amplify``, every fact row is copied ``1 / scale`` times under new keys
    first, so the queries scan the fact volume full scale would give over ``days``
    (the dimensions and report tables keep their size).
    """
    ws = Workspace(workdir / "queries")
    ws.start(*_sandbox_args(scale, days, seed))
    try:
        ws.load()
        assert ws.sandbox is not None
        as_of = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ws.sandbox.now_ms() / 1000))
    finally:
        ws.stop()
    ws.dbt("build")
    # the analyses compiled against this warehouse, counting back from the simulated now
    ws.dbt("compile", "--select", f"path:{DASHBOARDS}", "--vars", f"{{dashboard_as_of: '{as_of}'}}")
    compiled = Path(ws.env["DBT_TARGET_PATH"]) / "compiled" / "warehouse" / DASHBOARDS
    factor = max(1, round(1 / scale)) if amplify else 1
    fact_rows = _amplify(ws.duckdb_path, factor)
    timings: dict[str, list[float]] = {}
    with duckdb.connect(str(ws.duckdb_path), read_only=True) as con:
        for path in sorted(compiled.glob("*.sql")):
            sql = path.read_text()
            con.execute(sql).fetchall()  # warm-up
            runs = timings.setdefault(path.stem, [])
            for _ in range(repeats):
                began = time.perf_counter()
                con.execute(sql).fetchall()
                runs.append(time.perf_counter() - began)
    every = sorted(t for runs in timings.values() for t in runs)
    figures: dict[str, Any] = {
        "scale": scale,
        "history_days": days,
        "fact_amplification": factor,
        **{f"{table}_rows": count for table, count in fact_rows.items()},
        "queries": len(timings),
        "query_p50_seconds": _percentile(every, 50),
        "query_p95_seconds": _percentile(every, 95),
    }
    for name, runs in timings.items():
        figures[f"query_{name}_p95_seconds"] = _percentile(sorted(runs), 95)
    return figures


def _amplify(db: Path, factor: int) -> dict[str, int]:
    """Copy every fact row ``factor - 1`` more times under new keys; return row counts."""
    with duckdb.connect(str(db)) as con:
        if factor > 1:
            for table, key in FACTS.items():
                con.execute(
                    f"insert into marts.{table} "
                    f"select * exclude (copy_number) replace "
                    f"(cast({key} as varchar) || '~' || copy_number as {key}) "
                    f"from marts.{table}, range(1, {factor}) as copies(copy_number)"
                )
            con.execute("checkpoint")
        return {
            table: int(con.execute(f"select count(*) from marts.{table}").fetchall()[0][0])
            for table in FACTS
        }


def sandbox_render(scale: float, seed: int) -> dict[str, Any]:
    """The sandbox's cost per Bynder media record (the widest API rows), in µs per row.

    Listing a day of changes and rendering each record: the source floor of the
    loaders depends on it.
    """
    from sandbox.settings import SandboxSettings
    from sandbox.timeline import DAY_MS
    from sandbox.world import World

    world = World(SandboxSettings(scale=scale, history_days=1, seed=seed))
    media = world.entity("media")
    now = world.now_ms()
    order = media.updated_order(now - DAY_MS, None, now)
    started = time.perf_counter()
    items = [item for i in range(order.n_chunks) for item in order.chunk(i)]
    listed = time.perf_counter()
    for item in items:
        media.render(item)
    done = time.perf_counter()
    return {
        "scale": scale,
        "media_rows": len(items),
        "media_render_us_per_row": 1e6 * (done - listed) / max(1, len(items)),
        "media_list_and_render_us_per_row": 1e6 * (done - started) / max(1, len(items)),
    }


def _percentile(ordered: list[float], percent: int) -> float:
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[percent - 1]
