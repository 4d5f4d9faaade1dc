/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb_check: each V rule on generated fixtures that trigger it, and
 * fixtures that must stay clean of it.  A fixture's whole finding list is
 * compared as "RULE:severity-initial:count" so an extra finding fails too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "mountdb.h"

static const char *fixtures;

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

/* "V2:w:14 V8:i:1": rules in order of first finding, with counts. */
static void
summary (const mountdb *db, char *out, size_t size)
{
  char rules[64][8];
  int counts[64];
  size_t n = 0;
  for (size_t i = 0; i < mountdb_finding_count (db); i++) {
    const mountdb_finding *f = mountdb_finding_get (db, i);
    char key[8];
    snprintf (key, sizeof key, "%s:%c", mountdb_finding_rule (f),
              mountdb_severity_name (mountdb_finding_severity (f))[0]);
    size_t k;
    for (k = 0; k < n && strcmp (rules[k], key) != 0; k++)
      ;
    if (k == n) {
      assert_true (n < 64);
      strcpy (rules[n], key);
      counts[n++] = 0;
    }
    counts[k]++;
  }
  size_t at = 0;
  out[0] = '\0';
  for (size_t k = 0; k < n; k++)
    at += (size_t) snprintf (out + at, size - at, "%s%s:%d", k ? " " : "",
                             rules[k], counts[k]);
}

static void
expect (const char *fixture, char letter, const char *want)
{
  mountdb *db = open_fixture (fixture);
  assert_int_equal (mountdb_check (db, letter), 0);
  char got[1024];
  summary (db, got, sizeof got);
  if (strcmp (got, want) != 0)
    fail_msg ("%s: findings \"%s\", expected \"%s\"", fixture, got, want);
  mountdb_close (db);
}

/* The entries of finding i, by exact name. */
static void
expect_names (const mountdb *db, size_t i, const char *const *names)
{
  const mountdb_finding *f = mountdb_finding_get (db, i);
  assert_non_null (f);
  size_t n = 0;
  for (; names[n]; n++)
    assert_string_equal (mountdb_entry_name (mountdb_finding_entry_get (f, n)),
                         names[n]);
  assert_int_equal (mountdb_finding_entry_count (f), n);
  assert_null (mountdb_finding_entry_get (f, n));
}

/* Clean: a realistic hive with nothing to report. */
static void
clean_sample (void **s) { (void) s; expect ("sample", 0, ""); }
static void
clean_controlset1 (void **s) { (void) s; expect ("empty", 0, "V10:e:1"); }

static void v1_missing_key (void **s) { (void) s; expect ("nokey", 0, "V1:w:1"); }
static void v2_types (void **s) { (void) s; expect ("types", 0, "V2:w:14 V8:i:1"); }
static void v3_classes (void **s) { (void) s; expect ("classes", 0, "V3:i:13 V3:w:4 V8:i:2"); }
static void v3_v6_case (void **s) { (void) s; expect ("case", 0, "V3:w:4 V3:i:6 V6:e:3 V8:i:1"); }
static void v4_shapes (void **s) { (void) s; expect ("shapes", 0, "V4:w:9 V8:i:16"); }
static void v5_v7_v8_v11_multi (void **s) { (void) s; expect ("multi", 0, "V5:w:1 V7:w:1 V8:i:2 V11:w:1"); }
static void v10_missing (void **s) { (void) s; expect ("v10-missing", 0, "V10:e:1"); }
static void v10_other_letter (void **s) { (void) s; expect ("v10-missing", 'D', ""); }
static void v10_lower_case_option (void **s) { (void) s; expect ("v10-missing", 'd', ""); }
static void v10_devpath (void **s) { (void) s; expect ("v10-devpath", 0, "V8:i:1 V10:e:1"); }
static void v10_second (void **s) { (void) s; expect ("v10-second", 0, "V5:w:1 V10:e:1"); }
static void v11_current_set (void **s) { (void) s; expect ("controlset", 0, "V11:w:1"); }
static void v11_select_bad (void **s) { (void) s; expect ("select-bad", 0, "V11:w:1"); }
static void v11_select_nocs (void **s) { (void) s; expect ("select-nocs", 0, "V11:w:1"); }
static void v11_automount_bad (void **s) { (void) s; expect ("automount-bad", 0, "V11:w:1"); }
static void l1_dirty (void **s) { (void) s; expect ("dirty", 0, "L1:w:1 V8:i:1"); }
/* Issue 11 and issue 9 item 5: each corrected finding on its fixture. */
static void v11_setup_default (void **s) { (void) s; expect ("setup", 0, ""); }
static void v11_sanpolicy (void **s) { (void) s; expect ("sanpolicy", 0, "V11:w:1"); }
static void v8_win10 (void **s) { (void) s; expect ("win10", 0, "V8:i:2"); }
static void v1_nt4 (void **s) { (void) s; expect ("nt4", 0, "V1:i:1"); }
static void v1_partial (void **s) { (void) s; expect ("partial", 0, "V1:w:1"); }
static void r4_ntuser (void **s) { (void) s; expect ("ntuser", 0, "R4:e:1"); }
static void r5_layered (void **s) { (void) s; expect ("layered", 0, "R5:w:1"); }

