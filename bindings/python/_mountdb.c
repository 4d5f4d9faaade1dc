/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mountdb._mountdb: the CPython extension over lib/mountdb.h (issue 15).
 * Written against the public header only, like any user of libmountdb.
 * The pure-Python package (mountdb/__init__.py) re-exports it.
 *
 * Lifetimes: every object that points into a handle (Entry, Volume,
 * Transaction) holds a strong reference to its Hive and checks that the
 * Hive is open before each use, so nothing can reach freed memory after
 * close().  Findings, reports, partitions and IDs are copied into plain
 * Python values when made (a new check replaces the library's findings).
 *
 * Threads: long calls (open, hashing, writing, replaying, plans, disks)
 * run without the GIL.  Each Hive has a read-write lock: calls that run
 * without the GIL read-lock it, check() and close() (which need the
 * handle to themselves, mountdb(3) THREAD SAFETY) write-lock it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <datetime.h>
#include <pthread.h>
#include <string.h>
#include <stdio.h>
#include <inttypes.h>
#include "mountdb.h"

/* ---- module state (single-phase init: one interpreter) ------------------- */

static PyObject *Error, *CheckFailed, *Closed;
static PyObject *code_exc[32];   /* -code -> exception class */
static PyObject *uuid_class;     /* uuid.UUID */
static PyObject *epoch_1601;     /* datetime(1601, 1, 1, tzinfo=utc) */

#define FT_PER_US 10

/* ---- helpers --------------------------------------------------------------- */

static PyObject *
str_or_none (const char *s)
{
  if (s == NULL)
    Py_RETURN_NONE;
  /* Names from a hive are untrusted: decode as UTF-8 and keep what
   * cannot be decoded visible (surrogateescape), never fail. */
  return PyUnicode_DecodeUTF8 (s, (Py_ssize_t) strlen (s), "surrogateescape");
}

static PyObject *
bytes_or_none (const uint8_t *p, size_t n)
{
  if (p == NULL)
    Py_RETURN_NONE;
  return PyBytes_FromStringAndSize ((const char *) p, (Py_ssize_t) n);
}

/* FILETIME -> aware datetime (UTC), None for 0 or out of datetime's range. */
static PyObject *
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
static int
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

static PyObject *
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
static PyObject *
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
static int
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

static int
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

static mountdb_spec *
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

static PyTypeObject GuidInfoType, MountPointType, FindingType, ChangeType,
  ReportType, LogsType, LogFileType, ControlSetType, KeyType, DiagType,
  PartitionType;

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
};
static PyTypeObject *seq_types[] = {
  &GuidInfoType, &MountPointType, &FindingType, &ChangeType, &ReportType,
  &LogsType, &LogFileType, &ControlSetType, &KeyType, &DiagType,
  &PartitionType,
};

/* Fill a struct sequence from values (references stolen); NULL values
 * mean an error happened: everything is released. */
static PyObject *
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

static PyObject *
bool_obj (int b)
{
  return PyBool_FromLong (b);
}

/* ---- Hive ------------------------------------------------------------------- */

typedef struct {
  PyObject_HEAD
  mountdb *db;
  pthread_rwlock_t lock;
  int checked;
  char letter;         /* the system letter of the last check */
  PyObject *entries;   /* cached tuple of Entry */
  PyObject *volumes;   /* cached tuple of Volume */
  PyObject *findings;  /* cached tuple of Finding, from the last check */
  PyObject *weakrefs;
} Hive;

static PyTypeObject HiveType, EntryType, VolumeType, UidType, TxnType,
  DiskType;

static int
hive_open_p (Hive *h)
{
  if (h->db != NULL)
    return 1;
  PyErr_SetString (Closed, "the hive is closed");
  return 0;
}

/* Take the lock for writing without holding the GIL (another thread may
 * hold it for reading while it runs without the GIL). */
static void
hive_wrlock (Hive *h)
{
  Py_BEGIN_ALLOW_THREADS
  pthread_rwlock_wrlock (&h->lock);
  Py_END_ALLOW_THREADS
}

static void
hive_close_now (Hive *h)
{
  if (h->db == NULL)
    return;
  hive_wrlock (h);
  mountdb *db = h->db;
  h->db = NULL;
  pthread_rwlock_unlock (&h->lock);
  mountdb_close (db);
}

static int
hive_traverse (Hive *h, visitproc visit, void *arg)
{
  Py_VISIT (h->entries);
  Py_VISIT (h->volumes);
  Py_VISIT (h->findings);
  return 0;
}

static int
hive_clear (Hive *h)
{
  Py_CLEAR (h->entries);
  Py_CLEAR (h->volumes);
  Py_CLEAR (h->findings);
  return 0;
}

static void
hive_dealloc (Hive *h)
{
  PyObject_GC_UnTrack (h);
  if (h->weakrefs)
    PyObject_ClearWeakRefs ((PyObject *) h);
  hive_clear (h);
  if (h->db) {
    mountdb_close (h->db);   /* no other reference: no other user */
    h->db = NULL;
  }
  pthread_rwlock_destroy (&h->lock);
  Py_TYPE (h)->tp_free ((PyObject *) h);
}

PyDoc_STRVAR (open_doc,
"open(path, *, hash=True, logs=True, unsafe=False, log_files=()) -> Hive\n\n"
"Open a registry hive read-only (it is never written) and read its\n"
"MountedDevices key.  hash=False skips SHA-256; logs=False reads a dirty\n"
"hive without replaying its transaction logs; unsafe=True opens damaged\n"
"hives (read-only results, writes refused); log_files names the logs\n"
"(default: HIVE.LOG1, HIVE.LOG2, HIVE.LOG beside it).  The GIL is\n"
"released while the file is read, hashed and parsed.  Raises a\n"
"mountdb.Error subclass (NotAHive, Corrupt, IOFailure, ...).");

static PyObject *
md_open (PyObject *mod, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "path", "hash", "logs", "unsafe", "log_files",
                            NULL };
  PyObject *path = NULL, *logs_seq = NULL;
  int hash = 1, logs = 1, unsafe = 0;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "O&|$pppO", kwlist, path_conv,
                                    &path, &hash, &logs, &unsafe, &logs_seq))
    return NULL;
  if (path == NULL) {
    PyErr_SetString (PyExc_TypeError, "open: path must not be None");
    return NULL;
  }
  PyObject *logs_fast = NULL, **log_bytes = NULL;
  const char **log_paths = NULL;
  Py_ssize_t nlogs = 0;
  Hive *h = NULL;
  if (logs_seq && logs_seq != Py_None) {
    if (PyUnicode_Check (logs_seq) || PyBytes_Check (logs_seq)) {
      PyErr_SetString (PyExc_TypeError, "log_files: a sequence of paths, "
                       "not one path");
      goto out;
    }
    logs_fast = PySequence_Fast (logs_seq, "log_files: a sequence of paths");
    if (logs_fast == NULL)
      goto out;
    nlogs = PySequence_Fast_GET_SIZE (logs_fast);
    if (nlogs > 3) {
      PyErr_SetString (PyExc_ValueError, "log_files: at most 3 logs");
      goto out;
    }
    log_bytes = PyMem_Calloc ((size_t) nlogs + 1, sizeof *log_bytes);
    log_paths = PyMem_Calloc ((size_t) nlogs + 1, sizeof *log_paths);
    if (log_bytes == NULL || log_paths == NULL) {
      PyErr_NoMemory ();
      goto out;
    }
    for (Py_ssize_t i = 0; i < nlogs; i++) {
      if (!path_conv (PySequence_Fast_GET_ITEM (logs_fast, i), &log_bytes[i])
          || log_bytes[i] == NULL) {
        if (!PyErr_Occurred ())
          PyErr_SetString (PyExc_TypeError, "log_files: None is no path");
        goto out;
      }
      log_paths[i] = PyBytes_AS_STRING (log_bytes[i]);
    }
  }
  unsigned flags = (hash ? 0 : MOUNTDB_OPEN_NO_HASH)
                   | (logs ? 0 : MOUNTDB_OPEN_NO_LOGS)
                   | (unsafe ? MOUNTDB_OPEN_UNSAFE : 0);
  mountdb *db = NULL;
  mountdb_error err;
  const char *p = PyBytes_AS_STRING (path);
  int rc;
  Py_BEGIN_ALLOW_THREADS
  rc = mountdb_open_with_logs (p, flags, log_paths, (size_t) nlogs, &db, &err);
  Py_END_ALLOW_THREADS
  if (rc < 0) {
    raise_err (rc, &err, p);
    goto out;
  }
  h = PyObject_GC_New (Hive, &HiveType);
  if (h == NULL) {
    mountdb_close (db);
    goto out;
  }
  h->db = db;
  h->checked = 0;
  h->entries = h->volumes = h->findings = h->weakrefs = NULL;
  pthread_rwlock_init (&h->lock, NULL);
  PyObject_GC_Track (h);
out:
  for (Py_ssize_t i = 0; log_bytes && i < nlogs; i++)
    Py_XDECREF (log_bytes[i]);
  PyMem_Free (log_bytes);
  PyMem_Free (log_paths);
  Py_XDECREF (logs_fast);
  Py_XDECREF (path);
  return (PyObject *) h;
}

#define HIVE_DB(h)                                                            \
  if (!hive_open_p (h))                                                       \
    return NULL;                                                              \
  const mountdb *db = (h)->db

static PyObject *
hive_close (Hive *h, PyObject *unused)
{
  hive_close_now (h);
  Py_RETURN_NONE;
}

static PyObject *
hive_enter (Hive *h, PyObject *unused)
{
  if (!hive_open_p (h))
    return NULL;
  Py_INCREF (h);
  return (PyObject *) h;
}

static PyObject *
hive_exit (Hive *h, PyObject *args)
{
  hive_close_now (h);
  Py_RETURN_FALSE;
}

static PyObject *
hive_repr (Hive *h)
{
  if (h->db == NULL)
    return PyUnicode_FromString ("<mountdb.Hive closed>");
  PyObject *p = str_or_none (mountdb_path (h->db));
  if (p == NULL)
    return NULL;
  PyObject *r = PyUnicode_FromFormat ("<mountdb.Hive %R: %zu values, %zu "
                                      "volumes>", p,
                                      mountdb_entry_count (h->db),
                                      mountdb_volume_count (h->db));
  Py_DECREF (p);
  return r;
}

/* -- hive facts -- */

static PyObject *
hive_get_closed (Hive *h, void *c)
{
  return bool_obj (h->db == NULL);
}

static PyObject *
hive_get_path (Hive *h, void *c)
{
  HIVE_DB (h);
  return str_or_none (mountdb_path (db));
}

static PyObject *
hive_get_size (Hive *h, void *c)
{
  HIVE_DB (h);
  return PyLong_FromUnsignedLongLong (mountdb_file_size (db));
}

static PyObject *
hive_get_sha256 (Hive *h, void *c)
{
  HIVE_DB (h);
  return str_or_none (mountdb_sha256 (db));
}

static PyObject *
hive_get_format (Hive *h, void *c)
{
  HIVE_DB (h);
  const mountdb_header *hd = mountdb_file_header (db);
  return PyUnicode_FromFormat ("%lu.%lu", (unsigned long) hd->major,
                               (unsigned long) hd->minor);
}

static PyObject *
hive_get_sequence (Hive *h, void *c)
{
  HIVE_DB (h);
  const mountdb_header *hd = mountdb_file_header (db);
  return Py_BuildValue ("(kk)", (unsigned long) hd->seq1,
                        (unsigned long) hd->seq2);
}

static PyObject *
hive_get_dirty (Hive *h, void *c)
{
  HIVE_DB (h);
  return bool_obj (mountdb_file_header (db)->dirty);
}

static PyObject *
hive_get_checksum_ok (Hive *h, void *c)
{
  HIVE_DB (h);
  return bool_obj (mountdb_file_header (db)->checksum_ok);
}

static PyObject *
hive_get_last_written (Hive *h, void *c)
{
  HIVE_DB (h);
  return filetime_to_datetime (mountdb_file_header (db)->last_written);
}

