/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transactions over the value list: the W rules (section 6).  Every
 * operation works on the in-memory final list (W10) and either applies
 * whole or leaves the list as it was.  New names are canonical (W9), new
 * GUIDs derived from the unique ID (W11); untouched values keep their
 * exact names, types and bytes.  The operations are in edit_ops.c, the
 * change set in edit_changes.c. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "handle.h"
#include "edit.h"

/* ---- values -------------------------------------------------------------------- */

static void
val_free (struct md_val *v)
{
  free (v->name16);
  free (v->data);
}

static int
val_dup (struct md_val *dst, const uint16_t *name, size_t n16, uint32_t type,
         const uint8_t *data, size_t len, long origin)
{
  dst->name16 = malloc ((n16 ? n16 : 1) * sizeof *dst->name16);
  dst->data = malloc (len ? len : 1);
  if (dst->name16 == NULL || dst->data == NULL) {
    free (dst->name16);
    free (dst->data);
    return MOUNTDB_E_NOMEM;
  }
  if (n16)
    memcpy (dst->name16, name, n16 * sizeof *name);
  if (len)
    memcpy (dst->data, data, len);
  dst->n16 = n16;
  dst->type = type;
  dst->len = len;
  dst->origin = origin;
  return 0;
}

int
md_val_holds (const struct md_val *v, const uint8_t *id, size_t len)
{
  return v->type == MOUNTDB_REG_BINARY && v->len == len
         && (len == 0 || memcmp (v->data, id, len) == 0);
}

/* The class of a value's exact name (H8). */
static int
val_class (const struct md_val *v, char *letter)
{
  md_name nm;
  if (md_name_classify (v->name16, v->n16, &nm) < 0)
    return -1;
  int cls = nm.cls;
  if (letter)
    *letter = nm.letter;
  md_name_clear (&nm);
  return cls;
}

static void
ascii16 (const char *s, uint16_t *out, size_t *n)
{
  for (*n = 0; s[*n]; (*n)++)
    out[*n] = (unsigned char) s[*n];
}

/* W9: canonical names. */
void
md_letter_name (char x, uint16_t out[14], size_t *n)
{
  char buf[16];
  snprintf (buf, sizeof buf, "\\DosDevices\\%c:", x);
  ascii16 (buf, out, n);
}

void
md_guid_name (const char *prefix, const uint8_t guid[16], const char *suffix,
           uint16_t out[64], size_t *n)
{
  char g[37], buf[64];
  mountdb_guid_format (guid, g);
  snprintf (buf, sizeof buf, "%s{%s}%s", prefix, g, suffix);
  ascii16 (buf, out, n);
}

/* ---- the transaction as a whole: saved lists make operations atomic --------- */

void
md_txn_invalidate (mountdb_txn *txn)
{
  for (size_t i = 0; i < txn->nchanges; i++)
    free ((void *) txn->changes[i].name);
  free (txn->changes);
  txn->changes = NULL;
  txn->nchanges = 0;
  txn->changes_cap = 0;
  txn->changes_valid = 0;
}

int
md_txn_save (const mountdb_txn *txn, struct md_txn_save *s)
{
  s->vals = malloc ((txn->nvals ? txn->nvals : 1) * sizeof *s->vals);
  if (s->vals == NULL)
    return MOUNTDB_E_NOMEM;
  for (s->nvals = 0; s->nvals < txn->nvals; s->nvals++) {
    const struct md_val *v = &txn->vals[s->nvals];
    if (val_dup (&s->vals[s->nvals], v->name16, v->n16, v->type, v->data,
                 v->len, v->origin) < 0) {
      while (s->nvals > 0)
        val_free (&s->vals[--s->nvals]);
      free (s->vals);
      return MOUNTDB_E_NOMEM;
    }
  }
  s->automount = txn->automount;
  return 0;
}

void
md_txn_save_drop (struct md_txn_save *s)
{
  for (size_t i = 0; i < s->nvals; i++)
    val_free (&s->vals[i]);
  free (s->vals);
  s->vals = NULL;
  s->nvals = 0;
}

void
md_txn_restore (mountdb_txn *txn, struct md_txn_save *s)
{
  for (size_t i = 0; i < txn->nvals; i++)
    val_free (&txn->vals[i]);
  free (txn->vals);
  txn->vals = s->vals;
  txn->nvals = s->nvals;
  txn->vals_cap = s->nvals ? s->nvals : 1; /* md_txn_save's allocation */
  txn->automount = s->automount;
  s->vals = NULL;
  s->nvals = 0;
  md_txn_invalidate (txn);
}

