#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The installed library has no fault-injection hooks (issue 12.4): none of
# their symbols in the shared or static libmountdb (hidden ones included,
# not only the dynamic table) and none of their step prefixes in its
# bytes.  The test build (libmountdb-fault) must have them, which shows
# the check can see them.
b=${top_builddir:-.}/lib/.libs
hooks='md_write_set_fault|md_fault_fail_here|md_fault_crash_here|md_fault_is'
command -v nm >/dev/null || { echo "SKIP: no nm"; exit 77; }
rc=0 n=0
for f in "$b/libmountdb.so" "$b/libmountdb.a"; do
  [ -e "$f" ] || continue
  n=$((n + 1))
  if { nm "$f" 2>/dev/null; nm -D "$f" 2>/dev/null; } | grep -Eq "$hooks"; then
    echo "FAIL: $f has fault-injection symbols:"
    { nm "$f" 2>/dev/null; nm -D "$f" 2>/dev/null; } | grep -E "$hooks" | sort -u
    rc=1
  elif grep -aqE 'kill_after_|crash_after_' "$f"; then
    echo "FAIL: $f holds the fault hooks' step names"
    rc=1
  else
    echo "ok: $f has no fault hooks"
  fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no libmountdb built in $b"; exit 1; }
t=$b/libmountdb-fault.a
if [ -e "$t" ]; then
  if nm "$t" 2>/dev/null | grep -q ' T md_write_set_fault$'; then
    echo "ok: the test build $t has them"
  else
    echo "FAIL: the test build $t lacks md_write_set_fault"
    rc=1
  fi
fi
exit $rc
