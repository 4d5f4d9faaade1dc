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
 * what was made and leaves the input and the target as they were. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <hivex.h>
#include <openssl/evp.h>
#include "write.h"

#define MAX_CELL_DATA 16344u    /* H4: more is big data to Windows */
#define MAX_NAME_UNITS 16383u   /* the registry's value name limit */
#define CHUNK ((size_t) 1 << 20)
#define NO_HANDLE ((uint64_t) 0)
/* The largest Unix time whose FILETIME still fits in an int64 (hivex and
 * the reader treat FILETIMEs as signed). */
#define MAX_UNIX_SECONDS \
  ((uint64_t) (INT64_MAX - (int64_t) MD_FILETIME_UNIX_EPOCH) / 10000000u)

/* ---- fault injection (tests only) -------------------------------------------- */

static _Thread_local char fault_step[48];
static _Thread_local int fault_err;

void
md_write_set_fault (const char *step, int err)
{
  if (step == NULL)
    fault_step[0] = '\0';
  else
    snprintf (fault_step, sizeof fault_step, "%s", step);
  fault_err = err;
}

/* Nonzero, with errno set, when a test asked this step to fail. */
static int
fail_here (const char *step)
{
  if (fault_step[0] == '\0' || strcmp (fault_step, step) != 0)
    return 0;
  errno = fault_err ? fault_err : EIO;
  return 1;
}

static int
crash_here (const char *step)
{
  /* kill_after_STEP: the process dies there, as under kill -9. */
  if (strncmp (fault_step, "kill_after_", 11) == 0
      && strcmp (fault_step + 11, step) == 0)
    raise (SIGKILL);
  return strncmp (fault_step, "crash_after_", 12) == 0
         && strcmp (fault_step + 12, step) == 0;
}

/* ---- little helpers -------------------------------------------------------------- */

static int
pread_full (int fd, void *buf, size_t n, off_t at)
{
  uint8_t *p = buf;
  while (n > 0) {
    ssize_t r = pread (fd, p, n, at);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0) {
      if (r == 0)
        errno = EIO; /* shorter than it must be */
      return -1;
    }
    p += r;
    at += r;
    n -= (size_t) r;
  }
  return 0;
}

static int
pwrite_full (int fd, const void *buf, size_t n, off_t at)
{
  const uint8_t *p = buf;
  while (n > 0) {
    ssize_t r = pwrite (fd, p, n, at);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    p += r;
    at += r;
    n -= (size_t) r;
  }
  return 0;
}

