"""Every injected defect is caught, by quarantine or by a named test, and no clean
record is quarantined: checked against the sandbox's ground-truth manifest.

A record is *caught by a test* when a test that failed or warned in the build lists
it among its failing rows: the failing rows of each test are re-read with the test's
compiled SQL, and mapped to record keys. dbt_expectations' row tests return only the
truth value of their expression, so the harness adds the record key to the select
list of the package's ``grouped_expression`` step; the set test returns the values
outside the set and the uniqueness tests the duplicated values or column combinations,
mapped back to the rows that hold them; the load report's duplicate keys name their
record (dbt_utils' range test returns whole rows).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import Any

import duckdb
import pytest

from tests.conftest import Warehouse

#: entity -> (raw schema, raw table, staging model, staging key column)
ENTITIES = {
    "agents": ("raw_webphone", "agents", "stg_webphone__agents", "agent_id"),
    "customers": ("raw_webphone", "customers", "stg_webphone__customers", "customer_id"),
    "calls": ("raw_webphone", "calls", "stg_webphone__calls", "call_id"),
    "surveys": ("raw_webphone", "surveys", "stg_webphone__surveys", "survey_id"),
    "media": ("raw_bynder", "media", "stg_bynder__media", "asset_id"),
    "usage": ("raw_bynder", "usage", "stg_bynder__usage", "usage_id"),
    "users": ("raw_workfront", "users", "stg_workfront__users", "user_id"),
    "projects": ("raw_workfront", "projects", "stg_workfront__projects", "project_id"),
    "tasks": ("raw_workfront", "tasks", "stg_workfront__tasks", "task_id"),
    "assignments": ("raw_workfront", "assignments", "stg_workfront__assignments", "assignment_id"),
    "hours": ("raw_workfront", "hours", "stg_workfront__hours", "time_entry_id"),
}
BY_MODEL = {model: (entity, key) for entity, (_, _, model, key) in ENTITIES.items()}
BY_SOURCE = {f"{schema[4:]}.{table}": entity for entity, (schema, table, _, _) in ENTITIES.items()}
#: where the sources record deletions: a reference to a deleted parent dangles (a
#: steward should see it) without being an injected defect. relation -> key column
DELETABLE_PARENTS = {
    "raw_webphone.customers_tombstones": "id",
    "raw_webphone.calls_tombstones": "id",
    "raw_bynder.media_removed": "id",
    "raw_workfront.journal_entries": "sub_obj_id",
}


#: the first step of dbt_expectations' expression tests (expression_is_true, which the
#: not-null, between, regex and column-pair tests call): one row per tested row
ROW_STEP = re.compile(r"with grouped_expression as \(\s*select\b")
#: the tests that return duplicated values or column combinations
UNIQUENESS_TESTS = {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [c[0] for c in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def with_record_key(sql: str, key: str) -> str:
    """The compiled SQL of a dbt_expectations row test, returning each failing row's key."""
    if not ROW_STEP.search(sql):
        return sql
    return ROW_STEP.sub(lambda m: f"{m.group(0)} {key} as _record_key,", sql, count=1)


def keys_holding(
    con: duckdb.DuckDBPyConnection, relation: str, key: str, values: dict[str, Any]
) -> set[str]:
    """The record keys of the rows holding these column values."""
    where = " and ".join(f"{c} is not distinct from ?" for c in values)
    found = con.execute(f"select {key} from {relation} where {where}", list(values.values()))
    return {str(k) for (k,) in found.fetchall()}


def flagged_by_tests(
    built: Warehouse,
) -> tuple[dict[tuple[str, str], set[str]], dict[tuple[str, str], str]]:
    """(entity, record key) -> names of the failing or warning tests that list it; and
    for rows a relationships test flags, the dangling value they reference."""
    references: dict[tuple[str, str], str] = {}
    manifest = json.loads((built.target_path / "manifest.json").read_text())
    results = json.loads((built.target_path / "run_results.json").read_text())["results"]
    flagged: dict[tuple[str, str], set[str]] = defaultdict(set)
    with duckdb.connect(str(built.duckdb_path), read_only=True) as con:
        for result in results:
            node = manifest["nodes"].get(result["unique_id"], {})
            if node.get("resource_type") != "test" or result["status"] not in ("warn", "fail"):
                continue
            metadata = node.get("test_metadata") or {}
            if metadata.get("namespace") == "elementary":
                continue  # anomaly and schema-change tests flag tables, not records
            parents = node.get("depends_on", {}).get("nodes", [])
            attached = node.get("attached_node") or (parents[0] if parents else "")
            kwargs = metadata.get("kwargs", {})
            name = node["name"]
            if attached.startswith("source."):
                entity = BY_SOURCE.get(".".join(attached.split(".")[2:4]))
                key, relation = "id", "raw_{}.{}".format(*attached.split(".")[2:4])
            else:
                model = attached.split(".")[-1]
                if model == "stg_load_reports__duplicate_keys":
                    for row in _rows(con, result["compiled_code"]):
                        flagged[(row["source_table"], row["record_key"])].add(name)
                    continue
                mapped = BY_MODEL.get(model)
                if mapped is None:
                    continue
                entity, key = mapped
                relation = f"staging.{model}"
            if entity is None:
                continue
            test = metadata.get("name")
            rows = _rows(con, with_record_key(result["compiled_code"], key))
            if test in UNIQUENESS_TESTS:
                columns = kwargs.get("column_list") or [kwargs["column_name"]]
                keys = set()
                for row in rows:
                    keys |= keys_holding(con, relation, key, {c: row[c] for c in columns})
            elif test == "expect_column_values_to_be_in_set":
                keys = set()
                for row in rows:
                    keys |= keys_holding(
                        con, relation, key, {kwargs["column_name"]: row["value_field"]}
                    )
            elif test == "relationships":
                column = kwargs["column_name"]
                keys = set()
                for row in rows:
                    found = con.execute(
                        f"select {key} from {relation} where {column} = ?", [row["from_field"]]
                    ).fetchall()
                    for (k,) in found:
                        keys.add(str(k))
                        references[(entity, str(k))] = str(row["from_field"])
            else:
                keys = {
                    str(row["_record_key"] if "_record_key" in row else row.get(key))
                    for row in rows
                    if row.get("_record_key", row.get(key)) is not None
                }
            for record in keys:
                flagged[(entity, record)].add(name)
    return flagged, references


