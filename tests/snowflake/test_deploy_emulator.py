"""The blue-green deploy's schema operations on the Snowflake emulator.

fakesnow has no schema clone, swap or rename: on the emulator target the macros copy
tables instead (macros/snowflake_emulator/emulator.sql, workaround 19 of docs/snowflake.md).
This checks the operations (prepare, swap, rollback and its refusal) on hand-made
marts in a database of their own, not a full deploy (the emulator build of the marts
takes minutes; the DuckDB deploy test covers the build and the tests gate).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, FakesnowServer, dbt_env, run_dbt

pytestmark = [pytest.mark.timeout(900)]

DATABASE = "DEPLOY_TEST"


def _rows(server: FakesnowServer, schema: str) -> list[Any] | None:
    """The ids of ``schema.fact`` in order, or None when the schema has no such table."""
    with server.connect(DATABASE) as con:
        cur = con.cursor()
        found = cur.execute(
            "select count(*) from information_schema.tables "
            f"where table_schema = '{schema.upper()}' and table_name = 'FACT'"
        ).fetchone()
        if found is None or found[0] == 0:
            return None
        return [row[0] for row in cur.execute(f"select id from {schema}.fact order by id")]


def _rollback(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.deploy", "--rollback"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_swap_and_rollback_on_the_emulator(fakesnow_server: FakesnowServer, tmp_path: Path) -> None:
    env = {
        **os.environ,
        **dbt_env(tmp_path, DBT_TARGET="snowflake_emulator", SNOWFLAKE_DATABASE=DATABASE),
        **fakesnow_server.env,
    }
    with fakesnow_server.connect(DATABASE) as con:
        cur = con.cursor()
        cur.execute(f"create database if not exists {DATABASE}")
        cur.execute(f"use database {DATABASE}")
        cur.execute("create schema marts")
        cur.execute("create table marts.fact as select 1 as id")

    # no deploy yet: nothing to roll back to, and nothing changes
    refused = _rollback(env)
    assert refused.returncode == 1, refused.stdout[-3000:]
    assert "nothing to roll back to" in refused.stderr, refused.stderr[-3000:]
    assert _rows(fakesnow_server, "marts") == [1]

    # the shadow starts as a copy of the served marts; the build adds to it
    run_dbt(env, "run-operation", "prepare_marts_shadow", "--vars", "{shadow_marts: true}")
    assert _rows(fakesnow_server, "marts_shadow") == [1]
    with fakesnow_server.connect(DATABASE) as con:
        con.cursor().execute("insert into marts_shadow.fact values (2)")

    run_dbt(env, "run-operation", "swap_marts", "--vars", "{shadow_marts: true}")
    assert _rows(fakesnow_server, "marts") == [1, 2]
    assert _rows(fakesnow_server, "marts_previous") == [1]
    assert _rows(fakesnow_server, "marts_shadow") is None

    rolled = _rollback(env)
    assert rolled.returncode == 0, (rolled.stdout + rolled.stderr)[-3000:]
    assert _rows(fakesnow_server, "marts") == [1]
    assert _rows(fakesnow_server, "marts_previous") == [1, 2]
