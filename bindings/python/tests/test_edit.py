# SPDX-License-Identifier: GPL-2.0-or-later
"""Edits through the library's one writer: the file Python writes is the
file the CLI writes for the same operation, byte for byte; reopening it
gives what the CLI shows; in place, dry runs, replay."""
import datetime
import os
import shutil

import pytest

import mountdb
from conftest import SRCDIR, cli, cli_json, hive_equal

TS = datetime.datetime(2024, 1, 31, 12, 0, 0, tzinfo=datetime.timezone.utc)
TS_CLI = "--timestamp=2024-01-31T12:00:00Z"
PLANS = os.path.join(SRCDIR, "testdata", "plans")
GPT1 = "gpt:09931f21-7faf-44a9-81d8-1e73c14b9eaf"

# (CLI arguments after HIVE, the same through a Transaction)
EDITS = {
    "assign-new": (["assign", "Q:", "mbr:11223344:1MiB", "--new"],
                   lambda t: t.assign("Q:", "mbr:11223344:1MiB", new=True)),
    "assign-move": (["assign", "H:", "D:", "--move"],
                    lambda t: t.assign("h", "D:", move=True)),
    "assign-take": (["assign", "D:", "E:", "--take", "--move"],
                    lambda t: t.assign("D", "E:", take=True, move=True)),
    "unassign": (["unassign", "E:"], lambda t: t.unassign("E:")),
    "unassign-auto": (["unassign", "E:", "--allow-auto"],
                      lambda t: t.unassign("E:", allow_auto=True)),
    "swap": (["swap", "D:", "E:"], lambda t: t.swap("D:", "E:")),
    "remap": (["remap", "mbr:7c1d9e42:1MiB", GPT1],
              lambda t: t.remap("mbr:7c1d9e42:1MiB", GPT1)),
    "remap-bytes": (["remap", "D:", GPT1],
                    lambda t: t.remap(t.hive.volumes[3].data,
                                      bytes.fromhex("444d494f3a49443a211f9309af7fa944"
                                                    "81d81e73c14b9eaf"))),
    "scrub": (["scrub", "--keep", "C:", "--keep", "D:"],
              lambda t: t.scrub(["C:", "D:"])),
    "scrub-all": (["scrub", "--keep", "C:", "--all-shapes"],
                  lambda t: t.scrub(("C:",), all_shapes=True)),
    "reset": (["reset", "--force"], lambda t: t.reset(), {"force": True}),
    "reset-keep": (["reset", "--keep-system"],
                   lambda t: t.reset(keep_system=True)),
    "automount": (["automount", "off"], lambda t: t.automount(False)),
    "apply": (["apply", os.path.join(PLANS, "sample-full.xml")],
              lambda t: t.apply(os.path.join(PLANS, "sample-full.xml"))),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_same_bytes_as_cli(name, sample, tmp_path):
    args, op, *kw = EDITS[name]
    kw = kw[0] if kw else {}
    cli_out, py_out = tmp_path / "cli.hive", tmp_path / "py.hive"
    p = cli(args[0], sample, *args[1:], "-o", str(cli_out), TS_CLI)
    assert p.returncode == 0, p.stderr
    with mountdb.open(sample) as h:
        t = h.transaction()
        op(t)
        changes = t.changes
        dry = t.write(dry_run=True, timestamp=TS, **kw)
        r = t.write(py_out, timestamp=TS, **kw)
    assert r.written and not r.dry_run and r.output == str(py_out)
    assert r.changes == changes == dry.changes and changes
    assert not dry.written and dry.sha256_after == r.sha256_after
    assert py_out.read_bytes() == cli_out.read_bytes()
    # Reopened, the result reads as the CLI shows the CLI's file.
    doc = cli_json(str(cli_out))
    doc["hive"]["path"] = str(py_out)
    with mountdb.open(py_out) as h2:
        assert h2.sha256 == r.sha256_after
        hive_equal(h2, doc)


def test_nothing_to_write(sample, tmp_path):
    with mountdb.open(sample) as h:
        r = h.transaction().write(tmp_path / "out")
    assert not r.written and r.changes == () and r.output is None
    assert not (tmp_path / "out").exists()


def test_in_place_backup(sample, tmp_path):
    p = tmp_path / "SYSTEM"
    shutil.copy(sample, p)
    before = p.read_bytes()
    with mountdb.open(p) as h:
        t = h.transaction()
        t.swap("D:", "E:")
        r = t.write(in_place=True, timestamp="keep")
    assert r.written and r.backup and os.path.exists(r.backup)
    assert open(r.backup, "rb").read() == before
    with mountdb.open(p) as h:
        letters = {v.unique_id.summary: v.drive_letters for v in h.volumes}
    assert letters["MBR disk 7C1D9E42 @ 1 MiB"] == ("E",)
    q = tmp_path / "SYSTEM2"
    shutil.copy(sample, q)
    with mountdb.open(q) as h:
        t = h.transaction()
        t.swap("D:", "E:")
        r = t.write(in_place=True, backup=False)
    assert r.backup is None


def test_dry_run_same_verdict(sample, tmp_path):
    with mountdb.open(sample) as h:
        t = h.transaction()
        t.assign("Q:", "gpt:2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0", new=True)
        r = t.write(tmp_path / "o", dry_run=True)
        assert not r.written and r.dry_run and r.output == str(tmp_path / "o")
    assert not (tmp_path / "o").exists()
    assert os.listdir(tmp_path) == []


def test_timestamp_forms(sample, tmp_path):
    with mountdb.open(sample) as h:
        t = h.transaction()
        t.swap("D:", "E:")
        ft = int((TS - datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc))
                 .total_seconds()) * 10_000_000
        t.write(tmp_path / "a", timestamp=TS)
        t.write(tmp_path / "b", timestamp=ft)
        t.write(tmp_path / "c", timestamp="keep")
        old = h.last_written
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()
    with mountdb.open(tmp_path / "a") as a, mountdb.open(tmp_path / "c") as c:
        assert a.last_written == TS
        assert c.last_written == old


