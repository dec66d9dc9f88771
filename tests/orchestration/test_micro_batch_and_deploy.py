"""``elt_micro_batch`` under ``airflow dags test``, then the blue-green deploy.

One small warehouse (demo scale, no injected defects, so every record reaches the
facts) is shared by the tests of this module, in order: two micro-batches after
clock advances, then a failing and a passing deploy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import SandboxHandle, Warehouse, dbt_env, loader_env
from tests.orchestration.conftest import INITIAL_BUILD, error_lines, run_state

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

MARTS = ("fact_calls", "fact_asset_usage", "fact_project_hours", "dim_agent", "dim_project")


@pytest.fixture(scope="module")
def warehouse(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Warehouse]:
    handle = sandbox_factory(
        *("--scale", "0.0005", "--history-days", "2", "--defect-rate", "0"), "--no-rate-limits"
    )
    workdir = tmp_path_factory.mktemp("orchestrated")
    env = {**loader_env(handle, workdir), **dbt_env(workdir)}
    env["ELT_SANDBOX_STATE"] = str(handle.state_file)
    built = Warehouse(handle, workdir, env)
    built.load()
    built.dbt("build", *INITIAL_BUILD)
    yield built


def _call_ids(warehouse: Warehouse) -> set[str]:
    return {row[0] for row in warehouse.query("select call_id from marts.fact_calls")}


def test_micro_batch_dag_takes_in_exactly_the_new_records(
    warehouse: Warehouse, dag_test: Callable[..., Any]
) -> None:
    before = _call_ids(warehouse)
    assert before == set(warehouse.sandbox.expected("webphone", "calls"))

    for _ in range(2):
        warehouse.sandbox.advance(60)
        began = time.perf_counter()
        result = dag_test("elt_micro_batch", warehouse.env)
        print(f"elt_micro_batch: {time.perf_counter() - began:.0f}s")
        assert run_state(result) == "success", error_lines(result)
        after = _call_ids(warehouse)
        expected = set(warehouse.sandbox.expected("webphone", "calls"))
        assert after - before, "an hour of calls should add rows to the fact"
        # exactly the records the API holds now: nothing missed, nothing twice
        assert after == expected
        assert warehouse.query("select count(*) = count(distinct call_id) from marts.fact_calls")[
            0
        ][0]
        before = after


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in MARTS}  # type: ignore[index]


class Reader(threading.Thread):
    """Reads the marts' row counts in one statement, over and over, during a deploy."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.seen: list[tuple[int, ...]] = []
        self.errors: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        query = "select " + ", ".join(f"(select count(*) from marts.{t})" for t in MARTS)
        con = duckdb.connect(str(self.path))
        while not self.stop.is_set():
            try:
                self.seen.append(tuple(con.execute(query).fetchone()))  # type: ignore[arg-type]
            except duckdb.Error as exc:
                self.errors.append(str(exc))
            time.sleep(0.05)
        con.close()


def _deploy_in_process(warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run the deploy in this process (DuckDB lets one process write the file: a
    reader in another process could not open it at all during the deploy)."""
    from orchestration.deploy import deploy

    for key, value in warehouse.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    return deploy()


def test_failing_deploy_keeps_the_served_marts_and_a_passing_one_swaps(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = warehouse.duckdb_path
    with duckdb.connect(str(path)) as con:
        served = _counts(con)
        # a defect the marts' tests catch: a call twice in staging (fact_calls's
        # unique test fails)
        con.execute(
            "insert into staging.stg_webphone__calls "
            "select * from staging.stg_webphone__calls limit 1"
        )

    reader = Reader(path)
    holder = duckdb.connect(str(path))  # the configuration dbt-duckdb opens it with
    holder.execute("begin transaction")
    held_before = _counts(holder)
    reader.start()
    failed = _deploy_in_process(warehouse, monkeypatch)
    reader.stop.set()
    reader.join()
    assert not failed.swapped
    assert any("unique_fact_calls_call_id" in failure for failure in failed.failures), (
        failed.failures
    )
    # a connection open across the deploy read the same marts throughout, and so did
    # every read of the reader
    assert _counts(holder) == held_before == served
    holder.execute("commit")
    holder.close()
    assert reader.errors == []
    assert set(reader.seen) == {tuple(served[t] for t in MARTS)}
    with duckdb.connect(str(path)) as con:
        assert _counts(con) == served
        con.execute(
            "delete from staging.stg_webphone__calls where rowid = "
            "(select max(rowid) from staging.stg_webphone__calls)"
        )

    # the defect removed, the same deploy passes and swaps. (No load in between: dbt
    # run in this process keeps the DuckDB file open, so a loader process could not
    # open it until this process ends.)
    reader = Reader(path)
    reader.start()
    passed = _deploy_in_process(warehouse, monkeypatch)
    reader.stop.set()
    reader.join()
    assert passed.swapped, passed.failures
    with duckdb.connect(str(path)) as con:
        deployed = _counts(con)
        shadow = con.execute(
            "select count(*) from duckdb_schemas() where schema_name = 'marts_shadow'"
        ).fetchone()
    assert deployed == served  # the same data, now from the swapped-in build
    assert shadow == (0,)
    # every read saw either all previous marts or all new ones, never a mix
    assert reader.errors == []
    assert set(reader.seen) <= {
        tuple(served[t] for t in MARTS),
        tuple(deployed[t] for t in MARTS),
    }, set(reader.seen)
    print(f"deploy: failing {failed.seconds:.0f}s, passing {passed.seconds:.0f}s")
