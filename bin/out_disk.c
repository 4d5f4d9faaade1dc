/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --disk on show and check (issue 13): opening the disks once per batch,
 * and the per-volume "where is it" every format adds.  The library
 * decides (mountdb_correlate); this only formats. */
#include <config.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountdb.h"
#include "cli.h"
#include "escape.h"
#include "grow.h"
#include "output.h"
#include "out_disk.h"

/* ---- the set --------------------------------------------------------------------- */

int
disk_set_add (struct disk_set *s, const char *path)
{
  if (md_grow (&s->paths, &s->cap, s->n, sizeof *s->paths) < 0)
    return -1;
  s->paths[s->n++] = path;
  return 0;
}

/* Opening the disks on a thread while the hives are read (issue 13:
 * show --disk costs at most 2 ms more than show): 4 disks are about 1 ms
 * of libblkid reads plus loading libblkid, a hive tens of ms. */
struct disk_async {
  pthread_t tid;
  int started;                  /* tid runs open_all */
  pthread_mutex_t mu;
  int done;                     /* joined and reported */
  int failed;
  const char *cmd;
};

/* The index of the first naming of disk i: i, or an earlier one. */
static size_t
first_naming (const struct disk_set *s, size_t i)
{
  size_t k;
  for (k = 0; k < i && strcmp (s->paths[k], s->paths[i]) != 0; k++)
    ;
  return k;
}

/* Open every disk into s; no output (it may run on a thread). */
static int
open_all (struct disk_set *s)
{
  int failed = 0;
  for (size_t i = 0; i < s->n; i++) {
    mountdb_error err;
    memset (&err, 0, sizeof err);
    /* The same disk named twice is opened once: a second handle would
     * make it collide with itself (V12). */
    if (first_naming (s, i) < i) {
      s->codes[i] = MOUNTDB_E_INVAL;
      s->errors[i] = strdup ("given twice; counted once");
      continue;
    }
    int rc = mountdb_disk_open (s->paths[i], 0, &s->d[i], &err);
    if (rc < 0) {
      s->codes[i] = rc;
      s->errors[i] = strdup (err.message);
      s->d[i] = NULL;
      failed++;
    }
  }
  return failed;
}

static void *
open_thread (void *arg)
{
  struct disk_set *s = arg;
  s->async->failed = open_all (s);
  return NULL;
}

/* Each disk's error or warnings on stderr, in the order given. */
static void
report (const struct disk_set *s, const char *cmd)
{
  for (size_t i = 0; i < s->n; i++) {
    if (first_naming (s, i) < i)
      cli_error (cmd, "%s: given twice; counted once", s->paths[i]);
    else if (s->d[i] == NULL)
      cli_error (cmd, "%s", s->errors[i] ? s->errors[i] : s->paths[i]);
    else
      for (size_t w = 0; w < mountdb_disk_warning_count (s->d[i]); w++)
        cli_error (cmd, "warning: %s", mountdb_disk_warning_get (s->d[i], w));
  }
}

int
disk_set_open (struct disk_set *s, const char *cmd)
{
  s->d = calloc (s->n ? s->n : 1, sizeof *s->d);
  s->errors = calloc (s->n ? s->n : 1, sizeof *s->errors);
  s->codes = calloc (s->n ? s->n : 1, sizeof *s->codes);
  s->async = calloc (1, sizeof *s->async);
  if (s->d == NULL || s->errors == NULL || s->codes == NULL
      || s->async == NULL)
    return -1;
  pthread_mutex_init (&s->async->mu, NULL);
  s->async->cmd = cmd;
  s->async->started = pthread_create (&s->async->tid, NULL, open_thread,
                                      s) == 0;
  if (!s->async->started)       /* no thread: open them here */
    s->async->failed = open_all (s);
  return 0;
}

int
disk_set_wait (const struct disk_set *s)
{
  struct disk_async *a = s ? s->async : NULL;
  if (a == NULL)
    return 0;
  pthread_mutex_lock (&a->mu);
  if (!a->done) {
    if (a->started)
      pthread_join (a->tid, NULL);
    report (s, a->cmd);
    a->done = 1;
  }
  int failed = a->failed;
  pthread_mutex_unlock (&a->mu);
  return failed;
}

void
disk_set_free (struct disk_set *s)
{
  if (s->async) {
    disk_set_wait (s);
    pthread_mutex_destroy (&s->async->mu);
    free (s->async);
  }
  for (size_t i = 0; s->d && i < s->n; i++)
    mountdb_disk_close (s->d[i]);
  for (size_t i = 0; s->errors && i < s->n; i++)
    free (s->errors[i]);
  free (s->d);
  free (s->errors);
  free (s->codes);
  free (s->paths);
  memset (s, 0, sizeof *s);
}

/* JSON: the library writes a volume's "disk" and the "disks" (lib/json.c). */

/* ---- text ------------------------------------------------------------------------ */

/* "1 MiB", "931.5 GiB": sizes for people. */
static void
human (uint64_t v, char out[32])
{
  static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
  int k = 0;
  double x = (double) v;
  while (x >= 1024 && k < 5) {
    x /= 1024;
    k++;
  }
  if (k == 0 || x == (double) (uint64_t) x)
    snprintf (out, 32, "%llu %s", (unsigned long long) x, u[k]);
  else
    snprintf (out, 32, "%.1f %s", x, u[k]);
}

