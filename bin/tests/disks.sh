#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mountdb disks (issue 13): every format compared whole with goldens, on
# the images testdata/mkdisk writes into $DISKS; bad input reported per
# disk without stopping the others; inputs never changed (F1); block
# devices through read-only loop devices when losetup is allowed.
. "${top_srcdir:-$(dirname "$0")/../..}/bin/tests/lib.sh"
: "${DISKS:?run through make check, or set DISKS}"
cd "$DISKS" || exit 99
good="mbr-ext.img gpt.img gpt-hybrid.img gpt-backup.img gpt-4k.img
      dynamic-mbr.img dynamic-gpt.img bare-ntfs.img hostile-label.img
      win7-x86-usb.img win81-x64.img xp-m57.img win10-1709.img
      win10-1709-usb.img"
# The images are sparse and up to 2 TiB: their size, change time and
# first MiB (tables, boot sectors) stand for them (F1).
state () {
  for f in $good; do stat -c '%n %s %Y %Z' "$f"; head -c 1048576 "$f" | sha256sum; done
}
state >"$TMP/before.state"

# 1. Every format, whole.
# shellcheck disable=SC2086
{
  run text 0 "$MOUNTDB" disks $good; golden text disks.txt
  run json 0 "$MOUNTDB" disks --format=json $good; golden json disks.json
  run csv 0 "$MOUNTDB" disks --format=csv $good; golden csv disks.csv
  run xml 0 "$MOUNTDB" disks --format=xml $good; golden xml disks.xml
  run jsonl 0 "$MOUNTDB" disks --format=jsonl $good
}
if xmllint --noout --relaxng "$top_srcdir/bin/mountdb.rng" "$TMP/xml.out" 2>/dev/null; then
  pass "xml: valid against mountdb.rng"
else fail "xml: not valid against mountdb.rng"; fi
# JSONL: the same disk objects as the JSON document, one a line.
if python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2])]
sys.exit(0 if doc["disks"] == lines and doc["schema"] == 1 else 1)' \
  "$TMP/json.out" "$TMP/jsonl.out"; then pass "jsonl: one line per disk = json's disks[]"
else fail "jsonl: lines differ from json's disks[]"; fi

