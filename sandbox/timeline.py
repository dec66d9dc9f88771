"""Lazy, deterministic record timelines.

A timeline answers, for one entity (calls, media, tasks, ...), which records exist
and which version of each is current at any simulated instant, without ever holding
the whole dataset in memory:

* Time is cut into one-minute *slots*. The number of records created in each slot
  is a closed-form function of the entity's daily rate and intraday profile, so the
  global sequence number of any record, and the record with a given sequence number,
  are found by arithmetic and a binary search.
* The *schedule* of a slot (creation instants, arrival lag, later changes, injected
  defect) is drawn with numpy from a generator seeded by (seed, entity, slot), so it
  is the same whichever request asks for it. Schedules are cached in a small LRU.
* Every change of a record happens a bounded delay after its first version, so the
  records whose current version falls in a time window come from a small, computable
  set of creation slots. That is what makes keyset and offset pagination over
  "updated since" queries cheap at full scale.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from sandbox.formats import DAY_MS, MINUTE_MS

#: Records are created in one-minute slots.
SLOT_MS = MINUTE_MS
SLOTS_PER_DAY = DAY_MS // SLOT_MS
#: Records that exist before the history window are spread over this many days.
PREHISTORY_DAYS = 60
NEVER = np.iinfo(np.int64).max
#: Normal delay between a record's creation and its first appearance in the API.
ARRIVAL_LAG_MS = 5_000
#: Schedules are drawn for blocks of about this many records (a divisor of a day).
BLOCK_TARGET_ROWS = 20_000
#: Upper bound on cached schedule rows per timeline.
BLOCK_CACHE_ROWS = 1_500_000
_DAY_DIVISORS = [d for d in range(1, SLOTS_PER_DAY + 1) if SLOTS_PER_DAY % d == 0]


@dataclass(frozen=True)
class Change:
    """A possible later version of a record.

    Attributes:
        name: What the change does; the entity's record builder interprets it.
        after_ms: Delay after the record's first version.
        probability: Chance that a record gets this change.
        jitter_ms: Extra uniform delay in ``[0, jitter_ms)``.
        group: Changes sharing a non-empty group are mutually exclusive.
        delete: The change deletes the record (a tombstone version).

    """

    name: str
    after_ms: int
    probability: float
    jitter_ms: int = 30 * SLOT_MS
    group: str = ""
    delete: bool = False


@dataclass(frozen=True)
class EntitySpec:
    """Volume and life cycle of one entity.

    Attributes:
        system: Source system (``webphone``, ``bynder``, ``workfront``).
        name: Entity name, unique across systems.
        code: Small integer embedded in generated ids (0-15).
        per_day: Records created per simulated day at scale 1.0.
        initial: Records that already exist when the history window opens, at scale 1.0.
        minimum_initial: Floor on the initial population at tiny scales.
        scaled: Whether volumes follow the scale knob (reference lists do not).
        profile: Intraday shape of creations: ``flat`` or ``business`` hours.
        changes: Later versions, ordered by ``after_ms``.
        late_share: Share of records whose first version arrives ``late_after_ms`` late.
        late_after_ms: Arrival delay of late records.
        defect_kinds: Defect kinds that may be injected into this entity.

    """

    system: str
    name: str
    code: int
    per_day: float
    initial: float = 0.0
    minimum_initial: int = 0
    scaled: bool = True
    profile: str = "flat"
    changes: tuple[Change, ...] = ()
    late_share: float = 0.0
    late_after_ms: int = 0
    defect_kinds: tuple[str, ...] = ()


class Schedule(NamedTuple):
    """Life cycle of the records created in one slot (arrays of length ``n``)."""

    slot: int
    created_ms: np.ndarray  # int64, ascending
    versions_ms: np.ndarray  # int64 (n, 1 + len(changes)); NEVER where absent
    defect: np.ndarray  # int8, -1 or an index into spec.defect_kinds


class Block(NamedTuple):
    """Life cycles of the records created in a run of consecutive slots."""

    first_slot: int
    starts: np.ndarray  # row offset of each slot's first record (block_slots + 1)
    created_ms: np.ndarray
    versions_ms: np.ndarray
    defect: np.ndarray
    slot_of: np.ndarray  # slot offset (within the block) of each row


class Current(NamedTuple):
    """Rows of a block visible at one instant, ordered by their current version's instant."""

    times: np.ndarray
    slots: np.ndarray
    index: np.ndarray  # type: ignore[assignment]  # a field named index shadows tuple.index
    versions: np.ndarray
    rows: np.ndarray


