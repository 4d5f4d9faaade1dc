/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --disk on show and check (issue 13): the disks, each opened once for
 * the whole batch, and what every format adds for them: per volume where
 * it is (present, absent, unresolved), and the disks themselves. */
#ifndef MOUNTDB_OUT_DISK_H
#define MOUNTDB_OUT_DISK_H

#include <stdio.h>
#include "mountdb.h"
#include "common/sbuf.h"

struct hive_result;

struct disk_set {
  const char **paths;           /* as given (--disk), in order */
  size_t n, cap;
  mountdb_disk **d;             /* NULL where it could not be opened */
  char **errors;                /* then why: "PATH: reason" */
  int *codes;                   /* and the library's code */
  struct disk_async *async;     /* the thread opening them (out_disk.c) */
};

/* --disk PATH: 0, or -1 out of memory. */
int disk_set_add (struct disk_set *s, const char *path);
/* Start opening each disk once, on a thread, while the hives are read.
 * 0, or -1 out of memory.  Nothing of d, errors or codes may be read
 * before disk_set_wait. */
int disk_set_open (struct disk_set *s, const char *cmd);
/* Wait until the disks are open (thread-safe; s may be NULL).  The first
 * call reports on stderr, in the order given, each disk that could not be
 * opened with its reason (kept with d[i] NULL, so the report goes on and
 * says so) and each disk's warnings (EBR loop cut, backup GPT used...).
 * Returns how many could not be opened. */
int disk_set_wait (const struct disk_set *s);
void disk_set_free (struct disk_set *s);

/* JSON: the library's (mountdb_json_opts: disks, correlation). */
/* Text: the table of where each volume is, after the volumes (nothing
 * without --disk). */
void out_text_disks (struct md_sbuf *b, const struct hive_result *r);
/* CSV (a summary row per volume, as derived_volume_guid): "volume N:
 * present: PATH partition K", "volume N: absent"...; NULL without
 * --disk.  Unescaped. */
const char *out_disk_words (const struct hive_result *r, size_t vol,
                            char *buf, size_t size);

#endif
