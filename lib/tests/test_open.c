/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb_open: the evidence rules (F1, F2) and every kind of bad input.
 * Generated fixtures come from $FIXTURES (make check builds them). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* F_GET_SEALS */
#endif
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <cmocka.h>
#include "mountdb.h"

static char tmpdir[] = "/tmp/mountdb-test-XXXXXX";
static const char *fixtures;

static char *
tmp (const char *name)
{
  static char buf[4][4096];
  static int k;
  k = (k + 1) % 4;
  snprintf (buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
  return buf[k];
}

static char *
fixture (const char *name)
{
  static char buf[4096];
  snprintf (buf, sizeof buf, "%s/%s", fixtures, name);
  return buf;
}

static void
write_file (const char *path, const void *p, size_t n)
{
  FILE *f = fopen (path, "wb");
  assert_non_null (f);
  assert_int_equal (fwrite (p, 1, n, f), n);
  assert_int_equal (fclose (f), 0);
}

/* Opening must fail with `code`, no handle, and a message naming the file. */
static void
expect_error (const char *path, unsigned flags, int code)
{
  mountdb *db = (mountdb *) 1;
  mountdb_error err;
  assert_int_equal (mountdb_open (path, flags, &db, &err), code);
  assert_null (db);
  assert_int_equal (err.code, code);
  assert_non_null (strstr (err.message, path));
}

static void
missing_file (void **state)
{
  (void) state;
  expect_error (tmp ("nothing-here"), 0, MOUNTDB_E_IO);
  mountdb *db;
  mountdb_error err;
  mountdb_open (tmp ("nothing-here"), 0, &db, &err);
  assert_int_equal (err.sys_errno, ENOENT);
}

static void
directory (void **state)
{
  (void) state;
  expect_error (tmpdir, 0, MOUNTDB_E_NOTREG);
}

/* F2: links are not followed, even to a valid hive. */
static void
symlink_refused (void **state)
{
  (void) state;
  unlink (tmp ("link"));
  assert_int_equal (symlink (fixture ("sample.hive"), tmp ("link")), 0);
  expect_error (tmp ("link"), 0, MOUNTDB_E_NOTREG);
}

/* A FIFO must neither block nor be read. */
static void
fifo_refused (void **state)
{
  (void) state;
  unlink (tmp ("fifo"));
  assert_int_equal (mkfifo (tmp ("fifo"), 0600), 0);
  expect_error (tmp ("fifo"), 0, MOUNTDB_E_NOTREG);
}

static void
empty_file (void **state)
{
  (void) state;
  write_file (tmp ("empty"), "", 0);
  expect_error (tmp ("empty"), 0, MOUNTDB_E_FORMAT);
  expect_error (tmp ("empty"), MOUNTDB_OPEN_NO_HASH, MOUNTDB_E_FORMAT);
}

static void
not_a_hive (void **state)
{
  (void) state;
  static uint8_t zeros[8192];
  write_file (tmp ("zeros"), zeros, sizeof zeros);
  expect_error (tmp ("zeros"), 0, MOUNTDB_E_FORMAT);
  write_file (tmp ("short"), "regf", 4);
  expect_error (tmp ("short"), 0, MOUNTDB_E_FORMAT);
}

/* A valid base block followed by garbage: hivex refuses, we say so. */
static void
header_then_garbage (void **state)
{
  (void) state;
  FILE *f = fopen (fixture ("sample.hive"), "rb");
  assert_non_null (f);
  static uint8_t buf[16384];
  assert_int_equal (fread (buf, 1, 4096, f), 4096);
  fclose (f);
  memset (buf + 4096, 0xA5, sizeof buf - 4096);
  write_file (tmp ("garbage"), buf, sizeof buf);
  expect_error (tmp ("garbage"), 0, MOUNTDB_E_CORRUPT);
  expect_error (tmp ("garbage"), MOUNTDB_OPEN_UNSAFE, MOUNTDB_E_CORRUPT);
}

/* Every truncation of a valid hive gives a handle or a clean error. */
static void
truncations (void **state)
{
  (void) state;
  FILE *f = fopen (fixture ("sample.hive"), "rb");
  assert_non_null (f);
  fseek (f, 0, SEEK_END);
  long size = ftell (f);
  rewind (f);
  uint8_t *buf = malloc ((size_t) size);
  assert_int_equal (fread (buf, 1, (size_t) size, f), (size_t) size);
  fclose (f);
  for (long cut = 0; cut < size; cut += cut < 8192 ? 509 : 4096) {
    write_file (tmp ("cut"), buf, (size_t) cut);
    for (unsigned fl = 0; fl <= MOUNTDB_OPEN_UNSAFE; fl += MOUNTDB_OPEN_UNSAFE) {
      mountdb *db = NULL;
      mountdb_error err;
      if (mountdb_open (tmp ("cut"), fl, &db, &err) == 0)
        mountdb_close (db);
      else
        assert_non_null (strstr (err.message, tmpdir));
    }
  }
  free (buf);
}

static void
bad_arguments (void **state)
{
  (void) state;
  mountdb *db;
  mountdb_error err;
  assert_int_equal (mountdb_open (NULL, 0, &db, &err), MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_open (fixture ("sample.hive"), 0x80, &db, &err),
                    MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_open (fixture ("sample.hive"), 0, NULL, NULL),
                    MOUNTDB_E_INVAL);
  mountdb_close (NULL);
  assert_string_equal (mountdb_strerror (MOUNTDB_E_CORRUPT), "corrupt hive");
}

/* F1/F2: reading changes nothing of the input: bytes, size, times. */
static void
evidence_untouched (void **state)
{
  (void) state;
  const char *src = fixture ("sample.hive");
  struct stat a, b;
  /* An atime older than the mtime: relatime would update it on a read
   * without O_NOATIME, so this catches a stray read. */
  const struct timespec old[2] = { { 1000000000, 0 }, { 0, UTIME_OMIT } };
  char copy[4096];
  snprintf (copy, sizeof copy, "%s", tmp ("evidence.hive"));
  char cmd[8300];
  snprintf (cmd, sizeof cmd, "cp '%s' '%s'", src, copy);
  assert_int_equal (system (cmd), 0);
  assert_int_equal (utimensat (AT_FDCWD, copy, old, 0), 0);
  assert_int_equal (stat (copy, &a), 0);
  mountdb *db = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_open (copy, 0, &db, &err), 0);
  assert_int_equal (stat (copy, &b), 0);
  assert_int_equal (a.st_size, b.st_size);
  assert_int_equal (a.st_mtim.tv_sec, b.st_mtim.tv_sec);
  assert_int_equal (a.st_mtim.tv_nsec, b.st_mtim.tv_nsec);
  assert_int_equal (a.st_ctim.tv_sec, b.st_ctim.tv_sec);
  assert_int_equal (a.st_ctim.tv_nsec, b.st_ctim.tv_nsec);
  assert_int_equal (a.st_atim.tv_sec, b.st_atim.tv_sec); /* O_NOATIME */
  assert_int_equal (mountdb_file_size (db), (uint64_t) a.st_size);
  /* The hash is the file's: compare with coreutils (on the source, as
   * sha256sum itself would touch the copy's atime). */
  snprintf (cmd, sizeof cmd, "sha256sum '%s'", src);
  FILE *p = popen (cmd, "r");
  char sum[65] = "";
  assert_int_equal (fscanf (p, "%64s", sum), 1);
  pclose (p);
  assert_string_equal (mountdb_sha256 (db), sum);
  mountdb_close (db);
}

