"""``elt_daily``: the complete build, the docs site, the steward reports, the deploy.

load_all ─ build ─ deploy ─ after_deploy ─ docs ─ reports

* ``load_all``: every source, incremental (as the micro-batch does).
* ``build``: every snapshot, model and test upstream of or beside the marts, in
  place, one task per node (cosmos watcher mode: one ``dbt build``).
* ``deploy``: the blue-green deploy (orchestration/deploy.py): the marts and their
  tests built into the shadow schema, swapped in only when every error-severity test
  passed; a failed deploy fails the task and leaves the previous marts served.
* ``after_deploy``: the models and tests that read the marts (observability).
* ``docs`` (``dbt docs generate``) and ``reports``: the steward report
  (Elementary's ``edr report``, ``scripts/report.sh``).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, TriggerRule

from orchestration.dbt_tasks import dbt_task_group
from orchestration.settings import (
    POOL_SLOTS,
    ROOT,
    WAREHOUSE_POOL,
    bin_path,
    dbt_target,
    default_args,
    loader_command,
)

with DAG(
    dag_id="elt_daily",
    description="Daily: complete build, docs, steward reports, blue-green deploy",
    schedule="0 2 * * *",
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=6),
    default_args=default_args(),
    tags=["elt", "daily", "deploy"],
    doc_md=__doc__,
) as dag:
    load_all = BashOperator(
        task_id="load_all",
        bash_command=" ".join(loader_command("all")),
        cwd=str(ROOT),
        pool=WAREHOUSE_POOL,
        pool_slots=POOL_SLOTS,
    )
    build = dbt_task_group("build", exclude=["path:models/marts+"])
    deploy = BashOperator(
        task_id="deploy",
        bash_command=f"{bin_path('python')} -m orchestration.deploy",
        cwd=str(ROOT),
        pool=WAREHOUSE_POOL,
        pool_slots=POOL_SLOTS,
        retries=0,
    )
    after_deploy = dbt_task_group(
        "after_deploy", select=["path:models/marts+"], exclude=["path:models/marts"]
    )
    docs = BashOperator(
        task_id="docs",
        bash_command=f"{bin_path('dbt')} docs generate",
        cwd=str(ROOT),
        pool=WAREHOUSE_POOL,
        pool_slots=POOL_SLOTS,
    )
    reports = BashOperator(
        task_id="reports",
        # Elementary's report (scripts/report.sh: the project's edr settings), with the
        # environment's own executables
        bash_command="scripts/report.sh",
        env={
            "RUN": "",
            "DBT_TARGET": dbt_target(),
            "PATH": f"{Path(bin_path('edr')).parent}:{os.environ.get('PATH', '')}",
        },
        append_env=True,
        cwd=str(ROOT),
        pool=WAREHOUSE_POOL,
        pool_slots=POOL_SLOTS,
        trigger_rule=TriggerRule.ALL_DONE,
    )
    load_all >> build >> deploy >> after_deploy >> docs >> reports
