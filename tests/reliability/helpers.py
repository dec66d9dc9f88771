"""What the reliability tests share: sandbox settings, fault control, raw comparisons."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from loaders.pipeline import run_source
from reliability.fingerprint import TableFingerprint, fingerprint
from reliability.reconcile import reconcile, summary
from sandbox.settings import SandboxSettings
from tests.conftest import SandboxHandle, loader_env

SYSTEMS = ("webphone", "bynder", "workfront")
RAW_SCHEMAS = tuple(f"raw_{system}" for system in SYSTEMS)
#: a small world: about 1,300 calls, 2,500 assets and 1,000 Workfront records
ARGS = ("--scale", "0.0005", "--history-days", "3", "--defect-rate", "0.005", "--no-rate-limits")
SETTINGS = SandboxSettings(scale=0.0005, history_days=3, defect_rate=0.005)
#: quick retries (the sandbox answers in milliseconds), and pages small enough that
#: every listing has several of them for faults to land on
FAST_RETRIES = {
    "RUNTIME__REQUEST_TIMEOUT": "1",
    "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.05",
    "RUNTIME__REQUEST_MAX_RETRY_DELAY": "0.5",
    "RUNTIME__REQUEST_MAX_ATTEMPTS": "12",
    "SOURCES__WEBPHONE__PAGE_SIZE": "250",
    "SOURCES__BYNDER__PAGE_SIZE": "250",
    "SOURCES__WORKFRONT__PAGE_SIZE": "250",
}


def set_faults(handle: SandboxHandle, systems: tuple[str, ...] = SYSTEMS, **changes: Any) -> None:
    """Change the fault injection of running APIs (``POST /_sandbox/faults``)."""
    for system in systems:
        handle.call(system, "/_sandbox/faults", "POST", changes)


def faults_injected(handle: SandboxHandle, systems: tuple[str, ...] = SYSTEMS) -> dict[str, int]:
    """Injected faults by kind, summed over ``systems``."""
    total: dict[str, int] = {}
    for system in systems:
        for kind, count in handle.stats(system)["faults"].items():
            total[kind] = total.get(kind, 0) + int(count)
    return total


@contextmanager
def loader_environment(
    handle: SandboxHandle, workdir: Path, **overrides: str
) -> Iterator[dict[str, str]]:
    """Point in-process loads at ``handle``, writing under ``workdir`` (env restored)."""
    saved = dict(os.environ)
    values = loader_env(handle, workdir, **overrides)
    os.environ.update(values)
    try:
        yield values
    finally:
        os.environ.clear()
        os.environ.update(saved)


def load_all(systems: tuple[str, ...] = SYSTEMS) -> dict[str, dict[str, int]]:
    """Load every source in this process; rows per table."""
    return {system: run_source(system).rows for system in systems}


def raw_fingerprint(db: Path, reloads_once: bool = False) -> dict[str, TableFingerprint]:
    """Fingerprints of every raw table (dlt's bookkeeping left out).

    ``reloads_once``: a job file loaded twice counts once (fingerprint()).
    """
    return fingerprint(db, RAW_SCHEMAS, reloads_once=reloads_once)


def assert_reconciles(db: Path, handle: SandboxHandle, settings: SandboxSettings = SETTINGS) -> int:
    """Raw holds every record the APIs list, once, at its current version; the count."""
    result = reconcile(db, settings, handle.now_ms())
    assert result.ok, summary(result)
    return result.total("reconciled")
