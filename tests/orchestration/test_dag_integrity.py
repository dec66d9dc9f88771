"""Every DAG imports without errors and has an owner, retries, a schedule and a
failure alert on every task."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from orchestration.settings import DAGS_FOLDER, ROOT

EXPECTED = {"elt_micro_batch", "elt_backfill", "elt_daily"}

#: loads the DAG folder as the scheduler does and prints what the test checks
PROBE = """
import json
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder={folder!r})

def callbacks(task):
    found = task.on_failure_callback or []
    found = found if isinstance(found, list) else [found]
    return sorted(f"{{c.__module__}}.{{c.__qualname__}}" for c in found)

print(json.dumps({{
    "errors": {{str(k): str(v)[-2000:] for k, v in bag.import_errors.items()}},
    "dags": {{
        dag_id: {{
            "owners": sorted({{t.owner for t in dag.tasks}}),
            "retries": sorted({{t.retries for t in dag.tasks}}),
            "schedule": type(dag.timetable).__name__,
            "max_active_runs": dag.max_active_runs,
            "tasks": len(dag.tasks),
            "without_alert": sorted(
                t.task_id for t in dag.tasks
                if "orchestration.alerting.on_failure" not in callbacks(t)
            ),
        }}
        for dag_id, dag in bag.dags.items()
    }},
}}))
"""


def test_every_dag_imports_with_owner_retries_schedule_alert(airflow_home: dict[str, str]) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.format(folder=str(DAGS_FOLDER))],
        cwd=ROOT,
        env={**os.environ, **airflow_home},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["errors"] == {}
    assert set(found["dags"]) == EXPECTED
    for dag_id, dag in found["dags"].items():
        # every task has a named owner: the platform team's, or, for cosmos's tasks of a
        # dbt node, the node's `meta.owner` (who Elementary's alerts name too)
        assert dag["owners"] and "airflow" not in dag["owners"], (dag_id, dag["owners"])
        assert "data-platform" in dag["owners"], (dag_id, dag["owners"])
        # every task retries except the deploy and builds that must not half-repeat
        assert max(dag["retries"]) >= 1, (dag_id, dag["retries"])
        assert dag["max_active_runs"] == 1, dag_id
        assert dag["tasks"] > 1, dag_id
        # every task, cosmos's included, alerts Slack when it fails for good (cosmos's
        # watcher producer has a callback of its own as well)
        assert dag["without_alert"] == [], (dag_id, dag["without_alert"])
    assert found["dags"]["elt_micro_batch"]["schedule"] != "NullTimetable"
    assert found["dags"]["elt_daily"]["schedule"] != "NullTimetable"
    # the backfill runs when triggered with its range: no schedule by design
    assert found["dags"]["elt_backfill"]["schedule"] == "NullTimetable"
