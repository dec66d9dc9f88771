"""Checks on every page a loader accepts, and the HTTP session that retries bad pages.

An HTTP 200 is not always a good page. Two kinds of bad answer are caught here,
before dlt reads the page, and both are treated as transient, like a 503:

* **Malformed**: the body is not JSON (a proxy's error page, or a body cut short with a
  matching ``Content-Length``, which the transport cannot notice). Without this check
  dlt fails on the first such page with a bare ``JSONDecodeError``.
* **Incomplete**: a list page came back empty although the listing has rows there.
  dlt's paginators take an empty page as the end of the listing, so without this
  check the rest of the listing would be skipped without a word. Each API says in
  its own way whether an empty page is the true end:

  - WebPhone: ``has_more`` must be false, a continuation page (``cursor``) is never
    empty, and an empty first page is read a second time (``limit=1``) to confirm.
  - Bynder: the listing's count (``total=1``) must not exceed the rows before it.
    Bynder documents the count for media only; another listing's empty page is
    confirmed only if the portal answers with a count, else it ends the listing (as
    a short page does: :class:`ShortPagePaginator`).
  - Workfront: the listing's ``/count`` with the same filters must not exceed
    ``$$FIRST``.

  The confirming request is authenticated by the resource's own auth object, as its
  pages are, never with a copy of the page's headers: a token that expired since the
  page (a slow page, a retry's backoff) is renewed first, or on an HTTP 401.

The request is retried with dlt's backoff (``RUNTIME__REQUEST_MAX_ATTEMPTS`` and
friends). When the bad answers persist, the load fails with :class:`BadPage` naming
the URL; nothing of that extract is committed, so the next run resumes from the last
committed cursor. Rows that arrive out of order within a page need nothing: no
cursor here assumes a row order (``row_order`` is never set), cursors take the
maximum of all rows, and merges keep the latest version of a key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
import requests
from dlt.common import logger
from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator
from requests.auth import AuthBase

#: Query parameters whose values never appear in a message or a log line.
SENSITIVE_PARAMS = frozenset({"apikey", "sessionid", "access_token", "token", "client_secret"})

PageCheck = Callable[[requests.Response], None]
EmptyCheck = Callable[[requests.Response, dict[str, str], AuthBase | None], None]


class BadPage(requests.RequestException):
    """An HTTP 200 whose body cannot be taken as the page it claims to be."""

    def __init__(self, url: str, reason: str) -> None:
        """Describe the bad page at ``url`` (sensitive query values are redacted)."""
        self.url = safe_url(url)
        self.reason = reason
        super().__init__(f"{reason} ({self.url})")


class MalformedPage(BadPage):
    """The body is not valid JSON: malformed, or truncated in transit."""


class IncompletePage(BadPage):
    """An empty list page where the API says the listing has rows."""


def safe_url(url: str) -> str:
    """``url`` with the values of credential-like query parameters redacted."""
    parts = urlsplit(url)
    query = [
        (key, "***" if key.lower() in SENSITIVE_PARAMS else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe="$:,*")))


def is_bad_page(response: requests.Response | None, exception: BaseException | None) -> bool:
    """Retry predicate for dlt's HTTP client: bad pages are transient."""
    return isinstance(exception, BadPage)


def retrying_session() -> requests.Session:
    """A dlt HTTP session that retries bad pages as it retries 429, 5xx and resets.

    Retry counts and backoff come from dlt's runtime configuration, as they do for
    dlt's default session (``RUNTIME__REQUEST_MAX_ATTEMPTS``, ...).
    """
    from dlt.sources.helpers.requests import Client

    session: requests.Session = Client(raise_for_status=False, retry_condition=is_bad_page).session
    return session


class ShortPagePaginator(PageNumberPaginator):
    """1-based ``page`` numbers; a page shorter than ``limit`` (or empty) ends the listing.

    How Bynder documents the end of a listing (no next link, no count unless asked):
    the page after a short one is never requested.
    """

    def __init__(self, limit: int) -> None:
        """Page through a listing requested with ``limit`` rows a page."""
        super().__init__(base_page=1, page_param="page", total_path=None)
        self.limit = limit

    def update_state(self, response: requests.Response, data: list[Any] | None = None) -> None:
        """Stop after a short page; otherwise as dlt's page-number paginator."""
        super().update_state(response, data)
        if data is not None and len(data) < self.limit:
            self._has_next_page = False


def page_check(empty_check: EmptyCheck | None = None, auth: AuthBase | None = None) -> PageCheck:
    """A dlt ``response_actions`` hook: raise :class:`BadPage` on a bad HTTP 200.

    Args:
        empty_check: The API's own test of an empty list page; it raises
            :class:`IncompletePage` when the listing has rows there.
        auth: The resource's auth object (its client's ``auth``), which authenticates
            the request confirming an empty page: it renews an expired token as it
            does for the resource's own requests.

    """

    def check(response: requests.Response) -> None:
        if response.status_code != 200:
            return  # dlt's own status handling applies
        try:
            payload = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise _logged(MalformedPage(response.url, "the body is not valid JSON")) from None
        _keep_parsed(response, payload)
        rows = _rows(payload)
        if empty_check is not None and rows is not None and not rows:
            try:
                empty_check(response, dict(parse_qsl(urlsplit(response.url).query)), auth)
            except BadPage as exc:
                raise _logged(exc) from None

    return check


