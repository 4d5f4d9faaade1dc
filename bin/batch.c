/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loop shared by show, check and devices: hives run on --jobs
 * threads (one handle each), documents come out in input order. */
#include <config.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mountdb.h"
#include "grow.h"
#include "cli.h"
#include "batch.h"
#include "out_disk.h"

/* A hive's document goes to stdout through a spool: the first SPOOL_KEEP
 * bytes are held in memory, so a document whose formatting fails (a hive
 * that could not be read gets its small error document instead) leaves
 * nothing behind.  A document past that size (show on a key of 100k
 * values is 125 MB of JSON) streams from then on rather than being held
 * whole: once the hive is read and checked, formatting only reads the
 * model, so what can still fail is the write itself (which can leave a
 * partial document whatever is buffered) or memory for one entry's text.
 * Spilling to a temporary file instead would keep even that case clean,
 * but costs a second copy of the whole document on disk and half the CPU
 * budget of the 100k-value benchmark (issue 10 item 8). */
#define SPOOL_KEEP ((size_t) 2 << 20)

struct slot;

struct spool {
  char *buf;
  size_t len, cap;
  int streaming;                /* buf was written out: writes go through */
  int werr;                     /* writing stdout failed (errno kept) */
  struct slot *wait;            /* formatted ahead by a worker: before
                                   streaming, wait until its turn */
};

static int wait_turn (struct slot *sl);

static int
spool_out (struct spool *s, const char *p, size_t n)
{
  if (n && fwrite (p, 1, n, stdout) != n) {
    s->werr = 1;
    return -1;
  }
  return 0;
}

static ssize_t
spool_write (void *cookie, const char *p, size_t n)
{
  struct spool *s = cookie;
  if (s->werr)
    return -1;
  if (!s->streaming && s->len + n > SPOOL_KEEP) {
    /* A document formatted ahead of its turn is held up to SPOOL_KEEP,
     * then waits (holding its one hive) until the ones before it are
     * out: memory stays bounded by --jobs hives and documents whatever
     * the order they finish in. */
    if (s->wait != NULL && wait_turn (s->wait) < 0) {
      s->werr = 1;
      errno = EPIPE;
      return -1;
    }
    s->streaming = 1;
    if (spool_out (s, s->buf, s->len) < 0)
      return -1;
    free (s->buf);
    s->buf = NULL;
    s->len = s->cap = 0;
  }
  if (s->streaming)
    return spool_out (s, p, n) < 0 ? -1 : (ssize_t) n;
  if (n && md_grow (&s->buf, &s->cap, s->len + n - 1, 1) < 0) {
    errno = ENOMEM;
    return -1;
  }
  memcpy (s->buf + s->len, p, n);
  s->len += n;
  return (ssize_t) n;
}

/* Format one step into s (held, or streaming past SPOOL_KEEP).  Returns 0
 * (s holds the rest of the document: spool_flush it), -1 (format failed,
 * nothing written), -2 (write failed) or -3 (format failed after part of
 * the document was streamed). */
enum { STEP_BEGIN, STEP_HIVE, STEP_END };

static int
step_into (struct spool *s, const struct out_writer *w, int what,
           const struct hive_result *r, size_t i, size_t n)
{
  cookie_io_functions_t io = { NULL, spool_write, NULL, NULL };
  FILE *ms = fopencookie (s, "w", io);
  if (ms == NULL)
    return -1;
  /* Writers emit in pieces of up to 64 KiB: one copy each, not two. */
  setvbuf (ms, NULL, _IOFBF, (size_t) 64 << 10);
  int rc = what == STEP_BEGIN ? w->begin (ms, n)
           : what == STEP_HIVE ? w->hive (ms, r, i) : w->end (ms, n);
  if (fclose (ms) != 0 && rc == 0)
    rc = -1;
  if (s->werr)
    rc = -2;
  else if (rc < 0 && s->streaming)
    rc = -3;
  return rc;
}

