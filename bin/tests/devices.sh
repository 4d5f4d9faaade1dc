#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mountdb devices (issue 16): whole outputs in every format against
# expected files, what the join must find in each fixture, sources on every
# fact, escaping of hostile names, bad input and wrong kinds, evidence
# untouched, and the real hives in place (skipped, said, when absent).
. "${top_srcdir:-$(dirname "$0")/../..}/bin/tests/lib.sh"
cd "$FIXTURES" || exit 99   # relative paths keep outputs stable

formats="text json jsonl csv xml"
have_py=0; command -v python3 >/dev/null && have_py=1
have_xmllint=0; command -v xmllint >/dev/null && have_xmllint=1

# all NAME ARGS...: every format of one run, each against expected/NAME.FMT
# (jsonl: compared with the json golden, expected/NAME.jsonl only where
# they differ), JSON parsed and XML validated.
all () {
  local name=$1; shift
  for fmt in $formats; do
    run "$name.$fmt" 0 "$MOUNTDB" devices --format="$fmt" "$@"
    if [ "$fmt" != jsonl ]; then golden "$name.$fmt" "devices-$name.$fmt"
    elif [ $have_py = 1 ] || [ -e "$EXPECTED/devices-$name.jsonl" ]; then
      golden_as "$name.jsonl" "devices-$name.jsonl" "devices-$name.json" \
        "$TMP/$name.json.out" json_same
    else skip "$name.jsonl: python3 not installed to compare it"; fi
  done
  if [ $have_xmllint = 1 ]; then
    if xmllint --noout --relaxng "$top_srcdir/bin/mountdb.rng" "$TMP/$name.xml.out" \
         2>"$TMP/xmllint.err"; then pass "$name.xml: valid against mountdb.rng"
    else fail "$name.xml: invalid"; head -5 "$TMP/xmllint.err" | sed 's/^/    /'; fi
  else skip "$name.xml: xmllint not installed"; fi
}

# py NAME CHECK SCRIPT: SCRIPT (Python, the JSON document as d) must exit 0.
py () {
  local name=$1 what=$2 script=$3
  if [ $have_py = 0 ]; then skip "$name: $what (python3 not installed)"; return; fi
  if python3 -c "
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
def dev(serial=None, instance=None):
    for x in d['devices']:
        f = {a['field']: a['value'] for a in x['facts']}
        if (serial and f.get('serial') == serial) or (instance and f.get('instance_id') == instance):
            return x, f
    raise SystemExit('no device ' + str(serial or instance))
def letters(x):
    return sorted(n['letter'] for v in x['volumes'] for n in v['names'] if 'letter' in n)
$script
" "$TMP/$name.json.out" 2>"$TMP/py.err"; then pass "$name: $what"
  else fail "$name: $what"; sed 's/^/    /' "$TMP/py.err" | tail -3; fi
}

# 1. Fixtures, every format.
all win10 dev-win10.hive --user dev-user.hive --software dev-software.hive
all win10-nomp2 dev-win10.hive --user dev-user-nomp2.hive
all xp dev-xp.hive --user dev-user.hive
all nousbstor dev-nousbstor.hive
all hostile dev-hostile.hive --user dev-user-hostile.hive
all sample sample.hive

# 2. What the join must find (independent of the goldens).
py win10 "hives listed with role, path and SHA-256" '
assert [h["role"] for h in d["hives"]] == ["system", "user", "software"]
assert all(len(h["sha256"]) == 64 for h in d["hives"])
assert d["hives"][1]["user"]["name"] == "alice"
assert d["hives"][1]["user"]["source"] == {"hive": 1, "key": "Volatile Environment", "value": "USERNAME"}'
py win10 "every fact names its hive and key" '
for x in d["devices"]:
    assert x["summary"]
    for a in x["facts"]:
        s = a["source"]
        assert set(s) == {"hive", "key", "value"} and 0 <= s["hive"] < len(d["hives"]), a
        assert s["key"], a
        assert a["meaning"], a'