# 2. Facts the goldens hold, said once more where a reader looks first.
contains text out "mbr:5CBEA03E:1048576"        # win7-x86-usb's C:
contains text out "gpt:09931f21-7faf-44a9-81d8-1e73c14b9eaf"  # win10's C:
contains text out "mbr:7C1D9E42:549755813888"   # a logical at 512 GiB
contains text out "hybrid_mbr"
contains text out "gpt_backup_used"
contains text out "4096-byte sectors"
contains text out '=1+2\x1b[31mRED"<&>\x07,\x0a;x'   # the label, escaped
contains json out '"label": "=1+2\u001b[31mRED\"<&>\u0007,\n;x"'
contains csv out "\"'=1+2"                       # a formula neutralised
if grep -q $'\x1b' "$TMP"/*.out; then fail "a raw escape reached an output"
else pass "no raw escape in any output"; fi

# 3. Bad input: each named with its reason, the rest still listed, exit 8.
mkfifo "$TMP/fifo"
ln -s gpt.img "$TMP/link.img"
run bad 8 timeout 20 "$MOUNTDB" disks "$TMP" "$TMP/fifo" /dev/zero \
  bad-empty.img bad-gpt-truncated.img bad-past-end.img bad-ebr-loop.img \
  "$TMP/link.img" no-such.img gpt.img
contains bad err "$TMP: is a directory"
contains bad err "$TMP/fifo: is a FIFO"
contains bad err "/dev/zero: is a character device"
contains bad err "bad-empty.img: is empty"
contains bad err "bad-gpt-truncated.img: a protective MBR but no readable GPT"
contains bad err "$TMP/link.img: is a symbolic link"
contains bad err "no-such.img: cannot open"
contains bad out "warning   bad-past-end.img: partition 2 (bytes 629145600-1100140773376) extends past the end"
contains bad out "warning   bad-ebr-loop.img: the extended partition's EBR chain loops back"
contains bad out "disk      gpt.img"
run bad-json 8 timeout 20 "$MOUNTDB" disks --format=json "$TMP/fifo" \
  bad-gpt-truncated.img bad-past-end.img gpt.img
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["disks"]
ok = [x["path"] for x in d] == [sys.argv[2] + "/fifo", "bad-gpt-truncated.img", "bad-past-end.img", "gpt.img"]
ok = ok and d[0]["error"]["code"] == "not_regular" and d[1]["error"]["code"] == "format"
ok = ok and "error" not in d[2] and len(d[2]["warnings"]) == 1 and len(d[3]["partitions"]) == 4
sys.exit(0 if ok else 1)' "$TMP/bad-json.out" "$TMP"; then
  pass "bad-json: errors as {path, error}, the others listed"
else fail "bad-json: wrong document"; fi
# 1,000 GPT entries: all listed, the limit Windows has said.
run gpt1000 0 "$MOUNTDB" disks --format=jsonl bad-gpt-1000.img
if python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
sys.exit(0 if len(d["partitions"]) == 1000 and "Windows supports at most 128" in d["warnings"][0] else 1)' \
  "$TMP/gpt1000.out"; then pass "gpt1000: 1000 partitions, warned"
else fail "gpt1000: wrong"; fi

# 4. The sector size: detected in an image, or given.
run ss4k 0 "$MOUNTDB" disks --sector-size=4096 --format=csv gpt-4k.img
contains ss4k out ",4096,gpt,"
run ss512 8 "$MOUNTDB" disks --sector-size 512 gpt-4k.img
contains ss512 err "gpt-4k.img: a protective MBR but no readable GPT"

# 5. Usage.
run usage-none 16 "$MOUNTDB" disks
contains usage-none err "no DISK given"
run usage-ss 16 "$MOUNTDB" disks --sector-size=513 gpt.img
contains usage-ss err "'513' is not 512, 1024, 2048 or 4096"
run usage-fmt 16 "$MOUNTDB" disks --format=yaml gpt.img
run help 0 "$MOUNTDB" disks --help
contains help out "--sector-size"
contains help out "ewfmount"

# 6. F1: nothing read was changed.
if state | cmp -s - "$TMP/before.state"; then pass "inputs unchanged"
else fail "an input changed"; fi

# 6b. A partition's type says which filesystems are looked for (fewer
#     libblkid reads, bench/run.sh 6): none in an MSR, only FAT in an
#     ESP; an NTFS boot sector in either is not reported.  Linux swap in a
#     basic data partition (as Linux made them until 2012) is found.
run types 0 "$MOUNTDB" disks --format=csv types.img
if python3 -c '
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]))]
fs = [(r["number"], r["fs"], r["label"]) for r in rows]
sys.exit(0 if fs == [("1", "", ""), ("2", "", ""), ("3", "ntfs", "DATA"), ("4", "vfat", "EFI"), ("5", "swap", "")] else 1)'   "$TMP/types.out"; then pass "types: ESP NTFS and MSR NTFS not reported; NTFS data, FAT ESP and swap in basic data found"
else fail "types: wrong filesystems"; cat "$TMP/types.out"; fi

# 7. libblkid is loaded at the first disk, not linked (issue 14): a run
#    without disks never maps it; `disks` does.
run ld-none 0 env LD_DEBUG=files "$MOUNTDB" --version
if grep -q 'libblkid' "$TMP/ld-none.err"; then fail "ld-none: --version maps libblkid"
else pass "ld-none: --version does not map libblkid"; fi
run ld-disk 0 env LD_DEBUG=files "$MOUNTDB" disks gpt.img
contains ld-disk err "libblkid"

# 8. Block devices: the size and the logical sector size (BLKSSZGET) come
#    from the device.  Read-only loop devices of two images, one with
#    4096-byte sectors, must list what the images list; skipped, visibly,
#    where loop devices cannot be set up (not root, no loop driver).
# loopdev NAME IMAGE [LOSETUP-OPTION]: the loop device's JSON vs the image's
loops=()
trap 'for l in "${loops[@]}"; do losetup -d "$l" 2>/dev/null; done; rm -rf "$TMP"' EXIT
loopdev () {
  local name=$1 img=$2 dev
  shift 2
  if ! dev=$(losetup -r -f --show "$@" "$img" 2>"$TMP/$name.losetup"); then
    skip "$name: block devices: losetup -r -f --show $* $img: $(head -1 "$TMP/$name.losetup")"
    return
  fi
  loops+=("$dev")
  run "$name" 0 "$MOUNTDB" disks --format=json "$dev"
  run "$name-img" 0 "$MOUNTDB" disks --format=json "$img"
  if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["disks"][0]
i = json.load(open(sys.argv[2]))["disks"][0]
d.pop("path"); i.pop("path")
sys.exit(0 if d == i and d["partitions"] else 1)' "$TMP/$name.out" "$TMP/$name-img.out"
  then pass "$name: $dev lists what $img lists (sector size $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["disks"][0]["sector_size"])' "$TMP/$name.out"))"
  else fail "$name: $dev differs from $img"; diff "$TMP/$name.out" "$TMP/$name-img.out" | head -5; fi
  losetup -d "$dev"
}
if command -v losetup >/dev/null; then
  loopdev loop512 gpt.img
  loopdev loop4k gpt-4k.img -b 4096
else skip "block devices: losetup not installed (util-linux)"; fi
finish
