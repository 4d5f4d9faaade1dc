/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mountdb.Disk: a disk or raw image read with libblkid, its partitions
 * and the unique IDs their volumes get. */
#include <string.h>
#include "_mountdb.h"

PyTypeObject DiskType;

/* ---- disks ----------------------------------------------------------------------- */

static void
disk_dealloc (Disk *d)
{
  mountdb_disk_close (d->disk);
  Py_XDECREF (d->partitions);
  PyObject_Free (d);
}

static PyObject *
partition_item (const void *disk, size_t i)
{
  return partition_obj (mountdb_disk_partition_get (disk, i));
}

PyObject *
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
    PyBool_FromLong (mountdb_partition_logical (p)),
    str_or_none (mountdb_partition_fs (p)),
    str_or_none (mountdb_partition_label (p)),
    str_or_none (mountdb_partition_serial (p)),
    bytes_or_none (id, idl),
    str_or_none (mountdb_partition_spec (p)),
  };
  return seq_make (&PartitionType, 14, v);
}

const char open_disk_doc[] =
"open_disk(path, sector_size=0) -> Disk\n\n"
"Read a disk or raw image's partition table read-only (libblkid), and the\n"
"unique ID each partition's volume gets.  sector_size 0: from the device,\n"
"or 512 for an image (4096 when a GPT is found there).  Use\n"
"disk.partitions, hive.check(disks=[disk]), and 'disk:PATH:N' specs.";

PyObject *
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
  d->partitions = tuple_of (mountdb_disk_partition_count (disk),
                            partition_item, disk);
  if (d->partitions == NULL) {
    Py_DECREF (d);
    return NULL;
  }
  return (PyObject *) d;
}

#define DISK(o)                                                               \
  if (o->disk == NULL)                                                        \
    return raise_closed ("disk");                                             \
  const mountdb_disk *disk = o->disk

static const char *
disk_flag_name (unsigned bit)
{
  switch (bit) {
  case MOUNTDB_DISK_PROTECTIVE_MBR: return "protective_mbr";
  case MOUNTDB_DISK_HYBRID_MBR: return "hybrid_mbr";
  case MOUNTDB_DISK_GPT_BACKUP: return "gpt_backup";
  default: return NULL;
  }
}

static PyObject *
warning_obj (const void *disk, size_t i)
{
  return str_or_none (mountdb_disk_warning_get (disk, i));
}

enum disk_attr {
  DA_PATH, DA_SIZE, DA_SECTOR_SIZE, DA_TABLE, DA_FLAGS, DA_SIGNATURE,
  DA_GUID, DA_WARNINGS, DA_PARTITIONS,
};

static PyObject *
disk_attr (Disk *o, void *c)
{
  DISK (o);
  uint32_t sig = mountdb_disk_signature (disk);
  switch (WHICH (c)) {
  case DA_PATH:
    return str_or_none (mountdb_disk_path (disk));
  case DA_SIZE:
    return PyLong_FromUnsignedLongLong (mountdb_disk_size (disk));
  case DA_SECTOR_SIZE:
    return PyLong_FromUnsignedLong (mountdb_disk_sector_size (disk));
  case DA_TABLE:
    return str_or_none (mountdb_table_name (mountdb_disk_table (disk)));
  case DA_FLAGS:
    return flag_names (mountdb_disk_flags (disk), disk_flag_name);
  case DA_SIGNATURE:
    return sig ? PyLong_FromUnsignedLong (sig) : Py_NewRef (Py_None);
  case DA_GUID:
    return uuid_from_text (mountdb_disk_guid (disk));
  case DA_WARNINGS:
    return tuple_of (mountdb_disk_warning_count (disk), warning_obj, disk);
  case DA_PARTITIONS:
    return Py_NewRef (o->partitions);
  }
  PyErr_SetString (PyExc_SystemError, "unknown Disk attribute");
  return NULL;
}

