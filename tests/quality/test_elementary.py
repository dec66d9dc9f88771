"""What Elementary records on the quality warehouse: every invocation and its results,
the seeded outage as the only volume anomaly, schema changes between two runs, the
reconciliation that accounts for every record, and no personal value in any of it."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb

from tests.conftest import ROOT, Warehouse, dbt_env, query, run_dbt
from tests.quality.conftest import OUTAGE_DAY

#: the dictionary's personal-data classes a test scans for (names are too short and
#: too common to search for as substrings)
SCANNED_PII = {"email", "phone"}


def last_invocation(built: Warehouse) -> str:
    results = json.loads((built.target_path / "run_results.json").read_text())
    return str(results["metadata"]["invocation_id"])


def test_every_invocation_and_result_is_recorded(quality_warehouse: Warehouse) -> None:
    db = quality_warehouse.duckdb_path
    results = json.loads((quality_warehouse.target_path / "run_results.json").read_text())
    invocation = results["metadata"]["invocation_id"]
    expected: dict[str, int] = {}
    for entry in results["results"]:
        kind = entry["unique_id"].split(".")[0]
        if kind != "operation":  # the hooks: Elementary's own run after what it records
            expected[kind] = expected.get(kind, 0) + 1
    stored = query(
        db,
        "select resource_type, count(*) from elementary.dbt_run_results"
        f" where invocation_id = '{invocation}' group by 1",
    )
    assert dict(stored) == expected
    assert query(
        db, f"select command from elementary.dbt_invocations where invocation_id = '{invocation}'"
    ) == [("build",)]
    tested = query(
        db,
        "select count(*), count(distinct test_unique_id) from elementary.elementary_test_results"
        f" where invocation_id = '{invocation}'",
    )[0]
    # one row per test, one per metric for column_anomalies
    assert tested[1] == expected["test"] and tested[0] >= expected["test"], tested


def test_outage_is_the_only_anomaly(quality_warehouse: Warehouse) -> None:
    invocation = last_invocation(quality_warehouse)
    flagged = query(
        quality_warehouse.duckdb_path,
        "select t.table_name, t.test_sub_type, r.result_row"
        " from elementary.elementary_test_results t"
        " join elementary.test_result_rows r on r.elementary_test_results_id = t.id"
        f" where t.invocation_id = '{invocation}' and t.test_type = 'anomaly_detection'"
        " and t.status <> 'pass'",
    )
    anomalies = set()
    for table, metric, row in flagged:
        values = json.loads(row)
        if values.get("is_anomalous"):
            anomalies.add((table.lower(), metric, str(values["bucket_start"])[:10]))
    # the calls' volume collapses on the outage day; their freshness (the longest gap
    # between calls) on that day and the next, whose first call ends the gap
    volume = {(table, day) for table, metric, day in anomalies if metric == "row_count"}
    assert volume == {("stg_webphone__calls", OUTAGE_DAY), ("fact_calls", OUTAGE_DAY)}
    assert {table for table, _, _ in anomalies} == {"stg_webphone__calls", "fact_calls"}
    next_day = str(date.fromisoformat(OUTAGE_DAY) + timedelta(days=1))
    assert {day for _, _, day in anomalies} <= {OUTAGE_DAY, next_day}, anomalies


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


def test_reconciliation_and_quarantine_are_named_owned_tests(quality_warehouse: Warehouse) -> None:
    tests = query(
        quality_warehouse.duckdb_path,
        "select name, description, model_owners from elementary.dbt_tests"
        " where name like 'reconciliation_%' or name like 'quarantine_records_%'",
    )
    names = {name for name, _, _ in tests}
    assert "quarantine_records_held_back_from_the_marts" in names
    assert "reconciliation_source_equals_clean_plus_quarantined_and_marts_equal_clean" in names
    assert all(description and "data-stewards" in owners for _, description, owners in tests)
    invocation = last_invocation(quality_warehouse)
    quarantined = query(
        quality_warehouse.duckdb_path,
        "select status, failures from elementary.elementary_test_results"
        f" where invocation_id = '{invocation}'"
        " and test_short_name = 'quarantine_records_held_back_from_the_marts'",
    )
    groups = query(
        quality_warehouse.duckdb_path, "select count(*) from quarantine.quarantine_summary"
    )[0][0]
    assert groups > 0 and quarantined == [("warn", groups)], quarantined


def test_schema_changes_between_two_runs(quality_warehouse: Warehouse, tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(quality_warehouse.duckdb_path, db)
    with duckdb.connect(str(db)) as con:
        con.execute("alter table raw_webphone.calls add column call_quality_score double")
        con.execute("alter table raw_bynder.campaigns drop column description")
        con.execute("alter table raw_workfront.projects alter column priority type varchar")
    result = run_dbt(dbt_env(tmp_path), "test", "-s", "test_name:schema_changes", check=False)
    invocation = json.loads((tmp_path / "target" / "run_results.json").read_text())["metadata"]
    changes = query(
        db,
        "select lower(table_name), lower(column_name), test_sub_type, status"
        " from elementary.elementary_test_results"
        f" where invocation_id = '{invocation['invocation_id']}'"
        " and test_type = 'schema_change' and status <> 'pass'",
    )
    assert {row[:3] for row in changes} == {
        ("calls", "call_quality_score", "column_added"),
        ("campaigns", "description", "column_removed"),
        ("projects", "priority", "type_changed"),
    }, changes
    assert {row[3] for row in changes} == {"warn"}, result.stdout[-3000:]


def personal_values(db: Path) -> set[str]:
    """Every e-mail address and phone number the staging models hold (the dictionary's
    classes ``email`` and ``phone``)."""
    values: set[str] = set()
    with (ROOT / "seeds" / "field_mapping.csv").open() as dictionary:
        columns = [row for row in csv.DictReader(dictionary) if row["pii_class"] in SCANNED_PII]
    with duckdb.connect(str(db), read_only=True) as con:
        for row in columns:
            relation = f"staging.stg_{row['source_system']}__{row['source_object']}"
            column = row["target_column"]
            found = con.execute(
                f"select distinct cast({column} as varchar) from {relation}"
                f" where {column} is not null"
            ).fetchall()
            values |= {value for (value,) in found if len(value) >= 6}
    return values


def elementary_text(db: Path) -> list[str]:
    """Every text value of every table of the elementary schema."""
    texts: list[str] = []
    with duckdb.connect(str(db), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns"
            " where table_schema = 'elementary' and data_type = 'VARCHAR'"
        ).fetchall()
        for table, column in columns:
            found = con.execute(
                f'select "{column}" from elementary."{table}" where "{column}" is not null'
            ).fetchall()
            texts += [value for (value,) in found]
    return texts


def test_no_personal_value_in_elementary(quality_warehouse: Warehouse) -> None:
    db = quality_warehouse.duckdb_path
    personal = personal_values(db)
    assert len(personal) > 100
    # tests on personal columns failed or warned, with rows that hold personal values
    invocation = last_invocation(quality_warehouse)
    failing = query(
        db,
        "select count(*) from elementary.elementary_test_results"
        f" where invocation_id = '{invocation}' and status in ('warn', 'fail')"
        " and lower(column_name) in ('email_address', 'primary_phone_number', 'from_number',"
        " 'to_number')",
    )[0][0]
    assert failing > 0
    leaks = {value for text in elementary_text(db) for value in personal if value in text}
    assert not leaks, sorted(leaks)[:10]
