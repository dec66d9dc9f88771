"""``loaders``: load the source systems into the raw schemas.

Examples:
    loaders run                                  # all sources, incremental, DuckDB
    loaders run --source webphone --destination snowflake
    loaders run --source bynder --start 2026-10-01T00:00:00Z --end 2026-10-08T00:00:00Z
    loaders run --full-refresh
    loaders run --sandbox-state .sandbox/state.json   # point at the local sandbox APIs

Sources load in parallel, one process each (``--sequential``: one after another).

Exit codes: 0 ok, 1 other failure, 2 credentials refused, 3 API unreachable,
4 retries exhausted (the next run resumes from the last committed cursor).

"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import sys
from pathlib import Path

from loaders.pipeline import DESTINATIONS, SOURCES, LoadError, run_source

#: prctl option: the signal a process gets when its parent dies (linux/prctl.h)
PR_SET_PDEATHSIG = 1


def use_sandbox(state_file: Path) -> None:
    """Point the loaders at the local sandbox APIs (URLs and their fake credentials).

    Values already set in the environment win, so a test can still override them. The
    state file carries the settings (``environment``): the loaders never import the
    sandbox, a development tool.
    """
    if not state_file.exists():
        raise SystemExit(f"no sandbox state file at {state_file}: start `sandbox serve` first")
    values = json.loads(state_file.read_text()).get("environment")
    if not isinstance(values, dict):
        raise SystemExit(f"{state_file} holds no loader settings: restart `sandbox serve`")
    for key, value in values.items():
        os.environ.setdefault(key, value)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``loaders`` command."""
    parser = argparse.ArgumentParser(
        prog="loaders", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="load one source or all of them")
    run.add_argument("--source", default="all", choices=["all", *SOURCES])
    run.add_argument("--destination", default="duckdb", choices=DESTINATIONS)
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="drop the raw tables and cursors of the source(s), then reload",
    )
    run.add_argument("--start", help="backfill from this instant (ISO 8601, UTC)")
    run.add_argument("--end", help="backfill up to this instant (exclusive); stateless")
    run.add_argument("--progress", default="log", choices=["log", "tqdm", "none"])
    run.add_argument(
        "--changes-only",
        action="store_true",
        help="leave out the tables read whole on every run (Workfront assignments, which "
        "have no change date) until a run without this option: for the 5-minute batch",
    )
    run.add_argument(
        "--sandbox-state", type=Path, help="read the sandbox APIs' URLs from this state file"
    )
    run.add_argument(
        "--sequential",
        action="store_true",
        help="load the sources one after another (default: in parallel, one process each)",
    )
    args = parser.parse_args(argv)

    if args.end and not args.start:
        parser.error("--end needs --start")
    if args.sandbox_state:
        use_sandbox(args.sandbox_state)
    systems = list(SOURCES) if args.source == "all" else [args.source]
    if len(systems) == 1 or args.sequential:
        status = 0
        for system in systems:
            code = load_one(system, args)
            status = status or code
        return status
    return load_in_parallel(systems, args)


def load_one(system: str, args: argparse.Namespace) -> int:
    """Load ``system``, print its one-line summary (or error); return the exit code."""
    try:
        result = run_source(
            system,
            args.destination,
            full_refresh=args.full_refresh,
            start=args.start,
            end=args.end,
            progress=None if args.progress == "none" else args.progress,
            changes_only=args.changes_only,
        )
    except LoadError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return exc.exit_code
    for name, reason in result.skipped.items():
        print(
            f"warning: {system}: {name} skipped, the API does not offer it ({reason}); "
            "the other resources loaded",
            file=sys.stderr,
            flush=True,
        )
    tables = ", ".join(f"{t}={n}" for t, n in sorted(result.rows.items()) if n)
    summary = tables or "no changes"
    print(f"{system}: {result.total_rows} rows in {result.seconds:.1f}s ({summary})", flush=True)
    if result.unmapped_columns:
        print(
            f"warning: {system}: schema drift: {len(result.unmapped_columns)} new raw "
            "columns the field-mapping dictionary does not map (loaded, not lost): "
            + ", ".join(result.unmapped_columns),
            file=sys.stderr,
            flush=True,
        )
    return 0


def _load_in_child(system: str, args: argparse.Namespace) -> int:
    """Fork a process that loads ``system`` and exits with its code; return its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        if sys.platform.startswith("linux"):
            # die with the parent: a killed `loaders run` leaves no load running behind
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        code = load_one(system, args)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def load_in_parallel(systems: list[str], args: argparse.Namespace) -> int:
    """Load ``systems`` in one forked process each; return the first failure's code.

    Extraction and normalization overlap across sources (one source's API round trips
    fill the others' idle time); the steps that open the warehouse take turns
    (:func:`loaders.pipeline.destination_lock`).
    """
    codes: dict[int, int] = {}
    for pid in [_load_in_child(system, args) for system in systems]:
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        codes[pid] = code if code >= 0 else 1  # killed by a signal
    return next((code for code in codes.values() if code), 0)


if __name__ == "__main__":
    sys.exit(main())
