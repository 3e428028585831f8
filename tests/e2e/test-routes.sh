#!/usr/bin/env bash
# Every admin API route, through ephemeractl, against a real ephemerad on the
# mock provider: outputs, exit codes, the idempotency key, the lifecycle.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

write_config
start_daemon

check "status answers and says ready" bash -c "'$CTL_BIN' --socket '$SOCK' status | grep -q '^ready: yes'"
check "providers lists sim as healthy" bash -c "'$CTL_BIN' --socket '$SOCK' providers | grep -Eq '^sim +healthy'"

spec='{"image": "runner:1", "extensions": {"mock": {}}}'
first=$(echo "$spec" | ctl -o json workers create --provider sim --spec - --idempotency-key job-1 --label team=ci)
id=$(echo "$first" | json_get id)
again=$(echo "$spec" | ctl -o json workers create --provider sim --spec - --idempotency-key job-1 --label team=ci)
expect_eq "the same idempotency key answers the same worker" "$id" "$(echo "$again" | json_get id)"
wait_for "worker Ready" 10 is_state "$id" Ready
expect_eq "one resource for two POSTs with one key" 1 "$(mock_count)"
expect_eq "the user label is on the worker" ci "$(ctl -o json workers get "$id" | jq -r '.labels.team')"

check "workers list shows it in a table" bash -c "'$CTL_BIN' --socket '$SOCK' workers list | grep -q '$id.*Ready'"
expect_eq "list filters by label" "$id" "$(ctl -o json workers list --label team=ci | jq -r '.items[0].id')"
expect_eq "list filters by state" 0 "$(ctl -o json workers list --state Running | jq '.items | length')"

ctl workers running "$id" >/dev/null
expect_eq "running" Running "$(state_of "$id")"
ctl workers idle "$id" >/dev/null
expect_eq "idle" Idle "$(state_of "$id")"
seq_before=$(ctl -o json events --worker "$id" | json_get last_seq)
ctl workers idle "$id" >/dev/null
expect_eq "a repeated report writes nothing" "$seq_before" "$(ctl -o json events --worker "$id" | json_get last_seq)"
rc=0
ctl workers ready "$id" >/dev/null 2>&1 || rc=$?
expect_eq "a transition not in the table exits 1" 1 "$rc"
ctl workers complete "$id" >/dev/null
wait_for "completed worker cleaned up (TTL unset: at once)" 10 is_cleaned "$id"
expect_eq "its resource is gone" 0 "$(mock_count)"
types=$(ctl -o json events --worker "$id" | jq -r '[.events[].type] | join(",")')
expect_eq "event sequence of a completed worker" \
  "WorkerCreated,WorkerInitializing,WorkerReady,WorkerRunning,WorkerIdle,WorkerTerminating,WorkerTerminated,WorkerCleanedUp" "$types"
check "events prints one line per event" bash -c "'$CTL_BIN' --socket '$SOCK' events --worker '$id' | grep -q 'WorkerCleanedUp'"

second=$(echo "$spec" | ctl -o json workers create --provider sim --spec -)
id2=$(echo "$second" | json_get id)
wait_for "second worker Ready" 10 is_state "$id2" Ready
ctl workers delete "$id2" --grace 0 >/dev/null
wait_for "deleted worker cleaned up" 10 is_cleaned "$id2"
expect_eq "list hides cleaned-up workers" 0 "$(ctl -o json workers list | jq '.items | length')"
expect_eq "list --all shows them" 2 "$(ctl -o json workers list --all | jq '.items | length')"

rc=0
ctl workers get w-does-not-exist >/dev/null 2>&1 || rc=$?
expect_eq "get of an unknown worker exits 3" 3 "$rc"
rc=0
ctl workers frobnicate >/dev/null 2>&1 || rc=$?
expect_eq "an unknown command exits 2" 2 "$rc"
rc=0
echo '{"image":"x"}' | ctl workers create --provider nope --spec - >/dev/null 2>&1 || rc=$?
expect_eq "an unknown provider exits 3" 3 "$rc"

check "gc run answers" bash -c "'$CTL_BIN' --socket '$SOCK' gc run | grep -q 'acted on'"
plant orphan-a "$INSTANCE"
dry=$(ctl -o json orphans scan --dry-run)
expect_eq "a dry-run scan deletes nothing" 1 "$(mock_count)"
wait_for "the orphan is removed by the periodic scan" 15 bash -c "[[ \$(find '$MOCK/resources' -name '*.json' | wc -l) == 0 ]]"
check "the scan recorded an OrphanWorkerDetected event" bash -c \
  "'$CTL_BIN' --socket '$SOCK' -o json events | jq -e '[.events[] | select(.type == \"OrphanWorkerDetected\")] | length >= 1' >/dev/null"
: "$dry"

rendered=$(echo '{"image": "runner:1", "user": "root"}' | ctl -o json spec render sim --spec -)
expect_eq "render replaces a root user" 65532 "$(echo "$rendered" | jq -r .user)"
rc=0
echo '{"image": "runner:1", "privileged": true}' | ctl spec render sim --spec - >/dev/null 2>&1 || rc=$?
expect_eq "render refuses privileged" 1 "$rc"

# Secrets: an env value reaches the backend (the worker needs it) but never
# the log, the event store or the API.
secret="s3cr3t-$RANDOM$RANDOM"
s=$(jq -nc --arg v "$secret" '{image: "runner:1", env: {API_TOKEN: $v}, extensions: {mock: {}}}' |
  ctl -o json workers create --provider sim --spec - | json_get id)
wait_for "s Ready" 10 is_state "$s" Ready
check "no API answer holds it" bash -c "! { '$CTL_BIN' --socket '$SOCK' -o json workers get $s; '$CTL_BIN' --socket '$SOCK' -o json events; } | grep -q '$secret'"

stop_daemon TERM
expect_eq "SIGTERM exits 0" 0 "$DAEMON_RC"
check "the daemon's log (debug level) never holds it" bash -c "! grep -q '$secret' '$T/daemon.log'"
check "the event store never holds it" bash -c "! grep -rqa '$secret' '$T/state'"
finish
