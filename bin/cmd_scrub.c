/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb scrub: delete entries of volumes that are gone (W5). */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

/* mountdb scrub --help, before the write options. */
static const char help[] =
  "      --keep VOLUME      a present volume (repeat for each)\n"
  "      --inventory FILE   present volumes, one spec per line\n"
  "      --all-shapes       also delete device-path and unknown IDs\n";

/* One present volume per line; each spec is checked as it is read. */
static int
inventory_entry (struct edit *e, char **w, void *ctx)
{
  (void) ctx;
  mountdb_spec *probe;
  mountdb_error err;
  if (mountdb_spec_parse (w[0], &probe, &err) < 0) {
    cli_error ("scrub", "%s", err.message);
    return EXIT_USAGE;
  }
  mountdb_spec_free (probe);
  if (md_grow (&e->keep, &e->keep_cap, e->nkeep, sizeof *e->keep) < 0)
    return EXIT_HIVE;
  if ((e->keep[e->nkeep] = strdup (w[0])) == NULL)
    return EXIT_HIVE;
  e->nkeep++;
  return 0;
}

static int
read_inventory (struct edit *e)
{
  return edit_read_list (e, e->inventory, 1, "one volume spec", inventory_entry,
                    NULL);
}

static int
op_scrub (struct edit *e, char **a, int nargs)
{
  (void) a, (void) nargs;
  int rc = e->inventory ? read_inventory (e) : 0;
  if (rc != 0)
    return rc;
  if (e->nkeep == 0)
    return usage_error (e->op, "scrub needs the complete inventory of present "
                        "volumes: --keep VOLUME... or --inventory FILE (W5)");
  mountdb_spec **specs = calloc (e->nkeep, sizeof *specs);
  if (specs == NULL)
    return EXIT_HIVE;
  for (size_t i = 0; i < e->nkeep && rc == 0; i++)
    rc = edit_spec (e, e->keep[i], &specs[i]);
  if (rc == 0) {
    mountdb_error err;
    int n = mountdb_txn_scrub (e->txn, (const mountdb_spec *const *) specs,
                               e->nkeep, e->all_shapes ? MOUNTDB_SCRUB_ALL_SHAPES : 0,
                               &err);
    if (n < 0)
      rc = edit_fail (e, &err, n);
  }
  for (size_t i = 0; i < e->nkeep; i++)
    mountdb_spec_free (specs[i]);
  free (specs);
  return rc;
}

const struct edit_op edit_scrub = {
  .nargs = 0, .opts = O_SCRUB, .run = op_scrub, .help = help
};
