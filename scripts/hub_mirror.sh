# shellcheck shell=bash
# Sourced by scripts/dbt_deps.sh and .ci/run. `start_hub_mirror` serves a dbt package hub
# mirror (a folder in the hub's api/v1 layout with a serve.py; DBT_HUB_MIRROR, default
# ../shared/dbt-hub) on loopback and exports DBT_PACKAGE_HUB_URL, dbt-core's own setting
# for a private hub. It does nothing when DBT_PACKAGE_HUB_URL is already set or there is
# no mirror (then dbt uses the public hub). The server stops when the calling shell exits.
start_hub_mirror() {
    local mirror=${DBT_HUB_MIRROR:-../shared/dbt-hub} url_file
    [ -z "${DBT_PACKAGE_HUB_URL:-}" ] && [ -f "$mirror/serve.py" ] || return 0
    url_file=$(mktemp)
    python3 "$mirror/serve.py" --url-file "$url_file" >/dev/null &
    HUB_MIRROR_PID=$!
    trap 'kill "$HUB_MIRROR_PID" 2>/dev/null || true' EXIT
    for _ in $(seq 1 50); do [ -s "$url_file" ] && break; sleep 0.1; done
    [ -s "$url_file" ] || { echo "the dbt hub mirror in $mirror did not start" >&2; return 1; }
    DBT_PACKAGE_HUB_URL=$(cat "$url_file")
    rm -f "$url_file"
    export DBT_PACKAGE_HUB_URL
    echo "dbt packages from the hub mirror $mirror ($DBT_PACKAGE_HUB_URL)"
}
