/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/names.c: the value-name grammar of section 2 (V3),
 * applied to the exact stored spelling (H8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"

#define G_LOWER "656b1715-ecf6-11df-92e6-806e6f6e6963"
#define G_UPPER "656B1715-ECF6-11DF-92E6-806E6F6E6963"
static const uint8_t g_bin[16] = {
  0x15, 0x17, 0x6b, 0x65, 0xf6, 0xec, 0xdf, 0x11,
  0x92, 0xe6, 0x80, 0x6e, 0x6f, 0x6e, 0x69, 0x63,
};

/* Classify units; the caller clears. */
static void
classify_units (const uint16_t *u, size_t n, md_name *nm)
{
  assert_int_equal (md_name_classify (u, n, nm), 0);
}

/* Classify an ASCII name (bytes >= 0x80 taken as Latin-1). */
static void
classify (const char *s, md_name *nm)
{
  size_t n = strlen (s);
  uint16_t *u = malloc ((n ? n : 1) * sizeof *u);
  assert_non_null (u);
  for (size_t i = 0; i < n; i++)
    u[i] = (uint8_t) s[i];
  classify_units (u, n, nm);
  free (u);
}

static void
expect (const char *s, int cls, int variant_of, unsigned flags, char letter)
{
  md_name nm;
  classify (s, &nm);
  assert_int_equal (nm.cls, cls);
  assert_int_equal (nm.variant_of, variant_of);
  assert_int_equal (nm.flags, flags);
  assert_int_equal (nm.letter, letter);
  if (cls != MOUNTDB_CLASS_MOUNT_POINT)
    assert_null (nm.mount_path);
  if (cls != MOUNTDB_CLASS_VOLUME_GUID && cls != MOUNTDB_CLASS_NO_LETTER)
    assert_int_equal (nm.has_guid, 0);
  md_name_clear (&nm);
}

static void
expect_other (const char *s, unsigned flags)
{
  expect (s, MOUNTDB_CLASS_OTHER, MOUNTDB_CLASS_OTHER, flags, 0);
}

static void
expect_variant (const char *s, int variant_of)
{
  expect (s, MOUNTDB_CLASS_OTHER, variant_of, MOUNTDB_NAME_CASE_VARIANT, 0);
}

/* ---- drive letters -------------------------------------------------------- */

static void
test_drive_letters (void **state)
{
  (void) state;
  expect ("\\DosDevices\\A:", MOUNTDB_CLASS_DRIVE_LETTER,
          MOUNTDB_CLASS_DRIVE_LETTER, 0, 'A');
  expect ("\\DosDevices\\C:", MOUNTDB_CLASS_DRIVE_LETTER,
          MOUNTDB_CLASS_DRIVE_LETTER, 0, 'C');
  expect ("\\DosDevices\\Z:", MOUNTDB_CLASS_DRIVE_LETTER,
          MOUNTDB_CLASS_DRIVE_LETTER, 0, 'Z');
}

/* V3/H8: a lower-case letter or prefix is no drive letter to Windows. */
static void
test_drive_letter_case_variants (void **state)
{
  (void) state;
  /* A lower-case letter is no drive letter (ReactOS IsDriveLetter)... */
  expect_variant ("\\DosDevices\\c:", MOUNTDB_CLASS_DRIVE_LETTER);
  expect_variant ("\\dosdevices\\c:", MOUNTDB_CLASS_DRIVE_LETTER);
  expect_variant ("\\DosDeviceS\\a:", MOUNTDB_CLASS_DRIVE_LETTER);
  /* ...but the prefix test ignores case: still a drive letter. */
  expect ("\\dosdevices\\C:", MOUNTDB_CLASS_DRIVE_LETTER,
          MOUNTDB_CLASS_DRIVE_LETTER, MOUNTDB_NAME_PREFIX_CASE, 'C');
  expect ("\\DOSDEVICES\\Z:", MOUNTDB_CLASS_DRIVE_LETTER,
          MOUNTDB_CLASS_DRIVE_LETTER, MOUNTDB_NAME_PREFIX_CASE, 'Z');
}

static void
test_drive_letter_not_letters (void **state)
{
  (void) state;
  /* Neighbours of A..Z and a..z in ASCII; digits. */
  expect_other ("\\DosDevices\\@:", 0);
  expect_other ("\\DosDevices\\[:", 0);
  expect_other ("\\DosDevices\\`:", 0);
  expect_other ("\\DosDevices\\{:", 0);
  expect_other ("\\DosDevices\\1:", 0);
  expect_other ("\\DosDevices\\C;", 0);
  expect_other ("\\DosDevices\\\xC9:", 0);  /* Latin-1 E acute */
}

/* 13, 14 and 15 units around the 14-unit drive letter form. */
static void
test_drive_letter_lengths (void **state)
{
  (void) state;
  expect_other ("\\DosDevices\\C", 0);
  expect_other ("\\DosDevices\\", 0);
  expect_other ("\\DosDevices\\C:x", 0);
  expect_other ("\\DosDevices\\ZZX:", 0);      /* hides a volume: section 2 */
  expect_other ("\\DosDevices\\CC:", 0);
  expect_other ("DosDevices\\C:", 0);
  expect_other ("\\DosDevices/C:", 0);
  expect_other ("\\??\\C:", 0);
  expect_other ("", 0);
}

static void
test_drive_letter_trailing_nul (void **state)
{
  (void) state;
  const uint16_t u[] = { '\\', 'D', 'o', 's', 'D', 'e', 'v', 'i', 'c', 'e',
                         's', '\\', 'C', ':', 0 };
  md_name nm;
  classify_units (u, 15, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_OTHER);
  assert_int_equal (nm.flags, MOUNTDB_NAME_CONTROL);
  md_name_clear (&nm);
  /* The same 14 units without the NUL. */
  classify_units (u, 14, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_DRIVE_LETTER);
  md_name_clear (&nm);
}

static void
test_unicode_case_not_folded (void **state)
{
  (void) state;
  /* Only ASCII case is folded: U+0131 (dotless i) and U+FF23 (fullwidth
   * C) make no case variant. */
  uint16_t u[14];
  const char *s = "\\DosDevices\\C:";
  for (size_t i = 0; i < 14; i++)
    u[i] = (uint8_t) s[i];
  md_name nm;
  u[7] = 0x0131;
  classify_units (u, 14, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_OTHER);
  assert_int_equal (nm.flags, 0);
  md_name_clear (&nm);
  u[7] = 'i';
  u[12] = 0xFF23;
  classify_units (u, 14, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_OTHER);
  assert_int_equal (nm.flags, 0);
  md_name_clear (&nm);
}

/* ---- volume GUID names ---------------------------------------------------- */

static void
test_volume_guid (void **state)
{
  (void) state;
  md_name nm;
  classify ("\\??\\Volume{" G_LOWER "}", &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_VOLUME_GUID);
  assert_int_equal (nm.variant_of, MOUNTDB_CLASS_VOLUME_GUID);
  assert_int_equal (nm.flags, 0);
  assert_int_equal (nm.letter, 0);
  assert_int_equal (nm.has_guid, 1);
  assert_memory_equal (nm.guid, g_bin, 16);
  assert_null (nm.mount_path);
  md_name_clear (&nm);
}

static void
test_volume_guid_upper_hex (void **state)
{
  (void) state;
  md_name nm;
  classify ("\\??\\Volume{" G_UPPER "}", &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_VOLUME_GUID);
  assert_int_equal (nm.flags, MOUNTDB_NAME_UPPER_HEX);
  assert_int_equal (nm.has_guid, 1);
  assert_memory_equal (nm.guid, g_bin, 16);
  md_name_clear (&nm);
}

/* V3/H8: prefix in the wrong case. */
static void
test_volume_guid_case_variants (void **state)
{
  (void) state;
  expect_variant ("\\??\\volume{" G_LOWER "}", MOUNTDB_CLASS_VOLUME_GUID);
  expect_variant ("\\??\\VOLUME{" G_LOWER "}", MOUNTDB_CLASS_VOLUME_GUID);
  expect_variant ("\\??\\vOLUME{" G_UPPER "}", MOUNTDB_CLASS_VOLUME_GUID);
}

/* V3: the frame is right but the GUID is not. */
static void
test_volume_guid_malformed (void **state)
{
  (void) state;
  const unsigned m = MOUNTDB_NAME_MALFORMED_GUID;
  expect_other ("\\??\\Volume{656b1715-ecf6-11df-92e6-806e6f6e696g}", m);
  expect_other ("\\??\\Volume{656b1715-ecf6-11df-92e6-806e6f6e69 3}", m);
  expect_other ("\\??\\Volume{656b1715e-cf6-11df-92e6-806e6f6e6963}", m);
  expect_other ("\\??\\Volume{656b1715-ecf6-11df-92e6806e6f6e6963-}", m);
  expect_other ("\\??\\Volume{656b1715-ecf6-11df-92e6-806e6f6e696}", m);
  expect_other ("\\??\\Volume{656b1715-ecf6-11df-92e6-806e6f6e69633}", m);
  expect_other ("\\??\\Volume{{" G_LOWER "}", m);
  expect_other ("\\??\\Volume{}", m);
  expect_other ("\\??\\Volume{1234}", m);
  /* Malformed and case-varied: reported as malformed. */
  expect_other ("\\??\\volume{xyz}", m);
}

static void
test_volume_guid_not_framed (void **state)
{
  (void) state;
  /* No closing brace, trailing characters, Win32 spellings. */
  expect_other ("\\??\\Volume{" G_LOWER, 0);
  expect_other ("\\??\\Volume{" G_LOWER "}\\", 0);
  expect_other ("\\??\\Volume{" G_LOWER "} ", 0);
  expect_other ("\\\\?\\Volume{" G_LOWER "}", 0);
  expect_other ("\\??\\Volume" G_LOWER "}", 0);
  expect_other ("\\??\\Volume(" G_LOWER ")", 0);
  expect_other ("\\??\\Volume{", 0);
  expect_other ("\\??\\Volume", 0);
  expect_other ("\\??\\Volum{" G_LOWER "}", 0);
}

static void
test_volume_guid_bad_utf16_inside (void **state)
{
  (void) state;
  uint16_t u[48];
  const char *s = "\\??\\Volume{" G_LOWER "}";
  for (size_t i = 0; i < 48; i++)
    u[i] = (uint8_t) s[i];
  u[20] = 0xD800;
  md_name nm;
  classify_units (u, 48, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_OTHER);
  assert_int_equal (nm.flags,
                    MOUNTDB_NAME_MALFORMED_GUID | MOUNTDB_NAME_BAD_UTF16);
  md_name_clear (&nm);
}

/* ---- no-letter markers ---------------------------------------------------- */

static void
test_no_letter_marker (void **state)
{
  (void) state;
  md_name nm;
  classify ("#{" G_LOWER "}", &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_NO_LETTER);
  assert_int_equal (nm.variant_of, MOUNTDB_CLASS_NO_LETTER);
  assert_int_equal (nm.flags, 0);
  assert_int_equal (nm.has_guid, 1);
  assert_memory_equal (nm.guid, g_bin, 16);
  md_name_clear (&nm);
  classify ("#{" G_UPPER "}", &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_NO_LETTER);
  assert_int_equal (nm.flags, MOUNTDB_NAME_UPPER_HEX);
  md_name_clear (&nm);
}

static void
test_no_letter_malformed (void **state)
{
  (void) state;
  const unsigned m = MOUNTDB_NAME_MALFORMED_GUID;
  expect_other ("#{656b1715-ecf6-11df-92e6-806e6f6e696z}", m);
  expect_other ("#{656b1715-ecf6-11df-92e6-806e6f6e696}", m);
  expect_other ("#{}", m);
  expect_other ("#{x}", m);
  expect_other ("#{" G_LOWER "}}", m);
}

static void
test_no_letter_not_framed (void **state)
{
  (void) state;
  expect_other ("#" G_LOWER, 0);
  expect_other ("{" G_LOWER "}", 0);
  expect_other ("#{" G_LOWER, 0);
  expect_other ("#{" G_LOWER "} ", 0);
  expect_other (" #{" G_LOWER "}", 0);
  expect_other ("#", 0);
  expect_other ("#{", 0);
}

/* ---- mount points --------------------------------------------------------- */

static void
test_mount_point (void **state)
{
  (void) state;
  md_name nm;
  classify ("\\DosDevices\\C:\\mnt", &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_MOUNT_POINT);
  assert_int_equal (nm.variant_of, MOUNTDB_CLASS_MOUNT_POINT);
  assert_int_equal (nm.flags, 0);
  assert_int_equal (nm.letter, 'C');
  assert_string_equal (nm.mount_path, "\\mnt");
  assert_int_equal (nm.has_guid, 0);
  md_name_clear (&nm);
  assert_null (nm.mount_path);

  classify ("\\DosDevices\\D:\\a b\\c", &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_MOUNT_POINT);
  assert_int_equal (nm.letter, 'D');
  assert_string_equal (nm.mount_path, "\\a b\\c");
  md_name_clear (&nm);

  /* One character of path: the shortest mount point (16 units). */
  classify ("\\DosDevices\\Z:\\x", &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_MOUNT_POINT);
  assert_string_equal (nm.mount_path, "\\x");
  md_name_clear (&nm);
}

static void
test_mount_point_empty_path (void **state)
{
  (void) state;
  expect_other ("\\DosDevices\\C:\\", 0);
}

static void
test_mount_point_case_variants (void **state)
{
  (void) state;
  expect_variant ("\\DosDevices\\c:\\mnt", MOUNTDB_CLASS_MOUNT_POINT);
  expect ("\\dosdevices\\C:\\mnt", MOUNTDB_CLASS_MOUNT_POINT,
          MOUNTDB_CLASS_MOUNT_POINT, MOUNTDB_NAME_PREFIX_CASE, 'C');
  /* The path's own case is free. */
  expect ("\\DosDevices\\C:\\MNT", MOUNTDB_CLASS_MOUNT_POINT,
          MOUNTDB_CLASS_MOUNT_POINT, 0, 'C');
}

static void
test_mount_point_unicode_path (void **state)
{
  (void) state;
  const char *s = "\\DosDevices\\E:\\";
  uint16_t u[20];
  for (size_t i = 0; i < 15; i++)
    u[i] = (uint8_t) s[i];
  u[15] = 0x00E9;               /* e acute */
  u[16] = 0;                    /* NUL: CONTROL, shown as U+FFFD */
  u[17] = 0xDC01;               /* lone low surrogate */
  u[18] = 0xD83D;               /* U+1F600 */
  u[19] = 0xDE00;
  md_name nm;
  classify_units (u, 20, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_MOUNT_POINT);
  assert_int_equal (nm.letter, 'E');
  assert_int_equal (nm.flags, MOUNTDB_NAME_CONTROL | MOUNTDB_NAME_BAD_UTF16);
  assert_string_equal (nm.mount_path,
                       "\\\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD\xF0\x9F\x98\x80");
  md_name_clear (&nm);
}

/* ---- text flags and long names ------------------------------------------- */

static void
test_other_with_text_flags (void **state)
{
  (void) state;
  const uint16_t u[] = { 'x', 0x1B, 0xDBFF, 0x85 };
  md_name nm;
  classify_units (u, 4, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_OTHER);
  assert_int_equal (nm.flags, MOUNTDB_NAME_CONTROL | MOUNTDB_NAME_BAD_UTF16);
  md_name_clear (&nm);
  /* Lone surrogates at the start and end of a name. */
  const uint16_t v[] = { 0xDC00, 'a', 0xD800 };
  classify_units (v, 3, &nm);
  assert_int_equal (nm.flags, MOUNTDB_NAME_BAD_UTF16);
  md_name_clear (&nm);
}

static void
test_empty_name (void **state)
{
  (void) state;
  md_name nm;
  classify_units (NULL, 0, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_OTHER);
  assert_int_equal (nm.variant_of, MOUNTDB_CLASS_OTHER);
  assert_int_equal (nm.flags, 0);
  md_name_clear (&nm);
}

/* The registry's longest value name: 16383 units. */
static void
test_longest_names (void **state)
{
  (void) state;
  enum { LEN = 16383 };
  uint16_t *u = malloc (LEN * sizeof *u);
  assert_non_null (u);
  md_name nm;

  const char *mp = "\\DosDevices\\Y:\\";
  for (size_t i = 0; i < LEN; i++)
    u[i] = i < 15 ? (uint8_t) mp[i] : 'a';
  classify_units (u, LEN, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_MOUNT_POINT);
  assert_int_equal (nm.letter, 'Y');
  assert_int_equal (strlen (nm.mount_path), LEN - 14);
  md_name_clear (&nm);

  const char *vol = "\\??\\Volume{";
  for (size_t i = 0; i < LEN; i++)
    u[i] = i < 11 ? (uint8_t) vol[i] : '0';
  u[LEN - 1] = '}';
  classify_units (u, LEN, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_OTHER);
  assert_int_equal (nm.flags, MOUNTDB_NAME_MALFORMED_GUID);
  md_name_clear (&nm);

  for (size_t i = 0; i < LEN; i++)
    u[i] = 0xD800;
  classify_units (u, LEN, &nm);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_OTHER);
  assert_int_equal (nm.flags, MOUNTDB_NAME_BAD_UTF16);
  md_name_clear (&nm);
  free (u);
}

