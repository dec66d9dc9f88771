"""Seconds to serve every Bynder media page of a fresh load through HTTP (issue 15).

Run (from the project root)::

    .venv/bin/python -m bench.experiments.bynder_media_floor --scale 0.1

Starts a sandbox (``--history-days 1``, no rate limits), then walks the loaders'
``media`` listing exactly as :mod:`bench.source_floor` walks it (the loaders' own
``rest_api`` configuration, paginator and first cursor), one page after another,
and prints the wall seconds, the CPU seconds of the sandbox's processes during the
walk (steadier than wall time on a shared machine), pages, records and bytes as one
JSON line. Only the media listing is read, so the figure is the sandbox's cost of
the widest rows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import psutil

from sandbox.handle import source_environment, start_sandbox


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of a process and its children so far."""
    total = 0.0
    root = psutil.Process(pid)
    for process in (root, *root.children(recursive=True)):
        times = process.cpu_times()
        total += times.user + times.system
    return total


def main(argv: list[str] | None = None) -> int:
    """Start a sandbox, walk the media listing, print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        handle = start_sandbox(
            Path(folder) / "sandbox",
            "--no-rate-limits",
            "--scale",
            str(args.scale),
            "--history-days",
            "1",
            "--seed",
            str(args.seed),
        )
        try:
            os.environ.update(source_environment(handle.urls))
            # dlt reads its configuration at import: import after the environment is set
            from bench.source_floor import source_config, walk_config

            config = source_config("bynder")
            config["resources"] = [
                r for r in config["resources"] if isinstance(r, dict) and r["name"] == "media"
            ]
            began, cpu_began = time.perf_counter(), cpu_seconds(handle.process.pid)
            totals = walk_config(config, "bynder")
            seconds = time.perf_counter() - began
            sandbox_cpu = cpu_seconds(handle.process.pid) - cpu_began
        finally:
            handle.stop()
    figures = {"seconds": round(seconds, 2), "sandbox_cpu_seconds": round(sandbox_cpu, 2)}
    print(json.dumps({"scale": args.scale, **figures, **totals}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