/* --no-hash gives the same model and no hash. */
static void
no_hash_same_model (void **state)
{
  (void) state;
  mountdb *a = NULL, *b = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_open (fixture ("sample.hive"), 0, &a, &err), 0);
  assert_int_equal (mountdb_open (fixture ("sample.hive"),
                                  MOUNTDB_OPEN_NO_HASH, &b, &err), 0);
  assert_non_null (mountdb_sha256 (a));
  assert_null (mountdb_sha256 (b));
  assert_int_equal (mountdb_file_size (a), mountdb_file_size (b));
  assert_int_equal (mountdb_entry_count (a), mountdb_entry_count (b));
  assert_true (mountdb_entry_count (a) > 0);
  assert_int_equal (mountdb_volume_count (a), mountdb_volume_count (b));
  for (size_t i = 0; i < mountdb_entry_count (a); i++) {
    size_t la, lb;
    const uint8_t *da = mountdb_entry_data (mountdb_entry_get (a, i), &la);
    const uint8_t *dbb = mountdb_entry_data (mountdb_entry_get (b, i), &lb);
    assert_int_equal (la, lb);
    assert_memory_equal (da, dbb, la);
  }
  mountdb_close (a);
  mountdb_close (b);
}

/* Volumes partition the REG_BINARY entries, in order of first appearance. */
static void
grouping_invariants (void **state)
{
  (void) state;
  static const char *const names[] = { "sample.hive", "multi.hive",
                                       "shapes.hive", "types.hive" };
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
    mountdb *db = NULL;
    mountdb_error err;
    assert_int_equal (mountdb_open (fixture (names[k]), 0, &db, &err), 0);
    size_t seen = 0, next_new = 0;
    for (size_t i = 0; i < mountdb_entry_count (db); i++) {
      const mountdb_entry *e = mountdb_entry_get (db, i);
      size_t v = mountdb_entry_volume (e);
      if (mountdb_entry_type (e) != 3) {
        assert_true (v == (size_t) -1);
        continue;
      }
      assert_true (v < mountdb_volume_count (db));
      if (v == next_new)
        next_new++;
      assert_true (v < next_new); /* first appearance order */
      size_t la, lb;
      const uint8_t *da = mountdb_entry_data (e, &la);
      const uint8_t *dv = mountdb_volume_data (mountdb_volume_get (db, v), &lb);
      assert_int_equal (la, lb);
      if (la)
        assert_memory_equal (da, dv, la);
      seen++;
    }
    size_t members = 0;
    for (size_t v = 0; v < mountdb_volume_count (db); v++)
      members += mountdb_volume_entry_count (mountdb_volume_get (db, v));
    assert_int_equal (members, seen);
    assert_null (mountdb_volume_get (db, mountdb_volume_count (db)));
    assert_null (mountdb_entry_get (db, mountdb_entry_count (db)));
    mountdb_close (db);
  }
}

