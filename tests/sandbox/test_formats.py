"""The sandbox's timestamp formats (sandbox/formats.py) write what datetime writes.

The formats cache the text of each day and hour; every timestamp of the three APIs is
written from those caches, so they are checked here against datetime's own text, on
instants around day, hour, year and offset boundaries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sandbox import formats
from sandbox.pools import WORKFRONT_OFFSETS

INSTANTS = (
    0,
    1,
    999,
    formats.HOUR_MS - 1,
    formats.DAY_MS - 1,
    formats.DAY_MS,
    951_782_400_000,  # 2000-02-29T00:00Z
    1_704_067_199_999,  # 2023-12-31T23:59:59.999Z
    1_777_777_777_123,
    1_790_000_000_999,
)


def _utc(ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


def _zone(offset: str) -> timezone:
    sign = -1 if offset[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))


def test_units() -> None:
    assert formats.MINUTE_MS == 60_000
    assert formats.HOUR_MS == 3_600_000
    assert formats.DAY_MS == 86_400_000


@pytest.mark.parametrize("ms", INSTANTS)
def test_utc_formats_match_datetime(ms: int) -> None:
    moment = _utc(ms)
    assert formats.iso_date(ms) == moment.strftime("%Y-%m-%d")
    assert formats.iso_day(ms // formats.DAY_MS) == moment.date().isoformat()
    assert formats.iso_s_z(ms) == moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert formats.iso_ms_z(ms) == moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
    assert formats.iso_micro_offset(ms, 7) == moment.strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{(ms % 1000) * 1000 + 7:06d}+00:00"
    )


@pytest.mark.parametrize("ms", INSTANTS)
@pytest.mark.parametrize("offset", [*WORKFRONT_OFFSETS, "+0530", "-0930"])
def test_workfront_datetime_matches_datetime(ms: int, offset: str) -> None:
    local = _utc(ms).astimezone(_zone(offset))
    expected = local.strftime("%Y-%m-%dT%H:%M:%S") + f":{ms % 1000:03d}{offset}"
    assert formats.workfront_datetime(ms, offset) == expected
    assert formats.workfront_date(ms, offset) == local.date().isoformat()
    assert formats.offset_ms(offset) == int(_zone(offset).utcoffset(None).total_seconds() * 1000)
    assert formats.parse_workfront_datetime(expected) == _utc(ms)
