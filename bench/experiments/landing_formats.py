"""Three ways to land Bynder media (issue 15): measure them before converting anything.

Run (from the project root; at ``--scale 0.05`` a round took about 10 minutes on 2 busy
cores, at 0.25 expect five times that)::

    .venv/bin/python -m bench.experiments.landing_formats --scale 0.25 --rounds 2

It starts a sandbox (``--scale``, one day of history, no rate limits), then
``--rounds`` times: walks the media listing with the bench's bare HTTP client (the
listing's source floor; the first walk also warms the sandbox's listing cache) and
loads media alone the three ways, each into a fresh DuckDB file (floor, a, b, c,
floor, a, b, c, ...):

``a`` (``rows``)
    The loader: ``bynder_source().with_resources("media")``, one raw column per API
    field (196 in the field-mapping dictionary). When this was measured, dlt normalized
    it row by row; the loader now lands Arrow pages (``loaders/arrow_pages.py``), so
    ``a`` measures that, and commit 9500457 has the row loader.
``b`` (``json``)
    The same ``rest_api`` resource (same endpoint, paginator, incremental cursor), each
    record mapped to ``{id, dateModified, record}`` with ``record`` typed ``json``
    (DuckDB JSON, Snowflake VARIANT): dlt normalizes three columns.
``c`` (``arrow``)
    The same ``rest_api`` resource feeding a transformer that turns each page into a
    pyarrow table (the dictionary's 196 columns as ``string``/``int64``; list and
    object values serialized to JSON text), which dlt writes without per-row
    normalization; ``_dlt_load_id`` and ``_dlt_id`` added as for the other tables.

All three keep the merge on ``id`` (latest ``dateModified`` wins) and the loaders'
DuckDB settings (``loaders.pipeline.destination``), parquet extract files and two load
jobs, as ``loaders run`` does. Each run is a process of its own: wall seconds, peak
resident memory of its process tree (sampled every 100 ms), seconds per dlt step,
rows in the raw table, and the table's size in DuckDB (its distinct storage blocks,
and the database file after a checkpoint). Prints a table and writes
``--out`` (JSON). Nothing here changes the loaders or staging.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

MODULE = "bench.experiments.landing_formats"
#: variant key -> name
VARIANTS = {"a": "rows", "b": "json", "c": "arrow"}


# ------------------------------------------------------------------ child: one load
def _media_config() -> Any:
    """The loader's Bynder ``rest_api`` configuration, media alone (bulk usage unasked)."""
    import dlt

    from loaders.arrow_pages import table_of
    from loaders.bynder import bynder_config

    config = bynder_config(
        dlt.config["sources.bynder.base_url"],
        dlt.secrets["sources.bynder.client_id"],
        dlt.secrets["sources.bynder.client_secret"],
        usage_mode="bulk",
    )
    config["resources"] = [
        r
        for r in config["resources"]
        if isinstance(r, dict) and table_of(str(r["name"])) == "media"
    ]
    return config


def _rows_source() -> Any:
    from loaders.bynder import bynder_source

    return bynder_source(usage_mode="bulk").with_resources("media")


def _json_source() -> Any:
    import dlt
    from dlt.sources.rest_api import rest_api_resources

    config = _media_config()
    media = config["resources"][0]
    media["columns"] = {
        "id": {"data_type": "text", "nullable": False},
        "dateModified": {"data_type": "text", "nullable": True, "dedup_sort": "desc"},
        "record": {"data_type": "json", "nullable": True},
    }
    media["processing_steps"] = [
        {"map": lambda r: {"id": r["id"], "dateModified": r.get("dateModified"), "record": r}}
    ]

    @dlt.source(name="bynder", max_table_nesting=0)
    def bynder() -> Any:
        return rest_api_resources(config)

    return bynder()


def _arrow_schema() -> Any:
    import pyarrow as pa

    from loaders.field_mapping import column_hints

    types = {"text": pa.string(), "json": pa.string(), "bigint": pa.int64()}
    hints = column_hints("bynder", "media")
    return pa.schema([(name, types[str(c["data_type"])]) for name, c in hints.items()])


def _arrow_source() -> Any:
    import dlt
    import orjson
    import pyarrow as pa
    from dlt.sources.rest_api import rest_api_resources

    config = _media_config()
    config["resources"][0]["name"] = "media_pages"  # read, not written: it feeds the tables
    config["resources"][0]["columns"] = {}
    schema = _arrow_schema()

    def to_table(page: list[dict[str, Any]]) -> Any:
        rows = [
            {
                k: (orjson.dumps(v).decode() if isinstance(v, list | dict) else v)
                for k, v in r.items()
            }
            for r in page
        ]
        return pa.Table.from_pylist(rows, schema=schema)

    @dlt.source(name="bynder", max_table_nesting=0)
    def bynder() -> Any:
        (pages,) = rest_api_resources(config)

        @dlt.transformer(
            name="media",
            data_from=pages,
            primary_key="id",
            write_disposition="merge",
            columns={"dateModified": {"dedup_sort": "desc"}},
        )
        def media(page: list[dict[str, Any]]) -> Any:
            yield to_table(page)

        return media

    return bynder()


