/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb replay: write a dirty hive with its logs applied (L rules). */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

/* mountdb replay --help, before the write options. */
static const char help[] =
  "The logs (HIVE.LOG1, HIVE.LOG2, HIVE.LOG beside it, or --log) are\n"
  "replayed in memory as Windows would; the result is clean (both\n"
  "sequence numbers equal, checksum right, file type 0).  Times are\n"
  "kept unless --timestamp says otherwise.  With --in-place the old\n"
  "logs are moved aside with the backup.\n";

/* replay: no edit; the writer writes the recovered image (L rules). */
static int
op_replay (struct edit *e, char **a, int nargs)
{
  (void) a, (void) nargs;
  if (mountdb_logs_applied (e->db))
    return 0;
  const mountdb_header *h = mountdb_file_header (e->db);
  const char *why = mountdb_logs_summary (e->db);
  cli_error ("replay", "%s: %s%s", mountdb_path (e->db),
           !h->dirty ? "the hive is clean: there is nothing to replay"
           : (e->open_flags & MOUNTDB_OPEN_NO_LOGS)
           ? "--no-logs: the logs were not read, so there is nothing to replay"
           : why ? why : "no transaction logs found beside the hive",
           !h->dirty ? "" : "; name the logs with --log FILE (once per log), "
           "or write the primary alone with another command and "
           "--discard-logs (the logs' changes are then lost)");
  return h->dirty ? EXIT_FINDINGS : EXIT_OK;
}

const struct edit_op edit_replay = {
  .nargs = 0, .run = op_replay, .help = help
};
