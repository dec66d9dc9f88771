"""WebPhone records: agents, customers, calls and post-call surveys.

Field lists follow ``docs/reference/source_apis.md`` section 3.5; calls also carry
``campaign_code``, the Bynder campaign key the caller dialled in on (IVR attribute).
"""

from __future__ import annotations

import random
from typing import Any

from sandbox import formats
from sandbox.entity import Entity
from sandbox.formats import DAY_MS, HOUR_MS, MINUTE_MS
from sandbox.ids import parse_ulid, ulid
from sandbox.pools import AREA_CODES, DISPOSITIONS, LOCALES, TEAMS, TIMEZONES
from sandbox.timeline import SLOT_MS, VARIANT_NEAR_DUPLICATE, Change, EntitySpec, Item

CALL_STATUSES = ("completed", "abandoned", "no_answer", "busy", "failed", "voicemail")
CALL_STATUS_WEIGHTS = (82, 8, 4, 2, 1, 3)
DIRECTIONS = ("inbound", "outbound", "transfer")
SURVEY_CHANNELS = ("ivr", "sms", "email")
COMPANY_DOMAIN = "contoso-callcenter.example"


class WebPhoneEntity(Entity):
    """Common id format (prefixed ULID) and tombstones."""

    prefix = ""

    def make_id(self, slot: int, index: int, variant: int) -> str:
        """Prefixed ULID of a record; its time part is the creation minute."""
        return ulid(
            self.prefix, slot * SLOT_MS + index % SLOT_MS, slot, index, variant, self.spec.code
        )

    def parse_id(self, text: str) -> tuple[int, int, int]:
        """(slot, index, variant) of an id."""
        if not text.startswith(self.prefix + "_"):
            raise ValueError(f"not a {self.name} id: {text!r}")
        slot, index, variant, code = parse_ulid(text)
        if code != self.spec.code:
            raise ValueError(f"not a {self.name} id: {text!r}")
        return slot, index, variant

    def tombstone(self, item: Item) -> dict[str, Any]:
        """What ``include_deleted=true`` returns for a deleted record."""
        stamp = formats.iso_ms_z(item.time_ms)
        return {
            "id": self.record_id(item.slot, item.index),
            "deleted_at": stamp,
            "updated_at": stamp,
        }

    def render(self, item: Item) -> dict[str, Any]:
        """The record version an item stands for."""
        if self.is_delete(item):
            return self.tombstone(item)
        row = self.row(item.slot, item.index)
        record = self.build(row, item)
        if item.variant == VARIANT_NEAR_DUPLICATE:
            record["id"] = self.record_id(item.slot, item.index, VARIANT_NEAR_DUPLICATE)
        return self.with_defect(record, row)

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """The clean JSON of a record version."""
        raise NotImplementedError

    def changes_of(self, item: Item) -> list[str]:
        """Changes applied up to the item's version."""
        return self.applied_changes(item.slot, item.index, item.version)


def _phone(rng: random.Random) -> str:
    return formats.e164(rng.choice(AREA_CODES), 5_550_000 + rng.randrange(10_000))


# ---------------------------------------------------------------------- agents
class Agents(WebPhoneEntity):
    """Call-center agents (a slowly changing dimension)."""

    prefix = "agt"
    spec = EntitySpec(
        system="webphone",
        name="agents",
        code=1,
        per_day=2.0,
        initial=2_000,
        minimum_initial=24,
        changes=(
            Change("team_change", 3 * DAY_MS, 0.10, jitter_ms=DAY_MS),
            Change("profile_change", 20 * DAY_MS, 0.15, jitter_ms=DAY_MS),
            Change("deactivated", 45 * DAY_MS, 0.08, jitter_ms=DAY_MS),
        ),
        defect_kinds=("null_required", "unknown_enum", "changed_between_pages"),
    )

    def make_ref(self, rng: random.Random, slot: int, index: int) -> dict[str, Any]:
        """An agent's identity (Workfront users copy it for the people in both systems)."""
        pools = self.world.pools
        first, last = rng.choice(pools.first_names), rng.choice(pools.last_names)
        seq = self.timeline.seq_start(slot) + index
        return {
            "id": self.record_id(slot, index),
            "first_name": first,
            "last_name": last,
            "email": f"{first}.{last}.{seq}@{COMPANY_DOMAIN}".lower(),
        }

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw an agent."""
        team = rng.choice(TEAMS)
        return {
            **ref,
            "team": team,
            "new_team": rng.choice([t for t in TEAMS if t != team]),
            "language": rng.choice(("EN", "EN", "EN", "ES", "FR")),
            "timezone": rng.choice(TIMEZONES),
        }

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """Agent JSON."""
        changes = self.changes_of(item)
        team = row["new_team"] if "team_change" in changes else row["team"]
        language = "EN" if "profile_change" in changes else row["language"]
        return {
            "id": row["id"],
            "email": row["email"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "display_name": f"{row['first_name']} {row['last_name'][0]}.",
            "team": team,
            "routing_profile": f"{team.replace(' ', '')}-{language}",
            "status": "inactive" if "deactivated" in changes else "active",
            "timezone": row["timezone"],
            "created_at": formats.iso_ms_z(row["created_ms"]),
            "updated_at": formats.iso_ms_z(item.time_ms),
        }

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Agent defects."""
        if kind == "null_required":
            return "email", "required field is null", None
        return "status", "status outside the documented set", rng.choice(("on_leave", "ACTIVE "))