def load_variant(variant: str) -> dict[str, Any]:
    """Load media the ``variant`` way into ``DUCKDB_PATH``; seconds per dlt step."""
    import dlt

    from loaders.pipeline import destination

    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    if variant == "c":
        # the columns every raw table has (staging takes in loads by _dlt_load_id); dlt
        # adds neither to Arrow tables by default
        os.environ["NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID"] = "true"
        os.environ["NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_ID"] = "true"
    source = {"a": _rows_source, "b": _json_source, "c": _arrow_source}[variant]()
    source.schema.remove_type_detection("iso_timestamp")
    pipeline = dlt.pipeline(
        pipeline_name="bynder",
        destination=destination("duckdb"),
        dataset_name="raw_bynder",
        pipelines_dir=os.environ["DLT_PIPELINES_DIR"],
    )
    steps: dict[str, float] = {}
    began = time.perf_counter()
    pipeline.extract(source, loader_file_format="parquet")
    steps["extract_seconds"] = time.perf_counter() - began
    began = time.perf_counter()
    pipeline.normalize()
    steps["normalize_seconds"] = time.perf_counter() - began
    began = time.perf_counter()
    pipeline.load(workers=2)
    steps["load_seconds"] = time.perf_counter() - began
    return steps


# ------------------------------------------------------------------ parent: the runs
def table_figures(db: Path) -> dict[str, Any]:
    """Rows, columns and size of ``raw_bynder.media``; the database file's size."""
    with duckdb.connect(str(db)) as con:
        con.execute("checkpoint")
        rows = con.execute("select count(*) from raw_bynder.media").fetchall()[0][0]
        columns = con.execute(
            "select count(*) from information_schema.columns "
            "where table_schema = 'raw_bynder' and table_name = 'media'"
        ).fetchall()[0][0]
        block_size = con.execute(
            "select block_size from pragma_database_size() limit 1"
        ).fetchall()[0][0]
        blocks = con.execute(
            "select count(distinct block_id) from pragma_storage_info('raw_bynder.media') "
            "where block_id >= 0"
        ).fetchall()[0][0]
    return {
        "rows": int(rows),
        "columns": int(columns),
        "table_mib": blocks * block_size / 2**20,
        "file_mib": db.stat().st_size / 2**20,
    }


def run(
    scale: float, rounds: int, seed: int, workdir: Path, out: Path | None = None
) -> dict[str, Any]:
    """Start the sandbox, walk media once bare, then the interleaved loads."""
    from bench.harness import run_timed
    from sandbox.handle import source_environment, start_sandbox

    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    sandbox = start_sandbox(
        workdir / "sandbox",
        "--no-rate-limits",
        *("--scale", str(scale), "--history-days", "1", "--seed", str(seed)),
    )
    env = {**source_environment(sandbox.urls), "RUNTIME__DLTHUB_TELEMETRY": "false"}
    results: dict[str, Any] = {"scale": scale, "rounds": rounds, "media_floor": [], "runs": []}
    try:
        for number in range(rounds):
            # the listing's floor in every round, first (the first also warms the
            # sandbox's listing cache for the loads)
            floor = run_timed([sys.executable, "-m", MODULE, "--floor"], env).check("floor")
            walked = json.loads(floor.output.strip().splitlines()[-1])
            results["media_floor"].append({"wall_seconds": floor.seconds, **walked})
            print(f"media floor: {results['media_floor'][-1]}", flush=True)
            for variant in VARIANTS:
                folder = workdir / f"{variant}{number}"
                db = folder / "warehouse.duckdb"
                child_env = {
                    **env,
                    "DUCKDB_PATH": str(db),
                    "DLT_PIPELINES_DIR": str(folder / "dlt"),
                }
                command = [sys.executable, "-m", MODULE, "--variant", variant]
                timed = run_timed(command, child_env).check(f"variant {variant}")
                figures = {
                    "variant": f"{variant} ({VARIANTS[variant]})",
                    "round": number + 1,
                    "wall_seconds": timed.seconds,
                    "peak_rss_mib": timed.peak_rss_mib,
                    **json.loads(timed.output.strip().splitlines()[-1]),
                    **table_figures(db),
                }
                figures["rows_per_second"] = figures["rows"] / timed.seconds
                results["runs"].append(figures)
                print(json.dumps(figures), flush=True)
                if out is not None:  # after every run: a long experiment stopped keeps its runs
                    out.write_text(json.dumps(results, indent=2) + "\n")
                shutil.rmtree(folder / "dlt")  # disk: keep only the database
    finally:
        sandbox.stop()
    return results


def media_floor() -> dict[str, Any]:
    """The media listing alone, walked by the bench's bare client (bench.source_floor)."""
    from bench.source_floor import walk_config

    began = time.perf_counter()
    walked = walk_config(_media_config(), "bynder")
    return {**walked, "seconds": time.perf_counter() - began}


def render(results: dict[str, Any]) -> str:
    """Every run, then the median per variant."""
    keys = (
        "wall_seconds",
        "peak_rss_mib",
        "rows_per_second",
        "extract_seconds",
        "normalize_seconds",
        "load_seconds",
        "rows",
        "columns",
        "table_mib",
        "file_mib",
    )
    lines = ["variant    round " + " ".join(f"{k:>17}" for k in keys)]
    for r in results["runs"]:
        lines.append(
            f"{r['variant']:<10} {r['round']:>5} " + " ".join(f"{r[k]:>17,.1f}" for k in keys)
        )
    for variant, name in VARIANTS.items():
        runs = [r for r in results["runs"] if r["variant"].startswith(variant)]
        if runs:
            medians = [statistics.median(r[k] for r in runs) for k in keys]
            lines.append(
                f"{variant} ({name}):".ljust(10)
                + "   med "
                + " ".join(f"{m:>17,.1f}" for m in medians)
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point: the experiment, or (internal) one variant's load or the media floor."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", type=Path, default=Path("data/bench/landing_formats"))
    parser.add_argument("--out", type=Path, default=Path("reports/landing_formats.json"))
    parser.add_argument("--variant", choices=list(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.variant:
        print(json.dumps(load_variant(args.variant)))
        return 0
    if args.floor:
        print(json.dumps(media_floor()))
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = run(args.scale, args.rounds, args.seed, args.workdir.resolve(), args.out)
    print(render(results))
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
