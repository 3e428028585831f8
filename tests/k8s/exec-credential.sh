#!/usr/bin/env bash
# A client-go style exec credential plugin for the tests: prints an ExecCredential holding the
# static token stored in file $1, valid for an hour, as a real plugin (cloud CLIs, vault) would.
# usage (from a kubeconfig's users[].user.exec): exec-credential.sh TOKEN_FILE
set -euo pipefail
token="$(tr -d '\n' <"$1")"
# kubectl sets KUBERNETES_EXEC_INFO; a plugin for client.authentication.k8s.io/v1 must answer
# in that version.
expires="$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\n' \
    "$token" "$expires"
