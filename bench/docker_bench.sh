#!/usr/bin/env bash
# The Docker benchmarks (docker_bench.py) on a private dockerd and an
# ephemerad with the Docker provider, both started and stopped here.
# usage: bench/docker_bench.sh [N]      (after a build; EPHEMERA_BUILD_DIR, default build/)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${EPHEMERA_BUILD_DIR:-$root/build}
state=/tmp/ephd-bench
work=$(mktemp -d /tmp/eph-bench.XXXXXX)
daemon_pid=""
finish() {
  [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  "$root/tests/docker/dockerd-down.sh" "$state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap finish EXIT
"$root/tests/docker/dockerd-up.sh" "$state" >/dev/null
# shellcheck disable=SC1091
. "$state/env.sh"
cat >"$work/ephemera.toml" <<TOML
[daemon]
site = "bench"
state_dir = "$work/state"
plugin_dir = "$build/lib"
log_level = "warn"
[api]
socket = "$work/api.sock"
[providers.dock]
plugin = "docker"
[providers.dock.settings]
host = "$DOCKER_HOST"
TOML
"$build/bin/ephemerad" --config "$work/ephemera.toml" 2>"$work/daemon.log" &
daemon_pid=$!
for _ in $(seq 100); do [[ -S $work/api.sock ]] && break; sleep 0.1; done
python3 "$root/bench/docker_bench.py" "$work/api.sock" "${DOCKER_HOST#unix://}" "$EPHEMERA_TEST_IMAGE" "${1:-50}"
