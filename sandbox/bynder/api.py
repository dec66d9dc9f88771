"""The Bynder REST API (``docs/reference/source_apis.md`` section 1).

* ``POST /v6/authentication/oauth2/token``: OAuth 2.0 client credentials.
* ``GET /api/v4/media/``: ``page`` (1-based) and ``limit`` (default 50, max 1000),
  a bare JSON array that ends on a short or empty page; ``total=1`` wraps it as
  ``{"total": {"count": N}, "media": [...]}``; filters ``dateModified`` /
  ``dateModifiedTo`` (and ``dateCreated`` / ``dateCreatedTo``); ``orderBy`` of
  ``dateModified asc`` or ``dateCreated asc`` (the sandbox default).
* ``GET /api/v4/media/{id}/``, ``GET /api/v4/metaproperties/`` (object keyed by name).
* ``GET /api/media/usage/`` (no ``/v4``): by ``asset_id`` as documented (every usage
  of the asset, one bare array), and, as a sandbox assumption, a bulk listing with
  ``page``/``limit``/``since``/``until``.
* ``GET /api/workflow/campaigns/``; ``GET /api/v4/media/deleted/``: the "recently
  removed" list (last 30 days; the real path is unverified).
* ``total=1`` (documented for media) is accepted by every paged listing here, as a
  sandbox assumption: ``{"total": {"count": N}, "<listing>": [...]}``.
* 15 requests a second per IP, then HTTP 429 with ``Retry-After: 1``.

Sandbox choice: the ``dateModified`` filter is inclusive (``>=``) at second
precision, so a loader's cursor never skips an asset stamped in the same second.

Strict mode (``SandboxSettings.strict``) answers only as Bynder documents: no bulk
usage listing (HTTP 400 without ``asset_id``), ``total=1`` honoured for media only,
HTTP 404 on the removed-media path, ``dateModified`` exclusive ("modified after" the
given second), and the link metaproperties (``WorkfrontProjectID``, ``Campaign``) as
single selects, whose values Bynder sends as arrays of option names. Select
metaproperties are arrays in both modes, as documented.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from sandbox.bynder.catalog import metaproperties_payload
from sandbox.entity import Entity, Listing
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

MAX_LIMIT = 1000


def error(status: int, code: str, message: str) -> Response:
    """Bynder's error body (``message`` and ``statuscode``; shape assumed)."""
    return json_response({"message": message, "statuscode": status, "error": code}, status)


def policy(sandbox: Sandbox) -> ApiPolicy:
    """Bearer tokens; 15 requests a second per IP."""
    per_second = SlidingWindowLimiter(15, 1.0)

    def authenticate(request: Request) -> Response | None:
        state = sandbox.tokens.check(bearer_token(request))
        if state == "ok":
            return None
        text = {
            "missing": "Authorization header is missing",
            "invalid": "The access token provided is invalid",
            "expired": "The access token provided has expired",
        }[state]
        return error(401, "invalid_token" if state != "missing" else "unauthorized", text)

    def rate_limit(request: Request) -> Response | None:
        client = request.client.host if request.client else "?"
        if not per_second.hit(client):
            return None
        response = error(429, "too_many_requests", "Rate limit exceeded: 15 requests per second")
        response.headers["Retry-After"] = "1"
        return response

    return ApiPolicy("bynder", authenticate, rate_limit, error)


def _ms(value: str | None) -> int | None:
    if not value:
        return None
    return int(parse_instant(value).timestamp() * 1000)


def _wants_total(request: Request) -> bool:
    """``total=1``: wrap the page with the listing's record count."""
    return request.query_params.get("total") in ("1", "true")


