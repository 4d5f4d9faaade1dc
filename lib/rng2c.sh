#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# rng2c.sh INPUT NAME: print a C header that embeds the file INPUT as
#     static const char NAME[] = { ..., 0 };
# (byte values, NUL-terminated; the length is sizeof NAME - 1).  Byte
# values, not a string literal: no escaping, no trigraphs, no limit on
# the length of a literal.  Only printable ASCII, tab and newline are
# accepted (the schema is kept ASCII), so the output does not depend on
# the locale.  POSIX sh and awk only.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 INPUT NAME" >&2
  exit 2
fi
input=$1
name=$2
case $name in
  [A-Za-z_]*) ;;
  *) echo "$0: '$name' is not a C identifier" >&2; exit 2 ;;
esac
if [ ! -r "$input" ]; then
  echo "$0: cannot read $input" >&2
  exit 1
fi
LC_ALL=C awk -v name="$name" -v input="$input" '
BEGIN {
  for (i = 32; i < 127; i++)
    ord[sprintf ("%c", i)] = i
  ord["\t"] = 9
  base = input
  sub (/.*\//, "", base)
  printf "/* Generated from %s by rng2c.sh: do not edit. */\n", base
  printf "static const char %s[] = {\n", name
}
{
  line = ""
  n = length ($0)
  for (i = 1; i <= n; i++) {
    c = substr ($0, i, 1)
    if (!(c in ord)) {
      printf "%s:%d: byte %d is not printable ASCII\n", input, NR, i \
        > "/dev/stderr"
      bad = 1
      exit 1
    }
    line = line ord[c] ","
  }
  print "  " line "10,"
}
END {
  if (bad)
    exit 1
  print "  0"
  print "};"
}' "$input"
