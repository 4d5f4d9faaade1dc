/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb_txn_apply_plan: the plan files of testdata/plans, and plans made
 * here, applied to transactions over generated fixtures.  Valid plans are
 * checked by their change set and applied twice (the second run must change
 * nothing); each error class by its code, "PLAN:LINE: " prefix and reason,
 * and by the transaction being exactly as it was, prior edits included.
 *
 * Environment: FIXTURES (generated hives, default testdata/out), PLANS
 * (default $top_srcdir/testdata/plans, else testdata/plans). */
#include <config.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "mountdb.h"
#include "edit.h" /* struct mountdb_txn: compare value lists exactly */
#include "xmldl.h" /* md_xml_try: the message when libxml2 is missing */


static const char *fixtures;
static char plans[4096];
static char tmpdir[4096];

/* ---- helpers ----------------------------------------------------------------- */

static mountdb *
open_fixture (const char *name)
{
  char path[4096];
  snprintf (path, sizeof path, "%s/%s.hive", fixtures, name);
  mountdb *db = NULL;
  mountdb_error err;
  if (mountdb_open (path, MOUNTDB_OPEN_NO_HASH, &db, &err) < 0)
    fail_msg ("%s", err.message);
  return db;
}

static mountdb_txn *
new_txn (const mountdb *db)
{
  mountdb_txn *txn = NULL;
  mountdb_error err;
  if (mountdb_txn_new (db, &txn, &err) < 0)
    fail_msg ("%s", err.message);
  return txn;
}

static const char *
plan (const char *name)
{
  static char path[4][4200];
  static int k;
  k = (k + 1) % 4;
  snprintf (path[k], sizeof path[k], "%s/%s", plans, name);
  return path[k];
}

static const char *
tmp (const char *name)
{
  static char path[4][4200];
  static int k;
  k = (k + 1) % 4;
  snprintf (path[k], sizeof path[k], "%s/%s", tmpdir, name);
  return path[k];
}

static void
write_file (const char *path, const char *data, size_t len)
{
  FILE *f = fopen (path, "wb");
  assert_non_null (f);
  assert_int_equal (fwrite (data, 1, len, f), len);
  assert_int_equal (fclose (f), 0);
}

/* A deep copy of what a plan may change. */
struct state {
  struct md_val *vals;
  size_t nvals;
  int automount;
};

static void
state_take (const mountdb_txn *txn, struct state *s)
{
  s->nvals = txn->nvals;
  s->automount = txn->automount;
  s->vals = calloc (s->nvals + 1, sizeof *s->vals);
  assert_non_null (s->vals);
  for (size_t i = 0; i < s->nvals; i++) {
    const struct md_val *v = &txn->vals[i];
    s->vals[i] = *v;
    s->vals[i].name16 = malloc (v->n16 * 2 + 2);
    s->vals[i].data = malloc (v->len + 1);
    assert_non_null (s->vals[i].name16);
    assert_non_null (s->vals[i].data);
    memcpy (s->vals[i].name16, v->name16, v->n16 * 2);
    if (v->len)
      memcpy (s->vals[i].data, v->data, v->len);
  }
}

static void
state_free (struct state *s)
{
  for (size_t i = 0; i < s->nvals; i++) {
    free (s->vals[i].name16);
    free (s->vals[i].data);
  }
  free (s->vals);
}

static void
assert_state (const mountdb_txn *txn, const struct state *s)
{
  assert_int_equal (txn->automount, s->automount);
  assert_int_equal (txn->nvals, s->nvals);
  for (size_t i = 0; i < s->nvals; i++) {
    const struct md_val *a = &txn->vals[i], *b = &s->vals[i];
    assert_int_equal (a->n16, b->n16);
    assert_memory_equal (a->name16, b->name16, a->n16 * 2);
    assert_int_equal (a->type, b->type);
    assert_int_equal (a->len, b->len);
    if (a->len)
      assert_memory_equal (a->data, b->data, a->len);
    assert_int_equal (a->origin, b->origin);
  }
}

/* The change set, one "K NAME" per line (K: A added, D deleted, M
 * modified, N NoAutoMount); the GUIDs of added volume names and markers,
 * derived from IDs, become {*}. */
static void
summary (const mountdb_txn *txn, char *out, size_t size)
{
  size_t at = 0;
  out[0] = '\0';
  for (size_t i = 0; i < mountdb_txn_change_count (txn); i++) {
    const mountdb_change *c = mountdb_txn_change_get (txn, i);
    static const char kinds[] = "ADMN";
    char name[256];
    snprintf (name, sizeof name, "%s", c->name);
    char *brace = strchr (name, '{');
    if (c->kind == MOUNTDB_CHANGE_ADDED && brace
        && (c->cls == MOUNTDB_CLASS_VOLUME_GUID
            || c->cls == MOUNTDB_CLASS_NO_LETTER))
      strcpy (brace, "{*}");
    at += (size_t) snprintf (out + at, size - at, "%c %s\n",
                             kinds[c->kind], name);
    assert_true (at < size);
  }
}

