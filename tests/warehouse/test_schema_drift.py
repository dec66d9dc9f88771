"""The schema-drift check: it fails on drifted raw schemas, passes on clean ones.

The check is the singular dbt test ``tests/singular/drift/
assert_raw_columns_match_field_mapping.sql``; it compares ``information_schema`` with
the field-mapping dictionary (the ``field_mapping`` seed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import SandboxHandle, Warehouse, dbt_env, loader_env

DRIFT_TEST = "assert_raw_columns_match_field_mapping"
#: Our marts, which must keep building while the drift check fails.
MARTS = ("fact_calls", "fact_asset_usage", "fact_project_hours", "dim_project", "dim_asset")


def _results(target: Path) -> dict[str, str]:
    """Status of each node of the last dbt invocation, by node name."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {row["unique_id"].split(".")[-1]: row["status"] for row in results}


def test_drift_check_passes_on_the_clean_warehouse(warehouse: Warehouse) -> None:
    result = warehouse.dbt("test", "--select", DRIFT_TEST, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert _results(warehouse.target_path)[DRIFT_TEST] == "pass"


def test_drift_check_fails_on_renamed_and_retyped_fields_while_marts_build(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path: Path
) -> None:
    # drift from three days before the sandbox's start: the first load already has it
    handle = sandbox_factory(
        *("--scale", "0.0003", "--history-days", "5", "--defect-rate", "0"),
        *("--no-rate-limits", "--drift", "added,renamed,retyped"),
        *("--drift-at", "2026-10-29T00:00:00Z"),
    )
    drifted = Warehouse(handle, tmp_path, {**loader_env(handle, tmp_path), **dbt_env(tmp_path)})
    drifted.load()

    result = drifted.dbt(
        "build",
        # Elementary's models too: its schema-change tests on the sources write there
        *("--select", f"+path:models/marts +{DRIFT_TEST} package:elementary"),
        *("--indirect-selection", "cautious"),
        check=False,
    )
    statuses = _results(drifted.target_path)
    assert result.returncode != 0, "drift must fail the build"
    assert statuses[DRIFT_TEST] == "fail"
    assert all(statuses[mart] == "success" for mart in MARTS), statuses

    found = {
        (schema, table, column, kind)
        for schema, table, column, kind, _, _ in drifted.query(
            f"select * from dbt_test__audit.{DRIFT_TEST}"
        )
    }
    # renamed: Bynder's Market metaproperty arrives as Sales_Market, a column no row maps
    assert ("raw_bynder", "media", "property_sales_market", "unmapped_column") in found
    # retyped: project priority labels cannot land in the bigint column: a variant appears
    assert ("raw_workfront", "projects", "priority__v_text", "unmapped_column") in found
    # added: sentiment_score is mapped already (the dictionary anticipated it): not drift
    assert not any(column == "sentiment_score" for _, _, column, _ in found)
    # the marts still hold the drifted records, typed as the dictionary says
    assert drifted.query("select count(*) from marts.dim_project")[0][0] > 1
