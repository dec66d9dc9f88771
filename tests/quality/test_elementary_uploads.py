"""Elementary's uploads go through the project's `insert_rows` (macros/observability/
elementary_uploads.sql), which must write exactly the package's statements: the
artifact tables and results the steward report reads depend on it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import Warehouse, run_dbt

#: the check's report: one line per input compared
_COMPARED = re.compile(
    r"^.*?\d\d:\d\d:\d\d\s+(.+?): (\d+) rows in (\d+) statements, identical", re.M
)


def test_uploads_write_the_packages_statements_and_dispatch_to_the_project(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # its own target folder: the warehouse's run_results.json stays the build's
    env = {**warehouse.env, "DBT_TARGET_PATH": str(tmp_path / "target")}
    result = run_dbt(env, "run-operation", "check_elementary_uploads", check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "insert_rows dispatches to warehouse.duckdb__insert_rows" in result.stdout
    compared = {
        name: (int(rows), int(statements))
        for name, rows, statements in _COMPARED.findall(result.stdout)
    }
    # the project's own artifacts, as Elementary flattens them
    assert compared["dbt_columns"][0] > 1000
    assert compared["dbt_tests"][0] > 500
    assert compared["dbt_models"][0] > 50
    # the edge cases, including statements split by size and by row count
    edge = {
        name: statements for name, (_, statements) in compared.items() if name.startswith("edge")
    }
    assert sorted(edge.values()) == [1, 2, 3, 4], edge