static PyObject *
disk_get_closed (Disk *o, void *c)
{
  return PyBool_FromLong (o->disk == NULL);
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
  ATTR ("path", disk_attr, DA_PATH, "the disk's path"),
  ATTR ("size", disk_attr, DA_SIZE, "bytes"),
  ATTR ("sector_size", disk_attr, DA_SECTOR_SIZE, "bytes"),
  ATTR ("table", disk_attr, DA_TABLE,
    "'none', 'mbr', 'gpt' or 'dynamic'"),
  ATTR ("flags", disk_attr, DA_FLAGS,
    "'protective_mbr', 'hybrid_mbr', 'gpt_backup'"),
  ATTR ("signature", disk_attr, DA_SIGNATURE,
    "MBR disk signature (int) or None"),
  ATTR ("guid", disk_attr, DA_GUID, "GPT disk GUID (uuid.UUID) or None"),
  ATTR ("warnings", disk_attr, DA_WARNINGS,
    "problems that did not stop the probe"),
  ATTR ("partitions", disk_attr, DA_PARTITIONS,
    "a tuple of Partition, in table order"),
  { NULL } };

static PyMethodDef disk_methods[] = {
  { "close", (PyCFunction) disk_close, METH_NOARGS, "close()\n\nRelease it." },
  { "__enter__", (PyCFunction) disk_enter, METH_NOARGS, NULL },
  { "__exit__", (PyCFunction) disk_exit, METH_VARARGS, NULL },
  { NULL } };

/* The disks argument of check(), _json() and to_dict(). */
int
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


/* ---- Correlation: where each volume of a hive is on a set of disks -------- */

typedef Holder Corr;            /* hive, disks (tuple), corr */

PyTypeObject CorrType;

static void
corr_free (void *c)
{
  mountdb_correlation_free (c);
}

/* 0 when the hive and every disk of a tuple are open, else -1 with
 * Closed: what a correlation or a table points into is still there. */
static int
all_open (Hive *h, PyObject *disks)
{
  if (!hive_open_p (h))
    return -1;
  for (Py_ssize_t i = 0; disks && i < PyTuple_GET_SIZE (disks); i++)
    if (((Disk *) PyTuple_GET_ITEM (disks, i))->disk == NULL) {
      raise_closed ("disk");
      return -1;
    }
  return 0;
}

/* The Disk object of disks that holds partition p, or None. */
static PyObject *
disk_of (PyObject *disks, const mountdb_partition *p)
{
  const mountdb_disk *d = p ? mountdb_partition_disk (p) : NULL;
  for (Py_ssize_t i = 0; d && disks && i < PyTuple_GET_SIZE (disks); i++)
    if (((Disk *) PyTuple_GET_ITEM (disks, i))->disk == d)
      return Py_NewRef (PyTuple_GET_ITEM (disks, i));
  return Py_NewRef (Py_None);
}

static PyObject *
volume_disk_item (const void *ctx, size_t v)
{
  const Corr *c = ctx;
  int st = mountdb_correlation_status (c->corr, v);
  const mountdb_partition *p = mountdb_correlation_partition (c->corr, v);
  const mountdb_disk *d = p ? mountdb_partition_disk (p) : NULL;
  PyObject *vals[6] = {
    PyLong_FromSize_t (v),
    PyUnicode_FromString (mountdb_disk_status_name (st)),
    d ? str_or_none (mountdb_disk_path (d)) : Py_NewRef (Py_None),
    p ? PyLong_FromUnsignedLong (mountdb_partition_number (p))
      : Py_NewRef (Py_None),
    disk_of (c->disks, p),
    p ? partition_obj (p) : Py_NewRef (Py_None),
  };
  return seq_make (&VolumeDiskType, 6, vals);
}

static PyObject *
corr_get_volumes (Corr *c, void *unused)
{
  if (all_open (c->hive, c->disks) < 0)
    return NULL;
  return tuple_of (mountdb_volume_count (c->hive->db), volume_disk_item, c);
}

