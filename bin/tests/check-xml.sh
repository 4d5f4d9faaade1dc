#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-xml.sh: validate mountdb's XML output against bin/mountdb.rng.
#
#   check-xml.sh HIVE...        run `mountdb show --format=xml` on the hives
#                               (one batch, as a user would) and validate it
#   check-xml.sh -f FILE.xml... validate files already written
#
# MOUNTDB names the binary (default: ./mountdb), top_srcdir the source tree
# (default: two levels above this script).  Exit status: 0 valid, 1 invalid,
# 77 skipped (xmllint missing; the Automake convention), 99 hard error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$here/../..}
MOUNTDB=${MOUNTDB:-./mountdb}
schema=$top_srcdir/bin/mountdb.rng

if ! command -v xmllint >/dev/null 2>&1; then
  echo "SKIP: xmllint not installed (Debian: apt-get install libxml2-utils)"
  exit 77
fi
[ -r "$schema" ] || { echo "ERROR: no schema at $schema" >&2; exit 99; }
[ $# -gt 0 ] || { echo "usage: $0 HIVE... | -f FILE.xml..." >&2; exit 99; }

status=0
if [ "$1" = "-f" ]; then
  shift
  for f in "$@"; do
    xmllint --noout --relaxng "$schema" "$f" || status=1
  done
  exit $status
fi

tmp=$(mktemp /tmp/mountdb-xml.XXXXXX) || exit 99
trap 'rm -f "$tmp"' EXIT
# Exit 8 (some hive unreadable) still gives a whole document: validate it.
"$MOUNTDB" show --format=xml "$@" > "$tmp"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 8 ]; then
  echo "ERROR: $MOUNTDB exited $rc" >&2
  exit 99
fi
xmllint --noout --relaxng "$schema" "$tmp" || status=1
exit $status