#define TCOLS 9

void
out_text_disks (struct md_sbuf *b, const struct hive_result *r)
{
  if (r->corr == NULL || r->db == NULL)
    return;
  size_t nv = mountdb_volume_count (r->db);
  static const char *const head[TCOLS] = {
    "VOL", "ON DISK", "PART", "START", "SIZE", "TYPE", "FS", "LABEL",
    "SERIAL" };
  char **cells = calloc ((nv + 1) * TCOLS, sizeof *cells);
  size_t w[TCOLS] = { 0 };
  if (cells == NULL) {
    b->err = 1;
    return;
  }
  for (size_t c = 0; c < TCOLS; c++)
    cells[c] = strdup (head[c]);
  for (size_t v = 0; v < nv; v++) {
    char **row = cells + (v + 1) * TCOLS;
    const mountdb_partition *p = mountdb_correlation_partition (r->corr, v);
    char tmp[64];
    struct md_sbuf e;
    snprintf (tmp, sizeof tmp, "%zu", v);
    row[0] = strdup (tmp);
    md_sb_init (&e);
    if (p)
      esc_text_utf8 (&e, mountdb_disk_path (mountdb_partition_disk (p)));
    else
      md_sb_puts (&e, mountdb_disk_status_name (
                        mountdb_correlation_status (r->corr, v)));
    row[1] = md_sb_take (&e);
    if (p) {
      snprintf (tmp, sizeof tmp, "%u", mountdb_partition_number (p));
      row[2] = strdup (tmp);
      human (mountdb_partition_start (p), tmp);
      row[3] = strdup (tmp);
      human (mountdb_partition_size (p), tmp);
      row[4] = strdup (tmp);
      const char *tn = mountdb_partition_type_name (p);
      if (tn == NULL && mountdb_partition_type_guid (p) == NULL)
        snprintf (tmp, sizeof tmp, "0x%02x", mountdb_partition_mbr_type (p));
      row[5] = strdup (tn ? tn : mountdb_partition_type_guid (p)
                       ? mountdb_partition_type_guid (p) : tmp);
      const char *fs = mountdb_partition_fs (p);
      row[6] = strdup (fs ? fs : "-");
      md_sb_init (&e);
      esc_text_utf8 (&e, mountdb_partition_label (p) ? mountdb_partition_label (p) : "-");
      row[7] = md_sb_take (&e);
      md_sb_init (&e);
      esc_text_utf8 (&e, mountdb_partition_serial (p) ? mountdb_partition_serial (p) : "-");
      row[8] = md_sb_take (&e);
    }
  }
  for (size_t i = 0; i < (nv + 1) * TCOLS; i++)
    if (cells[i] && esc_width (cells[i]) > w[i % TCOLS])
      w[i % TCOLS] = esc_width (cells[i]);
  md_sb_puts (b, "\nDisks:");
  for (size_t d = 0; r->disks && d < r->disks->n; d++) {
    const mountdb_disk *k = r->disks->d[d];
    md_sb_puts (b, d ? ", " : " ");
    esc_text_utf8 (b, r->disks->paths[d]);
    if (k == NULL)
      md_sb_puts (b, " (unreadable)");
    else
      md_sb_printf (b, " (%s)", mountdb_table_name (mountdb_disk_table (k)));
  }
  md_sb_putc (b, '\n');
  for (size_t row = 0; row <= nv; row++) {
    /* The last non-empty cell is not padded: no trailing blanks. */
    size_t last = 0;
    for (size_t c = 0; c < TCOLS; c++)
      if (cells[row * TCOLS + c])
        last = c;
    for (size_t c = 0; c <= last; c++) {
      const char *s = cells[row * TCOLS + c] ? cells[row * TCOLS + c] : "";
      md_sb_puts (b, s);
      if (c < last)
        for (size_t pad = esc_width (s); pad < w[c] + 2; pad++)
          md_sb_putc (b, ' ');
    }
    md_sb_putc (b, '\n');
  }
  for (size_t i = 0; i < (nv + 1) * TCOLS; i++)
    free (cells[i]);
  free (cells);
}

/* ---- CSV ------------------------------------------------------------------------- */

/* "present: PATH partition N", "absent", "unresolved"; NULL without
 * --disk.  Unescaped: the caller escapes as its format does. */
const char *
out_disk_words (const struct hive_result *r, size_t vol, char *buf,
                size_t size)
{
  if (r->corr == NULL)
    return NULL;
  const mountdb_partition *p = mountdb_correlation_partition (r->corr, vol);
  const char *st = mountdb_disk_status_name (
                     mountdb_correlation_status (r->corr, vol));
  if (p)
    snprintf (buf, size, "volume %zu: %s: %s partition %u", vol, st,
              mountdb_disk_path (mountdb_partition_disk (p)),
              mountdb_partition_number (p));
  else
    snprintf (buf, size, "volume %zu: %s", vol, st);
  return buf;
}
