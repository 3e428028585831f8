#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Watch expiry: after `etcdctl compact`, a watch from a resourceVersion older than the
# compaction fails with 410 Gone — inside a 200 stream, as an ERROR event carrying a Status.
# Needs a cluster started with --no-watch-cache (with the watch cache the API server answers
# from its own event window, which compaction does not touch); exits 77 (skipped) otherwise.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh" "$@"
if [[ "$WATCH_CACHE" != 0 ]]; then
    log "SKIP: cluster runs with the watch cache (start it with --no-watch-cache)"
    exit 77
fi
ns="$NAMESPACE"
pods="/api/v1/namespaces/$ns/pods"

old_rv="$(klimited get --raw "$pods?limit=1" | jq -r .metadata.resourceVersion)"
# Writes after old_rv, so the compaction below really discards history the watch needs.
for i in 1 2; do
    pod="w410-$i-$RUN_ID"
    on_cleanup kadmin -n "$ns" delete pod "$pod" --wait=false
    compliant_pod "$pod" | klimited -n "$ns" create -f - >/dev/null
done

# Before compaction the old version is still good: the watch replays the two ADDED events.
out="$(klimited get --raw "$pods?watch=1&resourceVersion=$old_rv&timeoutSeconds=1")"
[[ "$(grep -c '"type":"ADDED"' <<<"$out")" -ge 2 ]] || fail "watch from $old_rv before compaction: $out"
ok "watch from resourceVersion $old_rv replays the newer events"

rev="$("$ETCDCTL" --endpoints "$ETCD_ENDPOINT" endpoint status -w json | jq -r '.[0].Status.header.revision')"
"$ETCDCTL" --endpoints "$ETCD_ENDPOINT" compact "$rev" >/dev/null
ok "etcd compacted at revision $rev (resourceVersion $old_rv is now too old)"

# The server ends the stream after the error; the timeout only bounds a broken server.
out="$(klimited get --raw "$pods?watch=1&resourceVersion=$old_rv&allowWatchBookmarks=true&timeoutSeconds=10")"
event="$(head -n1 <<<"$out")"
[[ "$(jq -r .type <<<"$event")" == ERROR && "$(jq -r .object.code <<<"$event")" == 410 &&
    "$(jq -r .object.reason <<<"$event")" == Expired ]] || fail "expected a 410 ERROR event, got: $out"
ok "watch from $old_rv after compaction: $(jq -c .object <<<"$event")"

# The recovery the provider does: list again, watch from the list's version: no error.
new_rv="$(klimited get --raw "$pods" | jq -r .metadata.resourceVersion)"
out="$(klimited get --raw "$pods?watch=1&resourceVersion=$new_rv&timeoutSeconds=1")"
[[ "$out" != *'"type":"ERROR"'* ]] || fail "watch from the fresh list's version failed: $out"
ok "re-list at $new_rv and watch from there: no error"
