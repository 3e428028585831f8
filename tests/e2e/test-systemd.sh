#!/usr/bin/env bash
# The systemd protocol (Type=notify), with a notify socket of our own:
# READY=1 once the store is loaded and the API answers, WATCHDOG=1 at half
# the WATCHDOG_USEC interval, STOPPING=1 on SIGTERM.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

write_config
python3 - "$T/notify.sock" "$T/notify.log" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(0.5)
end = time.time() + 30
with open(sys.argv[2], "a", buffering=1) as log:
    while time.time() < end:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            continue
        log.write(msg.replace("\n", " ") + "\n")
        if "STOPPING=1" in msg:
            break
PY
listener=$!
wait_for "the notify socket" 5 test -S "$T/notify.sock"

NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=400000 "$EPHEMERAD" --config "$CONFIG" >>"$T/daemon.log" 2>&1 &
DAEMON_PID=$!
wait_for "READY=1" 20 grep -q 'READY=1' "$T/notify.log"
check "the API answers once READY=1 was sent" bash -c "'$CTL_BIN' --socket '$SOCK' status >/dev/null"
check "READY carries a status line" grep -q 'READY=1 STATUS=serving on' "$T/notify.log"
check "two watchdog pings (every 200 ms)" wait_for "watchdog pings" 5 bash -c "[[ \$(grep -c 'WATCHDOG=1' '$T/notify.log') -ge 2 ]]"
stop_daemon TERM
expect_eq "SIGTERM exits 0" 0 "$DAEMON_RC"
wait "$listener" || true
check "STOPPING=1 on SIGTERM" grep -q 'STOPPING=1' "$T/notify.log"
check "READY came before STOPPING" bash -c "grep -n 'READY=1' '$T/notify.log' | head -1 | cut -d: -f1 | \
  xargs -I{} bash -c '[[ {} -lt \$(grep -n STOPPING=1 \"$T/notify.log\" | cut -d: -f1) ]]'"
finish
