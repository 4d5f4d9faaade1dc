/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mountdb.devices(): the storage device history of one machine, the
 * library's join (mountdb_devices_build) of a SYSTEM hive with its users'
 * NTUSER.DAT and SOFTWARE.  Attributes are named as `mountdb devices
 * --format=json` names them (mountdb(1), DEVICES).  The Devices object
 * points into its hives: it keeps them alive and raises Closed once one
 * is closed; the records it gives out are copies. */
#include <string.h>
#include "_mountdb.h"

typedef Holder Devices;          /* hives (tuple of Hive), d */

static PyTypeObject DevicesType;

static void
devices_free (void *d)
{
  mountdb_devices_free (d);
}

/* The join, or NULL with Closed when one of its hives is closed. */
static const mountdb_devices *
devices_p (Devices *o)
{
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE (o->hives); i++)
    if (!hive_open_p ((Hive *) PyTuple_GET_ITEM (o->hives, i)))
      return NULL;
  return o->d;
}

static PyObject *
source_obj (size_t hive, const char *key, const char *value)
{
  PyObject *v[3] = { PyLong_FromSize_t (hive), str_or_none (key),
                     str_or_none (value) };
  return seq_make (&SourceType, 3, v);
}

static PyObject *
fact_value (const mountdb_fact *f)
{
  switch (f->kind) {
  case MOUNTDB_FACT_STRING:
    return str_or_none (f->str ? f->str : "");
  case MOUNTDB_FACT_BOOL:
    return PyBool_FromLong (f->num != 0);
  case MOUNTDB_FACT_TIME:
    return filetime_to_datetime (f->num);
  default:
    return PyLong_FromUnsignedLongLong (f->num);
  }
}

static PyObject *
fact_obj (const mountdb_fact *f)
{
  const char *kind = mountdb_fact_kind_name (f->kind);
  PyObject *v[5] = {
    str_or_none (f->field), PyUnicode_FromString (kind ? kind : "unknown"),
    fact_value (f), source_obj (f->hive, f->key, f->value),
    str_or_none (f->meaning ? f->meaning : ""),
  };
  return seq_make (&FactType, 5, v);
}

/* ctx of the item makers below: the join and its Devices object. */
struct dctx {
  Devices *o;
  const mountdb_device *dev;
};

static PyObject *
fact_item (const void *ctx, size_t i)
{
  return fact_obj (mountdb_device_fact_get (((const struct dctx *) ctx)->dev,
                                            i));
}

/* The index of volume v in the SYSTEM hive's volume list. */
static size_t
volume_index (const mountdb *db, const mountdb_volume *v)
{
  size_t n = mountdb_volume_count (db);
  for (size_t i = 0; i < n; i++)
    if (mountdb_volume_get (db, i) == v)
      return i;
  return n;
}

static PyObject *
device_volume_obj (Devices *o, const mountdb_volume *v, const char *match)
{
  Hive *sys = (Hive *) PyTuple_GET_ITEM (o->hives, 0);
  PyObject *vol = hive_volume (sys, volume_index (sys->db, v));
  const char *s = mountdb_uid_summary (mountdb_volume_uid (v));
  PyObject *vals[4] = {
    str_or_none (match), str_or_none (s ? s : ""), vol,
    vol ? PyObject_GetAttrString (vol, "entries") : NULL,
  };
  return seq_make (&DeviceVolumeType, 4, vals);
}

static PyObject *
device_volume_item (const void *ctx, size_t i)
{
  const struct dctx *c = ctx;
  return device_volume_obj (
    c->o, mountdb_device_volume_get (c->dev, i),
    mountdb_device_match_name (mountdb_device_volume_match (c->dev, i)));
}

static PyObject *
user_mount_obj (const mountdb_devices *d, const mountdb_user_mount *m)
{
  const mountdb_fact *u = mountdb_devices_hive_user (d, m->hive);
  char l[2] = { m->letter, 0 };
  PyObject *dev = Py_NewRef (Py_None);
  for (size_t i = 0; m->device && i < mountdb_device_count (d); i++)
    if (mountdb_device_get (d, i) == m->device)
      Py_SETREF (dev, PyLong_FromSize_t (i));
  PyObject *v[9] = {
    PyLong_FromSize_t (m->hive),
    u && u->str ? str_or_none (u->str) : Py_NewRef (Py_None),
    str_or_none (m->name ? m->name : ""), str_or_none (m->guid),
    m->letter ? PyUnicode_FromString (l) : Py_NewRef (Py_None),
    PyBool_FromLong (m->by_letter), filetime_to_datetime (m->last_written),
    source_obj (m->hive, m->key, NULL), dev,
  };
  return seq_make (&UserMountType, 9, v);
}

