# SPDX-License-Identifier: GPL-2.0-or-later
"""Every fact, entry, volume and finding against the CLI's JSON document,
on every fixture and every real hive (read in place)."""
import json
import os
import uuid

import pytest

import mountdb
from conftest import (cli, cli_json, fixture_paths, hive_equal, pid,
                      real_hive_paths)

ERROR_CLASS = {
    "io": mountdb.IOFailure, "not_regular": mountdb.NotRegular,
    "format": mountdb.NotAHive, "corrupt": mountdb.Corrupt,
    "too_big": mountdb.TooBig,
}


def check_against_cli(path, *cli_args, **open_args):
    doc = cli_json(*cli_args, path)
    if "error" in doc:
        with pytest.raises(mountdb.Error) as ei:
            mountdb.open(path, **open_args)
        assert ei.value.code == doc["error"]["code"]
        assert isinstance(ei.value, ERROR_CLASS[doc["error"]["code"]])
        assert str(ei.value) == doc["error"]["message"]
        return
    with mountdb.open(path, **open_args) as h:
        hive_equal(h, doc)
        # One implementation of the document serves both (issue 15).
        assert h.to_dict() == doc


@pytest.mark.parametrize("path", fixture_paths(), ids=pid)
def test_fixture_matches_cli(path):
    check_against_cli(path)


@pytest.mark.parametrize("path", fixture_paths(), ids=pid)
def test_fixture_no_hash_no_logs(path):
    check_against_cli(path, "--no-hash", "--no-logs", hash=False, logs=False)


def test_real_hives_present():
    if not real_hive_paths():
        pytest.skip("no real hives (configure --with-real-hives=DIR; "
                    "REAL_HIVES=%r)" % os.environ.get("REAL_HIVES"))


@pytest.mark.parametrize("path", real_hive_paths(), ids=pid)
def test_real_hive_matches_cli(path):
    check_against_cli(path)


@pytest.mark.parametrize("path", real_hive_paths(), ids=pid)
def test_real_hive_unsafe(path):
    check_against_cli(path, "--unsafe", unsafe=True)


def test_types(sample):
    with mountdb.open(sample) as h:
        v = [v for v in h.volumes if v.volume_guids][0]
        assert all(isinstance(g, uuid.UUID) for g in v.volume_guids)
        e = [e for e in h.entries if e.guid is not None][0]
        assert isinstance(e.guid, uuid.UUID)
        if e.guid.version == 1:
            # uuid.UUID decodes a v1 GUID's time and node; GuidInfo too.
            assert e.guid_info.timestamp is not None
            assert e.guid.node == int(e.guid_info.node.replace(":", ""), 16)
        assert h.last_written.tzinfo is not None
        assert isinstance(h.last_written_filetime, int)
        assert isinstance(v.data, bytes)
        assert v.entries and all(isinstance(x, mountdb.Entry) for x in v.entries)
        assert all(x.volume == v.index for x in v.entries)
        assert "shape" in dir(v.unique_id)
        assert repr(h).startswith("<mountdb.Hive")
        assert repr(v).startswith("<mountdb.Volume")
        assert repr(h.entries[0]).startswith("<mountdb.Entry")
        assert repr(v.unique_id).startswith("<mountdb.UniqueId")
        assert h.entries is h.entries  # cached
    assert h.closed


def test_log_files_option():
    real = os.environ.get("REAL_HIVES", "")
    path = os.path.join(real, "win10-1709-dirty.SYSTEM")
    if not os.path.exists(path):
        pytest.skip("real hive win10-1709-dirty.SYSTEM absent")
    logs = [path + ".LOG1", path + ".LOG2"]
    with mountdb.open(path, log_files=logs) as h:
        assert h.logs_applied
        assert h.logs.applied and len(h.logs.files) == 2
        assert all(f.path in logs for f in h.logs.files)
    with mountdb.open(path, logs=False) as h:
        assert not h.logs_applied and h.dirty


def test_json_bytes_match_cli(sample):
    """_json() is the CLI's bytes: pretty as json, compact as jsonl."""
    with mountdb.open(sample) as h:
        assert h._json() + b"\n" == cli("show", "--format=json",
                                         sample).stdout
        assert h._json(compact=True) + b"\n" == cli(
            "show", "--format=jsonl", sample).stdout


def test_to_dict_ignore(sample):
    doc = json.loads(cli("check", "--format=json", "--ignore=V8",
                         sample).stdout)
    with mountdb.open(sample) as h:
        assert h.to_dict(ignore=["V8"]) == doc
        with pytest.raises(TypeError):
            h.to_dict(ignore="V8")
        with pytest.raises(TypeError):
            h.to_dict(compact=True)
    with pytest.raises(mountdb.Closed):
        h.to_dict()
