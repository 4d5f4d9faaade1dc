# SPDX-License-Identifier: GPL-2.0-or-later
"""One exception class per library error code, with code, errcode, errno,
path, message and rule; never a crash on closed hives, objects used after
close, wrong argument types or huge inputs."""
import errno
import os
import shutil

import pytest

import mountdb
from mountdb import _mountdb

CODES = {  # MOUNTDB_E_* (lib/mountdb.h) -> class, stable name
    -1: (mountdb.NoMemory, "nomem"),
    -2: (mountdb.InvalidArgument, "invalid"),
    -3: (mountdb.IOFailure, "io"),
    -4: (mountdb.NotRegular, "not_regular"),
    -5: (mountdb.NotAHive, "format"),
    -6: (mountdb.Corrupt, "corrupt"),
    -7: (mountdb.TooBig, "too_big"),
    -8: (mountdb.CryptoFailure, "crypto"),
    -20: (mountdb.NoMatch, "no_match"),
    -21: (mountdb.Ambiguous, "ambiguous"),
    -22: (mountdb.Refused, "refused"),
    -23: (mountdb.Exists, "exists"),
}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_its_class(code):
    cls, name = CODES[code]
    with pytest.raises(cls) as ei:
        _mountdb._raise_code(code, "/x: reason (H2)", "/x")
    e = ei.value
    assert isinstance(e, mountdb.Error)
    assert (e.code, e.errcode, e.path, e.rule) == (name, code, "/x", "H2")
    assert str(e) == e.message == "/x: reason (H2)"


def test_unknown_code_is_error():
    with pytest.raises(mountdb.Error) as ei:
        _mountdb._raise_code(-99, "strange")
    assert type(ei.value) is mountdb.Error and ei.value.code == "unknown"
    assert ei.value.rule is None


def test_io(tmp_path):
    p = str(tmp_path / "missing")
    with pytest.raises(mountdb.IOFailure) as ei:
        mountdb.open(p)
    assert ei.value.errno == errno.ENOENT and ei.value.path == p
    assert ei.value.code == "io" and p in str(ei.value)


def test_not_regular(tmp_path):
    with pytest.raises(mountdb.NotRegular):
        mountdb.open(str(tmp_path))
    link = tmp_path / "link"
    os.symlink("/etc/passwd", link)
    with pytest.raises(mountdb.NotRegular):
        mountdb.open(link)  # os.PathLike; links are never followed (F1)


def test_format(tmp_path):
    p = tmp_path / "garbage"
    p.write_bytes(b"not a hive" * 1000)
    with pytest.raises(mountdb.NotAHive) as ei:
        mountdb.open(p)
    assert ei.value.code == "format"


def test_corrupt(tmp_path, sample):
    b = bytearray(open(sample, "rb").read())
    b[4096:4100] = b"xxxx"  # the first hive bin's signature
    p = tmp_path / "corrupt"
    p.write_bytes(b)
    with pytest.raises(mountdb.Corrupt):
        mountdb.open(p)


def test_too_big(tmp_path, sample):
    p = tmp_path / "big"
    with open(p, "wb") as f:  # sparse: no disk used
        f.write(open(sample, "rb").read())
        f.truncate((4 << 30) + 4096)
    with pytest.raises(mountdb.TooBig):
        mountdb.open(p)


def test_invalid_spec(sample):
    with mountdb.open(sample) as h:
        t = h.transaction()
        with pytest.raises(mountdb.InvalidArgument) as ei:
            t.assign("E:", "x:y")
        assert isinstance(ei.value, ValueError)
        with pytest.raises(mountdb.InvalidArgument) as ei:
            t.remap("mbr:7c1d9e42:0", "gpt:09931f21-7faf-44a9-81d8-1e73c14b9eaf")
        assert ei.value.rule == "V4"


def test_no_match_ambiguous_refused_exists(sample, tmp_path):
    with mountdb.open(sample) as h:
        t = h.transaction()
        with pytest.raises(mountdb.NoMatch) as ei:
            t.assign("Q:", "mbr:11223344:1MiB")  # not known, new=False
        assert isinstance(ei.value, LookupError)
        with pytest.raises(mountdb.Ambiguous):
            t.remap("mbr:7c1d9e42", "gpt:09931f21-7faf-44a9-81d8-1e73c14b9eaf")
        with pytest.raises(mountdb.Refused) as ei:
            t.assign("D:", "E:")  # the volume has a letter (W2)
        assert ei.value.rule == "W2" and ei.value.code == "refused"
        assert t.changes == ()  # failed operations change nothing
        t.swap("E:", "D:")
        out = tmp_path / "exists"
        out.write_bytes(b"")
        with pytest.raises(mountdb.Exists) as ei:
            t.write(out)
        assert ei.value.path == str(out)
        assert out.read_bytes() == b""


