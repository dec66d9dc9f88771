"""Wire formats of the three APIs: timestamps, dates and phone numbers.

Also the malformed variants that the defect injector substitutes for a clean value.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

#: Units of the simulated clock, which counts epoch milliseconds.
MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DATE = date(1970, 1, 1)

# The caches below hold the text of a day or an hour: every timestamp of the three
# APIs is written from them, so each day's date is formatted once, not per record.


def _dt(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


@lru_cache(maxsize=50_000)
def iso_day(day: int) -> str:
    """``2024-05-01``: the date of a day number (days since 1970-01-01); cached."""
    return (_EPOCH_DATE + timedelta(days=day)).isoformat()


def iso_date(ms: int) -> str:
    """``2024-05-01``: the UTC date of an instant."""
    return iso_day(ms // DAY_MS)


@lru_cache(maxsize=100_000)
def _hour_prefix(hour: int) -> str:
    """``2024-05-01T14:``: the text of an hour (hours since the epoch); cached."""
    day, h = divmod(hour, 24)
    return f"{iso_day(day)}T{h:02d}:"


def _clock(ms: int) -> tuple[str, int, int, int, int]:
    day, rest = divmod(ms, DAY_MS)
    seconds, milli = divmod(rest, 1000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return iso_day(day), hours, minutes, seconds, milli


@lru_cache(maxsize=64)
def offset_ms(offset: str) -> int:
    """Milliseconds a UTC offset (``-0500``, ``+0530``) adds to UTC's wall clock."""
    sign = -1 if offset[0] == "-" else 1
    return sign * (int(offset[1:3]) * HOUR_MS + int(offset[3:5]) * MINUTE_MS)


def iso_ms_z(ms: int) -> str:
    """``2024-05-01T14:03:22.514Z`` (WebPhone)."""
    hour, rest = divmod(ms, HOUR_MS)
    minutes, rest = divmod(rest, MINUTE_MS)
    seconds, milli = divmod(rest, 1000)
    return f"{_hour_prefix(hour)}{minutes:02d}:{seconds:02d}.{milli:03d}Z"


def iso_s_z(ms: int) -> str:
    """``2023-10-10T09:52:05Z`` (Bynder assets)."""
    hour, rest = divmod(ms, HOUR_MS)
    minutes, rest = divmod(rest, MINUTE_MS)
    return f"{_hour_prefix(hour)}{minutes:02d}:{rest // 1000:02d}Z"


def iso_micro_offset(ms: int, micros: int = 0) -> str:
    """``2017-04-19T11:36:36.799508+00:00`` (Bynder usage)."""
    day, h, m, s, milli = _clock(ms)
    return f"{day}T{h:02d}:{m:02d}:{s:02d}.{milli * 1000 + micros:06d}+00:00"


def workfront_datetime(ms: int, offset: str) -> str:
    """``2024-05-01T10:15:00:000-0500``: colon before milliseconds, local offset."""
    hour, rest = divmod(ms + offset_ms(offset), HOUR_MS)
    minutes, rest = divmod(rest, MINUTE_MS)
    seconds, milli = divmod(rest, 1000)
    return f"{_hour_prefix(hour)}{minutes:02d}:{seconds:02d}:{milli:03d}{offset}"


def workfront_date(ms: int, offset: str = "+0000") -> str:
    """``2023-04-11``: a date-only field, in the record's local zone."""
    return workfront_datetime(ms, offset)[:10]


def parse_workfront_datetime(text: str) -> datetime:
    """Parse ``2024-05-01T10:15:00:000-0500`` (also ``.000``, ISO 8601 and ``Z``) to UTC."""
    text = text.strip()
    if text.endswith("Z"):
        return datetime.fromisoformat(text[:-1] + "+00:00").astimezone(UTC)
    body, offset = text[:-5], text[-5:]
    if offset[0] in "+-" and offset[1:].isdigit():
        if len(body) == 23 and body[19] in ":.":
            body = body[:19] + "." + body[20:]
        return datetime.fromisoformat(f"{body}{offset[:3]}:{offset[3:]}").astimezone(UTC)
    parsed = datetime.fromisoformat(text)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def bad_timestamp(ms: int, rng: random.Random) -> tuple[str, str]:
    """A timestamp in a wrong format or zone, and the name of that variant."""
    variants = (
        ("space_no_zone", _dt(ms).strftime("%Y-%m-%d %H:%M:%S")),
        ("us_slashes", _dt(ms).strftime("%m/%d/%Y %H:%M")),
        ("epoch_seconds", str(ms // 1000)),
        (
            "local_offset",
            _dt(ms).astimezone(timezone(timedelta(hours=-5))).strftime("%Y-%m-%dT%H:%M:%S-05:00"),
        ),
        ("rfc2822", _dt(ms).strftime("%a, %d %b %Y %H:%M:%S +0000")),
    )
    name, value = variants[rng.randrange(len(variants))]
    return value, name


def e164(area: str, number: int) -> str:
    """A North American E.164 number ``+1AAA55NNNNN``."""
    return f"+1{area}{number:07d}"


def messy_phone(clean: str, rng: random.Random) -> tuple[str, str]:
    """The same number as it arrives from a careless system, and the variant name."""
    area, local = clean[2:5], clean[5:]
    variants = (
        ("national_parens", f"({area}) {local[:3]}-{local[3:]}"),
        ("dots", f"{area}.{local[:3]}.{local[3:]}"),
        ("tel_uri", f"tel:{clean}"),
        ("sip_uri", f"sip:{clean}@10.20.0.{rng.randrange(2, 250)};user=phone"),
        ("missing_country_code", f"{area}{local}"),
        ("international_prefix", f"001{area}{local}"),
    )
    name, value = variants[rng.randrange(len(variants))]
    return value, name
