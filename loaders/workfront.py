"""Adobe Workfront: projects, tasks, hours, users, assignments, and hour deletions.

Declarative ``rest_api`` config on ``/attask/api/<version>/<objCode>/search``: offset
pagination on ``$$FIRST``/``$$LIMIT`` (no total, always ``ID_Sort=asc``, as Workfront
requires for stable pages), ``data_selector: data``, explicit ``fields=`` lists
taken from the field-mapping dictionary, and an incremental ``lastUpdateDate``
filter with ``lastUpdateDate_Mod=gte``.

Assignments (ASSGN) are the exception: Workfront documents no ``lastUpdateDate`` or
``entryDate`` for them, and an instance refuses a filter or sort on a field the
object lacks (HTTP 422). Every run reads the full ASSGN listing (``ID_Sort`` only)
and merges it by ``ID``, so changed assignments are picked up whatever their task did.

When Workfront refuses a request, its own explanation (``{"error": {"message": ...}}``)
is logged and carried by the exception (:func:`explain_refusal`), and no URL that
names a credential is kept in any message (:func:`loaders.redact.redact_response_url`).

Two things the declarative config cannot express are small helpers here:

* Workfront timestamps carry local offsets (``2024-05-01T10:15:00:000-0500``), so
  comparing them as strings orders them wrongly. The cursor's ``last_value_func``
  normalizes each value to UTC before taking the maximum.
* OAuth access tokens must be sent as a ``sessionID`` header, not as a bearer token:
  :class:`WorkfrontOAuth2` is dlt's client-credentials auth with a refresh-token grant
  and that header. An API key (legacy) also works: it travels as the ``apiKey``
  request header, as Adobe's own client sends it, never in the URL, where traces and
  access logs would keep it.

Time entries (HOUR) are hard-deleted in Workfront; deletions are read from the
journal (``JRNLE`` with ``subObjCode=HOUR``, ``changeType=D``) into
``journal_entries``, which dbt turns into soft-delete flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import dlt
import requests
from dlt.common import logger
from dlt.common.configuration import configspec
from dlt.common.typing import TSecretStrValue
from dlt.sources import DltResource
from dlt.sources.helpers.rest_client.auth import APIKeyAuth
from dlt.sources.rest_api import RESTAPIConfig, rest_api_resources
from dlt.sources.rest_api.typing import ResponseAction

from loaders.arrow_pages import arrow_resources, pages_name
from loaders.auth import RenewingOAuth2ClientCredentials
from loaders.field_mapping import column_hints, empty_table, source_fields
from loaders.pages import page_check, retrying_session, workfront_empty_check
from loaders.redact import redact_response_url
from loaders.settings import DEFAULT_INITIAL_VALUE, PAGE_SIZES

SYSTEM = "workfront"
OBJECTS = {
    "projects": "PROJ",
    "tasks": "TASK",
    "hours": "HOUR",
    "users": "USER",
    "assignments": "ASSGN",
}
#: Objects without a documented ``lastUpdateDate``: read in full on every run.
FULL_READ = frozenset({"assignments"})


class WorkfrontRefusal(requests.HTTPError):
    """Workfront refused a request (HTTP 4xx); the message carries Workfront's reason."""


def workfront_message(response: requests.Response) -> str | None:
    """Workfront's ``{"error": {"message": ...}}`` text of an error answer, if any."""
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return None


