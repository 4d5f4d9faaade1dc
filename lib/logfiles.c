/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transaction logs as files (section 8, F2, F4): find them beside the
 * hive, read each once through the evidence layer (hashed, never written),
 * and replay them with the pure core (logs.c) into the hive's in-memory
 * copy, which hivex then reads like any clean hive.  The replay records
 * the bytes it replaces in the copy's undo record, so the primary as read
 * stays available for backups and hashing without a second copy. */
#include <config.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "read.h"
#include "logs.h"
#include "regf.h"

/* HIVE.LOG1, HIVE.LOG2, HIVE.LOG in its directory, any letter case (NTFS
 * images copied to Linux keep whatever case Windows used).  Found paths
 * go to out[0..2] in that order; absent ones stay NULL. */
static int
discover (const char *hive, char *out[3])
{
  static const char *const ext[3] = { ".LOG1", ".LOG2", ".LOG" };
  const char *slash = strrchr (hive, '/');
  const char *base = slash ? slash + 1 : hive;
  size_t dlen = slash ? (size_t) (slash - hive) : 0;
  char *dir = slash ? strndup (hive, dlen ? dlen : 1) : strdup (".");
  if (dir == NULL)
    return MOUNTDB_E_NOMEM;
  DIR *d = opendir (dir);
  int rc = 0;
  if (d != NULL) {
    size_t blen = strlen (base);
    struct dirent *de;
    while (rc == 0 && (de = readdir (d)) != NULL) {
      if (strncasecmp (de->d_name, base, blen) != 0)
        continue;
      for (int k = 0; k < 3; k++)
        if (out[k] == NULL && strcasecmp (de->d_name + blen, ext[k]) == 0) {
          size_t n = strlen (dir) + 1 + strlen (de->d_name) + 1;
          out[k] = malloc (n);
          if (out[k] == NULL)
            rc = MOUNTDB_E_NOMEM;
          else
            snprintf (out[k], n, "%s/%s", dir, de->d_name);
        }
    }
    closedir (d);
  }
  free (dir);
  return rc;
}

/* ---- how much of a log to keep (issue 10 item 6) ------------------------------ */

struct log_budget {
  uint64_t left;             /* bytes the logs may still keep */
  uint64_t extent;           /* of the last log measured */
};

/* A log's extent: its base block and the entries its headers chain (new
 * format) or the pages its dirty vector counts (old format), plus 4096
 * bytes so the replay can still say why it stopped.  Past it nothing is
 * read by the replay; those bytes are hashed, not kept.  Unrecognised
 * logs keep their first 4096 bytes (enough to say what they are). */
static uint64_t
log_extent (const uint8_t *b, size_t len, int fd, void *ctx)
{
  struct log_budget *bu = ctx;
  uint64_t ext = MD_REGF_SIZE;
  if (fd < 0)
    ext = MOUNTDB_MAX_HIVE_SIZE; /* not seekable: keep it all (budget) */
  else if (len >= MD_LOG_BASE_SIZE
           && memcmp (b, MD_REGF_SIGNATURE_TEXT, 4) == 0) {
    uint32_t type = md_le32 (b + MD_REGF_TYPE);
    uint32_t hbins = md_le32 (b + MD_REGF_HBINS_SIZE);
    uint64_t off = MD_LOG_BASE_SIZE;
    const uint64_t sector = MD_LOG_SECTOR;
    if (type == 6) {
      uint8_t h[MD_HVLE_SIZE + 4];
      while (off <= bu->left
             && pread (fd, h, sizeof h, (off_t) off) == (ssize_t) sizeof h
             && memcmp (h, MD_HVLE_SIGNATURE_TEXT, 4) == 0
             && md_le32 (h + MD_HVLE_SIZE) >= sector
             && md_le32 (h + MD_HVLE_SIZE) % sector == 0)
        off += md_le32 (h + MD_HVLE_SIZE);
    } else if ((type == 1 || type == 2) && hbins
               && hbins % MD_HBIN_ALIGN == 0) {
      size_t nbytes = hbins / MD_HBIN_ALIGN;
      uint8_t *bm = malloc (nbytes);
      uint64_t count = 0;
      if (bm && pread (fd, bm, nbytes, MD_DIRT_BITMAP) == (ssize_t) nbytes)
        for (size_t k = 0; k < nbytes; k++)
          for (uint8_t v = bm[k]; v; v &= (uint8_t) (v - 1))
            count++;
      free (bm);
      off = (MD_DIRT_BITMAP + (uint64_t) nbytes + sector - 1) / sector
            * sector + count * sector;
    }
    ext = off + MD_REGF_SIZE;
  }
  bu->extent = ext;
  /* One byte over the budget is enough to refuse it. */
  return ext > bu->left ? bu->left + 1 : ext;
}

