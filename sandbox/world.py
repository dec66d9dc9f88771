"""The simulated world: every entity of the three systems, one seed, one clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from sandbox.entity import STRUCTURAL_DEFECTS, Entity
from sandbox.pools import Pools
from sandbox.settings import SandboxSettings
from sandbox.timeline import DAY_MS, NEVER, SLOT_MS, VARIANT_NEAR_DUPLICATE


class World:
    """All entities of WebPhone, Bynder and Workfront, generated on demand.

    Attributes:
        settings: The knobs the world was made with.
        origin_ms: Start of the history window (midnight UTC, epoch ms).
        pools: Faker-made value lists.
        entities: Entity objects by name.

    """

    def __init__(self, settings: SandboxSettings, clock: Callable[[], int] | None = None) -> None:
        """Build the world; ``clock`` returns the simulated now (epoch ms)."""
        from sandbox.bynder.entities import BYNDER_ENTITIES
        from sandbox.webphone.entities import WEBPHONE_ENTITIES
        from sandbox.workfront.entities import WORKFRONT_ENTITIES

        self.settings = settings
        start_ms = int(settings.start_at.timestamp() * 1000)
        self.start_ms = start_ms
        self.origin_ms = (start_ms // DAY_MS - settings.history_days) * DAY_MS
        self._now_ms = start_ms
        self._clock = clock
        self.pools = Pools.build(settings.seed)
        self.entities: dict[str, Entity] = {}
        for cls in (*WEBPHONE_ENTITIES, *BYNDER_ENTITIES, *WORKFRONT_ENTITIES):
            entity = cls(self)
            self.entities[entity.name] = entity

    # ------------------------------------------------------------------ clock
    def now_ms(self) -> int:
        """The simulated now, epoch milliseconds."""
        return self._clock() if self._clock is not None else self._now_ms

    def set_now_ms(self, value: int) -> None:
        """Move the local clock (used when no shared clock is given)."""
        if self._clock is not None:
            raise RuntimeError("this world reads a shared clock")
        self._now_ms = value

    def entity(self, name: str) -> Entity:
        """The entity called ``name``."""
        try:
            return self.entities[name]
        except KeyError:
            raise KeyError(f"unknown entity {name!r}; known: {sorted(self.entities)}") from None

    def system_entities(self, system: str) -> list[Entity]:
        """Entities of one source system."""
        return [e for e in self.entities.values() if e.spec.system == system]

    def drift_active(self, kind: str, at_ms: int) -> bool:
        """Whether drift scenario ``kind`` applies to a version stamped ``at_ms``."""
        return kind in self.settings.drift and at_ms >= self.settings.drift_at_ms

    # ----------------------------------------------------------- ground truth
    def iter_created(
        self, entity: Entity, at_ms: int
    ) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """(slot, current version per row, defect per row) for every non-empty slot."""
        timeline = entity.timeline
        last_block = timeline._block_of(at_ms // SLOT_MS)
        for number in range(last_block + 1):
            blk = timeline.block(number)
            current = timeline.current_version(blk.versions_ms, at_ms)
            for offset in np.nonzero(np.diff(blk.starts))[0].tolist():
                lo, hi = int(blk.starts[offset]), int(blk.starts[offset + 1])
                yield blk.first_slot + offset, current[lo:hi], blk.defect[lo:hi]

    def expected_ids(self, name: str, at_ms: int | None = None) -> dict[str, str]:
        """Every record id visible at ``at_ms``, mapped to ``live`` or ``deleted``.

        Near-duplicate records (an injected defect) are records of their own, so
        their ids are included; exact duplicates share one id.
        """
        at_ms = self.now_ms() if at_ms is None else at_ms
        entity = self.entity(name)
        near = (
            entity.spec.defect_kinds.index("near_duplicate")
            if "near_duplicate" in entity.spec.defect_kinds
            else -99
        )
        out: dict[str, str] = {}
        for slot, current, defect in self.iter_created(entity, at_ms):
            for index in np.nonzero(current >= 0)[0].tolist():
                version = int(current[index])
                state = "deleted" if entity.timeline.is_delete(version) else "live"
                out[entity.record_id(slot, index)] = state
                if int(defect[index]) == near and state == "live":
                    out[entity.record_id(slot, index, VARIANT_NEAR_DUPLICATE)] = state
        return out

    def manifest(self, at_ms: int | None = None) -> list[dict[str, Any]]:
        """Ground truth of every injected defect in records visible at ``at_ms``.

        One row per defect: the record's state now (``live`` or ``deleted``: a record
        deleted since it was loaded keeps its defect in the warehouse), system, entity,
        record id, defect kind, the field it touches (if any) and details (a near
        duplicate names the record it copies).
        """
        at_ms = self.now_ms() if at_ms is None else at_ms
        rows: list[dict[str, Any]] = []
        for entity in self.entities.values():
            if not entity.spec.defect_kinds:
                continue
            for slot, current, defect in self.iter_created(entity, at_ms):
                for index in np.nonzero((defect >= 0) & (current >= 0))[0].tolist():
                    rows.extend(self._manifest_rows(entity, slot, index, int(current[index])))
        return rows

    def _manifest_rows(
        self, entity: Entity, slot: int, index: int, version: int
    ) -> list[dict[str, Any]]:
        kind = entity.defect_of(slot, index)
        assert kind is not None
        record_id = entity.record_id(slot, index)
        row: dict[str, Any] = {
            "state": "deleted" if entity.timeline.is_delete(version) else "live",
            "system": entity.spec.system,
            "entity": entity.name,
            "record_id": record_id,
            "defect": kind,
            "field": None,
            "detail": None,
        }
        if kind == "near_duplicate":
            if entity.timeline.is_delete(version):
                return []
            row["record_id"] = entity.record_id(slot, index, VARIANT_NEAR_DUPLICATE)
            row["detail"] = f"duplicate of {record_id}"
        elif kind == "changed_between_pages":
            times = entity.timeline.schedule(slot).versions_ms[index]
            if sum(1 for v in range(version + 1) if times[v] != NEVER) < 2:
                return []  # only one version so far: nothing to change between pages
            row["detail"] = "previous version listed before the current one"
        elif kind not in STRUCTURAL_DEFECTS:
            field, detail = entity.defect_detail(slot, index, kind)
            row["field"], row["detail"] = field, detail
        return [row]
