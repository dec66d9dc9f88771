"""A week later, with schema drift: soft deletes, late calls on their day, drift reported.

A copy of the session's warehouse is carried forward by a second sandbox with the
same settings (so the same world) plus schema drift from the shared warehouse's
clock on (WebPhone adds ``sentiment_score``, Bynder renames ``Market`` to
``Sales_Market``, Workfront retypes project ``priority`` from integer to text). Its
clock is set to the shared one's and moved a week on: with this seed and scale (found
with a local ``World``) the week erases a customer and removes an asset that were
loaded live, hard-deletes Workfront time entries, and brings calls that started
before the last load (three-hour late arrivals, calls in progress). One load and one
incremental ``dbt build`` of the affected marts later:

* deleted customers and assets keep their history: the snapshot closes their last
  live version and adds one flagged deleted; the dimension's current row says
  ``is_deleted``; deleted time entries keep their fact rows, flagged ``is_deleted``;
* every late call is in ``fact_calls`` under the date key of its own start, and the
  daily report counts it on that day;
* the drift is loaded without loss (raw reconciles with the ground truth), named by
  the loader, failed by the dictionary check, reported by Elementary's schema-change
  tests (the stewards' report and alerts read them), and the marts still build.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from reliability.reconcile import reconcile, summary
from sandbox.settings import SandboxSettings
from tests.conftest import (
    WAREHOUSE_ARGS,
    SandboxHandle,
    Warehouse,
    dbt_env,
    loader_env,
    run_dbt,
    run_loader,
)

ADVANCE_HOURS = 7 * 24
DRIFT = ("--drift", "added,renamed,retyped")
DRIFT_TEST = "assert_raw_columns_match_field_mapping"
SELECTION = (
    "--select",
    "+fact_calls +rpt_call_center_daily +fact_project_hours +dim_asset +dim_project "
    f"test_name:schema_changes {DRIFT_TEST}",
    "--exclude",
    "resource_type:unit_test",
    "--indirect-selection",
    "empty",
)
MARTS = ("fact_calls", "rpt_call_center_daily", "fact_project_hours", "dim_asset", "dim_project")
FAR_FUTURE = date(9999, 12, 31)


@dataclass
class Week:
    """The warehouse a week on, and what it held before."""

    built: Warehouse
    start_ms: int
    before: dict[str, set[str]]
    load_stderr: str
    statuses: dict[str, str]


def _ids(built: Warehouse, sql: str) -> set[str]:
    return {str(row[0]) for row in built.query(sql)}


@pytest.fixture(scope="module")
def week(
    warehouse: Warehouse,
    sandbox_factory: Callable[..., SandboxHandle],
    tmp_path_factory: pytest.TempPathFactory,
) -> Week:
    workdir = tmp_path_factory.mktemp("week")
    shutil.copy(warehouse.duckdb_path, workdir / "warehouse.duckdb")
    handle = sandbox_factory(*WAREHOUSE_ARGS, *DRIFT)
    start_ms = warehouse.sandbox.now_ms()
    handle.call("webphone", "/_sandbox/clock", "POST", {"set_ms": start_ms})
    # no dlt working directory: the loaders restore state and cursors from the warehouse
    env = {**loader_env(handle, workdir), **dbt_env(workdir)}
    built = Warehouse(handle, workdir, env)
    before = {
        "calls": _ids(built, "select id from raw_webphone.calls"),
        "tombstones": _ids(built, "select id from raw_webphone.customers_tombstones"),
        "removed": _ids(built, "select id from raw_bynder.media_removed"),
        "journal": _ids(built, "select sub_obj_id from raw_workfront.journal_entries"),
    }
    handle.advance(ADVANCE_HOURS * 60)
    loaded = run_loader(env)
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    run_dbt(env, "build", *SELECTION, check=False)
    results = json.loads((built.target_path / "run_results.json").read_text())["results"]
    statuses = {row["unique_id"].split(".")[-1]: row["status"] for row in results}
    return Week(built, start_ms, before, loaded.stderr, statuses)


def test_deleted_records_keep_their_history(week: Week) -> None:
    built = week.built
    erased = (
        _ids(
            built,
            "select customer_id from staging.stg_webphone__customers_tombstones "
            "where dq_issues is null",
        )
        - week.before["tombstones"]
    )
    assert erased, "the week should erase a customer that was loaded live"
    for customer in erased:
        versions = built.query(
            "select dbt_is_deleted, cast(dbt_valid_to as date) from "
            f"snapshots.webphone_customers_snapshot where customer_id = '{customer}' "
            "order by dbt_valid_from"
        )
        assert len(versions) >= 2 and versions[-1] == ("True", FAR_FUTURE), versions
        assert all(flag == "False" and to != FAR_FUTURE for flag, to in versions[:-1])
        current = built.query(
            "select is_deleted from marts.dim_customer "
            f"where customer_id = '{customer}' and is_current"
        )
        assert current == [(True,)], current
    removed = (
        _ids(
            built, "select asset_id from staging.stg_bynder__media_removed where dq_issues is null"
        )
        - week.before["removed"]
    )
    assert removed, "the week should remove an asset that was loaded live"
    for asset in removed:
        flags = built.query(
            "select dbt_is_deleted from snapshots.bynder_assets_snapshot "
            f"where asset_id = '{asset}' order by dbt_valid_from"
        )
        assert flags[0] == ("False",) and flags[-1] == ("True",), flags
    deleted_hours = (
        _ids(built, "select sub_obj_id from raw_workfront.journal_entries") - week.before["journal"]
    )
    assert deleted_hours, "the week should hard-delete time entries"
    kept = built.query(
        "select time_entry_id, is_deleted from marts.fact_project_hours where time_entry_id in "
        f"({', '.join(repr(i) for i in sorted(deleted_hours))})"
    )
    assert kept and all(flag for _, flag in kept), kept


def test_late_calls_land_on_the_day_they_started(week: Week) -> None:
    built = week.built
    late = built.query(
        "select call_id, call_date_key, cast(strftime(started_at, '%Y%m%d') as integer) "
        f"from marts.fact_calls where started_at < make_timestamp({week.start_ms * 1000}) "
        f"and call_id not in ({', '.join(repr(i) for i in sorted(week.before['calls']))})"
    )
    assert late, "some calls should arrive after the last load though they started before it"
    assert all(key == day for _, key, day in late), late
    days = ", ".join(str(day) for day in sorted({key for _, key, _ in late}))
    reported = dict(
        built.query(
            "select call_date_key, sum(calls) from marts.rpt_call_center_daily "
            f"where call_date_key in ({days}) group by 1"
        )
    )
    counted = dict(
        built.query(
            "select call_date_key, count(*) from marts.fact_calls "
            f"where not is_deleted and not is_near_duplicate and call_date_key in ({days}) "
            "group by 1"
        )
    )
    assert reported == counted, (reported, counted)


def test_drift_is_loaded_reported_and_the_marts_build(week: Week) -> None:
    built = week.built
    # loaded, nothing lost: raw reconciles record by record with the drifted world
    settings = SandboxSettings(
        scale=0.0005, history_days=10, defect_rate=0.002, drift=("added", "renamed", "retyped")
    )
    result = reconcile(built.duckdb_path, settings, built.sandbox.now_ms())
    assert result.ok, summary(result)
    assert built.query("select count(sentiment_score) from raw_webphone.calls")[0][0] > 0
    # named by the loader as it happened
    for column in ("media.property_sales_market", "projects.priority__v_text"):
        assert column in week.load_stderr, week.load_stderr[-2000:]
    assert "schema drift" in week.load_stderr
    # failed by the dictionary check, while every mart built
    assert week.statuses[DRIFT_TEST] == "fail", week.statuses
    assert all(week.statuses[mart] == "success" for mart in MARTS), week.statuses
    # reported for the stewards: Elementary's schema-change tests of the raw tables
    invocation = json.loads((built.target_path / "run_results.json").read_text())["metadata"]
    changes = set(
        built.query(
            "select lower(table_name), lower(column_name), test_sub_type"
            " from elementary.elementary_test_results"
            f" where invocation_id = '{invocation['invocation_id']}'"
            " and test_type = 'schema_change' and status = 'warn'"
        )
    )
    assert ("media", "property_sales_market", "column_added") in changes, changes
    assert ("projects", "priority__v_text", "column_added") in changes, changes