static const mountdb_change *
change_named (const mountdb_txn *txn, int kind, const char *name)
{
  for (size_t i = 0; i < mountdb_txn_change_count (txn); i++) {
    const mountdb_change *c = mountdb_txn_change_get (txn, i);
    if (c->kind == kind && strcmp (c->name, name) == 0)
      return c;
  }
  fail_msg ("no change %d %s", kind, name);
  return NULL;
}

static void
assert_id (const uint8_t *data, size_t len, const char *spec_text)
{
  mountdb_spec *spec = NULL;
  mountdb_error err;
  if (mountdb_spec_parse (spec_text, &spec, &err) < 0)
    fail_msg ("%s", err.message);
  size_t idlen;
  const uint8_t *id = mountdb_spec_id (spec, &idlen);
  assert_non_null (data);
  assert_int_equal (len, idlen);
  assert_memory_equal (data, id, len);
  mountdb_spec_free (spec);
}

static const uint8_t *
entry_data (const mountdb *db, const char *name, size_t *len)
{
  for (size_t i = 0; i < mountdb_entry_count (db); i++) {
    const mountdb_entry *e = mountdb_entry_get (db, i);
    if (strcmp (mountdb_entry_name (e), name) == 0)
      return mountdb_entry_data (e, len);
  }
  fail_msg ("no entry %s", name);
  return NULL;
}

static void
apply_ok (mountdb_txn *txn, const char *path)
{
  mountdb_error err;
  memset (&err, 0, sizeof err);
  int rc = mountdb_txn_apply_plan (txn, path, &err);
  if (rc != 0)
    fail_msg ("%s: rc %d: %s", path, rc, err.message);
}

/* Prior edits, so "unchanged" also covers a transaction in progress. */
static void
pre_edit (const char *fixture, mountdb_txn *txn)
{
  mountdb_error err;
  if (strcmp (fixture, "sample") == 0) {
    assert_int_equal (mountdb_txn_swap (txn, 'F', 'G', &err), 0);
    assert_int_equal (mountdb_txn_automount (txn, 0, &err), 0);
  } else if (strcmp (fixture, "select-nocs") == 0)
    assert_int_equal (mountdb_txn_unassign (txn, 'C', 0, &err), 0);
}

/* Apply a plan that must fail: code, "PATH:LINE: " (no line when line is
 * 0), the reason, and the transaction as it was. */
static void
expect_error (const char *fixture, const char *path, int code, long line,
              const char *reason)
{
  mountdb *db = open_fixture (fixture);
  mountdb_txn *txn = new_txn (db);
  pre_edit (fixture, txn);
  struct state before;
  char sum_before[4096], sum_after[4096];
  state_take (txn, &before);
  summary (txn, sum_before, sizeof sum_before);

  mountdb_error err;
  memset (&err, 0, sizeof err);
  int rc = mountdb_txn_apply_plan (txn, path, &err);
  char prefix[4300];
  if (line > 0)
    snprintf (prefix, sizeof prefix, "%s:%ld: ", path, line);
  else
    snprintf (prefix, sizeof prefix, "%s: ", path);
  if (rc != code || err.code != code
      || strncmp (err.message, prefix, strlen (prefix)) != 0
      || strstr (err.message, reason) == NULL)
    fail_msg ("rc %d (want %d), message \"%s\"; want prefix \"%s\" and "
              "\"%s\"", rc, code, err.message, prefix, reason);
  assert_null (strchr (err.message, '\n'));

  assert_state (txn, &before);
  summary (txn, sum_after, sizeof sum_after);
  assert_string_equal (sum_after, sum_before);
  state_free (&before);
  mountdb_txn_free (txn);
  mountdb_close (db);
}

/* ---- libxml2 on demand (issue 14) -------------------------------------------- */

/* Whether a file whose name contains what is mapped into this process. */
static int
mapped (const char *what)
{
  FILE *f = fopen ("/proc/self/maps", "re");
  if (f == NULL)
    skip ();
  char line[8192];
  int found = 0;
  while (!found && fgets (line, sizeof line, f))
    found = strstr (line, what) != NULL;
  fclose (f);
  return found;
}

/* Runs first: reading and editing never map libxml2 (the test does not
 * link it either); the first plan loads it, and plans work. */