static int
has_diag (const mountdb *db, int code)
{
  for (size_t i = 0; i < mountdb_diag_count (db); i++) {
    int c;
    if (mountdb_diag_get (db, i, &c, NULL) == 0 && c == code)
      return 1;
  }
  return 0;
}

/* The hive-level facts behind those findings, through the public API. */
static void
hive_facts (void **s)
{
  (void) s;
  uint32_t v = 99;
  mountdb *db = open_fixture ("setup");
  assert_int_equal (mountdb_select_default (db, &v), MOUNTDB_VALUE_OK);
  assert_int_equal (v, 1);
  assert_int_equal (mountdb_select_current (db, &v), MOUNTDB_VALUE_OK);
  assert_int_equal (v, 0);
  assert_int_equal (mountdb_boot_control_set (db), 1);
  assert_int_equal (mountdb_setup_in_progress (db, &v), MOUNTDB_VALUE_OK);
  assert_int_equal (v, 1);
  assert_true (has_diag (db, MOUNTDB_DIAG_SETUP));
  assert_true (has_diag (db, MOUNTDB_DIAG_SELECT));
  mountdb_close (db);
  db = open_fixture ("sanpolicy");
  assert_int_equal (mountdb_boot_control_set (db), 2);
  assert_int_equal (mountdb_san_policy (db, &v), MOUNTDB_VALUE_OK);
  assert_int_equal (v, 3);
  assert_int_equal (mountdb_noautomount (db, &v), MOUNTDB_VALUE_OK);
  assert_int_equal (v, 0);   /* ControlSet002's, not ControlSet001's 1 */
  mountdb_close (db);
  db = open_fixture ("layered");
  assert_int_equal (mountdb_layered (db), 1);
  assert_true (has_diag (db, MOUNTDB_DIAG_LAYERED));
  mountdb_close (db);
  db = open_fixture ("sample");
  assert_int_equal (mountdb_layered (db), 0);
  assert_int_equal (mountdb_hive_kind (db), MOUNTDB_HIVE_SYSTEM);
  assert_false (has_diag (db, MOUNTDB_DIAG_SELECT));
  mountdb_close (db);
  db = open_fixture ("ntuser");
  assert_int_equal (mountdb_hive_kind (db), MOUNTDB_HIVE_NTUSER);
  assert_true (has_diag (db, MOUNTDB_DIAG_NOT_SYSTEM));
  mountdb_close (db);
  db = open_fixture ("win10");
  assert_int_equal (mountdb_windows_version (db), MOUNTDB_WINVER_10);
  char g[37];
  assert_int_equal (mountdb_volume_derived_guid (mountdb_volume_get (db, 0), g), 1);
  assert_string_equal (g, "629458e4-0000-0000-0000-010000000000");
  assert_int_equal (mountdb_volume_derived_guid (mountdb_volume_get (db, 1), g), 0);
  mountdb_close (db);
}
static void l1_bad_checksum (void **s) { (void) s; expect ("badsum", 0, "L1:w:1"); }

/* V5 names the kept letter first: value order, not alphabetical. */
static void
v5_names_in_value_order (void **state)
{
  (void) state;
  mountdb *db = open_fixture ("multi");
  assert_int_equal (mountdb_check (db, 0), 0);
  static const char *const v5[] = { "\\DosDevices\\K:", "\\DosDevices\\D:", NULL };
  expect_names (db, 0, v5);
  assert_string_equal (mountdb_finding_rule (mountdb_finding_get (db, 0)), "V5");
  assert_non_null (strstr (mountdb_finding_message (mountdb_finding_get (db, 0)),
                           "keeps K:"));
  static const char *const v7[] = { "\\DosDevices\\E:",
                                    "#{b7c6d5e4-f3a2-4b1c-8d9e-0f1a2b3c4d5e}", NULL };
  expect_names (db, 1, v7);
  mountdb_close (db);
}

