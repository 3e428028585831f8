#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Pod Security admission: a namespace labelled pod-security.kubernetes.io/enforce=restricted
# rejects a non-compliant pod with 403 and admits a compliant one; for a Job it only warns and
# the Job controller's pod creation fails instead (what the provider must expect).
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh" "$@"
ns="$RESTRICTED_NAMESPACE"
[[ "$(field kadmin "" "namespace/$ns" '{.metadata.labels.pod-security\.kubernetes\.io/enforce}')" == restricted ]] ||
    fail "$ns is not labelled enforce=restricted"

bad="psa-bad-$RUN_ID"
if out="$(klimited -n "$ns" run "$bad" --image=registry.example/worker:1 --restart=Never 2>&1)"; then
    on_cleanup kadmin -n "$ns" delete pod "$bad" --wait=false
    fail "a pod without securityContext was admitted: $out"
fi
[[ "$out" == *'violates PodSecurity "restricted:latest"'* ]] || fail "unexpected rejection: $out"
[[ "$out" == *allowPrivilegeEscalation* && "$out" == *runAsNonRoot* && "$out" == *seccompProfile* ]] ||
    fail "rejection does not name the violations: $out"
gone kadmin "$ns" "pod/$bad" || fail "rejected pod exists"
ok "non-compliant pod rejected: ${out:0:160}..."

good="psa-good-$RUN_ID"
on_cleanup kadmin -n "$ns" delete pod "$good" --wait=false
compliant_pod "$good" | klimited -n "$ns" create -f - >/dev/null
klimited -n "$ns" wait --for=jsonpath='{.status.phase}'=Running "pod/$good" --timeout=60s >/dev/null ||
    fail "compliant pod did not reach Running"
ok "compliant pod admitted and Running on $(field klimited "$ns" "pod/$good" '{.spec.nodeName}')"

# Jobs are not pods: admission only warns, and the Job controller cannot create the pod.
job="psa-job-$RUN_ID"
on_cleanup kadmin -n "$ns" delete job "$job" --cascade=background --wait=false
warn="$(klimited -n "$ns" create job "$job" --image=registry.example/worker:1 2>&1 >/dev/null)"
[[ "$warn" == *'would violate PodSecurity "restricted:latest"'* ]] || fail "no PodSecurity warning for the job: $warn"
failed_create() {
    kadmin -n "$ns" get events --field-selector "involvedObject.name=$job,reason=FailedCreate" \
        -o 'jsonpath={.items[*].message}' | grep -q 'violates PodSecurity'
}
wait_until 60 "FailedCreate event for job $job" failed_create || fail "no FailedCreate event for $job"
[[ -z "$(kadmin -n "$ns" get pods -l "job-name=$job" -o name)" ]] || fail "job $job has pods"
ok "non-compliant job: warning on create, FailedCreate events, no pods"