static int
write_full (int fd, const void *buf, size_t n)
{
  const uint8_t *p = buf;
  while (n > 0) {
    ssize_t r = write (fd, p, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    p += r;
    n -= (size_t) r;
  }
  return 0;
}

static char *
dup_printf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

static char *
dup_printf (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int n = vsnprintf (NULL, 0, fmt, ap);
  va_end (ap);
  if (n < 0)
    return NULL;
  char *s = malloc ((size_t) n + 1);
  if (s == NULL)
    return NULL;
  va_start (ap, fmt);
  vsnprintf (s, (size_t) n + 1, fmt, ap);
  va_end (ap);
  return s;
}

/* A bounded, printable rendering of a name for messages: names are
 * untrusted, so anything but printable ASCII becomes \uXXXX. */
static void
name_for_msg (const uint16_t *u, size_t n, char *buf, size_t sz)
{
  size_t k = 0;
  size_t i = 0;
  for (; i < n && k + 8 < sz; i++) {
    if (u[i] >= 0x20 && u[i] < 0x7F && u[i] != '"')
      buf[k++] = (char) u[i];
    else
      k += (size_t) snprintf (buf + k, sz - k, "\\u%04X", u[i]);
  }
  if (i < n && k + 4 <= sz) {
    memcpy (buf + k, "...", 3);
    k += 3;
  }
  buf[k < sz ? k : sz - 1] = '\0';
}

/* ---- names: exactly these units through hivex's UTF-8 API -------------------- */

/* UTF-8 that hivex turns back into exactly these UTF-16 units (it stores a
 * name as Latin-1 when every unit fits, else as UTF-16LE).  Returns NULL
 * and sets *why when no UTF-8 C string can carry them; NULL with *why
 * NULL means out of memory. */
static char *
name_utf8 (const uint16_t *u, size_t n, const char **why)
{
  *why = NULL;
  if (n > MAX_NAME_UNITS) {
    *why = "is longer than the registry's limit of 16383 characters";
    return NULL;
  }
  char *s = malloc (3 * n + 1); /* 3 bytes per unit, 4 per pair */
  if (s == NULL)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = u[i];
    if (c == 0) {
      *why = "holds U+0000, which hivex's C-string API cannot carry";
      goto bad;
    }
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00
        && u[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (uint32_t) (u[i + 1] - 0xDC00);
      i++;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      *why = "holds an unpaired surrogate, which UTF-8 cannot carry";
      goto bad;
    }
    if (c < 0x80)
      s[k++] = (char) c;
    else if (c < 0x800) {
      s[k++] = (char) (0xC0 | (c >> 6));
      s[k++] = (char) (0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      s[k++] = (char) (0xE0 | (c >> 12));
      s[k++] = (char) (0x80 | ((c >> 6) & 0x3F));
      s[k++] = (char) (0x80 | (c & 0x3F));
    } else {
      s[k++] = (char) (0xF0 | (c >> 18));
      s[k++] = (char) (0x80 | ((c >> 12) & 0x3F));
      s[k++] = (char) (0x80 | ((c >> 6) & 0x3F));
      s[k++] = (char) (0x80 | (c & 0x3F));
    }
  }
  s[k] = '\0';
  return s;
bad:
  free (s);
  return NULL;
}

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

static const uint16_t noautomount16[] = { 'N', 'o', 'A', 'u', 't', 'o', 'M',
                                          'o', 'u', 'n', 't' };

/* ---- the write, step by step ------------------------------------------------------ */

struct stamp {
  uint64_t node;     /* nk cell (file offset), NO_HANDLE when none */
  uint64_t time;     /* FILETIME to put there */
};

struct mountdb_report;
struct wctx;
static void move_logs_aside (struct wctx *w, struct mountdb_report *r);

struct wctx {
  const mountdb *db;
  const mountdb_txn *txn;
  mountdb_write_opts o;
  mountdb_error *err;
  const char *target;        /* out, or the input itself in place */
  const char *named;         /* for messages: target, or (a dry run with
                                no target) the input */
  char *dir;                 /* the target's directory */
  const char *base;          /* the target's last component */
  struct stat in_st;         /* the input as it is on disk now */
  int in_st_ok;
  mode_t mode;               /* for the new file */
  char sha_before[65];
  /* times */
  int set_hdr_time;
  uint64_t hdr_time;
  uint64_t edit_time;        /* for keys whose values changed */
  /* what the engine did */
  struct stamp md, mm;       /* MountedDevices, mountmgr */
  int md_absent;             /* no key before, none after */
  /* files */
  char *tmp;
  int tmpfd;
  char *bak_tmp;
  int bakfd;
  char *backup;              /* the backup's final name, once made */
  int replaced;              /* the target now holds the new hive */
  int crashed;
  int dry;                   /* dry run: the result is built in a memfd
                                (tmp names it), no file is made */
  mountdb *vdb;              /* the temp file, read back */
  int lockfd;                /* in place: the target, flock'ed */
  struct md_scan scan;       /* the input's tree, without the changes */
};

static int
crash (struct wctx *w, const char *step)
{
  w->crashed = 1;
  return md_error (w->err, MOUNTDB_E_IO, 0, w->named,
                   "simulated crash after %s", step);
}

static int
io_fail (struct wctx *w, const char *path, const char *step)
{
  int e = errno;
  return md_error (w->err, e == ENOMEM ? MOUNTDB_E_NOMEM : MOUNTDB_E_IO, e,
                   path, "%s: %s", step, strerror (e));
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
    if (v->len > MAX_CELL_DATA) {
      name_for_msg (v->name16, v->n16, shown, sizeof shown);
      return md_error (w->err, MOUNTDB_E_REFUSED, 0, w->db->path,
                       "value %zu (\"%s\") holds %zu bytes: Windows keeps "
                       "values over %u bytes as big data, which hivex cannot "
                       "write (it would write one cell that Windows misreads); "
                       "refusing to rewrite the key (H4)", i, shown, v->len,
                       MAX_CELL_DATA);
    }
    const char *why;
    char *s = name_utf8 (v->name16, v->n16, &why);
    if (s == NULL && why == NULL)
      return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->db->path,
                       "out of memory");
    free (s);
    if (s == NULL) {
      name_for_msg (v->name16, v->n16, shown, sizeof shown);
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
      name_for_msg (r[i - 1].u, r[i - 1].n, shown, sizeof shown);
      name_for_msg (r[i].u, r[i].n, shown2, sizeof shown2);
      rc = md_error (w->err, MOUNTDB_E_REFUSED, 0, w->db->path,
                     "values %zu (\"%s\") and %zu (\"%s\") are equal but for "
                     "case: the registry holds a name once, so Windows would "
                     "see only one of them (V6, H5); delete one first",
                     r[i - 1].idx, shown, r[i].idx, shown2);
    }
  free (r);
  return rc;
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
static int
check_target (struct wctx *w)
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
      return io_fail (w, db->path, "cannot stat the input");
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
    return io_fail (w, w->target, "cannot stat the output");
  w->mode = 0666 & ~current_umask ();
  return 0;
}

/* ---- the input's bytes ---------------------------------------------------------- */

/* Hash fd from offset 0 to its end (or to size), copying to outfd when
 * outfd >= 0.  undo, when given, turns the sealed copy's bytes back into
 * the input's (a replay, a checksum patched for hivex): the hash and the
 * backup must be the input's own bytes. */
static int
hash_copy (int fd, uint64_t size, const md_undo *undo, int outfd,
           char out_hex[65])
{
  uint8_t *buf = malloc (CHUNK);
  EVP_MD_CTX *md = EVP_MD_CTX_new ();
  int rc = 0;
  if (buf == NULL || md == NULL) {
    rc = MOUNTDB_E_NOMEM;
    errno = ENOMEM;
    goto out;
  }
  if (EVP_DigestInit_ex (md, EVP_sha256 (), NULL) != 1) {
    rc = MOUNTDB_E_CRYPTO;
    goto out;
  }
  for (uint64_t at = 0; at < size;) {
    size_t want = size - at < CHUNK ? (size_t) (size - at) : CHUNK;
    ssize_t n = pread (fd, buf, want, (off_t) at);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 || (n == 0 && size != UINT64_MAX)) {
      if (n == 0)
        errno = EIO;
      rc = MOUNTDB_E_IO;
      goto out;
    }
    if (n == 0)
      break; /* end of a file read to its end */
    if (undo)
      md_undo_overlay (undo, buf, at, (size_t) n);
    if (EVP_DigestUpdate (md, buf, (size_t) n) != 1) {
      rc = MOUNTDB_E_CRYPTO;
      goto out;
    }
    if (outfd >= 0 && write_full (outfd, buf, (size_t) n) < 0) {
      rc = MOUNTDB_E_IO;
      goto out;
    }
    at += (uint64_t) n;
  }
  uint8_t d[32];
  unsigned dl = 0;
  if (EVP_DigestFinal_ex (md, d, &dl) != 1 || dl != 32)
    rc = MOUNTDB_E_CRYPTO;
  else
    md_hex (d, 32, out_hex);
