#!/usr/bin/env bash
# The main job on its embedded default (README): ephemerad on the mock
# provider with a local state dir, doing its job where you can see it —
# workers created, reported busy and idle, finishing by themselves, an idle
# one reaped, a finished one cleaned after its TTL, an orphan planted and
# removed — while the event stream prints as it happens.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${EPHEMERA_BUILD_DIR:-$root/build}
"$root/scripts/install-deps.sh" >/dev/null
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target ephemerad ephemeractl ephemera-mock >/dev/null

base=$(mktemp -d /tmp/ephemera-demo.XXXXXX)
sock="$base/ephemerad.sock"
daemon_pid="" follow_pid=""
finish() {
  [[ -n $follow_pid ]] && kill "$follow_pid" 2>/dev/null || true
  [[ -n $daemon_pid ]] && kill -KILL "$daemon_pid" 2>/dev/null || true
  rm -rf "$base"
}
trap finish EXIT
ctl() { "$build/bin/ephemeractl" --socket "$sock" "$@"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
state_of() { ctl -o json workers get "$1" | jq -r .state; }
cleaned() { [[ $(ctl -o json workers get "$1" | jq -r .cleanup) == done ]]; }
wait_until() {  # wait_until SECONDS CMD...
  local end=$((SECONDS + $1)); shift
  until "$@" 2>/dev/null; do ((SECONDS < end)) || { echo "demo: timed out: $*" >&2; exit 1; }; sleep 0.1; done
}

say "ephemerad on the embedded default: mock provider 'sim', state in $base"
"$build/bin/ephemerad" --version
"$build/bin/ephemerad" --embedded-default "$base" 2>"$base/daemon.log" &
daemon_pid=$!
wait_until 20 ctl status >/dev/null
ctl status

say "the event stream (ephemeractl events --follow), as it happens:"
"$build/bin/ephemeractl" --socket "$sock" events --follow &  # the binary itself: $! is its pid
follow_pid=$!
sleep 0.3

say "worker A: a job that finishes by itself after 2 s (exit 0), kept 1 s after (ttl_after_completion)"
a=$(echo '{"image":"runner:demo","extensions":{"mock":{"run_ms":2000}}}' |
  ctl -o json workers create --provider sim --spec - --ttl 1s --label job=A | jq -r .id)
say "worker B: picks up a job, then goes idle; idle_timeout 2 s reaps it"
b=$(echo '{"image":"runner:demo"}' | ctl -o json workers create --provider sim --spec - --idle-timeout 2s --label job=B | jq -r .id)
wait_until 10 bash -c "[[ \$('$build/bin/ephemeractl' --socket '$sock' -o json workers get $b | jq -r .state) == Ready ]]"
ctl workers running "$b" >/dev/null
ctl workers list
sleep 1
ctl workers idle "$b" >/dev/null

say "an orphan: a resource with this instance's labels that nothing tracks"
instance=$(jq -r '.labels["ephemera.dev/instance"]' <<<"$(ctl -o json workers get "$a")")
mkdir -p "$base/mock/resources"
cat >"$base/mock/resources/.orphan.tmp" <<JSON
{"schema": 1, "name": "eph-demo-w-forgotten", "created_at_ms": $(($(date +%s%3N) - 600000)),
 "labels": {"ephemera.dev/managed-by": "ephemera", "ephemera.dev/site": "demo",
            "ephemera.dev/instance": "$instance", "ephemera.dev/provider": "sim",
            "ephemera.dev/worker-id": "w-forgotten"}}
JSON
mv "$base/mock/resources/.orphan.tmp" "$base/mock/resources/orphan-1.json"

wait_until 30 cleaned "$a"
wait_until 30 cleaned "$b"
wait_until 30 bash -c "[[ ! -e '$base/mock/resources/orphan-1.json' ]]"
sleep 0.5
say "all done: A finished and was cleaned after its TTL, B was reaped when idle, the orphan is gone"
ctl workers list --all
echo
echo "mock backend resources left: $(find "$base/mock/resources" -name '*.json' | wc -l)"
kill "$follow_pid"; wait "$follow_pid" 2>/dev/null || true; follow_pid=""
kill -TERM "$daemon_pid"; wait "$daemon_pid"; daemon_pid=""
say "ephemerad stopped cleanly (SIGTERM)"
