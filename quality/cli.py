"""``python -m quality``: render the steward report and the alert summary.

Usage:
    python -m quality report --out reports/quality_report.html
    python -m quality report --alerts reports/alerts.json --fail-on-alert  # schedulers

Exit codes: 0 ok, 1 alerts found with --fail-on-alert, 2 the warehouse is unreachable.

"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quality.alerts import alert_lines, write_alerts
from quality.data import collect
from quality.report import write_report
from quality.warehouse import connect


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m quality",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="render the HTML report (and the alert summary)")
    report.add_argument("--out", type=Path, default=Path("reports/quality_report.html"))
    report.add_argument("--alerts", type=Path, help="write a Slack webhook JSON body here")
    report.add_argument(
        "--fail-on-alert",
        action="store_true",
        help="exit 1 when there are failures, anomalies or mismatches",
    )
    report.add_argument("--target", default="duckdb", choices=["duckdb", "snowflake"])
    report.add_argument("--duckdb-path", type=Path, help="default: $DUCKDB_PATH or data/")
    args = parser.parse_args(argv)

    try:
        warehouse = connect(args.target, args.duckdb_path)
    except (FileNotFoundError, KeyError, OSError) as exc:
        print(f"error: cannot open the warehouse: {exc}", file=sys.stderr)
        return 2
    try:
        data = collect(warehouse)
    finally:
        warehouse.close()
    path = write_report(data, args.out)
    lines = alert_lines(data)
    print(f"quality report ({data.health}): {path}")
    if args.alerts is not None and write_alerts(data, args.alerts, str(path)):
        print(f"alert summary ({len(lines)} alerts): {args.alerts}")
    if data.missing:
        print(f"not built yet: {', '.join(sorted(set(data.missing)))}", file=sys.stderr)
    return 1 if args.fail_on_alert and lines else 0
