"""Shared pytest fixtures: real sandbox API servers on free loopback ports.

Test tiers: every test that loads or builds a warehouse (it asks for a warehouse
fixture, or its module imports a runner of :data:`PIPELINE_RUNNERS`) is marked
``warehouse`` automatically, so ``make test-fast`` (``-m "not warehouse and not
slow"``) is the quick edit loop and ``make test`` runs everything.

``sandbox_factory`` starts ``python -m sandbox serve`` in a subprocess with the given
settings and returns a :class:`SandboxHandle`; every server is stopped at the end of
the test session (or of the test, for function-scoped uses).
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sandbox.handle import ROOT, SandboxHandle, source_environment, start_sandbox, terminate

#: Fixtures that build (or serve) a warehouse: a test asking for one is in the slow tier.
WAREHOUSE_FIXTURES = frozenset(
    {"warehouse", "quality_warehouse", "fakesnow_server", "airflow_home"}
)
#: Functions that run the loaders or dbt: a test module that imports one is in it too.
PIPELINE_RUNNERS = (
    "run_source",
    "run_loader",
    "run_loader_forked",
    "load_all",
    "loader_env",
    "build_warehouse",
    "run_dbt",
    "dbt_env",
)


#: Session warehouses: every test that reads one runs on the same xdist worker, so each
#: is built once per run (a session fixture is per worker).
SHARED_WAREHOUSES = ("warehouse", "quality_warehouse")
#: The longest work units (xdist groups) of ``make test``, longest first, with their
#: seconds in CI (pytest --durations): they start first so that the two workers end
#: together; every other unit follows in collection order.
LONGEST_FIRST = (
    "tests/snowflake/test_emulator.py",  # ~470: two warehouses built twice, in parallel
    "tests/orchestration/test_micro_batch_and_deploy.py",  # ~450
    "tests/orchestration/test_backfill.py",  # ~430
    "canary_emulator",  # ~400 (tests/reliability/test_canary.py)
    "warehouse",  # ~390: the shared warehouse, and what its readers build from it
    "tests/warehouse/test_incremental.py",  # ~380
    "quality_warehouse",  # ~370: the quality warehouse, and its readers' builds
    "canary_duckdb",  # ~250 (tests/reliability/test_canary.py)
    "tests/warehouse/test_schema_drift.py",  # ~160
    "tests/orchestration/test_dag_integrity.py",  # ~75
    "tests/warehouse/test_micro_batch_window.py",  # ~75
)


#: The file where each xdist worker writes every test's work unit (nodeid -> unit).
UNITS_FILE = "TESTS_WORK_UNITS_FILE"


def pytest_configure(config: pytest.Config) -> None:
    """On the xdist controller: a file for the workers' work units (inherited by them)."""
    distributed = config.getoption("dist", "no") not in (None, "no")
    if distributed and not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = Path(tempfile.mkdtemp(prefix="pytest-work-units-"))
        os.environ[UNITS_FILE] = str(folder / "units.json")


