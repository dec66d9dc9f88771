#!/usr/bin/env bash
# The stewards' report: Elementary's `edr report` over the `elementary` schema, written
# to reports/elementary_report.html (REPORT_FILE) without opening a browser, over the
# last REPORT_DAYS_BACK days (default 7). Called by `make report` and scripts/demo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${REPORT_FILE:-reports/elementary_report.html}
target=${EDR_TARGET_PATH:-edr_target}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
case $target in /*) ;; *) target=$(pwd)/$target ;; esac
mkdir -p "$(dirname "$out")"
scripts/edr.sh report --file-path "$out" --open-browser false \
    --days-back "${REPORT_DAYS_BACK:-7}" --target-path "$target" "$@"
echo "Elementary report: $out"
