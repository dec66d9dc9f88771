"""Bynder DAM: media (assets), asset usage, campaigns, metaproperties, removed media.

Declarative ``rest_api`` config: OAuth 2.0 client credentials, the page-number
paginator (1-based ``page``, no total; a listing ends on a short or empty page) and
incremental cursors sent as the API's own filters (``dateModified``, ``dateRemoved``),
compared as instants (:func:`latest_instant`), never as text.
Every list-valued field (``tags``, ``extension``, ``property_*`` select values) lands
as a JSON column: ``max_table_nesting=0`` keeps one raw row per asset.

``dateModified`` means "modified after" in Bynder's documentation (exclusive) and a
portal might read it inclusively: the filter is sent one second before the stored
cursor (:func:`_overlap`), so an asset stamped in the cursor's second is listed under
either reading; dlt drops the rows it already loaded at the cursor, and the rows of
the second before are older than the cursor and filtered out (media is merged on
``id`` anyway).

Asset usage: Bynder documents ``GET /api/media/usage/?asset_id=...`` only (a call
without ``asset_id`` is refused). Usage is read per asset, for the media this run
extracts (new or changed assets), and merged on its ``id``: see :data:`USAGE_MODES`.
"""

from __future__ import annotations

import contextlib
import email.utils
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import dlt
from dlt.sources import DltResource
from dlt.sources.rest_api import RESTAPIConfig, rest_api_resources

from loaders.arrow_pages import arrow_resources, pages_name
from loaders.auth import RenewingOAuth2ClientCredentials
from loaders.field_mapping import column_hints, empty_table
from loaders.pages import (
    ShortPagePaginator,
    bynder_empty_check,
    bynder_listing_empty_check,
    page_check,
    retrying_session,
)
from loaders.settings import DEFAULT_INITIAL_VALUE, PAGE_SIZES

SYSTEM = "bynder"
SCOPES = "asset:read meta.assetbank:read workflow.campaign:read"
#: Resources a portal may not offer: the "recently removed" path is undocumented. When
#: the API refuses one, the run skips it with a warning (``loaders/pipeline.py``).
OPTIONAL_RESOURCES = frozenset({"media_removed"})

#: How usage is read. ``per_asset``: one documented ``?asset_id=`` call per asset this
#: run extracts (new or changed); usage added to an asset that did not change since the
#: last run arrives with its next change or the next full refresh. ``bulk``: a paged
#: listing of all usage with a ``since`` cursor, which some portals (the sandbox's
#: default mode) offer and Bynder does not document: far fewer calls, and no usage is
#: missed. ``auto`` (default) asks for one row of the bulk listing and uses it if the
#: portal answers, else goes per asset.
USAGE_MODES = ("auto", "bulk", "per_asset")


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


def _overlap(end: str | None) -> Any:
    """``convert`` of the ``dateModified`` filter: one second before the cursor.

    dlt converts the upper bound (``end``, a backfill's exclusive limit) with the same
    function; it goes to the API as given.
    """

    def convert(value: str) -> str:
        if end is not None and value == end:
            return value
        return latest_instant([(_instant(value) - timedelta(seconds=1)).isoformat()])

    return convert


def _incremental(
    cursor: str,
    param: str,
    initial: str,
    end: str | None,
    end_param: str,
    overlap: bool = False,
) -> Any:
    config: dict[str, Any] = {
        "cursor_path": cursor,
        "start_param": param,
        "initial_value": latest_instant([initial]),
        "last_value_func": latest_instant,
    }
    end_text = latest_instant([end]) if end is not None else None
    if end_text is not None:
        config |= {"end_param": end_param, "end_value": end_text}
    if overlap:
        config["convert"] = _overlap(end_text)
    return config


def bulk_usage_offered(root: str, auth: Any) -> bool:
    """Whether the portal answers the bulk usage listing (one row, no ``asset_id``).

    Bynder documents usage by ``asset_id`` only and refuses the call without it (400);
    a 404 means the same. A bad page (not JSON) is retried like any other; credential
    and transport failures are raised.
    """
    check = page_check()
    response = retrying_session().get(
        root + "/api/media/usage/",
        params={"page": 1, "limit": 1},
        auth=auth,
        hooks={"response": [lambda answer, *args, **kwargs: check(answer)]},
    )
    if response.status_code in (400, 404, 405, 422):
        return False
    response.raise_for_status()
    return isinstance(response.json(), list)


def _usage_resource(mode: str, initial: str, end: str | None, page_size: int) -> Any:
    """The ``usage`` resource config: a bulk listing, or a child of ``media`` per asset."""
    if mode == "bulk":
        return {
            # usage events never change: append, cursor on the event timestamp
            "name": "usage",
            "write_disposition": "append",
            "columns": column_hints(SYSTEM, "usage"),
            "endpoint": {
                "path": "media/usage/",
                # own params: dlt shares the defaults' dict, and each incremental
                # writes its start_param into it (it leaked into later resources)
                "params": {"limit": page_size},
                "incremental": _incremental("timestamp", "since", initial, end, "until"),
            },
        }
    return {
        # the documented lookup, once per asset media delivers: every usage of the
        # asset, so the events seen before come again (merged on id)
        "name": "usage",
        "write_disposition": "merge",
        "columns": column_hints(SYSTEM, "usage"),
        "endpoint": {
            "path": "media/usage/",
            "params": {"asset_id": "{resources." + pages_name("media") + ".id}"},
            "paginator": "single_page",
            # an asset removed between its listing and this call has no usage to read
            "response_actions": [{"status_code": 404, "action": "ignore"}, page_check()],
        },
    }


