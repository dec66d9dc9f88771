"""Where the sandbox's time goes when it serves Bynder media pages (issue 15).

Run (from the project root)::

    .venv/bin/python -m bench.experiments.sandbox_profile --scale 0.25 --pages 60

In this process, without HTTP, it does what ``GET /api/v4/media/`` does for a fresh
loader (``orderBy=dateModified asc`` from the loaders' first cursor, 1,000 rows a page):
builds the world, builds the listing, then for ``--pages`` pages takes the page's
items, renders each record and encodes the page with orjson, under cProfile. It
prints the seconds of each phase, microseconds per record, and the functions with the
most cumulative and own time. What the server adds around it (Starlette, uvicorn,
the socket) is not in this profile. Nothing the sandbox returns is changed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time

import orjson

from sandbox.settings import SandboxSettings
from sandbox.world import World


def main(argv: list[str] | None = None) -> int:
    """Profile the media pages; print phases and the top functions."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--pages", type=int, default=60, help="pages of 1,000 rows profiled")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)

    began = time.perf_counter()
    world = World(SandboxSettings(scale=args.scale, history_days=1, seed=args.seed))
    media = world.entity("media")
    built = time.perf_counter()
    now = world.now_ms()
    profile = cProfile.Profile()
    profile.enable()
    listing = media.updated_order(0, None, now)  # the loaders' first cursor is 2000-01-01
    listed = time.perf_counter()
    rows = size = 0
    render_seconds = encode_seconds = 0.0
    for page in range(args.pages):
        items = listing.page(page * 1000, 1000)
        if not items:
            break
        start = time.perf_counter()
        records = [media.render(item) for item in items]
        rendered = time.perf_counter()
        size += len(orjson.dumps(records))
        encode_seconds += time.perf_counter() - rendered
        render_seconds += rendered - start
        rows += len(records)
    done = time.perf_counter()
    profile.disable()
    print(
        f"scale {args.scale}: world {built - began:.1f}s, listing {listed - built:.1f}s "
        f"({listing.total():,} records), {rows:,} rows in {done - listed:.1f}s: "
        f"{1e6 * (done - listed) / max(rows, 1):.0f} us/row (page items, render "
        f"{1e6 * render_seconds / max(rows, 1):.0f} us/row, orjson "
        f"{1e6 * encode_seconds / max(rows, 1):.1f} us/row, {size / max(rows, 1):,.0f} B/row)"
    )
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
