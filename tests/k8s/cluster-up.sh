#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Starts a real Kubernetes control plane for integration tests on 127.0.0.1: etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler and kwok (fake nodes standing in for
# kubelets). Everything it creates lives in STATE_DIR; README.md describes the layout.
# Stop it with cluster-down.sh STATE_DIR.
#
# usage: cluster-up.sh [--no-watch-cache] [--nodes N] STATE_DIR
# env:   EPHEMERA_K8S_WATCH_CACHE=0     same as --no-watch-cache: the API server reads watches
#                                       straight from etcd, so `etcdctl compact` makes old
#                                       resourceVersions answer 410 Gone
#        EPHEMERA_K8S_NODES=N           fake nodes (default 2)
#        EPHEMERA_K8S_APISERVER_ARGS    extra kube-apiserver flags (word-split)
#        EPHEMERA_K8S_API_PORT, ..._ETCD_PORT, ..._ETCD_PEER_PORT, ..._KCM_PORT,
#        ..._SCHEDULER_PORT, ..._KWOK_PORT   fixed ports instead of free random ones
#        EPHEMERA_CACHE                 where build.sh keeps the binaries
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

watch_cache="${EPHEMERA_K8S_WATCH_CACHE:-1}"
nodes="${EPHEMERA_K8S_NODES:-2}"
while (($#)); do
    case $1 in
    --no-watch-cache) watch_cache=0 ;;
    --nodes) nodes=$2; shift ;;
    -*) die "unknown option $1" ;;
    *) break ;;
    esac
    shift
