"""Workfront records: users, projects, tasks, assignments and hours (time entries).

Field lists follow ``docs/reference/source_apis.md`` section 2. Every record is the
full object (all standard fields plus ``parameterValues``); the HTTP layer projects
it to the ``fields=`` of a request. Things the real API does and these records copy:

* Ids are 32 lower-case hex digits starting with the creation second, so
  ``ID_Sort=asc`` lists records in creation order.
* Datetimes carry a colon before the milliseconds and a local offset
  (``2024-05-01T10:15:00:000-0500``); ``slackDate`` and the HOUR ``entryDate`` (the
  work date) are date-only.
* Custom form fields appear in ``parameterValues`` as ``DE:<label>``, only when set.
  Project custom field ``Campaign Code`` holds a Bynder campaign key.
* Updating a user's ``emailAddr`` leaves ``username`` unchanged; one user in ten is a
  WebPhone agent and shares the agent's name and email.
* Deleting a time entry hard-deletes it: deleted hours disappear from HOUR listings
  and only show as ``JRNLE`` journal entries (:meth:`Hours.journal_entries`).
* Custom statuses: an organisation can add its own statuses, each tied to a base
  status; the API sends them as the base code, a colon and the custom letter
  (``INP:A``, as in Workfront's API basics ``map`` example). Some current projects
  and in-progress tasks carry one (:func:`custom_status`).
* Assignments (ASSGN) have no ``entryDate`` or ``lastUpdateDate`` in Workfront's
  documented field list; in strict mode (``--strict``) they are left out.

The organisation's fixed configuration (statuses, word lists, reference ids, custom
form fields) is in :mod:`sandbox.workfront.catalog`; this module draws records from it.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from sandbox import formats
from sandbox.entity import Entity
from sandbox.formats import DAY_MS, HOUR_MS, MINUTE_MS
from sandbox.ids import parse_workfront_id, workfront_id
from sandbox.pools import WORKFRONT_OFFSETS, Pools
from sandbox.timeline import NEVER, SLOT_MS, VARIANT_NEAR_DUPLICATE, Change, EntitySpec, Item
from sandbox.webphone.entities import COMPANY_DOMAIN
from sandbox.workfront.catalog import (
    ACCESS_LEVEL_IDS,
    ASSIGNMENT_STATUSES,
    CATEGORY_IDS,
    COMPANY_IDS,
    COST_TYPES,
    CURRENCIES,
    CUSTOM_FIELDS,
    GROUP_IDS,
    HOUR_DESCRIPTIONS,
    HOUR_TYPE_IDS,
    JOURNAL_CODE,
    JOURNAL_OBJ_CODE,
    NEW_DOMAIN,
    PORTFOLIO_IDS,
    PRIORITY_LABELS,
    PROJECT_KINDS,
    REVENUE_TYPES,
    ROLE_IDS,
    ROLE_RATES,
    TASK_NAMES,
    TEAM_IDS,
    TEMPLATE_IDS,
    CustomField,
    custom_status,
    timesheet_id,
)

if TYPE_CHECKING:
    from sandbox.world import World

#: What each UTC offset of the records adds to UTC's wall clock, in ms.
OFFSET_SHIFT_MS = {offset: formats.offset_ms(offset) for offset in WORKFRONT_OFFSETS}


def local_day(ms: int, offset: str) -> int:
    """The day number of instant ``ms`` on the wall clock of ``offset``."""
    return (ms + OFFSET_SHIFT_MS[offset]) // DAY_MS


def local_stamp(day: int, clock: str, offset: str) -> str:
    """A Workfront datetime at wall-clock ``clock`` (``HH:MM``) of local day ``day``."""
    return f"{formats.iso_day(day)}T{clock}:00:000{offset}"


def local_ms(day: int, hour: int, offset: str) -> int:
    """Epoch ms of wall-clock ``hour``:00 on local day ``day``."""
    return day * DAY_MS + hour * HOUR_MS - OFFSET_SHIFT_MS[offset]


def choose(rng: random.Random, seq: tuple[Any, ...] | list[Any]) -> Any:
    """A uniform choice from one C-level draw (a few times cheaper than ``rng.choice``)."""
    return seq[int(rng.random() * len(seq))]


def between(rng: random.Random, low: int, high: int) -> int:
    """A uniform integer in ``[low, high]`` (cheaper than ``rng.randint``)."""
    return low + int(rng.random() * (high - low + 1))


def weighted(values: tuple[Any, ...] | range, weights: tuple[int, ...]) -> tuple[Any, ...]:
    """A table in which each value appears ``weight`` times: ``choose`` on it is weighted."""
    return tuple(v for v, w in zip(values, weights, strict=True) for _ in range(w))


_PROJECT_START_STATUS = weighted(("PLN", "REQ", "APR", "IDA"), (14, 2, 3, 1))
_PROJECT_PRIORITY = weighted(range(5), (2, 9, 6, 2, 1))
_TASK_DAYS = weighted((1, 2, 3, 5, 10), (7, 5, 4, 3, 1))
_TASK_PRIORITY = weighted(range(5), (2, 8, 7, 2, 1))
_TASK_PROGRESS = weighted(("ON", "BH", "RK"), (17, 2, 1))
_ASSIGNMENT_STATUS = weighted(ASSIGNMENT_STATUSES, (10, 7, 3))
_HOUR_LAG_DAYS = weighted((0, 1, 2, 3), (35, 10, 3, 2))
#: Hours are logged in quarter hours, mostly whole hours, up to 10.
_HOUR_QUARTERS = weighted(range(1, 41), tuple(6 if k % 4 == 0 else 1 for k in range(1, 41)))


_TABLE, _DATE, _CAMPAIGN = 0, 1, 2
_PERSON_TABLE_SIZE = 1024
#: One compiled field: (key, fill threshold out of 256, mode, values, first day offset, span).
Compiled = tuple[str, int, int, tuple[Any, ...], int, int]


def compile_fields(fields: tuple[CustomField, ...], pools: Pools) -> list[Compiled]:
    """Turn catalog fields into value tables for fast drawing (pools give text values)."""
    persons = tuple(
        f"{pools.first_names[i % len(pools.first_names)]} "
        f"{pools.last_names[(i * 37) % len(pools.last_names)]}"
        for i in range(_PERSON_TABLE_SIZE)
    )
    out: list[Compiled] = []
    for f in fields:
        mode, low, span = _TABLE, f.low, f.high - f.low + 1
        values: tuple[Any, ...] = ()
        if f.kind == "select":
            values = f.options
        elif f.kind == "int":
            values = tuple(range(f.low, f.high + 1))
        elif f.kind == "money":
            values = tuple(float(v) for v in range(f.low, f.high + 1, 500))
        elif f.kind == "code":
            values = tuple(f"{f.prefix}-{n:03d}" for n in range(1000))
        elif f.kind == "person":
            values = persons
        elif f.kind == "sentence":
            values = pools.sentences
        elif f.kind == "word":
            values = tuple(w.title() for w in pools.words)
        elif f.kind == "date":
            mode = _DATE
        elif f.kind == "campaign":
            mode = _CAMPAIGN
        else:
            raise ValueError(f"unknown custom field kind {f.kind!r}")
        out.append((f.key, int(f.fill * 256), mode, values, low, span))
    return out


# ----------------------------------------------------------------- base class
class WorkfrontEntity(Entity):
    """Common id format, version bookkeeping and custom fields of Workfront objects."""

    obj_code = ""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self._compiled = compile_fields(CUSTOM_FIELDS[self.obj_code], world.pools)
        self._seq_ids: dict[int, str] = {}
        self._before: dict[tuple[str, int], int] = {}

    # -------------------------------------------------------------- identity
    def make_id(self, slot: int, index: int, variant: int) -> str:
        """32-hex id whose time part is the start of the creation minute."""
        return workfront_id(slot * SLOT_MS, slot, index, variant, self.spec.code)

    def parse_id(self, text: str) -> tuple[int, int, int]:
        """(slot, index, variant) of an id of this object code."""
        slot, index, variant, code = parse_workfront_id(text)
        if code != self.spec.code:
            raise ValueError(f"not a {self.obj_code} id: {text!r}")
        return slot, index, variant

    def id_for_seq(self, seq: int) -> str:
        """Id of the record with global sequence number ``seq`` (cached)."""
        found = self._seq_ids.get(seq)
        if found is None:
            found = super().id_for_seq(seq)
            if len(self._seq_ids) > 200_000:
                self._seq_ids.clear()
            self._seq_ids[seq] = found
        return found

    def seq(self, slot: int, index: int) -> int:
        """Global sequence number of a record (0 for the first record ever created)."""
        return self.timeline.seq_start(slot) + index

    # ------------------------------------------------------- cross references
    def pick_id(
        self, name: str, rng: random.Random, at_ms: int, required: bool = False
    ) -> str | None:
        """Id of a record of Workfront entity ``name`` created before ``at_ms``.

        The same draw as :meth:`Entity.pick_existing`. When no record exists yet (the
        first days of a tiny world) an optional reference is None and a ``required``
        one falls back to an early record, as ``pick_existing`` does.
        """
        other = self.world.entity(name)
        key = (name, at_ms)
        total = self._before.get(key)
        if total is None:
            total = other.timeline.created_before(at_ms - 5_000 - SLOT_MS)
            if len(self._before) > 10_000:
                self._before.clear()
            self._before[key] = total
        if total <= 0:
            if not required:
                return None
            total = max(1, other.timeline.created_before(at_ms + DAY_MS))
        return other.id_for_seq(int(rng.random() * total))

    # ------------------------------------------------------------- versions
    def times(self, row: dict[str, Any], item: Item) -> list[int]:
        """Instants of every version of the item's record (cached in the row)."""
        found: list[int] | None = row.get("_times")
        if found is None:
            timeline = self.timeline
            block = timeline.block(timeline._block_of(item.slot))
            position = int(block.starts[item.slot - block.first_slot]) + item.index
            found = block.versions_ms[position].tolist()
            row["_times"] = found
        return found

    def applied(self, row: dict[str, Any], item: Item) -> dict[str, int]:
        """Changes applied up to the item's version, mapped to the instant they happened."""
        if item.version == 0:
            return {}
        times = self.times(row, item)
        out: dict[str, int] = {}
        for k in range(1, item.version + 1):
            if times[k] != NEVER:
                out[self.spec.changes[k - 1].name] = times[k]
        return out

    # -------------------------------------------------------------- content
    def custom_values(self, rng: random.Random, slot: int) -> dict[str, Any]:
        """Sparse ``parameterValues`` of a record created in ``slot``."""
        compiled = self._compiled
        if not compiled:
            return {}
        n = len(compiled)
        data = rng.randbytes(3 * n)  # one gate byte per field, then two value bytes each
        chosen = [field for field, gate in zip(compiled, data, strict=False) if gate < field[1]]
        day = slot // 1440
        out: dict[str, Any] = {}
        position = n
        for key, _, mode, values, low, span in chosen:
            v = data[position] << 8 | data[position + 1]
            position += 2
            if mode == _TABLE:
                out[key] = values[v % len(values)]
            elif mode == _DATE:
                out[key] = formats.iso_day(day + low + v % span)
            else:
                campaigns = self.world.entity("campaigns")
                c_slot, c_index = campaigns.pick_existing(rng, slot * SLOT_MS, recent=25)
                out[key] = campaigns.ref(c_slot, c_index)["key"]
        return out

    def render(self, item: Item) -> dict[str, Any]:
        """The full JSON object of a record version (never of a deletion)."""
        if self.is_delete(item):
            raise ValueError(f"{self.obj_code} {item} is deleted: Workfront hard-deletes it")
        row = self.row(item.slot, item.index)
        record = self.build(row, item)
        if item.variant == VARIANT_NEAR_DUPLICATE:
            record["ID"] = self.record_id(item.slot, item.index, VARIANT_NEAR_DUPLICATE)
        return self.with_defect(record, row)

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """The clean JSON of a record version."""
        raise NotImplementedError

    def stamp(self, ms: int | None, row: dict[str, Any]) -> str | None:
        """A Workfront datetime in the record's offset (None stays None)."""
        return None if ms is None else formats.workfront_datetime(ms, row["offset"])


