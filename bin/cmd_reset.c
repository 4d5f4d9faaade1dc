/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb reset: delete all entries (W6). */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

/* mountdb reset --help, before the write options. */
static const char help[] =
  "      --keep-system  keep the system volume's entries\n";

static int
op_reset (struct edit *e, char **a, int nargs)
{
  (void) a, (void) nargs;
  mountdb_error err;
  int n = mountdb_txn_reset (e->txn, e->keep_system, e->wo.system_letter, &err);
  return n < 0 ? edit_fail (e, &err, n) : 0;
}

const struct edit_op edit_reset = {
  .nargs = 0, .opts = O_KEEP_SYSTEM, .run = op_reset, .help = help
};
