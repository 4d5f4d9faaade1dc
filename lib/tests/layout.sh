#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# README's layout table covers the tree (issue 12): every lib/*.c, lib/*.h
# and bin/*.c file is named in it, in backquotes, by its name or a
# pattern (`cmd_*.c`, `lib/write*.c`).  A new source file must be placed.
top=${top_srcdir:-$(dirname "$0")/../..}
table=$(awk '/^## Layout/ {on = 1; next} on && /^## / {exit} on' "$top/README.md")
[ -n "$table" ] || { echo "FAIL: README.md has no Layout section"; exit 1; }
names=$(printf '%s\n' "$table" | grep -o '`[^`]*`' | tr -d '`')
rc=0 n=0
for f in "$top"/lib/*.c "$top"/lib/*.h "$top"/bin/*.c; do
  rel=${f#"$top"/}
  base=${rel##*/}
  case $base in mountdb-version.h|plan-rng.h) continue ;; esac # generated
  n=$((n + 1))
  found=
  for p in $names; do
    # shellcheck disable=SC2254
    case $base in $p) found=1; break ;; esac
    # shellcheck disable=SC2254
    case $rel in $p) found=1; break ;; esac
  done
  [ -n "$found" ] || { echo "FAIL: README's layout table does not name $rel"; rc=1; }
done
[ "$rc" = 0 ] && echo "PASS: README's layout table names all $n source files"
exit $rc
