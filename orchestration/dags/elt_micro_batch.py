"""``elt_micro_batch``: every five minutes, load the three sources and refresh the marts.

load_webphone ┐
load_bynder   ├─ loads_done ─ micro_batch (cosmos: one dbt build per model) ─ alerts
load_workfront┘
      └──────── all_sources_loaded

* The three loads run side by side, each the ``loaders`` entry point for one source
  (incremental from its stored cursor), retried with exponential backoff. They take
  the changes only (``--changes-only``): Workfront's assignments, which have no
  change date and are read whole, are left to ``elt_daily``.
* ``loads_done`` waits for all three whatever their outcome: a source that is down
  does not hold back the others' data (staging takes in completed loads only); the
  leaf ``all_sources_loaded`` still fails the run, so the failure is visible.
* ``micro_batch``: the ``micro_batch`` selector (selectors.yml) as a cosmos task
  group, each model or snapshot one ``dbt build`` with its tests.
* ``alerts``: Elementary's ``edr monitor`` when a Slack destination is configured
  (skipped otherwise), after the build whatever its outcome.

No two runs overlap: ``max_active_runs=1`` queues the next run until the previous
one has finished, so a slow run delays the next instead of loading twice; runs the
scheduler missed are not caught up (``catchup=False``): the next run's incremental
cursors take in everything since the last completed load.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, TriggerRule

from orchestration.alerting import send_alerts
from orchestration.dbt_tasks import dbt_task_group
from orchestration.settings import (
    ROOT,
    SOURCES,
    WAREHOUSE_POOL,
    default_args,
    loader_command,
)

with DAG(
    dag_id="elt_micro_batch",
    description="Every 5 minutes: load the three sources, refresh the marts, alert",
    schedule=timedelta(minutes=5),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=30),
    default_args=default_args(),
    tags=["elt", "micro-batch"],
    doc_md=__doc__,
) as dag:
    loads = [
        BashOperator(
            task_id=f"load_{source}",
            # the tables read whole on every run (Workfront assignments) wait for the
            # daily run: no mart reads them, and reading them would grow with history
            bash_command=" ".join(loader_command(source, changes_only=True)),
            cwd=str(ROOT),
            pool=WAREHOUSE_POOL,
            execution_timeout=timedelta(minutes=20),
        )
        for source in SOURCES
    ]
    loads_done = EmptyOperator(task_id="loads_done", trigger_rule=TriggerRule.ALL_DONE)
    all_sources_loaded = EmptyOperator(task_id="all_sources_loaded")
    # Elementary records the tests' results, but skips its graph and run-result uploads
    # on a micro-batch (the complete build keeps them): docs/data-quality.md. The
    # tests read the recent loads only (var micro_batch, macros/warehouse/micro_batch.sql).
    # lookback_hours 0: each incremental model takes in the loads since the newest one
    # it processed (and that one again), not the last six hours of loads on every
    # batch; the complete build (elt_daily) keeps the project's lookback as its sweep.
    micro_batch = dbt_task_group(
        "micro_batch",
        selector="micro_batch",
        operator_args={
            "vars": {
                "disable_dbt_artifacts_autoupload": True,
                "disable_run_results": True,
                "micro_batch": True,
                "lookback_hours": 0,
            }
        },
    )
    alerts = PythonOperator(
        task_id="alerts", python_callable=send_alerts, trigger_rule=TriggerRule.ALL_DONE
    )
    loads >> loads_done >> micro_batch >> alerts
    loads >> all_sources_loaded
