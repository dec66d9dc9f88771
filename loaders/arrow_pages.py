"""Land API pages as Arrow tables: dlt writes them without its row-by-row normalization.

A ``rest_api`` resource still walks the pages (paginator, auth, page checks and its
incremental cursor, applied to dicts as before); :func:`arrow_table_resource` adds a
transformer that turns each page into one ``pyarrow.Table`` for the raw table, which
dlt's extract writes to parquet as it is (issue 15: at scale 0.05 Bynder media's
normalize went from 37 s to 4 s, ``docs/performance.md`` "Landing formats").

:class:`PageToArrow` does what dlt's relational normalizer did to a root row of a
source with ``max_table_nesting=0``, so the raw tables keep their shape:

- column names normalized by the schema's naming convention (snake_case), an empty
  key as ``_empty``;
- list and dict values as JSON text in a ``json`` column (nothing flattened);
- the column types of the field-mapping dictionary (the resource's hints), of the
  stored schema (earlier loads) and of the first value seen, in that order;
- a field nobody declared becomes a column of its value's type (schema drift stays
  visible to ``loaders/drift.py``); a column whose values are all null in a page is
  left out, as dlt leaves out a column it cannot type;
- a value dlt's ``coerce_value`` turns into the column's type is coerced (``"5"``
  into a ``bigint`` column: ``5``), any other lands in the variant column
  ``<column>__v_<type>`` (``priority__v_text``), as the row normalizer does.

``_dlt_load_id`` and ``_dlt_id`` are added by dlt's parquet normalizer
(``[normalize.parquet_normalizer]`` in ``.dlt/config.toml``); the merge (primary key,
``dedup_sort``) is the resource's hints, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import dlt
import orjson
import pyarrow as pa
from dlt.common.data_types.type_helpers import coerce_value, py_type_to_sc_type
from dlt.common.json import custom_encode, json
from dlt.common.normalizers.naming import NamingConvention
from dlt.common.schema.typing import TColumnSchema, TTableSchemaColumns, TWriteDisposition
from dlt.common.typing import VARIANT_FIELD_FORMAT
from dlt.sources import DltResource

#: Name suffix of the ``rest_api`` resource that reads the pages of a table; the table's
#: own resource (the transformer) keeps the table's name.
PAGES_SUFFIX = "_pages"
#: dlt data type -> the Arrow type its values are written as (``json`` as JSON text).
ARROW_TYPES: dict[str, pa.DataType] = {
    "text": pa.string(),
    "json": pa.string(),
    "bigint": pa.int64(),
    "double": pa.float64(),
    "bool": pa.bool_(),
}
#: dlt data type -> the Python types whose values need no coercion.
PLAIN_TYPES: dict[str, frozenset[type]] = {
    "text": frozenset({str}),
    "json": frozenset({list, dict}),
    "bigint": frozenset({int}),
    "double": frozenset({float}),
    "bool": frozenset({bool}),
}
#: What dlt names a key that is empty or blank.
EMPTY_KEY = "_empty"
NONE_TYPE = type(None)


class _DeclaredJsonNotice(logging.Filter):
    """Drops dlt's warning that a ``json`` hint overrides an Arrow string, for our tables.

    dlt's extract warns on every page when a resource's hint differs from the Arrow
    type, and a ``json`` column is an Arrow string here by design (JSON text, as dlt's
    own parquet writer stores it). The hint wins, which is what we want.
    """

    def __init__(self) -> None:
        super().__init__()
        self.resources: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(
            message.startswith(f"In resource: {name}, when merging arrow schema")
            for name in self.resources
        )


_NOTICE = _DeclaredJsonNotice()
logging.getLogger("dlt").addFilter(_NOTICE)


def pages_name(table: str) -> str:
    """Name of the ``rest_api`` resource that reads the pages of ``table``."""
    return table + PAGES_SUFFIX


def adopt_cursor_state(pipeline: Any, source_name: str, tables: Sequence[str]) -> list[str]:
    """Move each table's cursor state to its pages resource; return the tables moved.

    The incremental cursor is kept per resource name, and before the Arrow pages the
    ``rest_api`` resource had the table's name: without this, a pipeline that ran the
    row loader would re-read from the initial value once (and append tables would
    get their rows twice). Call before the extract.
    """
    moved: list[str] = []
    stored = pipeline.state.get("sources", {}).get(source_name, {}).get("resources", {})
    if not any("incremental" in stored.get(t, {}) for t in tables):
        return moved  # a new pipeline, or moved already
    with pipeline.managed_state(extract_state=True) as state:
        resources = state.get("sources", {}).get(source_name, {}).get("resources", {})
        for table in tables:
            old = resources.get(table, {})
            if "incremental" in old and pages_name(table) not in resources:
                resources[pages_name(table)] = {"incremental": old.pop("incremental")}
                moved.append(table)
    return moved


def table_of(resource_name: str) -> str:
    """The table a resource writes: its own name, or the table a pages resource feeds."""
    return resource_name.removesuffix(PAGES_SUFFIX)


class NeedsRows(Exception):
    """A page that dlt's row normalizer must take: it makes child tables of lists."""


