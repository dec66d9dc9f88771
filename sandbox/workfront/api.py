"""The Adobe Workfront REST API (``docs/reference/source_apis.md`` section 2).

* ``GET /attask/api/v<N>/<objCode>/search`` for PROJ, TASK, HOUR, USER, ASSGN and
  JRNLE (object codes are case-insensitive; ``project``, ``assignment`` ... work too):
  ``$$FIRST`` (0-based offset) and ``$$LIMIT`` (default 100, above 2000 an
  ``IllegalArgumentException``); ``ID_Sort=asc`` or ``lastUpdateDate_Sort=asc``
  (without a sort the order is unstable between pages, as the real API warns);
  filters ``lastUpdateDate`` / ``entryDate`` with ``_Mod`` = ``gte|gt|lte|lt|between``
  (``_Range`` is the upper bound), JRNLE ``subObjCode`` and ``changeType``;
  ``fields=`` projection (``*``, ``parameterValues``, ``DE:<name>``).
  Envelope ``{"data": [...]}``.
* ``GET .../<objCode>/count`` gives ``{"data": {"count": N}}`` (the official SDK's
  fixture), or in strict mode ``{"count": N}`` (the API basics page): both are documented.
  ``GET .../<objCode>/<ID>`` gives ``{"data": {...}}``.
* Strict mode (``--strict``): ASSGN has only its documented fields (no ``entryDate``,
  no ``lastUpdateDate``); a filter or sort on a field ASSGN lacks is a 422 with
  Workfront's error body.
* Auth: ``sessionID`` header (or query), or an API key as the ``apiKey`` header (as
  Adobe's client sends it) or the legacy ``apiKey`` query parameter; OAuth 2
  ``POST /integrations/oauth2/api/v1/token`` (refresh-token grant) returns a
  ``sessionID`` token. Errors ``{"error": {"class": ..., "message": ...}}``.
* Above 10 concurrent requests: HTTP 429 (an assumption: Workfront documents the
  limit, not the status code), no ``Retry-After``.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from sandbox.entity import Entity, Listing
from sandbox.formats import parse_workfront_datetime
from sandbox.server.common import ApiPolicy, Sandbox, form_or_basic, json_response, make_app

MAX_LIMIT = 2000
VERSIONS = {f"v{n}.0" for n in range(16, 22)}
OBJECTS = {
    "proj": "projects",
    "project": "projects",
    "task": "tasks",
    "hour": "hours",
    "user": "users",
    "assgn": "assignments",
    "assignment": "assignments",
}
JOURNAL = {"jrnle", "journalentry"}
#: The documented Assignment fields (``docs/reference/source_apis.md`` section 2): no dates.
ASSIGNMENT_FIELDS = frozenset(
    {
        "ID",
        "objCode",
        "taskID",
        "opTaskID",
        "projectID",
        "assignedToID",
        "assignedByID",
        "roleID",
        "teamID",
        "assignmentPercent",
        "isPrimary",
        "status",
        "work",
        "workRequired",
        "actualWorkCompleted",
        "workUnit",
    }
)
#: Query parameters that are not filters or sorts.
CONTROL_PARAMS = frozenset({"$$FIRST", "$$LIMIT", "fields", "method", "apiKey", "sessionID"})
DEFAULT_FIELDS = ("ID", "name", "objCode")


def error(status: int, cls: str, message: str) -> Response:
    """Workfront's error body."""
    return json_response({"error": {"class": cls, "message": message}}, status)


def policy(sandbox: Sandbox) -> ApiPolicy:
    """Session ids or API keys; at most 10 requests in flight."""
    creds = sandbox.world.settings.credentials

    def authenticate(request: Request) -> Response | None:
        key = request.headers.get("apikey") or request.query_params.get("apiKey")
        if key == creds.workfront_api_key:
            return None
        session = request.headers.get("sessionid") or request.query_params.get("sessionID")
        state = sandbox.tokens.check(session)
        if state == "ok":
            return None
        return error(
            401, "com.attask.common.AuthenticationException", "You are not currently logged in"
        )

    return ApiPolicy(
        "workfront",
        authenticate,
        lambda _: None,
        lambda s, c, m: error(
            s,
            "com.attask.common.TooManyRequestsException"
            if s == 429
            else "com.attask.common.InternalException",
            m,
        ),
        concurrency_limit=10,
    )


