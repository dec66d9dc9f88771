"""What each load delivered, written next to the data for reconciliation in dbt.

After a source's load, for every table in every load package: how many records the
API delivered (dlt's normalize counts), how many rows of that load dlt staged and
landed, how many distinct keys they hold, and which keys the API delivered more than
once in the same load (exact duplicates and records that changed between two page
reads: dlt's merge keeps one row per key, so without this report they would vanish
without a trace). The report goes to its own dataset, ``raw_load_reports`` (dlt
pipeline ``load_reports``), on the same destination; dbt reads it as the source
``load_reports``.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dlt
from dlt.common.schema.utils import get_columns_names_with_prop, get_write_disposition

from loaders.locks import file_lock

REPORT_PIPELINE = "load_reports"
REPORT_DATASET = "raw_load_reports"


@dataclass
class TableDelivery:
    """One table of one load package, as delivered and as landed."""

    system: str
    load_id: str
    table_name: str
    write_disposition: str
    primary_key: str | None
    rows_reported: int
    rows_in_load: int
    distinct_keys: int | None
    duplicate_rows: int | None
    rows_landed: int
    reported_at: datetime


@dataclass
class DuplicateKey:
    """A key the API delivered more than once in one load."""

    system: str
    load_id: str
    table_name: str
    record_key: str
    copies: int
    versions: int | None


LOAD_COLUMNS: dict[str, Any] = {
    "system": {"data_type": "text", "nullable": False},
    "load_id": {"data_type": "text", "nullable": False},
    "table_name": {"data_type": "text", "nullable": False},
    "write_disposition": {"data_type": "text"},
    "primary_key": {"data_type": "text"},
    "rows_reported": {"data_type": "bigint"},
    "rows_in_load": {"data_type": "bigint"},
    "distinct_keys": {"data_type": "bigint"},
    "duplicate_rows": {"data_type": "bigint"},
    "rows_landed": {"data_type": "bigint"},
    "reported_at": {"data_type": "timestamp"},
}
DUPLICATE_COLUMNS: dict[str, Any] = {
    "system": {"data_type": "text", "nullable": False},
    "load_id": {"data_type": "text", "nullable": False},
    "table_name": {"data_type": "text", "nullable": False},
    "record_key": {"data_type": "text", "nullable": False},
    "copies": {"data_type": "bigint"},
    "versions": {"data_type": "bigint"},
}


def _per_load_counts(pipeline: Any, normalize: Any = None) -> dict[str, dict[str, int]]:
    """Rows normalized per load id and table (dlt's own tables left out).

    ``normalize`` is the NormalizeInfo of the loads; by default the last trace's.
    """
    if normalize is None:
        trace = pipeline.last_trace
        normalize = trace.last_normalize_info if trace else None
    counts: dict[str, dict[str, int]] = {}
    if normalize is None:
        return counts
    for load_id, metrics in normalize.metrics.items():
        tables = metrics[0]["table_metrics"]
        counts[load_id] = {
            table: m.items_count for table, m in tables.items() if not table.startswith("_dlt")
        }
    return counts


def _scalar(client: Any, sql: str) -> Any:
    rows = client.execute_sql(sql)
    return rows[0][0] if rows else None


def collect(
    pipeline: Any, system: str, load_ids: list[str], normalize: Any = None
) -> tuple[list[TableDelivery], list[DuplicateKey]]:
    """Measure every table of the given completed loads of ``pipeline``."""
    schema = pipeline.default_schema
    now = datetime.now(UTC).replace(tzinfo=None)
    deliveries: list[TableDelivery] = []
    duplicates: list[DuplicateKey] = []
    counts = _per_load_counts(pipeline, normalize)
    with pipeline.sql_client() as client:
        for load_id in load_ids:
            for table, reported in sorted(counts.get(load_id, {}).items()):
                if table not in schema.tables:
                    continue
                table_schema = schema.tables[table]
                disposition = get_write_disposition(schema.tables, table)
                keys = get_columns_names_with_prop(table_schema, "primary_key")
                versions = get_columns_names_with_prop(table_schema, "dedup_sort")
                final = client.make_qualified_table_name(table)
                if disposition == "merge":
                    with client.with_staging_dataset():
                        in_load = client.make_qualified_table_name(table)
                else:
                    in_load = final
                where = f"where {client.escape_column_name('_dlt_load_id')} = '{load_id}'"
                key_sql = (
                    " || '|' || ".join(
                        f"cast({client.escape_column_name(k)} as varchar)" for k in keys
                    )
                    if keys
                    else None
                )
                distinct = f"count(distinct {key_sql})" if key_sql else "null"
                rows_in_load, distinct_keys = client.execute_sql(
                    f"select count(*), {distinct} from {in_load} {where}"
                )[0]
                landed = _scalar(client, f"select count(*) from {final} {where}")
                deliveries.append(
                    TableDelivery(
                        system=system,
                        load_id=load_id,
                        table_name=table,
                        write_disposition=str(disposition),
                        primary_key=",".join(keys) or None,
                        rows_reported=int(reported),
                        rows_in_load=int(rows_in_load),
                        distinct_keys=None if distinct_keys is None else int(distinct_keys),
                        duplicate_rows=None
                        if distinct_keys is None
                        else int(rows_in_load) - int(distinct_keys),
                        rows_landed=int(landed or 0),
                        reported_at=now,
                    )
                )
                if key_sql and distinct_keys is not None and distinct_keys < rows_in_load:
                    version_sql = (
                        f"count(distinct {client.escape_column_name(versions[0])})"
                        if versions
                        else "null"
                    )
                    for key, copies, version_count in client.execute_sql(
                        f"select {key_sql}, count(*), {version_sql} from {in_load} {where}"
                        f" group by {key_sql} having count(*) > 1"
                    ):
                        duplicates.append(
                            DuplicateKey(
                                system=system,
                                load_id=load_id,
                                table_name=table,
                                record_key=str(key),
                                copies=int(copies),
                                versions=None if version_count is None else int(version_count),
                            )
                        )
    return deliveries, duplicates


def write(pipeline: Any, deliveries: list[TableDelivery], duplicates: list[DuplicateKey]) -> None:
    """Append the report to ``raw_load_reports`` on the pipeline's destination."""

    def rows(items: list[Any]) -> Any:
        if items:
            yield [asdict(item) for item in items]
        else:  # still create the table, so dbt's source exists before any duplicate
            yield dlt.mark.materialize_table_schema()

    loads = dlt.resource(
        rows(deliveries), name="loads", write_disposition="append", columns=LOAD_COLUMNS
    )
    keys = dlt.resource(
        rows(duplicates),
        name="duplicate_keys",
        write_disposition="append",
        columns=DUPLICATE_COLUMNS,
    )
    # one reporter pipeline serves every source: sources loading in parallel take turns
    with file_lock(Path(pipeline.pipelines_dir) / f"{REPORT_PIPELINE}.lock"):
        reporter = dlt.pipeline(
            pipeline_name=REPORT_PIPELINE,
            destination=pipeline.destination,
            dataset_name=REPORT_DATASET,
            pipelines_dir=pipeline.pipelines_dir,
        )
        if reporter.has_pending_data:
            # a report of a killed run: finish it first, or run() would load only that one
            reporter.run()
        reporter.run([loads, keys], loader_file_format="parquet")


def record_load_report(
    pipeline: Any, system: str, load_ids: list[str], normalize: Any = None
) -> int:
    """Collect and write the report of the loads just completed; return the table count.

    ``normalize`` is the NormalizeInfo of those loads when the pipeline ran its steps
    one by one (the last trace then holds the load step only).

    A failure here never fails the load that already committed: it is printed, and
    dbt's reconciliation tests then flag the load that has no report.
    """
    try:
        deliveries, duplicates = collect(pipeline, system, load_ids, normalize)
        write(pipeline, deliveries, duplicates)
    except Exception as exc:  # the data load itself succeeded
        print(f"warning: {system}: no load report written ({exc})", file=sys.stderr)
        return 0
    return len(deliveries)
