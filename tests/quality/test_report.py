"""The steward report, rendered from the warehouse with the seeded outage, loads in
headless Chromium with no console error and no network request, and shows the
failing anomaly test and the anomaly the outage caused; the alert summary is a
Slack webhook body, and --fail-on-alert makes a scheduler see the failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Warehouse
from tests.quality.conftest import OUTAGE_DAY


@pytest.fixture(scope="module")
def rendered(
    quality_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("report")
    report, alerts = out / "quality_report.html", out / "alerts.json"
    command = [sys.executable, "-m", "quality", "report", "--out", str(report)]
    command += ["--alerts", str(alerts), "--fail-on-alert"]
    result = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "DUCKDB_PATH": str(quality_warehouse.duckdb_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return {"result": result, "report": report, "alerts": alerts}


def test_fail_on_alert_exits_non_zero(rendered: dict[str, Any]) -> None:
    result = rendered["result"]
    assert result.returncode == 1, result.stdout + result.stderr
    assert rendered["report"].stat().st_size > 1_000_000  # plotly.js is inline


def test_alert_summary_is_a_slack_webhook_body(rendered: dict[str, Any]) -> None:
    payload = json.loads(rendered["alerts"].read_text())
    assert isinstance(payload["text"], str) and payload["text"]
    assert payload["blocks"][0]["type"] == "header"
    assert all(block["type"] in ("header", "section", "context") for block in payload["blocks"])
    text = json.dumps(payload)
    assert f"ANOMALY: stg_webphone__calls row_count on {OUTAGE_DAY}" in text


def test_report_renders_offline_and_shows_the_seeded_fault(
    rendered: dict[str, Any], browser: Any
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(Path(rendered["report"]).as_uri())
    page.wait_for_selector(".js-plotly-plot")
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    failing = page.locator("#failing").inner_text()
    assert "volume_anomalies_stg_webphone__calls_started_at" in failing
    anomalies = page.locator("#anomalies").inner_text()
    assert "stg_webphone__calls" in anomalies and "row_count" in anomalies
    assert OUTAGE_DAY in anomalies
    assert page.locator("#anomalies .js-plotly-plot").count() >= 1
    assert page.locator("#health").inner_text().strip().lower() in ("attention", "critical")
    for section in ("#freshness", "#reconciliation", "#quarantine", "#history"):
        assert page.locator(section).is_visible()
    assert "quarantine" in page.locator("#quarantine").inner_text().lower()
    page.close()
