"""``python -m bench`` (``make bench``): measure the pipeline, print a table, write JSON.

Stages (``--stages``, default all):

    end_to_end   one full day at ``--scale``: loaders and ``dbt build``, rows per
                 second, the loader's peak memory; the source floor (the same pages
                 fetched by a bare HTTP client, bench/source_floor.py) and the same raw
                 records read by DuckDB's JSON reader, with the loaders' ratio to each
    micro_batch  ``--micro-batch-days`` of history at ``--micro-batch-scale``: a
                 5-minute clock advance loaded and built, against the full refresh
    queries      the dashboards' queries (analyses/dashboards) over ``--query-days`` of
                 history at ``--query-scale``, facts amplified to full-scale volume:
                 p50 and p95
    sandbox      the sandbox's cost per Bynder media record (scale 0.05, a day):
                 microseconds per row to list and render

No figure is asserted; targets are printed beside the figures. Everything is written
under ``--workdir`` (emptied per stage) and the figures to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from bench import stages

#: (stage, figure, target, lower is better) printed beside the figures
TARGETS = (
    ("end_to_end", "end_to_end_seconds", 300.0),
    ("end_to_end", "loader_peak_rss_mib", 2048.0),
    ("end_to_end", "loader_to_jsonl_read_ratio", 10.0),
    ("end_to_end", "loader_to_source_floor_ratio", 1.5),
    ("micro_batch", "micro_batch_seconds", 30.0),
    ("micro_batch", "micro_batch_share_of_full_refresh", 0.05),
    ("queries", "query_p95_seconds", 1.0),
    ("sandbox", "media_render_us_per_row", 200.0),
)
STAGES = ("end_to_end", "micro_batch", "queries", "sandbox")


def _machine() -> dict[str, Any]:
    memory_kib = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024**2, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render(results: dict[str, dict[str, Any]]) -> str:
    """The figures as a plain-text table, targets beside the figures they judge."""
    targets = {(stage, name): target for stage, name, target in TARGETS}
    lines = [f"{'stage':<12} {'figure':<52} {'value':>16}  target"]
    for stage, figures in results.items():
        for name, value in figures.items():
            target = targets.get((stage, name))
            verdict = ""
            if target is not None:
                verdict = f"< {_format(target)}  {'met' if value < target else 'MISSED'}"
            lines.append(f"{stage:<12} {name:<52} {_format(value):>16}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench``."""
    parser = argparse.ArgumentParser(
        prog="bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--stages", default=",".join(STAGES), help="comma list of " + ", ".join(STAGES)
    )
    parser.add_argument("--scale", type=float, default=1.0, help="end_to_end (1.0 = full day)")
    parser.add_argument("--micro-batch-scale", type=float, default=0.05)
    parser.add_argument("--micro-batch-days", type=int, default=7)
    parser.add_argument("--query-scale", type=float, default=0.005)
    parser.add_argument("--query-days", type=int, default=30)
    parser.add_argument("--no-amplify", action="store_true", help="query the facts as loaded")
    parser.add_argument("--repeats", type=int, default=20, help="timed runs of each query")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", type=Path, default=Path("data/bench"))
    parser.add_argument("--out", type=Path, default=Path("reports/bench.json"))
    args = parser.parse_args(argv)

    chosen = [s for s in args.stages.split(",") if s]
    unknown = set(chosen) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages {sorted(unknown)}; choose from {STAGES}")
    workdir = args.workdir.resolve()
    results: dict[str, dict[str, Any]] = {}
    for stage in STAGES:
        if stage not in chosen:
            continue
        began = time.perf_counter()
        print(f"bench: {stage} ...", file=sys.stderr, flush=True)
        if stage == "end_to_end":
            results[stage] = stages.end_to_end(workdir, args.scale, args.seed)
        elif stage == "micro_batch":
            results[stage] = stages.micro_batch(
                workdir, args.micro_batch_scale, args.micro_batch_days, args.seed
            )
        elif stage == "sandbox":
            results[stage] = stages.sandbox_render(0.05, args.seed)
        else:
            results[stage] = stages.dashboard_queries(
                workdir,
                args.query_scale,
                args.query_days,
                args.seed,
                args.repeats,
                amplify=not args.no_amplify,
            )
        print(f"bench: {stage} done in {time.perf_counter() - began:.0f}s", file=sys.stderr)
    print(render(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": _machine(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **results,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
