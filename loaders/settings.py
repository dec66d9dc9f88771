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


#: DuckDB's memory cap inside a loader, by source (``LOADER_DUCKDB_MEMORY_LIMIT``
#: overrides it for all). DuckDB takes 80 % of the machine by default and fills what it
#: may: a source process's load step peaks at about its cap plus 200-300 MiB (issue 15,
#: ``bench/experiments/loader_memory.py``). Bynder's 200-column media needs 1 GB: the
#: day's media loaded at 768 MB and 512 MB ran out of memory (jobs retried, at 512 MB
#: until they failed). WebPhone's and Workfront's narrower tables loaded the full day's
#: volume at 512 MB without a retry and as fast, and their loads overlap the other
#: sources' extract: a smaller cap keeps the three processes under 2 GiB together.
DUCKDB_MEMORY_LIMITS = {"bynder": "1GB", "webphone": "512MB", "workfront": "512MB"}


def loader_duckdb_memory_limit(system: str | None = None) -> str:
    """DuckDB's memory cap inside the loader of ``system`` (:data:`DUCKDB_MEMORY_LIMITS`).

    ``LOADER_DUCKDB_MEMORY_LIMIT`` sets it for every source; 1 GB for another system or
    none. Above the cap DuckDB spills to disk.
    """
    return os.environ.get(
        "LOADER_DUCKDB_MEMORY_LIMIT", DUCKDB_MEMORY_LIMITS.get(system or "", "1GB")
    )
