/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Full reads and writes (see fullio.h). */
#include <config.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "common/fullio.h"

/* The one loop: n bytes moved in as many calls as it takes.  The count,
 * short only when a read met the end (a write that makes no progress is
 * an error: EIO); -1 with errno. */
static ssize_t
transfer (int fd, uint8_t *p, size_t n, off_t at, int wr)
{
  size_t done = 0;
  while (done < n) {
    off_t o = at + (off_t) done;
    ssize_t r = wr ? (at >= 0 ? pwrite (fd, p + done, n - done, o)
                              : write (fd, p + done, n - done))
                   : (at >= 0 ? pread (fd, p + done, n - done, o)
                              : read (fd, p + done, n - done));
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0) {
      if (!wr)
        break;
      errno = EIO;
      return -1;
    }
    done += (size_t) r;
  }
  return (ssize_t) done;
}

ssize_t
md_read_full (int fd, void *buf, size_t n, off_t at)
{
  return transfer (fd, buf, n, at, 0);
}

int
md_read_exact (int fd, void *buf, size_t n, off_t at)
{
  ssize_t r = md_read_full (fd, buf, n, at);
  if (r < 0)
    return -1;
  if ((size_t) r < n) {
    errno = EIO; /* shorter than it must be */
    return -1;
  }
  return 0;
}

int
md_write_full (int fd, const void *buf, size_t n, off_t at)
{
  /* transfer only reads through p when writing. */
  uint8_t *p;
  memcpy (&p, &buf, sizeof p);
  return transfer (fd, p, n, at, 1) < 0 ? -1 : 0;
}