static PyObject *
corr_get_hive (Corr *c, void *unused)
{
  return Py_NewRef ((PyObject *) c->hive);
}

static PyObject *
corr_get_disks (Corr *c, void *unused)
{
  return Py_NewRef (c->disks);
}

static PyGetSetDef corr_getset[] = {
  { "volumes", (getter) corr_get_volumes, NULL,
    "one VolumeDisk(volume, status, path, partition, disk, partition_info) "
    "per volume of hive.volumes, in that order (raises Closed once the "
    "hive or a disk is closed)", NULL },
  { "hive", (getter) corr_get_hive, NULL, "the Hive", NULL },
  { "disks", (getter) corr_get_disks, NULL, "the Disks, as given", NULL },
  { NULL } };

/* A disks argument as a tuple of open Disk objects and their handles. */
static PyObject *
disk_tuple (PyObject *disks, const mountdb_disk ***dv, Py_ssize_t *nd)
{
  PyObject *fast = NULL;
  if (disk_vector (disks, &fast, dv, nd) < 0) {
    Py_XDECREF (fast);
    PyMem_Free (*dv);
    return NULL;
  }
  PyObject *t = fast ? PySequence_Tuple (fast) : PyTuple_New (0);
  Py_XDECREF (fast);
  if (t == NULL)
    PyMem_Free (*dv);
  return t;
}

const char correlate_doc[] =
"correlate(disks) -> Correlation\n\n"
"Where each volume of the hive is on a set of disks (mountdb.Disk; as\n"
"`mountdb show --disk`): correlation.volumes holds one VolumeDisk per\n"
"volume: status 'present' (a partition of a given disk has its ID; path,\n"
"partition, disk and partition_info say which), 'absent' (on none of\n"
"them) or 'unresolved' (device paths and other IDs no partition table can\n"
"place, or that may be a given dynamic disk's).  The Correlation keeps\n"
"the hive and the disks alive; once one of them is closed it raises\n"
"Closed.";

PyObject *
hive_correlate (Hive *h, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "disks", NULL };
  PyObject *disks;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "O:correlate", kwlist, &disks))
    return NULL;
  HIVE_DB (h);
  const mountdb_disk **dv = NULL;
  Py_ssize_t nd = 0;
  PyObject *t = disk_tuple (disks, &dv, &nd);
  if (t == NULL)
    return NULL;
  mountdb_correlation *corr = NULL;
  mountdb_error err;
  int rc = mountdb_correlate (db, dv, (size_t) nd, &corr, &err);
  PyMem_Free (dv);
  if (rc < 0) {
    Py_DECREF (t);
    return raise_err (rc, &err, mountdb_path (db));
  }
  PyObject *c = holder_new (&CorrType, (PyObject *) h, t, corr, corr_free);
  Py_DECREF (t);
  return c;
}

/* ---- remap tables (W1 from layouts) --------------------------------------- */

static PyObject *
remap_row_item (const void *t, size_t i)
{
  const mountdb_remap_row *r = mountdb_remap_row_get (t, i);
  PyObject *v[6] = {
    bytes_or_none (r->old_id, r->old_len),
    bytes_or_none (r->new_id, r->new_len),
    r->partition ? partition_obj (r->partition) : Py_NewRef (Py_None),
    PyLong_FromSize_t (r->candidates), PyBool_FromLong (r->unchanged),
    str_or_none (r->why ? r->why : ""),
  };
  return seq_make (&RemapRowType, 6, v);
}

/* A disk signature argument: an int or hex digits (as --disk-signature). */
static int
signature_conv (PyObject *o, uint32_t *sig)
{
  unsigned long long v;
  if (o == Py_None)
    return 1;
  if (PyUnicode_Check (o)) {
    PyObject *n = PyLong_FromUnicodeObject (o, 16);
    if (n == NULL)
      return 0;
    v = PyLong_AsUnsignedLongLong (n);
    Py_DECREF (n);
  } else if (PyLong_Check (o))
    v = PyLong_AsUnsignedLongLong (o);
  else {
    PyErr_Format (PyExc_TypeError, "signature: an int or hex digits, not "
                  "%.80s", Py_TYPE (o)->tp_name);
    return 0;
  }
  if (PyErr_Occurred ())
    return 0;
  if (v == 0 || v > 0xFFFFFFFFull) {
    PyErr_Format (PyExc_ValueError, "signature: %R is not a disk signature",
                  o);
    return 0;
  }
  *sig = (uint32_t) v;
  return 1;
}