static PyObject *
hive_get_last_written_filetime (Hive *h, void *c)
{
  HIVE_DB (h);
  return PyLong_FromUnsignedLongLong (mountdb_file_header (db)->last_written);
}

static PyObject *
hive_get_embedded_name (Hive *h, void *c)
{
  HIVE_DB (h);
  return str_or_none (mountdb_file_header (db)->embedded_name);
}

static PyObject *
hive_get_file_type (Hive *h, void *c)
{
  HIVE_DB (h);
  return PyLong_FromUnsignedLong (mountdb_file_header (db)->file_type);
}

static PyObject *
hive_get_unsafe (Hive *h, void *c)
{
  HIVE_DB (h);
  return bool_obj ((mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE) != 0);
}

static PyObject *
hive_get_logs_applied (Hive *h, void *c)
{
  HIVE_DB (h);
  return bool_obj (mountdb_logs_applied (db));
}

static PyObject *
hive_get_logs (Hive *h, void *c)
{
  HIVE_DB (h);
  const char *summary = mountdb_logs_summary (db);
  size_t n = mountdb_log_count (db);
  if (summary == NULL && n == 0)
    Py_RETURN_NONE;
  PyObject *files = PyTuple_New ((Py_ssize_t) n);
  if (files == NULL)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    const mountdb_log_info *l = mountdb_log_get (db, i);
    int seq = l->entries || l->first_seq || l->last_seq;
    PyObject *v[11] = {
      str_or_none (l->path), PyLong_FromUnsignedLongLong (l->size),
      str_or_none (l->sha256),
      PyUnicode_FromString (mountdb_log_format_name (l->format)),
      bool_obj (l->valid), bool_obj (l->used),
      seq ? PyLong_FromUnsignedLong (l->first_seq) : Py_NewRef (Py_None),
      seq ? PyLong_FromUnsignedLong (l->last_seq) : Py_NewRef (Py_None),
      seq ? PyLong_FromUnsignedLong (l->entries) : Py_NewRef (Py_None),
      PyLong_FromUnsignedLongLong (l->pages), str_or_none (l->note ? l->note : ""),
    };
    PyObject *f = seq_make (&LogFileType, 11, v);
    if (f == NULL) {
      Py_DECREF (files);
      return NULL;
    }
    PyTuple_SET_ITEM (files, (Py_ssize_t) i, f);
  }
  uint32_t first, last;
  uint64_t pages;
  mountdb_logs_range (db, &first, &last, &pages);
  int applied = mountdb_logs_applied (db);
  PyObject *v[6] = {
    bool_obj (applied),
    applied ? PyLong_FromUnsignedLong (first) : Py_NewRef (Py_None),
    applied ? PyLong_FromUnsignedLong (last) : Py_NewRef (Py_None),
    applied ? PyLong_FromUnsignedLongLong (pages) : Py_NewRef (Py_None),
    str_or_none (summary ? summary : ""), files,
  };
  return seq_make (&LogsType, 6, v);
}

static PyObject *
hive_get_hive_kind (Hive *h, void *c)
{
  HIVE_DB (h);
  return PyUnicode_FromString (mountdb_hive_kind_name (mountdb_hive_kind (db)));
}

static PyObject *
hive_get_layered (Hive *h, void *c)
{
  HIVE_DB (h);
  return bool_obj (mountdb_layered (db));
}

static PyObject *
hive_get_setup_in_progress (Hive *h, void *c)
{
  HIVE_DB (h);
  uint32_t v;
  return bool_obj (mountdb_setup_in_progress (db, &v) == MOUNTDB_VALUE_OK
                   && v == 1);
}

static PyObject *
hive_get_windows_version (Hive *h, void *c)
{
  HIVE_DB (h);
  return PyUnicode_FromString (
    mountdb_windows_version_name (mountdb_windows_version (db)));
}

static PyObject *
dword_or_none (int state, uint32_t v)
{
  if (state != MOUNTDB_VALUE_OK)
    Py_RETURN_NONE;
  return PyLong_FromUnsignedLong (v);
}

static PyObject *
hive_get_control_set (Hive *h, void *c)
{
  HIVE_DB (h);
  uint32_t a = 0, b = 0, n = 0, s = 0;
  int sa = mountdb_select_default (db, &a);
  int sb = mountdb_select_current (db, &b);
  uint32_t boot = mountdb_boot_control_set (db);
  int sn = mountdb_noautomount (db, &n);
  int ss = mountdb_san_policy (db, &s);
  PyObject *v[5] = {
    dword_or_none (sa, a), dword_or_none (sb, b),
    dword_or_none (boot ? MOUNTDB_VALUE_OK : MOUNTDB_VALUE_ABSENT, boot),
    dword_or_none (sn, n), dword_or_none (ss, s),
  };
  return seq_make (&ControlSetType, 5, v);
}

static PyObject *
hive_get_key (Hive *h, void *c)
{
  HIVE_DB (h);
  int ks = mountdb_key_state (db);
  PyObject *v[3] = {
    bool_obj (ks == MOUNTDB_KEY_PRESENT),
    PyUnicode_FromString (mountdb_key_state_name (ks)),
    filetime_to_datetime (mountdb_key_last_written (db)),
  };
  return seq_make (&KeyType, 3, v);
}

static PyObject *
hive_get_diagnostics (Hive *h, void *c)
{
  HIVE_DB (h);
  size_t n = mountdb_diag_count (db);
  PyObject *list = PyList_New (0);
  if (list == NULL)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    int code = 0;
    const char *msg = NULL;
    if (mountdb_diag_get (db, i, &code, &msg) < 0)
      continue;
    PyObject *v[2] = { PyUnicode_FromString (mountdb_diag_name (code)),
                       str_or_none (msg ? msg : "") };
    PyObject *d = seq_make (&DiagType, 2, v);
    if (d == NULL || PyList_Append (list, d) < 0) {
      Py_XDECREF (d);
      Py_DECREF (list);
      return NULL;
    }
    Py_DECREF (d);
  }
  PyObject *t = PyList_AsTuple (list);
  Py_DECREF (list);
  return t;
}

/* -- entries and volumes -- */

typedef struct {
  PyObject_HEAD
  Hive *hive;
  const mountdb_entry *e;
  size_t index;
} Entry;

typedef struct {
  PyObject_HEAD
  Hive *hive;
  const mountdb_volume *v;
  size_t index;
} Volume;

static PyObject *
hive_get_entries (Hive *h, void *c)
{
  HIVE_DB (h);
  if (h->entries == NULL) {
    size_t n = mountdb_entry_count (db);
    PyObject *t = PyTuple_New ((Py_ssize_t) n);
    if (t == NULL)
      return NULL;
    for (size_t i = 0; i < n; i++) {
      Entry *e = PyObject_GC_New (Entry, &EntryType);
      if (e == NULL) {
        Py_DECREF (t);
        return NULL;
      }
      Py_INCREF (h);
      e->hive = h;
      e->e = mountdb_entry_get (db, i);
      e->index = i;
      PyObject_GC_Track (e);
      PyTuple_SET_ITEM (t, (Py_ssize_t) i, (PyObject *) e);
    }
    h->entries = t;
  }
  return Py_NewRef (h->entries);
}

static PyObject *
hive_get_volumes (Hive *h, void *c)
{
  HIVE_DB (h);
  if (h->volumes == NULL) {
    size_t n = mountdb_volume_count (db);
    PyObject *t = PyTuple_New ((Py_ssize_t) n);
    if (t == NULL)
      return NULL;
    for (size_t i = 0; i < n; i++) {
      Volume *v = PyObject_GC_New (Volume, &VolumeType);
      if (v == NULL) {
        Py_DECREF (t);
        return NULL;
      }
      Py_INCREF (h);
      v->hive = h;
      v->v = mountdb_volume_get (db, i);
      v->index = i;
      PyObject_GC_Track (v);
      PyTuple_SET_ITEM (t, (Py_ssize_t) i, (PyObject *) v);
    }
    h->volumes = t;
  }
  return Py_NewRef (h->volumes);
}

/* -- checks -- */

static PyObject *
finding_obj (const mountdb_finding *f)
{
  size_t ne = mountdb_finding_entry_count (f);
  PyObject *idx = PyList_New (0), *names = PyList_New (0);
  if (idx == NULL || names == NULL)
    goto fail;
  for (size_t k = 0; k < ne; k++) {
    const mountdb_entry *e = mountdb_finding_entry_get (f, k);
    if (e == NULL)
      continue;
    PyObject *i = PyLong_FromSize_t (mountdb_entry_index (e));
    size_t n16;
    const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
    int bo = -1;
    PyObject *n = PyUnicode_DecodeUTF16 ((const char *) u,
                                         (Py_ssize_t) n16 * 2,
                                         "surrogatepass", &bo);
    int bad = i == NULL || n == NULL || PyList_Append (idx, i) < 0
              || PyList_Append (names, n) < 0;
    Py_XDECREF (i);
    Py_XDECREF (n);
    if (bad)
      goto fail;
  }
  PyObject *v[5] = {
    str_or_none (mountdb_finding_rule (f)),
    PyUnicode_FromString (mountdb_severity_name (mountdb_finding_severity (f))),
    str_or_none (mountdb_finding_message (f)),
    PyList_AsTuple (idx), PyList_AsTuple (names),
  };
  Py_DECREF (idx);
  Py_DECREF (names);
  return seq_make (&FindingType, 5, v);
fail:
  Py_XDECREF (idx);
  Py_XDECREF (names);
  return NULL;
}

typedef struct {
  PyObject_HEAD
  mountdb_disk *disk;
  PyObject *partitions;
} Disk;

/* Run the check (with disks when given) and cache every finding. */
/* The mountdb.Disk objects of a `disks` argument as the library's array
 * (*fast keeps them alive until the caller drops it): 0, or -1 with an
 * exception.  None or absent: no disks, *fast NULL. */
static int
disk_vector (PyObject *disks, PyObject **fast, const mountdb_disk ***dv,
             Py_ssize_t *nd)
{
  *fast = NULL;
  *dv = NULL;
  *nd = 0;
  if (disks == NULL || disks == Py_None)
    return 0;
  *fast = PySequence_Fast (disks, "disks: a sequence of mountdb.Disk");
  if (*fast == NULL)
    return -1;
  *nd = PySequence_Fast_GET_SIZE (*fast);
  *dv = PyMem_Calloc ((size_t) *nd + 1, sizeof **dv);
  if (*dv == NULL) {
    PyErr_NoMemory ();
    return -1;
  }
  for (Py_ssize_t i = 0; i < *nd; i++) {
    PyObject *d = PySequence_Fast_GET_ITEM (*fast, i);
    if (!PyObject_TypeCheck (d, &DiskType)) {
      PyErr_Format (PyExc_TypeError, "disks: mountdb.Disk, not %.80s",
                    Py_TYPE (d)->tp_name);
      return -1;
    }
    if (((Disk *) d)->disk == NULL) {
      PyErr_SetString (Closed, "a disk is closed");
      return -1;
    }
    (*dv)[i] = ((Disk *) d)->disk;
  }
  return 0;
}

static int
hive_run_check (Hive *h, char letter, PyObject *disks)
{
  PyObject *fast = NULL;
  const mountdb_disk **dv = NULL;
  Py_ssize_t nd = 0;
  int rc = -1;
  if (disk_vector (disks, &fast, &dv, &nd) < 0)
    goto out;
  hive_wrlock (h);
  if (h->db == NULL) {
    pthread_rwlock_unlock (&h->lock);
    PyErr_SetString (Closed, "the hive is closed");
    goto out;
  }
  int r = fast ? mountdb_check_disks (h->db, letter, dv, (size_t) nd)
               : mountdb_check (h->db, letter);
  pthread_rwlock_unlock (&h->lock);
  if (r < 0) {
    raise_err (r, NULL, mountdb_path (h->db));
    goto out;
  }
  size_t n = mountdb_finding_count (h->db);
  PyObject *t = PyTuple_New ((Py_ssize_t) n);
  if (t == NULL)
    goto out;
  for (size_t i = 0; i < n; i++) {
    PyObject *f = finding_obj (mountdb_finding_get (h->db, i));
    if (f == NULL) {
      Py_DECREF (t);
      goto out;
    }
    PyTuple_SET_ITEM (t, (Py_ssize_t) i, f);
  }
  Py_XSETREF (h->findings, t);
  h->checked = 1;
  h->letter = letter;
  rc = 0;
out:
  PyMem_Free (dv);
  Py_XDECREF (fast);
  return rc;
}