static PyObject *
device_mount_item (const void *ctx, size_t i)
{
  const struct dctx *c = ctx;
  return user_mount_obj (c->o->d, mountdb_device_user_mount_get (c->dev, i));
}

static PyObject *
device_item (const void *ctx, size_t i)
{
  Devices *o = (Devices *) ctx;
  struct dctx c = { o, mountdb_device_get (o->d, i) };
  PyObject *v[4] = {
    PyLong_FromSize_t (i),
    tuple_of (mountdb_device_fact_count (c.dev), fact_item, &c),
    tuple_of (mountdb_device_volume_count (c.dev), device_volume_item, &c),
    tuple_of (mountdb_device_user_mount_count (c.dev), device_mount_item, &c),
  };
  return seq_make (&DeviceType, 4, v);
}

static PyObject *
hive_user_obj (const mountdb_fact *u)
{
  if (u == NULL || u->str == NULL)
    Py_RETURN_NONE;
  PyObject *v[2] = { str_or_none (u->str),
                     source_obj (u->hive, u->key, u->value) };
  return seq_make (&HiveUserType, 2, v);
}

static PyObject *
device_hive_item (const void *ctx, size_t i)
{
  Devices *o = (Devices *) ctx;
  PyObject *h = PyTuple_GET_ITEM (o->hives, (Py_ssize_t) i);
  const mountdb *db = ((Hive *) h)->db;
  const mountdb_header *hd = mountdb_file_header (db);
  /* The hive's own Logs record (or None), as the JSON gives show's logs
   * object for each hive of the join. */
  PyObject *logs = PyObject_GetAttrString (h, "logs");
  PyObject *v[13] = {
    PyLong_FromSize_t (i),
    PyUnicode_FromString (
      mountdb_hive_role_name (mountdb_devices_hive_role (o->d, i))),
    Py_NewRef (h), str_or_none (mountdb_path (db)),
    PyLong_FromUnsignedLongLong (mountdb_file_size (db)),
    str_or_none (mountdb_sha256 (db)),
    PyUnicode_FromString (mountdb_hive_kind_name (mountdb_hive_kind (db))),
    PyBool_FromLong (hd->dirty), PyBool_FromLong (mountdb_logs_applied (db)),
    PyBool_FromLong ((mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE) != 0),
    filetime_to_datetime (hd->last_written), logs,
    hive_user_obj (mountdb_devices_hive_user (o->d, i)),
  };
  return seq_make (&DeviceHiveType, 13, v);
}

static PyObject *
unmatched_volume_item (const void *ctx, size_t i)
{
  Devices *o = (Devices *) ctx;
  return device_volume_obj (o, mountdb_devices_unmatched_volume_get (o->d, i),
                            NULL);
}

static PyObject *
user_mount_item (const void *ctx, size_t i)
{
  Devices *o = (Devices *) ctx;
  return user_mount_obj (o->d, mountdb_user_mount_get (o->d, i));
}

enum devices_attr {
  DV_CONTROL_SET, DV_HIVES, DV_DEVICES, DV_UNMATCHED_VOLUMES,
  DV_USER_MOUNTS, DV_UNMATCHED_USER_MOUNTS,
};

