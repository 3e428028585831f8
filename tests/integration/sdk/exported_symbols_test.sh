#!/usr/bin/env bash
# Every plugin exports its entry symbol and nothing else of ours.
set -euo pipefail
lib_dir=$1
shopt -s nullglob
plugins=("$lib_dir"/ephemera-*.so)
((${#plugins[@]} > 0)) || { echo "no plugins in $lib_dir"; exit 1; }
failed=0
for so in "${plugins[@]}"; do
  # Defined dynamic symbols, minus the linker's own section markers.
  symbols=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -vE '^(_init|_fini|_edata|_end|__bss_start)$' | sort)
  if [[ $symbols == "ephemera_plugin_entry" ]]; then
    echo "ok   $(basename "$so"): ephemera_plugin_entry only"
  else
    echo "FAIL $(basename "$so") exports:"; echo "$symbols" | sed 's/^/       /'
    failed=1
  fi
done
exit $failed
