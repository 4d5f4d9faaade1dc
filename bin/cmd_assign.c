/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb assign: give a drive letter to a volume (W2). */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

int
op_assign (struct edit *e, char **a)
{
  char x;
  mountdb_spec *spec = NULL;
  int rc = edit_letter (e, a[0], &x);
  if (rc == 0)
    rc = edit_spec (e, a[1], &spec);
  if (rc != 0)
    return rc;
  mountdb_error err;
  unsigned fl = (e->move ? MOUNTDB_ASSIGN_MOVE : 0)
                | (e->take ? MOUNTDB_ASSIGN_TAKE : 0)
                | (e->is_new ? MOUNTDB_ASSIGN_NEW : 0);
  rc = mountdb_txn_assign (e->txn, x, spec, fl, &err);
  mountdb_spec_free (spec);
  return rc < 0 ? edit_fail (e, &err, rc) : 0;
}
