"""Codes outside the documented set warn and stay in the marts (issue 14 item 7).

Workfront sends an organisation's custom statuses as ``<base>:<letter>`` (``CUR:A``):
staging keeps the base status in ``project_status`` / ``task_status`` and the full
code in ``*_status_code``. A code nobody documented (an injected ``unknown_enum``) is
no hard rule: the row is neither quarantined nor dropped, and a test warns.
"""

from __future__ import annotations

import json

from tests.conftest import Warehouse


def test_custom_statuses_reach_the_marts_as_base_status_and_full_code(
    quality_warehouse: Warehouse,
) -> None:
    built = quality_warehouse
    defective = {row["record_id"] for row in built.sandbox.manifest()}
    raw = {
        project_id: status
        for project_id, status in built.query(
            "select id, status from raw_workfront.projects where status like '%:%'"
        )
        if project_id not in defective
    }
    assert raw, "the sandbox sends custom statuses"
    dim = {
        project_id: (status, code)
        for project_id, status, code in built.query(
            "select project_id, project_status, project_status_code from marts.dim_project "
            "where is_current"
        )
    }
    missing = sorted(set(raw) - set(dim))
    assert not missing, f"{len(missing)} of {len(raw)} custom-status projects left the marts"
    for project_id, code in raw.items():
        assert dim[project_id] == (code.split(":")[0], code)
    tasks = dict(
        built.query(
            "select task_id, task_status_code "
            "from intermediate.int_time_entries_rolled_up_to_tasks "
            "where task_status_code like '%:%'"
        )
    )
    assert tasks and all(code.startswith("INP:") for code in tasks.values())


#: entity -> (raw table, quarantine model, a downstream model's keys) of every entity
#: whose codes the dictionary documents and the defects can spoil
DOWNSTREAM = {
    "projects": (
        "raw_workfront.projects",
        "quarantine.quarantine_workfront",
        "select project_id from intermediate.int_projects_filtered_to_live",
    ),
    "tasks": (
        "raw_workfront.tasks",
        "quarantine.quarantine_workfront",
        "select task_id from intermediate.int_time_entries_rolled_up_to_tasks",
    ),
    "calls": (
        "raw_webphone.calls",
        "quarantine.quarantine_webphone",
        "select call_id from intermediate.int_calls_measured",
    ),
    "media": (
        "raw_bynder.media",
        "quarantine.quarantine_bynder",
        "select asset_id from intermediate.int_assets_marked_deleted",
    ),
}


def test_an_unknown_code_warns_and_keeps_its_row(quality_warehouse: Warehouse) -> None:
    built = quality_warehouse
    manifest_rows = built.sandbox.manifest()
    checked = 0
    for entity, (raw, quarantine, downstream) in DOWNSTREAM.items():
        unknown = {
            row["record_id"]
            for row in manifest_rows
            if row["defect"] == "unknown_enum" and row["entity"] == entity
        }
        loaded = {r[0] for r in built.query(f"select id from {raw}")} & unknown
        quarantined = {r[0] for r in built.query(f"select record_key from {quarantine}")}
        assert not loaded & quarantined, entity
        assert loaded <= {r[0] for r in built.query(downstream)}, entity
        checked += len(loaded)
    assert checked, "the defect rate should give unknown codes"
    nodes = json.loads((built.target_path / "manifest.json").read_text())["nodes"]
    results = json.loads((built.target_path / "run_results.json").read_text())["results"]
    warned = [
        r["unique_id"]
        for r in results
        if r["status"] == "warn"
        and (nodes[r["unique_id"]].get("test_metadata") or {}).get("name")
        == "expect_column_values_to_be_in_set"
    ]
    assert warned, "the accepted-values tests warn about the unknown codes"
