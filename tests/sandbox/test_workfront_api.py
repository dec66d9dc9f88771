"""The Workfront API over real HTTP: search, paging, projection, filters, auth, journal."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import requests

from loaders.workfront import to_utc
from sandbox.settings import Credentials
from tests.conftest import SandboxHandle

CREDS = Credentials()
API = "/attask/api/v19.0"
DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d:\d{3}[+-]\d{4}")
AUTH_ERROR = "com.attask.common.AuthenticationException"


@pytest.fixture(scope="module")
def api(sandbox_factory: Callable[..., SandboxHandle]) -> SandboxHandle:
    # ten days of history so that a few time entries are already hard-deleted
    return sandbox_factory(
        "--scale", "0.0005", "--history-days", "10", "--defect-rate", "0", "--no-rate-limits"
    )


@pytest.fixture(scope="module")
def base(api: SandboxHandle) -> str:
    return api.urls["workfront"]


def oauth(base: str, refresh_token: str = CREDS.workfront_refresh_token) -> requests.Response:
    return requests.post(
        base + "/integrations/oauth2/api/v1/token",
        data={
            "grant_type": "refresh_token",
            "client_id": CREDS.workfront_client_id,
            "client_secret": CREDS.workfront_client_secret,
            "refresh_token": refresh_token,
        },
        timeout=10,
    )


@pytest.fixture(scope="module")
def session(base: str) -> dict[str, str]:
    return {"sessionID": oauth(base).json()["access_token"]}


def get(base: str, path: str, headers: dict[str, str], **params: Any) -> requests.Response:
    return requests.get(base + API + path, params=params, headers=headers, timeout=30)


def search_all(
    base: str, headers: dict[str, str], obj: str, limit: int, **params: Any
) -> list[dict[str, Any]]:
    """Every row of a search, paged with ``$$FIRST``/``$$LIMIT`` and ``ID_Sort=asc``."""
    rows: list[dict[str, Any]] = []
    while True:
        page = {"$$FIRST": len(rows), "$$LIMIT": limit, "ID_Sort": "asc", **params}
        batch = get(base, f"/{obj}/search", headers, **page).json()["data"]
        rows.extend(batch)
        if len(batch) < limit:
            return rows


@pytest.fixture(scope="module")
def projects(base: str, session: dict[str, str]) -> list[dict[str, Any]]:
    return search_all(base, session, "proj", 2000, fields="*")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(to_utc(text).replace("Z", "+00:00"))


def workfront_text(instant: datetime, hours: int) -> str:
    """``instant`` written in Workfront's format at a UTC offset of ``hours``."""
    local = instant.astimezone(timezone(timedelta(hours=hours)))
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%dT%H:%M:%S:") + f"{local.microsecond // 1000:03d}{offset}"


# ------------------------------------------------------------------------- auth
def test_oauth_refresh_grant_returns_a_session_id_token(base: str) -> None:
    response = oauth(base)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "sessionID"
    assert {"access_token", "refresh_token", "expires_in", "wid"} <= set(body)
    ok = get(base, "/proj/search", {"sessionID": body["access_token"]}, **{"$$LIMIT": 1})
    assert ok.status_code == 200
    # the token is a session id: as a bearer token it is not accepted
    bearer = get(base, "/proj/search", {"Authorization": "Bearer " + body["access_token"]})
    assert bearer.status_code == 401


def test_oauth_wrong_refresh_token_is_refused(base: str) -> None:
    response = oauth(base, refresh_token="stale")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("headers", "params"),
    [
        ({}, {}),
        ({"sessionID": "nope"}, {}),
        ({}, {"apiKey": "nope"}),  # pragma: allowlist secret (a wrong key, on purpose)
        ({}, {"sessionID": "x"}),
    ],
)
def test_missing_or_wrong_credentials_are_a_401(
    base: str, headers: dict[str, str], params: dict[str, str]
) -> None:
    response = get(base, "/proj/search", headers, **params)
    assert response.status_code == 401
    assert response.json()["error"]["class"] == AUTH_ERROR


def test_api_key_and_session_id_query_parameter_authenticate(
    base: str, session: dict[str, str]
) -> None:
    by_key = get(base, "/proj/search", {}, apiKey=CREDS.workfront_api_key, ID_Sort="asc")
    by_query = get(base, "/proj/search", {}, sessionID=session["sessionID"], ID_Sort="asc")
    by_header = get(base, "/proj/search", session, ID_Sort="asc")
    assert by_key.status_code == by_query.status_code == by_header.status_code == 200
    assert by_key.content == by_query.content == by_header.content


def test_unsupported_version_is_a_404(base: str, session: dict[str, str]) -> None:
    response = requests.get(base + "/attask/api/v9.0/proj/search", headers=session, timeout=10)
    assert response.status_code == 404
    assert response.json()["error"]["class"] == "com.attask.common.NotFoundException"
    for version in ("v16.0", "v20.0"):
        ok = requests.get(f"{base}/attask/api/{version}/proj/count", headers=session, timeout=10)
        assert ok.status_code == 200


