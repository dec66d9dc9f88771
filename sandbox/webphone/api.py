"""The WebPhone REST API (``docs/reference/source_apis.md`` section 3.5).

* ``POST /oauth/token``: OAuth 2.0 client credentials (form or HTTP Basic).
* ``GET /v1/{calls,agents,customers,surveys}``: keyset pagination over
  ``(updated_at, id)`` with an opaque ``cursor``; ``updated_since`` (inclusive),
  ``updated_before`` (exclusive), ``limit`` (default 100, max 1000),
  ``include_deleted=true`` adds tombstones. Body ``{"data", "next_cursor", "has_more"}``.
* ``GET /v1/{resource}/{id}``.
* 300 requests a minute per client and 15 a second (429 with ``Retry-After`` and
  ``X-RateLimit-*`` headers); errors ``{"error": {code, message, status, request_id}}``.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from sandbox.entity import UpdatedOrder
from sandbox.server.common import (
    ApiPolicy,
    Sandbox,
    SlidingWindowLimiter,
    bearer_token,
    form_or_basic,
    json_response,
    make_app,
)
from sandbox.settings import parse_instant
from sandbox.timeline import Item
from sandbox.webphone.entities import WebPhoneEntity

RESOURCES = ("calls", "agents", "customers", "surveys")
MAX_LIMIT = 1000
SCOPES = "calls:read agents:read customers:read surveys:read"


def error(status: int, code: str, message: str) -> Response:
    """WebPhone's error body."""
    return json_response(
        {
            "error": {
                "code": code,
                "message": message,
                "status": status,
                "request_id": "req_" + secrets.token_hex(8),
            }
        },
        status,
    )


def policy(sandbox: Sandbox) -> ApiPolicy:
    """Bearer tokens; 300 requests a minute and 15 a second per client."""
    per_minute = SlidingWindowLimiter(300, 60.0)
    per_second = SlidingWindowLimiter(15, 1.0)

    def authenticate(request: Request) -> Response | None:
        state = sandbox.tokens.check(bearer_token(request))
        if state == "ok":
            return None
        messages = {
            "missing": ("unauthorized", "missing bearer token"),
            "invalid": ("invalid_token", "the access token is not valid"),
            "expired": ("token_expired", "the access token has expired"),
        }
        code, message = messages[state]
        response = error(401, code, message)
        response.headers["WWW-Authenticate"] = f'Bearer error="{code}"'
        return response

    def rate_limit(request: Request) -> Response | None:
        key = bearer_token(request)
        wait = max(per_second.hit(key), per_minute.hit(key))
        if not wait:
            return None
        response = error(429, "rate_limited", "rate limit exceeded, retry later")
        response.headers["Retry-After"] = str(max(1, round(wait)))
        response.headers["X-RateLimit-Limit"] = "300"
        response.headers["X-RateLimit-Remaining"] = str(per_minute.remaining(key))
        response.headers["X-RateLimit-Reset"] = str(max(1, round(wait)))
        return response

    return ApiPolicy("webphone", authenticate, rate_limit, lambda s, c, m: error(s, c, m))


def encode_cursor(item_time_ms: int, record_id: str) -> str:
    """Opaque cursor for the key (updated_at, id) of the last row of a page."""
    return base64.urlsafe_b64encode(orjson.dumps({"u": item_time_ms, "i": record_id})).decode()


def decode_cursor(cursor: str) -> tuple[int, str]:
    """Inverse of :func:`encode_cursor`; raises ValueError when malformed."""
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        return int(payload["u"]), str(payload["i"])
    except Exception as exc:
        raise ValueError("malformed cursor") from exc


def _instant_ms(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    parsed: datetime = parse_instant(value)
    return int(parsed.timestamp() * 1000)


def build_app(sandbox: Sandbox) -> Starlette:
    """The WebPhone Starlette app."""
    world = sandbox.world
    creds = world.settings.credentials

    async def token(request: Request) -> Response:
        sandbox.stats.requests += 1
        params = await form_or_basic(request)
        if params.get("grant_type") != "client_credentials":
            return json_response({"error": "unsupported_grant_type"}, 400)
        if (params.get("client_id"), params.get("client_secret")) != (
            creds.webphone_client_id,
            creds.webphone_client_secret,
        ):
            return json_response(
                {"error": "invalid_client", "error_description": "client authentication failed"},
                400,
            )
        access_token, ttl = sandbox.tokens.issue(params["client_id"])
        return json_response(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": ttl,
                "scope": params.get("scope") or SCOPES,
            }
        )

    def entity_for(request: Request) -> WebPhoneEntity | None:
        name = request.path_params["resource"]
        if name not in RESOURCES:
            return None
        entity = world.entity(name)
        assert isinstance(entity, WebPhoneEntity)
        return entity

    async def list_resource(request: Request) -> Response:
        entity = entity_for(request)
        if entity is None:
            return error(404, "not_found", "unknown resource")
        query = request.query_params
        try:
            limit = int(query.get("limit", "100"))
            since = _instant_ms(query.get("updated_since"))
            before = _instant_ms(query.get("updated_before"))
            cursor = decode_cursor(query["cursor"]) if query.get("cursor") else None
        except ValueError as exc:
            return error(400, "invalid_parameter", str(exc))
        if not 1 <= limit <= MAX_LIMIT:
            return error(400, "invalid_parameter", f"limit must be between 1 and {MAX_LIMIT}")
        include_deleted = query.get("include_deleted", "false").lower() == "true"
        now = world.now_ms()
        since_ms = since if since is not None else 0
        listing: UpdatedOrder = sandbox.cached_listing(
            (entity.name, since_ms, before, now, include_deleted),
            lambda: entity.updated_order(since_ms, before, now, include_deleted),
        )
        key = cursor if cursor is not None else (since_ms - 1, "")
        items = listing.after_key(key[0], key[1], limit)
        has_more = bool(items) and bool(
            listing.after_key(items[-1].time_ms, entity.sort_id(items[-1]), 1)
        )
        data = [entity.render(item) for item in items]
        sandbox.stats.rows_served += len(data)
        next_cursor = _cursor_of(entity, items[-1]) if has_more else None
        return json_response({"data": data, "next_cursor": next_cursor, "has_more": has_more})

    async def get_one(request: Request) -> Response:
        entity = entity_for(request)
        if entity is None:
            return error(404, "not_found", "unknown resource")
        record_id = request.path_params["record_id"]
        item = entity.find(record_id, world.now_ms())
        if item is None:
            return error(404, "not_found", f"no {entity.name} record {record_id}")
        return json_response(entity.render(item))

    routes: list[BaseRoute] = [
        Route("/oauth/token", token, methods=["POST"]),
        Route("/v1/{resource}", sandbox.data_endpoint(list_resource)),
        Route("/v1/{resource}/{record_id}", sandbox.data_endpoint(get_one)),
    ]
    return make_app(sandbox, "webphone", routes)


def _cursor_of(entity: WebPhoneEntity, item: Item) -> str:
    return encode_cursor(item.time_ms, entity.sort_id(item))
