/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb automount: turn automatic drive letters on or off (W7). */
#include <config.h>
#include <strings.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

static int
op_automount (struct edit *e, char **a, int nargs)
{
  (void) nargs;
  int on;
  if (strcasecmp (a[0], "on") == 0) /* as letters: any case */
    on = 1;
  else if (strcasecmp (a[0], "off") == 0)
    on = 0;
  else
    return usage_error (e->op, "expected on or off, not '%s'", a[0]);
  mountdb_error err;
  int rc = mountdb_txn_automount (e->txn, on, &err);
  return rc < 0 ? edit_fail (e, &err, rc) : 0;
}

const struct edit_op edit_automount = { .nargs = 1, .run = op_automount };
