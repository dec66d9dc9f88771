"""Shared pytest fixtures: real sandbox API servers on free loopback ports.

``sandbox_factory`` starts ``python -m sandbox serve`` in a subprocess with the given
settings and returns a :class:`SandboxHandle`; every server is stopped at the end of
the test session (or of the test, for function-scoped uses).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

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
        with urllib.request.urlopen(request, timeout=300) as response:
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

    def stop(self) -> None:
        """Stop the servers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_sandbox(state_dir: Path, *args: str, timeout: float = 120) -> SandboxHandle:
    """Start ``sandbox serve`` with extra CLI ``args`` and wait until it is up."""
    state_file = state_dir / "state.json"
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
    urls = {k: v for k, v in json.loads(state_file.read_text()).items() if k != "pid"}
    return SandboxHandle(process, state_file, urls, list(args))


@pytest.fixture(scope="session")
def sandbox_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., SandboxHandle]]:
    """Start sandboxes on demand; all are stopped when the session ends."""
    started: list[SandboxHandle] = []

    def factory(*args: str) -> SandboxHandle:
        handle = start_sandbox(tmp_path_factory.mktemp("sandbox"), *args)
        started.append(handle)
        return handle

    yield factory
    for handle in started:
        handle.stop()


def loader_env(handle: SandboxHandle, workdir: Path, **overrides: str) -> dict[str, str]:
    """Environment for a loader run against ``handle``, writing under ``workdir``."""
    from sandbox.settings import Credentials

    creds = Credentials()
    env = {
        "DUCKDB_PATH": str(workdir / "warehouse.duckdb"),
        "DLT_PIPELINES_DIR": str(workdir / "dlt"),
        "RUNTIME__DLTHUB_TELEMETRY": "false",
        "RUNTIME__LOG_LEVEL": "WARNING",
        "SOURCES__WEBPHONE__BASE_URL": handle.urls["webphone"],
        "SOURCES__WEBPHONE__CLIENT_ID": creds.webphone_client_id,
        "SOURCES__WEBPHONE__CLIENT_SECRET": creds.webphone_client_secret,
        "SOURCES__BYNDER__BASE_URL": handle.urls["bynder"],
        "SOURCES__BYNDER__CLIENT_ID": creds.bynder_client_id,
        "SOURCES__BYNDER__CLIENT_SECRET": creds.bynder_client_secret,
        "SOURCES__WORKFRONT__BASE_URL": handle.urls["workfront"],
        "SOURCES__WORKFRONT__CLIENT_ID": creds.workfront_client_id,
        "SOURCES__WORKFRONT__CLIENT_SECRET": creds.workfront_client_secret,
        "SOURCES__WORKFRONT__REFRESH_TOKEN": creds.workfront_refresh_token,
    }
    env.update(overrides)
    return env


def run_loader(
    env: dict[str, str], *args: str, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the ``loaders`` CLI in a subprocess with ``env`` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "loaders.cli", "run", "--progress", "none", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --------------------------------------------------------------------- warehouse
@dataclass
class Warehouse:
    """A small warehouse built by the real pipeline: sandbox → loaders → dbt build."""

    sandbox: SandboxHandle
    workdir: Path
    env: dict[str, str]

    @property
    def duckdb_path(self) -> Path:
        """The DuckDB file."""
        return Path(self.env["DUCKDB_PATH"])

    @property
    def target_path(self) -> Path:
        """dbt's target directory (manifest, run_results, docs site)."""
        return Path(self.env["DBT_TARGET_PATH"])

    def dbt(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a dbt command against this warehouse."""
        return run_dbt(self.env, *args, check=check)

    def load(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the loaders against this warehouse's sandbox."""
        result = run_loader(self.env, *args)
        assert result.returncode == 0, result.stderr
        return result

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a read-only query."""
        import duckdb

        with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
            return con.execute(sql).fetchall()


def dbt_env(workdir: Path, **overrides: str) -> dict[str, str]:
    """Environment isolating a dbt run's outputs under ``workdir``."""
    env = {
        "DUCKDB_PATH": str(workdir / "warehouse.duckdb"),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
        "DBT_PROFILES_DIR": str(ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_VERSION_CHECK": "false",
    }
    env.update(overrides)
    return env


def run_dbt(
    env: dict[str, str], *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the dbt CLI from the project root with ``env`` added to the environment."""
    profiles = ROOT / "profiles.yml"
    if not profiles.exists():
        profiles.write_text((ROOT / "profiles.yml.example").read_text())
    dbt = str(Path(sys.executable).with_name("dbt"))
    result = subprocess.run(
        [dbt, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
        )
    return result


WAREHOUSE_ARGS = (
    "--scale",
    "0.0005",
    "--history-days",
    "10",
    "--defect-rate",
    "0.002",
    "--no-rate-limits",
)


@pytest.fixture(scope="session")
def warehouse(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path_factory: pytest.TempPathFactory
) -> Warehouse:
    """The session's shared warehouse, built once: read it, do not change it.

    Tests that change data (clock advances, reloads) build their own with
    :func:`build_warehouse`.
    """
    return build_warehouse(sandbox_factory(*WAREHOUSE_ARGS), tmp_path_factory.mktemp("warehouse"))


def build_warehouse(handle: SandboxHandle, workdir: Path) -> Warehouse:
    """Load everything from ``handle`` and run ``dbt build`` into ``workdir``."""
    env = {**loader_env(handle, workdir), **dbt_env(workdir)}
    built = Warehouse(handle, workdir, env)
    built.load()
    built.dbt("build")
    return built


# ----------------------------------------------------------------------- browser
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (installed by .ci/run)."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `apt-get install chromium` (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
