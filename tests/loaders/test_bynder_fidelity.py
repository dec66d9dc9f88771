"""The Bynder loader against the API as documented (issue 14): the strict sandbox.

Each test runs the loader in both sandbox modes where both apply: the default mode
(with its conveniences: a bulk usage listing, ``total=1`` everywhere, the removed-media
path, an inclusive ``dateModified``) and the strict mode, which answers only as
Bynder documents.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from loaders.pages import ShortPagePaginator
from loaders.pipeline import make_pipeline, run_source
from sandbox.settings import SandboxSettings
from sandbox.world import World
from tests.conftest import SandboxHandle, loader_env, run_loader
from tests.loaders.helpers import current_stamps, ids, live, query, world_at

ARGS = ("--scale", "0.0002", "--history-days", "2", "--defect-rate", "0.005", "--no-rate-limits")
MODES = {
    "default": (ARGS, SandboxSettings(scale=0.0002, history_days=2, defect_rate=0.005)),
    "strict": (
        (*ARGS, "--strict"),
        SandboxSettings(scale=0.0002, history_days=2, defect_rate=0.005, strict=True),
    ),
}
#: dlt's retries, short: a failure that used to exhaust them shows in seconds
FAST_RETRIES = {"RUNTIME__REQUEST_MAX_ATTEMPTS": "2", "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.1"}


@pytest.fixture(params=sorted(MODES))
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def usage_assets(world: World) -> dict[str, str]:
    """Usage id -> asset id of every usage event the API holds now."""
    usage = world.entity("usage")
    listing = usage.updated_order(0, None, world.now_ms())
    return {
        row["id"]: row["asset_id"]
        for i in range(listing.n_chunks)
        for row in (usage.render(item) for item in listing.chunk(i))
    }


def assert_media_and_usage_match(db: Path, world: World, strict: bool) -> None:
    """Raw media is the API's, at its current versions; usage is complete for them."""
    media = ids(db, "raw_bynder", "media")
    assert len(media) == len(set(media))
    assert live(world, "media") <= set(media)
    stamps = dict(query(db, "select id, date_modified from raw_bynder.media"))
    expected = current_stamps(world, "media")
    assert not {k for k, v in expected.items() if stamps.get(k) != v}
    loaded = set(ids(db, "raw_bynder", "usage"))
    events = usage_assets(world)
    if strict:
        # per asset: every event of every asset loaded (none of an unknown asset)
        assert loaded == {k for k, asset in events.items() if asset in set(media)}
    else:
        assert loaded == set(events)


def test_bynder_loads_exactly_and_incrementally_in_both_modes(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
    tmp_path: Path,
    mode: str,
) -> None:
    """Item 1: usage per asset where the bulk listing is refused; media still lands."""
    args, settings = MODES[mode]
    handle = sandbox_factory(*args)
    env(handle)
    db = tmp_path / "warehouse.duckdb"
    first = run_source("bynder")
    assert first.rows["media"] > 300 and first.rows["usage"] > 20, first.rows
    assert_media_and_usage_match(db, world_at(settings, handle.now_ms()), settings.strict)
    if settings.strict:
        assert set(first.skipped) == {"media_removed"}
    assert not first.refused

    again = run_source("bynder")
    assert not again.rows.get("media") and not again.rows.get("usage"), again.rows

    before = handle.now_ms()
    after = handle.advance(30)
    third = run_source("bynder")
    world = world_at(settings, after)
    assert_media_and_usage_match(db, world, settings.strict)
    listing = world.entity("media").updated_order(before + 1, None, after)
    changed = {
        world.entity("media").sort_id(item)
        for i in range(listing.n_chunks)
        for item in listing.chunk(i)
    }
    assert changed and third.rows["media"] == len(changed)


