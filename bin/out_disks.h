/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A list of disks (issue 13) in every output format: `mountdb disks`
 * prints it alone, `show --disk` puts the same objects in its documents
 * (JSON: top-level "disks").  Shapes are documented in mountdb(1), DISKS.
 * Labels come from the disk: untrusted, escaped in every format. */
#ifndef MOUNTDB_OUT_DISKS_H
#define MOUNTDB_OUT_DISKS_H

#include <stddef.h>
#include "mountdb.h"
#include "jsonw.h"

/* One disk as given, and what opening it gave: disk, or err. */
struct disk_result {
  const char *path;
  const mountdb_disk *disk;     /* NULL when err applies */
  const mountdb_error *err;
};

/* JSON: one disk object {path, size, sector_size, table, disk_signature,
 * disk_guid, flags, warnings, partitions[]}, or {path, error} for a disk
 * that could not be read. */
void out_disk_json (struct jw *j, const char *key, const struct disk_result *r);
/* JSON: an array of them under key (NULL inside an array). */
void out_disks_json (struct jw *j, const char *key,
                     const struct disk_result *r, size_t n);
/* Text: per disk a line of facts, its warnings, then a table of
 * partitions with the spec to use in assign and plans. */
void out_disks_text (struct md_sbuf *b, const struct disk_result *r, size_t n);
/* CSV: a header (when header) and one row per partition (a disk without
 * partitions or unreadable: one row). */
void out_disks_csv (struct md_sbuf *b, const struct disk_result *r, size_t n,
                    int header);
/* XML: <disk> elements (indented by indent levels of two spaces), as in
 * mountdb.rng's "disk" pattern. */
void out_disks_xml (struct md_sbuf *b, const struct disk_result *r, size_t n,
                    int indent);

#endif
