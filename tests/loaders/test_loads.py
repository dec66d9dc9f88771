"""The dlt loaders against the real sandbox servers: exactly once, incremental, faults."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from loaders.pipeline import run_source
from sandbox.settings import SandboxSettings
from tests.conftest import SandboxHandle, loader_env, run_loader
from tests.loaders.helpers import (
    MERGED,
    current_stamps,
    deleted,
    ids,
    live,
    query,
    version_column,
    world_at,
)

ARGS = ("--scale", "0.0005", "--history-days", "3", "--defect-rate", "0.005", "--no-rate-limits")
SETTINGS = SandboxSettings(scale=0.0005, history_days=3, defect_rate=0.005)


def load_all() -> dict[str, dict[str, int]]:
    return {system: run_source(system).rows for system in ("webphone", "bynder", "workfront")}


def assert_raw_matches_api(db: Path, handle: SandboxHandle) -> None:
    """Every record the API lists is in raw exactly once, at its current version."""
    world = world_at(SETTINGS, handle.now_ms())
    for schema, table, column, entity in MERGED:
        found = ids(db, schema, table, column)
        assert len(found) == len(set(found)), f"duplicate keys in {schema}.{table}"
        expected_live = live(world, entity)
        gone = deleted(world, entity)
        # a record deleted after it was loaded keeps its last state (soft delete)
        assert expected_live <= set(found) <= expected_live | gone, f"{schema}.{table}"
        stamps = dict(
            query(db, f"select id, {version_column(table, schema[4:])} from {schema}.{table}")
        )
        expected = current_stamps(world, entity)
        wrong = {k for k, v in expected.items() if stamps.get(k) != v}
        assert not wrong, f"{schema}.{table}: {len(wrong)} rows not at their current version"
    for entity in ("calls", "customers"):
        tombstones = set(ids(db, "raw_webphone", f"{entity}_tombstones"))
        assert tombstones == deleted(world, entity)
    journal = set(ids(db, "raw_workfront", "journal_entries", "sub_obj_id"))
    assert journal == deleted(world, "hours")
    usage = ids(db, "raw_bynder", "usage")
    duplicated = sum(
        1
        for row in world.manifest()
        if row["entity"] == "usage" and row["defect"] == "exact_duplicate"
    )
    assert set(usage) == live(world, "usage")
    assert len(usage) == len(live(world, "usage")) + duplicated  # append keeps the API's rows


def test_loads_are_exact_and_incremental(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    handle = sandbox_factory(*ARGS)
    env(handle)
    db = tmp_path / "warehouse.duckdb"

    first = load_all()
    assert first["webphone"]["calls"] > 500
    assert_raw_matches_api(db, handle)

    # nothing changed: nothing is loaded (but the lists read whole on every run)
    second = load_all()
    whole = ("campaigns", "metaproperties", "assignments")
    assert all(not any(n for t, n in rows.items() if t not in whole) for rows in second.values()), (
        second
    )

    # the clock moves 30 minutes: exactly the new and changed versions arrive, all but
    # the assignments with a load of the changes only (the 5-minute batch's), then the
    # assignments, read whole, with the next complete load
    before = handle.now_ms()
    after = handle.advance(30)
    assignments_load = query(db, "select max(_dlt_load_id) from raw_workfront.assignments")
    batch = run_source("workfront", changes_only=True).rows
    assert any(batch.values()) and not batch.get("assignments"), batch
    assert query(db, "select max(_dlt_load_id) from raw_workfront.assignments") == (
        assignments_load
    )
    load_all()
    assert_raw_matches_api(db, handle)
    world = world_at(SETTINGS, after)
    for schema, table, _, entity in MERGED:
        listing = world.entity(entity).updated_order(before + 1, None, after)
        changed = {
            world.entity(entity).sort_id(it)
            for i in range(listing.n_chunks)
            for it in listing.chunk(i)
        }
        newest = query(db, f"select max(_dlt_load_id) from {schema}.{table}")[0][0]
        touched = {
            r[0]
            for r in query(db, f"select id from {schema}.{table} where _dlt_load_id = '{newest}'")
        }
        if table == "assignments":  # no modified-at field: read whole on every run
            assert touched == live(world, entity), f"{schema}.{table}"
        elif changed:
            assert touched == changed, f"{schema}.{table}"


def test_api_faults_are_retried(
    sandbox_factory: Callable[..., SandboxHandle],
    env: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    handle = sandbox_factory(
        *ARGS,
        "--fault-rate",
        "0.05",
        "--fault-kinds",
        "429,500,503,reset,timeout",
        "--timeout-seconds",
        "3",
    )
    env(
        handle,
        RUNTIME__REQUEST_TIMEOUT="1",
        RUNTIME__REQUEST_BACKOFF_FACTOR="0.05",
        RUNTIME__REQUEST_MAX_RETRY_DELAY="1",
        RUNTIME__REQUEST_MAX_ATTEMPTS="12",
    )
    load_all()
    assert_raw_matches_api(tmp_path / "warehouse.duckdb", handle)
    injected = sum(sum(handle.stats(s)["faults"].values()) for s in handle.urls)
    assert injected > 0


def test_wrong_credentials_fail_fast_with_a_clear_message(
    sandbox_factory: Callable[..., SandboxHandle],
    tmp_path: Path,
) -> None:
    handle = sandbox_factory(*ARGS)
    values = loader_env(handle, tmp_path, SOURCES__WEBPHONE__CLIENT_SECRET="wrong")
    began = time.monotonic()
    result = run_loader(values, "--source", "webphone")
    assert result.returncode == 2, result.stderr
    assert "refused the credentials" in result.stderr
    assert "SOURCES__WEBPHONE__CLIENT_ID" in result.stderr
    assert time.monotonic() - began < 30


def test_unreachable_api_is_reported(
    tmp_path: Path, sandbox_factory: Callable[..., SandboxHandle]
) -> None:
    handle = sandbox_factory(*ARGS)
    values = loader_env(
        handle,
        tmp_path,
        SOURCES__BYNDER__BASE_URL="http://127.0.0.1:9",
        RUNTIME__REQUEST_MAX_ATTEMPTS="2",
        RUNTIME__REQUEST_BACKOFF_FACTOR="0.1",
    )
    result = run_loader(values, "--source", "bynder")
    assert result.returncode == 3, result.stderr
    assert "cannot reach the API" in result.stderr


def test_exhausted_retries_fail_loudly(
    sandbox_factory: Callable[..., SandboxHandle],
    tmp_path: Path,
) -> None:
    handle = sandbox_factory(*ARGS, "--fault-rate", "1.0", "--fault-kinds", "503")
    values = loader_env(
        handle, tmp_path, RUNTIME__REQUEST_MAX_ATTEMPTS="2", RUNTIME__REQUEST_BACKOFF_FACTOR="0.1"
    )
    result = run_loader(values, "--source", "workfront")
    assert result.returncode == 4, result.stderr
    assert "gave up after retries" in result.stderr


# Killed loads: tests/reliability/test_crashes.py (21 kills across extract, normalize, load).