def _time_filter(query: Any, field: str) -> tuple[int | None, int | None]:
    """[since, until) bounds in epoch ms from ``<field>``, ``<field>_Mod``, ``<field>_Range``."""
    value = query.get(field)
    if value is None:
        return None, None
    mod = query.get(f"{field}_Mod", "eq")
    instant = int(parse_workfront_datetime(value).timestamp() * 1000)
    if mod == "gte":
        return instant, None
    if mod == "gt":
        return instant + 1, None
    if mod == "lt":
        return None, instant
    if mod == "lte":
        return None, instant + 1
    if mod == "between":
        upper = query.get(f"{field}_Range")
        if upper is None:
            raise ValueError(f"{field}_Mod=between needs {field}_Range")
        return instant, int(parse_workfront_datetime(upper).timestamp() * 1000) + 1
    if mod == "eq":
        return instant, instant + 1
    raise ValueError(f"unsupported modifier {field}_Mod={mod}")


def undocumented_field(name: str, query: Any) -> str | None:
    """The first field a filter or sort of ``query`` names that ``name`` lacks (ASSGN only).

    ``lastUpdateDate_Mod=gte`` names ``lastUpdateDate``, ``ID_Sort=asc`` names ``ID``;
    referenced fields (``task:lastUpdateDate``) are not checked.
    """
    if name != "assignments":
        return None
    for key in query:
        if key in CONTROL_PARAMS or ":" in key:
            continue
        field = key.rsplit("_", 1)[0] if key.endswith(("_Mod", "_Sort", "_Range")) else key
        if field not in ASSIGNMENT_FIELDS:
            return field
    return None