static void
xml_loaded_on_demand (void **state)
{
  mountdb *db = open_fixture ("sample");
  mountdb_txn *txn = new_txn (db);
  assert_int_equal (mapped ("libxml2"), 0);
  assert_int_equal (mapped ("libicu"), 0);
  apply_ok (txn, plan ("sample-full.xml"));
  assert_int_equal (mapped ("libxml2"), 1);
  mountdb_txn_free (txn);
  mountdb_close (db);
}

/* libxml2 missing at run time: a clear message naming it, MOUNTDB_E_IO
 * (the CLI's exit 8), never a crash. */
static void
xml_missing (void **state)
{
  mountdb_error err;
  assert_int_equal (md_xml_try ("libxml2-absent.so.99", "p.xml", &err),
                    MOUNTDB_E_IO);
  assert_int_equal (err.code, MOUNTDB_E_IO);
  assert_non_null (strstr (err.message, "p.xml: plans need libxml2 "
                           "(libxml2-absent.so.99), which cannot be loaded: "));
  assert_non_null (strstr (err.message, "apt-get install libxml2"));
  assert_int_equal (md_xml_try (MD_XML_SONAME, "p.xml", &err), 0);
}

/* ---- valid plans -------------------------------------------------------------- */

static void
full_plan (void **state)
{
  mountdb *db = open_fixture ("sample");
  mountdb_txn *txn = new_txn (db);
  apply_ok (txn, plan ("sample-full.xml"));
  char got[4096];
  summary (txn, got, sizeof got);
  assert_string_equal (got,
    "M \\DosDevices\\D:\n"
    "M \\??\\Volume{e8d3a1c6-1b2e-11ee-a9b1-806e6f6e6963}\n"
    "M \\??\\Volume{e8d3a1c7-1b2e-11ee-a9b1-806e6f6e6963}\n"
    "M \\??\\Volume{e8d3a1c8-1b2e-11ee-a9b1-806e6f6e6963}\n"
    "M #{6b1f0e3d-9a2c-4f7e-8d51-0c3b2a1f9e84}\n"
    "A \\DosDevices\\F:\n"
    "A \\DosDevices\\G:\n"
    "A \\DosDevices\\T:\n"
    "A \\??\\Volume{*}\n"
    "A #{*}\n"
    "D \\DosDevices\\E:\n"
    "D \\DosDevices\\G:\n"
    "D \\DosDevices\\F:\n"
    "N NoAutoMount\n");

  /* W1: the new IDs. */
  const mountdb_change *c;
  c = change_named (txn, MOUNTDB_CHANGE_MODIFIED, "\\DosDevices\\D:");
  assert_id (c->after, c->after_len, "gpt:09931f21-7faf-44a9-81d8-1e73c14b9eaf");
  assert_id (c->before, c->before_len, "mbr:7c1d9e42:1MiB");
  c = change_named (txn, MOUNTDB_CHANGE_MODIFIED,
                    "#{6b1f0e3d-9a2c-4f7e-8d51-0c3b2a1f9e84}");
  assert_id (c->after, c->after_len, "gpt:c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d");
  /* W2: F: and G: swapped (the volumes were resolved before either moved). */
  size_t flen, glen;
  const uint8_t *f = entry_data (db, "\\DosDevices\\F:", &flen);
  const uint8_t *g = entry_data (db, "\\DosDevices\\G:", &glen);
  c = change_named (txn, MOUNTDB_CHANGE_ADDED, "\\DosDevices\\F:");
  assert_int_equal (c->after_len, glen);
  assert_memory_equal (c->after, g, glen);
  c = change_named (txn, MOUNTDB_CHANGE_ADDED, "\\DosDevices\\G:");
  assert_int_equal (c->after_len, flen);
  assert_memory_equal (c->after, f, flen);
  /* W8: the pre-seeded volume. */
  c = change_named (txn, MOUNTDB_CHANGE_ADDED, "\\DosDevices\\T:");
  assert_id (c->after, c->after_len, "gpt:2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0");
  /* W3: E:'s volume (after its remap) has a marker. */
  const mountdb_change *m = mountdb_txn_change_get (txn, 9);
  assert_int_equal (m->cls, MOUNTDB_CLASS_NO_LETTER);
  assert_id (m->after, m->after_len, "gpt:5b1e2f0a-3c4d-4e5f-8a6b-7c8d9e0f1a2b");
  /* W7 */
  c = mountdb_txn_change_get (txn, 13);
  assert_int_equal (c->kind, MOUNTDB_CHANGE_AUTOMOUNT);
  assert_null (c->before);
  assert_memory_equal (c->after, "\1\0\0\0", 4);
  mountdb_txn_free (txn);
  mountdb_close (db);
}

