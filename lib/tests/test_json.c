/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the JSON document of lib/json.c through the public API
 * only (mountdb_json_write): it is byte for byte what `mountdb show
 * --format=json` prints (the CLI's goldens), pieces come through the
 * sink in order and a sink that fails stops the write, the error
 * document, compact vs pretty, indentation, --ignore, disks, and bad
 * options refused. */
#include <config.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mountdb.h"

/* ---- helpers ---------------------------------------------------------------- */

/* A sink collecting into memory; it fails on call fail_at (1-based). */
struct buf {
  char *p;
  size_t len;
  int calls, fail_at;
};

static int
collect (void *ctx, const char *s, size_t n)
{
  struct buf *b = ctx;
  if (++b->calls == b->fail_at)
    return -1;
  assert_non_null (s);
  assert_true (n > 0);
  char *p = realloc (b->p, b->len + n + 1);
  assert_non_null (p);
  memcpy (p + b->len, s, n);
  b->p = p;
  b->len += n;
  b->p[b->len] = '\0';
  return 0;
}

static char *
fixture (const char *name)
{
  static char path[4096];
  const char *dir = getenv ("FIXTURES");
  snprintf (path, sizeof path, "%s/%s", dir ? dir : "testdata/out", name);
  return path;
}

static char *
slurp (const char *path, size_t *len)
{
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    fail_msg ("cannot read %s: %s", path, strerror (errno));
  char *p = NULL;
  size_t cap = 0, n = 0, got;
  do {
    if (n + 65536 > cap) {
      cap = (n + 65536) * 2;
      p = realloc (p, cap + 1);
      assert_non_null (p);
    }
    got = fread (p + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose (f);
  p[n] = '\0';
  *len = n;
  return p;
}

/* The CLI's golden bin/tests/expected/NAME (show NAME.hive, run where
 * the fixtures are). */
static char *
golden (const char *name, size_t *len)
{
  char path[4096];
  const char *top = getenv ("top_srcdir");
  snprintf (path, sizeof path, "%s/bin/tests/expected/%s", top ? top : ".",
            name);
  return slurp (path, len);
}

/* Open and check a fixture as `mountdb show` does. */
static mountdb *
open_checked (const char *name)
{
  mountdb *db = NULL;
  mountdb_error err;
  if (mountdb_open (fixture (name), 0, &db, &err) < 0)
    fail_msg ("%s", err.message);
  assert_true (mountdb_check (db, 0) >= 0);
  return db;
}

static struct buf
write_doc (const mountdb *db, const mountdb_json_opts *o, int want)
{
  struct buf b = { 0 };
  mountdb_error err;
  memset (&err, 0, sizeof err);
  int rc = mountdb_json_write (db, o, collect, &b, &err);
  if (rc != want)
    fail_msg ("mountdb_json_write: %d (%s), expected %d", rc, err.message,
              want);
  return b;
}

/* JSON with the blanks outside strings dropped. */
static char *
squeeze (const char *s)
{
  char *out = malloc (strlen (s) + 1), *q = out;
  int in_str = 0;
  assert_non_null (out);
  for (; *s; s++) {
    if (in_str) {
      *q++ = *s;
      if (*s == '\\' && s[1])
        *q++ = *++s;
      else if (*s == '"')
        in_str = 0;
      continue;
    }
    if (*s == '"')
      in_str = 1;
    if (*s != ' ' && *s != '\n')
      *q++ = *s;
  }
  *q = '\0';
  return out;
}

/* ---- what the CLI prints ------------------------------------------------------ */

static void
check_golden (const char *hive, const char *json)
{
  mountdb *db = open_checked (hive);
  mountdb_json_opts o;
  mountdb_json_opts_init (&o);
  o.path = hive;                /* as given on the command line */
  struct buf b = write_doc (db, &o, 0);
  size_t glen;
  char *g = golden (json, &glen);
  /* The CLI adds the newline after the document. */
  assert_true (glen > 0 && g[glen - 1] == '\n');
  g[glen - 1] = '\0';
  assert_int_equal (b.len, glen - 1);
  assert_string_equal (b.p, g);
  free (g);
  free (b.p);
  mountdb_close (db);
}

static void
test_golden_sample (void **state)
{
  (void) state;
  check_golden ("sample.hive", "sample.json");
}

/* Findings, a derived volume GUID (V8), names with every escape. */
static void
test_golden_findings_escapes (void **state)
{
  (void) state;
  check_golden ("multi.hive", "multi.json");
  check_golden ("win10.hive", "win10.json");
  check_golden ("hostile.hive", "hostile.json");
}

/* ---- the sink ------------------------------------------------------------------ */

/* A document larger than a piece comes in several, in order; a sink that
 * fails stops the write at once with MOUNTDB_E_IO. */
static void
test_sink_pieces_and_failure (void **state)
{
  (void) state;
  mountdb *db = open_checked ("hostile.hive");
  mountdb_json_opts o;
  mountdb_json_opts_init (&o);
  o.path = "hostile.hive";
  struct buf whole = write_doc (db, &o, 0);
  assert_true (whole.len > (size_t) 100 << 10);
  assert_true (whole.calls >= 2);   /* never held whole */

  for (int at = 1; at <= 2; at++) {
    struct buf b = { 0 };
    b.fail_at = at;
    mountdb_error err;
    memset (&err, 0, sizeof err);
    assert_int_equal (mountdb_json_write (db, &o, collect, &b, &err),
                      MOUNTDB_E_IO);
    assert_int_equal (err.code, MOUNTDB_E_IO);
    assert_non_null (strstr (err.message, "hostile.hive"));
    assert_int_equal (b.calls, at);   /* not called again */
    assert_true (b.len < whole.len);
    if (b.len)                        /* what came is the start */
      assert_memory_equal (b.p, whole.p, b.len);
    free (b.p);
  }
  free (whole.p);
  mountdb_close (db);
}

/* ---- compact, pretty, indentation ------------------------------------------------ */

static void
test_compact_and_indent (void **state)
{
  (void) state;
  mountdb *db = open_checked ("multi.hive");
  mountdb_json_opts o;
  mountdb_json_opts_init (&o);
  struct buf pretty = write_doc (db, &o, 0);
  /* Without opts->path, the path the hive was opened with. */
  assert_non_null (strstr (pretty.p, fixture ("multi.hive")));

  o.flags = MOUNTDB_JSON_COMPACT;
  struct buf compact = write_doc (db, &o, 0);
  assert_null (strchr (compact.p, '\n'));
  char *sq = squeeze (pretty.p);
  assert_string_equal (compact.p, sq);   /* same document, no blanks */
  free (sq);

  /* Indent 1 (a document inside the CLI's array): each line after the
   * first two spaces further in. */
  o.flags = 0;
  o.indent = 1;
  struct buf in = write_doc (db, &o, 0);
  const char *p = pretty.p, *q = in.p;
  size_t lines = 0;
  for (;;) {
    const char *pe = strchr (p, '\n'), *qe = strchr (q, '\n');
    if (lines > 0) {
      assert_memory_equal (q, "  ", 2);
      q += 2;
    }
    assert_true ((pe == NULL) == (qe == NULL));
    size_t pl = pe ? (size_t) (pe - p) : strlen (p);
    size_t ql = qe ? (size_t) (qe - q) : strlen (q);
    assert_int_equal (pl, ql);
    assert_memory_equal (p, q, pl);
    lines++;
    if (pe == NULL)
      break;
    p = pe + 1;
    q = qe + 1;
  }
  assert_true (lines > 100);
  free (pretty.p);
  free (compact.p);
  free (in.p);
  mountdb_close (db);
}

/* --ignore leaves out those rules' findings, and only them. */
static void
test_ignore (void **state)
{
  (void) state;
  mountdb *db = open_checked ("multi.hive");
  mountdb_json_opts o;
  mountdb_json_opts_init (&o);
  o.flags = MOUNTDB_JSON_COMPACT;
  struct buf all = write_doc (db, &o, 0);
  const char *const ignore[] = { "V5", "V8", NULL };
  o.ignore = ignore;
  struct buf some = write_doc (db, &o, 0);
  assert_non_null (strstr (all.p, "\"rule\":\"V5\""));
  assert_non_null (strstr (all.p, "\"rule\":\"V8\""));
  assert_null (strstr (some.p, "\"rule\":\"V5\""));
  assert_null (strstr (some.p, "\"rule\":\"V8\""));
  assert_non_null (strstr (some.p, "\"rule\":\"V7\""));
  assert_non_null (strstr (some.p, "\"rule\":\"V11\""));
  free (all.p);
  free (some.p);
  mountdb_close (db);
}

/* Disks: each given one in "disks" (here one that could not be opened,
 * with its error); without a correlation each volume's "disk" is null. */
static void
test_disks (void **state)
{
  (void) state;
  mountdb *db = open_checked ("sample.hive");
  mountdb_disk *d = NULL;
  mountdb_error derr;
  assert_true (mountdb_disk_open ("/nonexistent/disk.img", 0, &d, &derr) < 0);
  mountdb_json_disk disks[1] = { { "/nonexistent/disk.img", NULL, &derr } };
  mountdb_json_opts o;
  mountdb_json_opts_init (&o);
  o.flags = MOUNTDB_JSON_COMPACT;
  struct buf none = write_doc (db, &o, 0);
  assert_non_null (strstr (none.p, ",\"disks\":[],\"diagnostics\":"));
  o.disks = disks;
  o.ndisks = 1;
  struct buf one = write_doc (db, &o, 0);
  char want[2048];
  snprintf (want, sizeof want, ",\"disks\":[{\"path\":\"/nonexistent/disk.img\","
            "\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}],",
            mountdb_error_name (derr.code), derr.message);
  assert_non_null (strstr (one.p, want));
  assert_non_null (strstr (one.p, "\"disk\":null"));
  free (none.p);
  free (one.p);
  mountdb_close (db);
}

/* ---- the error document ------------------------------------------------------------ */

static void
test_error_document (void **state)
{
  (void) state;
  mountdb *db = NULL;
  mountdb_error oerr, err;
  assert_true (mountdb_open ("/nonexistent/x.hive", 0, &db, &oerr) < 0);
  mountdb_json_opts o;
  mountdb_json_opts_init (&o);
  struct buf b = { 0 };
  assert_int_equal (mountdb_json_write_error ("x.hive", &oerr, &o, collect,
                                              &b, &err), 0);
  char want[4096];
  snprintf (want, sizeof want,
            "{\n  \"schema\": %d,\n  \"tool\": {\n    \"name\": \"mountdb\",\n"
            "    \"version\": \"%s\"\n  },\n  \"hive\": {\n    \"path\": "
            "\"x.hive\"\n  },\n  \"error\": {\n    \"code\": \"%s\",\n"
            "    \"message\": \"%s\"\n  }\n}", MOUNTDB_JSON_SCHEMA,
            mountdb_version (), mountdb_error_name (oerr.code), oerr.message);
  assert_string_equal (b.p, want);
  free (b.p);

  /* Compact, and without an error: "io", "cannot open". */
  memset (&b, 0, sizeof b);
  o.flags = MOUNTDB_JSON_COMPACT;
  assert_int_equal (mountdb_json_write_error ("y", NULL, &o, collect, &b,
                                              &err), 0);
  snprintf (want, sizeof want, "{\"schema\":%d,\"tool\":{\"name\":\"mountdb\","
            "\"version\":\"%s\"},\"hive\":{\"path\":\"y\"},\"error\":"
            "{\"code\":\"io\",\"message\":\"cannot open\"}}",
            MOUNTDB_JSON_SCHEMA, mountdb_version ());
  assert_string_equal (b.p, want);
  free (b.p);

  /* A failing sink fails it too. */
  memset (&b, 0, sizeof b);
  b.fail_at = 1;
  assert_int_equal (mountdb_json_write_error ("y", NULL, &o, collect, &b,
                                              &err), MOUNTDB_E_IO);
  assert_null (b.p);
}

/* ---- bad arguments ----------------------------------------------------------------- */

static void
test_bad_options (void **state)
{
  (void) state;
  mountdb *db = open_checked ("sample.hive");
  mountdb_json_opts o;
  mountdb_error err;
  struct buf b = { 0 };
  /* NULL options are the defaults. */
  assert_int_equal (mountdb_json_write (db, NULL, collect, &b, &err), 0);
  assert_non_null (b.p);
  free (b.p);
  memset (&b, 0, sizeof b);

  mountdb_json_opts_init (&o);
  o.struct_size = 0;           /* not set up by init */
  assert_int_equal (mountdb_json_write (db, &o, collect, &b, &err),
                    MOUNTDB_E_INVAL);
  mountdb_json_opts_init (&o);
  o.indent = 9;
  assert_int_equal (mountdb_json_write (db, &o, collect, &b, &err),
                    MOUNTDB_E_INVAL);
  mountdb_json_opts_init (&o);
  o.flags = 0x80;
  assert_int_equal (mountdb_json_write (db, &o, collect, &b, &err),
                    MOUNTDB_E_INVAL);
  mountdb_json_opts_init (&o);
  o.ndisks = 2;                /* and no array */
  assert_int_equal (mountdb_json_write (db, &o, collect, &b, &err),
                    MOUNTDB_E_INVAL);
  mountdb_json_opts_init (&o);
  assert_int_equal (mountdb_json_write (db, &o, NULL, NULL, &err),
                    MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_json_write (NULL, &o, collect, &b, &err),
                    MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_json_write_error (NULL, NULL, &o, collect, &b,
                                              &err), MOUNTDB_E_INVAL);
  /* A newer caller's struct: unknown options set are refused, unset ones
   * are fine. */
  struct { mountdb_json_opts o; int future; } newer;
  memset (&newer, 0, sizeof newer);
  mountdb_json_opts_init (&newer.o);
  newer.o.struct_size = sizeof newer;
  assert_int_equal (mountdb_json_write (db, &newer.o, collect, &b, &err), 0);
  newer.future = 1;
  assert_int_equal (mountdb_json_write (db, &newer.o, collect, &b, &err),
                    MOUNTDB_E_INVAL);
  assert_int_equal (b.calls, 1);   /* only the good one wrote */
  free (b.p);
  mountdb_close (db);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_golden_sample),
    cmocka_unit_test (test_golden_findings_escapes),
    cmocka_unit_test (test_sink_pieces_and_failure),
    cmocka_unit_test (test_compact_and_indent),
    cmocka_unit_test (test_ignore),
    cmocka_unit_test (test_disks),
    cmocka_unit_test (test_error_document),
    cmocka_unit_test (test_bad_options),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
