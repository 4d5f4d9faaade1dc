#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The write commands: each operation on generated fixtures and on a copy of a
# real hive, round trips, refusals, dry runs, in-place backups, determinism.
. "${top_srcdir:-$(dirname "$0")/../..}/bin/tests/lib.sh"
cd "$TMP" || exit 99
cp "$FIXTURES"/{sample,multi,dirty,case,controlset,big-value,select-nocs,sanpolicy,ntuser,layered}.hive .
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
# nothing_written NAME OUT HIVE: a refused or failed command wrote no OUT and
# left its input HIVE (a copy of the fixture) as it was, byte for byte.
nothing_written () {
  if [ ! -e "$2" ] && cmp -s "$3" "$FIXTURES/$3"; then pass "$1: no $2, $3 unchanged"
  else fail "$1: $2 written or $3 changed"; fi
}

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
empty assign-take err
entries t1 t1.hive
# D: moves to the 512 GiB volume (its marker goes); the 1 MiB volume keeps
# its GUID name and gets a no-letter marker instead.
if has t1 $'\\DosDevices\\D:\tREG_BINARY\t429e1d7c0000000080000000' \
   && ! has t1 $'\\DosDevices\\D:\tREG_BINARY\t429e1d7c0000100000000000' \
   && ! has t1 '#{6b1f0e3d' \
   && grep -q $'^#{[^\t]*\tREG_BINARY\t429e1d7c0000100000000000$' "$TMP/t1.list"; then
  pass "assign --take: D: taken, the old holder gets a marker (W2, W3)"
else fail "assign --take: D: or the markers wrong"; fi
run unassign-missing 4 "$MOUNTDB" unassign sample.hive Q: -o r3.hive
contains unassign-missing err "mountdb unassign: sample.hive: no drive letter Q: in MountedDevices"
nothing_written unassign-missing r3.hive sample.hive
run assign-nomatch 4 "$MOUNTDB" assign sample.hive Q: '{00000000-1111-2222-3333-444444444444}' -o r4.hive
contains assign-nomatch err "no such volume GUID name \??\Volume{00000000-1111-2222-3333-444444444444} in MountedDevices"
nothing_written assign-nomatch r4.hive sample.hive
run bad-spec 16 "$MOUNTDB" assign sample.hive Q: mbr:zz:1MiB -o r5.hive
contains bad-spec err "'mbr:zz:1MiB': disk signature must be 1-8 hex digits"
nothing_written bad-spec r5.hive sample.hive
# A typo in an ID is no new disk: refused with the closest volumes, unless --new.
run assign-typo 4 "$MOUNTDB" assign sample.hive H: mbr:7c1d9e4:1MiB -o r6.hive
contains assign-typo err "closest: mbr:7c1d9e42:1MiB (D:)"
contains assign-typo err "--new"
[ ! -e r6.hive ] && pass "typo: no output file" || fail "typo: output written"
run assign-typo-dry 4 "$MOUNTDB" assign sample.hive H: mbr:7c1d9e4:1MiB --dry-run
run assign-new 0 "$MOUNTDB" assign sample.hive H: gpt:2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0 --new -o r7.hive
contains assign-new out "2 changes"
run new-not-assign 16 "$MOUNTDB" unassign sample.hive D: --new -o r8.hive

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
# W1 warns only for letters of a converted disk (MBR2GPT): C: (GPT), F: and
# G: (device paths) are on other disks, D: and E: are mapped.
if grep -q "has no mapping" "$TMP/remap-table.out" "$TMP/remap-table.err"; then
  fail "remap --table: W1 warning for a letter of a disk not converted"
else pass "remap --table: no W1 warning for other disks"; fi
printf 'mbr:7c1d9e42:1MiB gpt:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee\n' > half.txt
run remap-half 0 "$MOUNTDB" remap sample.hive --table half.txt -o g2b.hive
contains remap-half out "warning: E: (MBR disk 7C1D9E42 @ 238475 MiB) has no mapping"
if grep -q "warning: [CFG]:" "$TMP/remap-half.out"; then fail "remap --table: W1 warned for another disk"
else pass "remap --table: W1 only for the converted disk"; fi
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

