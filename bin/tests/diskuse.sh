#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The hive against disks (issue 13): --disk on show and check (present,
# absent, unresolved; V9, V10's NTFS check, V12, V13, V14; an unreadable
# disk reported while the report goes on), disk:PATH:N specs (assign,
# plans, refusals), remap --to-disk (clone, MBR->GPT in place, moved with
# --from-disk; refusals write nothing, dry runs give the same verdict, a
# second run finds nothing) and scrub --disks-complete.  Disk images are
# sparse files partitioned at test time with sfdisk and sgdisk
# (util-linux, gdisk): without them these checks skip, visibly.
. "${top_srcdir:-$(dirname "$0")/../..}/bin/tests/lib.sh"
cd "$TMP" || exit 99
export SOURCE_DATE_EPOCH=1700000000
REAL=${REAL_HIVES:-}
W7=$REAL/win7-x86-usb.SYSTEM

if ! command -v sfdisk >/dev/null || ! command -v sgdisk >/dev/null; then
  skip "disk images: sfdisk or sgdisk not installed (Debian: fdisk, gdisk)"
  finish
fi

# mbr NAME SIG "start size type"...: a 64 MiB sparse MBR image
mbr () {
  local name=$1 sig=$2; shift 2
  truncate -s 64M "$name"
  { printf 'label: dos\nlabel-id: 0x%s\n' "$sig"
    for p in "$@"; do set -- $p; printf 'start=%s, size=%s, type=%s\n' "$1" "$2" "$3"; done
  } | sfdisk -q "$name" >/dev/null 2>&1 || fail "sfdisk $name"
}
# ids NAME: "number spec" of each partition, from show's JSON disks[]
specs () {
  "$MOUNTDB" show -f json --no-hash --disk "$2" "$FIXTURES/empty.hive" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["disks"][0]["partitions"]:
    print(p["number"], p["spec"])' > "$1.specs"
}
spec_of () { awk -v n="$2" '$1 == n {print $2}' "$1.specs"; }

mbr a.img 5cbea03e "2048 40960 7" "43008 40960 7"    # win7-x86-usb's C:
cp --sparse=always a.img clone.img                  # same signature: V12
mbr resig.img 11112222 "2048 40960 7" "43008 40960 7"  # a re-signed clone
cp --sparse=always a.img gpt.img && sgdisk -g gpt.img >/dev/null 2>&1 \
  || fail "sgdisk -g gpt.img"                       # MBR2GPT in place
mbr other.img 33334444 "4096 40960 7"                # nothing at 1 MiB
mbr dyn.img 0badcafe "2048 40960 0x42"               # a dynamic disk
truncate -s 64M attr.img && sgdisk -n 1:2048:43007 -t 1:0700 \
  -A 1:set:63 attr.img >/dev/null 2>&1 || fail "sgdisk attr.img"
specs gpt gpt.img
specs attr attr.img
# fat IMAGE OFFSET SERIAL: a minimal FAT16 boot sector (blkid reads its
# type and serial), for the filesystem-serial matches of --from-disk.
fat () {
  python3 - "$@" <<'EOF'
import struct, sys
img, off, serial = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 16)
bs = bytearray(512)
bs[0:3] = b'\xeb\x3c\x90'; bs[3:11] = b'MSDOS5.0'
struct.pack_into('<HBHBHHBHHHLL', bs, 11, 512, 4, 4, 2, 512, 40960, 0xF8, 40, 32, 64, 0, 0)
struct.pack_into('<BBBL', bs, 36, 0x80, 0, 0x29, serial)
bs[43:54] = b'NO NAME    '; bs[54:62] = b'FAT16   '; bs[510:512] = b'\x55\xaa'
with open(img, 'r+b') as f:
    f.seek(off); f.write(bs)
    f.seek(off + 4 * 512); f.write(b'\xf8\xff\xff\xff')
