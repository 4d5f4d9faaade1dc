/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* H1: the written hive read back and compared with the final list and the
 * input's whole tree (issue 10), then the policy: no new V errors unless
 * forced. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "write_int.h"

/* ---- the whole hive, before and after (issue 10) ------------------------------ */

static void
scan_plan (struct wctx *w, struct md_scan *s)
{
  const mountdb *db = w->db;
  memset (s, 0, sizeof *s);
  int present = db->key_state == MOUNTDB_KEY_PRESENT;
  s->free_md = present ? !md_w_list_unchanged (db, w->txn) : w->txn->nvals > 0;
  if (w->txn->automount != -1) {
    s->free_mm = 1;
    s->control_set = db->boot_cs; /* where set_automount writes */
  }
}

static int
scan_fail (struct wctx *w, int rc, const char *path)
{
  if (rc == MOUNTDB_E_NOMEM)
    return md_error (w->err, rc, ENOMEM, path, "out of memory");
  return md_error (w->err, rc, 0, path, "SHA-256 failed");
}

/* Before hivex opens the copy for writing: every cell it will free must
 * be the rewritten key's alone and every name there exact, or hivex
 * damages other keys or aborts (issue 10). */
int
md_w_scan_input (struct wctx *w)
{
  const mountdb *db = w->db;
  scan_plan (w, &w->scan);
  const uint8_t *b = md_image_map (&db->img);
  if (b == NULL)
    return md_w_io_fail (w, db->path, "mapping the in-memory copy");
  int rc = md_scan_hive (b, (size_t) db->img.size, &w->scan);
  md_image_unmap (&db->img, b);
  if (rc == MOUNTDB_E_REFUSED)
    return md_error (w->err, rc, 0, db->path,
                     "cannot be written safely: %s.  Nothing was written; "
                     "the hive can still be read (show, check)",
                     w->scan.why);
  return rc < 0 ? scan_fail (w, rc, db->path) : 0;
}

/* After: the temp file's tree, but for the intended changes, is the
 * input's. */
