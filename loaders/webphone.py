"""WebPhone call logs: agents, customers, calls and surveys (dlt ``rest_api`` source).

Everything is declarative: OAuth 2.0 client credentials, the JSON cursor paginator
on ``next_cursor``, and an incremental ``updated_at`` cursor sent as
``updated_since``. Tombstones (``include_deleted=true``) are routed to
``<entity>_tombstones`` tables, so a deletion never overwrites the last known state
of a record: dbt turns them into soft-delete flags.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.sources import DltResource
from dlt.sources.rest_api import RESTAPIConfig, rest_api_resources
from dlt.sources.rest_api.typing import IncrementalConfig

from loaders.auth import RenewingOAuth2ClientCredentials
from loaders.field_mapping import column_hints, empty_table
from loaders.pages import page_check, retrying_session, webphone_empty_check
from loaders.settings import DEFAULT_INITIAL_VALUE, PAGE_SIZES

SYSTEM = "webphone"
ENTITIES = ("agents", "customers", "calls", "surveys")
SCOPES = "calls:read agents:read customers:read surveys:read"


def api_instant(value: str) -> str:
    """An ISO 8601 instant in the API's own form, ``2024-05-01T14:03:22.000Z``.

    The cursor compares ``updated_at`` values as text, so a bound written another way
    (``...:22Z`` sorts after ``...:22.514Z``) would drop records the API returned.
    """
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _route_tombstones(entity: str) -> Any:
    tombstones = f"{entity}_tombstones"

    def table_name(item: dict[str, Any]) -> str:
        return tombstones if "deleted_at" in item else entity

    return table_name


@dlt.source(name=SYSTEM, max_table_nesting=0)
def webphone_source(
    base_url: str = dlt.config.value,
    client_id: str = dlt.secrets.value,
    client_secret: str = dlt.secrets.value,
    initial_value: str = DEFAULT_INITIAL_VALUE,
    end_value: str | None = None,
    page_size: int = PAGE_SIZES[SYSTEM],
) -> list[DltResource]:
    """The WebPhone resources (:func:`webphone_config`; arguments as there)."""
    config = webphone_config(
        base_url, client_id, client_secret, initial_value, end_value, page_size
    )
    tombstones = [empty_table(SYSTEM, f"{entity}_tombstones", "merge", "id") for entity in ENTITIES]
    return [*rest_api_resources(config), *tombstones]


def webphone_config(
    base_url: str,
    client_id: str,
    client_secret: str,
    initial_value: str = DEFAULT_INITIAL_VALUE,
    end_value: str | None = None,
    page_size: int = PAGE_SIZES[SYSTEM],
) -> RESTAPIConfig:
    """The ``rest_api`` configuration of the WebPhone resources (the bench walks it too).

    Args:
        base_url: API root, e.g. ``https://api.webphone.example``.
        client_id: OAuth client id.
        client_secret: OAuth client secret.
        initial_value: First ``updated_since`` of a fresh pipeline (ISO 8601 UTC).
        end_value: Exclusive upper bound (``updated_before``) for a stateless backfill.
        page_size: Records per page (the API allows up to 1000).

    """
    root = base_url.rstrip("/")
    incremental: IncrementalConfig = {
        "cursor_path": "updated_at",
        "start_param": "updated_since",
        "initial_value": api_instant(initial_value),
    }
    if end_value is not None:
        incremental["end_param"] = "updated_before"
        incremental["end_value"] = api_instant(end_value)
    auth = RenewingOAuth2ClientCredentials(
        access_token_url=root + "/oauth/token",
        client_id=client_id,
        client_secret=client_secret,
        access_token_request_data={"scope": SCOPES},
    )
    config: RESTAPIConfig = {
        "client": {
            "base_url": root + "/v1/",
            "auth": auth,
            "paginator": {"type": "cursor", "cursor_path": "next_cursor", "cursor_param": "cursor"},
            # bad pages (not JSON, empty mid-listing) are retried like a 503
            "session": retrying_session(),
        },
        "resource_defaults": {
            "primary_key": "id",
            "write_disposition": "merge",
            "endpoint": {
                "data_selector": "data",
                "params": {"limit": page_size, "include_deleted": "true"},
                "response_actions": [page_check(webphone_empty_check, auth)],
            },
        },
        "resources": [
            {
                "name": entity,
                "table_name": _route_tombstones(entity),
                "columns": column_hints(SYSTEM, entity, latest_by="updated_at"),
                "endpoint": {"path": entity, "incremental": incremental.copy()},
            }
            for entity in ENTITIES
        ],
    }
    return config
