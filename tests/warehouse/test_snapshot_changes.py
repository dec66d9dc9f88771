"""The large snapshots read only the touched records, and still record what new_record did.

The assets, customers and projects snapshots run with ``hard_deletes: ignore``: their
query (macro ``snapshot_changed_records``) writes the deletion rows itself, for the
records whose staging rows were loaded since the newest load the snapshot holds. A copy
of the session's warehouse is changed in staging, as a load would change it, and
snapshotted again:

* with nothing loaded, a run adds no version;
* a record quarantined by its latest row, and one the source deleted (assets and
  customers; Workfront has no deletion feed for projects), each get a closing version
  flagged ``dbt_is_deleted`` = 'True' that starts where the previous version ends; a
  record modified gets its new version; no other record changes;
* a deletion is written once, however often its tombstone is read again, and a record
  whose quarantine is lifted comes back with a live version after the deletion.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import Warehouse, dbt_env, query, run_dbt


@dataclass(frozen=True)
class Case:
    """A snapshot, the staging model it reads, and its deletion feed (if any)."""

    snapshot: str
    key: str
    staging: str
    stamp: str
    #: the staging model of the tombstones and its deletion time column
    tombstones: tuple[str, str] | None


CASES = (
    Case(
        "bynder_assets_snapshot",
        "asset_id",
        "stg_bynder__media",
        "modified_at",
        ("stg_bynder__media_removed", "removed_at"),
    ),
    Case(
        "webphone_customers_snapshot",
        "customer_id",
        "stg_webphone__customers",
        "updated_at",
        ("stg_webphone__customers_tombstones", "deleted_at"),
    ),
    Case(
        "workfront_projects_snapshot", "project_id", "stg_workfront__projects", "updated_at", None
    ),
)


def _versions(db: Path, case: Case, record: str) -> list[tuple[object, ...]]:
    return query(
        db,
        f"select dbt_is_deleted, dbt_valid_from, dbt_valid_to, {case.stamp} "
        f"from snapshots.{case.snapshot} where {case.key} = ? order by dbt_valid_from",
        [record],
    )


def _count(db: Path, case: Case) -> int:
    return int(query(db, f"select count(*) from snapshots.{case.snapshot}")[0][0])


def _change(db: Path, *statements: str) -> None:
    with duckdb.connect(str(db)) as con:
        for statement in statements:
            con.execute(statement)


@pytest.fixture(scope="module")
def snapshotted(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's warehouse, to change (each case its own snapshot)."""
    workdir = tmp_path_factory.mktemp("snapshot_changes")
    shutil.copy(warehouse.duckdb_path, workdir / "warehouse.duckdb")
    return workdir


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.snapshot)
def test_the_snapshot_records_only_the_touched_records(snapshotted: Path, case: Case) -> None:
    env = dbt_env(snapshotted)
    db = snapshotted / "warehouse.duckdb"
    snapshot, key, staging = f"snapshots.{case.snapshot}", case.key, f"staging.{case.staging}"
    live = [
        str(row[0])
        for row in query(
            db,
            f"select {key} from {snapshot} where dbt_is_deleted = 'False' "
            f"and dbt_valid_to = date '9999-12-31' order by {key} limit 3",
        )
    ]
    assert len(live) == 3, live
    quarantined, removed, modified = live
    before = _count(db, case)

    run_dbt(env, "snapshot", "--select", case.snapshot)
    assert _count(db, case) == before, "a run with nothing loaded adds versions"

    # a load: one record's latest row quarantined, one deleted, one modified
    loaded = f"(select max(_loaded_at) + interval 1 hour from {snapshot})"
    statements = [
        f"update {staging} set dq_issues = 'test: quarantined', "
        f"_loaded_at = {loaded} where {key} = '{quarantined}'",
        f"update {staging} set {case.stamp} = {case.stamp} + interval 1 day, "
        f"_loaded_at = {loaded} where {key} = '{modified}'",
    ]
    if case.tombstones:
        table, deleted_at = case.tombstones
        statements.append(
            f"insert into staging.{table} ({key}, {deleted_at}, _loaded_at) "
            f"select '{removed}', timestamp '2026-11-05 10:00:00', {loaded}"
        )
    _change(db, *statements)
    run_dbt(env, "snapshot", "--select", case.snapshot)
    closed = (quarantined, removed) if case.tombstones else (quarantined,)
    assert _count(db, case) == before + len(closed) + 1, "only the touched records get a version"
    for record in closed:
        versions = _versions(db, case, record)
        assert [flag for flag, *_ in versions[-2:]] == ["False", "True"], versions
        assert versions[-2][2] == versions[-1][1], "the deletion starts where the version ends"
    if not case.tombstones:
        assert [flag for flag, *_ in _versions(db, case, removed)][-1] == "False"
    changed = _versions(db, case, modified)
    assert [flag for flag, *_ in changed[-2:]] == ["False", "False"], changed
    assert changed[-1][1] == changed[-1][3], "a live version starts at its source stamp"

    # the next load lifts the quarantine; a tombstone is read again (within the lookback)
    _change(
        db,
        f"update {staging} set dq_issues = null, "
        f"_loaded_at = _loaded_at + interval 1 hour where {key} = '{quarantined}'",
    )
    run_dbt(env, "snapshot", "--select", case.snapshot)
    assert _count(db, case) == before + len(closed) + 2, "the deletion is recorded once"
    back = _versions(db, case, quarantined)
    assert [flag for flag, *_ in back[-3:]] == ["False", "True", "False"], back
    assert back[-2][2] == back[-1][1], "the record comes back where the deletion ends"
