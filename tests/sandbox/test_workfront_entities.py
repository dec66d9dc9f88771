"""Workfront records of the sandbox: listings, ids, references, defects, drift, journal."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sandbox import formats
from sandbox.entity import Listing
from sandbox.pools import WORKFRONT_OFFSETS
from sandbox.settings import SandboxSettings
from sandbox.timeline import SLOT_MS, VARIANT_EXACT_DUPLICATE, VARIANT_STALE, Item
from sandbox.workfront.catalog import (
    ASSIGNMENT_STATUSES,
    CUSTOM_FIELDS,
    PRIORITY_LABELS,
    PROJECT_STATUSES,
    TASK_STATUSES,
)
from sandbox.workfront.entities import WORKFRONT_ENTITIES, Hours
from sandbox.world import World

NAMES = ("users", "projects", "tasks", "assignments", "hours")
OBJ_CODES = {
    "users": "USER",
    "projects": "PROJ",
    "tasks": "TASK",
    "assignments": "ASSGN",
    "hours": "HOUR",
}
DOCUMENTED_STATUSES = {
    "projects": PROJECT_STATUSES,
    "tasks": TASK_STATUSES,
    "assignments": ASSIGNMENT_STATUSES,
}
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d:\d{3}[+-]\d{4}$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def _world(**overrides: Any) -> World:
    settings: dict[str, Any] = {"scale": 0.0005, "history_days": 3}
    settings.update(overrides)
    return World(SandboxSettings(**settings))


@pytest.fixture(scope="module")
def world() -> World:
    return _world()


@pytest.fixture(scope="module")
def defect_world() -> World:
    """Enough records and defects that every kind shows up."""
    return _world(scale=0.002, defect_rate=0.05)


@pytest.fixture(scope="module")
def long_world() -> World:
    """Ten days of hours: several are old enough to have been deleted."""
    return _world(scale=0.002, history_days=10)


def _items(listing: Listing) -> list[Item]:
    return [item for i in range(listing.n_chunks) for item in listing.chunk(i)]


def _created(world: World, name: str) -> tuple[list[Item], list[dict[str, Any]]]:
    entity = world.entity(name)
    items = _items(entity.created_order(0, None, world.now_ms()))
    return items, [entity.render(item) for item in items]


def _ms(text: str) -> int:
    return int(formats.parse_workfront_datetime(text).timestamp() * 1000)


def _live(world: World, name: str) -> set[str]:
    return {i for i, state in world.expected_ids(name).items() if state == "live"}


# ----------------------------------------------------------------- registry
def test_registry_and_specs(world: World) -> None:
    assert [cls.spec.name for cls in WORKFRONT_ENTITIES] == list(NAMES)
    codes = [cls.spec.code for cls in WORKFRONT_ENTITIES]
    assert codes == [10, 11, 12, 13, 14]
    # the project records of the specification (users are a slow dimension on top)
    assert sum(cls.spec.per_day for cls in WORKFRONT_ENTITIES[1:]) == 350_000
    for cls in WORKFRONT_ENTITIES:
        assert cls.spec.system == "workfront"
        entity = world.entity(cls.spec.name)
        assert entity.obj_code == OBJ_CODES[cls.spec.name]  # type: ignore[attr-defined]
    assert [e.name for e in world.system_entities("workfront")] == list(NAMES)


def test_custom_field_catalog_is_static_and_large_enough() -> None:
    minimum = {"PROJ": 40, "TASK": 30, "USER": 10, "HOUR": 5, "ASSGN": 0}
    for code, fields in CUSTOM_FIELDS.items():
        assert len(fields) >= minimum[code], code
        labels = [f.label for f in fields]
        assert len(labels) == len(set(labels)), code
        for field in fields:
            assert field.type in ("text", "number", "date", "select")
            assert bool(field.options) == (field.type == "select")
    assert CUSTOM_FIELDS["ASSGN"] == ()
    proj = {f.label for f in CUSTOM_FIELDS["PROJ"]}
    for label in (
        "Cost Center",
        "Business Unit",
        "Region",
        "Campaign Code",
        "Brand",
        "Requested By",
        "Intake Date",
        "Budget Owner",
        "Priority Tier",
    ):
        assert label in proj
    # the catalog does not depend on the seed: two worlds compile the same labels
    a, b = _world(seed=1), _world(seed=2)
    for name in NAMES:
        keys_a = [c[0] for c in a.entity(name)._compiled]  # type: ignore[attr-defined]
        keys_b = [c[0] for c in b.entity(name)._compiled]  # type: ignore[attr-defined]
        assert keys_a == keys_b


# ------------------------------------------------------------------ listings
@pytest.mark.parametrize("name", NAMES)
def test_created_order_lists_every_live_record_in_id_order(defect_world: World, name: str) -> None:
    entity = defect_world.entity(name)
    items, records = _created(defect_world, name)
    ids = [r["ID"] for r in records]
    assert set(ids) == _live(defect_world, name)
    repeats = sum(1 for it in items if it.variant in (VARIANT_EXACT_DUPLICATE, VARIANT_STALE))
    assert len(ids) == len(set(ids)) + repeats
    for before, after, item in zip(ids, ids[1:], items[1:], strict=False):
        assert before <= after
        if before == after:  # only an injected duplicate or a stale version repeats an id
            assert entity.defect_of(item.slot, item.index) in (
                "exact_duplicate",
                "changed_between_pages",
            )
    for record in records:
        assert record["objCode"] == OBJ_CODES[name]
        assert HEX32.match(record["ID"])
        assert DATETIME.match(record["lastUpdateDate"])
        if name != "hours":
            assert DATETIME.match(record["entryDate"])
            assert _ms(record["entryDate"]) <= _ms(record["lastUpdateDate"])


@pytest.mark.parametrize("name", NAMES)
def test_updated_order_is_sorted_by_last_update_then_id(defect_world: World, name: str) -> None:
    entity = defect_world.entity(name)
    listing = entity.updated_order(0, None, defect_world.now_ms())
    records = [entity.render(item) for item in _items(listing)]
    assert {r["ID"] for r in records} == _live(defect_world, name)
    keys = [(_ms(r["lastUpdateDate"]), r["ID"]) for r in records]
    assert keys == sorted(keys)
    # a window of the listing holds exactly the versions stamped in it
    since = defect_world.now_ms() - 36 * 3_600_000
    window = entity.updated_order(since, None, defect_world.now_ms())
    stamped = [_ms(entity.render(item)["lastUpdateDate"]) for item in _items(window)]
    assert stamped == [ms for ms, _ in keys if ms >= since]


def test_ids_parse_back_to_their_position(world: World) -> None:
    for name in NAMES:
        entity = world.entity(name)
        for item in _items(entity.created_order(0, None, world.now_ms()))[:200]:
            assert entity.parse_id(entity.record_id(item.slot, item.index)) == (
                item.slot,
                item.index,
                0,
            )
        other = world.entity("tasks" if name != "tasks" else "projects")
        with pytest.raises(ValueError):
            entity.parse_id(other.record_id(*other.timeline.locate(0)))


def test_same_seed_same_json() -> None:
    def dump(world: World) -> str:
        out = {name: _created(world, name)[1] for name in NAMES}
        hours = world.entity("hours")
        assert isinstance(hours, Hours)
        journal = hours.journal_entries(0, None, world.now_ms())
        return json.dumps({"records": out, "journal": journal}, sort_keys=True)

    first = dump(_world(defect_rate=0.02))
    assert first == dump(_world(defect_rate=0.02))
    assert first != dump(_world(defect_rate=0.02, seed=7))


# ------------------------------------------------------------------ formats
def test_datetime_formats(world: World) -> None:
    for ms in (0, 1_777_777_777_123, 1_790_000_000_999, 1_700_000_000_000 - 1):
        for offset in WORKFRONT_OFFSETS:
            assert _ms(formats.workfront_datetime(ms, offset)) == ms
    _, tasks = _created(world, "tasks")
    for task in tasks:
        assert DATE.match(task["slackDate"])
        assert task["status"].split(":")[0] in TASK_STATUSES
        assert DATETIME.match(task["plannedStartDate"])
        assert task["parameterValues"] is not None
    _, hours = _created(world, "hours")
    for hour in hours:
        assert DATE.match(hour["entryDate"])
        assert hour["hours"] > 0 and hour["hours"] * 4 == int(hour["hours"] * 4)
        assert hour["hours"] <= 10


def test_parameter_values_follow_the_catalog(world: World) -> None:
    campaigns = world.entity("campaigns")
    keys = {
        campaigns.ref(it.slot, it.index)["key"]
        for it in _items(campaigns.created_order(0, None, world.now_ms()))
    }
    for name in NAMES:
        fields = {f.key: f for f in CUSTOM_FIELDS[OBJ_CODES[name]]}
        _, records = _created(world, name)
        set_share = []
        for record in records:
            values = record["parameterValues"]
            assert set(values) <= set(fields)
            for key, value in values.items():
                field = fields[key]
                if field.type == "number":
                    assert isinstance(value, int | float) and not isinstance(value, bool)
                elif field.type == "date":
                    assert DATE.match(value)
                elif field.type == "select":
                    assert value in field.options
                else:
                    assert isinstance(value, str) and value
            if fields:
                set_share.append(len(values) / len(fields))
        if fields:
            share = sum(set_share) / len(set_share)
            assert 0.3 <= share <= 0.6, (name, share)
    _, projects = _created(world, "projects")
    codes = [p["parameterValues"].get("DE:Campaign Code") for p in projects]
    with_code = [c for c in codes if c is not None]
    assert 0.3 <= len(with_code) / len(codes) <= 0.7
    assert set(with_code) <= keys


# --------------------------------------------------------------- references
def _check_refs(
    world: World,
    name: str,
    field: str,
    target: str,
    allowed_defects: tuple[str, ...],
) -> int:
    entity = world.entity(name)
    target_entity = world.entity(target)
    existing = set(world.expected_ids(target))
    items, records = _created(world, name)
    checked = 0
    for item, record in zip(items, records, strict=True):
        value = record[field]
        defect = entity.defect_of(item.slot, item.index)
        if value is None or value not in existing:
            assert defect in allowed_defects, (name, field, value, defect)
            continue
        if item.slot >= world.origin_ms // SLOT_MS:
            # in the history window every referenced record was created earlier
            ref_slot, _, _ = target_entity.parse_id(value)
            assert ref_slot < item.slot
        checked += 1
    return checked


def test_cross_references_resolve(defect_world: World) -> None:
    w = defect_world
    assert _check_refs(w, "tasks", "projectID", "projects", ("orphan_fk", "null_required"))
    assert _check_refs(w, "hours", "taskID", "tasks", ("orphan_fk",))
    assert _check_refs(w, "hours", "projectID", "projects", ())
    assert _check_refs(w, "hours", "ownerID", "users", ("null_required",))
    assert _check_refs(w, "assignments", "assignedToID", "users", ("orphan_fk",))
    assert _check_refs(w, "assignments", "taskID", "tasks", ())
    assert _check_refs(w, "assignments", "projectID", "projects", ())
    assert _check_refs(w, "projects", "ownerID", "users", ("orphan_fk",))
    # an assignment and an hour carry the project of their task
    tasks = {r["ID"]: r for r in _created(w, "tasks")[1]}
    for name in ("assignments", "hours"):
        for record in _created(w, name)[1]:
            task = tasks.get(record["taskID"])
            if task is not None and task["projectID"] is not None:
                parent_project = task["projectID"]
                if parent_project in w.expected_ids("projects"):
                    assert record["projectID"] == parent_project


def test_users_overlap_with_agents() -> None:
    w = _world(scale=0.1, history_days=1)
    agents = w.entity("agents")
    agent_emails = {
        a["email"]: a
        for a in (agents.render(it) for it in _items(agents.created_order(0, None, w.now_ms())))
    }
    users = w.entity("users")
    items, records = _created(w, "users")
    shared = 0
    changed_email = 0
    for item, user in zip(items, records, strict=True):
        seq = users.timeline.seq_start(item.slot) + item.index
        agent = agent_emails.get(user["username"])
        if agent is not None:
            shared += 1
            assert seq % 10 == 0
            assert (user["firstName"], user["lastName"]) == (
                agent["first_name"],
                agent["last_name"],
            )
        if user["emailAddr"] != user["username"] and user["emailAddr"] is not None:
            changed_email += 1  # the email changed; the username did not
            assert user["emailAddr"].split("@")[0] == user["username"].split("@")[0]
    assert shared >= len(records) // 10 - 1
    assert changed_email > 0
    usernames = [r["username"] for r in records]
    assert len(set(usernames)) == len(set(r["ID"] for r in records))


# ------------------------------------------------------------------ defects
def test_every_manifest_defect_is_visible(defect_world: World) -> None:
    w = defect_world
    manifest = [row for row in w.manifest() if row["system"] == "workfront"]
    kinds = Counter((row["entity"], row["defect"]) for row in manifest)
    for name in NAMES[1:]:  # the few users of a small world may escape every defect
        for kind in w.entity(name).spec.defect_kinds:
            assert kinds[(name, kind)] > 0, (name, kind)
    by_id: dict[str, dict[str, list[dict[str, Any]]]] = {}
    expected: dict[str, dict[str, str]] = {}
    for name in NAMES:
        expected[name] = w.expected_ids(name)
        grouped: dict[str, list[dict[str, Any]]] = {}
        for record in _created(w, name)[1]:
            grouped.setdefault(record["ID"], []).append(record)
        by_id[name] = grouped
    known_ids = {i for ids in expected.values() for i in ids}
    for row in manifest:
        name, record_id, kind = row["entity"], row["record_id"], row["defect"]
        if expected[name].get(record_id) == "deleted":
            continue  # a hard-deleted hour is no longer listed
        seen = by_id[name].get(record_id, [])
        assert seen, row
        if kind == "exact_duplicate":
            assert len(seen) >= 2 and all(r == seen[0] for r in seen), row
        elif kind == "near_duplicate":
            assert row["detail"].startswith("duplicate of ")
            original = by_id[name][row["detail"].removeprefix("duplicate of ")]
            assert {k: v for k, v in seen[0].items() if k != "ID"} == {
                k: v for k, v in original[-1].items() if k != "ID"
            }
        elif kind == "changed_between_pages":
            assert len(seen) >= 2
            assert len({r["lastUpdateDate"] for r in seen}) >= 2
        else:
            field = row["field"]
            for record in seen:
                value = record[field]
                if kind == "null_required":
                    assert value is None
                elif kind == "orphan_fk":
                    assert value not in known_ids and HEX32.match(value)
                elif kind == "negative_value":
                    assert value < 0
                elif kind == "unknown_enum":
                    assert value not in DOCUMENTED_STATUSES[name]
                elif kind == "timestamp_format":
                    assert field in ("plannedStartDate", "plannedCompletionDate", "entryDate")
                    assert not DATETIME.match(value) and not DATE.match(value)
                else:
                    raise AssertionError(row)
    # cursor fields are never defective
    for name in NAMES:
        for records in by_id[name].values():
            for record in records:
                assert DATETIME.match(record["lastUpdateDate"])
                if name != "hours":
                    assert DATETIME.match(record["entryDate"])


# ------------------------------------------------------------ hard deletes
def test_deleted_hours_only_appear_as_journal_entries(long_world: World) -> None:
    w = long_world
    hours = w.entity("hours")
    assert isinstance(hours, Hours)
    now = w.now_ms()
    expected = w.expected_ids("hours")
    deleted = {i for i, state in expected.items() if state == "deleted"}
    assert deleted, "the ten-day world should hold some deleted hours"
    journal = hours.journal_entries(0, None, now)
    assert {entry["subObjID"] for entry in journal} == deleted
    keys = [(_ms(entry["entryDate"]), entry["ID"]) for entry in journal]
    assert keys == sorted(keys)
    for entry in journal:
        assert entry["objCode"] == "JRNLE" and entry["subObjCode"] == "HOUR"
        assert entry["changeType"] == "D" and entry["fieldName"] == "hours"
        assert entry["objObjCode"] == "PROJ" and entry["objID"] in w.expected_ids("projects")
        assert entry["newNumberVal"] is None and entry["oldNumberVal"]
        assert HEX32.match(entry["ID"])
    assert len({entry["ID"] for entry in journal}) == len(journal)
    listed = {r["ID"] for r in _created(w, "hours")[1]}
    assert not listed & deleted
    updated = {hours.render(it)["ID"] for it in _items(hours.updated_order(0, None, now))}
    assert not updated & deleted
    # windows split the journal without loss or overlap
    middle = _ms(journal[len(journal) // 2]["entryDate"])
    split = hours.journal_entries(0, middle, now) + hours.journal_entries(middle, None, now)
    assert split == journal
    # rendering a deletion is refused: Workfront keeps nothing of the record
    item = next(
        it
        for it in _items(hours.created_order(0, None, now, include_deleted=True))
        if hours.is_delete(it)
    )
    with pytest.raises(ValueError):
        hours.render(item)


# -------------------------------------------------------------------- drift
def test_retyped_drift_turns_project_priority_into_a_label() -> None:
    start = datetime(2026, 11, 2, tzinfo=UTC)
    drift_at = start - timedelta(days=1)
    w = _world(drift=("retyped",), drift_at=drift_at.isoformat())
    drift_ms = int(drift_at.timestamp() * 1000)
    projects = w.entity("projects")
    before = after = 0
    for item in _items(projects.updated_order(0, None, w.now_ms())):
        record = projects.render(item)
        if _ms(record["lastUpdateDate"]) >= drift_ms:
            assert record["priority"] in PRIORITY_LABELS
            after += 1
        else:
            assert isinstance(record["priority"], int) and 0 <= record["priority"] <= 4
            before += 1
    assert before and after
    plain = _world()
    for item in _items(plain.entity("projects").created_order(0, None, plain.now_ms())):
        assert isinstance(plain.entity("projects").render(item)["priority"], int)


def test_project_life_cycle(long_world: World) -> None:
    _, projects = _created(long_world, "projects")
    statuses = Counter(p["status"].split(":")[0] for p in projects)
    assert {"CUR", "CPL", "PLN"} <= set(statuses)
    for project in projects:
        if project["status"] == "CPL":
            assert project["percentComplete"] == 100.0
            assert project["actualCompletionDate"] is not None
            assert project["actualStartDate"] is not None
        if project["status"] in ("PLN", "REQ", "APR", "IDA"):
            assert project["actualStartDate"] is None
        if project["currency"] is not None:
            assert project["currency"] in ("USD", "EUR", "GBP")


def test_custom_statuses_are_a_base_status_and_a_letter(long_world: World) -> None:
    """Workfront sends an organisation's custom statuses as ``<base>:<letter>``."""
    for name, statuses in (("projects", PROJECT_STATUSES), ("tasks", TASK_STATUSES)):
        _, records = _created(long_world, name)
        custom = [r["status"] for r in records if ":" in str(r["status"])]
        assert custom, name
        for status in custom:
            base, letter = status.split(":")
            assert base in statuses and len(letter) == 1 and letter.isupper(), status


def test_strict_assignments_have_only_their_documented_fields() -> None:
    documented = {
        "ID", "objCode", "taskID", "opTaskID", "projectID", "assignedToID", "assignedByID",
        "roleID", "teamID", "assignmentPercent", "isPrimary", "status", "work",
        "workRequired", "actualWorkCompleted", "workUnit", "parameterValues",
    }  # fmt: skip
    _, strict = _created(_world(strict=True), "assignments")
    assert strict and all(set(record) <= documented for record in strict)
    _, default = _created(_world(), "assignments")
    assert all("lastUpdateDate" in record for record in default)
