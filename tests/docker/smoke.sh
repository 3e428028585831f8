#!/usr/bin/env bash
# End-to-end check of the private-dockerd fixture: up -> containers (plain and hardened) -> limits
# actually enforced -> label-filtered event stream -> SIGKILL dockerd and restart on the same dirs
# -> down -> nothing left behind. Prints one line per check and exits non-zero on any failure.
#
# Usage: tests/docker/smoke.sh [STATE_DIR]     (root; default: a fresh mktemp dir under /tmp)
# Run it after changing dockerd-up.sh/dockerd-down.sh, or on a new kind of machine, before
# trusting the Docker provider's integration tests there.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
S=${1:-$(mktemp -d /tmp/ephemera-docker.XXXXXX)}
fails=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; fails=$((fails + 1)); }
check() { # description command...   (command's output is shown on failure only)
  local what=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$what"; else fail "$what"; [[ -z $out ]] || printf '      %s\n' "$out"; fi
}
ms() { date +%s%3N; }

# Whatever happens, tear down: a failed smoke test must not leave a daemon running.
trap '"$HERE/dockerd-down.sh" "$S" >/dev/null || echo "FAIL  dockerd-down.sh (cleanup)"' EXIT

t=$(ms)
"$HERE/dockerd-up.sh" "$S"
echo "      dockerd-up.sh: $(($(ms) - t)) ms"
# shellcheck disable=SC1091
. "$S/env.sh"
I=$EPHEMERA_TEST_IMAGE
api() { curl -fsS --unix-socket "$S/docker.sock" "$@"; }

echo "      $(docker version -f 'server {{.Server.Version}} api {{.Server.APIVersion}}; client {{.Client.Version}}')"
echo "      $(api http://localhost/v1.41/info | jq -c '{CgroupVersion, Driver, MemoryLimit, SwapLimit, PidsLimit, SecurityOptions, Warnings}')"

t=$(ms)
out=$(docker run --rm --network none "$I" sh -c 'id; echo hello')
echo "      first docker run: $(($(ms) - t)) ms"
check "plain run prints uid 0 and hello" grep -qz 'uid=0(root).*hello' <<<"$out"

# Each hardening flag alone, so a failure names the flag.
for f in "--user 65532" "--cap-drop ALL" "--security-opt no-new-privileges" "--read-only" \
  "--tmpfs /tmp:rw,noexec,nosuid,size=16m" "--pids-limit 64" "--memory 64m" \
  "--memory 64m --memory-swap 64m" "--cpus 0.5" "--init" "--ipc private" \
  "--log-opt max-size=1m --log-opt max-file=2"; do
  # shellcheck disable=SC2086 # $f is several words on purpose
  check "docker run $f" docker run --rm --network none $f "$I" true
done

H=(--user 65532 --cap-drop ALL --security-opt no-new-privileges --read-only --tmpfs /tmp
  --pids-limit 64 --memory 64m)
