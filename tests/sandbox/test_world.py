"""The simulated world: determinism, volumes, listings and ground truth."""

from __future__ import annotations

import orjson
import pytest

from sandbox.settings import SandboxSettings
from sandbox.timeline import SLOT_MS, VARIANT_EXACT_DUPLICATE, VARIANT_STALE
from sandbox.webphone.entities import WebPhoneEntity
from sandbox.world import World

SMALL = SandboxSettings(scale=0.0005, history_days=3, defect_rate=0.01)


@pytest.fixture(scope="module")
def world() -> World:
    return World(SMALL)


def listing_rows(world: World, name: str, since: int = 0) -> list[dict]:
    entity = world.entity(name)
    listing = entity.updated_order(since, None, world.now_ms())
    return [entity.render(it) for i in range(listing.n_chunks) for it in listing.chunk(i)]


def test_same_seed_same_bytes() -> None:
    first, second = World(SMALL), World(SMALL)
    for name in ("calls", "customers", "surveys", "agents"):
        assert orjson.dumps(listing_rows(first, name)) == orjson.dumps(listing_rows(second, name))


def test_other_seed_other_data() -> None:
    other = World(SandboxSettings(scale=0.0005, history_days=3, defect_rate=0.01, seed=7))
    assert listing_rows(World(SMALL), "calls")[:50] != listing_rows(other, "calls")[:50]


def test_daily_volume_follows_scale() -> None:
    world = World(SandboxSettings(scale=0.01, history_days=2))
    calls = world.entity("calls").timeline
    day = 86_400_000
    first_day = calls.created_before(world.origin_ms + day) - calls.created_before(world.origin_ms)
    assert first_day == 8_500  # 850,000 a day at scale 1.0, exactly


def test_listing_returns_every_live_record_once(world: World) -> None:
    for name in ("agents", "customers", "calls", "surveys"):
        entity = world.entity(name)
        listing = entity.updated_order(0, None, world.now_ms())
        items = [it for i in range(listing.n_chunks) for it in listing.chunk(i)]
        plain = [it for it in items if it.variant not in (VARIANT_EXACT_DUPLICATE, VARIANT_STALE)]
        ids = [entity.sort_id(it) for it in plain]
        assert len(ids) == len(set(ids)), name
        live = {k for k, v in world.expected_ids(name).items() if v == "live"}
        assert set(ids) == live, name


def test_listing_is_ordered_by_update_then_id(world: World) -> None:
    entity = world.entity("calls")
    listing = entity.updated_order(0, None, world.now_ms())
    keys = [
        (it.time_ms, entity.sort_id(it)) for i in range(listing.n_chunks) for it in listing.chunk(i)
    ]
    assert keys == sorted(keys)


def test_records_appear_as_the_clock_advances() -> None:
    world = World(SMALL)
    entity = world.entity("calls")
    before = set(world.expected_ids("calls"))
    world.set_now_ms(world.now_ms() + 60 * 60_000)
    after = set(world.expected_ids("calls"))
    assert before < after
    window = entity.updated_order(world.now_ms() - 60 * 60_000 + 1, None, world.now_ms())
    assert window.total() > 0


def test_manifest_matches_rendered_defects(world: World) -> None:
    rows = world.manifest()
    kinds = {row["defect"] for row in rows if row["system"] == "webphone"}
    assert len(kinds) >= 5, kinds
    for row in rows:
        if row["system"] != "webphone" or row["field"] is None:
            continue
        entity = world.entity(row["entity"])
        assert isinstance(entity, WebPhoneEntity)
        item = entity.find(row["record_id"], world.now_ms())
        if item is None:  # deleted since
            continue
        injected = entity.render(item)[row["field"]]
        clean = entity.build(entity.row(item.slot, item.index), item)[row["field"]]
        assert injected != clean, row


def test_late_arrivals_are_stamped_late(world: World) -> None:
    timeline = world.entity("calls").timeline
    late = 0
    for number in range(timeline._block_of(world.now_ms() // SLOT_MS) + 1):
        block = timeline.block(number)
        late += int(((block.versions_ms[:, 0] - block.created_ms) > 3_600_000).sum())
    assert late > 0
