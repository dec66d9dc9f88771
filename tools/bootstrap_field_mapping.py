"""Write the first version of ``seeds/field_mapping.csv`` from the APIs' shapes.

The dictionary is maintained by hand afterwards (adding a field is one new row);
this tool exists so that its 500+ rows follow one naming and standardization
convention, and so that it can be re-run to see what a new API version adds
(``--check`` lists fields the APIs send that the dictionary lacks, and vice versa).

Usage:
    python tools/bootstrap_field_mapping.py            # rewrite the CSV
    python tools/bootstrap_field_mapping.py --check    # compare, exit 1 on a difference
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dlt.common.normalizers.naming.snake_case import NamingConvention

from sandbox.settings import SandboxSettings
from sandbox.world import World

OUT = Path(__file__).resolve().parents[1] / "seeds" / "field_mapping.csv"
COLUMNS = (
    "source_system",
    "source_object",
    "source_field",
    "raw_column",
    "raw_type",
    "target_column",
    "target_type",
    "rule",
    "pii_class",
    "is_primary_key",
    "is_required",
    "accepted_values",
    "min_value",
    "references",
    "description",
)
NAMING = NamingConvention()
SINGULAR = {
    "agents": "agent",
    "customers": "customer",
    "calls": "call",
    "surveys": "survey",
    "media": "asset",
    "usage": "usage",
    "campaigns": "campaign",
    "metaproperties": "metaproperty",
    "media_removed": "asset",
    "projects": "project",
    "tasks": "task",
    "hours": "time_entry",
    "users": "user",
    "assignments": "assignment",
    "journal_entries": "journal_entry",
}


def snake(name: str) -> str:
    """Dlt's snake_case normalization of one identifier."""
    return str(NAMING.normalize_identifier(name))


def words(name: str) -> str:
    """CamelCase or Snake_Case to lower snake words, with no dlt prefixes."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name.replace("DE:", "").strip())
    text = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    return re.sub(r"_+", "_", text)


# ------------------------------------------------------------ records to map
def sample_records(world: World, name: str, limit: int = 4000) -> list[dict[str, Any]]:
    """Rendered records of an entity (all versions of the listing, no defects)."""
    entity = world.entity(name)
    listing = entity.updated_order(0, None, world.now_ms(), include_deleted=False)
    out: list[dict[str, Any]] = []
    for i in range(listing.n_chunks):
        for item in listing.chunk(i):
            out.append(entity.render(item))
            if len(out) >= limit:
                return out
    return out


def flatten(record: dict[str, Any], nest_dicts: bool) -> dict[str, Any]:
    """Top-level fields; with ``nest_dicts`` dicts become ``parent.child`` fields."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if nest_dicts and isinstance(value, dict):
            for child, child_value in value.items():
                out[f"{key}.{child}"] = child_value
        else:
            out[key] = value
    return out


