"""The ``--outage`` knob: no call is created in the window, everything else is unchanged."""

from __future__ import annotations

import pytest

from sandbox.settings import SandboxSettings
from sandbox.timeline import DAY_MS, SLOT_MS
from sandbox.world import World

START = "2026-11-02T00:00:00Z"
OUTAGE = "2026-10-31T00:00:00Z/2026-11-01T00:00:00Z"


def daily_counts(world: World, entity: str, days: int) -> list[int]:
    timeline = world.entity(entity).timeline
    end = world.start_ms // SLOT_MS
    return [
        timeline.seq_start(end - (d - 1) * DAY_MS // SLOT_MS)
        - timeline.seq_start(end - d * DAY_MS // SLOT_MS)
        for d in range(days, 0, -1)
    ]


def test_outage_empties_the_window_of_calls_only() -> None:
    base = SandboxSettings(scale=0.0005, history_days=5, start=START)
    clean, faulty = World(base), World(SandboxSettings(**{**base.__dict__, "outage": OUTAGE}))
    before, after = daily_counts(clean, "calls", 5), daily_counts(faulty, "calls", 5)
    assert after[-2] == 0 and before[-2] > 0  # 2026-10-31
    assert after[:-2] == before[:-2] and after[-1] == before[-1]
    for entity in ("surveys", "customers", "media", "hours"):
        assert daily_counts(clean, entity, 5) == daily_counts(faulty, entity, 5), entity
    created = [
        int(ms)
        for slot in range(faulty.start_ms // SLOT_MS - 3 * 1440, faulty.start_ms // SLOT_MS)
        for ms in faulty.entity("calls").timeline.schedule(slot).created_ms
    ]
    start, end = faulty.settings.outage_window_ms or (0, 0)
    assert created and not any(start <= ms < end for ms in created)


def test_outage_must_be_a_window() -> None:
    with pytest.raises(ValueError):
        SandboxSettings(outage="2026-10-31T00:00:00Z")
    with pytest.raises(ValueError):
        SandboxSettings(outage="2026-11-01T00:00:00Z/2026-10-31T00:00:00Z")
