"""Chunks of a backfill: the ``[start, end)`` windows ``elt_backfill`` loads one by one.

Each chunk is one stateless load of every source (``loaders run --start --end``):
it reads only its window from the APIs, does not move the incremental cursors, and
merges on primary keys (appended events are deduplicated on their keys by staging),
so loading a chunk twice leaves the warehouse as loading it once.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

from orchestration.settings import ROOT, loader_command


def parse_instant(value: str) -> datetime:
    """An ISO 8601 instant (``Z`` or an offset; a bare date is midnight UTC), in UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_instant(value: datetime) -> str:
    """``2026-11-01T00:00:00Z``: the form the loaders take."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def chunk_bounds(start: str, end: str, chunk_days: float = 1) -> list[dict[str, str]]:
    """Consecutive ``{"start", "end"}`` windows covering ``[start, end)``.

    Each is ``chunk_days`` long except the last, which ends at ``end``.
    """
    begin, finish = parse_instant(start), parse_instant(end)
    if finish <= begin:
        raise ValueError(f"the backfill's end {end} is not after its start {start}")
    if chunk_days <= 0:
        raise ValueError(f"chunk_days must be positive, not {chunk_days}")
    step = timedelta(days=chunk_days)
    chunks = []
    current = begin
    while current < finish:
        upper = min(current + step, finish)
        chunks.append({"start": format_instant(current), "end": format_instant(upper)})
        current = upper
    return chunks


def load_chunk(start: str, end: str, source: str = "all") -> str:
    """Load one window of ``source`` (every source by default); return the summary.

    Raises ``RuntimeError`` with the loaders' error output when they fail.
    """
    command = loader_command(source, start=start, end=end)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"loaders exited with {done.returncode} for [{start}, {end}):\n{done.stderr[-4000:]}"
        )
    return done.stdout