static void
v6_pairs (void **state)
{
  (void) state;
  mountdb *db = open_fixture ("case");
  assert_int_equal (mountdb_check (db, 0), 0);
  int pairs = 0;
  for (size_t i = 0; i < mountdb_finding_count (db); i++) {
    const mountdb_finding *f = mountdb_finding_get (db, i);
    if (strcmp (mountdb_finding_rule (f), "V6") != 0)
      continue;
    assert_int_equal (mountdb_finding_severity (f), MOUNTDB_SEV_ERROR);
    assert_int_equal (mountdb_finding_entry_count (f), 2);
    if (strcmp (mountdb_entry_name (mountdb_finding_entry_get (f, 0)),
                "\\DosDevices\\C:") == 0) {
      static const char *const want[] = { "\\DosDevices\\C:",
                                          "\\dosdevices\\c:", NULL };
      expect_names (db, i, want);
      pairs++;
    }
  }
  assert_int_equal (pairs, 1);
  mountdb_close (db);
}

/* Running again replaces the findings; bad letters are refused. */
static void
rerun_and_arguments (void **state)
{
  (void) state;
  mountdb *db = open_fixture ("multi");
  assert_int_equal (mountdb_finding_count (db), 0); /* not run yet */
  assert_int_equal (mountdb_check (db, 0), 0);
  size_t n = mountdb_finding_count (db);
  assert_int_equal (mountdb_check (db, 'C'), 0);
  assert_int_equal (mountdb_finding_count (db), n);
  assert_int_equal (mountdb_check (db, '1'), MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_check (NULL, 0), MOUNTDB_E_INVAL);
  assert_null (mountdb_finding_get (db, mountdb_finding_count (db)));
  assert_int_equal (mountdb_severity_parse ("warning"), MOUNTDB_SEV_WARNING);
  assert_int_equal (mountdb_severity_parse ("Warning"), -1);
  assert_string_equal (mountdb_severity_name (MOUNTDB_SEV_ERROR), "error");
  mountdb_close (db);
}

/* Messages never carry hive strings (writers escape names themselves). */
static void
messages_are_plain (void **state)
{
  (void) state;
  mountdb *db = open_fixture ("hostile");
  assert_int_equal (mountdb_check (db, 0), 0);
  assert_true (mountdb_finding_count (db) > 0);
  for (size_t i = 0; i < mountdb_finding_count (db); i++) {
    const unsigned char *m = (const unsigned char *)
      mountdb_finding_message (mountdb_finding_get (db, i));
    for (; *m; m++)
      assert_true (*m >= 0x20 && *m < 0x7f);
  }
  mountdb_close (db);
}

int
main (void)
{
  fixtures = getenv ("FIXTURES");
  if (fixtures == NULL)
    fixtures = "testdata/out";
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (clean_sample),
    cmocka_unit_test (clean_controlset1),
    cmocka_unit_test (v1_missing_key),
    cmocka_unit_test (v2_types),
    cmocka_unit_test (v3_classes),
    cmocka_unit_test (v3_v6_case),
    cmocka_unit_test (v4_shapes),
    cmocka_unit_test (v5_v7_v8_v11_multi),
    cmocka_unit_test (v10_missing),
    cmocka_unit_test (v10_other_letter),
    cmocka_unit_test (v10_lower_case_option),
    cmocka_unit_test (v10_devpath),
    cmocka_unit_test (v10_second),
    cmocka_unit_test (v11_current_set),
    cmocka_unit_test (v11_select_bad),
    cmocka_unit_test (v11_select_nocs),
    cmocka_unit_test (v11_automount_bad),
    cmocka_unit_test (v11_setup_default),
    cmocka_unit_test (v11_sanpolicy),
    cmocka_unit_test (v8_win10),
    cmocka_unit_test (v1_nt4),
    cmocka_unit_test (v1_partial),
    cmocka_unit_test (r4_ntuser),
    cmocka_unit_test (r5_layered),
    cmocka_unit_test (hive_facts),
    cmocka_unit_test (l1_dirty),
    cmocka_unit_test (l1_bad_checksum),
    cmocka_unit_test (v5_names_in_value_order),
    cmocka_unit_test (v6_pairs),
    cmocka_unit_test (rerun_and_arguments),
    cmocka_unit_test (messages_are_plain),
  };
  return cmocka_run_group_tests_name ("rules (V1-V11, L1)", tests, NULL, NULL);
}
