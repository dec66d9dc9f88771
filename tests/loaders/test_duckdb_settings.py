"""The loaders' settings: DuckDB's reach the connection dlt loads through (issue 15: memory),
and none are looked up in Airflow (issue 15: a 5-minute batch's start-up)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.pipeline import make_pipeline
from sandbox.handle import ROOT


def _settings(system: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, bool]:
    """``memory_limit`` and ``preserve_insertion_order`` of the loader's DuckDB connection."""
    monkeypatch.setenv("DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("DLT_PIPELINES_DIR", str(tmp_path / "dlt"))
    pipeline = make_pipeline(system)
    with pipeline.sql_client() as client:
        rows = client.execute_sql(
            "select current_setting('memory_limit'), current_setting('preserve_insertion_order')"
        )
    assert rows is not None
    return rows[0][0], rows[0][1]


@pytest.mark.parametrize(
    ("system", "cap"),
    [("bynder", "953.6 MiB"), ("webphone", "488.2 MiB"), ("workfront", "488.2 MiB")],
)
def test_each_loader_caps_duckdb(
    system: str, cap: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bynder's wide media get 1 GB, WebPhone and Workfront 512 MB (DuckDB reports MiB)."""
    monkeypatch.delenv("LOADER_DUCKDB_MEMORY_LIMIT", raising=False)
    assert _settings(system, tmp_path, monkeypatch) == (cap, False)


def test_the_cap_can_be_set_for_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``LOADER_DUCKDB_MEMORY_LIMIT`` sets the cap of every loader."""
    monkeypatch.setenv("LOADER_DUCKDB_MEMORY_LIMIT", "2GB")
    assert _settings("workfront", tmp_path, monkeypatch) == ("1.8 GiB", False)


@pytest.mark.skipif(importlib.util.find_spec("airflow") is None, reason="Airflow not installed")
def test_loaders_do_not_read_settings_from_airflow(tmp_path: Path) -> None:
    """A loader beside Airflow does not look its settings up as Airflow Variables.

    dlt does by default when Airflow is importable (``[providers]`` in
    ``.dlt/config.toml``): Airflow's import and a metadata-database read per setting,
    5.5 s of a 7 s loader process on a 5-minute batch.
    """
    script = (
        "import sys\n"
        "from loaders.pipeline import make_pipeline\n"
        "make_pipeline('webphone')\n"
        "print('airflow' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROVIDERS__")}
    env |= {"DUCKDB_PATH": str(tmp_path / "w.duckdb"), "DLT_PIPELINES_DIR": str(tmp_path / "dlt")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False"
