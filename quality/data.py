"""What the report shows, read from the observability, quarantine and mart tables.

Every section degrades to "not available" when its relation does not exist yet
(for example before the first `dbt build` that created the marts), so the report can
always be rendered.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from quality.warehouse import MissingRelationError, Warehouse

FAILING = ("fail", "error", "warn")


@dataclass
class FailingTest:
    """A test whose latest result is not a pass."""

    unique_id: str
    name: str
    test_name: str | None
    tested_name: str | None
    column_name: str | None
    status: str
    severity: str | None
    failures: int | None
    message: str | None
    compiled_path: str | None
    failing_since: datetime | None
    sample: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportData:
    """Everything the template renders."""

    generated_at: datetime
    invocations: list[dict[str, Any]]
    latest_tests: list[dict[str, Any]]
    failing_tests: list[FailingTest]
    tests_over_time: list[dict[str, Any]]
    anomalies: list[dict[str, Any]]
    anomaly_series: dict[tuple[str, str], list[dict[str, Any]]]
    freshness: list[dict[str, Any]]
    reconciliation: list[dict[str, Any]]
    aggregates: list[dict[str, Any]]
    quarantine: list[dict[str, Any]]
    schema_changes: list[dict[str, Any]]
    missing: list[str]

    @property
    def status_counts(self) -> dict[str, int]:
        """Latest test results by status."""
        counts: dict[str, int] = defaultdict(int)
        for row in self.latest_tests:
            counts[row["status"]] += 1
        return dict(counts)

    @property
    def quarantined_records(self) -> int:
        """Quarantined rows over all tables and rules (a row per rule it breaks)."""
        return sum(int(row["quarantined_records"]) for row in self.quarantine)

    @property
    def unreconciled(self) -> list[dict[str, Any]]:
        """Tables and aggregates whose records are not all accounted for."""
        return [r for r in self.reconciliation + self.aggregates if not r.get("is_reconciled")]

    @property
    def stale_sources(self) -> list[dict[str, Any]]:
        """Monitored tables whose freshness is not a pass."""
        return [row for row in self.freshness if row.get("freshness_status") != "pass"]

    @property
    def health(self) -> str:
        """``critical``, ``attention`` or ``healthy``."""
        counts = self.status_counts
        if counts.get("fail") or counts.get("error") or self.unreconciled:
            return "critical"
        if counts.get("warn") or self.anomalies or self.schema_changes or self.stale_sources:
            return "attention"
        return "healthy"


class _Reader:
    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self.missing: list[str] = []

    def rows(self, relation: str, sql: str) -> list[dict[str, Any]]:
        try:
            return self.warehouse.query(sql)
        except MissingRelationError:
            self.missing.append(relation)
            return []


def _failing_since(history: list[dict[str, Any]]) -> datetime | None:
    """Start of the current run of non-passing results (history newest first)."""
    since = None
    for row in history:
        if row["status"] not in FAILING:
            break
        since = row["generated_at"]
    return since


def collect(warehouse: Warehouse, history_limit: int = 60) -> ReportData:
    """Read every section of the report."""
    read = _Reader(warehouse)
    invocations = read.rows(
        "observability.dbt_invocations",
        "select * from observability.dbt_invocations where n_results > 0"
        " order by run_started_at desc",
    )[:history_limit]
    results = read.rows(
        "observability.dbt_run_results",
        "select invocation_id, unique_id, name, status, failures, message, compiled_path,"
        " severity, test_name, test_column_name, tested_name, generated_at"
        " from observability.dbt_run_results where resource_type = 'test'"
        " order by generated_at desc",
    )
    kept = {row["invocation_id"] for row in invocations}
    results = [row for row in results if row["invocation_id"] in kept]
    by_test: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in results:
        by_test[row["unique_id"]].append(row)
    latest = [history[0] for history in by_test.values()]
    samples: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in read.rows(
        "observability.dbt_test_failure_samples",
        "select invocation_id, unique_id, row_index, row_json"
        " from observability.dbt_test_failure_samples order by row_index",
    ):
        samples[(row["invocation_id"], row["unique_id"])].append(json.loads(row["row_json"]))
    failing = [
        FailingTest(
            unique_id=row["unique_id"],
            name=row["name"],
            test_name=row["test_name"],
            tested_name=row["tested_name"],
            column_name=row["test_column_name"],
            status=row["status"],
            severity=row["severity"],
            failures=row["failures"],
            message=row["message"],
            compiled_path=row["compiled_path"],
            failing_since=_failing_since(by_test[row["unique_id"]]),
            sample=samples.get((row["invocation_id"], row["unique_id"]), []),
        )
        for row in latest
        if row["status"] in FAILING
    ]
    order = {"error": 0, "fail": 1, "warn": 2}
    failing.sort(key=lambda t: (order.get(t.status, 3), t.tested_name or "", t.name))
    over_time: dict[str, dict[str, Any]] = {}
    for invocation in invocations:
        over_time[invocation["invocation_id"]] = {
            "invocation_id": invocation["invocation_id"],
            "run_started_at": invocation["run_started_at"],
            "command": invocation["command"],
            "pass": 0,
            "warn": 0,
            "fail": 0,
            "error": 0,
        }
    for row in results:
        bucket = over_time.get(row["invocation_id"])
        if bucket is not None and row["status"] in ("pass", "warn", "fail", "error"):
            bucket[row["status"]] += 1
    tests_over_time = sorted(
        (v for v in over_time.values() if v["pass"] + v["warn"] + v["fail"] + v["error"]),
        key=lambda v: v["run_started_at"],
    )
    scores = read.rows(
        "observability.anomaly_scores",
        "select * from observability.anomaly_scores order by model_name, metric_name, bucket_start",
    )
    anomalies = [row for row in scores if row["is_anomalous"]]
    flagged = {(row["model_name"], row["metric_name"]) for row in anomalies}
    series: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in scores:
        if (row["model_name"], row["metric_name"]) in flagged:
            series[(row["model_name"], row["metric_name"])].append(row)
    return ReportData(
        generated_at=datetime.now(),
        invocations=invocations,
        latest_tests=latest,
        failing_tests=failing,
        tests_over_time=tests_over_time,
        anomalies=anomalies,
        anomaly_series=dict(series),
        freshness=read.rows(
            "observability.source_freshness",
            "select * from observability.source_freshness order by source_system, source_table",
        ),
        reconciliation=read.rows(
            "observability.reconciliation_tables",
            "select * from observability.reconciliation_tables"
            " order by source_system, source_table",
        ),
        aggregates=read.rows(
            "observability.reconciliation_aggregates",
            "select * from observability.reconciliation_aggregates order by measure",
        ),
        quarantine=read.rows(
            "quarantine.quarantine_summary",
            "select * from quarantine.quarantine_summary"
            " order by source_system, source_table, quarantined_records desc",
        ),
        schema_changes=read.rows(
            "observability.schema_changes",
            "select * from observability.schema_changes order by table_schema, table_name",
        ),
        missing=read.missing,
    )
