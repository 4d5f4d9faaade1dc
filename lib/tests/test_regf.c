/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Base block parser, Windows' checksum rule, vk cells, FILETIME format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "decode.h"

static void
put32 (uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t) v;
  p[1] = (uint8_t) (v >> 8);
  p[2] = (uint8_t) (v >> 16);
  p[3] = (uint8_t) (v >> 24);
}

static uint32_t
raw_xor (const uint8_t *b)
{
  uint32_t x = 0;
  for (int i = 0; i < 508; i += 4)
    x ^= (uint32_t) b[i] | (uint32_t) b[i + 1] << 8
         | (uint32_t) b[i + 2] << 16 | (uint32_t) b[i + 3] << 24;
  return x;
}

static void
make_base (uint8_t b[4096], uint32_t seq1, uint32_t seq2)
{
  memset (b, 0, 4096);
  memcpy (b, "regf", 4);
  put32 (b + 4, seq1);
  put32 (b + 8, seq2);
  put32 (b + 12, 0x9d2f7e80);     /* FILETIME low */
  put32 (b + 16, 0x01cc3b4c);     /* FILETIME high */
  put32 (b + 20, 1);
  put32 (b + 24, 5);
  put32 (b + 32, 1);
  put32 (b + 36, 0x20);
  put32 (b + 40, 8192);
  put32 (b + 44, 1);
  const char *name = "SYSTEM";
  for (size_t i = 0; name[i]; i++)
    b[48 + 2 * i] = (uint8_t) name[i];
  put32 (b + 508, mountdb_header_checksum (b));
}

static void
clean_header (void **state)
{
  (void) state;
  uint8_t b[4096];
  make_base (b, 42, 42);
  mountdb_header h;
  assert_int_equal (mountdb_header_parse (b, sizeof b, &h), 0);
  assert_true (h.signature_ok);
  assert_int_equal (h.seq1, 42);
  assert_int_equal (h.seq2, 42);
  assert_int_equal (h.major, 1);
  assert_int_equal (h.minor, 5);
  assert_int_equal (h.file_type, 0);
  assert_int_equal (h.file_format, 1);
  assert_int_equal (h.root_offset, 0x20);
  assert_int_equal (h.hbins_size, 8192);
  assert_int_equal (h.clustering, 1);
  assert_true (h.checksum_ok);
  assert_false (h.dirty);
  assert_string_equal (h.embedded_name, "SYSTEM");
  assert_int_equal (h.last_written, 0x01cc3b4c9d2f7e80ULL);
}

/* L rules: dirty when the sequence numbers differ or the checksum is bad. */
static void
dirty_by_sequence (void **state)
{
  (void) state;
  uint8_t b[4096];
  make_base (b, 1622, 1621);
  mountdb_header h;
  assert_int_equal (mountdb_header_parse (b, sizeof b, &h), 0);
  assert_true (h.checksum_ok);
  assert_true (h.dirty);
}

static void
dirty_by_checksum (void **state)
{
  (void) state;
  uint8_t b[4096];
  make_base (b, 3, 3);
  b[508] ^= 0x55;
  mountdb_header h;
  assert_int_equal (mountdb_header_parse (b, sizeof b, &h), 0);
  assert_false (h.checksum_ok);
  assert_true (h.dirty);
}

/* H6: Windows maps a XOR of 0 to 1 and 0xFFFFFFFF to 0xFFFFFFFE. */
static void
checksum_rule_zero (void **state)
{
  (void) state;
  uint8_t b[512];
  memset (b, 0, sizeof b);
  assert_int_equal (raw_xor (b), 0);
  assert_int_equal (mountdb_header_checksum (b), 1);
}

static void
checksum_rule_ones (void **state)
{
  (void) state;
  uint8_t b[512];
  memset (b, 0, sizeof b);
  put32 (b + 100, 0xFFFFFFFFu);
  assert_int_equal (raw_xor (b), 0xFFFFFFFFu);
  assert_int_equal (mountdb_header_checksum (b), 0xFFFFFFFEu);
}

static void
checksum_plain (void **state)
{
  (void) state;
  uint8_t b[512];
  memset (b, 0, sizeof b);
  put32 (b + 0, 0x12345678);
  put32 (b + 504, 0x00FF00FF);
  assert_int_equal (mountdb_header_checksum (b), 0x12345678u ^ 0x00FF00FFu);
}

