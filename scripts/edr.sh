#!/usr/bin/env bash
# Elementary's CLI (edr) with this project's settings: `scripts/edr.sh report ...`,
# `scripts/edr.sh monitor ...`. Adds the edr config dir (.edr: no usage tracking, no
# version check, no `dbt deps`), the profiles dir (profile `elementary`, the target
# DBT_TARGET, default duckdb) and this dbt project. Extra arguments pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${RUN-python3 -m uv run --frozen}  # RUN="" runs edr from PATH
command=$1
shift
# edr runs its own dbt project from its package folder: a relative DuckDB path in the
# profile would point there, so the warehouse file is given as an absolute path
DUCKDB_PATH=$(realpath -m "${DUCKDB_PATH:-data/warehouse.duckdb}")
export DUCKDB_PATH
# HOME: edr's version check reads ~/.edr/config.yml before it parses --config-dir, so
# edr runs with this folder as its home (its .edr is the project's)
# shellcheck disable=SC2086  # RUN is a command line
exec $RUN env HOME="$(pwd)" edr "$command" --config-dir .edr \
    --profiles-dir "${DBT_PROFILES_DIR:-$(pwd)}" --profile-target "${DBT_TARGET:-duckdb}" \
    --project-dir . "$@"