static void
mbr2gpt_plan (void **state)
{
  mountdb *db = open_fixture ("sample");
  mountdb_txn *txn = new_txn (db);
  apply_ok (txn, plan ("sample-migrate.xml"));
  char got[4096];
  summary (txn, got, sizeof got);
  assert_string_equal (got,
    "M \\DosDevices\\D:\n"
    "M \\??\\Volume{e8d3a1c6-1b2e-11ee-a9b1-806e6f6e6963}\n"
    "M \\DosDevices\\E:\n"
    "M \\??\\Volume{e8d3a1c7-1b2e-11ee-a9b1-806e6f6e6963}\n"
    "M \\??\\Volume{e8d3a1c8-1b2e-11ee-a9b1-806e6f6e6963}\n"
    "M #{6b1f0e3d-9a2c-4f7e-8d51-0c3b2a1f9e84}\n");
  const mountdb_change *c =
    change_named (txn, MOUNTDB_CHANGE_MODIFIED, "\\DosDevices\\E:");
  assert_id (c->after, c->after_len, "gpt:5b1e2f0a-3c4d-4e5f-8a6b-7c8d9e0f1a2b");
  mountdb_txn_free (txn);
  mountdb_close (db);
}

/* V5: D: given to a volume that holds K: first: K: goes (the letter is
 * its only one); V7: E: of a volume with a marker goes, the marker stays. */
static void
multi_plan (void **state)
{
  mountdb *db = open_fixture ("multi");
  mountdb_txn *txn = new_txn (db);
  apply_ok (txn, plan ("multi-tidy.xml"));
  char got[4096];
  summary (txn, got, sizeof got);
  assert_string_equal (got,
    "D \\DosDevices\\K:\n"
    "D \\DosDevices\\E:\n"
    "N NoAutoMount\n");
  mountdb_txn_free (txn);
  mountdb_close (db);
}

static void
empty_plan (void **state)
{
  mountdb *db = open_fixture ("sample");
  mountdb_txn *txn = new_txn (db);
  apply_ok (txn, plan ("empty-plan.xml"));
  assert_int_equal (mountdb_txn_change_count (txn), 0);
  mountdb_txn_free (txn);
  mountdb_close (db);
}

/* A plan on a transaction that already has edits: the swap already put F:
 * and G: where the plan wants them, so those stay in place (modified). */
static void
after_edits (void **state)
{
  mountdb *db = open_fixture ("sample");
  mountdb_txn *txn = new_txn (db);
  mountdb_error err;
  assert_int_equal (mountdb_txn_swap (txn, 'F', 'G', &err), 0);
  apply_ok (txn, plan ("sample-full.xml"));
  char got[4096];
  summary (txn, got, sizeof got);
  assert_string_equal (got,
    "M \\DosDevices\\D:\n"
    "M \\??\\Volume{e8d3a1c6-1b2e-11ee-a9b1-806e6f6e6963}\n"
    "M \\??\\Volume{e8d3a1c7-1b2e-11ee-a9b1-806e6f6e6963}\n"
    "M \\??\\Volume{e8d3a1c8-1b2e-11ee-a9b1-806e6f6e6963}\n"
    "M #{6b1f0e3d-9a2c-4f7e-8d51-0c3b2a1f9e84}\n"
    "M \\DosDevices\\G:\n"
    "M \\DosDevices\\F:\n"
    "A \\DosDevices\\T:\n"
    "A \\??\\Volume{*}\n"
    "A #{*}\n"
    "D \\DosDevices\\E:\n"
    "N NoAutoMount\n");
  mountdb_txn_free (txn);
  mountdb_close (db);
}

/* Applying the same plan twice: the second run changes nothing. */
static void
idempotent_one (const char *fixture, const char *path)
{
  mountdb *db = open_fixture (fixture);
  mountdb_txn *txn = new_txn (db);
  apply_ok (txn, path);
  struct state once;
  char s1[4096], s2[4096];
  state_take (txn, &once);
  summary (txn, s1, sizeof s1);
  apply_ok (txn, path);
  assert_state (txn, &once);
  summary (txn, s2, sizeof s2);
  assert_string_equal (s1, s2);
  state_free (&once);
  mountdb_txn_free (txn);
  mountdb_close (db);
}

static void
idempotent (void **state)
{
  idempotent_one ("sample", plan ("sample-full.xml"));
  idempotent_one ("sample", plan ("sample-migrate.xml"));
  idempotent_one ("sample", plan ("empty-plan.xml"));
  idempotent_one ("multi", plan ("multi-tidy.xml"));
  idempotent_one ("multi", tmp ("noletter-bare.xml"));
}

/* A no-letter volume without letters or marker gets the marker once;
 * attribute values may carry surrounding whitespace. */
