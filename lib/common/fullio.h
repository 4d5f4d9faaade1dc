/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one full read and full write: loops over short transfers and EINTR,
 * so no caller mistakes a short read for the end of the input. */
#ifndef MOUNTDB_COMMON_FULLIO_H
#define MOUNTDB_COMMON_FULLIO_H

#include <stddef.h>
#include <sys/types.h>

/* Read up to n bytes, at offset at (pread) or, when at < 0, from the
 * current position (read: pipes).  The count, fewer than n only at the
 * end of the input; -1 with errno on an error. */
ssize_t md_read_full (int fd, void *buf, size_t n, off_t at);
/* Exactly n bytes or -1 (errno EIO when the input ends first). */
int md_read_exact (int fd, void *buf, size_t n, off_t at);
/* Write all n bytes, at offset at (pwrite) or at < 0 (write): 0 or -1. */
int md_write_full (int fd, const void *buf, size_t n, off_t at);

#endif