def pytest_unconfigure(config: pytest.Config) -> None:
    """On the xdist controller: remove the work units' file and its folder."""
    written = os.environ.get(UNITS_FILE)
    if written and not os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.rmtree(Path(written).parent, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` by :func:`work_unit`, as the workers wrote them.

    xdist marks a group by appending ``@group`` to a test's nodeid, which pytest 9
    ignores (its nodeid is no longer that attribute), so ``loadgroup`` alone would hand
    out single tests; this scheduler reads the units instead (or the test's file).
    """
    if config.getoption("dist", "no") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class WorkUnitScheduling(LoadScopeScheduling):
        units: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.units is None:  # read once all the workers have collected
                written = Path(os.environ.get(UNITS_FILE, "/nonexistent"))
                self.units = json.loads(written.read_text()) if written.is_file() else {}
            return self.units.get(nodeid) or nodeid.split("::", 1)[0]

    return WorkUnitScheduling(config, log)


def work_unit(item: pytest.Item) -> str:
    """The xdist group of a test (``--dist loadgroup``).

    Its own ``xdist_group`` mark if it has one, else the shared session warehouse it
    reads (directly or through its fixtures), else its file: a file's tests stay on
    one worker, so a module fixture is built once (``--dist loadfile`` for them).
    """
    mark = item.get_closest_marker("xdist_group")
    if mark is not None:
        return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    for name in SHARED_WAREHOUSES:
        # the session fixture, not a module's own fixture of the same name
        if name in definitions and definitions[name][-1].scope == "session":
            return name
    return item.nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that load or build a warehouse ``warehouse`` (not in test-fast);
    group the tests for xdist (:func:`work_unit`) and put the longest units first."""
    units: dict[str, str] = {}
    for item in items:
        module = getattr(item, "module", None)
        builds = module is not None and any(name in vars(module) for name in PIPELINE_RUNNERS)
        if builds or WAREHOUSE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.warehouse)
        units[item.nodeid] = work_unit(item)
    if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get(UNITS_FILE):
        # for the controller's scheduler (:func:`pytest_xdist_make_scheduler`)
        written = Path(os.environ[UNITS_FILE])
        partial = written.with_name(f"{written.name}.{os.environ['PYTEST_XDIST_WORKER']}")
        partial.write_text(json.dumps(units))
        partial.replace(written)
    first_seen = {unit: index for index, unit in reversed(list(enumerate(units.values())))}
    rank = {unit: index for index, unit in enumerate(LONGEST_FIRST)}
    # a stable sort: a unit's tests stay together and in their order
    items.sort(
        key=lambda item: (
            rank.get(units[item.nodeid], len(rank)),
            first_seen[units[item.nodeid]],
        )
    )


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
    env = {
        "DUCKDB_PATH": str(workdir / "warehouse.duckdb"),
        "DLT_PIPELINES_DIR": str(workdir / "dlt"),
        "RUNTIME__DLTHUB_TELEMETRY": "false",
        "RUNTIME__LOG_LEVEL": "WARNING",
        **source_environment(handle.urls),
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
        """Run a dbt command against this warehouse, on the sandbox's clock.

        Elementary's anomaly tests close their buckets at ``ELEMENTARY_RUN_STARTED_AT``
        (dbt_project.yml, var ``custom_run_started_at``): the simulated now.
        """
        return run_dbt({**self.env, **elementary_clock(self.sandbox)}, *args, check=check)

    def load(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the loaders against this warehouse's sandbox."""
        result = run_loader(self.env, *args)
        assert result.returncode == 0, result.stderr
        return result

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a read-only query."""
        return query(self.duckdb_path, sql)


def query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of a read-only query (with ``params`` for its ``?``) on a DuckDB file."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def elementary_clock(handle: SandboxHandle) -> dict[str, str]:
    """``ELEMENTARY_RUN_STARTED_AT``: the sandbox's simulated now, ISO 8601 UTC."""
    now = datetime.fromtimestamp(handle.now_ms() / 1000, tz=UTC)
    return {"ELEMENTARY_RUN_STARTED_AT": now.strftime("%Y-%m-%dT%H:%M:%S")}


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


# ------------------------------------------------------------- Snowflake emulator
@dataclass
class FakesnowServer:
    """A running fakesnow server (``tools/snowflake_emulator/``) on loopback."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    log: Path

    @property
    def env(self) -> dict[str, str]:
        """What the dbt target and the loader destination ``snowflake_emulator`` read."""
        return {"FAKESNOW_HOST": self.host, "FAKESNOW_PORT": str(self.port)}

    def connect(self, database: str = "ANALYTICS") -> Any:
        """A snowflake-connector-python connection (any credentials are accepted)."""
        import snowflake.connector

        return snowflake.connector.connect(
            account="fakesnow",
            user="test",
            password="test",  # pragma: allowlist secret
            host=self.host,
            port=self.port,
            protocol="http",
            database=database,
            network_timeout=60,
        )

    def stop(self) -> None:
        """Stop the server."""
        terminate(self.process)


def start_fakesnow(workdir: Path, timeout: float = 60) -> FakesnowServer:
    """Start the emulator (in-memory databases) on a free loopback port; wait for it."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    log = workdir / "fakesnow.log"
    command = [sys.executable, "-m", "tools.snowflake_emulator", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    server = FakesnowServer(process, "127.0.0.1", port, log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"fakesnow exited:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError("fakesnow did not start in time") from None
            time.sleep(0.2)


@pytest.fixture(scope="session")
def fakesnow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakesnowServer]:
    """The Snowflake emulator for the session (dbt target / loader destination
    ``snowflake_emulator``); stopped at the end of the session."""
    server = start_fakesnow(tmp_path_factory.mktemp("fakesnow"))
    yield server
    server.stop()


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


class _SlackReceiver(http.server.BaseHTTPRequestHandler):
    """Answers every POST with 200 ``ok`` and keeps its JSON body."""

    received: list[dict[str, Any]]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A Slack-shaped webhook receiver on loopback: its URL and the JSON bodies posted."""
    received: list[dict[str, Any]] = []
    handler = type("Receiver", (_SlackReceiver,), {"received": received})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/services/T0/B0/hook", received
    server.shutdown()
    server.server_close()