def raw_type(values: Iterable[Any]) -> str:
    """The dlt data type that holds every sampled value."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds or kinds <= {str}:
        return "text"
    if kinds <= {bool}:
        return "bool"
    if kinds <= {int}:
        return "bigint"
    if kinds <= {int, float}:
        return "double"
    if kinds <= {list, dict}:
        return "json"
    return "text"


# ------------------------------------------------------------------ the rules
TIMESTAMP_SUFFIXES = ("_at",)
ENUM_FIELDS = {
    "direction",
    "status",
    "channel",
    "type",
    "orientation",
    "progressStatus",
    "costType",
    "revenueType",
    "currency",
    "workUnit",
    "changeType",
    "subObjCode",
    "objCode",
    "objObjCode",
    "locale",
    "team",
    "routing_profile",
    "language",
}
PHONE_FIELDS = {"from_number", "to_number", "phone_numbers"}
EMAIL_FIELDS = {"email", "emailAddr", "username"}
NAME_FIELDS = {
    "first_name",
    "last_name",
    "display_name",
    "firstName",
    "lastName",
    "userCreated",
    "username",
}
FLAG_FIELDS = {
    "archive": "is_archived",
    "isPublic": "is_public",
    "limited": "is_limited",
    "watermarked": "is_watermarked",
}
BYNDER_TIMESTAMPS = {
    "dateCreated",
    "dateModified",
    "datePublished",
    "dateRemoved",
    "dateStart",
    "deadline",
    "timestamp",
}
WORKFRONT_DATES = {"entryDate:hours", "slackDate", "approvedOnDate:none"}


def classify(system: str, table: str, field: str, rtype: str, sample: Any) -> dict[str, str]:
    """Target column, type, standardization rule and PII class of one source field."""
    base = field.split(".")[-1]
    entity = SINGULAR[table.removesuffix("_tombstones")]
    target = words(base)
    rule, ttype, pii = (
        "none",
        {
            "text": "string",
            "bigint": "integer",
            "double": "number",
            "bool": "boolean",
            "json": "json",
        }[rtype],
        "none",
    )
    # keys
    if base in ("id", "ID") and "." not in field:
        target = f"{entity}_id"
    elif base == "subObjID":
        target = "deleted_hour_id"
    elif (base.endswith("ID") and base not in ("ID",)) or base.endswith("Id"):
        target = words(base[:-2]) + "_id"
    # timestamps and dates
    if system == "webphone" and base.endswith(TIMESTAMP_SUFFIXES):
        rule, ttype = "timestamp_utc", "timestamp"
    elif system == "bynder" and base in BYNDER_TIMESTAMPS:
        rule, ttype = "timestamp_utc", "timestamp"
        target = {
            "dateCreated": "created_at",
            "dateModified": "modified_at",
            "datePublished": "published_at",
            "dateRemoved": "removed_at",
            "dateStart": "starts_at",
            "deadline": "deadline_at",
            "timestamp": "used_at",
        }[base]
    elif (
        system == "workfront"
        and isinstance(sample, str)
        and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[:.]\d{3}[+-]\d{4}", sample)
    ):
        rule, ttype = "workfront_timestamp", "timestamp"
        target = words(base).removesuffix("_date") + "_at"
        if base == "entryDate":
            target = "created_at"
        if base == "lastUpdateDate":
            target = "updated_at"
    elif isinstance(sample, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", sample):
        rule, ttype = "iso_date", "date"
        target = (
            words(base).removesuffix("_date") + "_date"
            if "date" in base.lower()
            else words(base) + "_date"
        )
        if table == "hours" and base == "entryDate":
            target = "worked_date"
    # flags and booleans
    if base in FLAG_FIELDS:
        rule, ttype, target = "flag_boolean", "boolean", FLAG_FIELDS[base]
    elif rtype == "bool":
        target = target if target.startswith(("is_", "has_")) else "is_" + target
    # strings
    if base in PHONE_FIELDS:
        rule, pii = ("phone_e164_array" if rtype == "json" else "phone_e164"), "phone"
    elif base in EMAIL_FIELDS:
        rule, pii = "lower_trim", "email"
    elif base in ENUM_FIELDS and rtype == "text":
        rule = "enum_lower" if system != "workfront" else "enum_upper"
    elif rtype == "text" and rule == "none":
        rule = "trim"
    if base in NAME_FIELDS or (table in ("customers", "users") and base in ("name",)):
        pii = "name"
    if base == "comment":
        pii = "free_text"
    if rtype == "json" and rule == "none":
        rule = "json"
    # custom fields and metaproperties
    if field.startswith("parameterValues."):
        target = "cf_" + words(base)
    if base.startswith("property_"):
        target = "mp_" + words(base[len("property_") :])
    if base == "name" and table not in ("customers", "users"):
        target = f"{entity}_name"
    if target in ("name",):
        target = f"{entity}_name"
    key = f"{system}.{table}.{field}"
    target = RENAMES.get(key, target)
    values = ACCEPTED.get(key, ())
    return {
        "target_column": target,
        "target_type": ttype,
        "rule": rule,
        "pii_class": pii,
        "is_required": "true" if field in REQUIRED.get(f"{system}.{table}", ()) else "false",
        "accepted_values": "|".join(values),
        "min_value": MINIMUM.get(key, ""),
        "references": REFERENCES.get(key, ""),
    }


#: Fields that must be present (a null sends the row to quarantine).
REQUIRED = {
    "webphone.agents": {"id", "email", "updated_at"},
    "webphone.customers": {"id", "last_name", "updated_at"},
    "webphone.calls": {
        "id",
        "customer_id",
        "started_at",
        "ended_at",
        "status",
        "direction",
        "updated_at",
    },
    "webphone.surveys": {"id", "call_id", "sent_at", "status", "updated_at"},
    "bynder.media": {"id", "name", "type", "dateCreated", "dateModified"},
    "bynder.usage": {"id", "asset_id", "timestamp", "uri"},
    "bynder.campaigns": {"ID", "key", "dateCreated"},
    "bynder.metaproperties": {"id", "name"},
    "bynder.media_removed": {"id", "dateRemoved"},
    "workfront.projects": {"ID", "name", "status", "entryDate", "lastUpdateDate"},
    "workfront.tasks": {"ID", "projectID", "status", "entryDate", "lastUpdateDate"},
    "workfront.hours": {"ID", "hours", "entryDate", "ownerID", "projectID", "lastUpdateDate"},
    "workfront.users": {"ID", "emailAddr", "lastUpdateDate"},
    "workfront.assignments": {"ID", "taskID", "assignedToID", "lastUpdateDate"},
    "workfront.journal_entries": {"ID", "subObjID", "entryDate"},
}
for _entity in ("agents", "customers", "calls", "surveys"):
    REQUIRED[f"webphone.{_entity}_tombstones"] = {"id", "deleted_at"}

#: Documented values of enumerated fields, after standardization.
ACCEPTED = {
    "webphone.calls.direction": ("inbound", "outbound", "transfer"),
    "webphone.calls.status": (
        "completed",
        "abandoned",
        "no_answer",
        "busy",
        "failed",
        "voicemail",
        "in_progress",
    ),
    "webphone.agents.status": ("active", "inactive"),
    "webphone.surveys.channel": ("ivr", "sms", "email"),
    "webphone.surveys.status": ("sent", "completed", "partial", "expired"),
    "bynder.media.type": ("image", "document", "audio", "video"),
    "bynder.media.orientation": ("landscape", "portrait", "square"),
    "workfront.projects.status": ("CUR", "ONH", "PLN", "CPL", "DED", "REQ", "APR", "REJ", "IDA"),
    "workfront.projects.currency": ("USD", "EUR", "GBP"),
    "workfront.tasks.status": ("NEW", "INP", "CPL", "CPA", "CPI"),
    "workfront.tasks.progressStatus": ("ON", "LT", "BH", "RK"),
    "workfront.assignments.status": ("NEW", "INP", "CPL"),
    "workfront.hours.status": ("SUB", "APR"),
}

#: Lower bounds of numeric fields (below them a row is quarantined).
MINIMUM = {
    **{
        f"webphone.calls.{f}": "0"
        for f in (
            "ring_seconds",
            "queue_seconds",
            "talk_seconds",
            "hold_seconds",
            "hold_count",
            "acw_seconds",
            "duration_seconds",
        )
    },
    "webphone.surveys.csat_score": "1",
    "webphone.surveys.csat_min": "1",
    "webphone.surveys.csat_max": "1",
    "bynder.media.fileSize": "0",
    "workfront.projects.budget": "0",
    "workfront.hours.hours": "0",
}

#: Foreign keys: staging model and column they must resolve to.
REFERENCES = {
    "webphone.calls.customer_id": "stg_webphone__customers.customer_id",
    "webphone.calls.agent_id": "stg_webphone__agents.agent_id",
    "webphone.surveys.call_id": "stg_webphone__calls.call_id",
    "webphone.surveys.agent_id": "stg_webphone__agents.agent_id",
    "webphone.surveys.customer_id": "stg_webphone__customers.customer_id",
    "bynder.usage.asset_id": "stg_bynder__media.asset_id",
    "bynder.media.property_WorkfrontProjectID": "stg_workfront__projects.project_id",
    "workfront.tasks.projectID": "stg_workfront__projects.project_id",
    "workfront.hours.taskID": "stg_workfront__tasks.task_id",
    "workfront.hours.projectID": "stg_workfront__projects.project_id",
    "workfront.hours.ownerID": "stg_workfront__users.user_id",
    "workfront.assignments.taskID": "stg_workfront__tasks.task_id",
    "workfront.assignments.assignedToID": "stg_workfront__users.user_id",
    "workfront.projects.ownerID": "stg_workfront__users.user_id",
}

#: Business names where the generic rule would give a source term.
RENAMES = {
    "webphone.agents.email": "email_address",
    "webphone.customers.email": "email_address",
    "webphone.customers.phone_numbers": "phone_numbers",
    "webphone.calls.status": "call_status",
    "webphone.calls.direction": "call_direction",
    "webphone.agents.status": "agent_status",
    "webphone.surveys.status": "survey_status",
    "webphone.surveys.channel": "survey_channel",
    "bynder.media.type": "asset_type",
    "bynder.media.name": "asset_name",
    "bynder.media.fileSize": "file_size_bytes",
    "bynder.media.idHash": "id_hash",
    "bynder.media.userCreated": "created_by_name",
    "bynder.campaigns.key": "campaign_code",
    "bynder.usage.uri": "usage_uri",
    "bynder.usage.additional": "usage_note",
    "bynder.media_removed.username": "removed_by_name",
    "bynder.media_removed.userId": "removed_by_user_id",
    "workfront.projects.status": "project_status",
    "workfront.tasks.status": "task_status",
    "workfront.assignments.status": "assignment_status",
    "workfront.hours.status": "time_entry_status",
    "workfront.hours.approvedOnDate": "approved_at",
    "workfront.hours.hours": "hours_worked",
    "workfront.hours.ownerID": "user_id",
    "workfront.users.name": "full_name",
    "workfront.users.emailAddr": "email_address",
    "workfront.journal_entries.subObjID": "time_entry_id",
    "workfront.journal_entries.objID": "project_id",
    "workfront.journal_entries.entryDate": "deleted_at",
    "workfront.journal_entries.oldNumberVal": "hours_worked_before",
    "workfront.journal_entries.newNumberVal": "hours_worked_after",
}

DESCRIPTIONS: dict[str, str] = {}


def describe(system: str, table: str, field: str, extra: str = "") -> str:
    """A one-line description for the docs (hand-written ones win)."""
    key = f"{system}.{table}.{field}"
    if key in DESCRIPTIONS:
        return DESCRIPTIONS[key]
    label = words(field.split(".")[-1]).replace("_", " ")
    source = {"webphone": "WebPhone", "bynder": "Bynder", "workfront": "Workfront"}[system]
    text = f"{source} {table} field `{field}`: {label}"
    return f"{text}. {extra}".strip() if extra else text + "."


# -------------------------------------------------------------------- tables
def rows_for(world: World) -> list[dict[str, str]]:
    """Every dictionary row, from sampled records and the fixed catalogs."""
    from sandbox.bynder.entities import METAPROPERTIES, metaproperties_payload
    from sandbox.workfront.entities import CUSTOM_FIELDS, WORKFRONT_ENTITIES

    rows: list[dict[str, str]] = []

    def add(
        system: str,
        table: str,
        records: list[dict[str, Any]],
        nest: bool,
        extra_fields: dict[str, tuple[str, Any, str]] | None = None,
        primary: str = "id",
    ) -> None:
        fields: dict[str, list[Any]] = {}
        for record in records:
            for key, value in flatten(record, nest).items():
                fields.setdefault(key, []).append(value)
        for key, (_, sample, _) in (extra_fields or {}).items():
            fields.setdefault(key, [sample])
        for field, values in fields.items():
            rtype = (extra_fields or {}).get(field, (raw_type(values),))[0]
            sample = next((v for v in values if v is not None), None)
            raw = "__".join(snake(part) for part in field.split("."))
            info = classify(system, table, field, rtype, sample)
            note = (extra_fields or {}).get(field, ("", None, ""))[2]
            rows.append(
                {
                    "source_system": system,
                    "source_object": table,
                    "source_field": field,
                    "raw_column": raw,
                    "raw_type": rtype,
                    **info,
                    "is_primary_key": "true" if field == primary else "false",
                    "description": describe(system, table, field, note),
                }
            )

    for name in ("agents", "customers", "calls", "surveys"):
        records = sample_records(world, name)
        extra = {}
        if name == "calls":
            extra["sentiment_score"] = ("double", 0.5, "Added by the API's drift scenario.")
        add("webphone", name, records, nest=False, extra_fields=extra)
        add(
            "webphone",
            f"{name}_tombstones",
            [
                {
                    "id": "x",
                    "deleted_at": "2026-01-01T00:00:00.000Z",
                    "updated_at": "2026-01-01T00:00:00.000Z",
                }
            ],
            nest=False,
        )

    media_extra = {
        f"property_{mp.name}": (
            "json" if mp.type == "select" else "text",
            [mp.options[0]] if mp.type == "select" and mp.options else "x",
            f"Metaproperty {mp.label} ({mp.type}{', multi-select' if mp.is_multiselect else ''}).",
        )
        for mp in METAPROPERTIES
    }
    add("bynder", "media", sample_records(world, "media"), nest=False, extra_fields=media_extra)
    add("bynder", "usage", sample_records(world, "usage"), nest=False)
    add("bynder", "campaigns", sample_records(world, "campaigns"), nest=False, primary="ID")
    add("bynder", "metaproperties", list(metaproperties_payload(False).values()), nest=False)
    media = world.entity("media")
    removed = [
        media.render_removed(item)  # type: ignore[attr-defined]
        for item in media.removed_listing(0, world.now_ms())[:200]
    ]  # type: ignore[attr-defined]
    if not removed:
        raise SystemExit("no removed media sampled: raise the history or scale")
    add("bynder", "media_removed", removed, nest=False)

    for cls in WORKFRONT_ENTITIES:
        entity = world.entity(cls.spec.name)
        obj = entity.obj_code  # type: ignore[attr-defined]
        records = sample_records(world, entity.name)
        extra = {
            f"parameterValues.DE:{cf.label}": (
                {"number": "double"}.get(cf.type, "text"),
                {"number": 1.5, "date": "2026-01-01"}.get(cf.type, "x"),
                f"Custom form field `DE:{cf.label}` ({cf.type}).",
            )
            for cf in CUSTOM_FIELDS.get(obj, ())
        }
        for record in records:
            record.pop("parameterValues", None)
        add("workfront", entity.name, records, nest=True, extra_fields=extra, primary="ID")
    hours = world.entity("hours")
    journal = hours.journal_entries(0, None, world.now_ms())  # type: ignore[attr-defined]
    if not journal:
        raise SystemExit("no journal entries sampled: raise the history or scale")
    add("workfront", "journal_entries", journal, nest=True, primary="ID")
    return rows


def main(argv: list[str] | None = None) -> int:
    """Write or check the dictionary."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    world = World(SandboxSettings(scale=0.003, history_days=30, defect_rate=0.0))
    rows = rows_for(world)
    if args.check:
        with OUT.open(newline="", encoding="utf-8") as handle:
            current = {
                (r["source_system"], r["source_object"], r["source_field"])
                for r in csv.DictReader(handle)
            }
        seen = {(r["source_system"], r["source_object"], r["source_field"]) for r in rows}
        for key in sorted(seen - current):
            print("unmapped:", ".".join(key))
        for key in sorted(current - seen):
            print("not sent by the API:", ".".join(key))
        return 1 if seen != current else 0
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} mappings written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