# ------------------------------------------------------------------- customers
class Customers(WebPhoneEntity):
    """Customers known to the call center (PII: names, phones, email)."""

    prefix = "cus"
    spec = EntitySpec(
        system="webphone",
        name="customers",
        code=2,
        per_day=40_000,
        initial=500_000,
        minimum_initial=150,
        changes=(
            Change("contact_update", 2 * DAY_MS, 0.08),
            Change("second_update", 15 * DAY_MS, 0.04),
            Change("erased", 30 * DAY_MS, 0.004, delete=True),
        ),
        defect_kinds=(
            "exact_duplicate",
            "near_duplicate",
            "null_required",
            "phone_format",
            "changed_between_pages",
        ),
    )

    def make_ref(self, rng: random.Random, slot: int, index: int) -> dict[str, Any]:
        """A customer's id and primary phone (calls come from that number)."""
        return {"id": self.record_id(slot, index), "phone": _phone(rng)}

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw a customer."""
        pools = self.world.pools
        seq = self.timeline.seq_start(slot) + index
        first, last = rng.choice(pools.first_names), rng.choice(pools.last_names)
        phones = [ref["phone"]]
        if rng.random() < 0.2:
            phones.append(_phone(rng))
        return {
            "id": ref["id"],
            "external_ref": f"CRM-{seq:07d}",
            "first_name": first,
            "last_name": last,
            "phones": phones,
            "new_phone": _phone(rng),
            "email": f"{first}.{last}{seq % 1000}@{rng.choice(pools.domains)}".lower(),
            "new_domain": rng.choice(pools.domains),
            "company": rng.choice(pools.companies) if rng.random() < 0.3 else None,
            "locale": rng.choice(LOCALES),
        }

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """Customer JSON."""
        changes = self.changes_of(item)
        phones = list(row["phones"])
        email = row["email"]
        if "contact_update" in changes:
            email = email.split("@")[0] + "@" + row["new_domain"]
        if "second_update" in changes:
            phones = [row["new_phone"], *phones[:1]]
        return {
            "id": row["id"],
            "external_ref": row["external_ref"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "phone_numbers": phones,
            "email": email,
            "company": row["company"],
            "locale": row["locale"],
            "created_at": formats.iso_ms_z(row["created_ms"]),
            "updated_at": formats.iso_ms_z(item.time_ms),
        }

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Customer defects."""
        if kind == "null_required":
            return "last_name", "required field is null", None
        messy, variant = formats.messy_phone(row["phones"][0], rng)
        return "phone_numbers", f"phone not in E.164 ({variant})", [messy, *row["phones"][1:]]