def _after_second(value: str | None) -> int | None:
    """Strict ``dateModified``: "modified after" the given time, at second precision.

    Asset times render in whole seconds, so the first instant listed is the next second.
    """
    ms = _ms(value)
    if ms is None:
        return None
    return (ms // 1000 + 1) * 1000


def _paging(request: Request, default_limit: int = 50) -> tuple[int, int]:
    query = request.query_params
    page = int(query.get("page", "1"))
    limit = int(query.get("limit", str(default_limit)))
    if page < 1:
        raise ValueError("page must be 1 or more")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    return (page - 1) * limit, limit


def build_app(sandbox: Sandbox) -> Starlette:
    """The Bynder Starlette app."""
    world = sandbox.world
    creds = world.settings.credentials
    strict = world.settings.strict
    media: Any = world.entity("media")
    usage: Entity = world.entity("usage")
    campaigns: Entity = world.entity("campaigns")

    async def token(request: Request) -> Response:
        sandbox.stats.requests += 1
        params = await form_or_basic(request)
        if params.get("grant_type") != "client_credentials":
            return json_response({"error": "unsupported_grant_type"}, 400)
        if (params.get("client_id"), params.get("client_secret")) != (
            creds.bynder_client_id,
            creds.bynder_client_secret,
        ):
            return json_response(
                {"error": "invalid_client", "error_description": "Client authentication failed"},
                401,
            )
        access_token, ttl = sandbox.tokens.issue(params["client_id"])
        return json_response(
            {
                "access_token": access_token,
                "expires_in": ttl,
                "token_type": "bearer",
                "scope": params.get("scope", ""),
            }
        )

    def listing_page(
        entity: Entity, listing: Listing, offset: int, limit: int, render: Any = None
    ) -> list[dict[str, Any]]:
        render = render or entity.render
        rows = [render(item) for item in listing.page(offset, limit)]
        sandbox.stats.rows_served += len(rows)
        return rows

    async def list_media(request: Request) -> Response:
        query = request.query_params
        try:
            offset, limit = _paging(request)
            modified_from = (_after_second if strict else _ms)(query.get("dateModified"))
            modified_to = _ms(query.get("dateModifiedTo"))
            created_from = _ms(query.get("dateCreated"))
        except ValueError as exc:
            return error(400, "invalid_parameter", str(exc))
        order = query.get("orderBy", "dateCreated asc")
        if order not in ("dateModified asc", "dateCreated asc"):
            return error(400, "invalid_parameter", f"orderBy {order!r} is not supported here")
        now = world.now_ms()
        since = modified_from if modified_from is not None else 0
        if created_from is not None:
            since = max(since, created_from)
        key = ("media", order, since, modified_to, now)
        if order == "dateModified asc":
            listing = sandbox.cached_listing(
                key, lambda: media.updated_order(since, modified_to, now)
            )
        else:
            listing = sandbox.cached_listing(
                key, lambda: media.created_order(since, modified_to, now)
            )
        rows = listing_page(media, listing, offset, limit)
        if _wants_total(request):
            return json_response({"total": {"count": listing.total()}, "media": rows})
        return json_response(rows)

    async def get_media(request: Request) -> Response:
        record_id = request.path_params["media_id"]
        item = media.find(record_id, world.now_ms())
        if item is None:
            return error(404, "not_found", f"Media {record_id} not found")
        return json_response(media.render(item))

    async def list_metaproperties(_: Request) -> Response:
        renamed = world.drift_active("renamed", world.now_ms())
        return json_response(metaproperties_payload(renamed, strict))

    def usage_of(asset_id: str, since: int, until: int | None, now: int) -> list[Item]:
        """Usage items of one asset in the window, in listing order (indexed per window)."""
        index: dict[str, list[Item]] = sandbox.cached_listing(
            ("usage_by_asset", since, until, now), lambda: usage_index(since, until, now)
        )
        return index.get(asset_id, [])

    def usage_index(since: int, until: int | None, now: int) -> dict[str, list[Item]]:
        listing = usage.updated_order(since, until, now)
        index: dict[str, list[Item]] = {}
        for i in range(listing.n_chunks):
            for item in listing.chunk(i):
                asset_id = usage.render(item)["asset_id"]
                index.setdefault(asset_id, []).append(item)
        return index

    async def list_usage(request: Request) -> Response:
        query = request.query_params
        asset_id = query.get("asset_id")
        if strict and not asset_id:
            return error(400, "invalid_parameter", "asset_id is required")
        try:
            offset, limit = _paging(request, default_limit=100)
            since = _ms(query.get("since")) or 0
            until = _ms(query.get("until"))
        except ValueError as exc:
            return error(400, "invalid_parameter", str(exc))
        now = world.now_ms()
        if asset_id:
            items = usage_of(asset_id, since, until, now)
            if not strict:  # the documented lookup is not paged
                items = items[offset : offset + limit]
            rows = [usage.render(item) for item in items]
            sandbox.stats.rows_served += len(rows)
            return json_response(rows)
        listing = sandbox.cached_listing(
            ("usage", since, until, now), lambda: usage.updated_order(since, until, now)
        )
        if _wants_total(request):
            rows = listing_page(usage, listing, offset, limit)
            return json_response({"total": {"count": listing.total()}, "usage": rows})
        return json_response(listing_page(usage, listing, offset, limit))

    async def list_campaigns(request: Request) -> Response:
        try:
            offset, limit = _paging(request, default_limit=100)
        except ValueError as exc:
            return error(400, "invalid_parameter", str(exc))
        now = world.now_ms()
        listing = sandbox.cached_listing(
            ("campaigns", now), lambda: campaigns.created_order(0, None, now)
        )
        rows = listing_page(campaigns, listing, offset, limit)
        if _wants_total(request) and not strict:
            return json_response({"total": {"count": listing.total()}, "campaigns": rows})
        return json_response(rows)

    async def list_removed(request: Request) -> Response:
        if strict:  # the real path is undocumented: a portal may not offer it
            return error(404, "not_found", "Not found")
        query = request.query_params
        try:
            offset, limit = _paging(request, default_limit=100)
            since = _ms(query.get("dateRemoved")) or 0
            until = _ms(query.get("dateRemovedTo"))
        except ValueError as exc:
            return error(400, "invalid_parameter", str(exc))
        now = world.now_ms()
        items: list[Item] = sandbox.cached_listing(
            ("removed", since, now), lambda: media.removed_listing(since, now)
        )
        if until is not None:
            items = [item for item in items if item.time_ms < until]
        rows = [media.render_removed(item) for item in items[offset : offset + limit]]
        sandbox.stats.rows_served += len(rows)
        if _wants_total(request) and not strict:
            return json_response({"total": {"count": len(items)}, "media": rows})
        return json_response(rows)

    routes: list[BaseRoute] = [
        Route("/v6/authentication/oauth2/token", token, methods=["POST"]),
        Route("/api/v4/media/", sandbox.data_endpoint(list_media)),
        Route("/api/v4/media/deleted/", sandbox.data_endpoint(list_removed)),
        Route("/api/v4/media/{media_id}/", sandbox.data_endpoint(get_media)),
        Route("/api/v4/metaproperties/", sandbox.data_endpoint(list_metaproperties)),
        Route("/api/media/usage/", sandbox.data_endpoint(list_usage)),
        Route("/api/workflow/campaigns/", sandbox.data_endpoint(list_campaigns)),
    ]
    return make_app(sandbox, "bynder", routes)