PyDoc_STRVAR (check_doc,
"check(system_letter='C', *, fail_on=None, ignore=(), disks=()) -> tuple\n\n"
"Validate the database the way the mount manager reads it at next boot\n"
"and return the findings (Finding: rule, severity, message, entries,\n"
"names), less the rule IDs in ignore.  With disks (mountdb.Disk), the\n"
"disk rules run too (V9, V10, V12, V13, V14).  fail_on='info'|'warning'|\n"
"'error' raises CheckFailed (.findings) when a finding reaches it, as\n"
"`mountdb check --fail-on` exits 4.  hive.findings keeps the result.");

static PyObject *
hive_check (Hive *h, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "system_letter", "fail_on", "ignore", "disks",
                            NULL };
  char letter = 'C';
  const char *fail_on = NULL;
  PyObject *ignore = NULL, *disks = NULL;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "|O&$zOO", kwlist, letter_conv,
                                    &letter, &fail_on, &ignore, &disks))
    return NULL;
  if (!hive_open_p (h))
    return NULL;
  int fail_sev = -1;
  if (fail_on && (fail_sev = mountdb_severity_parse (fail_on)) < 0) {
    PyErr_Format (PyExc_ValueError, "fail_on: 'info', 'warning' or 'error', "
                  "not '%s'", fail_on);
    return NULL;
  }
  PyObject *ign = NULL;
  if (ignore && ignore != Py_None) {
    if (PyUnicode_Check (ignore)) {
      PyErr_SetString (PyExc_TypeError, "ignore: a sequence of rule IDs such "
                       "as ('V8', 'V3'), not one str");
      return NULL;
    }
    ign = PyFrozenSet_New (ignore);
    if (ign == NULL)
      return NULL;
  }
  if (hive_run_check (h, letter, disks) < 0) {
    Py_XDECREF (ign);
    return NULL;
  }
  PyObject *out = PyList_New (0);
  int failed = 0;
  for (Py_ssize_t i = 0; out && i < PyTuple_GET_SIZE (h->findings); i++) {
    PyObject *f = PyTuple_GET_ITEM (h->findings, i);
    PyObject *rule = PyStructSequence_GET_ITEM (f, 0);
    int skip = ign ? PySet_Contains (ign, rule) : 0;
    if (skip < 0 || (!skip && PyList_Append (out, f) < 0)) {
      Py_CLEAR (out);
      break;
    }
    if (!skip && fail_sev >= 0) {
      PyObject *sev = PyStructSequence_GET_ITEM (f, 1);
      if (mountdb_severity_parse (PyUnicode_AsUTF8 (sev)) >= fail_sev)
        failed = 1;
    }
  }
  Py_XDECREF (ign);
  if (out == NULL)
    return NULL;
  PyObject *t = PyList_AsTuple (out);
  Py_DECREF (out);
  if (t && failed) {
    PyObject *e = PyObject_CallFunction (CheckFailed, "s",
                                         "findings at or above fail_on");
    if (e && PyObject_SetAttrString (e, "findings", t) == 0)
      PyErr_SetObject (CheckFailed, e);
    Py_XDECREF (e);
    Py_DECREF (t);
    return NULL;
  }
  return t;
}

static PyObject *
hive_get_findings (Hive *h, void *c)
{
  if (!hive_open_p (h))
    return NULL;
  if (!h->checked && hive_run_check (h, 'C', NULL) < 0)
    return NULL;
  return Py_NewRef (h->findings);
}

/* -- to_dict(): the schema-1 document --------------------------------------
 * The library's one JSON writer (mountdb_json_write), the same bytes the
 * CLI prints, collected into a bytes object; to_dict () is json.loads of
 * it (mountdb/__init__.py).  No second implementation of the schema. */

struct jbuf {
  char *p;
  size_t len, cap;
};

static int
jbuf_sink (void *ctx, const char *buf, size_t len)
{
  struct jbuf *b = ctx;
  if (len > b->cap - b->len) {
    size_t cap = b->cap ? b->cap : 65536;
    while (len > cap - b->len) {
      if (cap > SIZE_MAX / 2)
        return -1;
      cap *= 2;
    }
    char *p = realloc (b->p, cap);
    if (p == NULL)
      return -1;
    b->p = p;
    b->cap = cap;
  }
  memcpy (b->p + b->len, buf, len);
  b->len += len;
  return 0;
}

PyDoc_STRVAR (json_doc,
"_json(*, compact=False, ignore=(), disks=()) -> bytes\n\n"
"The document `mountdb show --format=json` prints for this hive, byte\n"
"for byte (compact: the one line of --format=jsonl), without the final\n"
"newline.  Findings are those of the last check() (check() runs first\n"
"when none has); ignore leaves rule IDs out as --ignore does; disks\n"
"(mountdb.Disk) re-run the check with them and fill \"disks\" and each\n"
"volume's \"disk\" as --disk does.  to_dict() is json.loads of it.");

static PyObject *
hive_json (Hive *h, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "compact", "ignore", "disks", NULL };
  int compact = 0;
  PyObject *ignore = NULL, *disks = NULL;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "|$pOO", kwlist, &compact,
                                    &ignore, &disks))
    return NULL;
  if (!hive_open_p (h))
    return NULL;
  PyObject *fast = NULL, *ign = NULL, *out = NULL;
  const mountdb_disk **dv = NULL;
  const char **ids = NULL;
  mountdb_json_disk *jd = NULL;
  Py_ssize_t nd = 0;
  if (ignore && ignore != Py_None) {
    if (PyUnicode_Check (ignore)) {
      PyErr_SetString (PyExc_TypeError, "ignore: a sequence of rule IDs such "
                       "as ('V8', 'V3'), not one str");
      return NULL;
    }
    ign = PySequence_Fast (ignore, "ignore: a sequence of rule IDs");
    if (ign == NULL)
      return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE (ign);
    ids = PyMem_Calloc ((size_t) n + 1, sizeof *ids);
    if (ids == NULL) {
      PyErr_NoMemory ();
      goto out;
    }
    for (Py_ssize_t i = 0; i < n; i++)
      if ((ids[i] = PyUnicode_AsUTF8 (PySequence_Fast_GET_ITEM (ign, i)))
          == NULL)
        goto out;
  }
  if (disk_vector (disks, &fast, &dv, &nd) < 0)
    goto out;
  if (fast ? hive_run_check (h, h->checked ? h->letter : 'C', disks) < 0
           : !h->checked && hive_run_check (h, 'C', NULL) < 0)
    goto out;
  if (nd > 0 && (jd = PyMem_Calloc ((size_t) nd, sizeof *jd)) == NULL) {
    PyErr_NoMemory ();
    goto out;
  }
  for (Py_ssize_t i = 0; i < nd; i++) {
    jd[i].path = mountdb_disk_path (dv[i]);
    jd[i].disk = dv[i];
  }
  struct jbuf b = { NULL, 0, 0 };
  mountdb_json_opts o;
  mountdb_json_opts_init (&o);
  o.flags = compact ? MOUNTDB_JSON_COMPACT : 0;
  o.ignore = ids;
  o.disks = jd;
  o.ndisks = (size_t) nd;
  mountdb_correlation *corr = NULL;
  mountdb_error err;
  memset (&err, 0, sizeof err);
  int r;
  Py_BEGIN_ALLOW_THREADS
  pthread_rwlock_rdlock (&h->lock);
  r = h->db == NULL ? 1
      : fast ? mountdb_correlate (h->db, dv, (size_t) nd, &corr, &err) : 0;
  if (r == 0) {
    o.correlation = corr;
    r = mountdb_json_write (h->db, &o, jbuf_sink, &b, &err);
  }
  pthread_rwlock_unlock (&h->lock);
  Py_END_ALLOW_THREADS
  mountdb_correlation_free (corr);
  if (r == 1)
    PyErr_SetString (Closed, "the hive is closed");
  else if (r < 0)
    raise_err (r, &err, h->db ? mountdb_path (h->db) : NULL);
  else
    out = PyBytes_FromStringAndSize (b.p ? b.p : "", (Py_ssize_t) b.len);
  free (b.p);
out:
  PyMem_Free (jd);
  PyMem_Free (ids);
  PyMem_Free (dv);
  Py_XDECREF (fast);
  Py_XDECREF (ign);
  return out;
}

PyDoc_STRVAR (to_dict_doc,
"to_dict(*, ignore=(), disks=()) -> dict\n\n"
"The schema-1 document `mountdb show --format=json` prints for this hive\n"
"(mountdb(1), JSON OUTPUT), as Python objects: equal to json.loads of\n"
"the CLI's output for the same hive and options.  Findings, ignore and\n"
"disks as in _json().");

static PyObject *
hive_to_dict (Hive *h, PyObject *args, PyObject *kw)
{
  if (kw && PyDict_GetItemString (kw, "compact")) {
    PyErr_SetString (PyExc_TypeError, "to_dict() takes no 'compact'");
    return NULL;
  }
  PyObject *doc = hive_json (h, args, kw);
  if (doc == NULL)
    return NULL;
  PyObject *json = PyImport_ImportModule ("json");
  PyObject *d = json ? PyObject_CallMethod (json, "loads", "O", doc) : NULL;
  Py_XDECREF (json);
  Py_DECREF (doc);
  return d;
}

/* -- transactions -- */

typedef struct {
  PyObject_HEAD
  Hive *hive;
  mountdb_txn *txn;
} Txn;

PyDoc_STRVAR (transaction_doc,
"transaction() -> Transaction\n\n"
"Start an edit from the hive's current value list (W10).  Nothing touches\n"
"a file until Transaction.write().  Several transactions may exist at\n"
"once; each is used by one thread at a time.");

static PyObject *
hive_transaction (Hive *h, PyObject *unused)
{
  HIVE_DB (h);
  mountdb_txn *txn = NULL;
  mountdb_error err;
  int rc = mountdb_txn_new (db, &txn, &err);
  if (rc < 0)
    return raise_err (rc, &err, mountdb_path (db));
  Txn *t = PyObject_GC_New (Txn, &TxnType);
  if (t == NULL) {
    mountdb_txn_free (txn);
    return NULL;
  }
  Py_INCREF (h);
  t->hive = h;
  t->txn = txn;
  PyObject_GC_Track (t);
  return (PyObject *) t;
}

