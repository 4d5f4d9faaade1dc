#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages: each renders without a groff warning; mountdb(1)'s
# synopsis names every command of the CLI's command table (`mountdb
# --help`) with its operands (`mountdb CMD --help`); its RULES section
# defines every rule ID the sources cite; doc/rules.md leads from each
# of them to an existing function; and
# mountdb(3) names every function of mountdb.h.
. "${top_srcdir:-$(dirname "$0")/../..}/bin/tests/lib.sh"
pages="bin/mountdb.1 lib/mountdb.3 lib/mountdb-plan.5"
man1=$top_srcdir/bin/mountdb.1

# 1. Rendering, as a user's man would (UTF-8, 80 columns).
if command -v man >/dev/null && command -v groff >/dev/null; then
  for p in $pages; do
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$top_srcdir/$p" \
      2>"$TMP/warn" >"$TMP/page"
    if [ -s "$TMP/warn" ]; then fail "$p: groff warnings"; head -5 "$TMP/warn" | sed 's/^/    /'
    elif [ ! -s "$TMP/page" ]; then fail "$p: renders empty"
    else pass "$p: renders without warnings"; fi
  done
else
  skip "rendering: man or groff not installed (Debian: apt-get install man-db groff-base)"
fi

# 2. The synopsis names every command of the command table.
cmds=$("$MOUNTDB" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {exit} on {print $1}')
if [ -z "$cmds" ]; then fail "mountdb --help lists no command"; fi
synopsis=$(awk '/^\.SH SYNOPSIS/ {on = 1; next} on && /^\.SH/ {exit} on' "$man1")
for c in $cmds; do
  if printf '%s\n' "$synopsis" | grep -qE "^\.B mountdb $c\$"; then pass "synopsis: mountdb $c"
  else fail "synopsis lacks 'mountdb $c' (in mountdb --help)"; fi
  [ "$c" = help ] && continue # no row of the table: help COMMAND
  # ... and the operands of its row (the first line of `mountdb CMD
  # --help`), in order: the man page's entry as plain text, blanks removed.
  operands=$("$MOUNTDB" "$c" --help | sed -n "1s/^Usage: mountdb $c //p" \
    | sed -e 's/ (-o OUT | --in-place | --dry-run)//' -e 's/\[OPTION\]\.\.\.//' \
          -e 's/\.\.\.//g' | tr -d ' ')
  entry=$(printf '%s\n' "$synopsis" | awk -v c="$c" '$0 == ".B mountdb " c {on = 1; next}
    on && /^\.br/ {exit} on' \
    | sed -e 's/\\ *\.\\|\.\\|\.//g' -e 's/^\.[A-Z]* *//' -e 's/\\-/-/g' -e 's/\\[|&c]//g' -e 's/"//g' | tr -d ' \n')
  if [ -z "$operands" ]; then fail "mountdb $c --help: no operands in its usage line"
  elif case "$entry" in *"$operands"*) true;; *) false;; esac; then
    pass "synopsis: mountdb $c $operands"
  else fail "synopsis of $c lacks its operands '$operands' (mountdb $c --help)"; fi
done

# 3. Every rule ID cited in lib/ and bin/ is defined in RULES (an entry
# whose tag is the ID), so a user can look any of them up.
rules=$(awk '/^\.SH RULES/ {on = 1; next} on && /^\.SH/ {exit} on' "$man1")
ids=$(cat "$top_srcdir"/lib/*.[ch] "$top_srcdir"/bin/*.[ch] \
  | grep -ohE '\b(V1[0-4]|V[1-9]|W1[01]|W[1-9]|H[1-9]|F[1-7]|L[0-9]|R[1-9])\b' | sort -u)
[ -n "$ids" ] || fail "no rule ID found in the sources"
for id in $ids; do
  if printf '%s\n' "$rules" | grep -qE "^\.BR? $id( |\$)"; then pass "RULES defines $id"
  else fail "RULES lacks $id (cited in lib/ or bin/)"; fi
done

# 4. mountdb(3) names every function mountdb.h declares.
for f in $(grep -oE '\bmountdb_[a-z0-9_]+ \(' "$top_srcdir/lib/mountdb.h" | sed 's/ (//' | sort -u); do
  if grep -qE "\\b$f\\b" "$top_srcdir/lib/mountdb.3"; then pass "mountdb(3): $f"
  else fail "mountdb(3) lacks $f (declared in mountdb.h)"; fi
done

# 5. doc/rules.md leads from every rule ID of RULES to its code: a row
# per ID, and every file:function it names exists (a C function defined
# at the start of a line in that file; other files: the text appears).
table=$top_srcdir/doc/rules.md
for id in $(printf '%s\n' "$rules" | sed -nE 's/^\.BR? ([VWHLFR][0-9]+)( .*)?$/\1/p' | sort -u); do
  row=$(grep -E "^\| $id \|" "$table")
  if [ -z "$row" ]; then fail "doc/rules.md has no row for $id"; continue; fi
  if printf '%s\n' "$row" | grep -qE "^\| $id \| not (checked|done) \|"; then
    # Only a rule RULES itself marks as not checked or not done yet.
    if printf '%s\n' "$rules" | grep -A1 -E "^\.BR? $id( |\$)" | grep -qE 'not checked|not done'; then
      pass "doc/rules.md: $id is not implemented, as RULES says"
    else fail "doc/rules.md says $id is not implemented; RULES does not"; fi
    continue
  fi
  for ref in $(printf '%s\n' "$row" | grep -oE '`[a-z][^`:]*:[^`]+`' | tr -d '`' | tr ' ' '\001'); do
    ref=$(printf '%s' "$ref" | tr '\001' ' ')
    file=${ref%%:*} fn=${ref#*:}
    if [ ! -f "$top_srcdir/$file" ]; then fail "doc/rules.md ($id): no file $file"
    elif case $file in *.c) grep -qE "^$fn \(" "$top_srcdir/$file" ;; *) grep -qF "$fn" "$top_srcdir/$file" ;; esac
    then pass "doc/rules.md: $id -> $file:$fn"
    else fail "doc/rules.md ($id): $file defines no $fn"; fi
  done
done

finish
