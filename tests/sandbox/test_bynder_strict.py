"""The Bynder API in strict mode answers only as Bynder documents (issue 14).

No bulk usage listing (400 without ``asset_id``), ``total=1`` for media only, 404 on
the undocumented removed-media path, ``dateModified`` exclusive, and the link
metaproperties as selects (arrays of option names). The documented lookups work in
both modes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from sandbox.settings import Credentials
from tests.conftest import SandboxHandle

CREDS = Credentials()
MEDIA = "/api/v4/media/"
USAGE = "/api/media/usage/"
ARGS = ("--scale", "0.0003", "--history-days", "2", "--defect-rate", "0", "--no-rate-limits")


@pytest.fixture(scope="module")
def apis(sandbox_factory: Callable[..., SandboxHandle]) -> dict[str, SandboxHandle]:
    """The same world served in both modes."""
    return {"default": sandbox_factory(*ARGS), "strict": sandbox_factory(*ARGS, "--strict")}


def _auth(base: str) -> dict[str, str]:
    answer = requests.post(
        base + "/v6/authentication/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CREDS.bynder_client_id,
            "client_secret": CREDS.bynder_client_secret,
        },
        timeout=10,
    )
    return {"Authorization": "Bearer " + answer.json()["access_token"]}


class Api:
    """GETs against one mode's Bynder API."""

    def __init__(self, handle: SandboxHandle) -> None:
        self.base = handle.urls["bynder"]
        self.auth = _auth(self.base)

    def get(self, path: str, **params: Any) -> requests.Response:
        return requests.get(self.base + path, params=params, headers=self.auth, timeout=30)

    def all_media(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        page = 1
        while batch := self.get(MEDIA, page=page, limit=1000).json():
            rows.extend(batch)
            if len(batch) < 1000:
                break
            page += 1
        return rows


@pytest.fixture(scope="module")
def default(apis: dict[str, SandboxHandle]) -> Api:
    return Api(apis["default"])


@pytest.fixture(scope="module")
def strict(apis: dict[str, SandboxHandle]) -> Api:
    return Api(apis["strict"])


def test_strict_usage_needs_an_asset_id(strict: Api, default: Api) -> None:
    refused = strict.get(USAGE, page=1, limit=10)
    assert refused.status_code == 400
    assert "asset_id" in refused.json()["message"]
    assert default.get(USAGE, page=1, limit=10).status_code == 200


def test_usage_by_asset_lists_all_of_the_assets_usage_in_both_modes(
    strict: Api, default: Api
) -> None:
    bulk = default.get(USAGE, limit=1000).json()
    by_asset: dict[str, set[str]] = {}
    for row in bulk:
        by_asset.setdefault(row["asset_id"], set()).add(row["id"])
    asset_id, expected = max(by_asset.items(), key=lambda kv: len(kv[1]))
    for api in (strict, default):
        rows = api.get(USAGE, asset_id=asset_id).json()
        assert isinstance(rows, list)
        assert {r["id"] for r in rows} == expected
        assert all(r["asset_id"] == asset_id for r in rows)
    # the documented lookup is not paged: strict mode ignores page and limit
    one = strict.get(USAGE, asset_id=asset_id, limit=1, page=2).json()
    assert {r["id"] for r in one} == expected


def test_strict_count_is_for_media_only(strict: Api, default: Api) -> None:
    media = strict.get(MEDIA, limit=5, total=1).json()
    assert set(media) == {"total", "media"} and media["total"]["count"] > 5
    campaigns = strict.get("/api/workflow/campaigns/", limit=5, total=1).json()
    assert isinstance(campaigns, list) and len(campaigns) == 5
    assert "total" in default.get("/api/workflow/campaigns/", limit=5, total=1).json()


def test_strict_portal_has_no_removed_media_path(strict: Api, default: Api) -> None:
    assert strict.get("/api/v4/media/deleted/", limit=10).status_code == 404
    assert default.get("/api/v4/media/deleted/", limit=10).status_code == 200


def test_strict_date_modified_means_modified_after(strict: Api, default: Api) -> None:
    stamps = sorted(r["dateModified"] for r in strict.all_media())
    cut = stamps[len(stamps) // 2]
    params = {"dateModified": cut, "orderBy": "dateModified asc", "limit": 1000}
    after = [r["dateModified"] for r in strict.get(MEDIA, **params).json()]
    assert after and cut not in after and all(s > cut for s in after)
    assert sorted(after) == [s for s in stamps if s > cut]
    # the default mode reads it inclusively: the cut's second is listed
    assert cut in {r["dateModified"] for r in default.get(MEDIA, **params).json()}
    # "after" a time within a second: the next second on
    within = datetime.fromisoformat(cut.replace("Z", "+00:00")) - timedelta(milliseconds=500)
    params["dateModified"] = within.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert cut in {r["dateModified"] for r in strict.get(MEDIA, **params).json()}


def test_select_metaproperties_are_arrays_and_strict_links_are_selects(
    strict: Api, default: Api
) -> None:
    keys = ("property_WorkfrontProjectID", "property_Campaign")
    strict_media = strict.all_media()
    default_media = {r["id"]: r for r in default.all_media()}
    linked = [r for r in strict_media if any(k in r for k in keys)]
    assert linked, "the world links assets to projects or campaigns"
    for row in linked:
        for key in keys:
            if key in row:
                assert isinstance(row[key], list) and len(row[key]) == 1, row[key]
                assert default_media[row["id"]][key] == row[key][0]
    # documented selects are arrays in both modes
    for row in (strict_media[0], default_media[strict_media[0]["id"]]):
        assert isinstance(row["property_Market"], list)
    types = {
        mode: {k: v["type"] for k, v in api.get("/api/v4/metaproperties/").json().items()}
        for mode, api in (("strict", strict), ("default", default))
    }
    assert types["strict"]["WorkfrontProjectID"] == "select"
    assert types["default"]["WorkfrontProjectID"] == "text"