def _keep_parsed(response: requests.Response, payload: Any) -> None:
    """Let ``response.json()`` return ``payload``, the body this check parsed.

    dlt's client reads each page with ``response.json()``, which parses the body a
    second time, with simplejson (about 6 % of a Bynder extract's time under cProfile,
    issue 15). A body orjson accepted parses to the same values.
    """

    def parsed(**kwargs: Any) -> Any:
        return payload

    response.json = parsed  # type: ignore[method-assign]


def _logged(exc: BadPage) -> BadPage:
    logger.warning(f"bad page, retrying: {exc}")
    return exc


def _rows(payload: Any) -> list[Any] | None:
    """The records of a list page (a bare array or ``data``); None for other bodies."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict) and isinstance(payload.get("data"), list):
        return payload["data"]
    return None


def _read_again(response: requests.Response, url: str, auth: AuthBase | None) -> Any:
    """GET ``url`` authenticated by ``auth``, the resource's own; the parsed body.

    Not with a copy of the page's headers: the token they carry may have expired since
    the page was read, and would be refused (HTTP 401). The resource's auth renews
    it, as it does for the resource's requests (:mod:`loaders.auth`).
    Any failure means the empty page could not be confirmed: :class:`IncompletePage`.
    """
    from dlt.sources.helpers.requests import Client

    try:
        answer = Client(raise_for_status=True).session.get(url, auth=auth)
        return orjson.loads(answer.content)
    except (requests.RequestException, orjson.JSONDecodeError) as exc:
        raise IncompletePage(response.url, f"could not confirm an empty page ({exc})") from None


def _with_query(url: str, drop: set[str], add: dict[str, Any]) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in drop]
    query += [(k, str(v)) for k, v in add.items()]
    return urlunsplit(parts._replace(query=urlencode(query, safe="$:,*")))


# ------------------------------------------------------------ per-API empty checks
def webphone_empty_check(
    response: requests.Response, query: dict[str, str], auth: AuthBase | None
) -> None:
    """WebPhone keyset pages: an empty page is the end only if nothing follows it."""
    body = orjson.loads(response.content)
    if body.get("has_more"):
        raise IncompletePage(response.url, "an empty page says has_more=true")
    if query.get("cursor"):
        raise IncompletePage(response.url, "an empty continuation page")
    again = _read_again(response, _with_query(response.url, {"limit"}, {"limit": 1}), auth)
    if again.get("data") or again.get("has_more"):
        raise IncompletePage(response.url, "an empty first page of a listing that has rows")


def bynder_empty_check(
    response: requests.Response, query: dict[str, str], auth: AuthBase | None
) -> None:
    """Bynder media pages: an empty page is the end only if the count says so.

    ``total=1`` is documented for ``/api/v4/media/``: a missing count is an error.
    """
    _bynder_count_check(response, query, auth, required=True)


def bynder_listing_empty_check(
    response: requests.Response, query: dict[str, str], auth: AuthBase | None
) -> None:
    """Other Bynder listings: confirm an empty page with a count if the portal gives one.

    Bynder documents no count outside media: a portal that answers ``total=1`` with a
    bare array (no count) leaves nothing to confirm, and the empty page ends the listing.
    """
    _bynder_count_check(response, query, auth, required=False)


def _bynder_count_check(
    response: requests.Response, query: dict[str, str], auth: AuthBase | None, *, required: bool
) -> None:
    page, limit = int(query.get("page", "1")), int(query.get("limit", "50"))
    url = _with_query(response.url, {"page", "limit", "total"}, {"page": 1, "limit": 1, "total": 1})
    body = _read_again(response, url, auth)
    if not required and not (isinstance(body, dict) and "total" in body):
        return
    count = _count(response, body, ("total", "count"))
    if count > (page - 1) * limit:
        raise IncompletePage(response.url, f"an empty page {page} of a listing of {count} records")


def workfront_empty_check(
    response: requests.Response, query: dict[str, str], auth: AuthBase | None
) -> None:
    """Workfront offsets: an empty page is the end only if ``/count`` says so."""
    first = int(query.get("$$FIRST", "0"))
    parts = urlsplit(response.url)
    path = parts.path.removesuffix("/search") + "/count"
    paging = {"$$FIRST", "$$LIMIT", "fields", "ID_Sort", "lastUpdateDate_Sort"}
    url = _with_query(urlunsplit(parts._replace(path=path)), paging, {})
    count = workfront_count(response, _read_again(response, url, auth))
    if count > first:
        raise IncompletePage(
            response.url, f"an empty page at offset {first} of a listing of {count} records"
        )


def workfront_count(response: requests.Response, body: Any) -> int:
    """N of a Workfront ``/count`` answer: ``{"data": {"count": N}}`` or ``{"count": N}``.

    Both shapes are documented (the official SDK's fixture, the API basics page).
    """
    if isinstance(body, dict) and "count" in body:
        body = {"data": body}
    return _count(response, body, ("data", "count"))


def _count(response: requests.Response, body: Any, path: tuple[str, str]) -> int:
    try:
        return int(body[path[0]][path[1]])
    except (KeyError, TypeError, ValueError):
        raise IncompletePage(response.url, "could not confirm an empty page (no count)") from None
