"""The four measurements of ``make bench``; each returns its figures as a flat dict."""

from __future__ import annotations

import os
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

import duckdb
import psutil

from bench.harness import DbtStartup, Timed, Workspace, slowest_nodes, source_figures
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


def end_to_end(
    workdir: Path, scale: float, seed: int, scaling: tuple[float, ...] = ()
) -> dict[str, Any]:
    """One day of history: sandbox APIs → loaders → DuckDB → ``dbt build``.

    Then two limits, to put the loaders' time in proportion: the source floor (every
    page the loaders read, fetched again by a bare HTTP client with the loaders'
    concurrency: :mod:`bench.source_floor`), and the same raw records written once as
    JSON lines and read back by DuckDB's native JSON reader.

    With ``scaling``, the day is also loaded and built at each of those scales (each in
    its own warehouse, the point equal to ``scale`` taken from the run above), and
    ``figures["scaling"]`` holds, by scale, the seconds per million raw records
    (:func:`per_million`): flat lines say the pipeline grows in proportion to the
    volume, rising ones that something grows faster.
    """
    ws = Workspace(workdir / "end_to_end")
    ws.start(*_sandbox_args(scale, 1, seed))
    try:
        sandbox_before = ws.sandbox_cpu_seconds()
        load = ws.load()
        sandbox_loading = ws.sandbox_cpu_seconds() - sandbox_before
        # after the loaders: their figures stay as measured before the floor existed
        floor, walked = ws.source_floor()
        sandbox_floor = ws.sandbox_cpu_seconds() - sandbox_before - sandbox_loading
    finally:
        ws.stop()  # the APIs' processes would compete with dbt for the two cores
    rows = ws.raw_rows()
    records = sum(rows.values())
    build = ws.dbt("build")
    read_seconds, read_cpu = _json_read_seconds(ws.duckdb_path, workdir / "end_to_end" / "jsonl")
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
        # where dbt build's time went, by node (models, snapshots, tests)
        "dbt_slowest_nodes": slowest_nodes(Path(ws.env["DBT_TARGET_PATH"]) / "run_results.json"),
        **cpu_figures(load.cpu_seconds, sandbox_loading, build.cpu_seconds),
        "source_floor_cpu_seconds": floor.cpu_seconds,
        "source_floor_sandbox_cpu_seconds": sandbox_floor,
        "jsonl_read_cpu_seconds": read_cpu,
    }
    for system in SYSTEMS:
        figures[f"source_floor_{system}_seconds"] = walked[system]["seconds"]
    for source, (delivered, seconds) in source_figures(load.output).items():
        figures[f"loader_{source}_rows"] = delivered
        figures[f"loader_{source}_seconds"] = seconds
    if scaling:
        measured = per_million(records, load.seconds, build.seconds)
        figures["scaling"] = scaling_figures(workdir, scaling, seed, {scale: measured})
    return figures


def scaling_figures(
    workdir: Path, points: tuple[float, ...], seed: int, measured: dict[float, dict[str, float]]
) -> dict[str, dict[str, float]]:
    """Each scaling point's figures (:func:`per_million`), keyed by the scale.

    Smallest first; a point already ``measured`` is taken from there, not run again.
    """
    figures: dict[str, dict[str, float]] = {}
    for point in sorted(set(points)):
        if point in measured:
            figures[f"{point:g}"] = measured[point]
        else:
            figures[f"{point:g}"] = _scaling_point(workdir / f"scaling_{point:g}", point, seed)
    return figures


def _scaling_point(folder: Path, scale: float, seed: int) -> dict[str, float]:
    """One day at ``scale`` loaded and built in ``folder`` (removed afterwards)."""
    ws = Workspace(folder)
    ws.start(*_sandbox_args(scale, 1, seed))
    try:
        load = ws.load()
    finally:
        ws.stop()
    records = sum(ws.raw_rows().values())
    build = ws.dbt("build")
    shutil.rmtree(folder)  # a warehouse per point: the disk would hold them all
    return per_million(records, load.seconds, build.seconds)


def per_million(records: int, loader_seconds: float, dbt_seconds: float) -> dict[str, float]:
    """One scaling point: its volume and seconds, and seconds per million raw records."""
    if records <= 0:
        raise ValueError("a scaling point without raw records has no rate")
    millions = records / 1e6
    return {
        "raw_records": records,
        "loader_seconds": loader_seconds,
        "dbt_build_seconds": dbt_seconds,
        "loader_seconds_per_million": loader_seconds / millions,
        "dbt_seconds_per_million": dbt_seconds / millions,
        "total_seconds_per_million": (loader_seconds + dbt_seconds) / millions,
    }


