/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The evidence layer (F1, F2): the only code that opens an input.
 *
 * An input is opened once, read-only, without following links and without
 * touching its access time when the kernel lets us; it is read exactly once,
 * hashed on the way, and copied into a sealed memfd.  Everything after this
 * (hivex included) parses that copy, so what was hashed is what was parsed,
 * and nothing can write to the evidence. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "internal.h"

#define CHUNK ((size_t) 1 << 20)

static int
open_input (const char *path, mountdb_error *err)
{
  int base = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  int fd = open (path, base | O_NOATIME);
  if (fd < 0 && errno == EPERM) /* O_NOATIME needs ownership or CAP_FOWNER */
    fd = open (path, base);
  if (fd >= 0)
    return fd;
  int e = errno;
  if (e == ELOOP)
    return md_error (err, MOUNTDB_E_NOTREG, e, path,
                     "is a symbolic link (not followed, rule F2)");
  return md_error (err, MOUNTDB_E_IO, e, path, "cannot open: %s",
                   strerror (e));
}

static int
write_all (int fd, const uint8_t *p, size_t n)
{
  while (n > 0) {
    ssize_t w = write (fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += w;
    n -= (size_t) w;
  }
  return 0;
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
  memcpy (img->base + at, p, take);
  img->base_len = (size_t) at + take;
}

/* Copy without hashing: sendfile keeps the bytes in the kernel.  Returns
 * bytes copied, or -1 (errno) when sendfile cannot be used here. */
static int64_t
copy_kernel (int in, int out, uint64_t max)
{
  uint64_t done = 0;
  for (;;) {
    ssize_t n = sendfile (out, in, NULL, CHUNK * 8);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return done == 0 ? -1 : (errno = EIO, -1);
    }
    if (n == 0)
      return (int64_t) done;
    done += (uint64_t) n;
    if (done > max)
      return (errno = EFBIG, -1);
  }
}

static int
copy_user (int in, md_image *img, EVP_MD_CTX *md, uint64_t max,
           const char *path, mountdb_error *err)
{
  uint8_t *buf = malloc (CHUNK);
  if (buf == NULL)
    return md_error (err, MOUNTDB_E_NOMEM, ENOMEM, path, "out of memory");
  int rc = 0;
  uint64_t at = 0;
  for (;;) {
    ssize_t n = read (in, buf, CHUNK);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      rc = md_error (err, MOUNTDB_E_IO, errno, path, "read failed: %s",
                     strerror (errno));
      break;
    }
    if (n == 0)
      break;
    if (at + (uint64_t) n > max) {
      rc = md_error (err, MOUNTDB_E_TOOBIG, EFBIG, path,
                     "larger than %llu bytes", (unsigned long long) max);
      break;
    }
    keep_base (img, buf, (size_t) n, at);
    if (md && EVP_DigestUpdate (md, buf, (size_t) n) != 1) {
      rc = md_error (err, MOUNTDB_E_CRYPTO, 0, path, "SHA-256 failed");
      break;
    }
    if (write_all (img->memfd, buf, (size_t) n) < 0) {
      rc = md_error (err, MOUNTDB_E_NOMEM, errno,
                     path, "cannot copy into memory: %s", strerror (errno));
      break;
    }
    at += (uint64_t) n;
  }
  free (buf);
  img->size = at;
  return rc;
}