# 6b. --dry-run runs every check the write runs: for every write command
#     and refusal fixture, the same exit status and the same message, with
#     and without a target; and nothing is written.
cp sample.hive exists.hive
PLANS="$top_srcdir/testdata/plans"
i=0
while IFS='|' read -r want args; do
  [ -n "$args" ] || continue
  i=$((i + 1))
  set -f; set -- $args; set +f
  hive=$2
  run "parity$i-dry-o" "$want" "$MOUNTDB" "$@" --dry-run -o par$i.hive
  run "parity$i-dry" "$want" "$MOUNTDB" "$@" --dry-run
  [ ! -e par$i.hive ] && pass "parity$i: dry run wrote nothing" || fail "parity$i: dry run wrote par$i.hive"
  run "parity$i-o" "$want" "$MOUNTDB" "$@" -o par$i.hive
  if cmp -s "$TMP/parity$i-o.err" "$TMP/parity$i-dry-o.err" \
     && sed "s|par$i.hive|$hive|g" "$TMP/parity$i-o.err" | cmp -s - "$TMP/parity$i-dry.err"; then
    pass "parity$i: dry run and write say the same ($*)"
  else fail "parity$i: dry run and write differ ($*)"
    diff "$TMP/parity$i-o.err" "$TMP/parity$i-dry.err" | head -4 | sed 's/^/    /'; fi
  [ "$want" = 0 ] || [ ! -e par$i.hive ] || fail "parity$i: refused but wrote par$i.hive"
done <<EOF2
4|swap sample.hive C: F:
4|unassign sample.hive C:
4|reset sample.hive
4|scrub sample.hive --keep D:
4|assign big-value.hive Z: C: --move
4|assign case.hive Z: C: --move
4|automount select-nocs.hive off
4|assign sample.hive H: D:
4|unassign sample.hive Q:
4|assign dirty.hive H: D: --move
4|apply sample.hive $PLANS/err-nomatch.xml
16|apply sample.hive $PLANS/err-bad-spec.xml
0|swap sample.hive D: E:
0|reset sample.hive --keep-system
0|remap sample.hive C: gpt:11111111-2222-4333-8444-555555555555
0|automount sample.hive off
0|apply sample.hive $PLANS/sample-migrate.xml
0|replay sample.hive
EOF2
run dry-exists 4 "$MOUNTDB" swap sample.hive D: E: --dry-run -o exists.hive
contains dry-exists err "exists"
run dry-same 4 "$MOUNTDB" swap sample.hive D: E: --dry-run -o sample.hive
contains dry-same err "F1"
run out-and-in-place 16 "$MOUNTDB" swap sample.hive D: E: -o x.hive --in-place
contains out-and-in-place err "conflict"
ls -a | grep -q 'mountdb-[A-Za-z0-9]\{6\}$' && fail "dry runs left a temp file" || pass "dry runs: no temp file"

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
# Issue 10 item 9: an impossible date is refused, not carried into the next
# month (2023-02-29 was written as 2023-03-01).
run ts-feb29 16 "$MOUNTDB" assign sample.hive H: D: --timestamp=2023-02-29T00:00:00Z -o x.hive
contains ts-feb29 err "--timestamp"
run ts-apr31 16 "$MOUNTDB" assign sample.hive H: D: --timestamp=2023-04-31T00:00:00Z -o x.hive
run ts-sec60 16 "$MOUNTDB" assign sample.hive H: D: --timestamp=2023-06-30T23:59:60Z -o x.hive
[ ! -e x.hive ] && pass "ts: nothing written for an impossible date" || fail "ts: x.hive written"
run ts-leap 0 "$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB --timestamp=2024-02-29T00:00:00Z -o leap.hive
run ts-leap-show 0 "$MOUNTDB" show leap.hive
contains ts-leap-show out "2024-02-29T00:00:00Z"

