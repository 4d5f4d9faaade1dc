/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/utf16.c: UTF-16LE loading and UTF-16 -> UTF-8 with
 * the flags V3 reports (unpaired surrogates, control characters). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

/* Convert and compare with the expected UTF-8 and flags. */
static void
check (const uint16_t *u, size_t n, const char *want, unsigned want_flags)
{
  unsigned flags = 0;
  char *s = md_utf16_to_utf8 (u, n, &flags);
  assert_non_null (s);
  assert_string_equal (s, want);
  assert_int_equal (flags, want_flags);
  free (s);
}

static void
test_load_little_endian (void **state)
{
  (void) state;
  /* Odd start address: loading must not need alignment. */
  const uint8_t raw[] = { 0xEE, 'A', 0, 0x3D, 0xD8, 0x00, 0xDE, 0xAC, 0x20 };
  uint16_t u[4] = { 0 };
  md_utf16_load (raw + 1, 4, u);
  assert_int_equal (u[0], 0x0041);
  assert_int_equal (u[1], 0xD83D);
  assert_int_equal (u[2], 0xDE00);
  assert_int_equal (u[3], 0x20AC);
}

static void
test_load_zero_units (void **state)
{
  (void) state;
  uint16_t u[1] = { 0x1234 };
  md_utf16_load ((const uint8_t *) "", 0, u);
  assert_int_equal (u[0], 0x1234);      /* untouched */
}

static void
test_empty (void **state)
{
  (void) state;
  check (NULL, 0, "", 0);
}

static void
test_ascii (void **state)
{
  (void) state;
  const uint16_t u[] = { '\\', 'D', 'o', 's', ':' };
  check (u, N (u), "\\Dos:", 0);
}

static void
test_multibyte (void **state)
{
  (void) state;
  /* U+00E9 (2 bytes), U+20AC (3), U+FFFF (3, not flagged), U+1F600 (4). */
  const uint16_t u[] = { 0x00E9, 0x20AC, 0xFFFF, 0xD83D, 0xDE00 };
  check (u, N (u), "\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBF\xF0\x9F\x98\x80", 0);
}