def cpu_figures(loader_cpu: float, sandbox_cpu: float, dbt_cpu: float) -> dict[str, float]:
    """Processor seconds of the full day's parts, and the wall times they allow.

    The sandbox renders the APIs' pages on the same cores as the loaders, which a
    vendor's servers do not. Work of ``w`` processor seconds takes at least ``w / cores``
    seconds of wall time, whatever the code does with its threads: so
    ``end_to_end_cpu_bound_seconds`` is the shortest full day this machine allows for
    the work measured, and ``..._without_sandbox_seconds`` the same with the pages
    rendered elsewhere, as in production.
    """
    cores = os.cpu_count() or 1
    return {
        "cores": cores,
        "loader_cpu_seconds": loader_cpu,
        "sandbox_cpu_seconds": sandbox_cpu,
        "dbt_build_cpu_seconds": dbt_cpu,
        "end_to_end_cpu_bound_seconds": (loader_cpu + sandbox_cpu + dbt_cpu) / cores,
        "end_to_end_cpu_bound_without_sandbox_seconds": (loader_cpu + dbt_cpu) / cores,
    }


def _json_read_seconds(db: Path, folder: Path) -> tuple[float, float]:
    """Write every raw table as JSON lines (untimed), then time DuckDB reading them.

    The reader infers each column's type from every line (``sample_size = -1``), as
    it must for raw data whose values mix formats (the injected defects). Returns the
    wall seconds and the processor seconds (DuckDB's threads run in this process).
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
    began, cpu_began = time.perf_counter(), time.process_time()
    with duckdb.connect(str(target)) as con:
        for name, path in files:
            con.execute(
                f"create table \"{name}\" as select * from read_json('{path}', "
                "format = 'newline_delimited', sample_size = -1)"
            )
    return time.perf_counter() - began, time.process_time() - cpu_began


#: The micro-batch DAG's vars (orchestration/dags/elt_micro_batch.py): Elementary's
#: end-of-run uploads left out (the project graph, unchanged between deploys, and each
#: node's run result; its test results and the invocation are still recorded), the
#: tests reading the recent loads only (``micro_batch``) and no load-time lookback
#: (``lookback_hours: 0``: the incremental models take in the new loads, and the
#: newest one they processed again, as the DAG runs them; the complete build keeps
#: the project's six hours).
MICRO_BATCH_VARS = (
    "{disable_dbt_artifacts_autoupload: true, disable_run_results: true, "
    "micro_batch: true, lookback_hours: 0}"
)


def micro_batch(
    workdir: Path, scale: float, days: int, seed: int, rounds: int = 3
) -> dict[str, Any]:
    """The 5-minute micro-batch on ``days`` of history and on twice as many.

    Each history gets its own warehouse (same scale and seed), measured by
    :func:`micro_batch_at`; the figures of ``days`` keep their names, those of the
    doubled history take the suffix ``_at_double_history``, and the growth per
    doubling (:func:`growth`) says how the micro-batch scales with the warehouse's size.
    """
    base = micro_batch_at(workdir / "micro_batch", scale, days, seed, rounds)
    double = micro_batch_at(workdir / "micro_batch_double", scale, 2 * days, seed, rounds)
    figures: dict[str, Any] = {"scale": scale, "history_days": days, "rounds": rounds}
    figures.update({name: value for name, value in base.items() if name not in figures})
    figures.update(
        {
            f"{name}_at_double_history": value
            for name, value in double.items()
            if name not in ("scale", "rounds")
        }
    )
    figures["micro_batch_growth_per_history_doubling"] = growth(
        base["micro_batch_seconds"], double["micro_batch_seconds"]
    )
    return figures


def growth(base_seconds: float, doubled_seconds: float) -> float:
    """How much longer the micro-batch takes on twice the history: t(2d) / t(d) - 1.

    0 when its time does not depend on the warehouse's size (only the delta counts),
    1 when it grows in proportion to it (a full refresh in disguise).
    """
    if base_seconds <= 0:
        raise ValueError(f"a micro-batch of {base_seconds} s cannot be compared")
    return doubled_seconds / base_seconds - 1


def history_build_env() -> dict[str, str]:
    """DuckDB's memory limit for building a whole history at once (issue 15).

    The profile's 8 GB suits a day's build and a batch. The micro-batch stage loads
    its one or two weeks of history in one burst and builds them at once; at a quarter
    of the volume, 14 days ran that build out of 8 GB, and at full scale the first
    batch after a week's burst ran the assets snapshot out of 14 GiB on one thread (it
    passed with 18; docs/performance.md). These builds get four fifths of the machine's
    memory (the loaders are done by then; the sandbox keeps about 1.5 GiB), unless
    ``DUCKDB_MEMORY_LIMIT`` is set.
    """
    if os.environ.get("DUCKDB_MEMORY_LIMIT"):
        return {}
    return {"DUCKDB_MEMORY_LIMIT": f"{int(psutil.virtual_memory().total * 0.8 / 2**30)}GiB"}


def micro_batch_at(folder: Path, scale: float, days: int, seed: int, rounds: int) -> dict[str, Any]:
    """A 5-minute advance against ``days`` of history, ``rounds`` times: the medians.

    The history is loaded once and built completely (seeds, views, Elementary's tables),
    then the dashboards' refresh, ``dbt build --selector micro_batch`` (selectors.yml),
    rebuilt with ``--full-refresh`` on one thread: the full refresh, kept as information
    beside the micro-batch (on two threads at full scale, the assets snapshot and the
    node beside it ran DuckDB out of 14 GiB). One 5-minute batch follows, not measured:
    the incremental models read again the newest load they processed, which here is the
    whole history (at full scale this ran DuckDB out of 8 GB on two threads;
    docs/performance.md). Then ``rounds`` times: the clock moves 5 minutes, the loaders
    extract the delta from their cursors (``--changes-only``, as ``elt_micro_batch`` runs
    them: the tables read whole wait for the daily run) and the same selection merges
    it. Every run of the selection passes the same ``--vars`` and environment and writes
    to the same target folder, so each micro-batch reuses the manifest its predecessor
    saved (dbt's partial parsing; ``micro_batch_partial_parse`` says whether every round
    did).
    """
    if rounds < 1:
        raise ValueError("a micro-batch needs at least one round")
    ws = Workspace(folder)
    ws.start(*_sandbox_args(scale, days, seed))
    selection = ("build", "--selector", "micro_batch", "--vars", MICRO_BATCH_VARS)
    loads: list[Timed] = []
    builds: list[tuple[Timed, DbtStartup]] = []
    delivered: list[int] = []
    new_rows: list[int] = []
    try:
        full_load = ws.load()
        history = history_build_env()
        # everything once: seeds, views, Elementary's tables
        first_build = ws.dbt("build", env=history)
        full_build = ws.dbt(*selection, "--full-refresh", "--threads", "1", env=history)
        assert ws.sandbox is not None
        # not measured: the incremental models re-read the newest load they processed
        # (their watermark is inclusive), here the whole one-burst history, once more
        ws.sandbox.advance(5)
        ws.load("--changes-only")
        ws.dbt(*selection, "--threads", "1", env=history)
        ws.dbt(*selection)  # parses again under the rounds' settings (their partial parse)
        full_records = sum(ws.raw_rows().values())
        records = full_records
        for _ in range(rounds):
            ws.sandbox.advance(5)
            loads.append(ws.load("--changes-only"))  # as the micro-batch DAG loads
            delivered.append(sum(rows for rows, _ in source_figures(loads[-1].output).values()))
            now = sum(ws.raw_rows().values())
            new_rows.append(now - records)
            records = now
            builds.append(ws.dbt_with_startup(*selection))
    finally:
        ws.stop()
    full = full_load.seconds + full_build.seconds
    totals = [load.seconds + build.seconds for load, (build, _) in zip(loads, builds, strict=True)]
    batch = statistics.median(totals)
    dbt_seconds = [build.seconds for build, _ in builds]
    startups = [startup.seconds for _, startup in builds]
    return {
        "scale": scale,
        "history_days": days,
        "rounds": rounds,
        "full_refresh_records": full_records,
        "full_refresh_load_seconds": full_load.seconds,
        "full_refresh_dbt_seconds": full_build.seconds,
        "full_refresh_seconds": full,
        "first_complete_dbt_build_seconds": first_build.seconds,
        "micro_batch_records_delivered": statistics.median(delivered),
        "micro_batch_new_raw_rows": statistics.median(new_rows),
        "micro_batch_load_seconds": statistics.median(load.seconds for load in loads),
        "micro_batch_dbt_seconds": statistics.median(dbt_seconds),
        "micro_batch_dbt_startup_seconds": statistics.median(startups),
        "micro_batch_dbt_parse_seconds": statistics.median(s.parse_seconds for _, s in builds),
        "micro_batch_dbt_startup_share": statistics.median(
            startup / seconds for startup, seconds in zip(startups, dbt_seconds, strict=True)
        ),
        "micro_batch_partial_parse": all(startup.partial_parse for _, startup in builds),
        "micro_batch_reparsed_files": max(startup.reparsed_files for _, startup in builds),
        "micro_batch_seconds": batch,
        "micro_batch_seconds_min": min(totals),
        "micro_batch_seconds_max": max(totals),
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
