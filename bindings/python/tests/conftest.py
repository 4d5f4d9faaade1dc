# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared fixtures: the build tree's CLI, fixtures and disks (from the
environment `make check` sets), and the CLI's JSON as the reference."""
import datetime
import json
import os
import subprocess

import pytest

import mountdb

FIXTURES = os.environ.get("FIXTURES", "")
MOUNTDB = os.environ.get("MOUNTDB", "")
REAL_HIVES = os.environ.get("REAL_HIVES", "")
DISKS = os.environ.get("DISKS", "")
SRCDIR = os.environ.get("top_srcdir", os.path.join(os.path.dirname(__file__),
                                                   "..", "..", ".."))


def pid(p):
    """Test IDs: a file's base name (pytest passes a marker for an empty
    parameter list, which then skips)."""
    return os.path.basename(p) if isinstance(p, str) else str(p)


def fixture_paths():
    if not FIXTURES or not os.path.isdir(FIXTURES):
        return []
    return sorted(os.path.join(FIXTURES, f) for f in os.listdir(FIXTURES)
                  if f.endswith(".hive"))


def real_hive_paths():
    """Real hives read in place (never copied), skipped when absent."""
    if not REAL_HIVES or not os.path.isdir(REAL_HIVES):
        return []
    out = []
    for root, _dirs, files in os.walk(REAL_HIVES):
        for f in files:
            if f.upper().endswith((".SYSTEM", ".DAT")) or f.upper() == "SYSTEM":
                out.append(os.path.join(root, f))
    return sorted(out)


def cli(*args, check=True, env=None):
    if not MOUNTDB:
        pytest.skip("MOUNTDB not set (run through make check)")
    e = dict(os.environ)
    # A sanitizer build preloads the ASan runtime for the interpreter
    # (run-tests.sh); the CLI carries its own and refuses a second one.
    e.pop("LD_PRELOAD", None)
    e.update(env or {})
    p = subprocess.run([MOUNTDB, *args], capture_output=True, env=e)
    if check and p.returncode not in (0, 4, 8):
        raise AssertionError("mountdb %s: exit %d: %s" %
                             (" ".join(args), p.returncode, p.stderr.decode()))
    return p


def cli_json(*args):
    p = cli("show", "--format=json", *args)
    return json.loads(p.stdout)


@pytest.fixture
def sample():
    path = os.path.join(FIXTURES, "sample.hive")
    if not os.path.exists(path):
        pytest.skip("fixtures not built (run through make check)")
    return path


def pairs(got, want):
    """Items of two sequences side by side, once their lengths agree."""
    got, want = list(got), list(want)
    assert len(got) == len(want), (got, want)
    return zip(got, want)


def iso(ft_text):
    """The JSON's ISO 8601 time, cut to datetime's microseconds."""
    if ft_text is None:
        return None
    base, _, frac = ft_text.rstrip("Z").partition(".")
    dt = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S")
    us = int((frac + "000000")[:6]) if frac else 0
    return dt.replace(microsecond=us, tzinfo=datetime.timezone.utc)


def guid_text(g):
    return None if g is None else str(g)


def uid_equal(u, j):
    assert u.shape == j["shape"]
    assert u.summary == j["summary"]
    for k, v in j.items():
        if k in ("shape", "summary"):
            continue
        got = u.fields[k]
        if k in ("guid", "class_guid") and got is not None:
            got = str(got)
        assert got == v, (k, got, v)
        assert getattr(u, k) == u.fields[k]
    assert set(u.fields) == set(j) - {"shape", "summary"}


