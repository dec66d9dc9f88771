"""The data-quality suites' warehouse: many injected defects and a seeded outage.

Built once per session by the real pipeline (sandbox → loaders → dbt build): a
defect rate of 1% so every defect kind shows up, and no call on 2026-10-31 (the
sandbox's ``--outage``), the last complete day before the simulated now, so the
volume of calls collapses inside the anomaly detection window.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import SandboxHandle, Warehouse, build_warehouse

OUTAGE_DAY = "2026-10-31"
QUALITY_ARGS = (
    "--scale",
    "0.0005",
    "--history-days",
    "10",
    "--defect-rate",
    "0.01",
    "--outage",
    f"{OUTAGE_DAY}T00:00:00Z/2026-11-01T00:00:00Z",
    "--no-rate-limits",
)


@pytest.fixture(scope="session")
def quality_warehouse(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path_factory: pytest.TempPathFactory
) -> Warehouse:
    """A warehouse with a 1% defect rate and a one-day call outage; read it only."""
    handle = sandbox_factory(*QUALITY_ARGS)
    return build_warehouse(handle, tmp_path_factory.mktemp("quality_warehouse"))
