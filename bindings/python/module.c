/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mountdb._mountdb: the module (init, the exception hierarchy), the
 * helpers every type uses and the record types (struct sequences). */
#include <string.h>
#include <stdio.h>
#include "_mountdb.h"
#include <datetime.h>   /* here only: its API pointer is per file */

/* ---- module state (single-phase init: one interpreter) ------------------- */

PyObject *Error, *CheckFailed, *Closed;
static PyObject *code_exc[32];   /* -code -> exception class */
PyObject *uuid_class;
PyObject *epoch_1601;

#define FT_PER_US 10

/* ---- helpers --------------------------------------------------------------- */

PyObject *
str_or_none (const char *s)
{
  if (s == NULL)
    Py_RETURN_NONE;
  /* Names from a hive are untrusted: decode as UTF-8 and keep what
   * cannot be decoded visible (surrogateescape), never fail. */
  return PyUnicode_DecodeUTF8 (s, (Py_ssize_t) strlen (s), "surrogateescape");
}

PyObject *
bytes_or_none (const uint8_t *p, size_t n)
{
  if (p == NULL)
    Py_RETURN_NONE;
  return PyBytes_FromStringAndSize ((const char *) p, (Py_ssize_t) n);
}

/* Exact UTF-16 units (names from a hive): unpaired surrogates stay
 * visible (surrogatepass), never an error. */
PyObject *
utf16_str (const uint16_t *u, size_t n)
{
  if (n > (size_t) PY_SSIZE_T_MAX / 2)
    return PyErr_NoMemory ();
  int bo = -1;
  return PyUnicode_DecodeUTF16 ((const char *) u, (Py_ssize_t) n * 2,
                                "surrogatepass", &bo);
}

/* FILETIME -> aware datetime (UTC), None for 0 or out of datetime's range. */
PyObject *
filetime_to_datetime (uint64_t ft)
{
  if (ft == 0)
    Py_RETURN_NONE;
  uint64_t us = ft / FT_PER_US;
  int days = (int) (us / 86400000000ULL);
  uint64_t rest = us % 86400000000ULL;
  PyObject *delta = PyDelta_FromDSU (days, (int) (rest / 1000000),
                                     (int) (rest % 1000000));
  if (delta == NULL)
    return NULL;
  PyObject *r = PyNumber_Add (epoch_1601, delta);
  Py_DECREF (delta);
  if (r == NULL && PyErr_ExceptionMatches (PyExc_OverflowError)) {
    PyErr_Clear ();
    Py_RETURN_NONE;
  }
  return r;
}

/* An aware datetime or an int (FILETIME) -> FILETIME. */
int
to_filetime (PyObject *o, uint64_t *ft)
{
  if (PyLong_Check (o)) {
    unsigned long long v = PyLong_AsUnsignedLongLong (o);
    if (PyErr_Occurred ())
      return -1;
    *ft = v;
    return 0;
  }
  if (!PyDateTime_Check (o)) {
    PyErr_SetString (PyExc_TypeError,
                     "timestamp: 'now', 'keep', an aware datetime or a "
                     "FILETIME int");
    return -1;
  }
  PyObject *d = PyNumber_Subtract (o, epoch_1601);
  if (d == NULL)
    return -1;
  long long days = PyDateTime_DELTA_GET_DAYS (d);
  long long secs = PyDateTime_DELTA_GET_SECONDS (d);
  long long us = PyDateTime_DELTA_GET_MICROSECONDS (d);
  Py_DECREF (d);
  if (days < 0) {
    PyErr_SetString (PyExc_ValueError, "timestamp before 1601");
    return -1;
  }
  *ft = ((uint64_t) days * 86400 + (uint64_t) secs) * 10000000ULL
        + (uint64_t) us * FT_PER_US;
  return 0;
}

PyObject *
uuid_from_text (const char *s)
{
  if (s == NULL)
    Py_RETURN_NONE;
  PyObject *r = PyObject_CallFunction (uuid_class, "s", s);
  if (r == NULL && PyErr_ExceptionMatches (PyExc_ValueError)) {
    /* A malformed GUID from a hive: keep its text. */
    PyErr_Clear ();
    return str_or_none (s);
  }
  return r;
}