@dlt.source(name=SYSTEM, max_table_nesting=0)
def bynder_source(
    base_url: str = dlt.config.value,
    client_id: str = dlt.secrets.value,
    client_secret: str = dlt.secrets.value,
    initial_value: str = DEFAULT_INITIAL_VALUE,
    end_value: str | None = None,
    page_size: int = PAGE_SIZES[SYSTEM],
    usage_mode: str = "auto",
) -> list[DltResource]:
    """The Bynder resources (:func:`bynder_config`; arguments as there).

    ``usage_mode`` is ``SOURCES__BYNDER__USAGE_MODE``.
    """
    config = bynder_config(
        base_url, client_id, client_secret, initial_value, end_value, page_size, usage_mode
    )
    usage = next(r for r in config["resources"] if isinstance(r, dict) and r["name"] == "usage")
    return [
        *arrow_resources(config, rest_api_resources(config)),
        empty_table(SYSTEM, "media_removed", "append", "id"),
        empty_table(
            SYSTEM, "usage", "append" if usage["write_disposition"] == "append" else "merge", "id"
        ),
    ]


def bynder_config(
    base_url: str,
    client_id: str,
    client_secret: str,
    initial_value: str = DEFAULT_INITIAL_VALUE,
    end_value: str | None = None,
    page_size: int = PAGE_SIZES[SYSTEM],
    usage_mode: str = "auto",
) -> RESTAPIConfig:
    """The ``rest_api`` configuration of the Bynder resources (the bench walks it too).

    Args:
        base_url: Portal root, e.g. ``https://yourportal.getbynder.com``.
        client_id: OAuth app client id.
        client_secret: OAuth app client secret.
        initial_value: First ``dateModified`` of a fresh pipeline (ISO 8601 UTC).
        end_value: Exclusive upper bound for a stateless backfill.
        page_size: Records per page (the API allows up to 1000).
        usage_mode: ``auto``, ``bulk`` or ``per_asset`` (:data:`USAGE_MODES`); ``auto``
            asks the portal (one request).

    Raises:
        ValueError: ``usage_mode`` is not one of :data:`USAGE_MODES`.

    """
    if usage_mode not in USAGE_MODES:
        raise ValueError(f"usage_mode must be one of {USAGE_MODES}, not {usage_mode!r}")
    root = base_url.rstrip("/")
    initial = initial_value if initial_value.endswith("Z") else initial_value + "Z"
    auth = RenewingOAuth2ClientCredentials(
        access_token_url=root + "/v6/authentication/oauth2/token",
        client_id=client_id,
        client_secret=client_secret,
        access_token_request_data={"scope": SCOPES},
    )
    if usage_mode == "auto":
        usage_mode = "bulk" if bulk_usage_offered(root, auth) else "per_asset"
    config: RESTAPIConfig = {
        "client": {
            "base_url": root + "/api/",
            "auth": auth,
            "paginator": ShortPagePaginator(page_size),
            # bad pages (not JSON, empty mid-listing) are retried like a 503
            "session": retrying_session(),
        },
        "resource_defaults": {
            "primary_key": "id",
            "write_disposition": "merge",
            "endpoint": {
                "data_selector": "$",
                "params": {"limit": page_size},
                # not JSON: retried; an empty page is checked against a count when the
                # portal gives one (undocumented outside media), else ends the listing
                "response_actions": [page_check(bynder_listing_empty_check, auth)],
            },
        },
        "resources": [
            {
                "name": pages_name("media"),
                "columns": column_hints(SYSTEM, "media", latest_by="dateModified"),
                "endpoint": {
                    "path": "v4/media/",
                    "params": {"limit": page_size, "orderBy": "dateModified asc"},
                    "incremental": _incremental(
                        "dateModified",
                        "dateModified",
                        initial,
                        end_value,
                        "dateModifiedTo",
                        overlap=True,
                    ),
                    # media has a count (total=1): an empty page is confirmed with it
                    "response_actions": [page_check(bynder_empty_check, auth)],
                },
            },
            _usage_resource(usage_mode, initial, end_value, page_size),
            {
                # the "recently removed" list: its path is not documented, and a portal
                # that answers 404 (or refuses it) has it skipped (loaders/pipeline.py).
                # Removed assets never appear in /v4/media/, so without this list a
                # deletion shows only as an id absent from a full listing (a
                # --full-refresh reload); this loader does not compare the two
                "name": pages_name("media_removed"),
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
                "name": pages_name("campaigns"),
                "primary_key": "ID",
                "write_disposition": "replace",
                "columns": column_hints(SYSTEM, "campaigns"),
                "endpoint": {"path": "workflow/campaigns/", "params": {"limit": page_size}},
            },
            {
                # an object keyed by metaproperty name: its values are the rows
                "name": pages_name("metaproperties"),
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
    return config