# 8. Dirty hives (H2) and new check errors.
run dirty 4 "$MOUNTDB" assign dirty.hive H: mbr:11112222:1MiB --new -o dz.hive
contains dirty err "log"
run dirty-discard 0 "$MOUNTDB" assign dirty.hive H: mbr:11112222:1MiB --new --discard-logs -o dz.hive
empty dirty-discard err
contains dirty-discard out "after     seq 8/8"
entries dz dz.hive
entries dirty-orig dirty.hive
if has dz $'\\DosDevices\\H:\tREG_BINARY\t222211110000100000000000' \
   && [ "$(grep -vc $'\t222211110000100000000000$' "$TMP/dz.list")" = \
        "$(wc -l <"$TMP/dirty-orig.list")" ]; then
  pass "dirty --discard-logs: H: and its GUID name added, the rest kept"
else fail "dirty --discard-logs: wrong entries"; fi
run dirty-discard-show 0 "$MOUNTDB" show dz.hive
contains dirty-discard-show out "clean, checksum ok"
cmp -s dirty.hive "$FIXTURES/dirty.hive" && pass "dirty --discard-logs: input unchanged" \
  || fail "dirty --discard-logs: input changed"
run v6-refused 4 "$MOUNTDB" assign case.hive H: mbr:11112222:1MiB --new -o cz.hive
contains v6-refused err "are equal but for case"
contains v6-refused err "(V6, H5); delete one first"
nothing_written v6-refused cz.hive case.hive
run new-error 4 "$MOUNTDB" unassign sample.hive C: -o ne.hive
contains new-error err "V10"
nothing_written new-error ne.hive sample.hive
run new-error-forced 0 "$MOUNTDB" unassign sample.hive C: --force -o ne.hive
empty new-error-forced err
entries ne ne.hive
if ! has ne '\DosDevices\C:' \
   && grep -q $'^#{[^\t]*\tREG_BINARY\t444d494f3a49443aa96f14513d949b479598be5a8c9516b6$' "$TMP/ne.list"; then
  pass "unassign C: --force: written with C: gone and a marker (despite V10)"
else fail "unassign C: --force: wrong entries"; fi

# 8b. replay of a clean hive: says so, writes nothing, exit 0 (also --in-place).
run replay-clean 0 "$MOUNTDB" replay sample.hive -o rc.hive
contains replay-clean out "nothing to replay (nothing written)"
[ ! -e rc.hive ] && pass "replay clean: no file written" || fail "replay clean: wrote a file"
cp sample.hive rclean.hive
run replay-clean-inplace 0 "$MOUNTDB" replay rclean.hive --in-place
cmp -s rclean.hive sample.hive && ! ls rclean.hive.mountdb-backup-* >/dev/null 2>&1 \
  && pass "replay clean --in-place: hive untouched, no backup" || fail "replay clean --in-place changed something"

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

# 12. Issue 10 items 1-3: hostile fixtures.  A name that runs past its cell
# or has half a UTF-16 unit, a cell shared with another key, a data cell
# used twice: every write that rewrites MountedDevices refuses (exit 4,
# nothing written, never hivex's abort, exit 134); show still reads them.
for f in dmg-name-ffff dmg-name-over dmg-name-odd dmg-share-vk dmg-share-data \
         dmg-data-self dmg-data-twice; do
  cp "$FIXTURES/$f.hive" . && chmod u+w "$f.hive"
  before=$(sha256sum < "$f.hive")
  run "$f-assign" 4 "$MOUNTDB" assign "$f.hive" H: D: --move -o "$f.out"
  contains "$f-assign" err "cannot be written safely"
  run "$f-unassign" 4 "$MOUNTDB" unassign "$f.hive" D: --in-place
  run "$f-reset" 4 "$MOUNTDB" reset "$f.hive" --force -o "$f.out"
  [ ! -e "$f.out" ] && [ "$(sha256sum < "$f.hive")" = "$before" ] \
    && [ "$(ls -A | grep -c "^\.$f")" -eq 0 ] \
    && pass "$f: nothing written" || fail "$f: something was written"
  run "$f-show" 0 "$MOUNTDB" show "$f.hive"
  run "$f-show-unsafe" 0 "$MOUNTDB" show --unsafe "$f.hive"
