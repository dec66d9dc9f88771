"""What the three sandbox APIs share: JSON responses, tokens, limits, faults, admin.

Each API module builds a Starlette app with :func:`make_app`, giving its own routes
and an :class:`ApiPolicy` (how it authenticates, rate-limits and shapes errors).
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from sandbox.settings import CLIENT_ERROR_FAULTS, PAYLOAD_FAULTS, Faults
from sandbox.world import World

Handler = Callable[[Request], Awaitable[Response]]


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A JSON response encoded with orjson (stable key order, fast)."""
    return Response(
        orjson.dumps(payload), status_code=status, headers=headers, media_type="application/json"
    )


class TruncatedResponse(Response):
    """Announces the full body length but sends half of it: a broken connection."""

    def __init__(self, body: bytes) -> None:
        super().__init__(body, media_type="application/json")
        self._full = body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the headers and half the body, then stop."""
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        await send(
            {
                "type": "http.response.body",
                "body": self._full[: len(self._full) // 2],
                "more_body": False,
            }
        )


# ----------------------------------------------------------------------- tokens
@dataclass
class TokenStore:
    """Access tokens issued by an API's token endpoint (real wall-clock expiry)."""

    ttl_seconds: int
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    issued: int = 0

    def issue(self, client_id: str) -> tuple[str, int]:
        """A new token for ``client_id`` and its lifetime in seconds."""
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = (client_id, time.time() + self.ttl_seconds)
            self.issued += 1
        return token, self.ttl_seconds

    def check(self, token: str | None) -> str:
        """``ok``, ``missing``, ``invalid`` or ``expired``."""
        if not token:
            return "missing"
        found = self.tokens.get(token)
        if found is None:
            return "invalid"
        return "expired" if time.time() >= found[1] else "ok"

    def expire_all(self) -> int:
        """Make every issued token expired (to exercise the loaders' token refresh)."""
        with self.lock:
            for token, (client, _) in list(self.tokens.items()):
                self.tokens[token] = (client, 0.0)
            return len(self.tokens)


# ------------------------------------------------------------------ rate limits
class SlidingWindowLimiter:
    """At most ``limit`` requests per ``window`` seconds per key."""

    def __init__(self, limit: int, window: float) -> None:
        """Create the limiter."""
        self.limit = limit
        self.window = window
        self._hits: dict[Hashable, deque[float]] = {}

    def hit(self, key: Hashable) -> float:
        """Record a request; return 0 if allowed, else seconds until one is allowed."""
        now = time.monotonic()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        return 0.0

    def remaining(self, key: Hashable) -> int:
        """Requests left in the current window."""
        return max(0, self.limit - len(self._hits.get(key, ())))


@dataclass
class Stats:
    """Counters an API exposes on ``/_sandbox/stats`` (for soak and fault tests)."""

    requests: int = 0
    data_requests: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    rate_limited: int = 0
    unauthorized: int = 0
    rows_served: int = 0

    def fault(self, kind: str) -> None:
        """Count one injected fault."""
        self.faults[kind] = self.faults.get(kind, 0) + 1


@dataclass
class ApiPolicy:
    """How one API authenticates, limits and reports errors.

    Attributes:
        system: ``webphone``, ``bynder`` or ``workfront``.
        authenticate: Returns None when the request may proceed, else an error response.
        rate_limit: Returns None, or a 429 response when the caller is over its limit.
        error: Builds the API's own error body for a status and message.
        concurrency_limit: Maximum requests in flight (Workfront), 0 for none.

    """

    system: str
    authenticate: Callable[[Request], Response | None]
    rate_limit: Callable[[Request], Response | None]
    error: Callable[[int, str, str], Response]
    concurrency_limit: int = 0


