"""Read-only access to the warehouse the report reads, behind one small interface.

The report's SQL is plain and portable (no engine-specific functions), so the only
difference between DuckDB and Snowflake is how to connect; both return rows as
dictionaries with lower-case keys.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol


class MissingRelationError(RuntimeError):
    """A relation the report reads does not exist (not built yet)."""


class Warehouse(Protocol):
    """What the report needs from a warehouse."""

    def query(self, sql: str) -> list[dict[str, Any]]:
        """Rows of a query, as dictionaries keyed by lower-case column name."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


class DuckDBWarehouse:
    """The embedded warehouse file, opened read-only."""

    def __init__(self, path: Path) -> None:
        """Open ``path`` read-only."""
        import duckdb

        if not path.exists():
            raise FileNotFoundError(f"no DuckDB warehouse at {path}")
        self._duckdb = duckdb
        self._con = duckdb.connect(str(path), read_only=True)

    def query(self, sql: str) -> list[dict[str, Any]]:
        """Rows of ``sql``."""
        try:
            cursor = self._con.execute(sql)
        except self._duckdb.CatalogException as exc:
            raise MissingRelationError(str(exc)) from exc
        names = [column[0].lower() for column in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        """Close the file."""
        self._con.close()


class SnowflakeWarehouse:
    """Snowflake, with the dbt profile's environment variables (key-pair auth)."""

    def __init__(self) -> None:
        """Connect with SNOWFLAKE_* variables, as profiles.yml does."""
        import snowflake.connector

        options: dict[str, Any] = {
            "account": os.environ["SNOWFLAKE_ACCOUNT"],
            "user": os.environ["SNOWFLAKE_USER"],
            "role": os.environ.get("SNOWFLAKE_ROLE", "TRANSFORMER"),
            "warehouse": os.environ.get("SNOWFLAKE_WAREHOUSE", "TRANSFORMING"),
            "database": os.environ.get("SNOWFLAKE_DATABASE", "ANALYTICS"),
        }
        key_path = os.environ.get("SNOWFLAKE_PRIVATE_KEY_PATH")
        if key_path:
            options["private_key_file"] = key_path
            passphrase = os.environ.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE")
            if passphrase:
                options["private_key_file_pwd"] = passphrase
        self._errors = snowflake.connector.errors
        self._con = snowflake.connector.connect(**options)

    def query(self, sql: str) -> list[dict[str, Any]]:
        """Rows of ``sql``."""
        cursor = self._con.cursor()
        try:
            cursor.execute(sql)
        except self._errors.ProgrammingError as exc:
            if "does not exist" in str(exc):
                raise MissingRelationError(str(exc)) from exc
            raise
        names = [column[0].lower() for column in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        """Close the session."""
        self._con.close()


def connect(target: str, duckdb_path: Path | None = None) -> Warehouse:
    """The warehouse of dbt target ``target`` (``duckdb`` or ``snowflake``)."""
    if target == "duckdb":
        path = duckdb_path or Path(os.environ.get("DUCKDB_PATH", "data/warehouse.duckdb"))
        return DuckDBWarehouse(path)
    if target == "snowflake":
        return SnowflakeWarehouse()
    raise ValueError(f"unknown target {target!r}: duckdb or snowflake")
