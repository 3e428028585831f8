#!/usr/bin/env bash
# Stops the private Docker Engine started by dockerd-up.sh STATE_DIR and removes STATE_DIR, leaving
# no process, mount or cgroup behind — also after dockerd and/or containerd were SIGKILLed.
#
# Usage: tests/docker/dockerd-down.sh STATE_DIR      (root)
# Idempotent: a missing STATE_DIR is success. Exit status 1 if something could not be cleaned up
# (then STATE_DIR is kept, so nothing still mounted is deleted through).
#
# Tunables: EPHEMERA_DOCKER_STOP_TIMEOUT  seconds to wait after SIGTERM before SIGKILL (default 15).
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 STATE_DIR" >&2
  exit 2
fi
if [[ ! -d $1 ]]; then
  echo "dockerd-down: $1 does not exist, nothing to do"
  exit 0
fi
S=$(cd "$1" && pwd -P) # same canonical form dockerd-up.sh used on command lines and mounts
if [[ $S == / || -z $S ]]; then
  echo "dockerd-down: refusing to work on '$S'" >&2
  exit 1
fi
TIMEOUT=${EPHEMERA_DOCKER_STOP_TIMEOUT:-15}
# Must equal dockerd-up.sh's CGROUP_PARENT.
CGROUP_PARENT=ephemera-docker-$(printf %s "$S" | sha256sum | cut -c1-12)

now_ms() { date +%s%3N; }
t0=$(now_ms)
log() { echo "dockerd-down: [$(($(now_ms) - t0)) ms] $*"; }

