"""The bench's source floor walks exactly the pages the loaders read (bench/source_floor.py)."""

from __future__ import annotations

from collections.abc import Callable

from bench.source_floor import walk_source
from loaders.pipeline import run_source
from loaders.settings import SYSTEMS
from tests.conftest import SandboxHandle

ARGS = ("--scale", "0.0005", "--history-days", "2", "--no-rate-limits")
#: small pages, so that every listing of any size is read over several
PAGE_SIZE = "7"


def test_the_floor_fetches_every_record_the_loaders_deliver(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
) -> None:
    handle = sandbox_factory(*ARGS)
    env(handle, **{f"SOURCES__{system.upper()}__PAGE_SIZE": PAGE_SIZE for system in SYSTEMS})
    for system in SYSTEMS:
        walked = walk_source(system)
        delivered = run_source(system).total_rows
        assert walked["records"] == delivered, system
        # the walk followed the loaders' pagination: most records came 7 to a page (a
        # listing read in one request, Bynder's metaproperties, is the exception)
        assert walked["pages"] > walked["records"] / int(PAGE_SIZE) / 2, system
        assert walked["bytes"] > 0
