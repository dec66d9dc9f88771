"""Tokens and secrets: refused when wrong, renewed when ended, never written anywhere.

* Each API refuses a data request with no token, a wrong one, and one it has expired.
* A token the API ends before its announced lifetime is renewed by the loaders and
  the request resent (``loaders/auth.py``): the load completes and reconciles.
* No client secret, refresh token, API key or issued access token appears in the
  loader's output (at INFO, with bad pages logged), the dlt working directory, the
  pipeline state committed to the warehouse (decompressed), or the warehouse file.
  Workfront runs with its legacy API key here, the riskiest case: it travels as the
  ``apiKey`` header, never in a URL. The dbt side (logs, manifest, docs site) is
  checked in ``test_dbt.py``.
* The same holds when a load fails (issue 19): the failed request's exception is
  saved in dlt's trace (``trace.pickle``, read unpickled here), so no URL in it may
  carry a credential.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
import requests
from dlt.common.versioned_state import decompress_state

from sandbox.settings import Credentials
from tests.conftest import ROOT, SandboxHandle, loader_env
from tests.reliability.helpers import (
    ARGS,
    FAST_RETRIES,
    SYSTEMS,
    assert_reconciles,
    load_all,
    loader_environment,
    set_faults,
)

CREDS = Credentials()
SECRETS = {name: value for name, value in vars(CREDS).items() if "client_id" not in name}


@pytest.fixture(scope="module")
def api(sandbox_factory: Callable[..., SandboxHandle]) -> SandboxHandle:
    """One sandbox for the module."""
    return sandbox_factory(*ARGS)


def _token(api: SandboxHandle, system: str) -> str:
    base = api.urls[system]
    if system == "workfront":
        data = {
            "grant_type": "refresh_token",
            "client_id": CREDS.workfront_client_id,
            "client_secret": CREDS.workfront_client_secret,
            "refresh_token": CREDS.workfront_refresh_token,
        }
        url = base + "/integrations/oauth2/api/v1/token"
    else:
        data = {
            "grant_type": "client_credentials",
            "client_id": getattr(CREDS, f"{system}_client_id"),
            "client_secret": getattr(CREDS, f"{system}_client_secret"),
        }
        url = base + ("/oauth/token" if system == "webphone" else "/v6/authentication/oauth2/token")
    response = requests.post(url, data=data, timeout=10)
    response.raise_for_status()
    return str(response.json()["access_token"])


def _get(api: SandboxHandle, system: str, token: str | None) -> int:
    paths = {
        "webphone": "/v1/agents",
        "bynder": "/api/v4/media/",
        "workfront": "/attask/api/v19.0/user/search",
    }
    headers: dict[str, str] = {}
    if token is not None:
        headers = (
            {"sessionID": token} if system == "workfront" else {"Authorization": f"Bearer {token}"}
        )
    return requests.get(api.urls[system] + paths[system], headers=headers, timeout=10).status_code


@pytest.mark.parametrize("system", SYSTEMS)
def test_missing_wrong_and_expired_tokens_are_refused(api: SandboxHandle, system: str) -> None:
    token = _token(api, system)
    assert _get(api, system, token) == 200
    assert _get(api, system, None) == 401
    assert _get(api, system, token[:-4] + "nope") == 401
    api.call(system, "/_sandbox/tokens/expire", "POST", {})
    assert _get(api, system, token) == 401


def test_tokens_ended_early_are_renewed_and_the_load_completes(
    api: SandboxHandle, tmp_path: Path
) -> None:
    before = {s: api.stats(s) for s in SYSTEMS}
    set_faults(api, slow_rate=1.0, slow_seconds=0.05)
    stop = threading.Event()

    def revoke() -> None:
        """End each API's tokens once, as soon as it has served the load a page.

        Not on a clock: a load that finished between two revocations (a warm machine
        loads a source in under half a second) would never meet one. Only once: the
        loader renews once per 401 by design, and a second revocation landing between a
        renewal and its resend (likely on a busy machine) failed the load.
        """
        served = {system: before[system]["data_requests"] for system in SYSTEMS}
        pending = set(SYSTEMS)
        while pending and not stop.wait(0.02):
            for system in sorted(pending):
                if api.stats(system)["data_requests"] > served[system]:
                    api.call(system, "/_sandbox/tokens/expire", "POST", {})
                    pending.discard(system)

    revoker = threading.Thread(target=revoke, daemon=True)
    revoker.start()
    try:
        with loader_environment(api, tmp_path, **FAST_RETRIES):
            load_all()
    finally:
        stop.set()
        revoker.join()
        set_faults(api, slow_rate=0.0)
    for system in SYSTEMS:
        stats = api.stats(system)
        refused = stats["unauthorized"] - before[system]["unauthorized"]
        issued = stats["tokens_issued"] - before[system]["tokens_issued"]
        assert refused > 0 and issued > 1, (system, stats)
    assert_reconciles(tmp_path / "warehouse.duckdb", api)


#: runs the loaders CLI, recording every access token obtained (the test's oracle)
RECORDING_LOADER = """
import json, sys
from loaders import auth
tokens = []
original = auth.RenewingOAuth2ClientCredentials.obtain_token
def obtain_token(self):
    original(self)
    tokens.append(str(self.access_token))
