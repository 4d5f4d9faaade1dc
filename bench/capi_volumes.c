/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench/capi_volumes HIVE RUNS [--no-hash]: open HIVE through the C API
 * and read every volume as bench/pybench.py does from Python (data, the
 * decoded ID's summary and fields, each name and GUID), RUNS times in
 * this process; prints the median wall time of one run in microseconds.
 * The baseline of the Python bindings' benchmark (issue 15). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mountdb.h"

static long long
now_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int
cmp (const void *a, const void *b)
{
  long long x = *(const long long *) a, y = *(const long long *) b;
  return (x > y) - (x < y);
}

/* What the Python loop touches, so the compiler cannot drop it. */
static size_t sink;

static int
one_run (const char *path, unsigned flags)
{
  mountdb *db;
  mountdb_error err;
  if (mountdb_open (path, flags, &db, &err) < 0) {
    fprintf (stderr, "%s\n", err.message);
    return -1;
  }
  for (size_t i = 0; i < mountdb_volume_count (db); i++) {
    const mountdb_volume *v = mountdb_volume_get (db, i);
    size_t len;
    sink += mountdb_volume_data (v, &len)[0] + len;
    const mountdb_uid *uid = mountdb_volume_uid (v);
    sink += strlen (mountdb_uid_summary (uid));
    for (size_t k = 0; k < mountdb_uid_field_count (uid); k++) {
      const char *key, *s;
      int kind;
      uint64_t num;
      mountdb_uid_field_get (uid, k, &key, &kind, &s, &num);
      sink += num + (s ? strlen (s) : 0);
    }
    for (size_t k = 0; k < mountdb_volume_entry_count (v); k++) {
      const mountdb_entry *e = mountdb_volume_entry_get (v, k);
      size_t n16;
      sink += mountdb_entry_name_utf16 (e, &n16)[0] + n16;
      sink += (size_t) mountdb_entry_class (e) + (size_t) mountdb_entry_letter (e);
      const char *g = mountdb_entry_guid (e);
      sink += g ? strlen (g) : 0;
    }
  }
  mountdb_close (db);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc < 3) {
    fprintf (stderr, "usage: %s HIVE RUNS [--no-hash]\n", argv[0]);
    return 16;
  }
  int runs = atoi (argv[2]);
  unsigned flags = argc > 3 && strcmp (argv[3], "--no-hash") == 0
                   ? MOUNTDB_OPEN_NO_HASH : 0;
  if (runs < 1 || runs > 100000)
    runs = 25;
  long long *t = calloc ((size_t) runs, sizeof *t);
  if (t == NULL || one_run (argv[1], flags) < 0) /* warm-up */
    return 8;
  for (int i = 0; i < runs; i++) {
    long long t0 = now_us ();
    if (one_run (argv[1], flags) < 0)
      return 8;
    t[i] = now_us () - t0;
  }
  qsort (t, (size_t) runs, sizeof *t, cmp);
  printf ("%lld\n", t[runs / 2]);
  free (t);
  return sink == (size_t) -1;
}