out:
  EVP_MD_CTX_free (md);
  free (buf);
  return rc;
}

/* The input as it was read, from its sealed copy and its undo record. */
static int
image_pass (const md_image *img, int outfd, char out_hex[65])
{
  return hash_copy (img->memfd, img->undo.len, &img->undo, outfd, out_hex);
}

/* A file as it is on disk now. */
static int
hash_fd (int fd, char out_hex[65])
{
  return hash_copy (fd, UINT64_MAX, NULL, -1, out_hex);
}

static int
input_hash (struct wctx *w)
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
  int rc = image_pass (&db->img, -1, w->sha_before);
  if (rc == MOUNTDB_E_CRYPTO)
    return md_error (w->err, rc, 0, db->path, "SHA-256 failed");
  if (rc < 0)
    return io_fail (w, db->path, "hashing the in-memory copy");
  return 0;
}

/* ---- the engine: hivex on the in-memory copy -------------------------------------- */

static int
hivex_fail (struct wctx *w, const char *what)
{
  int e = errno ? errno : EINVAL;
  return md_error (w->err, e == ENOMEM ? MOUNTDB_E_NOMEM : MOUNTDB_E_CORRUPT,
                   e, w->db->path, "hivex: %s: %s", what, strerror (e));
}

static void
free_set_values (hive_set_value *sv, size_t n)
{
  for (size_t i = 0; sv && i < n; i++) {
    free (sv[i].key);
    free (sv[i].value);
  }
  free (sv);
}

/* The exact name units of a value of the copy (H8), from its vk cell:
 * -1 when they cannot be read exactly. */
static int
copy_value_name (const md_image *img, hive_value_h v, uint16_t **out,
                 size_t *n, uint32_t *data_len)
{
  int latin1;
  const uint8_t *map = md_image_map (img);
  int rc = md_hive_vk_name (map, img->size, v, out, n, &latin1, data_len);
  md_image_unmap (img, map);
  if (rc > 0)
    free (*out);
  if (rc != 0)
    return -1;
  *data_len &= 0x7FFFFFFFu;
  return 0;
}

/* W7: NoAutoMount in ControlSet00N\Services\mountmgr, N = the control set
 * the next boot loads (Select\Default, else Current).
 * hivex_node_set_value would read the key's other values back through
 * UTF-8 and big-data reassembly; this reads them exactly, refuses what
 * cannot go back unchanged and sets the whole list in one call. */