def explain_refusal(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
    """A ``requests`` response hook: a refused request fails with Workfront's reason.

    dlt's client reports only ``422 Client Error ... for url``; Workfront says why in
    the body. 401 and 429 are left to the auth renewal and the retries.
    """
    status = response.status_code
    if 400 <= status < 500 and status not in (401, 429):
        reason = workfront_message(response)
        if reason is not None:
            url = response.url.split("?")[0]
            message = f"Workfront refused the request (HTTP {status} from {url}): {reason}"
            logger.error(message)
            raise WorkfrontRefusal(message, response=response)
    return response


def response_actions(auth: Any) -> list[ResponseAction]:
    """The dlt ``response_actions`` of every Workfront resource, run in this order.

    The URL loses its credentials before any message is made of it
    (:func:`loaders.redact.redact_response_url`), a refusal fails with Workfront's reason
    (:func:`explain_refusal`), and a bad page is retried (:func:`loaders.pages.page_check`,
    an empty page confirmed by ``/count`` with ``auth``). They are request hooks, not
    session hooks: ``requests`` drops a session's response hooks for a request that has
    its own, and dlt gives every resource request its own.
    """
    return [redact_response_url, explain_refusal, page_check(workfront_empty_check, auth)]


def to_utc(value: str) -> str:
    """A Workfront timestamp (``...:000-0500``, ``....000-0500`` or ``...Z``) in UTC ISO."""
    text = value.strip()
    if text.endswith("Z"):
        parsed = datetime.fromisoformat(text[:-1] + "+00:00")
    else:
        body, offset = text[:-5], text[-5:]
        if len(body) == 23 and body[19] in ":.":
            body = body[:19] + "." + body[20:]
        parsed = datetime.fromisoformat(f"{body}{offset[:3]}:{offset[3:]}")
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def latest_instant(values: Sequence[str]) -> str:
    """``last_value_func`` for Workfront cursors: the latest instant, as UTC ISO text."""
    return max(to_utc(value) for value in values)


@configspec
class WorkfrontOAuth2(RenewingOAuth2ClientCredentials):
    """OAuth 2 refresh-token grant whose access token travels as ``sessionID``."""

    refresh_token: TSecretStrValue | None = None

    def build_access_token_request(self) -> dict[str, Any]:
        """Form body of ``POST /integrations/oauth2/api/v1/token``."""
        return {
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            "data": {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "grant_type": "refresh_token",
                "refresh_token": self.refresh_token,
            },
        }

    def token_header(self, token: Any) -> tuple[str, str]:
        """The header that carries ``token``: ``sessionID``."""
        return "sessionID", str(token)


def _fields(table: str) -> str:
    """The ``fields=`` projection: every mapped standard field, then all custom fields."""
    names = [f for f in source_fields(SYSTEM, table) if not f.startswith("parameterValues")]
    return ",".join([*names, "parameterValues"])


@dlt.source(name=SYSTEM, max_table_nesting=1)
def workfront_source(
    base_url: str = dlt.config.value,
    api_version: str = "v19.0",
    client_id: str | None = dlt.secrets.value,
    client_secret: str | None = dlt.secrets.value,
    refresh_token: str | None = dlt.secrets.value,
    api_key: TSecretStrValue | None = None,  # a secret: dlt keeps it out of its trace
    initial_value: str = DEFAULT_INITIAL_VALUE,
    end_value: str | None = None,
    page_size: int = PAGE_SIZES[SYSTEM],
) -> list[DltResource]:
    """The Workfront resources (:func:`workfront_config`; arguments as there)."""
    config = workfront_config(
        base_url,
        api_version,
        client_id,
        client_secret,
        refresh_token,
        api_key,
        initial_value,
        end_value,
        page_size,
    )
    return [
        # pages land as Arrow tables, custom fields flattened as max_table_nesting=1 does
        *arrow_resources(config, rest_api_resources(config), max_table_nesting=1),
        empty_table(SYSTEM, "journal_entries", "append", "ID"),
    ]


def workfront_config(
    base_url: str,
    api_version: str = "v19.0",
    client_id: str | None = None,
    client_secret: str | None = None,
    refresh_token: str | None = None,
    api_key: str | None = None,
    initial_value: str = DEFAULT_INITIAL_VALUE,
    end_value: str | None = None,
    page_size: int = PAGE_SIZES[SYSTEM],
) -> RESTAPIConfig:
    """The ``rest_api`` configuration of the Workfront resources (the bench walks it too).

    Args:
        base_url: ``https://<domain>.my.workfront.com``.
        api_version: REST API version path segment, e.g. ``v19.0``.
        client_id: OAuth2 integration client id.
        client_secret: OAuth2 integration client secret.
        refresh_token: Long-lived refresh token of the integration.
        api_key: Legacy API key, used instead of OAuth2 when given.
        initial_value: First ``lastUpdateDate`` of a fresh pipeline (ISO 8601 UTC).
        end_value: Exclusive upper bound for a stateless backfill.
        page_size: ``$$LIMIT`` (Workfront caps it at 2000).

    """
    root = base_url.rstrip("/")
    auth: Any
    if api_key:
        auth = APIKeyAuth(name="apiKey", api_key=api_key, location="header")
    elif client_id and client_secret and refresh_token:
        auth = WorkfrontOAuth2(
            access_token_url=root + "/integrations/oauth2/api/v1/token",
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
        )
    else:
        raise ValueError(
            "Workfront needs an api_key, or a client_id, client_secret and refresh_token "
            "(SOURCES__WORKFRONT__* or .dlt/secrets.toml)"
        )
    initial = to_utc(initial_value)
    end = to_utc(end_value) if end_value else None

    def incremental(cursor: str) -> dict[str, Any]:
        config: dict[str, Any] = {
            "cursor_path": cursor,
            "start_param": cursor,
            "initial_value": initial,
            "last_value_func": latest_instant,
        }
        if end is not None:
            config |= {"end_value": end}
        return config

    resources: list[Any] = []
    for table, obj_code in OBJECTS.items():
        params: dict[str, Any] = {"fields": _fields(table), "ID_Sort": "asc"}
        endpoint: dict[str, Any] = {"path": f"{obj_code.lower()}/search", "params": params}
        if table in FULL_READ:
            resources.append(
                {
                    "name": pages_name(table),
                    "columns": column_hints(SYSTEM, table),
                    "endpoint": endpoint,
                }
            )
            continue
        params["lastUpdateDate_Mod"] = "gte"
        if end is not None:
            params |= {"lastUpdateDate_Mod": "between", "lastUpdateDate_Range": end}
        endpoint["incremental"] = incremental("lastUpdateDate")
        resources.append(
            {
                "name": pages_name(table),
                "columns": column_hints(SYSTEM, table, latest_by="lastUpdateDate"),
                "endpoint": endpoint,
            }
        )
    journal_params: dict[str, Any] = {
        "subObjCode": "HOUR",
        "changeType": "D",
        "entryDate_Mod": "gte",
        "ID_Sort": "asc",
        "fields": "ID,objCode,subObjCode,subObjID,changeType,entryDate,objID,objObjCode,"
        "oldNumberVal,newNumberVal,editedByID,fieldName",
    }
    resources.append(
        {
            "name": pages_name("journal_entries"),
            "write_disposition": "append",
            "columns": column_hints(SYSTEM, "journal_entries"),
            "endpoint": {
                "path": "jrnle/search",
                "params": journal_params,
                "incremental": incremental("entryDate"),
            },
        }
    )
    config: RESTAPIConfig = {
        "client": {
            "base_url": f"{root}/attask/api/{api_version}/",
            "auth": auth,
            "paginator": {
                "type": "offset",
                "limit": page_size,
                "offset_param": "$$FIRST",
                "limit_param": "$$LIMIT",
                "total_path": None,
            },
            # bad pages (not JSON, empty mid-listing) are retried like a 503
            "session": retrying_session(),
        },
        "resource_defaults": {
            "primary_key": "ID",
            "write_disposition": "merge",
            "endpoint": {
                "data_selector": "data",
                "response_actions": response_actions(auth),
            },
        },
        "resources": resources,
    }
    return config
