# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for CLI tests (sourced).  Each check prints one line; the
# script ends with "N passed, N failed, N skipped" and exits 1 on any failure.
set -u
: "${MOUNTDB:?run through make check, or set MOUNTDB}"
: "${FIXTURES:?run through make check, or set FIXTURES}"
: "${top_srcdir:?}"
EXPECTED="$top_srcdir/bin/tests/expected"
TMP=$(mktemp -d /tmp/mountdb-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
npass=0
nfail=0
nskip=0

pass () { npass=$((npass + 1)); echo "ok   $*"; }
fail () { nfail=$((nfail + 1)); echo "FAIL $*"; }
# skip WHAT: checks that cannot run here (missing tool or data), said and counted
skip () { nskip=$((nskip + 1)); echo "SKIP $*"; }

# run NAME EXPECTED_STATUS CMD...: stdout to $TMP/NAME.out, stderr to .err
run () {
  local name=$1 want=$2; shift 2
  "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
  local got=$?
  if [ "$got" -eq "$want" ]; then pass "$name: exit $got"
  else fail "$name: exit $got, expected $want"; sed 's/^/    /' "$TMP/$name.err" | head -5; fi
}

# golden NAME FILE: compare whole output with expected/FILE
# (UPDATE_EXPECTED=1 rewrites the expected file instead).
golden () {
  local name=$1 file=$2
  if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
    cp "$TMP/$name.out" "$EXPECTED/$file"; pass "$name: expected/$file updated"; return
  fi
  if cmp -s "$TMP/$name.out" "$EXPECTED/$file"; then pass "$name: output = expected/$file"
  else fail "$name: output differs from expected/$file"
       diff -u "$EXPECTED/$file" "$TMP/$name.out" | head -20 | sed 's/^/    /'; fi
}

# golden_as NAME FILE BASE FRESH SAME: a golden kept only where it differs.
# Where the output of NAME is SAME as expected/BASE (another test's golden),
# expected/FILE does not exist and the output is compared with BASE; where it
# is not, expected/FILE holds it and golden compares.  SAME is a command
# comparing two files: cmp -s (byte-identical) or json_same.
# UPDATE_EXPECTED=1 writes FILE when the output is not SAME as FRESH (this
# run's output for BASE: not BASE itself, which a test running in parallel
# may be rewriting) and deletes it when it is.
golden_as () {
  local name=$1 file=$2 base=$3 fresh=$4 same=$5
  if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
    if [ -e "$fresh" ] && $same "$TMP/$name.out" "$fresh"; then
      rm -f "$EXPECTED/$file"; pass "$name: same as expected/$base (no expected/$file)"
    else cp "$TMP/$name.out" "$EXPECTED/$file"; pass "$name: expected/$file updated"; fi
    return
  fi
  if [ -e "$EXPECTED/$file" ]; then golden "$name" "$file"
  elif $same "$TMP/$name.out" "$EXPECTED/$base"; then
    pass "$name: output = expected/$base ($same)"
  else fail "$name: output differs from expected/$base ($same; no expected/$file)"
       diff -u "$EXPECTED/$base" "$TMP/$name.out" | head -20 | sed 's/^/    /'; fi
}

# json_same A B: A is one JSON document on one line, B the same document
# (members in the same order), however B is laid out.
json_same () {
  python3 -c '
import json, sys
a = open(sys.argv[1], encoding="utf-8").read()
if not a.endswith("\n") or a.count("\n") != 1:
    sys.exit(1)
keep = lambda pairs: pairs  # order and repeated members count
b = json.load(open(sys.argv[2], encoding="utf-8"), object_pairs_hook=keep)
sys.exit(0 if json.loads(a, object_pairs_hook=keep) == b else 1)
' "$1" "$2" 2>/dev/null
}

# contains NAME STREAM TEXT: the out/err of run NAME contains TEXT
contains () {
  if grep -qF -- "$3" "$TMP/$1.$2"; then pass "$1: $2 mentions '$3'"
  else fail "$1: $2 lacks '$3'"; head -5 "$TMP/$1.$2" | sed 's/^/    /'; fi
}

empty () {
  if [ ! -s "$TMP/$1.$2" ]; then pass "$1: $2 is empty"
  else fail "$1: $2 is not empty"; head -3 "$TMP/$1.$2" | sed 's/^/    /'; fi
}

finish () {
  echo "$npass passed, $nfail failed, $nskip skipped"
  [ "$nfail" -eq 0 ]
}