static PyGetSetDef hive_getset[] = {
  { "closed", (getter) hive_get_closed, NULL, "True after close()", NULL },
  { "path", (getter) hive_get_path, NULL, "the hive's path", NULL },
  { "size", (getter) hive_get_size, NULL, "file size in bytes", NULL },
  { "sha256", (getter) hive_get_sha256, NULL,
    "SHA-256 of the file (64 hex digits), None with hash=False", NULL },
  { "format", (getter) hive_get_format, NULL, "regf version, e.g. '1.5'",
    NULL },
  { "sequence", (getter) hive_get_sequence, NULL,
    "(primary, secondary) sequence numbers", NULL },
  { "dirty", (getter) hive_get_dirty, NULL,
    "sequence numbers differ or checksum bad (L rules)", NULL },
  { "checksum_ok", (getter) hive_get_checksum_ok, NULL,
    "the base block checksum is right", NULL },
  { "last_written", (getter) hive_get_last_written, NULL,
    "base block time, an aware datetime (UTC), or None", NULL },
  { "last_written_filetime", (getter) hive_get_last_written_filetime, NULL,
    "base block time as FILETIME (100 ns since 1601), exact", NULL },
  { "embedded_name", (getter) hive_get_embedded_name, NULL,
    "the file name stored in the base block (untrusted)", NULL },
  { "file_type", (getter) hive_get_file_type, NULL,
    "0 primary, 1/2 old log, 6 new log", NULL },
  { "unsafe", (getter) hive_get_unsafe, NULL, "opened with unsafe=True",
    NULL },
  { "logs_applied", (getter) hive_get_logs_applied, NULL,
    "the results come from the primary plus its logs", NULL },
  { "logs", (getter) hive_get_logs, NULL,
    "Logs (applied, sequences, pages, summary, files) or None", NULL },
  { "hive_kind", (getter) hive_get_hive_kind, NULL,
    "'system', 'ntuser', 'software', ... ('unknown')", NULL },
  { "layered", (getter) hive_get_layered, NULL,
    "a differencing hive (writes refused)", NULL },
  { "setup_in_progress", (getter) hive_get_setup_in_progress, NULL,
    "Setup\\SystemSetupInProgress = 1", NULL },
  { "windows_version", (getter) hive_get_windows_version, NULL,
    "'unknown', 'nt4', '2000-8.1' or '10' (inferred)", NULL },
  { "control_set", (getter) hive_get_control_set, NULL,
    "ControlSet: select_default, select_current, boot, no_auto_mount, "
    "san_policy", NULL },
  { "key", (getter) hive_get_key, NULL,
    "Key: present, state, last_written", NULL },
  { "diagnostics", (getter) hive_get_diagnostics, NULL,
    "what reading met: a tuple of Diagnostic(code, message)", NULL },
  { "entries", (getter) hive_get_entries, NULL,
    "one Entry per value of MountedDevices, in value order", NULL },
  { "volumes", (getter) hive_get_volumes, NULL,
    "the names grouped by identical REG_BINARY data: Volume objects", NULL },
  { "findings", (getter) hive_get_findings, NULL,
    "findings of the last check() (runs check() with 'C' the first time)",
    NULL },
  { NULL } };

static PyMethodDef hive_methods[] = {
  { "close", (PyCFunction) hive_close, METH_NOARGS,
    "close()\n\nRelease the hive.  Entries, volumes and transactions of it "
    "raise mountdb.Closed afterwards.  Waits for calls running on other "
    "threads." },
  { "__enter__", (PyCFunction) hive_enter, METH_NOARGS, NULL },
  { "__exit__", (PyCFunction) hive_exit, METH_VARARGS, NULL },
  { "check", (PyCFunction) (void (*) (void)) hive_check,
    METH_VARARGS | METH_KEYWORDS, check_doc },
  { "transaction", (PyCFunction) hive_transaction, METH_NOARGS,
    transaction_doc },
  { "_json", (PyCFunction) (void (*) (void)) hive_json,
    METH_VARARGS | METH_KEYWORDS, json_doc },
  { "to_dict", (PyCFunction) (void (*) (void)) hive_to_dict,
    METH_VARARGS | METH_KEYWORDS, to_dict_doc },
  { NULL } };

PyDoc_STRVAR (hive_doc,
"An opened hive (mountdb.open()).  A context manager: `with\n"
"mountdb.open(path) as hive:` closes it at the end.  Its facts are\n"
"attributes; entries, volumes and findings are tuples of light objects.\n"
"Threads: attributes may be read from several threads; check() and close()\n"
"wait for calls running without the GIL on other threads.");

/* ---- Entry -------------------------------------------------------------------- */

static int
child_traverse (PyObject *o, visitproc visit, void *arg)
{
  Py_VISIT (((Entry *) o)->hive);
  return 0;
}

static int
child_clear (PyObject *o)
{
  Py_CLEAR (((Entry *) o)->hive);
  return 0;
}

static void
child_dealloc (PyObject *o)
{
  PyObject_GC_UnTrack (o);
  child_clear (o);
  Py_TYPE (o)->tp_free (o);
}

#define ENTRY(o)                                                              \
  if (o->hive == NULL || !hive_open_p (o->hive))                              \
    return NULL;                                                              \
  const mountdb_entry *e = o->e

static PyObject *
entry_get_index (Entry *o, void *c)
{
  ENTRY (o);
  (void) e;
  return PyLong_FromSize_t (o->index);
}

static PyObject *
entry_get_name (Entry *o, void *c)
{
  ENTRY (o);
  /* From the exact units: unpaired surrogates stay visible. */
  size_t n;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n);
  if (n > (size_t) PY_SSIZE_T_MAX / 2)
    return PyErr_NoMemory ();
  int bo = -1;
  return PyUnicode_DecodeUTF16 ((const char *) u, (Py_ssize_t) n * 2,
                                "surrogatepass", &bo);
}

static PyObject *
entry_get_class (Entry *o, void *c)
{
  ENTRY (o);
  return PyUnicode_FromString (mountdb_class_name (mountdb_entry_class (e)));
}