/* Finish an operation: on error put the saved list back. */
int
md_txn_finish (mountdb_txn *txn, struct md_txn_save *s, int rc)
{
  if (rc < 0)
    md_txn_restore (txn, s);
  else {
    md_txn_save_drop (s);
    md_txn_invalidate (txn);
  }
  return rc;
}

int
md_txn_append (mountdb_txn *txn, const uint16_t *name, size_t n16,
        const uint8_t *id, size_t len)
{
  if (md_grow (&txn->vals, &txn->vals_cap, txn->nvals, sizeof *txn->vals) < 0)
    return MOUNTDB_E_NOMEM;
  struct md_val *v = txn->vals;
  int rc = val_dup (&v[txn->nvals], name, n16, MOUNTDB_REG_BINARY, id, len, -1);
  if (rc == 0)
    txn->nvals++;
  return rc;
}

static void
delete_at (mountdb_txn *txn, size_t i)
{
  val_free (&txn->vals[i]);
  memmove (&txn->vals[i], &txn->vals[i + 1],
           (txn->nvals - i - 1) * sizeof *txn->vals);
  txn->nvals--;
}

/* Deleting many values one memmove each is quadratic on 100k-value keys
 * (issue 10 item 8): loops mark them (freed, n16 = SIZE_MAX), then
 * compact once. */
void
md_txn_mark_deleted (mountdb_txn *txn, size_t i)
{
  val_free (&txn->vals[i]);
  txn->vals[i].n16 = SIZE_MAX;
}

void
md_txn_compact (mountdb_txn *txn)
{
  size_t j = 0;
  for (size_t i = 0; i < txn->nvals; i++)
    if (txn->vals[i].n16 != SIZE_MAX)
      txn->vals[j++] = txn->vals[i];
  txn->nvals = j;
}

/* Delete every value of `cls` (any class when cls < 0) holding `id`. */
size_t
md_txn_delete_class (mountdb_txn *txn, const uint8_t *id, size_t len, int cls)
{
  size_t n = 0;
  for (size_t i = txn->nvals; i-- > 0;)
    if (md_val_holds (&txn->vals[i], id, len)
        && (cls < 0 || val_class (&txn->vals[i], NULL) == cls)) {
      md_txn_mark_deleted (txn, i);
      n++;
    }
  md_txn_compact (txn);
  return n;
}

/* The exact \DosDevices\X: value, or MD_SNAP_FAIL. */
size_t
md_txn_find_letter (const mountdb_txn *txn, char x)
{
  uint16_t name[16];
  size_t n;
  md_letter_name (x, name, &n);
  for (size_t i = 0; i < txn->nvals; i++)
    if (txn->vals[i].n16 == n
        && memcmp (txn->vals[i].name16, name, n * sizeof *name) == 0)
      return i;
  return MD_SNAP_FAIL;
}

/* The first drive letter that holds id, or 0. */
char
md_txn_letter_of (const mountdb_txn *txn, const uint8_t *id, size_t len,
           size_t skip)
{
  for (size_t i = 0; i < txn->nvals; i++) {
    char l;
    if (i != skip && md_val_holds (&txn->vals[i], id, len)
        && val_class (&txn->vals[i], &l) == MOUNTDB_CLASS_DRIVE_LETTER)
      return l;
  }
  return 0;
}

int
md_txn_has_id (const mountdb_txn *txn, const uint8_t *id, size_t len)
{
  for (size_t i = 0; i < txn->nvals; i++)
    if (md_val_holds (&txn->vals[i], id, len))
      return 1;
  return 0;
}

int
md_txn_add_marker (mountdb_txn *txn, const uint8_t *id, size_t len)
{
  uint8_t g[16];
  uint16_t name[64];
  size_t n;
  if (md_guid_from_id (id, len, "marker", g) < 0)
    return MOUNTDB_E_CRYPTO;
  md_guid_name ("#", g, "", name, &n);
  return md_txn_append (txn, name, n, id, len);
}

/* Delete the drive-letter value at `at`; with marker, and when its volume
 * keeps no other letter nor a marker, add a #{} marker so Windows does not
 * hand the volume a new letter (W3). */
int
md_txn_drop_letter (mountdb_txn *txn, size_t at, int marker)
{
  uint8_t *oid = txn->vals[at].data;
  size_t olen = txn->vals[at].len;
  int binary = txn->vals[at].type == MOUNTDB_REG_BINARY;
  txn->vals[at].data = NULL;
  delete_at (txn, at);
  int rc = 0;
  if (binary && marker && !md_txn_letter_of (txn, oid, olen, MD_SNAP_FAIL)) {
    int has_marker = 0;
    for (size_t i = 0; i < txn->nvals && !has_marker; i++)
      has_marker = md_val_holds (&txn->vals[i], oid, olen)
                   && val_class (&txn->vals[i], NULL) == MOUNTDB_CLASS_NO_LETTER;
    if (!has_marker)
      rc = md_txn_add_marker (txn, oid, olen);
  }
  free (oid);
  return rc;
}