static void
bad_signature (void **state)
{
  (void) state;
  uint8_t b[4096];
  make_base (b, 1, 1);
  memcpy (b, "regg", 4);
  mountdb_header h;
  assert_int_equal (mountdb_header_parse (b, sizeof b, &h), MOUNTDB_E_FORMAT);
  assert_false (h.signature_ok);
  assert_int_equal (h.seq1, 1); /* readable fields are still filled */
}

static void
too_short (void **state)
{
  (void) state;
  uint8_t b[511] = { 'r', 'e', 'g', 'f' };
  mountdb_header h;
  assert_int_equal (mountdb_header_parse (b, sizeof b, &h), MOUNTDB_E_FORMAT);
  assert_int_equal (mountdb_header_parse (NULL, 4096, &h), MOUNTDB_E_FORMAT);
}

/* A full 64-byte name field with no terminator, and control characters. */
static void
embedded_name_edges (void **state)
{
  (void) state;
  uint8_t b[4096];
  make_base (b, 1, 1);
  for (int i = 0; i < 32; i++) {
    b[48 + 2 * i] = 'A' + (uint8_t) (i % 26);
    b[49 + 2 * i] = 0;
  }
  b[48] = 0x1b; /* ESC: kept, outputs escape it */
  mountdb_header h;
  mountdb_header_parse (b, sizeof b, &h);
  assert_int_equal (strlen (h.embedded_name), 32);
  assert_int_equal ((unsigned char) h.embedded_name[0], 0x1b);
}

static void
vk_cell (void **state)
{
  (void) state;
  uint8_t c[32] = { 0xe0, 0xff, 0xff, 0xff, 'v', 'k', 4, 0,
                    12, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0,
                    'a', 'b', 'c', 'd' };
  md_vk vk;
  assert_int_equal (md_regf_vk_parse (c, 28, &vk), 0);
  assert_int_equal (vk.name_len, 4);
  assert_int_equal (vk.type, 3);
  assert_int_equal (vk.data_len, 12);
  assert_int_equal (vk.flags, 1);
  assert_memory_equal (vk.name, "abcd", 4);
  /* The name must fit in what is available. */
  assert_int_equal (md_regf_vk_parse (c, 27, &vk), -2);
  assert_int_equal (vk.name_fit, 3);
  assert_int_equal (md_regf_vk_parse (c, 23, &vk), -1);
  /* ... and in its cell, whatever the file holds after it (issue 10). */
  c[0] = 0xe4; /* -28: the cell holds 4 name bytes */
  assert_int_equal (md_regf_vk_parse (c, 32, &vk), 0);
  c[6] = 6;
  assert_int_equal (md_regf_vk_parse (c, 32, &vk), -2);
  assert_int_equal (vk.name_fit, 4);
  c[6] = 4;
  c[0] = 0xe0;
  c[5] = 'x';
  assert_int_equal (md_regf_vk_parse (c, 28, &vk), -1);
}

static void
filetime_format (void **state)
{
  (void) state;
  char buf[40];
  /* 2011-07-05T19:33:28Z, the Windows 7 hive's key LastWrite. */
  uint64_t ft = (1309894408ULL * 10000000ULL) + MD_FILETIME_UNIX_EPOCH;
  assert_int_equal (mountdb_filetime_format (ft, buf), 0);
  assert_string_equal (buf, "2011-07-05T19:33:28Z");
  assert_int_equal (mountdb_filetime_format (ft + 1234567, buf), 0);
  assert_string_equal (buf, "2011-07-05T19:33:28.1234567Z");
  assert_int_equal (mountdb_filetime_format (1, buf), 0);
  assert_string_equal (buf, "1601-01-01T00:00:00.0000001Z");
  assert_int_equal (mountdb_filetime_format (0, buf), -1);
  assert_string_equal (buf, "");
  assert_int_equal (mountdb_filetime_format (UINT64_MAX, buf), -1);
  assert_string_equal (buf, "");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (clean_header),
    cmocka_unit_test (dirty_by_sequence),
    cmocka_unit_test (dirty_by_checksum),
    cmocka_unit_test (checksum_rule_zero),
    cmocka_unit_test (checksum_rule_ones),
    cmocka_unit_test (checksum_plain),
    cmocka_unit_test (bad_signature),
    cmocka_unit_test (too_short),
    cmocka_unit_test (embedded_name_edges),
    cmocka_unit_test (vk_cell),
    cmocka_unit_test (filetime_format),
  };
  return cmocka_run_group_tests_name ("regf", tests, NULL, NULL);
}