static void
noletter_bare (void **state)
{
  mountdb *db = open_fixture ("multi");
  mountdb_txn *txn = new_txn (db);
  apply_ok (txn, tmp ("noletter-bare.xml"));
  char got[4096];
  summary (txn, got, sizeof got);
  assert_string_equal (got, "A #{*}\n");
  const mountdb_change *c = mountdb_txn_change_get (txn, 0);
  assert_id (c->after, c->after_len,
             "gpt:8c7b6a59-4837-4261-9504-f3e2d1c0b9a8");
  mountdb_txn_free (txn);
  mountdb_close (db);
}

/* ---- errors from the files in testdata/plans -------------------------------------- */

struct err_case {
  const char *file;
  const char *fixture;
  int code;
  long line;
  const char *reason;
};

static const struct err_case err_cases[] = {
  { "err-not-well-formed.xml", "sample", MOUNTDB_E_INVAL, 5,
    "not well-formed XML: Opening and ending tag mismatch: letter line 4" },
  { "err-unknown-element.xml", "sample", MOUNTDB_E_INVAL, 5,
    "not a valid plan: Did not expect element scrub there" },
  { "err-unknown-attribute.xml", "sample", MOUNTDB_E_INVAL, 6,
    "not a valid plan: Invalid attribute force for element letter" },
  { "err-missing-attribute.xml", "sample", MOUNTDB_E_INVAL, 4,
    "Element remap failed to validate attributes (missing attribute to; "
    "attributes given: from=\"mbr:7c1d9e42:1MiB\")" },
  { "err-namespace.xml", "sample", MOUNTDB_E_INVAL, 3,
    "Expecting a namespace for element mountdb-plan" },
  { "err-order.xml", "sample", MOUNTDB_E_INVAL, 6,
    "Did not expect element remap there (a plan holds remap, then letter" },
  { "err-automount-twice.xml", "sample", MOUNTDB_E_INVAL, 5,
    "Did not expect element automount there" },
  { "err-automount-state.xml", "sample", MOUNTDB_E_INVAL, 4,
    "(attributes given: state=\"maybe\")" },
  { "err-bad-spec.xml", "sample", MOUNTDB_E_INVAL, 6,
    "to: 'mbr:7c1d9e42:1000': partition offset 1000 is not a multiple of "
    "512 bytes" },
  { "err-bad-letter.xml", "sample", MOUNTDB_E_INVAL, 7,
    "letter 'CC' is not a drive letter" },
  { "err-duplicate-letter.xml", "sample", MOUNTDB_E_INVAL, 5,
    "letter E: is already given at line 4" },
  { "err-conflict.xml", "sample", MOUNTDB_E_INVAL, 8,
    "'{e8d3a1c6-1b2e-11ee-a9b1-806e6f6e6963}' is the volume that gets D: "
    "at line 6" },
  { "err-two-letters.xml", "sample", MOUNTDB_E_INVAL, 5,
    "already gets D: at line 4 (a volume keeps one drive letter)" },
  { "err-letter-spec.xml", "sample", MOUNTDB_E_INVAL, 5,
    "'G:' names a volume by the drive letter it has now" },
  { "err-old-id.xml", "sample", MOUNTDB_E_INVAL, 5,
    "'mbr:7c1d9e42:1MiB' is the ID that the remap at line 4 replaces" },
  { "err-merge.xml", "sample", MOUNTDB_E_REFUSED, 6,
    "remapping would merge two volumes' names" },
  { "err-nomatch.xml", "sample", MOUNTDB_E_NOMATCH, 7,
    "no such volume GUID name" },
  { "err-ambiguous.xml", "sample", MOUNTDB_E_AMBIGUOUS, 4,
    "MBR disk 7C1D9E42 has 3 partitions" },
  { "err-remap-nothing.xml", "sample", MOUNTDB_E_NOMATCH, 4,
    "nothing to remap" },
  { "err-chain.xml", "sample", MOUNTDB_E_INVAL, 7,
    "from: the ID is the one the remap at line 6 gives" },
  { "err-swap.xml", "sample", MOUNTDB_E_INVAL, 6,
    "to: the ID is the one the remap at line 5 replaces" },
  { "err-automount-refused.xml", "select-nocs", MOUNTDB_E_REFUSED, 5,
    "Select names no existing control set" },
  { "err-xxe.xml", "sample", MOUNTDB_E_INVAL, 4,
    "a plan must not have a DOCTYPE" },
  { "err-entities.xml", "sample", MOUNTDB_E_INVAL, 4,
    "a plan must not have a DOCTYPE" },
  { "err-typo.xml", "sample", MOUNTDB_E_NOMATCH, 6,
    "volume: 'mbr:7c1d9e4:512GiB': no volume in MountedDevices has this "
    "unique ID (MBR disk 07C1D9E4 @ 512 GiB); closest: mbr:7c1d9e42:512GiB" },
};
#define N_ERR_CASES (sizeof err_cases / sizeof err_cases[0])
_Static_assert (N_ERR_CASES == 25, "one ERR (i) in main per case");

