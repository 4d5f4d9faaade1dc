/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb replay: write a dirty hive with its logs applied (L rules). */
#include <config.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

/* replay: no edit; the writer writes the recovered image (L rules). */
int
op_replay (struct edit *e, char **a)
{
  (void) a;
  if (mountdb_logs_applied (e->db))
    return 0;
  const mountdb_header *h = mountdb_get_header (e->db);
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