@pytest.fixture(scope="module")
def figures(quality_warehouse: Warehouse) -> dict[str, Any]:
    """Injected, caught and falsely flagged records, by defect kind."""
    built = quality_warehouse
    manifest = built.sandbox.manifest()
    flagged, references = flagged_by_tests(built)
    with duckdb.connect(str(built.duckdb_path), read_only=True) as con:
        quarantined = {
            (entity, str(key))
            for system in ("webphone", "bynder", "workfront")
            for entity, key in con.execute(
                f"select source_table, record_key from quarantine.quarantine_{system}"
            ).fetchall()
        }
        raw_ids = {
            entity: {str(i) for (i,) in con.execute(f"select id from {schema}.{table}").fetchall()}
            for entity, (schema, table, _, _) in ENTITIES.items()
        }
        deleted_parents = {
            str(k)
            for relation, column in DELETABLE_PARENTS.items()
            for (k,) in con.execute(f"select {column} from {relation}").fetchall()
        }
    injected: Counter[str] = Counter()
    loaded: Counter[str] = Counter()
    by_quarantine: Counter[str] = Counter()
    by_tests: Counter[str] = Counter()
    missed: list[dict[str, Any]] = []
    defect_records: set[tuple[str, str]] = set()
    originals: set[tuple[str, str]] = set()
    for defect in manifest:
        kind, entity, record = defect["defect"], defect["entity"], defect["record_id"]
        injected[kind] += 1
        defect_records.add((entity, record))
        if kind == "near_duplicate":
            originals.add((entity, defect["detail"].removeprefix("duplicate of ")))
        if record not in raw_ids[entity]:
            continue  # deleted before any load saw it: nothing reached the warehouse
        loaded[kind] += 1
        caught_q = (entity, record) in quarantined
        caught_t = bool(flagged.get((entity, record)))
        by_quarantine[kind] += caught_q
        by_tests[kind] += caught_t
        if not (caught_q or caught_t):
            missed.append(defect)
    false_quarantine = sorted(q for q in quarantined if q not in defect_records)
    test_only = {k: v for k, v in flagged.items() if k not in defect_records}
    explained = {k for k in test_only if k in originals}
    dangling = {
        k
        for k, tests in test_only.items()
        if k not in explained
        and all(t.startswith("relationships_") for t in tests)
        and references.get(k) in deleted_parents
    }
    unexplained = {k: sorted(v) for k, v in test_only.items() if k not in explained | dangling}
    return {
        "injected": dict(injected),
        "loaded": dict(loaded),
        "caught_by_quarantine": dict(by_quarantine),
        "caught_by_tests": dict(by_tests),
        "missed": missed,
        "false_quarantine": false_quarantine,
        "test_flags_outside_manifest": len(test_only),
        "near_duplicate_originals": len(explained),
        "dangling_references": len(dangling),
        "deleted_parents": deleted_parents,
        "unexplained_test_flags": unexplained,
    }


def test_report_figures(figures: dict[str, Any]) -> None:
    lines = ["kind                      injected loaded quarantine tests"]
    for kind in sorted(figures["injected"]):
        lines.append(
            f"{kind:25} {figures['injected'][kind]:8} {figures['loaded'].get(kind, 0):6}"
            f" {figures['caught_by_quarantine'].get(kind, 0):10}"
            f" {figures['caught_by_tests'].get(kind, 0):5}"
        )
    lines.append(
        f"false positives: quarantine {len(figures['false_quarantine'])}; test flags outside the"
        f" manifest {figures['test_flags_outside_manifest']} (near-duplicate originals"
        f" {figures['near_duplicate_originals']}, dangling references"
        f" {figures['dangling_references']}, unexplained {len(figures['unexplained_test_flags'])})"
    )
    print("\n".join(lines))
    assert sum(figures["loaded"].values()) > 50, "the defect rate should give every kind"
    assert set(figures["loaded"]) >= {
        "exact_duplicate",
        "near_duplicate",
        "null_required",
        "phone_format",
        "timestamp_format",
        "unknown_enum",
        "orphan_fk",
        "negative_value",
        "changed_between_pages",
    }


def test_every_injected_defect_is_caught(figures: dict[str, Any]) -> None:
    assert figures["missed"] == []


def test_no_clean_record_is_quarantined(figures: dict[str, Any]) -> None:
    assert figures["false_quarantine"] == []


def test_every_other_test_flag_is_explained(figures: dict[str, Any]) -> None:
    """Outside the manifest, tests flag only the originals of near duplicates (the pair
    shares its columns) and references to parents the source deleted since."""
    assert figures["unexplained_test_flags"] == {}
