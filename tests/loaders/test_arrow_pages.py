"""Arrow pages land what dlt's row normalizer landed: same columns, types and values."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import dlt
import duckdb
import pytest
from dlt.common.json import json
from dlt.common.schema.typing import TTableSchemaColumns

from loaders.arrow_pages import (
    PageToArrow,
    _json_texts,
    adopt_cursor_state,
    arrow_resources,
    arrow_table_resource,
)
from loaders.pipeline import arrow_tables

HINTS: TTableSchemaColumns = {
    "id": {"data_type": "text", "nullable": True},
    "dateModified": {"data_type": "text", "nullable": True, "dedup_sort": "desc"},
    "priority": {"data_type": "bigint", "nullable": True},
    "score": {"data_type": "double", "nullable": True},
    "isPublic": {"data_type": "bool", "nullable": True},
    "tags": {"data_type": "json", "nullable": True},
    "thumbnails": {"data_type": "json", "nullable": True},
    "never": {"data_type": "text", "nullable": True},
}

FIRST = [
    [
        {
            "id": "a",
            "dateModified": "2026-11-01T00:00:00Z",
            "priority": 1,
            "score": 2,  # an int in a double column: coerced
            "isPublic": True,
            "tags": ["x", "y"],
            "thumbnails": {"mini": "m.png", "nested": {"deep": [1, 2]}},
            "property_Sales_Market": ["EU"],  # undeclared list: a json column
            "newField": "fresh",  # undeclared text
            "onlyNulls": None,  # undeclared, null only: no column
            "": "empty key",
        },
        {
            "id": "b",
            "dateModified": "2026-11-01T00:00:01Z",
            "priority": "5",  # text that dlt coerces into the bigint column
            "score": 1.5,
            "isPublic": None,
            "tags": [],
            "newField": 7,  # an int in a text column: coerced to "7"
        },
    ],
    [
        {
            "id": "c",
            "dateModified": "2026-11-01T00:00:02Z",
            "priority": "urgent",  # retyped: the variant column priority__v_text
            "score": "high",  # the variant column score__v_text
            "tags": "not-a-list",  # text in a json column
            "thumbnails": None,
        },
        # merged on id: the later dateModified wins
        {"id": "a", "dateModified": "2026-11-01T00:00:03Z", "priority": 2, "newField": "later"},
    ],
]
SECOND = [
    [
        {"id": "d", "dateModified": "2026-11-02T00:00:00Z", "newField": ["listed"]},
        {"id": "e", "dateModified": "2026-11-02T00:00:01Z", "property_Sales_Market": "text"},
    ]
]


def _load(tmp_path: Path, kind: str, pages: list[list[dict[str, Any]]], nesting: int = 0) -> None:
    def read() -> Any:
        yield from pages

    resource = dlt.resource(read, name="media_pages")
    media: Any
    if kind == "rows":
        media = dlt.resource(
            read, name="media", write_disposition="merge", primary_key="id", columns=HINTS
        )
    else:
        media = arrow_table_resource(resource, "media", HINTS, "merge", "id", nesting)

    @dlt.source(name="demo", max_table_nesting=nesting)
    def demo() -> Any:
        return media

    source = demo()
    source.schema.remove_type_detection("iso_timestamp")
    pipeline = dlt.pipeline(
        pipeline_name=f"demo_{kind}",
        destination=dlt.destinations.duckdb(str(tmp_path / f"{kind}.duckdb")),
        dataset_name="raw",
        pipelines_dir=str(tmp_path / "dlt"),
    )
    pipeline.run(source, loader_file_format="parquet")


def _table(db: Path, table: str = "media") -> tuple[dict[str, str], list[tuple[Any, ...]], int]:
    with duckdb.connect(str(db), read_only=True) as con:
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                f"where table_schema = 'raw' and table_name = '{table}'"
            ).fetchall()
        )
        data = [c for c in sorted(types) if not c.startswith("_dlt")]
        rows = con.execute(f"select {', '.join(data)} from raw.{table} order by all").fetchall()
        loads = con.execute(
            "select count(distinct _dlt_load_id) + count(distinct _dlt_id) from raw.media"
        ).fetchall()[0][0]
    return types, rows, loads


@pytest.mark.parametrize("loads", [[FIRST], [FIRST, SECOND]], ids=["one", "two"])
def test_arrow_pages_land_as_the_row_normalizer_did(
    tmp_path: Path, loads: list[list[list[dict[str, Any]]]]
) -> None:
    for kind in ("rows", "arrow"):
        for pages in loads:
            _load(tmp_path, kind, pages)
    rows_types, rows_data, _ = _table(tmp_path / "rows.duckdb")
    arrow_types, arrow_data, arrow_ids = _table(tmp_path / "arrow.duckdb")
    assert arrow_types == rows_types
    assert arrow_data == rows_data
    assert arrow_ids > len(loads)  # _dlt_load_id and _dlt_id are filled
    # the cases the fixture is for are there
    assert {"priority__v_text", "score__v_text", "property_sales_market", "_empty"} <= set(
        arrow_types
    )
    assert "only_nulls" not in arrow_types
    if len(loads) == 2:
        # a list in a text column is coerced to JSON text; text in a json column is a variant
        assert "property_sales_market__v_text" in arrow_types
        assert ("d", '["listed"]') in {(r[0], r[1]) for r in _pairs(tmp_path, "new_field")}


def _pairs(tmp_path: Path, column: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(tmp_path / "arrow.duckdb"), read_only=True) as con:
        return con.execute(f"select id, {column} from raw.media").fetchall()


CUSTOM: list[list[dict[str, Any]]] = [
    [
        {
            "id": "a",
            "dateModified": "2026-11-01T00:00:00Z",
            "priority": 1,
            "parameterValues": {"DE:Cost Center": "CC-1", "DE:Rate": 12.5, "DE:Deep": {"x": 1}},
            "tags": ["kept", "as", "json"],  # a json column is not a child table
        },
        {"id": "b", "dateModified": "2026-11-01T00:00:01Z", "parameterValues": {}},
    ],
    # a list outside a json column: dlt makes a child table, so this page takes the row path
    [{"id": "c", "dateModified": "2026-11-01T00:00:02Z", "owners": [{"name": "x"}]}],
]


def test_one_level_of_nesting_flattens_objects_as_the_row_normalizer_did(tmp_path: Path) -> None:
    for kind in ("rows", "arrow"):
        _load(tmp_path, kind, CUSTOM, nesting=1)
    for table in ("media", "media__owners"):
        rows_types, rows_data, _ = _table(tmp_path / "rows.duckdb", table)
        arrow_types, arrow_data, _ = _table(tmp_path / "arrow.duckdb", table)
        assert arrow_types == rows_types, table
        assert arrow_data == rows_data, table
    media_types, _, _ = _table(tmp_path / "arrow.duckdb")
    assert {"parameter_values__de_cost_center", "parameter_values__de_deep"} <= set(media_types)


def test_a_row_loaders_cursor_moves_to_the_pages_resource(tmp_path: Path) -> None:
    """An append table read by the row loader is not read again from the start."""
    records = [{"id": i, "at": i} for i in range(10)]

    def versioned(arrow: bool, count: int) -> Any:
        name = "events_pages" if arrow else "events"

        @dlt.resource(name=name, write_disposition="append")
        def read(at: Any = dlt.sources.incremental("at")) -> Any:  # noqa: B008 (dlt idiom)
            yield records[:count]

        @dlt.source(name="demo")
        def demo() -> Any:
            if arrow:
                return arrow_table_resource(
                    read, "events", {"id": {"data_type": "bigint"}}, "append"
                )
            return read

        return demo()

    pipeline = dlt.pipeline(
        pipeline_name="moved",
        destination=dlt.destinations.duckdb(str(tmp_path / "moved.duckdb")),
        dataset_name="raw",
        pipelines_dir=str(tmp_path / "dlt"),
    )
    pipeline.run(versioned(arrow=False, count=5))
    source = versioned(arrow=True, count=8)
    assert adopt_cursor_state(pipeline, "demo", arrow_tables(source)) == ["events"]
    pipeline.extract(source)
    pipeline.normalize()
    pipeline.load()
    with duckdb.connect(str(tmp_path / "moved.duckdb"), read_only=True) as con:
        ats = [r[0] for r in con.execute("select id from raw.events order by id").fetchall()]
    assert ats == list(range(8))


def test_the_next_page_is_read_while_a_page_converts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages resource reads page 2 in dlt's thread pool while page 1 converts."""
    converting_first = threading.Event()
    reading_second = threading.Event()
    readers: list[str] = []
    overlapped: list[bool] = []

    def read() -> Any:
        for number in range(3):
            readers.append(threading.current_thread().name)
            if number == 1:  # each waits for the other: only two threads get past
                reading_second.set()
                overlapped.append(converting_first.wait(timeout=5))
            yield [{"id": str(number), "at": number}]

    convert = PageToArrow.__call__

    def converting(self: PageToArrow, page: Any) -> Any:
        if page[0]["id"] == "0":
            converting_first.set()
            overlapped.append(reading_second.wait(timeout=5))
        return convert(self, page)

    monkeypatch.setattr(PageToArrow, "__call__", converting)
    config: Any = {"resources": [{"name": "events_pages", "columns": HINTS, "primary_key": "id"}]}

    @dlt.source(name="demo")
    def demo() -> Any:
        return arrow_resources(config, [dlt.resource(read, name="events_pages")])

    pipeline = dlt.pipeline(pipeline_name="ahead", pipelines_dir=str(tmp_path / "dlt"))
    info = pipeline.extract(demo(), loader_file_format="parquet")
    assert overlapped == [True, True]
    assert "MainThread" not in readers
    assert info.metrics[info.loads_ids[0]][0]["table_metrics"]["events"].items_count == 3


def test_json_text_is_dlts() -> None:
    """JSON text written by the Arrow pages is what dlt's ``json.dumps`` writes."""
    values = [
        None,
        ["x", "é", 1, 2.5, True, None],
        {"mini": "m.png", "nested": {"deep": [1, 2]}, 3: "int key"},
        {"at": datetime(2026, 11, 1, 12, 30, tzinfo=UTC), "amount": Decimal("1.10")},
        [],
        {},
        "text",
    ]
    assert _json_texts(values) == [None if v is None else json.dumps(v) for v in values]
