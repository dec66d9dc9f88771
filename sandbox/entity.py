"""Entities: a timeline plus the id format and record builder of one API object.

Also the two orders the real APIs list records in, computed chunk by chunk:

* :class:`UpdatedOrder`: by (modified instant, id), filtered on "modified since"
  (WebPhone's keyset cursor, Bynder's ``orderBy=dateModified asc``, Workfront's
  ``lastUpdateDate_Sort``).
* :class:`CreatedOrder`: by creation (Workfront ``ID_Sort=asc``, whose ids start with
  the creation second; Bynder ``orderBy=dateCreated asc``), filtered on "modified since".
"""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from sandbox.settings import OUTAGE_ENTITIES
from sandbox.timeline import (
    NEVER,
    SLOT_MS,
    VARIANT_EXACT_DUPLICATE,
    VARIANT_NEAR_DUPLICATE,
    VARIANT_RECORD,
    VARIANT_STALE,
    EntitySpec,
    Item,
    Timeline,
)

if TYPE_CHECKING:
    from sandbox.world import World

#: Defects realised by the listing itself rather than by a field value.
STRUCTURAL_DEFECTS = ("exact_duplicate", "near_duplicate", "changed_between_pages")
TARGET_CHUNK_ROWS = 2000


class Entity(ABC):
    """One API object of one system (calls, media, TASK, ...)."""

    spec: EntitySpec

    def __init__(self, world: World) -> None:
        """Bind the entity to its world (seed, scale, clock origin, pools)."""
        self.world = world
        settings = world.settings
        self.timeline = Timeline(
            self.spec,
            settings.seed,
            settings.scale,
            world.origin_ms,
            settings.defect_rate,
            settings.outage_window_ms if self.spec.name in OUTAGE_ENTITIES else None,
        )
        self._rows: OrderedDict[tuple[int, int], dict[str, Any]] = OrderedDict()
        self._refs: OrderedDict[tuple[int, int], dict[str, Any]] = OrderedDict()
        self._ids: dict[tuple[int, int, int], str] = {}
        kinds = self.spec.defect_kinds
        self._stale_kind = (
            kinds.index("changed_between_pages") if "changed_between_pages" in kinds else -1
        )
        self._exact_kind = kinds.index("exact_duplicate") if "exact_duplicate" in kinds else -1
        self._near_kind = kinds.index("near_duplicate") if "near_duplicate" in kinds else -1
        per_minute = max(self.timeline.per_day, self.timeline.initial / 60) / 1440
        per_minute *= 1 + sum(c.probability for c in self.spec.changes)
        wanted = math.ceil(TARGET_CHUNK_ROWS / max(per_minute, 1e-9))
        self.chunk_slots = int(min(1440, max(1, wanted)))

    # -------------------------------------------------------------- identity
    @property
    def name(self) -> str:
        """Entity name."""
        return self.spec.name

    def record_id(self, slot: int, index: int, variant: int = VARIANT_RECORD) -> str:
        """The API id of a record (variant 1 is a near-duplicate's own id); cached."""
        key = (slot, index, variant)
        found = self._ids.get(key)
        if found is None:
            found = self.make_id(slot, index, variant)
            if len(self._ids) > 200_000:
                self._ids.clear()
            self._ids[key] = found
        return found

    @abstractmethod
    def make_id(self, slot: int, index: int, variant: int) -> str:
        """Format the API id of a record."""

    @abstractmethod
    def parse_id(self, text: str) -> tuple[int, int, int]:
        """Inverse of :meth:`record_id`: (slot, index, variant)."""

    def id_for_seq(self, seq: int) -> str:
        """Id of the record with global sequence number ``seq``."""
        slot, index = self.timeline.locate(seq)
        return self.record_id(slot, index)

    def find(self, record_id: str, at_ms: int) -> Item | None:
        """The current version of a record by id, unless it does not exist or is deleted."""
        try:
            slot, index, variant = self.parse_id(record_id)
        except (ValueError, KeyError):
            return None
        timeline = self.timeline
        if slot < timeline.base_slot or index >= timeline.count(slot):
            return None
        if variant == VARIANT_NEAR_DUPLICATE and self.defect_of(slot, index) != "near_duplicate":
            return None
        versions = timeline.schedule(slot).versions_ms[index]
        current = int(timeline.current_version(versions.reshape(1, -1), at_ms)[0])
        if current < 0 or timeline.is_delete(current):
            return None
        return Item(int(versions[current]), slot, index, current, variant)

    def pick_existing(self, rng: random.Random, at_ms: int, recent: int = 0) -> tuple[int, int]:
        """A (slot, index) created before ``at_ms``; ``recent`` limits to the newest N."""
        total = self.timeline.created_before(at_ms - 5_000 - SLOT_MS)
        if total <= 0:
            total = max(1, self.timeline.created_before(at_ms + 1440 * SLOT_MS))
        low = max(0, total - recent) if recent else 0
        return self.timeline.locate(low + int(rng.random() * (total - low)))

    # ---------------------------------------------------------------- content
    def record_rng(self, slot: int, index: int) -> random.Random:
        """The random stream of one record: a function of (seed, entity, slot, index)."""
        mixed = (
            (self.world.settings.seed * 1_000_003 + self.spec.code) * 0x9E3779B97F4A7C15
            + slot * 0xBF58476D1CE4E5B9
            + index * 0x94D049BB133111EB
        ) & 0xFFFFFFFFFFFFFFFF
        return random.Random(mixed)

    def ref(self, slot: int, index: int) -> dict[str, Any]:
        """The few attributes other records copy when they point at this one (cached)."""
        key = (slot, index)
        found = self._refs.get(key)
        if found is None:
            found = self.make_ref(self.record_rng(slot, index), slot, index)
            self._refs[key] = found
            if len(self._refs) > 50_000:
                self._refs.popitem(last=False)
        return found

    def row(self, slot: int, index: int) -> dict[str, Any]:
        """All drawn attributes of a record, its injected defect included (cached)."""
        key = (slot, index)
        found = self._rows.get(key)
        if found is not None:
            return found
        rng = self.record_rng(slot, index)
        ref = self.make_ref(rng, slot, index)
        found = self.make_base(rng, slot, index, ref)
        found["created_ms"], kind_index = self.timeline.record_created(slot, index)
        if kind_index >= 0:
            kind = self.spec.defect_kinds[kind_index]
            if kind not in STRUCTURAL_DEFECTS:
                found["_defect"] = self.inject(found, kind, random.Random(rng.random()))
        self._rows[key] = found
        if len(self._rows) > 20_000:
            self._rows.popitem(last=False)
        return found

    def make_ref(self, rng: random.Random, slot: int, index: int) -> dict[str, Any]:
        """Draw the referenced attributes (the first draws of the record's stream)."""
        return {"id": self.record_id(slot, index)}

    @abstractmethod
    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw the remaining attributes of a record; ``ref`` holds the first draws."""

    def created_ms(self, slot: int, index: int) -> int:
        """Creation instant of a record (epoch ms)."""
        return self.timeline.record_created(slot, index)[0]

    @abstractmethod
    def render(self, item: Item) -> dict[str, Any]:
        """The API JSON object of one listing item (a record version)."""

    @abstractmethod
    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Choose how defect ``kind`` shows in a record: (field, detail, bad value)."""

    @staticmethod
    def with_defect(record: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
        """Overwrite the defective field of a rendered record with its bad value."""
        defect = row.get("_defect")
        if defect is not None:
            field, _, value = defect
            record[field] = value
        return record

    def defect_detail(self, slot: int, index: int, kind: str) -> tuple[str | None, str | None]:
        """(field, detail) of a value defect, for the ground-truth manifest."""
        defect = self.row(slot, index).get("_defect")
        if defect is None:
            return None, None
        return defect[0], defect[1]

    def orphan_id(self, rng: random.Random) -> str:
        """An id in this entity's format that no record has (created before time began)."""
        slot = self.timeline.base_slot - 10 - rng.randrange(100_000)
        return self.record_id(slot, rng.randrange(1000))

    def defect_of(self, slot: int, index: int) -> str | None:
        """Injected defect kind of a record, if any."""
        kind = self.timeline.record_defect(slot, index)
        return self.spec.defect_kinds[kind] if kind >= 0 else None

    def version_times(self, slot: int, index: int) -> list[int]:
        """Instants (epoch ms) of each version; ``NEVER`` where a change did not happen."""
        return self.timeline.record_versions(slot, index)

    def applied_changes(self, slot: int, index: int, version: int) -> list[str]:
        """Names of the changes applied up to and including ``version``."""
        if version == 0:  # the record as created: no change applied yet
            return []
        times = self.timeline.record_versions(slot, index)
        return [
            change.name
            for k, change in enumerate(self.spec.changes, start=1)
            if k <= version and times[k] != NEVER
        ]

    def is_delete(self, item: Item) -> bool:
        """Whether a listing item is a deletion (tombstone)."""
        return self.timeline.is_delete(item.version)

    # ---------------------------------------------------------------- listing
    def with_duplicates(self, items: list[Item]) -> list[Item]:
        """Add the duplicate rows that injected duplicate defects produce."""
        if self._exact_kind < 0 and self._near_kind < 0:
            return items
        extra: list[Item] = []
        for item in items:
            if item.variant != VARIANT_RECORD:
                continue
            kind = self.timeline.record_defect(item.slot, item.index)
            if kind < 0:
                continue
            if kind == self._exact_kind:
                extra.append(item._replace(variant=VARIANT_EXACT_DUPLICATE))
            elif kind == self._near_kind and not self.is_delete(item):
                extra.append(item._replace(variant=VARIANT_NEAR_DUPLICATE))
        return items + extra if extra else items

    def sort_id(self, item: Item) -> str:
        """The id an item sorts by (a near-duplicate sorts by its own id)."""
        variant = VARIANT_NEAR_DUPLICATE if item.variant == VARIANT_NEAR_DUPLICATE else 0
        return self.record_id(item.slot, item.index, variant)

    def updated_order(
        self, since_ms: int, until_ms: int | None, at_ms: int, include_deleted: bool = False
    ) -> UpdatedOrder:
        """Listing by (modified instant, id) of versions stamped in ``[since, until)``."""
        return UpdatedOrder(self, since_ms, until_ms, at_ms, include_deleted)

    def created_order(
        self, since_ms: int, until_ms: int | None, at_ms: int, include_deleted: bool = False
    ) -> CreatedOrder:
        """Listing by creation of records modified in ``[since, until)``."""
        return CreatedOrder(self, since_ms, until_ms, at_ms, include_deleted)


_STALE_RANK = {
    VARIANT_STALE: 0,
    VARIANT_RECORD: 1,
    VARIANT_NEAR_DUPLICATE: 1,
    VARIANT_EXACT_DUPLICATE: 2,
}


class Listing(ABC):
    """A stream of items cut into chunks; supports offset and keyset access."""

    def __init__(self, entity: Entity) -> None:
        self.entity = entity
        self._chunks: OrderedDict[int, list[Item]] = OrderedDict()
        self._offsets: list[int] = [0]  # offset of the first item of chunk i

    @property
    @abstractmethod
    def n_chunks(self) -> int:
        """Number of chunks."""

    @abstractmethod
    def _compute_chunk(self, i: int) -> list[Item]:
        """Items of chunk ``i``, in listing order."""

    def chunk(self, i: int) -> list[Item]:
        """Items of chunk ``i`` (cached)."""
        found = self._chunks.get(i)
        if found is None:
            found = self._compute_chunk(i)
            self._chunks[i] = found
            if len(self._chunks) > 8:
                self._chunks.popitem(last=False)
        else:
            self._chunks.move_to_end(i)
        return found

    def items_from(self, offset: int) -> Iterator[Item]:
        """Items from position ``offset`` to the end."""
        offsets = self._offsets
        i = bisect_right(offsets, offset) - 1
        while i == len(offsets) - 1 and i < self.n_chunks:
            offsets.append(offsets[-1] + len(self.chunk(i)))
            if offsets[-1] > offset:
                break
            i += 1
        skip = offset - offsets[i] if i < len(offsets) else 0
        while i < self.n_chunks:
            chunk = self.chunk(i)
            if i == len(offsets) - 1:
                # the first walk past this chunk: remember where the next one starts, so
                # the next page finds its first chunk without recomputing the ones before
                offsets.append(offsets[-1] + len(chunk))
            yield from chunk[skip:]
            skip = 0
            i += 1

    def page(self, offset: int, limit: int) -> list[Item]:
        """``limit`` items from position ``offset``."""
        out: list[Item] = []
        for item in self.items_from(offset):
            out.append(item)
            if len(out) >= limit:
                break
        return out

    def total(self) -> int:
        """Number of items in the whole listing."""
        return sum(len(self.chunk(i)) for i in range(self.n_chunks))


class UpdatedOrder(Listing):
    """Versions ordered by (instant, id), as of ``at_ms``, stamped in ``[since, until)``."""

    def __init__(
        self, entity: Entity, since_ms: int, until_ms: int | None, at_ms: int, include_deleted: bool
    ) -> None:
        super().__init__(entity)
        # nothing is stamped before the timeline's first slot: start there
        self.since_ms = max(since_ms, entity.timeline.first_stamp_ms)
        self.end_ms = min(until_ms if until_ms is not None else at_ms + 1, at_ms + 1)
        self.at_ms = at_ms
        self.include_deleted = include_deleted
        self.chunk_ms = entity.chunk_slots * SLOT_MS

    @property
    def n_chunks(self) -> int:
        """Number of time windows between since and the end."""
        return max(0, math.ceil((self.end_ms - self.since_ms) / self.chunk_ms))

    def _compute_chunk(self, i: int) -> list[Item]:
        start = self.since_ms + i * self.chunk_ms
        end = min(start + self.chunk_ms, self.end_ms)
        timeline = self.entity.timeline
        items = timeline.items_in_window(
            start, end, self.at_ms, self.include_deleted, self.entity._stale_kind
        )
        items = self.entity.with_duplicates(items)
        sort_id = self.entity.sort_id
        return sorted(items, key=lambda it: (it.time_ms, sort_id(it), _STALE_RANK[it.variant]))

    def after_key(self, time_ms: int, record_id: str, limit: int) -> list[Item]:
        """Keyset page: up to ``limit`` items strictly after (time, id).

        Rows equal to the last row's key (exact duplicates) stay on the same page.
        """
        i = max(0, (time_ms - self.since_ms) // self.chunk_ms)
        out: list[Item] = []
        sort_id = self.entity.sort_id
        key = (time_ms, record_id)
        while i < self.n_chunks:
            for item in self.chunk(i):
                item_key = (item.time_ms, sort_id(item))
                if item_key <= key:
                    continue
                if len(out) >= limit and item_key != (out[-1].time_ms, sort_id(out[-1])):
                    return out
                out.append(item)
            i += 1
        return out


class CreatedOrder(Listing):
    """Records modified in ``[since, until)``, in creation order, as of ``at_ms``.

    Chunk 0 holds the records created before ``since`` and modified since then
    (found through the time-window index); later chunks walk creation slots.
    """

    def __init__(
        self, entity: Entity, since_ms: int, until_ms: int | None, at_ms: int, include_deleted: bool
    ) -> None:
        super().__init__(entity)
        self.since_ms = since_ms
        self.end_ms = min(until_ms if until_ms is not None else at_ms + 1, at_ms + 1)
        self.at_ms = at_ms
        self.include_deleted = include_deleted
        self.first_slot = max(since_ms // SLOT_MS, entity.timeline.base_slot)
        # a record created in the since-slot but before since is in chunk 0
        self.last_slot = (self.end_ms - 1) // SLOT_MS

    @property
    def n_chunks(self) -> int:
        """Chunk 0 plus the creation-slot chunks."""
        span = self.last_slot - self.first_slot + 1
        return 1 + max(0, math.ceil(span / self.entity.chunk_slots))

    def _order(self, items: list[Item]) -> list[Item]:
        items = self.entity.with_duplicates(items)
        return sorted(items, key=lambda it: (it.slot, it.index, _STALE_RANK[it.variant]))

    def _compute_chunk(self, i: int) -> list[Item]:
        timeline = self.entity.timeline
        if i == 0:
            window = timeline.items_in_window(
                self.since_ms,
                self.end_ms,
                self.at_ms,
                self.include_deleted,
                self.entity._stale_kind,
            )
            older = [
                it
                for it in window
                if it.slot < self.first_slot
                or timeline.record_created(it.slot, it.index)[0] < self.since_ms
            ]
            return self._order(older)
        first = self.first_slot + (i - 1) * self.entity.chunk_slots
        last = min(first + self.entity.chunk_slots - 1, self.last_slot)
        rows = [
            it
            for it in timeline.items_created_in(first, last, self.at_ms, self.include_deleted)
            if timeline.record_created(it.slot, it.index)[0] >= self.since_ms
            and it.time_ms < self.end_ms
        ]
        if self.entity._stale_kind >= 0:
            rows += self._stale_for(rows)
        return self._order(rows)

    def _stale_for(self, rows: list[Item]) -> list[Item]:
        out: list[Item] = []
        timeline = self.entity.timeline
        for item in rows:
            if item.version == 0 or self.entity.defect_of(item.slot, item.index) != (
                "changed_between_pages"
            ):
                continue
            times = timeline.schedule(item.slot).versions_ms[item.index]
            previous = timeline.previous_version(times, item.version)
            if previous is not None and int(times[previous]) >= self.since_ms:
                out.append(
                    Item(int(times[previous]), item.slot, item.index, previous, VARIANT_STALE)
                )
        return out


def iter_records(
    listing: Listing, render: Callable[[Item], dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Render every item of a listing (used by tests and the manifest)."""
    for i in range(listing.n_chunks):
        for item in listing.chunk(i):
            yield render(item)


def visible_mask(versions: np.ndarray, at_ms: int) -> np.ndarray:
    """Rows with at least one version at or before ``at_ms``."""
    return (versions[:, 0] <= at_ms) if versions.size else np.zeros(0, dtype=bool)