static void
missing_key (void **state)
{
  (void) state;
  mountdb *db = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_open (fixture ("nokey.hive"), 0, &db, &err), 0);
  assert_int_equal (mountdb_key_state (db), MOUNTDB_KEY_ABSENT);
  assert_int_equal (mountdb_entry_count (db), 0);
  assert_int_equal (mountdb_key_last_written (db), 0);
  mountdb_close (db);
  assert_int_equal (mountdb_open (fixture ("empty.hive"), 0, &db, &err), 0);
  assert_int_equal (mountdb_key_state (db), MOUNTDB_KEY_PRESENT);
  assert_int_equal (mountdb_entry_count (db), 0);
  mountdb_close (db);
}

static void
dirty_and_bad_checksum (void **state)
{
  (void) state;
  static const struct { const char *name; int diag; } cases[] = {
    { "dirty.hive", MOUNTDB_DIAG_DIRTY },
    { "badsum.hive", MOUNTDB_DIAG_BAD_CHECKSUM },
  };
  for (size_t k = 0; k < 2; k++) {
    mountdb *db = NULL;
    mountdb_error err;
    assert_int_equal (mountdb_open (fixture (cases[k].name), 0, &db, &err), 0);
    assert_true (mountdb_file_header (db)->dirty);
    int found = 0;
    for (size_t i = 0; i < mountdb_diag_count (db); i++) {
      int code;
      const char *msg;
      assert_int_equal (mountdb_diag_get (db, i, &code, &msg), 0);
      found |= code == cases[k].diag;
    }
    assert_true (found);
    assert_int_equal (mountdb_diag_get (db, 99, NULL, NULL), MOUNTDB_E_INVAL);
    mountdb_close (db);
  }
}

/* sha256sum of a file (not evidence: these are the test's own copies). */
static void
coreutils_sha256 (const char *path, char sum[65])
{
  char cmd[4200];
  snprintf (cmd, sizeof cmd, "sha256sum '%s'", path);
  FILE *p = popen (cmd, "r");
  assert_non_null (p);
  assert_int_equal (fscanf (p, "%64s", sum), 1);
  pclose (p);
}

/* Issue 14: the hash follows the copy on a thread (or, from the first
 * bytes past the extent the copy will not hold, in the read loop); it
 * must stay the file's in every shape of input: a patched checksum (the
 * copy differs from the file), zero bytes past the extent (kept as a
 * hole), non-zero bytes past it (not kept: hashed in the loop), a hole
 * in the middle, zero blocks, and standard input. */
