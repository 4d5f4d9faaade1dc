/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mountdb._mountdb: what the extension's files share (private).  The
 * extension is written against lib/mountdb.h only, like any user of
 * libmountdb, and split by type as the library is: module.c (init, the
 * exception hierarchy, helpers, record types), hive.c (Hive, its facts,
 * check, to_dict), model.c (entries, volumes, findings, unique IDs),
 * txn.c (transactions, write, replay), disks.c (disks, partitions,
 * correlations, remap tables), devices.c (the device history).
 *
 * Lifetimes: every object that points into a library handle (Entry,
 * Volume, Transaction, Correlation, Devices) holds strong
 * references to the objects owning that memory (Hive, Disk) and checks
 * that they are open before each use, so nothing can reach freed memory
 * after close().  Findings, reports, partitions and IDs are copied into
 * plain Python values when made.
 *
 * Threads: long calls (open, hashing, writing, replaying, plans, disks)
 * run without the GIL.  Each Hive has a read-write lock: calls that run
 * without the GIL read-lock it, check() and close() (which need the
 * handle to themselves, mountdb(3) THREAD SAFETY) write-lock it. */
#ifndef PY_MOUNTDB_H
#define PY_MOUNTDB_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <pthread.h>
#include <stdint.h>
#include "mountdb.h"

/* ---- module state (single-phase init: one interpreter; module.c) -------- */

extern PyObject *Error, *CheckFailed, *Closed;
extern PyObject *uuid_class;     /* uuid.UUID */
extern PyObject *epoch_1601;     /* datetime(1601, 1, 1, tzinfo=utc) */

/* ---- objects ------------------------------------------------------------- */

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

/* Entry and Volume: a pointer into the hive's handle, valid while open. */
typedef struct {
  PyObject_HEAD
  Hive *hive;
  const void *p;       /* const mountdb_entry * / const mountdb_volume * */
  size_t index;
} Child;
typedef Child Entry;
typedef Child Volume;

/* An object holding a library handle that points into other objects
 * (Transaction, Correlation, Devices): it keeps them alive (owner, more)
 * and frees the handle with free (which never touches the owners). */
typedef struct {
  PyObject_HEAD
  union { PyObject *owner; Hive *hive; PyObject *hives; };
  union { PyObject *more; PyObject *disks; };
  union { void *handle; mountdb_txn *txn; mountdb_correlation *corr;
          mountdb_devices *d; };
  void (*free) (void *handle);
} Holder;
typedef Holder Txn;

typedef struct {
  PyObject_HEAD
  mountdb_disk *disk;
  PyObject *partitions;
} Disk;

extern PyTypeObject HiveType, EntryType, VolumeType, UidType, TxnType,
  DiskType;

/* Struct sequences: light records copied out of the library. */
extern PyTypeObject GuidInfoType, MountPointType, FindingType, ChangeType,
  ReportType, LogsType, LogFileType, ControlSetType, KeyType, DiagType,
  PartitionType, RemapRowType, VolumeDiskType, FactType, SourceType,
  UserMountType, DeviceHiveType, HiveUserType, DeviceType, DeviceVolumeType;

/* ---- helpers (module.c) --------------------------------------------------- */

PyObject *str_or_none (const char *s);
PyObject *bytes_or_none (const uint8_t *p, size_t n);
PyObject *utf16_str (const uint16_t *u, size_t n);
PyObject *filetime_to_datetime (uint64_t ft);
int to_filetime (PyObject *o, uint64_t *ft);
PyObject *uuid_from_text (const char *s);
PyObject *raise_err (int rc, const mountdb_error *err, const char *path);
PyObject *raise_closed (const char *what);
int path_conv (PyObject *o, PyObject **out);
int letter_conv (PyObject *o, char *out);
mountdb_spec *spec_from (PyObject *o);
PyObject *seq_make (PyTypeObject *t, int n, PyObject **v);
/* A tuple of n items made by make (ctx, i); NULL with an exception. */
typedef PyObject *(*item_fn) (const void *ctx, size_t i);
PyObject *tuple_of (size_t n, item_fn make, const void *ctx);
/* A tuple of the names of the bits set in flags (names[i] names bit i). */
PyObject *flag_names (unsigned flags, const char *(*name) (unsigned bit));
/* The items of a sequence argument that must not be one str. */
PyObject *seq_arg (PyObject *o, const char *what);
/* A new Holder of type t (GC-tracked; owner and more are new references,
 * more may be NULL); on failure handle is freed. */
