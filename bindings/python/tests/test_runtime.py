# SPDX-License-Identifier: GPL-2.0-or-later
"""Reference counting (no leak over 10,000 open/close cycles, RSS
measured), threads, disks, and the documentation (help, stubs)."""
import gc
import inspect
import os
import pydoc
import threading

import pytest

import mountdb
from conftest import DISKS, cli, fixture_paths

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def cycle(path):
    with mountdb.open(path) as h:
        for v in h.volumes:
            v.unique_id, v.drive_letters, v.volume_guids, v.entries
        for e in h.entries:
            e.name, e.guid_info, e.data
        h.findings
        t = h.transaction()
        t.swap("D:", "E:")
        t.changes
    try:
        mountdb.open(path + ".missing")
    except mountdb.IOFailure:
        pass


def test_no_leak_10000_cycles(sample):
    if os.environ.get("MOUNTDB_SANITIZED"):
        pytest.skip("ASan build: its quarantine keeps freed memory, so RSS "
                    "says nothing here (the gcc build runs this test)")
    for _ in range(1000):  # warm up allocator and caches
        cycle(sample)
    gc.collect()
    before = rss()
    for _ in range(10000):
        cycle(sample)
    gc.collect()
    grown = rss() - before
    print("RSS growth over 10,000 open/read/close cycles: %d KiB" % (grown >> 10))
    # A leak of one 12 KiB hive copy per cycle would be 120 MB.
    assert grown < 4 << 20, grown


def test_cycles_collected(sample):
    # Entry -> Hive -> entries tuple -> Entry: the GC frees the cycle.
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(200):
        h = mountdb.open(sample)
        h.entries, h.volumes
        del h
    gc.collect()
    assert len(gc.get_objects()) - before < 50


def test_threads(sample, tmp_path):
    errors = []

    def work(i):
        try:
            for _ in range(30):
                with mountdb.open(sample) as h:
                    t = h.transaction()
                    t.swap("D", "E")
                    t.write(dry_run=True)
            h = mountdb.open(sample)
            t = h.transaction()
            t.swap("D", "E")
            t.write(tmp_path / ("out%d" % i))
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert errors == []
    outs = {(tmp_path / ("out%d" % i)).read_bytes() for i in range(4)}
    assert len(outs) <= 4


def test_one_hive_shared_by_threads(sample):
    h = mountdb.open(sample)
    stop = threading.Event()
    seen = []

    def reader():
        while not stop.is_set():
            try:
                t = h.transaction()
                t.swap("D", "E")
                t.write(dry_run=True)
                seen.append(len(h.volumes))
            except mountdb.Closed:
                return

    ts = [threading.Thread(target=reader) for _ in range(3)]
    for t in ts:
        t.start()
    for _ in range(20):
        h.check()  # waits for the writers running without the GIL
    h.close()      # so does close
    stop.set()
    for t in ts:
        t.join()
    assert seen


def disk(name):
    p = os.path.join(DISKS, name)
    if not DISKS or not os.path.exists(p):
        pytest.skip("disk images not built (DISKS)")
    return p


def test_disks_match_cli():
    import json
    for name in ("gpt.img", "mbr-ext.img", "dynamic-mbr.img", "gpt-4k.img",
                 "hostile-label.img"):
        p = disk(name)
        j = json.loads(cli("disks", "--format=json", p).stdout)["disks"][0]
        with mountdb.open_disk(p) as d:
            assert d.path == j["path"] and d.size == j["size"]
            assert d.sector_size == j["sector_size"] and d.table == j["table"]
            assert d.signature == (int(j["disk_signature"], 16)
                                   if j["disk_signature"] else None)
            assert (str(d.guid) if d.guid else None) == j["disk_guid"]
            assert d.flags == tuple(j["flags"])
            assert d.warnings == tuple(j["warnings"])
            assert len(d.partitions) == len(j["partitions"])
            for p_, pj in zip(d.partitions, j["partitions"]):
                assert p_.number == pj["number"] and p_.start == pj["start"]
                assert p_.size == pj["size"]
                if p_.type_guid:
                    assert str(p_.type_guid) == pj["type"]
                elif pj["type"] is not None:
                    assert "0x%02x" % p_.mbr_type == pj["type"]
                assert p_.type_name == pj["type_name"]
                assert (str(p_.guid) if p_.guid else None) == \
                    pj.get("partition_guid")
                assert (None if p_.attributes is None
                        else "0x%016x" % p_.attributes) == pj["attributes"]
                assert p_.logical == pj["logical"] and p_.fs == pj["fs"]
                assert p_.label == pj["label"] and p_.serial == pj["serial"]
                assert (p_.unique_id.hex() if p_.unique_id else None) == \
                    pj["unique_id"]
                assert p_.spec == pj["spec"]
        assert d.closed
        with pytest.raises(mountdb.Closed):
            d.partitions