int
md_valid_letter (char *x, mountdb_error *err)
{
  if (*x >= 'a' && *x <= 'z')
    *x = (char) (*x - 32);
  if (*x >= 'A' && *x <= 'Z')
    return 0;
  return md_error (err, MOUNTDB_E_INVAL, 0, "letter",
                   "'%c' is not a drive letter (A-Z)", *x ? *x : '?');
}

/* Copy a resolved ID: it may point into a value that is about to change. */
int
md_txn_resolve_copy (const mountdb_txn *txn, const mountdb_spec *spec, uint8_t **id,
              size_t *len, mountdb_error *err)
{
  const uint8_t *p;
  int rc = md_spec_resolve (spec, txn->vals, txn->nvals, &p, len, err);
  if (rc < 0)
    return rc;
  *id = malloc (*len ? *len : 1);
  if (*id == NULL)
    return MOUNTDB_E_NOMEM;
  if (*len)
    memcpy (*id, p, *len);
  return 0;
}

int
md_new_refused (const mountdb_txn *txn, const mountdb_spec *spec,
                const uint8_t *id, size_t len, mountdb_error *err)
{
  char near[400], what[160] = "";
  md_spec_closest (id, len, txn->vals, txn->nvals, near, sizeof near);
  mountdb_uid *u = mountdb_uid_decode (id, len);
  if (u)
    snprintf (what, sizeof what, " (%s)", mountdb_uid_summary (u));
  mountdb_uid_free (u);
  char q[140];
  snprintf (q, sizeof q, "'%.120s'", mountdb_spec_text (spec));
  return md_error (err, MOUNTDB_E_NOMATCH, 0, q,
                   "no volume in MountedDevices has this unique ID%s; %s%s%s"
                   "to pre-seed a volume the hive does not know yet, say so "
                   "(assign --new, new=\"true\" in a plan)", what,
                   near[0] ? "closest: " : "the hive has no volume",
                   near, near[0] ? "; " : "; ");
}

/* ---- public: lifetime ------------------------------------------------------------ */

int
mountdb_txn_resolve (const mountdb_txn *txn, const mountdb_spec *spec,
                     const uint8_t **id, size_t *len, mountdb_error *err)
{
  if (txn == NULL || spec == NULL || id == NULL || len == NULL)
    return md_error (err, MOUNTDB_E_INVAL, 0, NULL, "invalid argument");
  return md_spec_resolve (spec, txn->vals, txn->nvals, id, len, err);
}

int
mountdb_txn_new (const mountdb *db, mountdb_txn **out, mountdb_error *err)
{
  if (db == NULL || out == NULL)
    return md_error (err, MOUNTDB_E_INVAL, 0, NULL, "invalid argument");
  if (db->key_state == MOUNTDB_KEY_UNREADABLE
      || db->key_state == MOUNTDB_KEY_NO_ROOT)
    return md_error (err, MOUNTDB_E_REFUSED, 0, db->path,
                     "MountedDevices cannot be read, so it cannot be edited");
  mountdb_txn *txn = calloc (1, sizeof *txn);
  if (txn == NULL)
    return md_error (err, MOUNTDB_E_NOMEM, 0, db->path, "out of memory");
  txn->db = db;
  txn->automount = -1;
  txn->vals = calloc (db->nentries ? db->nentries : 1, sizeof *txn->vals);
  if (txn->vals == NULL)
    goto nomem;
  txn->vals_cap = db->nentries ? db->nentries : 1;
  for (size_t i = 0; i < db->nentries; i++, txn->nvals++) {
    const struct mountdb_entry *e = &db->entries[i];
    if (e->error) {
      mountdb_txn_free (txn);
      return md_error (err, MOUNTDB_E_REFUSED, 0, db->path,
                       "value %zu cannot be read, so the key cannot be "
                       "rewritten without losing it", i);
    }
    if (val_dup (&txn->vals[i], e->name16, e->name16_len, e->type, e->data,
                 e->len, (long) i) < 0)
      goto nomem;
  }
  *out = txn;
  return 0;
nomem:
  mountdb_txn_free (txn);
  return md_error (err, MOUNTDB_E_NOMEM, 0, db->path, "out of memory");
}

void
mountdb_txn_free (mountdb_txn *txn)
{
  if (txn == NULL)
    return;
  md_txn_invalidate (txn);
  for (size_t i = 0; i < txn->nvals; i++)
    val_free (&txn->vals[i]);
  free (txn->vals);
  free (txn);
}
