/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The evidence layer (F1, F2): the only code that opens an input.
 *
 * An input is opened once, read-only, without following links and without
 * touching its access time when the kernel lets us; it is read exactly once
 * and copied into a sealed memfd, hashed on the way, or (MD_IMAGE_HASH_THREAD)
 * on a thread that follows the copy and goes on while hivex parses it
 * (hashpipe.h).  Everything after this (hivex included) parses that copy,
 * so what was hashed is what was parsed, and nothing can write to the
 * evidence.
 *
 * Memory is bounded by what is real (issue 10 item 6): only the bytes up to
 * the input's extent (hive: base block + hive bins + MD_SLACK_KEEP; log:
 * its entries) are kept, zero blocks stay holes of the memfd, holes of a
 * sparse file are hashed as zeros without being read, and bytes past the
 * extent are hashed but not kept (img->cut) unless they are all zeros. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "error.h"
#include "fault.h"
#include "evidence.h"
#include "digest.h"
#include "hashpipe.h"
#include "regf.h"
#include "common/fullio.h"

/* Each chunk is read once from the page cache, hashed from the buffer it
 * was read into (inline, or on the hash pipe's thread) and copied into the
 * memfd from there: every byte is read once.  256 KiB fits a core's
 * level-2 cache; 1 MiB did not (measured on the 16 MB Windows 7 hive:
 * ~10% less CPU).  sendfile into the memfd saves the read copy, but
 * hashing must then read the memfd back and zero blocks could no longer
 * stay holes: slower with hashing, measured (issue 14). */
#define CHUNK ((size_t) 256 << 10)

/* The read buffer: no larger than the file (plus the base block), as glibc
 * maps a 256 KiB buffer and unmaps it on free, and in a batch each unmap
 * interrupts the other workers' CPUs (a TLB shootdown). */
static size_t
read_size (uint64_t size)
{
  return size < CHUNK - 4096 ? 4096 + (size_t) size : CHUNK;
}

/* "-" is standard input (issue 9 item 8); "./-" still names a file. */
static int
is_stdin (const char *path)
{
  return strcmp (path, "-") == 0;
}

/* F1/F2: read-only, no link followed, access time kept when allowed;
 * O_NONBLOCK so that a FIFO cannot block the open (callers check the
 * file type next).  rule names the rule a refused link cites.  Shared
 * with the disk layer, which opens block devices the same way. */
int
md_open_evidence (const char *path, const char *rule, mountdb_error *err)
{
  int base = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  int fd = open (path, base | O_NOATIME);
  if (fd < 0 && errno == EPERM) /* O_NOATIME needs ownership or CAP_FOWNER */
    fd = open (path, base);
  if (fd >= 0)
    return fd;
  int e = errno;
  if (e == ELOOP) {
    /* Say where it points, so the user can pass that instead. */
    char to[1024];
    ssize_t n = readlink (path, to, sizeof to - 1);
    if (n < 0)
      return md_error (err, MOUNTDB_E_NOTREG, e, path,
                       "is a symbolic link (not followed, rule %s): pass "
                       "its target instead", rule);
    to[n] = '\0';
    return md_error (err, MOUNTDB_E_NOTREG, e, path,
                     "is a symbolic link to %s (not followed, rule %s): "
                     "pass the target instead", to, rule);
  }
  return md_error (err, MOUNTDB_E_IO, e, path, "cannot open: %s",
                   strerror (e));
}

