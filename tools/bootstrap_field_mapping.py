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

from sandbox.bynder.entities import Media
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
    if rule == "phone_e164_array":
        ttype = "string"  # the rule keeps one number: the list's first, in E.164
    if key in FIRST_OPTION_FIELDS:
        rule = "first_option"  # a portal may make the link a select (an array of one)
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

#: Bynder link metaproperties: text here, a select (an array of option names) on
#: other portals; staging keeps the first option either way.
FIRST_OPTION_FIELDS = frozenset(
    {"bynder.media.property_WorkfrontProjectID", "bynder.media.property_Campaign"}
)

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
    "webphone.customers.phone_numbers": "primary_phone_number",
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


def _tombstone(entity: str, noun: str) -> dict[str, str]:
    """Descriptions of the three fields of a WebPhone tombstone table."""
    return {
        f"webphone.{entity}_tombstones.id": (
            f"Id of the deleted {noun} (the `{entity}` record it removes)."
        ),
        f"webphone.{entity}_tombstones.deleted_at": f"When WebPhone deleted the {noun} (UTC).",
        f"webphone.{entity}_tombstones.updated_at": (
            "Cursor stamp of the tombstone (UTC); equal to `deleted_at`."
        ),
    }


def _workfront_common(table: str, noun: str, obj_code: str) -> dict[str, str]:
    """Descriptions of the id, object code and cursor every Workfront object has."""
    return {
        f"workfront.{table}.ID": (
            f"Workfront {noun} id (32 hex digits; the first 8 are its creation second)."
        ),
        f"workfront.{table}.objCode": f"Workfront object code of the record, always `{obj_code}`.",
        f"workfront.{table}.lastUpdateDate": (
            f"When the {noun} last changed (UTC; Workfront sends local time with an offset); "
            "the incremental cursor."
        ),
    }


