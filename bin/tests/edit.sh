#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The write commands: each operation on generated fixtures and on a copy of a
# real hive, round trips, refusals, dry runs, in-place backups, determinism.
. "${top_srcdir:-$(dirname "$0")/../..}/bin/tests/lib.sh"
cd "$TMP" || exit 99
cp "$FIXTURES"/{sample,multi,dirty,case,controlset}.hive .
chmod u+w ./*.hive
export SOURCE_DATE_EPOCH=1700000000     # deterministic outputs (F7)

# entries NAME HIVE: the value list as "name<TAB>type<TAB>data" lines
entries () {
  "$MOUNTDB" show --format=json --no-hash "$2" | python3 -c '
import json, sys
for e in json.load(sys.stdin)["entries"]:
    print("%s\t%s\t%s" % (e["name"], e["type"], e.get("data")))' > "$TMP/$1.list"
}
same_list () { # same_list A B LABEL
  if cmp -s "$TMP/$1.list" "$TMP/$2.list"; then pass "$3"
  else fail "$3"; diff "$TMP/$1.list" "$TMP/$2.list" | head -10 | sed 's/^/    /'; fi
}
has () { grep -qF -- "$2" "$TMP/$1.list"; }

entries orig sample.hive

# 1. assign: the letterless volume at 512 GiB gets H:, its marker goes.
run assign 0 "$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB -o a1.hive
contains assign out "\\DosDevices\\H:"
entries a1 a1.hive
if has a1 $'\\DosDevices\\H:\tREG_BINARY\t429e1d7c0000000080000000' && ! has a1 '#{6b1f0e3d'; then
  pass "assign: H: added, marker removed (W2)"; else fail "assign: H: or marker wrong"; fi
run assign-check 0 "$MOUNTDB" check a1.hive
contains assign-check out "no findings"
# ... then unassign gives back the letterless volume (marker derived, W11).
run unassign 0 "$MOUNTDB" unassign a1.hive H: -o a2.hive
entries a2 a2.hive
if ! has a2 '\DosDevices\H:' && grep -q '^#{' "$TMP/a2.list"; then pass "unassign: letter gone, marker added (W3)"
else fail "unassign: expected a #{} marker"; fi
run unassign-auto 0 "$MOUNTDB" unassign a1.hive H: --allow-auto -o a3.hive
entries a3 a3.hive
if ! grep -q '^#{' "$TMP/a3.list"; then pass "unassign --allow-auto: no marker"
else fail "unassign --allow-auto: marker added"; fi

# 2. Refusals (exit 4) and nothing written.
run assign-has-letter 4 "$MOUNTDB" assign sample.hive H: D: -o r1.hive
contains assign-has-letter err "--move"
run assign-taken 4 "$MOUNTDB" assign sample.hive D: mbr:7c1d9e42:512GiB -o r2.hive
contains assign-taken err "--take"
[ ! -e r1.hive ] && [ ! -e r2.hive ] && pass "refused: no output file" || fail "refused: output written"
run assign-move 0 "$MOUNTDB" assign sample.hive H: D: --move -o m1.hive
entries m1 m1.hive
if has m1 $'\\DosDevices\\H:' && ! has m1 $'\\DosDevices\\D:\t'; then pass "assign --move: D: became H:"
else fail "assign --move"; fi
run assign-take 0 "$MOUNTDB" assign sample.hive D: mbr:7c1d9e42:512GiB --take -o t1.hive
run unassign-missing 4 "$MOUNTDB" unassign sample.hive Q: -o r3.hive
run assign-nomatch 4 "$MOUNTDB" assign sample.hive Q: '{00000000-1111-2222-3333-444444444444}' -o r4.hive
run bad-spec 16 "$MOUNTDB" assign sample.hive Q: mbr:zz:1MiB -o r5.hive

# 3. swap twice and remap A->B->A give back the original list.
run swap1 0 "$MOUNTDB" swap sample.hive D: E: -o s1.hive
run swap2 0 "$MOUNTDB" swap s1.hive E: D: -o s2.hive
entries s2 s2.hive
same_list orig s2 "swap twice: original value list"
run remap1 0 "$MOUNTDB" remap sample.hive mbr:7c1d9e42:1MiB gpt:11111111-2222-4333-8444-555555555555 -o p1.hive
contains remap1 out "2 changes"
run remap2 0 "$MOUNTDB" remap p1.hive gpt:11111111-2222-4333-8444-555555555555 mbr:7c1d9e42:1MiB -o p2.hive
entries p2 p2.hive
same_list orig p2 "remap A->B->A: original value list"
run assign-unassign-round 0 "$MOUNTDB" unassign a1.hive H: --allow-auto -o rt.hive
entries rt rt.hive
grep -v '^#{' "$TMP/orig.list" > "$TMP/orig-nomarker.list"
grep -v '^#{' "$TMP/rt.list" > "$TMP/rt-nomarker.list"
same_list orig-nomarker rt-nomarker "assign then unassign: original list (but the marker)"

# 4. remap shorthands and the W1 warning for unmapped letters.
run remap-sig 0 "$MOUNTDB" remap sample.hive --disk-signature 7c1d9e42 0badf00d -o g1.hive
entries g1 g1.hive
if ! grep -q '429e1d7c' "$TMP/g1.list" && grep -q '0df0ad0b' "$TMP/g1.list"; then
  pass "remap --disk-signature: every partition of the disk moved"; else fail "remap --disk-signature"; fi
printf '# MBR to GPT\nmbr:7c1d9e42:1MiB   gpt:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee\nmbr:7c1d9e42:250059161600 gpt:aaaaaaaa-bbbb-4ccc-8ddd-ffffffffffff\n' > table.txt
run remap-table 0 "$MOUNTDB" remap sample.hive --table table.txt -o g2.hive
contains remap-table out "warning: C:"
printf 'mbr:7c1d9e42:1MiB\n' > badtable.txt
run remap-badtable 16 "$MOUNTDB" remap sample.hive --table badtable.txt -o g3.hive
contains remap-badtable err "badtable.txt:1"

# 5. scrub, reset, automount.
run scrub 0 "$MOUNTDB" scrub sample.hive --keep C: --keep D: -o sc.hive
entries sc sc.hive
if has sc '\DosDevices\C:' && has sc '\DosDevices\D:' && ! has sc '\DosDevices\E:' \
   && has sc '\DosDevices\F:' && has sc '\DosDevices\G:'; then
  pass "scrub: absent partitions gone, device paths kept (W5)"; else fail "scrub"; fi
run scrub-none 16 "$MOUNTDB" scrub sample.hive -o sc2.hive
printf 'C:\n# present\nD:\nmbr:zz:1\n' > inventory.txt
run scrub-badinv 16 "$MOUNTDB" scrub sample.hive --inventory inventory.txt -o sc3.hive
contains scrub-badinv err "inventory.txt:4"
printf 'C: D:\n' > inventory3.txt
run scrub-twoper 16 "$MOUNTDB" scrub sample.hive --inventory inventory3.txt -o sc5.hive
contains scrub-twoper err "inventory3.txt:1: expected one volume spec"
head -c 5000 /dev/zero | tr '\0' x > longline.txt
run table-longline 16 "$MOUNTDB" remap sample.hive --table longline.txt -o g4.hive
contains table-longline err "longline.txt:1: line longer"
printf 'C:\nD:   # both present\n' > inventory2.txt
run scrub-inv 0 "$MOUNTDB" scrub sample.hive --inventory inventory2.txt -o sc4.hive
cmp -s sc.hive sc4.hive && pass "scrub --inventory = scrub --keep" || fail "scrub --inventory differs from --keep"
run reset 0 "$MOUNTDB" reset sample.hive --keep-system -o rs.hive
entries rs rs.hive
if [ "$(wc -l < "$TMP/rs.list")" -eq 2 ] && has rs '\DosDevices\C:'; then pass "reset --keep-system: only C:'s entries left (W6)"
else fail "reset --keep-system"; fi
run automount-off 0 "$MOUNTDB" automount sample.hive off -o am.hive
run automount-check 0 "$MOUNTDB" check am.hive
contains automount-check out "V11"
run automount-same 0 "$MOUNTDB" automount controlset.hive off -o am2.hive
contains automount-same out "0 changes"
[ ! -e am2.hive ] && pass "nothing to do: nothing written" || fail "nothing to do: wrote a file"

# 6. dry run, output rules, in place with backup.
run dry 0 "$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB --dry-run --format=json
contains dry out '"dry_run": true'
run where 16 "$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB
run exists 4 "$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB -o a1.hive
ln sample.hive hardlink.hive
run same-file 4 "$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB -o hardlink.hive
cp sample.hive inplace.hive
before=$(sha256sum < inplace.hive)
run in-place 0 "$MOUNTDB" assign inplace.hive H: mbr:7c1d9e42:512GiB --in-place --format=json
backup=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["backup"])' "$TMP/in-place.out")
if [ -f "$backup" ] && [ "$(sha256sum < "$backup")" = "$before" ]; then pass "in place: backup is the original, byte for byte"
else fail "in place: backup missing or different"; fi
cmp -s inplace.hive a1.hive && pass "in place: same bytes as -o (SOURCE_DATE_EPOCH)" || fail "in place differs from -o"
ls -a | grep -q 'mountdb-[A-Za-z0-9]\{6\}$' && fail "temp file left behind" || pass "no temp file left"

# 7. Determinism (F7): same inputs, same bytes.
"$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB -o d1.hive >/dev/null
"$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB -o d2.hive >/dev/null
cmp -s d1.hive d2.hive && pass "F7: byte-identical outputs" || fail "F7: outputs differ"
"$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB -o k1.hive --timestamp=keep >/dev/null
"$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB -o k2.hive --timestamp=2024-01-31T12:00:00Z >/dev/null
run ts-keep 0 "$MOUNTDB" show k1.hive
contains ts-keep out "2023-03-14T09:26:53.5897932Z"
run ts-fixed 0 "$MOUNTDB" show k2.hive
contains ts-fixed out "2024-01-31T12:00:00Z"
run ts-bad 16 "$MOUNTDB" assign sample.hive H: D: --timestamp=yesterday -o x.hive

# 8. Dirty hives (H2) and new check errors.
run dirty 4 "$MOUNTDB" assign dirty.hive H: mbr:11112222:1MiB -o dz.hive
contains dirty err "log"
run dirty-discard 0 "$MOUNTDB" assign dirty.hive H: mbr:11112222:1MiB --discard-logs -o dz.hive
run v6-refused 4 "$MOUNTDB" assign case.hive H: mbr:11112222:1MiB -o cz.hive
run new-error 4 "$MOUNTDB" unassign sample.hive C: -o ne.hive
contains new-error err "V10"
run new-error-forced 0 "$MOUNTDB" unassign sample.hive C: --force -o ne.hive

# 9. Plans: applied once, then nothing to do.
PLANS="$top_srcdir/testdata/plans"
if [ -f "$PLANS/sample-migrate.xml" ]; then
  run plan1 0 "$MOUNTDB" apply sample.hive "$PLANS/sample-migrate.xml" -o pl1.hive
  run plan2 0 "$MOUNTDB" apply pl1.hive "$PLANS/sample-migrate.xml" -o pl2.hive
  contains plan2 out "0 changes"
  [ ! -e pl2.hive ] && pass "plan applied twice: nothing the second time" || fail "plan twice wrote a file"
fi

# 10. A real hive (a copy): remap C: from MBR to GPT, the rest untouched.
if [ -f "$REAL_HIVES/win7-x86-usb.SYSTEM" ]; then
  cp "$REAL_HIVES/win7-x86-usb.SYSTEM" win7.hive
  run real-remap 0 "$MOUNTDB" remap win7.hive C: gpt:0f0e0d0c-0b0a-4908-8706-050403020100 -o win7-gpt.hive
  entries w0 win7.hive
  entries w1 win7-gpt.hive
  if [ "$(diff "$TMP/w0.list" "$TMP/w1.list" | grep -c '^>')" -eq 2 ]; then pass "real: exactly C: and its volume name changed"
  else fail "real: unexpected changes"; diff "$TMP/w0.list" "$TMP/w1.list" | head; fi
  cmp -s "$REAL_HIVES/win7-x86-usb.SYSTEM" win7.hive && pass "real: input unchanged" || fail "real: input changed"
else
  skip "real-hive edits: $REAL_HIVES absent"
fi

# 11. Help.
for c in assign unassign swap remap scrub reset automount apply; do
  run "help-$c" 0 "$MOUNTDB" "$c" --help
  contains "help-$c" out "--dry-run"
done
run wrong-option 16 "$MOUNTDB" swap sample.hive D: E: --move -o x.hive

finish