static int
disk_arg (PyObject *o, int none_ok, const mountdb_disk **out)
{
  if (o == Py_None && none_ok) {
    *out = NULL;
    return 0;
  }
  if (!PyObject_TypeCheck (o, &DiskType)) {
    PyErr_Format (PyExc_TypeError, "a mountdb.Disk%s, not %.80s",
                  none_ok ? " or None" : "", Py_TYPE (o)->tp_name);
    return -1;
  }
  if ((*out = ((Disk *) o)->disk) == NULL) {
    raise_closed ("disk");
    return -1;
  }
  return 0;
}

/* Derive the table of db from to (and from_ or a signature): the rows,
 * copied, in *rows; the library's verdict in the return value (0, or a
 * negative code with err and the rows of that verdict). */
static int
derive_rows (const mountdb *db, PyObject *args, PyObject *kw, PyObject **rows,
             mountdb_error *err)
{
  static char *kwlist[] = { "to", "from_", "signature", NULL };
  PyObject *to, *from = Py_None, *sigo = Py_None;
  const mountdb_disk *dto, *dfrom;
  uint32_t sig = 0;
  *rows = NULL;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "O|O$O", kwlist, &to, &from,
                                    &sigo)
      || disk_arg (to, 0, &dto) < 0 || disk_arg (from, 1, &dfrom) < 0
      || !signature_conv (sigo, &sig))
    return 1;
  if (dfrom && sig) {
    PyErr_SetString (PyExc_ValueError, "from_ and signature both name the "
                     "old disk: give one");
    return 1;
  }
  mountdb_remap_table *t = NULL;
  int rc = mountdb_remap_derive (db, dto, dfrom, sig, &t, err);
  if (t)
    *rows = tuple_of (mountdb_remap_row_count (t), remap_row_item, t);
  mountdb_remap_table_free (t);
  if (t && *rows == NULL)
    return 1;
  return rc;
}

/* NoMatch / Ambiguous with the rows of the refused table as .rows. */
static PyObject *
raise_with_rows (int rc, const mountdb_error *err, const char *path,
                 PyObject *rows)
{
  raise_err (rc, err, path);
  PyObject *type, *val, *tb;
  PyErr_Fetch (&type, &val, &tb);
  PyErr_NormalizeException (&type, &val, &tb);
  if (val && PyObject_SetAttrString (val, "rows", rows ? rows : Py_None) < 0) {
    Py_XDECREF (type);
    Py_XDECREF (val);
    Py_XDECREF (tb);
    return NULL;
  }
  PyErr_Restore (type, val, tb);
  return NULL;
}

const char remap_derive_doc[] =
"remap_derive(to, from_=None, *, signature=None) -> tuple\n\n"
"The old->new ID table `mountdb remap --to-disk` derives (W1), as a tuple\n"
"of RemapRow(old_id, new_id, partition, candidates, unchanged, why).\n"
"to is the disk as it is now (mountdb.Disk).  Without from_: the hive's\n"
"MBR volumes, grouped by disk signature, map to to's partitions at the\n"
"same start offset (a clone, a new signature, MBR->GPT in place); the\n"
"one group that maps whole is used (signature: that disk's group only,\n"
"an int or hex digits).  With from_ (the old layout, a Disk): partition\n"
"number and filesystem serial decide.  An empty tuple: the hive names\n"
"to's volumes already.  A volume with no or several candidates raises\n"
"NoMatch or Ambiguous, with the whole table as .rows (never to apply).\n"
"The rows are copies: they outlive the hive and disks.";