static PyObject *
devices_attr (Devices *o, void *c)
{
  const mountdb_devices *d = devices_p (o);
  if (d == NULL)
    return NULL;
  switch (WHICH (c)) {
  case DV_CONTROL_SET:
    return PyLong_FromUnsignedLong (mountdb_devices_control_set (d));
  case DV_HIVES:
    return tuple_of (mountdb_devices_hive_count (d), device_hive_item, o);
  case DV_DEVICES:
    return tuple_of (mountdb_device_count (d), device_item, o);
  case DV_UNMATCHED_VOLUMES:
    return tuple_of (mountdb_devices_unmatched_volume_count (d),
                     unmatched_volume_item, o);
  case DV_USER_MOUNTS:
    return tuple_of (mountdb_user_mount_count (d), user_mount_item, o);
  case DV_UNMATCHED_USER_MOUNTS: {
    PyObject *all = tuple_of (mountdb_user_mount_count (d), user_mount_item,
                              o);
    PyObject *l = all ? PyList_New (0) : NULL;
    for (Py_ssize_t i = 0; l && i < PyTuple_GET_SIZE (all); i++) {
      PyObject *m = PyTuple_GET_ITEM (all, i);
      if (PyStructSequence_GET_ITEM (m, 8) == Py_None
          && PyList_Append (l, m) < 0)
        Py_CLEAR (l);
    }
    Py_XDECREF (all);
    PyObject *t = l ? PyList_AsTuple (l) : NULL;
    Py_XDECREF (l);
    return t;
  }
  }
  PyErr_SetString (PyExc_SystemError, "unknown Devices attribute");
  return NULL;
}

static PyObject *
devices_repr (Devices *o)
{
  if (devices_p (o) == NULL) {
    PyErr_Clear ();
    return PyUnicode_FromString ("<mountdb.Devices (a hive is closed)>");
  }
  return PyUnicode_FromFormat ("<mountdb.Devices %zu devices, %zu hives>",
                               mountdb_device_count (o->d),
                               mountdb_devices_hive_count (o->d));
}

static PyGetSetDef devices_getset[] = {
  ATTR ("control_set", devices_attr, DV_CONTROL_SET,
    "the N of the ControlSet00N whose keys were read (0: none)"),
  ATTR ("hives", devices_attr, DV_HIVES,
    "the hives of the join: DeviceHive (index, role, hive, path, ...)"),
  ATTR ("devices", devices_attr, DV_DEVICES,
    "one Device (index, facts, volumes, users) per storage device"),
  ATTR ("unmatched_volumes", devices_attr, DV_UNMATCHED_VOLUMES,
    "the SYSTEM hive's volumes no device holds (DeviceVolume)"),
  ATTR ("user_mounts", devices_attr, DV_USER_MOUNTS,
    "every MountPoints2 subkey of every user hive (UserMount)"),
  ATTR ("unmatched_user_mounts", devices_attr, DV_UNMATCHED_USER_MOUNTS,
    "those naming no device's volume"),
  { NULL } };

/* The devices document from the library's one writer
 * (mountdb_devices_json_write), the bytes `mountdb devices --format=json`
 * prints.  The GIL is held throughout: the join is in memory, and a
 * hive is freed by close() only with the GIL held. */
static const char devices_json_doc[] =
"_json(*, compact=False) -> bytes\n\n"
"The document `mountdb devices --format=json` prints for this join,\n"
"byte for byte (compact: the one line of --format=jsonl), without the\n"
"final newline.  to_dict() is json.loads of it.";

static PyObject *
devices_json (Devices *o, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "compact", NULL };
  int compact = 0;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "|$p", kwlist, &compact))
    return NULL;
  const mountdb_devices *d = devices_p (o);
  if (d == NULL)
    return NULL;
  mountdb_json_opts opts;
  mountdb_json_opts_init (&opts);
  opts.flags = compact ? MOUNTDB_JSON_COMPACT : 0;
  struct jbuf b = { NULL, 0, 0 };
  mountdb_error err;
  memset (&err, 0, sizeof err);
  int r = mountdb_devices_json_write (d, &opts, jbuf_sink, &b, &err);
  PyObject *out = r < 0 ? raise_err (r, &err, NULL)
    : PyBytes_FromStringAndSize (b.p ? b.p : "", (Py_ssize_t) b.len);
  free (b.p);
  return out;
}

static const char devices_to_dict_doc[] =
"to_dict() -> dict\n\n"
"The document `mountdb devices --format=json` prints for the same hives\n"
"(mountdb(1), DEVICES), as Python objects: equal to json.loads of the\n"
"CLI's output.";

static PyObject *
devices_to_dict (Devices *o, PyObject *noargs)
{
  PyObject *none = PyTuple_New (0);
  PyObject *doc = none ? devices_json (o, none, NULL) : NULL;
  Py_XDECREF (none);
  return json_loads (doc);
}

static PyMethodDef devices_methods[] = {
  { "_json", (PyCFunction) (void (*) (void)) devices_json,
    METH_VARARGS | METH_KEYWORDS, devices_json_doc },
  { "to_dict", (PyCFunction) devices_to_dict, METH_NOARGS,
    devices_to_dict_doc },
  { NULL } };

