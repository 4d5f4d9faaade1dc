# SPDX-License-Identifier: GPL-2.0-or-later
"""mountdb.devices(): the device history against `mountdb devices
--format=json` for the same hives, field by field (fixtures and the real
XP, Windows 7 and Windows 10 hives), and its lifetime and errors."""
import gc
import json
import os

import pytest

import mountdb
from conftest import FIXTURES, REAL_HIVES, cli, iso, pairs

# (SYSTEM, users, SOFTWARE): the runs of bin/tests/devices.sh.
FIXTURE_RUNS = {
    "win10": ("dev-win10", ["dev-user"], "dev-software"),
    "win10-nomp2": ("dev-win10", ["dev-user-nomp2"], None),
    "xp": ("dev-xp", ["dev-user"], None),
    "nousbstor": ("dev-nousbstor", [], None),
    "hostile": ("dev-hostile", ["dev-user-hostile"], None),
    "sample": ("sample", [], None),
    "lib": ("devlib-system", ["devlib-ntuser", "devlib-ntuser-nomp2"],
            "devlib-software"),
}
REAL_RUNS = {
    "xp-m57": ("xp-x86-m57-removable.SYSTEM",
               ["xp-x86-m57-removable.NTUSER.DAT"], None),
    "win7": ("win7-x86-usb.SYSTEM", [], None),
    "win10-1709": ("win10-1709-dirty.SYSTEM", [], None),
}


def fixture(name):
    p = os.path.join(FIXTURES, name + ".hive")
    if not os.path.exists(p):
        pytest.skip("fixtures not built (run through make check)")
    return p


def real(name):
    p = os.path.join(REAL_HIVES, name)
    if not REAL_HIVES or not os.path.exists(p):
        pytest.skip("real hive %s absent (REAL_HIVES)" % name)
    return p


def cli_devices(system, users, software, fmt="json"):
    """`mountdb devices` on these hives: its stdout (bytes)."""
    args = ["devices", "--format=" + fmt, system]
    for u in users:
        args += ["--user", u]
    if software:
        args += ["--software", software]
    p = cli(*args)
    assert p.returncode == 0, p.stderr
    return p.stdout


def same_document(d, system, users, software):
    """to_dict() and _json() come from the library's one writer: the
    CLI's exact bytes, pretty (json) and compact (jsonl)."""
    for fmt, compact in (("json", False), ("jsonl", True)):
        out = cli_devices(system, users, software, fmt)
        assert d._json(compact=compact) + b"\n" == out
    assert d.to_dict() == json.loads(out)


def source_equal(s, j):
    assert (s.hive, s.key, s.value) == (j["hive"], j["key"], j["value"])


def fact_equal(f, j):
    assert f.field == j["field"] and f.kind == j["kind"] and f.meaning == j["meaning"]
    if f.kind == "time":
        assert f.value == iso(j["value"]), f.field
    else:
        assert f.value == j["value"] and type(f.value) is type(j["value"]), f.field
    source_equal(f.source, j["source"])


def volume_equal(v, j):
    assert v.match == j.get("match")
    assert v.id == j["id"] == v.volume.unique_id.summary
    for e, n in pairs(v.names, j["names"]):
        assert e.name == n["name"] and e.class_ == n["class"]
        assert e.letter == n.get("letter")
        assert (str(e.guid) if e.guid else None) == n.get("guid")
        assert n["source"] == {"hive": 0, "key": "MountedDevices",
                               "value": e.name}


def mount_equal(m, j):
    for k in ("hive", "user", "name", "guid", "letter", "by_letter"):
        assert getattr(m, k) == j[k], k
    assert m.last_written == iso(j["last_written"])
    source_equal(m.source, j["source"])


def devices_equal(d, doc):
    assert d.control_set == doc["control_set"]
    for h, j in pairs(d.hives, doc["hives"]):
        for k in ("index", "role", "path", "size", "sha256", "kind", "dirty",
                  "logs_applied", "unsafe"):
            assert getattr(h, k) == j[k], k
        assert h.last_written == iso(j["last_written"])
        assert (h.logs is None) == (j["logs"] is None)
        if h.logs is not None:
            assert h.logs is h.hive.logs or h.logs == h.hive.logs
            assert h.logs.applied == j["logs"]["applied"]
            assert [(f.path, f.size, f.sha256, f.valid, f.used)
                    for f in h.logs.files] == \
                [(f["path"], f["size"], f["sha256"], f["valid"], f["used"])
                 for f in j["logs"]["files"]]
        assert (h.user is None) == (j["user"] is None)
        if h.user:
            assert h.user.name == j["user"]["name"]
            source_equal(h.user.source, j["user"]["source"])
        assert h.hive.path == h.path
    for dev, j in pairs(d.devices, doc["devices"]):
        assert dev.index == j["index"]
        for f, fj in pairs(dev.facts, j["facts"]):
            fact_equal(f, fj)
        for v, vj in pairs(dev.volumes, j["volumes"]):
            volume_equal(v, vj)
        for m, mj in pairs(dev.users, j["users"]):
            mount_equal(m, mj)
            assert m.device == dev.index
    for v, vj in pairs(d.unmatched_volumes, doc["unmatched_volumes"]):
        volume_equal(v, vj)
    for m, mj in pairs(d.unmatched_user_mounts, doc["unmatched_user_mounts"]):
        mount_equal(m, mj)
        assert m.device is None
    assert len(d.user_mounts) >= len(d.unmatched_user_mounts)


