"""Who reads what on Snowflake: each schema's grants, as dbt configures them.

Personal values sit unmasked in staging (before the policies), snapshots and
quarantine: only the PII-reader roles may read them. Stewards read the quality results
and the quarantine counts; readers read the marts through the masking policies.
(docs/snowflake.md, "Who reads what". The emulator runs no GRANT, so the configured
grants are checked in the manifest; tests/snowflake/test_emulator.py checks the
statements dbt-snowflake would run.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import dbt_env, run_dbt

ROLES = {
    "SNOWFLAKE_PII_READER_ROLES": "PII_TEAM,AUDIT",
    "SNOWFLAKE_STEWARD_ROLES": "STEWARDS",
    "SNOWFLAKE_READER_ROLES": "BI",
}
PII_READERS = ["PII_TEAM", "AUDIT"]
EXPECTED = {
    "staging": PII_READERS,
    "snapshots": PII_READERS,
    "quarantine": PII_READERS,
    "observability": ["STEWARDS"],
    "marts": ["BI"],
}


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    workdir = tmp_path_factory.mktemp("grants")
    env = {**dbt_env(workdir), **ROLES}
    run_dbt(env, "parse", "--quiet")
    manifest = json.loads((Path(env["DBT_TARGET_PATH"]) / "manifest.json").read_text())
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] in {"model", "snapshot"} and node["package_name"] == "warehouse"
    ]


@pytest.mark.parametrize("schema", sorted(EXPECTED))
def test_each_schema_grants_select_to_its_roles_only(
    nodes: list[dict[str, Any]], schema: str
) -> None:
    in_schema = [n for n in nodes if n["schema"] == schema and n["name"] != "quarantine_summary"]
    assert in_schema, schema
    for node in in_schema:
        assert node["config"]["grants"] == {"select": EXPECTED[schema]}, node["name"]


def test_stewards_read_quarantine_counts_but_no_quarantined_record(
    nodes: list[dict[str, Any]],
) -> None:
    grants = {n["name"]: n["config"]["grants"] for n in nodes if n["schema"] == "quarantine"}
    assert grants.pop("quarantine_summary") == {"select": [*PII_READERS, "STEWARDS"]}
    assert grants and all("STEWARDS" not in g["select"] for g in grants.values())


def test_no_reader_or_steward_role_reads_a_schema_with_unmasked_personal_values(
    nodes: list[dict[str, Any]],
) -> None:
    for node in nodes:
        if node["schema"] in {"staging", "snapshots", "intermediate"}:
            granted = set(node["config"].get("grants", {}).get("select", []))
            assert not granted & {"BI", "STEWARDS"}, node["name"]