#: Hand-written descriptions of every standard field (metaproperties and custom form
#: fields keep the generated text, which names the metaproperty or field and its type).
DESCRIPTIONS: dict[str, str] = {
    # ------------------------------------------------------------ WebPhone agents
    "webphone.agents.id": "WebPhone agent id (`agt_` + ULID).",
    "webphone.agents.email": "Agent's work email address, lower-cased; a Workfront user with "
    "the same address is the same person.",
    "webphone.agents.first_name": "Agent's first name.",
    "webphone.agents.last_name": "Agent's last name.",
    "webphone.agents.display_name": "Name shown to customers and in wallboards "
    "(first name and last initial).",
    "webphone.agents.team": "Team the agent works in (billing, technical support, sales, "
    "retention, onboarding, claims), lower-cased.",
    "webphone.agents.routing_profile": "Routing profile that decides which queues and "
    "languages the agent takes (`<team>-<language>`), lower-cased.",
    "webphone.agents.status": "Whether the agent can take calls: `active` or `inactive`.",
    "webphone.agents.timezone": "IANA time zone the agent works in.",
    "webphone.agents.created_at": "When the agent was created in WebPhone (UTC).",
    "webphone.agents.updated_at": "When the agent record last changed (UTC); "
    "the incremental cursor and the SCD2 version stamp.",
    **_tombstone("agents", "agent"),
    # --------------------------------------------------------- WebPhone customers
    "webphone.customers.id": "WebPhone customer id (`cus_` + ULID).",
    "webphone.customers.external_ref": "The customer's id in the CRM (`CRM-nnnnnnn`).",
    "webphone.customers.first_name": "Customer's first name.",
    "webphone.customers.last_name": "Customer's last name.",
    "webphone.customers.phone_numbers": "The customer's primary phone number (the first of "
    "the API's `phone_numbers` list) in E.164, whatever format the source sent.",
    "webphone.customers.email": "Customer's email address, lower-cased.",
    "webphone.customers.company": "Company the customer calls for, when known.",
    "webphone.customers.locale": "Customer's language and region (BCP 47, e.g. `en-us`), "
    "lower-cased.",
    "webphone.customers.created_at": "When the customer was created in WebPhone (UTC).",
    "webphone.customers.updated_at": "When the customer record last changed (UTC); "
    "the incremental cursor and the SCD2 version stamp.",
    **_tombstone("customers", "customer"),
    # ------------------------------------------------------------- WebPhone calls
    "webphone.calls.id": "WebPhone call id (`cal_` + ULID); one per call leg.",
    "webphone.calls.parent_call_id": "The call leg this one was transferred from (transfers only).",
    "webphone.calls.direction": "`inbound` (customer called in), `outbound` (agent "
    "called out) or `transfer` (a leg created by a transfer).",
    "webphone.calls.status": "How the call ended: `completed` (answered), `abandoned` "
    "(caller hung up in queue), `no_answer`, `busy`, `failed`, `voicemail` or "
    "`in_progress`.",
    "webphone.calls.from_number": "Calling number in E.164 (the customer's number on "
    "inbound calls, the team's line on outbound calls).",
    "webphone.calls.to_number": "Called number in E.164 (the team's line on inbound "
    "calls, the customer's number on outbound calls).",
    "webphone.calls.customer_id": "The customer on the call.",
    "webphone.calls.agent_id": "The agent who handled the call; null when no agent "
    "answered (abandoned, busy, no answer).",
    "webphone.calls.queue_id": "Queue the call was routed through.",
    "webphone.calls.queue_name": "Display name of the queue (the team it serves).",
    "webphone.calls.campaign_code": "Campaign code the caller dialled in on (an IVR "
    "attribute): the key of a Bynder workflow campaign, such as `SPR26-EMEA-014`.",
    "webphone.calls.started_at": "When the call started ringing (UTC).",
    "webphone.calls.answered_at": "When an agent answered (UTC); null for unanswered calls.",
    "webphone.calls.ended_at": "When the call ended (UTC).",
    "webphone.calls.ring_seconds": "Seconds the call rang before it was queued or answered.",
    "webphone.calls.queue_seconds": "Seconds the caller waited in queue.",
    "webphone.calls.talk_seconds": "Seconds the agent and the customer talked.",
    "webphone.calls.hold_seconds": "Seconds the customer spent on hold, all holds together.",
    "webphone.calls.hold_count": "Number of times the customer was put on hold.",
    "webphone.calls.acw_seconds": "After-call work: seconds the agent spent wrapping up "
    "after the call ended.",
    "webphone.calls.duration_seconds": "Seconds from start to end of the call "
    "(ring + queue + talk + hold).",
    "webphone.calls.disposition_code": "Wrap-up code the agent filed (e.g. "
    "`BILLING_RESOLVED`); often filed up to an hour after the call.",
    "webphone.calls.recording_url": "Where the call recording is stored; set at wrap-up "
    "for completed calls.",
    "webphone.calls.created_at": "When WebPhone wrote the call record (UTC; the end of the call).",
    "webphone.calls.updated_at": "When the call record last changed (UTC): wrap-up, "
    "corrections; the incremental cursor.",
    "webphone.calls.sentiment_score": "Sentiment of the conversation from -1 (negative) "
    "to 1 (positive); the API added this field later (the `added` drift scenario), "
    "null before.",
    **_tombstone("calls", "call"),
    # ----------------------------------------------------------- WebPhone surveys
    "webphone.surveys.id": "WebPhone survey id (`srv_` + ULID).",
    "webphone.surveys.call_id": "The call the survey asks about.",
    "webphone.surveys.agent_id": "Agent of the surveyed call, copied by WebPhone.",
    "webphone.surveys.customer_id": "Customer the survey was sent to.",
    "webphone.surveys.channel": "How the survey was sent: `ivr`, `sms` or `email`.",
    "webphone.surveys.status": "`sent` (no answer yet), `completed`, `partial` "
    "(CSAT answered, NPS not) or `expired`.",
    "webphone.surveys.sent_at": "When the survey was sent (UTC), minutes after the call.",
    "webphone.surveys.completed_at": "When the customer answered (UTC); null until then.",
    "webphone.surveys.csat_score": "Customer satisfaction answer on the survey's scale "
    "(`csat_min` to `csat_max`, normally 1 to 5).",
    "webphone.surveys.csat_min": "Lowest value of the CSAT scale (1).",
    "webphone.surveys.csat_max": "Highest value of the CSAT scale (5).",
    "webphone.surveys.nps_score": "Net Promoter answer, 0 to 10; completed surveys only.",
    "webphone.surveys.comment": "Free-text comment of the customer (may contain personal data).",
    "webphone.surveys.updated_at": "When the survey last changed (UTC); the incremental cursor.",
    **_tombstone("surveys", "survey"),
    # ---------------------------------------------------------------- Bynder media
    "bynder.media.id": "Bynder asset (media) id, an upper-case GUID.",
    "bynder.media.name": "Asset name shown in the portal.",
    "bynder.media.description": "Asset description.",
    "bynder.media.copyright": "Copyright notice of the asset.",
    "bynder.media.type": "Kind of asset: `image`, `document`, `audio` or `video`.",
    "bynder.media.orientation": "`landscape`, `portrait` or `square`.",
    "bynder.media.brandId": "Brand the asset belongs to.",
    "bynder.media.subBrandId": "Sub-brand the asset belongs to, if any.",
    "bynder.media.tags": "Free tags of the asset (JSON array of text).",
    "bynder.media.propertyOptions": "Ids of every metaproperty option set on the asset "
    "(JSON array).",
    "bynder.media.extension": "File extensions of the asset's original (JSON array, "
    'normally one, such as `["jpg"]`).',
    "bynder.media.fileSize": "Size of the original file in bytes.",
    "bynder.media.width": "Width in pixels (images and videos).",
    "bynder.media.height": "Height in pixels (images and videos).",
    "bynder.media.dateCreated": "When the asset was uploaded (UTC).",
    "bynder.media.dateModified": "When the asset's metadata last changed (UTC); the "
    "incremental cursor and the SCD2 version stamp.",
    "bynder.media.datePublished": "Publication date of the asset (UTC).",
    "bynder.media.archive": "Whether the asset is archived (Bynder sends 0/1).",
    "bynder.media.isPublic": "Whether the asset is public (Bynder sends 0/1).",
    "bynder.media.limited": "Whether use of the asset is limited (Bynder sends 0/1).",
    "bynder.media.watermarked": "Whether the asset is watermarked (Bynder sends 0/1).",
    "bynder.media.idHash": "Hash Bynder uses in the asset's public URLs.",
    "bynder.media.userCreated": "Name of the portal user who uploaded the asset.",
    "bynder.media.activeVersion": "Number of the asset's current file version.",
    "bynder.media.thumbnails": "URLs of the asset's renditions (JSON object: mini, thul, "
    "webimage).",
    # ---------------------------------------------------------------- Bynder usage
    "bynder.usage.id": "Bynder usage record id (a UUID).",
    "bynder.usage.asset_id": "The asset that was used.",
    "bynder.usage.integration": "Integration that reported the use (JSON object with "
    "`id` and `description`, e.g. CMS, Email Builder).",
    "bynder.usage.timestamp": "When the asset was used (UTC; Bynder sends microseconds "
    "and an offset).",
    "bynder.usage.uri": "Where the asset was used (a page, post, email or order path).",
    "bynder.usage.additional": "Free note of the integration about the use (e.g. `hero image`).",
    # ------------------------------------------------------------ Bynder campaigns
    "bynder.campaigns.ID": "Bynder workflow campaign id (a UUID).",
    "bynder.campaigns.name": "Campaign name.",
    "bynder.campaigns.key": "Campaign code (`<season><yy>-<market>-<nnn>`, e.g. "
    "`SPR26-EMEA-014`): the code WebPhone calls and Workfront projects carry, and the "
    "asset `Campaign` metaproperty.",
    "bynder.campaigns.description": "Campaign description.",
    "bynder.campaigns.accountID": "Bynder account (portal) the campaign belongs to.",
    "bynder.campaigns.dateCreated": "When the campaign was created (UTC).",
    "bynder.campaigns.createdByID": "Workflow user who created the campaign.",
    "bynder.campaigns.dateModified": "When the campaign last changed (UTC).",
    "bynder.campaigns.responsibleID": "Workflow user responsible for the campaign.",
    "bynder.campaigns.closed": "Whether the campaign is closed.",
    "bynder.campaigns.dateStart": "When the campaign starts (UTC).",
    "bynder.campaigns.deadline": "Campaign deadline (UTC); moves when a campaign is replanned.",
    "bynder.campaigns.presetID": "Workflow preset the campaign was created from.",
    "bynder.campaigns.thumbnailURL": "URL of the campaign's thumbnail image.",
    "bynder.campaigns.campaignMetaproperties": "Metaproperty values set on the campaign "
    "(JSON object).",
    # ------------------------------------------------------- Bynder metaproperties
    "bynder.metaproperties.id": "Metaproperty id (a GUID).",
    "bynder.metaproperties.name": "API name of the metaproperty; assets carry it as "
    "`property_<name>`.",
    "bynder.metaproperties.label": "Display label of the metaproperty (English).",
    "bynder.metaproperties.type": "Value type: `select`, `text` or `date`.",
    "bynder.metaproperties.isMultiSelect": "Whether a select accepts several options.",
    "bynder.metaproperties.isRequired": "Whether uploads must set the metaproperty.",
    "bynder.metaproperties.isFilterable": "Whether the portal offers it as a search filter.",
    "bynder.metaproperties.isMainfilter": "Whether it is one of the portal's main filters.",
    "bynder.metaproperties.isEditable": "Whether users can edit the value.",
    "bynder.metaproperties.zindex": "Display position in the portal (1-based).",
    "bynder.metaproperties.labels": "Labels by language (JSON object).",
    "bynder.metaproperties.options": "Options of a select (JSON array of objects with id, "
    "name and label).",
    # ------------------------------------------------------- Bynder removed media
    "bynder.media_removed.id": "Id of the removed asset.",
    "bynder.media_removed.name": "Name the asset had when it was removed.",
    "bynder.media_removed.dateRemoved": "When the asset was removed from the portal (UTC).",
    "bynder.media_removed.dateCreated": "When the removed asset had been uploaded (UTC).",
    "bynder.media_removed.username": "Login of the portal user who removed the asset.",
    "bynder.media_removed.userId": "Id of the portal user who removed the asset.",
    "bynder.media_removed.S3_filepointer": "Public URL of the removed original; null for "
    "assets that were not public.",
    # ------------------------------------------------------------ Workfront users
    **_workfront_common("users", "user", "USER"),
    "workfront.users.name": "User's full name.",
    "workfront.users.firstName": "User's first name.",
    "workfront.users.lastName": "User's last name.",
    "workfront.users.emailAddr": "User's current email address, lower-cased; matches a "
    "WebPhone agent's address when the user is also an agent.",
    "workfront.users.username": "User's login, lower-cased: the email address the account "
    "was created with (it does not change when the email does).",
    "workfront.users.title": "Job title.",
    "workfront.users.isActive": "Whether the user account is active.",
    "workfront.users.managerID": "The user's manager (a Workfront user).",
    "workfront.users.homeGroupID": "The user's home group.",
    "workfront.users.homeTeamID": "The user's home team.",
    "workfront.users.roleID": "The user's primary job role (it sets the hourly cost rate).",
    "workfront.users.companyID": "Company the user belongs to.",
    "workfront.users.accessLevelID": "The user's access level (license and permissions).",
    "workfront.users.lastLoginDate": "When the user last signed in (UTC).",
    "workfront.users.entryDate": "When the user was created (UTC).",
    # --------------------------------------------------------- Workfront projects
    **_workfront_common("projects", "project", "PROJ"),
    "workfront.projects.name": "Project name.",
    "workfront.projects.status": "Project status code: `PLN` planning, `CUR` current, "
    "`ONH` on hold, `CPL` complete, `DED` dead, `REQ` requested, `APR` approved, `REJ` "
    "rejected, `IDA` idea.",
    "workfront.projects.percentComplete": "Share of the project's work done, 0 to 100.",
    "workfront.projects.priority": "Priority, 0 (none) to 4 (urgent). The `retyped` "
    "drift scenario sends labels instead, which land in a variant column.",
    "workfront.projects.plannedStartDate": "Planned start (UTC).",
    "workfront.projects.plannedCompletionDate": "Planned completion (UTC).",
    "workfront.projects.projectedCompletionDate": "Completion Workfront projects from "
    "progress so far (UTC).",
    "workfront.projects.actualStartDate": "When work actually started (UTC); null before kickoff.",
    "workfront.projects.actualCompletionDate": "When the project was completed (UTC).",
    "workfront.projects.entryDate": "When the project was created (UTC).",
    "workfront.projects.ownerID": "Project owner (a Workfront user).",
    "workfront.projects.sponsorID": "Project sponsor (a Workfront user), if any.",
    "workfront.projects.portfolioID": "Portfolio the project belongs to, if any.",
    "workfront.projects.groupID": "Group that owns the project.",
    "workfront.projects.companyID": "Company the project is for.",
    "workfront.projects.templateID": "Template the project was created from, if any.",
    "workfront.projects.categoryID": "Custom form (category) attached to the project.",
    "workfront.projects.enteredByID": "User who created the project.",
    "workfront.projects.lastUpdatedByID": "User who last changed the project.",
    "workfront.projects.currency": "Currency of the project's money fields (`USD`, `EUR`, "
    "`GBP`); null means the system default.",
    "workfront.projects.budget": "Approved budget, in the project currency.",
    "workfront.projects.plannedCost": "Planned cost (labor and expenses), in the project currency.",
    "workfront.projects.actualCost": "Actual cost Workfront has recorded so far, in the "
    "project currency.",
    "workfront.projects.plannedLaborCost": "Planned labor cost, in the project currency.",
    "workfront.projects.actualLaborCost": "Actual labor cost so far, in the project currency.",
    "workfront.projects.plannedRevenue": "Planned revenue, in the project currency.",
    "workfront.projects.actualRevenue": "Actual revenue so far, in the project currency.",
    "workfront.projects.referenceNumber": "Sequential reference number shown to users.",
    # ------------------------------------------------------------ Workfront tasks
    **_workfront_common("tasks", "task", "TASK"),
    "workfront.tasks.name": "Task name.",
    "workfront.tasks.projectID": "Project the task belongs to.",
    "workfront.tasks.status": "Task status code: `NEW`, `INP` in progress, `CPL` "
    "complete, `CPA` complete pending approval, `CPI` complete pending issues.",
    "workfront.tasks.percentComplete": "Share of the task done, 0 to 100.",
    "workfront.tasks.progressStatus": "Schedule health: `ON` on time, `LT` late, `BH` "
    "behind, `RK` at risk.",
    "workfront.tasks.assignedToID": "Primary assignee (a Workfront user), if any.",
    "workfront.tasks.roleID": "Job role the task needs, if any.",
    "workfront.tasks.parentID": "Parent task of a subtask.",
    "workfront.tasks.taskNumber": "Task number within the project.",
    "workfront.tasks.wbs": "Work breakdown structure position (e.g. `12.3`).",
    "workfront.tasks.priority": "Priority, 0 (none) to 4 (urgent).",
    "workfront.tasks.plannedStartDate": "Planned start (UTC).",
    "workfront.tasks.plannedCompletionDate": "Planned completion (UTC); moves out when "
    "the task slips.",
    "workfront.tasks.actualStartDate": "When work on the task started (UTC).",
    "workfront.tasks.actualCompletionDate": "When the task was completed (UTC).",
    "workfront.tasks.durationMinutes": "Duration in working minutes (8-hour days).",
    "workfront.tasks.plannedDurationMinutes": "Planned duration in working minutes.",
    "workfront.tasks.workRequired": "Planned effort in minutes.",
    "workfront.tasks.actualWork": "Effort logged so far in minutes.",
    "workfront.tasks.plannedCost": "Planned cost (planned effort at the role's rate).",
    "workfront.tasks.actualCost": "Actual cost so far (logged effort at the role's rate).",
    "workfront.tasks.costType": "How the task is costed: `RHC` role hourly cost, `NOC` no cost.",
    "workfront.tasks.revenueType": "How the task earns revenue: `RHR` role hourly rate, "
    "`NOB` not billable.",
    "workfront.tasks.slackDate": "Latest date the task can finish without delaying the project.",
    "workfront.tasks.entryDate": "When the task was created (UTC).",
    "workfront.tasks.lastUpdatedByID": "User who last changed the task.",
    # ------------------------------------------------------ Workfront assignments
    **_workfront_common("assignments", "assignment", "ASSGN"),
    "workfront.assignments.taskID": "Task the user is assigned to.",
    "workfront.assignments.opTaskID": "Issue (OPTASK) the user is assigned to, instead of a task.",
    "workfront.assignments.projectID": "Project of the assigned task.",
    "workfront.assignments.assignedToID": "The assigned user; changes when the work is reassigned.",
    "workfront.assignments.assignedByID": "User who made the assignment.",
    "workfront.assignments.roleID": "Job role the user works in on this assignment.",
    "workfront.assignments.teamID": "Team of the assignment, if any.",
    "workfront.assignments.assignmentPercent": "Share of the task's work assigned to this "
    "user, 0 to 100.",
    "workfront.assignments.isPrimary": "Whether the user is the task's primary assignee.",
    "workfront.assignments.status": "The assignee's own progress: `NEW`, `INP` in "
    "progress, `CPL` done with their part.",
    "workfront.assignments.work": "Effort assigned to the user, in minutes.",
    "workfront.assignments.workRequired": "Effort the task requires, in minutes.",
    "workfront.assignments.actualWorkCompleted": "Effort the user has completed, in hours.",
    "workfront.assignments.workUnit": "Unit Workfront shows the effort in (`H` hours).",
    "workfront.assignments.entryDate": "When the assignment was made (UTC).",
    # ------------------------------------------------------------ Workfront hours
    **_workfront_common("hours", "time entry", "HOUR"),
    "workfront.hours.hours": "Hours logged, in quarter hours.",
    "workfront.hours.entryDate": "The date the work was done (the user's local date).",
    "workfront.hours.projectID": "Project the hours are logged on.",
    "workfront.hours.taskID": "Task the hours are logged on.",
    "workfront.hours.opTaskID": "Issue the hours are logged on, instead of a task.",
    "workfront.hours.ownerID": "The user who worked the hours.",
    "workfront.hours.hourTypeID": "Hour type (e.g. regular, overtime, travel).",
    "workfront.hours.roleID": "Job role the hours were worked in; it sets the cost rate.",
    "workfront.hours.status": "Approval status: `SUB` submitted, `APR` approved.",
    "workfront.hours.timesheetID": "Weekly timesheet of the user the entry belongs to.",
    "workfront.hours.actualCost": "Cost of the hours (hours at the role's hourly rate).",
    "workfront.hours.approvedByID": "User who approved the hours.",
    "workfront.hours.approvedOnDate": "When the hours were approved (UTC).",
    "workfront.hours.description": "What the time was spent on.",
    "workfront.hours.lastUpdatedByID": "User who last changed the entry.",
    # -------------------------------------------------- Workfront journal entries
    "workfront.journal_entries.ID": "Journal entry id (32 hex digits).",
    "workfront.journal_entries.objCode": "Object code of the record, always `JRNLE`.",
    "workfront.journal_entries.subObjCode": "Kind of record the entry is about (`HOUR`: "
    "a time entry).",
    "workfront.journal_entries.subObjID": "The time entry that was deleted; Workfront "
    "hard-deletes hours, so this entry is the only trace.",
    "workfront.journal_entries.changeType": "Kind of change: `D` deleted.",
    "workfront.journal_entries.entryDate": "When the time entry was deleted (UTC).",
    "workfront.journal_entries.objID": "Project of the deleted time entry.",
    "workfront.journal_entries.objObjCode": "Object code of `objID` (`PROJ`).",
    "workfront.journal_entries.oldNumberVal": "Hours the deleted entry held.",
    "workfront.journal_entries.newNumberVal": "Value after the change (null for a deletion).",
    "workfront.journal_entries.editedByID": "User who deleted the entry.",
    "workfront.journal_entries.fieldName": "Field the entry is about (`hours`).",
}


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
        extra: dict[str, tuple[str, Any, str]] = {}
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
    assert isinstance(media, Media)
    listed = media.removed_listing(0, world.now_ms())[:200]
    removed = [media.render_removed(item) for item in listed]
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
