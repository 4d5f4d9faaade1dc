/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The writer's files: temp files, hashing the input, renames that never
 * replace, durability (fsync of files and directories) and the clean-up
 * that leaves everything as it was after a failure (H1, F1). */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "digest.h"
#include "write_int.h"

/* ---- little helpers -------------------------------------------------------------- */

int
md_w_io_fail (struct wctx *w, const char *path, const char *step)
{
  int e = errno;
  return md_error (w->err, e == ENOMEM ? MOUNTDB_E_NOMEM : MOUNTDB_E_IO, e,
                   path, "%s: %s", step, strerror (e));
}

static mode_t
current_umask (void)
{
  mode_t m = 077; /* when it cannot be read: private */
  FILE *f = fopen ("/proc/self/status", "re");
  if (f == NULL)
    return m;
  char line[256];
  while (fgets (line, sizeof line, f))
    if (strncmp (line, "Umask:", 6) == 0) {
      unsigned v;
      if (sscanf (line + 6, "%o", &v) == 1)
        m = (mode_t) (v & 0777);
      break;
    }
  fclose (f);
  return m;
}

/* F1: the output is never the input (device and inode, so hard links and
 * symbolic links count), and it is a new file. */
int
md_w_check_target (struct wctx *w)
{
  const mountdb *db = w->db;
  w->in_st_ok = db->img.from_stdin ? fstat (STDIN_FILENO, &w->in_st) == 0
                : stat (db->path, &w->in_st) == 0;
  const char *slash = strrchr (w->target, '/');
  w->base = slash ? slash + 1 : w->target;
  if (*w->base == '\0' || strcmp (w->base, ".") == 0
      || strcmp (w->base, "..") == 0)
    return md_error (w->err, MOUNTDB_E_INVAL, 0, w->target,
                     "names a directory, not a file");
  if (slash == NULL)
    w->dir = strdup (".");
  else if (slash == w->target)
    w->dir = strdup ("/");
  else
    w->dir = strndup (w->target, (size_t) (slash - w->target));
  if (w->dir == NULL)
    return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->target,
                     "out of memory");

  if (w->o.in_place && db->img.from_stdin)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "standard input cannot be replaced in place: write a "
                     "new file with -o OUT");
  if (w->o.in_place && db->img.cut)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "%llu bytes past the hive bins + 16 MiB were hashed "
                     "but not kept in memory, so no exact backup can be "
                     "made: write a new file with -o OUT",
                     (unsigned long long) db->img.cut);
  if (w->o.in_place) {
    struct stat l;
    if (lstat (db->path, &l) < 0)
      return md_w_io_fail (w, db->path, "cannot stat the input");
    if (!S_ISREG (l.st_mode) || !w->in_st_ok)
      return md_error (w->err, MOUNTDB_E_NOTREG, 0, db->path,
                       "is no longer a regular file");
    w->mode = w->in_st.st_mode & 07777;
    return 0;
  }
  struct stat st;
  if (w->in_st_ok && stat (w->target, &st) == 0
      && st.st_dev == w->in_st.st_dev && st.st_ino == w->in_st.st_ino)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, w->target,
                     "is the input %s itself (same device and inode): the "
                     "input is evidence and is never written (F1); name a "
                     "new file, or use --in-place (which keeps a backup)",
                     db->path);
  if (lstat (w->target, &st) == 0)
    return md_error (w->err, MOUNTDB_E_EXISTS, EEXIST, w->target,
                     "exists: the output must be a new file (remove it "
                     "first, or name another)");
  if (errno != ENOENT)
    return md_w_io_fail (w, w->target, "cannot stat the output");
  w->mode = 0666 & ~current_umask ();
  return 0;
}

/* ---- the input's bytes ---------------------------------------------------------- */

/* The input as it was read, from its sealed copy and its undo record:
 * the hash and the backup must be the input's own bytes, not the copy's
 * (a replay, a checksum patched for hivex). */
int
md_w_image_pass (const md_image *img, int outfd, char out_hex[65])
{
  return md_digest_fd (img->memfd, img->undo.len, &img->undo, outfd, out_hex);
}

/* A file as it is on disk now. */
int
md_w_hash_fd (int fd, char out_hex[65])
{
  return md_digest_fd (fd, UINT64_MAX, NULL, -1, out_hex);
}

int
md_w_input_hash (struct wctx *w)
{
  const mountdb *db = w->db;
  if (db->hashed) {
    memcpy (w->sha_before, db->sha256, sizeof w->sha_before);
    return 0;
  }
  if (db->img.cut) /* the copy lacks the tail: its hash is not the input's */
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "the input was opened without hashing and its last "
                     "%llu bytes were not kept: open it with hashing",
                     (unsigned long long) db->img.cut);
  int rc = md_w_image_pass (&db->img, -1, w->sha_before);
  if (rc == MOUNTDB_E_CRYPTO)
    return md_error (w->err, rc, 0, db->path, "SHA-256 failed");
  if (rc < 0)
    return md_w_io_fail (w, db->path, "hashing the in-memory copy");
  return 0;
}

/* ---- files ---------------------------------------------------------------------- */

/* A new file next to the target: DIR/.BASE.mountdb-tmp-PID-XXXXXX.  The
 * PID lets a later run tell a temp file of a writer that was killed
 * (kill -9, power loss) from one being written now (see mountdb(1)). */
