"""Schema drift seen at load time: raw columns the field-mapping dictionary does not map.

dlt evolves raw schemas by itself: a field the API starts sending becomes a new
column, a renamed field a second column, a value of a new type a variant column
(``priority__v_text``). Nothing is lost, but nothing downstream maps the new column
until someone adds a dictionary row. Each load's schema update is compared with the
dictionary here, so the loader can say so the moment it happens; dbt's drift check
(``tests/singular/drift``) and the stewards' schema-change report say it again from
the warehouse side.
"""

from __future__ import annotations

from typing import Any

from loaders.field_mapping import column_hints, mapped_tables


def unmapped_columns(system: str, load_info: Any, naming: Any) -> list[str]:
    """``table.column (type)`` of every column a load added that the dictionary lacks.

    Args:
        system: The source system the load belongs to.
        load_info: dlt's ``LoadInfo`` of the run.
        naming: The schema's naming convention (``schema.naming``): dictionary fields
            are API names, raw columns are normalized.

    """
    tables = set(mapped_tables(system))
    found: list[str] = []
    for package in getattr(load_info, "load_packages", []):
        for table, update in (package.schema_update or {}).items():
            if table.startswith("_dlt"):
                continue
            # a tombstone may carry its entity's columns (tombstones are routed rows)
            owners = [t for t in (table, table.removesuffix("_tombstones")) if t in tables]
            names = {name for owner in owners for name in column_hints(system, owner)}
            # flattened paths (``parameter_values__de_x``) are normalized already
            mapped = names | {naming.normalize_identifier(name) for name in names}
            for column, hints in update.get("columns", {}).items():
                if column.startswith("_dlt") or column in mapped:
                    continue
                found.append(f"{table}.{column} ({hints.get('data_type', '?')})")
    return sorted(set(found))
