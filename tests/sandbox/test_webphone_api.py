"""The WebPhone API over real HTTP: auth, keyset pagination, limits, errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from sandbox.settings import Credentials
from tests.conftest import SandboxHandle

CREDS = Credentials()


@pytest.fixture(scope="module")
def api(sandbox_factory: Callable[..., SandboxHandle]) -> SandboxHandle:
    return sandbox_factory("--scale", "0.0005", "--history-days", "2", "--no-rate-limits")


def token(base: str, secret: str = CREDS.webphone_client_secret) -> requests.Response:
    return requests.post(
        base + "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CREDS.webphone_client_id,
            "client_secret": secret,
        },
        timeout=10,
    )


@pytest.fixture(scope="module")
def auth(api: SandboxHandle) -> dict[str, str]:
    return {"Authorization": "Bearer " + token(api.urls["webphone"]).json()["access_token"]}


def test_token_response_shape(api: SandboxHandle) -> None:
    body = token(api.urls["webphone"]).json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}


def test_wrong_secret_is_refused(api: SandboxHandle) -> None:
    response = token(api.urls["webphone"], secret="wrong")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("header", [None, "Bearer not-a-token"])
def test_data_needs_a_valid_token(api: SandboxHandle, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = requests.get(api.urls["webphone"] + "/v1/calls", headers=headers, timeout=10)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["status"] == 401 and error["code"] in ("unauthorized", "invalid_token")
    assert error["request_id"].startswith("req_")


def test_expired_token_is_refused(api: SandboxHandle) -> None:
    headers = {"Authorization": "Bearer " + token(api.urls["webphone"]).json()["access_token"]}
    api.call("webphone", "/_sandbox/tokens/expire", "POST", {})
    response = requests.get(api.urls["webphone"] + "/v1/agents", headers=headers, timeout=10)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"


def test_keyset_pages_cover_the_listing_exactly_once(api: SandboxHandle) -> None:
    headers = {"Authorization": "Bearer " + token(api.urls["webphone"]).json()["access_token"]}
    url = api.urls["webphone"] + "/v1/customers"
    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 37}
    pages = 0
    while True:
        body = requests.get(url, params=params, headers=headers, timeout=30).json()
        seen.extend(row["id"] for row in body["data"])
        pages += 1
        if not body["has_more"]:
            assert body["next_cursor"] is None
            break
        params = {"limit": 37, "cursor": body["next_cursor"]}
    live = {k for k, v in api.expected("webphone", "customers").items() if v == "live"}
    assert set(seen) == live
    assert pages > 3
    duplicates = {
        row["record_id"]
        for row in api.manifest()
        if row["entity"] == "customers"
        and row["defect"] in ("exact_duplicate", "changed_between_pages")
    }
    repeated = {i for i in seen if seen.count(i) > 1}
    assert repeated <= duplicates


def test_updated_since_filters_and_orders(api: SandboxHandle, auth: dict[str, str]) -> None:
    url = api.urls["webphone"] + "/v1/calls"
    since = "2026-11-01T12:00:00Z"
    body = requests.get(
        url, params={"limit": "1000", "updated_since": since}, headers=auth, timeout=30
    ).json()
    stamps = [row["updated_at"] for row in body["data"]]
    assert stamps and min(stamps) >= "2026-11-01T12:00:00.000Z"
    assert stamps == sorted(stamps)


def test_limit_above_maximum_is_a_clear_error(api: SandboxHandle, auth: dict[str, str]) -> None:
    response = requests.get(
        api.urls["webphone"] + "/v1/calls", params={"limit": 1001}, headers=auth, timeout=10
    )
    assert response.status_code == 400
    assert "limit" in response.json()["error"]["message"]


def test_include_deleted_adds_tombstones(api: SandboxHandle, auth: dict[str, str]) -> None:
    url = api.urls["webphone"] + "/v1/customers"
    rows: list[dict] = []
    params: dict[str, str | int] = {"limit": 1000, "include_deleted": "true"}
    while True:
        body = requests.get(url, params=params, headers=auth, timeout=30).json()
        rows.extend(body["data"])
        if not body["has_more"]:
            break
        params["cursor"] = body["next_cursor"]
    tombstones = {row["id"] for row in rows if "deleted_at" in row}
    deleted = {k for k, v in api.expected("webphone", "customers").items() if v == "deleted"}
    assert tombstones == deleted
    for row in rows:
        if "deleted_at" in row:
            assert set(row) == {"id", "deleted_at", "updated_at"}


def test_get_by_id(api: SandboxHandle, auth: dict[str, str]) -> None:
    url = api.urls["webphone"] + "/v1/agents"
    first = requests.get(url, params={"limit": 1}, headers=auth, timeout=10).json()["data"][0]
    again = requests.get(f"{url}/{first['id']}", headers=auth, timeout=10).json()
    assert again["id"] == first["id"]
    missing = requests.get(f"{url}/agt_00000000000000000000000000", headers=auth, timeout=10)
    assert missing.status_code == 404


def test_rate_limit_answers_429_with_retry_after(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    limited = sandbox_factory("--scale", "0.0002", "--history-days", "1")
    base = limited.urls["webphone"]
    headers = {"Authorization": "Bearer " + token(base).json()["access_token"]}
    statuses = []
    with requests.Session() as session:
        for _ in range(40):
            response = session.get(
                base + "/v1/agents", params={"limit": 1}, headers=headers, timeout=10
            )
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert int(response.headers["Retry-After"]) >= 1
                assert response.headers["X-RateLimit-Limit"] == "300"
                assert response.json()["error"]["code"] == "rate_limited"
                break
    assert 429 in statuses