done
cp "$FIXTURES/dmg-share-mm.hive" . && chmod u+w dmg-share-mm.hive
run dmg-share-mm-automount 4 "$MOUNTDB" automount dmg-share-mm.hive off -o dmg-share-mm.out
contains dmg-share-mm-automount err "by another key"
run dmg-share-mm-assign 0 "$MOUNTDB" assign dmg-share-mm.hive H: D: --move -o dmg-share-mm.out
contains dmg-name-ffff-show out 'value 0: its name runs past its cell'
contains dmg-name-odd-show out 'odd number of bytes'

# 13. Issue 9 item 8: -o - writes the verified hive to standard output (the
# report to stderr), never a file named "-"; a terminal is refused.
run stdout 0 "$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB -o -
cmp -s "$TMP/stdout.out" a1.hive && pass "-o -: the same bytes as -o FILE" || fail "-o -: bytes differ"
[ ! -e ./- ] && pass "-o -: no file named -" || fail "-o -: a file named - was written"
grep -qx 'output    -' "$TMP/stdout.err" && ! grep -q mountdb-stdout- "$TMP/stdout.err" \
  && pass "-o -: the report names standard output, not the removed temp file" \
  || fail "-o -: the report names the temp file"
contains stdout err "\\DosDevices\\H:"
ls -d "${TMPDIR:-/tmp}"/mountdb-stdout-* 2>/dev/null | grep -q . && fail "-o -: temp directory left" || pass "-o -: temp directory removed"
run stdout-refused 4 "$MOUNTDB" unassign sample.hive C: -o -
empty stdout-refused out
python3 - "$MOUNTDB" <<'PYEOF' && pass "-o -: a terminal is refused (exit 16)" || fail "-o -: a terminal was not refused"
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "assign", "sample.hive", "H:", "mbr:7c1d9e42:512GiB", "-o", "-"])
out = b""
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
_, st = os.waitpid(pid, 0)
sys.exit(0 if os.WEXITSTATUS(st) == 16 and b"terminal" in out and b"regf" not in out else 1)
PYEOF

# 14. Issue 10 item 10: temp files of a killed writer are named
# .HIVE.mountdb-tmp-PID-XXXXXX and reported; kill -9 at random moments
# leaves the target the old or the new hive, byte for byte.
: > .stale.hive.mountdb-tmp-2147483646-AbC123
run stale 0 "$MOUNTDB" assign sample.hive H: mbr:7c1d9e42:512GiB -o stale.hive
contains stale err "stale.hive.mountdb-tmp-2147483646-AbC123 was left by a writer (pid 2147483646)"
rm -f .stale.hive.mountdb-tmp-2147483646-AbC123
old=$(sha256sum < sample.hive)
"$MOUNTDB" unassign sample.hive F: -o kill-new.hive >/dev/null
new=$(sha256sum < kill-new.hive)
bad=0
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
  cp sample.hive kill.hive
  "$MOUNTDB" unassign kill.hive F: --in-place >/dev/null 2>&1 &
  sleep "0.00$((RANDOM % 10))"
  kill -9 $! 2>/dev/null; wait $! 2>/dev/null
  now=$(sha256sum < kill.hive)
  [ "$now" = "$old" ] || [ "$now" = "$new" ] || bad=$((bad + 1))
  rm -f .kill.hive.mountdb-tmp-* kill.hive.mountdb-backup-*
done
[ "$bad" -eq 0 ] && pass "kill -9: the target is always the old or the new hive" \
  || fail "kill -9: $bad rounds left a target that is neither"

# 15. Issue 10 item 4: concurrent --in-place writers.  Each change lands, or
# its writer fails clearly (exit 4, "changed on disk"); none is lost.
lost=0; unclear=0
for i in 1 2 3 4 5 6 7 8 9 10; do
  cp sample.hive race.hive
  "$MOUNTDB" unassign race.hive D: --in-place >/dev/null 2>race-d.err & pd=$!
  "$MOUNTDB" unassign race.hive E: --in-place >/dev/null 2>race-e.err & pe=$!
  wait $pd; sd=$?; wait $pe; se=$?
  entries race race.hive
  for x in "d $sd D" "e $se E"; do
    set -- $x
    if [ "$2" -eq 0 ]; then has race "\\DosDevices\\$3:"$'\t' && lost=$((lost + 1))
    elif [ "$2" -ne 4 ] || ! grep -q "changed on disk" "race-$1.err"; then unclear=$((unclear + 1)); fi
  done
  rm -f race.hive.mountdb-backup-*
