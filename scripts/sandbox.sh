# shellcheck shell=bash
# Sourced by scripts/demo.sh and scripts/airflow.sh. `start_sandbox` starts the sandbox
# APIs in the background (SCALE, DAYS, SEED, SANDBOX_ARGS) with the state file STATE,
# stops them when the calling shell exits, waits until they answer and prints their
# URLs (never the fake credentials the state file also holds for the loaders).
start_sandbox() {
    rm -f "$STATE"
    # shellcheck disable=SC2086  # RUN is a command line; SANDBOX_ARGS extra options (--strict)
    $RUN sandbox serve --scale "${SCALE:-0.001}" --history-days "${DAYS:-7}" \
        --seed "${SEED:-42}" ${SANDBOX_ARGS:-} --state-file "$STATE" >/dev/null &
    SANDBOX_PID=$!
    trap 'kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; rm -f "$STATE"' EXIT
    for _ in $(seq 1 240); do
        [ -f "$STATE" ] && break
        kill -0 "$SANDBOX_PID" 2>/dev/null || { echo "sandbox failed to start" >&2; return 1; }
        sleep 0.5
    done
    [ -f "$STATE" ] || { echo "sandbox did not start in time" >&2; return 1; }
    echo "sandbox APIs: $(grep -oE '"(webphone|bynder|workfront)": *"[^"]*"' "$STATE" | tr '\n' ' ')"
}