int
md_image_load (const char *path, unsigned flags, md_image *img,
               mountdb_error *err)
{
  memset (img, 0, sizeof *img);
  img->memfd = -1;
  int in = open_input (path, err);
  if (in < 0)
    return in;

  int rc = 0;
  EVP_MD_CTX *md = NULL;
  struct stat st;
  if (fstat (in, &st) < 0) {
    rc = md_error (err, MOUNTDB_E_IO, errno, path, "cannot stat: %s",
                   strerror (errno));
    goto out;
  }
  if (!S_ISREG (st.st_mode)) {
    rc = md_error (err, MOUNTDB_E_NOTREG, 0, path,
                   S_ISDIR (st.st_mode) ? "is a directory"
                   : "is not a regular file");
    goto out;
  }
  if ((uint64_t) st.st_size > MOUNTDB_MAX_HIVE_SIZE) {
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

  int64_t copied = -1;
  if (flags & MOUNTDB_OPEN_NO_HASH)
    copied = copy_kernel (in, img->memfd, MOUNTDB_MAX_HIVE_SIZE);
  if (copied >= 0) {
    img->size = (uint64_t) copied;
    ssize_t n = pread (img->memfd, img->base, sizeof img->base, 0);
    img->base_len = n > 0 ? (size_t) n : 0;
  } else {
    if (flags & MOUNTDB_OPEN_NO_HASH) {
      /* sendfile unsupported here: start again with read(2). */
      if (errno == EFBIG) {
        rc = md_error (err, MOUNTDB_E_TOOBIG, EFBIG, path, "file grew past the size limit");
        goto out;
      }
      if (lseek (in, 0, SEEK_SET) < 0 || ftruncate (img->memfd, 0) < 0
          || lseek (img->memfd, 0, SEEK_SET) < 0) {
        rc = md_error (err, MOUNTDB_E_IO, errno, path, "cannot rewind: %s",
                       strerror (errno));
        goto out;
      }
    } else {
      md = EVP_MD_CTX_new ();
      if (md == NULL || EVP_DigestInit_ex (md, EVP_sha256 (), NULL) != 1) {
        rc = md_error (err, MOUNTDB_E_CRYPTO, 0, path,
                       "cannot initialise SHA-256");
        goto out;
      }
    }
    rc = copy_user (in, img, md, MOUNTDB_MAX_HIVE_SIZE, path, err);
    if (rc < 0)
      goto out;
    if (md) {
      uint8_t digest[32];
      unsigned dlen = 0;
      if (EVP_DigestFinal_ex (md, digest, &dlen) != 1 || dlen != 32) {
        rc = md_error (err, MOUNTDB_E_CRYPTO, 0, path, "SHA-256 failed");
        goto out;
      }
      md_hex (digest, 32, img->sha256);
      img->hashed = 1;
    }
  }
out:
  EVP_MD_CTX_free (md);
  close (in);
  if (rc < 0)
    md_image_release (img);
  else
    md_undo_init (&img->undo, img->size);
  return rc;
}

int
md_image_seal (md_image *img, const uint32_t *checksum)
{
  if (checksum) {
    uint8_t le[4];
    md_put_le32 (le, *checksum);
    if (img->base_len < 512)
      return (errno = EINVAL, -1);
    if (md_undo_save (&img->undo, img->base, 508, 4) < 0)
      return (errno = ENOMEM, -1);
    if (pwrite (img->memfd, le, 4, 508) != 4)
      return -1;
    memcpy (img->base + 508, le, 4);
  }
  md_undo_sort (&img->undo);
  /* From here on the copy is immutable: hivex and we only read it. */
  return fcntl (img->memfd, F_ADD_SEALS,
                F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
}

uint8_t *
md_image_map_rw (md_image *img, uint64_t room)
{
  if (img->memfd < 0 || room < img->size || room == 0 || room > SIZE_MAX)
    return (errno = EINVAL, NULL);
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

const uint8_t *
md_image_map (const md_image *img)
{
  if (img->memfd < 0 || img->size == 0 || img->size > SIZE_MAX)
    return NULL;
  void *p = mmap (NULL, (size_t) img->size, PROT_READ, MAP_PRIVATE,
                  img->memfd, 0);
  return p == MAP_FAILED ? NULL : p;
}

void
md_image_unmap (const md_image *img, const uint8_t *p)
{
  if (p)
    munmap ((void *) p, (size_t) img->size);
}

void
md_image_release (md_image *img)
{
  if (img->memfd >= 0)
    close (img->memfd);
  img->memfd = -1;
  md_undo_free (&img->undo);
}
