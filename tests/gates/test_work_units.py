"""``make test``'s schedule: the xdist work units and their order (tests/conftest.py).

Every reader of a shared session warehouse is in that warehouse's unit (so it is built
once per run, not once per worker); a module's own fixture of the same name does not
count; every other test is in its file's unit; the longest units come first.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import LONGEST_FIRST, SHARED_WAREHOUSES

ROOT = Path(__file__).resolve().parents[2]
MICRO_BATCH = "tests/orchestration/test_micro_batch_and_deploy.py"
FILES = [
    "tests/warehouse/test_schema_drift.py",
    "tests/reliability/test_canary.py",
    "tests/warehouse/test_pii_lineage.py",
    "tests/quality/test_unknown_codes.py",
]
#: collects the files in a fresh pytest and prints each test's unit, in run order
PROBE = """
import json, sys
import pytest

class Dump:
    def pytest_collection_finish(self, session):
        from tests.conftest import work_unit
        print(json.dumps([[item.nodeid, work_unit(item)] for item in session.items]))

pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *sys.argv[1:]],
            plugins=[Dump()])
"""


def _units(files: list[str]) -> list[tuple[str, str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("[["))
    return [(nodeid, unit) for nodeid, unit in json.loads(line)]


def test_shared_warehouse_readers_share_a_unit_and_the_longest_units_run_first() -> None:
    with_airflow = importlib.util.find_spec("airflow") is not None
    found = _units([*FILES, *([MICRO_BATCH] if with_airflow else [])])
    unit = {nodeid.split("::", 1)[1]: name for nodeid, name in found}
    assert unit["test_drift_check_passes_on_the_clean_warehouse"] == "warehouse"
    assert unit["test_every_personal_column_downstream_of_staging_is_tagged"] == "warehouse"
    assert unit["test_an_unknown_code_warns_and_keeps_its_row"] == "quality_warehouse"
    # builds its own warehouse: its file's unit
    assert unit["test_drift_check_fails_on_renamed_and_retyped_fields_while_marts_build"] == (
        "tests/warehouse/test_schema_drift.py"
    )
    # the canary's two runs are independent module fixtures: two units
    assert unit["test_duckdb_run_fails_one_endpoint_and_warns_on_personal_columns"] == (
        "canary_duckdb"
    )
    assert unit["test_emulator_run_fails_one_endpoint_and_warns_on_personal_columns"] == (
        "canary_emulator"
    )
    if with_airflow:  # its module fixture is called `warehouse` too, and is its own
        assert unit["test_rollback_serves_the_previous_marts_again"] == MICRO_BATCH

    # a unit's tests are consecutive, and the units run in LONGEST_FIRST's order
    order = [
        name for index, (_, name) in enumerate(found) if index == 0 or found[index - 1][1] != name
    ]
    assert len(order) == len(set(order)), order
    assert order == sorted(order, key=LONGEST_FIRST.index), order


def test_every_longest_unit_still_exists() -> None:
    groups = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("test_*.py"))
    for name in LONGEST_FIRST:
        if "/" in name:
            assert (ROOT / name).is_file(), name
        else:
            assert name in SHARED_WAREHOUSES or f'xdist_group("{name}")' in groups, name


def test_make_test_hands_each_worker_whole_units() -> None:
    """Under ``--dist loadgroup`` (``make test``) a unit's tests all run on one worker."""
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup"),
            *("--no-loadscope-reorder", "-v", "-p", "no:cacheprovider", "-o", "addopts="),
            "tests/dictionary/test_dictionary.py",
            "tests/gates/test_work_units.py::test_every_longest_unit_still_exists",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    workers: dict[str, set[str]] = {}
    for line in result.stdout.splitlines():
        if line.startswith("[gw") and " PASSED " in line:
            worker, nodeid = line.split("]", 1)[0], line.split(" PASSED ", 1)[1].strip()
            workers.setdefault(nodeid.split("::", 1)[0], set()).add(worker)
    assert set(workers) == {"tests/dictionary/test_dictionary.py", "tests/gates/test_work_units.py"}
    assert all(len(found) == 1 for found in workers.values()), workers
