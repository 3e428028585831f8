#!/usr/bin/env bash
# SIGTERM under load: a clean exit 0, every acknowledged worker still known
# after a restart, workers left running, no duplicate and no leak. SIGHUP:
# a new policy for new workers only; a bad config on reload keeps the old one.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

write_config
start_daemon

# Load: 4 writers creating workers back to back; SIGTERM lands among them.
for w in 1 2 3 4; do
  (
    for i in $(seq 1 15); do
      out=$(echo '{"image":"x"}' | "$CTL_BIN" --socket "$SOCK" -o json workers create --provider sim --spec - \
        --idempotency-key "load-$w-$i" 2>/dev/null) || break
      echo "$out" | jq -r .id >>"$T/acked.$w"
    done
  ) &
done
wait_for "some creates acknowledged" 20 bash -c "cat '$T'/acked.* 2>/dev/null | grep -q ."
stop_daemon TERM
wait  # the writers see the socket go away
expect_eq "SIGTERM under load exits 0" 0 "$DAEMON_RC"
cat "$T"/acked.* | sort -u >"$T/acked"
n=$(wc -l <"$T/acked")
echo "acknowledged before the stop: $n"
check "the stop left workers running (none stopped)" bash -c "! grep -l stop_requested_at_ms '$MOCK'/resources/*.json 2>/dev/null | grep -q ."

start_daemon
missing=0
while read -r id; do ctl workers get "$id" >/dev/null 2>&1 || missing=$((missing + 1)); done <"$T/acked"
expect_eq "every acknowledged worker is known after the restart" 0 "$missing"
all_ready() {
  [[ $(ctl -o json workers list --all | jq '[.items[] | select(.state != "Ready")] | length') == 0 ]]
}
wait_for "every worker Ready after recovery" 20 all_ready
total=$(ctl -o json workers list --all | jq '.items | length')
expect_eq "one resource per worker: no leak, no duplicate" "$total" "$(mock_count)"
check "at least the acknowledged ones exist" test "$total" -ge "$n"

# SIGHUP: ttl_after_completion 7m for new workers only.
old=$(echo '{"image":"x"}' | ctl -o json workers create --provider sim --spec - | json_get id)
POLICY_EXTRA='ttl_after_completion = "7m"' write_config
kill -HUP "$DAEMON_PID"
wait_for "reload logged" 10 grep -q 'SIGHUP: reloaded' "$T/daemon.log"
new=$(echo '{"image":"x"}' | ctl -o json workers create --provider sim --spec - | json_get id)
expect_eq "a new worker gets the reloaded policy" 7m "$(ctl -o json workers get "$new" | jq -r .policy.ttl_after_completion)"
expect_eq "an existing worker keeps its frozen policy" null "$(ctl -o json workers get "$old" | jq -r .policy.ttl_after_completion)"

echo 'this is = = not toml' >"$CONFIG"
kill -HUP "$DAEMON_PID"
wait_for "bad reload logged" 10 grep -q 'SIGHUP: keeping the running config' "$T/daemon.log"
newer=$(echo '{"image":"x"}' | ctl -o json workers create --provider sim --spec - | json_get id)
expect_eq "after a bad reload the last good policy holds" 7m "$(ctl -o json workers get "$newer" | jq -r .policy.ttl_after_completion)"

stop_daemon TERM
expect_eq "second SIGTERM exits 0" 0 "$DAEMON_RC"
finish
