/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Full reads and writes (see fullio.h). */
#include <config.h>
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include "common/fullio.h"

ssize_t
md_read_full (int fd, void *buf, size_t n, off_t at)
{
  uint8_t *p = buf;
  size_t got = 0;
  while (got < n) {
    ssize_t r = at >= 0 ? pread (fd, p + got, n - got, at + (off_t) got)
                        : read (fd, p + got, n - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0)
      break;
    got += (size_t) r;
  }
  return (ssize_t) got;
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
  const uint8_t *p = buf;
  size_t done = 0;
  while (done < n) {
    ssize_t r = at >= 0 ? pwrite (fd, p + done, n - done, at + (off_t) done)
                        : write (fd, p + done, n - done);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0) {
      errno = EIO; /* no progress: would loop forever */
      return -1;
    }
    done += (size_t) r;
  }
  return 0;
}
