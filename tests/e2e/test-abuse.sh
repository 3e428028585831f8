#!/usr/bin/env bash
# Malformed and abusive requests get 4xx/429/503 and the daemon keeps serving:
# bad JSON, huge bodies, huge headers, unknown routes, wrong methods, slow
# clients, a connection flood. Also /metrics passes promtool.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

write_config
start_daemon

# http METHOD PATH [BODY]: prints the status code.
http() {
  local args=(-s -o "$T/body" -w '%{http_code}' --unix-socket "$SOCK" -X "$1" "http://localhost$2")
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  curl "${args[@]}"
}
alive() { [[ "$(http GET /healthz)" == 200 ]]; }

expect_eq "bad JSON is 400" 400 "$(http POST /v1/workers '{"provider": "sim", "spec": {')"
check "the error is JSON with a code" jq -e '.error.code == "INVALID_ARGUMENT"' "$T/body"
expect_eq "a body that is not an object is 400" 400 "$(http POST /v1/workers '[1,2]')"
expect_eq "an unknown member is 400" 400 "$(http POST /v1/workers '{"provider":"sim","spec":{},"bogus":1}')"
expect_eq "a bad duration is 400" 400 "$(http POST /v1/workers '{"provider":"sim","spec":{},"policy":{"idle_timeout":"ten"}}')"
expect_eq "an unknown route is 404" 404 "$(http GET /v1/nothing-here)"
expect_eq "a wrong method is 405" 405 "$(http PUT /v1/workers)"
expect_eq "a bad event cursor is 400" 400 "$(http GET '/v1/events?after=abc')"
head -c 2000000 /dev/zero | tr '\0' 'a' >"$T/huge"
code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X POST -H 'Content-Type: application/json' \
  --data-binary @"$T/huge" http://localhost/v1/workers || true)
expect_eq "a 2 MB body is 413" 413 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' b)" \
  http://localhost/healthz || true)
expect_eq "20 KB of headers is 431" 431 "$code"
check "alive after bad requests" alive

# A slow client: half a request line, then nothing. The daemon must cut it
# after request_timeout (2 s here) instead of holding the slot.
python3 - "$SOCK" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"GET /heal")
s.settimeout(10); t0 = time.time()
try:
    data = s.recv(100)
except socket.timeout:
    sys.exit("slow client was not cut within 10 s")
print(f"slow client cut after {time.time() - t0:.1f}s")
sys.exit(0 if data == b"" or data.startswith(b"HTTP/1.1") else "unexpected answer")
PY
check "a slow client is cut" test $? -eq 0

# A flood: 400 connections at once (the limit is 256), each idle.
python3 - "$SOCK" <<'PY'
import socket, sys
socks = []
for _ in range(400):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); socks.append(s)
refused = 0
for s in socks[300:]:
    s.settimeout(5)
    try:
        if s.recv(40).startswith(b"HTTP/1.1 503"): refused += 1
    except socket.timeout:
        pass
print(f"{refused} of the last 100 connections answered 503")
sys.exit(0 if refused > 0 else "no connection over the limit was refused")
PY
check "connections over the limit get 503" test $? -eq 0
wait_for "serving again after the flood" 10 alive
check "alive after the flood" alive

# Many creates at once: each is acknowledged (201) or pushed back (429).
# (Wait for the curls by pid: a bare `wait` would also wait for the daemon.)
pids=()
for i in $(seq 1 40); do
  http POST /v1/workers '{"provider":"sim","spec":{"image":"x"}}' >"$T/code.$i" &
  pids+=($!)
done
wait "${pids[@]}"
bad=0
for i in $(seq 1 40); do [[ "$(cat "$T/code.$i")" =~ ^(201|429)$ ]] || bad=$((bad + 1)); done
expect_eq "40 concurrent creates: every one 201 or 429" 0 "$bad"

# Backpressure, with small limits and a slow backend: creates beyond the
# queue answer 429 with Retry-After; followers beyond the limit answer 429.
stop_daemon TERM
write_config '[providers.sim.settings.faults.harden]
latency_ms = 400'
sed -i 's/^request_timeout = .*/&\nmax_pending_creates = 2\nmax_followers = 2/' "$CONFIG"
start_daemon
pids=()
for i in $(seq 1 8); do
  curl -s -D "$T/headers.$i" -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -X POST \
    -H 'Content-Type: application/json' --data-binary '{"provider":"sim","spec":{"image":"x"}}' \
    http://localhost/v1/workers >"$T/qcode.$i" &
  pids+=($!)
done
wait "${pids[@]}"
pushed_back=0 hinted=0
for i in $(seq 1 8); do
  [[ $(cat "$T/qcode.$i") == 429 ]] && pushed_back=$((pushed_back + 1))
  grep -qi '^Retry-After: [1-9]' "$T/headers.$i" && hinted=$((hinted + 1))
done
check "8 creates at once against a queue of 2: some answer 429 ($pushed_back)" test "$pushed_back" -ge 1
expect_eq "every 429 carries Retry-After" "$pushed_back" "$hinted"
head_seq=$(ctl -o json events | json_get last_seq)
fpids=()
for i in 1 2 3; do
  curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" \
    "http://localhost/v1/events?after=$head_seq&follow=true&timeout=1500ms" >"$T/fcode.$i" &
  fpids+=($!)
  sleep 0.2
done
wait "${fpids[@]}"
expect_eq "a third follower over the limit of 2 answers 429" 429 "$(cat "$T/fcode.3")"
check "the first two were served" bash -c "[[ \$(cat '$T/fcode.1') == 200 && \$(cat '$T/fcode.2') == 200 ]]"

curl -s --unix-socket "$SOCK" http://localhost/metrics >"$T/metrics"
check "metrics has workers by state" grep -q '^ephemera_workers{state="' "$T/metrics"
check "metrics has provider call latency" grep -q '^ephemera_provider_call_duration_seconds_bucket' "$T/metrics"
if command -v promtool >/dev/null; then
  check "promtool check metrics" bash -c "promtool check metrics <'$T/metrics'"
else
  echo "FAIL promtool not installed (scripts/install-deps.sh installs it)"
  failed=$((failed + 1))
fi
check "alive at the end" alive
stop_daemon TERM
expect_eq "and stops cleanly" 0 "$DAEMON_RC"
finish
