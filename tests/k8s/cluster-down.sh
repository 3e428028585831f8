#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stops the control plane started by cluster-up.sh STATE_DIR, by the pids it recorded, and
# removes what cluster-up created there (only that: see K8S_STATE_ENTRIES in lib.sh).
#
# usage: cluster-down.sh [--keep-logs] STATE_DIR
# env:   EPHEMERA_K8S_KEEP_LOGS=1   same as --keep-logs: leave STATE_DIR/logs for a post-mortem
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

keep_logs="${EPHEMERA_K8S_KEEP_LOGS:-0}"
if [[ "${1:-}" == --keep-logs ]]; then
    keep_logs=1
    shift
fi
(($# == 1)) || die "usage: $0 [--keep-logs] STATE_DIR"
if [[ ! -d "$1" ]]; then
    log "no state dir $1: nothing to stop"
    exit 0
fi
STATE="$(cd "$1" && pwd)"

t0=$(now_ms)
stop_components "$STATE"
for entry in "${K8S_STATE_ENTRIES[@]}"; do
    [[ "$entry" == logs && "$keep_logs" == 1 ]] && continue
    rm -rf "${STATE:?}/$entry"
done
rmdir "$STATE" 2>/dev/null || true
step_done "cluster-down" "$t0"