static void
hash_is_the_files (void **state)
{
  (void) state;
  /* $F: the fixtures, $P: the file made. */
  static const struct { const char *name, *cmd; } cases[] = {
    { "h-badsum.hive", "cp \"$F/badsum.hive\" \"$P\"" },
    { "h-zerotail.hive", "cp \"$F/sample.hive\" \"$P\" && "
      "head -c 20971520 /dev/zero >> \"$P\"" },
    { "h-cut.hive", "cp \"$F/sample.hive\" \"$P\" && "
      "head -c 18874368 /dev/zero >> \"$P\" && "
      "head -c 300000 /dev/zero | tr '\\0' '\\253' >> \"$P\"" },
    { "h-cut-early.hive", "cp \"$F/sample.hive\" \"$P\" && "
      "head -c 17825792 /dev/zero >> \"$P\" && printf x >> \"$P\" && "
      "head -c 5000000 /dev/zero >> \"$P\" && printf y >> \"$P\"" },
    { "h-hole.hive", "cp \"$F/sample.hive\" \"$P\" && "
      "truncate -s +3M \"$P\" && printf 'after the hole' >> \"$P\"" },
    { "h-zeroblocks.hive", "head -c 200000 /dev/zero > \"$P\" && "
      "cat \"$F/sample.hive\" >> \"$P\"" },
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    const char *p = tmp (cases[k].name);
    char sum[65] = "";
    assert_int_equal (setenv ("F", fixtures, 1), 0);
    assert_int_equal (setenv ("P", p, 1), 0);
    assert_int_equal (system (cases[k].cmd), 0);
    coreutils_sha256 (p, sum);
    mountdb *db = NULL;
    mountdb_error err;
    int rc = mountdb_open (p, 0, &db, &err);
    if (rc == 0) {
      assert_non_null (mountdb_sha256 (db));
      assert_string_equal (mountdb_sha256 (db), sum);
      mountdb_close (db);
    } else {
      /* Not a hive at offset 0 (zero blocks first): still refused with
       * the whole file read; nothing to compare, but no crash or leak. */
      assert_string_equal (cases[k].name, "h-zeroblocks.hive");
    }
    /* The same bytes from standard input. */
    int saved = dup (0), fd = open (p, O_RDONLY);
    assert_true (saved >= 0 && fd >= 0);
    assert_int_equal (dup2 (fd, 0), 0);
    close (fd);
    rc = mountdb_open ("-", 0, &db, &err);
    assert_int_equal (dup2 (saved, 0), 0);
    close (saved);
    if (rc == 0) {
      assert_string_equal (mountdb_sha256 (db), sum);
      mountdb_close (db);
    }
    unlink (p);
  }
}

/* The copy hivex parses (and the hash thread reads) is sealed against
 * any change before either sees it. */
static void
copy_sealed (void **state)
{
  (void) state;
  mountdb *db = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_open (fixture ("sample.hive"), 0, &db, &err), 0);
  int found = 0;
  for (int fd = 0; fd < 1024; fd++) {
    char link[64], to[256];
    snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink (link, to, sizeof to - 1);
    if (n <= 0)
      continue;
    to[n] = '\0';
    if (strncmp (to, "/memfd:mountdb-hive", 19) != 0)
      continue;
    found++;
    int seals = fcntl (fd, F_GET_SEALS);
    int want = F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL;
    assert_int_equal (seals & want, want);
    assert_int_equal (pwrite (fd, "x", 1, 0), -1);
    assert_int_equal (errno, EPERM);
  }
  assert_int_equal (found, 1);
  mountdb_close (db);
}

/* A loopback connection that delivers the first 12 KiB of a real hive,
 * then is reset (linger 0); -1 without a loopback network. */
