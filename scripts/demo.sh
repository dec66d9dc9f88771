#!/usr/bin/env bash
# The main job, end to end, on this machine: start the sandbox APIs, load the three
# sources into the DuckDB file, build the warehouse with dbt, generate the docs site
# and Elementary's report for the stewards, then stop the sandbox. Called by `make demo` (which
# sets SCALE, DAYS, SEED, STATE, RUN).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${RUN:-python3 -m uv run --frozen}
STATE=${STATE:-.sandbox/state.json}

rm -f "$STATE"
# shellcheck disable=SC2086  # SANDBOX_ARGS: extra `sandbox serve` options, e.g. --strict
$RUN sandbox serve --scale "${SCALE:-0.001}" --history-days "${DAYS:-7}" --seed "${SEED:-42}" \
    ${SANDBOX_ARGS:-} --state-file "$STATE" >/dev/null &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 240); do
    [ -f "$STATE" ] && break
    kill -0 "$SANDBOX_PID" 2>/dev/null || { echo "sandbox failed to start" >&2; exit 1; }
    sleep 0.5
done
[ -f "$STATE" ] || { echo "sandbox did not start in time" >&2; exit 1; }
echo "sandbox APIs: $(tr -d '\n ' < "$STATE")"

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
