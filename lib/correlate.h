/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unique IDs against partition lists (issue 13), as pure functions over
 * plain descriptions (correlate.c): which partition holds an ID, and the
 * old->new table of a remap from two layouts.  No disk, hive or model in
 * here, so unit tests describe partitions by hand; correlate_disk.c fills
 * the descriptions from opened disks.  Internal. */
#ifndef MOUNTDB_CORRELATE_H
#define MOUNTDB_CORRELATE_H

#include "decode.h"

/* One partition, or one old volume the hive knows (then only signature,
 * start and id are set: an MBR ID is a signature and a start). */
struct md_part {
  size_t disk;              /* index of its disk in the caller's list */
  unsigned number;          /* 0 when not a partition of a table */
  uint64_t start, size;     /* bytes */
  uint32_t signature;       /* its disk's MBR signature, 0 if none */
  int gpt;                  /* on a GPT disk */
  uint64_t attributes;      /* GPT attribute bits */
  const char *fs, *serial;  /* filesystem type and serial, or NULL */
  const uint8_t *id;        /* the unique ID Windows gives it, or NULL */
  size_t idlen;
  const void *origin;       /* the caller's object (mountdb_partition) */
};

/* A disk as correlation needs it. */
struct md_disk_desc {
  int dynamic;              /* LDM: its volumes are not in the table */
  uint32_t signature;       /* MBR, 0 if none */
};

/* ---- where an ID is ------------------------------------------------------------ */

enum md_where {
  MD_PRESENT = 0,           /* = MOUNTDB_DISK_PRESENT ... */
  MD_ABSENT = 1,
  MD_UNRESOLVED = 2,
};

/* Status of the ID id[0..len) (its shape: enum mountdb_shape) against the
 * given disks' partitions: PRESENT with *at = the first partition holding
 * exactly those bytes (*count = how many do: > 1 is a collision, V12);
 * UNRESOLVED when no table can describe it (device paths and other
 * non-partition shapes; a DMIO ID while a dynamic disk is given, which
 * may be an LDM volume, V14; an MBR ID of a given dynamic disk); else
 * ABSENT. */
MD_HIDDEN int md_where (const struct md_part *parts, size_t nparts,
                        const struct md_disk_desc *disks, size_t ndisks,
                        int shape, const uint8_t *id, size_t len,
                        size_t *at, size_t *count);

/* ---- remap tables (W1 from two layouts) ----------------------------------------- */

enum md_remap_mode {
  MD_BY_OFFSET = 0,         /* clone, re-signature, MBR->GPT in place */
  MD_BY_SERIAL = 1,         /* moved or resized: number + fs serial */
};

enum md_how {
  MD_HOW_NONE = 0,          /* no candidate */
  MD_HOW_SEVERAL,           /* several candidates */
  MD_HOW_TAKEN,             /* its one candidate is another row's too */
  MD_HOW_SAME,              /* the new layout gives the same ID */
  MD_HOW_OFFSET,            /* same start offset */
  MD_HOW_SERIAL_NUMBER,     /* same partition number and fs serial */
  MD_HOW_SERIAL,            /* same fs serial (number changed) */
  MD_HOW_NUMBER_START,      /* no serial: same number and start */
};

struct md_remap_row {
  size_t old;               /* index into the old list */
  size_t new_at;            /* index into the new list, or (size_t) -1 */
  size_t candidates;
  int how;                  /* enum md_how */
};

/* For each old entry with an ID (rows[] gets one per such entry, in
 * order; *nrows their count), the new partition (with an ID) it becomes.
 * Returns the number of rows that did not match exactly one (NONE,
 * SEVERAL, TAKEN: the table must be refused), or MOUNTDB_E_NOMEM.
 * rows must hold nold entries. */
MD_HIDDEN int md_remap_derive (const struct md_part *old, size_t nold,
                               const struct md_part *new_parts, size_t nnew,
                               int mode, struct md_remap_row *rows,
                               size_t *nrows);

/* Without the old disk (clone, MBR->GPT in place): the hive's MBR IDs
 * (hive[], one per volume) grouped by disk signature, each group matched
 * by offset to the new layout.  The one group that matches whole is
 * chosen (*sig); groups whose IDs the new layout already has are skipped.
 * only_sig != 0 considers that signature alone.  Returns 0 with rows of
 * the chosen group; MOUNTDB_E_AMBIGUOUS when several groups match whole
 * (*sig and *sig2 are two of them, no rows); MOUNTDB_E_NOMATCH when none
 * does (rows are those of the group that matched most, *sig, so the
 * caller can say which old volume has no candidate; *sig 0 when the hive
 * has no MBR ID to try); MOUNTDB_E_NOMEM. */
MD_HIDDEN int md_remap_from_hive (const struct md_part *hive, size_t nhive,
                                  const struct md_part *new_parts,
                                  size_t nnew, uint32_t only_sig,
                                  struct md_remap_row *rows, size_t *nrows,
                                  uint32_t *sig, uint32_t *sig2);

#endif
