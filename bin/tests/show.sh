#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mountdb show: whole outputs in every format against expected files, exit
# codes, bad input, and escaping of hostile names.
. "${top_srcdir:-$(dirname "$0")/../..}/bin/tests/lib.sh"
cd "$FIXTURES" || exit 99   # relative paths keep outputs stable

fixtures="sample classes shapes case hostile types nokey empty dirty badsum big-value multi layered setup win10"
formats="text json jsonl csv xml"

# 1. Whole outputs, every fixture, every format.  A jsonl output is the
# json document on one line: it is compared with the json golden, parsed
# (expected/X.jsonl exists only where the two differ).
for f in $fixtures; do
  for fmt in $formats; do
    run "$f.$fmt" 0 "$MOUNTDB" show --format="$fmt" "$f.hive"
    if [ "$fmt" != jsonl ]; then golden "$f.$fmt" "$f.$fmt"
    elif command -v python3 >/dev/null || [ -e "$EXPECTED/$f.jsonl" ]; then
      golden_as "$f.jsonl" "$f.jsonl" "$f.json" "$TMP/$f.json.out" json_same
    else skip "$f.jsonl: python3 not installed to compare it with expected/$f.json"; fi
  done
done

# 2. Structured outputs parse, and XML follows the shipped RELAX NG schema.
# JSON is checked with Python: jq 1.6 (Debian 12) rejects the \udXXX escapes
# that keep unpaired surrogates in names exact.
json_ok () { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if (d["schema"] if isinstance(d, dict) else 1) == 1 else 1)' "$1" 2>/dev/null; }
jsonl_ok () { python3 -c 'import json,sys; l=open(sys.argv[1]).read().split("\n"); assert l[-1] == "" and len(l) == 2; json.loads(l[0])' "$1" 2>/dev/null; }
if command -v python3 >/dev/null; then
  for f in $fixtures; do
    if json_ok "$TMP/$f.json.out"; then pass "$f.json: valid JSON, schema 1"
    else fail "$f.json: not valid schema-1 JSON"; fi
    if jsonl_ok "$TMP/$f.jsonl.out"; then pass "$f.jsonl: one line, one document"
    else fail "$f.jsonl: not one document on one line"; fi
  done
else
  skip "JSON validity checks: python3 not installed"
fi
if command -v xmllint >/dev/null; then
  for f in $fixtures; do
    if xmllint --noout --relaxng "$top_srcdir/bin/mountdb.rng" "$TMP/$f.xml.out" 2>"$TMP/xmllint.err"; then
      pass "$f.xml: valid against mountdb.rng"
    else fail "$f.xml: invalid"; head -5 "$TMP/xmllint.err" | sed 's/^/    /'; fi
  done
  # A batch with an unreadable hive (exit 8) is still one valid document.
  run batch.xml 8 "$MOUNTDB" show --format=xml sample.hive does-not-exist.hive multi.hive
  if xmllint --noout --relaxng "$top_srcdir/bin/mountdb.rng" "$TMP/batch.xml.out" 2>"$TMP/xmllint.err"; then
    pass "batch.xml: one document valid against mountdb.rng"
  else fail "batch.xml: invalid"; head -5 "$TMP/xmllint.err" | sed 's/^/    /'; fi
else
  skip "XML schema checks: xmllint not installed"
fi

# 3. Hostile names stay escaped: no raw control characters in any format.
for fmt in $formats; do
  if LC_ALL=C grep -qP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]' "$TMP/hostile.$fmt.out"; then
    fail "hostile.$fmt: raw control characters in the output"
  else pass "hostile.$fmt: no raw control characters"; fi
done
# Names round-trip exactly: a lone surrogate comes back as itself.
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = [e["name"] for e in d["entries"]]
assert any("\ud800" in n or "\udc00" in n for n in names), "no lone surrogate kept"
' "$TMP/hostile.json.out"; then pass "hostile.json: names parse back, lone surrogates exact"
else fail "hostile.json: names do not parse back exactly"; fi
if grep -q "^'=cmd\|,'=cmd\|\"'=cmd" "$TMP/hostile.csv.out"; then pass "hostile.csv: formula cell neutralised"
else fail "hostile.csv: formula cell not neutralised"; fi

# 4. Several hives: one JSON array; jsonl goes on past a bad hive (exit 8).
run two.json 0 "$MOUNTDB" show --format=json sample.hive multi.hive
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d, list) and len(d) == 2' "$TMP/two.json.out"; then
  pass "two.json: an array of 2 documents"