static int
scan_output (struct wctx *w, char *why, size_t len)
{
  int fd = open (w->tmp, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0 || st.st_size <= 0) {
    snprintf (why, len, "the written hive cannot be read back: %s",
              strerror (errno));
    if (fd >= 0)
      close (fd);
    return -1;
  }
  void *p = mmap (NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close (fd);
  if (p == MAP_FAILED) {
    snprintf (why, len, "the written hive cannot be mapped: %s",
              strerror (errno));
    return -1;
  }
  struct md_scan after;
  scan_plan (w, &after);
  after.free_md = after.free_mm = 0; /* nothing is freed after */
  int rc = md_scan_hive (p, (size_t) st.st_size, &after);
  munmap (p, (size_t) st.st_size);
  if (rc == MOUNTDB_E_REFUSED)
    snprintf (why, len, "the written hive's key tree: %s", after.why);
  else if (rc < 0)
    snprintf (why, len, "scanning the written hive: %s",
              mountdb_strerror (rc));
  else if (memcmp (after.digest, w->scan.digest, sizeof after.digest) != 0) {
    snprintf (why, len, "a key or value outside what the change touches "
              "differs from the input's (whole-tree digest)");
    rc = -1;
  }
  return rc < 0 ? -1 : 0;
}

/* ---- H1: read it back and compare ------------------------------------------------ */

/* MOUNTDB_E_IO, "verification failed: ..." (fmt: a string literal). */
#define vfail(w, ...) \
  md_error ((w)->err, MOUNTDB_E_IO, 0, (w)->named, \
            "verification failed: " __VA_ARGS__)

int
md_w_verify (struct wctx *w)
{
  const mountdb *db = w->db;
  const mountdb_txn *txn = w->txn;
  if (md_fault_fail_here ("verify"))
    return vfail (w, "%s (injected)", strerror (errno));
  mountdb_error verr;
  int vfd = -1;
  if (w->dry && ((vfd = dup (w->tmpfd)) < 0 || lseek (vfd, 0, SEEK_SET) < 0)) {
    if (vfd >= 0)
      close (vfd);
    return vfail (w, "the result cannot be read back: %s", strerror (errno));
  }
  if ((w->dry ? md_open_fd (vfd, w->tmp, &w->vdb, &verr)
       : mountdb_open (w->tmp, 0, &w->vdb, &verr)) < 0)
    return vfail (w, "the written hive cannot be read back: %s", verr.message);
  const mountdb *v = w->vdb;
  const mountdb_header *h = &v->hdr;
  if (!h->signature_ok)
    return vfail (w, "no \"regf\" signature");
  if (!h->checksum_ok)
    return vfail (w, "base block checksum %08x, expected %08x (H6)",
                  h->checksum_stored, h->checksum_computed);
  if (h->dirty || h->seq1 != db->img_hdr.seq1 + 1)
    return vfail (w, "sequence numbers %u/%u, expected %u/%u", h->seq1,
                  h->seq2, db->img_hdr.seq1 + 1, db->img_hdr.seq1 + 1);
  if (h->last_written != w->hdr_time)
    return vfail (w, "header time %llu, expected %llu",
                  (unsigned long long) h->last_written,
                  (unsigned long long) w->hdr_time);
  /* Reading problems only: NOT_SYSTEM and later codes state what kind of
   * hive it is, which the input shares. */
  for (size_t i = 0; i < v->diags.n; i++)
    if (v->diags.v[i].code < MOUNTDB_DIAG_NOT_SYSTEM)
      return vfail (w, "%s", v->diags.v[i].message);
  int want_state = w->md_absent ? MOUNTDB_KEY_ABSENT : MOUNTDB_KEY_PRESENT;
  if (v->key_state != want_state)
    return vfail (w, "MountedDevices is %s", v->key_state == MOUNTDB_KEY_ABSENT
                  ? "missing" : "not readable");
  if (v->nentries != txn->nvals)
    return vfail (w, "MountedDevices holds %zu values, expected %zu",
                  v->nentries, txn->nvals);
  for (size_t i = 0; i < txn->nvals; i++) {
    const struct md_val *x = &txn->vals[i];
    const struct mountdb_entry *e = &v->entries[i];
    if (e->error || e->name16_len != x->n16
        || (x->n16 && memcmp (e->name16, x->name16,
                              x->n16 * sizeof *x->name16) != 0))
      return vfail (w, "value %zu does not have the name it was given", i);
    if (e->type != x->type || e->len != x->len
        || (x->len && memcmp (e->data, x->data, x->len) != 0))
      return vfail (w, "value %zu does not hold the type and data it was "
                    "given", i);
  }
  if (!w->md_absent) {
    uint64_t kt = w->md.node != MD_NO_HANDLE ? w->md.time : db->key_lastwrite;
    if (v->key_lastwrite != kt)
      return vfail (w, "MountedDevices LastWrite %llu, expected %llu",
                    (unsigned long long) v->key_lastwrite,
                    (unsigned long long) kt);
  }
  if (v->select_state != db->select_state
      || v->select_current != db->select_current)
    return vfail (w, "Select\\Current changed");
  char why[512];
  if (scan_output (w, why, sizeof why) < 0)
    return vfail (w, "%s", why);
  if (txn->automount != -1) {
    uint32_t want = txn->automount ? 0 : 1;
    if (v->noautomount_state != MOUNTDB_VALUE_OK || v->noautomount != want)
      return vfail (w, "NoAutoMount is not %u", want);
  } else if (v->noautomount_state != db->noautomount_state
             || (db->noautomount_state == MOUNTDB_VALUE_OK
                 && v->noautomount != db->noautomount))
    return vfail (w, "NoAutoMount changed");
  return 0;
}

/* ---- policy: no new V errors unless forced --------------------------------------- */

struct errset {
  char **s;
  size_t n, cap;
};

static void
errset_free (struct errset *e)
{
  for (size_t i = 0; i < e->n; i++)
    free (e->s[i]);
  free (e->s);
  e->s = NULL;
  e->n = 0;
}

/* "RULE: message" of every error-severity finding, the rules run into a
 * list of our own: the caller's handle and its findings stay untouched. */
static int
collect_errors (const mountdb *d, char letter, struct errset *out)
{
  struct md_findings fs = { NULL, 0, 0 };
  int rc = md_rules_run (d, letter, &fs);
  for (size_t i = 0; i < fs.n && rc == 0; i++) {
    const mountdb_finding *f = md_findings_get (&fs, i);
    if (mountdb_finding_severity (f) != MOUNTDB_SEV_ERROR)
      continue;
    if (md_grow (&out->s, &out->cap, out->n, sizeof *out->s) < 0
        || (out->s[out->n] = md_strdup_printf ("%s: %s", mountdb_finding_rule (f),
                                          mountdb_finding_message (f)))
           == NULL)
      rc = MOUNTDB_E_NOMEM;
    else
      out->n++;
  }
  md_findings_free (&fs);
  return rc;
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
md_w_policy (struct wctx *w)
{
  if (w->o.force)
    return 0;
  char letter = w->o.system_letter;
  struct errset after = { NULL, 0, 0 }, before = { NULL, 0, 0 };
  int rc = collect_errors (w->vdb, letter, &after);
  if (rc == 0)
    rc = collect_errors (w->db, letter, &before);
  /* Sorted, so each finding of the result is looked up in log time. */
  if (rc == 0 && before.n > 1)
    qsort (before.s, before.n, sizeof *before.s, cmp_str);
  if (rc < 0)
    rc = md_error (w->err, rc, rc == MOUNTDB_E_NOMEM ? ENOMEM : 0,
                   w->named, "checking the result failed: %s",
                   mountdb_strerror (rc));
  for (size_t i = 0; i < after.n && rc == 0; i++) {
    int old = before.n
              && bsearch (&after.s[i], before.s, before.n, sizeof *before.s,
                          cmp_str) != NULL;
    if (!old)
      rc = md_error (w->err, MOUNTDB_E_REFUSED, 0, w->named,
                     "the result has an error the input does not have: "
                     "%s; nothing was written (--force writes it anyway)",
                     after.s[i]);
  }
  errset_free (&after);
  errset_free (&before);
  return rc;
}