EOF
}
mbr fs.img 5cbea03e "2048 40960 6"
fat fs.img 1048576 1a2b3c4d
# The same filesystem moved to 8 MiB and renumbered 2 on a GPT disk; a
# new filesystem at 1 MiB.
truncate -s 64M moved.img && sgdisk -n 1:2048:14335 -t 1:0700 \
  -n 2:16384:57343 -t 2:0700 moved.img >/dev/null 2>&1 || fail "sgdisk moved.img"
fat moved.img 1048576 99998888
fat moved.img 8388608 1a2b3c4d
specs moved moved.img

# ---- --disk on show and check, real hive ---------------------------------------------
if [ -r "$W7" ]; then
  # A disk with signature 5cbea03e and a partition at 1 MiB resolves C:.
  run w7-show 0 "$MOUNTDB" show --no-hash --disk a.img "$W7"
  sed -i '1s|^hive .*|hive      win7-x86-usb.SYSTEM|' "$TMP/w7-show.out" # where it lives
  golden w7-show diskuse-w7-show.text
  run w7-json 0 "$MOUNTDB" show -f json --no-hash --disk a.img "$W7"
  python3 - "$TMP/w7-json.out" <<'EOF' && pass "w7-json: C: present on a.img 1, USB and CD-ROM unresolved" || fail "w7-json: disk fields"
