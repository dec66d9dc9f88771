"""Paging through a listing: every chunk is computed once, the pages cover the listing."""

from __future__ import annotations

import pytest

from sandbox.entity import Listing
from sandbox.settings import SandboxSettings
from sandbox.timeline import Item
from sandbox.world import World


def _counting(listing: Listing, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The chunk numbers ``listing`` computes from now on, in order."""
    computed: list[int] = []
    compute = listing._compute_chunk

    def counted(i: int) -> list[Item]:
        computed.append(i)
        return compute(i)

    monkeypatch.setattr(listing, "_compute_chunk", counted)
    return computed


@pytest.mark.parametrize("limit", [7, 100, 1000])
def test_paging_computes_each_chunk_once(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    world = World(SandboxSettings(scale=0.01, history_days=1))
    media = world.entity("media")
    now = world.now_ms()
    expected = [
        item
        for listing in [media.updated_order(0, None, now)]
        for i in range(listing.n_chunks)
        for item in listing.chunk(i)
    ]
    listing = media.updated_order(0, None, now)
    # a page of 1,000 rows spans more chunks than the listing caches (8)
    assert listing.n_chunks > 8 * len(expected) / 1000
    computed = _counting(listing, monkeypatch)
    pages: list[Item] = []
    while page := listing.page(len(pages), limit):
        pages.extend(page)
    assert pages == expected
    assert sorted(computed) == list(range(listing.n_chunks))