def test_refused_write_unsafe(tmp_path, sample):
    with mountdb.open(sample, unsafe=True) as h:
        t = h.transaction()
        t.swap("D", "E")
        with pytest.raises(mountdb.Refused) as ei:
            t.write(tmp_path / "out")
        assert ei.value.rule == "H3"
        with pytest.raises(mountdb.Refused):  # same verdict dry
            t.write(dry_run=True)
    assert not (tmp_path / "out").exists()


def test_use_after_close(sample):
    h = mountdb.open(sample)
    entries, volumes = h.entries, h.volumes
    t = h.transaction()
    findings = h.findings
    h.close()
    h.close()  # twice is fine
    assert h.closed and repr(h) == "<mountdb.Hive closed>"
    for f in (lambda: h.path, lambda: h.entries, lambda: h.volumes,
              lambda: h.findings, lambda: h.check(), lambda: h.transaction(),
              lambda: entries[0].name, lambda: volumes[0].drive_letters,
              lambda: volumes[0].entries, lambda: t.assign("E", "D:"),
              lambda: t.changes, lambda: t.write(dry_run=True),
              lambda: h.__enter__()):
        with pytest.raises(mountdb.Closed) as ei:
            f()
        assert isinstance(ei.value, ValueError) and ei.value.code == "closed"
    assert "closed" in repr(entries[0]) and "closed" in repr(volumes[0])
    # Copied values outlive the hive.
    assert all(isinstance(f.rule, str) for f in findings)


def test_children_keep_the_hive_alive(sample):
    e = mountdb.open(sample).entries[0]  # the Hive has no other reference
    assert e.name.startswith("\\")
    assert e.hive.path == sample
    v = mountdb.open(sample).volumes[-1]
    assert v.entries[0].hive is v.entries[-1].hive


def test_wrong_types(sample):
    with pytest.raises(TypeError):
        mountdb.open(123)
    with pytest.raises(TypeError):
        mountdb.open(None)
    with pytest.raises(TypeError):
        mountdb.open(sample, log_files="x.LOG1")
    with pytest.raises(ValueError):
        mountdb.open(sample, log_files=["a", "b", "c", "d"])
    with pytest.raises(ValueError):
        mountdb.open("a\0b")
    with mountdb.open(sample) as h:
        with pytest.raises(ValueError):
            h.check("CC")
        with pytest.raises(ValueError):
            h.check(fail_on="fatal")
        with pytest.raises(TypeError):
            h.check(ignore="V3")
        with pytest.raises(TypeError):
            h.check(disks=[1])
        t = h.transaction()
        with pytest.raises(TypeError):
            t.assign(5, "D:")
        with pytest.raises(ValueError):
            t.assign("5", "D:")
        with pytest.raises(TypeError):
            t.assign("E", b"D:")
        with pytest.raises(ValueError):
            t.assign("E", "D:\0")
        with pytest.raises(TypeError):
            t.scrub("C:")
        with pytest.raises(TypeError):
            t.remap(1, 2)
        with pytest.raises(TypeError):
            t.write(dry_run=True, timestamp=1.5)
        with pytest.raises(ValueError):
            t.write(dry_run=True, timestamp="yesterday")
        with pytest.raises(ValueError):
            t.write()  # nowhere to write
        with pytest.raises(ValueError):
            t.write("x", in_place=True)
        with pytest.raises(TypeError):
            t.apply(None)


def test_huge_inputs(sample):
    with mountdb.open(sample) as h:
        t = h.transaction()
        for spec in ("hex:" + "00" * (1 << 20), "x" * (8 << 20),
                     "mbr:" + "1" * 100000 + ":1MiB", "{" + "a" * 100000 + "}"):
            with pytest.raises(mountdb.Error):
                t.assign("Q:", spec)
        assert t.remap(b"\x00" * (1 << 20), b"\x01" * 12) == 0  # no such ID
        with pytest.raises(mountdb.Error):
            t.scrub(["C:"] * 100000 + ["zz"])
    with pytest.raises(mountdb.Error):
        mountdb.open("/" + "a" * 100000)


def test_check_fail_on_ignore(sample):
    path = os.path.join(os.path.dirname(sample), "hostile.hive")
    with mountdb.open(path) as h:
        all_ = h.check()
        assert all_ and all_ == h.findings
        rules = {f.rule for f in all_}
        assert h.check(ignore=rules) == ()
        worst = max(all_, key=lambda f: ["info", "warning", "error"].index(
            f.severity))
        with pytest.raises(mountdb.CheckFailed) as ei:
            h.check(fail_on=worst.severity)
        assert ei.value.findings == all_ and ei.value.code == "findings"
        h.check(fail_on=worst.severity, ignore=rules)  # no raise
        assert isinstance(h.check("D:"), tuple)
