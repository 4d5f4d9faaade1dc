#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The library's ABI: lib/libmountdb.sym lists every symbol explicitly (no
# pattern); the shared library exports exactly those, each in the node
# that lists it; mountdb.h declares exactly those functions; and the
# static archive defines no global symbol but those (md_* stay inside).
. "${top_srcdir:-$(dirname "$0")/../..}/bin/tests/lib.sh"
: "${top_builddir:?}"
NM=${ABI_NM:-nm}
CC=${ABI_CC:-cc}
sym=$top_srcdir/lib/libmountdb.sym
so=$top_builddir/lib/.libs/libmountdb.so
ar=$top_builddir/lib/.libs/libmountdb.a

# The .sym file, comments dropped: "NODE SYMBOL" per listed symbol, and
# every pattern in a global section (there must be none).
sed -e 's:/\*.*\*/::' -e '/\/\*/,/\*\//d' "$sym" | awk '
  /^ *[A-Za-z0-9_.]+ *\{/ { node = $1; sub(/\{.*/, "", node); section = ""; next }
  /global:/ { section = "global"; next }
  /local:/ { section = "local"; next }
  /^ *}/ { section = ""; next }
  section == "global" && /;/ {
    s = $0; gsub(/[ \t;]/, "", s)
    if (s ~ /[*?\[]/) print "PATTERN", s; else print node, s
  }' >"$TMP/listed"
if grep -q '^PATTERN' "$TMP/listed"; then
  fail "libmountdb.sym exports by pattern: $(grep '^PATTERN' "$TMP/listed" | cut -d' ' -f2 | tr '\n' ' ')"
else pass "libmountdb.sym lists every symbol explicitly"; fi
[ -s "$TMP/listed" ] || fail "libmountdb.sym lists no symbol"
cut -d' ' -f2 "$TMP/listed" | sort >"$TMP/listed.names"
dups=$(uniq -d "$TMP/listed.names")
if [ -z "$dups" ]; then pass "libmountdb.sym lists each symbol once"
else fail "libmountdb.sym lists twice: $dups"; fi

# The functions mountdb.h declares (after the preprocessor: no comments,
# no macros).
if $CC -E -P -I"$top_builddir/lib" "$top_srcdir/lib/mountdb.h" >"$TMP/h.i" 2>"$TMP/h.err"; then
  grep -oE '\bmountdb_[a-z0-9_]+ *\(' "$TMP/h.i" | sed 's/ *(//' | sort -u >"$TMP/declared"
  pass "mountdb.h preprocesses ($(wc -l <"$TMP/declared") functions)"
else
  fail "cannot preprocess mountdb.h with $CC"; sed 's/^/    /' "$TMP/h.err" | head -5
  : >"$TMP/declared"
fi

# compare WHAT A B: the sorted lists A and B are equal (names each side lacks).
compare () {
  local what=$1 a=$2 b=$3
  local only_a only_b
  only_a=$(comm -23 "$a" "$b" | tr '\n' ' ')
  only_b=$(comm -13 "$a" "$b" | tr '\n' ' ')
  if [ -z "$only_a$only_b" ]; then pass "$what"
  else fail "$what: only in the first: ${only_a:-none}; only in the second: ${only_b:-none}"; fi
}
compare "libmountdb.sym = functions declared in mountdb.h" "$TMP/listed.names" "$TMP/declared"

# The shared library: defined dynamic symbols, "NAME VERSION".
if [ -e "$so" ]; then
  $NM -D --defined-only "$so" | awk '$2 != "A" {
      n = $3; v = n; sub(/@.*/, "", n); sub(/^[^@]*@*/, "", v); print n, v }' \
    | sort >"$TMP/exported"
  cut -d' ' -f1 "$TMP/exported" | sort -u >"$TMP/exported.names"
  compare "nm -D libmountdb.so = libmountdb.sym" "$TMP/exported.names" "$TMP/listed.names"
  awk '{ print $2, $1 }' "$TMP/listed" | sort >"$TMP/listed.byname"
  if cmp -s "$TMP/exported" "$TMP/listed.byname"; then
    pass "each symbol is exported in the version node that lists it"
  else
    fail "symbol versions differ from libmountdb.sym"
    diff "$TMP/listed.byname" "$TMP/exported" | head -5 | sed 's/^/    /'
  fi
else
  skip "no shared library ($so): --disable-shared"
fi

# The static archive: global definitions only for the listed symbols.
if [ -e "$ar" ]; then
  $NM -g --defined-only "$ar" 2>/dev/null | awk 'NF >= 3 { print $3 }' | sort -u >"$TMP/static"
  leaked=$(comm -23 "$TMP/static" "$TMP/listed.names" | tr '\n' ' ')
  if [ -z "$leaked" ]; then pass "libmountdb.a defines no global symbol but libmountdb.sym's"
  else fail "libmountdb.a defines $(comm -23 "$TMP/static" "$TMP/listed.names" | wc -l) global symbols libmountdb.sym does not list: ${leaked:0:300}"; fi
  compare "libmountdb.a defines every listed symbol" "$TMP/listed.names" \
    <(comm -12 "$TMP/static" "$TMP/listed.names")
  # A program linked statically may use the library's internal names.
  cat >"$TMP/st.c" <<'EOF2'
#include <stdio.h>
#include "mountdb.h"
int md_error (void);
int md_error (void) { return 7; }
int
main (int argc, char **argv)
{
  mountdb *db;
  mountdb_error err;
  if (argc < 2 || mountdb_open (argv[1], 0, &db, &err) != 0)
    return 2;
  printf ("%zu\n", mountdb_entry_count (db));
  mountdb_close (db);
  return md_error () == 7 ? 0 : 1;
}
EOF2
  # shellcheck disable=SC2086 # ABI_LIBS is a list of flags
  if $CC -I"$top_srcdir/lib" -I"$top_builddir/lib" "$TMP/st.c" "$ar" ${ABI_LIBS:-} \
       -o "$TMP/st" 2>"$TMP/st.err"; then
    run static-link 0 "$TMP/st" "$FIXTURES/sample.hive"
    contains static-link out "14"
  else
    fail "a program defining md_error does not link with libmountdb.a"
    sed 's/^/    /' "$TMP/st.err" | head -5
  fi
else
  skip "no static library ($ar): --disable-static"
fi

finish