/* "FILE: reason (H2) ..." -> "H2": the first rule ID in parentheses. */
static PyObject *
rule_of (const char *msg)
{
  for (const char *p = strchr (msg, '('); p; p = strchr (p + 1, '(')) {
    if (strchr ("VWHFLR", p[1]) && p[1] && p[2] >= '0' && p[2] <= '9') {
      const char *q = p + 2;
      while (*q >= '0' && *q <= '9')
        q++;
      if (*q == ')')
        return PyUnicode_FromStringAndSize (p + 1, q - p - 1);
    }
  }
  Py_RETURN_NONE;
}

/* Raise the exception of a library error: class by code, with .code
 * (stable name), .errcode, .errno, .path, .message and .rule. */
PyObject *
raise_err (int rc, const mountdb_error *err, const char *path)
{
  PyObject *cls = rc < 0 && -rc < (int) (sizeof code_exc / sizeof *code_exc)
                  && code_exc[-rc] ? code_exc[-rc] : Error;
  const char *msg = err && err->message[0] ? err->message : mountdb_strerror (rc);
  PyObject *m = str_or_none (msg);
  PyObject *e = m ? PyObject_CallOneArg (cls, m) : NULL;
  Py_XDECREF (m);
  if (e == NULL)
    return NULL;
  PyObject *v;
  int ok = 0;
  ok |= (v = PyUnicode_FromString (mountdb_error_name (rc))) == NULL
        || PyObject_SetAttrString (e, "code", v) < 0;
  Py_XDECREF (v);
  ok |= (v = PyLong_FromLong (rc)) == NULL
        || PyObject_SetAttrString (e, "errcode", v) < 0;
  Py_XDECREF (v);
  ok |= (v = PyLong_FromLong (err ? err->sys_errno : 0)) == NULL
        || PyObject_SetAttrString (e, "errno", v) < 0;
  Py_XDECREF (v);
  ok |= (v = str_or_none (path)) == NULL
        || PyObject_SetAttrString (e, "path", v) < 0;
  Py_XDECREF (v);
  ok |= (v = str_or_none (msg)) == NULL
        || PyObject_SetAttrString (e, "message", v) < 0;
  Py_XDECREF (v);
  ok |= (v = rule_of (msg)) == NULL
        || PyObject_SetAttrString (e, "rule", v) < 0;
  Py_XDECREF (v);
  if (!ok)
    PyErr_SetObject (cls, e);
  Py_DECREF (e);
  return NULL;
}

/* A str, bytes or os.PathLike path -> bytes object (owned). */
int
path_conv (PyObject *o, PyObject **out)
{
  if (o == Py_None) {
    *out = NULL;
    return 1;
  }
  PyObject *b = NULL;
  if (!PyUnicode_FSConverter (o, &b))
    return 0;
  *out = b;
  return 1;
}

int
letter_conv (PyObject *o, char *out)
{
  Py_ssize_t n;
  const char *s = PyUnicode_Check (o) ? PyUnicode_AsUTF8AndSize (o, &n) : NULL;
  if (s == NULL) {
    if (!PyErr_Occurred ())
      PyErr_Format (PyExc_TypeError, "a drive letter is a str such as 'E:', "
                    "not %.80s", Py_TYPE (o)->tp_name);
    return 0;
  }
  if ((n == 1 || (n == 2 && s[1] == ':'))
      && ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) {
    *out = (char) (s[0] & ~0x20);
    return 1;
  }
  PyErr_Format (PyExc_ValueError, "%R is not a drive letter (such as 'E:')", o);
  return 0;
}

mountdb_spec *
spec_from (PyObject *o)
{
  Py_ssize_t n;
  if (!PyUnicode_Check (o)) {
    PyErr_Format (PyExc_TypeError, "a volume spec is a str ('C:', '{GUID}', "
                  "'mbr:SIG:OFFSET', 'gpt:GUID', 'hex:BYTES', "
                  "'disk:PATH:N'), not %.80s", Py_TYPE (o)->tp_name);
    return NULL;
  }
  const char *s = PyUnicode_AsUTF8AndSize (o, &n);
  if (s == NULL)
    return NULL;
  if ((size_t) n != strlen (s)) {
    PyErr_SetString (PyExc_ValueError, "a volume spec cannot hold NUL");
    return NULL;
  }
  mountdb_spec *spec = NULL;
  mountdb_error err;
  int rc = mountdb_spec_parse (s, &spec, &err);
  if (rc < 0) {
    raise_err (rc, &err, NULL);
    return NULL;
  }
  return spec;
}

