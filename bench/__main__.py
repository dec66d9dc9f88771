"""``python -m bench`` (``make bench``): measure the pipeline, print a table, write JSON.

Stages (``--stages``, default all):

    end_to_end   one full day at ``--scale``: loaders and ``dbt build``, rows per
                 second, the loader's peak memory; the source floor (the same pages
                 fetched by a bare HTTP client, bench/source_floor.py) and the same raw
                 records read by DuckDB's JSON reader, with the loaders' ratio to each;
                 then the day loaded and built at each ``--scaling`` point (default
                 0.1, 0.25, 0.5 and 1.0 when ``--scale`` is 1.0): seconds per million
                 raw records for the loaders, dbt and both (``scaling``)
    micro_batch  a 5-minute clock advance loaded and built (``dbt build --selector
                 micro_batch``) on ``--micro-batch-days`` of history at
                 ``--micro-batch-scale``, the median of ``--micro-batch-rounds``
                 advances; then the same on twice the history, in a second warehouse:
                 the growth per doubling of the history, t(2d) / t(d) - 1
    queries      the dashboards' queries (analyses/dashboards) over ``--query-days`` of
                 history at ``--query-scale``, facts amplified to full-scale volume:
                 p50 and p95
    sandbox      the sandbox's cost per Bynder media record (scale 0.05, a day):
                 microseconds per row to list and render

``--quick`` runs every stage small (minutes, not hours), for development; options
given beside it win. No figure is asserted; targets are printed beside the figures,
with the scale they were measured at. Everything is written under ``--workdir``
(emptied per stage) and the figures to ``--out``.
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

#: (stage, figure, target): lower is better, the figure meets its target below it
TARGETS = (
    ("end_to_end", "end_to_end_seconds", 300.0),
    ("end_to_end", "loader_peak_rss_mib", 2048.0),
    ("end_to_end", "loader_to_jsonl_read_ratio", 10.0),
    ("end_to_end", "loader_to_source_floor_ratio", 1.5),
    ("micro_batch", "micro_batch_seconds", 30.0),
    ("micro_batch", "micro_batch_growth_per_history_doubling", 0.20),
    ("queries", "query_p95_seconds", 1.0),
    ("sandbox", "media_render_us_per_row", 200.0),
)
STAGES = ("end_to_end", "micro_batch", "queries", "sandbox")

#: the options' values, and those of ``--quick`` (every stage small, for development)
DEFAULTS: dict[str, Any] = {
    "scale": 1.0,
    "scaling": None,  # the FULL_SCALING points when the scale is 1.0, else none
    "micro_batch_scale": 0.05,
    "micro_batch_days": 7,
    "micro_batch_rounds": 3,
    "query_scale": 0.005,
    "query_days": 30,
    "repeats": 20,
}
QUICK: dict[str, Any] = {
    "scale": 0.02,
    "scaling": "0.01,0.02",
    "micro_batch_scale": 0.02,
    "micro_batch_days": 2,
    "micro_batch_rounds": 2,
    "query_scale": 0.002,
    "query_days": 3,
    "repeats": 5,
}
#: the scaling points of a full-scale run
FULL_SCALING = (0.1, 0.25, 0.5, 1.0)


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
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _flat(figures: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``figures`` as (name, value) rows; nested dicts' names joined by dots."""
    rows: list[tuple[str, Any]] = []
    for name, value in figures.items():
        if isinstance(value, dict):
            rows.extend(_flat(value, f"{prefix}{name}."))
        else:
            rows.append((f"{prefix}{name}", value))
    return rows


def _measured_at(figures: dict[str, Any]) -> str:
    """The scale (and history) a stage was measured at, to print beside its targets."""
    parts = []
    if "scale" in figures:
        parts.append(f"scale {_format(figures['scale'])}")
    if "history_days" in figures:
        parts.append(f"{figures['history_days']} days of history")
    if figures.get("fact_amplification", 1) > 1:
        parts.append(f"facts copied {figures['fact_amplification']}x")
    return f"  (at {', '.join(parts)})" if parts else ""


def render(results: dict[str, dict[str, Any]]) -> str:
    """The figures as a plain-text table, targets beside the figures they judge."""
    targets = {(stage, name): target for stage, name, target in TARGETS}
    lines = [f"{'stage':<12} {'figure':<52} {'value':>16}  target"]
    for stage, figures in results.items():
        for name, value in _flat(figures):
            target = targets.get((stage, name))
            verdict = ""
            if target is not None:
                verdict = f"< {_format(target)}  {'met' if value < target else 'MISSED'}"
                verdict += _measured_at(figures)
            lines.append(f"{stage:<12} {name:<52} {_format(value):>16}  {verdict}")
    return "\n".join(lines)


def scaling_points(option: str | None, scale: float) -> tuple[float, ...]:
    """The ``--scaling`` points: the comma list given (empty: none).

    By default, the FULL_SCALING points when ``scale`` is the full day, none otherwise.
    """
    if option is None:
        return FULL_SCALING if scale == 1.0 else ()
    points = tuple(float(point) for point in option.split(",") if point.strip())
    if any(point <= 0 for point in points):
        raise ValueError(f"scaling points must be positive: {option!r}")
    return points


def resolve(args: argparse.Namespace) -> argparse.Namespace:
    """Fill the options not given from DEFAULTS, or from QUICK with ``--quick``."""
    chosen = QUICK if args.quick else DEFAULTS
    for name, default in DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, chosen.get(name, default))
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench``."""
    parser = argparse.ArgumentParser(
        prog="bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--stages", default=",".join(STAGES), help="comma list of " + ", ".join(STAGES)
    )
    parser.add_argument(
        "--quick", action="store_true", help="every stage small: " + json.dumps(QUICK)
    )
    parser.add_argument("--scale", type=float, help="end_to_end (1.0 = full day; default)")
    parser.add_argument(
        "--scaling",
        help="end_to_end's scaling points, a comma list ('' = none; default "
        + ",".join(f"{point:g}" for point in FULL_SCALING)
        + " at scale 1.0, else none)",
    )
    parser.add_argument("--micro-batch-scale", type=float, help="default 0.05")
    parser.add_argument("--micro-batch-days", type=int, help="history, default 7 (then 2x)")
    parser.add_argument("--micro-batch-rounds", type=int, help="5-minute advances, default 3")
    parser.add_argument("--query-scale", type=float, help="default 0.005")
    parser.add_argument("--query-days", type=int, help="default 30")
    parser.add_argument("--no-amplify", action="store_true", help="query the facts as loaded")
    parser.add_argument("--repeats", type=int, help="timed runs of each query, default 20")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", type=Path, default=Path("data/bench"))
    parser.add_argument("--out", type=Path, default=Path("reports/bench.json"))
    args = resolve(parser.parse_args(argv))
    try:
        scaling = scaling_points(args.scaling, args.scale)
    except ValueError as error:
        parser.error(str(error))

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
            results[stage] = stages.end_to_end(workdir, args.scale, args.seed, scaling)
        elif stage == "micro_batch":
            results[stage] = stages.micro_batch(
                workdir,
                args.micro_batch_scale,
                args.micro_batch_days,
                args.seed,
                args.micro_batch_rounds,
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
