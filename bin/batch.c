/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loop shared by show and check. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountdb.h"
#include "grow.h"
#include "cli.h"
#include "batch.h"
#include "out_disk.h"

/* A hive's document goes to stdout through a spool: the first SPOOL_KEEP
 * bytes are held in memory, so a document whose formatting fails (a hive
 * that could not be read gets its small error document instead) leaves
 * nothing behind.  A document past that size (show on a key of 100k
 * values is 125 MB of JSON) streams from then on rather than being held
 * whole: once the hive is read and checked, formatting only reads the
 * model, so what can still fail is the write itself (which can leave a
 * partial document whatever is buffered) or memory for one entry's text.
 * Spilling to a temporary file instead would keep even that case clean,
 * but costs a second copy of the whole document on disk and half the CPU
 * budget of the 100k-value benchmark (issue 10 item 8). */
#define SPOOL_KEEP ((size_t) 2 << 20)

struct spool {
  char *buf;
  size_t len, cap;
  int streaming;                /* buf was written out: writes go through */
  int werr;                     /* writing stdout failed (errno kept) */
};

static int
spool_out (struct spool *s, const char *p, size_t n)
{
  if (n && fwrite (p, 1, n, stdout) != n) {
    s->werr = 1;
    return -1;
  }
  return 0;
}

static ssize_t
spool_write (void *cookie, const char *p, size_t n)
{
  struct spool *s = cookie;
  if (s->werr)
    return -1;
  if (!s->streaming && s->len + n > SPOOL_KEEP) {
    s->streaming = 1;
    if (spool_out (s, s->buf, s->len) < 0)
      return -1;
    free (s->buf);
    s->buf = NULL;
    s->len = s->cap = 0;
  }
  if (s->streaming)
    return spool_out (s, p, n) < 0 ? -1 : (ssize_t) n;
  if (n && md_grow (&s->buf, &s->cap, s->len + n - 1, 1) < 0) {
    errno = ENOMEM;
    return -1;
  }
  memcpy (s->buf + s->len, p, n);
  s->len += n;
  return (ssize_t) n;
}

/* Returns 0, -1 (format failed, nothing written), -2 (write failed) or
 * -3 (format failed after part of the document was streamed). */
enum { STEP_BEGIN, STEP_HIVE, STEP_END };

static int
step (const struct out_writer *w, int what, const struct hive_result *r,
      size_t i, size_t n)
{
  struct spool s = { NULL, 0, 0, 0, 0 };
  cookie_io_functions_t io = { NULL, spool_write, NULL, NULL };
  FILE *ms = fopencookie (&s, "w", io);
  if (ms == NULL)
    return -1;
  /* Writers emit in pieces of up to 64 KiB: one copy each, not two. */
  setvbuf (ms, NULL, _IOFBF, (size_t) 64 << 10);
  int rc = what == STEP_BEGIN ? w->begin (ms, n)
           : what == STEP_HIVE ? w->hive (ms, r, i) : w->end (ms, n);
  if (fclose (ms) != 0 && rc == 0)
    rc = -1;
  if (s.werr)
    rc = -2;
  else if (rc < 0 && s.streaming)
    rc = -3;
  else if (rc == 0 && spool_out (&s, s.buf, s.len) < 0)
    rc = -2;
  free (s.buf);
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
    const mountdb_disk *const *dk = b->disks
                                    ? (const mountdb_disk *const *) b->disks->d
                                    : NULL;
    size_t ndk = b->disks ? b->disks->n : 0;
    mountdb_correlation *corr = NULL;
    if (rc == 0 && ndk                 /* --disk: the rules that need them */
        && ((rc = mountdb_check_disks (db, b->system_letter, dk, ndk)) < 0
            || (rc = mountdb_correlate (db, dk, ndk, &corr, NULL)) < 0)) {
      snprintf (err.message, sizeof err.message, "%s: checking failed: %s",
                b->hives[i], mountdb_strerror (rc));
      err.code = rc;
      mountdb_close (db);
      db = NULL;
    }
    if (rc == 0 && !ndk && (rc = mountdb_check (db, b->system_letter)) < 0) {
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
                             b->ignore, b->disks, corr };
    if (db) {
      int ws = worst_shown (&r);
      worst = ws > worst ? ws : worst;
      not_system |= mountdb_hive_kind (db) != MOUNTDB_HIVE_SYSTEM;
    }
    rc = step (w, STEP_HIVE, &r, i, b->nhives);
    mountdb_correlation_free (corr);
    mountdb_close (db);
    if (rc == -2)
      goto write_failed;
    if (rc == -3) {
      cli_error (b->cmd, "%s: cannot format the rest of the result: %s; "
                 "the output is cut short", b->hives[i], strerror (errno));
      return EXIT_HIVE;
    }
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