PyObject *
hive_remap_derive (Hive *h, PyObject *args, PyObject *kw)
{
  HIVE_DB (h);
  PyObject *rows;
  mountdb_error err;
  int rc = derive_rows (db, args, kw, &rows, &err);
  if (rc == 1)
    return NULL;
  if (rc < 0) {
    raise_with_rows (rc, &err, mountdb_path (db), rows);
    Py_XDECREF (rows);
    return NULL;
  }
  return rows;
}

const char remap_disk_doc[] =
"remap_disk(to, from_=None, *, signature=None) -> tuple\n\n"
"What `mountdb remap HIVE --to-disk TO [--from-disk FROM]\n"
"[--disk-signature SIG]` does: derive the table (hive.remap_derive, from\n"
"the hive as opened) and remap every row whose ID changes (W1), so\n"
"write() then gives the CLI's bytes.  Returns the rows.  A refused table\n"
"raises NoMatch or Ambiguous (.rows) and changes nothing; so does a row\n"
"the transaction refuses (earlier rows are undone).";

PyObject *
txn_remap_disk (Txn *t, PyObject *args, PyObject *kw)
{
  TXN (t);
  PyObject *rows;
  int rc = derive_rows (t->hive->db, args, kw, &rows, &err);
  if (rc == 1)
    return NULL;
  if (rc < 0) {
    raise_with_rows (rc, &err, hpath, rows);
    Py_XDECREF (rows);
    return NULL;
  }
  Py_ssize_t n = PyTuple_GET_SIZE (rows), i;
  for (i = 0; i < n && rc >= 0; i++) {
    PyObject *r = PyTuple_GET_ITEM (rows, i);
    PyObject *o = PyStructSequence_GET_ITEM (r, 0);
    PyObject *w = PyStructSequence_GET_ITEM (r, 1);
    if (PyObject_IsTrue (PyStructSequence_GET_ITEM (r, 4)))
      continue;
    rc = mountdb_txn_remap (t->txn, (const uint8_t *) PyBytes_AS_STRING (o),
                            (size_t) PyBytes_GET_SIZE (o),
                            (const uint8_t *) PyBytes_AS_STRING (w),
                            (size_t) PyBytes_GET_SIZE (w), &err);
  }
  if (rc >= 0)
    return rows;
  /* Whole or nothing: the rows before the refused one back (remap refuses
   * an ID another volume holds, so new -> old restores them exactly). */
  mountdb_error ignored;
  for (Py_ssize_t k = i - 2; k >= 0; k--) {
    PyObject *r = PyTuple_GET_ITEM (rows, k);
    PyObject *o = PyStructSequence_GET_ITEM (r, 0);
    PyObject *w = PyStructSequence_GET_ITEM (r, 1);
    if (!PyObject_IsTrue (PyStructSequence_GET_ITEM (r, 4)))
      mountdb_txn_remap (t->txn, (const uint8_t *) PyBytes_AS_STRING (w),
                         (size_t) PyBytes_GET_SIZE (w),
                         (const uint8_t *) PyBytes_AS_STRING (o),
                         (size_t) PyBytes_GET_SIZE (o), &ignored);
  }
  raise_with_rows (rc, &err, hpath, rows);
  Py_DECREF (rows);
  return NULL;
}

int
disks_init (PyObject *m)
{
  if (init_holder (m, &CorrType, "mountdb.Correlation",
                   "Where each volume of a hive is on a set of disks "
                   "(hive.correlate()).  Keeps the hive and disks alive.",
                   corr_getset, NULL, NULL) < 0)
    return -1;
  return init_type (m, &DiskType, "mountdb.Disk",
                    "A disk or raw image read with libblkid (open_disk()).  A "
                    "context manager; holds no file descriptor.",
                    sizeof (Disk), 0, (destructor) disk_dealloc, disk_getset,
                    disk_methods, NULL);
}
