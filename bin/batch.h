/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loop shared by show, check and devices: open each hive (the
 * command's step: show and check run the rules, devices joins the
 * device keys), format into memory, emit only complete documents (a
 * document past 2 MiB streams: see batch.c).  Hives run on --jobs threads, one handle
 * each (mountdb(3): one handle per thread is safe); documents come out in
 * input order. */
#ifndef MOUNTDB_BATCH_H
#define MOUNTDB_BATCH_H

#include "output.h"

/* What one input left for its writer: filled by the command's open step
 * on a worker thread, released by its close step once printed. */
struct batch_item {
  const char *path;
  mountdb *db;                  /* NULL when err applies */
  mountdb_error err;            /* "FILE: reason", said on stderr */
  mountdb_correlation *corr;    /* show, check --disk: where each volume is */
  mountdb_devices *devices;     /* devices: the join */
  void *own;                    /* the step's own (devices: other hives) */
  int failed;                   /* err applies (batch.c: db was NULL) */
  int unreadable;               /* exit status: EXIT_HIVE */
  int findings;                 /* exit status: EXIT_FINDINGS */
};

struct batch;

/* A command's step for one input; NULL in struct batch: show's and
 * check's (open, check, --disk correlation). */
struct batch_step {
  void (*open) (const struct batch *b, struct batch_item *it);
  void (*close) (struct batch_item *it);
  const struct out_writer *(*writer_for) (enum out_format fmt);
};

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
  const struct batch_step *step; /* NULL: show and check */
  const void *ctx;              /* the step's options (devices: its hives) */
};

/* Returns the exit status, bits ORed as fsck does: EXIT_HIVE when a hive
 * could not be read or the output failed, | EXIT_FINDINGS when an item
 * says so (check: a shown finding at or above fail_on; show: not a SYSTEM
 * hive; devices: a hive of the wrong kind); EXIT_OK otherwise.  A
 * failed output returns EXIT_HIVE alone.  A hive that cannot be read
 * never stops the others: its message names it, in input order. */
int batch_run (const struct batch *b);

/* Usage checks of the batch options once parsed: EXIT_USAGE after saying
 * why, or 0.  has_hives: HIVE operands were given. */
int batch_check_usage (const struct batch *b, int has_hives);

#endif
