"""Bynder data layer: metaproperty catalog, media, usage and the recently-removed list."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from sandbox.bynder.catalog import (
    INTEGRATIONS,
    METAPROPERTIES,
    REMOVED_WINDOW_MS,
    metaproperties_payload,
)
from sandbox.bynder.entities import Media, Usage
from sandbox.settings import SandboxSettings
from sandbox.timeline import (
    DAY_MS,
    VARIANT_EXACT_DUPLICATE,
    VARIANT_NEAR_DUPLICATE,
    VARIANT_RECORD,
    VARIANT_STALE,
    Item,
)
from sandbox.world import World

SETTINGS = SandboxSettings(scale=0.0005, history_days=3, defect_rate=0.05)
GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{16}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
WORKFRONT_ID = re.compile(r"^[0-9a-f]{32}$")
ISO_S_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ISO_MICRO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
CORE_FIELDS = [
    "id", "name", "description", "copyright", "type", "orientation", "brandId", "subBrandId",
    "tags", "propertyOptions", "extension", "fileSize", "width", "height", "dateCreated",
    "dateModified", "datePublished", "archive", "isPublic", "limited", "watermarked", "idHash",
    "userCreated", "activeVersion", "thumbnails",
]  # fmt: skip
TYPES = {"image", "document", "audio", "video"}
CATALOG = {m.name: m for m in METAPROPERTIES}


def listing(world: World, name: str) -> list[tuple[Item, dict[str, Any]]]:
    """Every item of the full "modified since 0" listing, with its rendered record."""
    entity = world.entity(name)
    order = entity.updated_order(0, None, world.now_ms())
    return [(item, entity.render(item)) for i in range(order.n_chunks) for item in order.chunk(i)]


def parse_s(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


@pytest.fixture(scope="module")
def world() -> World:
    return World(SETTINGS)


@pytest.fixture(scope="module")
def media_rows(world: World) -> list[tuple[Item, dict[str, Any]]]:
    return listing(world, "media")


@pytest.fixture(scope="module")
def usage_rows(world: World) -> list[tuple[Item, dict[str, Any]]]:
    return listing(world, "usage")


@pytest.fixture(scope="module")
def manifest(world: World) -> list[dict[str, Any]]:
    return [row for row in world.manifest() if row["entity"] in ("media", "usage")]


# ------------------------------------------------------------ metaproperties
def test_catalog_is_static_and_large() -> None:
    assert len(METAPROPERTIES) >= 170
    assert len(CATALOG) == len(METAPROPERTIES)  # unique names
    for name in ("WorkfrontProjectID", "Campaign", "Expiry_Date", "Accession_Number"):
        assert name in CATALOG
    assert CATALOG["WorkfrontProjectID"].type == "text"
    assert CATALOG["Campaign"].type == "text"
    assert CATALOG["Expiry_Date"].type == "date"
    market = CATALOG["Market"]
    assert market.type == "select" and market.is_multiselect
    assert market.options == ("EMEA", "NA", "APAC", "LATAM")
    assert CATALOG["AssetStatus"].type == "select" and not CATALOG["AssetStatus"].is_multiselect
    assert {m.type for m in METAPROPERTIES} == {"select", "text", "date"}
    assert [m.zindex for m in METAPROPERTIES] == list(range(1, len(METAPROPERTIES) + 1))
    assert all(m.options for m in METAPROPERTIES if m.type == "select")
    assert not any(m.options for m in METAPROPERTIES if m.type != "select")


def test_metaproperties_payload_shape() -> None:
    payload = metaproperties_payload(renamed=False)
    assert len(payload) >= 170
    assert list(payload) == [m.name for m in METAPROPERTIES]
    option_ids: list[str] = []
    for key, value in payload.items():
        assert value["name"] == key
        assert set(value) == {
            "id", "name", "label", "type", "isMultiSelect", "isRequired", "isFilterable",
            "isMainfilter", "isEditable", "zindex", "labels", "options",
        }  # fmt: skip
        assert GUID.match(value["id"])
        assert value["labels"] == {"en_US": value["label"]}
        for k, option in enumerate(value["options"], start=1):
            assert set(option) == {
                "id", "name", "label", "zindex", "isSelectable", "linkedOptionIds", "options",
            }  # fmt: skip
            assert option["zindex"] == str(k)
            assert GUID.match(option["id"])
            option_ids.append(option["id"])
    assert len(option_ids) == len(set(option_ids))
    ids = [value["id"] for value in payload.values()]
    assert len(ids) == len(set(ids))
    assert orjson.dumps(payload) == orjson.dumps(metaproperties_payload(renamed=False))


def test_metaproperties_payload_renamed() -> None:
    plain = metaproperties_payload(renamed=False)
    renamed = metaproperties_payload(renamed=True)
    assert "Market" in plain and "Sales_Market" not in plain
    assert "Sales_Market" in renamed and "Market" not in renamed
    assert len(renamed) == len(plain)
    moved = renamed["Sales_Market"]
    assert moved["name"] == "Sales_Market"
    assert {**moved, "name": "Market"} == plain["Market"]
    assert {k: v for k, v in renamed.items() if k != "Sales_Market"} == {
        k: v for k, v in plain.items() if k != "Market"
    }


# ------------------------------------------------------------------- media
def test_media_ids_round_trip(world: World) -> None:
    media = world.entity("media")
    usage = world.entity("usage")
    slot = world.now_ms() // 60_000 - 1234
    for index in (0, 7, 999):
        for variant in (0, VARIANT_NEAR_DUPLICATE):
            text = media.record_id(slot, index, variant)
            assert GUID.match(text)
            assert media.parse_id(text) == (slot, index, variant)
    uid = usage.record_id(slot, 3)
    assert UUID.match(uid) and usage.parse_id(uid) == (slot, 3, 0)
    with pytest.raises(ValueError):
        media.parse_id(uid)
    with pytest.raises(ValueError):
        usage.parse_id(media.record_id(slot, 3))


def test_media_listing_yields_the_live_ids(
    world: World, media_rows: list[tuple[Item, dict[str, Any]]]
) -> None:
    expected = world.expected_ids("media")
    live = {i for i, state in expected.items() if state == "live"}
    deleted = {i for i, state in expected.items() if state == "deleted"}
    assert live and len(media_rows) > 1000
    by_id: defaultdict[str, list[Item]] = defaultdict(list)
    for item, record in media_rows:
        assert "dateRemoved" not in record  # removals are not listed as assets
        by_id[record["id"]].append(item)
    assert live <= set(by_id)
    # A deleted record only shows as the stale copy of a version read before the removal.
    for record_id in set(by_id) - live:
        assert record_id in deleted
        assert {item.variant for item in by_id[record_id]} == {VARIANT_STALE}
    for record_id in live:
        items = by_id[record_id]
        main = [it for it in items if it.variant in (VARIANT_RECORD, VARIANT_NEAR_DUPLICATE)]
        assert len(main) == 1, record_id
        assert all(it.variant in (VARIANT_EXACT_DUPLICATE, VARIANT_STALE) for it in items
                   if it not in main)  # fmt: skip
    extra = Counter(item.variant for item, _ in media_rows)
    assert extra[VARIANT_EXACT_DUPLICATE] > 0 and extra[VARIANT_NEAR_DUPLICATE] > 0
    assert extra[VARIANT_STALE] > 0


def test_media_record_shape(world: World, media_rows: list[tuple[Item, dict[str, Any]]]) -> None:
    media = world.entity("media")
    assert isinstance(media, Media)
    counts: Counter[str] = Counter()
    option_names = {
        oid: (m.name, option)
        for i, m in enumerate(METAPROPERTIES)
        for oid, option in zip(
            (o["id"] for o in metaproperties_payload(False)[m.name]["options"]),
            m.options,
            strict=True,
        )
    }
    for item, record in media_rows:
        if media.defect_of(item.slot, item.index) is not None:
            continue  # defects are checked against the manifest
        assert list(record)[: len(CORE_FIELDS)] == CORE_FIELDS
        assert GUID.match(record["id"])
        assert record["type"] in TYPES and record["name"]
        assert record["orientation"] in ("landscape", "portrait", "square")
        assert isinstance(record["extension"], list) and len(record["extension"]) == 1
        if record["type"] in ("audio", "document"):
            assert record["width"] is None and record["height"] is None
        else:
            assert record["width"] > 0 and record["height"] > 0
        assert isinstance(record["fileSize"], int) and record["fileSize"] > 0
        for flag in ("archive", "isPublic", "limited", "watermarked"):
            assert record[flag] in (0, 1) and type(record[flag]) is int
        for field in ("dateCreated", "dateModified", "datePublished"):
            assert ISO_S_Z.match(record[field]), field
        assert record["datePublished"] <= record["dateCreated"] <= record["dateModified"]
        assert parse_s(record["dateModified"]) == item.time_ms // 1000 * 1000
        assert re.match(r"^[0-9a-f]{16}$", record["idHash"])
        assert set(record["thumbnails"]) == {"mini", "thul", "webimage"}
        assert all(isinstance(tag, str) for tag in record["tags"])
        assert isinstance(record["description"], str) and isinstance(record["copyright"], str)
        counts["empty_description"] += record["description"] == ""
        counts["rows"] += 1
        props = {k[len("property_") :]: v for k, v in record.items() if k.startswith("property_")}
        assert {"Market", "Channel", "AssetStatus"} <= set(props)
        optional = set(props) - {"Market", "Channel", "AssetStatus", "WorkfrontProjectID",
                                 "Campaign"}  # fmt: skip
        assert 3 <= len(optional) <= 8
        selected: set[str] = set()
        for name, value in props.items():
            meta = CATALOG[name]
            if meta.type == "select":
                assert isinstance(value, list) and value and set(value) <= set(meta.options)
                if not meta.is_multiselect:
                    assert len(value) == 1
                selected |= {f"{name}={v}" for v in value}
            elif meta.type == "date":
                assert DATE.match(value)
            else:
                assert isinstance(value, str) and value
        assert {"=".join(option_names[o]) for o in record["propertyOptions"]} == selected
        assert len(record["propertyOptions"]) == len(selected)
        counts["workfront"] += "WorkfrontProjectID" in props
        counts["campaign"] += "Campaign" in props
        counts["archived"] += record["archive"]
    assert 0.3 < counts["empty_description"] / counts["rows"] < 0.7
    if "projects" in world.entities:
        assert 0.6 < counts["workfront"] / counts["rows"] < 0.8
    assert 0.3 < counts["campaign"] / counts["rows"] < 0.5
    assert counts["archived"] > 0


def test_media_changes(world: World, media_rows: list[tuple[Item, dict[str, Any]]]) -> None:
    media = world.entity("media")
    edited = 0
    for item, record in media_rows:
        if item.variant != VARIANT_RECORD or item.version == 0:
            continue
        if media.defect_of(item.slot, item.index) is not None:
            continue
        changes = media.applied_changes(item.slot, item.index, item.version)
        first = media.render(item._replace(version=0, time_ms=media.version_times(
            item.slot, item.index)[0]))  # fmt: skip
        assert record["archive"] == (1 if "archived" in changes else 0)
        if "metadata_edit" in changes:
            edited += 1
            assert record["tags"][: len(first["tags"])] == first["tags"]
            assert len(record["tags"]) == len(first["tags"]) + 1
            props = {k: v for k, v in record.items() if k.startswith("property_")}
            before = {k: v for k, v in first.items() if k.startswith("property_")}
            assert list(props) == list(before)
            assert sum(props[k] != before[k] for k in props) <= 1
        assert record["dateCreated"] == first["dateCreated"]
    assert edited > 0


def test_workfront_project_links(
    world: World, media_rows: list[tuple[Item, dict[str, Any]]]
) -> None:
    assert "projects" in world.entities, "Bynder links Workfront projects: both must exist"
    media = world.entity("media")
    projects = world.entity("projects")
    known = world.expected_ids("projects")
    checked = 0
    for item, record in media_rows:
        value = record.get("property_WorkfrontProjectID")
        if value is None:
            continue
        assert WORKFRONT_ID.match(value)
        if media.defect_of(item.slot, item.index) == "orphan_fk":
            assert value not in known
            continue
        assert value in known
        slot, index, _ = projects.parse_id(value)
        assert projects.created_ms(slot, index) < parse_s(record["dateCreated"])
        checked += 1
    assert checked > 100


def test_campaign_keys_are_existing_campaigns(
    world: World, media_rows: list[tuple[Item, dict[str, Any]]]
) -> None:
    campaigns = world.entity("campaigns")
    keys = {campaigns.ref(*campaigns.timeline.locate(seq))["key"]
            for seq in range(campaigns.timeline.created_before(world.now_ms()))}  # fmt: skip
    values = [r["property_Campaign"] for _, r in media_rows if "property_Campaign" in r]
    assert values and set(values) <= keys


def test_renamed_drift() -> None:
    settings = SandboxSettings(
        scale=0.0005, history_days=3, drift=("renamed",), drift_at="2026-11-01T00:00:00Z"
    )
    drifted = World(settings)
    drift_at = settings.drift_at_ms
    before = after = 0
    for item, record in listing(drifted, "media"):
        if item.time_ms >= drift_at:
            assert "property_Sales_Market" in record and "property_Market" not in record
            assert set(record["property_Sales_Market"]) <= {"EMEA", "NA", "APAC", "LATAM"}
            after += 1
        else:
            assert "property_Market" in record and "property_Sales_Market" not in record
            before += 1
    assert before and after


# ----------------------------------------------------------------- defects
def test_every_defect_shows_in_the_records(
    world: World,
    media_rows: list[tuple[Item, dict[str, Any]]],
    usage_rows: list[tuple[Item, dict[str, Any]]],
    manifest: list[dict[str, Any]],
) -> None:
    rendered = {"media": media_rows, "usage": usage_rows}
    by_id: dict[str, dict[str, list[tuple[Item, dict[str, Any]]]]] = {}
    for name, rows in rendered.items():
        index: defaultdict[str, list[tuple[Item, dict[str, Any]]]] = defaultdict(list)
        for item, record in rows:
            index[record["id"]].append((item, record))
        by_id[name] = index
    states = {name: world.expected_ids(name) for name in rendered}
    known_projects = world.expected_ids("projects") if "projects" in world.entities else {}
    seen: Counter[tuple[str, str]] = Counter()
    for row in manifest:
        name, kind, record_id, field = row["entity"], row["defect"], row["record_id"], row["field"]
        if states[name][record_id] == "deleted":
            continue  # removed assets are not listed
        found = by_id[name][record_id]
        assert found, row
        records = [record for _, record in found]
        seen[name, kind] += 1
        if kind == "exact_duplicate":
            assert len(records) >= 2
            assert any(orjson.dumps(a) == orjson.dumps(b)
                       for n, a in enumerate(records) for b in records[n + 1 :])  # fmt: skip
        elif kind == "near_duplicate":
            original = row["detail"].removeprefix("duplicate of ")
            assert original != record_id
            copies = [r for _, r in by_id[name][original]]
            assert any({**r, "id": None} == {**records[0], "id": None} for r in copies)
        elif kind == "changed_between_pages":
            assert len({r["dateModified"] for r in records}) >= 2
        else:
            entity = world.entity(name)
            bad = entity.row(*entity.parse_id(record_id)[:2])["_defect"]
            assert field == bad[0]
            for record in records:
                value = record[field]
                assert value == bad[2]
                if kind == "null_required":
                    assert value is None
                elif kind == "unknown_enum":
                    assert value not in TYPES
                elif kind == "negative_value":
                    assert value < 0
                elif kind == "timestamp_format":
                    assert not (ISO_S_Z if name == "media" else ISO_MICRO).match(value)
                elif kind == "orphan_fk" and name == "media":
                    assert WORKFRONT_ID.match(value) and value not in known_projects
                elif kind == "orphan_fk":
                    assert GUID.match(value) and value not in states["media"]
    for name in ("media", "usage"):
        kinds = set(world.entity(name).spec.defect_kinds)
        assert {k for n, k in seen if n == name} == kinds, name


# ------------------------------------------------------------------- usage
def test_usage_rows(world: World, usage_rows: list[tuple[Item, dict[str, Any]]]) -> None:
    usage = world.entity("usage")
    assert isinstance(usage, Usage)
    media_ids = world.expected_ids("media")
    integrations = dict(INTEGRATIONS)
    assert len(usage_rows) > 100
    assert {r["id"] for _, r in usage_rows} == set(world.expected_ids("usage"))
    for item, record in usage_rows:
        assert list(record) == ["id", "asset_id", "integration", "timestamp", "uri", "additional"]
        assert UUID.match(record["id"])
        defect = usage.defect_of(item.slot, item.index)
        if defect == "orphan_fk":
            assert record["asset_id"] not in media_ids
        else:
            assert record["asset_id"] in media_ids
            slot, index, _ = world.entity("media").parse_id(record["asset_id"])
            assert world.entity("media").created_ms(slot, index) < item.time_ms
        integration = record["integration"]
        assert integrations[integration["id"]] == integration["description"]
        if defect != "timestamp_format":
            assert ISO_MICRO.match(record["timestamp"])
            assert record["timestamp"][:19] == datetime.fromtimestamp(
                item.time_ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S")  # fmt: skip
        if defect != "null_required":
            assert record["uri"].startswith("/")
        assert isinstance(record["additional"], str)


# ------------------------------------------------------------- determinism
def test_same_seed_same_json(
    media_rows: list[tuple[Item, dict[str, Any]]], usage_rows: list[tuple[Item, dict[str, Any]]]
) -> None:
    again = World(SETTINGS)
    assert orjson.dumps([r for _, r in listing(again, "media")]) == orjson.dumps(
        [r for _, r in media_rows]
    )
    assert orjson.dumps([r for _, r in listing(again, "usage")]) == orjson.dumps(
        [r for _, r in usage_rows]
    )
    other = World(SandboxSettings(scale=0.0005, history_days=3, defect_rate=0.05, seed=7))
    assert [r["id"] for _, r in listing(other, "media")][:50] != [r["id"] for _, r in media_rows][
        :50
    ]


# --------------------------------------------------------- recently removed
def test_removed_listing() -> None:
    world = World(SandboxSettings(scale=0.005, history_days=3))
    media = world.entity("media")
    assert isinstance(media, Media)
    now = world.now_ms()
    removed = media.removed_listing(0, now)
    start = now - REMOVED_WINDOW_MS
    brute = sorted(
        (
            it
            for it in media.timeline.items_in_window(start, now + 1, now, True, -1)
            if media.is_delete(it)
        ),
        key=lambda it: (it.time_ms, media.record_id(it.slot, it.index)),
    )
    assert removed == brute
    assert len(removed) >= 5
    expected = world.expected_ids("media")
    for item in removed:
        entry = media.render_removed(item)
        assert media.render(item) == entry
        assert list(entry) == [
            "id", "name", "dateRemoved", "dateCreated", "username", "userId", "S3_filepointer",
        ]  # fmt: skip
        assert expected[entry["id"]] == "deleted"
        assert start <= parse_s(entry["dateRemoved"]) <= now
        assert entry["dateCreated"] < entry["dateRemoved"]
        assert GUID.match(entry["userId"])
    # a later "since" keeps only the newer removals
    since = removed[len(removed) // 2].time_ms
    assert media.removed_listing(since, now) == [it for it in removed if it.time_ms >= since]
    earlier = now - 40 * DAY_MS
    assert all(
        earlier - REMOVED_WINDOW_MS <= it.time_ms <= earlier
        for it in media.removed_listing(0, earlier)
    )
