/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mountdb.Hive: an opened hive, its facts, check() and to_dict(). */
#include <stdlib.h>
#include <string.h>
#include "_mountdb.h"

#define IGNORE_ARG "ignore: a sequence of rule IDs such as ('V8', 'V3')"

/* ---- Hive ------------------------------------------------------------------- */

PyTypeObject HiveType;

int
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

void
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

const char open_doc[] =
"open(path, *, hash=True, logs=True, unsafe=False, log_files=(),\n"
"     devices=False) -> Hive\n\n"
"Open a registry hive read-only (it is never written) and read its\n"
"MountedDevices key.  hash=False skips SHA-256; logs=False reads a dirty\n"
"hive without replaying its transaction logs; unsafe=True opens damaged\n"
"hives (read-only results, writes refused); log_files names the logs\n"
"(default: HIVE.LOG1, HIVE.LOG2, HIVE.LOG beside it); devices=True also\n"
"reads, in the same pass, the keys mountdb.devices() joins.  The GIL is\n"
"released while the file is read, hashed and parsed.  Raises a\n"
"mountdb.Error subclass (NotAHive, Corrupt, IOFailure, ...).";

PyObject *
md_open (PyObject *mod, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "path", "hash", "logs", "unsafe", "log_files",
                            "devices", NULL };
  PyObject *path = NULL, *logs_seq = NULL;
  int hash = 1, logs = 1, unsafe = 0, devices = 0;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "O&|$pppOp", kwlist, path_conv,
                                    &path, &hash, &logs, &unsafe, &logs_seq,
                                    &devices))
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
                   | (unsafe ? MOUNTDB_OPEN_UNSAFE : 0)
                   | (devices ? MOUNTDB_OPEN_DEVICES : 0);
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

/* -- hive facts: one getter, dispatched on the attribute -- */

enum hive_attr {
  HA_PATH, HA_SIZE, HA_SHA256, HA_FORMAT, HA_SEQUENCE, HA_DIRTY,
  HA_CHECKSUM_OK, HA_LAST_WRITTEN, HA_LAST_WRITTEN_FT, HA_EMBEDDED_NAME,
  HA_FILE_TYPE, HA_UNSAFE, HA_LOGS_APPLIED, HA_HIVE_KIND, HA_LAYERED,
  HA_SETUP, HA_WINVER,
};

static PyObject *
hive_attr (Hive *h, void *c)
{
  HIVE_DB (h);
  const mountdb_header *hd = mountdb_file_header (db);
  uint32_t v = 0;
  switch (WHICH (c)) {
  case HA_PATH:
    return str_or_none (mountdb_path (db));
  case HA_SIZE:
    return PyLong_FromUnsignedLongLong (mountdb_file_size (db));
  case HA_SHA256:
    return str_or_none (mountdb_sha256 (db));
  case HA_FORMAT:
    return PyUnicode_FromFormat ("%lu.%lu", (unsigned long) hd->major,
                                 (unsigned long) hd->minor);
  case HA_SEQUENCE:
    return Py_BuildValue ("(kk)", (unsigned long) hd->seq1,
                          (unsigned long) hd->seq2);
  case HA_DIRTY:
    return PyBool_FromLong (hd->dirty);
  case HA_CHECKSUM_OK:
    return PyBool_FromLong (hd->checksum_ok);
  case HA_LAST_WRITTEN:
    return filetime_to_datetime (hd->last_written);
  case HA_LAST_WRITTEN_FT:
    return PyLong_FromUnsignedLongLong (hd->last_written);
  case HA_EMBEDDED_NAME:
    return str_or_none (hd->embedded_name);
  case HA_FILE_TYPE:
    return PyLong_FromUnsignedLong (hd->file_type);
  case HA_UNSAFE:
    return PyBool_FromLong ((mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE)
                            != 0);
  case HA_LOGS_APPLIED:
    return PyBool_FromLong (mountdb_logs_applied (db));
  case HA_HIVE_KIND:
    return PyUnicode_FromString (
      mountdb_hive_kind_name (mountdb_hive_kind (db)));
  case HA_LAYERED:
    return PyBool_FromLong (mountdb_layered (db));
  case HA_SETUP:
    return PyBool_FromLong (mountdb_setup_in_progress (db, &v)
                            == MOUNTDB_VALUE_OK && v == 1);
  case HA_WINVER:
    return PyUnicode_FromString (
      mountdb_windows_version_name (mountdb_windows_version (db)));
  }
  PyErr_SetString (PyExc_SystemError, "unknown Hive attribute");
  return NULL;
}