# ------------------------------------------------------------------ search/paging
def test_search_wraps_rows_in_data(base: str, session: dict[str, str]) -> None:
    body = get(base, "/proj/search", session, **{"$$LIMIT": 3, "ID_Sort": "asc"}).json()
    assert set(body) == {"data"} and len(body["data"]) == 3
    assert all(re.fullmatch(r"[0-9a-f]{32}", row["ID"]) for row in body["data"])


def test_object_codes_are_case_insensitive(base: str, session: dict[str, str]) -> None:
    params = {"$$LIMIT": 50, "ID_Sort": "asc", "fields": "name,status"}
    bodies = {get(base, f"/{obj}/search", session, **params).content for obj in ("PROJ", "project")}
    bodies.add(get(base, "/proj/search", session, **params).content)
    assert len(bodies) == 1
    unknown = get(base, "/NOPE/search", session)
    assert unknown.status_code == 422


def test_paging_with_id_sort_covers_the_listing_exactly_once(
    base: str, session: dict[str, str], api: SandboxHandle
) -> None:
    rows = search_all(base, session, "task", 97)
    listed = [row["ID"] for row in rows]
    assert len(listed) > 4 * 97
    assert listed == sorted(listed), "ID_Sort=asc orders by ID"
    assert len(listed) == len(set(listed))
    live = {k for k, v in api.expected("workfront", "tasks").items() if v == "live"}
    assert set(listed) == live
    count = get(base, "/task/count", session).json()
    assert count == {"data": {"count": len(listed)}}


def test_limit_above_2000_is_an_illegal_argument(base: str, session: dict[str, str]) -> None:
    response = get(base, "/proj/search", session, **{"$$LIMIT": 2001})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["class"] == "java.lang.IllegalArgumentException" and error["message"]
    assert get(base, "/proj/search", session, **{"$$LIMIT": 2000}).status_code == 200


# ------------------------------------------------------------------- projection
def test_without_fields_a_default_subset_is_returned(base: str, session: dict[str, str]) -> None:
    rows = get(base, "/proj/search", session, **{"$$LIMIT": 5, "ID_Sort": "asc"}).json()["data"]
    assert rows and all(set(row) == {"ID", "name", "objCode"} for row in rows)
    assert {row["objCode"] for row in rows} == {"PROJ"}


def test_fields_projection(base: str, session: dict[str, str]) -> None:
    params = {"$$LIMIT": 50, "ID_Sort": "asc"}
    rows = get(base, "/proj/search", session, fields="name,priority", **params).json()["data"]
    assert all(set(row) == {"ID", "objCode", "name", "priority"} for row in rows)
    custom = get(base, "/proj/search", session, fields="DE:Region", **params).json()["data"]
    assert all(set(row) == {"ID", "objCode", "DE:Region"} for row in custom)
    assert any(row["DE:Region"] for row in custom)
    full = get(base, "/proj/search", session, fields="parameterValues", **params).json()["data"]
    assert all(isinstance(row["parameterValues"], dict) for row in full)
    for top, nested in zip(custom, full, strict=True):
        assert top["DE:Region"] == nested["parameterValues"].get("DE:Region")
        assert all(key.startswith("DE:") for key in nested["parameterValues"])
    unknown = get(base, "/proj/search", session, fields="name,notAField")
    assert unknown.status_code == 422
    assert unknown.json()["error"]["class"] == "java.lang.IllegalArgumentException"


def test_datetimes_use_the_colon_millisecond_local_offset_format(
    projects: list[dict[str, Any]],
) -> None:
    for row in projects:
        for field in ("entryDate", "lastUpdateDate", "plannedStartDate"):
            assert DATETIME.fullmatch(row[field]), (field, row[field])
    assert len({row["lastUpdateDate"][-5:] for row in projects}) > 1, "offsets vary by record"


