"""Render the steward report: one HTML file, no network requests (everything inline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from quality import charts
from quality.data import ReportData

TEMPLATES = Path(__file__).parent / "templates"


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else str(value or "")


def render(data: ReportData) -> str:
    """The report's HTML."""
    writer = charts.ChartWriter()
    chart_html: dict[str, str] = {}
    if data.tests_over_time:
        chart_html["tests_over_time"] = writer.html(
            charts.tests_over_time(data.tests_over_time), "chart-tests-over-time"
        )
    anomaly_charts = []
    for index, ((model, metric), rows) in enumerate(sorted(data.anomaly_series.items())):
        anomaly_charts.append(
            {
                "model": model,
                "metric": metric,
                "html": writer.html(charts.anomaly(model, metric, rows), f"chart-anomaly-{index}"),
            }
        )
    if data.quarantine:
        chart_html["quarantine"] = writer.html(
            charts.quarantine(data.quarantine), "chart-quarantine"
        )
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    environment.filters["number"] = _number
    environment.filters["when"] = _when
    template = environment.get_template("report.html.j2")
    return template.render(data=data, charts=chart_html, anomaly_charts=anomaly_charts)


def write_report(data: ReportData, path: Path) -> Path:
    """Write the report to ``path`` (folders created); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data), encoding="utf-8")
    return path
