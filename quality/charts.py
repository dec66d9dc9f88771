"""Charts of the report, drawn with plotly; plotly.js is embedded inline exactly once."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

STATUS_COLORS = {"pass": "#2e7d32", "warn": "#f9a825", "fail": "#c62828", "error": "#6a1b9a"}


class ChartWriter:
    """Turns figures into HTML fragments; the first one carries plotly.js itself."""

    def __init__(self) -> None:
        """No chart written yet."""
        self._first = True

    def html(self, figure: go.Figure, div_id: str) -> str:
        """The figure as a ``<div>`` (no network access: the library is inline)."""
        include = self._first
        self._first = False
        figure.update_layout(
            margin={"l": 50, "r": 20, "t": 40, "b": 40},
            height=320,
            template="plotly_white",
            font={"family": "system-ui, sans-serif", "size": 12},
        )
        return str(
            figure.to_html(
                full_html=False,
                include_plotlyjs=include,
                include_mathjax=False,
                div_id=div_id,
                config={"displaylogo": False, "responsive": True},
            )
        )


def tests_over_time(rows: list[dict[str, Any]]) -> go.Figure:
    """Stacked bars: test results by status per dbt invocation."""
    figure = go.Figure()
    labels = [f"{r['run_started_at']:%Y-%m-%d %H:%M} {r['command']}" for r in rows]
    for status in ("pass", "warn", "fail", "error"):
        figure.add_bar(
            name=status,
            x=labels,
            y=[r[status] for r in rows],
            marker_color=STATUS_COLORS[status],
        )
    figure.update_layout(
        barmode="stack", title="Test results per dbt invocation", xaxis_type="category"
    )
    return figure


def anomaly(model: str, metric: str, rows: list[dict[str, Any]]) -> go.Figure:
    """The metric over time, its expected range, and the anomalous buckets."""
    x = [r["bucket_start"] for r in rows]
    figure = go.Figure()
    figure.add_scatter(
        x=x,
        y=[r["max_expected_value"] for r in rows],
        mode="lines",
        line={"width": 0},
        name="expected (upper)",
        showlegend=False,
        hoverinfo="skip",
    )
    figure.add_scatter(
        x=x,
        y=[r["min_expected_value"] for r in rows],
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor="rgba(46,125,50,0.15)",
        name="expected range",
    )
    figure.add_scatter(x=x, y=[r["metric_value"] for r in rows], mode="lines+markers", name=metric)
    flagged = [r for r in rows if r["is_anomalous"]]
    figure.add_scatter(
        x=[r["bucket_start"] for r in flagged],
        y=[r["metric_value"] for r in flagged],
        mode="markers",
        marker={"color": STATUS_COLORS["fail"], "size": 12, "symbol": "x"},
        name="anomaly",
    )
    unit = " (seconds without an update)" if metric == "freshness" else " (rows per day)"
    figure.update_layout(title=f"{model}: {metric}{unit}")
    return figure


def quarantine(rows: list[dict[str, Any]]) -> go.Figure:
    """Horizontal bars: quarantined records per source table."""
    totals: dict[str, int] = {}
    for row in rows:
        key = f"{row['source_system']}.{row['source_table']}"
        totals[key] = totals.get(key, 0) + int(row["quarantined_records"])
    ordered = sorted(totals.items(), key=lambda item: item[1])
    figure = go.Figure(
        go.Bar(
            x=[v for _, v in ordered],
            y=[k for k, _ in ordered],
            orientation="h",
            marker_color=STATUS_COLORS["warn"],
        )
    )
    figure.update_layout(title="Quarantined records per source table (one per broken rule)")
    return figure
