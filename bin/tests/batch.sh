#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Batches (issue 14): --jobs gives the output of --jobs 1 and of separate
# runs, --files-from (newline and -0 lists, odd names, streaming from a
# pipe), unreadable hives in a list, usage errors, and the README's
# recipes: GNU parallel fanning a list out, Hadoop streaming / Spark
# pipe() (one path in, one JSONL line out).
. "${top_srcdir:-$(dirname "$0")/../..}/bin/tests/lib.sh"
cd "$FIXTURES" || exit 99   # relative paths keep outputs stable
PY=$(command -v python3 || true)

hives="sample.hive classes.hive shapes.hive case.hive hostile.hive types.hive
nokey.hive empty.hive dirty.hive badsum.hive big-value.hive multi.hive
layered.hive setup.hive win10.hive ntuser.hive"
# shellcheck disable=SC2086
set -- $hives

# 1. Every format: --jobs 2 and 3 print what --jobs 1 prints, byte for
# byte (stdout, stderr, exit status), an unreadable hive included.
for fmt in text json jsonl csv xml; do
  for j in 1 2 3; do
    run "jobs$j.$fmt" 12 "$MOUNTDB" check --format="$fmt" --jobs "$j" "$@" missing.hive
  done
  for j in 2 3; do
    if cmp -s "$TMP/jobs1.$fmt.out" "$TMP/jobs$j.$fmt.out" \
       && cmp -s "$TMP/jobs1.$fmt.err" "$TMP/jobs$j.$fmt.err"; then
      pass "$fmt: --jobs $j = --jobs 1"
    else fail "$fmt: --jobs $j differs from --jobs 1"
      diff "$TMP/jobs1.$fmt.out" "$TMP/jobs$j.$fmt.out" | head -5 | sed 's/^/    /'; fi
  done
done

# 2. jsonl of a batch = separate runs concatenated.
for fmt in jsonl; do
  : > "$TMP/sep.$fmt"
  for h in "$@" missing.hive; do "$MOUNTDB" check --format="$fmt" "$h" >> "$TMP/sep.$fmt" 2>/dev/null; done
  if cmp -s "$TMP/sep.$fmt" "$TMP/jobs2.$fmt.out"; then pass "$fmt: --jobs 2 = separate runs concatenated"
  else fail "$fmt: --jobs 2 differs from separate runs"; fi
done
# The error names the hive, and comes in input order.
if grep -q "missing.hive: cannot open" "$TMP/jobs2.jsonl.err"; then pass "error names the missing hive"
else fail "no error naming missing.hive"; fi

# 3. --files-from: a list file, standard input, -0; empty lines skipped.
printf '%s\n' "$@" "" missing.hive > "$TMP/list"
run from-file 12 "$MOUNTDB" check --format=jsonl --files-from "$TMP/list"
run from-stdin 12 "$MOUNTDB" check --format=jsonl --files-from - < "$TMP/list"
for n in from-file from-stdin; do
  if cmp -s "$TMP/jobs1.jsonl.out" "$TMP/$n.out" && cmp -s "$TMP/jobs1.jsonl.err" "$TMP/$n.err"
  then pass "$n: = the same hives as operands"
  else fail "$n: differs from the same hives as operands"; fi
done
# Odd names: a space, a newline (only -0 can carry it), a leading dash.
odd=$TMP/odd
mkdir -p "$odd"
cp sample.hive "$odd/a b.hive"; cp multi.hive "$odd/new
line.hive"; cp case.hive "$odd/-dash.hive"
printf '%s\0' "$odd/a b.hive" "$odd/new
line.hive" "$odd/-dash.hive" > "$TMP/list0"
run null 0 "$MOUNTDB" show --no-hash --format=jsonl -0 --files-from "$TMP/list0" -j 2
run null-ops 0 "$MOUNTDB" show --no-hash --format=jsonl -- "$odd/a b.hive" "$odd/new
line.hive" "$odd/-dash.hive"
if cmp -s "$TMP/null.out" "$TMP/null-ops.out"; then pass "-0: odd names read exactly"
else fail "-0: output differs from the names as operands"; fi
# A long list: the window of names refills many times (the reader waits
# until half of it is free), workers wait for names and for their turn;
# any --jobs prints what --jobs 1 prints, in every format.
for ((i = 0; i < 25; i++)); do printf '%s\n' "$@" missing.hive; done > "$TMP/long"
for fmt in jsonl text; do
  run "long1.$fmt" 12 "$MOUNTDB" check --format="$fmt" --no-hash --jobs 1 --files-from "$TMP/long"
  for j in 2 5; do
    run "long$j.$fmt" 12 "$MOUNTDB" check --format="$fmt" --no-hash --jobs "$j" --files-from "$TMP/long"
    if cmp -s "$TMP/long1.$fmt.out" "$TMP/long$j.$fmt.out" \
       && cmp -s "$TMP/long1.$fmt.err" "$TMP/long$j.$fmt.err"; then
      pass "$fmt: $(wc -l < "$TMP/long") names, --jobs $j = --jobs 1"
    else fail "$fmt: long list, --jobs $j differs from --jobs 1"; fi
  done
