/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SHA-256 over buffers and descriptors (see digest.h), on nettle: a
 * small library (no start-up cost worth measuring, unlike libcrypto) whose
 * Debian build is "fat": it picks the SHA-NI code at run time, as fast as
 * OpenSSL here (bench/run.sh compares with nettle-hash and openssl). */
#include <config.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include "digest.h"
#include "common/fullio.h"

#define CHUNK ((size_t) 1 << 20)

struct md_digest {
  struct sha256_ctx ctx;
};

md_digest *
md_digest_new (void)
{
  md_digest *d = malloc (sizeof *d);
  if (d == NULL)
    return NULL;
  sha256_init (&d->ctx);
  return d;
}

int
md_digest_update (md_digest *d, const void *p, size_t n)
{
  sha256_update (&d->ctx, n, p);
  return 0;
}

static const uint8_t zeros[1 << 16];

int
md_digest_zeros (md_digest *d, uint64_t n)
{
  while (n > 0) {
    size_t k = n < sizeof zeros ? (size_t) n : sizeof zeros;
    if (md_digest_update (d, zeros, k) < 0)
      return -1;
    n -= k;
  }
  return 0;
}

int
md_digest_final_raw (md_digest *d, uint8_t out[32])
{
  sha256_digest (&d->ctx, SHA256_DIGEST_SIZE, out);
  return 0;
}

int
md_digest_final (md_digest *d, char hex[65])
{
  uint8_t b[32];
  if (md_digest_final_raw (d, b) < 0)
    return -1;
  md_hex (b, sizeof b, hex);
  return 0;
}

void
md_digest_free (md_digest *d)
{
  free (d);
}

static int
md_digest_update_fd (md_digest *d, int fd, uint64_t size,
                     const md_undo *undo, int outfd)
{
  uint8_t *buf = malloc (CHUNK);
  if (buf == NULL) {
    errno = ENOMEM;
    return MOUNTDB_E_NOMEM;
  }
  int rc = 0;
  for (uint64_t at = 0; at < size;) {
    size_t want = size - at < CHUNK ? (size_t) (size - at) : CHUNK;
    ssize_t n = md_read_full (fd, buf, want, (off_t) at);
    if (n < 0 || (n == 0 && size != UINT64_MAX)) {
      if (n == 0)
        errno = EIO;
      rc = MOUNTDB_E_IO;
      break;
    }
    if (n == 0)
      break; /* end of a file read to its end */
    if (undo)
      md_undo_overlay (undo, buf, at, (size_t) n);
    if (md_digest_update (d, buf, (size_t) n) < 0) {
      rc = MOUNTDB_E_CRYPTO;
      break;
    }
    if (outfd >= 0 && md_write_full (outfd, buf, (size_t) n, -1) < 0) {
      rc = MOUNTDB_E_IO;
      break;
    }
    at += (uint64_t) n;
  }
  free (buf);
  return rc;
}

int
md_digest_fd (int fd, uint64_t size, const md_undo *undo, int outfd,
              char hex[65])
{
  md_digest *d = md_digest_new ();
  if (d == NULL)
    return MOUNTDB_E_CRYPTO;
  int rc = md_digest_update_fd (d, fd, size, undo, outfd);
  if (rc == 0 && md_digest_final (d, hex) < 0)
    rc = MOUNTDB_E_CRYPTO;
  md_digest_free (d);
  return rc;
}
