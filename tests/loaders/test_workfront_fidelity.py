"""The Workfront loader against the API as documented (issue 14 items 5, 6, 10).

Every load here runs against the default sandbox and against ``sandbox serve
--strict``, which answers only as Workfront documents: ASSGN without ``entryDate``
or ``lastUpdateDate`` (a filter or sort on them is a 422), and ``/count`` as
``{"count": N}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from dlt.extract.exceptions import PipeException

from loaders.pages import IncompletePage, workfront_count
from loaders.pipeline import run_source
from sandbox.settings import Credentials, SandboxSettings
from tests.conftest import SandboxHandle, loader_env, run_loader
from tests.loaders.helpers import current_stamps, ids, live, query, version_column, world_at

CREDS = Credentials()
ARGS = ("--scale", "0.0005", "--history-days", "2", "--defect-rate", "0", "--no-rate-limits")
WORKFRONT_TABLES = ("projects", "tasks", "hours", "users", "assignments")
WORKFRONT_API = "/attask/api/v19.0"


@pytest.fixture(scope="module", params=["default", "strict"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def handle(sandbox_factory: Callable[..., SandboxHandle], mode: str) -> SandboxHandle:
    return sandbox_factory(*ARGS, *(["--strict"] if mode == "strict" else []))


@pytest.fixture()
def settings(mode: str) -> SandboxSettings:
    return SandboxSettings(scale=0.0005, history_days=2, defect_rate=0, strict=mode == "strict")


@pytest.fixture()
def workfront_env(handle: SandboxHandle, tmp_path: Path) -> Iterator[dict[str, str]]:
    import os

    saved = dict(os.environ)
    values = loader_env(handle, tmp_path, SOURCES__WORKFRONT__PAGE_SIZE="200")
    os.environ.update(values)
    yield values
    os.environ.clear()
    os.environ.update(saved)


def assert_raw_is_the_api(db: Path, handle: SandboxHandle, settings: SandboxSettings) -> None:
    """Every record Workfront lists is in raw once, at its current version."""
    world = world_at(settings, handle.now_ms())
    for table in WORKFRONT_TABLES:
        found = ids(db, "raw_workfront", table)
        assert len(found) == len(set(found)), table
        assert live(world, table) <= set(found), table
        column = version_column(table, "workfront")
        stamps = dict(query(db, f"select id, {column} from raw_workfront.{table}"))
        wrong = {k for k, v in current_stamps(world, table).items() if stamps.get(k) != v}
        assert not wrong, f"{table}: {len(wrong)} rows not at their current version"


def test_workfront_loads_exactly_and_again_in_both_modes(
    handle: SandboxHandle, settings: SandboxSettings, workfront_env: dict[str, str], tmp_path: Path
) -> None:
    """Item 5 (ASSGN read in full, no undocumented field) and item 6 (an empty listing
    is confirmed by ``/count`` in either documented shape) end to end."""
    db = tmp_path / "warehouse.duckdb"
    first = run_source("workfront").rows
    assert first["assignments"] > 0
    assert_raw_is_the_api(db, handle, settings)
    # nothing changed: every incremental listing is empty, confirmed by /count
    second = run_source("workfront").rows
    assert not any(n for table, n in second.items() if table != "assignments"), second
    # a reassignment has no modified-at field: the full read still picks it up
    handle.advance(60 * 24 * 2)
    run_source("workfront")
    assert_raw_is_the_api(db, handle, settings)


def test_a_refused_request_shows_workfront_s_message(handle: SandboxHandle, tmp_path: Path) -> None:
    """Item 5: Workfront's ``{"error": {"message": ...}}`` reaches the user."""
    values = loader_env(handle, tmp_path, SOURCES__WORKFRONT__API_VERSION="v9.0")
    result = run_loader(values, "--source", "workfront", timeout=120)
    assert result.returncode == 1, result.stderr
    assert "API version v9.0 is not supported" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "named", "not_named"),
    [
        (
            {"SOURCES__WORKFRONT__API_KEY": "wrong-key"},  # pragma: allowlist secret
            "SOURCES__WORKFRONT__API_KEY",
            "CLIENT_ID",
        ),
        (
            {"SOURCES__WORKFRONT__REFRESH_TOKEN": "wrong-refresh"},
            "REFRESH_TOKEN",
            "API_KEY",
        ),
    ],
)
def test_a_refused_credential_names_the_setting_used(
    handle: SandboxHandle,
    tmp_path: Path,
    overrides: dict[str, str],
    named: str,
    not_named: str,
) -> None:
    """Item 10: the message names the setting that was sent, not always CLIENT_ID."""
    result = run_loader(loader_env(handle, tmp_path, **overrides), "--source", "workfront")
    assert result.returncode == 2, result.stderr
    assert "refused the credentials" in result.stderr
    assert named in result.stderr and not_named not in result.stderr, result.stderr