py win10 "SanDisk: E:, VID/PID, DiskId, 0064-0067, user alice" '
x, f = dev("AA010215150006030843")
assert letters(x) == ["E"], letters(x)
assert f["vendor"] == "SanDisk" and f["product"] == "Extreme" and f["revision"] == "0001"
assert f["serial_generated"] is False
assert (f["vid"], f["pid"]) == (0x0781, 0x5580)
assert f["disk_id"] == "{4a1e2b3c-5d6e-11ed-a1b2-806e6f6e6963}"
# devpkey.h: 0x64 DEVPKEY_Device_InstallDate, 0x65 FirstInstallDate
src = {a["field"]: a["source"]["key"].rsplit("\\", 1)[-1] for a in x["facts"]}
assert (src["install_date"], src["first_install"]) == ("0064", "0065"), src
assert f["first_install"] == "2023-01-10T08:15:03Z"
assert f["install_date"] == "2023-01-10T08:15:00Z"
assert f["last_arrival"] == "2023-03-02T17:40:12Z"
assert f["last_removal"] == "2023-03-02T18:05:44Z"
assert f["wpd_friendly_name"] == "EVIDENCE"
assert f["emd_label"] == "EVIDENCE" and f["emd_volume_serial"] == 1234567890
assert all(v["match"] == "device_path" for v in x["volumes"])
u = [(m["user"], m["guid"], m["last_written"]) for m in x["users"]]
assert ("alice", "3f2b7a10-c2d5-11ee-a9b7-a4bb6d51c2e0", "2023-03-02T17:40:30Z") in u, u
assert "alice" in x["summary"] and "E:" in x["summary"]'
py win10 "a Windows-made instance ID is flagged, not a serial" '
x, f = dev(instance="7&2a1b3c4d&0")
assert f["serial_generated"] is True and "serial" not in f
assert "not a serial" in x["summary"]
assert len(x["volumes"]) == 1 and letters(x) == []'
py win10 "a device with no volume; a volume with no device" '
x, f = dev("60A44C413A8FF131B9A40085")
assert x["volumes"] == [] and x["users"] == []
g = [n["letter"] for v in d["unmatched_volumes"] for n in v["names"] if "letter" in n]
assert "G" in g and "C" in g and "E" not in g, g'
py win10 "MountPoints2 entries of no device are kept" '
names = [m["name"] for m in d["unmatched_user_mounts"]]
assert "##fileserver#share" in names, names'
py win10 "IDE DVD writer D:" '
x, f = dev(instance="5&2bc13940&0&1.0.0")
assert f["bus"] == "IDE" and letters(x) == ["D"]'
py xp "XP: sticks joined by ParentIdPrefix, Select\\Current followed" '
assert d["control_set"] == 2
x, f = dev(instance="6&2f3a1b2c&0")
assert f["parent_id_prefix"] == "7&1a2b3c4d&0" and f["serial_generated"] is True
assert [v["match"] for v in x["volumes"]] == ["parent_id_prefix"] and letters(x) == ["E"]
y, g = dev("0703231A0B9C")
assert [v["match"] for v in y["volumes"]] == ["parent_id_prefix"] and letters(y) == []
assert all(a["field"] != "instance_id" or "STALE" not in a["value"] for x in d["devices"] for a in x["facts"])
assert any(m["guid"] == "b005e6d6-5496-11dd-8ec9-000c29e8bd4f" for m in x["users"])'
py nousbstor "no USBSTOR key: no USB device, F: listed as a volume with no device" '
assert all(a["value"] != "USBSTOR" for x in d["devices"] for a in x["facts"] if a["field"] == "bus")
assert "F" in [n.get("letter") for v in d["unmatched_volumes"] for n in v["names"]]'
py win10-nomp2 "a user hive without MountPoints2: no user activity, name from the path" '
assert all(x["users"] == [] for x in d["devices"]) and d["unmatched_user_mounts"] == []
assert d["hives"][1]["user"] is None or d["hives"][1]["user"]["source"]["key"] is None'
py hostile "hostile names arrive exactly in JSON" '
s = json.dumps(d)
assert "\\u001b" in s and "<b>" in s'

# 3. Hostile names stay escaped: no raw control characters in any format.
for fmt in $formats; do
  if LC_ALL=C grep -qP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]' "$TMP/hostile.$fmt.out"; then
    fail "hostile.$fmt: raw control characters in the output"
  else pass "hostile.$fmt: no raw control characters"; fi
  if [ "$fmt" != csv ] && LC_ALL=C grep -qP '\r' "$TMP/hostile.$fmt.out"; then
    fail "hostile.$fmt: a raw CR in the output"
  fi
done
# CSV: one row per device (and per volume no device holds), formulas defused.
if [ $have_py = 1 ]; then
  if python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert all(len(r) == len(rows[0]) for r in rows)
