"""Loader defaults: page sizes, first cursor values, where raw data lands."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

#: Records per page: each API's documented maximum.
PAGE_SIZES = {"webphone": 1000, "bynder": 1000, "workfront": 2000}

#: First cursor value of a fresh pipeline: load everything the API still has.
DEFAULT_INITIAL_VALUE = "2000-01-01T00:00:00Z"

#: Raw datasets (schemas) by system: ``raw_<system>``.
SYSTEMS = ("webphone", "bynder", "workfront")


def duckdb_path() -> Path:
    """The embedded warehouse file (``DUCKDB_PATH``, default ``data/warehouse.duckdb``)."""
    return Path(os.environ.get("DUCKDB_PATH", PROJECT_ROOT / "data" / "warehouse.duckdb"))


def pipelines_dir() -> Path:
    """Where dlt keeps pipeline working state (``DLT_PIPELINES_DIR``, default ``data/dlt``)."""
    return Path(os.environ.get("DLT_PIPELINES_DIR", PROJECT_ROOT / "data" / "dlt"))


def loader_duckdb_memory_limit() -> str:
    """DuckDB's memory cap inside a loader (``LOADER_DUCKDB_MEMORY_LIMIT``, default ``1GB``).

    DuckDB takes 80 % of the machine's memory by default; a load of wide parquet files
    filled it (2.9 GiB for a quarter of Bynder's day). Above the cap DuckDB spills to
    disk. Appending one 250,000-row file of Bynder media (200 columns) needs more than
    512 MB (it ran out of memory); 768 MB was enough, 1 GB leaves room.
    """
    return os.environ.get("LOADER_DUCKDB_MEMORY_LIMIT", "1GB")