import json, sys
d = json.load(open(sys.argv[1]))
v = {tuple(x["drive_letters"]): x["disk"] for x in d["volumes"]}
assert v[("C",)] == {"path": "a.img", "partition": 1, "status": "present"}, v
assert v[("E",)]["status"] == "unresolved" and v[("D",)]["status"] == "unresolved"
assert d["disks"][0]["disk_signature"] == "5cbea03e"
assert d["disks"][0]["partitions"][0]["spec"].lower() == "mbr:5cbea03e:1048576"
EOF
  run w7-jsonl 0 "$MOUNTDB" show -f jsonl --no-hash --disk a.img "$W7"
  contains w7-jsonl out '"disk":{"path":"a.img","partition":1,"status":"present"}'
  run w7-xml 0 "$MOUNTDB" show -f xml --no-hash --disk a.img "$W7"
  contains w7-xml out '<disk status="present" path="a.img" partition="1"/>'
  contains w7-xml out '<disk status="unresolved"/>'
  if command -v xmllint >/dev/null; then
    if xmllint --noout --relaxng "$top_srcdir/bin/mountdb.rng" "$TMP/w7-xml.out" 2>"$TMP/w7-xml.rng"
    then pass "w7-xml: valid against mountdb.rng"
    else fail "w7-xml: invalid"; head -3 "$TMP/w7-xml.rng"; fi
  fi
  run w7-csv 0 "$MOUNTDB" show -f csv --no-hash --disk a.img "$W7"
  contains w7-csv out 'disk: volume 0: present: a.img partition 1'
  contains w7-csv out 'disk: volume 5: unresolved'
  # C: on no given disk: V9 is an error for the system letter; an
  # unreadable disk is reported and the rest goes on (8|4).
  run w7-v9 12 "$MOUNTDB" check --no-hash --disk resig.img --disk ./nonexistent.img "$W7"
  contains w7-v9 out 'error    V9   C: is the system letter, but its volume (mbr:5cbea03e:1048576) is on none of the given disks'
  contains w7-v9 err 'nonexistent.img: cannot open'
  run w7-dir 8 "$MOUNTDB" show -f json --no-hash --disk . --disk a.img "$W7"
  contains w7-dir out '"code": "not_regular"'
  contains w7-dir out '"status": "present"'
  # V10: the partition of C: holds no NTFS (these images hold no filesystem).
  run w7-ntfs 0 "$MOUNTDB" check --no-hash --disk a.img "$W7"
  contains w7-ntfs out 'warning  V10  the system letter C: is partition 1 of a.img, which holds no filesystem blkid knows, not NTFS'
  # V12: two disks with one signature.
  run w7-v12 4 "$MOUNTDB" check --no-hash --disk a.img --disk clone.img "$W7"
  contains w7-v12 out 'V12  disks a.img and clone.img have the same MBR signature 5CBEA03E: Windows 7 and later take one of them offline'
  # A message longer than 512 bytes (long disk paths) is whole, not cut.
  long=$(printf 'd%.0s' $(seq 200))
  mkdir -p "$long" && cp --sparse=always a.img clone.img "$long"/
  run w7-v12-long 4 "$MOUNTDB" check -f json --no-hash --disk "$long/a.img" --disk "$long/clone.img" "$W7"
  contains w7-v12-long out "$long/clone.img have the same MBR signature 5CBEA03E: Windows 7 and later take one of them offline, older versions re-sign one, and the IDs these values hold then match only one disk (Microsoft's disk signature collision documentation)"
  # Without --disk nothing changes: the text golden of the plain show.
  run w7-plain 0 "$MOUNTDB" show --no-hash "$W7"
  if grep -q 'ON DISK\|^Disks:' "$TMP/w7-plain.out"; then fail "w7-plain: disk table without --disk"
  else pass "w7-plain: no disk table without --disk"; fi

  # ---- remap --to-disk --------------------------------------------------------------
  # MBR2GPT in place: C: follows to the GPT partition at the same offset.
  c_gpt=$(spec_of gpt 1)
  run m2g-dry 0 "$MOUNTDB" remap "$W7" --to-disk gpt.img --dry-run
  contains m2g-dry out "mbr:5cbea03e:1048576 (C:) -> $c_gpt: partition 1 of gpt.img starts at the same offset, 1048576 bytes (MBR->GPT conversion in place)"
  run m2g 0 "$MOUNTDB" remap "$W7" --to-disk gpt.img -o m2g.hive
  run m2g-check 0 "$MOUNTDB" show -f jsonl --no-hash --disk gpt.img m2g.hive
  contains m2g-check out '"disk":{"path":"gpt.img","partition":1,"status":"present"}'
  run m2g-again 0 "$MOUNTDB" remap m2g.hive --to-disk gpt.img -o m2g2.hive
  contains m2g-again out 'nothing to remap'
  if [ ! -e m2g2.hive ]; then pass "m2g-again: nothing written"; else fail "m2g-again: wrote a hive"; fi
  # A clone with a new signature.
  run resig 0 "$MOUNTDB" remap "$W7" --to-disk resig.img --dry-run
  contains resig out '(clone or new disk signature)'
  contains resig out 'MBR disk 5CBEA03E @ 1 MiB -> MBR disk 11112222 @ 1 MiB'
  # Partial: no partition at 1 MiB: exit 4, nothing written, dry run too.
  run partial 4 "$MOUNTDB" remap "$W7" --to-disk other.img -o partial.hive
  contains partial err 'old volume mbr:5cbea03e:1048576 (C:) has no candidate: no partition of other.img with a Windows ID starts at 1048576 bytes; nothing remapped'
  contains partial out 'mbr:5cbea03e:1048576 (C:) -> ?:'
  if [ ! -e partial.hive ]; then pass "partial: nothing written"; else fail "partial: wrote a hive"; fi
  run partial-dry 4 "$MOUNTDB" remap "$W7" --to-disk other.img --dry-run
  # With the old disk: number and start (no filesystem serials here).
  run from 0 "$MOUNTDB" remap "$W7" --to-disk resig.img --from-disk a.img --dry-run
  contains from out 'partition 1 at the same start, 1048576 bytes (no filesystem serial to compare)'
  run from-usage 16 "$MOUNTDB" remap "$W7" --from-disk a.img --dry-run
  run to-args 16 "$MOUNTDB" remap "$W7" C: gpt:01234567-89ab-cdef-0123-456789abcdef --to-disk gpt.img --dry-run
  run to-bad 8 "$MOUNTDB" remap "$W7" --to-disk ./nonexistent.img --dry-run
else
  skip "real hive win7-x86-usb.SYSTEM absent ($W7): --disk and remap --to-disk on it"
fi

