/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/common: the string builder, the UTF-8 codec, the
 * display policy, the ASCII fold, full I/O and ISO 8601 <-> FILETIME
 * shared by lib/ and bin/. */
#include <config.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/display.h"
#include "common/fold.h"
#include "common/fullio.h"
#include "common/sbuf.h"
#include "common/timefmt.h"
#include "common/utf8.h"

/* ---- string builder ------------------------------------------------------ */

static void
test_sb_empty (void **state)
{
  (void) state;
  struct md_sbuf b;
  md_sb_init (&b);
  assert_string_equal (md_sb_str (&b), "");
  char *s = md_sb_take (&b);
  assert_non_null (s);
  assert_string_equal (s, "");
  free (s);
}

static void
test_sb_growth (void **state)
{
  (void) state;
  struct md_sbuf b;
  md_sb_init (&b);
  /* Past the first capacity many times, with every kind of append. */
  for (int i = 0; i < 1000; i++) {
    md_sb_putc (&b, 'a');
    md_sb_puts (&b, "bc");
    md_sb_putn (&b, "dexx", 2);
    md_sb_printf (&b, "%03d", i);
  }
  assert_int_equal (b.err, 0);
  assert_int_equal (b.len, 8000);
  assert_true (b.cap > b.len);
  assert_int_equal (strlen (md_sb_str (&b)), 8000);
  assert_memory_equal (md_sb_str (&b), "abcde000abcde001", 16);
  assert_memory_equal (md_sb_str (&b) + 7992, "abcde999", 8);
  md_sb_reset (&b);
  assert_string_equal (md_sb_str (&b), "");
  md_sb_free (&b);
}

