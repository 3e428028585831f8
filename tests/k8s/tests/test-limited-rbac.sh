#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The limited identity, in each auth mode the provider supports (client certificate, tokenFile
# with a static token, tokenFile with a service-account token, exec credential plugin, and the
# in-cluster files), can do its work in its namespace and nothing in another one.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh" "$@"

# usage: check_identity MODE EXPECTED_USER KUBECTL_ARGS...
check_identity() {
    local mode=$1 user=$2 out
    shift 2
    local k=("$KUBECTL" "$@")
    out="$("${k[@]}" auth whoami -o 'jsonpath={.status.userInfo.username}')" || fail "$mode: whoami failed"
    [[ "$out" == "$user" ]] || fail "$mode: authenticated as '$out', expected '$user'"
    check_permissions "$mode" "${k[@]}"
    check_requests "$mode" "${k[@]}"
    ok "$mode: authenticated as $user; pods/jobs in $NAMESPACE only"
}

# Asks the authorizer about every case in one kubectl call (a SelfSubjectAccessReview each).
# Cases: "NAMESPACE VERB GROUP RESOURCE EXPECTED" ("-" = empty namespace or core group).
check_permissions() { # MODE KUBECTL...
    local mode=$1 verb res cases=() ns grp r want
    shift
    for verb in create get list watch delete; do
        for res in -/pods batch/jobs; do
            cases+=("$NAMESPACE $verb ${res%/*} ${res#*/} true" "$OTHER_NAMESPACE $verb ${res%/*} ${res#*/} false")
        done
    done
    cases+=("$NAMESPACE get - pods/log true" "$NAMESPACE list - events true" "$NAMESPACE watch events.k8s.io events true"
        "$NAMESPACE get - secrets false" "$NAMESPACE patch - pods false" "$NAMESPACE update batch jobs false"
        "default create - pods false" "- list - pods false" "- list - nodes false" "- create - namespaces false")
    local reviews="" answers
    for c in "${cases[@]}"; do
        read -r ns verb grp r _ <<<"$c"
        [[ "$ns" == - ]] && ns=""
        [[ "$grp" == - ]] && grp=""
        local sub=""
        [[ "$r" == */* ]] && sub="${r#*/}" r="${r%%/*}"
        reviews+="---
apiVersion: authorization.k8s.io/v1
kind: SelfSubjectAccessReview
spec:
  resourceAttributes: {namespace: \"$ns\", verb: $verb, group: \"$grp\", resource: $r, subresource: \"$sub\"}
"
    done
    # --validate=false: client-side validation would list CRDs, which this identity may not.
    answers="$(printf '%s' "$reviews" | "$@" create --validate=false -f - -o json |
        jq -r '(.items // [.])[] | .status.allowed')" || fail "$mode: access reviews failed"
    mapfile -t answers <<<"$answers"
    ((${#answers[@]} == ${#cases[@]})) || fail "$mode: ${#answers[@]} answers for ${#cases[@]} reviews"
    for i in "${!cases[@]}"; do
        want="${cases[i]##* }"
        [[ "${answers[i]}" == "$want" ]] || fail "$mode: allowed=${answers[i]} for '${cases[i]% *}', expected $want"
    done
}

# Real requests, not only the authorizer's opinion.
check_requests() { # MODE KUBECTL...
    local mode=$1 out
    shift
    local k=("$@")
    "${k[@]}" -n "$NAMESPACE" get pods -o name >/dev/null || fail "$mode: list pods in $NAMESPACE failed"
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
