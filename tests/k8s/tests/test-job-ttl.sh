#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# ttlSecondsAfterFinished: a Job whose pod exits 0 completes, and the TTL-after-finished
# controller deletes it (and, through the garbage collector, its pod) once the TTL has passed.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh" "$@"
ns="$NAMESPACE"
job="ttl-$RUN_ID"
ttl=3
on_cleanup kadmin -n "$ns" delete job "$job" --cascade=background --wait=false

# The exit-code annotation on the pod template makes kwok end the pod like a container exiting 0.
compliant_job "$job" "  ttlSecondsAfterFinished: $ttl
  backoffLimit: 0" '        ephemera.test/exit-code: "0"
        ephemera.test/exit-after: 1s' | klimited -n "$ns" create -f - >/dev/null

klimited -n "$ns" wait --for=condition=Complete "job/$job" --timeout=90s >/dev/null ||
    fail "job did not complete"
done_at="$(field klimited "$ns" "job/$job" '{.status.completionTime}')"
pod="$(klimited -n "$ns" get pods -l "job-name=$job" -o 'jsonpath={.items[0].metadata.name}')"
code="$(field klimited "$ns" "pod/$pod" '{.status.containerStatuses[0].state.terminated.exitCode}')"
[[ "$code" == 0 ]] || fail "pod $pod exit code '$code'"
ok "job complete at $done_at (pod $pod exited 0)"

t0=$(now_ms)
wait_until 60 "job $job deleted by its TTL" gone klimited "$ns" "job/$job" || fail "job not deleted after TTL"
elapsed=$(($(now_ms) - t0))
ok "job deleted ${elapsed} ms after we saw it complete (ttl ${ttl}s)"
wait_until 60 "pod $pod of the expired job deleted" gone klimited "$ns" "pod/$pod" || fail "pod $pod left behind"
ok "its pod is gone too"