done
if [ "$(grep -c '"path"' "$TMP/long2.jsonl.out")" -ge 400 ]; then pass "jsonl: every name of the long list has its document"
else fail "jsonl: documents missing from the long list"; fi
# A list is always an array in JSON (its length is unknown up front).
printf 'sample.hive\n' | "$MOUNTDB" show --format=json --files-from - > "$TMP/one.json"
if [ "$(head -c 1 "$TMP/one.json")" = "[" ]; then pass "json of a list of one: an array"
else fail "json of a list of one is not an array"; fi

# 4. Bad lists and usage.
run no-list 8 "$MOUNTDB" show --files-from "$TMP/no-such-list"
contains no-list err "no-such-list: cannot read the list of hives"
run both 16 "$MOUNTDB" show --files-from "$TMP/list" sample.hive
run null-alone 16 "$MOUNTDB" show -0 sample.hive
run jobs-0 16 "$MOUNTDB" show --jobs 0 sample.hive
run jobs-x 16 "$MOUNTDB" show --jobs=2x sample.hive
printf -- '-\nsample.hive\n' > "$TMP/dash"
run dash-in-stdin-list 8 "$MOUNTDB" show --format=jsonl --files-from - < "$TMP/dash"
contains dash-in-stdin-list err "standard input holds the list"
if [ "$(wc -l < "$TMP/dash-in-stdin-list.out")" -eq 2 ]; then pass "dash in a list on stdin: refused, the rest shown"
else fail "dash in a list on stdin: expected 2 lines"; fi
# No progress line when stderr is not a terminal.
run quiet-pipe 0 "$MOUNTDB" show --format=jsonl --no-hash sample.hive multi.hive
empty quiet-pipe err
# On a terminal: "N/TOTAL hives", cleared at the end; --quiet: nothing.
if command -v script >/dev/null; then
  script -qec "'$MOUNTDB' show --format=jsonl --no-hash sample.hive multi.hive >/dev/null" /dev/null > "$TMP/tty" 2>&1
  script -qec "'$MOUNTDB' show -q --format=jsonl --no-hash sample.hive multi.hive >/dev/null" /dev/null > "$TMP/tty-q" 2>&1
  if grep -q "show: 2/2 hives" "$TMP/tty" && [ ! -s "$TMP/tty-q" ]; then pass "progress line on a terminal, none with --quiet"
  else fail "progress line: not as expected"; od -c "$TMP/tty" | head -3 | sed 's/^/    /'; fi
else
  skip "progress line: script(1) not installed"
fi

# 5. Streaming (Hadoop streaming, Spark pipe()): a path in, its line out,
# before the next path is written.
coproc MD { "$MOUNTDB" show --format=jsonl --no-hash --files-from - --jobs 2 2>"$TMP/stream.err"; }
md_pid=$MD_PID
ok=1
for h in sample.hive missing.hive multi.hive; do
  echo "$h" >&"${MD[1]}"
  if ! IFS= read -r -t 20 line <&"${MD[0]}" || ! printf '%s' "$line" | grep -q "\"path\":\"$h\""; then
    ok=0; break
  fi
done
exec {MD[1]}>&-
wait "$md_pid" 2>/dev/null
if [ "$ok" = 1 ]; then pass "--files-from -: each line's output comes before the next line is read"
else fail "--files-from -: no output for '$h' before the next input"; fi