static PyObject *
entry_get_flags (Entry *o, void *c)
{
  ENTRY (o);
  unsigned flags = mountdb_entry_name_flags (e);
  PyObject *l = PyList_New (0);
  for (unsigned bit = 1; l && bit != 0; bit <<= 1) {
    const char *n = (flags & bit) ? mountdb_name_flag_name (bit) : NULL;
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

static PyObject *
entry_get_variant_of (Entry *o, void *c)
{
  ENTRY (o);
  if (!(mountdb_entry_name_flags (e) & MOUNTDB_NAME_CASE_VARIANT))
    Py_RETURN_NONE;
  return PyUnicode_FromString (mountdb_class_name (mountdb_entry_variant_of (e)));
}

static PyObject *
entry_get_letter (Entry *o, void *c)
{
  ENTRY (o);
  char l = mountdb_entry_letter (e);
  if (mountdb_entry_class (e) != MOUNTDB_CLASS_DRIVE_LETTER || l == 0)
    Py_RETURN_NONE;
  return PyUnicode_FromStringAndSize (&l, 1);
}

#define DOS_LETTER_UNITS 14 /* "\DosDevices\X:" */

static PyObject *
entry_get_mount_point (Entry *o, void *c)
{
  ENTRY (o);
  size_t n;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n);
  char l = mountdb_entry_letter (e);
  if (mountdb_entry_class (e) != MOUNTDB_CLASS_MOUNT_POINT || l == 0
      || n <= DOS_LETTER_UNITS)
    Py_RETURN_NONE;
  int bo = -1;
  PyObject *v[2] = {
    PyUnicode_FromStringAndSize (&l, 1),
    PyUnicode_DecodeUTF16 ((const char *) (u + DOS_LETTER_UNITS),
                           (Py_ssize_t) (n - DOS_LETTER_UNITS) * 2,
                           "surrogatepass", &bo),
  };
  return seq_make (&MountPointType, 2, v);
}

static PyObject *
entry_get_guid (Entry *o, void *c)
{
  ENTRY (o);
  return uuid_from_text (mountdb_entry_guid (e));
}

static PyObject *
guid_info_obj (const mountdb_guid_info *gi)
{
  PyObject *node = Py_NewRef (Py_None), *kind = Py_NewRef (Py_None);
  if (gi->has_node) {
    char b[18];
    snprintf (b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x", gi->node[0],
              gi->node[1], gi->node[2], gi->node[3], gi->node[4], gi->node[5]);
    Py_SETREF (node, PyUnicode_FromString (b));
    const char *k = gi->node_kind == MOUNTDB_NODE_NONE ? NULL
                    : mountdb_node_kind_name (gi->node_kind);
    if (k)
      Py_SETREF (kind, PyUnicode_FromString (k));
  }
  PyObject *sig = Py_NewRef (Py_None);
  if (gi->mbr_derived)
    Py_SETREF (sig, PyUnicode_FromFormat ("%08lx",
                                          (unsigned long) gi->mbr_signature));
  PyObject *v[6] = {
    PyLong_FromLong (gi->version),
    gi->has_time ? filetime_to_datetime (gi->time_filetime)
                 : Py_NewRef (Py_None),
    node, kind, bool_obj (gi->mbr_derived), sig,
  };
  return seq_make (&GuidInfoType, 6, v);
}

static PyObject *
entry_get_guid_info (Entry *o, void *c)
{
  ENTRY (o);
  const mountdb_guid_info *gi = mountdb_entry_guid_info (e);
  if (mountdb_entry_guid (e) == NULL || gi == NULL)
    Py_RETURN_NONE;
  return guid_info_obj (gi);
}

static PyObject *
entry_get_type (Entry *o, void *c)
{
  ENTRY (o);
  uint32_t t = mountdb_entry_type (e);
  const char *n = mountdb_type_name (t);
  if (n == NULL || strncmp (n, "REG_0x", 6) == 0
      || strcmp (n, "REG_UNKNOWN") == 0)  /* as the JSON: the number kept */
    return PyUnicode_FromFormat ("REG_0x%x", (unsigned) t);
  return PyUnicode_FromString (n);
}

static PyObject *
entry_get_type_code (Entry *o, void *c)
{
  ENTRY (o);
  return PyLong_FromUnsignedLong (mountdb_entry_type (e));
}

static PyObject *
entry_get_length (Entry *o, void *c)
{
  ENTRY (o);
  size_t n;
  if (mountdb_entry_error (e) != 0)
    Py_RETURN_NONE;
  mountdb_entry_data (e, &n);
  return PyLong_FromSize_t (n);
}

static PyObject *
entry_get_data (Entry *o, void *c)
{
  ENTRY (o);
  size_t n;
  if (mountdb_entry_error (e) != 0)
    Py_RETURN_NONE;
  const uint8_t *d = mountdb_entry_data (e, &n);
  return PyBytes_FromStringAndSize ((const char *) d, (Py_ssize_t) n);
}

static PyObject *uid_obj (const mountdb_uid *uid, const uint8_t *data,
                          size_t len);

static PyObject *
entry_get_unique_id (Entry *o, void *c)
{
  ENTRY (o);
  const mountdb_uid *uid = mountdb_entry_uid (e);
  if (mountdb_entry_error (e) != 0
      || mountdb_entry_type (e) != MOUNTDB_REG_BINARY || uid == NULL)
    Py_RETURN_NONE;
  size_t n;
  const uint8_t *d = mountdb_entry_data (e, &n);
  return uid_obj (uid, d, n);
}

static PyObject *
entry_get_volume (Entry *o, void *c)
{
  ENTRY (o);
  size_t v = mountdb_entry_volume (e);
  if (v == (size_t) -1)
    Py_RETURN_NONE;
  return PyLong_FromSize_t (v);
}

static PyObject *
entry_get_error (Entry *o, void *c)
{
  ENTRY (o);
  int err = mountdb_entry_error (e);
  if (err == 0)
    Py_RETURN_NONE;
  return PyUnicode_FromString (mountdb_strerror (err));
}

static PyObject *
entry_get_hive (Entry *o, void *c)
{
  return Py_NewRef (o->hive ? (PyObject *) o->hive : Py_None);
}

static PyObject *
entry_repr (Entry *o)
{
  if (o->hive == NULL || o->hive->db == NULL)
    return PyUnicode_FromFormat ("<mountdb.Entry %zu (hive closed)>", o->index);
  PyObject *n = entry_get_name (o, NULL);
  if (n == NULL)
    return NULL;
  PyObject *r = PyUnicode_FromFormat (
    "<mountdb.Entry %zu %R %s>", o->index, n,
    mountdb_class_name (mountdb_entry_class (o->e)));
  Py_DECREF (n);
  return r;
}

static PyGetSetDef entry_getset[] = {
  { "index", (getter) entry_get_index, NULL, "position in value order", NULL },
  { "name", (getter) entry_get_name, NULL,
    "the value name, exact (unpaired surrogates kept); untrusted", NULL },
  { "class_", (getter) entry_get_class, NULL,
    "'drive_letter', 'volume_guid', 'no_letter', 'mount_point', 'other' "
    "(JSON 'class'; getattr(entry, 'class') works too)", NULL },
  { "class", (getter) entry_get_class, NULL, "same as class_", NULL },
  { "flags", (getter) entry_get_flags, NULL,
    "name flags: 'case_variant', 'bad_utf16', 'control', ...", NULL },
  { "variant_of", (getter) entry_get_variant_of, NULL,
    "for a case variant: the class ignoring case, else None", NULL },
  { "letter", (getter) entry_get_letter, NULL,
    "a drive letter's letter ('C'), else None", NULL },
  { "mount_point", (getter) entry_get_mount_point, NULL,
    "MountPoint(letter, path) of a folder mount point, else None", NULL },
  { "guid", (getter) entry_get_guid, NULL,
    "the GUID in a volume GUID name or no-letter marker (uuid.UUID), else "
    "None", NULL },
  { "guid_info", (getter) entry_get_guid_info, NULL,
    "GuidInfo for that GUID (version 1: timestamp, node), else None", NULL },
  { "type", (getter) entry_get_type, NULL, "'REG_BINARY', ...", NULL },
  { "type_code", (getter) entry_get_type_code, NULL,
    "the numeric registry type", NULL },
  { "length", (getter) entry_get_length, NULL,
    "data length, None when unreadable", NULL },
  { "data", (getter) entry_get_data, NULL,
    "the value data (bytes; JSON has it in hex), None when unreadable", NULL },
  { "unique_id", (getter) entry_get_unique_id, NULL,
    "UniqueId decoded from REG_BINARY data, else None", NULL },
  { "volume", (getter) entry_get_volume, NULL,
    "index into hive.volumes, None when the mount manager ignores it", NULL },
  { "error", (getter) entry_get_error, NULL,
    "why the data could not be read, else None", NULL },
  { "hive", (getter) entry_get_hive, NULL, "the Hive it belongs to", NULL },
  { NULL } };

/* ---- UniqueId: a decoded unique ID, copied (outlives the hive) ---------------- */

typedef struct {
  PyObject_HEAD
  PyObject *shape, *summary, *fields, *data;
} Uid;

static PyObject *
uid_obj (const mountdb_uid *uid, const uint8_t *data, size_t len)
{
  Uid *u = PyObject_New (Uid, &UidType);
  if (u == NULL)
    return NULL;
  u->shape = PyUnicode_FromString (mountdb_shape_name (mountdb_uid_shape (uid)));
  const char *s = mountdb_uid_summary (uid);
  u->summary = str_or_none (s ? s : "");
  u->fields = PyDict_New ();
  u->data = bytes_or_none (data, len);
  if (!u->shape || !u->summary || !u->fields || !u->data) {
    Py_DECREF (u);
    return NULL;
  }
  size_t n = mountdb_uid_field_count (uid);
  for (size_t i = 0; i < n; i++) {
    const char *k = NULL, *str = NULL;
    int kind = 0;
    uint64_t num = 0;
    if (mountdb_uid_field_get (uid, i, &k, &kind, &str, &num) < 0 || !k)
      continue;
    PyObject *v = kind == MOUNTDB_FIELD_UINT ? PyLong_FromUnsignedLongLong (num)
                  : kind == MOUNTDB_FIELD_BOOL ? bool_obj (num != 0)
                  : strcmp (k, "guid") == 0 || strcmp (k, "class_guid") == 0
                  ? uuid_from_text (str) : str_or_none (str);
    if (v == NULL || PyDict_SetItemString (u->fields, k, v) < 0) {
      Py_XDECREF (v);
      Py_DECREF (u);
      return NULL;
    }
    Py_DECREF (v);
  }
  return (PyObject *) u;
}

static void
uid_dealloc (Uid *u)
{
  Py_XDECREF (u->shape);
  Py_XDECREF (u->summary);
  Py_XDECREF (u->fields);
  Py_XDECREF (u->data);
  PyObject_Free (u);
}

/* Fields of the shape are attributes too (u.disk_signature). */
static PyObject *
uid_getattro (Uid *u, PyObject *name)
{
  PyObject *r = PyObject_GenericGetAttr ((PyObject *) u, name);
  if (r != NULL || !PyErr_ExceptionMatches (PyExc_AttributeError))
    return r;
  PyObject *v = PyDict_GetItemWithError (u->fields, name);
  if (v != NULL) {
    PyErr_Clear ();
    return Py_NewRef (v);
  }
  return NULL;
}

static PyObject *
uid_dir (Uid *u, PyObject *unused)
{
  PyObject *l = PyList_New (0);
  const char *base[] = { "shape", "summary", "fields", "data" };
  for (size_t i = 0; l && i < 4; i++) {
    PyObject *s = PyUnicode_FromString (base[i]);
    if (!s || PyList_Append (l, s) < 0)
      Py_CLEAR (l);
    Py_XDECREF (s);
  }
  PyObject *k, *v;
  Py_ssize_t pos = 0;
  while (l && PyDict_Next (u->fields, &pos, &k, &v))
    if (PyList_Append (l, k) < 0)
      Py_CLEAR (l);
  return l;
}

static PyObject *
uid_repr (Uid *u)
{
  return PyUnicode_FromFormat ("<mountdb.UniqueId %U: %R>", u->shape,
                               u->summary);
}

static PyMemberDef uid_members[] = {
  { "shape", T_OBJECT, offsetof (Uid, shape), READONLY,
    "'mbr', 'dmio', 'device_path', 'ft8', 'zero', 'ascii', 'opaque'" },
  { "summary", T_OBJECT, offsetof (Uid, summary), READONLY,
    "one line in words" },
  { "fields", T_OBJECT, offsetof (Uid, fields), READONLY,
    "the shape's fields, named as in the JSON schema (also attributes): "
    "disk_signature, partition_offset, guid (uuid.UUID), path, bus, ..." },
  { "data", T_OBJECT, offsetof (Uid, data), READONLY, "the raw ID (bytes)" },
  { NULL } };

static PyMethodDef uid_methods[] = {
  { "__dir__", (PyCFunction) uid_dir, METH_NOARGS, NULL },
  { NULL } };

/* ---- Volume ------------------------------------------------------------------- */

#define VOLUME(o)                                                             \
  if (o->hive == NULL || !hive_open_p (o->hive))                              \
    return NULL;                                                              \
  const mountdb_volume *v = o->v

static PyObject *
volume_get_index (Volume *o, void *c)
{
  VOLUME (o);
  (void) v;
  return PyLong_FromSize_t (o->index);
}

static PyObject *
volume_get_data (Volume *o, void *c)
{
  VOLUME (o);
  size_t n;
  const uint8_t *d = mountdb_volume_data (v, &n);
  return PyBytes_FromStringAndSize ((const char *) d, (Py_ssize_t) n);
}

static PyObject *
volume_get_length (Volume *o, void *c)
{
  VOLUME (o);
  size_t n;
  mountdb_volume_data (v, &n);
  return PyLong_FromSize_t (n);
}

static PyObject *
volume_get_unique_id (Volume *o, void *c)
{
  VOLUME (o);
  size_t n;
  const uint8_t *d = mountdb_volume_data (v, &n);
  return uid_obj (mountdb_volume_uid (v), d, n);
}

/* The names of one class, as the JSON lists them. */
static PyObject *
volume_names (Volume *o, int cls)
{
  VOLUME (o);
  size_t n = mountdb_volume_entry_count (v);
  PyObject *l = PyList_New (0);
  for (size_t i = 0; l && i < n; i++) {
    const mountdb_entry *e = mountdb_volume_entry_get (v, i);
    if (mountdb_entry_class (e) != cls)
      continue;
    PyObject *x;
    char let[2] = { mountdb_entry_letter (e), 0 };
    switch (cls) {
    case MOUNTDB_CLASS_DRIVE_LETTER:
      x = PyUnicode_FromString (let);
      break;
    case MOUNTDB_CLASS_VOLUME_GUID:
    case MOUNTDB_CLASS_NO_LETTER:
      x = uuid_from_text (mountdb_entry_guid (e));
      break;
    case MOUNTDB_CLASS_MOUNT_POINT: {
      size_t n16;
      const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
      int bo = -1;
      PyObject *p = n16 >= DOS_LETTER_UNITS
        ? PyUnicode_DecodeUTF16 ((const char *) (u + DOS_LETTER_UNITS),
                                 (Py_ssize_t) (n16 - DOS_LETTER_UNITS) * 2,
                                 "surrogatepass", &bo)
        : PyUnicode_FromString ("");
      x = p ? PyUnicode_FromFormat ("%s:%U", let, p) : NULL;
      Py_XDECREF (p);
      break;
    }
    default: {
      size_t n16;
      const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
      int bo = -1;
      x = PyUnicode_DecodeUTF16 ((const char *) u, (Py_ssize_t) n16 * 2,
                                 "surrogatepass", &bo);
    }
    }
    if (x == NULL || PyList_Append (l, x) < 0)
      Py_CLEAR (l);
    Py_XDECREF (x);
  }
  if (l == NULL)
    return NULL;
  PyObject *t = PyList_AsTuple (l);
  Py_DECREF (l);
  return t;
}

static PyObject *
volume_get_drive_letters (Volume *o, void *c)
{
  return volume_names (o, MOUNTDB_CLASS_DRIVE_LETTER);
}

static PyObject *
volume_get_volume_guids (Volume *o, void *c)
{
  return volume_names (o, MOUNTDB_CLASS_VOLUME_GUID);
}

static PyObject *
volume_get_no_letter_markers (Volume *o, void *c)
{
  return volume_names (o, MOUNTDB_CLASS_NO_LETTER);
}

static PyObject *
volume_get_mount_points (Volume *o, void *c)
{
  return volume_names (o, MOUNTDB_CLASS_MOUNT_POINT);
}

static PyObject *
volume_get_other_names (Volume *o, void *c)
{
  return volume_names (o, MOUNTDB_CLASS_OTHER);
}

/* As show's JSON: Windows 10 derives it only for an MBR volume that has
 * no stored volume GUID name (V8). */
static PyObject *
volume_get_derived_volume_guid (Volume *o, void *c)
{
  VOLUME (o);
  char g[37];
  if (mountdb_windows_version (o->hive->db) != MOUNTDB_WINVER_10)
    Py_RETURN_NONE;
  for (size_t i = 0; i < mountdb_volume_entry_count (v); i++)
    if (mountdb_entry_class (mountdb_volume_entry_get (v, i))
        == MOUNTDB_CLASS_VOLUME_GUID)
      Py_RETURN_NONE;
  if (!mountdb_volume_derived_guid (v, g))
    Py_RETURN_NONE;
  return uuid_from_text (g);
}

static PyObject *
volume_get_entries (Volume *o, void *c)
{
  VOLUME (o);
  PyObject *all = hive_get_entries (o->hive, NULL);
  if (all == NULL)
    return NULL;
  size_t n = mountdb_volume_entry_count (v);
  PyObject *t = PyTuple_New ((Py_ssize_t) n);
  for (size_t i = 0; t && i < n; i++) {
    size_t k = mountdb_entry_index (mountdb_volume_entry_get (v, i));
    if (k >= (size_t) PyTuple_GET_SIZE (all)) {
      Py_CLEAR (t);
      PyErr_SetString (PyExc_RuntimeError, "entry index out of range");
      break;
    }
    PyTuple_SET_ITEM (t, (Py_ssize_t) i, Py_NewRef (PyTuple_GET_ITEM (all, k)));
  }
  Py_DECREF (all);
  return t;
}

static PyObject *
volume_repr (Volume *o)
{
  if (o->hive == NULL || o->hive->db == NULL)
    return PyUnicode_FromFormat ("<mountdb.Volume %zu (hive closed)>",
                                 o->index);
  const char *s = mountdb_uid_summary (mountdb_volume_uid (o->v));
  PyObject *sum = str_or_none (s ? s : "");
  PyObject *l = volume_get_drive_letters (o, NULL);
  PyObject *r = sum && l ? PyUnicode_FromFormat ("<mountdb.Volume %zu %R "
                                                 "letters=%R>", o->index,
                                                 sum, l) : NULL;
  Py_XDECREF (sum);
  Py_XDECREF (l);
  return r;
}

static PyGetSetDef volume_getset[] = {
  { "index", (getter) volume_get_index, NULL, "position in hive.volumes",
    NULL },
  { "unique_id", (getter) volume_get_unique_id, NULL,
    "the decoded unique ID (UniqueId)", NULL },
  { "data", (getter) volume_get_data, NULL, "the unique ID's bytes", NULL },
  { "length", (getter) volume_get_length, NULL, "len(data)", NULL },
  { "drive_letters", (getter) volume_get_drive_letters, NULL,
    "letters, e.g. ('C',)", NULL },
  { "volume_guids", (getter) volume_get_volume_guids, NULL,
    "volume GUID names (uuid.UUID)", NULL },
  { "derived_volume_guid", (getter) volume_get_derived_volume_guid, NULL,
    "the GUID Windows 10 derives for an MBR volume without one (V8), or "
    "None", NULL },
  { "no_letter_markers", (getter) volume_get_no_letter_markers, NULL,
    "#{GUID} no-letter markers (uuid.UUID)", NULL },
  { "mount_points", (getter) volume_get_mount_points, NULL,
    "folder mount points as 'C:\\\\path'", NULL },
  { "other_names", (getter) volume_get_other_names, NULL,
    "names of no known form", NULL },
  { "entries", (getter) volume_get_entries, NULL,
    "all its Entry objects, in value order", NULL },
  { NULL } };

/* ---- Transaction --------------------------------------------------------------- */

static int
txn_traverse (Txn *t, visitproc visit, void *arg)
{
  Py_VISIT (t->hive);
  return 0;
}

static int
txn_clear (Txn *t)
{
  Py_CLEAR (t->hive);
  return 0;
}

static void
txn_dealloc (Txn *t)
{
  PyObject_GC_UnTrack (t);
  mountdb_txn_free (t->txn);   /* its own memory only */
  t->txn = NULL;
  txn_clear (t);
  Py_TYPE (t)->tp_free ((PyObject *) t);
}

#define TXN(t)                                                                \
  if (t->hive == NULL || !hive_open_p (t->hive))                              \
    return NULL;                                                              \
  const char *hpath = mountdb_path (t->hive->db);                             \
  mountdb_error err;                                                          \
  err.message[0] = '\0'

static PyObject *
txn_result (int rc, mountdb_error *err, const char *path)
{
  if (rc < 0)
    return raise_err (rc, err, path);
  return PyLong_FromLong (rc);
}

PyDoc_STRVAR (assign_doc,
"assign(letter, volume, *, move=False, take=False, new=False) -> int\n\n"
"W2: give letter ('E' or 'E:') to the volume named by a spec ('C:',\n"
"'{GUID}', 'mbr:SIG:OFFSET', 'gpt:GUID', 'hex:BYTES', 'disk:PATH:N').\n"
"move: the volume may lose its current letter; take: the letter may be\n"
"taken from its volume; new: the volume may be one the hive does not\n"
"know yet (pre-seeding, W8).");

static PyObject *
txn_assign (Txn *t, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "letter", "volume", "move", "take", "new", NULL };
  char letter;
  PyObject *vol;
  int move = 0, take = 0, isnew = 0;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "O&O|$ppp", kwlist, letter_conv,
                                    &letter, &vol, &move, &take, &isnew))
    return NULL;
  TXN (t);
  mountdb_spec *spec = spec_from (vol);
  if (spec == NULL)
    return NULL;
  unsigned flags = (move ? MOUNTDB_ASSIGN_MOVE : 0)
                   | (take ? MOUNTDB_ASSIGN_TAKE : 0)
                   | (isnew ? MOUNTDB_ASSIGN_NEW : 0);
  int rc;
  /* disk: specs read a disk: without the GIL, under the hive's lock. */
  Py_BEGIN_ALLOW_THREADS
  pthread_rwlock_rdlock (&t->hive->lock);
  rc = mountdb_txn_assign (t->txn, letter, spec, flags, &err);
  pthread_rwlock_unlock (&t->hive->lock);
  Py_END_ALLOW_THREADS
  mountdb_spec_free (spec);
  return txn_result (rc, &err, hpath);
}

