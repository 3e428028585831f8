#!/usr/bin/env bash
# log_format = "json": every line the daemon writes is one JSON object with
# time, level and msg — also lines carrying quotes, newlines and control
# characters from a plugin — and a plugin's lines name their provider.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

write_config
sed -i 's/^log_level = "debug"/&\nlog_format = "json"/' "$CONFIG"
start_daemon
# A worker whose image the mock refuses: its error text travels into the log.
bad=$(jq -nc '{image: "registry/does-not-exist:1 \"quoted\"\n\ttabbed"}' | ctl -o json workers create --provider sim --spec - | json_get id)
wait_for "the bad worker failed" 10 is_state "$bad" Failed
w=$(echo '{"image":"x","extensions":{"mock":{"run_ms":50}}}' | ctl -o json workers create --provider sim --spec - --ttl 0s | json_get id)
wait_for "cleaned" 10 is_cleaned "$w"
stop_daemon TERM

lines=$(wc -l <"$T/daemon.log")
check "the daemon logged ($lines lines)" test "$lines" -ge 5
bad=$(while IFS= read -r line; do jq -e 'has("time") and has("level") and has("msg")' <<<"$line" >/dev/null 2>&1 || echo x; done <"$T/daemon.log" | wc -l)
expect_eq "every line is a JSON object with time, level, msg" 0 "$bad"
check "plugin lines name their provider" bash -c "jq -r .msg '$T/daemon.log' | grep -q '^\[provider sim\] '"
check "the create failure is logged, escaped" bash -c "jq -r .msg '$T/daemon.log' | grep -q 'create failed for good.*does-not-exist'"
check "levels are spdlog's names" bash -c "jq -r .level '$T/daemon.log' | sort -u | grep -qx info"
finish