static int
set_automount (struct wctx *w, hive_h *h, hive_node_h root)
{
  const mountdb *db = w->db;
  uint32_t cur = db->boot_cs; /* Select\Default, else Current */
  char sel[160];
  if (cur == 0 || cur > 999)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "Select names no existing control set (%s), so "
                     "NoAutoMount cannot be set (W7)",
                     md_select_words (db, sel, sizeof sel));
  char csname[32];
  snprintf (csname, sizeof csname, "ControlSet%03u", cur);
  errno = 0;
  hive_node_h cs = hivex_node_get_child (h, root, csname);
  if (cs == 0 && errno)
    return hivex_fail (w, csname);
  if (cs == 0)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "the boot control set is %u but there is no %s: "
                     "refusing to set NoAutoMount (W7)", cur, csname);
  errno = 0;
  hive_node_h svc = hivex_node_get_child (h, cs, "Services");
  if (svc == 0 && errno)
    return hivex_fail (w, "Services");
  if (svc == 0)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "%s has no Services key: refusing to set NoAutoMount "
                     "in a control set that cannot boot", csname);
  errno = 0;
  hive_node_h mm = hivex_node_get_child (h, svc, "mountmgr");
  if (mm == 0 && errno)
    return hivex_fail (w, "mountmgr");

  uint8_t want[4];
  md_put_le32 (want, w->txn->automount ? 0u : 1u);
  hive_value_h *vals = NULL;
  size_t nv = 0;
  if (mm) {
    errno = 0;
    vals = hivex_node_values (h, mm);
    if (vals == NULL)
      return hivex_fail (w, "the values of mountmgr");
    while (vals[nv])
      nv++;
  }
  hive_set_value *sv = calloc (nv + 1, sizeof *sv);
  if (sv == NULL) {
    free (vals);
    return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, db->path,
                     "out of memory");
  }
  int rc = 0;
  size_t at = (size_t) -1, n = 0;
  int same = 0, made = 0;
  char shown[200];
  for (size_t i = 0; i < nv && rc == 0; i++, n++) {
    uint16_t *u = NULL;
    size_t nu = 0;
    uint32_t dlen = 0;
    if (copy_value_name (&db->img, vals[i], &u, &nu, &dlen) < 0) {
      rc = md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "value %zu of %s\\Services\\mountmgr cannot be read: "
                     "refusing to rewrite the key", i, csname);
      break;
    }
    name_for_msg (u, nu, shown, sizeof shown);
    const char *why = NULL;
    sv[i].key = name_utf8 (u, nu, &why);
    int is_nam = md_cmp_fold (u, nu, noautomount16, 11) == 0;
    free (u);
    if (sv[i].key == NULL) {
      rc = why ? md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                           "%s\\Services\\mountmgr value \"%s\" %s: refusing "
                           "to rewrite the key", csname, shown, why)
               : md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, db->path,
                           "out of memory");
      break;
    }
    if (dlen > MAX_CELL_DATA) {
      rc = md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "%s\\Services\\mountmgr value \"%s\" holds %u bytes "
                     "(big data): refusing to rewrite the key (H4)", csname,
                     shown, dlen);
      break;
    }
    hive_type t;
    size_t len;
    errno = 0;
    sv[i].value = hivex_value_value (h, vals[i], &t, &len);
    if (sv[i].value == NULL) {
      rc = md_error (w->err, MOUNTDB_E_REFUSED, errno, db->path,
                     "%s\\Services\\mountmgr value \"%s\" cannot be read: "
                     "refusing to rewrite the key", csname, shown);
      break;
    }
    sv[i].t = t;
    sv[i].len = len;
    if (is_nam) {
      if (at != (size_t) -1) {
        rc = md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                       "%s\\Services\\mountmgr holds NoAutoMount twice "
                       "(names equal but for case): refusing to guess which "
                       "one Windows reads", csname);
        break;
      }
      at = i;
      same = t == hive_t_REG_DWORD && len == 4
             && memcmp (sv[i].value, want, 4) == 0;
    }
  }
  free (vals);
  if (rc == 0 && same)
    goto out; /* already so: leave the key (and its time) alone */
  if (rc == 0 && at == (size_t) -1) {
    at = n++;
    sv[at].key = strdup ("NoAutoMount");
  } else if (rc == 0)
    free (sv[at].value);
  if (rc == 0) {
    sv[at].value = malloc (4);
    if (sv[at].key == NULL || sv[at].value == NULL)
      rc = md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, db->path,
                     "out of memory");
  }
  if (rc == 0) {
    memcpy (sv[at].value, want, 4);
    sv[at].t = hive_t_REG_DWORD;
    sv[at].len = 4;
    if (mm == 0) {
      errno = 0;
      mm = hivex_node_add_child (h, svc, "mountmgr");
      if (mm == 0)
        rc = hivex_fail (w, "creating mountmgr");
      made = 1;
    }
  }
  if (rc == 0) {
    errno = 0;
    if (hivex_node_set_values (h, mm, n, sv, 0) < 0)
      rc = hivex_fail (w, "setting the values of mountmgr");
    /* KEEP: an existing key keeps its LastWrite (hivex leaves it). */
    else if (made || w->o.timestamp_mode != MOUNTDB_TS_KEEP)
      w->mm = (struct stamp) { mm, w->edit_time };
  }
out:
  free_set_values (sv, nv + 1);
  return rc;
}

static int
list_unchanged (const mountdb *db, const mountdb_txn *txn)
{
  if (txn->nvals != db->nentries)
    return 0;
  for (size_t i = 0; i < txn->nvals; i++) {
    const struct md_val *v = &txn->vals[i];
    const struct mountdb_entry *e = &db->entries[i];
    if (v->n16 != e->name16_len || v->type != e->type || v->len != e->len
        || (v->n16 && memcmp (v->name16, e->name16,
                              v->n16 * sizeof *v->name16) != 0)
        || (v->len && memcmp (v->data, e->data, v->len) != 0))
      return 0;
  }
  return 1;
}

/* H5, W10: the whole final list in one hivex_node_set_values call. */
static int
set_mounted_devices (struct wctx *w, hive_h *h, hive_node_h root)
{
  const mountdb *db = w->db;
  const mountdb_txn *txn = w->txn;
  errno = 0;
  hive_node_h key = hivex_node_get_child (h, root, "MountedDevices");
  if (key == 0 && errno)
    return hivex_fail (w, "MountedDevices");
  if (key == 0 && txn->nvals == 0) {
    w->md_absent = 1; /* Windows makes it at boot: nothing to add */
    return 0;
  }
  if (key != 0 && list_unchanged (db, txn))
    return 0; /* its cells and time stay as they were */
  hive_set_value *sv = calloc (txn->nvals ? txn->nvals : 1, sizeof *sv);
  if (sv == NULL)
    return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, db->path,
                     "out of memory");
  int rc = 0;
  for (size_t i = 0; i < txn->nvals && rc == 0; i++) {
    const struct md_val *v = &txn->vals[i];
    const char *why;
    sv[i].key = name_utf8 (v->name16, v->n16, &why); /* checked before */
    sv[i].value = malloc (v->len ? v->len : 1);
    if (sv[i].key == NULL || sv[i].value == NULL) {
      rc = md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, db->path,
                     "out of memory");
      break;
    }
    if (v->len)
      memcpy (sv[i].value, v->data, v->len);
    sv[i].t = (hive_type) v->type;
    sv[i].len = v->len;
  }
  int made = 0;
  if (rc == 0 && key == 0) {
    errno = 0;
    key = hivex_node_add_child (h, root, "MountedDevices");
    if (key == 0)
      rc = hivex_fail (w, "creating MountedDevices");
    made = 1;
  }
  if (rc == 0) {
    errno = 0;
    if (hivex_node_set_values (h, key, txn->nvals, sv, 0) < 0)
      rc = hivex_fail (w, "setting the values of MountedDevices");
  }
  /* KEEP: an existing key keeps its LastWrite (hivex leaves it). */
  if (rc == 0 && (made || w->o.timestamp_mode != MOUNTDB_TS_KEEP))
    w->md = (struct stamp) { key, w->edit_time };
  free_set_values (sv, txn->nvals);
  return rc;
}

