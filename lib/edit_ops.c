/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The W-rule operations on a transaction (W1-W7), over the value list
 * edit.c keeps: each applies whole or leaves the list as it was. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "handle.h"
#include "edit.h"

/* ---- W2 assign ------------------------------------------------------------------------ */

int
mountdb_txn_assign (mountdb_txn *txn, char x, const mountdb_spec *volume,
                    unsigned flags, mountdb_error *err)
{
  if (txn == NULL || volume == NULL || md_valid_letter (&x, err) < 0)
    return MOUNTDB_E_INVAL;
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  struct md_txn_save s;
  uint8_t *id = NULL;
  size_t len = 0;
  int rc = md_txn_resolve_copy (txn, volume, &id, &len, err);
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
  size_t at = md_txn_find_letter (txn, x);
  if (at != MD_SNAP_FAIL && md_val_holds (&txn->vals[at], id, len)) {
    /* Already so: only stale markers may go (idempotent). */
    md_txn_delete_class (txn, id, len, MOUNTDB_CLASS_NO_LETTER);
    free (id);
    return md_txn_finish (txn, &s, 0);
  }
  char cur = md_txn_letter_of (txn, id, len, MD_SNAP_FAIL);
  char q[140]; /* the spec, quoted: "'D:': ..." rather than "D:: ..." */
  snprintf (q, sizeof q, "'%.120s'", mountdb_spec_text (volume));
  if (cur && !(flags & MOUNTDB_ASSIGN_MOVE)) {
    rc = md_error (err, MOUNTDB_E_REFUSED, 0, q,
                   "the volume already has %c: (W2); --move gives it %c: "
                   "instead", cur, x);
    goto out;
  }
  if (at != MD_SNAP_FAIL) {
    if (!(flags & MOUNTDB_ASSIGN_TAKE)) {
      rc = md_error (err, MOUNTDB_E_REFUSED, 0, q,
                     "%c: belongs to another volume (W2); --take takes it "
                     "(that volume keeps no letter and gets a no-letter "
                     "marker)", x);
      goto out;
    }
    /* The other volume loses x and gets a marker, as with unassign. */
    if ((rc = md_txn_drop_letter (txn, at, 1)) < 0)
      goto out;
  }
  if (cur)
    md_txn_delete_class (txn, id, len, MOUNTDB_CLASS_DRIVE_LETTER);
  md_txn_delete_class (txn, id, len, MOUNTDB_CLASS_NO_LETTER);
  uint16_t name[64];
  size_t n;
  md_letter_name (x, name, &n);
  rc = md_txn_append (txn, name, n, id, len);
  if (rc == 0 && is_new) {
    /* Pre-seeding a volume Windows has not seen: give it its volume GUID
     * name now, derived from the ID (W8, W11). */
    uint8_t g[16];
    rc = md_guid_from_id (id, len, "volume", g);
    md_guid_name ("\\??\\Volume", g, "", name, &n);
    if (rc == 0)
      rc = md_txn_append (txn, name, n, id, len);
  }
out:
  free (id);
  return md_txn_finish (txn, &s, rc);
}

/* ---- W3 unassign -------------------------------------------------------------------- */

int
mountdb_txn_unassign (mountdb_txn *txn, char x, unsigned flags,
                      mountdb_error *err)
{
  if (txn == NULL || md_valid_letter (&x, err) < 0)
    return MOUNTDB_E_INVAL;
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  size_t at = md_txn_find_letter (txn, x);
  if (at == MD_SNAP_FAIL)
    return md_error (err, MOUNTDB_E_NOMATCH, 0, txn->db->path,
                     "no drive letter %c: in MountedDevices", x);
  struct md_txn_save s;
  int rc = md_txn_save (txn, &s);
  if (rc < 0)
    return rc;
  rc = md_txn_drop_letter (txn, at, !(flags & MOUNTDB_UNASSIGN_ALLOW_AUTO));
  return md_txn_finish (txn, &s, rc);
}

/* ---- W4 swap ------------------------------------------------------------------------ */

int
mountdb_txn_swap (mountdb_txn *txn, char a, char b, mountdb_error *err)
{
  if (txn == NULL || md_valid_letter (&a, err) < 0 || md_valid_letter (&b, err) < 0)
    return MOUNTDB_E_INVAL;
  if (md_hive_writable (txn->db, err) < 0)
    return MOUNTDB_E_REFUSED;
  if (a == b)
    return md_error (err, MOUNTDB_E_INVAL, 0, txn->db->path,
                     "%c: and %c: are the same letter", a, b);
  size_t i = md_txn_find_letter (txn, a), j = md_txn_find_letter (txn, b);
  if (i == MD_SNAP_FAIL || j == MD_SNAP_FAIL)
    return md_error (err, MOUNTDB_E_NOMATCH, 0, txn->db->path,
                     "no drive letter %c: in MountedDevices (to move a "
                     "letter, use assign --move)", i == MD_SNAP_FAIL ? a : b);
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
  rc = md_txn_finish (txn, &s, rc);
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
    rc = md_txn_resolve_copy (txn, keep[k], &ids[k], &lens[k], err);
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
        md_txn_mark_deleted (txn, i);
        n++;
      }
    }
    md_txn_compact (txn);
    rc = md_txn_finish (txn, &s, rc);
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
  if (md_valid_letter (&sys, err) < 0)
    return MOUNTDB_E_INVAL;
  uint8_t *id = NULL;
  size_t len = 0;
  if (keep_system) {
    size_t at = md_txn_find_letter (txn, sys);
    if (at == MD_SNAP_FAIL || txn->vals[at].type != MOUNTDB_REG_BINARY)
      return md_error (err, MOUNTDB_E_NOMATCH, 0, txn->db->path,
                       "no system letter %c: to keep", sys);
    id = txn->vals[at].data;
    len = txn->vals[at].len;
  }
  size_t n = 0;
  for (size_t i = txn->nvals; i-- > 0;)
    if (!keep_system || !md_val_holds (&txn->vals[i], id, len)) {
      md_txn_mark_deleted (txn, i);
      n++;
    }
  md_txn_compact (txn);
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