static int
open_input (const char *path, mountdb_error *err)
{
  if (is_stdin (path)) {
    int fd = fcntl (STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
      return md_error (err, MOUNTDB_E_IO, errno, "-",
                       "cannot read standard input: %s", strerror (errno));
    return fd;
  }
  return md_open_evidence (path, "F2", err);
}

/* Keep the first bytes for the base block parser. */
static void
keep_base (md_image *img, const uint8_t *p, size_t n, uint64_t at)
{
  if (at >= sizeof img->base)
    return;
  size_t take = sizeof img->base - (size_t) at;
  if (take > n)
    take = n;
  if (p)
    memcpy (img->base + at, p, take);
  else
    memset (img->base + at, 0, take);
  img->base_len = (size_t) at + take;
}

static int
all_zero (const uint8_t *p, size_t n)
{
  return n == 0 || (p[0] == 0 && memcmp (p, p + 1, n - 1) == 0);
}

/* The bytes of a hive worth keeping: the base block and its hive bins,
 * plus up to MD_SLACK_KEEP bytes past them (Windows grows the file ahead
 * of the bins; log replay may grow the bins into that room).  Without a
 * usable base block (its signature or size damaged: the logs may supply
 * one) everything up to the size limit. */
static uint64_t
hive_extent (const uint8_t *base, size_t len, int fd, void *ctx)
{
  (void) fd;
  (void) ctx;
  mountdb_header h;
  if (len < MD_REGF_SIZE || mountdb_header_parse (base, len, &h) < 0
      || h.hbins_size == 0 || h.hbins_size % MD_HBIN_ALIGN != 0)
    return MOUNTDB_MAX_HIVE_SIZE;
  return MD_REGF_SIZE + (uint64_t) h.hbins_size + MD_SLACK_KEEP;
}

/* Write the non-zero 64 KiB blocks of p (input offset at) to the copy:
 * zeros stay holes of the memfd, which read back as zeros and cost no
 * memory (sparse files). */
static int
keep_blocks (int memfd, const uint8_t *p, size_t n, uint64_t at)
{
  const size_t B = (size_t) 64 << 10;
  for (size_t o = 0; o < n; o += B) {
    size_t k = n - o < B ? n - o : B;
    if (all_zero (p + o, k))
      continue;
    if (md_write_full (memfd, p + o, k, (off_t) (at + o)) < 0)
      return -1;
  }
  return 0;
}

/* The one pass over the input: every byte hashed (holes of sparse files as
 * zeros, without reading them), the bytes up to the extent kept in the
 * memfd with zero blocks left as holes.  Past the extent nothing is kept;
 * if all of it is zeros the copy is still exact (a hole to the end),
 * otherwise img->cut says how much was left out.  With img->pipe the hash
 * follows the copy on its thread; otherwise, and from the first bytes the
 * copy will not hold (img->pipe hands its digest over then), each chunk
 * is hashed into *mdp right after it is read, while it is in the cache. */
static int
copy_input (int in, const struct stat *st, md_image *img, md_digest **mdp,
            md_extent_fn extent, void *ctx, const char *path,
            mountdb_error *err)
{
  int seekable = S_ISREG (st->st_mode);
  uint64_t size = seekable ? (uint64_t) st->st_size : UINT64_MAX;
  size_t cap = read_size (size);
  uint8_t *buf = malloc (cap);
  if (buf == NULL)
    return md_error (err, MOUNTDB_E_NOMEM, ENOMEM, path, "out of memory");
  md_digest *md = *mdp;
  int rc = 0;
  uint64_t at = 0, keep = UINT64_MAX, nonzero_end = 0;
  /* End of the data region at is in (from SEEK_HOLE): no lseek pair per
   * chunk inside it. */
  uint64_t data_end = 0;
  for (;;) {
    /* Holes of a sparse file: hashed as zeros, never read. */
    if (seekable && at < size && at >= data_end) {
      off_t d = lseek (in, (off_t) at, SEEK_DATA);
      uint64_t data = d < 0 ? size : (uint64_t) d;
      if (data > size)
        data = size;
      if (data > at) {
        keep_base (img, NULL, data - at < 4096 ? (size_t) (data - at) : 4096,
                   at);
        if (md && md_digest_zeros (md, data - at) < 0) {
          rc = md_error (err, MOUNTDB_E_CRYPTO, 0, path, "SHA-256 failed");
          break;
        }
        at = data;
        if (img->pipe)
          md_hashpipe_advance (img->pipe, at);
        continue;
      }
    }
    if (at >= size)
      break;
    size_t want = cap;
    if (at < 4096)
      want = 4096 - (size_t) at; /* the base block first, whole */
    if (seekable && at >= data_end) {
      off_t h = lseek (in, (off_t) at, SEEK_HOLE);
      data_end = h > 0 && (uint64_t) h > at ? (uint64_t) h : 0;
    }
    if (data_end > at && data_end - at < want)
      want = (size_t) (data_end - at);
    ssize_t n = md_read_full (in, buf, want, seekable ? (off_t) at : -1);
    if (n < 0) {
      rc = md_error (err, MOUNTDB_E_IO, errno, path, "read failed: %s",
                     strerror (errno));
      break;
    }
    if (n == 0)
      break;
    if (at + (uint64_t) n > MOUNTDB_MAX_HIVE_SIZE) {
      rc = md_error (err, MOUNTDB_E_TOOBIG, EFBIG, path,
                     "larger than the %llu-byte limit",
                     (unsigned long long) MOUNTDB_MAX_HIVE_SIZE);
      break;
    }
    keep_base (img, buf, (size_t) n, at);
    if (keep == UINT64_MAX && (img->base_len >= 4096 || (size_t) n < want)) {
      keep = extent (img->base, img->base_len, seekable ? in : -1, ctx);
      /* Sized before it is filled (holes: no memory yet), so that where
       * shared memory may use huge pages only "within size" (tmpfs
       * huge=within_size) the copy gets them: hivex_open then walks
       * 2 MiB pages (issue 14: 3x faster on 16 MB). */
      if (seekable && ftruncate (img->memfd, (off_t) (keep < size ? keep
                                                      : size)) < 0) {
        rc = md_error (err, MOUNTDB_E_NOMEM, errno, path,
                       "cannot size the in-memory copy: %s", strerror (errno));
        break;
      }
    }
    uint64_t k = keep == UINT64_MAX || at >= keep ? 0
                 : (keep - at < (uint64_t) n ? keep - at : (uint64_t) n);
    int dropped = (uint64_t) n > k
                  && !all_zero (buf + k, (size_t) n - (size_t) k);
    if (dropped && img->pipe) {
      /* Bytes the copy will not hold: the thread cannot hash them. */
      md = *mdp = md_hashpipe_take (img->pipe);
      img->pipe = NULL;
      if (md == NULL) {
        rc = md_error (err, MOUNTDB_E_CRYPTO, errno, path,
                       "SHA-256 of the in-memory copy failed%s%s",
                       errno ? ": " : "", errno ? strerror (errno) : "");
        break;
      }
    }
    if (md && md_digest_update (md, buf, (size_t) n) < 0) {
      rc = md_error (err, MOUNTDB_E_CRYPTO, 0, path, "SHA-256 failed");
      break;
    }
    if (k && keep_blocks (img->memfd, buf, (size_t) k, at) < 0) {
      rc = md_error (err, MOUNTDB_E_NOMEM, errno, path,
                     "cannot copy into memory: %s", strerror (errno));
      break;
    }
    if (dropped)
      nonzero_end = at + (uint64_t) n;
    at += (uint64_t) n;
    if (img->pipe)
      md_hashpipe_advance (img->pipe, at);
  }
  free (buf);
  if (rc < 0)
    return rc;
  if (keep == UINT64_MAX)
    keep = at;
  img->extent = keep;
  img->file_size = at;
  /* Exact (holes to the end) unless non-zero bytes lie past the extent. */
  img->size = nonzero_end > keep ? keep : at;
  img->cut = img->file_size - img->size;
  if (ftruncate (img->memfd, (off_t) img->size) < 0)
    return md_error (err, MOUNTDB_E_NOMEM, errno, path,
                     "cannot size the in-memory copy: %s", strerror (errno));
  return 0;
}

int
md_image_load (const char *path, unsigned flags, md_extent_fn extent,
               void *ctx, md_image *img, mountdb_error *err)
{
  int in = open_input (path, err);
  if (in < 0) {
    memset (img, 0, sizeof *img);
    img->memfd = -1;
    return in;
  }
  return md_image_load_fd (in, path, flags, extent, ctx, img, err);
}

int
md_image_load_fd (int in, const char *path, unsigned flags,
                  md_extent_fn extent, void *ctx, md_image *img,
                  mountdb_error *err)
{
  memset (img, 0, sizeof *img);
  img->memfd = -1;
  if (extent == NULL)
    extent = hive_extent;
  int rc = 0;
  md_digest *md = NULL;
  struct stat st;
  if (fstat (in, &st) < 0) {
    rc = md_error (err, MOUNTDB_E_IO, errno, path, "cannot stat: %s",
                   strerror (errno));
    goto out;
  }
  img->from_stdin = is_stdin (path);
  if (img->from_stdin && isatty (in)) {
    rc = md_error (err, MOUNTDB_E_NOTREG, 0, path,
                   "standard input is a terminal: pipe or redirect a hive "
                   "into it");
    goto out;
  }
  if (!S_ISREG (st.st_mode)
      && !(img->from_stdin && (S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)
                               || S_ISCHR (st.st_mode)))) {
    rc = md_error (err, MOUNTDB_E_NOTREG, 0, path,
                   S_ISDIR (st.st_mode) ? "is a directory"
                   : "is not a regular file");
    goto out;
  }
  if (S_ISREG (st.st_mode) && (uint64_t) st.st_size > MOUNTDB_MAX_HIVE_SIZE) {
    rc = md_error (err, MOUNTDB_E_TOOBIG, EFBIG, path,
                   "%llu bytes is larger than the %llu-byte limit",
                   (unsigned long long) st.st_size,
                   (unsigned long long) MOUNTDB_MAX_HIVE_SIZE);
    goto out;
  }
  /* Regular files never block; clear O_NONBLOCK (set against FIFOs). */
  fcntl (in, F_SETFL, fcntl (in, F_GETFL) & ~O_NONBLOCK);

  img->memfd = memfd_create ("mountdb-hive", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (img->memfd < 0) {
    rc = md_error (err, MOUNTDB_E_NOMEM, errno, path,
                   "cannot create an in-memory copy: %s", strerror (errno));
    goto out;
  }
  if (!(flags & MOUNTDB_OPEN_NO_HASH)) {
    /* Without a thread (none to be had), the hash is taken inline. */
    if (flags & MD_IMAGE_HASH_THREAD)
      img->pipe = md_hashpipe_new (img->memfd,
                                   read_size (S_ISREG (st.st_mode)
                                              ? (uint64_t) st.st_size
                                              : UINT64_MAX));
    if (img->pipe == NULL && (md = md_digest_new ()) == NULL) {
      rc = md_error (err, MOUNTDB_E_CRYPTO, 0, path,
                     "cannot initialise SHA-256");
      goto out;
    }
  }
  rc = copy_input (in, &st, img, &md, extent, ctx, path, err);
  if (rc == 0 && md) {
    if (md_digest_final (md, img->sha256) < 0)
      rc = md_error (err, MOUNTDB_E_CRYPTO, 0, path, "SHA-256 failed");
    else
      img->hashed = 1;
  }
out:
  md_digest_free (md);
  close (in);
  if (rc < 0)
    md_image_release (img);
  else
    md_undo_init (&img->undo, img->size);
  return rc;
}

/* The hash thread reads the copy: before anything changes it, the hash
 * is finished (only dirty hives and H6 checksums pay this wait). */
static void
settle_hash (md_image *img)
{
  if (img->pipe == NULL)
    return;
  if (md_hashpipe_finish (img->pipe, img->sha256) == 0)
    img->hashed = 1;
  else {
    img->hash_failed = 1;
    img->hash_errno = errno;
  }
  img->pipe = NULL;
}

int
md_image_seal (md_image *img, const uint32_t *checksum)
{
  if (checksum) {
    settle_hash (img);
    uint8_t le[4];
    md_put_le32 (le, *checksum);
    if (img->base_len < MD_REGF_CHECKSUM + 4)
      return (errno = EINVAL, -1);
    if (md_undo_save (&img->undo, img->base, MD_REGF_CHECKSUM, 4) < 0)
      return (errno = ENOMEM, -1);
    if (pwrite (img->memfd, le, 4, MD_REGF_CHECKSUM) != 4)
      return -1;
    memcpy (img->base + MD_REGF_CHECKSUM, le, 4);
  }
  md_undo_sort (&img->undo);
  /* From here on the copy is immutable: hivex and we only read it.  The
   * kernel waits for pinned pages before it grants F_SEAL_WRITE, and a
   * page the hash thread is reading counts: the thread is held between
   * reads meanwhile (measured on the 16 MB hive: a 4 ms wait in 2 opens
   * of 100 without the hold, none in 100 with it).  Should
   * something else pin a page past the kernel's patience (EBUSY; seen
   * once in 10,000 opens before the hold), the hash is finished and the
   * seal asked again. */
  int seals = F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL;
  if (img->pipe)
    md_hashpipe_hold (img->pipe);
  int rc = md_fault_fail_here ("seal_busy")
           || fcntl (img->memfd, F_ADD_SEALS, seals) < 0 ? -1 : 0;
  int e = errno;
  if (img->pipe)
    md_hashpipe_unhold (img->pipe);
  errno = e;
  if (rc < 0) {
    if (errno != EBUSY || img->pipe == NULL)
      return -1;
    settle_hash (img);
    if (fcntl (img->memfd, F_ADD_SEALS, seals) < 0)
      return -1;
  }
  return 0;
}

int
md_image_hash_wait (md_image *img, const char *path, mountdb_error *err)
{
  settle_hash (img);
  if (img->hash_failed) {
    int e = img->hash_errno;
    return md_error (err, MOUNTDB_E_CRYPTO, e, path,
                     "SHA-256 of the in-memory copy failed%s%s",
                     e ? ": " : "", e ? strerror (e) : "");
  }
  return 0;
}

uint8_t *
md_image_map_rw (md_image *img, uint64_t room)
{
  if (img->memfd < 0 || room < img->size || room == 0 || room > SIZE_MAX)
    return (errno = EINVAL, NULL);
  settle_hash (img);
  if (room > img->size && ftruncate (img->memfd, (off_t) room) < 0)
    return NULL;
  void *p = mmap (NULL, (size_t) room, PROT_READ | PROT_WRITE, MAP_SHARED,
                  img->memfd, 0);
  if (p == MAP_FAILED) {
    int e = errno;
    if (ftruncate (img->memfd, (off_t) img->size) < 0)
      e = errno;
    return (errno = e, NULL);
  }
  return p;
}

int
md_image_unmap_rw (md_image *img, uint8_t *p, uint64_t room, uint64_t len)
{
  munmap (p, (size_t) room);
  if (len != room && ftruncate (img->memfd, (off_t) len) < 0)
    return -1;
  img->size = len;
  ssize_t n = pread (img->memfd, img->base, sizeof img->base, 0);
  img->base_len = n > 0 ? (size_t) n : 0;
  return 0;
}

/* Images up to this size are read into the heap rather than mapped: in a
 * batch every munmap interrupts the CPUs running the other workers (a TLB
 * shootdown), which cost more than the copy (issue 14: --jobs 2 was
 * slower than --jobs 1 on small hives). */
#define VIEW_READ_MAX ((uint64_t) 256 << 10)

int
md_image_is_small (const md_image *img)
{
  return img->size <= VIEW_READ_MAX;
}

const uint8_t *
md_image_map (const md_image *img)
{
  if (img->memfd < 0 || img->size == 0 || img->size > SIZE_MAX)
    return NULL;
  if (md_image_is_small (img)) {
    uint8_t *b = malloc ((size_t) img->size);
    if (b && md_read_full (img->memfd, b, (size_t) img->size, 0)
             != (ssize_t) img->size) {
      free (b);
      b = NULL;
    }
    return b;
  }
  void *p = mmap (NULL, (size_t) img->size, PROT_READ, MAP_PRIVATE,
                  img->memfd, 0);
  return p == MAP_FAILED ? NULL : p;
}

void
md_image_view_trim (const md_image *img, const uint8_t *p)
{
  if (p && !md_image_is_small (img))
    madvise ((void *) p, (size_t) img->size, MADV_DONTNEED);
}

void
md_image_unmap (const md_image *img, const uint8_t *p)
{
  if (p == NULL)
    return;
  if (md_image_is_small (img))
    free ((void *) p);
  else
    munmap ((void *) p, (size_t) img->size);
}

void
md_image_release (md_image *img)
{
  md_hashpipe_free (img->pipe);
  img->pipe = NULL;
  if (img->memfd >= 0)
    close (img->memfd);
  img->memfd = -1;
  md_undo_free (&img->undo);
}
