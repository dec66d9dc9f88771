"""The loaders' DuckDB settings reach the connection dlt loads through (issue 15: memory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.pipeline import make_pipeline


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
