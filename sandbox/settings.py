"""Settings of the simulated world and of the sandbox servers.

Everything the sandbox serves is a pure function of these settings, the simulated
clock and the request: the same seed and settings give byte-identical responses.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

#: Default simulated "now": a fixed instant so that a fresh clone is reproducible.
DEFAULT_START = "2026-11-02T00:00:00Z"

#: The daily volumes of the specification, reached at ``scale=1.0``.
FULL_SCALE_DAILY = {"calls": 850_000, "media": 1_200_000, "workfront": 350_000}

DRIFT_KINDS = ("added", "renamed", "retyped")

#: Faults of the transport: the status or connection fails (retried by any HTTP client).
TRANSPORT_FAULTS = ("429", "500", "503", "reset", "timeout")

#: Faults of the payload: HTTP 200 with a body a loader must not take at face value.
#: ``malformed_json`` (not JSON at all: a proxy's HTML page), ``truncated`` (the body
#: cut short with a matching Content-Length, so the transport sees nothing wrong),
#: ``empty_page`` (a list page with its rows removed although the listing has rows
#: there) and ``out_of_order`` (a list page's rows shuffled).
PAYLOAD_FAULTS = ("malformed_json", "truncated", "empty_page", "out_of_order")

#: Faults a client must not retry: the API refuses the request (HTTP 400, 404). Never
#: drawn by default; a test asks for them, e.g. on one endpoint (``Faults.paths``).
CLIENT_ERROR_FAULTS = ("400", "404")

FAULT_KINDS = TRANSPORT_FAULTS + PAYLOAD_FAULTS + CLIENT_ERROR_FAULTS

#: Entities an outage (``--outage``) silences: the telephony platform logs no calls.
OUTAGE_ENTITIES = ("calls",)


def parse_instant(value: str | datetime) -> datetime:
    """Parse an ISO 8601 instant (``Z`` or offset) into an aware UTC datetime."""
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


@dataclass(frozen=True)
class Credentials:
    """Credentials the sandbox accepts; obviously fake, for loopback use only."""

    webphone_client_id: str = "webphone-sandbox-client"
    webphone_client_secret: str = "webphone-sandbox-secret"  # pragma: allowlist secret
    bynder_client_id: str = "bynder-sandbox-client"
    bynder_client_secret: str = "bynder-sandbox-secret"  # pragma: allowlist secret
    workfront_client_id: str = "workfront-sandbox-client"
    workfront_client_secret: str = "workfront-sandbox-secret"  # pragma: allowlist secret
    workfront_refresh_token: str = "workfront-sandbox-refresh"  # pragma: allowlist secret
    workfront_api_key: str = "workfront-sandbox-api-key"  # pragma: allowlist secret


@dataclass(frozen=True)
class Faults:
    """Faults injected into data requests (never into token requests).

    ``rate`` is the share of data requests that get a fault; the fault kind is drawn
    from ``kinds`` (see :data:`FAULT_KINDS`). ``slow_rate`` adds ``slow_seconds`` of
    latency to a share of requests. Rate limits (HTTP 429 with ``Retry-After``) are
    separate: they follow each real API's documented limits when ``rate_limits`` is on.
    ``paths`` limits the faults to the data endpoints whose path starts with one of
    these prefixes (``/attask/api/v19.0/hour/search``: one endpoint fails, the others
    answer); empty, every data endpoint.
    A running sandbox changes these on ``POST /_sandbox/faults`` (``sandbox faults``).
    """

    rate: float = 0.0
    kinds: tuple[str, ...] = TRANSPORT_FAULTS
    slow_rate: float = 0.0
    slow_seconds: float = 1.5
    timeout_seconds: float = 30.0
    rate_limits: bool = True
    seed: int = 7
    paths: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.rate <= 1 or not 0 <= self.slow_rate <= 1:
            raise ValueError("fault rates must be between 0 and 1")
        unknown = set(self.kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; use {FAULT_KINDS}")
        if self.rate and not self.kinds:
            raise ValueError("a fault rate needs at least one fault kind")
        if any(not path.startswith("/") for path in self.paths):
            raise ValueError("fault paths are URL paths starting with '/'")


@dataclass(frozen=True)
class SandboxSettings:
    """The knobs of the simulated world.

    Attributes:
        seed: Seed of every random choice; same seed and settings, same data.
        scale: Fraction of the specification's daily volumes (1.0 = 850,000 calls,
            1,200,000 asset metadata entries and 350,000 Workfront records a day).
        history_days: Whole days of history before the start instant.
        start: The simulated clock's initial value (ISO 8601, UTC).
        defect_rate: Share of records that carry one injected data defect.
        drift: Schema drift scenarios switched on (``added``, ``renamed``, ``retyped``);
            they apply to record versions stamped at or after ``drift_at``.
        drift_at: Instant from which drift applies (default: ``start``).
        outage: ``START/END`` (ISO 8601 instants): no call is created in that window,
            so that day's call volume collapses (a seeded fault for anomaly monitoring).
        token_ttl: Lifetime of issued access tokens in seconds.
        strict: Answer only as the vendors' public documentation promises, with no
            convenience this sandbox adds beyond it (``--strict``). The loaders'
            tests run against both modes.
        faults: Transport fault injection.
        credentials: The credentials the sandbox accepts.

    """

    seed: int = 42
    scale: float = 0.001
    history_days: int = 7
    start: str = DEFAULT_START
    defect_rate: float = 1e-4
    drift: tuple[str, ...] = ()
    drift_at: str | None = None
    outage: str | None = None
    token_ttl: int = 3600
    strict: bool = False
    faults: Faults = field(default_factory=Faults)
    credentials: Credentials = field(default_factory=Credentials)

    def __post_init__(self) -> None:
        if self.scale <= 0:
            raise ValueError("scale must be positive")
        if self.history_days < 0:
            raise ValueError("history_days must be >= 0")
        if not 0 <= self.defect_rate <= 0.5:
            raise ValueError("defect_rate must be between 0 and 0.5")
        unknown = set(self.drift) - set(DRIFT_KINDS)
        if unknown:
            raise ValueError(f"unknown drift kinds {sorted(unknown)}; use {DRIFT_KINDS}")
        parse_instant(self.start)
        window = self.outage_window_ms
        if window is not None and window[0] >= window[1]:
            raise ValueError("outage: START must be before END")

    @property
    def start_at(self) -> datetime:
        """The clock's initial value as a datetime."""
        return parse_instant(self.start)

    @property
    def drift_at_ms(self) -> int:
        """Epoch milliseconds from which schema drift applies."""
        return int(parse_instant(self.drift_at or self.start).timestamp() * 1000)

    @property
    def outage_window_ms(self) -> tuple[int, int] | None:
        """The outage as ``(start, end)`` epoch milliseconds, if one is set."""
        if not self.outage:
            return None
        start, sep, end = self.outage.partition("/")
        if not sep:
            raise ValueError("outage must be START/END (two ISO 8601 instants)")
        return (
            int(parse_instant(start).timestamp() * 1000),
            int(parse_instant(end).timestamp() * 1000),
        )

    def to_json(self) -> str:
        """Serialise for a child process."""
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> SandboxSettings:
        """Inverse of :meth:`to_json`."""
        raw: dict[str, Any] = json.loads(text)
        faults = raw.get("faults", {})
        raw["faults"] = Faults(
            **{
                **faults,
                "kinds": tuple(faults.get("kinds", Faults.kinds)),
                "paths": tuple(faults.get("paths", ())),
            }
        )
        raw["credentials"] = Credentials(**raw.get("credentials", {}))
        raw["drift"] = tuple(raw.get("drift", ()))
        return cls(**raw)
