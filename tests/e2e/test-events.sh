#!/usr/bin/env bash
# The event log through the API: a follower (ephemeractl events --follow,
# long-poll) sees every event exactly once, in order, without gaps, across
# many commits; `after` resumes where a reader left off; list pagination
# walks every worker exactly once; health and readiness answer.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

write_config
start_daemon
expect_eq "/healthz" 200 "$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" http://localhost/healthz)"
expect_eq "/readyz" 200 "$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" http://localhost/readyz)"

"$CTL_BIN" --socket "$SOCK" -o json events --follow >"$T/followed" 2>"$T/follow.err" &  # $! is its pid
follower=$!
ids=()
for i in $(seq 1 12); do
  ids+=("$(echo '{"image":"x","extensions":{"mock":{"run_ms":100}}}' |
    ctl -o json workers create --provider sim --spec - --ttl 0s --label batch=b1 | json_get id)")
done
for id in "${ids[@]}"; do wait_for "$id cleaned" 20 is_cleaned "$id"; done
last=$(ctl -o json events | json_get last_seq)
wait_for "the follower caught up to seq $last" 10 bash -c "jq -s '[.[].events[].seq] | max // 0' '$T/followed' | grep -qx '$last'"
kill "$follower"
wait "$follower" 2>/dev/null || true

followed=$(jq -s -c '[.[].events[].seq]' "$T/followed")
expect_eq "the follower saw 1..$last, each once, in order" "$(jq -nc "[range(1; $last + 1)]")" "$followed"
expect_eq "every worker's events: created, initializing, ready, terminated, cleaned up" 12 \
  "$(jq -s '[.[].events[] | select(.type == "WorkerCleanedUp")] | length' "$T/followed")"

half=$((last / 2))
resumed=$(ctl -o json events --after "$half" | jq -c '[.events[].seq]')
expect_eq "after=$half resumes at $((half + 1))" "$(jq -nc "[range($half + 1; $last + 1)]")" "$resumed"

# Pagination: pages of 5 over 12 workers, followed by hand through `next`.
seen=() next="" pages=0
while :; do
  q="/v1/workers?all=true&label=batch=b1&limit=5${next:+&after=$next}"
  page=$(curl -s --unix-socket "$SOCK" "http://localhost$q")
  mapfile -t got < <(jq -r '.items[].id' <<<"$page")
  seen+=("${got[@]}")
  pages=$((pages + 1))
  next=$(jq -r '.next // empty' <<<"$page")
  [[ -z $next || $pages -gt 10 ]] && break
done
expect_eq "three pages" 3 "$pages"
expect_eq "every worker once" "$(printf '%s\n' "${ids[@]}" | sort | tr '\n' ' ')" "$(printf '%s\n' "${seen[@]}" | sort | tr '\n' ' ')"
expect_eq "ephemeractl follows the pages itself" 12 "$(ctl -o json workers list --all --label batch=b1 | jq '.items | length')"
stop_daemon TERM
finish