static void
test_clear (void **state)
{
  (void) state;
  md_name nm;
  classify ("\\DosDevices\\C:\\mnt", &nm);
  md_name_clear (&nm);
  assert_null (nm.mount_path);
  assert_int_equal (nm.cls, MOUNTDB_CLASS_OTHER);
  assert_int_equal (nm.letter, 0);
  md_name_clear (&nm);          /* twice is harmless */
  md_name_clear (NULL);
}

static void
test_class_names (void **state)
{
  (void) state;
  assert_string_equal (mountdb_class_name (MOUNTDB_CLASS_DRIVE_LETTER),
                       "drive_letter");
  assert_string_equal (mountdb_class_name (MOUNTDB_CLASS_VOLUME_GUID),
                       "volume_guid");
  assert_string_equal (mountdb_class_name (MOUNTDB_CLASS_NO_LETTER),
                       "no_letter");
  assert_string_equal (mountdb_class_name (MOUNTDB_CLASS_MOUNT_POINT),
                       "mount_point");
  assert_string_equal (mountdb_class_name (MOUNTDB_CLASS_OTHER), "other");
  assert_null (mountdb_class_name (-1));
  assert_null (mountdb_class_name (MOUNTDB_CLASS_OTHER + 1));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_drive_letters),
    cmocka_unit_test (test_drive_letter_case_variants),
    cmocka_unit_test (test_drive_letter_not_letters),
    cmocka_unit_test (test_drive_letter_lengths),
    cmocka_unit_test (test_drive_letter_trailing_nul),
    cmocka_unit_test (test_unicode_case_not_folded),
    cmocka_unit_test (test_volume_guid),
    cmocka_unit_test (test_volume_guid_upper_hex),
    cmocka_unit_test (test_volume_guid_case_variants),
    cmocka_unit_test (test_volume_guid_malformed),
    cmocka_unit_test (test_volume_guid_not_framed),
    cmocka_unit_test (test_volume_guid_bad_utf16_inside),
    cmocka_unit_test (test_no_letter_marker),
    cmocka_unit_test (test_no_letter_malformed),
    cmocka_unit_test (test_no_letter_not_framed),
    cmocka_unit_test (test_mount_point),
    cmocka_unit_test (test_mount_point_empty_path),
    cmocka_unit_test (test_mount_point_case_variants),
    cmocka_unit_test (test_mount_point_unicode_path),
    cmocka_unit_test (test_other_with_text_flags),
    cmocka_unit_test (test_empty_name),
    cmocka_unit_test (test_longest_names),
    cmocka_unit_test (test_clear),
    cmocka_unit_test (test_class_names),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
