#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Transaction logs (section 8, L rules): replay in memory for show and
# check, `replay` through the safe writer, repairs of dirty hives.  Uses the
# real log sets of ../shared/testdata/real in place (copies for writes).
. "${top_srcdir:-$(dirname "$0")/../..}/bin/tests/lib.sh"
R=$REAL_HIVES
if [ ! -f "$R/logs/new-dirty/NewDirtyHive" ]; then
  echo "SKIP: real log sets absent at $R ($0 needs ../shared/testdata/real)"
  exit 77
fi
cd "$TMP" || exit 99
export SOURCE_DATE_EPOCH=1700000000
jsonq () { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# 1. Acceptance: NewDirtyHive replayed equals Windows 10's recovery from
#    offset 4096 to the end.
cp "$R"/logs/new-dirty/NewDirtyHive* . && chmod u+w NewDirtyHive*
run replay-new 0 "$MOUNTDB" replay NewDirtyHive -o rec.hive
if cmp -s <(tail -c +4097 rec.hive) <(tail -c +4097 "$R/logs/new-dirty/RecoveredHive_Windows10"); then
  pass "new-dirty: replayed = RecoveredHive_Windows10 from offset 4096"
else fail "new-dirty: replayed hive differs from Windows' recovery"; fi
# yarp's test hives are no SYSTEM hives: show exits 4 for them (R4).
run replay-new-show 4 "$MOUNTDB" show --format=json rec.hive
[ "$(jsonq "$TMP/replay-new-show.out" 'd["hive"]["dirty"], d["hive"]["sequence"][0] == d["hive"]["sequence"][1], d["hive"]["file_type"]')" = "False True 0" ] \
  && pass "replayed hive is clean: sequences equal, file type 0" || fail "replayed hive not clean"
cmp -s NewDirtyHive "$R/logs/new-dirty/NewDirtyHive" && pass "replay: input unchanged" || fail "replay: input changed"

# 2. The Windows 10 SYSTEM hive: show replays by default, --no-logs does not.
W="$R/win10-1709-dirty.SYSTEM"
run win10 0 "$MOUNTDB" show --format=json "$W"
[ "$(jsonq "$TMP/win10.out" '[e["data"] for e in d["entries"] if e.get("letter") == "F"]')" = "['8159d4760000100000000000']" ] \
  && pass "win10: F: = MBR 76d45981 @ 1048576 after replay" || fail "win10: no F: after replay"
[ "$(jsonq "$TMP/win10.out" 'len(d["entries"]), d["key"]["last_written"][:10], d["hive"]["logs_applied"]')" = "7 2018-04-06 True" ] \
  && pass "win10: 7 values, key LastWrite 2018-04-06, logs_applied" || fail "win10: entries/LastWrite/logs_applied"
[ "$(jsonq "$TMP/win10.out" 'd["hive"]["logs"]["first_sequence"], d["hive"]["logs"]["last_sequence"], [f["used"] for f in d["hive"]["logs"]["files"]]')" = "2107 2130 [True, True]" ] \
  && pass "win10: logs object: sequence 2107-2130, both logs used" || fail "win10: logs object"
[ "$(jsonq "$TMP/win10.out" 'all(len(f["sha256"]) == 64 for f in d["hive"]["logs"]["files"])')" = "True" ] \
  && pass "win10: logs hashed (F2)" || fail "win10: logs not hashed"
run win10-nologs 0 "$MOUNTDB" show --format=json --no-logs "$W"
[ "$(jsonq "$TMP/win10-nologs.out" 'len(d["entries"]), d["key"]["last_written"][:10], d["hive"]["logs_applied"]')" = "6 2018-03-27 False" ] \
  && pass "win10 --no-logs: the primary alone (6 values, 2018-03-27)" || fail "win10 --no-logs"
run win10-check 0 "$MOUNTDB" check "$W"
if grep -q "L1" "$TMP/win10-check.out"; then fail "win10 check: L1 although logs were applied"
else pass "win10 check: no L1 after replay"; fi
run win10-check-nologs 0 "$MOUNTDB" check --no-logs "$W"
contains win10-check-nologs out "L1"
run win10-text 0 "$MOUNTDB" show "$W"
contains win10-text out "transaction logs applied in memory"
run win10-xml 0 "$MOUNTDB" show --format=xml "$W"
xmllint --noout --relaxng "$top_srcdir/bin/mountdb.rng" "$TMP/win10-xml.out" 2>/dev/null \
  && pass "win10 xml: valid with <logs>" || fail "win10 xml: invalid"
# Explicit logs, from elsewhere.
mkdir -p elsewhere && cp "$W".LOG1 elsewhere/a && cp "$W".LOG2 elsewhere/b
cp "$W" lone.SYSTEM
run explicit 0 "$MOUNTDB" show --format=json lone.SYSTEM --log elsewhere/a --log elsewhere/b
[ "$(jsonq "$TMP/explicit.out" 'len(d["entries"])')" = "7" ] && pass "--log: explicit logs applied" || fail "--log"
run explicit-missing 8 "$MOUNTDB" show lone.SYSTEM --log elsewhere/nothing
contains explicit-missing err "elsewhere/nothing"
run no-logs-found 0 "$MOUNTDB" show --format=json lone.SYSTEM
[ "$(jsonq "$TMP/no-logs-found.out" 'len(d["entries"]), d["hive"]["logs_applied"]')" = "6 False" ] \
  && pass "dirty without logs beside it: primary alone, with a warning" || fail "dirty without logs"

# 3. The other log sets: old format, invalid base block, bad log, truncated.
for h in logs/old-dirty/OldDirtyHive logs/bad-baseblock/BadBaseBlockHive; do
  n=$(basename "$h")
  run "$n" 4 "$MOUNTDB" show --format=json "$R/$h"
  [ "$(jsonq "$TMP/$n.out" 'd["hive"]["logs_applied"]')" = "True" ] && pass "$n: logs applied" || fail "$n: logs not applied"
done
cp "$R"/logs/old-dirty/OldDirtyHive* . && chmod u+w OldDirtyHive*
run replay-old 0 "$MOUNTDB" replay OldDirtyHive -o old-rec.hive
run bad-log 4 "$MOUNTDB" show --format=json "$R/logs/bad-log/BadLogHive"
[ "$(jsonq "$TMP/bad-log.out" 'd["hive"]["logs_applied"], bool(d["hive"]["logs"]["summary"])')" = "False True" ] \
  && pass "bad-log: refused with a reason" || fail "bad-log: not refused with a reason"
cp "$R"/logs/bad-log/BadLogHive* . && chmod u+w BadLogHive*
run replay-bad 4 "$MOUNTDB" replay BadLogHive -o bad-rec.hive
[ ! -e bad-rec.hive ] && pass "replay of unusable logs: nothing written" || fail "replay wrote a file"
timeout 20 "$MOUNTDB" show "$R/logs/truncated-dirty/TruncatedDirtyHive" >/dev/null 2>"$TMP/trunc.err"
st=$?
case $st in 4|8) pass "truncated-dirty: clear result (exit $st)";; *) fail "truncated-dirty: exit $st";; esac
run replay-clean 0 "$MOUNTDB" replay "$FIXTURES/sample.hive" -o clean.hive
contains replay-clean err "nothing to replay"
[ ! -e clean.hive ] && pass "replay of a clean hive: nothing written" || fail "replay of a clean hive wrote a file"
# An already recovered hive is clean: replaying it again writes nothing.
run replay-again 0 "$MOUNTDB" replay rec.hive -o rec-again.hive
contains replay-again out "nothing to replay (nothing written)"
[ ! -e rec-again.hive ] && pass "replay of a recovered hive: nothing written" || fail "replay of a recovered hive wrote a file"