static void
plan_file_error (void **state)
{
  const struct err_case *c = *state;
  expect_error (c->fixture, plan (c->file), c->code, c->line, c->reason);
}

/* Every err-*.xml in testdata/plans has a case above. */
static void
all_error_files_covered (void **state)
{
  DIR *d = opendir (plans);
  assert_non_null (d);
  struct dirent *de;
  size_t seen = 0;
  while ((de = readdir (d)) != NULL) {
    if (strncmp (de->d_name, "err-", 4) != 0)
      continue;
    size_t i;
    for (i = 0; i < N_ERR_CASES && strcmp (err_cases[i].file, de->d_name); i++)
      ;
    if (i == N_ERR_CASES)
      fail_msg ("%s/%s has no test case", plans, de->d_name);
    seen++;
  }
  closedir (d);
  assert_int_equal (seen, N_ERR_CASES);
}

/* ---- errors from plans made here ------------------------------------------------------- */

static const char head[] = "<?xml version=\"1.0\"?>\n"
                           "<mountdb-plan xmlns=\"urn:mountdb:plan:1\">\n";
static const char tail[] = "</mountdb-plan>\n";

static char *
grow (char *buf, size_t *len, size_t *cap, const char *s)
{
  size_t n = strlen (s);
  if (*len + n + 1 > *cap) {
    *cap = (*len + n + 1) * 2;
    buf = realloc (buf, *cap);
    assert_non_null (buf);
  }
  memcpy (buf + *len, s, n + 1);
  *len += n;
  return buf;
}

static void
too_big (void **state)
{
  /* Larger than 1 MiB: a valid plan padded with a long comment. */
  size_t len = 0, cap = 0;
  char *buf = grow (NULL, &len, &cap, head);
  buf = grow (buf, &len, &cap, "<!--\n");
  while (len <= ((size_t) 1 << 20))
    buf = grow (buf, &len, &cap, "padding padding padding padding padding "
                "padding padding padding padding padding padding\n");
  buf = grow (buf, &len, &cap, "-->\n");
  buf = grow (buf, &len, &cap, tail);
  write_file (tmp ("too-big.xml"), buf, len);
  long line = 1;
  for (size_t i = 0; i < ((size_t) 1 << 20); i++)
    line += buf[i] == '\n';
  free (buf);
  expect_error ("sample", tmp ("too-big.xml"), MOUNTDB_E_TOOBIG, line,
                "the plan is larger than 1 MiB");
}

/* 10000 elements pass (the root and 9999 no-letters); 10001 do not: the
 * error names the line of the 10001st. */
static void
too_many_elements (void **state)
{
  for (int extra = 0; extra < 2; extra++) {
    size_t len = 0, cap = 0;
    char *buf = grow (NULL, &len, &cap, head);
    for (int i = 0; i < 9999 + extra; i++)
      buf = grow (buf, &len, &cap, "  <no-letter volume=\""
                  "{e8d3a1c8-1b2e-11ee-a9b1-806e6f6e6963}\"/>\n");
    buf = grow (buf, &len, &cap, tail);
    write_file (tmp ("many.xml"), buf, len);
    free (buf);
    if (extra)
      expect_error ("sample", tmp ("many.xml"), MOUNTDB_E_TOOBIG, 10002,
                    "more than 10000 elements");
    else {
      mountdb *db = open_fixture ("sample");
      mountdb_txn *txn = new_txn (db);
      clock_t t0 = clock ();
      apply_ok (txn, tmp ("many.xml"));
      double secs = (double) (clock () - t0) / CLOCKS_PER_SEC;
      assert_true (secs < 10.0);
      assert_int_equal (mountdb_txn_change_count (txn), 0);
      mountdb_txn_free (txn);
      mountdb_close (db);
    }
  }
}

/* libxml2 keeps element lines in 16 bits: the plan's own count is exact. */
static void
big_line_numbers (void **state)
{
  size_t len = 0, cap = 0;
  char *buf = grow (NULL, &len, &cap, head);
  for (int i = 0; i < 70000; i++)
    buf = grow (buf, &len, &cap, "\n");
  buf = grow (buf, &len, &cap, "  <letter letter=\"CC\" volume=\"{e8d3a1c8-"
              "1b2e-11ee-a9b1-806e6f6e6963}\"/>\n");
  buf = grow (buf, &len, &cap, tail);
  write_file (tmp ("lines.xml"), buf, len);
  free (buf);
  expect_error ("sample", tmp ("lines.xml"), MOUNTDB_E_INVAL, 70003,
                "letter 'CC' is not a drive letter");
  /* and a schema error past line 65535 */
  len = cap = 0;
  buf = grow (NULL, &len, &cap, head);
  for (int i = 0; i < 70000; i++)
    buf = grow (buf, &len, &cap, "\n");
  buf = grow (buf, &len, &cap, "  <letter letter=\"C\"/>\n");
  buf = grow (buf, &len, &cap, tail);
  write_file (tmp ("lines2.xml"), buf, len);
  free (buf);
  expect_error ("sample", tmp ("lines2.xml"), MOUNTDB_E_INVAL, 70003,
                "Element letter failed to validate attributes");
}

