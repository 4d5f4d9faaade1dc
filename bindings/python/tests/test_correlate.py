# SPDX-License-Identifier: GPL-2.0-or-later
"""Volumes on disks: hive.correlate() against `show --disk`'s JSON,
hive.remap_derive() and Transaction.remap_disk() against `remap
--to-disk [--from-disk]` (the same table, the same bytes written), on
the images testdata/mkdisk makes; lifetimes and misuse."""
import datetime
import gc
import json
import os
import subprocess

import pytest

import mountdb
from conftest import DISKS, cli

TS = datetime.datetime(2024, 1, 31, 12, 0, 0, tzinfo=datetime.timezone.utc)
TS_CLI = "--timestamp=2024-01-31T12:00:00Z"
NEW_SIG = 0x11223344


def disk(name):
    p = os.path.join(DISKS, name)
    if not DISKS or not os.path.exists(p):
        pytest.skip("disk images not built (DISKS)")
    return p


@pytest.fixture
def clone(tmp_path):
    """mbr-ext.img (the sample hive's MBR disk) re-signed 11223344: a clone
    with a new disk signature, sparse."""
    p = tmp_path / "clone.img"
    subprocess.run(["cp", "--sparse=always", disk("mbr-ext.img"), str(p)],
                   check=True)
    with open(p, "r+b") as f:
        f.seek(440)
        f.write(NEW_SIG.to_bytes(4, "little"))
    return str(p)


def test_correlate_matches_show_disk(sample):
    # The GPT volumes of the sample are on no disk given: absent.
    imgs = [disk("mbr-ext.img"), disk("win7-x86-usb.img")]
    doc = json.loads(cli("show", "--format=json", "--disk", imgs[0], "--disk",
                         imgs[1], sample).stdout)
    with mountdb.open(sample) as h:
        ds = [mountdb.open_disk(p) for p in imgs]
        c = h.correlate(ds)
        assert c.hive is h and c.disks == tuple(ds)
        assert len(c.volumes) == len(h.volumes) == len(doc["volumes"])
        seen = set()
        for vd, vj in zip(c.volumes, doc["volumes"]):
            j = vj["disk"]
            assert vd.volume == vj["index"]
            assert vd.status == j["status"]
            seen.add(vd.status)
            if vd.status == "present":
                assert (vd.path, vd.partition) == (j["path"], j["partition"])
                assert vd.disk.path == vd.path
                assert vd.partition_info.number == vd.partition
                assert vd.partition_info.unique_id == h.volumes[vd.volume].data
            else:
                assert vd.path is vd.partition is vd.disk is vd.partition_info is None
        assert seen == {"present", "absent", "unresolved"}
        assert h.correlate([]).volumes[0].status in ("absent", "unresolved")


def test_correlate_lifetime(sample):
    h = mountdb.open(sample)
    d = mountdb.open_disk(disk("mbr-ext.img"))
    c = h.correlate((d,))
    before = c.volumes
    del h, d
    gc.collect()
    assert c.volumes == before            # keeps the hive and disks alive
    c.disks[0].close()
    with pytest.raises(mountdb.Closed):
        c.volumes
    assert before[0].status               # records are copies
    h2 = mountdb.open(sample)
    c2 = h2.correlate([mountdb.open_disk(disk("gpt.img"))])
    h2.close()
    with pytest.raises(mountdb.Closed):
        c2.volumes
    with pytest.raises(mountdb.Closed):
        h2.correlate([])


def test_correlate_misuse(sample):
    with mountdb.open(sample) as h:
        with pytest.raises(TypeError):
            h.correlate([disk("gpt.img")])        # a path, not a Disk
        with pytest.raises(TypeError):
            h.correlate(None.__class__)
        d = mountdb.open_disk(disk("gpt.img"))
        d.close()
        with pytest.raises(mountdb.Closed):
            h.correlate([d])
        with pytest.raises(TypeError):
            h.correlate()


def rows_text(rows):
    return [(r.old_id.hex(), r.new_id.hex() if r.new_id else None,
             r.partition.number if r.partition else None, r.candidates,
             r.unchanged) for r in rows]


