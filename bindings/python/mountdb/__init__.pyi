# SPDX-License-Identifier: LGPL-2.1-or-later
# Type stubs for mountdb (the C extension mountdb._mountdb re-exported).
import datetime
import os
import uuid
from typing import Any, Dict, Iterable, Literal, NamedTuple, Optional, Sequence, Tuple, Union

_Path = Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]
_Letter = str          # "E", "e", "E:"
_Spec = str            # "C:", "{GUID}", "mbr:SIG:OFFSET", "gpt:GUID", "hex:..", "disk:PATH:N"
_Timestamp = Union[Literal["now", "keep"], datetime.datetime, int]

HEADER_VERSION: str
__version__: str

def library_version() -> str: ...
def open(path: _Path, *, hash: bool = ..., logs: bool = ..., unsafe: bool = ...,
         log_files: Sequence[_Path] = ..., devices: bool = ...) -> Hive: ...
def replay(path: _Path, out: Optional[_Path] = ..., *, log_files: Sequence[_Path] = ...,
           in_place: bool = ..., backup: bool = ..., dry_run: bool = ...,
           force: bool = ..., timestamp: _Timestamp = ...) -> Optional[WriteReport]: ...
def open_disk(path: _Path, sector_size: int = ...) -> Disk: ...
def devices(system: Union[Hive, _Path], users: Sequence[Union[Hive, _Path]] = ...,
            software: Optional[Union[Hive, _Path]] = ...) -> Devices: ...

class Error(Exception):
    code: Optional[str]
    errcode: Optional[int]
    errno: Optional[int]
    path: Optional[str]
    message: Optional[str]
    rule: Optional[str]
class NoMemory(Error, MemoryError): ...
class InvalidArgument(Error, ValueError): ...
class IOFailure(Error): ...
class NotRegular(Error): ...
class NotAHive(Error): ...
class Corrupt(Error): ...
class TooBig(Error): ...
class CryptoFailure(Error): ...
class NoMatch(Error, LookupError):
    rows: Optional[Tuple[RemapRow, ...]]   # remap_derive / remap_disk only
class Ambiguous(Error, LookupError):
    rows: Optional[Tuple[RemapRow, ...]]
class Refused(Error):
    rows: Optional[Tuple[RemapRow, ...]]   # remap_disk only
class Exists(Error): ...
class Closed(Error, ValueError): ...
class CheckFailed(Error):
    findings: Tuple[Finding, ...]

class GuidInfo(NamedTuple):
    version: int
    timestamp: Optional[datetime.datetime]
    node: Optional[str]
    node_kind: Optional[str]
    mbr_derived: bool
    mbr_signature: Optional[str]

class MountPoint(NamedTuple):
    letter: str
    path: str

class Finding(NamedTuple):
    rule: str
    severity: Literal["info", "warning", "error"]
    message: str
    entries: Tuple[int, ...]
    names: Tuple[str, ...]

class Change(NamedTuple):
    kind: Literal["added", "deleted", "modified", "automount"]
    name: str
    class_: str
    before: Optional[bytes]
    after: Optional[bytes]

class WriteReport(NamedTuple):
    written: bool
    dry_run: bool
    output: Optional[str]
    backup: Optional[str]
    sha256_before: Optional[str]
    sha256_after: Optional[str]
    changes: Tuple[Change, ...]
    moved_logs: Tuple[str, ...]

class LogFile(NamedTuple):
    path: str
    size: int
    sha256: Optional[str]
    format: str
    valid: bool
    used: bool
    first_sequence: Optional[int]
    last_sequence: Optional[int]
    entries: Optional[int]
    pages: int
    note: str

class Logs(NamedTuple):
    applied: bool
    first_sequence: Optional[int]
    last_sequence: Optional[int]
    pages: Optional[int]
    summary: str
    files: Tuple[LogFile, ...]