/* ---- struct sequences: light records copied out of the library ------------ */

PyTypeObject GuidInfoType, MountPointType, FindingType, ChangeType,
  ReportType, LogsType, LogFileType, ControlSetType, KeyType, DiagType,
  PartitionType, RemapRowType, VolumeDiskType, FactType, SourceType,
  UserMountType, DeviceHiveType, HiveUserType, DeviceType, DeviceVolumeType;

#define F(n, d) { n, d }
static PyStructSequence_Field guid_info_fields[] = {
  F ("version", "UUID version nibble"),
  F ("timestamp", "version 1: the time in it, an aware datetime, else None"),
  F ("node", "version 1: the node as aa:bb:cc:dd:ee:ff, else None"),
  F ("node_kind", "'mac', 'placeholder', 'local', or None"),
  F ("mbr_derived", "Data2 = Data3 = 0: Data1 is a disk signature"),
  F ("mbr_signature", "that signature as 8 hex digits, or None"),
  { NULL, NULL } };
static PyStructSequence_Field mount_point_fields[] = {
  F ("letter", "the host volume's drive letter"),
  F ("path", "the folder on it, as stored"), { NULL, NULL } };
static PyStructSequence_Field finding_fields[] = {
  F ("rule", "stable rule ID: V1..V14, L1, R1..R5 (mountdb(1), RULES)"),
  F ("severity", "'info', 'warning' or 'error'"),
  F ("message", "one line in plain words"),
  F ("entries", "indices of the values involved, in value order"),
  F ("names", "the exact names of those values"), { NULL, NULL } };
static PyStructSequence_Field change_fields[] = {
  F ("kind", "'added', 'deleted', 'modified' or 'automount'"),
  F ("name", "the value's (final, or deleted) name"),
  F ("class_", "the name's class ('drive_letter', ...)"),
  F ("before", "data before (bytes), None when added"),
  F ("after", "data after (bytes), None when deleted"), { NULL, NULL } };
static PyStructSequence_Field report_fields[] = {
  F ("written", "True when a file was written (False: dry run or nothing "
     "to do)"),
  F ("dry_run", "True for a dry run"),
  F ("output", "the file written (or that would be), or None"),
  F ("backup", "in place: the backup kept, else None"),
  F ("sha256_before", "SHA-256 of the input"),
  F ("sha256_after", "SHA-256 of the output"),
  F ("changes", "the change set: a tuple of Change"),
  F ("moved_logs", "in place over a replayed hive: 'LOG -> NEW NAME'"),
  { NULL, NULL } };
static PyStructSequence_Field logs_fields[] = {
  F ("applied", "True when the results come from the primary plus logs"),
  F ("first_sequence", "first sequence number applied, or None"),
  F ("last_sequence", "last sequence number applied, or None"),
  F ("pages", "pages applied, or None"),
  F ("summary", "the outcome in one line"),
  F ("files", "a tuple of LogFile"), { NULL, NULL } };
static PyStructSequence_Field log_file_fields[] = {
  F ("path", NULL), F ("size", NULL), F ("sha256", "None without hashing"),
  F ("format", "'unknown', 'old' or 'new'"), F ("valid", NULL),
  F ("used", NULL), F ("first_sequence", NULL), F ("last_sequence", NULL),
  F ("entries", NULL), F ("pages", NULL), F ("note", "what happened to it"),
  { NULL, NULL } };
static PyStructSequence_Field control_set_fields[] = {
  F ("select_default", "Select\\Default, or None"),
  F ("select_current", "Select\\Current, or None"),
  F ("boot", "the control set the next boot loads, or None"),
  F ("no_auto_mount", "NoAutoMount of that control set, or None"),
  F ("san_policy", "SanPolicy of that control set, or None"),
  { NULL, NULL } };