# ------------------------------------------------------------------------ USER
class Users(WorkfrontEntity):
    """Workfront users; every tenth is a WebPhone agent (same name and email)."""

    obj_code = "USER"
    spec = EntitySpec(
        system="workfront",
        name="users",
        code=10,
        per_day=5,
        initial=3000,
        minimum_initial=20,
        changes=(
            Change("title_change", 10 * DAY_MS, 0.2, jitter_ms=DAY_MS),
            Change("email_change", 25 * DAY_MS, 0.05, jitter_ms=DAY_MS),
            Change("deactivated", 40 * DAY_MS, 0.05, jitter_ms=DAY_MS),
        ),
        defect_kinds=("null_required", "changed_between_pages"),
    )

    def agent_identity(self, slot: int, index: int) -> dict[str, Any] | None:
        """The WebPhone agent a user is, if any: agent ``seq // 10`` for ``seq % 10 == 0``."""
        seq = self.seq(slot, index)
        if seq % 10:
            return None
        agents = self.world.entity("agents")
        number = seq // 10
        if agents.timeline.created_before(slot * SLOT_MS) <= number:
            return None
        return agents.ref(*agents.timeline.locate(number))

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw a user."""
        pools = self.world.pools
        at = slot * SLOT_MS
        seq = self.seq(slot, index)
        agent = self.agent_identity(slot, index)
        if agent is not None:
            first, last, email = agent["first_name"], agent["last_name"], agent["email"]
        else:
            first, last = choose(rng, pools.first_names), choose(rng, pools.last_names)
            # the sequence number keeps usernames unique, as Workfront requires
            email = f"{first}.{last}{seq}@{COMPANY_DOMAIN}".lower()
        role = int(rng.random() * len(ROLE_IDS))
        return {
            "id": ref["id"],
            "first_name": first,
            "last_name": last,
            "email": email,
            "new_email": email.split("@")[0] + "@" + NEW_DOMAIN,
            "title": choose(rng, pools.job_titles),
            "new_title": choose(rng, pools.job_titles),
            "manager_id": self.pick_id("users", rng, at) if rng.random() < 0.9 else None,
            "group_id": choose(rng, GROUP_IDS),
            "team_id": choose(rng, TEAM_IDS) if rng.random() < 0.8 else None,
            "role_id": ROLE_IDS[role],
            "company_id": COMPANY_IDS[0] if rng.random() < 0.85 else choose(rng, COMPANY_IDS),
            "access_level_id": choose(rng, ACCESS_LEVEL_IDS),
            "login_lag_ms": 10 * MINUTE_MS + int(rng.random() * 5 * DAY_MS),
            "offset": choose(rng, WORKFRONT_OFFSETS),
            "custom": self.custom_values(rng, slot),
        }

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """USER JSON."""
        changes = self.applied(row, item)
        last_login = None
        if item.version > 0:
            last_login = max(row["created_ms"], item.time_ms - row["login_lag_ms"])
        return {
            "ID": row["id"],
            "objCode": "USER",
            "name": f"{row['first_name']} {row['last_name']}",
            "firstName": row["first_name"],
            "lastName": row["last_name"],
            "emailAddr": row["new_email"] if "email_change" in changes else row["email"],
            "username": row["email"],
            "title": row["new_title"] if "title_change" in changes else row["title"],
            "isActive": "deactivated" not in changes,
            "managerID": row["manager_id"],
            "homeGroupID": row["group_id"],
            "homeTeamID": row["team_id"],
            "roleID": row["role_id"],
            "companyID": row["company_id"],
            "accessLevelID": row["access_level_id"],
            "lastLoginDate": self.stamp(last_login, row),
            "entryDate": formats.workfront_datetime(row["created_ms"], row["offset"]),
            "lastUpdateDate": formats.workfront_datetime(item.time_ms, row["offset"]),
            "parameterValues": dict(row["custom"]),
        }

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """User defects."""
        return "emailAddr", "required field is null", None


# ------------------------------------------------------------------------ PROJ
class Projects(WorkfrontEntity):
    """Projects: PLN → CUR at kickoff, progress updates, then CPL, ONH or DED."""

    obj_code = "PROJ"
    spec = EntitySpec(
        system="workfront",
        name="projects",
        code=11,
        per_day=7_000,
        initial=100_000,
        minimum_initial=30,
        profile="business",
        changes=(
            Change("kickoff", DAY_MS, 0.85, jitter_ms=DAY_MS, group="start"),
            Change("rejected", DAY_MS, 0.05, jitter_ms=DAY_MS, group="start"),
            Change("progress", 7 * DAY_MS, 0.6, jitter_ms=3 * DAY_MS),
            Change("completed", 20 * DAY_MS, 0.45, jitter_ms=5 * DAY_MS, group="outcome"),
            Change("on_hold", 20 * DAY_MS, 0.08, jitter_ms=5 * DAY_MS, group="outcome"),
            Change("dead", 20 * DAY_MS, 0.04, jitter_ms=5 * DAY_MS, group="outcome"),
        ),
        defect_kinds=(
            "exact_duplicate",
            "null_required",
            "unknown_enum",
            "orphan_fk",
            "negative_value",
            "timestamp_format",
            "changed_between_pages",
        ),
    )

    def make_ref(self, rng: random.Random, slot: int, index: int) -> dict[str, Any]:
        """A project's id, name and reference number (what other records copy)."""
        kind = choose(rng, PROJECT_KINDS)
        return {
            "id": self.record_id(slot, index),
            "name": f"{kind}: {choose(rng, self.world.pools.catch_phrases)}",
            "referenceNumber": self.seq(slot, index),
        }

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw a project."""
        at = slot * SLOT_MS
        offset = choose(rng, WORKFRONT_OFFSETS)
        start_day = local_day(at, offset) + between(rng, 1, 30)
        end_day = start_day + between(rng, 20, 180)
        owner = self.pick_id("users", rng, at, required=True)
        budget = float(between(rng, 20, 500) * 1000)
        planned_cost = round(budget * rng.uniform(0.7, 0.95), 2)
        currency = choose(rng, CURRENCIES) if rng.random() < 0.7 else None
        return {
            **ref,
            "offset": offset,
            "status": choose(rng, _PROJECT_START_STATUS),
            "priority": choose(rng, _PROJECT_PRIORITY),
            "start_day": start_day,
            "planned_start": local_stamp(start_day, "09:00", offset),
            "planned_end": local_stamp(end_day, "17:00", offset),
            "projected_end": local_stamp(end_day + between(rng, 0, 20), "17:00", offset),
            "progress_pct": round(rng.uniform(15, 85), 1),
            "owner_id": owner,
            "sponsor_id": self.pick_id("users", rng, at) if rng.random() < 0.6 else None,
            "portfolio_id": choose(rng, PORTFOLIO_IDS) if rng.random() < 0.35 else None,
            "group_id": choose(rng, GROUP_IDS),
            "company_id": COMPANY_IDS[0] if rng.random() < 0.85 else choose(rng, COMPANY_IDS),
            "template_id": choose(rng, TEMPLATE_IDS) if rng.random() < 0.7 else None,
            "entered_by_id": self.pick_id("users", rng, at) if rng.random() < 0.5 else owner,
            "currency": currency,
            "budget": budget,
            "planned_cost": planned_cost,
            "planned_labor_cost": round(planned_cost * rng.uniform(0.75, 0.95), 2),
            "planned_revenue": round(budget * rng.uniform(1.1, 1.6), 2)
            if rng.random() < 0.6
            else 0.0,
            "cost_factor": rng.uniform(0.85, 1.25),
            "revenue_factor": rng.uniform(0.8, 1.1),
            "custom": self.custom_values(rng, slot),
        }

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """PROJ JSON."""
        changes = self.applied(row, item)
        status = row["status"]
        percent = 0.0
        actual_cost = 0.0
        actual_revenue = 0.0
        started = changes.get("kickoff")
        finished = None
        if "rejected" in changes:
            status = "REJ"
        else:
            if started is not None or "progress" in changes:
                status = "CUR"
            if "progress" in changes:
                percent = row["progress_pct"]
                actual_cost = round(row["planned_cost"] * percent / 100 * row["cost_factor"], 2)
                if started is None:
                    started = changes["progress"]
            if "completed" in changes:
                status, percent = "CPL", 100.0
                finished = changes["completed"]
                started = started if started is not None else finished
                actual_cost = round(row["planned_cost"] * row["cost_factor"], 2)
                actual_revenue = round(row["planned_revenue"] * row["revenue_factor"], 2)
            elif "on_hold" in changes:
                status = "ONH"
            elif "dead" in changes:
                status = "DED"
        priority: int | str = row["priority"]
        if self.world.drift_active("retyped", item.time_ms):
            priority = PRIORITY_LABELS[row["priority"]]
        offset = row["offset"]
        return {
            "ID": row["id"],
            "objCode": "PROJ",
            "name": row["name"],
            "status": custom_status(status, row["id"]) if status == "CUR" else status,
            "percentComplete": percent,
            "priority": priority,
            "plannedStartDate": row["planned_start"],
            "plannedCompletionDate": row["planned_end"],
            "projectedCompletionDate": row["projected_end"]
            if "progress" in changes
            else row["planned_end"],
            "actualStartDate": self.stamp(started, row),
            "actualCompletionDate": self.stamp(finished, row),
            "entryDate": formats.workfront_datetime(row["created_ms"], offset),
            "lastUpdateDate": formats.workfront_datetime(item.time_ms, offset),
            "ownerID": row["owner_id"],
            "sponsorID": row["sponsor_id"],
            "portfolioID": row["portfolio_id"],
            "groupID": row["group_id"],
            "companyID": row["company_id"],
            "templateID": row["template_id"],
            "categoryID": CATEGORY_IDS["PROJ"],
            "enteredByID": row["entered_by_id"],
            "lastUpdatedByID": row["owner_id"] if changes else row["entered_by_id"],
            "currency": row["currency"],
            "budget": row["budget"],
            "plannedCost": row["planned_cost"],
            "actualCost": actual_cost,
            "plannedLaborCost": row["planned_labor_cost"],
            "actualLaborCost": round(actual_cost * 0.9, 2),
            "plannedRevenue": row["planned_revenue"],
            "actualRevenue": actual_revenue,
            "referenceNumber": row["referenceNumber"],
            "parameterValues": dict(row["custom"]),
        }

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Project defects."""
        if kind == "null_required":
            return "name", "required field is null", None
        if kind == "unknown_enum":
            value = choose(rng, ("ACTIVE", "Current", "INP"))
            return "status", "status outside the documented set", value
        if kind == "orphan_fk":
            return "ownerID", "owner does not exist", self.world.entity("users").orphan_id(rng)
        if kind == "negative_value":
            return "budget", "negative budget", -row["budget"]
        value, variant = formats.bad_timestamp(local_ms(row["start_day"], 9, row["offset"]), rng)
        return "plannedStartDate", f"timestamp format {variant}", value


