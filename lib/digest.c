/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SHA-256 over buffers and descriptors (see digest.h), on OpenSSL's EVP. */
#include <config.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "digest.h"
#include "common/fullio.h"

#define CHUNK ((size_t) 1 << 20)

struct md_digest {
  EVP_MD_CTX *ctx;
};

md_digest *
md_digest_new (void)
{
  md_digest *d = malloc (sizeof *d);
  if (d == NULL)
    return NULL;
  d->ctx = EVP_MD_CTX_new ();
  if (d->ctx == NULL || EVP_DigestInit_ex (d->ctx, EVP_sha256 (), NULL) != 1) {
    md_digest_free (d);
    return NULL;
  }
  return d;
}

int
md_digest_update (md_digest *d, const void *p, size_t n)
{
  return EVP_DigestUpdate (d->ctx, p, n) == 1 ? 0 : -1;
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
md_digest_final (md_digest *d, char hex[65])
{
  uint8_t b[32];
  unsigned len = 0;
  if (EVP_DigestFinal_ex (d->ctx, b, &len) != 1 || len != sizeof b)
    return -1;
  md_hex (b, sizeof b, hex);
  return 0;
}

int
md_digest_final_raw (md_digest *d, uint8_t out[32])
{
  unsigned len = 0;
  return EVP_DigestFinal_ex (d->ctx, out, &len) == 1 && len == 32 ? 0 : -1;
}

void
md_digest_free (md_digest *d)
{
  if (d == NULL)
    return;
  EVP_MD_CTX_free (d->ctx);
  free (d);
}

int
md_digest_fd (int fd, uint64_t size, const md_undo *undo, int outfd,
              char hex[65])
{
  uint8_t *buf = malloc (CHUNK);
  md_digest *d = md_digest_new ();
  int rc = 0;
  if (buf == NULL) {
    rc = MOUNTDB_E_NOMEM;
    errno = ENOMEM;
    goto out;
  }
  if (d == NULL) {
    rc = MOUNTDB_E_CRYPTO;
    goto out;
  }
  for (uint64_t at = 0; at < size;) {
    size_t want = size - at < CHUNK ? (size_t) (size - at) : CHUNK;
    ssize_t n = md_read_full (fd, buf, want, (off_t) at);
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
    if (md_digest_update (d, buf, (size_t) n) < 0) {
      rc = MOUNTDB_E_CRYPTO;
      goto out;
    }
    if (outfd >= 0 && md_write_full (outfd, buf, (size_t) n, -1) < 0) {
      rc = MOUNTDB_E_IO;
      goto out;
    }
    at += (uint64_t) n;
  }
  if (md_digest_final (d, hex) < 0)
    rc = MOUNTDB_E_CRYPTO;
out:
  md_digest_free (d);
  free (buf);
  return rc;
}
