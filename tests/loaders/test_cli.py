"""The ``loaders`` command line: argument checks, progress output, stateless backfills."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import pytest
import requests

from loaders.cli import main
from loaders.pipeline import make_pipeline
from sandbox.settings import Credentials
from tests.conftest import ROOT, SandboxHandle, loader_env, run_loader
from tests.loaders.helpers import query

CREDS = Credentials()
ARGS = ("--scale", "0.0003", "--history-days", "2", "--defect-rate", "0", "--no-rate-limits")


@pytest.fixture(scope="module")
def handle(sandbox_factory: Callable[..., SandboxHandle]) -> SandboxHandle:
    return sandbox_factory(*ARGS)


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def calls_between(handle: SandboxHandle, since: str, before: str | None = None) -> dict[str, str]:
    """id -> updated_at of every call the API lists in ``[since, before)``."""
    base = handle.urls["webphone"]
    token = requests.post(
        base + "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CREDS.webphone_client_id,
            "client_secret": CREDS.webphone_client_secret,
        },
        timeout=10,
    ).json()["access_token"]
    params: dict[str, Any] = {"limit": 1000, "updated_since": since}
    if before:
        params["updated_before"] = before
    out: dict[str, str] = {}
    while True:
        body = requests.get(
            base + "/v1/calls",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        out.update((row["id"], row["updated_at"]) for row in body["data"])
        if not body["has_more"]:
            return out
        params["cursor"] = body["next_cursor"]


def stored_cursor() -> str:
    """The committed ``updated_at`` cursor of the WebPhone calls resource."""
    state = make_pipeline("webphone").state
    resource = state["sources"]["webphone"]["resources"]["calls"]
    return str(resource["incremental"]["updated_at"]["last_value"])


# --------------------------------------------------------------------- arguments
def test_unknown_source_is_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--source", "salesforce"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'salesforce'" in err and "webphone" in err


def test_end_without_start_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--source", "bynder", "--end", "2026-11-01T00:00:00Z"])
    assert exit_info.value.code == 2
    assert "--end needs --start" in capsys.readouterr().err


# ---------------------------------------------------------------------- progress
def test_tqdm_progress_is_shown_and_the_load_completes(
    handle: SandboxHandle, tmp_path: Path
) -> None:
    values = loader_env(handle, tmp_path)
    result = run_loader(values, "--source", "workfront", "--progress", "tqdm")
    assert result.returncode == 0, result.stderr
    assert "%|" in result.stderr and "it/s" in result.stderr, result.stderr[-2000:]
    assert result.stdout.startswith("workfront: ") and " rows in " in result.stdout
    tasks = query(Path(values["DUCKDB_PATH"]), "select count(*) from raw_workfront.tasks")[0][0]
    live = [v for v in handle.expected("workfront", "tasks").values() if v == "live"]
    assert tasks == len(live)


# ----------------------------------------------------------------------- backfill
def test_backfill_loads_its_window_and_keeps_the_cursor(
    handle: SandboxHandle, env: Callable[..., dict[str, str]], tmp_path: Path
) -> None:
    env(handle)
    db = tmp_path / "warehouse.duckdb"
    assert main(["run", "--source", "webphone", "--progress", "none"]) == 0
    cursor = stored_cursor()
    start_ms = handle.now_ms()
    now = handle.advance(240)
    assert stored_cursor() == cursor

    # backfill a window of the new calls that starts on the whole second of a call
    # stamped a little after it (…:06Z holds …:06.771Z): both bounds must agree
    new_calls = calls_between(handle, iso(start_ms + 30 * 60_000), iso(now - 30 * 60_000))
    first = min(new_calls.values())
    start, end = first[:19] + "Z", iso(now - 30 * 60_000)
    window = calls_between(handle, start, end)
    assert len(window) > 5 and first in window.values() and not first.endswith(".000Z")
    backfill = ["run", "--source", "webphone", "--progress", "none", "--start", start]
    assert main([*backfill, "--end", end]) == 0
    load_id = max(r[0] for r in query(db, "select _dlt_load_id from raw_webphone.calls"))
    loaded = dict(
        query(db, f"select id, updated_at from raw_webphone.calls where _dlt_load_id = '{load_id}'")
    )
    assert loaded == window, "the backfill loads exactly the versions stamped in its window"
    assert stored_cursor() == cursor, "a backfill does not move the stored cursor"

    # the next incremental run starts from the original cursor: it reloads the window too
    assert main(["run", "--source", "webphone", "--progress", "none"]) == 0
    load_id = max(r[0] for r in query(db, "select _dlt_load_id from raw_webphone.calls"))
    incremental = {
        r[0]
        for r in query(db, f"select id from raw_webphone.calls where _dlt_load_id = '{load_id}'")
    }
    since_cursor = calls_between(handle, cursor)
    assert {k for k, v in since_cursor.items() if v > cursor} <= incremental
    assert set(window) <= incremental
    assert stored_cursor() == max(since_cursor.values())


# ---------------------------------------------------------------------- parallel
def test_parallel_sources_load_the_same_as_one_after_another(
    handle: SandboxHandle, tmp_path: Path
) -> None:
    """The default parallel run lands what a sequential run lands, table by table."""
    tables: dict[str, dict[str, int]] = {}
    for mode in ("parallel", "sequential"):
        values = loader_env(handle, tmp_path / mode)
        flags = ("--sequential",) if mode == "sequential" else ()
        result = run_loader(values, *flags)
        assert result.returncode == 0, result.stderr
        assert {line.split(":")[0] for line in result.stdout.splitlines()} == {
            "webphone",
            "bynder",
            "workfront",
        }
        db = Path(values["DUCKDB_PATH"])
        names = query(
            db,
            "select table_schema, table_name from information_schema.tables "
            "where table_schema like 'raw\\_%' escape '\\' "
            "and table_schema not like '%\\_staging' escape '\\' "
            "and table_name not like '\\_dlt%' escape '\\'",
        )
        tables[mode] = {
            f"{schema}.{table}": query(db, f'select count(*) from "{schema}"."{table}"')[0][0]
            for schema, table in names
        }
    assert tables["parallel"] == tables["sequential"]
    assert len(tables["parallel"]) >= 19


def test_a_killed_parallel_run_takes_its_source_processes_with_it(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path: Path
) -> None:
    """SIGKILL of `loaders run` leaves no per-source process loading on behind it."""
    # every data request hangs 30 s: the sources are mid-extract when the run is killed
    slow = sandbox_factory(*ARGS, "--slow-rate", "1", "--slow-seconds", "30")
    values = loader_env(slow, tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "loaders", "run", "--progress", "none"],
        cwd=ROOT,
        env={**os.environ, **values},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 60
    children: list[psutil.Process] = []
    while len(children) < 3 and time.monotonic() < deadline:
        children = parent.children()
        time.sleep(0.05)
    assert len(children) == 3, "one process per source"
    process.kill()
    process.wait()
    _, alive = psutil.wait_procs(children, timeout=5)
    assert not alive, f"source processes outlived the killed run: {alive}"
