/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The edit layer: a transaction's value list (edit.c) and how a volume
 * spec finds its ID in it (spec_resolve.c).  Above the decoders: spec.c
 * parses specs without any of this. */
#ifndef MOUNTDB_EDIT_H
#define MOUNTDB_EDIT_H

#include "decode.h"

/* ---- edit.c: the transaction -------------------------------------------------- */
/* One value of the final list.  origin is the entry index it came from
 * (untouched values keep name, type and bytes), or -1 for a new value. */
struct md_val {
  uint16_t *name16;
  size_t n16;
  uint32_t type;
  uint8_t *data;
  size_t len;
  long origin;
};

struct mountdb_txn {
  const mountdb *db;
  struct md_val *vals;       /* final list, value order */
  size_t nvals, vals_cap;
  int automount;             /* -1 unchanged, 0 off, 1 on */
  struct mountdb_change *changes; /* computed on demand */
  size_t nchanges, changes_cap;
  int changes_valid;
};

/* Helpers edit.c shares with plan.c. */
struct md_txn_save {             /* a deep copy of the list, for rollback */
  struct md_val *vals;
  size_t nvals;
  int automount;
};
MD_HIDDEN int md_txn_save (const mountdb_txn *txn, struct md_txn_save *s);
/* Put the saved list back (consumes s). */
MD_HIDDEN void md_txn_restore (mountdb_txn *txn, struct md_txn_save *s);
MD_HIDDEN void md_txn_save_drop (struct md_txn_save *s);
/* Forget the cached change set after changing vals directly. */
MD_HIDDEN void md_txn_invalidate (mountdb_txn *txn);
/* A REG_BINARY value holds id. */
MD_HIDDEN int md_val_holds (const struct md_val *v, const uint8_t *id,
                            size_t len);
MD_HIDDEN int md_txn_has_id (const mountdb_txn *txn, const uint8_t *id,
                             size_t len);
/* MOUNTDB_E_NOMATCH for a spec whose id no value holds, naming the
 * closest volumes and how to pre-seed (W8) on purpose. */
MD_HIDDEN int md_new_refused (const mountdb_txn *txn,
                              const mountdb_spec *spec, const uint8_t *id,
                              size_t len, mountdb_error *err);
/* Append a #{GUID} marker for id, GUID derived from it (W9, W11). */
MD_HIDDEN int md_txn_add_marker (mountdb_txn *txn, const uint8_t *id,
                                 size_t len);

/* What the W-rule operations (edit_ops.c) share with the list in edit.c. */
#define MD_SNAP_FAIL ((size_t) -1) /* no such value */
MD_HIDDEN void md_letter_name (char x, uint16_t out[14], size_t *n);
MD_HIDDEN void md_guid_name (const char *prefix, const uint8_t guid[16],
                             const char *suffix, uint16_t out[64],
                             size_t *n);
MD_HIDDEN int md_txn_finish (mountdb_txn *txn, struct md_txn_save *s,
                             int rc);
MD_HIDDEN int md_txn_append (mountdb_txn *txn, const uint16_t *name,
                             size_t n16, const uint8_t *id, size_t len);
MD_HIDDEN void md_txn_mark_deleted (mountdb_txn *txn, size_t i);
MD_HIDDEN void md_txn_compact (mountdb_txn *txn);
MD_HIDDEN size_t md_txn_delete_class (mountdb_txn *txn, const uint8_t *id,
                                      size_t len, int cls);
MD_HIDDEN size_t md_txn_find_letter (const mountdb_txn *txn, char x);
MD_HIDDEN char md_txn_letter_of (const mountdb_txn *txn, const uint8_t *id,
                                 size_t len, size_t skip);
MD_HIDDEN int md_txn_drop_letter (mountdb_txn *txn, size_t at, int marker);
MD_HIDDEN int md_valid_letter (char *x, mountdb_error *err);
MD_HIDDEN int md_txn_resolve_copy (const mountdb_txn *txn,
                                   const mountdb_spec *spec, uint8_t **id,
                                   size_t *len, mountdb_error *err);

/* ---- spec_resolve.c ---------------------------------------------------------- */
/* The unique ID a spec names in vals (after earlier edits).
 * LETTER / VOLUME_GUID specs need a REG_BINARY value of that name
 * (MOUNTDB_E_NOMATCH otherwise); MBR without an offset must match exactly
 * one ID (MOUNTDB_E_AMBIGUOUS lists them); MBR/GPT/HEX with a full ID
 * return it whether or not the hive has it.  *id points into vals or the
 * spec: copy it before changing vals. */
MD_HIDDEN int md_spec_resolve (const mountdb_spec *spec,
                               const struct md_val *vals, size_t nvals,
                               const uint8_t **id, size_t *len,
                               mountdb_error *err);
/* Up to three volumes of vals nearest to id ("mbr:5cbea03e:1MiB (D:),
 * ..."; nearest by edit distance of the spec text, same shape first), for
 * a spec that names no volume.  "" when vals holds none. */
MD_HIDDEN void md_spec_closest (const uint8_t *id, size_t len,
                                const struct md_val *vals, size_t nvals,
                                char *out, size_t size);

#endif
