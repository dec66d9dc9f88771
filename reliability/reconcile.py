"""Reconcile the raw schemas against the sandbox's ground truth, record by record.

The sandbox's data is a pure function of its settings and clock, so a local
:class:`~sandbox.world.World` with the same settings, set to the sandbox's clock, is
an exact oracle of what the APIs list. For every raw table this counts the records
**reconciled** (present once, at their current version), **lost** (listed by the
API, absent from raw), **duplicated** (more rows than the API delivered), **stale**
(present, but not at the current version) and **unexpected** (in raw, unknown to the
API). A correct load has zero in the last four.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from sandbox.settings import SandboxSettings
from sandbox.world import World

#: (schema, table, entity) of every merged raw table: one row per live record.
MERGED = (
    ("raw_webphone", "agents", "agents"),
    ("raw_webphone", "customers", "customers"),
    ("raw_webphone", "calls", "calls"),
    ("raw_webphone", "surveys", "surveys"),
    ("raw_bynder", "media", "media"),
    ("raw_workfront", "projects", "projects"),
    ("raw_workfront", "tasks", "tasks"),
    ("raw_workfront", "hours", "hours"),
    ("raw_workfront", "users", "users"),
    ("raw_workfront", "assignments", "assignments"),
)
#: The raw cursor column of each system and the API field it holds.
CURSOR = {
    "webphone": ("updated_at", "updated_at"),
    "bynder": ("date_modified", "dateModified"),
    "workfront": ("last_update_date", "lastUpdateDate"),
}
#: Tables without a documented modified-at field (Workfront's ASSGN): the fields a
#: change alters stand in for the cursor as the version, raw column -> API field.
VERSION_FIELDS = {"assignments": (("assigned_to_id", "assignedToID"), ("status", "status"))}
TOMBSTONES = ("agents", "customers", "calls", "surveys")


@dataclass
class TableCheck:
    """The reconciliation of one raw table."""

    table: str
    expected: int = 0
    reconciled: int = 0
    lost: int = 0
    duplicated: int = 0
    stale: int = 0
    unexpected: int = 0

    @property
    def ok(self) -> bool:
        """Nothing lost, duplicated, stale or unexpected."""
        return not (self.lost or self.duplicated or self.stale or self.unexpected)


@dataclass
class Reconciliation:
    """The reconciliation of all raw tables."""

    tables: list[TableCheck] = field(default_factory=list)

    def total(self, attribute: str) -> int:
        """Sum of one counter over all tables."""
        return sum(int(getattr(check, attribute)) for check in self.tables)

    @property
    def ok(self) -> bool:
        """Every table reconciles."""
        return all(check.ok for check in self.tables)

    def failures(self) -> list[TableCheck]:
        """The tables that do not reconcile."""
        return [check for check in self.tables if not check.ok]


def world_at(settings: SandboxSettings, now_ms: int) -> World:
    """A local copy of the sandbox's world (same settings), at ``now_ms``."""
    world = World(settings)
    world.set_now_ms(now_ms)
    return world


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def _appended(con: duckdb.DuckDBPyConnection, table: str, column: str) -> Counter[str]:
    """``column`` of each row of the append table ``table``, a reloaded job's copies once."""
    rows = _query(con, f"select any_value({column}) from {table} group by _dlt_id")
    return Counter(str(r[0]) for r in rows)


def _set_check(name: str, expected: Counter[str], found: Counter[str]) -> TableCheck:
    """Compare two multisets of keys."""
    check = TableCheck(name, expected=sum(expected.values()))
    for key, copies in found.items():
        wanted = expected.get(key, 0)
        if not wanted:
            check.unexpected += copies
        else:
            check.reconciled += min(copies, wanted)
            check.duplicated += max(0, copies - wanted)
    check.lost = sum(max(0, n - found.get(key, 0)) for key, n in expected.items())
    return check


def _merged(con: duckdb.DuckDBPyConnection, world: World, schema: str, table: str) -> TableCheck:
    entity = world.entity(table)
    system = entity.spec.system
    fields = VERSION_FIELDS.get(table, (CURSOR[system],))
    columns = ", ".join(column for column, _ in fields)
    truth = world.expected_ids(table)
    live = {k for k, v in truth.items() if v == "live"}
    rows = _query(con, f"select id, {columns} from {schema}.{table}")
    found = Counter(str(r[0]) for r in rows)
    stamps = {str(r[0]): tuple(r[1:]) for r in rows}
    check = TableCheck(f"{schema}.{table}", expected=len(live))
    check.duplicated = sum(n - 1 for n in found.values())
    check.unexpected = sum(1 for k in found if k not in truth)  # a deleted one keeps its row
    check.lost = len(live - set(found))
    now = world.now_ms()
    for record_id in live & set(found):
        item = entity.find(record_id, now)
        if item is None:
            check.stale += 1
            continue
        record = entity.render(item)
        if tuple(record.get(api_field) for _, api_field in fields) == stamps[record_id]:
            check.reconciled += 1
        else:
            check.stale += 1
    return check


def reconcile(db: Path, settings: SandboxSettings, now_ms: int) -> Reconciliation:
    """Reconcile every raw table of ``db`` with the sandbox's world at ``now_ms``."""
    world = world_at(settings, now_ms)
    result = Reconciliation()
    manifest = world.manifest()
    with duckdb.connect(str(db), read_only=True) as con:
        for schema, table, _ in MERGED:
            result.tables.append(_merged(con, world, schema, table))
        for entity in TOMBSTONES:
            deleted = {k for k, v in world.expected_ids(entity).items() if v == "deleted"}
            found = Counter(
                str(r[0]) for r in _query(con, f"select id from raw_webphone.{entity}_tombstones")
            )
            name = f"raw_webphone.{entity}_tombstones"
            result.tables.append(_set_check(name, Counter(deleted), found))
        # time entries deleted in Workfront: one journal entry each
        deleted_hours = {k for k, v in world.expected_ids("hours").items() if v == "deleted"}
        journal = _appended(con, "raw_workfront.journal_entries", "sub_obj_id")
        result.tables.append(
            _set_check("raw_workfront.journal_entries", Counter(deleted_hours), journal)
        )
        # usage events are appended as the API lists them: exact duplicates included
        usage = Counter({k: 1 for k, v in world.expected_ids("usage").items() if v == "live"})
        for row in manifest:
            if row["entity"] == "usage" and row["defect"] == "exact_duplicate":
                usage[str(row["record_id"])] += 1
        found_usage = _appended(con, "raw_bynder.usage", "id")
        result.tables.append(_set_check("raw_bynder.usage", usage, found_usage))
        media: Any = world.entity("media")
        removed = Counter(
            str(media.render_removed(item)["id"]) for item in media.removed_listing(0, now_ms)
        )
        found_removed = _appended(con, "raw_bynder.media_removed", "id")
        result.tables.append(_set_check("raw_bynder.media_removed", removed, found_removed))
        campaigns = Counter(
            {k: 1 for k, v in world.expected_ids("campaigns").items() if v == "live"}
        )
        found_campaigns = Counter(
            str(r[0]) for r in _query(con, "select id from raw_bynder.campaigns")
        )
        result.tables.append(_set_check("raw_bynder.campaigns", campaigns, found_campaigns))
    return result


def summary(result: Reconciliation) -> str:
    """One line per table that does not reconcile (empty when all do)."""
    return "\n".join(
        f"{c.table}: expected {c.expected}, lost {c.lost}, duplicated {c.duplicated}, "
        f"stale {c.stale}, unexpected {c.unexpected}"
        for c in result.failures()
    )