static PyObject *
txn_unassign (Txn *t, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "letter", "allow_auto", NULL };
  char letter;
  int allow_auto = 0;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "O&|$p", kwlist, letter_conv,
                                    &letter, &allow_auto))
    return NULL;
  TXN (t);
  int rc = mountdb_txn_unassign (t->txn, letter,
                                 allow_auto ? MOUNTDB_UNASSIGN_ALLOW_AUTO : 0,
                                 &err);
  return txn_result (rc, &err, hpath);
}

static PyObject *
txn_swap (Txn *t, PyObject *args)
{
  char a, b;
  if (!PyArg_ParseTuple (args, "O&O&:swap", letter_conv, &a, letter_conv, &b))
    return NULL;
  TXN (t);
  return txn_result (mountdb_txn_swap (t->txn, a, b, &err), &err, hpath);
}

/* A remap side: bytes are the ID itself; a str is a spec, resolved in
 * the transaction's list (a letter or GUID names its current ID). */
static int
remap_side (Txn *t, PyObject *o, uint8_t **id, size_t *len,
            mountdb_error *err, const char *hpath)
{
  if (PyBytes_Check (o) || PyByteArray_Check (o)) {
    Py_buffer b;
    if (PyObject_GetBuffer (o, &b, PyBUF_SIMPLE) < 0)
      return -1;
    *len = (size_t) b.len;
    *id = PyMem_Malloc (*len ? *len : 1);
    if (*id)
      memcpy (*id, b.buf, *len);
    PyBuffer_Release (&b);
    if (*id == NULL) {
      PyErr_NoMemory ();
      return -1;
    }
    return 0;
  }
  mountdb_spec *spec = spec_from (o);
  if (spec == NULL)
    return -1;
  const uint8_t *p = NULL;
  int rc;
  Py_BEGIN_ALLOW_THREADS
  pthread_rwlock_rdlock (&t->hive->lock);
  rc = mountdb_txn_resolve (t->txn, spec, &p, len, err);
  pthread_rwlock_unlock (&t->hive->lock);
  Py_END_ALLOW_THREADS
  if (rc < 0) {
    mountdb_spec_free (spec);
    raise_err (rc, err, hpath);
    return -1;
  }
  *id = PyMem_Malloc (*len ? *len : 1);
  if (*id && *len)
    memcpy (*id, p, *len);
  mountdb_spec_free (spec);
  if (*id == NULL) {
    PyErr_NoMemory ();
    return -1;
  }
  return 0;
}

PyDoc_STRVAR (remap_doc,
"remap(old, new) -> int\n\n"
"W1: every REG_BINARY value whose data is old's ID gets new's.  Each side\n"
"is a spec (old: a letter or GUID names its current ID; new: mbr:, gpt:,\n"
"hex: or disk:) or the ID itself as bytes.  Returns the values changed.");

static PyObject *
txn_remap (Txn *t, PyObject *args)
{
  PyObject *old, *new;
  if (!PyArg_ParseTuple (args, "OO:remap", &old, &new))
    return NULL;
  TXN (t);
  uint8_t *a = NULL, *b = NULL;
  size_t al = 0, bl = 0;
  PyObject *r = NULL;
  if (remap_side (t, old, &a, &al, &err, hpath) == 0
      && remap_side (t, new, &b, &bl, &err, hpath) == 0)
    r = txn_result (mountdb_txn_remap (t->txn, a, al, b, bl, &err), &err,
                    hpath);
  PyMem_Free (a);
  PyMem_Free (b);
  return r;
}

PyDoc_STRVAR (scrub_doc,
"scrub(keep, *, all_shapes=False) -> int\n\n"
"W5: delete every value whose ID is not one of keep (specs: a complete\n"
"inventory of the volumes that exist).  all_shapes also deletes\n"
"device-path and unknown IDs.  Returns the values deleted.");

static PyObject *
txn_scrub (Txn *t, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "keep", "all_shapes", NULL };
  PyObject *keep;
  int all = 0;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "O|$p", kwlist, &keep, &all))
    return NULL;
  TXN (t);
  if (PyUnicode_Check (keep)) {
    PyErr_SetString (PyExc_TypeError, "keep: a sequence of specs, not one str");
    return NULL;
  }
  PyObject *fast = PySequence_Fast (keep, "keep: a sequence of volume specs");
  if (fast == NULL)
    return NULL;
  Py_ssize_t n = PySequence_Fast_GET_SIZE (fast);
  mountdb_spec **specs = PyMem_Calloc ((size_t) n + 1, sizeof *specs);
  PyObject *r = NULL;
  if (specs == NULL) {
    PyErr_NoMemory ();
    goto out;
  }
  for (Py_ssize_t i = 0; i < n; i++)
    if ((specs[i] = spec_from (PySequence_Fast_GET_ITEM (fast, i))) == NULL)
      goto out;
  int rc;
  Py_BEGIN_ALLOW_THREADS
  pthread_rwlock_rdlock (&t->hive->lock);
  rc = mountdb_txn_scrub (t->txn, (const mountdb_spec *const *) specs,
                          (size_t) n, all ? MOUNTDB_SCRUB_ALL_SHAPES : 0, &err);
  pthread_rwlock_unlock (&t->hive->lock);
  Py_END_ALLOW_THREADS
  r = txn_result (rc, &err, hpath);
out:
  for (Py_ssize_t i = 0; specs && i < n; i++)
    mountdb_spec_free (specs[i]);
  PyMem_Free (specs);
  Py_DECREF (fast);
  return r;
}

static PyObject *
txn_reset (Txn *t, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "keep_system", "system_letter", NULL };
  int keep = 0;
  char letter = 'C';
  if (!PyArg_ParseTupleAndKeywords (args, kw, "|$pO&", kwlist, &keep,
                                    letter_conv, &letter))
    return NULL;
  TXN (t);
  return txn_result (mountdb_txn_reset (t->txn, keep, letter, &err), &err,
                     hpath);
}

static PyObject *
txn_automount (Txn *t, PyObject *args)
{
  int on;
  if (!PyArg_ParseTuple (args, "p:automount", &on))
    return NULL;
  TXN (t);
  return txn_result (mountdb_txn_automount (t->txn, on, &err), &err, hpath);
}

static PyObject *
txn_apply (Txn *t, PyObject *args)
{
  PyObject *path = NULL;
  if (!PyArg_ParseTuple (args, "O&:apply", path_conv, &path))
    return NULL;
  if (path == NULL) {
    PyErr_SetString (PyExc_TypeError, "apply: a plan file path");
    return NULL;
  }
  if (t->hive == NULL || !hive_open_p (t->hive)) {
    Py_DECREF (path);
    return NULL;
  }
  mountdb_error err;
  int rc;
  const char *p = PyBytes_AS_STRING (path);
  Py_BEGIN_ALLOW_THREADS
  pthread_rwlock_rdlock (&t->hive->lock);
  rc = mountdb_txn_apply_plan (t->txn, p, &err);
  pthread_rwlock_unlock (&t->hive->lock);
  Py_END_ALLOW_THREADS
  PyObject *r = rc < 0 ? raise_err (rc, &err, p) : (Py_INCREF (Py_None), Py_None);
  Py_DECREF (path);
  return r;
}

static PyObject *
change_obj (const mountdb_change *c)
{
  PyObject *name;
  if (c->name16) {
    int bo = -1;
    name = PyUnicode_DecodeUTF16 ((const char *) c->name16,
                                  (Py_ssize_t) c->name16_len * 2,
                                  "surrogatepass", &bo);
  } else
    name = str_or_none (c->name ? c->name : "");
  PyObject *v[5] = {
    PyUnicode_FromString (mountdb_change_kind_name (c->kind)), name,
    PyUnicode_FromString (mountdb_class_name (c->cls)),
    bytes_or_none (c->before, c->before_len),
    bytes_or_none (c->after, c->after_len),
  };
  return seq_make (&ChangeType, 5, v);
}

