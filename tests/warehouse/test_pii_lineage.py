"""Personal columns stay tagged wherever they flow.

The dictionary's ``pii_class`` is the single source of what is personal
(``seeds/field_mapping.csv``): the generator writes the ``pii`` tag and ``meta.pii``
on staging columns, and every model or snapshot downstream that carries such a column
under the same name must say so too, so masking policies, Elementary's sample
suppression and the docs all see it. A new model that passes a personal column
through without declaring it fails here, naming the YAML to edit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Warehouse


@pytest.fixture(scope="module")
def manifest_and_catalog(warehouse: Warehouse) -> tuple[dict[str, Any], dict[str, Any]]:
    """The shared warehouse's manifest and catalog (real columns of every relation)."""
    target: Path = warehouse.target_path
    if not (target / "catalog.json").exists():
        warehouse.dbt("docs", "generate")
    return (
        json.loads((target / "manifest.json").read_text()),
        json.loads((target / "catalog.json").read_text()),
    )


def _upstream(manifest: dict[str, Any], unique_id: str) -> set[str]:
    seen: set[str] = set()
    todo = [unique_id]
    while todo:
        node = manifest["nodes"].get(todo.pop())
        for parent in (node or {}).get("depends_on", {}).get("nodes", []):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_every_personal_column_downstream_of_staging_is_tagged(
    manifest_and_catalog: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    manifest, catalog = manifest_and_catalog
    nodes = manifest["nodes"]
    personal = {  # staging model -> {column: pii class}
        uid: {c: col["meta"]["pii"] for c, col in node["columns"].items() if col["meta"].get("pii")}
        for uid, node in nodes.items()
        if node["resource_type"] == "model" and node["name"].startswith("stg_")
    }
    assert sum(map(len, personal.values())) >= 10, "staging should declare personal columns"
    missing: list[str] = []
    checked = 0
    for uid, node in nodes.items():
        if node["resource_type"] not in {"model", "snapshot"} or node["name"].startswith("stg_"):
            continue
        if node["package_name"] != "warehouse" or uid not in catalog["nodes"]:
            continue
        inherited: dict[str, str] = {}
        for parent in _upstream(manifest, uid) & personal.keys():
            inherited.update(personal[parent])
        columns = {c.lower() for c in catalog["nodes"][uid]["columns"]}
        for column in sorted(columns & inherited.keys()):
            checked += 1
            declared = node["columns"].get(column, {})
            tagged = "pii" in declared.get("tags", [])
            if not tagged or declared.get("meta", {}).get("pii") != inherited[column]:
                where = (node.get("patch_path") or node["original_file_path"]).split("://")[-1]
                missing.append(
                    f"{where}: {node['name']}.{column} "
                    f"(tags: [pii], meta: {{pii: {inherited[column]}}})"
                )
    assert checked >= 10, checked
    assert not missing, "personal columns without the pii tag and class:\n" + "\n".join(missing)
