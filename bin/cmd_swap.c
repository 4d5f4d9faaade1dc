/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb swap: exchange two drive letters (W4). */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

int
op_swap (struct edit *e, char **a)
{
  char x, y;
  int rc = edit_letter (e, a[0], &x);
  if (rc == 0)
    rc = edit_letter (e, a[1], &y);
  if (rc != 0)
    return rc;
  mountdb_error err;
  rc = mountdb_txn_swap (e->txn, x, y, &err);
  return rc < 0 ? edit_fail (e, &err, rc) : 0;
}