out=$(docker run --rm --network none "${H[@]}" "$I" sh -c '
  id; grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status
  touch /x 2>/dev/null && echo rootfs-writable || echo rootfs-readonly
  touch /tmp/y && echo tmp-writable')
check "hardened: uid 65532" grep -q 'uid=65532(worker) gid=65532(worker)' <<<"$out"
check "hardened: no capabilities" grep -qE 'CapEff:\s+0000000000000000' <<<"$out"
check "hardened: no_new_privs" grep -qE 'NoNewPrivs:\s+1' <<<"$out"
check "hardened: seccomp filter" grep -qE 'Seccomp:\s+2' <<<"$out"
check "hardened: rootfs read-only, /tmp writable" grep -qz 'rootfs-readonly.*tmp-writable' <<<"$out"

# The daemon drops limits it can't apply and only says so in Warnings: make sure there are none.
warn=$(api -H 'Content-Type: application/json' -X POST http://localhost/v1.41/containers/create \
  -d "{\"Image\":\"$I\",\"Cmd\":[\"true\"],\"HostConfig\":{\"Memory\":67108864,\"PidsLimit\":64,\"NanoCpus\":500000000,\"NetworkMode\":\"none\"}}")
check "create with Memory/PidsLimit/NanoCpus has no Warnings" jq -e '(.Warnings // []) | length == 0' <<<"$warn"
api -X DELETE "http://localhost/v1.41/containers/$(jq -r .Id <<<"$warn")?force=1" >/dev/null

rc=0
docker run --name oom --network none --memory 64m "$I" sh -c 'exec dd if=/dev/zero of=/dev/null bs=200M count=1' >/dev/null 2>&1 || rc=$?
check "memory limit: OOM kill -> exit 137, OOMKilled" test "$rc $(docker inspect -f '{{.State.OOMKilled}}' oom)" = "137 true"
docker rm oom >/dev/null
out=$(docker run --rm --network none --pids-limit 64 "$I" sh -c 'for i in $(seq 100); do sleep 5 & done' 2>&1 || true)
check "pids limit: fork fails past 64" grep -q "can't fork" <<<"$out"

# Events: subscribe through the API (what the provider does) and wait for the response headers —
# dockerd flushes them once the subscription is registered — instead of sleeping.
ev=$S/events.out
curl -sN -D "$S/events.hdr" --max-time 30 --unix-socket "$S/docker.sock" \
  "http://localhost/v1.41/events?filters=$(jq -rn '{label:["x=y"]} | tojson | @uri')" >"$ev" &
evpid=$!
for _ in $(seq 200); do grep -q '^HTTP/1.1 200' "$S/events.hdr" 2>/dev/null && break; sleep 0.05; done
docker run --rm --label x=y --network none "$I" sh -c 'exit 3' >/dev/null 2>&1 || true
docker run --rm --label x=z --network none "$I" true
for _ in $(seq 200); do grep -q '"destroy"' "$ev" && break; sleep 0.05; done
kill "$evpid" 2>/dev/null || true
wait "$evpid" 2>/dev/null || true
seq_=$(jq -r 'select(.Type=="container") | .Action + (if .Action=="die" then "(" + .Actor.Attributes.exitCode + ")" else "" end)' "$ev" | paste -sd' ')
check "events label=x=y: create attach start die(3) destroy, x=z filtered out [$seq_]" \
  test "$seq_" = "create attach start die(3) destroy"

# SIGKILL dockerd with a container running, restart on the same dirs.
docker run -d --name survivor --init --label x=y --network none "$I" sleep 1000 >/dev/null
dpid=$(cat "$S/dockerd.pid")
kill -KILL "$dpid"
# Signal delivery is asynchronous; a zombie has an empty cmdline (PID 1 may reap it late).
for _ in $(seq 200); do [[ -s /proc/$dpid/cmdline ]] || break; sleep 0.05; done
rc=0
curl -s --max-time 5 --unix-socket "$S/docker.sock" http://localhost/_ping >/dev/null || rc=$?
check "dead daemon: curl exit 7 (COULDNT_CONNECT), got $rc" test "$rc" -eq 7
t=$(ms)
"$HERE/dockerd-up.sh" "$S" >/dev/null
echo "      restart after SIGKILL: $(($(ms) - t)) ms"
st=$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' survivor)
check "container stopped by restart, exit 143 with --init [$st]" test "$st" = "exited 143"
docker rm survivor >/dev/null

t=$(ms)
trap - EXIT
"$HERE/dockerd-down.sh" "$S" >/dev/null
echo "      dockerd-down.sh: $(($(ms) - t)) ms"
check "no mounts left under $S" bash -c "! grep -qF ' $S/' /proc/mounts && ! grep -qF ' $S ' /proc/mounts"
# (pattern from a file: a pattern on grep's own command line would match grep itself)
# shellcheck disable=SC2016 # $1 is expanded by the inner bash
check "no processes left" bash -c '! grep -lqFf <(printf "%s/\n" "$1") /proc/[0-9]*/cmdline 2>/dev/null' _ "$S"
cg=ephemera-docker-$(printf %s "$S" | sha256sum | cut -c1-12)
check "no cgroups left ($cg)" bash -c "! ls -d /sys/fs/cgroup/$cg /sys/fs/cgroup/*/$cg 2>/dev/null | grep -q ."
check "state dir removed" test ! -e "$S"

echo "smoke: $fails failure(s)"
((fails == 0))