else fail "two.json: not an array of 2"; fi
# --json-array: the array shape for one hive too (one shape for scripts).
run one-array.json 0 "$MOUNTDB" show --format=json --json-array sample.hive
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d, list) and len(d) == 1 and d[0]["schema"] == 1' "$TMP/one-array.json.out"; then
  pass "one-array.json: an array of 1 document"
else fail "one-array.json: not an array of 1"; fi
# CSV carries what examiners need (issue 9 item 11): device identity, v1
# GUID time and node, the key's LastWrite and the input's SHA-256.
if python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
usb = [r for r in rows if r["name"] == "\\DosDevices\\F:"][0]
assert (usb["vendor"], usb["product"], usb["serial"]) == ("SanDisk", "Cruzer Blade", "4C530001230520116453"), usb
g = [r for r in rows if r["guid"] == "3f2b7a10-c2d5-11ee-a9b7-a4bb6d51c2e0"][0]
assert g["guid_time"] == "2024-02-03T20:46:03.8700560Z" and g["guid_node"] == "a4:bb:6d:51:c2:e0" and g["guid_node_kind"] == "mac", g
assert all(r["key_last_written"] == "2023-03-14T09:26:51.0361224Z" for r in rows)
assert all(r["sha256"] == "8c2a980bf8ef8625c8f8f91a254cbdc5a2c9ebdc8e617ea5c7cabaf120917265" for r in rows)
' "$TMP/sample.csv.out"; then pass "sample.csv: vendor, product, serial, guid time and node, key LastWrite, sha256"
else fail "sample.csv: examiner columns missing or wrong"; fi
contains sample.text out "2024-02-03T20:46:03.8700560Z  a4:bb:6d:51:c2:e0 (MAC)"
run batch.jsonl 8 "$MOUNTDB" show --format=jsonl sample.hive does-not-exist.hive multi.hive
if [ "$(wc -l < "$TMP/batch.jsonl.out")" -eq 3 ]; then pass "batch.jsonl: 3 lines, batch went on"
else fail "batch.jsonl: expected 3 lines"; fi
contains batch.jsonl out '"error":{"code":"io"'
contains batch.jsonl err 'does-not-exist.hive'

# 5. Bad input: a clear message naming the file, exit 8, no partial output.
printf 'regf' > "$TMP/short.hive"
head -c 4096 sample.hive > "$TMP/header-only.hive"
mkfifo "$TMP/fifo"
ln -s "$FIXTURES/sample.hive" "$TMP/link.hive"
for bad in "$TMP/short.hive" "$TMP/header-only.hive" "$TMP/fifo" "$TMP/link.hive" "$TMP" /nonexistent; do
  n=bad-$(basename "$bad")
  run "$n" 8 timeout 10 "$MOUNTDB" show "$bad"
  contains "$n" err "$bad"
  empty "$n" out
done
run link-reason 8 "$MOUNTDB" show "$TMP/link.hive"
contains link-reason err "symbolic link"

# 6. Usage errors: exit 16 and a hint.
run no-args 16 "$MOUNTDB"
run no-hive 16 "$MOUNTDB" show
run bad-format 16 "$MOUNTDB" show --format=yaml sample.hive
contains bad-format err "unknown format 'yaml'"
run bad-option 16 "$MOUNTDB" show --frobnicate sample.hive
run bad-command 16 "$MOUNTDB" frobnicate
contains bad-command err "unknown command"

# 7. Help and version.
run help 0 "$MOUNTDB" --help
contains help out "show"
run show-help 0 "$MOUNTDB" show --help
contains show-help out "--format"
run help-show 0 "$MOUNTDB" help show
run version 0 "$MOUNTDB" --version
contains version out "mountdb "
run version-after-show 0 "$MOUNTDB" show --version
contains version-after-show out "mountdb "
run help-after-show 0 "$MOUNTDB" show sample.hive --help
contains help-after-show out "Usage: mountdb show"

# 8. Options may stand anywhere; --no-hash drops only the hash.
run anywhere 0 "$MOUNTDB" show sample.hive --format json --no-hash
if python3 -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["hive"]["sha256"] is None and b["hive"]["sha256"]
del a["hive"]["sha256"], b["hive"]["sha256"]
assert a == b
' "$TMP/anywhere.out" "$TMP/sample.json.out"; then pass "no-hash: sha256 null, same document otherwise"
else fail "no-hash: sha256 not null or documents differ"; fi