auth.RenewingOAuth2ClientCredentials.obtain_token = obtain_token
from loaders.cli import main
try:
    code = main(["run", "--progress", "none", "--sequential"])  # tokens recorded here
finally:
    open(sys.argv[1], "w").write(json.dumps(tokens))
sys.exit(code)
"""


def _haystacks(workdir: Path, output: str) -> dict[str, bytes]:
    found = {"loader output": output.encode()}
    for path in (workdir / "dlt").rglob("*"):
        if path.is_file():
            found[str(path.relative_to(workdir))] = path.read_bytes()
    db = workdir / "warehouse.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        for (schema,) in con.execute(
            "select distinct table_schema from information_schema.tables "
            "where table_name = '_dlt_pipeline_state'"
        ).fetchall():
            states = con.execute(f"select state from {schema}._dlt_pipeline_state").fetchall()
            decoded = [decompress_state(state) for (state,) in states]
            found[f"{schema}._dlt_pipeline_state"] = json.dumps(decoded).encode()
    found["warehouse file"] = db.read_bytes()
    return found


def test_no_secret_or_token_in_logs_state_or_warehouse(api: SandboxHandle, tmp_path: Path) -> None:
    set_faults(api, rate=0.2, kinds=["malformed_json", "503"])  # warnings that name URLs
    env = loader_env(
        api,
        tmp_path,
        **FAST_RETRIES,
        RUNTIME__LOG_LEVEL="INFO",
        SOURCES__WORKFRONT__API_KEY=CREDS.workfront_api_key,
    )
    tokens_file = tmp_path / "tokens.json"
    try:
        result = subprocess.run(
            [sys.executable, "-c", RECORDING_LOADER, str(tokens_file)],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        set_faults(api, rate=0.0)
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert "bad page, retrying" in output and "Making GET request" in output  # logs were on
    assert "apiKey=" not in output  # the key travels as a header, never in a URL
    tokens = json.loads(tokens_file.read_text())
    assert len(tokens) >= 2, tokens
    wanted: dict[str, Any] = {**SECRETS, **{f"access token {i}": t for i, t in enumerate(tokens)}}
    leaks = [
        (name, where)
        for where, haystack in _haystacks(tmp_path, output).items()
        for name, value in wanted.items()
        if value.encode() in haystack
    ]
    assert not leaks, leaks


#: loads one source with the loaders CLI, recording every access token obtained
RECORDING_ONE_SOURCE = RECORDING_LOADER.replace(
    '["run", "--progress", "none", "--sequential"]',
    '["run", "--progress", "none", "--source", sys.argv[2]]',
)


def _trace_text(workdir: Path) -> str:
    """Every dlt trace under the pipelines dir, unpickled and rendered as text."""
    texts = []
    for path in (workdir / "dlt").rglob("trace.pickle"):
        trace = pickle.loads(path.read_bytes())
        texts.append(repr(trace))
        texts.append(json.dumps(trace.asdict(), default=str))
    return "\n".join(texts)


@pytest.mark.parametrize("auth", ["api_key", "oauth"])
def test_a_failed_request_leaves_no_credential_anywhere(
    api: SandboxHandle, tmp_path: Path, auth: str
) -> None:
    """Issue 19: every data request fails (HTTP 500); the trace, the files under the
    pipelines dir, the warehouse and the console carry no credential the sandbox issued."""
    set_faults(api, ("workfront",), rate=1.0, kinds=["500"])
    overrides = (
        {"SOURCES__WORKFRONT__API_KEY": CREDS.workfront_api_key} if auth == "api_key" else {}
    )
    env = loader_env(
        api,
        tmp_path,
        RUNTIME__LOG_LEVEL="INFO",
        RUNTIME__REQUEST_MAX_ATTEMPTS="2",
        RUNTIME__REQUEST_BACKOFF_FACTOR="0.05",
        **overrides,
    )
    tokens_file = tmp_path / "tokens.json"
    try:
        result = subprocess.run(
            [sys.executable, "-c", RECORDING_ONE_SOURCE, str(tokens_file), "workfront"],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        set_faults(api, ("workfront",), rate=0.0)
    assert result.returncode == 4, result.stderr[-3000:]
    output = result.stdout + result.stderr
    trace = _trace_text(tmp_path)
    assert "500 Server Error" in trace, "the failed request is in the trace"
    tokens = json.loads(tokens_file.read_text())
    assert bool(tokens) == (auth == "oauth"), tokens
    wanted: dict[str, Any] = {**SECRETS, **{f"access token {i}": t for i, t in enumerate(tokens)}}
    haystacks = {**_haystacks(tmp_path, output), "unpickled trace": trace.encode()}
    leaks = [
        (name, where)
        for where, haystack in haystacks.items()
        for name, value in wanted.items()
        if value.encode() in haystack
    ]
    assert not leaks, leaks
    for where, haystack in haystacks.items():
        for param in ("apiKey=", "sessionID=", "access_token=", "client_secret="):
            assert param.encode() + b"***" in haystack or param.encode() not in haystack, (
                param,
                where,
            )