# ---- disk:PATH:N specs, on a generated hive ----------------------------------------
cp "$FIXTURES/empty.hive" e.hive && chmod u+w e.hive
run spec-new 0 "$MOUNTDB" assign e.hive D: disk:a.img:2 --new -o d.hive
run spec-show 0 "$MOUNTDB" show -f jsonl --no-hash --disk a.img d.hive
contains spec-show out '"drive_letters":["D"]'
contains spec-show out '"disk":{"path":"a.img","partition":2,"status":"present"}'
# --disk in a batch on threads: the disks are opened once and shared;
# every format prints the same with --jobs 1 and --jobs 2.
for f in json jsonl text csv xml; do
  for j in 1 2; do
    "$MOUNTDB" check -f $f --no-hash --jobs $j --disk a.img --disk gpt.img \
      d.hive e.hive "$FIXTURES/sample.hive" d.hive >"batch-j$j-$f.out" 2>&1
    echo "exit $?" >>"batch-j$j-$f.out"
  done
  if cmp -s "batch-j1-$f.out" "batch-j2-$f.out" && grep -q '^exit [04]$' "batch-j1-$f.out"
  then pass "batch --disk $f: --jobs 2 prints what --jobs 1 prints"
  else fail "batch --disk $f: --jobs 2 differs from --jobs 1"; diff "batch-j1-$f.out" "batch-j2-$f.out" | head -5; fi
done
if grep -qF '"disk":{"path":"a.img","partition":2,"status":"present"}' batch-j2-jsonl.out
then pass "batch --disk: d.hive's D: found on a.img"; else fail "batch --disk: d.hive's D: not found"; fi
run spec-nonew 4 "$MOUNTDB" assign e.hive D: disk:a.img:2 --dry-run
contains spec-nonew err 'to pre-seed a volume the hive does not know yet'
run spec-nopart 4 "$MOUNTDB" assign e.hive D: disk:a.img:9 --new --dry-run
contains spec-nopart err "'disk:a.img:9': a.img has no partition 9 (it has 1, 2)"
run spec-dyn 4 "$MOUNTDB" assign e.hive D: disk:dyn.img:1 --new --dry-run
contains spec-dyn err 'gets no Windows unique ID'
run spec-unreadable 8 "$MOUNTDB" assign e.hive D: disk:./nonexistent.img:1 --new --dry-run
contains spec-unreadable err "cannot read the disk"
run spec-syntax 16 "$MOUNTDB" assign e.hive D: disk:a.img:0 --new --dry-run
# In a plan: the same spec, pre-seeded with new="true"; applied again,
# nothing changes.
cat > plan.xml <<'EOF'
<mountdb-plan xmlns="urn:mountdb:plan:1">
  <letter letter="E" volume="disk:a.img:1" new="true"/>
</mountdb-plan>
EOF
run plan 0 "$MOUNTDB" apply e.hive plan.xml -o p.hive
run plan-show 0 "$MOUNTDB" show -f jsonl --no-hash --disk a.img p.hive
contains plan-show out '"disk":{"path":"a.img","partition":1,"status":"present"}'
run plan-again 0 "$MOUNTDB" apply p.hive plan.xml --dry-run
contains plan-again out '0 changes'

# remap's NEW side may name a partition too.
run spec-remap 0 "$MOUNTDB" remap d.hive D: disk:a.img:1 -o r.hive
run spec-remap-show 0 "$MOUNTDB" show -f jsonl --no-hash --disk a.img r.hive
contains spec-remap-show out '"drive_letters":["D"]'
contains spec-remap-show out '"disk":{"path":"a.img","partition":1,"status":"present"}'