class Item(NamedTuple):
    """One row of a listing: a record version at a position in the stream."""

    time_ms: int
    slot: int
    index: int  # type: ignore[assignment]  # a field named index shadows tuple.index
    version: int
    variant: int  # VARIANT_* below


VARIANT_RECORD = 0
VARIANT_NEAR_DUPLICATE = 1  # an extra record, new id, same content
VARIANT_EXACT_DUPLICATE = 2  # the same record a second time
VARIANT_STALE = 3  # the previous version, as if read before a mid-scan update


def _intraday_weights(profile: str) -> np.ndarray:
    minutes = np.arange(SLOTS_PER_DAY, dtype=np.float64)
    if profile == "business":
        hours = minutes / 60.0
        weights = 0.15 + np.exp(-(((hours - 15.0) / 3.2) ** 2))
    else:
        weights = np.ones(SLOTS_PER_DAY)
    cumulative = np.concatenate([[0.0], np.cumsum(weights)])
    cumulative /= cumulative[-1]
    cumulative[-1] = 1.0
    return cumulative


class Timeline:
    """The lazily computed records of one entity."""

    def __init__(
        self,
        spec: EntitySpec,
        seed: int,
        scale: float,
        origin_ms: int,
        defect_rate: float,
        outage_ms: tuple[int, int] | None = None,
    ) -> None:
        """Create the timeline.

        Args:
            spec: Volume and life cycle of the entity.
            seed: World seed.
            scale: Fraction of full daily volumes.
            origin_ms: Start of the history window (midnight UTC, epoch ms).
            defect_rate: Share of records that carry one injected defect.
            outage_ms: ``[start, end)`` (epoch ms) in which no record is created: the
                slots starting inside it are empty (a seeded fault for monitoring).

        """
        if origin_ms % DAY_MS:
            raise ValueError("origin must be midnight UTC")
        for before, after in zip(spec.changes, spec.changes[1:], strict=False):
            if before.group and before.group == after.group:
                continue
            if before.after_ms + before.jitter_ms > after.after_ms:
                raise ValueError(f"{spec.name}: changes {before.name} and {after.name} overlap")
        self._defect_rate = defect_rate
        self._outage = outage_ms
        self.spec = spec
        self.seed = seed
        factor = scale if spec.scaled else 1.0
        self.per_day = spec.per_day * factor
        self.initial = max(float(spec.minimum_initial), spec.initial * factor)
        self.origin_ms = origin_ms
        self.base_day = origin_ms // DAY_MS - PREHISTORY_DAYS
        self.base_slot = self.base_day * SLOTS_PER_DAY
        self._cumw = _intraday_weights(spec.profile)
        self._flat = _intraday_weights("flat")
        self._day_expected: list[float] = [0.0]
        self._day_tables: dict[int, np.ndarray] = {}
        self._day_starts: list[int] = []
        self._day_lists: dict[int, list[int]] = {}
        self._blocks: OrderedDict[int, Block] = OrderedDict()
        self._cached_rows = 0
        per_slot = max(self.per_day, self.initial / PREHISTORY_DAYS) / SLOTS_PER_DAY
        wanted = BLOCK_TARGET_ROWS / max(per_slot, 1e-9)
        self.block_slots = max([d for d in _DAY_DIVISORS if d <= max(wanted, 1)])
        n_changes = len(spec.changes)
        self._n_versions = 1 + n_changes
        self._delete_columns = np.array([False] + [c.delete for c in spec.changes])
        self._currents: OrderedDict[tuple[int, int], Current] = OrderedDict()
        self._max_late = spec.late_after_ms + SLOT_MS if spec.late_share > 0 else 0
        self._max_lag = max(ARRIVAL_LAG_MS, self._max_late)

    # ------------------------------------------------------------------ volumes
    def _base_rate(self, day: int) -> float:
        if day < PREHISTORY_DAYS:
            return self.initial / PREHISTORY_DAYS
        return self.per_day

    def _weights(self, day: int) -> np.ndarray:
        """Cumulative intraday weights of a day (1441 values), outage slots removed."""
        weights = self._flat if day < PREHISTORY_DAYS else self._cumw
        if self._outage is None:
            return weights
        day_ms = (self.base_day + day) * DAY_MS
        first = max(0, -(-(self._outage[0] - day_ms) // SLOT_MS))
        last = min(SLOTS_PER_DAY, -(-(self._outage[1] - day_ms) // SLOT_MS))
        if first >= last:
            return weights
        increments = np.diff(weights)
        increments[first:last] = 0.0
        return np.concatenate([[0.0], np.cumsum(increments)])

    def _rate(self, day: int) -> float:
        return self._base_rate(day) * float(self._weights(day)[-1])

    def _expected_before_day(self, day: int) -> float:
        while len(self._day_expected) <= day:
            d = len(self._day_expected) - 1
            self._day_expected.append(self._day_expected[d] + self._rate(d))
        return self._day_expected[day]

    def _day_table(self, day: int) -> np.ndarray:
        """Sequence number of the first record of each slot of a day (1441 values)."""
        table = self._day_tables.get(day)
        if table is None:
            weights = self._weights(day)
            expected = self._expected_before_day(day) + self._base_rate(day) * weights
            table = np.floor(expected + 1e-9).astype(np.int64)
            self._day_tables[day] = table
        return table

    def seq_start(self, slot: int) -> int:
        """Global sequence number of the first record created in ``slot``."""
        rel = slot - self.base_slot
        if rel <= 0:
            return 0
        day, minute = divmod(rel, SLOTS_PER_DAY)
        return int(self._day_table(day)[minute])

    def count(self, slot: int) -> int:
        """Number of records created in ``slot``."""
        if slot < self.base_slot:
            return 0
        return self.seq_start(slot + 1) - self.seq_start(slot)

    def locate(self, seq: int) -> tuple[int, int]:
        """The (slot, index) of the record with global sequence number ``seq``."""
        if seq < 0:
            raise ValueError("negative sequence number")
        starts = self._day_starts
        while not starts or starts[-1] <= seq:
            day = len(starts)
            starts.append(math.floor(self._expected_before_day(day) + 1e-9))
            if len(starts) > 100_000:
                raise ValueError(f"sequence number {seq} is beyond the timeline")
        day = bisect_right(starts, seq) - 1
        table = self._day_list(day)
        minute = min(max(bisect_right(table, seq) - 1, 0), SLOTS_PER_DAY - 1)
        return self.base_slot + day * SLOTS_PER_DAY + minute, seq - table[minute]

    def _day_list(self, day: int) -> list[int]:
        found = self._day_lists.get(day)
        if found is None:
            found = self._day_table(day).tolist()
            self._day_lists[day] = found
        return found

    @property
    def first_stamp_ms(self) -> int:
        """No version of any record is stamped before this instant."""
        return (self.base_slot if self.initial > 0 else self.origin_ms // SLOT_MS) * SLOT_MS

    def created_before(self, at_ms: int) -> int:
        """Number of records created in slots that end at or before ``at_ms``."""
        return self.seq_start(at_ms // SLOT_MS)

    def nonempty_slots(self, first: int, last: int) -> list[int]:
        """Slots in ``[first, last]`` that hold at least one record."""
        first = max(first, self.base_slot)
        out: list[int] = []
        slot = first
        while slot <= last:
            day, minute = divmod(slot - self.base_slot, SLOTS_PER_DAY)
            table = self._day_table(day)
            end_minute = min(SLOTS_PER_DAY, minute + (last - slot) + 1)
            counts = np.diff(table[minute : end_minute + 1])
            out.extend((np.nonzero(counts)[0] + slot).tolist())
            slot += end_minute - minute
        return out

    # ---------------------------------------------------------------- schedules
    def _block_of(self, slot: int) -> int:
        return (slot - self.base_slot) // self.block_slots

    def block(self, number: int) -> Block:
        """The drawn life cycles of the records created in block ``number`` (cached)."""
        cached = self._blocks.get(number)
        if cached is not None:
            self._blocks.move_to_end(number)
            return cached
        drawn = self._draw(number)
        self._blocks[number] = drawn
        self._cached_rows += len(drawn.created_ms)
        while len(self._blocks) > 2 and self._cached_rows > BLOCK_CACHE_ROWS:
            _, evicted = self._blocks.popitem(last=False)
            self._cached_rows -= len(evicted.created_ms)
        return drawn

    def schedule(self, slot: int) -> Schedule:
        """The life cycle of every record created in ``slot`` (views on its block)."""
        if slot < self.base_slot:
            empty = np.zeros(0, dtype=np.int64)
            return Schedule(
                slot, empty, np.zeros((0, self._n_versions), np.int64), np.zeros(0, np.int8)
            )
        blk = self.block(self._block_of(slot))
        offset = slot - blk.first_slot
        lo, hi = int(blk.starts[offset]), int(blk.starts[offset + 1])
        return Schedule(slot, blk.created_ms[lo:hi], blk.versions_ms[lo:hi], blk.defect[lo:hi])

    # One record's facts, read straight from its block: cheaper than ``schedule(slot)``,
    # which slices three arrays, when a caller wants a single record (the renderers).
    def _row_of(self, slot: int, index: int) -> tuple[Block, int]:
        """The block holding record ``(slot, index)`` and the record's row in it.

        Raises:
            IndexError: The slot holds no record ``index`` (as ``schedule`` would).

        """
        if slot < self.base_slot:
            raise IndexError(f"slot {slot} is before the timeline")
        blk = self.block(self._block_of(slot))
        offset = slot - blk.first_slot
        row = int(blk.starts[offset]) + index
        if index < 0 or row >= int(blk.starts[offset + 1]):
            raise IndexError(f"slot {slot} has no record {index}")
        return blk, row

    def record_created(self, slot: int, index: int) -> tuple[int, int]:
        """(creation instant in epoch ms, defect kind or -1) of one record."""
        blk, row = self._row_of(slot, index)
        return int(blk.created_ms[row]), int(blk.defect[row])

    def record_defect(self, slot: int, index: int) -> int:
        """Injected defect kind of one record: an index into ``defect_kinds``, or -1."""
        blk, row = self._row_of(slot, index)
        return int(blk.defect[row])

    def record_versions(self, slot: int, index: int) -> list[int]:
        """Instants (epoch ms) of one record's versions; ``NEVER`` where none happened."""
        blk, row = self._row_of(slot, index)
        versions: list[int] = blk.versions_ms[row].tolist()
        return versions

    def _draw(self, number: int) -> Block:
        spec = self.spec
        first_slot = self.base_slot + number * self.block_slots
        seq0 = self.seq_start(first_slot)
        starts = np.array(
            [self.seq_start(first_slot + k) - seq0 for k in range(self.block_slots + 1)],
            dtype=np.int64,
        )
        n = int(starts[-1])
        rng = np.random.Generator(np.random.PCG64([self.seed, spec.code + 101, number]))
        slot_of = np.repeat(np.arange(self.block_slots, dtype=np.int64), np.diff(starts))
        offsets = rng.integers(0, SLOT_MS, n, dtype=np.int64)
        offsets = offsets[np.lexsort((offsets, slot_of))]
        created = (first_slot + slot_of) * SLOT_MS + offsets
        lag = rng.integers(0, ARRIVAL_LAG_MS, n, dtype=np.int64)
        if spec.late_share > 0:
            late = rng.random(n) < spec.late_share
            lag = np.where(
                late, spec.late_after_ms + rng.integers(0, SLOT_MS, n, dtype=np.int64), lag
            )
        first = created + lag
        versions = np.full((n, self._n_versions), NEVER, dtype=np.int64)
        versions[:, 0] = first
        group_draws: dict[str, np.ndarray] = {}
        group_used: dict[str, float] = {}
        deleted = np.zeros(n, dtype=bool)
        for k, change in enumerate(spec.changes, start=1):
            if change.group:
                draw = group_draws.setdefault(change.group, rng.random(n))
                low = group_used.get(change.group, 0.0)
                happens = (draw >= low) & (draw < low + change.probability)
                group_used[change.group] = low + change.probability
            else:
                happens = rng.random(n) < change.probability
            jitter = rng.integers(0, max(change.jitter_ms, 1), n, dtype=np.int64)
            happens &= ~deleted
            versions[:, k] = np.where(happens, first + change.after_ms + jitter, NEVER)
            if change.delete:
                deleted |= happens
        defect = np.full(n, -1, dtype=np.int8)
        if spec.defect_kinds and n and self._defect_rate > 0:
            hit = rng.random(n) < self._defect_rate
            kinds = rng.integers(0, len(spec.defect_kinds), n, dtype=np.int8)
            defect = np.where(hit, kinds, defect).astype(np.int8)
        return Block(first_slot, starts, created, versions, defect, slot_of)

    # ------------------------------------------------------------ current state
    @staticmethod
    def current_version(versions: np.ndarray, at_ms: int) -> np.ndarray:
        """Index of the current version of each row as of ``at_ms`` (-1: not yet)."""
        if versions.size == 0:
            return np.zeros(0, dtype=np.int64)
        visible = versions <= at_ms
        idx = np.where(visible, np.arange(versions.shape[1]), -1)
        return idx.max(axis=1)

    def is_delete(self, version: int) -> bool:
        """Whether version number ``version`` is a deletion."""
        return version > 0 and self.spec.changes[version - 1].delete

    def candidate_blocks(self, start_ms: int, end_ms: int) -> list[int]:
        """Blocks whose records may have a version stamped in ``[start_ms, end_ms)``."""
        offsets = [(0, self._max_lag)]
        for change in self.spec.changes:
            offsets.append((change.after_ms, change.after_ms + change.jitter_ms + self._max_lag))
        numbers: set[int] = set()
        last_block = self._block_of(end_ms // SLOT_MS)
        for lo, hi in offsets:
            first = max(self.base_slot, (start_ms - hi) // SLOT_MS - 1)
            last = (end_ms - lo) // SLOT_MS
            if last < first:
                continue
            numbers.update(range(self._block_of(first), min(self._block_of(last), last_block) + 1))
        return sorted(numbers)

    def _current(self, number: int, at_ms: int) -> Current:
        """Rows of a block visible at ``at_ms``, ordered by the instant of their current version."""
        key = (number, at_ms)
        found = self._currents.get(key)
        if found is not None:
            self._currents.move_to_end(key)
            return found
        blk = self.block(number)
        cur = self.current_version(blk.versions_ms, at_ms)
        rows = np.nonzero(cur >= 0)[0]
        versions = cur[rows]
        times = blk.versions_ms[rows, versions]
        order = np.argsort(times, kind="stable")
        rows, versions, times = rows[order], versions[order], times[order]
        slots = blk.slot_of[rows] + blk.first_slot
        index = rows - blk.starts[blk.slot_of[rows]]
        found = Current(times, slots, index, versions, rows)
        self._currents[key] = found
        if len(self._currents) > 2 * len(self._blocks) + 8:
            self._currents.popitem(last=False)
        return found

    def items_in_window(
        self, start_ms: int, end_ms: int, at_ms: int, include_deleted: bool, stale_kind: int
    ) -> list[Item]:
        """Current versions (as of ``at_ms``) stamped in ``[start_ms, end_ms)``.

        Items come unsorted; the caller sorts them by its API's order. A record whose
        injected defect is ``stale_kind`` also yields its previous version, as a
        listing does when a record changes between two page reads.
        """
        end_ms = min(end_ms, at_ms + 1)
        if end_ms <= start_ms:
            return []
        out: list[Item] = []
        for number in self.candidate_blocks(start_ms, end_ms):
            cur = self._current(number, at_ms)
            lo = int(np.searchsorted(cur.times, start_ms, side="left"))
            hi = int(np.searchsorted(cur.times, end_ms, side="left"))
            if lo < hi:
                sel = slice(lo, hi)
                versions = cur.versions[sel]
                keep = (
                    np.ones(hi - lo, dtype=bool)
                    if include_deleted
                    else ~self._delete_columns[versions]
                )
                out.extend(
                    Item(t, s, i, v, VARIANT_RECORD)
                    for t, s, i, v in zip(
                        cur.times[sel][keep].tolist(),
                        cur.slots[sel][keep].tolist(),
                        cur.index[sel][keep].tolist(),
                        versions[keep].tolist(),
                        strict=True,
                    )
                )
            if stale_kind >= 0:
                out.extend(
                    self._stale_items(number, cur, stale_kind, start_ms, end_ms, include_deleted)
                )
        return out

    def _stale_items(
        self,
        number: int,
        cur: Current,
        stale_kind: int,
        start_ms: int,
        end_ms: int,
        include_deleted: bool,
    ) -> list[Item]:
        blk = self.block(number)
        flagged = (blk.defect[cur.rows] == stale_kind) & (cur.versions > 0)
        if not include_deleted:
            flagged &= ~self._delete_columns[cur.versions]
        flagged = np.nonzero(flagged)[0]
        out: list[Item] = []
        for pos in flagged.tolist():
            row, version = int(cur.rows[pos]), int(cur.versions[pos])
            previous = self.previous_version(blk.versions_ms[row], version)
            if previous is None:
                continue
            time_ms = int(blk.versions_ms[row, previous])
            if start_ms <= time_ms < end_ms:
                out.append(
                    Item(time_ms, int(cur.slots[pos]), int(cur.index[pos]), previous, VARIANT_STALE)
                )
        return out

    def previous_version(self, times: np.ndarray, version: int) -> int | None:
        """The version before ``version`` that happened (never a deletion), if any."""
        earlier = [v for v in range(version) if times[v] != NEVER and not self.is_delete(v)]
        return earlier[-1] if earlier else None

    def items_created_in(
        self, first_slot: int, last_slot: int, at_ms: int, include_deleted: bool
    ) -> list[Item]:
        """Records created in slots ``[first_slot, last_slot]`` and visible at ``at_ms``.

        Items come in creation order (slot, index): the order of time-prefixed ids.
        """
        out: list[Item] = []
        first_slot = max(first_slot, self.base_slot)
        if last_slot < first_slot:
            return out
        for number in range(self._block_of(first_slot), self._block_of(last_slot) + 1):
            blk = self.block(number)
            lo_slot = max(first_slot - blk.first_slot, 0)
            hi_slot = min(last_slot - blk.first_slot + 1, self.block_slots)
            lo, hi = int(blk.starts[lo_slot]), int(blk.starts[hi_slot])
            if lo >= hi:
                continue
            cur = self.current_version(blk.versions_ms[lo:hi], at_ms)
            keep = cur >= 0
            if not include_deleted:
                keep &= ~self._delete_columns[np.maximum(cur, 0)]
            rows = np.nonzero(keep)[0] + lo
            versions = cur[keep]
            times = blk.versions_ms[rows, versions]
            slots = blk.slot_of[rows] + blk.first_slot
            index = rows - blk.starts[blk.slot_of[rows]]
            out.extend(
                Item(t, s, i, v, VARIANT_RECORD)
                for t, s, i, v in zip(
                    times.tolist(), slots.tolist(), index.tolist(), versions.tolist(), strict=True
                )
            )
        return out
