"""Record ids in each real API's format, reversible to (slot, index, variant).

* WebPhone: prefixed ULIDs (``cal_01HXK3M9Q7...``): 48-bit millisecond time, then
  80 bits that carry entity, index, variant and seeded noise.
* Bynder: upper-case hex GUIDs in the 8-4-4-16 grouping; the 128 bits are an
  invertible mix of (slot, index, variant, entity), so they look random.
* Workfront: 32 lower-case hex digits whose first 8 are the creation second, like
  the real ids, so that sorting by ID sorts by creation (``ID_Sort=asc``).
* UUIDs (Bynder usage and workflow ids): the same mix, formatted 8-4-4-4-12.
"""

from __future__ import annotations

from sandbox.formats import MINUTE_MS

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # pragma: allowlist secret (an alphabet)
_DECODE = {c: i for i, c in enumerate(CROCKFORD)}
_MASK128 = (1 << 128) - 1
_MASK64 = (1 << 64) - 1
_ODD = 0x9E3779B97F4A7C15F39CC0605CEDC835
_ODD_INV = pow(_ODD, -1, 1 << 128)


def _noise(seed: int, *parts: int, bits: int) -> int:
    """Cheap keyed integer hash (splitmix64 finaliser over the parts)."""
    value = seed & _MASK64
    for part in parts:
        value = (value ^ (part & _MASK64)) * 0xBF58476D1CE4E5B9 & _MASK64
        value ^= value >> 31
    value = (value * 0x94D049BB133111EB) & _MASK64
    value ^= value >> 29
    if bits > 64:
        value = (value << 64) | ((value * 0x9E3779B97F4A7C15) & _MASK64)
    return value & ((1 << bits) - 1)


def _pack(slot: int, index: int, variant: int, code: int) -> int:
    if not 0 <= index < 1 << 24 or not 0 <= variant < 4 or not 0 <= code < 16:
        raise ValueError("id component out of range")
    return (slot << 32) | (index << 8) | (variant << 4) | code


def _unpack(value: int) -> tuple[int, int, int, int]:
    return value >> 32, (value >> 8) & 0xFFFFFF, (value >> 4) & 0x3, value & 0xF


def _mix(value: int) -> int:
    value = (value * _ODD) & _MASK128
    return value ^ (value >> 64)


def _unmix(value: int) -> int:
    value ^= value >> 64
    return (value * _ODD_INV) & _MASK128


# ----------------------------------------------------------------------- ULID
def ulid(prefix: str, created_ms: int, slot: int, index: int, variant: int, code: int) -> str:
    """A prefixed ULID whose random part encodes the record's position."""
    packed = _pack(slot, index, variant, code)
    # The slot is implied by the time part; keep index, variant and code (32 bits)
    # and fill the rest of the 80 random bits with keyed noise.
    low = packed & 0xFFFFFFFF
    rand80 = (_noise(code, slot, index, variant, bits=48) << 32) | low
    value = (created_ms << 80) | rand80
    return f"{prefix}_{_crockford(value)}"


_PAIRS = [a + b for a in CROCKFORD for b in CROCKFORD]


def _crockford(value: int) -> str:
    """26 Crockford base-32 digits of a 128-bit value (two digits per lookup)."""
    out = [CROCKFORD[(value >> 125) & 31]]
    for shift in range(115, 4, -10):
        out.append(_PAIRS[(value >> shift) & 1023])
    out.append(CROCKFORD[value & 31])
    return "".join(out)


def parse_ulid(text: str) -> tuple[int, int, int, int]:
    """Return (slot, index, variant, code) of an id made by :func:`ulid`."""
    body = text.split("_", 1)[1] if "_" in text else text
    if len(body) != 26:
        raise ValueError(f"not a ULID: {text!r}")
    value = 0
    for char in body.upper():
        value = (value << 5) | _DECODE[char]
    created_ms = value >> 80
    slot = created_ms // MINUTE_MS  # one-minute creation slots (timeline.SLOT_MS)
    _, index, variant, code = _unpack(value & 0xFFFFFFFF)
    return slot, index, variant, code


# ---------------------------------------------------------------- Bynder GUID
def bynder_guid(slot: int, index: int, variant: int, code: int) -> str:
    """Upper-case GUID in Bynder's 8-4-4-16 grouping."""
    hexed = f"{_mix(_pack(slot, index, variant, code)):032X}"
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:]}"


def parse_bynder_guid(text: str) -> tuple[int, int, int, int]:
    """Inverse of :func:`bynder_guid`."""
    hexed = text.replace("-", "")
    if len(hexed) != 32:
        raise ValueError(f"not a Bynder id: {text!r}")
    return _unpack(_unmix(int(hexed, 16)))


def uuid_like(slot: int, index: int, variant: int, code: int) -> str:
    """Lower-case 8-4-4-4-12 UUID text for the same packed position."""
    hexed = f"{_mix(_pack(slot, index, variant, code)):032x}"
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def parse_uuid_like(text: str) -> tuple[int, int, int, int]:
    """Inverse of :func:`uuid_like`."""
    return parse_bynder_guid(text)


# -------------------------------------------------------------- Workfront ID
def workfront_id(created_ms: int, slot: int, index: int, variant: int, code: int) -> str:
    """32-hex id: creation second, then index, variant and entity (sortable)."""
    seconds = created_ms // 1000
    tail = _noise(code, slot, index, bits=56)
    return f"{seconds:08x}{index:06x}{variant:01x}{code:01x}{tail:014x}{slot % 256:02x}"


def parse_workfront_id(text: str) -> tuple[int, int, int, int]:
    """Return (slot, index, variant, code) of an id made by :func:`workfront_id`."""
    if len(text) != 32:
        raise ValueError(f"not a Workfront id: {text!r}")
    seconds = int(text[:8], 16)
    slot_low = int(text[30:32], 16)
    slot = seconds // 60
    if slot % 256 != slot_low:
        raise ValueError(f"not a sandbox Workfront id: {text!r}")
    return slot, int(text[8:14], 16), int(text[14], 16), int(text[15], 16)