class PageToArrow:
    """Turns the pages of one raw table into Arrow tables (module docstring).

    Args:
        table: Raw table name (to read its stored columns from the source schema).
        hints: The resource's column hints (API or normalized names).
        naming: The schema's naming convention; None: the current source schema's.
        max_table_nesting: The source's: 0 keeps objects as JSON; 1 flattens objects
            of a record one level (Workfront's ``parameterValues``), and a page with a
            list outside a ``json`` column raises :class:`NeedsRows`.

    """

    def __init__(
        self,
        table: str,
        hints: TTableSchemaColumns,
        naming: NamingConvention | None = None,
        max_table_nesting: int = 0,
    ) -> None:
        """Keep the hints; the naming and stored columns are read on the first page."""
        if max_table_nesting not in (0, 1):
            raise ValueError("Arrow pages flatten objects one level at most")
        self.max_table_nesting = max_table_nesting
        self.table = table
        self._hints = hints
        self._naming = naming
        self._names: dict[str, str] = {}
        self._types: dict[str, str] | None = None
        self._typed_columns: list[str] = []
        #: ``json`` columns the hints lack (new or variant): dlt would type them text
        self.new_json_columns: dict[str, TColumnSchema] = {}

    def _start(self) -> dict[str, str]:
        stored: TTableSchemaColumns = {}
        if self._naming is None:
            schema = dlt.current.source_schema()
            self._naming = schema.naming
            if self.table in schema.tables:
                stored = schema.get_table_columns(self.table)
        naming = self._naming
        # hints may name a flattened path (``parameter_values__de_x``): dlt normalizes
        # hint names as paths, record keys as identifiers
        types = {
            naming.normalize_path(name): str(column["data_type"])
            for name, column in self._hints.items()
            if column.get("data_type")
        }
        for name, column in stored.items():
            if column.get("data_type") and name not in types:
                types[name] = str(column["data_type"])
        self._types = types
        self._typed_columns = [
            naming.normalize_path(name)
            for name, column in self._hints.items()
            if column.get("data_type") not in (None, "json")
        ]
        return types

    def _name(self, key: str) -> str:
        name = self._names.get(key)
        if name is None:
            assert self._naming is not None
            name = (
                self._naming.normalize_identifier(key) if key and not key.isspace() else EMPTY_KEY
            )
            self._names[key] = name
        return name

    def __call__(self, page: Sequence[Mapping[str, Any]]) -> pa.Table | None:
        """One page (a list of records) as an Arrow table; None for an empty page.

        Raises:
            NeedsRows: A record holds a list that dlt would make a child table of.

        """
        if not page:
            return None
        types = self._types if self._types is not None else self._start()
        if self.max_table_nesting:
            page = [self._flatten(record, types) for record in page]
        columns: dict[str, list[Any]] = {}
        for key, values in _transpose(page).items():
            for name, column in self._convert(self._name(key), values, types).items():
                if name in columns:  # two keys normalize to one name: the later wins
                    merged = columns[name]
                    columns[name] = [
                        v if v is not None else m for m, v in zip(merged, column, strict=True)
                    ]
                else:
                    columns[name] = column
        if not columns:
            return None
        for name in self._typed_columns:
            # a declared column absent from the page: typed nulls, so it exists in raw
            # (its resource hint is left out: dlt validates every hint on every page)
            columns.setdefault(name, [None] * len(page))
        return pa.table(
            {
                name: pa.array(values, type=ARROW_TYPES[types[name]])
                for name, values in columns.items()
            }
        )

    def _flatten(self, record: Mapping[str, Any], types: dict[str, str]) -> Mapping[str, Any]:
        """A record with its objects flattened one level, as ``max_table_nesting=1`` does.

        ``{"parameterValues": {"DE:Cost Center": "x"}}`` gives the column
        ``parameter_values__de_cost_center``; deeper objects and lists stay JSON.
        """
        if not any(type(value) in (dict, list) for value in record.values()):
            return record
        flat: dict[str, Any] = {}
        for key, value in record.items():
            kind = type(value)
            if (kind is not dict and kind is not list) or types.get(self._name(key)) == "json":
                flat[key] = value
                continue
            if kind is list:
                raise NeedsRows(f"{self.table}.{key} holds a list (a child table)")
            for inner, inner_value in value.items():
                path = f"{key}\x00{inner}"  # a key no API sends: its name is the path
                if path not in self._names:
                    assert self._naming is not None
                    self._names[path] = self._naming.shorten_fragments(
                        self._name(key), self._name(inner)
                    )
                flat[path] = inner_value
        return flat

    def _convert(self, name: str, values: list[Any], types: dict[str, str]) -> dict[str, list[Any]]:
        """``{column: values}``: the column, and variant columns for values unlike it."""
        present = set(map(type, values))
        present.discard(NONE_TYPE)
        if not present:
            return {}  # all null: dlt cannot type it (a declared column exists anyway)
        data_type = types.get(name)
        if data_type is None:
            first = next(v for v in values if v is not None)
            data_type = self._declare(name, py_type_to_sc_type(type(first)), types)
        if present <= PLAIN_TYPES[data_type]:
            return {name: self._plain(data_type, values)}
        out: dict[str, list[Any]] = {name: [None] * len(values)}
        for row, value in enumerate(values):
            if value is None:
                continue
            value_type = py_type_to_sc_type(type(value))
            target, target_type = name, data_type
            if value_type != data_type:
                try:
                    value = coerce_value(data_type, value_type, value)  # type: ignore[arg-type]
                except (ValueError, SyntaxError):
                    target = self._naming.shorten_fragments(  # type: ignore[union-attr]
                        name, VARIANT_FIELD_FORMAT % value_type
                    )
                    target_type = self._declare(target, value_type, types)
                    if target_type != value_type:  # an earlier load typed it otherwise
                        value = coerce_value(target_type, value_type, value)  # type: ignore[arg-type]
            if target_type == "json" and not isinstance(value, str):
                value = json.dumps(value)
            out.setdefault(target, [None] * len(values))[row] = value
        return out

    def _declare(self, name: str, data_type: str, types: dict[str, str]) -> str:
        """The type of ``name``: as known, else ``data_type`` from now on."""
        if name in types:
            return types[name]
        if data_type not in ARROW_TYPES:
            raise TypeError(f"{self.table}.{name}: no Arrow landing for dlt type {data_type!r}")
        types[name] = data_type
        if data_type == "json":
            self.new_json_columns[name] = {"name": name, "data_type": "json", "nullable": True}
        return data_type

    @staticmethod
    def _plain(data_type: str, values: list[Any]) -> list[Any]:
        if data_type == "json":
            return _json_texts(values)
        return values