/* db->logs has room for MD_LOGS_MAX_INPUTS from the start: each entry's
 * info points into itself, so the array must never move. */
static int
add_log (mountdb *db, const char *path)
{
  if (db->logs == NULL
      && (db->logs = calloc (MD_LOGS_MAX_INPUTS, sizeof *db->logs)) == NULL)
    return MOUNTDB_E_NOMEM;
  if (db->nlogs >= MD_LOGS_MAX_INPUTS)
    return MOUNTDB_E_INVAL;
  struct md_log *l = &db->logs[db->nlogs];
  memset (l, 0, sizeof *l);
  if ((l->path = strdup (path)) == NULL)
    return MOUNTDB_E_NOMEM;
  l->info.path = l->path;
  l->info.note = l->note;
  db->nlogs++;
  return 0;
}

int
md_logs_attach (mountdb *db, const char *const *given, size_t ngiven,
                mountdb_error *err)
{
  char *found[3] = { NULL, NULL, NULL };
  int rc = 0;
  if (ngiven > MD_LOGS_MAX_INPUTS)
    return md_error (err, MOUNTDB_E_INVAL, 0, db->path,
                     "at most %d transaction logs", MD_LOGS_MAX_INPUTS);
  /* Standard input has no files beside it: only --log names its logs. */
  if (ngiven == 0 && !db->img.from_stdin
      && (rc = discover (db->path, found)) < 0)
    return md_error (err, rc, ENOMEM, db->path, "out of memory");

  /* Logs together keep at most the hive's copy + MD_SLACK_KEEP: a log
   * holds pages of its hive, and memory stays within hive + 16 MiB. */
  struct log_budget budget = { db->img.size + MD_SLACK_KEEP, 0 };
  md_image imgs[MD_LOGS_MAX_INPUTS];
  md_log_input in[MD_LOGS_MAX_INPUTS];
  size_t n = 0;
  for (size_t k = 0; k < MD_LOGS_MAX_INPUTS; k++)
    imgs[k].memfd = -1;
  for (size_t k = 0; rc == 0 && k < (ngiven ? ngiven : 3); k++) {
    const char *p = ngiven ? given[k] : found[k];
    if (p == NULL)
      continue;
    if ((rc = add_log (db, p)) < 0) {
      md_error (err, rc, ENOMEM, db->path, "out of memory");
      break;
    }
    struct md_log *l = &db->logs[db->nlogs - 1];
    mountdb_error lerr;
    /* Logs are evidence too: read once, hashed, never written (F2). */
    int lrc = md_image_load (p, db->flags & MOUNTDB_OPEN_NO_HASH, log_extent,
                             &budget, &imgs[n], &lerr);
    /* What the replay may read: the extent (past it, zeros or bytes not
     * kept). */
    uint64_t used = lrc == 0 && imgs[n].extent < imgs[n].size
                    ? imgs[n].extent : imgs[n].size;
    if (lrc == 0 && used > budget.left) {
      lrc = md_error (&lerr, MOUNTDB_E_TOOBIG, EFBIG, p,
                      "its entries span %llu bytes, more than the %llu bytes "
                      "left for logs (the hive + 16 MiB in all)",
                      (unsigned long long) budget.extent,
                      (unsigned long long) budget.left);
      md_image_release (&imgs[n]);
    }
    if (lrc == 0)
      budget.left -= used;
    if (lrc < 0) {
      if (ngiven) { /* a log named explicitly must be readable */
        if (err)
          *err = lerr;
        rc = lrc;
        break;
      }
      snprintf (l->note, sizeof l->note, "not read: %.240s", lerr.message);
      continue;
    }
    l->info.size = imgs[n].file_size;
    if (imgs[n].hashed) {
      memcpy (l->sha256, imgs[n].sha256, sizeof l->sha256);
      l->info.sha256 = l->sha256;
    }
    in[n].data = imgs[n].size ? md_image_map (&imgs[n]) : NULL;
    in[n].len = in[n].data ? (size_t) used : 0;
    /* Names point into db->logs, which outlive found[]. */
    in[n].name = strrchr (l->path, '/') ? strrchr (l->path, '/') + 1 : l->path;
    n++;
  }
  for (int k = 0; k < 3; k++)
    free (found[k]);

  if (rc == 0 && db->nlogs > 0) {
    md_image *img = &db->img;
    size_t room = md_logs_room ((size_t) img->size, in, n, NULL);
    uint8_t *buf = md_image_map_rw (img, room);
    size_t out_len = 0;
    md_logs_result res;
    int st = buf ? md_logs_replay_inplace (buf, (size_t) img->size, room, in,
                                           n, NULL, &out_len, &img->undo,
                                           &res)
                 : MOUNTDB_E_NOMEM;
    if (buf && md_image_unmap_rw (img, buf, room, st == MD_LOGS_APPLIED
                                  ? out_len : img->size) < 0)
      rc = md_error (err, MOUNTDB_E_NOMEM, errno, db->path,
                     "cannot resize the in-memory copy: %s",
                     strerror (errno));
    else if (buf == NULL)
      rc = md_error (err, MOUNTDB_E_NOMEM, errno, db->path,
                     "cannot map the in-memory copy: %s", strerror (errno));
    else if (st < 0)
      rc = md_error (err, st, 0, db->path, "replaying the logs failed: %s",
                     res.reason);
    else {
      /* Per-log outcome, matched by position among the logs read. */
      for (size_t k = 0, j = 0; k < db->nlogs && j < n; k++) {
        struct md_log *l = &db->logs[k];
        if (l->note[0])
          continue; /* not read */
        const md_log_report *r = &res.logs[j++];
        l->info.format = r->format;
        l->info.valid = r->valid;
        l->info.used = r->used;
        l->info.first_seq = r->first_seq;
        l->info.last_seq = r->last_seq;
        l->info.entries = r->entries;
        l->info.pages = r->pages;
        snprintf (l->note, sizeof l->note, "%.255s", r->note);
      }
      db->logs_summary = strdup (res.reason);
      if (db->logs_summary == NULL)
        rc = md_error (err, MOUNTDB_E_NOMEM, ENOMEM, db->path, "out of memory");
      else if (st == MD_LOGS_APPLIED) {
        db->logs_first = res.first_seq;
        db->logs_last = res.last_seq;
        db->logs_pages = res.pages;
        mountdb_header_parse (img->base, img->base_len, &db->img_hdr);
        db->logs_applied = 1;
        rc = md_diag_add (&db->diags, MOUNTDB_DIAG_LOGS_APPLIED,
                          "transaction logs applied: %s", res.reason);
      } else if (st == MD_LOGS_REFUSED)
        rc = md_diag_add (&db->diags, MOUNTDB_DIAG_LOGS_REFUSED,
                          "transaction logs not applied: %s", res.reason);
    }
  }
  if (rc == 0 && db->nlogs == 0 && db->logs_summary == NULL
      && (db->logs_summary = strdup (db->img.from_stdin
                                     ? "read from standard input: no "
                                       "transaction logs beside it (name "
                                       "them with --log)"
                                     : "no transaction logs found beside "
                                       "the hive")) == NULL)
    rc = md_error (err, MOUNTDB_E_NOMEM, ENOMEM, db->path, "out of memory");
  for (size_t k = 0; k < n; k++) {
    md_image_unmap (&imgs[k], in[k].data);
    md_image_release (&imgs[k]);
  }
  return rc;
}

void
md_logs_free (mountdb *db)
{
  for (size_t i = 0; i < db->nlogs; i++)
    free (db->logs[i].path);
  free (db->logs);
  free (db->logs_summary);
}

/* ---- public accessors -------------------------------------------------------- */

int mountdb_logs_applied (const mountdb *db) { return db->logs_applied; }
const char *mountdb_logs_summary (const mountdb *db) { return db->logs_summary; }
size_t mountdb_log_count (const mountdb *db) { return db->nlogs; }

void
mountdb_logs_range (const mountdb *db, uint32_t *first, uint32_t *last,
                    uint64_t *pages)
{
  if (first)
    *first = db->logs_first;
  if (last)
    *last = db->logs_last;
  if (pages)
    *pages = db->logs_pages;
}

const mountdb_log_info *
mountdb_log_get (const mountdb *db, size_t i)
{
  return i < db->nlogs ? &db->logs[i].info : NULL;
}

const mountdb_header *
mountdb_image_header (const mountdb *db)
{
  return &db->img_hdr;
}