static PyStructSequence_Field key_fields[] = {
  F ("present", "the MountedDevices key exists"),
  F ("state", "'present', 'absent', 'no_root' or 'unreadable'"),
  F ("last_written", "the key's time, an aware datetime, or None"),
  { NULL, NULL } };
static PyStructSequence_Field diag_fields[] = {
  F ("code", "stable name: 'dirty', 'unsafe', 'bad_checksum', ..."),
  F ("message", NULL), { NULL, NULL } };
static PyStructSequence_Field partition_fields[] = {
  F ("number", "partition number (logical from 5)"),
  F ("start", "bytes, absolute"), F ("size", "bytes"),
  F ("mbr_type", "MBR type byte, 0 on GPT"),
  F ("type_guid", "GPT type GUID (uuid.UUID) or None"),
  F ("type_name", "'basic_data', 'esp', 'msr', ... or None"),
  F ("guid", "GPT partition GUID (uuid.UUID) or None"),
  F ("attributes", "GPT attribute bits (int), None on MBR"), F ("logical", "an MBR logical drive"),
  F ("fs", "filesystem found: 'ntfs', 'vfat', ... or None"),
  F ("label", "filesystem label (untrusted) or None"),
  F ("serial", "volume serial as libblkid's UUID, or None"),
  F ("unique_id", "the unique ID Windows stores for it (bytes) or None"),
  F ("spec", "its volume spec ('mbr:SIG:OFFSET', 'gpt:GUID') or None"),
  { NULL, NULL } };
static PyStructSequence_Field remap_row_fields[] = {
  F ("old_id", "the old unique ID, as the hive holds it (bytes)"),
  F ("new_id", "the ID it gets (bytes), None when not matched"),
  F ("partition", "the match in the new disk (Partition), or None"),
  F ("candidates", "1 matched, 0 none, more than 1 several"),
  F ("unchanged", "the match has the same ID already (not remapped)"),
  F ("why", "why it matched, or did not, in words"), { NULL, NULL } };
static PyStructSequence_Field volume_disk_fields[] = {
  F ("volume", "the volume's index in hive.volumes"),
  F ("status", "'present', 'absent' or 'unresolved'"),
  F ("path", "present: the path of the disk that holds it, else None"),
  F ("partition", "present: that partition's number, else None"),
  F ("disk", "present: that Disk, else None"),
  F ("partition_info", "present: that Partition, else None"),
  { NULL, NULL } };
static PyStructSequence_Field fact_fields[] = {
  F ("field", "stable name: bus, vendor, serial, first_install, ... "
     "(mountdb(1), DEVICES)"),
  F ("kind", "'string', 'uint', 'bool' or 'time'"),
  F ("value", "str, int, bool, or an aware datetime (time; None if unset)"),
  F ("source", "Source(hive, key, value): where it was read"),
  F ("meaning", "what it means and on what basis, in one line"),
  { NULL, NULL } };
static PyStructSequence_Field source_fields[] = {
  F ("hive", "the hive's index in Devices.hives"),
  F ("key", "key path from the hive's root; None: the hive's file path"),
  F ("value", "value name ('' the default value); None: the key's name or "
     "LastWrite time"), { NULL, NULL } };
static PyStructSequence_Field user_mount_fields[] = {
  F ("hive", "the user hive's index in Devices.hives"),
  F ("user", "that hive's user name, or None"),
  F ("name", "the MountPoints2 subkey's name as stored (untrusted)"),
  F ("guid", "a {GUID} name's GUID (str, lower case), else None"),
  F ("letter", "a one-letter name, else None"),
  F ("by_letter", "matched by a letter the device's volume holds now "
     "(weaker)"),
  F ("last_written", "the subkey's LastWrite time (aware datetime)"),
  F ("source", "Source(hive, key, None)"),
  F ("device", "the index of the device whose volume it names, or None"),
  { NULL, NULL } };
static PyStructSequence_Field device_hive_fields[] = {
  F ("index", NULL), F ("role", "'system', 'user' or 'software'"),
  F ("hive", "the Hive"), F ("path", NULL), F ("size", NULL),
  F ("sha256", "None without hashing"), F ("kind", "hive kind"),
  F ("dirty", NULL), F ("logs_applied", NULL), F ("unsafe", NULL),
  F ("last_written", "base block time (aware datetime) or None"),
  F ("logs", "the hive's Logs record, or None"),
  F ("user", "a user hive's HiveUser(name, source), else None"),
  { NULL, NULL } };