/* Write what s holds of a complete document: 0 or -2. */
static int
spool_flush (struct spool *s, int rc)
{
  if (rc == 0 && spool_out (s, s->buf, s->len) < 0)
    rc = -2;
  free (s->buf);
  s->buf = NULL;
  s->len = s->cap = 0;
  return rc;
}

static int
step (const struct out_writer *w, int what, const struct hive_result *r,
      size_t i, size_t n)
{
  struct spool s = { NULL, 0, 0, 0, 0, NULL };
  return spool_flush (&s, step_into (&s, w, what, r, i, n));
}

static int
worst_shown (const struct hive_result *r)
{
  int worst = -1;
  for (size_t i = 0; i < mountdb_finding_count (r->db); i++) {
    const mountdb_finding *f = mountdb_finding_get (r->db, i);
    if (out_finding_shown (r, f) && mountdb_finding_severity (f) > worst)
      worst = mountdb_finding_severity (f);
  }
  return worst;
}

/* ---- the run ---------------------------------------------------------------

   A reader (the calling thread) takes the names, from the command line or
   a list, into a window of `jobs` slots; `jobs` workers each open, check
   and (for the JSON formats, whose writers keep no state between hives)
   format one hive at a time; whichever worker finishes the oldest hive
   prints it and every later one already done, so documents come out in
   input order.  At most `jobs` hives are open at once: a slot is reused
   only once its document is out.  The text, CSV and XML writers keep
   state across hives (a header, a count, one XML document), so for them
   the printing worker formats too, in order; the reading and the rules,
   most of the work, still run in parallel. */

enum { SLOT_FREE, SLOT_READY, SLOT_RUNNING, SLOT_DONE };

/* Formatted documents a worker may hold ahead of the printer, per job. */
#define BATCH_AHEAD 8

struct run;

struct slot {
  struct run *run;
  size_t index;
  char *path;
  int owned;                    /* path was read from a list */
  int state;
  struct batch_item it;         /* what the step opened, or why not */
  int formatted;                /* out holds the document (fmt_rc) */
  int fmt_rc, fmt_errno;
  struct spool out;
};

struct run {
  const struct batch *b;
  const struct batch_step *step;
  const struct out_writer *w;
  size_t nhives;                /* for the writers: SIZE_MAX for a list */
  int format_ahead;             /* the writer's hive() may run in workers */
  int flush_each;               /* a list: each document goes out at once */
  int progress;
  pthread_mutex_t mu;
  /* Each waiter has its own condition, signalled only when its wait can
   * end: one shared condition broadcast on every change woke every
   * thread per hive (issue 14: 5 futex calls a hive; with --jobs 2 the
   * wake-ups cost more than small hives themselves). */
  pthread_cond_t work;          /* workers: a name to start, eof or stop */
  pthread_cond_t space;         /* the reader: the window half empty */
  pthread_cond_t turn;          /* a worker holding a large document */
  unsigned idle, reader_waits, turn_waits;
  struct slot *slots;
  size_t nslots;
  size_t filled, started, head; /* names read, hives started, printed */
  int eof, stop;
  int fail;                     /* why stop: -2 write, -3 cut short */
  int fail_errno;
  /* The exit status, from the printed hives. */
  int unreadable, findings;
};

static struct slot *
slot_at (struct run *R, size_t i)
{
  return &R->slots[i % R->nslots];
}

/* A worker formatting ahead: wait until every earlier document is out.
 * -1 when the run stopped. */
static int
wait_turn (struct slot *sl)
{
  struct run *R = sl->run;
  pthread_mutex_lock (&R->mu);
  R->turn_waits++;
  while (R->head != sl->index && !R->stop)
    pthread_cond_wait (&R->turn, &R->mu);
  R->turn_waits--;
  int rc = R->stop ? -1 : 0;
  pthread_mutex_unlock (&R->mu);
  return rc;
}