@pytest.mark.parametrize("run", sorted(FIXTURE_RUNS))
def test_fixtures_match_cli(run):
    sysn, users, soft = FIXTURE_RUNS[run]
    system = fixture(sysn)
    users = [fixture(u) for u in users]
    software = fixture(soft) if soft else None
    doc = json.loads(cli_devices(system, users, software))
    d = mountdb.devices(system, users=users, software=software)
    devices_equal(d, doc)
    same_document(d, system, users, software)
    # Hive objects opened with devices=True give the same.
    hs = [mountdb.open(p, devices=True) for p in [system, *users]]
    sw = mountdb.open(software, devices=True) if software else None
    d2 = mountdb.devices(hs[0], hs[1:], sw)
    devices_equal(d2, doc)
    assert d2.hives[0].hive is hs[0]


@pytest.mark.parametrize("run", sorted(REAL_RUNS))
def test_real_hives_match_cli(run):
    sysn, users, soft = REAL_RUNS[run]
    system = real(sysn)
    users = [real(u) for u in users]
    doc = json.loads(cli_devices(system, users, None))
    d = mountdb.devices(system, users)
    devices_equal(d, doc)
    same_document(d, system, users, None)
    assert d.devices, "a real hive with no device"


def test_which_stick_was_e():
    """The examiner's question on the XP m57 hives: E:'s device, and who
    opened it."""
    d = mountdb.devices(real("xp-x86-m57-removable.SYSTEM"),
                        [real("xp-x86-m57-removable.NTUSER.DAT")])
    hits = [dev for dev in d.devices
            if any("E" in v.volume.drive_letters for v in dev.volumes)]
    assert len(hits) == 1
    facts = {f.field: f.value for f in hits[0].facts}
    assert facts["bus"] == "USBSTOR" and hits[0].volumes[0].match == "parent_id_prefix"
    assert hits[0].users and hits[0].users[0].hive == 1


def test_lifetime_and_closed():
    system, user = fixture("dev-win10"), fixture("dev-user")
    h = mountdb.open(system, devices=True)
    u = mountdb.open(user, devices=True)
    d = mountdb.devices(h, [u])
    facts = d.devices[0].facts
    del h, u
    gc.collect()
    # The join keeps its hives alive.
    assert d.devices[0].facts == facts
    d.hives[1].hive.close()
    for attr in ("devices", "hives", "unmatched_volumes", "user_mounts",
                 "unmatched_user_mounts", "control_set"):
        with pytest.raises(mountdb.Closed):
            getattr(d, attr)
    with pytest.raises(mountdb.Closed):
        d.to_dict()
    with pytest.raises(mountdb.Closed):
        d._json()
    assert "closed" in repr(d)
    assert facts[0].field == "bus"     # records are copies: still there
    u2 = mountdb.open(user, devices=True)
    u2.close()
    with pytest.raises(mountdb.Closed):
        mountdb.devices(system, [u2])


def test_errors():
    system, user = fixture("dev-win10"), fixture("dev-user")
    software = fixture("dev-software")
    with pytest.raises(mountdb.InvalidArgument):     # not opened with devices
        mountdb.devices(mountdb.open(system))
    with pytest.raises(mountdb.Refused) as ei:        # wrong kinds, as the CLI
        mountdb.devices(user)
    assert "user hive" in str(ei.value)
    with pytest.raises(mountdb.Refused):
        mountdb.devices(system, [system])
    with pytest.raises(mountdb.Refused):
        mountdb.devices(system, software=user)
    with pytest.raises(TypeError):
        mountdb.devices(system, user)                # one str, not a list
    with pytest.raises(TypeError):
        mountdb.devices(42)
    with pytest.raises(TypeError):
        mountdb.devices(system, [None])
    with pytest.raises(mountdb.IOFailure):
        mountdb.devices(system + ".none")
    with pytest.raises(mountdb.NotAHive):
        mountdb.devices(__file__)
    d = mountdb.devices(system, (), software)
    assert [h.role for h in d.hives] == ["system", "software"]
