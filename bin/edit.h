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
  mountdb_write_opts wo;
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

/* The operations, one file each: build the transaction from the
 * arguments after HIVE.  0, or the exit status after printing why. */
int op_assign (struct edit *e, char **a);
int op_unassign (struct edit *e, char **a);
int op_swap (struct edit *e, char **a);
int op_remap (struct edit *e, char **a, int nargs);
int op_scrub (struct edit *e, char **a);
int op_reset (struct edit *e, char **a);
int op_automount (struct edit *e, char **a);
int op_apply (struct edit *e, char **a);
int op_replay (struct edit *e, char **a);

#endif