PyObject *holder_new (PyTypeObject *t, PyObject *owner, PyObject *more,
                      void *handle, void (*free) (void *));
/* init_type for a Holder type. */
int init_holder (PyObject *m, PyTypeObject *t, const char *name,
                 const char *doc, PyGetSetDef *gs, PyMethodDef *meth,
                 reprfunc repr);
int init_type (PyObject *m, PyTypeObject *t, const char *name,
               const char *doc, size_t size, int flags, destructor dealloc,
               PyGetSetDef *gs, PyMethodDef *meth, reprfunc repr);
/* The getter of an attribute dispatched on its closure: one function per
 * type serves every attribute (gs_closure casts an enum). */
#define ATTR(name, get, which, doc) \
  { name, (getter) (get), NULL, doc, (void *) (uintptr_t) (which) }
#define WHICH(c) ((int) (uintptr_t) (c))

/* ---- hive.c --------------------------------------------------------------- */

int hive_open_p (Hive *h);
void hive_close_now (Hive *h);
PyObject *hive_get_entries (Hive *h, void *c);
int hive_init (PyObject *m);
PyObject *md_open (PyObject *mod, PyObject *args, PyObject *kw);
extern const char open_doc[];
/* A document the library streams to a mountdb_sink, collected: the
 * bindings never write JSON themselves (to_dict() of Hive and Devices). */
struct jbuf {
  char *p;
  size_t len, cap;
};
int jbuf_sink (void *ctx, const char *buf, size_t len);
/* json.loads of a document's bytes (steals doc; NULL passes through). */
PyObject *json_loads (PyObject *doc);
/* Hive h's handle, or NULL with Closed raised. */
#define HIVE_DB(h)                                                            \
  if (!hive_open_p (h))                                                       \
    return NULL;                                                              \
  const mountdb *db = (h)->db

/* Volume i of hive h: the object of hive.volumes (new reference). */
PyObject *hive_volume (Hive *h, size_t i);

/* ---- model.c -------------------------------------------------------------- */

PyObject *finding_obj (const mountdb_finding *f);
PyObject *uid_obj (const mountdb_uid *uid, const uint8_t *data, size_t len);
PyObject *child_new (PyTypeObject *t, Hive *h, const void *p, size_t i);
PyObject *volume_obj (Hive *h, const mountdb_volume *v);
int model_init (PyObject *m);

/* Transaction t's hive path and an error to fill, or NULL with Closed. */
#define TXN(t)                                                                \
  if (t->hive == NULL || !hive_open_p (t->hive))                              \
    return NULL;                                                              \
  const char *hpath = mountdb_path (t->hive->db);                             \
  mountdb_error err;                                                          \
  err.message[0] = '\0'

/* ---- txn.c ---------------------------------------------------------------- */

PyObject *hive_transaction (Hive *h, PyObject *unused);
extern const char transaction_doc[];
PyObject *md_replay (PyObject *mod, PyObject *args, PyObject *kw);
extern const char replay_doc[];
int txn_init (PyObject *m);

/* ---- disks.c -------------------------------------------------------------- */

/* The mountdb.Disk objects of a `disks` argument as the library's array
 * (*fast keeps them alive until the caller drops it): 0, or -1 with an
 * exception.  None or absent: no disks, *fast NULL. */
int disk_vector (PyObject *disks, PyObject **fast, const mountdb_disk ***dv,
                 Py_ssize_t *nd);
PyObject *partition_obj (const mountdb_partition *p);
PyObject *md_open_disk (PyObject *mod, PyObject *args, PyObject *kw);
extern const char open_disk_doc[];
PyObject *hive_correlate (Hive *h, PyObject *args, PyObject *kw);
extern const char correlate_doc[];
PyObject *hive_remap_derive (Hive *h, PyObject *args, PyObject *kw);
extern const char remap_derive_doc[];
PyObject *txn_remap_disk (Txn *t, PyObject *args, PyObject *kw);
extern const char remap_disk_doc[];
int disks_init (PyObject *m);

/* ---- devices.c ------------------------------------------------------------ */

PyObject *md_devices (PyObject *mod, PyObject *args, PyObject *kw);
extern const char devices_doc[];
int devices_init (PyObject *m);

#endif /* PY_MOUNTDB_H */