class _Answer(requests.Response):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url


@pytest.mark.parametrize("body", [{"data": {"count": 7}}, {"count": 7}])
def test_both_documented_count_shapes_are_read(body: Any) -> None:
    """Item 6: the SDK fixture's ``{"data": {"count": N}}`` and the docs' ``{"count": N}``."""
    assert workfront_count(_Answer("http://wf/proj/count"), body) == 7


def test_an_answer_without_a_count_is_not_taken_for_zero() -> None:
    with pytest.raises(IncompletePage):
        workfront_count(_Answer("http://wf/proj/count"), {"data": []})


def test_a_url_naming_a_credential_is_redacted_before_any_message_is_made() -> None:
    """Issue 19: an ``HTTPError`` built after the hook carries no credential value."""
    from loaders.redact import redact_response_url

    answer = _Answer(
        "http://wf/attask/api/v19.0/proj/search?sessionID=s3cret&apiKey=k3y&ID_Sort=asc"
    )
    answer.status_code = 500
    redact_response_url(answer)
    with pytest.raises(requests.HTTPError) as failure:
        answer.raise_for_status()
    assert "s3cret" not in str(failure.value) and "k3y" not in str(failure.value)
    assert "ID_Sort=asc" in answer.url


@pytest.fixture()
def refused_hours(handle: SandboxHandle) -> Iterator[str]:
    """Workfront refuses every ``hour/search`` (HTTP 400 with its error body)."""
    path = f"{WORKFRONT_API}/hour/search"
    handle.call(
        "workfront", "/_sandbox/faults", "POST", {"rate": 1.0, "kinds": ["400"], "paths": [path]}
    )
    yield path
    handle.call("workfront", "/_sandbox/faults", "POST", {"rate": 0.0, "paths": []})


def test_a_refused_resource_is_skipped_with_workfront_s_message(
    handle: SandboxHandle, refused_hours: str, tmp_path: Path
) -> None:
    """Issue 14: a refused resource is named with Workfront's own message (the response
    hooks run on resource requests), the others load, and no credential is printed."""
    result = run_loader(loader_env(handle, tmp_path), "--source", "workfront", timeout=300)
    assert result.returncode == 5, result.stderr
    assert (
        f"hours (HTTP 400 from {handle.urls['workfront']}{refused_hours}: injected client error)"
        in result.stderr
    )
    assert "the others loaded (assignments=" in result.stderr
    # logged by the hook as the request is refused, before dlt wraps the error
    assert f"Workfront refused the request (HTTP 400 from {handle.urls['workfront']}" in (
        result.stderr
    ), result.stderr
    output = result.stdout + result.stderr
    leaked = [name for name, value in handle.secrets().items() if value in output]
    assert not leaked, leaked


def test_a_refusal_of_a_url_naming_the_api_key_keeps_the_key_out_of_the_error(
    handle: SandboxHandle, refused_hours: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19 on a resource request: the legacy ``apiKey`` query parameter (which
    Workfront still accepts) is redacted before the error is made, and the error
    carries Workfront's message."""
    from dlt.sources.helpers.rest_client.auth import APIKeyAuth

    from loaders import workfront

    def in_the_query(**kwargs: Any) -> APIKeyAuth:
        return APIKeyAuth(**(kwargs | {"location": "query"}))

    monkeypatch.setattr(workfront, "APIKeyAuth", in_the_query)
    source = workfront.workfront_source(
        base_url=handle.urls["workfront"], api_key=CREDS.workfront_api_key
    )
    with pytest.raises(PipeException) as failure:
        list(source.with_resources("hours"))
    chain: list[BaseException] = []
    current: BaseException | None = failure.value
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = "\n".join(str(error) for error in chain)
    assert any(isinstance(error, workfront.WorkfrontRefusal) for error in chain), text
    assert "injected client error" in text
    assert CREDS.workfront_api_key not in text
    refusal = next(e for e in chain if isinstance(e, requests.HTTPError))
    assert refusal.response is not None
    assert CREDS.workfront_api_key not in refusal.response.url
    assert "apiKey=***" in refusal.response.url
