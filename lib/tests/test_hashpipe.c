/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hash pipe (lib/hashpipe.h): the digest follows the copy exactly,
 * in any steps, past the copy's end as zeros, handed over midway, and it
 * reports a copy it cannot read; and the seal that a hash thread's read
 * can make the kernel refuse (EBUSY) is asked again once the hash is done
 * (fault hook "seal_busy", fault.h).  Links the fault build of the
 * library. */
#include <config.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "mountdb.h"
#include "digest.h"
#include "hashpipe.h"
#include "write.h"

static const char *fixtures;

/* SHA-256 of p[0, n) followed by zeros zeros, the plain way. */
static void
expect_hex (const uint8_t *p, size_t n, uint64_t zeros, char hex[65])
{
  md_digest *d = md_digest_new ();
  assert_non_null (d);
  assert_int_equal (md_digest_update (d, p, n), 0);
  assert_int_equal (md_digest_zeros (d, zeros), 0);
  assert_int_equal (md_digest_final (d, hex), 0);
  md_digest_free (d);
}

static int
memfd_with (const uint8_t *p, size_t n)
{
  int fd = memfd_create ("test-hashpipe", MFD_CLOEXEC);
  assert_true (fd >= 0);
  assert_int_equal (pwrite (fd, p, n, 0), (ssize_t) n);
  return fd;
}

static uint8_t *
pattern (size_t n)
{
  uint8_t *p = malloc (n);
  assert_non_null (p);
  for (size_t i = 0; i < n; i++)
    p[i] = (uint8_t) (i * 131 + (i >> 9));
  return p;
}

/* Marks in odd steps (smaller and larger than the thread's buffer), some
 * repeated or going back (ignored): the digest is the bytes'. */
static void
follows_in_any_steps (void **state)
{
  (void) state;
  size_t n = 3 * 1000 * 1000 + 17;
  uint8_t *p = pattern (n);
  int fd = memfd_with (p, n);
  char want[65], got[65];
  expect_hex (p, n, 0, want);
  static const size_t bufs[] = { 1, 4096, 65536 + 3 };
  for (size_t b = 0; b < sizeof bufs / sizeof bufs[0]; b++) {
    md_hashpipe *hp = md_hashpipe_new (fd, bufs[b] == 1 ? 4093 : bufs[b]);
    assert_non_null (hp);
    uint64_t at = 0;
    for (size_t step = 1; at < n; step = step * 3 + 1) {
      at = at + step < n ? at + step : n;
      md_hashpipe_advance (hp, at);
      md_hashpipe_advance (hp, at / 2); /* backwards: no effect */
    }
    assert_int_equal (md_hashpipe_finish (hp, got), 0);
    assert_string_equal (got, want);
  }
  close (fd);
  free (p);
}

/* A mark past the copy's end: the rest reads as zeros (the copy cut at
 * its extent where the input's tail was zeros). */
static void
zeros_past_the_copy (void **state)
{
  (void) state;
  uint8_t *p = pattern (10000);
  int fd = memfd_with (p, 10000);
  char want[65], got[65];
  expect_hex (p, 10000, 123456, want);
  md_hashpipe *hp = md_hashpipe_new (fd, 4096);
  assert_non_null (hp);
  md_hashpipe_advance (hp, 10000 + 123456);
  assert_int_equal (md_hashpipe_finish (hp, got), 0);
  assert_string_equal (got, want);
  close (fd);
  free (p);
}

/* Handed over midway: the digest holds exactly what was advanced, and
 * goes on inline. */
static void
take_midway (void **state)
{
  (void) state;
  size_t n = 700000;
  uint8_t *p = pattern (n);
  int fd = memfd_with (p, 300000);
  char want[65], got[65];
  expect_hex (p, n, 0, want);
  md_hashpipe *hp = md_hashpipe_new (fd, 65536);
  assert_non_null (hp);
  md_hashpipe_advance (hp, 250000);
  md_hashpipe_advance (hp, 300000);
  md_digest *d = md_hashpipe_take (hp);
  assert_non_null (d);
  assert_int_equal (md_digest_update (d, p + 300000, n - 300000), 0);
  assert_int_equal (md_digest_final (d, got), 0);
  md_digest_free (d);
  assert_string_equal (got, want);
  close (fd);
  free (p);
}

