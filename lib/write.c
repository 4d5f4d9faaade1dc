/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The writer: one verified, atomic write of a transaction's final list
 * (section 7: H1-H9; section 9: F1, F5-F7).
 *
 * hivex is the engine but decides nothing: it reads the sealed in-memory
 * copy (never the evidence file), gets the whole final list in one
 * hivex_node_set_values call (W10, H5) and commits into a temp file next
 * to the target.  What hivex leaves out or gets wrong (key and header
 * times, Windows' checksum rule, durability) is fixed in the temp file's
 * bytes; the file is fsynced, read back through the ordinary reader,
 * compared with the final list and checked against the V rules, and only
 * then renamed into place (without replacing anything, unless in place,
 * where a backup of the original bytes comes first).  Any failure removes
 * what was made and leaves the input and the target as they were.
 *
 * This file is the policy and the order of the steps; the steps live by
 * concern: write_hive.c (hivex), write_patch.c (base block and key times),
 * write_file.c (temp files, hashing, renames, durability), write_inplace.c
 * (backup, lock, logs aside), write_verify.c (read back, compare, V
 * policy), report.c (mountdb_report), write_fault.c (test hooks). */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "write_int.h"

/* The largest Unix time whose FILETIME still fits in an int64 (hivex and
 * the reader treat FILETIMEs as signed). */
#define MAX_UNIX_SECONDS \
  ((uint64_t) (INT64_MAX - (int64_t) MD_FILETIME_UNIX_EPOCH) / 10000000u)

struct name_ref {
  const uint16_t *u;
  size_t n;
  size_t idx;
};

static int
cmp_name_ref (const void *a, const void *b)
{
  const struct name_ref *x = a, *y = b;
  int c = md_cmp_fold (x->u, x->n, y->u, y->n);
  return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static int
crash (struct wctx *w, const char *step)
{
  w->crashed = 1;
  return md_error (w->err, MOUNTDB_E_IO, 0, w->named,
                   "simulated crash after %s", step);
}

/* ---- times (F7) ------------------------------------------------------------------- */

static int
time_now (uint64_t *ft, mountdb_error *err)
{
  const char *sde = getenv ("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    uint64_t s = 0;
    size_t i = 0;
    for (; sde[i] >= '0' && sde[i] <= '9' && i < 16; i++)
      s = s * 10 + (uint64_t) (sde[i] - '0');
    if (sde[i] != '\0' || s > MAX_UNIX_SECONDS)
      return md_error (err, MOUNTDB_E_INVAL, 0, "SOURCE_DATE_EPOCH",
                       "\"%.32s\" is not a number of seconds since "
                       "1970-01-01 (F7)", sde);
    *ft = s * 10000000u + MD_FILETIME_UNIX_EPOCH;
    return 0;
  }
  struct timespec ts;
  if (clock_gettime (CLOCK_REALTIME, &ts) < 0 || ts.tv_sec < 0)
    return md_error (err, MOUNTDB_E_IO, errno, "clock",
                     "cannot read the time: %s", strerror (errno));
  *ft = (uint64_t) ts.tv_sec * 10000000u + (uint64_t) ts.tv_nsec / 100
        + MD_FILETIME_UNIX_EPOCH;
  return 0;
}

static int
plan_times (struct wctx *w)
{
  switch (w->o.timestamp_mode) {
  case MOUNTDB_TS_NOW: {
    int rc = time_now (&w->edit_time, w->err);
    if (rc < 0)
      return rc;
    w->set_hdr_time = 1;
    break;
  }
  case MOUNTDB_TS_FIXED:
    if (w->o.timestamp > (uint64_t) INT64_MAX)
      return md_error (w->err, MOUNTDB_E_INVAL, 0, w->named,
                       "fixed timestamp %llu is past the FILETIME range",
                       (unsigned long long) w->o.timestamp);
    w->edit_time = w->o.timestamp;
    w->set_hdr_time = 1;
    break;
  case MOUNTDB_TS_KEEP:
    /* Header and existing keys keep their times (hivex touches neither);
     * a key made now gets the header's time. */
    w->edit_time = w->db->img_hdr.last_written;
    w->set_hdr_time = 0;
    break;
  default:
    return md_error (w->err, MOUNTDB_E_INVAL, 0, w->named,
                     "unknown timestamp mode %d", w->o.timestamp_mode);
  }
  w->hdr_time = w->set_hdr_time ? w->edit_time : w->db->img_hdr.last_written;
  return 0;
}

/* ---- preconditions ----------------------------------------------------------------- */

static int
check_input (struct wctx *w)
{
  const mountdb *db = w->db;
  if (db->flags & MOUNTDB_OPEN_UNSAFE)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "opened in unsafe mode, which may have skipped damaged "
                     "parts: refusing to write from it (H3); open it without "
                     "--unsafe");
  if (db->key_state == MOUNTDB_KEY_NO_ROOT
      || db->key_state == MOUNTDB_KEY_UNREADABLE)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "MountedDevices or the root key cannot be read: "
                     "refusing to rewrite what cannot be read");
  if (db->img_hdr.dirty && !w->o.discard_logs)
    /* Say what works: replay needs usable logs, which this hive lacks. */
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "the hive is dirty (sequence %u/%u%s): its .LOG1/.LOG2 "
                     "files hold changes not yet in it.  hivex would mark "
                     "the output clean and Windows would then ignore those "
                     "logs, losing the changes for good (H2).  %s%s%s, or "
                     "pass --discard-logs to write without them",
                     db->img_hdr.seq1, db->img_hdr.seq2,
                     db->img_hdr.checksum_ok ? "" : ", bad checksum",
                     (db->flags & MOUNTDB_OPEN_NO_LOGS)
                     ? "The logs were not read (--no-logs): drop --no-logs "
                       "so they are replayed first"
                     : "No usable logs were found (",
                     (db->flags & MOUNTDB_OPEN_NO_LOGS) ? ""
                     : db->logs_summary ? db->logs_summary
                     : "none beside the hive",
                     (db->flags & MOUNTDB_OPEN_NO_LOGS) ? ""
                     : "): name them with --log FILE (once per log) so they "
                       "are replayed first");
  char l = w->o.system_letter;
  if (l != 0 && !(l >= 'A' && l <= 'Z') && !(l >= 'a' && l <= 'z'))
    return md_error (w->err, MOUNTDB_E_INVAL, 0, db->path,
                     "system letter '%c' is not A-Z", l);
  return 0;
}

