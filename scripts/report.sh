#!/usr/bin/env bash
# The stewards' report: Elementary's `edr report` over the `elementary` schema, written
# to reports/elementary_report.html (REPORT_FILE) without opening a browser. Called by
# `make report` and scripts/demo.sh. REPORT_DAYS_BACK (default 60) reaches back far
# enough for the sandbox's simulated clock, which lags the wall clock.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${REPORT_FILE:-reports/elementary_report.html}
target=${EDR_TARGET_PATH:-edr_target}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
case $target in /*) ;; *) target=$(pwd)/$target ;; esac
mkdir -p "$(dirname "$out")"
scripts/edr.sh report --file-path "$out" --open-browser false \
    --days-back "${REPORT_DAYS_BACK:-60}" --target-path "$target" "$@"
echo "Elementary report: $out"
