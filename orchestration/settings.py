"""Settings shared by the DAGs, the deploy and ``make airflow``.

Everything is read from the environment so that the same DAG files run under
``airflow standalone`` (``make airflow``), ``airflow dags test`` (the tests) and a
production scheduler:

* ``ELT_SANDBOX_STATE``: the sandbox's state file; when set, the loaders read the
  sandbox APIs' URLs from it (``loaders run --sandbox-state``), else the configured APIs.
* ``DBT_TARGET`` (default ``duckdb``), ``DUCKDB_PATH``, ``DBT_TARGET_PATH``: as for
  dbt and the loaders everywhere else in the project.
* ``ELT_OWNER``: the owner shown on every DAG (default ``data-platform``).

``python -m orchestration.settings AIRFLOW_HOME`` prints the ``export`` lines of the
Airflow environment (``make airflow`` evaluates them).
"""

from __future__ import annotations

import os
import shlex
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

#: the repository root (dbt project, loaders, profiles.yml)
ROOT = Path(__file__).resolve().parents[1]
DAGS_FOLDER = ROOT / "orchestration" / "dags"
#: the three source systems, one load task each
SOURCES = ("webphone", "bynder", "workfront")
#: Airflow pool every task that writes the warehouse takes slots of (see :data:`POOL_SLOTS`)
WAREHOUSE_POOL = "warehouse"
#: The pool's size. A loader task takes one slot, a dbt or deploy task all of them: the
#: three loads run side by side (the loaders take turns for the steps that open the
#: DuckDB file) and no dbt process ever opens the file while another task writes it.
POOL_SLOTS = 3


def bin_path(name: str) -> str:
    """A console script of the environment Airflow runs in (``.venv/bin/<name>``)."""
    return str(Path(sys.executable).with_name(name))


def owner() -> str:
    """The owner shown on every DAG."""
    return os.environ.get("ELT_OWNER", "data-platform")


def default_args() -> dict[str, Any]:
    """Task defaults: an owner, retries with backoff, a Slack alert on failure.

    The alert (:func:`orchestration.alerting.on_failure`) goes out when a task has
    failed for good, its retries spent.
    """
    from orchestration.alerting import on_failure

    return {
        "owner": owner(),
        "on_failure_callback": on_failure,
        "retries": 3,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=10),
    }


def sandbox_state() -> Path | None:
    """The sandbox state file the loaders should read, if one is configured."""
    value = os.environ.get("ELT_SANDBOX_STATE")
    return Path(value) if value else None


def loader_command(
    source: str, start: str | None = None, end: str | None = None, *, changes_only: bool = False
) -> list[str]:
    """The ``loaders run`` command of one source (``all``: every source).

    With ``start`` (and ``end``): a stateless load of that window. With
    ``changes_only``: without the tables read whole on every run (``--changes-only``).
    """
    command = [bin_path("loaders"), "run", "--source", source, "--progress", "none"]
    command += ["--destination", destination()]
    if changes_only:
        command.append("--changes-only")
    if start is not None:
        command += ["--start", start]
    if end is not None:
        command += ["--end", end]
    state = sandbox_state()
    if state is not None:
        command += ["--sandbox-state", str(state)]
    return command


def destination() -> str:
    """The loaders' destination matching the dbt target."""
    target = os.environ.get("DBT_TARGET", "duckdb")
    return {"duckdb": "duckdb", "snowflake": "snowflake"}.get(target, target)


def dbt_target() -> str:
    """The dbt target (profiles.yml)."""
    return os.environ.get("DBT_TARGET", "duckdb")


def airflow_environment(home: Path) -> dict[str, str]:
    """The Airflow and cosmos settings of this project, telemetry off.

    ``home`` is AIRFLOW_HOME (its SQLite metadata database, logs and config).
    """
    return {
        "AIRFLOW_HOME": str(home),
        # cosmos runs dbt in-process (dbtRunner) and checks it is the `dbt` on PATH
        "PATH": os.pathsep.join([str(Path(bin_path("dbt")).parent), os.environ.get("PATH", "")]),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        # three years of one-day chunks (elt_backfill) are 1,096 mapped tasks
        "AIRFLOW__CORE__MAX_MAP_LENGTH": "4096",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        # cosmos renders a DAG from `dbt ls` (a dbt parse, 20-40 s here); it caches the
        # result, so only the first parse after a change of the dbt project is slow
        "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "300",
        "AIRFLOW__DAG_PROCESSOR__DAG_FILE_PROCESSOR_TIMEOUT": "360",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": os.environ.get("AIRFLOW_PORT", "8080"),
        # telemetry off: Airflow's usage data, Scarf (DO_NOT_TRACK), cosmos, dbt
        "AIRFLOW__USAGE_DATA_COLLECTION__ENABLED": "False",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "DO_NOT_TRACK": "true",
        "SCARF_NO_ANALYTICS": "true",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "RUNTIME__DLTHUB_TELEMETRY": "false",
        # dbt's own project files stay where they are (cosmos runs dbt from a copy)
        "DBT_PROFILES_DIR": str(ROOT),
    }


def main(argv: list[str] | None = None) -> int:
    """Print ``export`` lines of :func:`airflow_environment` for AIRFLOW_HOME ``argv[0]``."""
    args = sys.argv[1:] if argv is None else argv
    home = Path(args[0] if args else ROOT / "data" / "airflow").resolve()
    for key, value in airflow_environment(home).items():
        if key != "PATH":  # `uv run` puts the environment's bin directory first already
            print(f"export {key}={shlex.quote(os.environ.get(key, value))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
