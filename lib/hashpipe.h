/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A SHA-256 taken on its own thread behind the copy of an input: as the
 * evidence layer writes the input into the memfd, it says how far the
 * copy holds the input (every byte, zero blocks and holes reading back as
 * the zeros they were), and the thread hashes the memfd up to there.  The
 * copy is never held up by the hash, and the hash runs on beside the parse
 * (issue 14: wall time = max, not sum).  Nothing may change the copy
 * below that mark until the thread is past it (md_hashpipe_finish). */
#ifndef MOUNTDB_HASHPIPE_H
#define MOUNTDB_HASHPIPE_H

#include <stddef.h>
#include <stdint.h>
#include "decode.h"
#include "digest.h"

typedef struct md_hashpipe md_hashpipe;

/* A pipe hashing memfd, its thread started; NULL (errno) when memory or a
 * thread cannot be had: the caller hashes inline. */
MD_HIDDEN md_hashpipe *md_hashpipe_new (int memfd, size_t bufsize);
/* The copy now holds the input's bytes [0, upto): hash them.  Bytes past
 * the memfd's end read as zeros (a copy cut short at its extent, where the
 * input's tail was zeros). */
MD_HIDDEN void md_hashpipe_advance (md_hashpipe *p, uint64_t upto);
/* Keep the thread out of the copy (waiting for a read under way) until
 * md_hashpipe_unhold: the kernel's F_SEAL_WRITE counts a page being read
 * as pinned, and waits a tick (4 ms here) for it. */
MD_HIDDEN void md_hashpipe_hold (md_hashpipe *p);
MD_HIDDEN void md_hashpipe_unhold (md_hashpipe *p);
/* The input goes on with bytes the copy will not hold: wait for the thread
 * to hash everything advanced, stop it, and hand over its digest, to be
 * hashed into inline from here (the caller frees it); the pipe is freed.
 * NULL when the hash failed. */
MD_HIDDEN md_digest *md_hashpipe_take (md_hashpipe *p);
/* No more input: wait for the thread, write the digest, free the pipe.
 * 0, or -1 (the copy could not be read, errno, or SHA-256 failed). */
MD_HIDDEN int md_hashpipe_finish (md_hashpipe *p, char hex[65]);
/* Stop without a digest (the load failed): the thread stops after the
 * piece it is reading.  NULL is allowed. */
MD_HIDDEN void md_hashpipe_free (md_hashpipe *p);

#endif
