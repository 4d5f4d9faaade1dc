/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loop shared by show and check: open each hive, run the rules,
 * format into memory, emit only complete documents (a document past
 * 2 MiB streams: see batch.c).  Hives run on --jobs threads, one handle
 * each (mountdb(3): one handle per thread is safe); documents come out in
 * input order. */
#ifndef MOUNTDB_BATCH_H
#define MOUNTDB_BATCH_H

#include "output.h"

struct batch {
  enum out_format fmt;
  enum out_mode mode;
  unsigned open_flags;          /* MOUNTDB_OPEN_* */
  char system_letter;           /* V10; 0 = C */
  const char *const *ignore;    /* NULL-terminated rule IDs */
  int fail_on;                  /* check: lowest severity that fails */
  const char *cmd;              /* for messages: "show", "check" */
  const char *logs[3];          /* --log (applies to each hive; one hive) */
  size_t nlogs;
  char **hives;
  size_t nhives;
  /* Batch options (options.c). */
  unsigned jobs;                /* --jobs; 0 = the number of online CPUs */
  const char *files_from;       /* --files-from FILE, "-" = stdin; or NULL */
  int nul;                      /* -0: the list is NUL-separated */
  int quiet;                    /* --quiet: no progress line */
  const struct disk_set *disks; /* --disk (out_disk.h): opened once */
};

/* Returns the exit status, bits ORed as fsck does: EXIT_HIVE when a hive
 * could not be read or the output failed, | EXIT_FINDINGS when (check
 * mode) a shown finding is at or above fail_on; EXIT_OK otherwise.  A
 * failed output returns EXIT_HIVE alone.  A hive that cannot be read
 * never stops the others: its message names it, in input order. */
int batch_run (const struct batch *b);

/* Usage checks of the batch options once parsed: EXIT_USAGE after saying
 * why, or 0.  has_hives: HIVE operands were given. */
int batch_check_usage (const struct batch *b, int has_hives);

#endif
