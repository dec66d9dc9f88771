"""Bynder DAM: media (assets), asset usage, campaigns, metaproperties, removed media.

Declarative ``rest_api`` config: OAuth 2.0 client credentials, the page-number
paginator (1-based ``page``, no total; the API ends on a short or empty page) and
incremental cursors sent as the API's own filters (``dateModified``, ``dateRemoved``),
compared as instants (:func:`latest_instant`), never as text.
Every list-valued field (``tags``, ``extension``, ``property_*`` select values) lands
as a JSON column: ``max_table_nesting=0`` keeps one raw row per asset.
"""

from __future__ import annotations

import contextlib
import email.utils
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.sources import DltResource
from dlt.sources.rest_api import RESTAPIConfig, rest_api_resources

from loaders.auth import RenewingOAuth2ClientCredentials
from loaders.field_mapping import column_hints, empty_table
from loaders.pages import bynder_empty_check, page_check, retrying_session
from loaders.settings import DEFAULT_INITIAL_VALUE, PAGE_SIZES

SYSTEM = "bynder"
SCOPES = "asset:read meta.assetbank:read workflow.campaign:read"
PAGE_NUMBER = {"type": "page_number", "base_page": 1, "page_param": "page", "total_path": None}


def _instant(value: str) -> datetime:
    """A Bynder timestamp as an aware UTC datetime, whatever format it arrived in.

    ISO 8601 (``Z``, an offset or none: UTC), RFC 2822, ``MM/DD/YYYY HH:MM`` and epoch
    seconds: the formats a careless feed mixes into a timestamp field.

    Raises:
        ValueError: The value is not a time in any of these formats.

    """
    text = str(value).strip()
    parsed: datetime | None = None
    if text.isdigit():
        parsed = datetime.fromtimestamp(int(text), UTC)
    else:
        with contextlib.suppress(ValueError):
            parsed = datetime.fromisoformat(text)
        if parsed is None:
            with contextlib.suppress(TypeError, ValueError, IndexError):
                parsed = email.utils.parsedate_to_datetime(text)
        if parsed is None:
            with contextlib.suppress(ValueError):
                parsed = datetime.strptime(text, "%m/%d/%Y %H:%M")
    if parsed is None:
        raise ValueError(f"not a timestamp in any format Bynder sends: {text!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def latest_instant(values: Sequence[str]) -> str:
    """``last_value_func`` of the Bynder cursors: the latest instant, as ISO UTC text.

    Comparing the raw text would let a malformed value win (``Fri, 30 Oct ...`` sorts
    after ``2026-...``) and go back to the API as the next filter, which refuses it.
    The row keeps its text; dbt standardizes or quarantines it.
    """
    latest = max(_instant(value) for value in values)
    fraction = f".{latest.microsecond:06d}" if latest.microsecond else ""
    return latest.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def _incremental(cursor: str, param: str, initial: str, end: str | None, end_param: str) -> Any:
    config: dict[str, Any] = {
        "cursor_path": cursor,
        "start_param": param,
        "initial_value": latest_instant([initial]),
        "last_value_func": latest_instant,
    }
    if end is not None:
        config |= {"end_param": end_param, "end_value": latest_instant([end])}
    return config


@dlt.source(name=SYSTEM, max_table_nesting=0)
def bynder_source(
    base_url: str = dlt.config.value,
    client_id: str = dlt.secrets.value,
    client_secret: str = dlt.secrets.value,
    initial_value: str = DEFAULT_INITIAL_VALUE,
    end_value: str | None = None,
    page_size: int = PAGE_SIZES[SYSTEM],
) -> list[DltResource]:
    """The Bynder resources.

    Args:
        base_url: Portal root, e.g. ``https://yourportal.getbynder.com``.
        client_id: OAuth app client id.
        client_secret: OAuth app client secret.
        initial_value: First ``dateModified`` of a fresh pipeline (ISO 8601 UTC).
        end_value: Exclusive upper bound for a stateless backfill.
        page_size: Records per page (the API allows up to 1000).

    """
    root = base_url.rstrip("/")
    initial = initial_value if initial_value.endswith("Z") else initial_value + "Z"
    config: RESTAPIConfig = {
        "client": {
            "base_url": root + "/api/",
            "auth": RenewingOAuth2ClientCredentials(
                access_token_url=root + "/v6/authentication/oauth2/token",
                client_id=client_id,
                client_secret=client_secret,
                access_token_request_data={"scope": SCOPES},
            ),
            "paginator": PAGE_NUMBER,  # type: ignore[typeddict-item]
            # bad pages (not JSON, empty mid-listing) are retried like a 503
            "session": retrying_session(),
        },
        "resource_defaults": {
            "primary_key": "id",
            "write_disposition": "merge",
            "endpoint": {
                "data_selector": "$",
                "params": {"limit": page_size},
                "response_actions": [page_check(bynder_empty_check)],
            },
        },
        "resources": [
            {
                "name": "media",
                "columns": column_hints(SYSTEM, "media", latest_by="dateModified"),
                "endpoint": {
                    "path": "v4/media/",
                    "params": {"limit": page_size, "orderBy": "dateModified asc"},
                    "incremental": _incremental(
                        "dateModified", "dateModified", initial, end_value, "dateModifiedTo"
                    ),
                },
            },
            {
                # usage events never change: append, cursor on the event timestamp.
                # Bulk listing (page/limit/since) is a sandbox assumption: the public
                # API documents GET by asset_id only.
                "name": "usage",
                "write_disposition": "append",
                "columns": column_hints(SYSTEM, "usage"),
                "endpoint": {
                    "path": "media/usage/",
                    # own params: dlt shares the defaults' dict, and each incremental
                    # writes its start_param into it (it leaked into later resources)
                    "params": {"limit": page_size},
                    "incremental": _incremental("timestamp", "since", initial, end_value, "until"),
                },
            },
            {
                "name": "media_removed",
                "write_disposition": "append",
                "columns": column_hints(SYSTEM, "media_removed"),
                "endpoint": {
                    "path": "v4/media/deleted/",
                    "params": {"limit": page_size},
                    "incremental": _incremental(
                        "dateRemoved", "dateRemoved", initial, end_value, "dateRemovedTo"
                    ),
                },
            },
            {
                "name": "campaigns",
                "primary_key": "ID",
                "write_disposition": "replace",
                "columns": column_hints(SYSTEM, "campaigns"),
                "endpoint": {"path": "workflow/campaigns/", "params": {"limit": page_size}},
            },
            {
                # an object keyed by metaproperty name: its values are the rows
                "name": "metaproperties",
                "write_disposition": "replace",
                "columns": column_hints(SYSTEM, "metaproperties"),
                "endpoint": {
                    "path": "v4/metaproperties/",
                    "data_selector": "$.*",
                    "paginator": "single_page",
                    "params": {},
                },
            },
        ],
    }
    return [
        *rest_api_resources(config),
        empty_table(SYSTEM, "media_removed", "append", "id"),
        empty_table(SYSTEM, "usage", "append", "id"),
    ]
