"""Column hints for the raw tables, read from the field-mapping dictionary.

The dictionary (``seeds/field_mapping.csv``) is the single list of every source
field; dbt reads it as a seed for staging, and the loaders read it here so that
every mapped column exists in raw with its source type, even when a load happens to
carry only nulls for it (dlt cannot infer a type from nulls and would skip the
column). Timestamps are hinted as text: raw keeps the source's own format and dbt
standardizes it, so a malformed value never lands in a variant column unnoticed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import dlt
from dlt.common.schema.typing import TColumnSchema, TTableSchemaColumns, TWriteDisposition
from dlt.sources import DltResource

DICTIONARY = Path(__file__).resolve().parents[1] / "seeds" / "field_mapping.csv"
RAW_TYPES = {"text", "bigint", "double", "bool", "json", "timestamp", "date", "decimal"}


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, str], ...]:
    with DICTIONARY.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def column_hints(system: str, table: str, latest_by: str | None = None) -> TTableSchemaColumns:
    """Dlt column hints for one raw table: ``{column: {data_type, nullable}}``.

    Args:
        system: Source system (``webphone``, ``bynder``, ``workfront``).
        table: Raw table name (the dlt resource name).
        latest_by: The modified-at field of a merged table: when one load carries a
            record twice (it changed between two page reads), the latest version wins.

    Raises:
        ValueError: When the dictionary has no rows for the table, or a raw type is
            not a dlt data type.

    """
    hints: TTableSchemaColumns = {}
    for row in _rows():
        if row["source_system"] != system or row["source_object"] != table:
            continue
        raw_column, raw_type = row["raw_column"], row["raw_type"]
        if not raw_column:
            continue  # derived columns exist only in dbt
        if raw_type not in RAW_TYPES:
            raise ValueError(
                f"{DICTIONARY.name}: {system}.{table}.{raw_column} has raw_type {raw_type!r}"
            )
        # top-level fields keep the API's name (dlt normalizes it, as it does the data
        # and the primary key); flattened nested fields use the normalized path
        name = raw_column if "." in row["source_field"] else row["source_field"]
        column: TColumnSchema = {"name": name, "data_type": raw_type, "nullable": True}  # type: ignore[typeddict-item]
        hints[name] = column
    if not hints:
        raise ValueError(f"{DICTIONARY.name} has no columns for {system}.{table}")
    if latest_by is not None:
        hints[latest_by]["dedup_sort"] = "desc"
    return hints


def mapped_tables(system: str) -> list[str]:
    """Raw tables of a source system that the dictionary maps."""
    return sorted({row["source_object"] for row in _rows() if row["source_system"] == system})


def source_fields(system: str, table: str) -> list[str]:
    """API field names of one raw table, in dictionary order, each once (for projections).

    A field can feed two staged columns (a Workfront status and its full code).
    """
    fields = (
        row["source_field"]
        for row in _rows()
        if row["source_system"] == system and row["source_object"] == table
    )
    return list(dict.fromkeys(fields))


#: Name suffix of the resources :func:`empty_table` makes (they read no endpoint).
PLACEHOLDER_SUFFIX = "_schema"


def empty_table(
    system: str,
    table: str,
    write_disposition: TWriteDisposition,
    primary_key: str,
    columns: TTableSchemaColumns | None = None,
) -> DltResource:
    """A resource that only creates ``table`` with its mapped columns.

    A table whose API returned nothing yet (no deletions so far, say) would otherwise
    not exist, and dbt's sources would fail on it.
    """

    def materialize() -> Iterator[Any]:
        yield dlt.mark.materialize_table_schema()

    return dlt.resource(
        materialize,
        name=f"{table}{PLACEHOLDER_SUFFIX}",
        table_name=table,
        write_disposition=write_disposition,
        primary_key=primary_key,
        columns=columns if columns is not None else column_hints(system, table),
    )
