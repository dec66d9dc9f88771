"""Order-independent fingerprints of warehouse tables, to tell whether two differ.

A table's fingerprint is its row count and the sum of a hash of every row over its
columns (dlt's per-load bookkeeping, the ``_dlt_*`` columns and tables, left out:
they name the load, not the data). Two tables with equal fingerprints hold the same
multiset of rows, up to a hash collision; a duplicated row, a missing row or one
changed value all change it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

#: Columns that identify a load rather than the data.
VOLATILE_PREFIXES = ("_dlt_",)


@dataclass(frozen=True)
class TableFingerprint:
    """Row count and content hash of one table."""

    rows: int
    content: int


def _all_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ? "
        "order by column_name",
        [schema, table],
    ).fetchall()
    return [r[0] for r in rows]


def tables(db: Path, schemas: Iterable[str]) -> list[tuple[str, str]]:
    """The base tables of ``schemas`` in ``db`` (views left out: they hold no state)."""
    wanted = list(schemas)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() and table_type = 'BASE TABLE' "
            "order by 1, 2"
        ).fetchall()
    return [(s, t) for s, t in rows if s in wanted and not t.startswith(VOLATILE_PREFIXES)]


def fingerprint(
    db: Path,
    schemas: Iterable[str],
    exclude: Iterable[str] = (),
    ignore_columns: Iterable[str] = (),
    reloads_once: bool = False,
) -> dict[str, TableFingerprint]:
    """Fingerprints of every base table of ``schemas``, keyed ``schema.table``.

    Args:
        db: The DuckDB file (opened read-only).
        schemas: Schemas to cover.
        exclude: ``schema.table`` names left out (tables meant to grow, such as
            observability history).
        ignore_columns: Column names left out of every table's hash (a build's own
            timestamp, say).
        reloads_once: Count the rows that share a ``_dlt_id`` once: the copies an
            append table gets when a killed loader's rerun loads a job file again
            (reliability/reconcile.py).

    """
    skipped, ignored = set(exclude), set(ignore_columns)
    out: dict[str, TableFingerprint] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for schema, table in tables(db, schemas):
            name = f"{schema}.{table}"
            if name in skipped:
                continue
            names = _all_columns(con, schema, table)
            kept = [c for c in names if not c.startswith(VOLATILE_PREFIXES) and c not in ignored]
            columns = ", ".join(f'"{c}"' for c in kept)
            row_hash = f"hash(row({columns}))" if columns else "0"
            relation = f'"{schema}"."{table}"'
            if reloads_once and "_dlt_id" in names:
                relation = f"(select distinct on (_dlt_id) * from {relation})"
            count, content = con.execute(
                f"select count(*), coalesce(sum({row_hash}::hugeint), 0) from {relation}"
            ).fetchall()[0]
            out[name] = TableFingerprint(int(count), int(content))
    return out


def differences(
    before: dict[str, TableFingerprint], after: dict[str, TableFingerprint]
) -> dict[str, tuple[TableFingerprint | None, TableFingerprint | None]]:
    """Tables whose fingerprints differ (or that exist on one side only)."""
    return {
        name: (before.get(name), after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