static PyObject *
hive_get_closed (Hive *h, void *c)
{
  return PyBool_FromLong (h->db == NULL);
}

/* None, or the sequence number when the log has sequences. */
static PyObject *
seq_or_none (int has, uint64_t v)
{
  return has ? PyLong_FromUnsignedLongLong (v) : Py_NewRef (Py_None);
}

static PyObject *
log_file_obj (const void *db, size_t i)
{
  const mountdb_log_info *l = mountdb_log_get (db, i);
  int seq = l->entries || l->first_seq || l->last_seq;
  PyObject *v[11] = {
    str_or_none (l->path), PyLong_FromUnsignedLongLong (l->size),
    str_or_none (l->sha256),
    PyUnicode_FromString (mountdb_log_format_name (l->format)),
    PyBool_FromLong (l->valid), PyBool_FromLong (l->used),
    seq_or_none (seq, l->first_seq), seq_or_none (seq, l->last_seq),
    seq_or_none (seq, l->entries),
    PyLong_FromUnsignedLongLong (l->pages),
    str_or_none (l->note ? l->note : ""),
  };
  return seq_make (&LogFileType, 11, v);
}

static PyObject *
hive_get_logs (Hive *h, void *c)
{
  HIVE_DB (h);
  const char *summary = mountdb_logs_summary (db);
  size_t n = mountdb_log_count (db);
  if (summary == NULL && n == 0)
    Py_RETURN_NONE;
  uint32_t first, last;
  uint64_t pages;
  mountdb_logs_range (db, &first, &last, &pages);
  int applied = mountdb_logs_applied (db);
  PyObject *v[6] = {
    PyBool_FromLong (applied), seq_or_none (applied, first),
    seq_or_none (applied, last), seq_or_none (applied, pages),
    str_or_none (summary ? summary : ""),
    tuple_of (n, log_file_obj, db),
  };
  return seq_make (&LogsType, 6, v);
}

static PyObject *
dword_or_none (int state, uint32_t v)
{
  return seq_or_none (state == MOUNTDB_VALUE_OK, v);
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
    PyBool_FromLong (ks == MOUNTDB_KEY_PRESENT),
    PyUnicode_FromString (mountdb_key_state_name (ks)),
    filetime_to_datetime (mountdb_key_last_written (db)),
  };
  return seq_make (&KeyType, 3, v);
}

static PyObject *
diag_obj (const void *db, size_t i)
{
  int code = 0;
  const char *msg = NULL;
  mountdb_diag_get (db, i, &code, &msg);
  PyObject *v[2] = { PyUnicode_FromString (mountdb_diag_name (code)),
                     str_or_none (msg ? msg : "") };
  return seq_make (&DiagType, 2, v);
}

static PyObject *
hive_get_diagnostics (Hive *h, void *c)
{
  HIVE_DB (h);
  return tuple_of (mountdb_diag_count (db), diag_obj, db);
}

/* -- entries and volumes: made once, cached (they keep the hive alive) -- */

static PyObject *
hive_children (Hive *h, int volumes)
{
  HIVE_DB (h);
  PyObject **cache = volumes ? &h->volumes : &h->entries;
  if (*cache == NULL) {
    size_t n = volumes ? mountdb_volume_count (db) : mountdb_entry_count (db);
    PyObject *t = PyTuple_New ((Py_ssize_t) n);
    for (size_t i = 0; t && i < n; i++) {
      PyObject *o = volumes
        ? child_new (&VolumeType, h, mountdb_volume_get (db, i), i)
        : child_new (&EntryType, h, mountdb_entry_get (db, i), i);
      if (o == NULL)
        Py_CLEAR (t);
      else
        PyTuple_SET_ITEM (t, (Py_ssize_t) i, o);
    }
    *cache = t;
  }
  return Py_XNewRef (*cache);
}

