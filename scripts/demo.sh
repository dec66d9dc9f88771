#!/usr/bin/env bash
# The main job, end to end, on this machine: start the sandbox APIs, load the three
# sources into the DuckDB file, build the warehouse with dbt, generate the docs site
# and Elementary's report for the stewards, then stop the sandbox. Called by `make demo` (which
# sets SCALE, DAYS, SEED, STATE, RUN).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${RUN:-python3 -m uv run --frozen}
STATE=${STATE:-.sandbox/state.json}

# shellcheck source=scripts/sandbox.sh
source scripts/sandbox.sh
start_sandbox

$RUN loaders run --sandbox-state "$STATE"
$RUN sandbox manifest --state-file "$STATE" --out data/ground_truth/defects.jsonl
# Elementary's anomaly buckets close on the data's clock: the sandbox's simulated now
ELEMENTARY_RUN_STARTED_AT=$($RUN sandbox clock --state-file "$STATE")
export ELEMENTARY_RUN_STARTED_AT
$RUN dbt build
$RUN dbt docs generate
echo "docs site: target/index.html"
# the stewards' report: Elementary's (test results, anomalies, schema changes, lineage)
RUN="$RUN" scripts/report.sh
