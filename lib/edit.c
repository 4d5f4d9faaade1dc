/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transactions over the value list: the W rules (section 6).  Every
 * operation works on the in-memory final list (W10) and either applies
 * whole or leaves the list as it was.  New names are canonical (W9), new
 * GUIDs derived from the unique ID (W11); untouched values keep their
 * exact names, types and bytes. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "handle.h"
#include "edit.h"

#define SNAP_FAIL ((size_t) -1)

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
static void
letter_name (char x, uint16_t out[14], size_t *n)
{
  char buf[16];
  snprintf (buf, sizeof buf, "\\DosDevices\\%c:", x);
  ascii16 (buf, out, n);
}

static void
guid_name (const char *prefix, const uint8_t guid[16], const char *suffix,
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
static int
finish (mountdb_txn *txn, struct md_txn_save *s, int rc)
{
  if (rc < 0)
    md_txn_restore (txn, s);
  else {
    md_txn_save_drop (s);
    md_txn_invalidate (txn);
  }
  return rc;
}

static int
append (mountdb_txn *txn, const uint16_t *name, size_t n16,
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
static void
mark_deleted (mountdb_txn *txn, size_t i)
{
  val_free (&txn->vals[i]);
  txn->vals[i].n16 = SIZE_MAX;
}

static void
compact (mountdb_txn *txn)
{
  size_t j = 0;
  for (size_t i = 0; i < txn->nvals; i++)
    if (txn->vals[i].n16 != SIZE_MAX)
      txn->vals[j++] = txn->vals[i];
  txn->nvals = j;
}

/* Delete every value of `cls` (any class when cls < 0) holding `id`. */
static size_t
delete_class (mountdb_txn *txn, const uint8_t *id, size_t len, int cls)
{
  size_t n = 0;
  for (size_t i = txn->nvals; i-- > 0;)
    if (md_val_holds (&txn->vals[i], id, len)
        && (cls < 0 || val_class (&txn->vals[i], NULL) == cls)) {
      mark_deleted (txn, i);
      n++;
    }
  compact (txn);
  return n;
}

/* The exact \DosDevices\X: value, or SNAP_FAIL. */
static size_t
find_letter (const mountdb_txn *txn, char x)
{
  uint16_t name[16];
  size_t n;
  letter_name (x, name, &n);
  for (size_t i = 0; i < txn->nvals; i++)
    if (txn->vals[i].n16 == n
        && memcmp (txn->vals[i].name16, name, n * sizeof *name) == 0)
      return i;
  return SNAP_FAIL;
}

/* The first drive letter that holds id, or 0. */
static char
letter_of (const mountdb_txn *txn, const uint8_t *id, size_t len,
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
  guid_name ("#", g, "", name, &n);
  return append (txn, name, n, id, len);
}

/* Delete the drive-letter value at `at`; with marker, and when its volume
 * keeps no other letter nor a marker, add a #{} marker so Windows does not
 * hand the volume a new letter (W3). */
static int
drop_letter (mountdb_txn *txn, size_t at, int marker)
{
  uint8_t *oid = txn->vals[at].data;
  size_t olen = txn->vals[at].len;
  int binary = txn->vals[at].type == MOUNTDB_REG_BINARY;
  txn->vals[at].data = NULL;
  delete_at (txn, at);
  int rc = 0;
  if (binary && marker && !letter_of (txn, oid, olen, SNAP_FAIL)) {
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

static int
valid_letter (char *x, mountdb_error *err)
{
  if (*x >= 'a' && *x <= 'z')
    *x = (char) (*x - 32);
  if (*x >= 'A' && *x <= 'Z')
    return 0;
  return md_error (err, MOUNTDB_E_INVAL, 0, "letter",
                   "'%c' is not a drive letter (A-Z)", *x ? *x : '?');
}

/* Copy a resolved ID: it may point into a value that is about to change. */
static int
resolve_copy (const mountdb_txn *txn, const mountdb_spec *spec, uint8_t **id,
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

/* ---- W2 assign ------------------------------------------------------------------------ */

int
mountdb_txn_assign (mountdb_txn *txn, char x, const mountdb_spec *volume,
                    unsigned flags, mountdb_error *err)
{
  if (txn == NULL || volume == NULL || valid_letter (&x, err) < 0)
    return MOUNTDB_E_INVAL;
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  struct md_txn_save s;
  uint8_t *id = NULL;
  size_t len = 0;
  int rc = resolve_copy (txn, volume, &id, &len, err);
  if (rc < 0)
    return rc;
  if ((rc = md_txn_save (txn, &s)) < 0) {
    free (id);
    return rc;
  }
  int is_new = !md_txn_has_id (txn, id, len);
  if (is_new && !(flags & MOUNTDB_ASSIGN_NEW)) {
    /* A typo in an mbr:/gpt:/hex: spec must not pre-seed a phantom. */
    rc = md_new_refused (txn, volume, id, len, err);
    md_txn_save_drop (&s);
    free (id);
    return rc;
  }
  size_t at = find_letter (txn, x);
  if (at != SNAP_FAIL && md_val_holds (&txn->vals[at], id, len)) {
    /* Already so: only stale markers may go (idempotent). */
    delete_class (txn, id, len, MOUNTDB_CLASS_NO_LETTER);
    free (id);
    return finish (txn, &s, 0);
  }
  char cur = letter_of (txn, id, len, SNAP_FAIL);
  char q[140]; /* the spec, quoted: "'D:': ..." rather than "D:: ..." */
  snprintf (q, sizeof q, "'%.120s'", mountdb_spec_text (volume));
  if (cur && !(flags & MOUNTDB_ASSIGN_MOVE)) {
    rc = md_error (err, MOUNTDB_E_REFUSED, 0, q,
                   "the volume already has %c: (W2); --move gives it %c: "
                   "instead", cur, x);
    goto out;
  }
  if (at != SNAP_FAIL) {
    if (!(flags & MOUNTDB_ASSIGN_TAKE)) {
      rc = md_error (err, MOUNTDB_E_REFUSED, 0, q,
                     "%c: belongs to another volume (W2); --take takes it "
                     "(that volume keeps no letter and gets a no-letter "
                     "marker)", x);
      goto out;
    }
    /* The other volume loses x and gets a marker, as with unassign. */
    if ((rc = drop_letter (txn, at, 1)) < 0)
      goto out;
  }
  if (cur)
    delete_class (txn, id, len, MOUNTDB_CLASS_DRIVE_LETTER);
  delete_class (txn, id, len, MOUNTDB_CLASS_NO_LETTER);
  uint16_t name[64];
  size_t n;
  letter_name (x, name, &n);
  rc = append (txn, name, n, id, len);
  if (rc == 0 && is_new) {
    /* Pre-seeding a volume Windows has not seen: give it its volume GUID
     * name now, derived from the ID (W8, W11). */
    uint8_t g[16];
    rc = md_guid_from_id (id, len, "volume", g);
    guid_name ("\\??\\Volume", g, "", name, &n);
    if (rc == 0)
      rc = append (txn, name, n, id, len);
  }
out:
  free (id);
  return finish (txn, &s, rc);
}

/* ---- W3 unassign -------------------------------------------------------------------- */

int
mountdb_txn_unassign (mountdb_txn *txn, char x, unsigned flags,
                      mountdb_error *err)
{
  if (txn == NULL || valid_letter (&x, err) < 0)
    return MOUNTDB_E_INVAL;
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  size_t at = find_letter (txn, x);
  if (at == SNAP_FAIL)
    return md_error (err, MOUNTDB_E_NOMATCH, 0, txn->db->path,
                     "no drive letter %c: in MountedDevices", x);
  struct md_txn_save s;
  int rc = md_txn_save (txn, &s);
  if (rc < 0)
    return rc;
  rc = drop_letter (txn, at, !(flags & MOUNTDB_UNASSIGN_ALLOW_AUTO));
  return finish (txn, &s, rc);
}

/* ---- W4 swap ------------------------------------------------------------------------ */

int
mountdb_txn_swap (mountdb_txn *txn, char a, char b, mountdb_error *err)
{
  if (txn == NULL || valid_letter (&a, err) < 0 || valid_letter (&b, err) < 0)
    return MOUNTDB_E_INVAL;
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  if (a == b)
    return md_error (err, MOUNTDB_E_INVAL, 0, txn->db->path,
                     "%c: and %c: are the same letter", a, b);
  size_t i = find_letter (txn, a), j = find_letter (txn, b);
  if (i == SNAP_FAIL || j == SNAP_FAIL)
    return md_error (err, MOUNTDB_E_NOMATCH, 0, txn->db->path,
                     "no drive letter %c: in MountedDevices (to move a "
                     "letter, use assign --move)", i == SNAP_FAIL ? a : b);
  struct md_val t = txn->vals[i];
  txn->vals[i].type = txn->vals[j].type;
  txn->vals[i].data = txn->vals[j].data;
  txn->vals[i].len = txn->vals[j].len;
  txn->vals[j].type = t.type;
  txn->vals[j].data = t.data;
  txn->vals[j].len = t.len;
  md_txn_invalidate (txn);
  return 0;
}

/* ---- W1 remap ---------------------------------------------------------------------- */

int
mountdb_txn_remap (mountdb_txn *txn, const uint8_t *old_id, size_t old_len,
                   const uint8_t *new_id, size_t new_len, mountdb_error *err)
{
  if (txn == NULL || (old_len && old_id == NULL) || (new_len && new_id == NULL))
    return md_error (err, MOUNTDB_E_INVAL, 0, NULL, "invalid argument");
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  if (old_len == new_len && memcmp (old_id, new_id, old_len) == 0)
    return 0;
  if (md_txn_has_id (txn, new_id, new_len) && md_txn_has_id (txn, old_id, old_len))
    return md_error (err, MOUNTDB_E_REFUSED, 0, txn->db->path,
                     "the new ID already belongs to a volume in the hive: "
                     "remapping would merge two volumes' names");
  struct md_txn_save s;
  int rc = md_txn_save (txn, &s);
  if (rc < 0)
    return rc;
  int n = 0;
  for (size_t i = 0; i < txn->nvals && rc == 0; i++) {
    struct md_val *v = &txn->vals[i];
    if (!md_val_holds (v, old_id, old_len))
      continue;
    uint8_t *d = malloc (new_len ? new_len : 1);
    if (d == NULL) {
      rc = MOUNTDB_E_NOMEM;
      break;
    }
    if (new_len)
      memcpy (d, new_id, new_len);
    free (v->data);
    v->data = d;
    v->len = new_len;
    n++;
  }
  rc = finish (txn, &s, rc);
  return rc < 0 ? rc : n;
}

/* ---- W5 scrub --------------------------------------------------------------------- */

int
mountdb_txn_scrub (mountdb_txn *txn, const mountdb_spec *const *keep,
                   size_t nkeep, unsigned flags, mountdb_error *err)
{
  if (txn == NULL || (nkeep && keep == NULL))
    return md_error (err, MOUNTDB_E_INVAL, 0, NULL, "invalid argument");
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  uint8_t **ids = calloc (nkeep ? nkeep : 1, sizeof *ids);
  size_t *lens = calloc (nkeep ? nkeep : 1, sizeof *lens);
  int rc = ids && lens ? 0 : MOUNTDB_E_NOMEM;
  for (size_t k = 0; k < nkeep && rc == 0; k++)
    rc = resolve_copy (txn, keep[k], &ids[k], &lens[k], err);
  struct md_txn_save s;
  if (rc == 0)
    rc = md_txn_save (txn, &s);
  int n = 0;
  if (rc == 0) {
    for (size_t i = txn->nvals; i-- > 0;) {
      const struct md_val *v = &txn->vals[i];
      if (v->type != MOUNTDB_REG_BINARY)
        continue; /* inert to Windows; not ours to judge */
      int shape = -1;
      mountdb_uid *u = mountdb_uid_decode (v->data, v->len);
      if (u == NULL) {
        rc = MOUNTDB_E_NOMEM;
        break;
      }
      shape = mountdb_uid_shape (u);
      mountdb_uid_free (u);
      /* W5: device paths and unknown IDs stay unless asked. */
      if (!(flags & MOUNTDB_SCRUB_ALL_SHAPES) && shape != MOUNTDB_SHAPE_MBR
          && shape != MOUNTDB_SHAPE_DMIO)
        continue;
      int kept = 0;
      for (size_t k = 0; k < nkeep && !kept; k++)
        kept = md_val_holds (v, ids[k], lens[k]);
      if (!kept) {
        mark_deleted (txn, i);
        n++;
      }
    }
    compact (txn);
    rc = finish (txn, &s, rc);
  }
  for (size_t k = 0; ids && k < nkeep; k++)
    free (ids[k]);
  free (ids);
  free (lens);
  return rc < 0 ? rc : n;
}

/* ---- W6 reset, W7 automount ------------------------------------------------------ */

int
mountdb_txn_reset (mountdb_txn *txn, int keep_system, char sys,
                   mountdb_error *err)
{
  if (txn == NULL)
    return MOUNTDB_E_INVAL;
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  if (sys == 0)
    sys = 'C';
  if (valid_letter (&sys, err) < 0)
    return MOUNTDB_E_INVAL;
  uint8_t *id = NULL;
  size_t len = 0;
  if (keep_system) {
    size_t at = find_letter (txn, sys);
    if (at == SNAP_FAIL || txn->vals[at].type != MOUNTDB_REG_BINARY)
      return md_error (err, MOUNTDB_E_NOMATCH, 0, txn->db->path,
                       "no system letter %c: to keep", sys);
    id = txn->vals[at].data;
    len = txn->vals[at].len;
  }
  size_t n = 0;
  for (size_t i = txn->nvals; i-- > 0;)
    if (!keep_system || !md_val_holds (&txn->vals[i], id, len)) {
      mark_deleted (txn, i);
      n++;
    }
  compact (txn);
  md_txn_invalidate (txn);
  return (int) n;
}

int
mountdb_txn_automount (mountdb_txn *txn, int on, mountdb_error *err)
{
  if (txn == NULL)
    return MOUNTDB_E_INVAL;
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  const mountdb *db = txn->db;
  char why[160];
  if (db->boot_cs == 0
      || db->noautomount_state == MOUNTDB_VALUE_NO_CONTROL_SET)
    return md_error (err, MOUNTDB_E_REFUSED, 0, db->path,
                     "Select names no existing control set (%s), so "
                     "automount cannot be set (W7)",
                     md_select_words (db, why, sizeof why));
  uint32_t want = on ? 0 : 1;
  int same = (db->noautomount_state == MOUNTDB_VALUE_OK
              && db->noautomount == want)
             || (on && db->noautomount_state == MOUNTDB_VALUE_ABSENT);
  txn->automount = same ? -1 : (on ? 1 : 0);
  md_txn_invalidate (txn);
  return 0;
}

/* ---- the change set ----------------------------------------------------------------- */

static int
add_change (mountdb_txn *txn, int kind, const uint16_t *name, size_t n16,
            const uint8_t *before, size_t blen, const uint8_t *after,
            size_t alen)
{
  if (md_grow (&txn->changes, &txn->changes_cap, txn->nchanges,
               sizeof *txn->changes) < 0)
    return MOUNTDB_E_NOMEM;
  struct mountdb_change *c = txn->changes + txn->nchanges;
  memset (c, 0, sizeof *c);
  c->kind = kind;
  c->name16 = name;
  c->name16_len = n16;
  c->name = md_utf16_to_utf8 (name, n16, NULL);
  if (c->name == NULL)
    return MOUNTDB_E_NOMEM;
  md_name nm;
  if (md_name_classify (name, n16, &nm) == 0) {
    c->cls = nm.cls;
    md_name_clear (&nm);
  }
  c->before = before;
  c->before_len = blen;
  c->after = after;
  c->after_len = alen;
  txn->nchanges++;
  return 0;
}

static int
compute_changes (mountdb_txn *txn)
{
  const mountdb *db = txn->db;
  char *used = calloc (db->nentries ? db->nentries : 1, 1);
  if (used == NULL)
    return MOUNTDB_E_NOMEM;
  int rc = 0;
  for (size_t i = 0; i < txn->nvals && rc == 0; i++) {
    const struct md_val *v = &txn->vals[i];
    if (v->origin < 0) {
      rc = add_change (txn, MOUNTDB_CHANGE_ADDED, v->name16, v->n16, NULL, 0,
                       v->data, v->len);
      continue;
    }
    const struct mountdb_entry *e = &db->entries[v->origin];
    used[v->origin] = 1;
    if (e->type != v->type || e->len != v->len
        || (v->len && memcmp (e->data, v->data, v->len) != 0))
      rc = add_change (txn, MOUNTDB_CHANGE_MODIFIED, v->name16, v->n16,
                       e->data, e->len, v->data, v->len);
  }
  for (size_t i = 0; i < db->nentries && rc == 0; i++)
    if (!used[i])
      rc = add_change (txn, MOUNTDB_CHANGE_DELETED, db->entries[i].name16,
                       db->entries[i].name16_len, db->entries[i].data,
                       db->entries[i].len, NULL, 0);
  free (used);
  if (rc == 0 && txn->automount >= 0) {
    static const uint16_t nm[] = { 'N', 'o', 'A', 'u', 't', 'o', 'M', 'o',
                                   'u', 'n', 't' };
    static const uint8_t zero[4] = { 0 }, one[4] = { 1 };
    const uint8_t *before = db->noautomount_state == MOUNTDB_VALUE_OK
                            ? (db->noautomount ? one : zero) : NULL;
    rc = add_change (txn, MOUNTDB_CHANGE_AUTOMOUNT, nm, 11, before,
                     before ? 4 : 0, txn->automount ? zero : one, 4);
  }
  txn->changes_valid = rc == 0;
  return rc;
}

size_t
mountdb_txn_change_count (const mountdb_txn *txn)
{
  mountdb_txn *t = (mountdb_txn *) txn; /* computed lazily, cached */
  if (!t->changes_valid) {
    md_txn_invalidate (t);
    if (compute_changes (t) < 0) {
      md_txn_invalidate (t);
      return 0;
    }
  }
  return t->nchanges;
}

const mountdb_change *
mountdb_txn_change_get (const mountdb_txn *txn, size_t i)
{
  return i < mountdb_txn_change_count (txn) ? &txn->changes[i] : NULL;
}
