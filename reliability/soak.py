"""``make soak``: many micro-batches against faulty APIs, then count what was lost.

Starts the sandbox APIs with a share of faulty answers (transport faults and bad
pages), loads every source, then repeats {advance the clock, load every source,
optionally ``dbt build``} and, optionally, kills some loads mid-run (each killed load
is rerun at once). At the end, raw is reconciled record by record against the
sandbox's ground truth (a local ``World`` with the same settings at the final clock)
and the figures are printed:

    loads run, faults injected, retries, records reconciled, records lost (must be
    0), records duplicated (must be 0)

The exit status is 1 when any record is lost, duplicated, stale or unexpected.
Everything lands in ``--workdir`` (default ``data/soak``), emptied first.

Examples:
    python -m reliability.soak                           # scale 0.005, 24 x 30 min, 15 %
    python -m reliability.soak --advances 96 --fault-rate 0.3 --kill-rate 0.1 --dbt-every 24

"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from reliability.reconcile import reconcile, summary
from sandbox.handle import SandboxHandle, source_environment, start_sandbox
from sandbox.settings import FAULT_KINDS, PAYLOAD_FAULTS, TRANSPORT_FAULTS, Faults, SandboxSettings

ROOT = Path(__file__).resolve().parents[1]
SYSTEMS = ("webphone", "bynder", "workfront")
#: the fault kinds drawn by default: those a loader answers with a retry or a check.
#: The API's refusals (HTTP 400, 404) are left out, as the sandbox leaves them out: a
#: loader skips a refused resource for that run, so a refusal in the last round would
#: count its new records as lost although the next run takes them in.
DEFAULT_KINDS = TRANSPORT_FAULTS + PAYLOAD_FAULTS
#: fault kinds the loaders answer with a retry (shuffled rows and latency need none)
RETRIED_KINDS = tuple(k for k in DEFAULT_KINDS if k != "out_of_order")


@dataclass
class Tally:
    """What the soak did."""

    runs: int = 0
    failed_runs: int = 0
    killed_runs: int = 0
    dbt_builds: int = 0
    bad_page_warnings: int = 0
    loader_log: list[str] = field(default_factory=list)


def _settings(args: argparse.Namespace) -> SandboxSettings:
    return SandboxSettings(
        seed=args.seed,
        scale=args.scale,
        history_days=args.history_days,
        defect_rate=args.defect_rate,
        faults=Faults(
            rate=args.fault_rate,
            kinds=tuple(args.fault_kinds.split(",")),
            timeout_seconds=args.timeout_seconds,
            rate_limits=not args.no_rate_limits,
        ),
    )


def _start_sandbox(settings: SandboxSettings, workdir: Path) -> SandboxHandle:
    faults = settings.faults
    return start_sandbox(
        workdir / "sandbox",
        *("--seed", str(settings.seed), "--scale", str(settings.scale)),
        *("--history-days", str(settings.history_days)),
        *("--defect-rate", str(settings.defect_rate)),
        *("--fault-rate", str(faults.rate), "--fault-kinds", ",".join(faults.kinds)),
        *("--timeout-seconds", str(faults.timeout_seconds)),
        *(() if faults.rate_limits else ("--no-rate-limits",)),
    )


def _loader_env(urls: dict[str, str], workdir: Path, args: argparse.Namespace) -> dict[str, str]:
    return {
        "DUCKDB_PATH": str(workdir / "warehouse.duckdb"),
        "DLT_PIPELINES_DIR": str(workdir / "dlt"),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
        "RUNTIME__DLTHUB_TELEMETRY": "false",
        "RUNTIME__LOG_LEVEL": "WARNING",
        # the client gives up on a hung request before the sandbox's timeout answers
        "RUNTIME__REQUEST_TIMEOUT": str(max(1.0, args.timeout_seconds / 2)),
        "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.2",
        "RUNTIME__REQUEST_MAX_RETRY_DELAY": "4",
        "RUNTIME__REQUEST_MAX_ATTEMPTS": str(args.max_attempts),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **source_environment(urls),
    }


def _load(env: dict[str, str], tally: Tally, kill_after: float | None) -> None:
    """One ``loaders run`` of every source (killed after ``kill_after`` s, then rerun)."""
    command = [sys.executable, "-m", "loaders", "run", "--progress", "none"]
    full_env = {**os.environ, **env}
    while True:
        tally.runs += 1
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            output, _ = process.communicate(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            tally.killed_runs += 1
            kill_after = None  # the rerun goes to the end
            continue
        tally.bad_page_warnings += output.count("bad page, retrying")
        errors = [line for line in output.splitlines() if line.startswith("error:")]
        tally.loader_log.extend(errors)
        if process.returncode != 0:
            tally.failed_runs += 1  # the next round resumes from the committed cursors
        return


def _dbt_build(env: dict[str, str], tally: Tally) -> None:
    dbt = str(Path(sys.executable).with_name("dbt"))
    result = subprocess.run(
        [dbt, "build"], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    tally.dbt_builds += 1
    if result.returncode != 0:
        tally.loader_log.append(f"dbt build exited {result.returncode} (see {env['DBT_LOG_PATH']})")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The soak's options."""
    parser = argparse.ArgumentParser(
        prog="python -m reliability.soak",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scale", type=float, default=0.005)
    parser.add_argument("--history-days", type=int, default=2)
    parser.add_argument("--advances", type=int, default=24, help="clock advances (micro-batches)")
    parser.add_argument("--minutes", type=float, default=30.0, help="minutes per advance")
    parser.add_argument("--fault-rate", type=float, default=0.15)
    parser.add_argument(
        "--fault-kinds",
        default=",".join(DEFAULT_KINDS),
        help=f"comma list of {FAULT_KINDS} (default: all but the refusals 400 and 404)",
    )
    parser.add_argument("--timeout-seconds", type=float, default=4.0)
    parser.add_argument("--defect-rate", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--max-attempts", type=int, default=10, help="HTTP attempts per request")
    parser.add_argument(
        "--kill-rate", type=float, default=0.0, help="share of loads killed mid-run (then rerun)"
    )
    parser.add_argument("--dbt-every", type=int, default=0, help="dbt build every N advances")
    parser.add_argument("--no-rate-limits", action="store_true")
    parser.add_argument("--workdir", type=Path, default=ROOT / "data" / "soak")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the soak; 0 when nothing was lost or duplicated."""
    args = parse_args(argv)
    settings = _settings(args)
    workdir: Path = args.workdir
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    began = time.monotonic()
    rng = random.Random(args.seed)
    tally = Tally()
    sandbox = _start_sandbox(settings, workdir)
    try:
        env = _loader_env(sandbox.urls, workdir, args)
        for advance in range(args.advances + 1):
            if advance:
                sandbox.advance(args.minutes)
            kill_after = rng.uniform(1.0, 8.0) if rng.random() < args.kill_rate else None
            _load(env, tally, kill_after)
            if args.dbt_every and advance and advance % args.dbt_every == 0:
                _dbt_build(env, tally)
            print(
                f"advance {advance}/{args.advances}: {tally.runs} loader runs "
                f"({tally.failed_runs} failed, {tally.killed_runs} killed)",
                flush=True,
            )
        now_ms = sandbox.now_ms()
        stats = {system: sandbox.stats(system) for system in SYSTEMS}
    finally:
        sandbox.stop()
    result = reconcile(workdir / "warehouse.duckdb", settings, now_ms)
    faults: dict[str, int] = {}
    for system_stats in stats.values():
        for kind, count in system_stats["faults"].items():
            faults[kind] = faults.get(kind, 0) + int(count)
    injected = sum(n for kind, n in faults.items() if kind != "slow")
    rate_limited = sum(int(s["rate_limited"]) for s in stats.values())
    renewed = sum(int(s["unauthorized"]) for s in stats.values())
    retried = sum(faults.get(kind, 0) for kind in RETRIED_KINDS)
    lost, duplicated = result.total("lost"), result.total("duplicated")
    stale, unexpected = result.total("stale"), result.total("unexpected")
    minutes, seconds = divmod(int(time.monotonic() - began), 60)
    print(
        "\n".join(
            [
                f"soak: scale {args.scale}, {args.advances} advances of {args.minutes:g} min, "
                f"fault rate {args.fault_rate:g}, seed {args.seed}, {minutes}m{seconds:02d}s",
                f"loads run: {tally.runs} loader runs x {len(SYSTEMS)} sources "
                f"({tally.failed_runs} failed and resumed, {tally.killed_runs} killed and rerun)"
                + (f", {tally.dbt_builds} dbt builds" if tally.dbt_builds else ""),
                f"data requests: {sum(int(s['data_requests']) for s in stats.values())}",
                f"faults injected: {injected} "
                + json.dumps(dict(sorted((k, v) for k, v in faults.items() if k != "slow"))),
                f"retries: {retried + rate_limited + renewed} ({retried} after injected faults, "
                f"{rate_limited} after rate limits, {renewed} token renewals; "
                f"{tally.bad_page_warnings} bad pages logged by the loaders)",
                f"records reconciled: {result.total('reconciled')} of {result.total('expected')}",
                f"records lost: {lost}",
                f"records duplicated: {duplicated}",
                f"records stale: {stale}, unexpected: {unexpected}",
            ]
        )
    )
    for line in tally.loader_log[:20]:
        print(f"  {line}")
    if not result.ok:
        print(summary(result), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