static void
odd_files (void **state)
{
  write_file (tmp ("empty.xml"), "", 0);
  expect_error ("sample", tmp ("empty.xml"), MOUNTDB_E_INVAL, 1,
                "the plan is empty");
  expect_error ("sample", tmpdir, MOUNTDB_E_NOTREG, 0,
                "the plan is not a regular file");
  expect_error ("sample", tmp ("no-such-plan.xml"), MOUNTDB_E_IO, 0,
                "cannot open the plan");
  /* Not UTF-8 on line 4. */
  static const char bad8[] = "<?xml version=\"1.0\"?>\n"
    "<mountdb-plan xmlns=\"urn:mountdb:plan:1\">\n"
    "  <!-- fine -->\n"
    "  <no-letter volume=\"\xff\xfe\"/>\n"
    "</mountdb-plan>\n";
  write_file (tmp ("bad-utf8.xml"), bad8, sizeof bad8 - 1);
  expect_error ("sample", tmp ("bad-utf8.xml"), MOUNTDB_E_INVAL, 4,
                "not well-formed XML");
  /* Text where elements go. */
  static const char text[] = "<?xml version=\"1.0\"?>\n"
    "<mountdb-plan xmlns=\"urn:mountdb:plan:1\">\n"
    "  <automount state=\"on\"/>\n"
    "  remove all letters\n"
    "</mountdb-plan>\n";
  write_file (tmp ("text.xml"), text, sizeof text - 1);
  expect_error ("sample", tmp ("text.xml"), MOUNTDB_E_INVAL, 2,
                "Did not expect text in element mountdb-plan content");
  /* Not a plan at all. */
  static const char other[] = "<?xml version=\"1.0\"?>\n\n<html/>\n";
  write_file (tmp ("other.xml"), other, sizeof other - 1);
  expect_error ("sample", tmp ("other.xml"), MOUNTDB_E_INVAL, 3,
                "not a valid plan");
}

static void
on_alarm (int sig)
{
  (void) sig;
  static const char msg[] = "test_plan: the plan's external DTD was opened\n";
  if (write (2, msg, sizeof msg - 1) < 0)
    _exit (3);
  _exit (2);
}

/* An external DTD is never opened: it is a FIFO with no writer, so an
 * open would block (and the alarm end the test). */
static void
external_dtd_not_read (void **state)
{
  const char *fifo = tmp ("evil.dtd");
  unlink (fifo);
  assert_int_equal (mkfifo (fifo, 0600), 0);
  char doc[8500];
  snprintf (doc, sizeof doc, "<?xml version=\"1.0\"?>\n"
            "<!DOCTYPE mountdb-plan SYSTEM \"file://%s\">\n"
            "<mountdb-plan xmlns=\"urn:mountdb:plan:1\"/>\n", fifo);
  write_file (tmp ("ext-dtd.xml"), doc, strlen (doc));
  signal (SIGALRM, on_alarm);
  alarm (20);
  expect_error ("sample", tmp ("ext-dtd.xml"), MOUNTDB_E_INVAL, 2,
                "a plan must not have a DOCTYPE");
  alarm (0);
  signal (SIGALRM, SIG_DFL);
  unlink (fifo);
}