class ControlSet(NamedTuple):
    select_default: Optional[int]
    select_current: Optional[int]
    boot: Optional[int]
    no_auto_mount: Optional[int]
    san_policy: Optional[int]

class Key(NamedTuple):
    present: bool
    state: str
    last_written: Optional[datetime.datetime]

class Diagnostic(NamedTuple):
    code: str
    message: str

class Partition(NamedTuple):
    number: int
    start: int
    size: int
    mbr_type: int
    type_guid: Optional[uuid.UUID]
    type_name: Optional[str]
    guid: Optional[uuid.UUID]
    attributes: Optional[int]
    logical: bool
    fs: Optional[str]
    label: Optional[str]
    serial: Optional[str]
    unique_id: Optional[bytes]
    spec: Optional[str]

class RemapRow(NamedTuple):
    old_id: bytes
    new_id: Optional[bytes]
    partition: Optional[Partition]
    candidates: int
    unchanged: bool
    why: str

class VolumeDisk(NamedTuple):
    volume: int
    status: Literal["present", "absent", "unresolved"]
    path: Optional[str]
    partition: Optional[int]
    disk: Optional[Disk]
    partition_info: Optional[Partition]

class Source(NamedTuple):
    hive: int
    key: Optional[str]
    value: Optional[str]

class Fact(NamedTuple):
    field: str
    kind: Literal["string", "uint", "bool", "time"]
    value: Union[str, int, bool, datetime.datetime, None]
    source: Source
    meaning: str

class UserMount(NamedTuple):
    hive: int
    user: Optional[str]
    name: str
    guid: Optional[str]
    letter: Optional[str]
    by_letter: bool
    last_written: Optional[datetime.datetime]
    source: Source
    device: Optional[int]

class HiveUser(NamedTuple):
    name: str
    source: Source

class DeviceHive(NamedTuple):
    index: int
    role: Literal["system", "user", "software"]
    hive: Hive
    path: str
    size: int
    sha256: Optional[str]
    kind: str
    dirty: bool
    logs_applied: bool
    unsafe: bool
    last_written: Optional[datetime.datetime]
    logs: Optional[Logs]
    user: Optional[HiveUser]

class DeviceVolume(NamedTuple):
    match: Optional[Literal["device_path", "parent_id_prefix"]]
    id: str
    volume: Volume
    names: Tuple[Entry, ...]

class Device(NamedTuple):
    index: int
    facts: Tuple[Fact, ...]
    volumes: Tuple[DeviceVolume, ...]
    users: Tuple[UserMount, ...]

class Devices:
    control_set: int
    hives: Tuple[DeviceHive, ...]
    devices: Tuple[Device, ...]
    unmatched_volumes: Tuple[DeviceVolume, ...]
    user_mounts: Tuple[UserMount, ...]
    unmatched_user_mounts: Tuple[UserMount, ...]
    def to_dict(self) -> dict[str, Any]: ...
    def _json(self, *, compact: bool = ...) -> bytes: ...

class Correlation:
    hive: Hive
    disks: Tuple[Disk, ...]
    volumes: Tuple[VolumeDisk, ...]

class UniqueId:
    shape: str
    summary: str
    fields: dict[str, Any]
    data: bytes
    # The shape's fields as attributes: disk_signature, partition_offset,
    # guid (uuid.UUID), path, bus, vendor, product, serial, ...
    def __getattr__(self, name: str) -> Any: ...

class Entry:
    index: int
    name: str
    class_: str
    flags: Tuple[str, ...]
    variant_of: Optional[str]
    letter: Optional[str]
    mount_point: Optional[MountPoint]
    guid: Optional[uuid.UUID]
    guid_info: Optional[GuidInfo]
    type: str
    type_code: int
    length: Optional[int]
    data: Optional[bytes]
    unique_id: Optional[UniqueId]
    volume: Optional[int]
    error: Optional[str]
    hive: Hive