int
md_w_make_temp (struct wctx *w, char **path, int *fd, const char *step)
{
  *fd = -1;
  *path = md_strdup_printf ("%s/.%.200s" MOUNTDB_TEMP_INFIX "%ld-XXXXXX", w->dir,
                      w->base, (long) getpid ());
  if (*path == NULL)
    return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->dir, "out of memory");
  if ((step && md_fault_fail_here (step)) || (*fd = mkostemp (*path, O_CLOEXEC)) < 0) {
    int rc = md_w_io_fail (w, w->dir, "cannot create a temp file");
    free (*path);
    *path = NULL;
    *fd = -1;
    return rc;
  }
  return 0;
}

/* Dry run: the "temp file" is an anonymous memfd, so every later step
 * (commit, patch, verify, policy) runs exactly as for a write.  Its name
 * is its /proc/self/fd link, so a step that opens the temp file by name
 * (without O_NOFOLLOW) reads the memfd; the cleanup never unlinks it. */
int
md_w_mem_temp (struct wctx *w)
{
  if (md_fault_fail_here ("mkstemp")
      || (w->tmpfd = memfd_create ("mountdb-dry-run", MFD_CLOEXEC)) < 0)
    return md_w_io_fail (w, w->db->path, "cannot create the in-memory result");
  w->tmp = md_strdup_printf ("/proc/self/fd/%d", w->tmpfd);
  if (w->tmp == NULL)
    return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->db->path,
                     "out of memory");
  return 0;
}

/* rename(2) that never replaces: renameat2 RENAME_NOREPLACE, or where the
 * file system lacks it, link + unlink.  *leftover is set when the old name
 * could not be removed after a link. */
int
md_w_rename_noreplace (const char *from, const char *to, int *leftover)
{
  *leftover = 0;
#ifdef RENAME_NOREPLACE
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
    return -1;
#endif
  if (link (from, to) < 0)
    return -1;
  if (unlink (from) < 0)
    *leftover = 1;
  return 0;
}

int
md_w_fsync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int rc = fsync (fd);
  if (rc < 0 && errno == EINVAL)
    rc = 0; /* a file system that cannot sync directories */
  int e = errno;
  close (fd);
  errno = e;
  return rc;
}

int
md_w_sync_temp (struct wctx *w)
{
  if (md_fault_fail_here ("fsync_temp") || fsync (w->tmpfd) < 0)
    return md_w_io_fail (w, w->tmp, "fsync");
  int rc = close (w->tmpfd);
  w->tmpfd = -1;
  if (rc < 0)
    return md_w_io_fail (w, w->tmp, "close");
  return 0;
}

/* ---- commit ----------------------------------------------------------------------- */

int
md_w_put_in_place (struct wctx *w)
{
  if (md_fault_fail_here ("rename"))
    return md_w_io_fail (w, w->target, "rename");
  int leftover = 0;
  if (w->o.in_place) {
    if (rename (w->tmp, w->target) < 0)
      return md_w_io_fail (w, w->target, "rename");
  } else if (md_w_rename_noreplace (w->tmp, w->target, &leftover) < 0) {
    if (errno == EEXIST)
      return md_error (w->err, MOUNTDB_E_EXISTS, EEXIST, w->target,
                       "appeared while the hive was being written: not "
                       "replaced");
    return md_w_io_fail (w, w->target, "rename");
  }
  w->replaced = 1;
  if (!leftover) {
    free (w->tmp);
    w->tmp = NULL;
  }
  return 0;
}

/* H1: the directory entry must be on disk; if it cannot be, undo. */
int
md_w_sync_dir_or_undo (struct wctx *w)
{
  if (!md_fault_fail_here ("fsync_dir") && md_w_fsync_dir (w->dir) == 0)
    return 0;
  int e = errno;
  char undo[1200];
  if (w->o.in_place) {
    if (w->backup && rename (w->backup, w->target) == 0) {
      free (w->backup);
      w->backup = NULL;
      w->replaced = 0;
      snprintf (undo, sizeof undo, "the input was put back from the backup");
    } else
      snprintf (undo, sizeof undo, "could not undo (%s): %s holds the new "
                "hive, %s the original", strerror (errno), w->target,
                w->backup ? w->backup : "no backup");
  } else if (unlink (w->target) == 0) {
    w->replaced = 0;
    snprintf (undo, sizeof undo, "the new file was removed again");
  } else
    snprintf (undo, sizeof undo, "could not undo (%s): %s stays",
              strerror (errno), w->target);
  if (!w->replaced)
    md_w_fsync_dir (w->dir);
  return md_error (w->err, MOUNTDB_E_IO, e, w->dir, "fsync: %s; %s",
                   strerror (e), undo);
}

/* Files are left only by a simulated crash (tests). */
void
md_w_cleanup (struct wctx *w, int failed)
{
  if (w->tmpfd >= 0)
    close (w->tmpfd);
  if (w->bakfd >= 0)
    close (w->bakfd);
  if (w->lockfd >= 0)
    close (w->lockfd); /* the lock goes with it */
  if (!w->crashed) {
    if (w->tmp && !w->dry)
      unlink (w->tmp);
    if (w->bak_tmp)
      unlink (w->bak_tmp);
    if (failed && w->backup && !w->replaced)
      unlink (w->backup);
  }
  mountdb_close (w->vdb);
  free (w->tmp);
  free (w->bak_tmp);
  free (w->backup);
  free (w->dir);
}
