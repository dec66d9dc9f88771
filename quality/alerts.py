"""The alert summary: a JSON body a Slack incoming webhook accepts (text + blocks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from quality.data import ReportData

MAX_LINES = 10


def alert_lines(data: ReportData) -> list[str]:
    """One line per thing that needs a person: failing tests, anomalies, mismatches."""
    lines = [
        f"{t.status.upper()}: `{t.name}` on {t.tested_name} ({t.failures} failing rows)"
        for t in data.failing_tests
        if t.status in ("fail", "error")
    ]
    lines += [
        f"ANOMALY: {a['model_name']} {a['metric_name']} on {a['bucket_start']:%Y-%m-%d}"
        f" = {a['metric_value']:g} (expected {a['min_expected_value']:.0f}"
        f" to {a['max_expected_value']:.0f})"
        for a in data.anomalies
    ]
    lines += [
        "UNRECONCILED: "
        + (f"{r['source_system']}.{r['source_table']}" if "source_table" in r else r["measure"])
        for r in data.unreconciled
    ]
    lines += [
        f"SCHEMA CHANGE: {c['table_schema']}.{c['table_name']}.{c['column_name']}"
        f" {c['change_type']}"
        for c in data.schema_changes
    ]
    lines += [
        f"STALE: {s['source_system']}.{s['source_table']} ({s['freshness_status']})"
        for s in data.stale_sources
        if s.get("freshness_status") == "error"
    ]
    return lines


def slack_payload(data: ReportData, report_path: str | None = None) -> dict[str, Any]:
    """The webhook body: a plain ``text`` fallback and Block Kit ``blocks``."""
    lines = alert_lines(data)
    counts = data.status_counts
    summary = (
        f"Data quality: *{data.health}*. Tests: {counts.get('pass', 0)} passed,"
        f" {counts.get('warn', 0)} warned, {counts.get('fail', 0)} failed,"
        f" {counts.get('error', 0)} errored; {len(data.anomalies)} anomalies;"
        f" {data.quarantined_records} quarantined rule breaks."
    )
    shown = lines[:MAX_LINES]
    if len(lines) > MAX_LINES:
        shown.append(f"... and {len(lines) - MAX_LINES} more")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Data quality alert"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": summary}},
    ]
    if shown:
        bullet_list = "\n".join(f"• {line}" for line in shown)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": bullet_list}})
    if report_path:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"Report: {report_path}"}],
            }
        )
    return {"text": summary, "blocks": blocks}


def write_alerts(data: ReportData, path: Path, report_path: str | None = None) -> bool:
    """Write the payload when there is anything to alert on; return whether there was."""
    if not alert_lines(data):
        if path.exists():
            path.unlink()  # no stale alert from an earlier run
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(slack_payload(data, report_path), indent=2, default=str) + "\n")
    return True