/* The final list: every name must pass through hivex unchanged, no two
 * names may be equal but for case (H5, V6), no value may need big data
 * (H4). */
static int
check_list (struct wctx *w)
{
  const mountdb_txn *txn = w->txn;
  char shown[200], shown2[200];
  for (size_t i = 0; i < txn->nvals; i++) {
    const struct md_val *v = &txn->vals[i];
    if (v->len > MD_MAX_CELL_DATA) {
      md_w_name_for_msg (v->name16, v->n16, shown, sizeof shown);
      return md_error (w->err, MOUNTDB_E_REFUSED, 0, w->db->path,
                       "value %zu (\"%s\") holds %zu bytes: Windows keeps "
                       "values over %u bytes as big data, which hivex cannot "
                       "write (it would write one cell that Windows misreads); "
                       "refusing to rewrite the key (H4)", i, shown, v->len,
                       MD_MAX_CELL_DATA);
    }
    const char *why;
    char *s = md_w_name_utf8 (v->name16, v->n16, &why);
    if (s == NULL && why == NULL)
      return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->db->path,
                       "out of memory");
    free (s);
    if (s == NULL) {
      md_w_name_for_msg (v->name16, v->n16, shown, sizeof shown);
      return md_error (w->err, MOUNTDB_E_REFUSED, 0, w->db->path,
                       "value %zu (\"%s\") %s: refusing to write rather than "
                       "alter the name; delete the value first if it may go",
                       i, shown, why);
    }
  }
  if (txn->nvals < 2)
    return 0;
  struct name_ref *r = malloc (txn->nvals * sizeof *r);
  if (r == NULL)
    return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->db->path,
                     "out of memory");
  for (size_t i = 0; i < txn->nvals; i++)
    r[i] = (struct name_ref) { txn->vals[i].name16, txn->vals[i].n16, i };
  qsort (r, txn->nvals, sizeof *r, cmp_name_ref);
  int rc = 0;
  for (size_t i = 1; i < txn->nvals && rc == 0; i++)
    if (md_cmp_fold (r[i - 1].u, r[i - 1].n, r[i].u, r[i].n) == 0) {
      md_w_name_for_msg (r[i - 1].u, r[i - 1].n, shown, sizeof shown);
      md_w_name_for_msg (r[i].u, r[i].n, shown2, sizeof shown2);
      rc = md_error (w->err, MOUNTDB_E_REFUSED, 0, w->db->path,
                     "values %zu (\"%s\") and %zu (\"%s\") are equal but for "
                     "case: the registry holds a name once, so Windows would "
                     "see only one of them (V6, H5); delete one first",
                     r[i - 1].idx, shown, r[i].idx, shown2);
    }
  free (r);
  return rc;
}