# ---------------------------------------------------------------------- filters
def test_last_update_date_gte_filters_by_instant(
    base: str, session: dict[str, str], projects: list[dict[str, Any]]
) -> None:
    instants = sorted(utc(row["lastUpdateDate"]) for row in projects)
    cut = instants[len(instants) // 2]
    expected = {row["ID"] for row in projects if utc(row["lastUpdateDate"]) >= cut}
    assert 0 < len(expected) < len(projects)
    variants = (
        workfront_text(cut, -5),
        workfront_text(cut, 2),
        cut.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{cut.microsecond // 1000:03d}Z",
    )
    assert variants[0].endswith("-0500")
    for value in variants:
        params = {"lastUpdateDate": value, "lastUpdateDate_Mod": "gte", "fields": "lastUpdateDate"}
        rows = search_all(base, session, "proj", 2000, **params)
        assert {row["ID"] for row in rows} == expected, value
        count = get(base, "/proj/count", session, **params).json()
        assert count == {"data": {"count": len(expected)}}
    # one millisecond later: the records stamped exactly at the cut drop out
    later = workfront_text(cut + timedelta(milliseconds=1), -5)
    rows = search_all(base, session, "proj", 2000, lastUpdateDate=later, lastUpdateDate_Mod="gte")
    assert {row["ID"] for row in rows} == {
        row["ID"] for row in projects if utc(row["lastUpdateDate"]) > cut
    }


def test_count_agrees_with_the_listing(
    base: str, session: dict[str, str], projects: list[dict[str, Any]]
) -> None:
    assert get(base, "/PROJ/count", session).json() == {"data": {"count": len(projects)}}


def test_get_by_id_returns_one_object(
    base: str, session: dict[str, str], projects: list[dict[str, Any]]
) -> None:
    first = projects[0]
    body = get(base, f"/proj/{first['ID']}", session, fields="*").json()
    assert body == {"data": first}
    short = get(base, f"/project/{first['ID']}", session).json()
    assert short == {"data": {"ID": first["ID"], "name": first["name"], "objCode": "PROJ"}}
    missing = get(base, "/proj/" + "0" * 32, session)
    assert missing.status_code == 404
    assert missing.json()["error"]["class"] == "com.attask.common.NotFoundException"


def test_journal_lists_hard_deleted_time_entries(
    base: str, session: dict[str, str], api: SandboxHandle
) -> None:
    deleted = {k for k, v in api.expected("workfront", "hours").items() if v == "deleted"}
    assert deleted, "the fixture's world has deleted time entries"
    fields = "ID,objCode,subObjCode,subObjID,changeType,entryDate,objID,oldNumberVal"
    rows = search_all(
        base, session, "JRNLE", 2000, subObjCode="HOUR", changeType="D", fields=fields
    )
    assert {row["subObjID"] for row in rows} == deleted
    for row in rows:
        assert row["objCode"] == "JRNLE" and row["subObjCode"] == "HOUR"
        assert row["changeType"] == "D" and DATETIME.fullmatch(row["entryDate"])
    hours = {row["ID"] for row in search_all(base, session, "hour", 2000)}
    assert not hours & deleted, "a hard-deleted time entry leaves the HOUR listing"
    assert get(base, "/jrnle/search", session, changeType="A").json() == {"data": []}


# ------------------------------------------------------------------- strict mode
@pytest.fixture(scope="module")
def strict_base(sandbox_factory: Callable[..., SandboxHandle]) -> str:
    handle = sandbox_factory(
        "--scale", "0.0005", "--history-days", "2", "--defect-rate", "0", "--no-rate-limits",
        "--strict",
    )  # fmt: skip
    return handle.urls["workfront"]


def test_the_api_key_is_accepted_as_a_request_header(base: str, strict_base: str) -> None:
    for url in (base, strict_base):
        by_header = get(url, "/proj/search", {"apiKey": CREDS.workfront_api_key})
        assert by_header.status_code == 200 and by_header.json()["data"]
        wrong = get(url, "/proj/search", {"apiKey": "wrong"})
        assert wrong.status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"lastUpdateDate": "2026-11-01T00:00:00:000-0500", "lastUpdateDate_Mod": "gte"},
        {"lastUpdateDate_Sort": "asc"},
        {"entryDate": "2026-11-01T00:00:00:000-0500", "entryDate_Mod": "gte"},
    ],
)
def test_strict_assignments_refuse_fields_they_lack_with_workfront_s_error(
    strict_base: str, params: dict[str, str]
) -> None:
    session = {"sessionID": oauth(strict_base).json()["access_token"]}
    for route in ("/assgn/search", "/assgn/count"):
        refused = get(strict_base, route, session, ID_Sort="asc", **params)
        assert refused.status_code == 422
        message = refused.json()["error"]["message"]
        assert "is not a valid field of ASSGN" in message


def test_strict_assignments_are_listed_without_dates(strict_base: str) -> None:
    session = {"sessionID": oauth(strict_base).json()["access_token"]}
    rows = search_all(strict_base, session, "assgn", 2000, fields="*")
    assert rows and not any({"lastUpdateDate", "entryDate"} & set(row) for row in rows)
    assert get(strict_base, "/assgn/search", session, fields="lastUpdateDate").status_code == 422


def test_strict_count_answers_in_the_api_basics_shape(strict_base: str) -> None:
    session = {"sessionID": oauth(strict_base).json()["access_token"]}
    projects = search_all(strict_base, session, "proj", 2000)
    assert get(strict_base, "/proj/count", session).json() == {"count": len(projects)}


def test_custom_statuses_come_over_http(base: str, projects: list[dict[str, Any]]) -> None:
    custom = {row["status"] for row in projects if ":" in row["status"]}
    assert custom and all(status.split(":")[0] == "CUR" for status in custom)