/* A Hive argument, or a path opened with devices=True (a new Hive). */
static PyObject *
hive_arg (PyObject *mod, PyObject *o, const char *what)
{
  if (PyObject_TypeCheck (o, &HiveType)) {
    if (!hive_open_p ((Hive *) o))
      return NULL;
    return Py_NewRef (o);
  }
  if (!PyUnicode_Check (o) && !PyBytes_Check (o) && !PyObject_HasAttrString (o, "__fspath__")) {
    PyErr_Format (PyExc_TypeError, "%s: a mountdb.Hive or a path, not %.80s",
                  what, Py_TYPE (o)->tp_name);
    return NULL;
  }
  PyObject *args = PyTuple_Pack (1, o);
  PyObject *kw = Py_BuildValue ("{sO}", "devices", Py_True);
  PyObject *h = args && kw ? md_open (mod, args, kw) : NULL;
  Py_XDECREF (args);
  Py_XDECREF (kw);
  return h;
}

const char devices_doc[] =
"devices(system, users=(), software=None) -> Devices\n\n"
"The storage device history of one machine, as `mountdb devices SYSTEM\n"
"--user NTUSER.DAT ... --software SOFTWARE`: every device the SYSTEM\n"
"hive's Enum keys know, with its facts (each with its source hive, key\n"
"and value), its MountedDevices volumes (matched exactly) and the users\n"
"whose MountPoints2 named them.  Each hive is a mountdb.Hive opened with\n"
"devices=True, or a path (then opened so, read-only, with the defaults\n"
"of open()).  A hive of the wrong kind raises Refused; one opened without\n"
"devices=True raises InvalidArgument.  The Devices object keeps its hives\n"
"alive and raises Closed once one is closed.  Attribute names are those\n"
"of the JSON document (mountdb(1), DEVICES); the device summary line is\n"
"the CLI's, not here.";

PyObject *
md_devices (PyObject *mod, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = { "system", "users", "software", NULL };
  PyObject *sys, *users = NULL, *soft = Py_None;
  if (!PyArg_ParseTupleAndKeywords (args, kw, "O|OO:devices", kwlist, &sys,
                                    &users, &soft))
    return NULL;
  PyObject *fast = users ? seq_arg (users, "users: a sequence of user hives "
                                    "(Hive objects or paths)")
                         : PyTuple_New (0);
  if (fast == NULL)
    return NULL;
  Py_ssize_t nu = PySequence_Fast_GET_SIZE (fast);
  Py_ssize_t nh = 1 + nu + (soft != Py_None);
  PyObject *hives = PyTuple_New (nh);
  const mountdb **dbs = PyMem_Calloc ((size_t) nh, sizeof *dbs);
  PyObject *r = NULL;
  if (hives == NULL || dbs == NULL) {
    if (dbs == NULL)
      PyErr_NoMemory ();
    goto out;
  }
  for (Py_ssize_t i = 0; i < nh; i++) {
    PyObject *o = i == 0 ? sys : i <= nu ? PySequence_Fast_GET_ITEM (fast, i - 1)
                  : soft;
    PyObject *h = hive_arg (mod, o, i == 0 ? "system" : i <= nu ? "users"
                            : "software");
    if (h == NULL)
      goto out;
    PyTuple_SET_ITEM (hives, i, h);
    dbs[i] = ((Hive *) h)->db;
  }
  mountdb_devices *d = NULL;
  mountdb_error err;
  int rc = mountdb_devices_build (dbs[0], dbs + 1, (size_t) nu,
                                  soft != Py_None ? dbs[nh - 1] : NULL, &d,
                                  &err);
  if (rc < 0) {
    raise_err (rc, &err, NULL);
    goto out;
  }
  r = holder_new (&DevicesType, hives, NULL, d, devices_free);
out:
  PyMem_Free (dbs);
  Py_XDECREF (hives);
  Py_DECREF (fast);
  return r;
}

int
devices_init (PyObject *m)
{
  return init_holder (m, &DevicesType, "mountdb.Devices",
                      "The device history of one machine (mountdb.devices()). "
                      " Keeps its hives alive; raises Closed once one is "
                      "closed.", devices_getset, devices_methods,
                      (reprfunc) devices_repr);
}