# Moved and renumbered (--from-disk): the filesystem serial decides.
run fs-hive 0 "$MOUNTDB" assign e.hive C: disk:fs.img:1 --new -o fs.hive
run fs-ntfs 0 "$MOUNTDB" check --no-hash --disk fs.img fs.hive
contains fs-ntfs out 'which holds a filesystem of type vfat, not NTFS'
run moved 0 "$MOUNTDB" remap fs.hive --to-disk moved.img --from-disk fs.img -o moved.hive
contains moved out "mbr:5cbea03e:1048576 (C:) -> $(spec_of moved 2 | tr 'A-Z' 'a-z'): same filesystem serial 1A2B-3C4D (partition 1 of the old disk is 2 of moved.img)"
run moved-show 0 "$MOUNTDB" show -f jsonl --no-hash --disk moved.img moved.hive
contains moved-show out '"disk":{"path":"moved.img","partition":2,"status":"present"}'
# By offset (no old disk) the new filesystem at 1 MiB would be taken: a
# move needs the old layout; without a serial match it is refused.
run moved-none 4 "$MOUNTDB" remap fs.hive --to-disk other.img --from-disk fs.img --dry-run
contains moved-none err 'has no candidate: no partition of other.img has filesystem serial 1A2B-3C4D'
run from-unrelated 4 "$MOUNTDB" remap fs.hive --to-disk moved.img --from-disk other.img --dry-run
contains from-unrelated err 'no partition of the old disk has an ID the hive holds'

# ---- V13, V14 ---------------------------------------------------------------------
run v13-hive 0 "$MOUNTDB" assign e.hive C: disk:attr.img:1 --new -o v13.hive
run v13 0 "$MOUNTDB" check --no-hash --disk attr.img v13.hive
contains v13 out 'V13  C: is given to partition 1 of attr.img, whose GPT attribute "no drive letter" (0x8000000000000000) is set'
run v14-hive 0 "$MOUNTDB" assign e.hive C: gpt:01234567-89ab-cdef-0123-456789abcdef --new -o v14.hive
run v14-info 4 "$MOUNTDB" check --no-hash --fail-on=info --disk dyn.img v14.hive
contains v14-info out 'V14  gpt:01234567-89ab-cdef-0123-456789abcdef is in no GPT of the given disks, and dyn.img is a dynamic disk'
if grep -q ' V9 ' "$TMP/v14-info.out"; then fail "v14-info: a possibly dynamic volume called stale (V9)"
else pass "v14-info: no V9 for a possibly dynamic volume"; fi
run v14-status 0 "$MOUNTDB" show -f jsonl --no-hash --disk dyn.img v14.hive
contains v14-status out '"status":"unresolved"'
# Without the dynamic disk the same ID is absent: V9, an error for C:.
run v9-gpt 4 "$MOUNTDB" check --no-hash --disk a.img v14.hive
contains v9-gpt out 'error    V9   C: is the system letter'

# ---- scrub --disks-complete ----------------------------------------------------------
run sc-hive1 0 "$MOUNTDB" assign d.hive F: mbr:99999999:1MiB --new -o sc1.hive
run sc-hive2 0 "$MOUNTDB" assign sc1.hive G: gpt:01234567-89ab-cdef-0123-456789abcdef --new -o sc.hive
run scrub 0 "$MOUNTDB" scrub sc.hive --disks-complete --disk a.img -o scrubbed.hive
run scrub-show 0 "$MOUNTDB" show -f jsonl --no-hash scrubbed.hive
contains scrub-show out '"drive_letters":["D"]'
if grep -q '"drive_letters":\["[FG]"' "$TMP/scrub-show.out"; then fail "scrub: F: or G: kept"
else pass "scrub: F: and G: (on none of the disks) scrubbed"; fi
# A dynamic disk given: the DMIO ID may be its volume (V14): kept.
run scrub-dyn 0 "$MOUNTDB" scrub sc.hive --disks-complete --disk a.img --disk dyn.img -o scrubbed2.hive
contains scrub-dyn out 'kept 1 ID that may be volumes of a given dynamic disk (V14: never stale)'
run scrub-dyn-show 0 "$MOUNTDB" show -f jsonl --no-hash scrubbed2.hive
contains scrub-dyn-show out '"drive_letters":["G"]'
run scrub-bad 8 "$MOUNTDB" scrub sc.hive --disks-complete --disk a.img --disk ./nonexistent.img --dry-run
contains scrub-bad err 'the inventory would not be complete: nothing scrubbed'
run scrub-usage 16 "$MOUNTDB" scrub sc.hive --disk a.img --dry-run
run scrub-usage2 16 "$MOUNTDB" scrub sc.hive --disks-complete --dry-run

finish