assert rows[0][:3] == ["record", "device", "summary"]
for r in rows[1:]:
    assert r[0] in ("device", "volume")
    assert all(not c or c[0] not in "=+-@" for c in r), r
' "$TMP/hostile.csv.out" 2>"$TMP/py.err"; then pass "hostile.csv: one shape of row, no formula"
  else fail "hostile.csv: rows"; tail -3 "$TMP/py.err" | sed 's/^/    /'; fi
fi

# 4. Bad input: each message names the file; nothing on stdout.
run missing 8 "$MOUNTDB" devices does-not-exist.hive
contains missing err "does-not-exist.hive"; empty missing out
run dir 8 "$MOUNTDB" devices .
empty dir out
head -c 5000 dev-win10.hive > "$TMP/truncated.hive"
run truncated 8 "$MOUNTDB" devices "$TMP/truncated.hive"
contains truncated err "truncated.hive"; empty truncated out
run user-missing 8 "$MOUNTDB" devices dev-win10.hive --user nosuch.dat
contains user-missing err "nosuch.dat"; empty user-missing out
run ntuser-as-system 4 "$MOUNTDB" devices dev-user.hive
contains ntuser-as-system err "dev-user.hive: a user hive (NTUSER.DAT), not a SYSTEM hive"
empty ntuser-as-system out
run system-as-user 4 "$MOUNTDB" devices dev-win10.hive --user sample.hive
contains system-as-user err "sample.hive: a SYSTEM hive, not a user hive"
run software-as-user 4 "$MOUNTDB" devices dev-win10.hive --user dev-software.hive
contains software-as-user err "give it with --software"
run user-as-software 4 "$MOUNTDB" devices dev-win10.hive --software dev-user.hive
contains user-as-software err "not a SOFTWARE hive"
run software-as-system 4 "$MOUNTDB" devices dev-software.hive
contains software-as-system err "dev-software.hive: a SOFTWARE hive"
run hostile-path 8 "$MOUNTDB" devices "$(printf 'x\033[31m.hive')"
if LC_ALL=C grep -qP '\x1b' "$TMP/hostile-path.err"; then fail "hostile-path: raw ESC on stderr"
else pass "hostile-path: stderr escaped"; fi
run hostile-user-kind 4 "$MOUNTDB" devices dev-user-hostile.hive
if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$TMP/hostile-user-kind.err"; then
  fail "hostile-user-kind: raw control characters on stderr"
else pass "hostile-user-kind: stderr escaped"; fi

# 5. Usage.
run no-operand 16 "$MOUNTDB" devices
# Several SYSTEM hives are a batch (bin/tests/batch.sh); --user and
# --software belong to one of them.
run two-systems-user 16 "$MOUNTDB" devices dev-win10.hive dev-xp.hive --user dev-user.hive
contains two-systems-user err "--user and --software belong to one SYSTEM hive"
run list-software 16 "$MOUNTDB" devices --files-from - --software dev-software.hive < /dev/null
contains list-software err "--user and --software belong to one SYSTEM hive"
run stdin 16 "$MOUNTDB" devices -
run stdin-second 16 "$MOUNTDB" devices dev-win10.hive -
run jobs 0 "$MOUNTDB" devices --jobs=2 dev-win10.hive
run software-twice 16 "$MOUNTDB" devices dev-win10.hive --software a --software b
run bad-format 16 "$MOUNTDB" devices --format=yaml dev-win10.hive
run user-no-arg 16 "$MOUNTDB" devices dev-win10.hive --user
run help 0 "$MOUNTDB" devices --help
contains help out "Usage: mountdb devices [OPTION]... SYSTEM... [--software SOFTWARE] [--user NTUSER.DAT]..."
contains help out "--files-from=FILE"
contains help out "--user=NTUSER.DAT"
contains help out "Exit status"
run json-array 0 "$MOUNTDB" devices --format=json --json-array dev-win10.hive
if [ $have_py = 1 ]; then
  if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d, list) and len(d) == 1' \
       "$TMP/json-array.out"; then pass "json-array: an array of one document"
  else fail "json-array: not an array of one document"; fi
fi