class Volume:
    index: int
    unique_id: UniqueId
    data: bytes
    length: int
    drive_letters: Tuple[str, ...]
    volume_guids: Tuple[uuid.UUID, ...]
    derived_volume_guid: Optional[uuid.UUID]
    no_letter_markers: Tuple[uuid.UUID, ...]
    mount_points: Tuple[str, ...]
    other_names: Tuple[str, ...]
    entries: Tuple[Entry, ...]

class Hive:
    closed: bool
    path: str
    size: int
    sha256: Optional[str]
    format: str
    sequence: Tuple[int, int]
    dirty: bool
    checksum_ok: bool
    last_written: Optional[datetime.datetime]
    last_written_filetime: int
    embedded_name: str
    file_type: int
    unsafe: bool
    logs_applied: bool
    logs: Optional[Logs]
    hive_kind: str
    layered: bool
    setup_in_progress: bool
    windows_version: str
    control_set: ControlSet
    key: Key
    diagnostics: Tuple[Diagnostic, ...]
    entries: Tuple[Entry, ...]
    volumes: Tuple[Volume, ...]
    findings: Tuple[Finding, ...]
    def close(self) -> None: ...
    def __enter__(self) -> Hive: ...
    def __exit__(self, *exc: object) -> Literal[False]: ...
    def check(self, system_letter: _Letter = ..., *,
              fail_on: Optional[Literal["info", "warning", "error"]] = ...,
              ignore: Iterable[str] = ..., disks: Sequence[Disk] = ...) -> Tuple[Finding, ...]: ...
    def to_dict(self, *, ignore: Iterable[str] = ...,
                disks: Sequence[Disk] = ...) -> Dict[str, Any]: ...
    def _json(self, *, compact: bool = ..., ignore: Iterable[str] = ...,
              disks: Sequence[Disk] = ...) -> bytes: ...
    def transaction(self) -> Transaction: ...
    def correlate(self, disks: Sequence[Disk]) -> Correlation: ...
    def remap_derive(self, to: Disk, from_: Optional[Disk] = ..., *,
                     signature: Union[int, str, None] = ...) -> Tuple[RemapRow, ...]: ...

class Transaction:
    changes: Tuple[Change, ...]
    hive: Hive
    def assign(self, letter: _Letter, volume: _Spec, *, move: bool = ...,
               take: bool = ..., new: bool = ...) -> int: ...
    def unassign(self, letter: _Letter, *, allow_auto: bool = ...) -> int: ...
    def swap(self, a: _Letter, b: _Letter) -> int: ...
    def remap(self, old: Union[_Spec, bytes], new: Union[_Spec, bytes]) -> int: ...
    def remap_disk(self, to: Disk, from_: Optional[Disk] = ..., *,
                   signature: Union[int, str, None] = ...) -> Tuple[RemapRow, ...]: ...
    def scrub(self, keep: Sequence[_Spec], *, all_shapes: bool = ...) -> int: ...
    def reset(self, *, keep_system: bool = ..., system_letter: _Letter = ...) -> int: ...
    def automount(self, on: bool) -> int: ...
    def apply(self, plan: _Path) -> None: ...
    def write(self, out: Optional[_Path] = ..., *, in_place: bool = ...,
              backup: bool = ..., dry_run: bool = ..., force: bool = ...,
              discard_logs: bool = ..., timestamp: _Timestamp = ...,
              system_letter: _Letter = ...) -> WriteReport: ...
    def __enter__(self) -> Transaction: ...
    def __exit__(self, *exc: object) -> Literal[False]: ...

class Disk:
    closed: bool
    path: str
    size: int
    sector_size: int
    table: str
    flags: Tuple[str, ...]
    signature: Optional[int]
    guid: Optional[uuid.UUID]
    warnings: Tuple[str, ...]
    partitions: Tuple[Partition, ...]
    def close(self) -> None: ...
    def __enter__(self) -> Disk: ...
    def __exit__(self, *exc: object) -> Literal[False]: ...
