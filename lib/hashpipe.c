/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The hash pipe (hashpipe.h): the copying thread moves a mark forward, the
 * hashing thread reads the memfd up to it.  Each waits only on the other:
 * the hasher when it has caught up, the copier never (its caller waits,
 * once, at the end). */
#include <config.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "common/fullio.h"
#include "hashpipe.h"

struct md_hashpipe {
  pthread_mutex_t mu;
  pthread_mutex_t io;           /* held by each read of the copy */
  pthread_cond_t cv;
  pthread_t tid;
  int memfd;
  md_digest *md;
  uint8_t *buf;
  size_t bufsize;
  uint64_t upto;                /* the copy holds [0, upto) */
  uint64_t hashed;              /* the thread's progress */
  int done, waiting, failed, err;
  atomic_int cancel;            /* md_hashpipe_free: stop, digest unused */
};

/* Hash [from, to) of the copy: read in pieces, zeros past its end. */
static int
hash_range (md_hashpipe *p, uint64_t from, uint64_t to)
{
  while (from < to && !atomic_load_explicit (&p->cancel,
                                              memory_order_relaxed)) {
    size_t want = to - from < p->bufsize ? (size_t) (to - from) : p->bufsize;
    pthread_mutex_lock (&p->io);
    ssize_t n = md_read_full (p->memfd, p->buf, want, (off_t) from);
    pthread_mutex_unlock (&p->io);
    if (n < 0)
      return -1;
    if (n == 0) {
      /* Past the copy's end: zeros, in pieces so that a cancel is seen. */
      uint64_t z = to - from < ((uint64_t) 64 << 20) ? to - from
                   : (uint64_t) 64 << 20;
      if (md_digest_zeros (p->md, z) < 0)
        return (errno = 0, -1);
      from += z;
      continue;
    }
    if (md_digest_update (p->md, p->buf, (size_t) n) < 0)
      return (errno = 0, -1);
    from += (uint64_t) n;
  }
  return 0;
}

static void *
hash_main (void *arg)
{
  md_hashpipe *p = arg;
  pthread_mutex_lock (&p->mu);
  for (;;) {
    while (p->hashed == p->upto && !p->done) {
      p->waiting = 1;
      pthread_cond_wait (&p->cv, &p->mu);
      p->waiting = 0;
    }
    if (p->hashed == p->upto)
      break;
    uint64_t from = p->hashed, to = p->upto;
    pthread_mutex_unlock (&p->mu);
    int rc = hash_range (p, from, to);
    int e = errno;
    pthread_mutex_lock (&p->mu);
    if (rc < 0) {
      p->failed = 1;
      p->err = e;
      break;
    }
    p->hashed = to;
  }
  pthread_mutex_unlock (&p->mu);
  return NULL;
}

static void
release (md_hashpipe *p)
{
  pthread_cond_destroy (&p->cv);
  pthread_mutex_destroy (&p->io);
  pthread_mutex_destroy (&p->mu);
  md_digest_free (p->md);
  free (p->buf);
  free (p);
}

md_hashpipe *
md_hashpipe_new (int memfd, size_t bufsize)
{
  md_hashpipe *p = calloc (1, sizeof *p);
  if (p == NULL)
    return NULL;
  p->memfd = memfd;
  p->bufsize = bufsize ? bufsize : 1;
  pthread_mutex_init (&p->mu, NULL);
  pthread_mutex_init (&p->io, NULL);
  pthread_cond_init (&p->cv, NULL);
  if ((p->md = md_digest_new ()) != NULL
      && (p->buf = malloc (p->bufsize)) != NULL
      && pthread_create (&p->tid, NULL, hash_main, p) == 0)
    return p;
  release (p);
  errno = ENOMEM;
  return NULL;
}

void
md_hashpipe_advance (md_hashpipe *p, uint64_t upto)
{
  pthread_mutex_lock (&p->mu);
  if (upto > p->upto) {
    p->upto = upto;
    /* Wake the thread only if it sleeps: most marks find it busy. */
    if (p->waiting)
      pthread_cond_signal (&p->cv);
  }
  pthread_mutex_unlock (&p->mu);
}

void
md_hashpipe_hold (md_hashpipe *p)
{
  pthread_mutex_lock (&p->io);
}

void
md_hashpipe_unhold (md_hashpipe *p)
{
  pthread_mutex_unlock (&p->io);
}

/* Let the thread hash what it has been given, then join it. */
static int
drain (md_hashpipe *p)
{
  pthread_mutex_lock (&p->mu);
  p->done = 1;
  pthread_cond_signal (&p->cv);
  pthread_mutex_unlock (&p->mu);
  pthread_join (p->tid, NULL);
  if (p->failed)
    errno = p->err;
  return p->failed ? -1 : 0;
}

md_digest *
md_hashpipe_take (md_hashpipe *p)
{
  md_digest *md = NULL;
  if (drain (p) == 0) {
    md = p->md;
    p->md = NULL;
  }
  int e = errno; /* the read's, for the caller's message */
  release (p);
  errno = e;
  return md;
}

int
md_hashpipe_finish (md_hashpipe *p, char hex[65])
{
  int rc = drain (p);
  if (rc == 0 && md_digest_final (p->md, hex) < 0)
    rc = (errno = 0, -1);
  int e = errno;
  release (p);
  errno = e;
  return rc;
}

void
md_hashpipe_free (md_hashpipe *p)
{
  if (p == NULL)
    return;
  /* A failed load: what is left unhashed need not be read. */
  atomic_store (&p->cancel, 1);
  drain (p);
  release (p);
}
