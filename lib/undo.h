/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An undo record: the original bytes of the 512-byte sectors an in-place
 * change overwrote, so one buffer can hold the recovered hive while the
 * bytes that were read (and hashed) stay reproducible for backups and
 * hashing (F2, F4) without a second copy of the whole file.
 *
 * Pure: no I/O, no global state.  Sectors are saved the first time they
 * are touched and only inside [0, len), the original's length; bytes a
 * change appends past len are not part of the original. */
#ifndef MOUNTDB_UNDO_H
#define MOUNTDB_UNDO_H

#include <stddef.h>
#include <stdint.h>
#include "decode.h"

#define MD_UNDO_SECTOR 512u

typedef struct md_undo_rec {
  uint64_t sector;           /* sector number (offset / MD_UNDO_SECTOR) */
  size_t slot;               /* its bytes: saved + slot * MD_UNDO_SECTOR */
} md_undo_rec;

typedef struct md_undo {
  uint64_t len;              /* length of the original */
  md_undo_rec *recs;         /* in saving order until md_undo_sort,
                                ascending by sector after */
  uint8_t *saved;            /* MD_UNDO_SECTOR bytes per saved sector
                                (the last sector clipped to len) */
  size_t n, cap;
  uint8_t *mark;             /* one bit per sector of [0, len): saved */
  int sorted;
} md_undo;

/* An empty record for an original of len bytes (allocates nothing). */
MD_HIDDEN void md_undo_init (md_undo *u, uint64_t len);

/* Before image[off, off + n) is overwritten: save the sectors of that
 * range inside [0, len) not saved yet.  image holds the current bytes of
 * at least those sectors (clipped to len).  Returns 0 or -1 (no memory;
 * the record is unchanged then). */
MD_HIDDEN int md_undo_save (md_undo *u, const uint8_t *image, uint64_t off,
                            uint64_t n);

/* Put the saved sectors in order (md_undo_overlay needs it); idempotent. */
MD_HIDDEN void md_undo_sort (md_undo *u);

/* buf holds the current bytes of [off, off + n): turn the saved sectors
 * among them back into the original's bytes.  Needs md_undo_sort. */
MD_HIDDEN void md_undo_overlay (const md_undo *u, uint8_t *buf, uint64_t off,
                                size_t n);

/* Restore image[0, len) to the original and empty the record. */
MD_HIDDEN void md_undo_rollback (md_undo *u, uint8_t *image);

/* Free what the record holds; it is empty (and still usable) afterwards. */
MD_HIDDEN void md_undo_free (md_undo *u);

#endif