# ----------------------------------------------------------------------- calls
class Calls(WebPhoneEntity):
    """Call log records: one per call leg, written when the call ends."""

    prefix = "cal"
    spec = EntitySpec(
        system="webphone",
        name="calls",
        code=3,
        per_day=850_000,
        profile="business",
        late_share=0.01,
        late_after_ms=3 * HOUR_MS,
        changes=(
            Change("wrap_up", HOUR_MS, 0.30),
            Change("corrected", DAY_MS, 0.02),
            Change("purged", 2 * DAY_MS, 0.0005, delete=True),
        ),
        defect_kinds=(
            "exact_duplicate",
            "near_duplicate",
            "null_required",
            "phone_format",
            "timestamp_format",
            "unknown_enum",
            "orphan_fk",
            "negative_value",
            "changed_between_pages",
        ),
    )

    def make_ref(self, rng: random.Random, slot: int, index: int) -> dict[str, Any]:
        """Who took part in the call (surveys copy agent and customer)."""
        world = self.world
        at = slot * SLOT_MS
        status = rng.choices(CALL_STATUSES, CALL_STATUS_WEIGHTS)[0]
        direction = rng.choices(DIRECTIONS, (75, 20, 5))[0]
        customers = world.entity("customers")
        customer = customers.ref(*customers.pick_existing(rng, at))
        agent_id = None
        if status in ("completed", "voicemail") or direction == "outbound":
            agents = world.entity("agents")
            agent_id = agents.record_id(*agents.pick_existing(rng, at))
        return {
            "id": self.record_id(slot, index),
            "status": status,
            "direction": direction,
            "customer_id": customer["id"],
            "customer_phone": customer["phone"],
            "agent_id": agent_id,
        }

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw a call."""
        status, direction = ref["status"], ref["direction"]
        answered = status == "completed"
        ring = rng.randint(2, 25)
        queue = int(rng.expovariate(1 / 45)) if direction != "outbound" else 0
        talk = int(rng.lognormvariate(5.4, 0.8)) if answered else 0
        hold_count = rng.choice((0, 0, 0, 1, 1, 2)) if answered else 0
        hold = sum(rng.randint(10, 120) for _ in range(hold_count))
        team = rng.choice(TEAMS)
        campaign_code = None
        if direction == "inbound" and rng.random() < 0.55:
            campaigns = self.world.entity("campaigns")
            c_slot, c_index = campaigns.pick_existing(rng, slot * SLOT_MS, recent=25)
            campaign_code = campaigns.ref(c_slot, c_index)["key"]
        line = f"+1800555{100 + TEAMS.index(team):04d}"
        outbound = direction == "outbound"
        disposition = rng.choice(DISPOSITIONS) if answered else None
        return {
            **ref,
            "parent_call_id": self.record_id(slot, index - 1)
            if direction == "transfer" and index > 0
            else None,
            "from_number": line if outbound else ref["customer_phone"],
            "to_number": ref["customer_phone"] if outbound else line,
            "queue_id": "q_" + team.lower().replace(" ", "_"),
            "queue_name": team,
            "ring_seconds": ring,
            "queue_seconds": queue,
            "talk_seconds": talk,
            "hold_seconds": hold,
            "hold_count": hold_count,
            "acw_seconds": rng.randint(10, 150) if answered else 0,
            "duration_seconds": ring + queue + talk + hold,
            "start_jitter_ms": rng.randrange(1000),
            "disposition_code": disposition,
            "late_disposition": rng.random() < 0.5,
            "corrected_disposition": rng.choice(DISPOSITIONS),
            "campaign_code": campaign_code,
            "sentiment": round(rng.uniform(-1, 1), 3),
        }

    def started_ms(self, row: dict[str, Any], ended_ms: int) -> int:
        """When the call started, from when it ended."""
        return ended_ms - row["duration_seconds"] * 1000 - row["start_jitter_ms"]

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """Call JSON."""
        changes = self.changes_of(item)
        wrapped = "wrap_up" in changes
        disposition = row["disposition_code"]
        if disposition is not None and row["late_disposition"] and not wrapped:
            disposition = None  # the agent files the wrap-up code later
        if "corrected" in changes and disposition is not None:
            disposition = row["corrected_disposition"]
        recording = None
        if wrapped and row["status"] == "completed":
            recording = f"https://recordings.webphone.example/{row['id']}.wav"
        ended = row["created_ms"]
        started = self.started_ms(row, ended)
        answered = row["status"] == "completed"
        answered_at = started + (row["ring_seconds"] + row["queue_seconds"]) * 1000
        record = {
            "id": row["id"],
            "parent_call_id": row["parent_call_id"],
            "direction": row["direction"],
            "status": row["status"],
            "from_number": row["from_number"],
            "to_number": row["to_number"],
            "customer_id": row["customer_id"],
            "agent_id": row["agent_id"],
            "queue_id": row["queue_id"],
            "queue_name": row["queue_name"],
            "campaign_code": row["campaign_code"],
            "started_at": formats.iso_ms_z(started),
            "answered_at": formats.iso_ms_z(answered_at) if answered else None,
            "ended_at": formats.iso_ms_z(ended),
            "ring_seconds": row["ring_seconds"],
            "queue_seconds": row["queue_seconds"],
            "talk_seconds": row["talk_seconds"],
            "hold_seconds": row["hold_seconds"],
            "hold_count": row["hold_count"],
            "acw_seconds": row["acw_seconds"],
            "duration_seconds": row["duration_seconds"],
            "disposition_code": disposition,
            "recording_url": recording,
            "created_at": formats.iso_ms_z(ended),
            "updated_at": formats.iso_ms_z(item.time_ms),
        }
        if self.world.drift_active("added", item.time_ms):
            record["sentiment_score"] = row["sentiment"]
        return record

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Call defects."""
        if kind == "null_required":
            return "customer_id", "required field is null", None
        if kind == "phone_format":
            field = "to_number" if row["direction"] == "outbound" else "from_number"
            messy, variant = formats.messy_phone(row[field], rng)
            return field, f"phone not in E.164 ({variant})", messy
        if kind == "timestamp_format":
            value, variant = formats.bad_timestamp(self.started_ms(row, row["created_ms"]), rng)
            return "started_at", f"timestamp format {variant}", value
        if kind == "unknown_enum":
            value = rng.choice(("transferred_external", "COMPLETED", "dropped"))
            return "status", "status outside the documented set", value
        if kind == "orphan_fk":
            return "agent_id", "agent does not exist", self.world.entity("agents").orphan_id(rng)
        return "duration_seconds", "negative duration", -max(1, int(row["duration_seconds"]))


