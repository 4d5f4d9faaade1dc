/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opened disks as the pure matching of correlate.h sees them
 * (correlate_disk.c), for the disk rules (rules_disk.c).  Internal. */
#ifndef MOUNTDB_CORRELATE_DISK_H
#define MOUNTDB_CORRELATE_DISK_H

#include "correlate.h"

struct md_disk_parts {
  struct md_part *parts;       /* every partition of every disk */
  size_t nparts;
  struct md_disk_desc *disks;  /* one per disk, same order */
  size_t ndisks;
};

/* disks[i] may be NULL (a disk that failed to open: no partitions). */
MD_HIDDEN int md_disk_parts_fill (const mountdb_disk *const *disks,
                                  size_t ndisks, struct md_disk_parts *dp);
MD_HIDDEN void md_disk_parts_free (struct md_disk_parts *dp);
/* How many partitions of the given disks hold the volume's ID (> 1: two
 * disks produce one ID, V12). */
MD_HIDDEN size_t md_correlation_holders (const mountdb_correlation *c,
                                         size_t volume);
/* An ID in spec syntax for messages (mbr:SIG:OFFSET, gpt:GUID, hex:). */
MD_HIDDEN void md_id_spec_text (const uint8_t *id, size_t len, char out[96]);

#endif
