#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The library's include graph follows its layers (issue 12 item 2):
# bytes -> entries -> volumes -> findings -> edit -> writer.  Every lib/
# source and header is placed in one layer below, once; a file may
# include (#include "...") headers of its own layer and lower ones only.
# Decoders never include <hivex.h>: only the hivex layer (hive.h) does;
# the reader and the writer's engine reach hivex through it, and only
# they (hive.c, write_hive.c) call hivex_* functions.  A file in no layer
# fails, so a new file must be placed.  Run with a file argument (or LAYERS_ROOT) to check
# another tree; `lib/tests/layers.sh --self-test` shows a back-edge fails.
top=${top_srcdir:-$(dirname "$0")/../..}
root=${LAYERS_ROOT:-$top}

# layer number, name, files (shell patterns relative to lib/).
layers='
0 decode   mountdb.h mountdb-version.h decode.h grow.h undo.h uid.h spec.h regf.h logs.h logs_fmt.h common/* utf16.c guid.c names.c uid.c uid_*.c regf.c timefmt.c undo.c marvin.c spec.c logs.c logs_hvle.c logs_dirt.c vocab.c dev.h dev_*.c
0 correlate correlate.h correlate.c
1 base     error.h error.c fault.h diag.h diag.c xmldl.h xmldl.c dlload.h dlload.c blkiddl.h blkiddl.c
2 bytes    evidence.h evidence.c digest.h digest.c hashpipe.h hashpipe.c
3 hivex    hive.h
4 model    model.h model.c
5 read     read.h hive.c logfiles.c
6 rules    rules.h rules.c rules_int.h rules_*.c disk.h disk.c disk_*.c
6 diskuse  correlate_disk.h correlate_disk.c
7 handle   handle.h handle.c
7 json     json.c
7 jsondev  json_int.h json_devices.c
7 devices  devices.h devices.c devices_get.c
8 edit     edit.h edit.c edit_ops.c edit_changes.c spec_resolve.c plan.h plan.c plan_load.c lib/plan-rng.h
9 write    write.h write_int.h write.c write_*.c report.c regfscan.c opts.c
'

layer_of () { # $1: path relative to lib/ -> prints the layer number
  printf '%s\n' "$layers" | while read -r n _name files; do
    [ -n "$n" ] || continue
    for p in $files; do
      # shellcheck disable=SC2254
      case $1 in $p) echo "$n"; return ;; esac
    done
  done | head -n 1
}

check () { # $1: lib directory
  rc=0
  for f in "$1"/*.c "$1"/*.h "$1"/common/*.c "$1"/common/*.h; do
    [ -e "$f" ] || continue
    rel=${f#"$1"/}
    case $rel in plan-rng.h) continue ;; esac # generated data
    fl=$(layer_of "$rel")
    if [ -z "$fl" ]; then
      echo "FAIL: lib/$rel is in no layer (add it to lib/tests/layers.sh)"
      rc=1; continue
    fi
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
      case $inc in ../*|bin/*) echo "FAIL: lib/$rel includes \"$inc\" (outside lib/)"; rc=1; continue ;; esac
      il=$(layer_of "$inc")
      if [ -z "$il" ]; then
        echo "FAIL: lib/$rel includes \"$inc\", which is in no layer"; rc=1
      elif [ "$il" -gt "$fl" ]; then
        echo "FAIL: lib/$rel (layer $fl) includes $inc (layer $il): a back-edge"
        rc=1
      fi
    done
    case $rel in hive.c|write_hive.c) ;;
    *.c)
      # A call, not a comment naming one.
      if grep -v '^[[:space:]]*\*' "$f" | grep -Eq '\bhivex_[a-z_]+ ?\('; then
        echo "FAIL: lib/$rel calls hivex directly (go through hive.h)"; rc=1
      fi ;;
    esac
    if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<hivex\.h>' "$f"; then
      case $rel in hive.h) ;;
      *) echo "FAIL: lib/$rel includes <hivex.h> (only hive.h may)"; rc=1 ;;
      esac
    fi
  done
  return $rc
}

if [ "$1" = --self-test ]; then
  # A copy of the tree with one back-edge (a decoder including the model)
  # must fail, naming it.
  t=$(mktemp -d) || exit 99
  trap 'rm -rf "$t"' EXIT
  cp "$top"/lib/*.c "$top"/lib/*.h "$t"/
  printf '#include "model.h"\n' >> "$t/names.c"
  out=$(check "$t") && { echo "FAIL: a back-edge was not caught"; exit 1; }
  printf '%s\n' "$out" | grep -q 'names.c (layer 0) includes model.h' \
    || { echo "FAIL: self-test: $out"; exit 1; }
  printf '#include <hivex.h>\n' >> "$t/spec.c"
  check "$t" | grep -q 'spec.c includes <hivex.h>' \
    || { echo "FAIL: a decoder including hivex.h was not caught"; exit 1; }
  printf 'static void f (hive_h *h) { hivex_close (h); }\n' >> "$t/write.c"
  check "$t" | grep -q 'write.c calls hivex directly' \
    || { echo "FAIL: a hivex call outside the hivex layer was not caught"; exit 1; }
  echo "PASS: self-test (back-edge, hivex.h in a decoder, hivex call caught)"
  exit 0
fi

if check "$root/lib"; then
  echo "PASS: lib/ include graph follows the layers"
  "$0" --self-test
else
  exit 1
fi
