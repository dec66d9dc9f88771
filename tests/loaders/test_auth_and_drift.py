"""The loaders against short-lived tokens and schema drift, over real HTTP."""

from __future__ import annotations

import importlib
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from dlt.sources.helpers.rest_client import RESTClient

from loaders.auth import RenewingOAuth2ClientCredentials
from loaders.pipeline import run_source
from loaders.workfront import WorkfrontOAuth2
from sandbox.settings import Credentials
from tests.conftest import SandboxHandle
from tests.loaders.helpers import MERGED, ids, query

CREDS = Credentials()
SYSTEMS = ("webphone", "bynder", "workfront")


def assert_raw_has_every_live_record(db: Path, handle: SandboxHandle) -> None:
    for schema, table, column, entity in MERGED:
        found = ids(db, schema, table, column)
        assert len(found) == len(set(found)), f"duplicate keys in {schema}.{table}"
        truth = handle.expected(schema.removeprefix("raw_"), entity)
        live = {k for k, v in truth.items() if v == "live"}
        assert live <= set(found) <= set(truth), f"{schema}.{table}"


# ---------------------------------------------------------------- token refresh
def test_loads_outlive_their_access_tokens(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    # every data request takes 0.5 s and tokens live 2 s: each source needs several
    # tokens, also when the pages of its resources are read concurrently (Arrow pages:
    # one request of each resource in flight, loaders/arrow_pages.py)
    handle = sandbox_factory(
        *("--scale", "0.0003", "--history-days", "2", "--defect-rate", "0", "--no-rate-limits"),
        *("--token-ttl", "2", "--slow-rate", "1", "--slow-seconds", "0.5"),
    )
    env(handle, SOURCES__WEBPHONE__PAGE_SIZE="75", SOURCES__WORKFRONT__PAGE_SIZE="60")
    # Bynder's loader uses the same auth class as WebPhone's (see the next test)
    for system in ("webphone", "workfront"):
        result = run_source(system)
        stats = handle.stats(system)
        # at least 12 requests of 0.5 s: the last ones come after the first token died
        assert stats["data_requests"] >= 12 and result.seconds > 2.4, stats
        assert stats["unauthorized"] == 0, f"{system} sent an expired token: {stats}"
        assert stats["tokens_issued"] >= 2, f"{system} never refreshed its token: {stats}"
    db = tmp_path / "warehouse.duckdb"
    for schema, table, column, entity in MERGED:
        if schema != "raw_bynder":
            truth = handle.expected(schema.removeprefix("raw_"), entity)
            live = {k for k, v in truth.items() if v == "live"}
            assert live <= set(ids(db, schema, table, column)) <= set(truth), table


def test_back_to_back_requests_never_send_an_expired_token(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    # a token counted from its arrival outlives the server's clock by the trip: without
    # early renewal, a request sent in that gap gets a 401 at nearly every expiry
    handle = sandbox_factory(
        "--scale", "0.0002", "--history-days", "1", "--no-rate-limits", "--token-ttl", "1"
    )
    web, byn, wf = handle.urls["webphone"], handle.urls["bynder"], handle.urls["workfront"]
    clients = {
        "webphone": (
            RESTClient(
                base_url=web + "/v1/",
                auth=RenewingOAuth2ClientCredentials(
                    access_token_url=web + "/oauth/token",
                    client_id=CREDS.webphone_client_id,
                    client_secret=CREDS.webphone_client_secret,
                ),
            ),
            "agents",
        ),
        "bynder": (
            RESTClient(
                base_url=byn + "/api/",
                auth=RenewingOAuth2ClientCredentials(
                    access_token_url=byn + "/v6/authentication/oauth2/token",
                    client_id=CREDS.bynder_client_id,
                    client_secret=CREDS.bynder_client_secret,
                ),
            ),
            "v4/media/",
        ),
        "workfront": (
            RESTClient(
                base_url=wf + "/attask/api/v19.0/",
                auth=WorkfrontOAuth2(
                    access_token_url=wf + "/integrations/oauth2/api/v1/token",
                    client_id=CREDS.workfront_client_id,
                    client_secret=CREDS.workfront_client_secret,
                    refresh_token=CREDS.workfront_refresh_token,
                ),
            ),
            "user/search",
        ),
    }

    def hammer(client: RESTClient, path: str) -> set[int]:
        deadline = time.monotonic() + 2.3
        statuses: set[int] = set()
        while time.monotonic() < deadline:
            statuses.add(client.get(path, params={"limit": 1, "$$LIMIT": 1}).status_code)
        return statuses

    with ThreadPoolExecutor(len(clients)) as pool:
        futures = {system: pool.submit(hammer, *args) for system, args in clients.items()}
    for system, future in futures.items():
        stats = handle.stats(system)
        assert future.result() == {200} and stats["unauthorized"] == 0, (system, stats)
        assert stats["tokens_issued"] >= 3, (system, stats)


@pytest.mark.parametrize("system", SYSTEMS)
def test_an_empty_page_is_confirmed_with_a_token_that_is_still_valid(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    system: str,
) -> None:
    # an empty page is confirmed by a second request (loaders/pages.py), sent after the
    # page arrived: a token that expires in between (a slow page, a retry's backoff) must
    # be renewed as the resource's own requests renew it; resent from the page's
    # headers it got HTTP 401, the empty page stayed unconfirmed and the load failed
    handle = sandbox_factory(
        *("--scale", "0.0002", "--history-days", "1", "--defect-rate", "0", "--no-rate-limits")
    )
    env(handle, RUNTIME__REQUEST_MAX_ATTEMPTS="3", RUNTIME__REQUEST_BACKOFF_FACTOR="0.05")
    module = importlib.import_module(f"loaders.{system}")
    expired: list[str] = []
    expiring = threading.Lock()

    def expiring_first(check: Callable[..., None]) -> Callable[..., None]:
        def expire_then_check(response: requests.Response, *args: Any) -> None:
            # deterministic: the API ends every token between the first empty page and
            # its re-read. Once per load: the resources' pages are read concurrently, and
            # a second expiry while another request resends with its renewed token is a
            # double revocation, whose second 401 stands by design (loaders/auth.py)
            with expiring:
                if not expired:
                    handle.call(system, "/_sandbox/tokens/expire", "POST", {})
                    expired.append(response.url)
            check(response, *args)

        return expire_then_check

    for name in [name for name in vars(module) if name.endswith("_empty_check")]:
        monkeypatch.setattr(module, name, expiring_first(getattr(module, name)))
    # after every record: the first page of each incremental listing is empty
    run_source(system, start="2030-01-01T00:00:00Z")
    stats = handle.stats(system)
    assert expired, f"no empty page of {system} was confirmed"
    # the re-reads met expired tokens and renewed them, and the load passed. The pages
    # of the resources are read concurrently (loaders/arrow_pages.py): a request of
    # another resource may meet an expired token too, and requests that meet one at
    # once share one renewal, so the counts vary; never more than a token per expiry
    assert stats["unauthorized"] >= 1, stats
    assert 2 <= stats["tokens_issued"] <= len(expired) + 1, stats


# ----------------------------------------------------------------- schema drift
def _webphone_since(handle: SandboxHandle, since: str) -> list[dict[str, Any]]:
    base = handle.urls["webphone"]
    token = requests.post(
        base + "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CREDS.webphone_client_id,
            "client_secret": CREDS.webphone_client_secret,
        },
        timeout=10,
    ).json()["access_token"]
    rows: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 1000, "updated_since": since}
    while True:
        body = requests.get(
            base + "/v1/calls",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        rows.extend(body["data"])
        if not body["has_more"]:
            return rows
        params["cursor"] = body["next_cursor"]


def _bynder_since(handle: SandboxHandle, since: str) -> list[dict[str, Any]]:
    base = handle.urls["bynder"]
    token = requests.post(
        base + "/v6/authentication/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CREDS.bynder_client_id,
            "client_secret": CREDS.bynder_client_secret,
        },
        timeout=10,
    ).json()["access_token"]
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        batch = requests.get(
            base + "/api/v4/media/",
            params={
                "dateModified": since,
                "orderBy": "dateModified asc",
                "limit": "1000",
                "page": str(page),
            },
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        rows.extend(batch)
        if len(batch) < 1000:
            return rows
        page += 1


def _workfront_since(handle: SandboxHandle, since: str) -> list[dict[str, Any]]:
    response = requests.get(
        handle.urls["workfront"] + "/attask/api/v19.0/proj/search",
        params={
            "apiKey": CREDS.workfront_api_key,
            "lastUpdateDate": since,
            "lastUpdateDate_Mod": "gte",
            "ID_Sort": "asc",
            "fields": "priority,lastUpdateDate",
            "$$LIMIT": "2000",
        },
        timeout=30,
    )
    return list(response.json()["data"])


def _columns(db: Path, schema: str, table: str) -> set[str]:
    rows = query(
        db,
        "select column_name from information_schema.columns "
        f"where table_schema = '{schema}' and table_name = '{table}'",
    )
    return {row[0] for row in rows}


def test_schema_drift_lands_new_renamed_and_retyped_fields(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    handle = sandbox_factory(
        *("--scale", "0.0003", "--history-days", "2", "--defect-rate", "0", "--no-rate-limits"),
        *("--drift", "added,renamed,retyped"),
    )
    env(handle)
    db = tmp_path / "warehouse.duckdb"
    for system in SYSTEMS:
        run_source(system)
    # sentiment_score is in the dictionary already (as a column), but carries no value yet
    assert query(db, "select count(sentiment_score) from raw_webphone.calls") == [(0,)]
    assert "property_sales_market" not in _columns(db, "raw_bynder", "media")
    typed_priorities = query(db, "select count(priority) from raw_workfront.projects")[0][0]
    assert typed_priorities > 0

    # drift applies to versions stamped from the start instant on; 18 hours reach a
    # working day, when Workfront projects change too
    handle.advance(18 * 60)
    since = "2026-11-02T00:00:00Z"
    for system in SYSTEMS:
        run_source(system)
    assert_raw_has_every_live_record(db, handle)

    # added: WebPhone calls gain sentiment_score, with every value the API sent
    calls = {r["id"]: r["sentiment_score"] for r in _webphone_since(handle, since)}
    assert calls and None not in calls.values()
    assert "sentiment_score" in _columns(db, "raw_webphone", "calls")
    raw_calls = dict(query(db, "select id, sentiment_score from raw_webphone.calls"))
    assert {k: raw_calls.get(k) for k in calls} == pytest.approx(calls)
    assert sum(v is not None for v in raw_calls.values()) == len(calls)

    # renamed: Market arrives as Sales_Market; old rows keep property_market
    media = {
        r["id"]: r["property_Sales_Market"]
        for r in _bynder_since(handle, since)
        if "property_Sales_Market" in r
    }
    assert media
    columns = _columns(db, "raw_bynder", "media")
    assert {"property_sales_market", "property_market"} <= columns
    raw_media = dict(
        query(
            db,
            "select id, property_sales_market from raw_bynder.media "
            "where property_sales_market is not null",
        )
    )
    assert {k: json.loads(v) if isinstance(v, str) else v for k, v in raw_media.items()} == media
    assert (
        query(db, "select count(*) from raw_bynder.media where property_market is not null")[0][0]
        > 0
    )

    # retyped: the integer priority becomes a label; it lands in a variant column
    projects = {r["ID"]: r["priority"] for r in _workfront_since(handle, since)}
    labels = {k: v for k, v in projects.items() if isinstance(v, str)}
    assert labels, "some projects changed after the drift instant"
    variants = {c for c in _columns(db, "raw_workfront", "projects") if c.startswith("priority__v")}
    assert variants == {"priority__v_text"}
    raw_projects = dict(
        query(
            db,
            "select id, priority__v_text from raw_workfront.projects "
            "where priority__v_text is not null",
        )
    )
    assert raw_projects == labels
    assert query(db, "select count(priority) from raw_workfront.projects")[0][0] > 0
