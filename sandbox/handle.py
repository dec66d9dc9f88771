"""Start the sandbox APIs in a subprocess and steer them (tests, soak, benchmark).

:func:`start_sandbox` runs ``python -m sandbox serve`` with the given CLI arguments,
waits for its state file (written once every API answers its health check) and
returns a :class:`SandboxHandle`; :func:`source_environment` gives the environment
that points the loaders at it.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.settings import Credentials

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class SandboxHandle:
    """A running sandbox: base URLs, and helpers to steer it."""

    process: subprocess.Popen[bytes]
    state_file: Path
    urls: dict[str, str]
    args: list[str] = field(default_factory=list)

    def call(self, system: str, path: str, method: str = "GET", body: Any = None) -> Any:
        """JSON request to an admin endpoint of one API."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.urls[system] + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=600) as response:
            return json.loads(response.read())

    def now_ms(self) -> int:
        """The simulated clock."""
        return int(self.call("webphone", "/_sandbox/clock")["now_ms"])

    def advance(self, minutes: float) -> int:
        """Move the simulated clock forward; return the new now (epoch ms)."""
        body = {"advance_seconds": minutes * 60}
        return int(self.call("webphone", "/_sandbox/clock", "POST", body)["now_ms"])

    def expected(self, system: str, entity: str) -> dict[str, str]:
        """Ground truth: id -> live/deleted of every record visible now."""
        return dict(self.call(system, f"/_sandbox/expected/{entity}"))

    def manifest(self) -> list[dict[str, Any]]:
        """Ground truth of injected defects, all systems."""
        return [row for system in self.urls for row in self.call(system, "/_sandbox/manifest")]

    def stats(self, system: str) -> dict[str, Any]:
        """Request, fault and rate-limit counters of one API."""
        return dict(self.call(system, "/_sandbox/stats"))

    def secrets(self) -> dict[str, str]:
        """Every credential the APIs accept and every token they issued so far.

        Keyed by a name saying which; client ids, which are not secret, are left out.
        """
        found: dict[str, str] = {}
        for system in self.urls:
            known = self.call(system, "/_sandbox/secrets")
            for name, value in known["credentials"].items():
                if not name.endswith("_client_id"):
                    found[name] = value
            for number, token in enumerate(known["issued_tokens"]):
                found[f"{system} issued token {number}"] = token
        return found

    def stop(self) -> None:
        """Stop the servers."""
        terminate(self.process)


def terminate(process: subprocess.Popen[bytes], grace: float = 20) -> None:
    """SIGTERM ``process``; SIGKILL it if it has not exited after ``grace`` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()


def start_sandbox(state_dir: Path, *args: str, timeout: float = 300) -> SandboxHandle:
    """Start ``sandbox serve`` with extra CLI ``args`` and wait until it is up.

    The servers' output goes to ``state_dir/sandbox.log``.

    Raises:
        RuntimeError: The servers exited or did not come up within ``timeout`` seconds.

    """
    state_dir.mkdir(parents=True, exist_ok=True)
    state_file = state_dir / "state.json"
    state_file.unlink(missing_ok=True)
    command = [sys.executable, "-m", "sandbox", "serve", "--state-file", str(state_file), *args]
    log = (state_dir / "sandbox.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while not state_file.exists():
        if process.poll() is not None:
            raise RuntimeError((state_dir / "sandbox.log").read_text())
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("sandbox did not start in time")
        time.sleep(0.1)
    state = json.loads(state_file.read_text())
    urls = {k: v for k, v in state.items() if k not in ("pid", "environment")}
    return SandboxHandle(process, state_file, urls, list(args))


def source_environment(urls: dict[str, str]) -> dict[str, str]:
    """The environment variables (dlt configuration) pointing the loaders at ``urls``."""
    creds = Credentials()
    return {
        "SOURCES__WEBPHONE__BASE_URL": urls["webphone"],
        "SOURCES__WEBPHONE__CLIENT_ID": creds.webphone_client_id,
        "SOURCES__WEBPHONE__CLIENT_SECRET": creds.webphone_client_secret,
        "SOURCES__BYNDER__BASE_URL": urls["bynder"],
        "SOURCES__BYNDER__CLIENT_ID": creds.bynder_client_id,
        "SOURCES__BYNDER__CLIENT_SECRET": creds.bynder_client_secret,
        "SOURCES__WORKFRONT__BASE_URL": urls["workfront"],
        "SOURCES__WORKFRONT__CLIENT_ID": creds.workfront_client_id,
        "SOURCES__WORKFRONT__CLIENT_SECRET": creds.workfront_client_secret,
        "SOURCES__WORKFRONT__REFRESH_TOKEN": creds.workfront_refresh_token,
    }
