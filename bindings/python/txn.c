/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mountdb.Transaction: edits of a hive's value list, written through the
 * library's one writer (the CLI's bytes); mountdb.replay(). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "_mountdb.h"

PyTypeObject TxnType;

static void
txn_free (void *txn)
{
  mountdb_txn_free (txn);
}

const char transaction_doc[] =
"transaction() -> Transaction\n\n"
"Start an edit from the hive's current value list (W10).  Nothing touches\n"
"a file until Transaction.write().  Several transactions may exist at\n"
"once; each is used by one thread at a time.";

PyObject *
hive_transaction (Hive *h, PyObject *unused)
{
  HIVE_DB (h);
  mountdb_txn *txn = NULL;
  mountdb_error err;
  int rc = mountdb_txn_new (db, &txn, &err);
  if (rc < 0)
    return raise_err (rc, &err, mountdb_path (db));
  return holder_new (&TxnType, (PyObject *) h, NULL, txn, txn_free);
}

/* ---- Transaction --------------------------------------------------------------- */

static PyObject *
txn_result (int rc, mountdb_error *err, const char *path)
{
  if (rc < 0)
    return raise_err (rc, err, path);
  return PyLong_FromLong (rc);
}

static const char assign_doc[] =
"assign(letter, volume, *, move=False, take=False, new=False) -> int\n\n"
"W2: give letter ('E' or 'E:') to the volume named by a spec ('C:',\n"
"'{GUID}', 'mbr:SIG:OFFSET', 'gpt:GUID', 'hex:BYTES', 'disk:PATH:N').\n"
"move: the volume may lose its current letter; take: the letter may be\n"
"taken from its volume; new: the volume may be one the hive does not\n"
"know yet (pre-seeding, W8).";

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

static const char remap_doc[] =
"remap(old, new) -> int\n\n"
"W1: every REG_BINARY value whose data is old's ID gets new's.  Each side\n"
"is a spec (old: a letter or GUID names its current ID; new: mbr:, gpt:,\n"
"hex: or disk:) or the ID itself as bytes.  Returns the values changed.";

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

static const char scrub_doc[] =
"scrub(keep, *, all_shapes=False) -> int\n\n"
"W5: delete every value whose ID is not one of keep (specs: a complete\n"
"inventory of the volumes that exist).  all_shapes also deletes\n"
"device-path and unknown IDs.  Returns the values deleted.";

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
txn_change_item (const void *txn, size_t i)
{
  return change_obj (mountdb_txn_change_get (txn, i));
}

static PyObject *
report_change_item (const void *rep, size_t i)
{
  return change_obj (mountdb_report_change_get (rep, i));
}

static PyObject *
moved_log_item (const void *rep, size_t i)
{
  return str_or_none (mountdb_report_moved_log_get (rep, i));
}

static PyObject *
txn_get_changes (Txn *t, void *c)
{
  if (t->hive == NULL || !hive_open_p (t->hive))
    return NULL;
  return tuple_of (mountdb_txn_change_count (t->txn), txn_change_item, t->txn);
}

/* The report of a write; without one (nothing to write) changes is the
 * change set to show. */
static PyObject *
report_obj (const mountdb_report *rep, int written, int dry, PyObject *changes)
{
  PyObject *none = Py_None;
  PyObject *v[8] = {
    PyBool_FromLong (written), PyBool_FromLong (dry),
    rep ? str_or_none (mountdb_report_output (rep)) : Py_NewRef (none),
    rep ? str_or_none (mountdb_report_backup (rep)) : Py_NewRef (none),
    rep ? str_or_none (mountdb_report_sha256_before (rep)) : Py_NewRef (none),
    rep ? str_or_none (mountdb_report_sha256_after (rep)) : Py_NewRef (none),
    rep ? tuple_of (mountdb_report_change_count (rep), report_change_item, rep)
        : Py_XNewRef (changes),
    rep ? tuple_of (mountdb_report_moved_log_count (rep), moved_log_item, rep)
        : PyTuple_New (0),
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

static const char write_doc[] =
"write(out=None, *, in_place=False, backup=True, dry_run=False, force=False,\n"
"      discard_logs=False, timestamp='now', system_letter='C') -> WriteReport\n\n"
"Write the final list through the library's one writer (H1: temp file,\n"
"fsync, verify, rename; the same bytes as the CLI for the same edit): to\n"
"out, a new file that must not exist, or in_place=True (a backup unless\n"
"backup=False).  dry_run=True runs every check of the write and writes\n"
"nothing.  timestamp: 'now' (honours SOURCE_DATE_EPOCH), 'keep', an aware\n"
"datetime or a FILETIME int.  With no change nothing is written\n"
"(report.written is False).  Raises Refused (.rule), Exists, ...  The GIL\n"
"is released while writing.";

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
  { "remap_disk", (PyCFunction) (void (*) (void)) txn_remap_disk,
    METH_VARARGS | METH_KEYWORDS, remap_disk_doc },
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

const char replay_doc[] =
"replay(path, out=None, *, log_files=(), in_place=False, backup=True,\n"
"       dry_run=False, force=False, timestamp='keep') -> WriteReport | None\n\n"
"Write a dirty hive with its transaction logs applied, as `mountdb\n"
"replay`: to out (a new file) or in place (the old logs moved aside with\n"
"the backup).  Returns None when the hive is clean (nothing to replay);\n"
"raises Refused when it is dirty and no usable log was found.  The GIL is\n"
"released while reading and writing.";

PyObject *
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

int
txn_init (PyObject *m)
{
  return init_holder (m, &TxnType, "mountdb.Transaction",
                      "An edit of a hive's value list (hive.transaction()).  "
                      "Operations apply whole or raise and change nothing; "
                      "write() writes the result.  One thread at a time.",
                      txn_getset, txn_methods, NULL);
}
