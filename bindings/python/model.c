/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The hive's model: Entry (one value), Volume (the names sharing one
 * unique ID), UniqueId (a decoded ID, copied) and Finding (copied). */
#include <string.h>
#include <stdio.h>
#include "_mountdb.h"

PyTypeObject EntryType, VolumeType, UidType;

/* ---- Entry and Volume: pointers into the hive, checked open before use ---- */

static int
child_traverse (PyObject *o, visitproc visit, void *arg)
{
  Py_VISIT (((Child *) o)->hive);
  return 0;
}

static int
child_clear (PyObject *o)
{
  Py_CLEAR (((Child *) o)->hive);
  return 0;
}

static void
child_dealloc (PyObject *o)
{
  PyObject_GC_UnTrack (o);
  child_clear (o);
  Py_TYPE (o)->tp_free (o);
}

/* A new Entry or Volume of hive h: p points into h's handle. */
PyObject *
child_new (PyTypeObject *t, Hive *h, const void *p, size_t i)
{
  Child *c = PyObject_GC_New (Child, t);
  if (c == NULL)
    return NULL;
  c->hive = (Hive *) Py_NewRef ((PyObject *) h);
  c->p = p;
  c->index = i;
  PyObject_GC_Track (c);
  return (PyObject *) c;
}

/* The child's pointer, or NULL with Closed raised. */
static const void *
child_p (Child *o)
{
  if (o->hive == NULL || !hive_open_p (o->hive))
    return NULL;
  return o->p;
}

static PyObject *
child_get_hive (Child *o, void *c)
{
  return Py_NewRef (o->hive ? (PyObject *) o->hive : Py_None);
}

#define DOS_LETTER_UNITS 14 /* "\DosDevices\X:" */

/* The folder of a mount point's name (after "\DosDevices\X:"). */
static PyObject *
mount_path (const mountdb_entry *e)
{
  size_t n;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n);
  if (n < DOS_LETTER_UNITS)
    return PyUnicode_FromString ("");
  return utf16_str (u + DOS_LETTER_UNITS, n - DOS_LETTER_UNITS);
}

static PyObject *
entry_name (const mountdb_entry *e)
{
  size_t n;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n);
  return utf16_str (u, n);
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
    node, kind, PyBool_FromLong (gi->mbr_derived), sig,
  };
  return seq_make (&GuidInfoType, 6, v);
}


enum entry_attr {
  EA_INDEX, EA_NAME, EA_CLASS, EA_FLAGS, EA_VARIANT_OF, EA_LETTER,
  EA_MOUNT_POINT, EA_GUID, EA_GUID_INFO, EA_TYPE, EA_TYPE_CODE, EA_LENGTH,
  EA_DATA, EA_UNIQUE_ID, EA_VOLUME, EA_ERROR,
};

