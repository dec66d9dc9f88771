"""The bench's pure parts: growth, scaling rates, dbt's start-up from its log, the table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil
import pytest

from bench import __main__ as cli
from bench import stages
from bench.harness import dbt_startup, run_timed, slowest_nodes, tree_cpu_seconds


def _event(name: str, ts: str, **data: Any) -> str:
    """One line of dbt's JSON log file, in the shape dbt 1.11 writes it."""
    info = {"code": "X000", "level": "info", "msg": "", "name": name, "ts": ts}
    return json.dumps({"data": data, "info": info})


def test_growth_is_the_doubled_history_time_over_the_base_minus_one() -> None:
    assert stages.growth(20.0, 22.0) == pytest.approx(0.10)
    assert stages.growth(20.0, 40.0) == pytest.approx(1.0)  # in proportion to the history
    assert stages.growth(20.0, 19.0) == pytest.approx(-0.05)  # noise can make it faster
    with pytest.raises(ValueError):
        stages.growth(0.0, 1.0)


def test_micro_batch_measures_the_doubled_history_and_reports_both(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[str, float, int, int, int]] = []

    def measured(folder: Path, scale: float, days: int, seed: int, rounds: int) -> dict[str, Any]:
        calls.append((folder.name, scale, days, seed, rounds))
        return {
            "scale": scale,
            "history_days": days,
            "rounds": rounds,
            "micro_batch_load_seconds": 4.0,
            "micro_batch_dbt_seconds": 2.0 * days,
            "micro_batch_seconds": 4.0 + 2.0 * days,
        }

    monkeypatch.setattr(stages, "micro_batch_at", measured)
    figures = stages.micro_batch(tmp_path, 0.05, 7, 42, rounds=3)
    # two warehouses, same scale, seed and rounds; the second holds twice the history
    assert calls == [("micro_batch", 0.05, 7, 42, 3), ("micro_batch_double", 0.05, 14, 42, 3)]
    assert figures["history_days"] == 7
    assert figures["history_days_at_double_history"] == 14
    assert figures["micro_batch_seconds"] == 18.0
    assert figures["micro_batch_seconds_at_double_history"] == 32.0
    assert figures["micro_batch_dbt_seconds_at_double_history"] == 28.0
    assert figures["micro_batch_growth_per_history_doubling"] == pytest.approx(32 / 18 - 1)