def real(name):
    path = os.path.join(os.environ.get("REAL_HIVES", ""), name)
    if not os.path.exists(path):
        pytest.skip("real hive %s absent (REAL_HIVES)" % name)
    return path


def test_replay_same_bytes_as_cli(tmp_path):
    path = real("win10-1709-dirty.SYSTEM")
    cli_out, py_out = tmp_path / "cli", tmp_path / "py"
    p = cli("replay", path, "-o", str(cli_out))
    assert p.returncode == 0, p.stderr
    r = mountdb.replay(path, py_out)
    assert r.written and r.changes == ()
    assert py_out.read_bytes() == cli_out.read_bytes()
    with mountdb.open(py_out) as h:
        assert not h.dirty and not h.logs_applied
    dry = mountdb.replay(path, dry_run=True)
    assert not dry.written and dry.sha256_after == r.sha256_after


def test_replay_clean_and_without_logs(sample, tmp_path):
    assert mountdb.replay(sample, tmp_path / "x") is None  # nothing to replay
    path = real("win81-x64-dirty-nolog.SYSTEM")
    with pytest.raises(mountdb.Refused):
        mountdb.replay(path, tmp_path / "y")
    assert os.listdir(tmp_path) == []


def test_write_after_close_of_other_handle(sample, tmp_path):
    # Transactions of one hive are independent.
    with mountdb.open(sample) as h:
        a, b = h.transaction(), h.transaction()
        a.swap("D", "E")
        assert b.changes == ()
        assert a.hive is h


def test_refusal_same_as_cli(sample, tmp_path):
    p = cli("reset", sample, "-o", str(tmp_path / "cli"))
    assert p.returncode == 4
    with mountdb.open(sample) as h:
        t = h.transaction()
        t.reset()
        with pytest.raises(mountdb.Refused) as ei:
            t.write(tmp_path / "py")
        with pytest.raises(mountdb.Refused) as dry:
            t.write(dry_run=True)
    assert str(ei.value) in p.stderr.decode().replace(str(tmp_path / "cli"),
                                                       str(tmp_path / "py"))
    assert ei.value.message.split(": ", 1)[1] == dry.value.message.split(": ", 1)[1]
    assert os.listdir(tmp_path) == []
