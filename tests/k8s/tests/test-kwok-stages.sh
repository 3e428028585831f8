#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The simulated kubelet (kwok with kwok-stages.yaml) behaves as the provider tests assume:
# pods run until told otherwise; ephemera.test/exit-code ends them with that code (at creation
# or annotated later, after ephemera.test/exit-after); deletion stops them (143) and removes
# them; ephemera.test/ignore-sigterm keeps a deleted pod until its grace period is over.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh" "$@"
ns="$NAMESPACE"
tmp="$(mktemp -d)"
on_cleanup rm -rf "$tmp"

# Deleted pods vanish within a moment, so their last status is read from a watch.
# usage: watch_pod NAME — records the pod's events in $tmp/NAME.watch
watch_pod() {
    local rv
    rv="$(field klimited "$ns" "pod/$1" '{.metadata.resourceVersion}')"
    # kubectl itself in the background (not a function, whose subshell would be what $! names),
    # so the kill below ends the watch and nothing keeps the test's output open.
    "$KUBECTL" --kubeconfig "$KUBECONFIG_LIMITED_CERT" get --raw \
        "/api/v1/namespaces/$ns/pods?watch=1&fieldSelector=metadata.name%3D$1&resourceVersion=$rv&timeoutSeconds=60" \
        >"$tmp/$1.watch" 2>&1 </dev/null &
    on_cleanup kill $!
}
# Prints phase/exitCode/reason of the last MODIFIED event before DELETED.
last_status() {
    wait_until 30 "DELETED event of $1" grep -q '"type":"DELETED"' "$tmp/$1.watch" || fail "no DELETED event for $1"
    jq -rs '[.[] | select(.type == "MODIFIED")] | last | .object.status |
        "\(.phase)/\(.containerStatuses[0].state.terminated.exitCode)/\(.containerStatuses[0].state.terminated.reason)"' \
        "$tmp/$1.watch"
}
terminated() { field klimited "$ns" "pod/$1" '{.status.phase}/{.status.containerStatuses[0].state.terminated.exitCode}/{.status.containerStatuses[0].state.terminated.reason}'; }

# Exit code chosen at creation.
p1="kwok-exit3-$RUN_ID"
on_cleanup kadmin -n "$ns" delete pod "$p1" --wait=false
compliant_pod "$p1" '    ephemera.test/exit-code: "3"' | klimited -n "$ns" create -f - >/dev/null
wait_until 60 "$p1 failed with 3" field_is klimited "$ns" "pod/$p1" '{.status.phase}' Failed || fail "$p1: $(terminated "$p1")"
[[ "$(terminated "$p1")" == Failed/3/Error ]] || fail "$p1: $(terminated "$p1")"
ok "exit-code 3 at creation: Failed/3/Error"

# Running until annotated, then exits as told; the reason can be set (OOMKilled).
p2="kwok-later-$RUN_ID"
on_cleanup kadmin -n "$ns" delete pod "$p2" --wait=false
compliant_pod "$p2" | klimited -n "$ns" create -f - >/dev/null
klimited -n "$ns" wait --for=jsonpath='{.status.phase}'=Running "pod/$p2" --timeout=60s >/dev/null || fail "$p2 not Running"
[[ "$(field klimited "$ns" "pod/$p2" '{.status.containerStatuses[0].state.running.startedAt}')" != "" ]] || fail "$p2 has no running container"
kadmin -n "$ns" annotate pod "$p2" ephemera.test/exit-code=137 ephemera.test/exit-reason=OOMKilled ephemera.test/exit-after=1s >/dev/null
t0=$(now_ms)
wait_until 60 "$p2 OOMKilled" field_is klimited "$ns" "pod/$p2" '{.status.phase}' Failed || fail "$p2: $(terminated "$p2")"
elapsed=$(($(now_ms) - t0))
[[ "$(terminated "$p2")" == Failed/137/OOMKilled ]] || fail "$p2: $(terminated "$p2")"
((elapsed >= 800)) || fail "$p2 ended after ${elapsed} ms, before exit-after=1s"
ok "annotated while Running: Failed/137/OOMKilled after ${elapsed} ms (exit-after 1s)"

p3="kwok-zero-$RUN_ID"
on_cleanup kadmin -n "$ns" delete pod "$p3" --wait=false
compliant_pod "$p3" '    ephemera.test/exit-code: "0"' | klimited -n "$ns" create -f - >/dev/null
wait_until 60 "$p3 succeeded" field_is klimited "$ns" "pod/$p3" '{.status.phase}' Succeeded || fail "$p3: $(terminated "$p3")"
[[ "$(terminated "$p3")" == Succeeded/0/Completed ]] || fail "$p3: $(terminated "$p3")"
ok "exit-code 0: Succeeded/0/Completed"

# Graceful deletion of a running pod: gone promptly.
p4="kwok-del-$RUN_ID"
on_cleanup kadmin -n "$ns" delete pod "$p4" --wait=false
compliant_pod "$p4" | klimited -n "$ns" create -f - >/dev/null
klimited -n "$ns" wait --for=jsonpath='{.status.phase}'=Running "pod/$p4" --timeout=60s >/dev/null || fail "$p4 not Running"
watch_pod "$p4"
t0=$(now_ms)
klimited -n "$ns" delete pod "$p4" --wait=false >/dev/null
wait_until 30 "$p4 removed" gone klimited "$ns" "pod/$p4" || fail "$p4 not removed"
elapsed=$(($(now_ms) - t0))
[[ "$(last_status "$p4")" == Failed/143/Error ]] || fail "$p4 ended as $(last_status "$p4")"
ok "deleted while Running: Failed/143/Error, removed after ${elapsed} ms"

# A pod that ignores SIGTERM lingers (Running, deletionTimestamp set) until the grace period.
p5="kwok-stubborn-$RUN_ID"
on_cleanup kadmin -n "$ns" delete pod "$p5" --wait=false --grace-period=0 --force
compliant_pod "$p5" '    ephemera.test/ignore-sigterm: "true"' | klimited -n "$ns" create -f - >/dev/null
klimited -n "$ns" wait --for=jsonpath='{.status.phase}'=Running "pod/$p5" --timeout=60s >/dev/null || fail "$p5 not Running"
watch_pod "$p5"
t0=$(now_ms)
klimited -n "$ns" delete pod "$p5" --grace-period=3 --wait=false >/dev/null
[[ "$(field klimited "$ns" "pod/$p5" '{.status.phase}')" == Running ]] || fail "$p5 stopped at once"
wait_until 30 "$p5 removed" gone klimited "$ns" "pod/$p5" || fail "$p5 not removed"
elapsed=$(($(now_ms) - t0))
# deletionTimestamp has whole seconds, so the grace period may end up to 1 s early.
((elapsed >= 1900)) || fail "$p5 removed after ${elapsed} ms, before its 3 s grace period"
[[ "$(last_status "$p5")" == Failed/137/Error ]] || fail "$p5 ended as $(last_status "$p5")"
ok "ignore-sigterm: Failed/137/Error, removed ${elapsed} ms after delete with grace 3s"
