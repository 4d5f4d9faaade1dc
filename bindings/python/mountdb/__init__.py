# SPDX-License-Identifier: LGPL-2.1-or-later
"""mountdb: the Windows mount manager's database (SYSTEM\\MountedDevices)
in offline registry hives, from Python.

A binding of libmountdb (mountdb(3)); the same reader, rules and writer as
the ``mountdb`` command.  Evidence is never modified: a hive is opened
read-only, and writes go to a new file or replace it atomically with a
backup.

    import mountdb
    with mountdb.open("SYSTEM") as hive:
        for vol in hive.volumes:
            print(vol.drive_letters, vol.unique_id.summary)
        for f in hive.check():
            print(f.rule, f.severity, f.message)
        txn = hive.transaction()
        txn.assign("E:", "mbr:5cbea03e:1MiB", new=True)
        report = txn.write("SYSTEM.new")

Objects: Hive (open), Entry, Volume, UniqueId, Finding, Transaction,
WriteReport, Change, Disk and Partition (open_disk).  Errors: Error and
one subclass per library error code (NotAHive, Corrupt, IOFailure,
NotRegular, TooBig, CryptoFailure, NoMemory, InvalidArgument, NoMatch,
Ambiguous, Refused, Exists), plus Closed and CheckFailed.

Threads: the GIL is released while a hive is opened, hashed, replayed or
written and while disks are read.  A Hive may be read from several
threads at once; check() and close() wait for calls running on other
threads.  A Transaction is used by one thread at a time (give each thread
its own).
"""

from ._mountdb import (  # noqa: F401  (the public names)
    Ambiguous,
    Change,
    CheckFailed,
    Closed,
    ControlSet,
    Corrupt,
    CryptoFailure,
    Diagnostic,
    Disk,
    Entry,
    Error,
    Exists,
    Finding,
    GuidInfo,
    Hive,
    HEADER_VERSION,
    InvalidArgument,
    IOFailure,
    Key,
    LogFile,
    Logs,
    MountPoint,
    NoMatch,
    NoMemory,
    NotAHive,
    NotRegular,
    Partition,
    Refused,
    TooBig,
    Transaction,
    UniqueId,
    Volume,
    WriteReport,
    library_version,
    open,
    open_disk,
    replay,
)

__version__ = library_version()

__all__ = [
    "Ambiguous", "Change", "CheckFailed", "Closed", "ControlSet", "Corrupt",
    "CryptoFailure", "Diagnostic", "Disk", "Entry", "Error", "Exists",
    "Finding", "GuidInfo", "Hive", "InvalidArgument", "IOFailure", "Key",
    "LogFile", "Logs", "MountPoint", "NoMatch", "NoMemory", "NotAHive",
    "NotRegular", "Partition", "Refused", "TooBig", "Transaction",
    "UniqueId", "Volume", "WriteReport", "library_version", "open",
    "open_disk", "replay",
]
