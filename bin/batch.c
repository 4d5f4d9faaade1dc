/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loop shared by show and check. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountdb.h"
#include "cli.h"
#include "batch.h"

/* Format into memory, then write: a writer that fails half-way leaves no
 * partial document behind.  Returns 0, -1 (format failed), -2 (write). */
enum { STEP_BEGIN, STEP_HIVE, STEP_END };

static int
step (const struct out_writer *w, int what, const struct hive_result *r,
      size_t i, size_t n)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *ms = open_memstream (&buf, &len);
  if (ms == NULL)
    return -1;
  int rc = what == STEP_BEGIN ? w->begin (ms, n)
           : what == STEP_HIVE ? w->hive (ms, r, i) : w->end (ms, n);
  if (fclose (ms) != 0)
    rc = -1;
  if (rc == 0 && len && fwrite (buf, 1, len, stdout) != len)
    rc = -2;
  free (buf);
  return rc;
}

static int
worst_shown (const struct hive_result *r)
{
  int worst = -1;
  for (size_t i = 0; i < mountdb_finding_count (r->db); i++) {
    const mountdb_finding *f = mountdb_finding_get (r->db, i);
    if (out_finding_shown (r, f) && mountdb_finding_severity (f) > worst)
      worst = mountdb_finding_severity (f);
  }
  return worst;
}

int
batch_run (const struct batch *b)
{
  const struct out_writer *w = out_writer_for (b->fmt);
  if (b->nlogs && b->nhives != 1) {
    cli_error (b->cmd, "--log names the logs of one hive; give "
             "one HIVE");
    return EXIT_USAGE;
  }
  int unreadable = 0, worst = -1, not_system = 0;
  if (step (w, STEP_BEGIN, NULL, 0, b->nhives) < 0)
    goto write_failed;
  for (size_t i = 0; i < b->nhives; i++) {
    mountdb *db = NULL;
    mountdb_error err;
    int rc = mountdb_open_with_logs (b->hives[i], b->open_flags, b->logs,
                                     b->nlogs, &db, &err);
    if (rc == 0 && (rc = mountdb_check (db, b->system_letter)) < 0) {
      snprintf (err.message, sizeof err.message, "%s: checking failed: %s",
                b->hives[i], mountdb_strerror (rc));
      err.code = rc;
      mountdb_close (db);
      db = NULL;
    }
    if (rc < 0) {
      cli_error (b->cmd, "%s", err.message);
      unreadable = 1;
    }
    struct hive_result r = { b->hives[i], db, db ? NULL : &err, b->mode,
                             b->ignore };
    if (db) {
      int ws = worst_shown (&r);
      worst = ws > worst ? ws : worst;
      not_system |= mountdb_hive_kind (db) != MOUNTDB_HIVE_SYSTEM;
    }
    rc = step (w, STEP_HIVE, &r, i, b->nhives);
    mountdb_close (db);
    if (rc == -2)
      goto write_failed;
    if (rc < 0) {
      cli_error (b->cmd, "%s: cannot format the result: %s", b->hives[i], strerror (errno));
      unreadable = 1;
    }
  }
  if (step (w, STEP_END, NULL, 0, b->nhives) < 0 || fflush (stdout) != 0)
    goto write_failed;
  /* Bits ORed as fsck does: 8|4 = 12 when one hive could not be read and
   * another has findings (or, for show, is not a SYSTEM hive: R4). */
  int findings = (b->mode == MODE_CHECK && worst >= b->fail_on)
                 || (b->mode == MODE_SHOW && not_system);
  return (unreadable ? EXIT_HIVE : EXIT_OK)
         | (findings ? EXIT_FINDINGS : EXIT_OK);

write_failed:
  cli_error (b->cmd, "cannot write the output: %s",
           strerror (errno));
  return EXIT_HIVE;
}
