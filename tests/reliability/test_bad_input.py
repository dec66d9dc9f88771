"""Bad pages from the APIs: each is retried, or fails the run loudly, and nothing is lost.

Also: a second load at the same clock changes nothing (idempotency), even under bad
pages.

The sandbox spoils a share of its HTTP 200 answers (``POST /_sandbox/faults``):
``malformed_json`` (a proxy's HTML page), ``truncated`` (half the body with a
matching Content-Length), ``empty_page`` (a list page with its rows removed although
the listing has rows there: dlt's paginators would take it as the end of the listing)
and ``out_of_order`` (a page's rows shuffled). The loaders' page checks
(``loaders/pages.py``) retry the first three like a 503; shuffled rows need nothing,
since no cursor assumes a row order. Injected data defects (duplicates, bad formats,
orphans...) are not transport problems: raw keeps them as delivered and quarantine or
a named dbt test catches each one (``tests/quality/test_ground_truth.py``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from loaders.pipeline import LoadError, run_source
from sandbox.settings import PAYLOAD_FAULTS
from tests.conftest import SandboxHandle
from tests.reliability.helpers import (
    ARGS,
    FAST_RETRIES,
    RAW_SCHEMAS,
    assert_reconciles,
    faults_injected,
    load_all,
    loader_environment,
    raw_fingerprint,
    set_faults,
)


@pytest.fixture(scope="module")
def api(sandbox_factory: Callable[..., SandboxHandle]) -> SandboxHandle:
    """One sandbox for the module; each test sets the faults it needs."""
    return sandbox_factory(*ARGS, "--timeout-seconds", "2")


@pytest.fixture(scope="module")
def baseline(api: SandboxHandle, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory holding a clean first load of every source."""
    workdir = tmp_path_factory.mktemp("baseline")
    with loader_environment(api, workdir, **FAST_RETRIES):
        load_all()
    (workdir / "clock_ms").write_text(str(api.now_ms()))
    return workdir


def baseline_clock(baseline: Path) -> int:
    """The sandbox clock the baseline was loaded at."""
    return int((baseline / "clock_ms").read_text())


@pytest.fixture()
def healed(api: SandboxHandle) -> Iterator[SandboxHandle]:
    """The sandbox, with its faults switched off again after the test."""
    yield api
    set_faults(api, rate=0.0)


def test_bad_pages_are_retried_and_incremental_loads_reconcile(
    healed: SandboxHandle, tmp_path: Path
) -> None:
    api = healed
    before = faults_injected(api)
    set_faults(api, rate=0.3, kinds=list(PAYLOAD_FAULTS))
    db = tmp_path / "warehouse.duckdb"
    with loader_environment(api, tmp_path, **FAST_RETRIES):
        load_all()
        assert_reconciles(db, api)
        # shuffled and spoiled pages again on the next micro-batch: cursors hold
        api.advance(60)
        load_all()
        assert_reconciles(db, api)
    injected = faults_injected(api)
    hits = {kind: injected.get(kind, 0) - before.get(kind, 0) for kind in PAYLOAD_FAULTS}
    assert all(hits.values()), f"every bad-page kind should have been injected: {hits}"


def test_a_second_load_changes_nothing(
    healed: SandboxHandle, baseline: Path, tmp_path: Path
) -> None:
    # idempotency: the clock has not moved, so a rerun (under bad pages, even) must
    # leave every raw table as it was: same rows, keys and values, replaced tables too
    api = healed
    workdir = tmp_path / "work"
    shutil.copytree(baseline, workdir)
    db = workdir / "warehouse.duckdb"
    first = raw_fingerprint(db)
    api.call("webphone", "/_sandbox/clock", "POST", {"set_ms": baseline_clock(baseline)})
    set_faults(api, rate=0.3, kinds=list(PAYLOAD_FAULTS))
    with loader_environment(api, workdir, **FAST_RETRIES):
        load_all()
    assert raw_fingerprint(db) == first


@pytest.mark.parametrize(
    ("system", "kind", "message"),
    [
        ("bynder", "malformed_json", "the body is not valid JSON"),
        ("workfront", "empty_page", "an empty page at offset 0 of a listing of"),
        ("webphone", "empty_page", "an empty first page of a listing that has rows"),
        ("webphone", "503", "HTTP 503"),
    ],
)
def test_persistent_faults_fail_loudly_and_the_next_run_resumes(
    healed: SandboxHandle, baseline: Path, tmp_path: Path, system: str, kind: str, message: str
) -> None:
    api = healed
    workdir = tmp_path / "work"
    shutil.copytree(baseline, workdir)
    db = workdir / "warehouse.duckdb"
    with loader_environment(api, workdir, **{**FAST_RETRIES, "RUNTIME__REQUEST_MAX_ATTEMPTS": "3"}):
        committed = raw_fingerprint(db)
        api.advance(60)
        set_faults(api, (system,), rate=1.0, kinds=[kind])
        with pytest.raises(LoadError) as failure:
            run_source(system)
        # a clear message: what was wrong, where, and that nothing was lost
        assert failure.value.kind == "retries_exhausted" and failure.value.exit_code == 4
        assert message in str(failure.value), failure.value
        assert "http://127.0.0.1:" in str(failure.value)
        assert "resumes from the last committed cursor" in str(failure.value)
        # the failed run committed nothing: raw is as the last good run left it
        schema = f"raw_{system}"
        assert {k: v for k, v in raw_fingerprint(db).items() if k.startswith(schema)} == {
            k: v for k, v in committed.items() if k.startswith(schema)
        }
        # the other APIs are healthy: their loads go on
        load_all(tuple(s for s in ("webphone", "bynder", "workfront") if s != system))
        set_faults(api, (system,), rate=0.0)
        run_source(system)
    assert_reconciles(db, api)
    assert set(RAW_SCHEMAS) <= {name.split(".")[0] for name in raw_fingerprint(db)}