def test_history_builds_get_more_memory_unless_the_user_chose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 8 GB (the profile's) ran the one-burst history build out of memory
    monkeypatch.delenv("DUCKDB_MEMORY_LIMIT", raising=False)
    memory = psutil.virtual_memory().total
    limit = stages.history_build_env()["DUCKDB_MEMORY_LIMIT"]
    assert limit == f"{int(memory * 0.8 / 2**30)}GiB"
    monkeypatch.setenv("DUCKDB_MEMORY_LIMIT", "6GB")
    assert stages.history_build_env() == {}


def test_scaling_points_report_seconds_per_million_raw_records() -> None:
    point = stages.per_million(2_000_000, loader_seconds=100.0, dbt_seconds=50.0)
    assert point["loader_seconds_per_million"] == 50.0
    assert point["dbt_seconds_per_million"] == 25.0
    assert point["total_seconds_per_million"] == 75.0
    with pytest.raises(ValueError):
        stages.per_million(0, 1.0, 1.0)


def test_scaling_runs_each_point_once_reusing_the_measured_day(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran: list[tuple[str, float]] = []

    def point(folder: Path, scale: float, seed: int) -> dict[str, float]:
        ran.append((folder.name, scale))
        return stages.per_million(int(6_000_000 * scale), 200.0 * scale, 20.0 * scale)

    monkeypatch.setattr(stages, "_scaling_point", point)
    measured = stages.per_million(6_000_000, 1000.0, 125.0)
    figures = stages.scaling_figures(tmp_path, (1.0, 0.25, 0.1, 0.25), 42, {1.0: measured})
    assert ran == [("scaling_0.1", 0.1), ("scaling_0.25", 0.25)]  # 1.0 not run again
    assert list(figures) == ["0.1", "0.25", "1"]
    assert figures["1"] is measured
    assert figures["0.25"]["loader_seconds_per_million"] == pytest.approx(200 / 6)


def test_dbt_startup_reads_the_parse_and_the_reuse_of_the_saved_manifest() -> None:
    started_at = 1_796_316_000.0  # 2026-12-03T16:40:00Z
    # dbt rotates its log every 10 MB: the newer file (dbt.log) is read before dbt.log.1
    partial = "\n".join(
        [
            _event("FoundStats", "2026-12-03T16:40:09.000000Z", stat_line="a later count"),
            _event("FoundStats", "2026-12-03T16:40:04.000000Z", stat_line="85 models"),
            "not an event",
            _event("MainReportVersion", "2026-12-03T16:40:02.500000Z", version="=1.11.16"),
            _event("PartialParsingEnabled", "2026-12-03T16:40:03.000000Z", added=0, changed=2),
        ]
    )
    startup = dbt_startup(partial, started_at)
    assert startup.seconds == pytest.approx(4.0)
    assert startup.parse_seconds == pytest.approx(1.5)
    assert startup.partial_parse
    assert startup.reparsed_files == 2

    full = "\n".join(
        [
            _event("MainReportVersion", "2026-12-03T16:40:02.500000Z"),
            _event("UnableToPartialParse", "2026-12-03T16:40:03.000000Z", reason="vars changed"),
            _event("FoundStats", "2026-12-03T16:40:30.000000Z"),
        ]
    )
    reparsed = dbt_startup(full, started_at)
    assert not reparsed.partial_parse
    assert reparsed.parse_seconds == pytest.approx(27.5)

    with pytest.raises(ValueError):
        dbt_startup(_event("MainReportVersion", "2026-12-03T16:40:02.500000Z"), started_at)


def test_the_table_flattens_nested_scaling_and_judges_the_targets() -> None:
    results: dict[str, dict[str, Any]] = {
        "end_to_end": {
            "scale": 1.0,
            "end_to_end_seconds": 1138.0,
            "scaling": {
                "0.1": stages.per_million(600_000, 90.0, 30.0),
                "1": stages.per_million(6_000_000, 1000.0, 125.0),
            },
        },
        "micro_batch": {
            "scale": 0.05,
            "history_days": 7,
            "micro_batch_seconds": 25.0,
            "micro_batch_growth_per_history_doubling": 0.35,
            "micro_batch_partial_parse": True,
        },
    }
    lines = {line.split()[1]: line for line in cli.render(results).splitlines()[1:]}
    assert lines["scaling.0.1.total_seconds_per_million"].split()[2] == "200.0"
    assert lines["scaling.1.loader_seconds_per_million"].split()[2] == "166.7"
    assert "MISSED" in lines["end_to_end_seconds"]
    assert "(at scale 1.000)" in lines["end_to_end_seconds"]
    assert "met  (at scale 0.050, 7 days of history)" in lines["micro_batch_seconds"]
    assert "< 0.200  MISSED" in lines["micro_batch_growth_per_history_doubling"]
    assert lines["micro_batch_partial_parse"].split()[2] == "yes"
    assert "micro_batch_share_of_full_refresh" not in {name for _, name, _ in cli.TARGETS}


def test_options_quick_and_scaling_defaults() -> None:
    parser_args = cli.resolve(
        cli.argparse.Namespace(quick=True, **{**dict.fromkeys(cli.DEFAULTS), "repeats": 9})
    )
    assert parser_args.micro_batch_days == cli.QUICK["micro_batch_days"]
    assert parser_args.repeats == 9  # given beside --quick: it wins
    assert cli.scaling_points(None, 1.0) == cli.FULL_SCALING
    assert cli.scaling_points(None, 0.5) == ()
    assert cli.scaling_points("", 1.0) == ()
    assert cli.scaling_points("0.25, 0.5", 1.0) == (0.25, 0.5)
    with pytest.raises(ValueError):
        cli.scaling_points("0,0.5", 1.0)


def test_slowest_nodes_come_from_dbt_run_results_slowest_first(tmp_path: Path) -> None:
    results: list[dict[str, Any]] = [
        {"unique_id": "model.warehouse.stg_bynder__media", "execution_time": 49.123},
        {"unique_id": "test.warehouse.unique_x", "execution_time": 0.5},
        {"unique_id": "model.warehouse.dim_asset", "execution_time": 17.0},
        {"unique_id": "snapshot.warehouse.assets_snapshot", "execution_time": 11.04},
    ]
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps({"results": results}))
    assert slowest_nodes(path, count=3) == {
        "model.warehouse.stg_bynder__media": 49.12,
        "model.warehouse.dim_asset": 17.0,
        "snapshot.warehouse.assets_snapshot": 11.04,
    }
    assert list(slowest_nodes(path)) == [
        r["unique_id"] for r in sorted(results, key=lambda r: -r["execution_time"])
    ]


#: A child that starts a grandchild burning processor time, and prints the processor
#: seconds the grandchild reported for itself.
_BURNER = """
import subprocess, sys
burn = "import time\\nx = 0\\nwhile time.process_time() < 0.4: x += 1\\nprint(time.process_time())"
print(subprocess.run([sys.executable, "-c", burn], capture_output=True, text=True).stdout)
"""


def test_run_timed_counts_the_processor_time_of_the_whole_process_tree() -> None:
    # the loaders' work runs in dlt's worker processes and DuckDB's threads: a figure
    # that counted only the top process would make the machine look idle
    timed = run_timed([sys.executable, "-c", _BURNER], {})
    grandchild = float(timed.output.split()[-1])
    assert grandchild >= 0.4
    assert timed.cpu_seconds >= grandchild


#: A child that starts a grandchild which burns processor time, prints the seconds it
#: reported for itself, then stays alive; the child waits on it.
_LIVE_TREE = """
import subprocess, sys
burn = "import time\\nx = 0\\nwhile time.process_time() < 0.4: x += 1\\n"
burn += "print(time.process_time(), flush=True)\\ntime.sleep(60)"
subprocess.run([sys.executable, "-c", burn])
"""


def test_tree_cpu_seconds_reads_the_live_descendants_of_a_process() -> None:
    # the sandbox's API processes are forked children of its runner, alive while read
    runner = subprocess.Popen([sys.executable, "-c", _LIVE_TREE], stdout=subprocess.PIPE, text=True)
    try:
        assert runner.stdout is not None
        grandchild = float(runner.stdout.readline())
        assert grandchild >= 0.4
        # /proc counts in clock ticks (10 ms) per process: a tick's rounding each
        assert tree_cpu_seconds(psutil.Process(runner.pid)) >= grandchild - 0.03
    finally:
        for member in psutil.Process(runner.pid).children(recursive=True):
            member.kill()
        runner.kill()
        runner.wait()
    assert tree_cpu_seconds(psutil.Process(os.getpid())) > 0  # this test's own process


def test_cpu_bounds_are_the_work_over_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stages.os, "cpu_count", lambda: 2)
    figures = stages.cpu_figures(loader_cpu=300.0, sandbox_cpu=500.0, dbt_cpu=200.0)
    assert figures["cores"] == 2
    assert figures["end_to_end_cpu_bound_seconds"] == pytest.approx(500.0)
    # with the pages rendered elsewhere, as a vendor's servers do
    assert figures["end_to_end_cpu_bound_without_sandbox_seconds"] == pytest.approx(250.0)
