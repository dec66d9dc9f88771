"""What dbt itself persists: run results of every invocation, anomaly metrics that
agree with the tests, reconciliation that accounts for every record, and schema
changes detected between two runs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb

from tests.conftest import ROOT, Warehouse, dbt_env, run_dbt
from tests.quality.conftest import OUTAGE_DAY


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_run_results_are_persisted(quality_warehouse: Warehouse) -> None:
    db = quality_warehouse.duckdb_path
    results = json.loads((quality_warehouse.target_path / "run_results.json").read_text())
    invocation = results["metadata"]["invocation_id"]
    stored = query(
        db,
        "select resource_type, count(*), count(compiled_path), sum(execution_time)"
        f" from observability.dbt_run_results where invocation_id = '{invocation}' group by 1",
    )
    counts = {kind: n for kind, n, _, _ in stored}
    expected: dict[str, int] = {}
    for entry in results["results"]:
        kind = entry["unique_id"].split(".")[0]
        if kind == "operation":
            continue  # the on-run-end hook itself: it runs after the results it persists
        expected[kind] = expected.get(kind, 0) + 1
    assert counts == expected
    assert query(
        db,
        f"select command from observability.dbt_invocations where invocation_id = '{invocation}'",
    ) == [("build",)]
    samples = query(
        db,
        "select count(*) from observability.dbt_test_failure_samples"
        f" where invocation_id = '{invocation}'",
    )[0][0]
    assert samples > 0


def test_monitored_tables_match_the_anomaly_tests(quality_warehouse: Warehouse) -> None:
    listed = set(
        re.findall(
            r"'model': '(\w+)', 'timestamp_column': '(\w+)'",
            (ROOT / "macros" / "observability" / "monitors.sql").read_text(),
        )
    )
    manifest = json.loads((quality_warehouse.target_path / "manifest.json").read_text())
    tested = set()
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata") or {}
        if metadata.get("name") == "volume_anomalies":
            tested.add(
                (node["attached_node"].split(".")[-1], metadata["kwargs"]["timestamp_column"])
            )
        match = re.match(r"assert_(\w+)_volume_has_no_anomaly$", node["name"])
        if match:
            column = re.search(r"timestamp_column='(\w+)'", node["raw_code"])
            assert column is not None
            tested.add((match.group(1), column.group(1)))
    assert listed == tested


def test_outage_is_an_anomaly_and_nothing_else_is(quality_warehouse: Warehouse) -> None:
    flagged = query(
        quality_warehouse.duckdb_path,
        "select model_name, metric_name, cast(bucket_start as date)"
        " from observability.anomaly_scores where is_anomalous",
    )
    days = {str(day) for _, _, day in flagged}
    assert days == {OUTAGE_DAY}
    models = {model for model, _, _ in flagged}
    assert "stg_webphone__calls" in models
    assert {metric for _, metric, _ in flagged} <= {"row_count", "freshness"}


def test_every_record_is_accounted_for(quality_warehouse: Warehouse) -> None:
    db = quality_warehouse.duckdb_path
    rows = query(db, "select source_table, is_reconciled from observability.reconciliation_tables")
    assert len(rows) >= 19 and all(ok for _, ok in rows), rows
    assert all(
        ok
        for (ok,) in query(db, "select is_reconciled from observability.reconciliation_aggregates")
    )
    manifest = quality_warehouse.sandbox.manifest()
    exact = query(
        db,
        "select source_table, sum(exact_duplicate_copies), sum(stale_version_copies)"
        " from observability.reconciliation_tables group by 1",
    )
    copies = {table: (int(e), int(s)) for table, e, s in exact}
    for entity, (expected_exact, _) in copies.items():
        injected = sum(
            1 for d in manifest if d["entity"] == entity and d["defect"] == "exact_duplicate"
        )
        assert expected_exact == injected, entity


def test_schema_changes_between_two_runs(quality_warehouse: Warehouse, tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(quality_warehouse.duckdb_path, db)
    with duckdb.connect(str(db)) as con:
        con.execute("alter table raw_webphone.calls add column call_quality_score double")
        con.execute("alter table raw_bynder.campaigns drop column description")
        con.execute("alter table raw_workfront.projects alter column priority type varchar")
    env = dbt_env(tmp_path)
    run_dbt(env, "run", "-s", "schema_columns_snapshot", "schema_changes")
    result = run_dbt(env, "test", "-s", "test_name:schema_changes", check=False)
    changes = set(
        query(db, "select table_name, column_name, change_type from observability.schema_changes")
    )
    assert changes == {
        ("calls", "call_quality_score", "column_added"),
        ("campaigns", "description", "column_removed"),
        ("projects", "priority", "type_changed"),
    }
    assert result.stdout.count("WARN 1 source_schema_changes") == 3, result.stdout[-3000:]
