/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The write commands' shared driver (cmd_edit.c) and what each command's
 * file (cmd_assign.c, ...) uses of it. */
#ifndef MOUNTDB_EDIT_H
#define MOUNTDB_EDIT_H

#include <stddef.h>
#include "mountdb.h"

struct edit {
  const char *op;
  /* options */
  const char *out;
  int in_place, no_backup, dry_run, force, discard_logs, json;
  int move, take, is_new, allow_auto, all_shapes, keep_system;
  const char *table, *inventory, *disk_signature;
  unsigned open_flags;
  const char *logs[3];
  size_t nlogs;
  char **keep;
  size_t nkeep, keep_cap;
  const char *to_disk, *from_disk; /* remap --to-disk, --from-disk */
  const char **disks;           /* scrub --disk (--disks-complete) */
  size_t ndisks, disks_cap;
  int disks_complete;
  mountdb_write_opts wo;
  char letter[2];               /* the edit_op's drive-letter operands */
  /* state */
  mountdb *db;
  mountdb_txn *txn;
  char **warnings;
  size_t nwarnings, warnings_cap;
};

/* Library errors -> documented exit codes, after printing the message. */
int edit_fail (const struct edit *e, const mountdb_error *err, int rc);
/* A warning for the change report (W1 unmapped letters). */
int edit_warn (struct edit *e, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));
int edit_spec (const struct edit *e, const char *text, mountdb_spec **out);
int edit_letter (const struct edit *e, const char *s, char *out);
int edit_read_list (struct edit *e, const char *path, int nwords,
                    const char *what,
                    int (*fn) (struct edit *e, char **words, void *ctx),
                    void *ctx);

/* Options only some write commands take (edit_op.opts). */
enum { O_MOVE = 1, O_TAKE = 2, O_ALLOW_AUTO = 4, O_TABLE = 8, O_SCRUB = 16,
       O_KEEP_SYSTEM = 32, O_NEW = 64, O_TO_DISK = 128 };

/* What a write command adds to its row of the command table (mountdb.c):
 * defined in its own file (cmd_assign.c, ...), run by cmd_edit. */
struct edit_op {
  int nargs;                    /* operands after HIVE; -1: run decides */
  unsigned opts;                /* O_* options it takes */
  int letters;                  /* its first operands are drive letters,
                                   parsed into e->letter[] before run */
  /* Builds the transaction from the operands after HIVE: 0, or the exit
   * status after printing why. */
  int (*run) (struct edit *e, char **args, int nargs);
  const char *help;             /* CMD --help before the write options */
};

#endif