def test_a_refused_resource_is_skipped_named_and_keeps_its_cursor(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    """Item 2: the bulk usage listing forced on a portal that refuses it (HTTP 400)."""
    handle = sandbox_factory(*MODES["strict"][0])
    values = env(handle, SOURCES__BYNDER__USAGE_MODE="bulk", **FAST_RETRIES)
    result = run_loader(values, "--source", "bynder")
    assert result.returncode == 5, result.stderr
    assert "usage (HTTP 400 from" in result.stderr and "/api/media/usage/" in result.stderr
    db = tmp_path / "warehouse.duckdb"
    media, campaigns = (
        query(db, f"select count(*) from raw_bynder.{table}")[0][0]
        for table in ("media", "campaigns")
    )
    assert media > 300 and campaigns > 0, "the other resources loaded"
    state = make_pipeline("bynder").state["sources"]["bynder"]["resources"]
    assert state["media_pages"]["incremental"]["dateModified"]["last_value"].startswith("20")
    assert "incremental" not in state.get("usage", {}), "the refused cursor did not move"


def test_a_portal_without_the_removed_media_path_still_loads(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path: Path
) -> None:
    """Item 4: the undocumented removed-media path answers 404: a warning, exit 0."""
    handle = sandbox_factory(*MODES["strict"][0])
    result = run_loader(loader_env(handle, tmp_path, **FAST_RETRIES), "--source", "bynder")
    assert result.returncode == 0, result.stderr
    assert "warning: bynder: media_removed skipped" in result.stderr
    assert "HTTP 404" in result.stderr
    db = tmp_path / "warehouse.duckdb"
    assert query(db, "select count(*) from raw_bynder.media_removed")[0][0] == 0
    assert query(db, "select count(*) from raw_bynder.media")[0][0] > 300


def test_listings_without_a_count_end_on_a_short_page(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
    mode: str,
) -> None:
    """Item 3: campaigns (no ``total=1`` in strict mode) end on their short page."""
    args, settings = MODES[mode]
    handle = sandbox_factory(*args)
    env(handle, **FAST_RETRIES)
    result = run_source("bynder")
    world = world_at(settings, handle.now_ms())
    assert result.rows["campaigns"] == len(world.expected_ids("campaigns"))
    if not settings.strict:
        requests_before = handle.stats("bynder")["data_requests"]
        run_source("bynder")  # nothing changed: every incremental listing is empty
        made = handle.stats("bynder")["data_requests"] - requests_before
        # the usage probe, then one short page each: media (the overlap second's
        # assets again, dropped by dlt), usage, removed media, campaigns (no page 2)
        # and metaproperties
        assert made == 6, made


def test_the_paginator_stops_after_a_short_page() -> None:
    """Item 3: no request for the page after a short one (and none after an empty one)."""
    response = requests.Response()
    seen: list[bool] = []
    listings: list[list[list[int]]] = [[[1, 2, 3], [4]], [[]]]
    for pages in listings:
        paginator = ShortPagePaginator(limit=3)
        for page in pages:
            paginator.update_state(response, page)
            seen.append(paginator.has_next_page)
    assert seen == [True, False, False]


def test_an_asset_stamped_in_the_cursors_second_is_not_skipped(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
    tmp_path: Path,
    mode: str,
) -> None:
    """Item 9: ``dateModified`` read exclusively ("modified after") in strict mode.

    The clock stops between two asset versions stamped in the same second: the first
    run's cursor is that second, and the second version arrives after it.
    """
    # a denser world: two versions of different assets share a second within hours
    args = ("--scale", "0.0005", "--history-days", "1", "--defect-rate", "0", "--no-rate-limits")
    strict = mode == "strict"
    settings = SandboxSettings(scale=0.0005, history_days=1, defect_rate=0, strict=strict)
    handle = sandbox_factory(*args, *(("--strict",) if strict else ()))
    start = handle.now_ms()
    horizon = start + 2 * 86_400_000
    media = world_at(settings, horizon).entity("media")
    listing = media.updated_order(start + 1, None, horizon)
    items = [item for i in range(listing.n_chunks) for item in listing.chunk(i)]
    pair = next(
        (a, b)
        for a, b in itertools.pairwise(items)
        if a.time_ms // 1000 == b.time_ms // 1000
        and a.time_ms < b.time_ms
        and media.sort_id(a) != media.sort_id(b)
        and not media.is_delete(b)
    )
    env(handle)
    handle.advance((pair[1].time_ms - 1 - start) / 60_000)
    run_source("bynder")
    cursor = make_pipeline("bynder").state["sources"]["bynder"]["resources"]["media_pages"]
    second = media.render(pair[0])["dateModified"]
    assert cursor["incremental"]["dateModified"]["last_value"] == second
    late = media.sort_id(pair[1])
    db = tmp_path / "warehouse.duckdb"

    handle.advance(1)
    run_source("bynder")
    stamps = dict(query(db, "select id, date_modified from raw_bynder.media"))
    assert stamps.get(late) == media.render(pair[1])["dateModified"] == second