static void
test_pair_boundaries (void **state)
{
  (void) state;
  /* U+10000 and U+10FFFF: the first and last supplementary code points. */
  const uint16_t u[] = { 0xD800, 0xDC00, 0xDBFF, 0xDFFF };
  check (u, N (u), "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 0);
}

/* V3: unpaired surrogates become U+FFFD and set BAD_UTF16. */
static void
test_lone_high_start (void **state)
{
  (void) state;
  const uint16_t u[] = { 0xD800, 'a' };
  check (u, N (u), "\xEF\xBF\xBD" "a", MOUNTDB_NAME_BAD_UTF16);
}

static void
test_lone_high_middle (void **state)
{
  (void) state;
  const uint16_t u[] = { 'a', 0xDBFF, 'b' };
  check (u, N (u), "a\xEF\xBF\xBD" "b", MOUNTDB_NAME_BAD_UTF16);
}

static void
test_lone_high_end (void **state)
{
  (void) state;
  const uint16_t u[] = { 'a', 'b', 0xD83D };
  check (u, N (u), "ab\xEF\xBF\xBD", MOUNTDB_NAME_BAD_UTF16);
}

static void
test_lone_low_start (void **state)
{
  (void) state;
  const uint16_t u[] = { 0xDC00, 'a' };
  check (u, N (u), "\xEF\xBF\xBD" "a", MOUNTDB_NAME_BAD_UTF16);
}

static void
test_lone_low_middle (void **state)
{
  (void) state;
  const uint16_t u[] = { 'a', 0xDE00, 'b' };
  check (u, N (u), "a\xEF\xBF\xBD" "b", MOUNTDB_NAME_BAD_UTF16);
}

static void
test_lone_low_end (void **state)
{
  (void) state;
  const uint16_t u[] = { 'a', 0xDFFF };
  check (u, N (u), "a\xEF\xBF\xBD", MOUNTDB_NAME_BAD_UTF16);
}

static void
test_reversed_pair (void **state)
{
  (void) state;
  /* Low then high: two unpaired surrogates, not one character. */
  const uint16_t u[] = { 0xDE00, 0xD83D };
  check (u, N (u), "\xEF\xBF\xBD\xEF\xBF\xBD", MOUNTDB_NAME_BAD_UTF16);
}

static void
test_high_high_low (void **state)
{
  (void) state;
  /* The first high is unpaired; the second pairs with the low. */
  const uint16_t u[] = { 0xD83D, 0xD83D, 0xDE00 };
  check (u, N (u), "\xEF\xBF\xBD\xF0\x9F\x98\x80", MOUNTDB_NAME_BAD_UTF16);
}

/* V3: C0, DEL and C1 are kept but flagged; U+0000 becomes U+FFFD. */
static void
test_nul_replaced (void **state)
{
  (void) state;
  const uint16_t u[] = { 'C', 0, ':' };
  check (u, N (u), "C\xEF\xBF\xBD:", MOUNTDB_NAME_CONTROL);
}

static void
test_c0_kept (void **state)
{
  (void) state;
  const uint16_t u[] = { 0x01, '\t', '\n', 0x1B, 0x1F };
  check (u, N (u), "\x01\t\n\x1B\x1F", MOUNTDB_NAME_CONTROL);
}

static void
test_del_kept (void **state)
{
  (void) state;
  const uint16_t u[] = { 'x', 0x7F };
  check (u, N (u), "x\x7F", MOUNTDB_NAME_CONTROL);
}

static void
test_c1_kept (void **state)
{
  (void) state;
  const uint16_t u[] = { 0x80, 0x85, 0x9B, 0x9F };
  check (u, N (u), "\xC2\x80\xC2\x85\xC2\x9B\xC2\x9F", MOUNTDB_NAME_CONTROL);
}

static void
test_control_boundaries (void **state)
{
  (void) state;
  /* Just outside the ranges: space, '~', NBSP. */
  const uint16_t u[] = { 0x20, 0x7E, 0xA0 };
  check (u, N (u), " ~\xC2\xA0", 0);
}

/* Each end of each control range, alone (so one cannot hide another). */
static void
test_control_each_boundary (void **state)
{
  (void) state;
  static const struct { uint16_t c; unsigned flags; } c[] = {
    { 0x01, MOUNTDB_NAME_CONTROL }, { 0x1F, MOUNTDB_NAME_CONTROL },
    { 0x20, 0 }, { 0x7E, 0 }, { 0x7F, MOUNTDB_NAME_CONTROL },
    { 0x80, MOUNTDB_NAME_CONTROL }, { 0x9F, MOUNTDB_NAME_CONTROL },
    { 0xA0, 0 }, { 0xD7FF, 0 }, { 0xD800, MOUNTDB_NAME_BAD_UTF16 },
    { 0xDFFF, MOUNTDB_NAME_BAD_UTF16 }, { 0xE000, 0 },
  };
  for (size_t i = 0; i < N (c); i++)
    {
      unsigned flags = 0;
      char *s = md_utf16_to_utf8 (&c[i].c, 1, &flags);
      assert_non_null (s);
      assert_int_equal (flags, c[i].flags);
      free (s);
    }
}

static void
test_both_flags (void **state)
{
  (void) state;
  const uint16_t u[] = { 0x07, 0xDC00 };
  check (u, N (u), "\x07\xEF\xBF\xBD",
         MOUNTDB_NAME_CONTROL | MOUNTDB_NAME_BAD_UTF16);
}

static void
test_flags_ored_not_reset (void **state)
{
  (void) state;
  const uint16_t u[] = { 'a' };
  unsigned flags = MOUNTDB_NAME_LATIN1;
  char *s = md_utf16_to_utf8 (u, 1, &flags);
  assert_non_null (s);
  assert_int_equal (flags, MOUNTDB_NAME_LATIN1);
  free (s);
}

static void
test_flags_null (void **state)
{
  (void) state;
  const uint16_t u[] = { 0xD800, 0 };
  char *s = md_utf16_to_utf8 (u, N (u), NULL);
  assert_non_null (s);
  assert_string_equal (s, "\xEF\xBF\xBD\xEF\xBF\xBD");
  free (s);
}

/* The registry's longest value name (16383 units), all 3-byte chars: the
 * output buffer bound (3 bytes per unit) is exact here. */
static void
test_longest_name (void **state)
{
  (void) state;
  enum { LEN = 16383 };
  uint16_t *u = malloc (LEN * sizeof *u);
  assert_non_null (u);
  for (size_t i = 0; i < LEN; i++)
    u[i] = 0x20AC;
  char *s = md_utf16_to_utf8 (u, LEN, NULL);
  assert_non_null (s);
  assert_int_equal (strlen (s), 3 * LEN);
  assert_memory_equal (s + 3 * (LEN - 1), "\xE2\x82\xAC", 3);
  free (s);
  free (u);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_load_little_endian),
    cmocka_unit_test (test_load_zero_units),
    cmocka_unit_test (test_empty),
    cmocka_unit_test (test_ascii),
    cmocka_unit_test (test_multibyte),
    cmocka_unit_test (test_pair_boundaries),
    cmocka_unit_test (test_lone_high_start),
    cmocka_unit_test (test_lone_high_middle),
    cmocka_unit_test (test_lone_high_end),
    cmocka_unit_test (test_lone_low_start),
    cmocka_unit_test (test_lone_low_middle),
    cmocka_unit_test (test_lone_low_end),
    cmocka_unit_test (test_reversed_pair),
    cmocka_unit_test (test_high_high_low),
    cmocka_unit_test (test_nul_replaced),
    cmocka_unit_test (test_c0_kept),
    cmocka_unit_test (test_del_kept),
    cmocka_unit_test (test_c1_kept),
    cmocka_unit_test (test_control_boundaries),
    cmocka_unit_test (test_control_each_boundary),
    cmocka_unit_test (test_both_flags),
    cmocka_unit_test (test_flags_ored_not_reset),
    cmocka_unit_test (test_flags_null),
    cmocka_unit_test (test_longest_name),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
