#!/usr/bin/env bash
# Installs the SDK from this build into a scratch prefix, builds the C example
# plugin as a project of its own against it (find_package(EphemeraSDK)), then
# loads the result in the host and runs the conformance kit from the prefix.
set -euo pipefail
build_dir=$1 source_dir=$2
work=$(mktemp -d /tmp/ephemera-oot.XXXXXX)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --component sdk --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/ephemera/provider.h"
test -f "$work/prefix/lib/cmake/EphemeraSDK/EphemeraSDKConfig.cmake" ||
  test -f "$work/prefix/lib/x86_64-linux-gnu/cmake/EphemeraSDK/EphemeraSDKConfig.cmake"

# pkg-config must point into the prefix it was installed to.
pc=$(find "$work/prefix" -name ephemera-sdk.pc)
cflags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags ephemera-sdk)
[[ $cflags == *"$work/prefix"*"/include"* ]] || { echo "pkg-config cflags wrong: $cflags"; exit 1; }

cmake -S "$source_dir/sdk/examples/memory" -B "$work/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" >/dev/null
plugin="$work/build/ephemera-memory.so"
test -f "$plugin"

"$build_dir/bin/ephemerad" --plugin-info "$plugin" --state-dir "$work/state"
"$work/prefix/bin/ephemera-plugin-check" "$plugin"
