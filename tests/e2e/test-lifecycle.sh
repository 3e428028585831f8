#!/usr/bin/env bash
# The policies, in real time, through the daemon: a worker that finishes by
# itself is cleaned after its TTL, an idle one is reaped although reports
# keep arriving, max lifetime stops a busy one, a failed one is kept for
# failed_retention.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

write_config
start_daemon

create() { echo "$1" | ctl -o json workers create --provider sim --spec - "${@:2}" | json_get id; }
now_ms() { date +%s%3N; }

# Finishes by itself after 300 ms, exit 0, TTL 1 s.
a=$(create '{"image":"x","extensions":{"mock":{"run_ms":300}}}' --ttl 1s)
wait_for "a Terminated" 10 is_state "$a" Terminated
t_done=$(now_ms)
check "a is kept during its TTL" bash -c "sleep 0.3; [[ \$('$CTL_BIN' --socket '$SOCK' -o json workers get $a | jq -r .cleanup) != done ]]"
wait_for "a cleaned after its TTL" 10 is_cleaned "$a"
elapsed=$(($(now_ms) - t_done))
check "a was cleaned 1 s after it ended, not at a sweep ($elapsed ms)" test "$elapsed" -lt 3000

# TTL 0: promptly.
b=$(create '{"image":"x","extensions":{"mock":{"run_ms":100}}}' --ttl 0s)
wait_for "b Terminated" 10 is_state "$b" Terminated
t0=$(now_ms)
wait_for "b cleaned" 10 is_cleaned "$b"
check "TTL 0 cleans within a second ($(($(now_ms) - t0)) ms)" test $(($(now_ms) - t0)) -lt 1000

# Idle timeout 1 s, with idle reports every 200 ms: they must not reset it.
c=$(create '{"image":"x"}' --idle-timeout 1s)
wait_for "c Ready" 10 is_state "$c" Ready
ctl workers running "$c" >/dev/null
ctl workers idle "$c" >/dev/null
t0=$(now_ms)
while [[ "$(state_of "$c")" == Idle ]] && (($(now_ms) - t0 < 5000)); do
  ctl workers idle "$c" >/dev/null 2>&1 || true
  sleep 0.2
done
check "c reaped by idle timeout despite reports ($(($(now_ms) - t0)) ms)" test $(($(now_ms) - t0)) -lt 2500
wait_for "c cleaned" 10 is_cleaned "$c"
reason=$(ctl -o json events --worker "$c" | jq -r '[.events[] | select(.type == "WorkerTerminating")][0].reason')
expect_eq "c's reason" idle_timeout "$reason"

# Max lifetime 1 s on a busy worker.
d=$(create '{"image":"x"}' --max-lifetime 1s)
wait_for "d Ready" 10 is_state "$d" Ready
ctl workers running "$d" >/dev/null
wait_for "d stopped by max lifetime" 10 is_cleaned "$d"
reason=$(ctl -o json events --worker "$d" | jq -r '[.events[] | select(.type == "WorkerTerminating")][0].reason')
expect_eq "d's reason" max_lifetime "$reason"

# A worker that fails (exit 3) is Failed and kept for failed_retention.
e=$(echo '{"image":"x","extensions":{"mock":{"run_ms":100,"exit_code":3}}}' |
  ctl -o json workers create --provider sim --spec - | json_get id)
wait_for "e Failed" 10 is_state "$e" Failed
expect_eq "e's exit code" 3 "$(ctl -o json workers get "$e" | jq -r .backend.exit_code)"
expect_eq "e kept (failed_retention 1h)" 1 "$(find "$MOCK/resources" -name '*.json' | xargs grep -l "$e" | wc -l)"

# An image that does not exist: create fails permanently, nothing leaks.
f=$(create '{"image":"registry/does-not-exist:1"}')
wait_for "f Failed" 10 is_state "$f" Failed
reason=$(ctl -o json workers get "$f" | jq -r .final_reason)
check "f's reason is create_failed with the backend's word ($reason)" \
  bash -c "[[ '$reason' == create_failed:* && '$reason' == *does-not-exist* ]]"
expect_eq "f left no resource" 0 "$(grep -l "$f" "$MOCK"/resources/*.json 2>/dev/null | wc -l)"

stop_daemon TERM
finish
