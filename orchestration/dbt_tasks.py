"""The cosmos task groups of the DAGs: one Airflow task per dbt node.

Cosmos renders the dbt project's nodes (``dbt ls`` at parse time, cached by cosmos)
as tasks in dependency order, each model or snapshot with its tests
(``TestBehavior.AFTER_EACH``: the tests after their node). They run in cosmos's
watcher mode: one ``dbt build`` of the whole selection (the producer task) while
each node's task follows that node's status in it. One dbt process per node would
start dbt (parse, the project hooks) forty times, 10-15 s each: eight minutes a
micro-batch at demo scale (measured) instead of about one and a half.

Each dbt invocation names its Airflow DAG and run to Elementary (environment
``JOB_NAME``, ``JOB_ID``, ``JOB_RUN_ID``): its ``dbt_invocations`` row says which DAG
run it was (``orchestrator`` is ``airflow``), so a steward can tell a micro-batch from
the daily build and find the run in the Airflow UI. (Environment, not ``--vars``: vars
that change every run would make dbt parse the whole project again.)
"""

from __future__ import annotations

from typing import Any

from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, LoadMode, TestBehavior

from orchestration.settings import POOL_SLOTS, ROOT, WAREHOUSE_POOL, dbt_target

#: what Elementary records of the Airflow run in ``dbt_invocations`` (templated)
ELEMENTARY_JOB_ENV = {
    "JOB_NAME": "{{ dag.dag_id }}",
    "JOB_ID": "{{ dag.dag_id }}",
    "JOB_RUN_ID": "{{ run_id }}",
}


def project_config() -> ProjectConfig:
    """The dbt project at the repository root.

    Its packages are installed already (``make setup``): cosmos never runs ``dbt deps``.
    """
    return ProjectConfig(dbt_project_path=ROOT, install_dbt_deps=False)


def profile_config() -> ProfileConfig:
    """The project's own profiles.yml (credentials from the environment)."""
    return ProfileConfig(
        profile_name="warehouse",
        target_name=dbt_target(),
        profiles_yml_filepath=ROOT / "profiles.yml",
    )


def dbt_task_group(
    group_id: str,
    *,
    selector: str | None = None,
    select: list[str] | None = None,
    exclude: list[str] | None = None,
    operator_args: dict[str, Any] | None = None,
    **kwargs: Any,
) -> DbtTaskGroup:
    """A cosmos task group of the selected nodes, each a ``dbt build`` with its tests.

    The dbt process takes the whole warehouse pool: no other task writes the
    warehouse while dbt does (DuckDB allows one writing process).
    """
    return DbtTaskGroup(
        group_id=group_id,
        project_config=project_config(),
        profile_config=profile_config(),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.WATCHER,
            # the producer (the one dbt process) holds the whole warehouse pool
            setup_operator_args={"pool": WAREHOUSE_POOL, "pool_slots": POOL_SLOTS},
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_LS,
            selector=selector,
            select=select or [],
            exclude=exclude or [],
            test_behavior=TestBehavior.AFTER_EACH,
            emit_datasets=False,
        ),
        operator_args={
            "install_deps": False,
            # the node tasks wait for the producer by rescheduling, not by holding a
            # worker slot (nor blocking `airflow dags test`, which runs one task at once)
            "deferrable": False,
            "mode": "reschedule",
            "poke_interval": 5,
            "env": dict(ELEMENTARY_JOB_ENV),
            **(operator_args or {}),
        },
        **kwargs,
    )
