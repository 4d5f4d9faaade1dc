/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb apply: apply a declarative plan file. */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

int
op_apply (struct edit *e, char **a)
{
  mountdb_error err;
  int rc = mountdb_txn_apply_plan (e->txn, a[0], &err);
  return rc < 0 ? edit_fail (e, &err, rc) : 0;
}
