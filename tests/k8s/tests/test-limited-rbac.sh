#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The limited identity, in each auth mode the provider supports (client certificate, tokenFile
# with a static token, tokenFile with a service-account token, exec credential plugin, and the
# in-cluster files), can do its work in its namespace and nothing in another one.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh" "$@"

check_identity() { # MODE EXPECTED_USER KUBECTL_ARGS...
    local mode=$1 user=$2 out
    shift 2
    local k=("$KUBECTL" "$@")
    out="$("${k[@]}" auth whoami -o 'jsonpath={.status.userInfo.username}')" || fail "$mode: whoami failed"
    [[ "$out" == "$user" ]] || fail "$mode: authenticated as '$out', expected '$user'"

    local verb res
    for verb in create get list watch delete; do
        for res in pods jobs.batch; do
            [[ "$("${k[@]}" auth can-i "$verb" "$res" -n "$NAMESPACE")" == yes ]] ||
                fail "$mode: cannot $verb $res in $NAMESPACE"
            if "${k[@]}" auth can-i "$verb" "$res" -n "$OTHER_NAMESPACE" >/dev/null 2>&1; then
                fail "$mode: may $verb $res in $OTHER_NAMESPACE"
            fi
        done
    done
    [[ "$("${k[@]}" auth can-i list events -n "$NAMESPACE")" == yes ]] || fail "$mode: cannot list events"
    for what in "get secrets -n $NAMESPACE" "list nodes" "create namespaces" "patch pods -n $NAMESPACE" \
        "create pods -n default" "list pods --all-namespaces"; do
        # shellcheck disable=SC2086 # $what is a list of words
        if "${k[@]}" auth can-i $what >/dev/null 2>&1; then fail "$mode: may $what"; fi
    done

    # Real requests, not only the authorizer's opinion.
    "${k[@]}" -n "$NAMESPACE" get pods >/dev/null || fail "$mode: list pods in $NAMESPACE failed"
    out="$("${k[@]}" -n "$OTHER_NAMESPACE" get pods 2>&1)" && fail "$mode: listed pods in $OTHER_NAMESPACE"
    [[ "$out" == *Forbidden* || "$out" == *forbidden* ]] || fail "$mode: expected Forbidden, got: $out"
    local pod="rbac-$mode-$RUN_ID"
    out="$(compliant_pod "$pod" | "${k[@]}" -n "$OTHER_NAMESPACE" create -f - 2>&1)" && {
        on_cleanup kadmin -n "$OTHER_NAMESPACE" delete pod "$pod" --wait=false
        fail "$mode: created a pod in $OTHER_NAMESPACE"
    }
    [[ "$out" == *forbidden* ]] || fail "$mode: expected forbidden, got: $out"
    on_cleanup kadmin -n "$NAMESPACE" delete pod "$pod" --wait=false
    compliant_pod "$pod" | "${k[@]}" -n "$NAMESPACE" create -f - >/dev/null || fail "$mode: create pod failed"
    "${k[@]}" -n "$NAMESPACE" delete pod "$pod" --wait=false >/dev/null || fail "$mode: delete pod failed"
    ok "$mode: authenticated as $user; pods/jobs in $NAMESPACE only"
}

sa_user="system:serviceaccount:$NAMESPACE:$PROVIDER_SERVICE_ACCOUNT"
check_identity cert ephemera-provider-cert --kubeconfig "$KUBECONFIG_LIMITED_CERT"
check_identity token ephemera-provider-token --kubeconfig "$KUBECONFIG_LIMITED_TOKEN"
check_identity sa "$sa_user" --kubeconfig "$KUBECONFIG_LIMITED_SA"
check_identity exec ephemera-provider-exec --kubeconfig "$KUBECONFIG_LIMITED_EXEC"
# In-cluster: only the three files and a host:port, as a pod would have them.
[[ "$(<"$INCLUSTER_DIR/namespace")" == "$NAMESPACE" ]] || fail "incluster/namespace is not $NAMESPACE"
check_identity incluster "$sa_user" --kubeconfig /dev/null --server "https://$API_HOST:$API_PORT" \
    --certificate-authority "$INCLUSTER_DIR/ca.crt" --token "$(<"$INCLUSTER_DIR/token")"

# A wrong token is 401, not 403: the provider must tell the two apart.
code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CA_CERT" -H 'Authorization: Bearer not-a-token' \
    "$API_SERVER/api/v1/namespaces/$NAMESPACE/pods")"
[[ "$code" == 401 ]] || fail "bad token gave HTTP $code"
ok "bad token: 401"