# 6. README's recipes on localhost.  GNU parallel: the list split in
# chunks of 3 over 2 local jobs, output kept in order (-k), merged JSONL
# equal to one run; Spark pipe() / Hadoop streaming: one JSONL line per
# path, a bad one included.
if command -v parallel >/dev/null; then
  parallel --will-cite -k --pipe -N 3 -j 2 "$MOUNTDB" check --format=jsonl --files-from - \
    < "$TMP/list" > "$TMP/parallel.out" 2>/dev/null
  if cmp -s "$TMP/parallel.out" "$TMP/from-file.out"; then pass "GNU parallel --pipe: merged JSONL = one run"
  else fail "GNU parallel --pipe: merged JSONL differs from one run"; fi
else
  skip "GNU parallel recipe: parallel not installed (Debian: apt-get install parallel)"
fi
n_in=$(grep -c . "$TMP/list")
n_out=$("$MOUNTDB" show --format=jsonl --no-hash --files-from - < "$TMP/list" 2>/dev/null | wc -l)
if [ "$n_in" -eq "$n_out" ]; then pass "pipe(): $n_in paths in, $n_out JSONL lines out"
else fail "pipe(): $n_in paths in, $n_out JSONL lines out"; fi

# 7. A failing output stops the batch: exit 8, no crash, no hang.
"$MOUNTDB" show --jobs 2 "$@" >/dev/full 2>"$TMP/full.err"; st=$?
if [ "$st" -eq 8 ]; then pass "stdout full: exit 8"; else fail "stdout full: exit $st"; fi

# 8. devices over many SYSTEM hives (issue 14 names show|check|devices):
# the same loop, so the same guarantees.
dev="dev-win10.hive dev-xp.hive dev-nousbstor.hive dev-hostile.hive sample.hive"
# shellcheck disable=SC2086
set -- $dev
for fmt in text json jsonl csv xml; do
  for j in 1 2; do
    run "dev-jobs$j.$fmt" 12 "$MOUNTDB" devices --format="$fmt" --jobs "$j" "$@" missing.hive dev-user.hive
  done
  if cmp -s "$TMP/dev-jobs1.$fmt.out" "$TMP/dev-jobs2.$fmt.out" \
     && cmp -s "$TMP/dev-jobs1.$fmt.err" "$TMP/dev-jobs2.$fmt.err"; then
    pass "devices $fmt: --jobs 2 = --jobs 1"
  else fail "devices $fmt: --jobs 2 differs from --jobs 1"; fi
done
# jsonl of N hives = the single runs concatenated, the bad ones (an
# unreadable hive, a user hive given as SYSTEM) in their place.
: > "$TMP/dev-sep.jsonl"; : > "$TMP/dev-sep.err"
for h in "$@" missing.hive dev-user.hive; do
  "$MOUNTDB" devices --format=jsonl "$h" >> "$TMP/dev-sep.jsonl" 2>>"$TMP/dev-sep.err"
done
if cmp -s "$TMP/dev-sep.jsonl" "$TMP/dev-jobs2.jsonl.out"; then pass "devices jsonl: --jobs 2 = separate runs concatenated"
else fail "devices jsonl: --jobs 2 differs from separate runs"; fi
if cmp -s "$TMP/dev-sep.err" "$TMP/dev-jobs2.jsonl.err"; then pass "devices: messages in input order, as separate runs give them"
else fail "devices: messages differ from separate runs"; fi
if [ "$(wc -l < "$TMP/dev-jobs2.jsonl.out")" -eq 7 ]; then pass "devices jsonl: 7 hives, 7 lines"
else fail "devices jsonl: not 7 lines"; fi
contains dev-jobs2.jsonl err "missing.hive: cannot open"
contains dev-jobs2.jsonl err "dev-user.hive: a user hive (NTUSER.DAT), not a SYSTEM hive"
if [ -n "$PY" ]; then
  if $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list) and len(d) == 7
