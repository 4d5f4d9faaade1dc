/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SHA-256, the one place the library asks its crypto library for it
 * (evidence hashes, the writer's before/after hashes, backups): swapping
 * the crypto library changes digest.c alone. */
#ifndef MOUNTDB_DIGEST_H
#define MOUNTDB_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include "decode.h"
#include "undo.h"

typedef struct md_digest md_digest;

/* A new SHA-256 in progress; NULL when it cannot be set up. */
MD_HIDDEN md_digest *md_digest_new (void);
/* Each returns 0 or -1 (the crypto library failed). */
MD_HIDDEN int md_digest_update (md_digest *d, const void *p, size_t n);
/* n zero bytes (a hole of a sparse file), without reading them. */
MD_HIDDEN int md_digest_zeros (md_digest *d, uint64_t n);
/* The digest as 64 lower-case hex digits and a NUL; d stays allocated. */
MD_HIDDEN int md_digest_final (md_digest *d, char hex[65]);
/* The same, as its 32 raw bytes (the writer compares tree digests). */
MD_HIDDEN int md_digest_final_raw (md_digest *d, uint8_t out[32]);
MD_HIDDEN void md_digest_free (md_digest *d);

/* SHA-256 of fd from offset 0 to size (UINT64_MAX: to its end), read with
 * pread, copying every byte to outfd when outfd >= 0.  undo, when given,
 * is overlaid on what is read (the sealed copy back to the input's own
 * bytes).  Returns 0, MOUNTDB_E_NOMEM, MOUNTDB_E_IO (errno set; a file
 * shorter than size is EIO) or MOUNTDB_E_CRYPTO. */
MD_HIDDEN int md_digest_fd (int fd, uint64_t size, const md_undo *undo,
                            int outfd, char hex[65]);

#endif
