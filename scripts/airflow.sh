#!/usr/bin/env bash
# `make airflow`: the sandbox APIs and Airflow standalone (scheduler, DAG processor,
# triggerer, API server and UI) on loopback, with the project's DAGs
# (orchestration/dags) against the sandbox. AIRFLOW_HOME is data/airflow (gitignored):
# its SQLite metadata database, logs and config. The UI needs no login (local only).
# The DAGs start paused: unpause one in the UI to run it. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${RUN:-python3 -m uv run --frozen}
STATE=${STATE:-.sandbox/state.json}

# shellcheck source=scripts/sandbox.sh
source scripts/sandbox.sh
if [ -f "$STATE" ]; then
    echo "sandbox APIs: already running ($STATE)"
else
    start_sandbox
fi

mkdir -p data/airflow
eval "$($RUN python -m orchestration.settings data/airflow)"
export ELT_SANDBOX_STATE="$PWD/$STATE"
# local only: everyone who reaches 127.0.0.1 is an admin, no password to copy
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=True
$RUN airflow db migrate >/dev/null
$RUN airflow pools set warehouse 3 "tasks that write the warehouse (a dbt task takes all 3)" >/dev/null
echo "Airflow UI: http://127.0.0.1:${AIRFLOW__API__PORT}"
$RUN airflow standalone
