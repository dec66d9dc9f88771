"""``sandbox``: run the simulated WebPhone, Bynder and Workfront APIs and steer them.

Commands:
    serve      run the three APIs on loopback until stopped (writes a state file)
    advance    move the simulated clock forward (e.g. a 5-minute micro-batch)
    clock      print the simulated clock
    manifest   write the ground truth of injected defects (JSON lines)
    stats      print request, fault and rate-limit counters of each API
    faults     show or change the fault injection of the running APIs
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox.settings import DEFAULT_START, DRIFT_KINDS, FAULT_KINDS, Faults, SandboxSettings

DEFAULT_STATE = Path(".sandbox/state.json")


def _settings(args: argparse.Namespace) -> SandboxSettings:
    drift = tuple(d for d in (args.drift or "").split(",") if d)
    kinds = tuple(k for k in args.fault_kinds.split(",") if k)
    return SandboxSettings(
        seed=args.seed,
        scale=args.scale,
        history_days=args.history_days,
        start=args.start,
        defect_rate=args.defect_rate,
        drift=drift,
        drift_at=args.drift_at,
        outage=args.outage,
        token_ttl=args.token_ttl,
        strict=args.strict,
        faults=Faults(
            rate=args.fault_rate,
            kinds=kinds,
            slow_rate=args.slow_rate,
            slow_seconds=args.slow_seconds,
            timeout_seconds=args.timeout_seconds,
            rate_limits=not args.no_rate_limits,
        ),
    )


def _state(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise SystemExit(f"no sandbox state file at {path}: is `sandbox serve` running?")
    return dict(json.loads(path.read_text()))


def _call(url: str, method: str = "GET", body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``sandbox`` command."""
    parser = argparse.ArgumentParser(
        prog="sandbox", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the APIs until stopped")
    serve.add_argument("--seed", type=int, default=42)
    serve.add_argument(
        "--scale",
        type=float,
        default=0.001,
        help="fraction of full daily volume (1.0 = 850k calls, 1.2M asset "
        "entries, 350k Workfront records a day)",
    )
    serve.add_argument("--history-days", type=int, default=7)
    serve.add_argument("--start", default=DEFAULT_START, help="simulated now (ISO 8601, UTC)")
    serve.add_argument("--defect-rate", type=float, default=1e-4)
    serve.add_argument("--drift", default="", help=f"comma list of {', '.join(DRIFT_KINDS)}")
    serve.add_argument("--drift-at", default=None, help="instant drift starts (default: start)")
    serve.add_argument(
        "--outage",
        default=None,
        help="START/END (ISO 8601): no call is created in that window (a seeded volume fault)",
    )
    serve.add_argument("--token-ttl", type=int, default=3600, help="access token lifetime (s)")
    serve.add_argument(
        "--fault-rate",
        type=float,
        default=0.0,
        help="share of data requests answered with an injected fault",
    )
    serve.add_argument(
        "--fault-kinds",
        default="429,500,503,reset,timeout",
        help=f"comma list of {', '.join(FAULT_KINDS)}",
    )
    serve.add_argument("--slow-rate", type=float, default=0.0)
    serve.add_argument("--slow-seconds", type=float, default=1.5)
    serve.add_argument(
        "--timeout-seconds",
        type=float,
        default=30.0,
        help="how long an injected timeout hangs before answering 504",
    )
    serve.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="turn off the APIs' documented rate limits (benchmarks)",
    )
    serve.add_argument(
        "--strict",
        action="store_true",
        help="answer only as the vendors' documentation promises (no bulk Bynder usage, "
        "no total=1 outside media, no removed-media path, documented ASSGN fields only, "
        "both Workfront count shapes, custom statuses)",
    )
    serve.add_argument("--host", default="127.0.0.1")
    for system in ("webphone", "bynder", "workfront"):
        serve.add_argument(f"--{system}-port", type=int, default=0)
    serve.add_argument("--state-file", type=Path, default=DEFAULT_STATE)

    for name, help_text in (
        ("advance", "move the simulated clock forward"),
        ("clock", "print the simulated clock"),
        ("manifest", "write the injected-defect ground truth"),
        ("stats", "print API counters"),
        ("faults", "show or change the fault injection of the running APIs"),
    ):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--state-file", type=Path, default=DEFAULT_STATE)
        if name == "advance":
            command.add_argument("--minutes", type=float, default=5.0)
        if name == "manifest":
            command.add_argument("--out", type=Path, required=True)
        if name == "faults":
            command.add_argument("--rate", type=float, help="share of data requests faulted")
            command.add_argument("--kinds", help=f"comma list of {', '.join(FAULT_KINDS)}")
            command.add_argument("--slow-rate", type=float)
            command.add_argument(
                "--paths",
                help="comma list of endpoint path prefixes the faults apply to "
                "(e.g. /attask/api/v19.0/hour/search); empty: every data endpoint",
            )
            command.add_argument("--system", choices=["webphone", "bynder", "workfront"])

    args = parser.parse_args(argv)
    if args.command == "serve":
        from sandbox.server.runner import serve as run

        run(
            _settings(args),
            host=args.host,
            ports={s: getattr(args, f"{s}_port") for s in ("webphone", "bynder", "workfront")},
            state_file=args.state_file,
        )
        return 0

    state = _state(args.state_file)
    urls = {k: v for k, v in state.items() if k not in ("pid", "environment")}
    if args.command == "advance":
        result = _call(
            next(iter(urls.values())) + "/_sandbox/clock",
            "POST",
            {"advance_seconds": args.minutes * 60},
        )
        print(_iso(result["now_ms"]))
    elif args.command == "clock":
        print(_iso(_call(next(iter(urls.values())) + "/_sandbox/clock")["now_ms"]))
    elif args.command == "manifest":
        rows = [row for url in urls.values() for row in _call(url + "/_sandbox/manifest")]
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("".join(json.dumps(row) + "\n" for row in rows))
        print(f"{len(rows)} injected defects written to {args.out}")
    elif args.command == "faults":
        changes: dict[str, Any] = {}
        if args.rate is not None:
            changes["rate"] = args.rate
        if args.kinds is not None:
            changes["kinds"] = [k for k in args.kinds.split(",") if k]
        if args.slow_rate is not None:
            changes["slow_rate"] = args.slow_rate
        if args.paths is not None:
            changes["paths"] = [p for p in args.paths.split(",") if p]
        targets = {s: u for s, u in urls.items() if args.system in (None, s)}
        method, body = ("POST", changes) if changes else ("GET", None)
        shown = {s: _call(u + "/_sandbox/faults", method, body) for s, u in targets.items()}
        print(json.dumps(shown, indent=2))
    elif args.command == "stats":
        print(json.dumps({s: _call(u + "/_sandbox/stats") for s, u in urls.items()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
