/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb assign: give a drive letter to a volume (W2). */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

/* mountdb assign --help, before the write options. */
static const char help[] =
  "VOLUME: C: (the volume holding a letter now), {GUID} or\n"
  "\\??\\Volume{GUID}, mbr:SIGNATURE:OFFSET (OFFSET in bytes or with a\n"
  "unit: 1MiB, 2048s), gpt:GUID, hex:BYTES, disk:PATH:N (partition N of\n"
  "a disk or raw image: the ID it gets).  A VOLUME the hive does not\n"
  "know is refused (exit 4), naming the closest volumes it has: a typo\n"
  "is no new disk.  To pre-seed one (mbr:, gpt:, hex:, disk:), pass\n"
  "--new: it\n"
  "gets an entry and a volume GUID name.\n\n"
  "      --new         VOLUME may be new to the hive (pre-seeding, W8)\n"
  "      --move        the volume may lose the letter it has now\n"
  "      --take        take X: from the volume that holds it (that volume\n"
  "                    gets a no-letter marker)\n";

static int
op_assign (struct edit *e, char **a, int nargs)
{
  (void) nargs;
  mountdb_spec *spec = NULL;
  int rc = edit_spec (e, a[1], &spec);
  if (rc != 0)
    return rc;
  mountdb_error err;
  unsigned fl = (e->move ? MOUNTDB_ASSIGN_MOVE : 0)
                | (e->take ? MOUNTDB_ASSIGN_TAKE : 0)
                | (e->is_new ? MOUNTDB_ASSIGN_NEW : 0);
  rc = mountdb_txn_assign (e->txn, e->letter[0], spec, fl, &err);
  mountdb_spec_free (spec);
  return rc < 0 ? edit_fail (e, &err, rc) : 0;
}

const struct edit_op edit_assign = {
  .nargs = 2, .opts = O_MOVE | O_TAKE | O_NEW, .letters = 1, .run = op_assign,
  .help = help
};