static PyStructSequence_Field hive_user_fields[] = {
  F ("name", "the user's name (untrusted)"),
  F ("source", "Source: Volatile Environment\\USERNAME, or key None for "
     "the folder above NTUSER.DAT"), { NULL, NULL } };
static PyStructSequence_Field device_fields[] = {
  F ("index", "position in Devices.devices"),
  F ("facts", "a tuple of Fact, identity first, then links, then times"),
  F ("volumes", "its MountedDevices volumes: a tuple of DeviceVolume"),
  F ("users", "MountPoints2 entries naming its volumes: UserMount"),
  { NULL, NULL } };
static PyStructSequence_Field device_volume_fields[] = {
  F ("match", "'device_path' or 'parent_id_prefix'; None in "
     "unmatched_volumes"),
  F ("id", "the unique ID in words (UniqueId.summary)"),
  F ("volume", "the SYSTEM Hive's Volume"),
  F ("names", "its names: the Volume's Entry objects"), { NULL, NULL } };
#undef F

static PyStructSequence_Desc seq_descs[] = {
  { "mountdb.GuidInfo", "What a GUID in a name says (version 1: time, node).",
    guid_info_fields, 6 },
  { "mountdb.MountPoint", "A folder mount point: host letter and path.",
    mount_point_fields, 2 },
  { "mountdb.Finding", "One finding of a check (rule ID, severity, message).",
    finding_fields, 5 },
  { "mountdb.Change", "One value the transaction changes.", change_fields, 5 },
  { "mountdb.WriteReport", "The outcome of Transaction.write() or replay().",
    report_fields, 8 },
  { "mountdb.Logs", "Transaction logs looked at when opening (L rules).",
    logs_fields, 6 },
  { "mountdb.LogFile", "One transaction log file.", log_file_fields, 11 },
  { "mountdb.ControlSet", "Select and the boot control set's settings (V11).",
    control_set_fields, 5 },
  { "mountdb.Key", "The MountedDevices key itself.", key_fields, 3 },
  { "mountdb.Diagnostic", "Something met while reading (not a finding).",
    diag_fields, 2 },
  { "mountdb.Partition", "A partition of a disk and the ID its volume gets.",
    partition_fields, 14 },
  { "mountdb.RemapRow", "One row of a remap table derived from disks (W1).",
    remap_row_fields, 6 },
  { "mountdb.VolumeDisk", "Where one volume of the hive is on the disks.",
    volume_disk_fields, 6 },
  { "mountdb.Fact", "One fact of a device and where it was read.",
    fact_fields, 5 },
  { "mountdb.Source", "Where a fact was read: hive index, key, value.",
    source_fields, 3 },
  { "mountdb.UserMount", "A MountPoints2 subkey of a user hive.",
    user_mount_fields, 9 },
  { "mountdb.DeviceHive", "One hive of a device join and its role.",
    device_hive_fields, 13 },
  { "mountdb.HiveUser", "A user hive's user and where the name was read.",
    hive_user_fields, 2 },
  { "mountdb.Device", "One storage device: facts, volumes, users.",
    device_fields, 4 },
  { "mountdb.DeviceVolume", "A MountedDevices volume of a device.",
    device_volume_fields, 4 },
};
static PyTypeObject *seq_types[] = {
  &GuidInfoType, &MountPointType, &FindingType, &ChangeType, &ReportType,
  &LogsType, &LogFileType, &ControlSetType, &KeyType, &DiagType,
  &PartitionType, &RemapRowType, &VolumeDiskType, &FactType, &SourceType,
  &UserMountType, &DeviceHiveType, &HiveUserType, &DeviceType,
  &DeviceVolumeType,
};

/* Fill a struct sequence from values (references stolen); NULL values
 * mean an error happened: everything is released. */
PyObject *
seq_make (PyTypeObject *t, int n, PyObject **v)
{
  PyObject *r = NULL;
  int bad = 0;
  for (int i = 0; i < n; i++)
    bad |= v[i] == NULL;
  if (!bad)
    r = PyStructSequence_New (t);
  for (int i = 0; i < n; i++) {
    if (r)
      PyStructSequence_SET_ITEM (r, i, v[i]);
    else
      Py_XDECREF (v[i]);
  }
  return r;
}