# --------------------------------------------------------------------- surveys
class Surveys(WebPhoneEntity):
    """Post-call CSAT/NPS surveys, sent a few minutes after a call."""

    prefix = "srv"
    spec = EntitySpec(
        system="webphone",
        name="surveys",
        code=4,
        per_day=153_000,
        profile="business",
        changes=(
            Change("completed", 40 * MINUTE_MS, 0.55, group="outcome"),
            Change("partial", 40 * MINUTE_MS, 0.05, group="outcome"),
            Change("expired", 3 * DAY_MS, 0.30, group="outcome"),
        ),
        defect_kinds=(
            "exact_duplicate",
            "null_required",
            "orphan_fk",
            "unknown_enum",
            "out_of_range",
            "changed_between_pages",
        ),
    )

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw a survey and the answered call it follows (ended 5 to 30 minutes earlier)."""
        calls = self.world.entity("calls")
        timeline = calls.timeline
        at = slot * SLOT_MS
        high = timeline.created_before(at - 5 * MINUTE_MS)
        low = timeline.created_before(at - 30 * MINUTE_MS)
        if high <= 0:
            high = max(1, timeline.created_before(at + DAY_MS))
        low = min(low, high - 1)
        call: dict[str, Any] = {}
        for _ in range(8):  # surveys follow answered calls
            call = calls.ref(*timeline.locate(low + int(rng.random() * (high - low))))
            if call["status"] == "completed":
                break
        score = rng.choices((1, 2, 3, 4, 5), (6, 6, 12, 30, 46))[0]
        return {
            "id": ref["id"],
            "call_id": call["id"],
            "agent_id": call["agent_id"],
            "customer_id": call["customer_id"],
            "channel": rng.choice(SURVEY_CHANNELS),
            "csat": score,
            "nps": min(10, max(0, score * 2 + rng.randint(-2, 1))) if rng.random() < 0.7 else None,
            "comment": rng.choice(self.world.pools.sentences) if rng.random() < 0.35 else None,
        }

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """Survey JSON."""
        changes = self.changes_of(item)
        status = "sent"
        for outcome in ("completed", "partial", "expired"):
            if outcome in changes:
                status = outcome
        answered = status in ("completed", "partial")
        return {
            "id": row["id"],
            "call_id": row["call_id"],
            "agent_id": row["agent_id"],
            "customer_id": row["customer_id"],
            "channel": row["channel"],
            "status": status,
            "sent_at": formats.iso_ms_z(row["created_ms"]),
            "completed_at": formats.iso_ms_z(item.time_ms) if answered else None,
            "csat_score": row["csat"] if answered else None,
            "csat_min": 1,
            "csat_max": 5,
            "nps_score": row["nps"] if status == "completed" else None,
            "comment": row["comment"] if status == "completed" else None,
            "updated_at": formats.iso_ms_z(item.time_ms),
        }

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Survey defects."""
        if kind == "null_required":
            return "call_id", "required field is null", None
        if kind == "orphan_fk":
            return "call_id", "call does not exist", self.world.entity("calls").orphan_id(rng)
        if kind == "unknown_enum":
            return "channel", "channel outside the documented set", rng.choice(("whatsapp", "IVR"))
        return "csat_max", "csat scale bound out of range", rng.choice((0, 10, 100))


WEBPHONE_ENTITIES: tuple[type[Entity], ...] = (Agents, Customers, Calls, Surveys)