def project(record: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    """Apply a ``fields=`` projection to a full record."""
    if fields is None:
        return {name: record.get(name) for name in DEFAULT_FIELDS if name in record}
    out: dict[str, Any] = {"ID": record.get("ID"), "objCode": record.get("objCode")}
    custom = record.get("parameterValues") or {}
    for name in fields:
        if name == "*":
            out.update({k: v for k, v in record.items() if k != "parameterValues"})
        elif name == "parameterValues":
            out["parameterValues"] = custom
        elif name.startswith("DE:"):
            out[name] = custom.get(name)
        elif name in record:
            out[name] = record[name]
        else:
            raise KeyError(name)
    return out


def build_app(sandbox: Sandbox) -> Starlette:
    """The Workfront Starlette app."""
    world = sandbox.world
    creds = world.settings.credentials
    hours: Any = world.entity("hours")
    strict = world.settings.strict

    def refuse_undocumented(name: str | None, query: Any) -> Response | None:
        field = undocumented_field(str(name), query) if strict else None
        if field is None:
            return None
        return error(
            422,
            "com.attask.common.InvalidParameterException",
            f"{field} is not a valid field of ASSGN",
        )

    async def token(request: Request) -> Response:
        sandbox.stats.requests += 1
        params = await form_or_basic(request)
        ok_client = (params.get("client_id"), params.get("client_secret")) == (
            creds.workfront_client_id,
            creds.workfront_client_secret,
        )
        if (
            params.get("grant_type") != "refresh_token"
            or not ok_client
            or params.get("refresh_token") != creds.workfront_refresh_token
        ):
            return json_response(
                {"error": "invalid_grant", "error_description": "invalid client or refresh token"},
                400,
            )
        access_token, ttl = sandbox.tokens.issue(params["client_id"])
        return json_response(
            {
                "token_type": "sessionID",
                "access_token": access_token,
                "refresh_token": creds.workfront_refresh_token,
                "expires_in": ttl,
                "wid": "sandbox-" + secrets.token_hex(4),
            }
        )

    def resolve(request: Request) -> tuple[str | None, Response | None]:
        version = request.path_params["version"]
        if version not in VERSIONS:
            return None, error(
                404,
                "com.attask.common.NotFoundException",
                f"API version {version} is not supported",
            )
        obj = request.path_params["obj"].lower()
        if obj in JOURNAL:
            return "journal", None
        if obj not in OBJECTS:
            return None, error(
                422,
                "java.lang.IllegalArgumentException",
                f"unknown objCode {request.path_params['obj']}",
            )
        return OBJECTS[obj], None

    def parse_fields(query: Any) -> list[str] | None:
        raw = query.get("fields")
        return [f.strip() for f in raw.split(",") if f.strip()] if raw else None

    def listing_for(entity: Entity, query: Any) -> Listing:
        since, until = _time_filter(query, "lastUpdateDate")
        now = world.now_ms()
        since = since or 0
        by_update = "lastUpdateDate_Sort" in query and "ID_Sort" not in query
        key = (entity.name, "updated" if by_update else "id", since, until, now)
        if by_update:
            return sandbox.cached_listing(key, lambda: entity.updated_order(since, until, now))
        return sandbox.cached_listing(key, lambda: entity.created_order(since, until, now))

    async def search(request: Request) -> Response:
        name, failure = resolve(request)
        if failure is not None:
            return failure
        query = request.query_params
        refused = refuse_undocumented(name, query)
        if refused is not None:
            return refused
        try:
            first = int(query.get("$$FIRST", "0"))
            limit = int(query.get("$$LIMIT", "100"))
            if limit > MAX_LIMIT or limit < 1 or first < 0:
                raise ValueError(f"$$LIMIT must be between 1 and {MAX_LIMIT}")
            fields = parse_fields(query)
            if name == "journal":
                rows = journal(query)[first : first + limit]
                return json_response({"data": [project(r, fields) for r in rows]})
            entity = world.entity(str(name))
            listing = listing_for(entity, query)
            if "ID_Sort" not in query and "lastUpdateDate_Sort" not in query:
                # unsorted: pages overlap or skip rows, as Oracle's default order does
                first = max(0, first + (hash((first, limit)) % 5) - 2)
            items = listing.page(first, limit)
            rows = [project(entity.render(item), fields) for item in items]
        except KeyError as exc:
            return error(422, "java.lang.IllegalArgumentException", f"unknown field {exc}")
        except ValueError as exc:
            return error(422, "java.lang.IllegalArgumentException", str(exc))
        sandbox.stats.rows_served += len(rows)
        return json_response({"data": rows})

    def journal(query: Any) -> list[dict[str, Any]]:
        since, until = _time_filter(query, "entryDate")
        rows = sandbox.cached_listing(
            ("journal", since, until, world.now_ms()),
            lambda: hours.journal_entries(since or 0, until, world.now_ms()),
        )
        for field in ("subObjCode", "changeType"):
            if query.get(field):
                rows = [row for row in rows if row.get(field) == query[field]]
        return list(rows)

    async def count(request: Request) -> Response:
        name, failure = resolve(request)
        if failure is not None:
            return failure
        refused = refuse_undocumented(name, request.query_params)
        if refused is not None:
            return refused
        try:
            if name == "journal":
                total = len(journal(request.query_params))
            else:
                total = listing_for(world.entity(str(name)), request.query_params).total()
        except ValueError as exc:
            return error(422, "java.lang.IllegalArgumentException", str(exc))
        # both shapes are documented: the API basics page, the official SDK's fixture
        return json_response({"count": total} if strict else {"data": {"count": total}})

    async def get_one(request: Request) -> Response:
        name, failure = resolve(request)
        if failure is not None:
            return failure
        record_id = request.path_params["record_id"]
        entity = world.entity(str(name)) if name != "journal" else None
        item = entity.find(record_id, world.now_ms()) if entity is not None else None
        if entity is None or item is None:
            return error(
                404,
                "com.attask.common.NotFoundException",
                f"no {request.path_params['obj']} with ID {record_id}",
            )
        try:
            return json_response(
                {"data": project(entity.render(item), parse_fields(request.query_params))}
            )
        except KeyError as exc:
            return error(422, "java.lang.IllegalArgumentException", f"unknown field {exc}")

    base = "/attask/api/{version}/{obj}"
    routes: list[BaseRoute] = [
        Route("/integrations/oauth2/api/v1/token", token, methods=["POST"]),
        Route(base + "/search", sandbox.data_endpoint(search)),
        Route(base + "/count", sandbox.data_endpoint(count)),
        Route(base + "/{record_id}", sandbox.data_endpoint(get_one)),
    ]
    return make_app(sandbox, "workfront", routes)
