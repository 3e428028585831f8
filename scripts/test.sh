#!/usr/bin/env bash
# The test command (README): from a fresh machine, installs what the project
# needs, builds, and runs every suite:
#   1. the full build: unit, integration (real .so files), docker (a private
#      dockerd), k8s (a real kube-apiserver + etcd, built from Go modules and
#      cached under $EPHEMERA_CACHE);
#   2. a second build with AddressSanitizer + UndefinedBehaviorSanitizer
#      running the unit and integration suites.
# Environment: EPHEMERA_BUILD_DIR (default build/), EPHEMERA_CACHE (default
# ~/.cache/ephemera), EPHEMERA_SKIP_K8S=1 / EPHEMERA_SKIP_DOCKER=1 /
# EPHEMERA_SKIP_ASAN=1 to leave a suite out while iterating locally.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${EPHEMERA_BUILD_DIR:-$root/build}
asan_build=${build}-asan
export EPHEMERA_CACHE=${EPHEMERA_CACHE:-$HOME/.cache/ephemera}
jobs=$(nproc)

stage_start=0
stage() {
  local now; now=$(date +%s)
  if ((stage_start > 0)); then printf '=== stage "%s" took %ds\n' "$stage_name" $((now - stage_start)); fi
  stage_name=$1 stage_start=$now
  [[ -n $1 ]] && printf '\n=== %s\n' "$1"
  return 0
}

k8s=ON docker=ON
[[ ${EPHEMERA_SKIP_K8S:-0} == 1 ]] && k8s=OFF
[[ ${EPHEMERA_SKIP_DOCKER:-0} == 1 ]] && docker=OFF

stage "install dependencies"
"$root/scripts/install-deps.sh"
if [[ $docker == ON ]]; then "$root/tests/docker/install-docker.sh"; fi

stage "configure + build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DEPHEMERA_K8S_TESTS=$k8s -DEPHEMERA_DOCKER_TESTS=$docker >/dev/null
cmake --build "$build" -j"$jobs"

stage "tests"
ctest --test-dir "$build" -j2 --output-on-failure --timeout 5400

if [[ ${EPHEMERA_SKIP_ASAN:-0} != 1 ]]; then
  stage "configure + build (ASan + UBSan)"
  cmake -S "$root" -B "$asan_build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DEPHEMERA_SANITIZE=ON \
    -DEPHEMERA_K8S_TESTS=OFF -DEPHEMERA_DOCKER_TESTS=OFF >/dev/null
  cmake --build "$asan_build" -j"$jobs"

  stage "tests (ASan + UBSan: unit, integration)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$asan_build" -j2 -L 'unit|integration' --output-on-failure
fi
stage ""