static PyObject *
txn_get_changes (Txn *t, void *c)
{
  if (t->hive == NULL || !hive_open_p (t->hive))
    return NULL;
  size_t n = mountdb_txn_change_count (t->txn);
  PyObject *r = PyTuple_New ((Py_ssize_t) n);
  for (size_t i = 0; r && i < n; i++) {
    PyObject *x = change_obj (mountdb_txn_change_get (t->txn, i));
    if (x == NULL)
      Py_CLEAR (r);
    else
      PyTuple_SET_ITEM (r, (Py_ssize_t) i, x);
  }
  return r;
}

static PyObject *
report_obj (const mountdb_report *rep, int written, int dry, PyObject *changes)
{
  PyObject *moved = PyTuple_New (0), *ch = changes;
  if (rep) {
    size_t n = mountdb_report_moved_log_count (rep);
    Py_XSETREF (moved, PyTuple_New ((Py_ssize_t) n));
    for (size_t i = 0; moved && i < n; i++) {
      PyObject *s = str_or_none (mountdb_report_moved_log_get (rep, i));
      if (s == NULL)
        Py_CLEAR (moved);
      else
        PyTuple_SET_ITEM (moved, (Py_ssize_t) i, s);
    }
    n = mountdb_report_change_count (rep);
    ch = PyTuple_New ((Py_ssize_t) n);
    for (size_t i = 0; ch && i < n; i++) {
      PyObject *x = change_obj (mountdb_report_change_get (rep, i));
      if (x == NULL)
        Py_CLEAR (ch);
      else
        PyTuple_SET_ITEM (ch, (Py_ssize_t) i, x);
    }
  } else
    Py_XINCREF (ch);
  PyObject *v[8] = {
    bool_obj (written), bool_obj (dry),
    rep ? str_or_none (mountdb_report_output (rep)) : Py_NewRef (Py_None),
    rep ? str_or_none (mountdb_report_backup (rep)) : Py_NewRef (Py_None),
    rep ? str_or_none (mountdb_report_sha256_before (rep)) : Py_NewRef (Py_None),
    rep ? str_or_none (mountdb_report_sha256_after (rep)) : Py_NewRef (Py_None),
    ch, moved,
  };
  return seq_make (&ReportType, 8, v);
}

/* The write options common to write() and replay(). */
struct wargs {
  PyObject *out;             /* bytes or NULL */
  int in_place, backup, dry_run, force, discard_logs;
  PyObject *timestamp;
  char system_letter;
};

static int
wopts_fill (struct wargs *a, mountdb_write_opts *wo, int default_keep)
{
  mountdb_write_opts_init (wo);
  if (a->out && a->in_place) {
    PyErr_SetString (PyExc_ValueError, "out and in_place=True conflict: out "
                     "writes a new file and leaves the hive as it is, "
                     "in_place replaces it; give one");
    return -1;
  }
  if (!a->out && !a->in_place && !a->dry_run) {
    PyErr_SetString (PyExc_ValueError, "say where to write: out (a new file) "
                     "or in_place=True (with a backup), or dry_run=True");
    return -1;
  }
  wo->in_place = a->in_place;
  wo->backup = a->backup;
  wo->force = a->force;
  wo->discard_logs = a->discard_logs;
  wo->system_letter = a->system_letter;
  wo->timestamp_mode = default_keep ? MOUNTDB_TS_KEEP : MOUNTDB_TS_NOW;
  PyObject *ts = a->timestamp;
  if (ts && ts != Py_None) {
    if (PyUnicode_Check (ts)) {
      const char *s = PyUnicode_AsUTF8 (ts);
      if (s == NULL)
        return -1;
      if (strcmp (s, "now") == 0)
        wo->timestamp_mode = MOUNTDB_TS_NOW;
      else if (strcmp (s, "keep") == 0)
        wo->timestamp_mode = MOUNTDB_TS_KEEP;
      else {
        PyErr_Format (PyExc_ValueError, "timestamp: 'now', 'keep', an aware "
                      "datetime or a FILETIME int, not %R", ts);
        return -1;
      }
    } else {
      if (to_filetime (ts, &wo->timestamp) < 0)
        return -1;
      wo->timestamp_mode = MOUNTDB_TS_FIXED;
    }
  }
  return 0;
}

/* Write (or dry-run) txn over h: what the CLI's edit commands do. */
static PyObject *
do_write (Hive *h, mountdb_txn *txn, struct wargs *a, int always)
{
  mountdb_write_opts wo;
  if (wopts_fill (a, &wo, always) < 0)
    return NULL;
  if (!hive_open_p (h))
    return NULL;
  if (mountdb_txn_change_count (txn) == 0 && !always) {
    /* Nothing to write: as the CLI, no file is made. */
    PyObject *none = PyTuple_New (0);
    PyObject *r = none ? report_obj (NULL, 0, a->dry_run, none) : NULL;
    Py_XDECREF (none);
    return r;
  }
  const char *out = a->out ? PyBytes_AS_STRING (a->out) : NULL;
  mountdb_report *rep = NULL;
  mountdb_error err;
  int rc = 0, closed = 0;
  Py_BEGIN_ALLOW_THREADS
  pthread_rwlock_rdlock (&h->lock);
  if (h->db == NULL)
    closed = 1;
  else if (a->dry_run)
    rc = mountdb_write_dry_run (h->db, txn, out, &wo, &rep, &err);
  else
    rc = mountdb_write (h->db, txn, out, &wo, &rep, &err);
  pthread_rwlock_unlock (&h->lock);
  Py_END_ALLOW_THREADS
  if (closed) {
    PyErr_SetString (Closed, "the hive is closed");
    return NULL;
  }
  if (rc < 0)
    return raise_err (rc, &err, a->in_place ? mountdb_path (h->db) : out);
  PyObject *r = report_obj (rep, !a->dry_run, a->dry_run, NULL);
  mountdb_report_free (rep);
  return r;
}

PyDoc_STRVAR (write_doc,
"write(out=None, *, in_place=False, backup=True, dry_run=False, force=False,\n"
"      discard_logs=False, timestamp='now', system_letter='C') -> WriteReport\n\n"
"Write the final list through the library's one writer (H1: temp file,\n"
"fsync, verify, rename; the same bytes as the CLI for the same edit): to\n"
"out, a new file that must not exist, or in_place=True (a backup unless\n"
"backup=False).  dry_run=True runs every check of the write and writes\n"
"nothing.  timestamp: 'now' (honours SOURCE_DATE_EPOCH), 'keep', an aware\n"
"datetime or a FILETIME int.  With no change nothing is written\n"
"(report.written is False).  Raises Refused (.rule), Exists, ...  The GIL\n"
"is released while writing.");

static PyObject *
txn_write (Txn *t, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "out", "in_place", "backup", "dry_run", "force",
                            "discard_logs", "timestamp", "system_letter",
                            NULL };
  struct wargs a = { NULL, 0, 1, 0, 0, 0, NULL, 'C' };
  if (!PyArg_ParseTupleAndKeywords (args, kw, "|O&$pppppOO&", kwlist,
                                    path_conv, &a.out, &a.in_place, &a.backup,
                                    &a.dry_run, &a.force, &a.discard_logs,
                                    &a.timestamp, letter_conv,
                                    &a.system_letter))
    return NULL;
  PyObject *r = NULL;
  if (t->hive != NULL)
    r = do_write (t->hive, t->txn, &a, 0);
  else
    PyErr_SetString (Closed, "the transaction has no hive");
  Py_XDECREF (a.out);
  return r;
}

static PyObject *
txn_enter (Txn *t, PyObject *unused)
{
  return Py_NewRef ((PyObject *) t);
}

static PyObject *
txn_exit (Txn *t, PyObject *args)
{
  Py_RETURN_FALSE;
}

static PyMethodDef txn_methods[] = {
  { "assign", (PyCFunction) (void (*) (void)) txn_assign,
    METH_VARARGS | METH_KEYWORDS, assign_doc },
  { "unassign", (PyCFunction) (void (*) (void)) txn_unassign,
    METH_VARARGS | METH_KEYWORDS,
    "unassign(letter, *, allow_auto=False) -> int\n\nW3: delete the letter; "
    "by default add a no-letter marker so Windows gives the volume no letter "
    "again (allow_auto=True: no marker)." },
  { "swap", (PyCFunction) txn_swap, METH_VARARGS,
    "swap(a, b) -> int\n\nW4: exchange the volumes of two drive letters." },
  { "remap", (PyCFunction) txn_remap, METH_VARARGS, remap_doc },
  { "scrub", (PyCFunction) (void (*) (void)) txn_scrub,
    METH_VARARGS | METH_KEYWORDS, scrub_doc },
  { "reset", (PyCFunction) (void (*) (void)) txn_reset,
    METH_VARARGS | METH_KEYWORDS,
    "reset(*, keep_system=False, system_letter='C') -> int\n\nW6: delete "
    "every value; with keep_system, the system volume's stay." },
  { "automount", (PyCFunction) txn_automount, METH_VARARGS,
    "automount(on) -> int\n\nW7: NoAutoMount = 0 (on) or 1 (off) in the "
    "control set the next boot loads." },
  { "apply", (PyCFunction) txn_apply, METH_VARARGS,
    "apply(plan)\n\nApply a plan file (mountdb-plan(5)): remaps, letters, "
    "no-letter volumes, automount.  On error the transaction is unchanged." },
  { "write", (PyCFunction) (void (*) (void)) txn_write,
    METH_VARARGS | METH_KEYWORDS, write_doc },
  { "__enter__", (PyCFunction) txn_enter, METH_NOARGS, NULL },
  { "__exit__", (PyCFunction) txn_exit, METH_VARARGS, NULL },
  { NULL } };

static PyObject *
txn_get_hive (Txn *t, void *c)
{
  return Py_NewRef (t->hive ? (PyObject *) t->hive : Py_None);
}

static PyGetSetDef txn_getset[] = {
  { "changes", (getter) txn_get_changes, NULL,
    "the change set so far: a tuple of Change, deletions last", NULL },
  { "hive", (getter) txn_get_hive, NULL, "the Hive it edits", NULL },
  { NULL } };

/* ---- replay ------------------------------------------------------------------------ */

PyDoc_STRVAR (replay_doc,
"replay(path, out=None, *, log_files=(), in_place=False, backup=True,\n"
"       dry_run=False, force=False, timestamp='keep') -> WriteReport | None\n\n"
"Write a dirty hive with its transaction logs applied, as `mountdb\n"
"replay`: to out (a new file) or in place (the old logs moved aside with\n"
"the backup).  Returns None when the hive is clean (nothing to replay);\n"
"raises Refused when it is dirty and no usable log was found.  The GIL is\n"
"released while reading and writing.");

static PyObject *
md_replay (PyObject *mod, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "path", "out", "log_files", "in_place", "backup",
                            "dry_run", "force", "timestamp", NULL };
  PyObject *path = NULL, *logs = NULL;
  struct wargs a = { NULL, 0, 1, 0, 0, 0, NULL, 'C' };
  if (!PyArg_ParseTupleAndKeywords (args, kw, "O|O&$OppppO", kwlist, &path,
                                    path_conv, &a.out, &logs, &a.in_place,
                                    &a.backup, &a.dry_run, &a.force,
                                    &a.timestamp))
    return NULL;
  PyObject *r = NULL, *hive = NULL;
  mountdb_write_opts wo;
  if (wopts_fill (&a, &wo, 1) < 0)
    goto out;
  PyObject *oargs = PyTuple_Pack (1, path);
  PyObject *okw = logs ? Py_BuildValue ("{sO}", "log_files", logs) : NULL;
  hive = oargs && (!logs || okw) ? md_open (mod, oargs, okw) : NULL;
  Py_XDECREF (oargs);
  Py_XDECREF (okw);
  if (hive == NULL)
    goto out;
  Hive *h = (Hive *) hive;
  if (!mountdb_logs_applied (h->db)) {
    const mountdb_header *hd = mountdb_file_header (h->db);
    if (!hd->dirty) {
      r = Py_NewRef (Py_None);
      goto out;
    }
    const char *why = mountdb_logs_summary (h->db);
    mountdb_error err;
    err.code = MOUNTDB_E_REFUSED;
    err.sys_errno = 0;
    snprintf (err.message, sizeof err.message, "%s: %s; name the logs with "
              "log_files=", mountdb_path (h->db),
              why ? why : "no transaction logs found beside the hive");
    raise_err (MOUNTDB_E_REFUSED, &err, mountdb_path (h->db));
    goto out;
  }
  mountdb_txn *txn = NULL;
  mountdb_error err;
  int rc = mountdb_txn_new (h->db, &txn, &err);
  if (rc < 0) {
    raise_err (rc, &err, mountdb_path (h->db));
    goto out;
  }
  r = do_write (h, txn, &a, 1);
  mountdb_txn_free (txn);
