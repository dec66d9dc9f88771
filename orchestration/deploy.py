"""Blue-green deploy of the marts: build and test a shadow copy, then swap it in.

``python -m orchestration.deploy`` (``make deploy``; the last step of ``elt_daily``):

1. ``dbt run-operation prepare_marts_shadow``: the shadow schema starts as a copy of
   the served marts (Snowflake: a zero-copy clone), so incremental facts build only
   their delta;
2. ``dbt build --select path:models/marts --vars '{shadow_marts: true}'``: every mart
   and every test that reads one, built and run against the shadow schema;
3. only when that build has no error (every error-severity test passed):
   ``dbt run-operation swap_marts``, one atomic step (macros/deploy/blue_green.sql);
   the marts served until then are kept in ``marts_previous``.

``python -m orchestration.deploy --rollback`` (``make rollback``): the served marts and
``marts_previous`` trade places in one atomic step (``dbt run-operation
rollback_marts``), so the build before the last swap is served again; a second
rollback rolls forward. Refused, exit 1 and the marts unchanged, when no deploy has
swapped yet.

A failed build leaves the served marts untouched, names the failing nodes and exits
with status 1. Readers never see a half-built mart: until the swap they read the
previous marts, after it the new ones. The layers upstream of the marts are built in
place beforehand (``elt_daily``, or ``dbt build --exclude path:models/marts+``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: the vars of every invocation: the same vars keep dbt's partial parsing valid
SHADOW_VARS = "{shadow_marts: true}"
#: what the deploy builds into the shadow schema: the marts and, eagerly, every test
#: that reads one
SELECTION = ("--select", "path:models/marts")


@dataclass
class DeployResult:
    """The outcome of a deploy."""

    swapped: bool
    seconds: float
    failures: list[str] = field(default_factory=list)
    #: ``deploy`` or ``rollback``
    action: str = "deploy"


#: dbt's events that carry the error of a failed ``run-operation``
OPERATION_ERROR_EVENTS = frozenset({"RunningOperationCaughtError", "RunningOperationUncaughtError"})


@dataclass
class _Invocation:
    """A dbt invocation's result and the errors its operations raised."""

    result: Any
    errors: list[str]

    @property
    def success(self) -> bool:
        return bool(self.result.success)


def _invoke(args: list[str]) -> _Invocation:
    """Run dbt in this process (dbt's programmatic entry point); return its result."""
    from dbt.cli.main import dbtRunner

    errors: list[str] = []

    def collect(event: Any) -> None:
        if event.info.name in OPERATION_ERROR_EVENTS:
            errors.append(str(event.data.exc))

    return _Invocation(dbtRunner(callbacks=[collect]).invoke(args), errors)


def _operation_error(invocation: _Invocation) -> str:
    """Why a ``dbt run-operation`` failed: the macro's message, without dbt's trace."""
    for error in invocation.errors:
        lines = [line.strip() for line in error.splitlines()]
        message = [line for line in lines[1:] or lines if line and not line.startswith(">")]
        if message:
            return " ".join(message)
    return str(invocation.result.exception or "dbt run-operation failed (see dbt's log)")


def _failures(result: Any) -> list[str]:
    """``node: status (message)`` of every error or failure of a dbt build result."""
    failures: list[str] = []
    for node_result in getattr(result.result, "results", None) or []:
        status = str(node_result.status)
        if status in {"error", "fail", "runtime error"}:
            message = (node_result.message or "").splitlines()[0:1]
            failures.append(f"{node_result.node.unique_id}: {status} ({''.join(message)})")
    return failures


def deploy(extra_args: Sequence[str] = ()) -> DeployResult:
    """Build the marts into the shadow schema and swap them in if nothing failed.

    ``extra_args`` go to the build (e.g. ``--target``, ``--threads``).
    """
    began = time.perf_counter()
    common = ["--vars", SHADOW_VARS]
    prepared = _invoke(["run-operation", "prepare_marts_shadow", *common])
    if not prepared.success:
        raise RuntimeError(f"could not prepare the shadow marts: {_operation_error(prepared)}")
    built = _invoke(["build", *SELECTION, *common, *extra_args])
    failures = _failures(built.result)
    if not built.success:
        if not failures:
            failures = [f"dbt build did not complete: {built.result.exception}"]
        return DeployResult(False, time.perf_counter() - began, failures)
    swapped = _invoke(["run-operation", "swap_marts", *common])
    if not swapped.success:
        return DeployResult(
            False, time.perf_counter() - began, [f"swap failed: {_operation_error(swapped)}"]
        )
    return DeployResult(True, time.perf_counter() - began)


def rollback(extra_args: Sequence[str] = ()) -> DeployResult:
    """Serve the marts of before the last swap again (``marts_previous``), atomically.

    ``swapped`` is False, with the reason, when there is nothing to roll back to.
    ``extra_args`` go to dbt (e.g. ``--target``).
    """
    began = time.perf_counter()
    done = _invoke(["run-operation", "rollback_marts", "--vars", SHADOW_VARS, *extra_args])
    if not done.success:
        return DeployResult(
            False, time.perf_counter() - began, [_operation_error(done)], action="rollback"
        )
    return DeployResult(True, time.perf_counter() - began, action="rollback")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m orchestration.deploy``."""
    parser = argparse.ArgumentParser(prog="python -m orchestration.deploy", description=__doc__)
    parser.add_argument(
        "--report", type=Path, help="write the outcome as JSON to this file as well"
    )
    parser.add_argument(
        "--rollback",
        action="store_true",
        help="serve the marts of before the last swap again (no build)",
    )
    args, dbt_args = parser.parse_known_args(argv)
    result = rollback(dbt_args) if args.rollback else deploy(dbt_args)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(result.__dict__, indent=2) + "\n")
    if result.action == "rollback":
        if result.swapped:
            print(f"rollback: the previous marts are served again ({result.seconds:.1f}s)")
            return 0
        print(f"rollback: NOT done; {result.failures[0]}", file=sys.stderr)
        return 1
    if result.swapped:
        print(f"deploy: the new marts are served ({result.seconds:.1f}s)")
        return 0
    print(
        "deploy: NOT swapped; the previous marts are still served. Failing nodes:\n  "
        + "\n  ".join(result.failures),
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
