# shellcheck shell=bash
# Sourced by every test: finds the cluster, sets up kubectl shortcuts and per-test cleanup.
# usage in a test: . "$(dirname "$0")/common.sh" "$@"     (arg: STATE_DIR, or $K8S_STATE)
# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

STATE="${1:-${K8S_STATE:-}}"
[[ -n "$STATE" && -f "$STATE/env.sh" ]] || die "usage: $0 STATE_DIR (a dir set up by cluster-up.sh)"
# shellcheck source=/dev/null
. "$STATE/env.sh"

TEST_NAME="$(basename "$0" .sh)"
# Names unique per run, so a re-run never meets leftovers of an earlier one.
# shellcheck disable=SC2034 # used by the tests
RUN_ID="$(printf '%04x%04x' "$RANDOM" "$RANDOM")"

kadmin() { "$KUBECTL" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }
# As the worker provider would act: the limited identity (client certificate).
klimited() { "$KUBECTL" --kubeconfig "$KUBECONFIG_LIMITED_CERT" "$@"; }

_cleanups=()
# Registers a command run when the test ends, pass or fail (last registered runs first).
on_cleanup() { _cleanups=("$*" "${_cleanups[@]}"); }
_run_cleanups() {
    local rc=$? c
    for c in "${_cleanups[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
    case $rc in
    0) log "PASS $TEST_NAME" ;;
    77) log "SKIP $TEST_NAME" ;;
    *) log "FAIL $TEST_NAME (exit $rc)" ;;
    esac
}
trap _run_cleanups EXIT

fail() { log "FAIL: $*"; exit 1; }
ok() { log "ok: $*"; }

# A pod spec that the "restricted" Pod Security Standard admits, with the hardening the notes
# recommend beyond it. usage: compliant_spec [INDENT] (spaces to prefix every line)
compliant_spec() {
    sed "s/^/${1:-}/" <<'EOS'
restartPolicy: Never
automountServiceAccountToken: false
enableServiceLinks: false
terminationGracePeriodSeconds: 5
securityContext:
  runAsNonRoot: true
  runAsUser: 65532
  runAsGroup: 65532
  seccompProfile:
    type: RuntimeDefault
containers:
- name: worker
  image: registry.example/worker:1
  securityContext:
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities:
      drop: [ALL]
  resources:
    requests: {cpu: 10m, memory: 16Mi}
    limits: {cpu: 100m, memory: 64Mi}
EOS
}

# usage: compliant_pod NAME [ANNOTATION_LINES (indented by 4)]
compliant_pod() {
    cat <<EOP
apiVersion: v1
kind: Pod
metadata:
  name: $1
  labels:
    app.kubernetes.io/managed-by: ephemera-tests
  annotations:
    ephemera.test/case: "$TEST_NAME"
${2:-}
spec:
$(compliant_spec '  ')
EOP
}

# usage: compliant_job NAME JOB_SPEC_LINES (indented by 2) [POD_ANNOTATION_LINES (by 8)]
compliant_job() {
    cat <<EOJ
apiVersion: batch/v1
kind: Job
metadata:
  name: $1
  labels:
    app.kubernetes.io/managed-by: ephemera-tests
spec:
$2
  template:
    metadata:
      annotations:
        ephemera.test/case: "$TEST_NAME"
${3:-}
    spec:
$(compliant_spec '      ')
EOJ
}

# Prints a jsonpath of an object, or nothing if it does not exist.
# usage: field KUBECTL_FN NAMESPACE KIND/NAME JSONPATH
field() { "$1" -n "$2" get "$3" -o "jsonpath=$4" 2>/dev/null; }
field_is() { [[ "$(field "$@")" == "$5" ]]; }
# usage: gone KUBECTL_FN NAMESPACE KIND/NAME
# (NotFound only: a timeout or a 5xx is not "gone")
gone() {
    local out
    if out="$("$1" -n "$2" get "$3" 2>&1)"; then return 1; fi
    [[ "$out" == *NotFound* ]]
}