# 9. --unsafe is marked in every output.
run unsafe.json 0 "$MOUNTDB" show --unsafe --format=json sample.hive
contains unsafe.json out '"unsafe": true'
run unsafe.text 0 "$MOUNTDB" show --unsafe sample.hive
contains unsafe.text out "UNSAFE"
run unsafe.csv 0 "$MOUNTDB" show --unsafe --format=csv sample.hive
contains unsafe.csv out "unsafe"
run unsafe.xml 0 "$MOUNTDB" show --unsafe --format=xml sample.hive
contains unsafe.xml out 'unsafe="true"'

# 10. Dirty hives are analysed with a warning.
run dirty.text 0 "$MOUNTDB" show dirty.hive
contains dirty.text out "logs were not applied"

# 11. Evidence: show never changes its input.
before=$(stat -c '%s %Y %Z %X' sample.hive; sha256sum < sample.hive)
"$MOUNTDB" show --format=json sample.hive >/dev/null
after=$(stat -c '%s %Y %Z %X' sample.hive; sha256sum < sample.hive)
if [ "$before" = "$after" ]; then pass "evidence: sample.hive unchanged (size, times, bytes)"
else fail "evidence: sample.hive changed"; fi

# 12. A closed stdout is an error, not a crash.
"$MOUNTDB" show sample.hive >/dev/full 2>"$TMP/full.err"; st=$?
if [ "$st" -eq 8 ]; then pass "stdout full: exit 8"; else fail "stdout full: exit $st"; fi

# 13. A document past 2 MiB streams (batch.c): complete when the write
# succeeds; on a write error mid-document, exit 8, a message, and what was
# written is a prefix of the document (mountdb(1), OUTPUT FORMATS).  An
# 800000-byte value makes about 3 MB of JSON.
mkhive=${top_builddir:-.}/testdata/mkhive
cat > "$TMP/stream.desc" <<'DESC'
embedded-name  SYSTEM
key \Select
  value Current dword 1
key \ControlSet001\Services\mountmgr
key \MountedDevices
  value "\DosDevices\C:" binary mbr 2e3f4a5b 1048576
  value "\??\Volume{3c2d1e00-83b4-11e2-a1f0-806e6f6e6963}" binary random 800000 7
DESC
if "$mkhive" "$TMP/stream.desc" "$TMP/stream.hive" >/dev/null; then
  "$MOUNTDB" show --format=json --no-hash "$TMP/stream.hive" >"$TMP/stream.json" 2>"$TMP/stream.err"; st=$?
  size=$(wc -c < "$TMP/stream.json")
  if [ "$st" -eq 0 ] && [ "$size" -gt $((2 << 20)) ] && [ "$(tail -c 2 "$TMP/stream.json")" = "}" ]; then
    pass "stream: $size bytes of JSON, complete"
  else fail "stream: exit $st, $size bytes"; fi
  # A closed pipe (SIGPIPE ignored, so the write fails with EPIPE) after
  # 100000 bytes: the document is cut short there.
  st=$( (trap '' PIPE; "$MOUNTDB" show --format=json --no-hash "$TMP/stream.hive" \
         2>"$TMP/pipe.err"; echo $? >"$TMP/pipe.st") | head -c 100000 >"$TMP/pipe.json"; cat "$TMP/pipe.st")
  if [ "$st" = 8 ]; then pass "stream, closed pipe: exit 8"; else fail "stream, closed pipe: exit $st"; fi
  contains pipe err "cannot write the output"
  if [ "$(wc -c < "$TMP/pipe.json")" -eq 100000 ] \
     && cmp -s -n 100000 "$TMP/pipe.json" "$TMP/stream.json"; then
    pass "stream, closed pipe: the partial output is the document's start"
  else fail "stream, closed pipe: partial output is not a prefix of the document"; fi
  "$MOUNTDB" show --format=json --no-hash "$TMP/stream.hive" >/dev/full 2>"$TMP/sfull.err"; st=$?
  if [ "$st" -eq 8 ]; then pass "stream, stdout full: exit 8"; else fail "stream, stdout full: exit $st"; fi
  contains sfull err "No space left on device"
else
  fail "stream: mkhive could not build the test hive"
fi

finish