PyObject *
hive_get_entries (Hive *h, void *c)
{
  return hive_children (h, 0);
}

static PyObject *
hive_get_volumes (Hive *h, void *c)
{
  return hive_children (h, 1);
}

PyObject *
hive_volume (Hive *h, size_t i)
{
  PyObject *t = hive_children (h, 1);
  if (t == NULL)
    return NULL;
  PyObject *v = i < (size_t) PyTuple_GET_SIZE (t)
                ? Py_NewRef (PyTuple_GET_ITEM (t, (Py_ssize_t) i)) : NULL;
  Py_DECREF (t);
  if (v == NULL)
    PyErr_SetString (PyExc_IndexError, "volume index out of range");
  return v;
}

/* -- checks -- */

/* Run the check (with disks when given) and cache every finding. */
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

static const char check_doc[] =
"check(system_letter='C', *, fail_on=None, ignore=(), disks=()) -> tuple\n\n"
"Validate the database the way the mount manager reads it at next boot\n"
"and return the findings (Finding: rule, severity, message, entries,\n"
"names), less the rule IDs in ignore.  With disks (mountdb.Disk), the\n"
"disk rules run too (V9, V10, V12, V13, V14).  fail_on='info'|'warning'|\n"
"'error' raises CheckFailed (.findings) when a finding reaches it, as\n"
"`mountdb check --fail-on` exits 4.  hive.findings keeps the result.";

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
  if (ignore && ignore != Py_None && (ign = seq_arg (ignore, IGNORE_ARG)) == NULL)
    return NULL;
  if (hive_run_check (h, letter, disks) < 0) {
    Py_XDECREF (ign);
    return NULL;
  }
  PyObject *out = PyList_New (0);
  int failed = 0;
  for (Py_ssize_t i = 0; out && i < PyTuple_GET_SIZE (h->findings); i++) {
    PyObject *f = PyTuple_GET_ITEM (h->findings, i);
    PyObject *rule = PyStructSequence_GET_ITEM (f, 0);
    int skip = ign ? PySequence_Contains (ign, rule) : 0;
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

int
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

static const char json_doc[] =
"_json(*, compact=False, ignore=(), disks=()) -> bytes\n\n"
"The document `mountdb show --format=json` prints for this hive, byte\n"
"for byte (compact: the one line of --format=jsonl), without the final\n"
"newline.  Findings are those of the last check() (check() runs first\n"
"when none has); ignore leaves rule IDs out as --ignore does; disks\n"
"(mountdb.Disk) re-run the check with them and fill \"disks\" and each\n"
"volume's \"disk\" as --disk does.  to_dict() is json.loads of it.";

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
    ign = seq_arg (ignore, IGNORE_ARG);
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

static const char to_dict_doc[] =
"to_dict(*, ignore=(), disks=()) -> dict\n\n"
"The schema-1 document `mountdb show --format=json` prints for this hive\n"
"(mountdb(1), JSON OUTPUT), as Python objects: equal to json.loads of\n"
"the CLI's output for the same hive and options.  Findings, ignore and\n"
"disks as in _json().";

static PyObject *
hive_to_dict (Hive *h, PyObject *args, PyObject *kw)
{
  if (kw && PyDict_GetItemString (kw, "compact")) {
    PyErr_SetString (PyExc_TypeError, "to_dict() takes no 'compact'");
    return NULL;
  }
  return json_loads (hive_json (h, args, kw));
}

PyObject *
json_loads (PyObject *doc)
{
  if (doc == NULL)
    return NULL;
  PyObject *json = PyImport_ImportModule ("json");
  PyObject *d = json ? PyObject_CallMethod (json, "loads", "O", doc) : NULL;
  Py_XDECREF (json);
  Py_DECREF (doc);
  return d;
}

static PyGetSetDef hive_getset[] = {
  { "closed", (getter) hive_get_closed, NULL, "True after close()", NULL },
  ATTR ("path", hive_attr, HA_PATH, "the hive's path"),
  ATTR ("size", hive_attr, HA_SIZE, "file size in bytes"),
  ATTR ("sha256", hive_attr, HA_SHA256,
    "SHA-256 of the file (64 hex digits), None with hash=False"),
  ATTR ("format", hive_attr, HA_FORMAT, "regf version, e.g. '1.5'"),
  ATTR ("sequence", hive_attr, HA_SEQUENCE,
    "(primary, secondary) sequence numbers"),
  ATTR ("dirty", hive_attr, HA_DIRTY,
    "sequence numbers differ or checksum bad (L rules)"),
  ATTR ("checksum_ok", hive_attr, HA_CHECKSUM_OK,
    "the base block checksum is right"),
  ATTR ("last_written", hive_attr, HA_LAST_WRITTEN,
    "base block time, an aware datetime (UTC), or None"),
  ATTR ("last_written_filetime", hive_attr, HA_LAST_WRITTEN_FT,
    "base block time as FILETIME (100 ns since 1601), exact"),
  ATTR ("embedded_name", hive_attr, HA_EMBEDDED_NAME,
    "the file name stored in the base block (untrusted)"),
  ATTR ("file_type", hive_attr, HA_FILE_TYPE,
    "0 primary, 1/2 old log, 6 new log"),
  ATTR ("unsafe", hive_attr, HA_UNSAFE, "opened with unsafe=True"),
  ATTR ("logs_applied", hive_attr, HA_LOGS_APPLIED,
    "the results come from the primary plus its logs"),
  { "logs", (getter) hive_get_logs, NULL,
    "Logs (applied, sequences, pages, summary, files) or None", NULL },
  ATTR ("hive_kind", hive_attr, HA_HIVE_KIND,
    "'system', 'ntuser', 'software', ... ('unknown')"),
  ATTR ("layered", hive_attr, HA_LAYERED,
    "a differencing hive (writes refused)"),
  ATTR ("setup_in_progress", hive_attr, HA_SETUP,
    "Setup\\SystemSetupInProgress = 1"),
  ATTR ("windows_version", hive_attr, HA_WINVER,
    "'unknown', 'nt4', '2000-8.1' or '10' (inferred)"),
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
  { "correlate", (PyCFunction) (void (*) (void)) hive_correlate,
    METH_VARARGS | METH_KEYWORDS, correlate_doc },
  { "remap_derive", (PyCFunction) (void (*) (void)) hive_remap_derive,
    METH_VARARGS | METH_KEYWORDS, remap_derive_doc },
  { "_json", (PyCFunction) (void (*) (void)) hive_json,
    METH_VARARGS | METH_KEYWORDS, json_doc },
  { "to_dict", (PyCFunction) (void (*) (void)) hive_to_dict,
    METH_VARARGS | METH_KEYWORDS, to_dict_doc },
  { NULL } };

static const char hive_doc[] =
"An opened hive (mountdb.open()).  A context manager: `with\n"
"mountdb.open(path) as hive:` closes it at the end.  Its facts are\n"
"attributes; entries, volumes and findings are tuples of light objects.\n"
"Threads: attributes may be read from several threads; check() and close()\n"
"wait for calls running without the GIL on other threads.";


int
hive_init (PyObject *m)
{
  HiveType.tp_traverse = (traverseproc) hive_traverse;
  HiveType.tp_clear = (inquiry) hive_clear;
  HiveType.tp_weaklistoffset = offsetof (Hive, weakrefs);
  return init_type (m, &HiveType, "mountdb.Hive", hive_doc, sizeof (Hive),
                    Py_TPFLAGS_HAVE_GC, (destructor) hive_dealloc, hive_getset,
                    hive_methods, (reprfunc) hive_repr);
}