out:
  if (hive)
    hive_close_now ((Hive *) hive);
  Py_XDECREF (hive);
  Py_XDECREF (a.out);
  return r;
}

/* ---- disks ----------------------------------------------------------------------- */

static void
disk_dealloc (Disk *d)
{
  mountdb_disk_close (d->disk);
  Py_XDECREF (d->partitions);
  PyObject_Free (d);
}

static PyObject *
partition_obj (const mountdb_partition *p)
{
  size_t idl = 0;
  const uint8_t *id = mountdb_partition_unique_id (p, &idl);
  const char *tn = mountdb_partition_type_name (p);
  PyObject *v[14] = {
    PyLong_FromUnsignedLong (mountdb_partition_number (p)),
    PyLong_FromUnsignedLongLong (mountdb_partition_start (p)),
    PyLong_FromUnsignedLongLong (mountdb_partition_size (p)),
    PyLong_FromUnsignedLong (mountdb_partition_mbr_type (p)),
    uuid_from_text (mountdb_partition_type_guid (p)),
    str_or_none (tn),
    uuid_from_text (mountdb_partition_guid (p)),
    mountdb_partition_type_guid (p)   /* GPT only, as the JSON */
      ? PyLong_FromUnsignedLongLong (mountdb_partition_attributes (p))
      : Py_NewRef (Py_None),
    bool_obj (mountdb_partition_logical (p)),
    str_or_none (mountdb_partition_fs (p)),
    str_or_none (mountdb_partition_label (p)),
    str_or_none (mountdb_partition_serial (p)),
    bytes_or_none (id, idl),
    str_or_none (mountdb_partition_spec (p)),
  };
  return seq_make (&PartitionType, 14, v);
}

PyDoc_STRVAR (open_disk_doc,
"open_disk(path, sector_size=0) -> Disk\n\n"
"Read a disk or raw image's partition table read-only (libblkid), and the\n"
"unique ID each partition's volume gets.  sector_size 0: from the device,\n"
"or 512 for an image (4096 when a GPT is found there).  Use\n"
"disk.partitions, hive.check(disks=[disk]), and 'disk:PATH:N' specs.");

static PyObject *
md_open_disk (PyObject *mod, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "path", "sector_size", NULL };
  PyObject *path = NULL;
  unsigned ss = 0;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "O&|I", kwlist, path_conv,
                                    &path, &ss))
    return NULL;
  if (path == NULL) {
    PyErr_SetString (PyExc_TypeError, "open_disk: path must not be None");
    return NULL;
  }
  mountdb_disk *disk = NULL;
  mountdb_error err;
  const char *p = PyBytes_AS_STRING (path);
  int rc;
  Py_BEGIN_ALLOW_THREADS
  rc = mountdb_disk_open (p, ss, &disk, &err);
  Py_END_ALLOW_THREADS
  if (rc < 0) {
    raise_err (rc, &err, p);
    Py_DECREF (path);
    return NULL;
  }
  Py_DECREF (path);
  Disk *d = PyObject_New (Disk, &DiskType);
  if (d == NULL) {
    mountdb_disk_close (disk);
    return NULL;
  }
  d->disk = disk;
  size_t n = mountdb_disk_partition_count (disk);
  d->partitions = PyTuple_New ((Py_ssize_t) n);
  for (size_t i = 0; d->partitions && i < n; i++) {
    PyObject *x = partition_obj (mountdb_disk_partition_get (disk, i));
    if (x == NULL)
      Py_CLEAR (d->partitions);
    else
      PyTuple_SET_ITEM (d->partitions, (Py_ssize_t) i, x);
  }
  if (d->partitions == NULL) {
    Py_DECREF (d);
    return NULL;
  }
  return (PyObject *) d;
}

#define DISK(o)                                                               \
  if (o->disk == NULL) {                                                      \
    PyErr_SetString (Closed, "the disk is closed");                           \
    return NULL;                                                              \
  }                                                                           \
  const mountdb_disk *disk = o->disk

static PyObject *
disk_get_path (Disk *o, void *c)
{
  DISK (o);
  return str_or_none (mountdb_disk_path (disk));
}

static PyObject *
disk_get_size (Disk *o, void *c)
{
  DISK (o);
  return PyLong_FromUnsignedLongLong (mountdb_disk_size (disk));
}

static PyObject *
disk_get_sector_size (Disk *o, void *c)
{
  DISK (o);
  return PyLong_FromUnsignedLong (mountdb_disk_sector_size (disk));
}

static PyObject *
disk_get_table (Disk *o, void *c)
{
  DISK (o);
  return str_or_none (mountdb_table_name (mountdb_disk_table (disk)));
}

static PyObject *
disk_get_flags (Disk *o, void *c)
{
  DISK (o);
  unsigned f = mountdb_disk_flags (disk);
  PyObject *l = PyList_New (0);
  static const struct { unsigned bit; const char *name; } names[] = {
    { MOUNTDB_DISK_PROTECTIVE_MBR, "protective_mbr" },
    { MOUNTDB_DISK_HYBRID_MBR, "hybrid_mbr" },
    { MOUNTDB_DISK_GPT_BACKUP, "gpt_backup" },
  };
  for (size_t i = 0; l && i < 3; i++)
    if (f & names[i].bit) {
      PyObject *s = PyUnicode_FromString (names[i].name);
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

static PyObject *
disk_get_signature (Disk *o, void *c)
{
  DISK (o);
  uint32_t s = mountdb_disk_signature (disk);
  if (s == 0)
    Py_RETURN_NONE;
  return PyLong_FromUnsignedLong (s);
}

static PyObject *
disk_get_guid (Disk *o, void *c)
{
  DISK (o);
  return uuid_from_text (mountdb_disk_guid (disk));
}

static PyObject *
disk_get_warnings (Disk *o, void *c)
{
  DISK (o);
  size_t n = mountdb_disk_warning_count (disk);
  PyObject *t = PyTuple_New ((Py_ssize_t) n);
  for (size_t i = 0; t && i < n; i++) {
    PyObject *s = str_or_none (mountdb_disk_warning_get (disk, i));
    if (s == NULL)
      Py_CLEAR (t);
    else
      PyTuple_SET_ITEM (t, (Py_ssize_t) i, s);
  }
  return t;
}

static PyObject *
disk_get_partitions (Disk *o, void *c)
{
  DISK (o);
  (void) disk;
  return Py_NewRef (o->partitions);
}

static PyObject *
disk_get_closed (Disk *o, void *c)
{
  return bool_obj (o->disk == NULL);
}

static PyObject *
disk_close (Disk *o, PyObject *unused)
{
  mountdb_disk_close (o->disk);
  o->disk = NULL;
  Py_RETURN_NONE;
}

static PyObject *
disk_enter (Disk *o, PyObject *unused)
{
  DISK (o);
  (void) disk;
  return Py_NewRef ((PyObject *) o);
}

static PyObject *
disk_exit (Disk *o, PyObject *args)
{
  disk_close (o, NULL);
  Py_RETURN_FALSE;
}

static PyGetSetDef disk_getset[] = {
  { "closed", (getter) disk_get_closed, NULL, "True after close()", NULL },
  { "path", (getter) disk_get_path, NULL, "the disk's path", NULL },
  { "size", (getter) disk_get_size, NULL, "bytes", NULL },
  { "sector_size", (getter) disk_get_sector_size, NULL, "bytes", NULL },
  { "table", (getter) disk_get_table, NULL,
    "'none', 'mbr', 'gpt' or 'dynamic'", NULL },
  { "flags", (getter) disk_get_flags, NULL,
    "'protective_mbr', 'hybrid_mbr', 'gpt_backup'", NULL },
  { "signature", (getter) disk_get_signature, NULL,
    "MBR disk signature (int) or None", NULL },
  { "guid", (getter) disk_get_guid, NULL, "GPT disk GUID (uuid.UUID) or None",
    NULL },
  { "warnings", (getter) disk_get_warnings, NULL,
    "problems that did not stop the probe", NULL },
  { "partitions", (getter) disk_get_partitions, NULL,
    "a tuple of Partition, in table order", NULL },
  { NULL } };

static PyMethodDef disk_methods[] = {
  { "close", (PyCFunction) disk_close, METH_NOARGS, "close()\n\nRelease it." },
  { "__enter__", (PyCFunction) disk_enter, METH_NOARGS, NULL },
  { "__exit__", (PyCFunction) disk_exit, METH_VARARGS, NULL },
  { NULL } };

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

static int
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
  HiveType.tp_traverse = (traverseproc) hive_traverse;
  HiveType.tp_clear = (inquiry) hive_clear;
  HiveType.tp_weaklistoffset = offsetof (Hive, weakrefs);
  if (init_type (m, &HiveType, "mountdb.Hive", hive_doc, sizeof (Hive),
                 Py_TPFLAGS_HAVE_GC, (destructor) hive_dealloc, hive_getset,
                 hive_methods, (reprfunc) hive_repr) < 0)
    goto fail;
  EntryType.tp_traverse = child_traverse;
  EntryType.tp_clear = child_clear;
  if (init_type (m, &EntryType, "mountdb.Entry",
                 "One value of MountedDevices (attributes as in the JSON "
                 "schema's entries[]).  Keeps its Hive alive; raises Closed "
                 "after hive.close().", sizeof (Entry), Py_TPFLAGS_HAVE_GC,
                 child_dealloc, entry_getset, NULL, (reprfunc) entry_repr) < 0)
    goto fail;
  VolumeType.tp_traverse = child_traverse;
  VolumeType.tp_clear = child_clear;
  if (init_type (m, &VolumeType, "mountdb.Volume",
                 "The names that share one REG_BINARY unique ID (the JSON "
                 "schema's volumes[]).  Keeps its Hive alive; raises Closed "
                 "after hive.close().", sizeof (Volume), Py_TPFLAGS_HAVE_GC,
                 child_dealloc, volume_getset, NULL,
                 (reprfunc) volume_repr) < 0)
    goto fail;
  UidType.tp_getattro = (getattrofunc) uid_getattro;
  UidType.tp_members = uid_members;
  if (init_type (m, &UidType, "mountdb.UniqueId",
                 "A decoded unique ID: shape, summary, and the shape's fields "
                 "(named as in the JSON schema) as attributes and in .fields.",
                 sizeof (Uid), 0, (destructor) uid_dealloc, NULL, uid_methods,
                 (reprfunc) uid_repr) < 0)
    goto fail;
  TxnType.tp_traverse = (traverseproc) txn_traverse;
  TxnType.tp_clear = (inquiry) txn_clear;
  if (init_type (m, &TxnType, "mountdb.Transaction",
                 "An edit of a hive's value list (hive.transaction()).  "
                 "Operations apply whole or raise and change nothing; "
                 "write() writes the result.  One thread at a time.",
                 sizeof (Txn), Py_TPFLAGS_HAVE_GC, (destructor) txn_dealloc,
                 txn_getset, txn_methods, NULL) < 0)
    goto fail;
  if (init_type (m, &DiskType, "mountdb.Disk",
                 "A disk or raw image read with libblkid (open_disk()).  A "
                 "context manager; holds no file descriptor.", sizeof (Disk),
                 0, (destructor) disk_dealloc, disk_getset, disk_methods,
                 NULL) < 0)
    goto fail;
  if (PyModule_AddStringConstant (m, "HEADER_VERSION", MOUNTDB_VERSION_STRING) < 0)
    goto fail;
  return m;
fail:
  Py_DECREF (m);
  return NULL;
}