def test_disk_errors(tmp_path):
    with pytest.raises(mountdb.NotRegular):
        mountdb.open_disk(str(tmp_path))
    with pytest.raises(mountdb.IOFailure):
        mountdb.open_disk(str(tmp_path / "none"))
    with pytest.raises(mountdb.NotAHive.__mro__[1]):  # mountdb.Error
        mountdb.open_disk(disk("bad-empty.img"))


def test_disk_specs_and_disk_rules(tmp_path):
    hive = os.path.join(os.environ.get("FIXTURES", ""), "win10.hive")
    img = disk("gpt.img")
    if not os.path.exists(hive):
        pytest.skip("fixtures not built")
    with mountdb.open(hive) as h, mountdb.open_disk(img) as d:
        with_disks = h.check(disks=[d])
        cli_rules = cli("check", "--format=json", "--disk", img, hive)
        import json
        doc = json.loads(cli_rules.stdout)
        assert [f.rule for f in with_disks] == [f["rule"] for f in doc["findings"]]
        assert h.findings == with_disks
        t = h.transaction()
        t.assign("T:", "disk:%s:3" % img, new=True, move=True)
        added = [c for c in t.changes if c.kind == "added"]
        assert added and added[0].after == d.partitions[2].unique_id
        out_cli, out_py = tmp_path / "c", tmp_path / "p"
        p = cli("assign", hive, "T:", "disk:%s:3" % img, "--new", "--move",
                "-o", str(out_cli), "--timestamp=keep")
        assert p.returncode == 0, p.stderr
        t.write(out_py, timestamp="keep")
        assert out_py.read_bytes() == out_cli.read_bytes()


def test_help_and_docstrings():
    text = pydoc.render_doc(mountdb, renderer=pydoc.plaintext)
    for name in ("Hive", "Transaction", "open", "replay", "open_disk",
                 "devices", "Devices", "Correlation", "remap_derive",
                 "remap_disk", "correlate", "Refused", "Threads"):
        assert name in text
    for name in mountdb.__all__:
        obj = getattr(mountdb, name)
        if callable(obj):
            assert obj.__doc__ and len(obj.__doc__) > 10, name
    for cls in (mountdb.Hive, mountdb.Entry, mountdb.Volume,
                mountdb.Transaction, mountdb.Disk, mountdb.Correlation,
                mountdb.Devices):
        for attr, val in vars(cls).items():
            if not attr.startswith("_"):
                assert getattr(val, "__doc__", None), (cls, attr)


def test_stubs_cover_the_api():
    here = os.path.dirname(mountdb.__file__)
    assert os.path.exists(os.path.join(here, "py.typed"))
    stub = open(os.path.join(here, "__init__.pyi")).read()
    compile(stub, "__init__.pyi", "exec")  # valid Python syntax
    for name in mountdb.__all__:
        assert ("class %s" % name in stub or "def %s(" % name in stub), name
    for cls in (mountdb.Hive, mountdb.Entry, mountdb.Volume,
                mountdb.Transaction, mountdb.Disk, mountdb.Correlation,
                mountdb.Devices):
        for attr in vars(cls):
            if not attr.startswith("_") and attr != "class":
                assert (" %s(" % attr in stub or " %s:" % attr in stub), \
                    (cls.__name__, attr)


def test_example_triage(tmp_path):
    import csv
    import subprocess
    import sys
    from conftest import FIXTURES, SRCDIR
    if not FIXTURES or not os.path.isdir(FIXTURES):
        pytest.skip("fixtures not built")
    script = os.path.join(SRCDIR, "examples", "triage.py")
    out = tmp_path / "t.csv"
    p = subprocess.run([sys.executable, script, "--jobs", "2", "-o", str(out),
                        FIXTURES], capture_output=True, text=True)
    assert p.returncode in (0, 1), p.stderr
    assert "hives" in p.stderr  # the progress line
    rows = list(csv.DictReader(open(out)))
    expected = 0
    for path in fixture_paths():
        try:
            with mountdb.open(path) as h:
                expected += (len(h.volumes) or 1) if h.hive_kind == "system" else 1
        except mountdb.Error:
            expected += 1
    assert len(rows) == expected
    # dev-win10.hive's USB stick: the device column names it.
    assert any(r["device"].startswith("USBSTOR Generic Flash_Disk")
               for r in rows if r["hive"].endswith("dev-win10.hive"))


def test_to_dict_with_disks():
    """to_dict(disks=) is show --format=json --disk: disks[] and each
    volume's disk, the disk findings."""
    import json
    hive = os.path.join(os.environ.get("FIXTURES", ""), "win10.hive")
    img = disk("gpt.img")
    if not os.path.exists(hive):
        pytest.skip("fixtures not built")
    doc = json.loads(cli("show", "--format=json", "--disk", img,
                         hive).stdout)
    with mountdb.open(hive) as h, mountdb.open_disk(img) as d:
        assert h.to_dict(disks=[d]) == doc
        assert doc["disks"] and any(v["disk"] for v in doc["volumes"])
        with pytest.raises(TypeError):
            h.to_dict(disks=[img])
