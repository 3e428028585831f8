#!/usr/bin/env bash
# Starts a PRIVATE Docker Engine for tests, fully contained in STATE_DIR, and makes sure the test
# image ephemera-test/busybox:latest exists in it. Prints `export DOCKER_HOST=...` hints and writes
# STATE_DIR/env.sh.
#
# Usage:  tests/docker/dockerd-up.sh STATE_DIR        (root; run install-docker.sh first)
#         . STATE_DIR/env.sh && docker run --rm --network none "$EPHEMERA_TEST_IMAGE" echo hi
#         tests/docker/dockerd-down.sh STATE_DIR
#
# Idempotent: a running daemon for STATE_DIR is reused, the image is built only once. Safe to call
# again after dockerd or containerd was killed (it restarts whatever is missing, same dirs).
#
# Tunables (environment):
#   EPHEMERA_DOCKER_STORAGE_DRIVER  overlay2 (default) | vfs  — vfs when STATE_DIR is on a
#                                   filesystem overlayfs can't use as upper dir (e.g. overlayfs)
#   EPHEMERA_DOCKER_START_TIMEOUT   seconds to wait for containerd and /_ping (default 30)
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 STATE_DIR" >&2
  exit 2
fi
if [[ $(id -u) -ne 0 ]]; then
  # A rootful daemon is what the provider will meet in production; rootless dockerd silently drops
  # limits (see docs/notes), which would make the hardening tests meaningless.
  echo "dockerd-up: must run as root" >&2
  exit 1
fi

DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
CONTAINERD=${CONTAINERD:-/usr/bin/containerd}
for b in "$DOCKERD" "$CONTAINERD" curl; do
  command -v "$b" >/dev/null || { echo "dockerd-up: $b missing; run tests/docker/install-docker.sh" >&2; exit 1; }
done

mkdir -p "$1"
S=$(cd "$1" && pwd -P) # absolute and symlink-free: it is compared against /proc/*/cmdline and /proc/mounts
if [[ $S =~ [[:space:]] ]]; then
  # /proc/mounts escapes blanks (\040); dockerd-down.sh matches mount points literally.
  echo "dockerd-up: STATE_DIR must not contain whitespace: $S" >&2
  exit 1
