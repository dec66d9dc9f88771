"""Wire formats of the three APIs: timestamps, dates and phone numbers.

Also the malformed variants that the defect injector substitutes for a clean value.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _dt(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


_DATE_CACHE: dict[int, str] = {}


def _date(day: int) -> str:
    found = _DATE_CACHE.get(day)
    if found is None:
        found = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%d")
        if len(_DATE_CACHE) > 20_000:
            _DATE_CACHE.clear()
        _DATE_CACHE[day] = found
    return found


def _clock(ms: int) -> tuple[str, int, int, int, int]:
    day, rest = divmod(ms, 86_400_000)
    seconds, milli = divmod(rest, 1000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return _date(day), hours, minutes, seconds, milli


_HOUR_CACHE: dict[int, str] = {}


def _hour_prefix(hour: int) -> str:
    found = _HOUR_CACHE.get(hour)
    if found is None:
        day, h = divmod(hour, 24)
        found = f"{_date(day)}T{h:02d}:"
        if len(_HOUR_CACHE) > 100_000:
            _HOUR_CACHE.clear()
        _HOUR_CACHE[hour] = found
    return found


def iso_ms_z(ms: int) -> str:
    """``2024-05-01T14:03:22.514Z`` (WebPhone)."""
    hour, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, milli = divmod(rest, 1000)
    return f"{_hour_prefix(hour)}{minutes:02d}:{seconds:02d}.{milli:03d}Z"


def iso_s_z(ms: int) -> str:
    """``2023-10-10T09:52:05Z`` (Bynder assets)."""
    date, h, m, s, _ = _clock(ms)
    return f"{date}T{h:02d}:{m:02d}:{s:02d}Z"


def iso_micro_offset(ms: int, micros: int = 0) -> str:
    """``2017-04-19T11:36:36.799508+00:00`` (Bynder usage)."""
    date, h, m, s, milli = _clock(ms)
    return f"{date}T{h:02d}:{m:02d}:{s:02d}.{milli * 1000 + micros:06d}+00:00"


def workfront_datetime(ms: int, offset: str) -> str:
    """``2024-05-01T10:15:00:000-0500``: colon before milliseconds, local offset."""
    sign = -1 if offset[0] == "-" else 1
    shift = sign * (int(offset[1:3]) * 3_600_000 + int(offset[3:5]) * 60_000)
    date, h, m, s, milli = _clock(ms + shift)
    return f"{date}T{h:02d}:{m:02d}:{s:02d}:{milli:03d}{offset}"


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
