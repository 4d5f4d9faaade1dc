/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A transaction's change set: what its final list changes against the
 * hive, computed on demand (md_txn_invalidate in edit.c drops it after
 * each operation). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "handle.h"
#include "edit.h"

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