# 6. Evidence: the inputs are the same bytes afterwards, and --no-hash
# says so in every hive.
before=$(sha256sum dev-win10.hive dev-user.hive dev-software.hive)
run nohash 0 "$MOUNTDB" devices --no-hash --format=json dev-win10.hive --user dev-user.hive --software dev-software.hive
after=$(sha256sum dev-win10.hive dev-user.hive dev-software.hive)
if [ "$before" = "$after" ]; then pass "evidence: inputs unchanged"
else fail "evidence: an input changed"; fi
if [ "$(grep -c '"sha256": null' "$TMP/nohash.out")" -eq 3 ]; then pass "nohash: three hives, no hash"
else fail "nohash: expected sha256 null for the three hives"; fi

# 7. Real hives in place (never copied).
R=${REAL_HIVES:-}
# real_run NAME SYSTEM [ARGS]: `devices` on a real hive in every format, run
# from its folder (paths in the goldens are relative); exit 0 and the
# goldens (devices-NAME.FMT; jsonl has none).
real_run () {
  local name=$1 fmt; shift
  ( cd "$R" && for fmt in $formats; do
      "$MOUNTDB" devices --format="$fmt" "$@" >"$TMP/$name.$fmt.out" 2>"$TMP/$name.$fmt.err"
      echo $? >"$TMP/$name.$fmt.rc"; done )
  for fmt in $formats; do
    if [ "$(cat "$TMP/$name.$fmt.rc")" = 0 ]; then pass "$name.$fmt: exit 0"
    else fail "$name.$fmt: exit $(cat "$TMP/$name.$fmt.rc")"; head -3 "$TMP/$name.$fmt.err"; fi
    [ "$fmt" = jsonl ] || golden "$name.$fmt" "devices-$name.$fmt"
  done
}
if [ -n "$R" ] && [ -r "$R/xp-x86-m57-removable.SYSTEM" ] && [ -r "$R/xp-x86-m57-removable.NTUSER.DAT" ]; then
  real_run real-xp xp-x86-m57-removable.SYSTEM --user xp-x86-m57-removable.NTUSER.DAT
  py real-xp "XP: two sticks via STORAGE#RemovableMedia, each opened by the user" '
m = [x for x in d["devices"] if any(v["match"] == "parent_id_prefix" for v in x["volumes"])]
assert len(m) == 2, len(m)
g = sorted(u["guid"] for x in m for u in x["users"] if u["guid"])
assert any(s.startswith("b005e6d6") for s in g) and any(s.startswith("ef285bc8") for s in g), g'
else skip "real XP hives: $R/xp-x86-m57-removable.SYSTEM (+ .NTUSER.DAT) absent"; fi

if [ -n "$R" ] && [ -r "$R/win7-x86-usb.SYSTEM" ]; then
  real_run real-win7 win7-x86-usb.SYSTEM
  py real-win7 "Windows 7: the HP v100w USBSTOR device holds E:" '
x = [x for x in d["devices"] if any(a["field"] == "product" and a["value"] == "v100w" for a in x["facts"])]
assert len(x) == 1 and letters(x[0]) == ["E"], x'
else skip "real Windows 7 hive: $R/win7-x86-usb.SYSTEM absent"; fi

if [ -n "$R" ] && [ -r "$R/win10-1709-dirty.SYSTEM" ]; then
  real_run real-win10 win10-1709-dirty.SYSTEM
  ( cd "$R" && "$MOUNTDB" devices --format=json --no-logs win10-1709-dirty.SYSTEM >"$TMP/real-win10-nologs.json.out" 2>/dev/null )
  py real-win10 "Windows 10 dirty: logs applied, both SanDisk Extreme listed" '
h = d["hives"][0]
assert h["dirty"] and h["logs_applied"] and h["logs"]["applied"] and len(h["logs"]["files"]) == 2
s = [x for x in d["devices"] if any(a["field"] == "vendor" and a["value"] == "SanDisk" for a in x["facts"])]
assert len(s) == 2, len(s)'
  # The Samsung Portable SSD T5 (first installed 2018-04-06) is only in
  # the state the logs hold: the primary alone does not know it.
  t5='any(a["field"] == "product" and a["value"] == "Portable_SSD_T5" for x in d["devices"] for a in x["facts"])'
  py real-win10 "Windows 10 dirty: the device only the logs know is listed" "assert $t5"
  py real-win10-nologs "Windows 10 without its logs: marked, and without that device" "
assert d['hives'][0]['dirty'] and not d['hives'][0]['logs_applied']
assert not $t5"
else skip "real Windows 10 hive: $R/win10-1709-dirty.SYSTEM absent"; fi

finish
