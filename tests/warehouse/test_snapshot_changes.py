"""The assets snapshot reads only the touched assets, and still records what new_record did.

``bynder_assets_snapshot`` runs with ``hard_deletes: ignore``: its query (macro
``snapshot_changed_records``) writes the deletion rows itself, for the assets whose
staging rows were loaded since the newest load it holds. A copy of the session's
warehouse is changed in staging, as a load would change it, and snapshotted again:

* with nothing loaded, a run adds no version;
* an asset quarantined by its latest row, and an asset the source removed, each get a
  closing version flagged ``dbt_is_deleted`` = 'True' that starts where the previous
  version ends; an asset modified gets its new version; no other asset changes;
* a deletion is written once, however often its tombstone is read again, and an asset
  whose quarantine is lifted comes back with a live version after the deletion.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import Warehouse, dbt_env, query, run_dbt

SNAPSHOT = "snapshots.bynder_assets_snapshot"
VERSIONS = (
    "select dbt_is_deleted, dbt_valid_from, dbt_valid_to, modified_at "
    f"from {SNAPSHOT} where asset_id = ? order by dbt_valid_from"
)


def _snapshot(env: dict[str, str]) -> None:
    run_dbt(env, "snapshot", "--select", "bynder_assets_snapshot")


def _versions(db: Path, asset: str) -> list[tuple[object, ...]]:
    return query(db, VERSIONS, [asset])


def _count(db: Path) -> int:
    return int(query(db, f"select count(*) from {SNAPSHOT}")[0][0])


def _change(db: Path, *statements: str) -> None:
    with duckdb.connect(str(db)) as con:
        for statement in statements:
            con.execute(statement)


@pytest.fixture(scope="module")
def snapshotted(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's warehouse, to change."""
    workdir = tmp_path_factory.mktemp("snapshot_changes")
    shutil.copy(warehouse.duckdb_path, workdir / "warehouse.duckdb")
    return workdir


def test_the_snapshot_records_only_the_touched_assets(snapshotted: Path) -> None:
    env = dbt_env(snapshotted)
    db = snapshotted / "warehouse.duckdb"
    live = [
        str(row[0])
        for row in query(
            db,
            f"select asset_id from {SNAPSHOT} where dbt_is_deleted = 'False' "
            "and dbt_valid_to = date '9999-12-31' order by asset_id limit 3",
        )
    ]
    assert len(live) == 3, live
    quarantined, removed, modified = live
    before = _count(db)

    _snapshot(env)
    assert _count(db) == before, "a run with nothing loaded adds versions"

    # a load: one asset's latest row quarantined, one removed, one modified
    loaded = f"(select max(_loaded_at) + interval 1 hour from {SNAPSHOT})"
    _change(
        db,
        f"update staging.stg_bynder__media set dq_issues = 'test: quarantined', "
        f"_loaded_at = {loaded} where asset_id = '{quarantined}'",
        "insert into staging.stg_bynder__media_removed (asset_id, removed_at, _loaded_at) "
        f"select '{removed}', timestamp '2026-11-05 10:00:00', {loaded}",
        "update staging.stg_bynder__media set modified_at = modified_at + interval 1 day, "
        f"_loaded_at = {loaded} where asset_id = '{modified}'",
    )
    _snapshot(env)
    assert _count(db) == before + 3, "only the three touched assets get a version"
    for asset in (quarantined, removed):
        versions = _versions(db, asset)
        assert [flag for flag, *_ in versions[-2:]] == ["False", "True"], versions
        assert versions[-2][2] == versions[-1][1], "the deletion starts where the version ends"
    changed = _versions(db, modified)
    assert [flag for flag, *_ in changed] == ["False", "False"], changed
    assert changed[-1][1] == changed[-1][3], "a live version starts at its modified_at"

    # the next load lifts the quarantine; the removal is read again (within the lookback)
    _change(
        db,
        "update staging.stg_bynder__media set dq_issues = null, "
        f"_loaded_at = _loaded_at + interval 1 hour where asset_id = '{quarantined}'",
    )
    _snapshot(env)
    assert _count(db) == before + 4, "the removal is recorded once"
    back = _versions(db, quarantined)
    assert [flag for flag, *_ in back[-3:]] == ["False", "True", "False"], back
    assert back[-2][2] == back[-1][1], "the asset comes back where the deletion ends"
