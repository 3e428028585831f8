# shellcheck shell=bash disable=SC2034 # variables for the scripts that source this
# Pinned versions of the test control plane. Sourced by build.sh and cluster-up.sh.
#
# Kubernetes: the k8s.io/kubernetes Go module at this tag; its staging modules (k8s.io/api, ...)
# are published as v0.<minor>.<patch> of the same release. etcd is not pinned here on purpose:
# build.sh reads the version from the kubernetes go.mod so the server matches what the release
# was tested with.
KUBE_VERSION="${EPHEMERA_K8S_VERSION:-v1.34.4}"
# kwok v0.7.0: go directive 1.24 (builds with this machine's Go 1.26), client libraries v0.33
# (inside the supported client/server skew of 1.34). v0.8.0 needs Go >= 1.26.0 and v0.36 libraries.
KWOK_VERSION="${EPHEMERA_KWOK_VERSION:-v0.7.0}"
# Bump when build flags or the binary set change, so cached binaries built the old way are
# not mistaken for current ones.
BUILD_RECIPE=1

EPHEMERA_CACHE="${EPHEMERA_CACHE:-${HOME}/.cache/ephemera}"
K8S_CACHE="${EPHEMERA_CACHE}/k8s-${KUBE_VERSION}"
K8S_BIN="${K8S_CACHE}/bin"