class Sandbox:
    """State one API process keeps besides the world: tokens, limits, faults, caches."""

    def __init__(self, world: World, policy_factory: Callable[[Sandbox], ApiPolicy]) -> None:
        """Bind the API to its world."""
        self.world = world
        settings = world.settings
        self.tokens = TokenStore(settings.token_ttl)
        self.stats = Stats()
        self.faults = settings.faults
        self._fault_rng = random.Random(settings.faults.seed)
        self.in_flight = 0
        self.listings: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.policy = policy_factory(self)

    def cached_listing(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """A listing object kept across the pages of one scan."""
        found = self.listings.get(key)
        if found is None:
            found = build()
            self.listings[key] = found
            if len(self.listings) > 64:
                self.listings.popitem(last=False)
        else:
            self.listings.move_to_end(key)
        return found

    def data_endpoint(self, handler: Handler) -> Handler:
        """Wrap a data handler with auth, limits, fault injection and counting."""

        async def wrapped(request: Request) -> Response:
            self.stats.requests += 1
            self.stats.data_requests += 1
            denied = self.policy.authenticate(request)
            if denied is not None:
                self.stats.unauthorized += 1
                return denied
            if self.faults.rate_limits:
                limited = self.policy.rate_limit(request)
                if limited is not None:
                    self.stats.rate_limited += 1
                    return limited
            limit = self.policy.concurrency_limit
            if self.faults.rate_limits and limit and self.in_flight >= limit:
                self.stats.rate_limited += 1
                return self.policy.error(429, "TooManyRequests", "too many concurrent requests")
            self.in_flight += 1
            try:
                return await self._serve(handler, request)
            finally:
                self.in_flight -= 1

        return wrapped

    async def _serve(self, handler: Handler, request: Request) -> Response:
        paths = self.faults.paths
        if paths and not request.url.path.startswith(paths):
            return await handler(request)  # faults apply to other endpoints only
        rng = self._fault_rng
        if self.faults.slow_rate and rng.random() < self.faults.slow_rate:
            self.stats.fault("slow")
            await asyncio.sleep(self.faults.slow_seconds)
        kind = None
        if self.faults.rate and rng.random() < self.faults.rate:
            kind = rng.choice(self.faults.kinds)
        if kind == "429":
            self.stats.fault(kind)
            response = self.policy.error(429, "rate_limited", "injected rate limit")
            response.headers["Retry-After"] = "1"
            return response
        if kind in ("500", "503"):
            self.stats.fault(kind)
            return self.policy.error(int(kind), "server_error", "injected server error")
        if kind in CLIENT_ERROR_FAULTS:
            self.stats.fault(kind)
            return self.policy.error(int(kind), "bad_request", "injected client error")
        if kind == "timeout":
            self.stats.fault(kind)
            await asyncio.sleep(self.faults.timeout_seconds)
            return self.policy.error(504, "gateway_timeout", "injected timeout")
        response = await handler(request)
        if kind == "reset" and response.status_code == 200:
            self.stats.fault(kind)
            return TruncatedResponse(bytes(response.body))
        if kind in PAYLOAD_FAULTS and response.status_code == 200:
            body = payload_fault(kind, bytes(response.body), rng)
            if body is not None:
                self.stats.fault(kind)
                return Response(body, media_type="application/json")
        return response

    def set_faults(self, changes: dict[str, Any]) -> Faults:
        """Change the fault settings of this running API (``POST /_sandbox/faults``)."""
        for name in ("kinds", "paths"):
            if name in changes:
                changes = {**changes, name: tuple(changes[name])}
        self.faults = dataclasses.replace(self.faults, **changes)
        return self.faults


#: A proxy's error page served as HTTP 200 ``application/json`` (``malformed_json``).
MALFORMED_BODY = b"<html><body><h1>502 Bad Gateway</h1>upstream connect error</body></html>"


def _page_rows(payload: Any) -> list[Any] | None:
    """The list of records in a list page: a bare array, ``data``, or a ``total`` wrapper."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        if isinstance(payload.get("data"), list):
            return payload["data"]
        if "total" in payload:
            return next((v for v in payload.values() if isinstance(v, list)), None)
    return None


def payload_fault(kind: str, body: bytes, rng: random.Random) -> bytes | None:
    """The body of an HTTP 200 spoiled by payload fault ``kind``; None if it cannot apply.

    ``malformed_json`` and ``truncated`` apply to any body; ``empty_page`` only to a
    list page that has rows, ``out_of_order`` only to one with two rows or more.
    """
    if kind == "malformed_json":
        return MALFORMED_BODY
    if kind == "truncated":
        return body[: len(body) // 2]
    payload = orjson.loads(body)
    rows = _page_rows(payload)
    if kind == "empty_page" and rows:
        rows.clear()
        return orjson.dumps(payload)
    if kind == "out_of_order" and rows is not None and len(rows) > 1:
        original = list(rows)
        rng.shuffle(rows)
        if rows == original:
            rows.append(rows.pop(0))
        return orjson.dumps(payload) if rows != original else None
    return None


def admin_routes(sandbox: Sandbox, system: str) -> list[BaseRoute]:
    """``/_sandbox/*``: clock, ground truth, counters, faults and secrets, for tests and the CLI.

    ``/_sandbox/secrets`` lists the credentials the API accepts and the tokens it issued.
    """
    world = sandbox.world

    async def health(_: Request) -> Response:
        return json_response({"system": system, "status": "ok", "now_ms": world.now_ms()})

    async def clock(request: Request) -> Response:
        if request.method == "POST":
            body = orjson.loads(await request.body() or b"{}")
            setter = getattr(world, "shared_clock_set", None)
            target = world.now_ms() + int(float(body.get("advance_seconds", 0)) * 1000)
            if "set_ms" in body:
                target = int(body["set_ms"])
            if setter is not None:
                setter(target)
            else:
                world.set_now_ms(target)
            sandbox.listings.clear()
        return json_response({"now_ms": world.now_ms()})

    async def manifest(request: Request) -> Response:
        at = request.query_params.get("at_ms")
        rows = [row for row in world.manifest(int(at) if at else None) if row["system"] == system]
        return json_response(rows)

    async def expected(request: Request) -> Response:
        name = request.path_params["entity"]
        if world.entity(name).spec.system != system:
            return json_response({"error": f"{name} is not a {system} entity"}, 404)
        at = request.query_params.get("at_ms")
        return json_response(world.expected_ids(name, int(at) if at else None))

    async def expire(_: Request) -> Response:
        return json_response({"expired": sandbox.tokens.expire_all()})

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            try:
                changes = orjson.loads(await request.body() or b"{}")
                sandbox.set_faults(dict(changes))
            except (TypeError, ValueError) as exc:
                return json_response({"error": str(exc)}, 400)
        return json_response(dataclasses.asdict(sandbox.faults))

    async def stats(_: Request) -> Response:
        return json_response({**sandbox.stats.__dict__, "tokens_issued": sandbox.tokens.issued})

    async def secrets_(_: Request) -> Response:
        # what a leak test searches for: the credentials this API accepts, and every
        # access token or session id it issued (expired ones included)
        prefix = f"{system}_"
        accepted = {
            name: value
            for name, value in dataclasses.asdict(world.settings.credentials).items()
            if name.startswith(prefix)
        }
        with sandbox.tokens.lock:
            issued = sorted(sandbox.tokens.tokens)
        return json_response({"credentials": accepted, "issued_tokens": issued})

    return [
        Route("/_sandbox/health", health),
        Route("/_sandbox/clock", clock, methods=["GET", "POST"]),
        Route("/_sandbox/manifest", manifest),
        Route("/_sandbox/expected/{entity}", expected),
        Route("/_sandbox/tokens/expire", expire, methods=["POST"]),
        Route("/_sandbox/stats", stats),
        Route("/_sandbox/faults", faults, methods=["GET", "POST"]),
        Route("/_sandbox/secrets", secrets_),
    ]


def make_app(sandbox: Sandbox, system: str, routes: list[BaseRoute]) -> Starlette:
    """The Starlette app of one API: its routes plus the admin routes."""
    return Starlette(routes=[*routes, *admin_routes(sandbox, system)])


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


async def form_or_basic(request: Request) -> dict[str, str]:
    """Token-request parameters from a form body, with HTTP Basic client credentials."""
    form = await request.form()
    params = {k: str(v) for k, v in form.items()}
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        import base64

        decoded = base64.b64decode(header[6:]).decode()
        client_id, _, secret = decoded.partition(":")
        params.setdefault("client_id", client_id)
        params.setdefault("client_secret", secret)
    return params
