#!/usr/bin/env bash
# The host killed at the worst moments (crash points, common/crash_point.h):
# between the durable intent and the provider's create, and between the
# create and its event. After a restart each worker exists exactly once —
# created with its deterministic name, or adopted — and nothing leaks.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

write_config

# crash_at POINT: starts the daemon armed, creates a worker, waits for the
# crash. Leaves the daemon's exit code in DAEMON_RC.
crash_at() {
  EPHEMERA_CRASH_POINT=$1 "$EPHEMERAD" --config "$CONFIG" >>"$T/daemon.log" 2>&1 &
  DAEMON_PID=$!
  wait_for "daemon ready" 20 ctl status >/dev/null
  echo '{"image":"runner:1"}' | ctl workers create --provider sim --spec - >/dev/null 2>&1 || true
  DAEMON_RC=0
  wait "$DAEMON_PID" || DAEMON_RC=$?
  DAEMON_PID=""
}
only_worker() { ctl -o json workers list --all | jq -r '.items[0].id'; }
types_of() { ctl -o json events --worker "$1" | jq -r '[.events[].type] | join(",")'; }

crash_at after-intent
expect_eq "killed after the intent" 86 "$DAEMON_RC"
expect_eq "no resource yet" 0 "$(mock_count)"
start_daemon
w=$(only_worker)
wait_for "the worker is created after the restart" 10 is_state "$w" Ready
expect_eq "exactly one resource" 1 "$(mock_count)"
check "named deterministically (eph-e2e-$w)" grep -q "\"eph-e2e-$w\"" "$MOCK"/resources/*.json
expect_eq "its events" WorkerCreated,WorkerInitializing,WorkerReady "$(types_of "$w")"
ctl workers delete "$w" --force >/dev/null
wait_for "cleaned" 10 is_cleaned "$w"
stop_daemon TERM

rm -rf "$T/state" "$MOCK"
crash_at after-create
expect_eq "killed after the create" 86 "$DAEMON_RC"
expect_eq "the resource exists, its event does not" 1 "$(mock_count)"
start_daemon
w=$(only_worker)
wait_for "the resource is adopted after the restart" 10 is_state "$w" Ready
expect_eq "still exactly one resource" 1 "$(mock_count)"
expect_eq "its events" WorkerCreated,WorkerAdopted,WorkerReady "$(types_of "$w")"
stop_daemon TERM
finish
