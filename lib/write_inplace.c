/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* In place: the backup of the original bytes, the lock and the check that
 * the input is still what was read, and the logs moved aside after. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "write_int.h"

/* ---- in place: backup, and the input must still be what was read --------------- */

int
md_w_make_backup (struct wctx *w)
{
  if (md_fault_fail_here ("backup"))
    return md_w_io_fail (w, w->target, "backup");
  char stamp[32];
  time_t now = time (NULL);
  struct tm tm;
  if (gmtime_r (&now, &tm) == NULL
      || strftime (stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm) == 0)
    return md_error (w->err, MOUNTDB_E_IO, 0, w->target,
                     "backup: cannot format the time");
  int rc = md_w_make_temp (w, &w->bak_tmp, &w->bakfd, NULL);
  if (rc < 0)
    return rc;
  if (fchmod (w->bakfd, w->mode) < 0)
    return md_w_io_fail (w, w->bak_tmp, "chmod");
  char sha[65];
  rc = md_w_image_pass (&w->db->img, w->bakfd, sha);
  if (rc == MOUNTDB_E_CRYPTO)
    return md_error (w->err, rc, 0, w->bak_tmp, "SHA-256 failed");
  if (rc < 0)
    return md_w_io_fail (w, w->bak_tmp, "writing the backup");
  if (strcmp (sha, w->sha_before) != 0)
    return md_error (w->err, MOUNTDB_E_IO, 0, w->bak_tmp,
                     "the backup's SHA-256 %s is not the input's %s", sha,
                     w->sha_before);
  /* The backup is the original: its owner (where allowed), mode and
   * times too (issue 9). */
  if (w->in_st_ok) {
    if (fchown (w->bakfd, w->in_st.st_uid, w->in_st.st_gid) < 0)
      errno = 0; /* only root may give a file away: best effort */
    struct timespec tv[2] = { w->in_st.st_atim, w->in_st.st_mtim };
    if (futimens (w->bakfd, tv) < 0)
      return md_w_io_fail (w, w->bak_tmp, "setting the backup's times");
  }
  if (fsync (w->bakfd) < 0)
    return md_w_io_fail (w, w->bak_tmp, "fsync");
  rc = close (w->bakfd);
  w->bakfd = -1;
  if (rc < 0)
    return md_w_io_fail (w, w->bak_tmp, "close");
  for (int k = 0; k < 1000 && w->backup == NULL; k++) {
    char *name = k ? md_strdup_printf ("%s.mountdb-backup-%s-%d", w->target, stamp, k)
                 : md_strdup_printf ("%s.mountdb-backup-%s", w->target, stamp);
    if (name == NULL)
      return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->target,
                       "out of memory");
    int leftover = 0;
    if (md_w_rename_noreplace (w->bak_tmp, name, &leftover) == 0) {
      w->backup = name;
      if (!leftover) {
        free (w->bak_tmp);
        w->bak_tmp = NULL;
      }
      break;
    }
    int e = errno;
    free (name);
    if (e != EEXIST) {
      errno = e;
      return md_w_io_fail (w, w->bak_tmp, "naming the backup");
    }
  }
  if (w->backup == NULL)
    return md_error (w->err, MOUNTDB_E_EXISTS, EEXIST, w->target,
                     "backup: every backup name for this second is taken");
  /* The backup must be on disk before the input is replaced. */
  if (md_w_fsync_dir (w->dir) < 0)
    return md_w_io_fail (w, w->dir, "fsync");
  if (md_fault_fail_here ("hold_lock"))
    usleep (500000); /* test hook: hold the lock while another writer waits */
  return 0;
}

/* In place: an exclusive flock(2) on the target itself, held from the
 * check that it is still what was read until the rename is durable, so
 * two writers cannot both pass the check and one lose the other's change
 * (issue 10).  The lock is on the file, and the rename replaces the file:
 * a writer that waited finds the name leading to another file, and locks
 * that one instead (then finds it changed and refuses).  flock, not a
 * lock file: nothing is left behind, and the kernel drops it when the
 * writer dies.  A dry run only reads: it compares without locking. */
static int
lock_target (struct wctx *w)
{
  const char *p = w->db->path;
  int base = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  for (int tries = 0; tries < 100; tries++) {
    int fd = open (p, base | O_NOATIME);
    if (fd < 0 && errno == EPERM)
      fd = open (p, base);
    if (fd < 0)
      return md_w_io_fail (w, p, "re-reading the input");
    int rc = 0;
    while (!w->dry && (rc = flock (fd, LOCK_EX)) < 0 && errno == EINTR)
      ;
    if (rc < 0) {
      int e = errno;
      close (fd);
      errno = e;
      return md_w_io_fail (w, p, "locking the input (flock)");
    }
    struct stat a, b;
    if (fstat (fd, &a) == 0 && stat (p, &b) == 0 && a.st_dev == b.st_dev
        && a.st_ino == b.st_ino) {
      w->lockfd = fd;
      return 0;
    }
    close (fd); /* replaced while we waited: lock the new file */
  }
  return md_error (w->err, MOUNTDB_E_REFUSED, 0, p,
                   "keeps being replaced by other writers: not replacing it");
}

int
md_w_input_unchanged (struct wctx *w)
{
  const char *p = w->db->path;
  int rc = lock_target (w);
  if (rc < 0)
    return rc;
  struct stat st;
  if (fstat (w->lockfd, &st) < 0 || !S_ISREG (st.st_mode))
    return md_error (w->err, MOUNTDB_E_NOTREG, 0, p,
                     "is no longer a regular file: not replacing it");
  char sha[65];
  rc = md_w_hash_fd (w->lockfd, sha);
  if (rc == MOUNTDB_E_CRYPTO)
    return md_error (w->err, rc, 0, p, "SHA-256 failed");
  if (rc < 0)
    return md_w_io_fail (w, p, "re-reading the input");
  if (strcmp (sha, w->sha_before) != 0)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, p,
                     "changed on disk since it was read (SHA-256 now %s, "
                     "read as %s), perhaps by another writer: not replacing "
                     "it; run the command again", sha, w->sha_before);
  return 0;
}

/* After an in-place write of a replayed hive: the old logs would hold
 * entries for a primary that no longer exists, so they go aside with the
 * same suffix as the backup (L rules).  The hive is already replaced; a
 * log that cannot be moved is said in the report, not undone. */
void
md_w_move_logs_aside (struct wctx *w, struct mountdb_report *r)
{
  const mountdb *db = w->db;
  const char *suffix = w->backup ? w->backup + strlen (w->target) : NULL;
  char stamp[64];
  if (suffix == NULL) {
    snprintf (stamp, sizeof stamp, ".mountdb-stale-%llu",
              (unsigned long long) time (NULL));
    suffix = stamp;
  }
  for (size_t i = 0; i < db->nlogs && r->nmoved < MD_LOGS_MAX_MOVED; i++) {
    const char *log = db->logs[i].path;
    char *to = md_strdup_printf ("%s%s", log, suffix);
    if (to == NULL)
      break;
    int ok = access (log, F_OK) == 0 && rename (log, to) == 0;
    r->moved[r->nmoved] = ok ? md_strdup_printf ("%s -> %s", log, to)
                             : md_strdup_printf ("%s: could not be moved aside: %s",
                                           log, strerror (errno));
    if (r->moved[r->nmoved])
      r->nmoved++;
    free (to);
  }
  md_w_fsync_dir (w->dir);
}
