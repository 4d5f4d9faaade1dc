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
WriteReport, Change, Disk and Partition (open_disk), Correlation and
VolumeDisk (hive.correlate), RemapRow (hive.remap_derive,
Transaction.remap_disk), Devices with DeviceHive, Device, Fact, Source,
DeviceVolume, UserMount and HiveUser (devices: the storage device
history of a SYSTEM hive with its users' NTUSER.DAT and SOFTWARE).  Errors: Error and
one subclass per library error code (NotAHive, Corrupt, IOFailure,
NotRegular, TooBig, CryptoFailure, NoMemory, InvalidArgument, NoMatch,
Ambiguous, Refused, Exists), plus Closed and CheckFailed.

Lifetimes: objects that point into a hive or disk (Entry, Volume,
Transaction, Correlation, Devices) keep it alive and raise Closed once
it is closed; records (Finding, Partition, RemapRow, Fact, ...) are
copies.

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
    Correlation,
    Corrupt,
    CryptoFailure,
    Device,
    DeviceHive,
    Devices,
    DeviceVolume,
    Diagnostic,
    Disk,
    Entry,
    Error,
    Exists,
    Fact,
    Finding,
    GuidInfo,
    Hive,
    HiveUser,
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
    RemapRow,
    Source,
    TooBig,
    Transaction,
    UniqueId,
    UserMount,
    Volume,
    VolumeDisk,
    WriteReport,
    devices,
    library_version,
    open,
    open_disk,
    replay,
)

__version__ = library_version()

__all__ = [
    "Ambiguous", "Change", "CheckFailed", "Closed", "ControlSet",
    "Correlation", "Corrupt", "CryptoFailure", "Device", "DeviceHive",
    "Devices", "DeviceVolume", "Diagnostic", "Disk", "Entry", "Error",
    "Exists", "Fact", "Finding", "GuidInfo", "Hive", "HiveUser",
    "InvalidArgument", "IOFailure", "Key", "LogFile", "Logs", "MountPoint",
    "NoMatch", "NoMemory", "NotAHive", "NotRegular", "Partition", "Refused",
    "RemapRow", "Source", "TooBig", "Transaction", "UniqueId", "UserMount",
    "Volume", "VolumeDisk", "WriteReport", "devices", "library_version",
    "open", "open_disk", "replay",
]