/* A tuple of n items made by make (ctx, i). */
PyObject *
tuple_of (size_t n, item_fn make, const void *ctx)
{
  PyObject *t = PyTuple_New ((Py_ssize_t) n);
  for (size_t i = 0; t && i < n; i++) {
    PyObject *x = make (ctx, i);
    if (x == NULL)
      Py_CLEAR (t);
    else
      PyTuple_SET_ITEM (t, (Py_ssize_t) i, x);
  }
  return t;
}

/* The stable names of the bits set in flags, lowest bit first; bits
 * without a name are left out. */
PyObject *
flag_names (unsigned flags, const char *(*name) (unsigned bit))
{
  PyObject *l = PyList_New (0);
  for (unsigned bit = 1; l && bit != 0; bit <<= 1) {
    const char *n = (flags & bit) ? name (bit) : NULL;
    if (n == NULL)
      continue;
    PyObject *s = PyUnicode_FromString (n);
    if (s == NULL || PyList_Append (l, s) < 0)
      Py_CLEAR (l);
    Py_XDECREF (s);
  }
  if (l == NULL)
    return NULL;
  PyObject *t = PyList_AsTuple (l);
  Py_DECREF (l);
  return t;
}

/* A sequence argument (rule IDs, specs, paths) as a fast sequence; what
 * says what it holds.  One str or bytes is refused: it would be taken as
 * a sequence of characters. */
PyObject *
seq_arg (PyObject *o, const char *what)
{
  if (PyUnicode_Check (o) || PyBytes_Check (o)) {
    PyErr_Format (PyExc_TypeError, "%s, not one %.20s", what,
                  Py_TYPE (o)->tp_name);
    return NULL;
  }
  return PySequence_Fast (o, what);
}

static int
holder_traverse (Holder *o, visitproc visit, void *arg)
{
  Py_VISIT (o->owner);
  Py_VISIT (o->more);
  return 0;
}

static int
holder_clear (Holder *o)
{
  Py_CLEAR (o->owner);
  Py_CLEAR (o->more);
  return 0;
}

static void
holder_dealloc (Holder *o)
{
  PyObject_GC_UnTrack (o);
  if (o->handle)
    o->free (o->handle);        /* its own memory only */
  o->handle = NULL;
  holder_clear (o);
  Py_TYPE (o)->tp_free ((PyObject *) o);
}

PyObject *
holder_new (PyTypeObject *t, PyObject *owner, PyObject *more, void *handle,
            void (*free) (void *))
{
  Holder *o = PyObject_GC_New (Holder, t);
  if (o == NULL) {
    free (handle);
    return NULL;
  }
  o->owner = Py_NewRef (owner);
  o->more = Py_XNewRef (more);
  o->handle = handle;
  o->free = free;
  PyObject_GC_Track (o);
  return (PyObject *) o;
}

int
init_holder (PyObject *m, PyTypeObject *t, const char *name, const char *doc,
             PyGetSetDef *gs, PyMethodDef *meth, reprfunc repr)
{
  t->tp_traverse = (traverseproc) holder_traverse;
  t->tp_clear = (inquiry) holder_clear;
  return init_type (m, t, name, doc, sizeof (Holder), Py_TPFLAGS_HAVE_GC,
                    (destructor) holder_dealloc, gs, meth, repr);
}

PyObject *
raise_closed (const char *what)
{
  PyErr_Format (Closed, "the %s is closed", what);
  return NULL;
}

/* ---- module -------------------------------------------------------------------- */

/* Tests only: the exception a library error code raises (nomem and
 * crypto cannot be provoked from outside). */
static PyObject *
md_raise_code (PyObject *mod, PyObject *args)
{
  int code;
  const char *msg, *path = NULL;
  if (!PyArg_ParseTuple (args, "is|z", &code, &msg, &path))
    return NULL;
  mountdb_error err;
  err.code = code;
  err.sys_errno = 0;
  snprintf (err.message, sizeof err.message, "%s", msg);
  return raise_err (code, &err, path);
}