assert [x.get("command") for x in d[:5]] == ["devices"] * 5
assert [x["hives"][0]["path"] for x in d[:5]] == sys.argv[2].split()
assert d[5]["hive"]["path"] == "missing.hive" and d[5]["error"]["code"] == "io"
assert d[6]["hive"]["path"] == "dev-user.hive" and d[6]["error"]["code"] == "refused"
' "$TMP/dev-jobs2.json.out" "$dev" 2>"$TMP/py.err"; then pass "devices json: an array, input order, error documents in place"
  else fail "devices json: array"; tail -3 "$TMP/py.err" | sed 's/^/    /'; fi
  if $PY -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0][0] == "record" and sum(r[0] == "record" for r in rows) == 1
assert all(len(r) == len(rows[0]) for r in rows)
err = [r for r in rows if r[0] == "error"]
assert [r[-2] for r in err] == ["missing.hive", "dev-user.hive"], err
' "$TMP/dev-jobs2.csv.out" 2>"$TMP/py.err"; then pass "devices csv: one header, error rows, one shape"
  else fail "devices csv"; tail -3 "$TMP/py.err" | sed 's/^/    /'; fi
else skip "devices json/csv structure: python3 not installed"; fi
if command -v xmllint >/dev/null; then
  if xmllint --noout --relaxng "$top_srcdir/bin/mountdb.rng" "$TMP/dev-jobs2.xml.out" 2>"$TMP/xmllint.err" \
     && [ "$(grep -c '<devices ' "$TMP/dev-jobs2.xml.out")" -eq 5 ] \
     && [ "$(grep -c '<error ' "$TMP/dev-jobs2.xml.out")" -eq 2 ]; then
    pass "devices xml: one document, 5 <devices>, 2 <error>, valid"
  else fail "devices xml: not as expected"; head -3 "$TMP/xmllint.err" | sed 's/^/    /'; fi
else skip "devices xml: xmllint not installed"; fi
# Text: each hive's block as a single run gives it, a blank line between.
: > "$TMP/dev-sep.text"
for h in "$@"; do
  [ -s "$TMP/dev-sep.text" ] && echo >> "$TMP/dev-sep.text"
  "$MOUNTDB" devices "$h" >> "$TMP/dev-sep.text" 2>/dev/null
done
if cmp -s "$TMP/dev-sep.text" "$TMP/dev-jobs1.text.out"; then pass "devices text: the single runs' blocks"
else fail "devices text: differs from the single runs"; fi
# --files-from with -0, and from standard input.
printf '%s\0' "$@" > "$TMP/dev-list0"
run dev-null 0 "$MOUNTDB" devices --format=jsonl -0 --files-from "$TMP/dev-list0" -j 2
run dev-ops 0 "$MOUNTDB" devices --format=jsonl "$@"
if cmp -s "$TMP/dev-null.out" "$TMP/dev-ops.out"; then pass "devices -0 --files-from = the hives as operands"
else fail "devices -0 --files-from differs"; fi
printf '%s\n' "$@" | "$MOUNTDB" devices --format=jsonl --files-from - > "$TMP/dev-stdin.out" 2>/dev/null
if cmp -s "$TMP/dev-stdin.out" "$TMP/dev-ops.out"; then pass "devices --files-from -: = the hives as operands"
else fail "devices --files-from - differs"; fi
# Usage.
run dev-both 16 "$MOUNTDB" devices --files-from "$TMP/dev-list0" sample.hive
run dev-null-alone 16 "$MOUNTDB" devices -0 sample.hive
run dev-user-many 16 "$MOUNTDB" devices --user dev-user.hive dev-win10.hive dev-xp.hive
contains dev-user-many err "give one SYSTEM hive with them"
run dev-log-many 16 "$MOUNTDB" devices --log x.LOG1 dev-win10.hive dev-xp.hive
if command -v script >/dev/null; then
  script -qec "'$MOUNTDB' devices --format=jsonl --no-hash dev-win10.hive dev-xp.hive >/dev/null" /dev/null > "$TMP/dev-tty" 2>&1
  script -qec "'$MOUNTDB' devices --quiet --format=jsonl --no-hash dev-win10.hive dev-xp.hive >/dev/null" /dev/null > "$TMP/dev-tty-q" 2>&1
  if grep -q "devices: 2/2 hives" "$TMP/dev-tty" && [ ! -s "$TMP/dev-tty-q" ]; then pass "devices: progress line on a terminal, none with --quiet"
  else fail "devices: progress line not as expected"; fi
else skip "devices progress line: script(1) not installed"; fi

finish
