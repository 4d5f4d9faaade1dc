/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb swap: exchange two drive letters (W4). */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

static int
op_swap (struct edit *e, char **a, int nargs)
{
  (void) a, (void) nargs;
  mountdb_error err;
  int rc = mountdb_txn_swap (e->txn, e->letter[0], e->letter[1], &err);
  return rc < 0 ? edit_fail (e, &err, rc) : 0;
}

const struct edit_op edit_swap = { .nargs = 2, .letters = 2, .run = op_swap };
