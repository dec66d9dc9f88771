#!/usr/bin/env bash
# Install the dbt packages pinned in package-lock.yml (called once by `make setup`), and
# those of Elementary's CLI's internal dbt project (its own package-lock.yml, inside the
# installed elementary-data), so that `edr` never runs `dbt deps` itself (.edr/config.yml).
#
# Where they come from, in this order:
#   1. DBT_PACKAGE_HUB_URL, when set: dbt-core's own setting for a private hub or mirror.
#   2. A hub mirror folder (DBT_HUB_MIRROR, default ../shared/dbt-hub), served on
#      loopback for this install only (scripts/hub_mirror.sh). This is how machines that
#      cannot reach the public hub, such as this project's CI, install.
#   3. Otherwise the public dbt package hub, as for any dbt project.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${RUN:-python3 -m uv run --frozen}
# shellcheck source=scripts/hub_mirror.sh
source scripts/hub_mirror.sh
start_hub_mirror
$RUN dbt deps
edr_project=$($RUN python -c 'import elementary.monitor as m, os; print(os.path.join(os.path.dirname(m.__file__), "dbt_project"))')
$RUN dbt deps --project-dir "$edr_project"