/* show's and check's step: open and check one hive, and with --disk
 * correlate it. */
static void
check_open (const struct batch *b, struct batch_item *it)
{
  mountdb *db = NULL;
  int rc = mountdb_open_with_logs (it->path, b->open_flags, b->logs,
                                   b->nlogs, &db, &it->err);
  /* --disk: the disks were opened once, on their own thread while this
   * hive was read; checking and correlating only read them. */
  disk_set_wait (b->disks);
  const mountdb_disk *const *dk = b->disks
                                  ? (const mountdb_disk *const *) b->disks->d
                                  : NULL;
  size_t ndk = b->disks ? b->disks->n : 0;
  if (rc == 0
      && ((rc = ndk ? mountdb_check_disks (db, b->system_letter, dk, ndk)
                    : mountdb_check (db, b->system_letter)) < 0
          || (ndk && (rc = mountdb_correlate (db, dk, ndk, &it->corr,
                                              NULL)) < 0))) {
    snprintf (it->err.message, sizeof it->err.message,
              "%s: checking failed: %s", it->path, mountdb_strerror (rc));
    it->err.code = rc;
    mountdb_correlation_free (it->corr);
    it->corr = NULL;
    mountdb_close (db);
    db = NULL;
  }
  it->db = db;
  it->unreadable = db == NULL;
  if (db == NULL)
    return;
  struct hive_result r = { it->path, db, NULL, b->mode, b->ignore, b->disks,
                           it->corr, NULL };
  /* check: a shown finding at or above --fail-on; show: not a SYSTEM
   * hive (R4). */
  it->findings = b->mode == MODE_CHECK ? worst_shown (&r) >= b->fail_on
                 : mountdb_hive_kind (db) != MOUNTDB_HIVE_SYSTEM;
}

static void
check_close (struct batch_item *it)
{
  mountdb_correlation_free (it->corr);
  it->corr = NULL;
  mountdb_close (it->db);
  it->db = NULL;
}

static const struct batch_step check_step = {
  check_open, check_close, out_writer_for,
};

static struct hive_result
item_result (const struct batch *b, const struct batch_item *it)
{
  struct hive_result r = { it->path, it->db, it->db ? NULL : &it->err,
                           b->mode, b->ignore, b->disks, it->corr,
                           it->devices };
  return r;
}

/* Open one hive (the command's step); format it too when the writer
 * allows. */
static void
process (struct run *R, struct slot *sl)
{
  const struct batch *b = R->b;
  struct batch_item *it = &sl->it;
  it->path = sl->path;
  if (b->files_from != NULL && strcmp (b->files_from, "-") == 0
      && strcmp (sl->path, "-") == 0) {
    /* Standard input holds the list: a hive there would eat it. */
    it->err.code = MOUNTDB_E_INVAL;
    it->err.sys_errno = 0;
    snprintf (it->err.message, sizeof it->err.message, "-: standard input "
              "holds the list of hives (./- names a file)");
    it->unreadable = 1;
  } else
    R->step->open (b, it);
  it->failed = it->db == NULL;
  if (R->format_ahead) {
    struct hive_result r = item_result (b, it);
    memset (&sl->out, 0, sizeof sl->out);
    sl->out.wait = sl;
    sl->fmt_rc = step_into (&sl->out, R->w, STEP_HIVE, &r, sl->index,
                            R->nhives);
    sl->fmt_errno = errno;
    sl->formatted = 1;
    /* The document holds all it needs: the hive can go now. */
    R->step->close (it);
  }
}

static void
progress_clear (struct run *R)
{
  if (R->progress)
    fputs ("\r\033[K", stderr);
}

static void
progress_show (struct run *R)
{
  if (!R->progress)
    return;
  if (R->nhives != SIZE_MAX || R->eof) /* the total is known */
    fprintf (stderr, "\rmountdb %s: %zu/%zu hives", R->b->cmd, R->head + 1,
             R->nhives != SIZE_MAX ? R->nhives : R->filled);
  else
    fprintf (stderr, "\rmountdb %s: %zu hives", R->b->cmd, R->head + 1);
}

