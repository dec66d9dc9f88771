"""Loads killed at random moments of every phase, then rerun: nothing lost or doubled.

Each trial starts ``loaders run`` for one source and sends SIGKILL at a random moment
of a chosen phase of its dlt pipeline (``reliability/crash.py`` reads the phase from
the pipeline's working directory): extract, normalize or load. The next trial (or the
final run) starts from whatever the killed one left: uncommitted extracts are
dropped, pending packages are finished first, cursors only move with committed data.
The clock advances between rounds, so later trials have new and changed records to
lose. At the end the warehouse must equal one loaded once without interruption, and
reconcile with the sandbox's ground truth.

Append tables are the one allowance: a kill between the warehouse's commit of a load
job and dlt's record of it has the rerun load that job file again. The copies keep
their ``_dlt_id`` and count once (reliability/reconcile.py); the last test here shows
dlt does keep it.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import dlt
import duckdb
import pyarrow as pa

from reliability.crash import KillResult, kill_at, run_loader_forked
from reliability.fingerprint import differences, fingerprint
from reliability.reconcile import MERGED
from tests.conftest import SandboxHandle, loader_env, query
from tests.reliability.helpers import ARGS, SYSTEMS, assert_reconciles, raw_fingerprint

TARGETS = ("extract", "normalize", "load")
#: how long after entering a phase the kill may come (normalize and load are short here)
MAX_DELAY = {"extract": 0.4, "normalize": 0.05, "load": 0.05}
MIN_KILLS = 21


def _run_to_completion(env: dict[str, str], log: Path) -> int:
    process = run_loader_forked(["run", "--progress", "none"], env, log)
    process.join(600)
    return int(process.exitcode or 0)


def _data_requests(handle: SandboxHandle, system: str) -> Callable[[], int]:
    return lambda: int(handle.stats(system)["data_requests"])


def _duplicate_keys(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        present = set(
            con.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        )
        counts = {
            f"{schema}.{table}": con.execute(
                f"select count(*) - count(distinct id) from {schema}.{table}"
            ).fetchall()[0][0]
            for schema, table, _ in MERGED
            if (f"{schema}.{table}",) in present
        }
    return {name: n for name, n in counts.items() if n}


def test_loads_killed_in_every_phase_rerun_to_a_clean_result(
    sandbox_factory: Callable[..., SandboxHandle], tmp_path: Path
) -> None:
    handle = sandbox_factory(*ARGS)
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    env = loader_env(handle, crashed)
    rng = random.Random(8)
    results: list[KillResult] = []
    trial = 0
    while sum(r.killed for r in results) < MIN_KILLS and trial < 45:
        if trial and trial % 9 == 0:
            handle.advance(120)  # new and changed records for the next round
        system = SYSTEMS[trial % 3]
        target = TARGETS[(trial // 3) % 3]
        result = kill_at(
            ["run", "--progress", "none", "--source", system],
            env,
            system,
            target,
            rng,
            _data_requests(handle, system),
            crashed / "loader.log",
            max_delay=MAX_DELAY[target],
        )
        results.append(result)
        trial += 1
        if (crashed / "warehouse.duckdb").exists():
            assert not _duplicate_keys(crashed / "warehouse.duckdb"), (trial, result)

    killed = Counter(r.phase for r in results if r.killed)
    print(f"kills by phase: {dict(killed)} in {len(results)} trials")
    assert sum(killed.values()) >= MIN_KILLS, killed
    assert all(killed[phase] >= 4 for phase in TARGETS), killed
    assert all(r.exit_code == 0 for r in results if not r.killed), results

    # one uninterrupted rerun, and a warehouse loaded once from scratch for comparison
    log = crashed / "loader.log"
    assert _run_to_completion(env, log) == 0, log.read_text()[-3000:]
    clean = tmp_path / "clean"
    clean.mkdir()
    assert _run_to_completion(loader_env(handle, clean), clean / "loader.log") == 0
    crashed_raw = raw_fingerprint(crashed / "warehouse.duckdb", reloads_once=True)
    clean_raw = raw_fingerprint(clean / "warehouse.duckdb")
    assert not differences(clean_raw, crashed_raw), differences(clean_raw, crashed_raw)
    assert assert_reconciles(crashed / "warehouse.duckdb", handle) > 5000


def test_a_job_file_loaded_again_keeps_its_row_ids(tmp_path: Path) -> None:
    # the window a kill can hit: the warehouse committed a package's jobs, dlt had not
    # yet moved the package to "loaded". Restoring the normalized package replays it.
    pipeline = dlt.pipeline(
        "reload",
        destination=dlt.destinations.duckdb(str(tmp_path / "reload.duckdb")),
        dataset_name="raw_reload",
        pipelines_dir=str(tmp_path / "pipelines"),
    )
    # one row resource and one Arrow table (the loaders write both); the API lists
    # event 7 twice, as the sandbox's exact duplicates do
    events = [{"id": i, "at": i} for i in (*range(10), 7)]
    rows = dlt.resource(events, name="events", write_disposition="append")
    arrow = dlt.resource(pa.Table.from_pylist(events), name="arrow_events")
    pipeline.extract([rows, arrow])
    pipeline.normalize()
    storage = Path(pipeline.working_dir) / "load"
    (package,) = (storage / "normalized").iterdir()
    saved = tmp_path / "package"
    shutil.copytree(package, saved)
    pipeline.load()
    shutil.rmtree(storage / "loaded" / package.name)
    shutil.copytree(saved, package)
    pipeline.load()

    db = tmp_path / "reload.duckdb"
    for table in ("events", "arrow_events"):
        counts = query(
            db,
            "select count(*), count(distinct _dlt_id), count(*) filter (id = 7) "
            f"from raw_reload.{table}",
        )
        assert counts == [(22, 11, 4)], table
    once = fingerprint(db, ["raw_reload"], reloads_once=True)
    assert {name: table.rows for name, table in once.items()} == {
        "raw_reload.arrow_events": 11,
        "raw_reload.events": 11,
    }
    assert all(table.rows == 22 for table in fingerprint(db, ["raw_reload"]).values())