# ------------------------------------------------------------------------ TASK
class Tasks(WorkfrontEntity):
    """Tasks of projects: NEW → INP when started → CPL when done; some slip."""

    obj_code = "TASK"
    spec = EntitySpec(
        system="workfront",
        name="tasks",
        code=12,
        per_day=105_000,
        initial=500_000,
        minimum_initial=150,
        profile="business",
        changes=(
            Change("started", 4 * HOUR_MS, 0.6, jitter_ms=4 * HOUR_MS),
            Change("done", 2 * DAY_MS, 0.5, jitter_ms=DAY_MS),
            Change("slipped", 5 * DAY_MS, 0.1, jitter_ms=DAY_MS),
        ),
        defect_kinds=(
            "exact_duplicate",
            "near_duplicate",
            "null_required",
            "unknown_enum",
            "orphan_fk",
            "timestamp_format",
            "changed_between_pages",
        ),
    )

    def make_ref(self, rng: random.Random, slot: int, index: int) -> dict[str, Any]:
        """A task's id, project and parent (a subtask shares its parent's project)."""
        if index > 0 and rng.random() < 0.05:
            parent = self.ref(slot, index - 1)
            return {
                "id": self.record_id(slot, index),
                "projectID": parent["projectID"],
                "parentID": parent["id"],
            }
        return {
            "id": self.record_id(slot, index),
            "projectID": self.pick_id("projects", rng, slot * SLOT_MS, required=True),
            "parentID": None,
        }

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw a task."""
        at = slot * SLOT_MS
        offset = choose(rng, WORKFRONT_OFFSETS)
        start_day = local_day(at, offset) + between(rng, 0, 14)
        days = choose(rng, _TASK_DAYS)
        end_day = start_day + days - 1
        slip_days = between(rng, 2, 10)
        slack = between(rng, 0, 3)  # days between planned completion and slack date
        role = int(rng.random() * len(ROLE_IDS))
        work = days * 480 * choose(rng, (0, 1, 2, 3, 4)) // 4 // 60 * 60
        rated = rng.random() < 0.7
        rate = ROLE_RATES[role] if rated else 0.0
        number = between(rng, 1, 60)
        entered_by = self.pick_id("users", rng, at)
        assignee = self.pick_id("users", rng, at) if rng.random() < 0.85 else None
        return {
            **ref,
            "offset": offset,
            "name": choose(rng, TASK_NAMES),
            "task_number": number,
            "wbs": f"{number}.{between(rng, 1, 9)}" if ref["parentID"] else str(number),
            "priority": choose(rng, _TASK_PRIORITY),
            "progress": choose(rng, _TASK_PROGRESS),
            "assigned_to_id": assignee,
            "role_id": ROLE_IDS[role] if rng.random() < 0.6 else None,
            "planned_start": local_stamp(start_day, "09:00", offset),
            "planned_end": local_stamp(end_day, "17:00", offset),
            "end_day": end_day,
            "slip_days": slip_days,
            "slack": slack,
            "duration": days * 480,
            "work": work,
            "started_pct": choose(rng, (10, 20, 25, 40, 50, 60, 75)),
            "actual_factor": 0.7 + 0.7 * rng.random(),
            "rate": rate,
            "cost_type": COST_TYPES[0] if rated else COST_TYPES[1],
            "revenue_type": choose(rng, REVENUE_TYPES),
            "done_status": "CPL" if rng.random() < 0.9 else choose(rng, ("CPA", "CPI")),
            "entered_by_id": entered_by,
            "custom": self.custom_values(rng, slot),
        }

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """TASK JSON."""
        changes = self.applied(row, item)
        status, percent, actual_work = "NEW", 0, 0
        started = changes.get("started")
        finished = changes.get("done")
        if started is not None:
            status, percent = "INP", row["started_pct"]
            actual_work = row["work"] * percent // 100
        if finished is not None:
            status, percent = row["done_status"], 100
            actual_work = int(row["work"] * row["actual_factor"]) // 15 * 15
            started = started if started is not None else finished
        offset = row["offset"]
        end_day = row["end_day"]
        planned_end = row["planned_end"]
        if "slipped" in changes:  # the completion moves out and the task shows late
            end_day += row["slip_days"]
            planned_end = local_stamp(end_day, "17:00", offset)
        return {
            "ID": row["id"],
            "objCode": "TASK",
            "name": row["name"],
            "projectID": row["projectID"],
            "status": custom_status(status, row["id"]) if status == "INP" else status,
            "percentComplete": percent,
            "progressStatus": "LT" if "slipped" in changes else row["progress"],
            "assignedToID": row["assigned_to_id"],
            "roleID": row["role_id"],
            "parentID": row["parentID"],
            "taskNumber": row["task_number"],
            "wbs": row["wbs"],
            "priority": row["priority"],
            "plannedStartDate": row["planned_start"],
            "plannedCompletionDate": planned_end,
            "actualStartDate": self.stamp(started, row),
            "actualCompletionDate": self.stamp(finished, row),
            "durationMinutes": row["duration"],
            "plannedDurationMinutes": row["duration"],
            "workRequired": row["work"],
            "actualWork": actual_work,
            "plannedCost": round(row["work"] / 60 * row["rate"], 2),
            "actualCost": round(actual_work / 60 * row["rate"], 2),
            "costType": row["cost_type"],
            "revenueType": row["revenue_type"],
            "slackDate": formats.iso_day(end_day + row["slack"]),
            "entryDate": formats.workfront_datetime(row["created_ms"], offset),
            "lastUpdateDate": formats.workfront_datetime(item.time_ms, offset),
            "lastUpdatedByID": (row["assigned_to_id"] or row["entered_by_id"])
            if changes
            else row["entered_by_id"],
            "parameterValues": dict(row["custom"]),
        }

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Task defects."""
        if kind == "null_required":
            return "projectID", "required field is null", None
        if kind == "unknown_enum":
            value = choose(rng, ("STARTED", "DONE", "in_progress"))
            return "status", "status outside the documented set", value
        if kind == "orphan_fk":
            return (
                "projectID",
                "project does not exist",
                self.world.entity("projects").orphan_id(rng),
            )
        end_ms = local_ms(row["end_day"], 17, row["offset"])
        value, variant = formats.bad_timestamp(end_ms, rng)
        return "plannedCompletionDate", f"timestamp format {variant}", value


