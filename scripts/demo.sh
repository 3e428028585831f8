#!/usr/bin/env bash
# The main job on its embedded default (README): builds ephemerad and the mock
# provider, then shows the host loading the plugin and what it can do.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${EPHEMERA_BUILD_DIR:-$root/build}
"$root/scripts/install-deps.sh" >/dev/null
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target ephemerad ephemera-mock ephemera-plugin-check
state=$(mktemp -d /tmp/ephemera-demo.XXXXXX)
trap 'rm -rf "$state"' EXIT
"$build/bin/ephemerad" --version
"$build/bin/ephemerad" --plugin-info "$build/lib/ephemera-mock.so" --state-dir "$state"
echo
echo "conformance kit on the mock provider:"
"$build/bin/ephemera-plugin-check" "$build/lib/ephemera-mock.so"