static PyObject *
md_version (PyObject *mod, PyObject *unused)
{
  return PyUnicode_FromString (mountdb_version ());
}

static PyMethodDef module_methods[] = {
  { "open", (PyCFunction) (void (*) (void)) md_open,
    METH_VARARGS | METH_KEYWORDS, open_doc },
  { "replay", (PyCFunction) (void (*) (void)) md_replay,
    METH_VARARGS | METH_KEYWORDS, replay_doc },
  { "open_disk", (PyCFunction) (void (*) (void)) md_open_disk,
    METH_VARARGS | METH_KEYWORDS, open_disk_doc },
  { "devices", (PyCFunction) (void (*) (void)) md_devices,
    METH_VARARGS | METH_KEYWORDS, devices_doc },
  { "_raise_code", (PyCFunction) md_raise_code, METH_VARARGS,
    "_raise_code(code, message, path=None)\n\nTests only: raise the "
    "exception of a MOUNTDB_E_* code." },
  { "library_version", (PyCFunction) md_version, METH_NOARGS,
    "library_version() -> str\n\nThe linked libmountdb's version." },
  { NULL } };

static struct PyModuleDef module_def = {
  PyModuleDef_HEAD_INIT, "mountdb._mountdb",
  "The C half of the mountdb package: use `import mountdb`.", -1,
  module_methods, NULL, NULL, NULL, NULL,
};

int
init_type (PyObject *m, PyTypeObject *t, const char *name, const char *doc,
           size_t size, int flags, destructor dealloc, PyGetSetDef *gs,
           PyMethodDef *meth, reprfunc repr)
{
  t->tp_name = name;
  t->tp_doc = doc;
  t->tp_basicsize = (Py_ssize_t) size;
  t->tp_flags = Py_TPFLAGS_DEFAULT | flags;
  t->tp_dealloc = dealloc;
  t->tp_getset = gs;
  t->tp_methods = meth;
  t->tp_repr = repr;
  if (PyType_Ready (t) < 0)
    return -1;
  const char *dot = strrchr (name, '.');
  Py_INCREF (t);
  if (PyModule_AddObject (m, dot ? dot + 1 : name, (PyObject *) t) < 0) {
    Py_DECREF (t);
    return -1;
  }
  return 0;
}

static PyObject *
new_exc (PyObject *m, const char *name, const char *doc, PyObject *bases)
{
  char full[64];
  snprintf (full, sizeof full, "mountdb.%s", name);
  PyObject *e = PyErr_NewExceptionWithDoc (full, doc, bases, NULL);
  if (e == NULL)
    return NULL;
  if (PyModule_AddObject (m, name, Py_NewRef (e)) < 0) {
    Py_DECREF (e);
    Py_DECREF (e);
    return NULL;
  }
  return e;
}

