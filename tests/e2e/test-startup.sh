#!/usr/bin/env bash
# Start-up refusals: a bad config exits 78 naming file and line (a plugin's
# complaint mapped back to its TOML line too); --check-config; a second
# daemon on the same state dir refuses, naming the lock holder; a pinned
# instance id that differs from the stored one refuses.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

write_config
out=$("$EPHEMERAD" --config "$CONFIG" --check-config 2>&1)
check "--check-config accepts a good config" bash -c "[[ '$out' == *ok* ]]"

write_config 'wach_interval_ms = 5'
rc=0
out=$("$EPHEMERAD" --config "$CONFIG" --check-config 2>&1) || rc=$?
expect_eq "a setting the plugin refuses exits 78" 78 "$rc"
line=$(grep -n '^wach_interval_ms' "$CONFIG" | cut -d: -f1)
check "the message names the TOML line ($out)" bash -c "[[ '$out' == *'$CONFIG:$line:'* && '$out' == *wach_interval_ms* ]]"

printf '[daemon]\nsite = "e2e"\nlog_levle = "info"\n' >"$T/typo.toml"
rc=0
out=$("$EPHEMERAD" --config "$T/typo.toml" 2>&1) || rc=$?
expect_eq "an unknown key exits 78" 78 "$rc"
check "with file, line and a suggestion ($out)" bash -c "[[ '$out' == *'typo.toml:3:'* && '$out' == *log_level* ]]"

rc=0
EPHEMERA_CONFIG="$T/missing.toml" "$EPHEMERAD" >/dev/null 2>&1 || rc=$?
expect_eq "EPHEMERA_CONFIG names a missing file: 78" 78 "$rc"

write_config
start_daemon
rc=0
"$EPHEMERAD" --config "$CONFIG" >"$T/second.log" 2>&1 || rc=$?
expect_eq "a second daemon on the same state dir exits 1" 1 "$rc"
check "naming the lock holder" grep -q "$DAEMON_PID" "$T/second.log"
check "the first one still serves" bash -c "'$CTL_BIN' --socket '$SOCK' status >/dev/null"

# The admin API refuses whoever the socket's mode refuses: 0660, owner and
# group only. (The test dir is opened up so only the socket's mode decides.)
expect_eq "the socket is mode 0660" 660 "$(stat -c %a "$SOCK")"
chmod 0755 "$T"
# (Only where that user can run the binary at all: a build under a private
# home directory cannot be.)
if [[ $(id -u) -eq 0 ]] && runuser -u nobody -- "$CTL_BIN" help >/dev/null 2>&1; then
  rc=0
  runuser -u nobody -- "$CTL_BIN" --socket "$SOCK" status >"$T/nobody.out" 2>&1 || rc=$?
  expect_eq "another user is refused (exit 1)" 1 "$rc"
  check "with permission denied ($(cat "$T/nobody.out"))" grep -qi 'permission denied' "$T/nobody.out"
else
  echo "SKIP the refusal of another user: nobody cannot run $CTL_BIN here"
fi
chmod 0700 "$T"
stop_daemon TERM

sed -i "s/^instance_id = .*/instance_id = \"someone-else\"/" "$CONFIG"
rc=0
"$EPHEMERAD" --config "$CONFIG" >"$T/pinned.log" 2>&1 || rc=$?
expect_eq "a pinned instance id that differs from the store refuses" 1 "$rc"
check "saying so" grep -qi 'instance' "$T/pinned.log"
finish
