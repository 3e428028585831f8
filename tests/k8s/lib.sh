# shellcheck shell=bash
# Helpers shared by the build, fixture and test scripts. Sourced, never run.

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

now_ms() { date +%s%3N; }

# Prints "step <name>: <seconds>" so the CI log carries per-step timings.
# usage: t0=$(now_ms); ...; step_done NAME "$t0"
step_done() {
    local ms=$(($(now_ms) - $2))
    printf 'step %s: %d.%03ds\n' "$1" $((ms / 1000)) $((ms % 1000)) >&2
}

# Polls a command until it succeeds; the only way these scripts synchronise with the
# cluster (no fixed sleeps). usage: wait_until TIMEOUT_SECONDS DESCRIPTION CMD [ARGS...]
wait_until() {
    local timeout=$1 what=$2
    shift 2
    local deadline=$(($(now_ms) + timeout * 1000)) delay=0.1
    until "$@" >/dev/null 2>&1; do
        if (($(now_ms) >= deadline)); then
            log "timed out after ${timeout}s waiting for: ${what}"
            return 1
        fi
        sleep "$delay"
        # Back off to at most 1 s between polls: fast when things are quick, cheap when not.
        case $delay in 0.1) delay=0.2 ;; 0.2) delay=0.5 ;; *) delay=1 ;; esac
    done
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Sets variable $1 to a port nobody listens on. Random rather than sequential so two clusters
# started at the same moment rarely pick the same one; the range stays below Linux's ephemeral
# range (32768+) so outgoing connections cannot hold it. A collision that slips through makes
# the component fail to bind, and cluster-up fails loudly instead of talking to another cluster.
# Assigns instead of printing so the ports already handed out survive (no subshell).
pick_port() {
    local p i
    for i in $(seq 1 200); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
        if ! port_in_use "$p" && [[ " ${_TAKEN_PORTS:-} " != *" $p "* ]]; then
            _TAKEN_PORTS="${_TAKEN_PORTS:-} $p"
            printf -v "$1" '%s' "$p"
            return 0
        fi
    done
    die "no free port found after $i tries"
}

# Components in start order.
# shellcheck disable=SC2034 # used by the scripts that source this
K8S_COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

# True when pid file $2 of state dir $1 names a live process that is really ours: every daemon's
# command line names the state dir, so a pid the kernel reused for something else is never
# signalled.
pid_is_ours() {
    local pidfile="$1/pids/$2.pid" pid
    [[ -f "$pidfile" ]] || return 1
    pid="$(<"$pidfile")"
    [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$1/"
}

# Stops the components named after $1 (the state dir) by pid, together: SIGTERM to all, then
# SIGKILL to those still alive after 15 s.
_stop_together() {
    local state=$1 name pid pids=()
    shift
    for name in "$@"; do
        if pid_is_ours "$state" "$name"; then
            pid="$(<"$state/pids/$name.pid")"
            log "stopping $name (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
    done
    for pid in "${pids[@]}"; do
        if ! wait_until 15 "pid $pid to exit" bash -c "! kill -0 $pid"; then
            log "pid $pid ignored SIGTERM, killing it"
            kill -KILL "$pid" 2>/dev/null || true
            wait_until 10 "pid $pid to die" bash -c "! kill -0 $pid" || true
        fi
    done
    for name in "$@"; do rm -f "$state/pids/$name.pid"; done
}

# Stops every component of state dir $1: first the API server's clients (independent of each
# other, so at once), then the API server, then etcd — each still has what it talks to while
# it shuts down.
stop_components() {
    _stop_together "$1" kwok kube-scheduler kube-controller-manager
    _stop_together "$1" kube-apiserver
    _stop_together "$1" etcd
}

# What cluster-up creates inside a state dir. Only these are ever removed, so a mistyped
# state dir (say, $HOME) loses nothing else.
# shellcheck disable=SC2034 # used by the scripts that source this
K8S_STATE_ENTRIES=(env.sh pki auth kubeconfig incluster etcd kwok logs pids)