# ----------------------------------------------------------------------- ASSGN
class Assignments(WorkfrontEntity):
    """Who works on a task, and how much (ASSGN); some are reassigned."""

    obj_code = "ASSGN"
    spec = EntitySpec(
        system="workfront",
        name="assignments",
        code=13,
        per_day=63_000,
        initial=300_000,
        minimum_initial=100,
        profile="business",
        changes=(Change("reassigned", DAY_MS, 0.1, jitter_ms=DAY_MS),),
        defect_kinds=("exact_duplicate", "orphan_fk", "unknown_enum"),
    )

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw an assignment of a user to an existing task."""
        at = slot * SLOT_MS
        tasks = self.world.entity("tasks")
        task = tasks.ref(*tasks.pick_existing(rng, at))
        percent = choose(rng, (25, 50, 50, 75, 100, 100, 100))
        work_required = choose(rng, (1, 2, 4, 8, 16, 24, 40)) * 60
        return {
            "id": ref["id"],
            "task_id": task["id"],
            "project_id": task["projectID"],
            "assigned_to_id": self.pick_id("users", rng, at, required=True),
            "new_assigned_to_id": self.pick_id("users", rng, at, required=True),
            "assigned_by_id": self.pick_id("users", rng, at),
            "role_id": choose(rng, ROLE_IDS),
            "team_id": choose(rng, TEAM_IDS) if rng.random() < 0.7 else None,
            "percent": float(percent),
            "primary": rng.random() < 0.7,
            "status": choose(rng, _ASSIGNMENT_STATUS),
            "work_required": work_required,
            "work": work_required * percent // 100,
            "done_pct": choose(rng, (0, 0, 25, 50, 100)),
            "offset": choose(rng, WORKFRONT_OFFSETS),
        }

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """ASSGN JSON."""
        reassigned = item.version >= 1 and "reassigned" in self.applied(row, item)
        done = 0.0 if reassigned else round(row["work"] / 60 * row["done_pct"] / 100, 2)
        offset = row["offset"]
        record = {
            "ID": row["id"],
            "objCode": "ASSGN",
            "taskID": row["task_id"],
            "opTaskID": None,
            "projectID": row["project_id"],
            "assignedToID": row["new_assigned_to_id"] if reassigned else row["assigned_to_id"],
            "assignedByID": row["assigned_by_id"],
            "roleID": row["role_id"],
            "teamID": row["team_id"],
            "assignmentPercent": row["percent"],
            "isPrimary": row["primary"],
            "status": "NEW" if reassigned else row["status"],
            "work": row["work"],
            "workRequired": row["work_required"],
            "actualWorkCompleted": done,
            "workUnit": "H",
            "entryDate": formats.workfront_datetime(row["created_ms"], offset),
            "lastUpdateDate": formats.workfront_datetime(item.time_ms, offset),
            "parameterValues": {},
        }
        if self.world.settings.strict:  # not in the documented ASSGN fields
            del record["entryDate"], record["lastUpdateDate"]
        return record

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Assignment defects."""
        if kind == "orphan_fk":
            users = self.world.entity("users")
            return "assignedToID", "user does not exist", users.orphan_id(rng)
        value = choose(rng, ("ACCEPTED", "A", "done"))
        return "status", "status outside the documented set", value