/* Print one hive (its turn has come; R->mu not held).  Returns 0, -2
 * (the output failed, *err its errno) or -3 (a document was cut short,
 * said here). */
static int
emit (struct run *R, struct slot *sl, int *err)
{
  const struct batch *b = R->b;
  if (sl->it.failed) {
    progress_clear (R);
    cli_error (b->cmd, "%s", sl->it.err.message);
  }
  int rc, e;
  if (sl->formatted) {
    rc = spool_flush (&sl->out, sl->fmt_rc);
    e = rc == -2 ? errno : sl->fmt_errno;
  } else {
    struct hive_result r = item_result (b, &sl->it);
    rc = step (R->w, STEP_HIVE, &r, sl->index, R->nhives);
    e = errno;
  }
  R->step->close (&sl->it);
  if (rc == -1) {
    progress_clear (R);
    cli_error (b->cmd, "%s: cannot format the result: %s", sl->path,
               strerror (e));
    sl->it.unreadable = 1;
    rc = 0;
  } else if (rc == -3) {
    progress_clear (R);
    cli_error (b->cmd, "%s: cannot format the rest of the result: %s; "
               "the output is cut short", sl->path, strerror (e));
  }
  if (rc == 0 && R->flush_each && fflush (stdout) != 0) {
    rc = -2;
    e = errno;
  }
  *err = e;
  return rc;
}

/* With R->mu held: the run stopped or the list ended; no waiter may
 * sleep through it. */
static void
wake_all (struct run *R)
{
  pthread_cond_broadcast (&R->work);
  pthread_cond_broadcast (&R->space);
  pthread_cond_broadcast (&R->turn);
}

/* With R->mu held: print every done hive from the head on. */
static void
emit_ready (struct run *R)
{
  while (!R->stop && R->head < R->filled
         && slot_at (R, R->head)->state == SLOT_DONE) {
    struct slot *sl = slot_at (R, R->head);
    int e = 0;
    pthread_mutex_unlock (&R->mu);
    int rc = emit (R, sl, &e);
    pthread_mutex_lock (&R->mu);
    if (sl->owned)
      free (sl->path);
    sl->path = NULL;
    R->unreadable |= sl->it.unreadable;
    R->findings |= sl->it.findings;
    if (rc < 0) {
      R->stop = 1;
      R->fail = rc;
      R->fail_errno = e;
    }
    sl->state = SLOT_FREE;
    if (rc == 0)
      progress_show (R);
    R->head++;
    if (R->stop)
      wake_all (R);
    else {
      if (R->turn_waits)
        pthread_cond_broadcast (&R->turn);
      /* The reader refills the window in one go once half of it is
       * free, rather than waking for every slot. */
      if (R->reader_waits && R->filled - R->head <= R->nslots / 2)
        pthread_cond_signal (&R->space);
    }
  }
}

static void *
worker (void *arg)
{
  struct run *R = arg;
  pthread_mutex_lock (&R->mu);
  for (;;) {
    while (!R->stop && R->started == R->filled && !R->eof) {
      R->idle++;
      pthread_cond_wait (&R->work, &R->mu);
      R->idle--;
    }
    if (R->stop || R->started == R->filled)
      break;
    struct slot *sl = slot_at (R, R->started++);
    sl->state = SLOT_RUNNING;
    pthread_mutex_unlock (&R->mu);
    process (R, sl);
    pthread_mutex_lock (&R->mu);
    sl->state = SLOT_DONE;
    if (sl->index == R->head)
      emit_ready (R);
  }
  pthread_mutex_unlock (&R->mu);
  return NULL;
}

/* Hand one name to the workers (waiting for a free slot): 0, or -1 when
 * the run stopped (path is then freed when owned). */
