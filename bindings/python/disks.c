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

int
disks_init (PyObject *m)
{
  return init_type (m, &DiskType, "mountdb.Disk",
                    "A disk or raw image read with libblkid (open_disk()).  A "
                    "context manager; holds no file descriptor.",
                    sizeof (Disk), 0, (destructor) disk_dealloc, disk_getset,
                    disk_methods, NULL);
}