/* The library never prints, whatever libxml2 has to say. */
static void
silent (void **state)
{
  char out[4200];
  snprintf (out, sizeof out, "%s/output", tmpdir);
  int fd = open (out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true (fd >= 0);
  fflush (stdout);
  fflush (stderr);
  int saved1 = dup (1), saved2 = dup (2);
  assert_true (saved1 >= 0 && saved2 >= 0);
  dup2 (fd, 1);
  dup2 (fd, 2);
  mountdb *db = open_fixture ("sample");
  mountdb_txn *txn = new_txn (db);
  static const char *const more[] = { "too-big.xml", "many.xml", "lines.xml",
                                      "lines2.xml", "empty.xml",
                                      "bad-utf8.xml", "text.xml",
                                      "other.xml", "no-such-plan.xml" };
  mountdb_error err;
  int failures = 0;
  for (size_t i = 0; i < N_ERR_CASES; i++)
    failures += mountdb_txn_apply_plan (txn, plan (err_cases[i].file),
                                        &err) < 0;
  for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
    failures += mountdb_txn_apply_plan (txn, tmp (more[i]), &err) < 0;
  mountdb_txn_free (txn);
  mountdb_close (db);
  fflush (stdout);
  fflush (stderr);
  dup2 (saved1, 1);
  dup2 (saved2, 2);
  close (saved1);
  close (saved2);
  struct stat sb;
  assert_int_equal (fstat (fd, &sb), 0);
  close (fd);
  assert_int_equal (sb.st_size, 0);
  /* err-automount-refused applies on sample; the rest fail anywhere. */
  assert_int_equal (failures, (int) N_ERR_CASES - 1
                              + (int) (sizeof more / sizeof more[0]));
}

static void
arguments (void **state)
{
  mountdb *db = open_fixture ("sample");
  mountdb_txn *txn = new_txn (db);
  mountdb_error err;
  assert_int_equal (mountdb_txn_apply_plan (NULL, plan ("empty-plan.xml"),
                                            &err), MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_txn_apply_plan (txn, NULL, &err),
                    MOUNTDB_E_INVAL);
  /* err may be NULL */
  assert_int_equal (mountdb_txn_apply_plan (txn, plan ("err-bad-letter.xml"),
                                            NULL), MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_txn_apply_plan (txn, plan ("sample-full.xml"),
                                            NULL), 0);
  assert_int_equal (mountdb_txn_change_count (txn), 14);
  mountdb_txn_free (txn);
  mountdb_close (db);
}

/* ---- setup ----------------------------------------------------------------------------- */

static int
setup (void **state)
{
  snprintf (tmpdir, sizeof tmpdir, "%s/test_plan.XXXXXX",
            getenv ("TMPDIR") ? getenv ("TMPDIR") : "/tmp");
  if (mkdtemp (tmpdir) == NULL)
    return -1;
  static const char bare[] = "<?xml version=\"1.0\"?>\n"
    "<mountdb-plan xmlns=\"urn:mountdb:plan:1\">\n"
    "  <no-letter volume=\"  {7a6b5c4d-9e8f-11e2-8a1b-001c42a7d3e5}\n\"/>\n"
    "</mountdb-plan>\n";
  FILE *f = fopen (tmp ("noletter-bare.xml"), "w");
  if (f == NULL || fputs (bare, f) < 0 || fclose (f) != 0)
    return -1;
  return 0;
}

static int
teardown (void **state)
{
  static const char *const names[] = {
    "noletter-bare.xml", "too-big.xml", "many.xml", "lines.xml",
    "lines2.xml", "empty.xml", "bad-utf8.xml", "text.xml", "other.xml",
    "ext-dtd.xml", "evil.dtd", "output",
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    unlink (tmp (names[i]));
  return rmdir (tmpdir) == 0 ? 0 : -1;
}

/* One test per error plan, named after its file. */
#define ERR(i) { err_cases[i].file, plan_file_error, NULL, NULL, \
                 (void *) &err_cases[i] }

int
main (void)
{
  fixtures = getenv ("FIXTURES");
  if (fixtures == NULL)
    fixtures = "testdata/out";
  const char *p = getenv ("PLANS"), *top = getenv ("top_srcdir");
  if (p)
    snprintf (plans, sizeof plans, "%s", p);
  else if (top)
    snprintf (plans, sizeof plans, "%s/testdata/plans", top);
  else
    snprintf (plans, sizeof plans, "testdata/plans");
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (xml_loaded_on_demand),
    cmocka_unit_test (xml_missing),
    cmocka_unit_test (full_plan),
    cmocka_unit_test (mbr2gpt_plan),
    cmocka_unit_test (multi_plan),
    cmocka_unit_test (empty_plan),
    cmocka_unit_test (after_edits),
    cmocka_unit_test (noletter_bare),
    cmocka_unit_test (idempotent),
    ERR (0), ERR (1), ERR (2), ERR (3), ERR (4), ERR (5), ERR (6), ERR (7),
    ERR (8), ERR (9), ERR (10), ERR (11), ERR (12), ERR (13), ERR (14),
    ERR (15), ERR (16), ERR (17), ERR (18), ERR (19), ERR (20), ERR (21),
    ERR (22), ERR (23), ERR (24),
    cmocka_unit_test (all_error_files_covered),
    cmocka_unit_test (too_big),
    cmocka_unit_test (too_many_elements),
    cmocka_unit_test (big_line_numbers),
    cmocka_unit_test (odd_files),
    cmocka_unit_test (external_dtd_not_read),
    cmocka_unit_test (silent),
    cmocka_unit_test (arguments),
  };
  return cmocka_run_group_tests_name ("plans (XML, W1-W3, W7)", tests, setup,
                                      teardown);
}