static PyObject *
entry_attr (Entry *o, void *c)
{
  const mountdb_entry *e = child_p (o);
  if (e == NULL)
    return NULL;
  int cls = mountdb_entry_class (e);
  char l = mountdb_entry_letter (e);
  int readable = mountdb_entry_error (e) == 0;
  size_t n = 0;
  const uint8_t *d = mountdb_entry_data (e, &n);
  uint32_t t = mountdb_entry_type (e);
  switch (WHICH (c)) {
  case EA_INDEX:
    return PyLong_FromSize_t (o->index);
  case EA_NAME:
    /* From the exact units: unpaired surrogates stay visible. */
    return entry_name (e);
  case EA_CLASS:
    return PyUnicode_FromString (mountdb_class_name (cls));
  case EA_FLAGS:
    return flag_names (mountdb_entry_name_flags (e), mountdb_name_flag_name);
  case EA_VARIANT_OF:
    if (!(mountdb_entry_name_flags (e) & MOUNTDB_NAME_CASE_VARIANT))
      Py_RETURN_NONE;
    return PyUnicode_FromString (
      mountdb_class_name (mountdb_entry_variant_of (e)));
  case EA_LETTER:
    if (cls != MOUNTDB_CLASS_DRIVE_LETTER || l == 0)
      Py_RETURN_NONE;
    return PyUnicode_FromStringAndSize (&l, 1);
  case EA_MOUNT_POINT: {
    size_t n16;
    mountdb_entry_name_utf16 (e, &n16);
    if (cls != MOUNTDB_CLASS_MOUNT_POINT || l == 0 || n16 <= DOS_LETTER_UNITS)
      Py_RETURN_NONE;
    PyObject *v[2] = { PyUnicode_FromStringAndSize (&l, 1), mount_path (e) };
    return seq_make (&MountPointType, 2, v);
  }
  case EA_GUID:
    return uuid_from_text (mountdb_entry_guid (e));
  case EA_GUID_INFO: {
    const mountdb_guid_info *gi = mountdb_entry_guid_info (e);
    if (mountdb_entry_guid (e) == NULL || gi == NULL)
      Py_RETURN_NONE;
    return guid_info_obj (gi);
  }
  case EA_TYPE: {
    const char *tn = mountdb_type_name (t);
    if (tn == NULL || strncmp (tn, "REG_0x", 6) == 0
        || strcmp (tn, "REG_UNKNOWN") == 0)  /* as the JSON: the number kept */
      return PyUnicode_FromFormat ("REG_0x%x", (unsigned) t);
    return PyUnicode_FromString (tn);
  }
  case EA_TYPE_CODE:
    return PyLong_FromUnsignedLong (t);
  case EA_LENGTH:
    return readable ? PyLong_FromSize_t (n) : Py_NewRef (Py_None);
  case EA_DATA:
    return readable ? bytes_or_none (d ? d : (const uint8_t *) "", n)
                    : Py_NewRef (Py_None);
  case EA_UNIQUE_ID: {
    const mountdb_uid *uid = mountdb_entry_uid (e);
    if (!readable || t != MOUNTDB_REG_BINARY || uid == NULL)
      Py_RETURN_NONE;
    return uid_obj (uid, d, n);
  }
  case EA_VOLUME: {
    size_t v = mountdb_entry_volume (e);
    return v == (size_t) -1 ? Py_NewRef (Py_None) : PyLong_FromSize_t (v);
  }
  case EA_ERROR:
    return readable ? Py_NewRef (Py_None)
                    : PyUnicode_FromString (
                        mountdb_strerror (mountdb_entry_error (e)));
  }
  PyErr_SetString (PyExc_SystemError, "unknown Entry attribute");
  return NULL;
}

static PyObject *
entry_repr (Entry *o)
{
  if (o->hive == NULL || o->hive->db == NULL)
    return PyUnicode_FromFormat ("<mountdb.Entry %zu (hive closed)>", o->index);
  PyObject *n = entry_name (o->p);
  if (n == NULL)
    return NULL;
  PyObject *r = PyUnicode_FromFormat (
    "<mountdb.Entry %zu %R %s>", o->index, n,
    mountdb_class_name (mountdb_entry_class (o->p)));
  Py_DECREF (n);
  return r;
}

static PyGetSetDef entry_getset[] = {
  ATTR ("index", entry_attr, EA_INDEX, "position in value order"),
  ATTR ("name", entry_attr, EA_NAME,
    "the value name, exact (unpaired surrogates kept); untrusted"),
  ATTR ("class_", entry_attr, EA_CLASS,
    "'drive_letter', 'volume_guid', 'no_letter', 'mount_point', 'other' "
    "(JSON 'class'; getattr(entry, 'class') works too)"),
  ATTR ("class", entry_attr, EA_CLASS, "same as class_"),
  ATTR ("flags", entry_attr, EA_FLAGS,
    "name flags: 'case_variant', 'bad_utf16', 'control', ..."),
  ATTR ("variant_of", entry_attr, EA_VARIANT_OF,
    "for a case variant: the class ignoring case, else None"),
  ATTR ("letter", entry_attr, EA_LETTER,
    "a drive letter's letter ('C'), else None"),
  ATTR ("mount_point", entry_attr, EA_MOUNT_POINT,
    "MountPoint(letter, path) of a folder mount point, else None"),
  ATTR ("guid", entry_attr, EA_GUID,
    "the GUID in a volume GUID name or no-letter marker (uuid.UUID), else "
    "None"),
  ATTR ("guid_info", entry_attr, EA_GUID_INFO,
    "GuidInfo for that GUID (version 1: timestamp, node), else None"),
  ATTR ("type", entry_attr, EA_TYPE, "'REG_BINARY', ..."),
  ATTR ("type_code", entry_attr, EA_TYPE_CODE, "the numeric registry type"),
  ATTR ("length", entry_attr, EA_LENGTH,
    "data length, None when unreadable"),
  ATTR ("data", entry_attr, EA_DATA,
    "the value data (bytes; JSON has it in hex), None when unreadable"),
  ATTR ("unique_id", entry_attr, EA_UNIQUE_ID,
    "UniqueId decoded from REG_BINARY data, else None"),
  ATTR ("volume", entry_attr, EA_VOLUME,
    "index into hive.volumes, None when the mount manager ignores it"),
  ATTR ("error", entry_attr, EA_ERROR,
    "why the data could not be read, else None"),
  { "hive", (getter) child_get_hive, NULL, "the Hive it belongs to", NULL },
  { NULL } };

