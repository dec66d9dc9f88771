"""``elt_backfill``: load a past range chunk by chunk, then build.

Trigger it with parameters (UI "Trigger DAG w/ config", or
``airflow dags trigger elt_backfill -c '{"start": ..., "end": ...}'``):

* ``start``, ``end``: the range ``[start, end)`` (ISO 8601, UTC);
* ``chunk_days``: the length of one chunk in days (default 1);
* ``dbt_args``: arguments of the ``dbt build`` after the loads (default none: the
  complete build; e.g. ``--selector micro_batch``).

``chunks`` computes the windows; ``load_chunk`` is mapped over them (dynamic task
mapping): one task instance per chunk, each a stateless, idempotent
``loaders run --start --end`` in its own process, so no more than one chunk is in
memory, a failed chunk is retried alone, and clearing one chunk's task reloads just
that window (and changes nothing). ``max_active_tis_per_dag=1`` loads the chunks one
at a time, in order. Three years of one-day chunks are 1,096 task instances: the
project raises Airflow's ``max_map_length`` (1,024 by default) to 4,096.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param, task

from orchestration import backfill
from orchestration.settings import POOL_SLOTS, ROOT, WAREHOUSE_POOL, bin_path, default_args

with DAG(
    dag_id="elt_backfill",
    description="Load a past range in stateless chunks, then build",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    params={
        "start": Param("2026-10-01T00:00:00Z", type="string", description="range start"),
        "end": Param("2026-10-08T00:00:00Z", type="string", description="range end (excl.)"),
        "chunk_days": Param(1, type="number", exclusiveMinimum=0, description="days a chunk"),
        "dbt_args": Param("", type="string", description="dbt build arguments ('' = all)"),
    },
    tags=["elt", "backfill"],
    doc_md=__doc__,
) as dag:

    @task
    def chunks(params: dict[str, Any] | None = None) -> list[dict[str, str]]:
        """The ``[start, end)`` windows of the requested range."""
        assert params is not None
        return backfill.chunk_bounds(params["start"], params["end"], float(params["chunk_days"]))

    @task(
        max_active_tis_per_dag=1,
        pool=WAREHOUSE_POOL,
        map_index_template="{{ chunk }}",
        execution_timeout=timedelta(hours=2),
    )
    def load_chunk(bounds: dict[str, str]) -> str:
        """One stateless load of every source over one window."""
        from airflow.sdk import get_current_context

        get_current_context()["chunk"] = f"{bounds['start']} → {bounds['end']}"  # type: ignore[typeddict-unknown-key]
        return backfill.load_chunk(bounds["start"], bounds["end"])

    build = BashOperator(
        task_id="build",
        bash_command=f"{bin_path('dbt')} build {{{{ params.dbt_args }}}}",
        cwd=str(ROOT),
        pool=WAREHOUSE_POOL,
        pool_slots=POOL_SLOTS,
        retries=0,
    )
    load_chunk.expand(bounds=chunks()) >> build
