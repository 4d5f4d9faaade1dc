/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ABI seen from a program: the stable names the documents print (one
 * per code, never shared: mountdb(1) once printed four different error
 * codes as "io"), the version macros, and extensible option structs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "mountdb.h"

/* Every name of names[0..n) is set, not `fallback`, and unique. */
static void
assert_distinct (const char *const *names, size_t n, const char *fallback)
{
  for (size_t i = 0; i < n; i++) {
    assert_non_null (names[i]);
    if (fallback)
      assert_string_not_equal (names[i], fallback);
    for (size_t k = 0; k < i; k++)
      assert_string_not_equal (names[i], names[k]);
  }
}

static void
test_error_names (void **state)
{
  (void) state;
  static const int codes[] = {
    MOUNTDB_OK, MOUNTDB_E_NOMEM, MOUNTDB_E_INVAL, MOUNTDB_E_IO,
    MOUNTDB_E_NOTREG, MOUNTDB_E_FORMAT, MOUNTDB_E_CORRUPT, MOUNTDB_E_TOOBIG,
    MOUNTDB_E_CRYPTO, MOUNTDB_E_NOMATCH, MOUNTDB_E_AMBIGUOUS,
    MOUNTDB_E_REFUSED, MOUNTDB_E_EXISTS,
  };
  const char *names[sizeof codes / sizeof codes[0]];
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
    names[i] = mountdb_error_name (codes[i]);
  assert_distinct (names, sizeof codes / sizeof codes[0], "unknown");
  assert_string_equal (mountdb_error_name (MOUNTDB_E_IO), "io");
  assert_string_equal (mountdb_error_name (MOUNTDB_E_NOTREG), "not_regular");
  assert_string_equal (mountdb_error_name (MOUNTDB_E_REFUSED), "refused");
  assert_string_equal (mountdb_error_name (-9), "unknown");
  assert_string_equal (mountdb_error_name (1), "unknown");
  assert_string_equal (mountdb_error_name (-1000), "unknown");
}

static void
test_diag_names (void **state)
{
  (void) state;
  const char *names[12];
  for (int c = MOUNTDB_DIAG_DIRTY; c <= MOUNTDB_DIAG_NOT_KEPT; c++)
    names[c - 1] = mountdb_diag_name (c);
  assert_distinct (names, 12, "other");
  assert_string_equal (mountdb_diag_name (MOUNTDB_DIAG_SETUP),
                       "setup_in_progress");
  assert_string_equal (mountdb_diag_name (0), "other");
  assert_string_equal (mountdb_diag_name (13), "other");
}

static void
test_flag_names (void **state)
{
  (void) state;
  const char *names[7];
  for (unsigned b = 0; b < 7; b++)
    names[b] = mountdb_name_flag_name (1u << b);
  assert_distinct (names, 7, NULL);
  assert_string_equal (mountdb_name_flag_name (MOUNTDB_NAME_CASE_VARIANT),
                       "case_variant");
  assert_string_equal (mountdb_name_flag_name (MOUNTDB_NAME_PREFIX_CASE),
                       "prefix_case");
  assert_null (mountdb_name_flag_name (0));
  assert_null (mountdb_name_flag_name (0x80));
  assert_null (mountdb_name_flag_name (MOUNTDB_NAME_CONTROL
                                       | MOUNTDB_NAME_LATIN1));
}

static void
test_small_enums (void **state)
{
  (void) state;
  const char *keys[4], *nodes[4], *changes[4], *fields[3], *classes[5];
  for (int i = 0; i < 4; i++) {
    keys[i] = mountdb_key_state_name (i);
    nodes[i] = mountdb_node_kind_name (i);
    changes[i] = mountdb_change_kind_name (i);
  }
  for (int i = 0; i < 3; i++)
    fields[i] = mountdb_field_kind_name (i);
  for (int i = 0; i < 5; i++)
    classes[i] = mountdb_class_description (i);
  assert_distinct (keys, 4, "unknown");
  assert_distinct (nodes, 4, NULL);
  assert_distinct (changes, 4, "other");
  assert_distinct (fields, 3, NULL);
  assert_distinct (classes, 5, NULL);
  assert_string_equal (mountdb_key_state_name (MOUNTDB_KEY_NO_ROOT), "no_root");
  assert_string_equal (mountdb_node_kind_name (MOUNTDB_NODE_NONE), "none");
  assert_null (mountdb_node_kind_name (4));
  assert_string_equal (mountdb_change_kind_name (MOUNTDB_CHANGE_AUTOMOUNT),
                       "automount");
  assert_null (mountdb_field_kind_name (-1));
  /* One wording in the CLI's table and the V3 message. */
  assert_string_equal (mountdb_class_description (MOUNTDB_CLASS_MOUNT_POINT),
                       "a folder mount point");
  assert_string_equal (mountdb_class_description (MOUNTDB_CLASS_OTHER),
                       "a known name");
  assert_string_equal (mountdb_log_format_name (MOUNTDB_LOG_FORMAT_NONE),
                       "unknown");
  assert_string_equal (mountdb_log_format_name (MOUNTDB_LOG_FORMAT_OLD), "old");
  assert_string_equal (mountdb_log_format_name (MOUNTDB_LOG_FORMAT_NEW), "new");
}