static int
feed (struct run *R, char *path, int owned)
{
  pthread_mutex_lock (&R->mu);
  if (!R->stop && R->filled >= R->head + R->nslots) {
    R->reader_waits = 1;
    while (!R->stop && R->filled - R->head > R->nslots / 2)
      pthread_cond_wait (&R->space, &R->mu);
    R->reader_waits = 0;
  }
  if (R->stop) {
    pthread_mutex_unlock (&R->mu);
    if (owned)
      free (path);
    return -1;
  }
  struct slot *sl = slot_at (R, R->filled);
  memset (sl, 0, sizeof *sl);
  sl->run = R;
  sl->index = R->filled++;
  sl->path = path;
  sl->owned = owned;
  sl->state = SLOT_READY;
  if (R->idle)
    pthread_cond_signal (&R->work);
  pthread_mutex_unlock (&R->mu);
  return 0;
}

/* Read the list: one name a line (or NUL-terminated with -0), empty ones
 * skipped; each goes to the workers as soon as it is read, so a list on a
 * pipe streams.  0, or -1 after saying why (the list cannot be read). */
static int
read_list (struct run *R, FILE *f)
{
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int delim = R->b->nul ? '\0' : '\n', rc = 0;
  while ((n = getdelim (&line, &cap, delim, f)) >= 0) {
    if (n > 0 && line[n - 1] == delim)
      line[--n] = '\0';
    if (n == 0)
      continue;
    char *path = strdup (line);
    if (path == NULL) {
      errno = ENOMEM;
      rc = -1;
      break;
    }
    if (feed (R, path, 1) < 0)
      break;                    /* the output failed: said later */
  }
  if (n < 0 && ferror (f))
    rc = -1;
  free (line);
  return rc;
}

static unsigned
default_jobs (void)
{
  long n = sysconf (_SC_NPROCESSORS_ONLN);
  return n >= 1 && n <= 1024 ? (unsigned) n : 1;
}

int
batch_check_usage (const struct batch *b, int has_hives)
{
  if (b->files_from != NULL && has_hives)
    return usage_error (b->cmd, "give HIVE operands or --files-from, not "
                        "both");
  if (b->files_from == NULL && !has_hives)
    return usage_error (b->cmd, "no HIVE given");
  if (b->nul && b->files_from == NULL)
    return usage_error (b->cmd, "-0 applies to --files-from");
  if (b->nlogs && b->files_from != NULL)
    return usage_error (b->cmd, "--log names the logs of one hive; give "
                        "one HIVE");
  return 0;
}