def _json_texts(values: list[Any]) -> list[str | None]:
    """Each value as the JSON text dlt's ``json.dumps`` gives it; None stays None.

    ``orjson.dumps`` called as dlt's orjson backend calls it: one call a value instead
    of three (``tests/loaders/test_arrow_pages.py`` compares the two).
    """
    encode, option = orjson.dumps, orjson.OPT_NON_STR_KEYS
    return [
        None if v is None else encode(v, default=custom_encode, option=option).decode()
        for v in values
    ]


def _transpose(page: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """``{key: the records' values}`` in the order keys are first seen; None where absent.

    Row by row over the keys a record has: the records of a wide table are sparse
    (Bynder media: about 35 of 196 fields a record), so this is a third of the work
    of asking every record for every key.
    """
    size = len(page)
    columns: dict[str, list[Any]] = {}
    for row, record in enumerate(page):
        for key, value in record.items():
            column = columns.get(key)
            if column is None:
                column = columns[key] = [None] * size
            column[row] = value
    return columns


def resource_hints(hints: TTableSchemaColumns) -> TTableSchemaColumns:
    """The hints an Arrow page cannot carry: ``json`` types and merge hints.

    dlt's extract computes and validates a resource's hints on every Arrow table
    (issue 15: about 0.1 s per page of Bynder media with its 196 hints); the other
    declared types travel as the Arrow columns' types.
    """
    plain = {"name", "data_type", "nullable"}
    return {
        name: column
        for name, column in hints.items()
        if column.get("data_type") == "json"
        or set(column) - plain
        or not column.get("nullable", True)
    }


def arrow_table_resource(
    pages: DltResource,
    table: str,
    hints: TTableSchemaColumns,
    write_disposition: TWriteDisposition,
    primary_key: str | Sequence[str] = (),
    max_table_nesting: int = 0,
) -> DltResource:
    """A transformer named ``table`` writing each page of ``pages`` as an Arrow table.

    A page :class:`PageToArrow` cannot take (:class:`NeedsRows`) goes to dlt's row
    normalizer as it is, with every hint.

    Args:
        pages: The resource that yields the pages (lists of records) of ``table``.
        table: Raw table name, and the transformer's name.
        hints: Column hints of the table (the field-mapping dictionary's).
        write_disposition: As the row resource had it.
        primary_key: As the row resource had it (merge key).
        max_table_nesting: The source's (:class:`PageToArrow`).

    """
    convert = PageToArrow(table, hints, max_table_nesting=max_table_nesting)
    _NOTICE.resources.add(table)
    announced: set[str] = set()

    def to_arrow(page: list[dict[str, Any]]) -> Iterator[Any]:
        # a generator, not a function: dlt queues it and requests the next page of a
        # parallelized pages resource before it runs (a function would run first)
        try:
            arrow = convert(page)
        except NeedsRows:
            yield dlt.mark.with_hints(page, dlt.mark.make_hints(columns=hints))
            return
        if arrow is None:
            return
        fresh = {k: v for k, v in convert.new_json_columns.items() if k not in announced}
        if fresh:
            # a json column dlt would otherwise type as text (an Arrow string)
            announced.update(fresh)
            yield dlt.mark.with_hints(arrow, dlt.mark.make_hints(columns=fresh))
        else:
            yield arrow

    return dlt.transformer(
        to_arrow,
        name=table,
        data_from=pages,
        write_disposition=write_disposition,
        primary_key=primary_key,
        columns=resource_hints(hints),
    )


def arrow_resources(
    config: Mapping[str, Any], resources: Sequence[DltResource], max_table_nesting: int = 0
) -> list[DltResource]:
    """``resources`` of a ``rest_api`` ``config``, each pages resource behind its table's.

    A resource named :func:`pages_name` of a table is replaced by
    :func:`arrow_table_resource`, with the columns, write disposition and primary key
    its config entry (or ``resource_defaults``) gives; the others are kept as they are.
    The pages resource is parallelized (``DltResource.parallelize``): dlt requests its
    next page in a worker thread while the main thread converts the page before (the
    transformer is a generator, so dlt takes the next page request first). dlt keeps
    one request of a resource in flight, so at most one page waits ahead of the one
    converted; the pages still reach the transformer and the incremental step in order.
    """
    defaults = config.get("resource_defaults", {})
    entries = {r["name"]: r for r in config["resources"] if isinstance(r, Mapping)}
    out: list[DltResource] = []
    for resource in resources:
        table = table_of(resource.name)
        if resource.name == table:
            out.append(resource)
            continue
        entry = {**defaults, **entries[resource.name]}
        out.append(
            arrow_table_resource(
                # the next page is read in dlt's extract thread pool while the
                # transformer converts this one (issue 15); one page at a time ahead
                resource.parallelize(),
                table,
                entry.get("columns", {}),
                entry.get("write_disposition", "append"),
                entry.get("primary_key", ()),
                max_table_nesting,
            )
        )
    return out
