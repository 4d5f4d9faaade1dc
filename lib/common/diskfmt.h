/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How every format writes a disk's facts (mountdb(1), DISKS): shared by
 * the JSON of lib/common/jsonw_disk.c and the CLI's text, CSV and XML
 * (bin/out_disks.c), so the words cannot drift apart. */
#ifndef MOUNTDB_COMMON_DISKFMT_H
#define MOUNTDB_COMMON_DISKFMT_H

#include <stddef.h>
#include "mountdb.h"

/* "0x07" for an MBR type byte; the type GUID on GPT; NULL without a table. */
const char *md_disk_type_text (const mountdb_disk *d,
                               const mountdb_partition *p, char buf[8]);
/* A GPT disk (it has a disk GUID). */
int md_disk_is_gpt (const mountdb_disk *d);
/* The disk signature as 8 hex digits. */
void md_disk_sig_text (const mountdb_disk *d, char out[9]);

/* Names of the MOUNTDB_DISK_* flags, in the order the formats list them. */
struct md_disk_flag { unsigned bit; const char *name; };
extern const struct md_disk_flag md_disk_flags[];
extern const size_t md_disk_nflags;

#endif
