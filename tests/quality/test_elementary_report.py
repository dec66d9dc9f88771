"""The stewards' report and alerts are Elementary's: the outage and schema drift in both.

A copy of the quality warehouse (1% defects, a one-day call outage) is carried a few
hours on by a second sandbox with the same settings plus schema drift (Bynder renames
its metaproperty Market: new media land a ``property_sales_market`` column), loaded,
and its schema-change tests run; a mart gets a duplicate key and its tests run (a
failing test). Then ``scripts/report.sh`` writes Elementary's report, which headless
Chromium opens, and ``edr monitor`` sends its alerts to a Slack-shaped webhook
receiver on loopback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import (
    ROOT,
    SandboxHandle,
    Warehouse,
    dbt_env,
    elementary_clock,
    loader_env,
    run_dbt,
    run_loader,
)
from tests.quality.conftest import QUALITY_ARGS

# Bynder's metaproperty Market renamed Sales_Market: a new raw column on new media
DRIFT = ("--drift", "renamed")
DRIFTED_COLUMN = "property_sales_market"
ADVANCE_MINUTES = 6 * 60


@dataclass
class Drifted:
    """The quality warehouse a few hours on, with drift and a failing test."""

    built: Warehouse
    workdir: Path

    def edr_env(self) -> dict[str, str]:
        """Environment of scripts/edr.sh and scripts/report.sh for this warehouse."""
        venv_bin = str(Path(sys.executable).parent)
        path = f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"
        return {**os.environ, **self.built.env, "RUN": "env", "PATH": path}


@pytest.fixture(scope="module")
def drifted(
    quality_warehouse: Warehouse,
    sandbox_factory: Callable[..., SandboxHandle],
    tmp_path_factory: pytest.TempPathFactory,
) -> Drifted:
    workdir = tmp_path_factory.mktemp("drifted")
    shutil.copy(quality_warehouse.duckdb_path, workdir / "warehouse.duckdb")
    handle = sandbox_factory(*QUALITY_ARGS, *DRIFT)
    handle.call(
        "webphone", "/_sandbox/clock", "POST", {"set_ms": quality_warehouse.sandbox.now_ms()}
    )
    handle.advance(ADVANCE_MINUTES)
    # no dlt working directory: the loaders restore state and cursors from the warehouse
    env = {**loader_env(handle, workdir), **dbt_env(workdir), **elementary_clock(handle)}
    built = Warehouse(handle, workdir, env)
    loaded = run_loader(env)
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    assert built.query(f"select count({DRIFTED_COLUMN}) from raw_bynder.media")[0][0] > 0
    run_dbt(env, "test", "-s", "test_name:schema_changes", check=False)
    # a failing test: a duplicated agent in the agent dimension
    import duckdb

    with duckdb.connect(str(workdir / "warehouse.duckdb")) as con:
        con.execute("insert into marts.dim_agent select * from marts.dim_agent limit 1")
    run_dbt(env, "test", "-s", "dim_agent,test_name:unique", check=False)
    return Drifted(built, workdir)


@pytest.fixture(scope="module")
def report(drifted: Drifted) -> Path:
    path = drifted.workdir / "elementary_report.html"
    env = {
        **drifted.edr_env(),
        "REPORT_FILE": str(path),
        "EDR_TARGET_PATH": str(drifted.workdir / "edr_target"),
    }
    result = subprocess.run(
        [str(ROOT / "scripts" / "report.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert path.stat().st_size > 1_000_000
    return path


def _scroll_list(page: Any, found: Callable[[str], bool], turns: int = 60) -> str:
    """Scroll the report's test list (it renders rows as they come into view) until
    ``found`` holds for the text seen so far; return that text."""
    seen = ""
    for _ in range(turns):
        seen += page.inner_text("body")
        if found(seen):
            break
        page.mouse.move(800, 700)
        page.mouse.wheel(0, 1200)
        page.wait_for_timeout(300)
    return seen


def _row(table: str, test: str, metric: str) -> re.Pattern[str]:
    """A row of the test list: table, no column, test name, test type."""
    return re.compile(rf"{table}\s*-\s*{test}\s*{metric}")


def test_report_shows_the_outage_and_the_schema_change(browser: Any, report: Path) -> None:
    outage = [
        _row("stg_webphone__calls", "volume_anomalies", "row_count"),
        _row("fact_calls", "volume_anomalies", "row_count"),
    ]
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    try:
        page.goto(report.as_uri())
        page.wait_for_selector("text=Test results breakdown", timeout=60_000)
        page.get_by_text("Test Results", exact=True).first.click()
        page.get_by_text("Warnings (", exact=False).first.click()
        page.wait_for_selector("text=Last status", timeout=60_000)
        # the seeded outage: a volume anomaly of the calls' staging model and fact
        seen = _scroll_list(page, lambda text: all(row.search(text) for row in outage))
        assert all(row.search(seen) for row in outage), seen[-3000:]
        # the drift: a schema change of the raw media, whose details name the column
        change = page.get_by_text("schema_changes", exact=True)
        _scroll_list(page, lambda _: change.count() > 0)
        change.first.click()
        page.wait_for_selector(f'text=The column "{DRIFTED_COLUMN}" was added', timeout=60_000)
    finally:
        page.close()


def test_monitor_posts_slack_alerts(
    drifted: Drifted, report: Path, webhook: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = webhook
    result = subprocess.run(
        [str(ROOT / "scripts" / "edr.sh"), "monitor", "--slack-webhook", url],
        cwd=ROOT,
        env={**drifted.edr_env(), "EDR_TARGET_PATH": str(drifted.workdir / "edr_target")},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert received, result.stdout[-3000:]
    assert all("blocks" in message or "attachments" in message for message in received)
    texts = [json.dumps(message).lower() for message in received]
    assert any("dim_agent" in text and "unique" in text for text in texts), texts[:3]
    assert any("volume" in text and "stg_webphone__calls" in text for text in texts)
    assert any("schema" in text and DRIFTED_COLUMN in text for text in texts)