int
batch_run (const struct batch *b)
{
  const struct batch_step *stp = b->step ? b->step : &check_step;
  const struct out_writer *w = stp->writer_for (b->fmt);
  if (b->nlogs && b->nhives != 1) {
    cli_error (b->cmd, "--log names the logs of one hive; give "
             "one HIVE");
    return EXIT_USAGE;
  }
  FILE *list = NULL;
  if (b->files_from != NULL) {
    list = strcmp (b->files_from, "-") == 0 ? stdin
           : fopen (b->files_from, "re");
    if (list == NULL) {
      cli_error (b->cmd, "%s: cannot read the list of hives: %s",
                 b->files_from, strerror (errno));
      return EXIT_HIVE;
    }
  }
  struct run R;
  memset (&R, 0, sizeof R);
  R.b = b;
  R.step = stp;
  R.w = w;
  /* A list's length is not known before its end: it is always a list
   * (an array in JSON), even of one hive. */
  R.nhives = list ? SIZE_MAX : b->nhives;
  R.format_ahead = b->fmt == FMT_JSON || b->fmt == FMT_JSONL;
  R.flush_each = list != NULL;
  R.progress = !b->quiet && isatty (STDERR_FILENO);
  unsigned jobs = b->jobs ? b->jobs : default_jobs ();
  if (!list && jobs > b->nhives)
    jobs = b->nhives ? (unsigned) b->nhives : 1;
  /* JSON and JSONL documents are formatted by the workers and their hive
   * closed at once, so the window of names may run ahead of the printer
   * by more than N: a slow hive at the head then does not stall the other
   * workers (measured: --jobs 2 over the bench's 1,000 hives went from
   * 1.13x to 1.48x the throughput of --jobs 1).  Still at most N hives
   * open (one per worker); what waits is output, each document spooled
   * up to 2 MiB. */
  R.nslots = R.format_ahead ? jobs * BATCH_AHEAD : jobs;
  R.slots = calloc (R.nslots, sizeof *R.slots);
  pthread_t *tid = calloc (jobs, sizeof *tid);
  if (R.slots == NULL || tid == NULL) {
    cli_error (b->cmd, "%s", strerror (ENOMEM));
    free (R.slots);
    free (tid);
    if (list && list != stdin)
      fclose (list);
    return EXIT_HIVE;
  }
  pthread_mutex_init (&R.mu, NULL);
  pthread_cond_init (&R.work, NULL);
  pthread_cond_init (&R.space, NULL);
  pthread_cond_init (&R.turn, NULL);

  int list_failed = 0, write_failed = 0;
  size_t nthreads = 0;
  if (step (w, STEP_BEGIN, NULL, 0, R.nhives) < 0)
    write_failed = 1;
  for (; nthreads < jobs && !write_failed; nthreads++)
    if (pthread_create (&tid[nthreads], NULL, worker, &R) != 0)
      break;
  if (nthreads == 0 && !write_failed) {
    cli_error (b->cmd, "cannot start a thread: %s", strerror (errno));
    write_failed = 2;
  }
  if (!write_failed) {
    if (list)
      list_failed = read_list (&R, list) < 0;
    else
      for (size_t i = 0; i < b->nhives; i++)
        if (feed (&R, b->hives[i], 0) < 0)
          break;
  }
  int list_errno = errno;
  pthread_mutex_lock (&R.mu);
  R.eof = 1;
  wake_all (&R);
  pthread_mutex_unlock (&R.mu);
  for (size_t t = 0; t < nthreads; t++)
    pthread_join (tid[t], NULL);
  /* Stopped early: what is left in the window was never printed. */
  for (size_t i = R.head; i < R.filled; i++) {
    struct slot *sl = slot_at (&R, i);
    stp->close (&sl->it);      /* idempotent; a zeroed item too */
    free (sl->out.buf);
    if (sl->owned)
      free (sl->path);
  }
  progress_clear (&R);
  if (list && list != stdin)
    fclose (list);
  pthread_cond_destroy (&R.work);
  pthread_cond_destroy (&R.space);
  pthread_cond_destroy (&R.turn);
  pthread_mutex_destroy (&R.mu);
  free (R.slots);
  free (tid);

  if (write_failed == 2)
    return EXIT_HIVE;
  if (R.fail == -3)
    return EXIT_HIVE;
  if (R.fail == -2) {
    errno = R.fail_errno;
    goto write_failed;
  }
  if (write_failed || step (w, STEP_END, NULL, 0, R.nhives) < 0
      || fflush (stdout) != 0)
    goto write_failed;
  if (list_failed) {
    cli_error (b->cmd, "%s: cannot read the list of hives: %s",
               b->files_from, strerror (list_errno));
    R.unreadable = 1;
  }
  /* Bits ORed as fsck does: 8|4 = 12 when one hive could not be read and
   * another has findings (or, for show, is not a SYSTEM hive: R4; for
   * devices, is of the wrong kind). */
  return (R.unreadable ? EXIT_HIVE : EXIT_OK)
         | (R.findings ? EXIT_FINDINGS : EXIT_OK);

write_failed:
  cli_error (b->cmd, "cannot write the output: %s",
           strerror (errno));
  return EXIT_HIVE;
}
