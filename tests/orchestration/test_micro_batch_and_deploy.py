"""``elt_micro_batch`` under ``airflow dags test``, then the blue-green deploy.

One small warehouse (demo scale, no injected defects, so every record reaches the
facts) is shared by the tests of this module, in order: two micro-batches after
clock advances, a rollback refused (no deploy yet), a failing and a passing deploy,
then a rollback.
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
from tests.orchestration.conftest import INITIAL_MODELS, error_lines, run_state

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
    # the models only: the micro-batches and deploys run the tests of the marts
    built.dbt("build", *INITIAL_MODELS)
    yield built


def _call_ids(warehouse: Warehouse) -> set[str]:
    return {row[0] for row in warehouse.query("select call_id from marts.fact_calls")}


def _invocations(warehouse: Warehouse) -> dict[str, tuple[Any, ...]]:
    """Elementary's invocations: id -> (command, orchestrator, job_id, job_run_id)."""
    rows = warehouse.query(
        "select invocation_id, command, orchestrator, job_id, job_run_id "
        "from elementary.dbt_invocations"
    )
    return {row[0]: row[1:] for row in rows}


def _recorded_by(warehouse: Warehouse, invocation_id: str) -> tuple[set[str], int]:
    """(tables whose test results ``invocation_id`` recorded, its run-result rows)."""
    tables = warehouse.query(
        "select distinct lower(table_name) from elementary.elementary_test_results "
        f"where invocation_id = '{invocation_id}'"
    )
    run_results = warehouse.query(
        f"select count(*) from elementary.dbt_run_results where invocation_id = '{invocation_id}'"
    )
    return {row[0] for row in tables if row[0]}, run_results[0][0]


def test_micro_batch_dag_takes_in_exactly_the_new_records(
    warehouse: Warehouse, dag_test: Callable[..., Any]
) -> None:
    before = _call_ids(warehouse)
    assert before == set(warehouse.sandbox.expected("webphone", "calls"))
    invocations = _invocations(warehouse)
    run_ids: list[str] = []

    for _ in range(2):
        warehouse.sandbox.advance(60)
        began = time.perf_counter()
        result = dag_test("elt_micro_batch", warehouse.env)
        print(f"elt_micro_batch: {time.perf_counter() - began:.0f}s")
        assert run_state(result) == "success", error_lines(result)

        # the run is one dbt invocation (cosmos's watcher mode: one `dbt build` feeds
        # every model's task), and Elementary recorded it, naming the DAG run
        now = _invocations(warehouse)
        new = {key: row for key, row in now.items() if key not in invocations}
        assert len(new) == 1, new
        [(invocation_id, (command, orchestrator, job_id, job_run_id))] = new.items()
        assert (command, orchestrator, job_id) == ("build", "airflow", "elt_micro_batch")
        assert job_run_id and job_run_id not in run_ids
        run_ids.append(job_run_id)
        # with the results of the tests of the run's models, but not the heavy uploads
        # the micro-batch turns off (each node's run result)
        tested, run_results = _recorded_by(warehouse, invocation_id)
        assert {"fact_calls", "dim_agent"} <= tested, tested
        assert run_results == 0
        invocations = now
        after = _call_ids(warehouse)
        expected = set(warehouse.sandbox.expected("webphone", "calls"))
        assert after - before, "an hour of calls should add rows to the fact"
        # exactly the records the API holds now: nothing missed, nothing twice
        assert after == expected
        assert warehouse.query("select count(*) = count(distinct call_id) from marts.fact_calls")[
            0
        ][0]
        before = after


def _counts(con: duckdb.DuckDBPyConnection, schema: str = "marts") -> dict[str, int]:
    return {t: con.execute(f"select count(*) from {schema}.{t}").fetchone()[0] for t in MARTS}  # type: ignore[index]


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


def _in_process(warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deploys run in this process (DuckDB lets one process write the file: a reader
    in another process could not open it at all during the deploy)."""
    for key, value in warehouse.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(Path(__file__).resolve().parents[2])


def _deploy_in_process(warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch) -> Any:
    from orchestration.deploy import deploy

    _in_process(warehouse, monkeypatch)
    return deploy()


def _schema_exists(con: duckdb.DuckDBPyConnection, schema: str) -> bool:
    found = con.execute(
        f"select count(*) from duckdb_schemas() where schema_name = '{schema}'"
    ).fetchone()
    return found == (1,)


def test_rollback_without_a_previous_build_is_refused(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from orchestration.deploy import main

    with duckdb.connect(str(warehouse.duckdb_path)) as con:
        served = _counts(con)
        assert not _schema_exists(con, "marts_previous")
    _in_process(warehouse, monkeypatch)
    began = time.perf_counter()
    assert main(["--rollback"]) == 1
    print(f"rollback refused: {time.perf_counter() - began:.0f}s")
    assert "nothing to roll back to: marts_previous holds no previous build" in (
        capsys.readouterr().err
    )
    with duckdb.connect(str(warehouse.duckdb_path)) as con:
        assert _counts(con) == served


def test_failing_deploy_keeps_the_served_marts_and_a_passing_one_swaps(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = warehouse.duckdb_path
    with duckdb.connect(str(path)) as con:
        # the served marts differ from what the deploy builds (a dimension row less, a
        # table the build recreates whole): a reader could tell the two builds apart
        con.execute(
            "delete from marts.dim_agent where rowid = (select max(rowid) from marts.dim_agent)"
        )
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
        assert not _schema_exists(con, "marts_shadow")
        # the marts served until the swap are kept for a rollback
        assert _counts(con, "marts_previous") == served
    # the new build: the served data with the dimension row the build restored
    assert deployed == {**served, "dim_agent": served["dim_agent"] + 1}
    # every read saw either all previous marts or all new ones, never a mix
    assert reader.errors == []
    assert set(reader.seen) <= {
        tuple(served[t] for t in MARTS),
        tuple(deployed[t] for t in MARTS),
    }, set(reader.seen)
    print(f"deploy: failing {failed.seconds:.0f}s, passing {passed.seconds:.0f}s")


def test_rollback_serves_the_previous_marts_again(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.deploy import rollback

    path = warehouse.duckdb_path
    with duckdb.connect(str(path)) as con:
        deployed, previous = _counts(con), _counts(con, "marts_previous")
        comment = con.execute(
            "select comment from duckdb_tables() "
            "where schema_name = 'marts' and table_name = 'fact_calls'"
        ).fetchone()
    assert deployed != previous  # left so by the deploy test

    _in_process(warehouse, monkeypatch)
    reader = Reader(path)
    reader.start()
    done = rollback()
    reader.stop.set()
    reader.join()
    assert done.swapped, done.failures
    print(f"rollback: {done.seconds:.0f}s")
    with duckdb.connect(str(path)) as con:
        # the previous build is served; the one it replaced is kept (a second rollback
        # rolls forward), and the documentation comments came along
        assert _counts(con) == previous
        assert _counts(con, "marts_previous") == deployed
        assert (
            con.execute(
                "select comment from duckdb_tables() "
                "where schema_name = 'marts' and table_name = 'fact_calls'"
            ).fetchone()
            == comment
        )
    # a reader saw one build or the other, never a mix
    assert reader.errors == []
    assert set(reader.seen) <= {
        tuple(deployed[t] for t in MARTS),
        tuple(previous[t] for t in MARTS),
    }, set(reader.seen)