done
(($# == 1)) || die "usage: $0 [--no-watch-cache] [--nodes N] STATE_DIR"
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || die "--nodes needs a number >= 1 (pods need a node)"
mkdir -p "$1"
STATE="$(cd "$1" && pwd)"

t_all=$(now_ms)
for name in "${K8S_COMPONENTS[@]}"; do
    pid_is_ours "$STATE" "$name" && die "$name of $STATE is still running; run cluster-down.sh first"
done
for entry in "${K8S_STATE_ENTRIES[@]}"; do rm -rf "${STATE:?}/$entry"; done

# Build (or find in the cache) the binaries. Its log goes to stderr; stdout is the bin dir.
t0=$(now_ms)
BIN="$("$here/build.sh")"
step_done "binaries" "$t0"
KUBECTL="$BIN/kubectl"

NAMESPACE=ephemera-test
RESTRICTED_NAMESPACE=ephemera-restricted
OTHER_NAMESPACE=ephemera-other
PROVIDER_ROLE=ephemera-worker-provider
PROVIDER_GROUP=ephemera:providers
PROVIDER_SA=ephemera-provider
SERVICE_CIDR=10.96.0.0/16
SERVICE_IP=10.96.0.1

api_port="${EPHEMERA_K8S_API_PORT:-}"; [[ -n "$api_port" ]] || pick_port api_port
etcd_port="${EPHEMERA_K8S_ETCD_PORT:-}"; [[ -n "$etcd_port" ]] || pick_port etcd_port
etcd_peer_port="${EPHEMERA_K8S_ETCD_PEER_PORT:-}"; [[ -n "$etcd_peer_port" ]] || pick_port etcd_peer_port
kcm_port="${EPHEMERA_K8S_KCM_PORT:-}"; [[ -n "$kcm_port" ]] || pick_port kcm_port
scheduler_port="${EPHEMERA_K8S_SCHEDULER_PORT:-}"; [[ -n "$scheduler_port" ]] || pick_port scheduler_port
kwok_port="${EPHEMERA_K8S_KWOK_PORT:-}"; [[ -n "$kwok_port" ]] || pick_port kwok_port
API_SERVER="https://127.0.0.1:$api_port"
ETCD_ENDPOINT="http://127.0.0.1:$etcd_port"

mkdir -p "$STATE"/{pki,auth,kubeconfig,incluster,etcd,kwok,logs,pids}
chmod 700 "$STATE/pki" "$STATE/auth" "$STATE/incluster" "$STATE/etcd"

# On failure: show why, and stop whatever already runs, leaving the files for a post-mortem.
on_exit() {
    local rc=$?
    ((rc == 0)) && return
    log "cluster-up failed (exit $rc); last log lines:"
    for f in "$STATE"/logs/*.log; do
        [[ -f "$f" ]] || continue
        echo "--- $f" >&2
        tail -n 15 "$f" >&2
    done
    stop_components "$STATE"
}
trap on_exit EXIT

# ---------------------------------------------------------------------------------------------
# Certificates. EC P-256 keys: generated in milliseconds, and accepted by Go and OpenSSL alike.
t0=$(now_ms)
pki="$STATE/pki"
ec_key=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
# openssl chatters on stderr even when all is well; show it only when it fails.
quietly() {
    local out
    out="$("$@" 2>&1)" || { printf '%s\n' "$out" >&2; return 1; }
}
quietly openssl req -x509 -new "${ec_key[@]}" -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 30 \
    -subj "/CN=ephemera-test-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"

# usage: issue NAME SUBJECT USAGE [SAN]
issue() {
    local name=$1 subject=$2 usage=$3 san=${4:-}
    quietly openssl req -new "${ec_key[@]}" -keyout "$pki/$name.key" -out "$pki/$name.csr" \
        -subj "$subject"
    {
        echo "basicConstraints=critical,CA:FALSE"
        echo "keyUsage=critical,digitalSignature,keyEncipherment"
        echo "extendedKeyUsage=$usage"
        [[ -z "$san" ]] || echo "subjectAltName=$san"
    } >"$pki/$name.ext"
    local ca=${CA_NAME:-ca}
    quietly openssl x509 -req -in "$pki/$name.csr" -CA "$pki/$ca.crt" -CAkey "$pki/$ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -days 30 -extfile "$pki/$name.ext" \
        -out "$pki/$name.crt"
    rm -f "$pki/$name.csr" "$pki/$name.ext"
}
# The front-proxy (request-header) CA is separate: certificates from the main CA must not be
# able to assert other users' names through X-Remote-User. Nothing proxies here, but without it
# every component logs errors about the missing request-header CA bundle.
quietly openssl req -x509 -new "${ec_key[@]}" -keyout "$pki/front-proxy-ca.key" -out "$pki/front-proxy-ca.crt" \
    -days 30 -subj "/CN=ephemera-test-front-proxy-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
issue apiserver "/CN=kube-apiserver" serverAuth \
    "IP:127.0.0.1,IP:$SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
# system:masters bypasses RBAC: the admin and kwok (which plays every kubelet) need everything.
issue admin "/O=system:masters/CN=ephemera-admin" clientAuth
issue kwok "/O=system:masters/CN=kwok" clientAuth
# The bootstrap RBAC policy binds these exact user names to the components' cluster roles.
issue kube-controller-manager "/CN=system:kube-controller-manager" clientAuth
issue kube-scheduler "/CN=system:kube-scheduler" clientAuth
issue limited "/O=$PROVIDER_GROUP/CN=ephemera-provider-cert" clientAuth
CA_NAME=front-proxy-ca issue front-proxy-client "/CN=front-proxy-client" clientAuth
# Service-account token signing key (RSA: what most clusters use; the verifiers accept it).
quietly openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/sa.key"
openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub"

# Static tokens (--token-auth-file): one read by the tokenFile kubeconfig, one handed out by
# the exec credential plugin. Both users are in the provider group.
static_token="$(openssl rand -hex 24)"
exec_token="$(openssl rand -hex 24)"
printf '%s\n' "$static_token" >"$STATE/auth/static-token"
printf '%s\n' "$exec_token" >"$STATE/auth/exec-token"
{
    echo "$static_token,ephemera-provider-token,ephemera-provider-token,\"$PROVIDER_GROUP\""
    echo "$exec_token,ephemera-provider-exec,ephemera-provider-exec,\"$PROVIDER_GROUP\""
} >"$STATE/auth/tokens.csv"
cp "$here/exec-credential.sh" "$STATE/auth/exec-credential.sh"
chmod 755 "$STATE/auth/exec-credential.sh"
step_done "certificates" "$t0"

# ---------------------------------------------------------------------------------------------
# Kubeconfigs. usage: kubeconfig FILE NAME <<< "user YAML, indented by 4"
b64() { base64 -w0 <"$1"; }
kubeconfig() {
    local file="$STATE/kubeconfig/$1.yaml" name=$2 ca_line
    # One file names the CA by path and the others embed it, so clients are tested with both.
    if [[ "$name" == limited-token ]]; then
        ca_line="certificate-authority: $pki/ca.crt"
    else
        ca_line="certificate-authority-data: $(b64 "$pki/ca.crt")"
    fi
    cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: ephemera-test
  cluster:
    server: $API_SERVER
    $ca_line
users:
- name: $name
  user:
$(cat)
contexts:
- name: $name
  context:
    cluster: ephemera-test
    user: $name
    namespace: $NAMESPACE
current-context: $name
preferences: {}
EOF
    chmod 600 "$file"
}
cert_user() {
    echo "    client-certificate-data: $(b64 "$pki/$1.crt")"
    echo "    client-key-data: $(b64 "$pki/$1.key")"
}
for c in admin kwok kube-controller-manager kube-scheduler; do cert_user "$c" | kubeconfig "$c" "$c"; done
cert_user limited | kubeconfig limited-cert limited-cert
echo "    tokenFile: $STATE/auth/static-token" | kubeconfig limited-token limited-token
echo "    tokenFile: $STATE/incluster/token" | kubeconfig limited-sa limited-sa
kubeconfig limited-exec limited-exec <<EOF
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $STATE/auth/exec-credential.sh
      args: ["$STATE/auth/exec-token"]
      interactiveMode: Never
      provideClusterInfo: false
EOF
admin=(--kubeconfig "$STATE/kubeconfig/admin.yaml")

# ---------------------------------------------------------------------------------------------
# usage: start NAME BINARY ARGS... — detached (own session) so a caller's Ctrl-C or ctest
# killing its process group does not take the cluster down half-way; cluster-down stops it.
start() {
    local name=$1 pid
    shift
    setsid "$@" </dev/null >"$STATE/logs/$name.log" 2>&1 &
    pid=$!
    echo "$pid" >"$STATE/pids/$name.pid"
    # Until the forked shell has exec'd the binary, the pid's command line is this script's and
    # pid_is_ours would call the component dead.
    wait_until 10 "$name to exec" pid_is_ours "$STATE" "$name" || kill -0 "$pid" 2>/dev/null ||
        component_died "$name"
}
component_died() {
    log "$1 exited; its log ends with:"
    tail -n 20 "$STATE/logs/$1.log" >&2
    exit 1
}
# True when component $1 is ready by check $2..., or when it has died (then stop waiting:
# wait_component reports it at once instead of after the timeout).
ready_or_dead() {
    pid_is_ours "$STATE" "$1" || return 0
    shift
    "$@"
}
wait_component() { # NAME TIMEOUT CHECK...
    local name=$1 timeout=$2
    shift 2
    wait_until "$timeout" "$name" ready_or_dead "$name" "$@" || die "$name did not become ready"
    pid_is_ours "$STATE" "$name" || component_died "$name"
}

t0=$(now_ms)
start etcd "$BIN/etcd" --name ephemera --data-dir "$STATE/etcd" \
    --listen-client-urls "$ETCD_ENDPOINT" --advertise-client-urls "$ETCD_ENDPOINT" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster "ephemera=http://127.0.0.1:$etcd_peer_port" \
    --unsafe-no-fsync --log-level warn
wait_component etcd 60 "$BIN/etcdctl" --endpoints "$ETCD_ENDPOINT" --command-timeout 2s endpoint health
step_done "etcd" "$t0"

t0=$(now_ms)
apiserver_args=(
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port"
    --etcd-servers "$ETCD_ENDPOINT"
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key"
    --cert-dir "$pki"
    --client-ca-file "$pki/ca.crt"
    --token-auth-file "$STATE/auth/tokens.csv"
    --requestheader-client-ca-file "$pki/front-proxy-ca.crt"
    --requestheader-allowed-names front-proxy-client
    --requestheader-username-headers X-Remote-User
    --requestheader-group-headers X-Remote-Group
    --requestheader-extra-headers-prefix X-Remote-Extra-
    --proxy-client-cert-file "$pki/front-proxy-client.crt"
    --proxy-client-key-file "$pki/front-proxy-client.key"
    --authorization-mode RBAC
    --service-account-issuer https://kubernetes.default.svc.cluster.local
    --service-account-key-file "$pki/sa.pub"
    --service-account-signing-key-file "$pki/sa.key"
    --service-cluster-ip-range "$SERVICE_CIDR"
    # The "kubernetes" Service's endpoints cannot be a loopback address; nothing here routes
    # to it (in-cluster tests use API_HOST/API_PORT), so leave them out instead of logging an
    # error every 10 s.
    --endpoint-reconciler-type none
    # PodSecurity is in the default admission set; named so a default change cannot drop it.
    --enable-admission-plugins PodSecurity
    --profiling=false
)
((watch_cache)) || apiserver_args+=(--watch-cache=false)
# shellcheck disable=SC2206 # word splitting of the extra flags is the point
apiserver_args+=(${EPHEMERA_K8S_APISERVER_ARGS:-})
start kube-apiserver "$BIN/kube-apiserver" "${apiserver_args[@]}"
wait_component kube-apiserver 180 "$KUBECTL" "${admin[@]}" get --raw /readyz
step_done "kube-apiserver" "$t0"

# ---------------------------------------------------------------------------------------------
# Namespaces and the limited identity: the RBAC a worker provider needs in its namespace, and
# nothing anywhere else.
provider_rbac() {
    cat <<EOF
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: $PROVIDER_ROLE
  namespace: $1
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [create, get, list, watch, delete]
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [create, get, list, watch, delete]
- apiGroups: ["", events.k8s.io]
  resources: [events]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: $PROVIDER_ROLE
  namespace: $1
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: $PROVIDER_ROLE
subjects:
- kind: Group
  apiGroup: rbac.authorization.k8s.io
  name: $PROVIDER_GROUP
- kind: ServiceAccount
  name: $PROVIDER_SA
  namespace: $NAMESPACE
EOF
}
t0=$(now_ms)
{
    cat <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: $NAMESPACE
  labels:
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/audit: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: $RESTRICTED_NAMESPACE
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
---
apiVersion: v1
kind: Namespace
metadata:
  name: $OTHER_NAMESPACE
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: $PROVIDER_SA
  namespace: $NAMESPACE
EOF
    provider_rbac "$NAMESPACE"
    provider_rbac "$RESTRICTED_NAMESPACE"
} | "$KUBECTL" "${admin[@]}" apply -f - >/dev/null
step_done "bootstrap-objects" "$t0"

# ---------------------------------------------------------------------------------------------
t0=$(now_ms)
mkdir -p "$pki/kube-controller-manager" "$pki/kube-scheduler"
kc="$STATE/kubeconfig/kube-controller-manager.yaml"
start kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$kc" --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" --cert-dir "$pki/kube-controller-manager" \
    --leader-elect=false \
    --controllers '*' \
    --use-service-account-credentials \
    --service-account-private-key-file "$pki/sa.key" \
    --root-ca-file "$pki/ca.crt" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --profiling=false
kc="$STATE/kubeconfig/kube-scheduler.yaml"
start kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig "$kc" --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
    --bind-address 127.0.0.1 --secure-port "$scheduler_port" --cert-dir "$pki/kube-scheduler" \
    --leader-elect=false --profiling=false
cp "$here/kwok-stages.yaml" "$STATE/kwok/stages.yaml"
start kwok "$BIN/kwok" --kubeconfig "$STATE/kubeconfig/kwok.yaml" \
    --config "$STATE/kwok/stages.yaml" \
    --manage-all-nodes=true \
    --cidr 10.244.0.1/16 \
    --server-address "127.0.0.1:$kwok_port"

healthz() { curl -fsSk --max-time 2 "$1/healthz"; }
wait_component kube-controller-manager 120 healthz "https://127.0.0.1:$kcm_port"
wait_component kube-scheduler 120 healthz "https://127.0.0.1:$scheduler_port"
wait_component kwok 60 healthz "http://127.0.0.1:$kwok_port"
step_done "controllers" "$t0"

# ---------------------------------------------------------------------------------------------
# Fake nodes: kwok marks them Ready and keeps their heartbeats; the scheduler binds pods to
# them as to any node.
t0=$(now_ms)
for ((i = 0; i < nodes; i++)); do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
status:
  addresses:
  - type: InternalIP
    address: 10.255.0.$((i + 1))
  allocatable: {cpu: "32", memory: 128Gi, ephemeral-storage: 500Gi, pods: "250"}
  capacity: {cpu: "32", memory: 128Gi, ephemeral-storage: 500Gi, pods: "250"}
EOF
done | "$KUBECTL" "${admin[@]}" apply -f - >/dev/null
# Ready, and without the not-ready taint the node lifecycle controller puts on new nodes: until
# it is lifted the scheduler would leave pods Pending. Most of this wait is the controller
# manager still starting its controllers (its /healthz answers before they all run).
nodes_ready() {
    local out
    out="$("$KUBECTL" "${admin[@]}" get nodes -o \
        'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status} {.spec.taints}{"\n"}{end}')"
    [[ "$(grep -c ' True $' <<<"$out")" -eq "$nodes" ]]
}
wait_component kwok 120 nodes_ready
step_done "nodes" "$t0"

# ---------------------------------------------------------------------------------------------
# The service-account controller must have made the default accounts (pod admission needs
# them), and the in-cluster folder needs a real token from the TokenRequest API.
t0=$(now_ms)
for ns in "$NAMESPACE" "$RESTRICTED_NAMESPACE" "$OTHER_NAMESPACE"; do
    wait_until 60 "default service account in $ns" \
        "$KUBECTL" "${admin[@]}" -n "$ns" get serviceaccount default || die "no default service account in $ns"
done
"$KUBECTL" "${admin[@]}" -n "$NAMESPACE" create token "$PROVIDER_SA" --duration 24h >"$STATE/incluster/token"
cp "$pki/ca.crt" "$STATE/incluster/ca.crt"
printf '%s' "$NAMESPACE" >"$STATE/incluster/namespace"
chmod 600 "$STATE/incluster/token"
step_done "service-accounts" "$t0"

cat >"$STATE/env.sh" <<EOF
# Written by tests/k8s/cluster-up.sh: source it to talk to this cluster.
export K8S_STATE='$STATE'
export K8S_BIN='$BIN'
export KUBECTL='$KUBECTL'
export ETCDCTL='$BIN/etcdctl'
export KUBE_VERSION='$("$KUBECTL" "${admin[@]}" version -o json | jq -r .serverVersion.gitVersion)'
export API_SERVER='$API_SERVER'
export API_HOST='127.0.0.1'
export API_PORT='$api_port'
export CA_CERT='$pki/ca.crt'
export ETCD_ENDPOINT='$ETCD_ENDPOINT'
export WATCH_CACHE='$watch_cache'
export NAMESPACE='$NAMESPACE'
export RESTRICTED_NAMESPACE='$RESTRICTED_NAMESPACE'
export OTHER_NAMESPACE='$OTHER_NAMESPACE'
export PROVIDER_SERVICE_ACCOUNT='$PROVIDER_SA'
export KUBECONFIG_ADMIN='$STATE/kubeconfig/admin.yaml'
export KUBECONFIG_LIMITED_CERT='$STATE/kubeconfig/limited-cert.yaml'
export KUBECONFIG_LIMITED_TOKEN='$STATE/kubeconfig/limited-token.yaml'
export KUBECONFIG_LIMITED_SA='$STATE/kubeconfig/limited-sa.yaml'
export KUBECONFIG_LIMITED_EXEC='$STATE/kubeconfig/limited-exec.yaml'
export INCLUSTER_DIR='$STATE/incluster'
export KWOK_NODES='$nodes'
EOF
trap - EXIT
step_done "cluster-up" "$t_all"
log "cluster up: $API_SERVER (state $STATE; source $STATE/env.sh)"