# Only processes that carry STATE_DIR on their command line are ours: dockerd, containerd and
# every containerd-shim (-address STATE_DIR/containerd/containerd.sock). A zombie has an empty
# cmdline, so it counts as gone — on these VMs PID 1 reaps orphans only every second or so.
pid_is_ours() {
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  # grep treats the NUL-separated cmdline as binary; -q still reports the match. One fork per call.
  grep -qF -- "$S/" "/proc/$1/cmdline" 2>/dev/null
}
# Our daemons by name AND STATE_DIR on their command line. Matching the command line alone would
# also hit a `tail -f STATE_DIR/dockerd.log`, a test process, or this script called with a trailing
# slash — none of which is ours to kill.
DAEMON_COMMS=(dockerd containerd containerd-shim docker-proxy) # comm is cut to 15 chars
our_pids() { # [comm...]  (default: DAEMON_COMMS)
  local want=("${@:-${DAEMON_COMMS[@]}}") f pid comm
  # One grep over every /proc/*/cmdline instead of a fork per process (a busy machine has hundreds);
  # the pattern comes from a file so that grep's own command line doesn't match it.
  while read -r f; do
    pid=${f#/proc/}
    pid=${pid%/cmdline}
    read -r comm 2>/dev/null <"/proc/$pid/comm" || continue
    [[ " ${want[*]} " == *" $comm "* ]] && echo "$pid"
  done < <(grep -lFf <(printf '%s\n' "$S/") /proc/[0-9]*/cmdline 2>/dev/null)
  return 0
}

# SIGTERM (or the given first signal), bounded wait, SIGKILL, bounded wait. Never signals a pid
# that isn't ours.
stop_pids() { # what first-signal pid...
  local what=$1 first=$2 pid alive deadline
  shift 2
  (($# > 0)) || return 0
  for pid in "$@"; do
    if pid_is_ours "$pid"; then kill "-$first" "$pid" 2>/dev/null || true; fi
  done
  for sig in KILL ""; do
    deadline=$(($(date +%s) + TIMEOUT))
    while :; do
      alive=()
      for pid in "$@"; do pid_is_ours "$pid" && alive+=("$pid"); done
      ((${#alive[@]} == 0)) && { log "$what stopped"; return 0; }
      (($(date +%s) >= deadline)) && break
      sleep 0.05
    done
    [[ -z $sig ]] && break
    log "$what still running after ${TIMEOUT}s (pids ${alive[*]}), sending SIG$sig"
    kill "-$sig" "${alive[@]}" 2>/dev/null || true
    set -- "${alive[@]}"
  done
  echo "dockerd-down: $what (pids $*) did not die" >&2
  return 1
}

# Container processes carry no STATE_DIR on their command line, but they all sit in our cgroup
# parent (dockerd-up.sh --cgroup-parent), whether or not dockerd/containerd are still alive.
cgroup_dirs() { # every directory of our cgroup parent, deepest first, in v1 hierarchies and v2
  local root
  for root in /sys/fs/cgroup /sys/fs/cgroup/*; do
    [[ -d $root/$CGROUP_PARENT ]] && find "$root/$CGROUP_PARENT" -depth -type d
  done
  return 0
}
kill_cgroup_members() {
  local d pids
  pids=$(cgroup_dirs | while read -r d; do cat "$d/cgroup.procs" 2>/dev/null || true; done | sort -u)
  if [[ -n $pids ]]; then
    log "killing leftover container processes: ${pids//$'\n'/ }"
    # shellcheck disable=SC2086 # word splitting wanted: one pid per word
    kill -KILL $pids 2>/dev/null || true
  fi
}
failed=0

# 1. Kill every container process first. A SIGTERM'd dockerd would stop them itself, but with each
#    container's StopTimeout (default 10 s) for anything that ignores SIGTERM — e.g. a plain
#    `sleep` as PID 1 — which made every teardown take 10 s. The test is over; nobody needs a
#    graceful stop. dockerd still sees them die and records exit code 137.
kill_cgroup_members
deadline=$(($(date +%s) + TIMEOUT))
while [[ -n $(cgroup_dirs | while read -r d; do cat "$d/cgroup.procs" 2>/dev/null; done) ]] &&
  (($(date +%s) < deadline)); do
  sleep 0.05
done
log "container processes gone"

# 2. dockerd, with SIGTERM so it shuts down cleanly (updates container state, unmounts layers).
dockerd_pids=()
if [[ -f $S/dockerd.pid ]] && pid_is_ours "$(cat "$S/dockerd.pid")"; then dockerd_pids+=("$(cat "$S/dockerd.pid")"); fi
mapfile -t -O ${#dockerd_pids[@]} dockerd_pids < <(our_pids dockerd)
mapfile -t dockerd_pids < <(printf '%s\n' "${dockerd_pids[@]}" | sort -u | sed '/^$/d')
stop_pids dockerd TERM "${dockerd_pids[@]}" || failed=1

# 3. Anything that re-appeared in the cgroups (a restart policy firing before dockerd stopped).
kill_cgroup_members

# 4. containerd, then any shim still running: shims outlive containerd by design and ignore
#    SIGTERM; their containers are dead by now, so SIGKILL them straight away.
# shellcheck disable=SC2046 # one pid per word
stop_pids containerd TERM $(our_pids containerd) || failed=1
# A shim removes its socket only when it exits cleanly. containerd 1.6 puts it in /run/containerd/s/
# whatever the state dir, named sha256("<containerd address>/<namespace>/<container id>"); work the
# names out from the command lines of the shims we are about to kill so the KILL leaves no socket.
shim_sockets=()
for pid in $(our_pids containerd-shim); do
  mapfile -d '' -t argv 2>/dev/null <"/proc/$pid/cmdline" || continue
  ns="" id="" addr=""
  for ((i = 0; i < ${#argv[@]} - 1; i++)); do
    case ${argv[i]} in
      -namespace) ns=${argv[i + 1]} ;;
      -id) id=${argv[i + 1]} ;;
      -address) addr=${argv[i + 1]} ;;
    esac
  done
  [[ -n $ns && -n $id && -n $addr ]] || continue
  shim_sockets+=("/run/containerd/s/$(printf '%s' "$addr/$ns/$id" | sha256sum | cut -d' ' -f1)")
done
# shellcheck disable=SC2046
stop_pids "remaining processes (shims)" KILL $(our_pids) || failed=1
((${#shim_sockets[@]} == 0)) || rm -f -- "${shim_sockets[@]}"

# 5. Empty cgroups can be removed once every member is gone; give the kernel a moment to drop
#    exiting tasks (bounded), rmdir fails harmlessly while one is still there.
deadline=$(($(date +%s) + TIMEOUT))
while :; do
  while read -r d; do rmdir "$d" 2>/dev/null || true; done < <(cgroup_dirs)
  [[ -z $(cgroup_dirs) ]] && break
  if (($(date +%s) >= deadline)); then
    echo "dockerd-down: cgroups left: $(cgroup_dirs | tr '\n' ' ')" >&2
    failed=1
    break
  fi
  kill_cgroup_members
  sleep 0.05
done
log "cgroups removed"

# 6. Mounts: overlay2 bind-mounts data/overlay2 onto itself (private propagation), containers leave
#    overlay rootfs, shm and netns (nsfs) mounts when their daemon died uncleanly. Deepest first.
mounts_under_state() { awk -v p="$S/" 'index($2, p) == 1 || $2 == substr(p, 1, length(p) - 1) { print $2 }' /proc/mounts | sort -r -u; }
while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || { echo "dockerd-down: cannot unmount $m" >&2; failed=1; }
done < <(mounts_under_state)
log "unmounted"
if [[ -n $(mounts_under_state) ]]; then
  echo "dockerd-down: still mounted: $(mounts_under_state | tr '\n' ' ')" >&2
  failed=1
fi

if ((failed)); then
  echo "dockerd-down: not removing $S (see errors above)" >&2
  exit 1
fi

# --one-file-system: belt and braces, never follow into something that got mounted meanwhile.
rm -rf --one-file-system -- "$S"

# Deliberately left alone: /run/containerd/s/ (containerd-shim-runc-v2 of containerd 1.6 puts its
# sockets there whatever the state dir; each shim removes its own) and /run/docker/plugins/
# (dockerd's hard-coded plugin discovery dir). Both end up empty; removing them would race with
# another private daemon on the same machine that is creating a shim socket right now.
log "removed $S"