static void
test_reg_types (void **state)
{
  (void) state;
  /* The enum carries Windows' values, and mountdb_type_name agrees. */
  assert_int_equal (MOUNTDB_REG_BINARY, 3);
  assert_int_equal (MOUNTDB_REG_DWORD, 4);
  assert_int_equal (MOUNTDB_REG_QWORD, 11);
  assert_string_equal (mountdb_type_name (MOUNTDB_REG_NONE), "REG_NONE");
  assert_string_equal (mountdb_type_name (MOUNTDB_REG_BINARY), "REG_BINARY");
  assert_string_equal (mountdb_type_name (MOUNTDB_REG_MULTI_SZ),
                       "REG_MULTI_SZ");
  assert_string_equal (mountdb_type_name (MOUNTDB_REG_QWORD), "REG_QWORD");
}

/* The generated header and the linked library agree (one source:
 * configure.ac). */
static void
test_version (void **state)
{
  (void) state;
  char want[32];
  snprintf (want, sizeof want, "%d.%d.%d", MOUNTDB_VERSION_MAJOR,
            MOUNTDB_VERSION_MINOR, MOUNTDB_VERSION_MICRO);
  assert_string_equal (MOUNTDB_VERSION_STRING, want);
  assert_string_equal (mountdb_version (), MOUNTDB_VERSION_STRING);
  assert_true (MOUNTDB_VERSION_CHECK (0, 1, 0));
  assert_false (MOUNTDB_VERSION_CHECK (MOUNTDB_VERSION_MAJOR + 1, 0, 0));
}

/* Write options carry their size: an older caller's struct is read as
 * far as it goes, a newer caller's extra options must be unset. */
static void
test_write_opts_size (void **state)
{
  (void) state;
  const char *fixtures = getenv ("FIXTURES");
  if (fixtures == NULL)
    skip ();
  char path[4096];
  snprintf (path, sizeof path, "%s/sample.hive", fixtures);
  mountdb *db;
  mountdb_txn *txn;
  mountdb_report *r = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_open (path, 0, &db, &err), 0);
  assert_int_equal (mountdb_txn_new (db, &txn, &err), 0);
  assert_int_equal (mountdb_txn_automount (txn, 0, &err), 0);

  struct { mountdb_write_opts o; uint64_t newer; } big;
  mountdb_write_opts_init (&big.o);
  assert_int_equal (big.o.struct_size, sizeof big.o);
  assert_int_equal (mountdb_write_dry_run (db, txn, NULL, &big.o, &r, &err), 0);
  mountdb_report_free (r);
  assert_int_equal (mountdb_write_dry_run (db, txn, NULL, NULL, &r, &err), 0);
  mountdb_report_free (r);

  /* Built against newer headers: an unknown option left at zero is fine,
   * one that is set is refused (this library cannot honour it). */
  big.o.struct_size = sizeof big;
  big.newer = 0;
  assert_int_equal (mountdb_write_dry_run (db, txn, NULL, &big.o, &r, &err), 0);
  mountdb_report_free (r);
  big.newer = 1;
  assert_int_equal (mountdb_write_dry_run (db, txn, NULL, &big.o, &r, &err),
                    MOUNTDB_E_INVAL);
  assert_non_null (strstr (err.message, "newer libmountdb"));
  assert_null (r);
  assert_int_equal (mountdb_write (db, txn, "/nonexistent/x.hive", &big.o, &r,
                                   &err), MOUNTDB_E_INVAL);

  /* Not set up by mountdb_write_opts_init. */
  mountdb_write_opts zero;
  memset (&zero, 0, sizeof zero);
  assert_int_equal (mountdb_write_dry_run (db, txn, NULL, &zero, &r, &err),
                    MOUNTDB_E_INVAL);
  assert_non_null (strstr (err.message, "mountdb_write_opts_init"));
  mountdb_txn_free (txn);
  mountdb_close (db);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_error_names),
    cmocka_unit_test (test_diag_names),
    cmocka_unit_test (test_flag_names),
    cmocka_unit_test (test_small_enums),
    cmocka_unit_test (test_reg_types),
    cmocka_unit_test (test_version),
    cmocka_unit_test (test_write_opts_size),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