done
[ "$lost" -eq 0 ] && pass "concurrent in place: no change lost" || fail "concurrent in place: $lost changes lost"
[ "$unclear" -eq 0 ] && pass "concurrent in place: every refusal is exit 4, 'changed on disk'" \
  || fail "concurrent in place: $unclear unclear failures"

# 11. Help.
for c in assign unassign swap remap scrub reset automount apply; do
  run "help-$c" 0 "$MOUNTDB" "$c" --help
  contains "help-$c" out "--dry-run"
done
run wrong-option 16 "$MOUNTDB" swap sample.hive D: E: --move -o x.hive

# 12. Messages (issue 9 item 9).
run wrong-order 16 "$MOUNTDB" assign E: sample.hive F: -o x.hive
contains wrong-order err "the hive comes first: mountdb assign HIVE X: VOLUME"
run swap-missing 4 "$MOUNTDB" swap sample.hive Q: D: -o x.hive
contains swap-missing err "mountdb swap: sample.hive: no drive letter Q:"
run has-letter-quoted 4 "$MOUNTDB" assign sample.hive H: D: -o x.hive
contains has-letter-quoted err "mountdb assign: 'D:': the volume already has D:"
run dirty-advice 4 "$MOUNTDB" assign dirty.hive H: D: --move -o x.hive
contains dirty-advice err "name them with --log FILE"
run dirty-nologs-advice 4 "$MOUNTDB" assign dirty.hive H: D: --move --no-logs -o x.hive
contains dirty-nologs-advice err "drop --no-logs"
run replay-nolog-advice 4 "$MOUNTDB" replay dirty.hive -o x.hive
contains replay-nolog-advice err "--log FILE"
run automount-upper 0 "$MOUNTDB" automount sample.hive OFF --dry-run
contains automount-upper out "1 change"
run help-apply-elements 0 "$MOUNTDB" help apply
contains help-apply-elements out '<letter letter="X" volume="V"/>'
contains help-apply-elements out "mountdb-plan(5)"
run version-after 0 "$MOUNTDB" assign --version
contains version-after out "mountdb "
[ ! -e x.hive ] && pass "messages: nothing written" || fail "messages: x.hive written"
# Issue 11: automount is written to the control set the next boot loads
# (Select\Default = 2), not Select\Current's ControlSet001.
# ControlSet001 already says NoAutoMount = 1, ControlSet002 says 0.
run automount-default 0 "$MOUNTDB" automount sanpolicy.hive off -o sp-off.hive
run automount-default-show 0 "$MOUNTDB" show --format=json sp-off.hive
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["control_set"]; sys.exit(0 if (c["boot"], c["no_auto_mount"]) == (2, 1) else 1)' \
  "$TMP/automount-default-show.out" && pass "automount: written to ControlSet002 (Select\Default)" \
  || fail "automount: not written to Select\Default's control set"
# Issue 9 item 5, issue 11: no writes to a user hive or a differencing hive,
# with -o or --dry-run; nothing is written.
for h in ntuser layered; do
  run "refuse-$h" 4 "$MOUNTDB" assign "$h.hive" F: mbr:11111111:1MiB -o "$h-out.hive"
  [ ! -e "$h-out.hive" ] && pass "refuse-$h: nothing written" || fail "refuse-$h: wrote a file"
  run "refuse-$h-dry" 4 "$MOUNTDB" assign "$h.hive" F: mbr:11111111:1MiB --dry-run
done
contains refuse-ntuser err "not a SYSTEM hive (a user hive"
contains refuse-layered err "a differencing hive (layered keys)"

finish
