#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Deleting a Job: with propagationPolicy=Background the garbage collector removes its pods
# (through graceful deletion, kwok's stop, and the Job controller dropping its tracking
# finalizer); without a policy batch/v1 orphans them. A uid precondition that does not match
# answers 409 and deletes nothing. Spoken in plain HTTP, as the provider will.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh" "$@"
ns="$NAMESPACE"
pki="$K8S_STATE/pki"
# The limited identity's certificate, as the provider would present it.
# usage: api METHOD PATH [BODY]; sets HTTP_CODE and REASON (the Status reason, if any).
api() {
    local out
    out="$(curl -sS --cacert "$CA_CERT" --cert "$pki/limited.crt" --key "$pki/limited.key" \
        -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} \
        -w '\n%{http_code}' "$API_SERVER$2")"
    HTTP_CODE="${out##*$'\n'}"
    REASON="$(jq -r 'select(.kind == "Status") | .reason // ""' <<<"${out%$'\n'*}")"
}
delete_options() { # POLICY UID
    jq -nc --arg p "$1" --arg u "$2" \
        '{kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: $p, preconditions: {uid: $u}}'
}
jobs_path="/apis/batch/v1/namespaces/$ns/jobs"

make_job() {
    compliant_job "$1" "  parallelism: 2
  completions: 2
  backoffLimit: 0" | klimited -n "$ns" create -f - >/dev/null
    running_pods() {
        [[ "$(klimited -n "$ns" get pods -l "job-name=$1" \
            -o 'jsonpath={range .items[*]}{.status.phase}{"\n"}{end}' | grep -c '^Running$')" == 2 ]]
    }
    wait_until 90 "2 running pods of job $1" running_pods "$1" || fail "job $1 pods not running"
}
no_pods() { [[ -z "$(klimited -n "$ns" get pods -l "job-name=$1" -o name)" ]]; }

# 1. Background propagation removes the pods.
job="bg-$RUN_ID"
on_cleanup kadmin -n "$ns" delete job "$job" --cascade=background --wait=false
on_cleanup kadmin -n "$ns" delete pods -l "job-name=$job" --wait=false
make_job "$job"
uid="$(field klimited "$ns" "job/$job" '{.metadata.uid}')"
ok "job $job running 2 pods"

api DELETE "$jobs_path/$job" "$(delete_options Background 00000000-0000-0000-0000-000000000000)"
[[ "$HTTP_CODE/$REASON" == 409/Conflict ]] || fail "uid mismatch gave $HTTP_CODE/$REASON"
field klimited "$ns" "job/$job" '{.metadata.name}' >/dev/null || fail "job deleted despite precondition"
ok "uid precondition mismatch: 409 Conflict, job kept"

api DELETE "$jobs_path/$job" "$(delete_options Background "$uid")"
[[ "$HTTP_CODE" == 200 ]] || fail "delete gave $HTTP_CODE/$REASON"
wait_until 30 "job $job gone" gone klimited "$ns" "job/$job" || fail "job not deleted"
t0=$(now_ms)
wait_until 90 "pods of job $job gone" no_pods "$job" || fail "pods of $job still there: $(klimited -n "$ns" get pods -l "job-name=$job" -o wide 2>&1)"
ok "propagationPolicy=Background: pods gone $(($(now_ms) - t0)) ms after the job"

api DELETE "$jobs_path/$job" "$(delete_options Background "$uid")"
[[ "$HTTP_CODE/$REASON" == 404/NotFound ]] || fail "second delete gave $HTTP_CODE/$REASON"
ok "deleting it again: 404 NotFound (= already gone)"

# 2. No policy: batch/v1's default is to orphan the pods.
job="orphan-$RUN_ID"
on_cleanup kadmin -n "$ns" delete job "$job" --cascade=background --wait=false
on_cleanup kadmin -n "$ns" delete pods -l "job-name=$job" --wait=false
make_job "$job"
api DELETE "$jobs_path/$job"
[[ "$HTTP_CODE" == 200 ]] || fail "delete gave $HTTP_CODE/$REASON"
wait_until 30 "job $job gone" gone klimited "$ns" "job/$job" || fail "job not deleted"
orphaned() {
    [[ "$(klimited -n "$ns" get pods -l "job-name=$job" \
        -o 'jsonpath={range .items[*]}{.status.phase}/{.metadata.ownerReferences}{"\n"}{end}' |
        grep -c '^Running/$')" == 2 ]]
}
wait_until 30 "pods of $job orphaned (no ownerReferences, still running)" orphaned || fail "pods not orphaned"
ok "no propagationPolicy: job gone, its 2 pods orphaned and still Running"
klimited -n "$ns" delete pods -l "job-name=$job" --wait=false >/dev/null
wait_until 60 "orphaned pods deleted" no_pods "$job" || fail "orphaned pods not deleted"
