"""Incremental cursors survive malformed timestamps in the cursor field itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from loaders.bynder import latest_instant
from loaders.pipeline import make_pipeline, run_source
from tests.conftest import SandboxHandle
from tests.loaders.helpers import query

# half the records carry a defect: Bynder usage events get malformed `timestamp` values
ARGS = ("--scale", "0.0005", "--history-days", "1", "--defect-rate", "0.5", "--no-rate-limits")


@pytest.mark.parametrize(
    ("malformed", "instant"),
    [
        ("Fri, 30 Oct 2026 15:23:09 +0000", "2026-10-30T15:23:09Z"),  # rfc2822
        ("2026-10-30 15:23:09", "2026-10-30T15:23:09Z"),  # space, no zone
        ("10/30/2026 15:23", "2026-10-30T15:23:00Z"),  # US slashes
        ("1793373789", "2026-10-30T15:23:09Z"),  # epoch seconds
        ("2026-10-30T10:23:09-05:00", "2026-10-30T15:23:09Z"),  # local offset
    ],
)
def test_the_latest_instant_reads_every_timestamp_variant(malformed: str, instant: str) -> None:
    assert latest_instant([malformed]) == instant
    later = "2026-11-01T23:59:44.100704+00:00"
    assert latest_instant([malformed, later]) == "2026-11-01T23:59:44.100704Z"


def test_an_unreadable_cursor_value_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError, match="not-a-time"):
        latest_instant(["not-a-time"])


def test_malformed_cursor_values_do_not_poison_the_next_load(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    handle = sandbox_factory(*ARGS)
    env(handle)
    db = tmp_path / "warehouse.duckdb"
    run_source("bynder")
    malformed = query(db, "select count(*) from raw_bynder.usage where timestamp not like '20%'")
    assert malformed[0][0] > 0, "the sandbox served malformed usage timestamps"
    handle.advance(60)
    run_source("bynder")  # raised HTTP 400 when a malformed value became the cursor
    state = make_pipeline("bynder").state["sources"]["bynder"]["resources"]["usage"]
    cursor = state["incremental"]["timestamp"]["last_value"]
    assert cursor.startswith("20") and cursor.endswith("Z"), cursor
    loaded = {r[0] for r in query(db, "select id from raw_bynder.usage")}
    assert set(handle.expected("bynder", "usage")) <= loaded
