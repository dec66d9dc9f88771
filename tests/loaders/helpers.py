"""Ground truth and warehouse reads shared by the loader tests."""

from __future__ import annotations

from pathlib import Path

from sandbox.settings import SandboxSettings
from sandbox.world import World
from tests.conftest import query

__all__ = ["current_stamps", "ids", "live", "query", "world_at"]

#: (schema, table, id column, entity) of every mutable raw table.
MERGED = (
    ("raw_webphone", "agents", "id", "agents"),
    ("raw_webphone", "customers", "id", "customers"),
    ("raw_webphone", "calls", "id", "calls"),
    ("raw_webphone", "surveys", "id", "surveys"),
    ("raw_bynder", "media", "id", "media"),
    ("raw_workfront", "projects", "id", "projects"),
    ("raw_workfront", "tasks", "id", "tasks"),
    ("raw_workfront", "hours", "id", "hours"),
    ("raw_workfront", "users", "id", "users"),
    ("raw_workfront", "assignments", "id", "assignments"),
)
CURSOR = {"webphone": "updated_at", "bynder": "date_modified", "workfront": "last_update_date"}
#: Workfront documents no modified-at field for ASSGN: the fields a reassignment alters
#: stand in as its version (raw column, API field).
VERSION = {"assignments": ("assigned_to_id", "assignedToID")}


def version_column(table: str, system: str) -> str:
    """The raw column that tells a record's versions apart."""
    return VERSION[table][0] if table in VERSION else CURSOR[system]


def world_at(settings: SandboxSettings, now_ms: int) -> World:
    """A local copy of the sandbox's world (same seed and settings), at ``now_ms``."""
    world = World(settings)
    world.set_now_ms(now_ms)
    return world


def ids(db: Path, schema: str, table: str, column: str = "id") -> list[str]:
    """Every value of the id column (duplicates kept)."""
    return [row[0] for row in query(db, f"select {column} from {schema}.{table}")]


def live(world: World, entity: str) -> set[str]:
    """Ids the API lists now."""
    return {k for k, v in world.expected_ids(entity).items() if v == "live"}


def deleted(world: World, entity: str) -> set[str]:
    """Ids deleted by now."""
    return {k for k, v in world.expected_ids(entity).items() if v == "deleted"}


def current_stamps(world: World, entity_name: str) -> dict[str, str]:
    """The cursor value (as the API renders it) of each live record's current version."""
    entity = world.entity(entity_name)
    cursor = {"webphone": "updated_at", "bynder": "dateModified", "workfront": "lastUpdateDate"}[
        entity.spec.system
    ]
    if entity_name in VERSION:
        cursor = VERSION[entity_name][1]
    out: dict[str, str] = {}
    for record_id in live(world, entity_name):
        item = entity.find(record_id, world.now_ms())
        assert item is not None
        out[record_id] = entity.render(item)[cursor]
    return out
