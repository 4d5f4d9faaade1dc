/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb unassign: remove a drive letter (W3). */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

/* mountdb unassign --help, before the write options. */
static const char help[] =
  "      --allow-auto  add no #{} marker: Windows may give the "
  "volume a new letter\n";

static int
op_unassign (struct edit *e, char **a, int nargs)
{
  (void) a, (void) nargs;
  mountdb_error err;
  int rc = mountdb_txn_unassign (e->txn, e->letter[0],
                             e->allow_auto ? MOUNTDB_UNASSIGN_ALLOW_AUTO : 0,
                             &err);
  return rc < 0 ? edit_fail (e, &err, rc) : 0;
}

const struct edit_op edit_unassign = {
  .nargs = 1, .opts = O_ALLOW_AUTO, .letters = 1, .run = op_unassign,
  .help = help
};