/* ---- the whole write ------------------------------------------------------------ */

void
mountdb_write_opts_init (mountdb_write_opts *opts)
{
  memset (opts, 0, sizeof *opts);
  opts->struct_size = sizeof *opts;
  opts->backup = 1;
  opts->timestamp_mode = MOUNTDB_TS_NOW;
}

#define STEP(call, name)                                                  \
  do {                                                                    \
    if (rc == 0) {                                                        \
      rc = (call);                                                        \
      if (rc == 0 && md_fault_crash_here (name))                                   \
        rc = crash (&w, name);                                            \
    }                                                                     \
  } while (0)

static int
write_run (const mountdb *db, const mountdb_txn *txn, const char *out,
           const mountdb_write_opts *opts, mountdb_report **report,
           mountdb_error *err, int dry)
{
  if (err)
    memset (err, 0, sizeof *err);
  if (report)
    *report = NULL;
  if (db == NULL || txn == NULL)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, db ? db->path : out,
                     "invalid argument");
  if (txn->db != db)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, db->path,
                     "the transaction was made on another handle");
  /* Not a SYSTEM hive, or a differencing one: no change to MountedDevices
   * (a replay alone changes none). */
  if (mountdb_txn_change_count (txn) > 0 && md_hive_writable (db, err) < 0)
    return MOUNTDB_E_REFUSED;
  struct wctx w;
  memset (&w, 0, sizeof w);
  w.db = db;
  w.txn = txn;
  w.err = err;
  w.tmpfd = w.bakfd = w.lockfd = -1;
  w.dry = dry;
  if (md_write_opts_load (&w.o, opts, db->path, err) < 0)
    return MOUNTDB_E_INVAL;
  if (!w.o.in_place && (out == NULL || *out == '\0') && !dry)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, db->path,
                     "no output file named (and not in place)");
  w.target = w.o.in_place ? db->path : out && *out ? out : NULL;
  w.named = w.target ? w.target : db->path;

  int rc = check_input (&w);
  if (rc == 0)
    rc = md_w_scan_input (&w);
  if (rc == 0)
    rc = check_list (&w);
  if (rc == 0 && w.target) /* a dry run may name no target */
    rc = md_w_check_target (&w);
  if (rc == 0)
    rc = plan_times (&w);
  if (rc == 0)
    rc = md_w_input_hash (&w);
  hive_h *h = NULL;
  if (rc == 0)
    rc = md_w_engine_build (&w, &h);
  STEP (dry ? md_w_mem_temp (&w) : md_w_make_temp (&w, &w.tmp, &w.tmpfd, "mkstemp"),
        "mkstemp");
  STEP (md_w_commit (&w, h), "commit");
  md_hive_close (h);
  struct patch p;
  STEP (md_w_read_back (&w, &p), "open_temp");
  STEP (md_w_write_patch (&w, &p), "write_temp");
  if (!dry)
    STEP (md_w_sync_temp (&w), "fsync_temp");
  STEP (md_w_verify (&w), "verify");
  if (rc == 0)
    rc = md_w_policy (&w);
  if (w.o.in_place) {
    if (rc == 0)
      rc = md_w_input_unchanged (&w); /* takes the lock, unless a dry run */
    if (!dry)
      STEP (md_w_make_backup (&w), "backup");
  }
  mountdb_report *r = NULL;
  if (rc == 0)
    rc = md_w_report_new (&w, &r);
  if (!dry) {
    STEP (md_w_put_in_place (&w), "rename");
    STEP (md_w_sync_dir_or_undo (&w), "fsync_dir");
  }
  if (rc == 0 && !dry && w.o.in_place && db->logs_applied && r)
    md_w_move_logs_aside (&w, r);
  if (rc == 0 && w.o.in_place && !w.o.backup && w.backup) {
    /* The backup was only the way back if the rename could not be made
     * durable. */
    if (unlink (w.backup) == 0)
      md_w_fsync_dir (w.dir);
  }
  md_w_cleanup (&w, rc < 0);
  if (rc < 0 || report == NULL)
    mountdb_report_free (r);
  else
    *report = r;
  return rc;
}

int
mountdb_write (const mountdb *db, const mountdb_txn *txn, const char *out,
               const mountdb_write_opts *opts, mountdb_report **report,
               mountdb_error *err)
{
  return write_run (db, txn, out, opts, report, err, 0);
}

int
mountdb_write_dry_run (const mountdb *db, const mountdb_txn *txn,
                       const char *out, const mountdb_write_opts *opts,
                       mountdb_report **report, mountdb_error *err)
{
  return write_run (db, txn, out, opts, report, err, 1);
}