@pytest.mark.parametrize("from_disk", [False, True])
def test_remap_disk_same_bytes_as_cli(sample, clone, tmp_path, from_disk):
    old = disk("mbr-ext.img")
    extra = ["--from-disk", old] if from_disk else []
    cli_out, py_out = tmp_path / "cli.hive", tmp_path / "py.hive"
    p = cli("remap", sample, "--to-disk", clone, *extra, "-o", str(cli_out),
            TS_CLI)
    assert p.returncode == 0, p.stderr
    with mountdb.open(sample) as h, mountdb.open_disk(clone) as to, \
            mountdb.open_disk(old) as frm:
        kw = {"from_": frm} if from_disk else {}
        rows = h.remap_derive(to, **kw)
        assert len(rows) == 3 and all(r.candidates == 1 for r in rows)
        for r in rows:   # the CLI prints why each row matched
            assert r.why in p.stdout.decode()
            assert r.new_id[:4] == NEW_SIG.to_bytes(4, "little")
            assert r.partition.unique_id == r.new_id
        t = h.transaction()
        assert rows_text(t.remap_disk(to, **kw)) == rows_text(rows)
        t.write(py_out, timestamp=TS)
    assert py_out.read_bytes() == cli_out.read_bytes()
    # Remapped, the hive names the clone's volumes: nothing left to do.
    with mountdb.open(py_out) as h, mountdb.open_disk(clone) as to:
        assert h.remap_derive(to) == ()
        t = h.transaction()
        assert t.remap_disk(to) == () and t.changes == ()


def test_remap_signature(sample, clone):
    with mountdb.open(sample) as h, mountdb.open_disk(clone) as to:
        assert h.remap_derive(to, signature=0x7C1D9E42) == h.remap_derive(to)
        assert h.remap_derive(to, signature="7c1d9e42") == h.remap_derive(to)
        with pytest.raises(mountdb.NoMatch):
            h.remap_derive(to, signature=0x0BADCAFE)
        for bad in (0, 1 << 32, "xyz", -1):
            with pytest.raises((ValueError, OverflowError)):
                h.remap_derive(to, signature=bad)
        with pytest.raises(TypeError):
            h.remap_derive(to, signature=1.5)
        with pytest.raises(ValueError):
            h.remap_derive(to, from_=to, signature=1)


def test_remap_refused_with_rows(sample, tmp_path):
    gpt = disk("gpt.img")
    p = cli("remap", sample, "--to-disk", gpt, "-o", str(tmp_path / "o"))
    assert p.returncode == 4
    with mountdb.open(sample) as h, mountdb.open_disk(gpt) as to:
        with pytest.raises(mountdb.NoMatch) as ei:
            h.remap_derive(to)
        assert str(ei.value) in p.stderr.decode()
        rows = ei.value.rows
        assert [r.candidates for r in rows] == [1, 0, 0]
        assert rows[1].new_id is None and rows[1].partition is None
        t = h.transaction()
        with pytest.raises(mountdb.NoMatch) as ei2:
            t.remap_disk(to)
        assert rows_text(ei2.value.rows) == rows_text(rows)
        assert t.changes == ()
    assert not (tmp_path / "o").exists()


def test_remap_disk_whole_or_nothing(sample, clone):
    """A row the transaction refuses (its new ID is another volume's now)
    undoes the rows before it."""
    with mountdb.open(sample) as h, mountdb.open_disk(clone) as to:
        t = h.transaction()
        t.assign("Q:", "mbr:11223344:250059161600", new=True)
        before = t.changes
        with pytest.raises(mountdb.Refused) as ei:
            t.remap_disk(to)
        assert len(ei.value.rows) == 3
        assert t.changes == before


def test_remap_misuse(sample, clone):
    h = mountdb.open(sample)
    to = mountdb.open_disk(clone)
    t = h.transaction()
    with pytest.raises(TypeError):
        h.remap_derive(clone)                  # a path, not a Disk
    with pytest.raises(TypeError):
        t.remap_disk(to, from_="x")
    with pytest.raises(TypeError):
        h.remap_derive()
    to.close()
    with pytest.raises(mountdb.Closed):
        h.remap_derive(to)
    with pytest.raises(mountdb.Closed):
        t.remap_disk(to)
    to = mountdb.open_disk(clone)
    rows = h.remap_derive(to)
    h.close()
    assert len(rows) == 3                     # copies outlive the hive
    with pytest.raises(mountdb.Closed):
        h.remap_derive(to)
    with pytest.raises(mountdb.Closed):
        t.remap_disk(to)
