# shellcheck shell=bash
# End-to-end test helpers: a private ephemerad (mock provider, state in a temp
# dir) driven through ephemeractl. Sourced by the test-*.sh scripts.
#
# env: EPHEMERA_BIN (dir with ephemerad/ephemeractl), EPHEMERA_PLUGIN_DIR.
set -euo pipefail

: "${EPHEMERA_BIN:?set EPHEMERA_BIN to the build's bin dir}"
: "${EPHEMERA_PLUGIN_DIR:?set EPHEMERA_PLUGIN_DIR to the build's plugin dir}"
EPHEMERAD="$EPHEMERA_BIN/ephemerad"
CTL_BIN="$EPHEMERA_BIN/ephemeractl"
INSTANCE="e2e-instance-1"

T=$(mktemp -d /tmp/eph-e2e.XXXXXX)
SOCK="$T/api.sock"
CONFIG="$T/ephemera.toml"
MOCK="$T/mock"
DAEMON_PID=""
passed=0 failed=0

cleanup() {
  if [[ -n "$DAEMON_PID" ]] && kill -0 "$DAEMON_PID" 2>/dev/null; then
    kill -KILL "$DAEMON_PID" 2>/dev/null || true
  fi
  if ((failed > 0)) && [[ -f "$T/daemon.log" ]]; then
    echo "--- daemon log (last 40 lines)"
    tail -n 40 "$T/daemon.log"
  fi
  rm -rf "$T"
}
trap cleanup EXIT

# write_site_config PROVIDERS_TOML: the site, with fast intervals so tests
# wait milliseconds, not minutes, then the provider tables given.
# ORPHAN_GRACE (default 1s) and POLICY_EXTRA (more [policy.default] keys)
# adjust the default policy.
write_site_config() {
  cat >"$CONFIG" <<TOML
[daemon]
site = "e2e"
instance_id = "$INSTANCE"
state_dir = "$T/state"
plugin_dir = "$EPHEMERA_PLUGIN_DIR"
log_level = "debug"

[api]
socket = "$SOCK"
request_timeout = "2s"

[intervals]
gc_tick = "50ms"
reconcile = "1s"
orphan_check = "1s"

[policy.default]
max_lifetime = "1h"
idle_timeout = "10m"
orphan_grace = "${ORPHAN_GRACE:-1s}"
${POLICY_EXTRA:-}

$1
TOML
}

# write_config [EXTRA_TOML]: the site on the mock provider "sim"; EXTRA_TOML
# is appended (more keys of its settings, or more tables).
write_config() {
  write_site_config "[providers.sim]
plugin = \"mock\"

[providers.sim.settings]
state_dir = \"$MOCK\"
watch_interval_ms = 20
${1:-}"
}

start_daemon() {
  "$EPHEMERAD" --config "$CONFIG" >>"$T/daemon.log" 2>&1 &
  DAEMON_PID=$!
  wait_for "daemon ready" 20 ctl status >/dev/null
}

# stop_daemon [SIGNAL]: waits for the exit; sets DAEMON_RC.
stop_daemon() {
  kill "-${1:-TERM}" "$DAEMON_PID"
  DAEMON_RC=0
  wait "$DAEMON_PID" || DAEMON_RC=$?
  DAEMON_PID=""
}

ctl() { "$CTL_BIN" --socket "$SOCK" "$@"; }

# json_get FIELD: reads one top-level field of the JSON on stdin.
json_get() { jq -r ".$1"; }

# wait_for DESC SECONDS CMD...: polls CMD every 50 ms until it succeeds.
wait_for() {
  local desc=$1 secs=$2
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "timed out after ${secs}s waiting for: $desc" >&2
      return 1
    fi
    sleep 0.05
  done
}

# check DESC CMD...: one PASS/FAIL line.
check() {
  local desc=$1
  shift
  if "$@"; then
    echo "PASS $desc"
    passed=$((passed + 1))
  else
    echo "FAIL $desc"
    failed=$((failed + 1))
  fi
}

# expect_eq DESC WANT GOT
expect_eq() {
  if [[ "$2" == "$3" ]]; then
    echo "PASS $1"
    passed=$((passed + 1))
  else
    echo "FAIL $1: want '$2', got '$3'"
    failed=$((failed + 1))
  fi
}

state_of() { ctl -o json workers get "$1" | json_get state; }
cleanup_of() { ctl -o json workers get "$1" | json_get cleanup; }
is_state() { [[ "$(state_of "$1")" == "$2" ]]; }
is_cleaned() { [[ "$(cleanup_of "$1")" == "done" ]]; }
mock_count() { find "$MOCK/resources" -name '*.json' 2>/dev/null | wc -l; }

# plant RESOURCE_ID INSTANCE [CREATED_AT_MS]: a resource nothing tracks.
plant() {
  mkdir -p "$MOCK/resources"
  local created=${3:-$(($(date +%s%3N) - 3600000))}
  cat >"$MOCK/resources/.$1.tmp" <<JSON
{"schema": 1, "name": "eph-e2e-$1", "created_at_ms": $created,
 "labels": {"ephemera.dev/managed-by": "ephemera", "ephemera.dev/site": "e2e",
            "ephemera.dev/instance": "$2", "ephemera.dev/provider": "sim",
            "ephemera.dev/worker-id": "w-$1"}}
JSON
  mv "$MOCK/resources/.$1.tmp" "$MOCK/resources/$1.json"
}

finish() {
  echo "$passed passed, $failed failed"
  ((failed == 0))
}
