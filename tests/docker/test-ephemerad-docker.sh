#!/usr/bin/env bash
# ephemerad end to end on the Docker provider, against the private dockerd of
# the ctest fixture (DOCKER_HOST from with-docker-env.sh): TTL cleanup, TTL 0,
# complete + TTL, max lifetime, orphans (ours removed after the grace,
# another instance's untouched), hardening as `docker inspect` sees it, and
# dockerd killed and restarted mid-run (UNAVAILABLE, the host stays up, then
# reconciles: the workers dockerd stopped become Failed and are cleaned up,
# nothing leaks). The worker image is the fixture's busybox import.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../e2e/lib.sh
. "$here/../e2e/lib.sh"
: "${DOCKER_HOST:?run under with-docker-env.sh}" "${EPHEMERA_TEST_IMAGE:?}" "${EPHEMERA_DOCKER_STATE_DIR:?}"
IMAGE=$EPHEMERA_TEST_IMAGE

write_docker_config() {
  ORPHAN_GRACE=3s POLICY_EXTRA='orphan_check_interval = "1s"' write_site_config "[providers.dock]
plugin = \"docker\"

[providers.dock.settings]
host = \"$DOCKER_HOST\"
default_memory = 67108864
default_pids_limit = 64"
}

# Containers of this test's instance, in any state.
ours() { docker ps -aq --filter "label=ephemera.dev/instance=$INSTANCE" | wc -l; }
exists() { docker inspect "$1" >/dev/null 2>&1; }
gone() { ! exists "$1"; }
create() {  # create COMMAND [ctl flags...]: prints the worker id
  local cmd=$1
  shift
  jq -nc --arg image "$IMAGE" --arg cmd "$cmd" '{image: $image, command: ["sh", "-c", $cmd]}' |
    ctl -o json workers create --provider dock --spec - "$@" | json_get id
}
name_of() { ctl -o json workers get "$1" | jq -r .resource_name; }
now_ms() { date +%s%3N; }

write_docker_config
start_daemon
check "the docker provider is healthy" bash -c "'$CTL_BIN' --socket '$SOCK' -o json providers | jq -e '.providers[0].healthy == true' >/dev/null"

# 1. A worker that exits by itself with TTL 0 is removed promptly.
a=$(create 'exit 0' --ttl 0s)
wait_for "a cleaned" 30 is_cleaned "$a"
expect_eq "a ended Terminated" Terminated "$(state_of "$a")"
check "a's container is gone" gone "$(name_of "$a")"

# 2. With a TTL: kept during it, removed after it.
b=$(create 'sleep 1; exit 0' --ttl 3s)
wait_for "b Terminated" 30 is_state "$b" Terminated
check "b's container is kept during its TTL (logs, exit code)" exists "$(name_of "$b")"
wait_for "b cleaned after its TTL" 30 is_cleaned "$b"
check "b's container is gone" gone "$(name_of "$b")"

# 3. complete stops the worker (SIGTERM reaches it: 143), keeps it for the TTL, then removes it.
c=$(create 'sleep 3600' --ttl 3s)
wait_for "c Ready" 30 is_state "$c" Ready
ctl workers running "$c" >/dev/null
ctl workers complete "$c" >/dev/null
wait_for "c Terminated" 30 is_state "$c" Terminated
expect_eq "c stopped with 143" 143 "$(ctl -o json workers get "$c" | jq -r .backend.exit_code)"
check "c's container kept for the TTL" exists "$(name_of "$c")"
wait_for "c cleaned" 30 is_cleaned "$c"
check "c's container is gone" gone "$(name_of "$c")"

# 4. Max lifetime stops a sleeping worker.
d=$(create 'sleep 3600' --max-lifetime 3s)
wait_for "d past its max lifetime" 30 is_state "$d" Terminated
reason=$(ctl -o json events --worker "$d" | jq -r '[.events[] | select(.type == "WorkerTerminating")][0].reason')
expect_eq "d's reason" max_lifetime "$reason"
wait_for "d cleaned" 30 is_cleaned "$d"

