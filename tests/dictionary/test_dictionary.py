"""The field-mapping dictionary and what it generates."""

from __future__ import annotations

import csv
import subprocess
import sys

from tests.conftest import ROOT

DICTIONARY = ROOT / "seeds" / "field_mapping.csv"


def rows() -> list[dict[str, str]]:
    with DICTIONARY.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_at_least_500_mappings_over_three_systems() -> None:
    mapped = rows()
    assert len(mapped) >= 500
    assert {r["source_system"] for r in mapped} == {"webphone", "bynder", "workfront"}
    assert sum(r["source_field"].startswith("property_") for r in mapped) >= 150
    assert sum(r["source_field"].startswith("parameterValues.DE:") for r in mapped) >= 80


def test_every_table_has_one_primary_key_and_documented_columns() -> None:
    keys: dict[tuple[str, str], int] = {}
    for row in rows():
        table = (row["source_system"], row["source_object"])
        keys[table] = keys.get(table, 0) + (row["is_primary_key"] == "true")
        assert row["description"].strip(), row
        assert row["target_column"] == row["target_column"].lower(), row
    assert all(count == 1 for count in keys.values()), keys


def test_generated_dbt_files_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "tools/sync_dictionary.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