/* ---- UniqueId: a decoded unique ID, copied (outlives the hive) ---------------- */

typedef struct {
  PyObject_HEAD
  PyObject *shape, *summary, *fields, *data;
} Uid;

PyObject *
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
                  : kind == MOUNTDB_FIELD_BOOL ? PyBool_FromLong (num != 0)
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

/* The names of one class, as the JSON lists them. */
static PyObject *
volume_name (const mountdb_entry *e, int cls)
{
  char let[2] = { mountdb_entry_letter (e), 0 };
  switch (cls) {
  case MOUNTDB_CLASS_DRIVE_LETTER:
    return PyUnicode_FromString (let);
  case MOUNTDB_CLASS_VOLUME_GUID:
  case MOUNTDB_CLASS_NO_LETTER:
    return uuid_from_text (mountdb_entry_guid (e));
  case MOUNTDB_CLASS_MOUNT_POINT: {
    PyObject *p = mount_path (e);
    PyObject *x = p ? PyUnicode_FromFormat ("%s:%U", let, p) : NULL;
    Py_XDECREF (p);
    return x;
  }
  default:
    return entry_name (e);
  }
}

static PyObject *
volume_names (const mountdb_volume *v, int cls)
{
  size_t n = mountdb_volume_entry_count (v);
  PyObject *l = PyList_New (0);
  for (size_t i = 0; l && i < n; i++) {
    const mountdb_entry *e = mountdb_volume_entry_get (v, i);
    if (mountdb_entry_class (e) != cls)
      continue;
    PyObject *x = volume_name (e, cls);
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

/* As show's JSON: Windows 10 derives it only for an MBR volume that has
 * no stored volume GUID name (V8). */
static PyObject *
derived_guid (const mountdb *db, const mountdb_volume *v)
{
  char g[37];
  if (mountdb_windows_version (db) != MOUNTDB_WINVER_10)
    Py_RETURN_NONE;
  for (size_t i = 0; i < mountdb_volume_entry_count (v); i++)
    if (mountdb_entry_class (mountdb_volume_entry_get (v, i))
        == MOUNTDB_CLASS_VOLUME_GUID)
      Py_RETURN_NONE;
  if (!mountdb_volume_derived_guid (v, g))
    Py_RETURN_NONE;
  return uuid_from_text (g);
}

/* Its Entry objects: those of hive.entries, shared. */
static PyObject *
volume_entries (Volume *o, const mountdb_volume *v)
{
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

enum volume_attr {
  VA_INDEX, VA_UNIQUE_ID, VA_DATA, VA_LENGTH, VA_DERIVED, VA_ENTRIES,
  /* the names of one class: VA_NAMES + MOUNTDB_CLASS_* */
  VA_NAMES,
};

static PyObject *
volume_attr (Volume *o, void *c)
{
  const mountdb_volume *v = child_p (o);
  if (v == NULL)
    return NULL;
  size_t n;
  const uint8_t *d = mountdb_volume_data (v, &n);
  int which = WHICH (c);
  switch (which) {
  case VA_INDEX:
    return PyLong_FromSize_t (o->index);
  case VA_UNIQUE_ID:
    return uid_obj (mountdb_volume_uid (v), d, n);
  case VA_DATA:
    return PyBytes_FromStringAndSize ((const char *) d, (Py_ssize_t) n);
  case VA_LENGTH:
    return PyLong_FromSize_t (n);
  case VA_DERIVED:
    return derived_guid (o->hive->db, v);
  case VA_ENTRIES:
    return volume_entries (o, v);
  }
  return volume_names (v, which - VA_NAMES);
}

static PyObject *
volume_repr (Volume *o)
{
  if (o->hive == NULL || o->hive->db == NULL)
    return PyUnicode_FromFormat ("<mountdb.Volume %zu (hive closed)>",
                                 o->index);
  const char *s = mountdb_uid_summary (mountdb_volume_uid (o->p));
  PyObject *sum = str_or_none (s ? s : "");
  PyObject *l = volume_names (o->p, MOUNTDB_CLASS_DRIVE_LETTER);
  PyObject *r = sum && l ? PyUnicode_FromFormat ("<mountdb.Volume %zu %R "
                                                 "letters=%R>", o->index,
                                                 sum, l) : NULL;
  Py_XDECREF (sum);
  Py_XDECREF (l);
  return r;
}

static PyGetSetDef volume_getset[] = {
  ATTR ("index", volume_attr, VA_INDEX, "position in hive.volumes"),
  ATTR ("unique_id", volume_attr, VA_UNIQUE_ID,
    "the decoded unique ID (UniqueId)"),
  ATTR ("data", volume_attr, VA_DATA, "the unique ID's bytes"),
  ATTR ("length", volume_attr, VA_LENGTH, "len(data)"),
  ATTR ("drive_letters", volume_attr, VA_NAMES + MOUNTDB_CLASS_DRIVE_LETTER,
    "letters, e.g. ('C',)"),
  ATTR ("volume_guids", volume_attr, VA_NAMES + MOUNTDB_CLASS_VOLUME_GUID,
    "volume GUID names (uuid.UUID)"),
  ATTR ("derived_volume_guid", volume_attr, VA_DERIVED,
    "the GUID Windows 10 derives for an MBR volume without one (V8), or "
    "None"),
  ATTR ("no_letter_markers", volume_attr, VA_NAMES + MOUNTDB_CLASS_NO_LETTER,
    "#{GUID} no-letter markers (uuid.UUID)"),
  ATTR ("mount_points", volume_attr, VA_NAMES + MOUNTDB_CLASS_MOUNT_POINT,
    "folder mount points as 'C:\\\\path'"),
  ATTR ("other_names", volume_attr, VA_NAMES + MOUNTDB_CLASS_OTHER,
    "names of no known form"),
  ATTR ("entries", volume_attr, VA_ENTRIES,
    "all its Entry objects, in value order"),
  { NULL } };

/* ---- findings ---------------------------------------------------------------- */

PyObject *
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
    PyObject *n = entry_name (e);
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

int
model_init (PyObject *m)
{
  EntryType.tp_traverse = child_traverse;
  EntryType.tp_clear = child_clear;
  VolumeType.tp_traverse = child_traverse;
  VolumeType.tp_clear = child_clear;
  UidType.tp_getattro = (getattrofunc) uid_getattro;
  UidType.tp_members = uid_members;
  if (init_type (m, &EntryType, "mountdb.Entry",
                 "One value of MountedDevices (attributes as in the JSON "
                 "schema's entries[]).  Keeps its Hive alive; raises Closed "
                 "after hive.close().", sizeof (Entry), Py_TPFLAGS_HAVE_GC,
                 child_dealloc, entry_getset, NULL, (reprfunc) entry_repr) < 0
      || init_type (m, &VolumeType, "mountdb.Volume",
                 "The names that share one REG_BINARY unique ID (the JSON "
                 "schema's volumes[]).  Keeps its Hive alive; raises Closed "
                 "after hive.close().", sizeof (Volume), Py_TPFLAGS_HAVE_GC,
                 child_dealloc, volume_getset, NULL,
                 (reprfunc) volume_repr) < 0)
    return -1;
  return init_type (m, &UidType, "mountdb.UniqueId",
                    "A decoded unique ID: shape, summary, and the shape's "
                    "fields (named as in the JSON schema) as attributes and "
                    "in .fields.", sizeof (Uid), 0, (destructor) uid_dealloc,
                    NULL, uid_methods, (reprfunc) uid_repr);
}