static int
init_errors (PyObject *m)
{
  Error = new_exc (m, "Error",
    "Every error of mountdb.  Attributes: code (the stable name, as the\n"
    "JSON prints it: 'io', 'format', 'refused', ...), errcode (the\n"
    "library's negative MOUNTDB_E_* number), errno (0 unless an OS error),\n"
    "path (the file concerned, or None), message (\"FILE: reason\") and\n"
    "rule (the rule ID the message names, such as 'H2', or None).",
    PyExc_Exception);
  if (Error == NULL)
    return -1;
  static const struct {
    int code; const char *name; const char *doc; PyObject **mix;
  } table[] = {
    { MOUNTDB_E_NOMEM, "NoMemory", "Out of memory (nomem).", &PyExc_MemoryError },
    { MOUNTDB_E_INVAL, "InvalidArgument", "A bad argument or spec (invalid).",
      &PyExc_ValueError },
    { MOUNTDB_E_IO, "IOFailure", "Open, read or write failed (io); see errno.",
      NULL },
    { MOUNTDB_E_NOTREG, "NotRegular",
      "Not a regular file, or a symbolic link (not_regular).", NULL },
    { MOUNTDB_E_FORMAT, "NotAHive",
      "Not a registry hive: signature or sizes (format).", NULL },
    { MOUNTDB_E_CORRUPT, "Corrupt", "A hive hivex refuses to open (corrupt).",
      NULL },
    { MOUNTDB_E_TOOBIG, "TooBig", "Larger than the 4 GiB cap (too_big).", NULL },
    { MOUNTDB_E_CRYPTO, "CryptoFailure", "Hashing failed (crypto).", NULL },
    { MOUNTDB_E_NOMATCH, "NoMatch", "A volume spec names no volume (no_match).",
      &PyExc_LookupError },
    { MOUNTDB_E_AMBIGUOUS, "Ambiguous",
      "A volume spec names several volumes (ambiguous).", &PyExc_LookupError },
    { MOUNTDB_E_REFUSED, "Refused",
      "A rule forbids it (refused): .rule names it (W, H, F rules) when the "
      "message does.", NULL },
    { MOUNTDB_E_EXISTS, "Exists", "The output file exists (exists).", NULL },
  };
  for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
    PyObject *bases = table[i].mix
      ? PyTuple_Pack (2, Error, *table[i].mix) : Py_NewRef (Error);
    if (bases == NULL)
      return -1;
    PyObject *e = new_exc (m, table[i].name, table[i].doc, bases);
    Py_DECREF (bases);
    if (e == NULL)
      return -1;
    code_exc[-table[i].code] = e;
  }
  PyObject *bases = PyTuple_Pack (2, Error, PyExc_ValueError);
  if (bases == NULL)
    return -1;
  Closed = new_exc (m, "Closed", "The hive (or disk) is closed; objects of it "
                    "cannot be used (code 'closed').", bases);
  Py_DECREF (bases);
  CheckFailed = new_exc (m, "CheckFailed", "check(fail_on=...): a finding "
                         "reached fail_on; .findings holds them (code "
                         "'findings').", Error);
  if (Closed == NULL || CheckFailed == NULL)
    return -1;
  /* Class-level defaults, so every instance has every attribute. */
  const char *attrs[] = { "code", "errcode", "errno", "path", "message",
                          "rule", "findings" };
  for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
    if (PyObject_SetAttrString (Error, attrs[i], Py_None) < 0)
      return -1;
  PyObject *s = PyUnicode_FromString ("closed");
  int bad = s == NULL || PyObject_SetAttrString (Closed, "code", s) < 0;
  Py_XDECREF (s);
  s = PyUnicode_FromString ("findings");
  bad |= s == NULL || PyObject_SetAttrString (CheckFailed, "code", s) < 0;
  Py_XDECREF (s);
  return bad ? -1 : 0;
}

PyMODINIT_FUNC PyInit__mountdb (void);

PyMODINIT_FUNC
PyInit__mountdb (void)
{
  PyDateTime_IMPORT;
  if (PyDateTimeAPI == NULL)
    return NULL;
  PyObject *m = PyModule_Create (&module_def);
  if (m == NULL)
    return NULL;
  PyObject *uuid_mod = PyImport_ImportModule ("uuid");
  if (uuid_mod == NULL)
    goto fail;
  uuid_class = PyObject_GetAttrString (uuid_mod, "UUID");
  Py_DECREF (uuid_mod);
  if (uuid_class == NULL)
    goto fail;
  epoch_1601 = PyDateTimeAPI->DateTime_FromDateAndTime (
    1601, 1, 1, 0, 0, 0, 0, PyDateTimeAPI->TimeZone_UTC,
    PyDateTimeAPI->DateTimeType);
  if (epoch_1601 == NULL || init_errors (m) < 0)
    goto fail;

  for (size_t i = 0; i < sizeof seq_types / sizeof *seq_types; i++) {
    if (PyStructSequence_InitType2 (seq_types[i], &seq_descs[i]) < 0)
      goto fail;
    const char *dot = strrchr (seq_descs[i].name, '.');
    if (PyModule_AddObject (m, dot + 1, Py_NewRef (seq_types[i])) < 0)
      goto fail;
  }
  if (hive_init (m) < 0 || model_init (m) < 0 || txn_init (m) < 0
      || disks_init (m) < 0 || devices_init (m) < 0)
    goto fail;
  if (PyModule_AddStringConstant (m, "HEADER_VERSION", MOUNTDB_VERSION_STRING) < 0)
    goto fail;
  return m;
fail:
  Py_DECREF (m);
  return NULL;
}