/* A copy that cannot be read: finish fails with the read's errno, take
 * gives no digest, and free after a failure or with work pending is
 * clean (ASan and valgrind watch). */
static void
unreadable_copy (void **state)
{
  (void) state;
  int fd = memfd_create ("test-hashpipe", MFD_CLOEXEC);
  assert_true (fd >= 0);
  int wfd = dup (fd);
  close (fd); /* wfd stays valid; fd is now a closed number */
  char got[65];
  md_hashpipe *hp = md_hashpipe_new (fd, 4096);
  assert_non_null (hp);
  md_hashpipe_advance (hp, 5000);
  errno = 0;
  assert_int_equal (md_hashpipe_finish (hp, got), -1);
  assert_int_equal (errno, EBADF);
  hp = md_hashpipe_new (fd, 4096);
  assert_non_null (hp);
  md_hashpipe_advance (hp, 5000);
  assert_null (md_hashpipe_take (hp));
  hp = md_hashpipe_new (wfd, 4096);
  assert_non_null (hp);
  md_hashpipe_advance (hp, 1 << 20);
  md_hashpipe_free (hp);
  md_hashpipe_free (NULL);
  close (wfd);
}

/* Freed with work pending (a failed load): the thread stops after the
 * piece it is on, not after hashing the rest (here 128 GiB of zeros
 * past the copy's end, ~100 s of SHA-256: without the stop, this test
 * fails after that long rather than hanging). */
static void
free_stops_the_thread (void **state)
{
  (void) state;
  int fd = memfd_create ("test-hashpipe", MFD_CLOEXEC);
  assert_true (fd >= 0);
  md_hashpipe *hp = md_hashpipe_new (fd, 4096);
  assert_non_null (hp);
  md_hashpipe_advance (hp, (uint64_t) 1 << 37);
  usleep (20000);
  struct timespec t0, t1;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  md_hashpipe_free (hp);
  clock_gettime (CLOCK_MONOTONIC, &t1);
  double s = (double) (t1.tv_sec - t0.tv_sec)
             + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
  /* One 64 MiB piece takes ~50 ms; 20 s would be a machine stalled, not
   * a thread stopping. */
  assert_true (s < 20.0);
  close (fd);
}

/* The kernel refuses F_SEAL_WRITE while a page is pinned, as a hash
 * thread's read does for a moment: with the hash running, the open
 * finishes the hash and seals again (same digest); without one (no
 * hash), EBUSY is a real refusal and the open says so. */
static void
seal_busy_retried (void **state)
{
  (void) state;
  char path[4096], want[65];
  snprintf (path, sizeof path, "%s/sample.hive", fixtures);
  /* The digest without the fault (test_open checks it is the file's). */
  mountdb *db = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_open (path, 0, &db, &err), 0);
  snprintf (want, sizeof want, "%s", mountdb_sha256 (db));
  mountdb_close (db);
  db = NULL;
  md_write_set_fault ("seal_busy", EBUSY);
  assert_int_equal (mountdb_open (path, 0, &db, &err), 0);
  assert_string_equal (mountdb_sha256 (db), want);
  assert_true (mountdb_volume_count (db) > 0);
  mountdb_close (db);
  db = NULL;
  assert_int_not_equal (mountdb_open (path, MOUNTDB_OPEN_NO_HASH, &db, &err),
                        0);
  assert_null (db);
  assert_non_null (strstr (err.message, "cannot prepare the in-memory copy"));
  assert_non_null (strstr (err.message, strerror (EBUSY)));
  md_write_set_fault (NULL, 0);
  assert_int_equal (mountdb_open (path, MOUNTDB_OPEN_NO_HASH, &db, &err), 0);
  mountdb_close (db);
}

int
main (void)
{
  fixtures = getenv ("FIXTURES");
  if (fixtures == NULL)
    fixtures = "testdata/out";
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (follows_in_any_steps),
    cmocka_unit_test (zeros_past_the_copy),
    cmocka_unit_test (take_midway),
    cmocka_unit_test (unreadable_copy),
    cmocka_unit_test (free_stops_the_thread),
    cmocka_unit_test (seal_busy_retried),
  };
  return cmocka_run_group_tests_name ("hashpipe", tests, NULL, NULL);
}
