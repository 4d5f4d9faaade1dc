/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb reset: delete all entries (W6). */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

int
op_reset (struct edit *e, char **a)
{
  (void) a;
  mountdb_error err;
  int n = mountdb_txn_reset (e->txn, e->keep_system, e->wo.system_letter, &err);
  return n < 0 ? edit_fail (e, &err, n) : 0;
}