static int
reset_after_12k (void)
{
  int l = socket (AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET };
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  socklen_t al = sizeof a;
  if (l < 0 || bind (l, (struct sockaddr *) &a, sizeof a) < 0
      || listen (l, 1) < 0
      || getsockname (l, (struct sockaddr *) &a, &al) < 0) {
    if (l >= 0)
      close (l);
    return -1;
  }
  int c = socket (AF_INET, SOCK_STREAM, 0);
  assert_int_equal (connect (c, (struct sockaddr *) &a, sizeof a), 0);
  int s = accept (l, NULL, NULL);
  assert_true (s >= 0);
  uint8_t buf[12288];
  int h = open (fixture ("sample.hive"), O_RDONLY);
  assert_int_equal (read (h, buf, sizeof buf), (ssize_t) sizeof buf);
  close (h);
  assert_int_equal (write (s, buf, sizeof buf), (ssize_t) sizeof buf);
  struct linger lg = { 1, 0 };
  assert_int_equal (setsockopt (s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
  close (s);
  close (l);
  usleep (20000); /* let the reset arrive */
  return c;
}

/* A read that fails mid-way (standard input may be a socket: reset after
 * the base block and a bit) is an I/O error naming the input, with no
 * handle: no hash of half a file, no thread left behind; with and
 * without hashing. */
static void
read_error_midway (void **state)
{
  (void) state;
  for (unsigned flags = 0; flags <= MOUNTDB_OPEN_NO_HASH; flags++) {
    int c = reset_after_12k ();
    if (c < 0)
      skip ();
    int saved = dup (0);
    assert_int_equal (dup2 (c, 0), 0);
    close (c);
    mountdb *db = (mountdb *) 1;
    mountdb_error err;
    int rc = mountdb_open ("-", flags, &db, &err);
    assert_int_equal (dup2 (saved, 0), 0);
    close (saved);
    assert_int_equal (rc, MOUNTDB_E_IO);
    assert_null (db);
    assert_int_equal (err.sys_errno, ECONNRESET);
    assert_non_null (strstr (err.message, "read failed"));
  }
}

static int
setup (void **state)
{
  (void) state;
  return mkdtemp (tmpdir) ? 0 : -1;
}

static int
teardown (void **state)
{
  (void) state;
  char cmd[4200];
  snprintf (cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  return system (cmd) == 0 ? 0 : -1;
}

/* Bytes of memory the library's in-memory copies hold (memfds named
 * mountdb-hive among this process's descriptors). */
static uint64_t
copy_bytes (void)
{
  uint64_t total = 0;
  for (int fd = 0; fd < 1024; fd++) {
    char link[64], to[256];
    snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink (link, to, sizeof to - 1);
    struct stat st;
    if (n <= 0)
      continue;
    to[n] = '\0';
    if (strncmp (to, "/memfd:mountdb-hive", 19) == 0 && fstat (fd, &st) == 0)
      total += (uint64_t) st.st_blocks * 512;
  }
  return total;
}

/* Issue 10 item 6: a 4 GiB sparse file costs what it holds, not 4 GiB, and
 * its size and hash are still the whole file's. */
static void
sparse_file (void **state)
{
  (void) state;
  const char *p = tmp ("sparse.hive");
  char cmd[8400];
  snprintf (cmd, sizeof cmd, "cp '%s' '%s' && truncate -s 4G '%s'",
            fixture ("sample.hive"), p, p);
  struct stat st;
  if (system (cmd) != 0 || stat (p, &st) != 0
      || (uint64_t) st.st_blocks * 512 > ((uint64_t) 64 << 20)) {
    unlink (p);
    skip (); /* no sparse files here */
  }
  mountdb *db = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_open (p, MOUNTDB_OPEN_NO_HASH, &db, &err), 0);
  assert_int_equal (mountdb_file_size (db), (uint64_t) 4 << 30);
  uint64_t held = copy_bytes ();
  print_message ("4 GiB sparse hive: in-memory copy holds %llu bytes\n",
                 (unsigned long long) held);
  assert_true (held < ((uint64_t) 16 << 20));
  assert_int_equal (mountdb_entry_count (db), 14);
  mountdb_close (db);
  unlink (p);
}

int
main (void)
{
  fixtures = getenv ("FIXTURES");
  if (fixtures == NULL)
    fixtures = "testdata/out";
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (missing_file),
    cmocka_unit_test (directory),
    cmocka_unit_test (symlink_refused),
    cmocka_unit_test (fifo_refused),
    cmocka_unit_test (empty_file),
    cmocka_unit_test (not_a_hive),
    cmocka_unit_test (header_then_garbage),
    cmocka_unit_test (truncations),
    cmocka_unit_test (bad_arguments),
    cmocka_unit_test (evidence_untouched),
    cmocka_unit_test (no_hash_same_model),
    cmocka_unit_test (grouping_invariants),
    cmocka_unit_test (missing_key),
    cmocka_unit_test (dirty_and_bad_checksum),
    cmocka_unit_test (sparse_file),
    cmocka_unit_test (hash_is_the_files),
    cmocka_unit_test (copy_sealed),
    cmocka_unit_test (read_error_midway),
  };
  return cmocka_run_group_tests_name ("open", tests, setup, teardown);
}
