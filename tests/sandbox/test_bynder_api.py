"""The Bynder API over real HTTP: OAuth, page/limit paging, filters, field shapes, limits."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from sandbox.settings import Credentials
from tests.conftest import SandboxHandle

CREDS = Credentials()
TOKEN_PATH = "/v6/authentication/oauth2/token"
MEDIA = "/api/v4/media/"
FLAGS = ("archive", "isPublic", "limited", "watermarked")


@pytest.fixture(scope="module")
def api(sandbox_factory: Callable[..., SandboxHandle]) -> SandboxHandle:
    # defect-rate 0: the shapes asserted here are the clean wire formats
    return sandbox_factory(
        "--scale", "0.0003", "--history-days", "2", "--defect-rate", "0", "--no-rate-limits"
    )


def token(base: str, secret: str = CREDS.bynder_client_secret) -> requests.Response:
    return requests.post(
        base + TOKEN_PATH,
        data={
            "grant_type": "client_credentials",
            "client_id": CREDS.bynder_client_id,
            "client_secret": secret,
            "scope": "asset:read meta.assetbank:read",
        },
        timeout=10,
    )


@pytest.fixture(scope="module")
def base(api: SandboxHandle) -> str:
    return api.urls["bynder"]


@pytest.fixture(scope="module")
def auth(base: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + token(base).json()["access_token"]}


def get(base: str, path: str, auth: dict[str, str], **params: Any) -> requests.Response:
    return requests.get(base + path, params=params, headers=auth, timeout=30)


@pytest.fixture(scope="module")
def all_media(base: str, auth: dict[str, str]) -> list[dict[str, Any]]:
    """Every asset, in the default (dateCreated) order, read 1000 at a time."""
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        batch = get(base, MEDIA, auth, page=page, limit=1000).json()
        rows.extend(batch)
        if len(batch) < 1000:
            return rows
        page += 1


@pytest.fixture(scope="module")
def metaproperties(base: str, auth: dict[str, str]) -> dict[str, Any]:
    return dict(get(base, "/api/v4/metaproperties/", auth).json())


def stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso_s(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------------- auth
def test_token_endpoint_issues_a_bearer_token(base: str) -> None:
    response = token(base)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"].lower() == "bearer"
    assert isinstance(body["expires_in"], int) and body["expires_in"] == 3600
    assert body["access_token"]


def test_wrong_client_secret_is_a_401_with_an_error(base: str) -> None:
    response = token(base, secret="wrong")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Basic Zm9vOmJhcg=="])
def test_media_needs_a_valid_bearer_token(base: str, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = requests.get(base + MEDIA, headers=headers, timeout=10)
    assert response.status_code == 401
    body = response.json()
    assert body["statuscode"] == 401 and body["error"] and body["message"]


# ------------------------------------------------------------------- pagination
def test_media_is_a_bare_json_array_of_assets(base: str, auth: dict[str, str]) -> None:
    response = get(base, MEDIA, auth, limit=5)
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list) and len(body) == 5
    guid = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{16}")
    assert all(guid.fullmatch(row["id"]) for row in body)
    assert len(get(base, MEDIA, auth).json()) == 50  # documented default limit


def test_pages_concatenate_to_the_full_listing(
    base: str, auth: dict[str, str], api: SandboxHandle, all_media: list[dict[str, Any]]
) -> None:
    limit = 97
    assert len(all_media) % limit, "pick a limit that leaves a short last page"
    pages: list[list[dict[str, Any]]] = []
    page = 1
    while True:
        batch = get(base, MEDIA, auth, page=page, limit=limit).json()
        pages.append(batch)
        if len(batch) < limit:
            break
        page += 1
    assert len(pages) > 3
    assert all(len(p) == limit for p in pages[:-1]) and 0 < len(pages[-1]) < limit
    assert [r["id"] for p in pages for r in p] == [r["id"] for r in all_media]
    assert get(base, MEDIA, auth, page=len(pages) + 1, limit=limit).json() == []
    live = {k for k, v in api.expected("bynder", "media").items() if v == "live"}
    listed = [r["id"] for r in all_media]
    assert len(listed) == len(set(listed))
    assert set(listed) == live


def test_exact_multiple_ends_on_an_empty_page(
    base: str, auth: dict[str, str], all_media: list[dict[str, Any]]
) -> None:
    total = len(all_media)
    limit = next(d for d in range(min(total - 1, 1000), 1, -1) if total % d == 0)
    pages = total // limit
    assert len(get(base, MEDIA, auth, page=pages, limit=limit).json()) == limit
    assert get(base, MEDIA, auth, page=pages + 1, limit=limit).json() == []


@pytest.mark.parametrize("params", [{"limit": 1001}, {"limit": 0}, {"page": 0}])
def test_paging_out_of_range_is_a_400(
    base: str, auth: dict[str, str], params: dict[str, int]
) -> None:
    response = get(base, MEDIA, auth, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["statuscode"] == 400 and body["message"]


def test_limit_1000_is_allowed(base: str, auth: dict[str, str]) -> None:
    assert get(base, MEDIA, auth, limit=1000).status_code == 200


def test_total_wraps_the_page_with_the_count(
    base: str, auth: dict[str, str], all_media: list[dict[str, Any]]
) -> None:
    body = get(base, MEDIA, auth, limit=10, page=2, total=1).json()
    assert set(body) == {"total", "media"}
    assert body["total"] == {"count": len(all_media)}
    assert [r["id"] for r in body["media"]] == [r["id"] for r in all_media[10:20]]


def test_date_modified_filter_is_inclusive_and_ordered(
    base: str, auth: dict[str, str], all_media: list[dict[str, Any]]
) -> None:
    stamps = sorted(r["dateModified"] for r in all_media)
    cut = stamps[len(stamps) // 2]
    body = get(
        base, MEDIA, auth, dateModified=cut, orderBy="dateModified asc", limit=1000, total=1
    ).json()
    rows = body["media"]
    got = [r["dateModified"] for r in rows]
    assert got == sorted(got), "orderBy=dateModified asc is ascending"
    assert got[0] == cut, "an asset stamped in the filter's second is included"
    expected = {r["id"] for r in all_media if r["dateModified"] >= cut}
    assert {r["id"] for r in rows} == expected and body["total"]["count"] == len(expected)
    # one second later: assets of that second are excluded
    later = iso_s(stamp(cut) + timedelta(seconds=1))
    after = get(base, MEDIA, auth, dateModified=later, orderBy="dateModified asc", limit=1000)
    assert {r["id"] for r in after.json()} == {
        r["id"] for r in all_media if r["dateModified"] >= later
    }
    assert cut not in {r["dateModified"] for r in after.json()}


def test_date_modified_to_bounds_the_window(
    base: str, auth: dict[str, str], all_media: list[dict[str, Any]]
) -> None:
    stamps = sorted(r["dateModified"] for r in all_media)
    low, high = stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
    rows = get(
        base,
        MEDIA,
        auth,
        dateModified=low,
        dateModifiedTo=high,
        orderBy="dateModified asc",
        limit=1000,
    ).json()
    assert rows and all(low <= r["dateModified"] < high for r in rows)
    assert {r["id"] for r in rows} == {
        r["id"] for r in all_media if low <= r["dateModified"] < high
    }


# ----------------------------------------------------------------- field shapes
def test_asset_fields_have_the_documented_types(
    all_media: list[dict[str, Any]], metaproperties: dict[str, Any]
) -> None:
    seen_select = seen_text = 0
    for row in all_media:
        for flag in FLAGS:
            assert type(row[flag]) is int and row[flag] in (0, 1), (flag, row[flag])
        assert isinstance(row["extension"], list) and len(row["extension"]) == 1
        assert isinstance(row["extension"][0], str)
        assert isinstance(row["tags"], list) and isinstance(row["propertyOptions"], list)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["dateModified"])
        for key, value in row.items():
            if not key.startswith("property_"):
                continue
            meta = metaproperties[key.removeprefix("property_")]
            if meta["type"] == "select":
                seen_select += 1
                options = {o["name"] for o in meta["options"]}
                assert isinstance(value, list) and value and set(value) <= options, (key, value)
                if not meta["isMultiSelect"]:
                    assert len(value) == 1
            else:
                seen_text += 1
                assert isinstance(value, str), (key, value)
    assert seen_select and seen_text


def test_metaproperties_are_an_object_keyed_by_name(metaproperties: dict[str, Any]) -> None:
    assert isinstance(metaproperties, dict) and "Market" in metaproperties
    for name, meta in metaproperties.items():
        assert meta["name"] == name
        assert meta["type"] in ("select", "text", "date")
        assert isinstance(meta["isMultiSelect"], bool) and isinstance(meta["zindex"], int)
        for option in meta["options"]:
            assert isinstance(option["zindex"], str) and option["name"]
        assert bool(meta["options"]) == (meta["type"] == "select")


def test_usage_timestamps_have_microseconds_and_an_offset(base: str, auth: dict[str, str]) -> None:
    rows = get(base, "/api/media/usage/", auth, limit=1000).json()
    assert rows
    for row in rows:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", row["timestamp"])
        assert set(row["integration"]) == {"id", "description"}
    by_asset = get(base, "/api/media/usage/", auth, asset_id=rows[0]["asset_id"]).json()
    assert by_asset and all(r["asset_id"] == rows[0]["asset_id"] for r in by_asset)


def test_campaigns_use_upper_case_id_casing(base: str, auth: dict[str, str]) -> None:
    rows = get(base, "/api/workflow/campaigns/", auth, limit=1000).json()
    assert rows
    for row in rows:
        assert {"ID", "accountID", "createdByID", "responsibleID", "presetID"} <= set(row)
        assert "id" not in row and "accountId" not in row
        assert isinstance(row["closed"], bool)


def test_removed_media_lists_the_deleted_assets(
    base: str, auth: dict[str, str], api: SandboxHandle, all_media: list[dict[str, Any]]
) -> None:
    rows = get(base, "/api/v4/media/deleted/", auth, limit=1000).json()
    deleted = {k for k, v in api.expected("bynder", "media").items() if v == "deleted"}
    assert deleted, "the fixture's world has removed assets"
    assert {r["id"] for r in rows} == deleted
    assert not deleted & {r["id"] for r in all_media}, "removed assets leave the media listing"
    for row in rows:
        assert set(row) == {
            "id",
            "name",
            "dateRemoved",
            "dateCreated",
            "username",
            "userId",
            "S3_filepointer",
        }
        assert row["dateCreated"] <= row["dateRemoved"]


def test_get_media_by_id(base: str, auth: dict[str, str], all_media: list[dict[str, Any]]) -> None:
    first = all_media[0]
    response = get(base, f"{MEDIA}{first['id']}/", auth)
    assert response.status_code == 200 and response.json() == first
    missing = get(base, f"{MEDIA}00000000-0000-0000-0000000000000000/", auth)
    assert missing.status_code == 404 and missing.json()["statuscode"] == 404


# ------------------------------------------------------------------- rate limit
def test_sixteenth_request_in_a_second_is_a_429_with_retry_after(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    limited = sandbox_factory("--scale", "0.0002", "--history-days", "1")
    base = limited.urls["bynder"]
    headers = {"Authorization": "Bearer " + token(base).json()["access_token"]}
    statuses: list[int] = []
    with requests.Session() as session:
        for _ in range(40):
            response = session.get(base + MEDIA, params={"limit": 1}, headers=headers, timeout=10)
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert response.headers["Retry-After"] == "1"
                assert response.json()["statuscode"] == 429
                break
    assert statuses[-1] == 429, "16 quick requests exceed 15 a second"
    assert statuses.index(429) >= 15 and set(statuses[:-1]) == {200}
    assert limited.stats("bynder")["rate_limited"] == 1