# 5. Hardening, as docker inspect sees it.
e=$(create 'sleep 3600')
wait_for "e Ready" 30 is_state "$e" Ready
hc=$(docker inspect "$(name_of "$e")")
expect_eq "user is numeric non-root" 65532:65532 "$(jq -r '.[0].Config.User' <<<"$hc")"
expect_eq "all capabilities dropped" '["ALL"]' "$(jq -c '.[0].HostConfig.CapDrop' <<<"$hc")"
expect_eq "no-new-privileges" '["no-new-privileges"]' "$(jq -c '.[0].HostConfig.SecurityOpt' <<<"$hc")"
expect_eq "read-only root filesystem" true "$(jq -r '.[0].HostConfig.ReadonlyRootfs' <<<"$hc")"
expect_eq "tmpfs /tmp" true "$(jq -r '.[0].HostConfig.Tmpfs | has("/tmp")' <<<"$hc")"
expect_eq "not privileged" false "$(jq -r '.[0].HostConfig.Privileged' <<<"$hc")"
expect_eq "network none" none "$(jq -r '.[0].HostConfig.NetworkMode' <<<"$hc")"
expect_eq "pids limit" 64 "$(jq -r '.[0].HostConfig.PidsLimit' <<<"$hc")"
expect_eq "memory limit" 67108864 "$(jq -r '.[0].HostConfig.Memory' <<<"$hc")"
expect_eq "no binds" null "$(jq -r '.[0].HostConfig.Binds' <<<"$hc")"
expect_eq "json-file logs, rotated" json-file:3 "$(jq -r '.[0].HostConfig.LogConfig | .Type + ":" + .Config["max-file"]' <<<"$hc")"
expect_eq "ownership label" "$e" "$(jq -r '.[0].Config.Labels["ephemera.dev/worker-id"]' <<<"$hc")"

# 6. Orphans: ours (this instance's labels, untracked) is removed after the
# grace; another instance's container is never touched.
labels() {
  echo --label ephemera.dev/managed-by=ephemera --label ephemera.dev/site=e2e --label "ephemera.dev/instance=$1" \
    --label ephemera.dev/provider=dock --label "ephemera.dev/worker-id=w-$2"
}
# shellcheck disable=SC2046
docker run -d --init --name eph-e2e-orphan-ours $(labels "$INSTANCE" orphan1) --network none "$IMAGE" sleep 3600 >/dev/null
# shellcheck disable=SC2046
docker run -d --init --name eph-e2e-other-host $(labels other-instance other1) --network none "$IMAGE" sleep 3600 >/dev/null
planted=$(now_ms)
wait_for "our orphan removed" 30 gone eph-e2e-orphan-ours
waited=$(($(now_ms) - planted))
check "not before its 3 s grace (${waited} ms)" test "$waited" -ge 3000
check "an OrphanWorkerDetected event names it" bash -c \
  "'$CTL_BIN' --socket '$SOCK' -o json events | jq -e '[.events[] | select(.type == \"OrphanWorkerDetected\" and .worker_id == \"w-orphan1\")] | length == 1' >/dev/null"
check "another instance's container is untouched" exists eph-e2e-other-host
docker rm -f eph-e2e-other-host >/dev/null

# 7. dockerd killed mid-run and restarted: UNAVAILABLE meanwhile, the host
# stays up; afterwards the workers dockerd stopped are Failed and cleaned up.
f=$(create 'sleep 3600')
wait_for "f Ready" 30 is_state "$f" Ready
kill -KILL "$(cat "$EPHEMERA_DOCKER_STATE_DIR/dockerd.pid")"
wait_for "the provider reports the outage" 30 bash -c \
  "'$CTL_BIN' --socket '$SOCK' -o json providers | jq -e '.providers[0].healthy == false' >/dev/null"
check "the host stays up" bash -c "'$CTL_BIN' --socket '$SOCK' status >/dev/null"
expect_eq "f is still tracked, not declared gone" Ready "$(state_of "$f")"
"$here/dockerd-up.sh" "$EPHEMERA_DOCKER_STATE_DIR" >/dev/null
wait_for "the provider is healthy again" 60 bash -c \
  "'$CTL_BIN' --socket '$SOCK' -o json providers | jq -e '.providers[0].healthy == true' >/dev/null"
wait_for "e (stopped by dockerd) is no longer live" 60 bash -c "s=\$('$CTL_BIN' --socket '$SOCK' -o json workers get $e | jq -r .state); [[ \$s == Failed || \$s == Terminated ]]"
expect_eq "e became Failed" Failed "$(state_of "$e")"
expect_eq "f became Failed" Failed "$(state_of "$f")"

# Finish: delete what is left and prove nothing leaks.
for w in "$e" "$f"; do ctl workers delete "$w" >/dev/null 2>&1 || true; done
wait_for "e cleaned" 60 is_cleaned "$e"
wait_for "f cleaned" 60 is_cleaned "$f"
wait_for "no container of this instance is left" 30 bash -c "[[ \$(docker ps -aq --filter label=ephemera.dev/instance=$INSTANCE | wc -l) == 0 ]]"
expect_eq "containers of this instance left" 0 "$(ours)"
check "the host is still up" bash -c "'$CTL_BIN' --socket '$SOCK' status >/dev/null"
stop_daemon TERM
expect_eq "SIGTERM exits 0" 0 "$DAEMON_RC"
finish