/* ---- the whole hive, before and after (issue 10) ------------------------------ */

static void
scan_plan (struct wctx *w, struct md_scan *s)
{
  const mountdb *db = w->db;
  memset (s, 0, sizeof *s);
  int present = db->key_state == MOUNTDB_KEY_PRESENT;
  s->free_md = present ? !list_unchanged (db, w->txn) : w->txn->nvals > 0;
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
static int
scan_input (struct wctx *w)
{
  const mountdb *db = w->db;
  scan_plan (w, &w->scan);
  const uint8_t *b = md_image_map (&db->img);
  if (b == NULL)
    return io_fail (w, db->path, "mapping the in-memory copy");
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

/* Build the new hive in hivex's memory (from the sealed copy). */
static int
engine_build (struct wctx *w, hive_h **out)
{
  char proc[64];
  snprintf (proc, sizeof proc, "/proc/self/fd/%d", w->db->img.memfd);
  errno = 0;
  hive_h *h = hivex_open (proc, HIVEX_OPEN_WRITE);
  if (h == NULL)
    return hivex_fail (w, "cannot open the in-memory copy for writing");
  int rc = 0;
  errno = 0;
  hive_node_h root = hivex_root (h);
  if (root == 0)
    rc = hivex_fail (w, "no root key");
  /* mountmgr first: it reads the copy's cells before anything moves. */
  if (rc == 0 && w->txn->automount != -1)
    rc = set_automount (w, h, root);
  if (rc == 0)
    rc = set_mounted_devices (w, h, root);
  if (rc < 0)
    hivex_close (h);
  else
    *out = h;
  return rc;
}

/* ---- files ---------------------------------------------------------------------- */

/* A new file next to the target: DIR/.BASE.mountdb-tmp-PID-XXXXXX.  The
 * PID lets a later run tell a temp file of a writer that was killed
 * (kill -9, power loss) from one being written now (see mountdb(1)). */
static int
make_temp (struct wctx *w, char **path, int *fd, const char *step)
{
  *fd = -1;
  *path = dup_printf ("%s/.%.200s" MOUNTDB_TEMP_INFIX "%ld-XXXXXX", w->dir,
                      w->base, (long) getpid ());
  if (*path == NULL)
    return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->dir, "out of memory");
  if ((step && fail_here (step)) || (*fd = mkostemp (*path, O_CLOEXEC)) < 0) {
    int rc = io_fail (w, w->dir, "cannot create a temp file");
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
static int
mem_temp (struct wctx *w)
{
  if (fail_here ("mkstemp")
      || (w->tmpfd = memfd_create ("mountdb-dry-run", MFD_CLOEXEC)) < 0)
    return io_fail (w, w->db->path, "cannot create the in-memory result");
  w->tmp = dup_printf ("/proc/self/fd/%d", w->tmpfd);
  if (w->tmp == NULL)
    return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->db->path,
                     "out of memory");
  return 0;
}

/* rename(2) that never replaces: renameat2 RENAME_NOREPLACE, or where the
 * file system lacks it, link + unlink.  *leftover is set when the old name
 * could not be removed after a link. */
static int
rename_noreplace (const char *from, const char *to, int *leftover)
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

static int
fsync_dir (const char *dir)
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

static int
commit (struct wctx *w, hive_h *h)
{
  char proc[64];
  snprintf (proc, sizeof proc, "/proc/self/fd/%d", w->tmpfd);
  /* Through our descriptor, not the name: nobody can swap the file. */
  errno = 0;
  if (fail_here ("commit") || hivex_commit (h, proc, 0) < 0) {
    if (errno == 0)
      errno = EIO;
    return io_fail (w, w->tmp, "hivex_commit");
  }
  return 0;
}

/* ---- patching what hivex leaves out (F7, H6) ------------------------------------- */

struct patch {
  uint8_t hdr[512];
  uint8_t hbin[32];
};

static int
read_back (struct wctx *w, struct patch *p)
{
  if (fail_here ("open_temp")
      || pread_full (w->tmpfd, p->hdr, sizeof p->hdr, 0) < 0
      || pread_full (w->tmpfd, p->hbin, sizeof p->hbin, 4096) < 0)
    return io_fail (w, w->tmp, "reading it back");
  const struct stamp *st[2] = { &w->md, &w->mm };
  for (int k = 0; k < 2; k++) {
    if (st[k]->node == NO_HANDLE)
      continue;
    uint8_t nk[8];
    if (pread_full (w->tmpfd, nk, sizeof nk, (off_t) st[k]->node) < 0)
      return io_fail (w, w->tmp, "reading it back");
    if (nk[4] != 'n' || nk[5] != 'k')
      return md_error (w->err, MOUNTDB_E_IO, 0, w->tmp,
                       "hivex wrote no key cell at offset %llu",
                       (unsigned long long) st[k]->node);
  }
  if (memcmp (p->hdr, "regf", 4) != 0)
    return md_error (w->err, MOUNTDB_E_IO, 0, w->tmp,
                     "hivex wrote no \"regf\" base block");
  return 0;
}

static int
write_patch (struct wctx *w, struct patch *p)
{
  uint64_t old = md_le64 (p->hdr + 12);
  int fix_hbin = 0;
  if (w->set_hdr_time) {
    md_put_le64 (p->hdr + 12, w->hdr_time);
    /* Windows keeps a copy of the header time in the first hive bin. */
    fix_hbin = memcmp (p->hbin, "hbin", 4) == 0 && md_le64 (p->hbin + 20) == old;
  }
  /* H6: hivex wrote the raw XOR; Windows maps 0 to 1 and ~0 to ~1. */
  md_put_le32 (p->hdr + 508, mountdb_header_checksum (p->hdr));
  if (fail_here ("write_temp"))
    return io_fail (w, w->tmp, "write");
  const struct stamp *st[2] = { &w->md, &w->mm };
  uint8_t t[8];
  for (int k = 0; k < 2; k++) {
    if (st[k]->node == NO_HANDLE)
      continue;
    md_put_le64 (t, st[k]->time);
    if (pwrite_full (w->tmpfd, t, 8, (off_t) st[k]->node + 8) < 0)
      return io_fail (w, w->tmp, "write");
  }
  if (fault_step[0] && strcmp (fault_step, "tamper") == 0) {
    /* Test hook: a change outside what the write means to touch (the
     * root key's LastWrite), for the whole-tree comparison to find. */
    md_put_le64 (t, 1);
    if (pwrite_full (w->tmpfd, t, 8, (off_t) md_le32 (p->hdr + 36) + 4096 + 8)
        < 0)
      return io_fail (w, w->tmp, "write");
  }
  md_put_le64 (t, w->hdr_time);
  if ((fix_hbin && pwrite_full (w->tmpfd, t, 8, 4096 + 20) < 0)
      || pwrite_full (w->tmpfd, p->hdr, sizeof p->hdr, 0) < 0)
    return io_fail (w, w->tmp, "write");
  if (fchmod (w->tmpfd, w->mode) < 0)
    return io_fail (w, w->tmp, "chmod");
  /* In place as root: keep the owner too (best effort). */
  if (w->o.in_place && geteuid () == 0 && w->in_st_ok
      && fchown (w->tmpfd, w->in_st.st_uid, w->in_st.st_gid) < 0)
    errno = 0;
  return 0;
}

static int
sync_temp (struct wctx *w)
{
  if (fail_here ("fsync_temp") || fsync (w->tmpfd) < 0)
    return io_fail (w, w->tmp, "fsync");
  int rc = close (w->tmpfd);
  w->tmpfd = -1;
  if (rc < 0)
    return io_fail (w, w->tmp, "close");
  return 0;
}

/* ---- H1: read it back and compare ------------------------------------------------ */

static int
vfail (struct wctx *w, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static int
vfail (struct wctx *w, const char *fmt, ...)
{
  char buf[768];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  return md_error (w->err, MOUNTDB_E_IO, 0, w->named,
                   "verification failed: %s", buf);
}

static int
verify (struct wctx *w)
{
  const mountdb *db = w->db;
  const mountdb_txn *txn = w->txn;
  if (fail_here ("verify"))
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
  for (size_t i = 0; i < v->ndiags; i++)
    if (v->diags[i].code < MOUNTDB_DIAG_NOT_SYSTEM)
      return vfail (w, "%s", v->diags[i].message);
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
    uint64_t kt = w->md.node != NO_HANDLE ? w->md.time : db->key_lastwrite;
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

/* "RULE: message" of every error-severity finding. */
static int
collect_errors (mountdb *d, char letter, struct errset *out)
{
  int rc = mountdb_check (d, letter);
  if (rc < 0)
    return rc;
  for (size_t i = 0; i < mountdb_finding_count (d); i++) {
    const mountdb_finding *f = mountdb_finding_get (d, i);
    if (mountdb_finding_severity (f) != MOUNTDB_SEV_ERROR)
      continue;
    if (md_grow (&out->s, &out->cap, out->n, sizeof *out->s) < 0)
      return MOUNTDB_E_NOMEM;
    char **s = out->s;
    s[out->n] = dup_printf ("%s: %s", mountdb_finding_rule (f),
                            mountdb_finding_message (f));
    if (s[out->n] == NULL)
      return MOUNTDB_E_NOMEM;
    out->n++;
  }
  return 0;
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static int
policy (struct wctx *w)
{
  if (w->o.force)
    return 0;
  char letter = w->o.system_letter;
  struct errset after = { NULL, 0, 0 }, before = { NULL, 0, 0 };
  int rc = collect_errors (w->vdb, letter, &after);
  if (rc == 0) {
    /* The input's own findings belong to the caller: run on the side and
     * put them back. */
    mountdb *in = (mountdb *) w->db;
    struct mountdb_finding *saved = in->findings;
    size_t nsaved = in->nfindings, capsaved = in->findings_cap;
    in->findings = NULL;
    in->nfindings = 0;
    in->findings_cap = 0;
    rc = collect_errors (in, letter, &before);
    md_rules_free (in);
    in->findings = saved;
    in->nfindings = nsaved;
    in->findings_cap = capsaved;
  }
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

/* ---- in place: backup, and the input must still be what was read --------------- */

static int
make_backup (struct wctx *w)
{
  if (fail_here ("backup"))
    return io_fail (w, w->target, "backup");
  char stamp[32];
  time_t now = time (NULL);
  struct tm tm;
  if (gmtime_r (&now, &tm) == NULL
      || strftime (stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm) == 0)
    return md_error (w->err, MOUNTDB_E_IO, 0, w->target,
                     "backup: cannot format the time");
  int rc = make_temp (w, &w->bak_tmp, &w->bakfd, NULL);
  if (rc < 0)
    return rc;
  if (fchmod (w->bakfd, w->mode) < 0)
    return io_fail (w, w->bak_tmp, "chmod");
  char sha[65];
  rc = image_pass (&w->db->img, w->bakfd, sha);
  if (rc == MOUNTDB_E_CRYPTO)
    return md_error (w->err, rc, 0, w->bak_tmp, "SHA-256 failed");
  if (rc < 0)
    return io_fail (w, w->bak_tmp, "writing the backup");
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
      return io_fail (w, w->bak_tmp, "setting the backup's times");
  }
  if (fsync (w->bakfd) < 0)
    return io_fail (w, w->bak_tmp, "fsync");
  rc = close (w->bakfd);
  w->bakfd = -1;
  if (rc < 0)
    return io_fail (w, w->bak_tmp, "close");
  for (int k = 0; k < 1000 && w->backup == NULL; k++) {
    char *name = k ? dup_printf ("%s.mountdb-backup-%s-%d", w->target, stamp, k)
                 : dup_printf ("%s.mountdb-backup-%s", w->target, stamp);
    if (name == NULL)
      return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->target,
                       "out of memory");
    int leftover = 0;
    if (rename_noreplace (w->bak_tmp, name, &leftover) == 0) {
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
      return io_fail (w, w->bak_tmp, "naming the backup");
    }
  }
  if (w->backup == NULL)
    return md_error (w->err, MOUNTDB_E_EXISTS, EEXIST, w->target,
                     "backup: every backup name for this second is taken");
  /* The backup must be on disk before the input is replaced. */
  if (fsync_dir (w->dir) < 0)
    return io_fail (w, w->dir, "fsync");
  if (fail_here ("hold_lock"))
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
      return io_fail (w, p, "re-reading the input");
    int rc = 0;
    while (!w->dry && (rc = flock (fd, LOCK_EX)) < 0 && errno == EINTR)
      ;
    if (rc < 0) {
      int e = errno;
      close (fd);
      errno = e;
      return io_fail (w, p, "locking the input (flock)");
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

static int
input_unchanged (struct wctx *w)
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
  rc = hash_fd (w->lockfd, sha);
  if (rc == MOUNTDB_E_CRYPTO)
    return md_error (w->err, rc, 0, p, "SHA-256 failed");
  if (rc < 0)
    return io_fail (w, p, "re-reading the input");
  if (strcmp (sha, w->sha_before) != 0)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, p,
                     "changed on disk since it was read (SHA-256 now %s, "
                     "read as %s), perhaps by another writer: not replacing "
                     "it; run the command again", sha, w->sha_before);
  return 0;
}

/* ---- commit ----------------------------------------------------------------------- */

static int
put_in_place (struct wctx *w)
{
  if (fail_here ("rename"))
    return io_fail (w, w->target, "rename");
  int leftover = 0;
  if (w->o.in_place) {
    if (rename (w->tmp, w->target) < 0)
      return io_fail (w, w->target, "rename");
  } else if (rename_noreplace (w->tmp, w->target, &leftover) < 0) {
    if (errno == EEXIST)
      return md_error (w->err, MOUNTDB_E_EXISTS, EEXIST, w->target,
                       "appeared while the hive was being written: not "
                       "replaced");
    return io_fail (w, w->target, "rename");
  }
  w->replaced = 1;
  if (!leftover) {
    free (w->tmp);
    w->tmp = NULL;
  }
  return 0;
}

/* H1: the directory entry must be on disk; if it cannot be, undo. */
static int
sync_dir_or_undo (struct wctx *w)
{
  if (!fail_here ("fsync_dir") && fsync_dir (w->dir) == 0)
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
    fsync_dir (w->dir);
  return md_error (w->err, MOUNTDB_E_IO, e, w->dir, "fsync: %s; %s",
                   strerror (e), undo);
}

/* ---- the report (F6) ---------------------------------------------------------------- */

struct mountdb_report {
  char *output;
  char *backup;
  char *moved[MD_LOGS_MAX_MOVED];  /* "LOG -> LOG.mountdb-backup-..." */
  size_t nmoved;
  char sha_before[65];
  char sha_after[65];
  mountdb_header before;
  mountdb_header after;
  mountdb_change *changes;
  size_t nchanges;
};

/* After an in-place write of a replayed hive: the old logs would hold
 * entries for a primary that no longer exists, so they go aside with the
 * same suffix as the backup (L rules).  The hive is already replaced; a
 * log that cannot be moved is said in the report, not undone. */
static void
move_logs_aside (struct wctx *w, struct mountdb_report *r)
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
    char *to = dup_printf ("%s%s", log, suffix);
    if (to == NULL)
      break;
    int ok = access (log, F_OK) == 0 && rename (log, to) == 0;
    r->moved[r->nmoved] = ok ? dup_printf ("%s -> %s", log, to)
                             : dup_printf ("%s: could not be moved aside: %s",
                                           log, strerror (errno));
    if (r->moved[r->nmoved])
      r->nmoved++;
    free (to);
  }
  fsync_dir (w->dir);
}

static void *
memdup (const void *p, size_t n)
{
  if (p == NULL)
    return NULL;
  void *q = malloc (n ? n : 1);
  if (q && n)
    memcpy (q, p, n);
  return q;
}

void
mountdb_report_free (mountdb_report *r)
{
  if (r == NULL)
    return;
  for (size_t i = 0; i < r->nchanges; i++) {
    free ((void *) r->changes[i].name);
    free ((void *) r->changes[i].name16);
    free ((void *) r->changes[i].before);
    free ((void *) r->changes[i].after);
  }
  free (r->changes);
  free (r->output);
  free (r->backup);
  for (size_t i = 0; i < r->nmoved; i++)
    free (r->moved[i]);
  free (r);
}

static int
report_new (struct wctx *w, mountdb_report **out)
{
  mountdb_report *r = calloc (1, sizeof *r);
  if (r == NULL)
    goto nomem;
  r->output = w->target ? strdup (w->target) : NULL;
  if (w->target && r->output == NULL)
    goto nomem;
  if (w->o.in_place && w->o.backup && w->backup
      && (r->backup = strdup (w->backup)) == NULL)
    goto nomem;
  memcpy (r->sha_before, w->sha_before, sizeof r->sha_before);
  memcpy (r->sha_after, w->vdb->sha256, sizeof r->sha_after);
  r->before = w->db->img_hdr;
  r->after = w->vdb->hdr;
  size_t n = mountdb_txn_change_count (w->txn);
  r->changes = calloc (n ? n : 1, sizeof *r->changes);
  if (r->changes == NULL)
    goto nomem;
  for (size_t i = 0; i < n; i++) {
    const mountdb_change *c = mountdb_txn_change_get (w->txn, i);
    mountdb_change *d = &r->changes[i];
    if (c == NULL)
      goto nomem;
    *d = *c;
    d->name = c->name ? strdup (c->name) : NULL;
    d->name16 = memdup (c->name16, c->name16_len * sizeof *c->name16);
    d->before = memdup (c->before, c->before_len);
    d->after = memdup (c->after, c->after_len);
    r->nchanges++;
    if ((c->name && !d->name) || (c->name16 && !d->name16)
        || (c->before && !d->before) || (c->after && !d->after))
      goto nomem;
  }
  *out = r;
  return 0;
nomem:
  mountdb_report_free (r);
  return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->named,
                   "out of memory");
}

const char *mountdb_report_output (const mountdb_report *r) { return r->output; }
const char *mountdb_report_backup (const mountdb_report *r) { return r->backup; }
size_t mountdb_report_moved_log_count (const mountdb_report *r) { return r->nmoved; }

const char *
mountdb_report_moved_log_get (const mountdb_report *r, size_t i)
{
  return i < r->nmoved ? r->moved[i] : NULL;
}
const char *mountdb_report_sha256_before (const mountdb_report *r) { return r->sha_before; }
const char *mountdb_report_sha256_after (const mountdb_report *r) { return r->sha_after; }

const mountdb_header *
mountdb_report_header_before (const mountdb_report *r)
{
  return &r->before;
}

const mountdb_header *
mountdb_report_header_after (const mountdb_report *r)
{
  return &r->after;
}

size_t mountdb_report_change_count (const mountdb_report *r) { return r->nchanges; }

const mountdb_change *
mountdb_report_change_get (const mountdb_report *r, size_t i)
{
  return i < r->nchanges ? &r->changes[i] : NULL;
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

/* Files are left only by a simulated crash (tests). */
static void
cleanup (struct wctx *w, int failed)
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

#define STEP(call, name)                                                  \
  do {                                                                    \
    if (rc == 0) {                                                        \
      rc = (call);                                                        \
      if (rc == 0 && crash_here (name))                                   \
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
    rc = scan_input (&w);
  if (rc == 0)
    rc = check_list (&w);
  if (rc == 0 && w.target) /* a dry run may name no target */
    rc = check_target (&w);
  if (rc == 0)
    rc = plan_times (&w);
  if (rc == 0)
    rc = input_hash (&w);
  hive_h *h = NULL;
  if (rc == 0)
    rc = engine_build (&w, &h);
  STEP (dry ? mem_temp (&w) : make_temp (&w, &w.tmp, &w.tmpfd, "mkstemp"),
        "mkstemp");
  STEP (commit (&w, h), "commit");
  if (h)
    hivex_close (h);
  struct patch p;
  STEP (read_back (&w, &p), "open_temp");
  STEP (write_patch (&w, &p), "write_temp");
  if (!dry)
    STEP (sync_temp (&w), "fsync_temp");
  STEP (verify (&w), "verify");
  if (rc == 0)
    rc = policy (&w);
  if (w.o.in_place) {
    if (rc == 0)
      rc = input_unchanged (&w); /* takes the lock, unless a dry run */
    if (!dry)
      STEP (make_backup (&w), "backup");
  }
  mountdb_report *r = NULL;
  if (rc == 0)
    rc = report_new (&w, &r);
  if (!dry) {
    STEP (put_in_place (&w), "rename");
    STEP (sync_dir_or_undo (&w), "fsync_dir");
  }
  if (rc == 0 && !dry && w.o.in_place && db->logs_applied && r)
    move_logs_aside (&w, r);
  if (rc == 0 && w.o.in_place && !w.o.backup && w.backup) {
    /* The backup was only the way back if the rename could not be made
     * durable. */
    if (unlink (w.backup) == 0)
      fsync_dir (w.dir);
  }
  cleanup (&w, rc < 0);
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