# 4. Repairs: a dirty hive with usable logs is edited after replay, and in
#    place its old logs go aside; without logs, writes are refused (H2).
cp "$W" w10.SYSTEM && cp "$W".LOG1 w10.SYSTEM.LOG1 && cp "$W".LOG2 w10.SYSTEM.LOG2 && chmod u+w w10.SYSTEM*
run dirty-edit 0 "$MOUNTDB" assign w10.SYSTEM G: F: --move --in-place --format=json
[ "$(jsonq "$TMP/dirty-edit.out" 'len(d["logs_moved"])')" = "2" ] && pass "in place: both logs moved aside" || fail "in place: logs not moved"
[ ! -e w10.SYSTEM.LOG1 ] && [ ! -e w10.SYSTEM.LOG2 ] && pass "in place: no stale logs beside the hive" || fail "stale logs left"
# The replay is built in the hive's own in-memory copy; its undo record
# must give back the file as read: the backup and the hash are the input's.
orig=$(sha256sum < "$W" | cut -d' ' -f1)
bak=$(jsonq "$TMP/dirty-edit.out" 'd["backup"]')
[ "$(sha256sum < "$bak" | cut -d' ' -f1)" = "$orig" ] && pass "in place after replay: backup = the file as read" || fail "backup differs from the file as read"
[ "$(jsonq "$TMP/dirty-edit.out" 'd["input"]["sha256"]')" = "$orig" ] && pass "in place after replay: input hash = the file's" || fail "input hash"
cp "$W" w10b.SYSTEM && cp "$W".LOG1 w10b.SYSTEM.LOG1 && cp "$W".LOG2 w10b.SYSTEM.LOG2 && chmod u+w w10b.SYSTEM*
run dirty-edit-out 0 "$MOUNTDB" assign w10b.SYSTEM G: F: --move -o w10b-out.hive --format=json
cmp -s w10b.SYSTEM "$W" && pass "-o after replay: input unchanged" || fail "-o after replay: input changed"
run dirty-edit-show 0 "$MOUNTDB" show --format=json w10.SYSTEM
[ "$(jsonq "$TMP/dirty-edit-show.out" 'd["hive"]["dirty"], sorted(e["letter"] for e in d["entries"] if "letter" in e)')" = "False ['C', 'D', 'E', 'G']" ] \
  && pass "after the edit: clean, F: moved to G:" || fail "after the edit"
cp "$R/win81-x64-dirty-nolog.SYSTEM" w81.SYSTEM && chmod u+w w81.SYSTEM
run dirty-nolog 4 "$MOUNTDB" unassign w81.SYSTEM D: -o w81-out.hive
contains dirty-nolog err "discard-logs"
run dirty-discard 0 "$MOUNTDB" unassign w81.SYSTEM D: -o w81-out.hive --discard-logs

# 5. Help.
run replay-help 0 "$MOUNTDB" replay --help
contains replay-help out "sequence numbers equal"
run show-help 0 "$MOUNTDB" show --help
contains show-help out "--no-logs"

finish
