#!/usr/bin/env bash
# The bad-config corpus (bad-configs/*.toml): each file's first line says
# what `ephemerad --check-config` must answer — "# expect: LINE: TEXT" — and
# the daemon must exit 78 with one message naming the file, that line and
# TEXT. An empty LINE means the complaint is about the file as a whole.
# Also: the packaged config (packaging/ephemera.toml) passes, through each
# provider's validate_config.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

count=0
for src in "$here"/bad-configs/*.toml; do
  name=$(basename "$src")
  file="$T/$name"
  sed "s|@PLUGIN_DIR@|$EPHEMERA_PLUGIN_DIR|g" "$src" >"$file"
  expect=$(head -n1 "$src" | sed 's/^# expect: //')
  line=${expect%%:*}
  text=${expect#*: }
  want="config $file${line:+:$line}: "
  rc=0
  out=$("$EPHEMERAD" --config "$file" --check-config 2>&1) || rc=$?
  expect_eq "$name exits 78" 78 "$rc"
  check "$name says '$want…$text' ($out)" bash -c '[[ $1 == *"$2"* && $1 == *"$3"* && $(wc -l <<<"$1") == 1 ]]' _ "$out" "$want" "$text"
  count=$((count + 1))
done
check "the corpus holds at least 15 configs ($count)" test "$count" -ge 15

# The packaged file, with the plugin directory of this build.
sed -e "s|^# plugin_dir = .*|plugin_dir = \"$EPHEMERA_PLUGIN_DIR\"|" "$here/../../packaging/ephemera.toml" >"$T/packaged.toml"
rc=0
out=$("$EPHEMERAD" --config "$T/packaged.toml" --check-config 2>&1) || rc=$?
expect_eq "the packaged config passes --check-config ($out)" 0 "$rc"
finish