def entry_equal(e, j):
    assert e.index == j["index"]
    assert e.name == j["name"]
    assert e.class_ == j["class"] == getattr(e, "class")
    assert e.flags == tuple(j.get("flags", ()))
    assert e.variant_of == j.get("variant_of")
    assert e.letter == j.get("letter")
    mp = j.get("mount_point")
    assert (e.mount_point is None) == (mp is None)
    if mp:
        assert e.mount_point.letter == mp["letter"]
        assert e.mount_point.path == mp["path"]
    assert guid_text(e.guid) == j.get("guid")
    gi = j.get("guid_info")
    assert (e.guid_info is None) == (gi is None)
    if gi:
        assert e.guid_info.version == gi["version"]
        assert e.guid_info.timestamp == iso(gi.get("timestamp"))
        assert e.guid_info.node == gi.get("node")
        assert e.guid_info.node_kind == gi.get("node_kind")
        assert e.guid_info.mbr_derived == gi.get("mbr_derived", False)
        assert e.guid_info.mbr_signature == gi.get("mbr_signature")
        if isinstance(e.guid, type(e.guid)) and gi["version"] == 1 \
                and hasattr(e.guid, "node"):
            # uuid.UUID has the version-1 time and node too.
            assert "%012x" % e.guid.node == gi["node"].replace(":", "")
    assert e.type == j["type"]
    assert e.length == j["length"]
    assert (e.data.hex() if e.data is not None else None) == j["data"]
    if "unique_id" in j:
        uid_equal(e.unique_id, j["unique_id"])
    else:
        assert e.unique_id is None
    assert e.volume == j["volume"]
    assert e.error == j.get("error")


def volume_equal(v, j):
    assert v.index == j["index"]
    uid_equal(v.unique_id, j["unique_id"])
    assert v.data.hex() == j["data"]
    assert v.length == j["length"]
    assert v.drive_letters == tuple(j["drive_letters"])
    assert tuple(map(str, v.volume_guids)) == tuple(j["volume_guids"])
    assert guid_text(v.derived_volume_guid) == j["derived_volume_guid"]
    assert tuple(map(str, v.no_letter_markers)) == tuple(j["no_letter_markers"])
    assert v.mount_points == tuple(j["mount_points"])
    assert v.other_names == tuple(j["other_names"])
    names = [e.index for e in v.entries]
    assert names == sorted(names)


def hive_equal(h, doc):
    """Every attribute against `mountdb show --format=json` of the hive."""
    hj = doc["hive"]
    assert h.path == hj["path"]
    assert h.size == hj["size"]
    assert h.sha256 == hj["sha256"]
    assert h.format == hj["format"]
    assert list(h.sequence) == hj["sequence"]
    assert h.dirty == hj["dirty"]
    assert h.checksum_ok == hj["checksum_ok"]
    assert h.last_written == iso(hj["last_written"])
    assert h.embedded_name == hj["embedded_name"]
    assert h.file_type == hj["file_type"]
    assert h.unsafe == hj["unsafe"]
    assert h.logs_applied == hj["logs_applied"]
    lj = hj["logs"]
    assert (h.logs is None) == (lj is None)
    if lj:
        assert h.logs.applied == lj["applied"]
        assert h.logs.summary == lj["summary"]
        for k in ("first_sequence", "last_sequence", "pages"):
            assert getattr(h.logs, k) == lj.get(k)
        assert len(h.logs.files) == len(lj["files"])
        for f, fj in zip(h.logs.files, lj["files"]):
            for k, v in fj.items():
                assert getattr(f, k) == v, k
    assert h.hive_kind == hj["hive_kind"]
    assert h.layered == hj["layered"]
    assert h.setup_in_progress == hj["setup_in_progress"]
    assert h.windows_version == hj["windows_version"]
    assert h.control_set._asdict() if hasattr(h.control_set, "_asdict") else True
    cs = doc["control_set"]
    for k, v in cs.items():
        assert getattr(h.control_set, k) == v, k
    kj = doc["key"]
    assert h.key.present == kj["present"]
    assert h.key.state == kj["state"]
    assert h.key.last_written == iso(kj["last_written"])
    assert [(d.code, d.message) for d in h.diagnostics] == \
        [(d["code"], d["message"]) for d in doc["diagnostics"]]
    assert len(h.entries) == len(doc["entries"])
    for e, ej in zip(h.entries, doc["entries"]):
        entry_equal(e, ej)
    assert len(h.volumes) == len(doc["volumes"])
    for v, vj in zip(h.volumes, doc["volumes"]):
        volume_equal(v, vj)
    assert [(f.rule, f.severity, f.message, list(f.entries), list(f.names))
            for f in h.findings] == \
        [(f["rule"], f["severity"], f["message"], f["entries"], f["names"])
         for f in doc["findings"]]
