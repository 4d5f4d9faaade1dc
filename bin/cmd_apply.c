/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb apply: apply a declarative plan file. */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

/* mountdb apply --help, before the write options. */
static const char help[] =
  "PLAN.xml states the final state (namespace urn:mountdb:plan:1,\n"
  "checked against mountdb-plan.rng), applied in this order:\n"
  "  <remap from=\"OLD\" to=\"NEW\"/>     names move to a new unique ID (W1)\n"
  "  <letter letter=\"X\" volume=\"V\"/>  X: is V's only letter (W2)\n"
  "  <no-letter volume=\"V\"/>          V: no letter, a #{} marker (W3)\n"
  "  <automount state=\"on|off\"/>      NoAutoMount 0 or 1 (W7)\n"
  "V is a volume spec by GUID or ID (not by letter); new=\"true\" on\n"
  "letter or no-letter pre-seeds a volume the hive does not know.\n"
  "Applying a plan to its own result changes nothing.  Errors name the\n"
  "file and line.  See mountdb-plan(5) and the examples in\n"
  "testdata/plans/.  Plans need libxml2, loaded only here (missing:\n"
  "exit 8, naming it).\n";

static int
op_apply (struct edit *e, char **a, int nargs)
{
  (void) nargs;
  mountdb_error err;
  int rc = mountdb_txn_apply_plan (e->txn, a[0], &err);
  return rc < 0 ? edit_fail (e, &err, rc) : 0;
}

const struct edit_op edit_apply = {
  .nargs = 1, .run = op_apply, .help = help
};
