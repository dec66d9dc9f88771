"""Fault injection on one endpoint, and the secrets a sandbox knows (issue 19).

``POST /_sandbox/faults`` with ``paths`` limits the faults to the data endpoints whose
path starts with one of the prefixes: that endpoint answers 4xx/5xx, the others 200.
``GET /_sandbox/secrets`` lists the credentials an API accepts and every token it
issued, for the leak tests to search for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.error import HTTPError

import pytest
import requests

from sandbox.settings import Credentials, Faults
from tests.conftest import SandboxHandle

CREDS = Credentials()
WORKFRONT = "/attask/api/v19.0"


@pytest.fixture(scope="module")
def api(sandbox_factory: Callable[..., SandboxHandle]) -> Iterator[SandboxHandle]:
    handle = sandbox_factory("--scale", "0.0002", "--history-days", "1", "--no-rate-limits")
    yield handle
    handle.call("workfront", "/_sandbox/faults", "POST", {"rate": 0.0, "paths": []})


def _workfront(api: SandboxHandle, obj: str) -> requests.Response:
    return requests.get(
        f"{api.urls['workfront']}{WORKFRONT}/{obj}/search",
        headers={"apiKey": CREDS.workfront_api_key},
        params={"$$LIMIT": "1"},
        timeout=10,
    )


@pytest.mark.parametrize("kind", ["400", "404", "500"])
def test_faults_on_one_endpoint_leave_the_others_alone(api: SandboxHandle, kind: str) -> None:
    changes = {"rate": 1.0, "kinds": [kind], "paths": [f"{WORKFRONT}/hour/search"]}
    shown = api.call("workfront", "/_sandbox/faults", "POST", changes)
    assert shown["paths"] == [f"{WORKFRONT}/hour/search"]
    failed = _workfront(api, "hour")
    assert failed.status_code == int(kind)
    assert failed.json()["error"]["message"].startswith("injected")
    assert _workfront(api, "proj").status_code == 200
    api.call("workfront", "/_sandbox/faults", "POST", {"paths": []})
    assert _workfront(api, "proj").status_code == int(kind)  # every endpoint again
    api.call("workfront", "/_sandbox/faults", "POST", {"rate": 0.0})
    assert _workfront(api, "hour").status_code == 200


def test_a_fault_path_must_be_a_url_path(api: SandboxHandle) -> None:
    with pytest.raises(HTTPError) as refused:
        api.call("workfront", "/_sandbox/faults", "POST", {"paths": ["hour/search"]})
    assert refused.value.code == 400
    with pytest.raises(ValueError, match="URL paths"):
        Faults(paths=("hour",))


def test_client_errors_are_never_drawn_by_default() -> None:
    assert not {"400", "404"} & set(Faults().kinds)


def test_secrets_list_the_accepted_credentials_and_every_issued_token(
    api: SandboxHandle,
) -> None:
    issued = requests.post(
        api.urls["bynder"] + "/v6/authentication/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CREDS.bynder_client_id,
            "client_secret": CREDS.bynder_client_secret,
        },
        timeout=10,
    ).json()["access_token"]
    api.call("bynder", "/_sandbox/tokens/expire", "POST", {})  # expired tokens still count
    known = api.call("bynder", "/_sandbox/secrets")
    assert known["credentials"] == {
        "bynder_client_id": CREDS.bynder_client_id,
        "bynder_client_secret": CREDS.bynder_client_secret,
    }
    assert issued in known["issued_tokens"]
    secrets = api.secrets()
    assert issued in secrets.values()
    assert CREDS.workfront_api_key in secrets.values()
    assert CREDS.workfront_refresh_token in secrets.values()
    assert CREDS.webphone_client_id not in secrets.values()  # an identifier, not a secret
