/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb scrub: delete entries of volumes that are gone (W5). */
#include <config.h>
#include <stdio.h>
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
  "      --all-shapes       also delete device-path and unknown IDs\n"
  "      --disks-complete   the given --disk are all the machine's disks:\n"
  "                         keep the volumes of their partitions (and IDs\n"
  "                         that may be on a dynamic disk, V14)\n"
  "      --disk PATH        a disk or raw image (repeat for each)\n";

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
keep_text (struct edit *e, const char *text)
{
  if (md_grow (&e->keep, &e->keep_cap, e->nkeep, sizeof *e->keep) < 0)
    return EXIT_HIVE;
  if ((e->keep[e->nkeep] = strdup (text)) == NULL)
    return EXIT_HIVE;
  e->nkeep++;
  return 0;
}

/* --disks-complete: the inventory is every partition of the disks that
 * gets a unique ID, plus (V14) the hive's IDs that may be volumes of a
 * given dynamic disk, which no table lists.  A disk that cannot be read
 * refuses the scrub: the inventory would not be complete. */
static int
disks_inventory (struct edit *e)
{
  mountdb_disk **d = calloc (e->ndisks, sizeof *d);
  mountdb_correlation *corr = NULL;
  mountdb_error err;
  int rc = d ? 0 : EXIT_HIVE;
  for (size_t i = 0; i < e->ndisks && rc == 0; i++)
    if (mountdb_disk_open (e->disks[i], 0, &d[i], &err) < 0) {
      cli_error (e->op, "%s (the inventory would not be complete: nothing "
                 "scrubbed)", err.message);
      rc = EXIT_HIVE;
    }
  for (size_t i = 0; i < e->ndisks && rc == 0; i++)
    for (size_t k = 0; k < mountdb_disk_partition_count (d[i]) && rc == 0; k++) {
      const char *spec = mountdb_partition_spec (mountdb_disk_partition_get (d[i], k));
      if (spec)
        rc = keep_text (e, spec);
    }
  if (rc == 0 && mountdb_correlate (e->db, (const mountdb_disk *const *) d,
                                    e->ndisks, &corr, &err) < 0)
    rc = edit_fail (e, &err, err.code);
  size_t kept = 0;
  for (size_t v = 0; rc == 0 && v < mountdb_volume_count (e->db); v++) {
    const mountdb_volume *vol = mountdb_volume_get (e->db, v);
    int shape = mountdb_uid_shape (mountdb_volume_uid (vol));
    if (mountdb_correlation_status (corr, v) != MOUNTDB_DISK_UNRESOLVED
        || (shape != MOUNTDB_SHAPE_MBR && shape != MOUNTDB_SHAPE_DMIO))
      continue;
    size_t len;
    const uint8_t *id = mountdb_volume_data (vol, &len);
    char *t = malloc (4 + 2 * len + 1);
    if (t == NULL) {
      rc = EXIT_HIVE;
      break;
    }
    memcpy (t, "hex:", 4);
    for (size_t b = 0; b < len; b++)
      snprintf (t + 4 + 2 * b, 3, "%02x", id[b]);
    rc = keep_text (e, t);
    free (t);
    kept++;
  }
  if (rc == 0 && kept)
    edit_warn (e, "kept %zu ID%s that may be volumes of a given dynamic disk "
               "(V14: never stale)", kept, kept == 1 ? "" : "s");
  mountdb_correlation_free (corr);
  for (size_t i = 0; d && i < e->ndisks; i++)
    mountdb_disk_close (d[i]);
  free (d);
  return rc;
}

static int
op_scrub (struct edit *e, char **a, int nargs)
{
  (void) a, (void) nargs;
  if (e->ndisks && !e->disks_complete)
    return usage_error (e->op, "--disk goes with --disks-complete (scrub "
                        "keeps only what the disks hold: say they are all)");
  if (e->disks_complete && e->ndisks == 0)
    return usage_error (e->op, "--disks-complete needs --disk PATH (each of "
                        "the machine's disks)");
  int rc = e->inventory ? read_inventory (e) : 0;
  if (rc == 0 && e->disks_complete)
    rc = disks_inventory (e);
  if (rc != 0)
    return rc;
  if (e->nkeep == 0)
    return usage_error (e->op, "scrub needs the complete inventory of present "
                        "volumes: --keep VOLUME..., --inventory FILE or "
                        "--disks-complete --disk PATH... (W5)");
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