# ------------------------------------------------------------------------ HOUR
class Hours(WorkfrontEntity):
    """Time entries (HOUR). Approved a day later; a few are hard-deleted."""

    obj_code = "HOUR"
    spec = EntitySpec(
        system="workfront",
        name="hours",
        code=14,
        per_day=175_000,
        initial=0,
        minimum_initial=0,
        profile="business",
        changes=(
            Change("approved", DAY_MS, 0.6, jitter_ms=DAY_MS),
            Change("deleted", 2 * DAY_MS, 0.005, jitter_ms=DAY_MS, delete=True),
        ),
        defect_kinds=(
            "exact_duplicate",
            "near_duplicate",
            "negative_value",
            "orphan_fk",
            "null_required",
            "timestamp_format",
        ),
    )

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw a time entry on a recent task."""
        world = self.world
        at = slot * SLOT_MS
        tasks = world.entity("tasks")
        recent = max(50, int(tasks.timeline.per_day * 20))
        task = tasks.ref(*tasks.pick_existing(rng, at, recent=recent))
        users = world.entity("users")
        owner_slot, owner_index = users.pick_existing(rng, at)
        owner_seq = users.timeline.seq_start(owner_slot) + owner_index
        offset = choose(rng, WORKFRONT_OFFSETS)
        work_day = local_day(at, offset) - choose(rng, _HOUR_LAG_DAYS)
        role = int(rng.random() * len(ROLE_IDS))
        hours = choose(rng, _HOUR_QUARTERS) / 4
        return {
            "id": ref["id"],
            "task_id": task["id"],
            "project_id": task["projectID"],
            "owner_id": users.record_id(owner_slot, owner_index),
            "hours": hours,
            "work_day": work_day,
            "work_date": formats.iso_day(work_day),
            "hour_type_id": choose(rng, HOUR_TYPE_IDS),
            "role_id": ROLE_IDS[role] if rng.random() < 0.7 else None,
            "timesheet_id": timesheet_id(owner_seq, (work_day + 3) // 7),
            "actual_cost": round(hours * ROLE_RATES[role], 2),
            "approver_id": self.pick_id("users", rng, at),
            "description": choose(rng, HOUR_DESCRIPTIONS),
            "offset": offset,
            "custom": self.custom_values(rng, slot),
        }

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """HOUR JSON."""
        approved_at = self.applied(row, item).get("approved") if item.version else None
        approved = approved_at is not None
        return {
            "ID": row["id"],
            "objCode": "HOUR",
            "hours": row["hours"],
            "entryDate": row["work_date"],
            "projectID": row["project_id"],
            "taskID": row["task_id"],
            "opTaskID": None,
            "ownerID": row["owner_id"],
            "hourTypeID": row["hour_type_id"],
            "roleID": row["role_id"],
            "status": "APR" if approved else "SUB",
            "timesheetID": row["timesheet_id"],
            "actualCost": row["actual_cost"],
            "approvedByID": row["approver_id"] if approved else None,
            "approvedOnDate": self.stamp(approved_at, row),
            "description": row["description"],
            "lastUpdateDate": formats.workfront_datetime(item.time_ms, row["offset"]),
            "lastUpdatedByID": row["approver_id"] if approved else row["owner_id"],
            "parameterValues": dict(row["custom"]),
        }

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Time entry defects (``entryDate`` is the work date here, not a cursor)."""
        if kind == "negative_value":
            return "hours", "negative hours", -row["hours"]
        if kind == "orphan_fk":
            return "taskID", "task does not exist", self.world.entity("tasks").orphan_id(rng)
        if kind == "null_required":
            return "ownerID", "required field is null", None
        year, month, day = row["work_date"].split("-")
        name, value = choose(
            rng,
            (
                ("us_slashes", f"{month}/{day}/{year}"),
                ("european_dots", f"{day}.{month}.{year}"),
                ("datetime_no_zone", f"{year}-{month}-{day} 00:00:00"),
            ),
        )
        return "entryDate", f"date format {name}", value

    def journal_entries(self, since_ms: int, until_ms: int | None, at_ms: int) -> list[dict]:
        """JRNLE objects of the hours deleted in ``[since, until)``, as of ``at_ms``.

        Sorted by (deletion instant, ID). Each names the deleted hour (``subObjID``),
        its project (``objID``) and the hours it held (``oldNumberVal``).
        """
        end_ms = min(until_ms if until_ms is not None else at_ms + 1, at_ms + 1)
        items = self.timeline.items_in_window(
            since_ms, end_ms, at_ms, include_deleted=True, stale_kind=-1
        )
        out: list[tuple[int, str, dict[str, Any]]] = []
        for item in items:
            if not self.is_delete(item):
                continue
            row = self.row(item.slot, item.index)
            hours = row["hours"]
            defect = row.get("_defect")
            if defect is not None and defect[0] == "hours":
                hours = defect[2]
            minute_ms = item.time_ms // SLOT_MS * SLOT_MS
            entry_id = workfront_id(minute_ms, item.slot, item.index, 0, JOURNAL_CODE)
            out.append(
                (
                    item.time_ms,
                    entry_id,
                    {
                        "ID": entry_id,
                        "objCode": JOURNAL_OBJ_CODE,
                        "subObjCode": "HOUR",
                        "subObjID": row["id"],
                        "changeType": "D",
                        "entryDate": formats.workfront_datetime(item.time_ms, row["offset"]),
                        "objID": row["project_id"],
                        "objObjCode": "PROJ",
                        "oldNumberVal": hours,
                        "newNumberVal": None,
                        "editedByID": row["owner_id"],
                        "fieldName": "hours",
                    },
                )
            )
        out.sort(key=lambda entry: (entry[0], entry[1]))
        return [entry for _, _, entry in out]


WORKFRONT_ENTITIES: tuple[type[Entity], ...] = (Users, Projects, Tasks, Assignments, Hours)