fi
# sockaddr_un.sun_path is 108 bytes; containerd also binds "<grpc address>.ttrpc".
longest=$S/containerd/containerd.sock.ttrpc
if ((${#longest} >= 108)); then
  echo "dockerd-up: STATE_DIR path too long for unix sockets (${#S} chars): $S" >&2
  exit 1
fi

STORAGE_DRIVER=${EPHEMERA_DOCKER_STORAGE_DRIVER:-overlay2}
TIMEOUT=${EPHEMERA_DOCKER_START_TIMEOUT:-30}
IMAGE=ephemera-test/busybox:latest
SOCK=$S/docker.sock
CTRD_DIR=$S/containerd
CTRD_SOCK=$CTRD_DIR/containerd.sock
# One cgroup parent per state dir: container cgroups never mix with another daemon's /docker, and
# dockerd-down.sh can find (and kill) every container process of THIS daemon through it even when
# dockerd and containerd are already dead.
CGROUP_PARENT=/ephemera-docker-$(printf %s "$S" | sha256sum | cut -c1-12)

now_ms() { date +%s%3N; }
t0=$(now_ms)
log() { echo "dockerd-up: [$(($(now_ms) - t0)) ms] $*"; }

# A pid file is trusted only if that pid still runs with our STATE_DIR on its command line:
# after a crash or reboot the number may belong to an unrelated process.
pid_is_ours() { # pid
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  # grep treats the NUL-separated cmdline as binary; -q still reports the match. One fork per call.
  grep -qF -- "$S/" "/proc/$1/cmdline" 2>/dev/null
}
pidfile_is_ours() { # pidfile
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  pid_is_ours "$pid"
}

# Bounded poll instead of a fixed sleep: returns as soon as the check passes, fails loudly when the
# process died (no point waiting) or the deadline passed.
wait_for() { # what pid logfile check...
  local what=$1 pid=$2 logfile=$3
  shift 3
  local deadline=$(($(date +%s) + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    if ! pid_is_ours "$pid"; then
      echo "dockerd-up: $what exited during start-up; last log lines ($logfile):" >&2
      tail -n 30 "$logfile" >&2 || true
      return 1
    fi
    if (($(date +%s) >= deadline)); then
      echo "dockerd-up: $what not ready after ${TIMEOUT}s; last log lines ($logfile):" >&2
      tail -n 30 "$logfile" >&2 || true
      return 1
    fi
    sleep 0.05
  done
}

mkdir -p "$S/data" "$S/exec" "$CTRD_DIR/root" "$CTRD_DIR/state" "$CTRD_DIR/opt" "$S/cli"
chmod 0711 "$S"

# --- containerd -------------------------------------------------------------------------------
# We start containerd ourselves instead of letting dockerd spawn one: without --containerd, dockerd
# only os.Lstat()s /run/containerd/containerd.sock (moby cmd/dockerd/daemon.go,
# systemContainerdRunning) and, if the file exists — even a stale one — uses that SYSTEM containerd
# and its "moby" namespace, shared with any system dockerd. Every path containerd would
# default to (/var/lib/containerd, /run/containerd, /opt/containerd) is redirected here; the CRI
# plugin is disabled because nothing here speaks CRI and it would otherwise start a CNI watcher.
cat >"$CTRD_DIR/config.toml" <<EOF
version = 2
root = "$CTRD_DIR/root"
state = "$CTRD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
                    "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
                    "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$CTRD_SOCK"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$CTRD_DIR/opt"
EOF

# `ctr version` is the cheapest real gRPC round trip; fall back to "socket exists" if ctr is absent.
ctr_ping() {
  if command -v ctr >/dev/null; then ctr --address "$CTRD_SOCK" version >/dev/null; else [[ -S $CTRD_SOCK ]]; fi
}

if pidfile_is_ours "$CTRD_DIR/containerd.pid" && ctr_ping 2>/dev/null; then
  log "containerd already running (pid $(cat "$CTRD_DIR/containerd.pid"))"
else
  rm -f "$CTRD_SOCK" "$CTRD_SOCK.ttrpc"
  # setsid: own session, so the daemon survives the shell (and a Ctrl-C to it) that started it.
  # Not a process-group leader here, so setsid execs in place and $! is containerd's own pid.
  setsid "$CONTAINERD" --config "$CTRD_DIR/config.toml" --log-level info \
    </dev/null >>"$CTRD_DIR/containerd.log" 2>&1 &
  # containerd has no --pidfile option: this file is ours, dockerd-down.sh reads it.
  echo $! >"$CTRD_DIR/containerd.pid"
  wait_for containerd $! "$CTRD_DIR/containerd.log" ctr_ping
  log "containerd started (pid $(cat "$CTRD_DIR/containerd.pid"))"
fi

# --- dockerd ----------------------------------------------------------------------------------
ping() { curl -fsS --max-time 2 --unix-socket "$SOCK" http://localhost/_ping; }

# An empty config file, because dockerd otherwise reads /etc/docker/daemon.json of the machine.
[[ -f $S/daemon.json ]] || echo '{}' >"$S/daemon.json"

if pidfile_is_ours "$S/dockerd.pid" && ping >/dev/null 2>&1; then
  log "dockerd already running (pid $(cat "$S/dockerd.pid"))"
else
  # A dockerd killed with SIGKILL leaves its socket and pid file; it refuses to start over the pid
  # file of a live process only, and re-creates the socket, but remove both to make the wait exact.
  rm -f "$SOCK" "$S/dockerd.pid"
  # Why each flag:
  #  --containerd               our own containerd (see above), never the system one
  #  --data-root/--exec-root    images, containers, runc state, netns files stay under STATE_DIR
  #  --iptables/--ip6tables/--ip-forward=false, --bridge=none
  #                             never touch the host's firewall, sysctls or create docker0; tests
  #                             run with --network none anyway
  #  --userland-proxy=false     no docker-proxy processes to leak
  #  --cgroup-parent            see CGROUP_PARENT
  #  --exec-opt cgroupdriver    cgroupfs: no systemd is running on these machines
  setsid "$DOCKERD" \
    --config-file "$S/daemon.json" \
    --host "unix://$SOCK" \
    --containerd "$CTRD_SOCK" \
    --data-root "$S/data" \
    --exec-root "$S/exec" \
    --pidfile "$S/dockerd.pid" \
    --storage-driver "$STORAGE_DRIVER" \
    --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
    --userland-proxy=false \
    --cgroup-parent "$CGROUP_PARENT" \
    --exec-opt native.cgroupdriver=cgroupfs \
    --log-level info \
    </dev/null >>"$S/dockerd.log" 2>&1 &
  # dockerd writes --pidfile itself (and refuses to start if it names a live process, so we must not
  # pre-write it); $! lets wait_for tell "still starting" from "crashed" meanwhile.
  wait_for dockerd $! "$S/dockerd.log" ping
  log "dockerd started (pid $(cat "$S/dockerd.pid")), storage driver $STORAGE_DRIVER"
fi

# DOCKER_CONFIG points the CLI's config dir into STATE_DIR so tests never read or write the invoking
# user's ~/.docker (credential helpers, proxies, plugins): hermetic, and nothing left behind.
cat >"$S/env.sh" <<EOF
# Generated by tests/docker/dockerd-up.sh — source me.
export DOCKER_HOST=unix://$SOCK
export DOCKER_CONFIG=$S/cli
export EPHEMERA_DOCKER_STATE_DIR=$S
export EPHEMERA_TEST_IMAGE=$IMAGE
EOF

export DOCKER_HOST=unix://$SOCK DOCKER_CONFIG=$S/cli
# Prefer Debian's client (same version as the daemon); any client >= 17.x negotiates down anyway.
DOCKER=$(command -v docker || true)
[[ -x /usr/bin/docker ]] && DOCKER=/usr/bin/docker

# --- test image -------------------------------------------------------------------------------
if "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  log "image $IMAGE present"
else
  # Must be the STATIC busybox: the image has no libc. Debian's dynamic `busybox` package installs
  # the same path, so check the binary rather than the file name.
  # (ldd exits 1 on a static binary, so look at its words, not its status.)
  if ! [[ -x /bin/busybox && $(LC_ALL=C ldd /bin/busybox 2>&1 || true) == *"not a dynamic executable"* ]]; then
    echo "dockerd-up: /bin/busybox missing or not static; run install-docker.sh (busybox-static)" >&2
    exit 1
  fi
  build=$(mktemp -d "$S/image-build.XXXXXX")
  trap 'rm -rf "$build"' EXIT
  R=$build/rootfs
  mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,home/worker,proc,sys,dev,var/tmp}
  cp /bin/busybox "$R/bin/busybox"
  # Every applet busybox knows, at the path it expects (sh, sleep, echo, cat, true, false, id,
  # env, kill, ps, ...), as relative symlinks so the image doesn't depend on absolute targets.
  while read -r applet; do
    [[ $applet == bin/busybox ]] && continue
    dir=$(dirname "$applet")
    rel=$(realpath -m --relative-to="/$dir" /bin/busybox)
    ln -sf "$rel" "$R/$applet"
  done < <("$R/bin/busybox" --list-full)
  # uid 65532 is the distroless "nonroot" convention; the image does NOT default to it (no USER):
  # the provider must set User itself, and a test that forgets it sees uid 0 and fails.
  cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
worker:x:65532:65532:worker:/home/worker:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$R/etc/group" <<'EOF'
root:x:0:
worker:x:65532:
nogroup:x:65534:
EOF
  chmod 1777 "$R/tmp" "$R/var/tmp"
  chmod 0700 "$R/root"
  chown 65532:65532 "$R/home/worker"
  # docker import takes owners from the tar headers: --numeric-owner keeps 65532 even though the
  # build host has no such user; sorted names make the layer reproducible.
  tar -C "$R" --numeric-owner --sort=name --mtime=@0 -cf - . |
    "$DOCKER" import \
      --change 'CMD ["/bin/sh"]' \
      --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'LABEL org.ephemera.test-image=busybox' \
      --message "ephemera test image (Debian busybox-static $(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || echo '?'))" \
      - "$IMAGE" >/dev/null
  rm -rf "$build"
  trap - EXIT
  log "image $IMAGE built"
fi

log "ready: . $S/env.sh   (DOCKER_HOST=unix://$SOCK)"