static void
test_sb_printf_long (void **state)
{
  (void) state;
  struct md_sbuf b;
  md_sb_init (&b);
  char big[5000];
  memset (big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  md_sb_printf (&b, "<%s>", big); /* longer than any room there is */
  assert_int_equal (b.len, sizeof big + 1);
  assert_int_equal (md_sb_str (&b)[0], '<');
  assert_int_equal (md_sb_str (&b)[b.len - 1], '>');
  md_sb_free (&b);
}

static void
test_sb_hex (void **state)
{
  (void) state;
  struct md_sbuf b;
  md_sb_init (&b);
  const uint8_t d[] = { 0x00, 0x7f, 0xab, 0xff };
  md_sb_hex (&b, d, sizeof d);
  assert_string_equal (md_sb_str (&b), "007fabff");
  md_sb_free (&b);
}

/* An impossible size sets the sticky flag: nothing is added afterwards,
 * the contents read as "" and taking them gives NULL. */
static void
test_sb_oom_sticky (void **state)
{
  (void) state;
  struct md_sbuf b;
  md_sb_init (&b);
  md_sb_puts (&b, "kept?");
  assert_int_equal (md_sb_grow (&b, SIZE_MAX - 2), -1);
  assert_int_equal (b.err, 1);
  md_sb_puts (&b, "more");
  md_sb_printf (&b, "%d", 42);
  md_sb_putc (&b, 'x');
  assert_int_equal (b.len, 5);
  assert_string_equal (md_sb_str (&b), "");
  assert_int_equal (md_sb_write (&b, stdout), -1);
  assert_null (md_sb_take (&b));
  assert_null (b.p);
}

static void
test_sb_hex_overflow (void **state)
{
  (void) state;
  struct md_sbuf b;
  md_sb_init (&b);
  static const uint8_t d[1];
  md_sb_hex (&b, d, SIZE_MAX / 2 + 1);
  assert_int_equal (b.err, 1);
  md_sb_free (&b);
}

/* ---- UTF-8 --------------------------------------------------------------- */

/* The code points of s, as md_utf8_next reads them. */
static size_t
decode (const char *s, uint32_t *out, size_t max)
{
  const unsigned char *p = (const unsigned char *) s;
  size_t n = 0;
  while (*p && n < max) {
    size_t len;
    out[n++] = md_utf8_next (p, &len);
    assert_true (len >= 1 && len <= 4);
    p += len;
  }
  return n;
}

static void
test_utf8_valid (void **state)
{
  (void) state;
  uint32_t cp[8];
  assert_int_equal (decode ("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", cp, 8), 4);
  assert_int_equal (cp[0], 'a');
  assert_int_equal (cp[1], 0xE9);
  assert_int_equal (cp[2], 0x20AC);
  assert_int_equal (cp[3], 0x1F600);
  assert_int_equal (decode ("\xF4\x8F\xBF\xBF", cp, 8), 1);
  assert_int_equal (cp[0], 0x10FFFF);
}

static void
test_utf8_invalid (void **state)
{
  (void) state;
  uint32_t cp[8];
  /* A stray continuation byte, an invalid lead byte. */
  assert_int_equal (decode ("\x80" "a\xFF", cp, 8), 3);
  assert_int_equal (cp[0], 0xFFFD);
  assert_int_equal (cp[1], 'a');
  assert_int_equal (cp[2], 0xFFFD);
  /* Truncated at the end (the NUL stops it), then inside the string. */
  assert_int_equal (decode ("\xE2\x82", cp, 8), 2);
  assert_int_equal (cp[0], 0xFFFD);
  assert_int_equal (cp[1], 0xFFFD);
  assert_int_equal (decode ("\xE2" "b", cp, 8), 2);
  assert_int_equal (cp[0], 0xFFFD);
  assert_int_equal (cp[1], 'b');
  /* Above U+10FFFF. */
  assert_int_equal (decode ("\xF4\x90\x80\x80", cp, 8), 4);
  assert_int_equal (cp[0], 0xFFFD);
}

static void
test_utf8_overlong (void **state)
{
  (void) state;
  uint32_t cp[8];
  assert_int_equal (decode ("\xC0\xAF", cp, 8), 2);   /* '/' in 2 bytes */
  assert_int_equal (cp[0], 0xFFFD);
  assert_int_equal (decode ("\xE0\x80\xAF", cp, 8), 3);
  assert_int_equal (cp[0], 0xFFFD);
  assert_int_equal (decode ("\xF0\x80\x80\xAF", cp, 8), 4);
  assert_int_equal (cp[0], 0xFFFD);
}

static void
test_utf8_surrogates (void **state)
{
  (void) state;
  uint32_t cp[8];
  /* U+D800 and U+DFFF encoded: invalid in UTF-8. */
  assert_int_equal (decode ("\xED\xA0\x80", cp, 8), 3);
  assert_int_equal (cp[0], 0xFFFD);
  assert_int_equal (decode ("\xED\xBF\xBF", cp, 8), 3);
  assert_int_equal (cp[0], 0xFFFD);
  /* U+D7FF is fine. */
  assert_int_equal (decode ("\xED\x9F\xBF", cp, 8), 1);
  assert_int_equal (cp[0], 0xD7FF);
  /* And never written. */
  char u[4];
  assert_int_equal (md_utf8_put (u, 0xD800), 3);
  assert_memory_equal (u, "\xEF\xBF\xBD", 3);
  assert_int_equal (md_utf8_put (u, 0x110000), 3);
  assert_memory_equal (u, "\xEF\xBF\xBD", 3);
}

static void
test_utf8_round_trip (void **state)
{
  (void) state;
  const uint32_t cps[] = { 0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000,
                           0xFFFF, 0x10000, 0x10FFFF };
  for (size_t i = 1; i < sizeof cps / sizeof cps[0]; i++) {
    struct md_sbuf b;
    md_sb_init (&b);
    md_sb_utf8 (&b, cps[i]);
    size_t len;
    assert_int_equal (md_utf8_next ((const unsigned char *) md_sb_str (&b),
                                    &len), cps[i]);
    assert_int_equal (len, b.len);
    md_sb_free (&b);
  }
}

/* ---- display policy ------------------------------------------------------ */

static void
test_display_controls (void **state)
{
  (void) state;
  assert_true (md_display_unsafe (0x00));
  assert_true (md_display_unsafe (0x1B));
  assert_true (md_display_unsafe (0x7F));
  assert_true (md_display_unsafe (0x85));
  assert_true (md_display_unsafe (0x9F));
  assert_false (md_display_unsafe (' '));
  assert_false (md_display_unsafe ('~'));
  assert_false (md_display_unsafe (0xA0));
}

/* The one width table: combining marks 0, CJK and fullwidth 2, others 1. */
static void
test_display_width (void **state)
{
  (void) state;
  assert_int_equal (md_cp_width ('A'), 1);
  assert_int_equal (md_cp_width (0xE9), 1);
  assert_int_equal (md_cp_width (0x0301), 0);     /* combining acute */
  assert_int_equal (md_cp_width (0x4E2D), 2);     /* CJK */
  assert_int_equal (md_cp_width (0xFF21), 2);     /* fullwidth A */
  assert_int_equal (md_cp_width (0x1F600), 2);    /* emoji */
  assert_int_equal (md_cp_width (0xFF61), 1);     /* halfwidth, after */
}

static void
test_display_invisible (void **state)
{
  (void) state;
  /* Bidi overrides and isolates, marks. */
  assert_true (md_display_unsafe (0x202E));
  assert_true (md_display_unsafe (0x2066));
  assert_true (md_display_unsafe (0x200F));
  assert_true (md_display_unsafe (0x061C));
  /* Zero-width and other invisible characters: the library's summaries
   * used to let these through (issue 12 item 3). */
  assert_true (md_display_unsafe (0x200B));
  assert_true (md_display_unsafe (0x200D));
  assert_true (md_display_unsafe (0x2060));
  assert_true (md_display_unsafe (0xFEFF));
  assert_true (md_display_unsafe (0x00AD));
  assert_true (md_display_unsafe (0xE0041)); /* tag A */
  /* Separators, noncharacters, lone surrogates. */
  assert_true (md_display_unsafe (0x2028));
  assert_true (md_display_unsafe (0xFDD0));
  assert_true (md_display_unsafe (0xFFFE));
  assert_true (md_display_unsafe (0x10FFFF));
  assert_true (md_display_unsafe (0xD800));
  /* Ordinary letters, symbols and U+FFFD itself. */
  assert_false (md_display_unsafe (0xE9));
  assert_false (md_display_unsafe (0x4E2D));
  assert_false (md_display_unsafe (0x1F600));
  assert_false (md_display_unsafe (0xFFFD));
  assert_false (md_display_unsafe (0x2010));
}

static void
test_display_ranges (void **state)
{
  (void) state;
  static const uint32_t r[][2] = { { 0x10, 0x20 }, { 0x40, 0x40 } };
  assert_true (md_cp_in_ranges (0x10, r, 2));
  assert_true (md_cp_in_ranges (0x20, r, 2));
  assert_true (md_cp_in_ranges (0x40, r, 2));
  assert_false (md_cp_in_ranges (0x0f, r, 2));
  assert_false (md_cp_in_ranges (0x21, r, 2));
  assert_false (md_cp_in_ranges (0x41, r, 2));
  assert_false (md_cp_in_ranges (0x10, r, 0));
}

/* ---- ASCII fold ---------------------------------------------------------- */

static void
test_fold_bytes (void **state)
{
  (void) state;
  assert_true (md_ascii_eq ("MiB", 1, 3, "mib", MD_EQ_FOLD));
  assert_false (md_ascii_eq ("MiB", 1, 3, "mib", 0));
  assert_true (md_ascii_eq ("GPT:abc", 1, 7, "gpt:", MD_EQ_FOLD | MD_EQ_PREFIX));
  assert_false (md_ascii_eq ("GPT:abc", 1, 7, "gpt:", MD_EQ_FOLD));
  assert_false (md_ascii_eq ("gp", 1, 2, "gpt", MD_EQ_FOLD | MD_EQ_PREFIX));
  /* The typed form the spec parser calls. */
  assert_true (md_text_eq ("KiB", 3, "kib", MD_EQ_FOLD));
  assert_false (md_text_eq ("KiBs", 4, "kib", MD_EQ_FOLD));
  assert_true (md_text_eq ("HEX:00", 6, "hex:", MD_EQ_FOLD | MD_EQ_PREFIX));
  /* ASCII only: '@' and '[' sit next to the capitals. */
  assert_false (md_ascii_eq ("@", 1, 1, "`", MD_EQ_FOLD));
  assert_false (md_ascii_eq ("[", 1, 1, "{", MD_EQ_FOLD));
  assert_int_equal (md_ascii_casecmp ("USBSTOR", "usbstor"), 0);
  assert_true (md_ascii_casecmp ("FDC", "fdd") < 0);
  assert_true (md_ascii_casecmp ("b", "A") > 0);
  assert_true (md_ascii_casecmp ("ab", "a") > 0);
  assert_true (md_ascii_casecmp ("\xC9", "\xE9") != 0); /* not Latin-1 */
}

static void
test_fold_units (void **state)
{
  (void) state;
  const uint16_t u[] = { '\\', 'D', 'o', 'S', 0x0130 };
  assert_true (md_ascii_eq (u, 2, 4, "\\dos", MD_EQ_FOLD));
  assert_false (md_ascii_eq (u, 2, 4, "\\dos", 0));
  assert_false (md_ascii_eq (u, 2, 5, "\\dosi", MD_EQ_FOLD));
  /* The typed form names, specs and device paths call. */
  assert_true (md_units_eq (u, 5, "\\dos", MD_EQ_FOLD | MD_EQ_PREFIX));
  assert_false (md_units_eq (u, 5, "\\dos", MD_EQ_FOLD));
  assert_false (md_units_eq (u, 4, "\\DOS", 0));
  /* A unit above 0xFF never equals the byte it truncates to. */
  const uint16_t w[] = { 0x0141 };      /* 0x41 is 'A' */
  assert_false (md_ascii_eq (w, 2, 1, "a", MD_EQ_FOLD));
  /* The registry's own fold (V6) also folds Latin-1. */
  const uint16_t a[] = { 'a', 0xE9 }, b[] = { 'A', 0xC9 };
  assert_int_equal (md_cmp_fold (a, 2, b, 2), 0);
  assert_true (md_cmp_fold (a, 1, b, 2) < 0);
}

/* ---- full I/O ------------------------------------------------------------ */

#define PIPE_BYTES (256 * 1024) /* more than a pipe holds: short writes */

/* A child that writes `total` bytes of a pattern in small pieces with
 * pauses (the reader sees short reads), or reads them the same way and
 * exits 0 when they were right. */
static pid_t
slow_peer (int fd, int writing, size_t total)
{
  pid_t pid = fork ();
  assert_true (pid >= 0);
  if (pid > 0)
    return pid;
  uint8_t buf[1000];
  size_t done = 0;
  int ok = 1;
  while (done < total) {
    size_t k = total - done < sizeof buf ? total - done : sizeof buf;
    ssize_t r;
    if (writing) {
      for (size_t i = 0; i < k; i++)
        buf[i] = (uint8_t) (done + i);
      r = write (fd, buf, k);
    } else {
      r = read (fd, buf, k);
      for (ssize_t i = 0; i < r; i++)
        ok &= buf[i] == (uint8_t) (done + (size_t) i);
    }
    if (r <= 0)
      _exit (2);
    done += (size_t) r;
    if (done % 16000 < 1000)
      usleep (1000);
  }
  _exit (ok ? 0 : 1);
}

static void
test_read_full_pipe (void **state)
{
  (void) state;
  int p[2];
  assert_int_equal (pipe (p), 0);
  pid_t pid = slow_peer (p[1], 1, 50000);
  close (p[1]);
  uint8_t *buf = malloc (60000);
  assert_non_null (buf);
  /* Everything, although it comes in pieces. */
  assert_int_equal (md_read_full (p[0], buf, 40000, -1), 40000);
  for (size_t i = 0; i < 40000; i++)
    assert_int_equal (buf[i], (uint8_t) i);
  /* Short only at the end of the input. */
  assert_int_equal (md_read_full (p[0], buf, 20000, -1), 10000);
  assert_int_equal (buf[0], (uint8_t) 40000);
  assert_int_equal (md_read_full (p[0], buf, 10, -1), 0);
  int st;
  assert_int_equal (waitpid (pid, &st, 0), pid);
  assert_true (WIFEXITED (st) && WEXITSTATUS (st) == 0);
  close (p[0]);
  free (buf);
}

static void
test_read_exact_short (void **state)
{
  (void) state;
  int p[2];
  assert_int_equal (pipe (p), 0);
  pid_t pid = slow_peer (p[1], 1, 3000);
  close (p[1]);
  uint8_t buf[4000];
  errno = 0;
  assert_int_equal (md_read_exact (p[0], buf, sizeof buf, -1), -1);
  assert_int_equal (errno, EIO);
  waitpid (pid, NULL, 0);
  close (p[0]);
}

static void
test_write_full_pipe (void **state)
{
  (void) state;
  int p[2];
  assert_int_equal (pipe (p), 0);
  pid_t pid = slow_peer (p[0], 0, PIPE_BYTES);
  close (p[0]);
  uint8_t *buf = malloc (PIPE_BYTES);
  assert_non_null (buf);
  for (size_t i = 0; i < PIPE_BYTES; i++)
    buf[i] = (uint8_t) i;
  assert_int_equal (md_write_full (p[1], buf, PIPE_BYTES, -1), 0);
  close (p[1]);
  int st;
  assert_int_equal (waitpid (pid, &st, 0), pid);
  assert_true (WIFEXITED (st) && WEXITSTATUS (st) == 0);
  free (buf);
}

static void
test_full_at_offset (void **state)
{
  (void) state;
  FILE *f = tmpfile ();
  assert_non_null (f);
  int fd = fileno (f);
  assert_int_equal (md_write_full (fd, "hello", 5, 10), 0);
  char buf[16];
  assert_int_equal (md_read_full (fd, buf, sizeof buf, 10), 5);
  assert_memory_equal (buf, "hello", 5);
  assert_int_equal (md_read_exact (fd, buf, 5, 10), 0);
  assert_int_equal (md_read_exact (fd, buf, 6, 10), -1);
  /* A file position is left alone. */
  assert_int_equal (lseek (fd, 0, SEEK_CUR), 0);
  assert_int_equal (md_write_full (-1, "x", 1, -1), -1);
  assert_int_equal (errno, EBADF);
  fclose (f);
}

/* ---- ISO 8601 <-> FILETIME ---------------------------------------------- */

static void
test_time_round_trip (void **state)
{
  (void) state;
  static const char *const iso[] = {
    "1601-01-01T00:00:01Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z",
    "2024-01-31T12:00:00Z", "9999-12-31T23:59:59Z",
  };
  for (size_t i = 0; i < sizeof iso / sizeof iso[0]; i++) {
    uint64_t ft = 0;
    char buf[40];
    assert_int_equal (md_iso_to_filetime (iso[i], &ft), 0);
    assert_int_equal (md_filetime_to_iso (ft, buf), 0);
    assert_string_equal (buf, iso[i]);
  }
  uint64_t ft = 0;
  assert_int_equal (md_iso_to_filetime ("1970-01-01T00:00:00", &ft), 0);
  assert_true (ft == MD_FILETIME_UNIX_EPOCH);
  char buf[40];
  assert_int_equal (md_filetime_to_iso (MD_FILETIME_UNIX_EPOCH + 5, buf), 0);
  assert_string_equal (buf, "1970-01-01T00:00:00.0000005Z");
}

static void
test_time_invalid (void **state)
{
  (void) state;
  static const char *const bad[] = {
    "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
    "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z",
    "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z",
    "1600-12-31T23:59:59Z", "2024-01-01T00:00:00+01", "2024-01-01",
    "now", "",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    uint64_t ft = 7;
    assert_int_equal (md_iso_to_filetime (bad[i], &ft), -1);
    assert_true (ft == 7);
  }
  char buf[40] = "x";
  assert_int_equal (md_filetime_to_iso (0, buf), -1);
  assert_string_equal (buf, "");
  assert_int_equal (md_filetime_to_iso (UINT64_MAX, buf), -1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sb_empty),
    cmocka_unit_test (test_sb_growth),
    cmocka_unit_test (test_sb_printf_long),
    cmocka_unit_test (test_sb_hex),
    cmocka_unit_test (test_sb_oom_sticky),
    cmocka_unit_test (test_sb_hex_overflow),
    cmocka_unit_test (test_utf8_valid),
    cmocka_unit_test (test_utf8_invalid),
    cmocka_unit_test (test_utf8_overlong),
    cmocka_unit_test (test_utf8_surrogates),
    cmocka_unit_test (test_utf8_round_trip),
    cmocka_unit_test (test_display_controls),
    cmocka_unit_test (test_display_width),
    cmocka_unit_test (test_display_invisible),
    cmocka_unit_test (test_display_ranges),
    cmocka_unit_test (test_fold_bytes),
    cmocka_unit_test (test_fold_units),
    cmocka_unit_test (test_read_full_pipe),
    cmocka_unit_test (test_read_exact_short),
    cmocka_unit_test (test_write_full_pipe),
    cmocka_unit_test (test_full_at_offset),
    cmocka_unit_test (test_time_round_trip),
    cmocka_unit_test (test_time_invalid),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
