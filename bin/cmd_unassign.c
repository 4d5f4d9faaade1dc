/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb unassign: remove a drive letter (W3). */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

int
op_unassign (struct edit *e, char **a)
{
  char x;
  int rc = edit_letter (e, a[0], &x);
  if (rc != 0)
    return rc;
  mountdb_error err;
  rc = mountdb_txn_unassign (e->txn, x,
                             e->allow_auto ? MOUNTDB_UNASSIGN_ALLOW_AUTO : 0,
                             &err);
  return rc < 0 ? edit_fail (e, &err, rc) : 0;
}
