/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/guid.c: GUID text <-> Windows binary layout, and the
 * forensic reading of version-1 volume GUIDs (section 3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"

/* ASCII text -> UTF-16 units (tests only use ASCII here). */
static size_t
units (const char *s, uint16_t *u)
{
  size_t n = strlen (s);
  for (size_t i = 0; i < n; i++)
    u[i] = (uint8_t) s[i];
  return n;
}

static int
parse (const char *s, uint8_t out[16], int *upper)
{
  uint16_t u[64];
  size_t n = units (s, u);
  return md_guid_parse16 (u, n, out, upper);
}

static void
from_text (const char *s, uint8_t g[16])
{
  assert_int_equal (parse (s, g, NULL), 0);
}

/* A real Windows 7 volume GUID (win7-x86-usb.SYSTEM, installed Nov 2010). */
#define WIN7_GUID "656b1715-ecf6-11df-92e6-806e6f6e6963"
static const uint8_t win7_bin[16] = {
  0x15, 0x17, 0x6b, 0x65, 0xf6, 0xec, 0xdf, 0x11,
  0x92, 0xe6, 0x80, 0x6e, 0x6f, 0x6e, 0x69, 0x63,
};

/* ---- md_guid_parse16 ----------------------------------------------------- */

static void
test_parse_layout (void **state)
{
  (void) state;
  uint8_t g[16];
  int upper = -1;
  assert_int_equal (parse (WIN7_GUID, g, &upper), 0);
  /* Data1 LE32, Data2 LE16, Data3 LE16, Data4 raw. */
  assert_memory_equal (g, win7_bin, 16);
  assert_int_equal (upper, 0);
}

static void
test_parse_upper (void **state)
{
  (void) state;
  uint8_t g[16];
  int upper = 0;
  assert_int_equal (parse ("656B1715-ECF6-11DF-92E6-806E6F6E6963", g, &upper),
                    0);
  assert_memory_equal (g, win7_bin, 16);
  assert_int_equal (upper, 1);
}

static void
test_parse_one_upper_digit (void **state)
{
  (void) state;
  uint8_t g[16];
  int upper = 0;
  /* Only the very last digit is upper case. */
  assert_int_equal (parse ("656b1715-ecf6-11df-92e6-806e6f6e696C", g, &upper),
                    0);
  assert_int_equal (upper, 1);
  assert_int_equal (g[15], 0x6c);
}

static void
test_parse_digits_only_not_upper (void **state)
{
  (void) state;
  uint8_t g[16];
  int upper = 1;
  assert_int_equal (parse ("00000000-1111-2222-3333-444444444444", g, &upper),
                    0);
  assert_int_equal (upper, 0);
}

static void
test_parse_upper_null (void **state)
{
  (void) state;
  uint8_t g[16];
  assert_int_equal (parse ("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", g, NULL), 0);
  for (int i = 0; i < 16; i++)
    assert_int_equal (g[i], 0xff);
}

static void
test_parse_bad_length (void **state)
{
  (void) state;
  uint8_t g[16];
  assert_int_equal (parse ("656b1715-ecf6-11df-92e6-806e6f6e696", g, NULL), -1);
  assert_int_equal (parse ("656b1715-ecf6-11df-92e6-806e6f6e69633", g, NULL),
                    -1);
  assert_int_equal (parse ("{656b1715-ecf6-11df-92e6-806e6f6e6963}", g, NULL),
                    -1);
  assert_int_equal (md_guid_parse16 (NULL, 0, g, NULL), -1);
}

static void
test_parse_bad_dashes (void **state)
{
  (void) state;
  uint8_t g[16];
  /* Right length, dashes moved by one. */
  assert_int_equal (parse ("656b171-5ecf6-11df-92e6-806e6f6e6963", g, NULL), -1);
  assert_int_equal (parse ("656b1715-ecf-611df-92e6-806e6f6e6963", g, NULL), -1);
  assert_int_equal (parse ("656b1715-ecf6-11d-f92e6-806e6f6e6963", g, NULL), -1);
  assert_int_equal (parse ("656b1715-ecf6-11df-92e-6806e6f6e6963", g, NULL), -1);
  /* Dashes replaced. */
  assert_int_equal (parse ("656b1715_ecf6_11df_92e6_806e6f6e6963", g, NULL), -1);
  assert_int_equal (parse ("656b1715decf6d11dfd92e6d806e6f6e6963", g, NULL), -1);
}

static void
test_parse_bad_hex (void **state)
{
  (void) state;
  uint8_t g[16];
  const char *bad[] = {
    "g56b1715-ecf6-11df-92e6-806e6f6e6963",
    "656b1715-ecG6-11df-92e6-806e6f6e6963",
    "656b1715-ecf6-11d -92e6-806e6f6e6963",
    "656b1715-ecf6-11df-9-e6-806e6f6e6963",
    "656b1715-ecf6-11df-92e6-806e6f6e696/",
    "656b1715-ecf6-11df-92e6-806e6f6e696:",
    "656b1715-ecf6-11df-92e6-806e6f6e696@",
    "656b1715-ecf6-11df-92e6-806e6f6e696`",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal (parse (bad[i], g, NULL), -1);
}

static void
test_parse_non_ascii (void **state)
{
  (void) state;
  uint8_t g[16];
  uint16_t u[36];
  units (WIN7_GUID, u);
  u[0] = 0xFF10;                /* FULLWIDTH DIGIT ZERO */
  assert_int_equal (md_guid_parse16 (u, 36, g, NULL), -1);
  units (WIN7_GUID, u);
  u[35] = 0x0063 | 0x0100;      /* 'c' + 256: no truncation to a byte */
  assert_int_equal (md_guid_parse16 (u, 36, g, NULL), -1);
  units (WIN7_GUID, u);
  u[20] = 0;
  assert_int_equal (md_guid_parse16 (u, 36, g, NULL), -1);
}

static void
test_parse_failure_leaves_output (void **state)
{
  (void) state;
  uint8_t g[16];
  memset (g, 0xAA, sizeof g);
  assert_int_equal (parse ("656b1715-ecf6-11df-92e6-806e6f6e696x", g, NULL), -1);
  for (int i = 0; i < 16; i++)
    assert_int_equal (g[i], 0xAA);
}

/* ---- mountdb_guid_format ------------------------------------------------- */

static void
test_format (void **state)
{
  (void) state;
  char text[37];
  memset (text, 'X', sizeof text);
  mountdb_guid_format (win7_bin, text);
  assert_string_equal (text, WIN7_GUID);
}

static void
test_format_lower_roundtrip (void **state)
{
  (void) state;
  uint8_t g[16];
  char text[37];
  from_text ("09931F21-7FAF-44A9-81D8-1E73C14B9EAF", g);
  mountdb_guid_format (g, text);
  assert_string_equal (text, "09931f21-7faf-44a9-81d8-1e73c14b9eaf");
}

/* ---- mountdb_guid_inspect ------------------------------------------------ */

/* The Windows 7 install GUID: version 1, time 2010-11-10 18:14:45.2031253
 * UTC, placeholder node "\x80nonic". */
static void
test_inspect_win7_v1 (void **state)
{
  (void) state;
  mountdb_guid_info gi;
  memset (&gi, 0x5A, sizeof gi);
  mountdb_guid_inspect (win7_bin, &gi);
  assert_int_equal (gi.version, 1);
  assert_int_equal (gi.variant, 2);
  assert_int_equal (gi.has_time, 1);
  /* UUID time 0x1dfecf6656b1715 minus 5748192000000000 (1582 -> 1601). */
  assert_int_equal (gi.time_filetime, 129338864852031253ULL);
  assert_int_equal ((gi.time_filetime - MD_FILETIME_UNIX_EPOCH) / 10000000,
                    1289412885);   /* 2010-11-10T18:14:45Z */
  assert_int_equal (gi.has_node, 1);
  const uint8_t node[6] = { 0x80, 0x6e, 0x6f, 0x6e, 0x69, 0x63 };
  assert_memory_equal (gi.node, node, 6);
  assert_int_equal (gi.node_kind, MOUNTDB_NODE_PLACEHOLDER);
  assert_int_equal (gi.mbr_derived, 0);
  assert_int_equal (gi.mbr_signature, 0);
}

static void
test_inspect_mario_placeholder (void **state)
{
  (void) state;
  uint8_t g[16];
  mountdb_guid_info gi;
  /* xp-x86-m57-removable.SYSTEM */
  from_text ("c7c83a7f-cc77-11de-accc-806d6172696f", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.version, 1);
  assert_int_equal (gi.node_kind, MOUNTDB_NODE_PLACEHOLDER);
  assert_int_equal (gi.time_filetime, 129021661692656255ULL);  /* 2009-11-08 */
}

static void
test_inspect_real_mac (void **state)
{
  (void) state;
  uint8_t g[16];
  mountdb_guid_info gi;
  /* win7-x86-usb.SYSTEM: node 00:0c:29 is a VMware NIC. */
  from_text ("eba74da6-5bb2-11e0-95d1-000c2971073c", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.node_kind, MOUNTDB_NODE_MAC);
  const uint8_t node[6] = { 0x00, 0x0c, 0x29, 0x71, 0x07, 0x3c };
  assert_memory_equal (gi.node, node, 6);
  assert_int_equal (gi.time_filetime, 129460620837031334ULL);  /* 2011-03-31 */
}

static void
test_inspect_node_local_and_multicast (void **state)
{
  (void) state;
  uint8_t g[16];
  mountdb_guid_info gi;
  from_text ("3869c27a-31b8-11e8-9b12-020000000001", g);  /* locally admin. */
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.node_kind, MOUNTDB_NODE_LOCAL);
  from_text ("3869c27a-31b8-11e8-9b12-010000000001", g);  /* multicast */
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.node_kind, MOUNTDB_NODE_LOCAL);
  from_text ("3869c27a-31b8-11e8-9b12-ecf4bb487fed", g);  /* 0xec: neither */
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.node_kind, MOUNTDB_NODE_MAC);
  /* One byte off the placeholder: an ordinary (if odd) MAC. */
  from_text ("3869c27a-31b8-11e8-9b12-806e6f6e6964", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.node_kind, MOUNTDB_NODE_MAC);
}

static void
test_inspect_v4_has_no_time (void **state)
{
  (void) state;
  uint8_t g[16];
  mountdb_guid_info gi;
  from_text ("09931f21-7faf-44a9-81d8-1e73c14b9eaf", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.version, 4);
  assert_int_equal (gi.variant, 2);
  assert_int_equal (gi.has_time, 0);
  assert_int_equal (gi.time_filetime, 0);
  assert_int_equal (gi.has_node, 0);
  assert_int_equal (gi.node_kind, MOUNTDB_NODE_NONE);
  assert_int_equal (gi.mbr_derived, 0);
}

static void
test_inspect_v1_before_1601 (void **state)
{
  (void) state;
  uint8_t g[16];
  mountdb_guid_info gi;
  /* UUID time 1 (1582): no FILETIME for it, but the node is still read. */
  from_text ("00000001-0000-1000-8000-000c2971073c", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.version, 1);
  assert_int_equal (gi.has_time, 0);
  assert_int_equal (gi.has_node, 1);
  assert_int_equal (gi.node_kind, MOUNTDB_NODE_MAC);
  /* Exactly 1601-01-01: FILETIME 0, still a time. */
  from_text ("3e42c000-6bf3-1014-8000-000c2971073c", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.has_time, 1);
  assert_int_equal (gi.time_filetime, 0);
  /* One tick earlier: 1600-12-31, no time. */
  from_text ("3e42bfff-6bf3-1014-8000-000c2971073c", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.has_time, 0);
}

static void
test_inspect_v1_max_time (void **state)
{
  (void) state;
  uint8_t g[16];
  mountdb_guid_info gi;
  from_text ("ffffffff-ffff-1fff-bfff-ffffffffffff", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.has_time, 1);
  assert_int_equal (gi.time_filetime,
                    0x0FFFFFFFFFFFFFFFULL - 5748192000000000ULL);
  assert_int_equal (gi.node_kind, MOUNTDB_NODE_LOCAL);
}

/* Section 3: Win10 volume GUIDs derived from the MBR ID. */
static void
test_inspect_mbr_derived (void **state)
{
  (void) state;
  uint8_t g[16];
  mountdb_guid_info gi;
  from_text ("629458e4-0000-0000-0000-010000000000", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.mbr_derived, 1);
  assert_int_equal (gi.mbr_signature, 0x629458e4);
  assert_int_equal (gi.version, 0);
  assert_int_equal (gi.variant, 0);
  assert_int_equal (gi.has_time, 0);
  assert_int_equal (gi.has_node, 0);
}

static void
test_inspect_not_mbr_derived (void **state)
{
  (void) state;
  uint8_t g[16];
  mountdb_guid_info gi;
  from_text ("629458e4-0001-0000-0000-010000000000", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.mbr_derived, 0);
  from_text ("629458e4-0000-0100-0000-010000000000", g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.mbr_derived, 0);
  /* The nil GUID: a zero signature is no signature (V4). */
  memset (g, 0, sizeof g);
  mountdb_guid_inspect (g, &gi);
  assert_int_equal (gi.mbr_derived, 0);
  assert_int_equal (gi.version, 0);
}

static void
test_inspect_variants (void **state)
{
  (void) state;
  uint8_t g[16];
  mountdb_guid_info gi;
  static const struct { const char *text; int variant; } v[] = {
    { "00000000-0000-4000-7fff-000000000000", 0 },  /* NCS 0xx */
    { "00000000-0000-4000-8000-000000000000", 2 },  /* RFC 4122 10x */
    { "00000000-0000-4000-bfff-000000000000", 2 },
    { "00000000-0000-4000-c000-000000000000", 6 },  /* Microsoft 110 */
    { "00000000-0000-4000-dfff-000000000000", 6 },
    { "00000000-0000-4000-e000-000000000000", 7 },  /* reserved 111 */
    { "00000000-0000-4000-ffff-000000000000", 7 },
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    {
      from_text (v[i].text, g);
      mountdb_guid_inspect (g, &gi);
      assert_int_equal (gi.variant, v[i].variant);
      assert_int_equal (gi.version, 4);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse_layout),
    cmocka_unit_test (test_parse_upper),
    cmocka_unit_test (test_parse_one_upper_digit),
    cmocka_unit_test (test_parse_digits_only_not_upper),
    cmocka_unit_test (test_parse_upper_null),
    cmocka_unit_test (test_parse_bad_length),
    cmocka_unit_test (test_parse_bad_dashes),
    cmocka_unit_test (test_parse_bad_hex),
    cmocka_unit_test (test_parse_non_ascii),
    cmocka_unit_test (test_parse_failure_leaves_output),
    cmocka_unit_test (test_format),
    cmocka_unit_test (test_format_lower_roundtrip),
    cmocka_unit_test (test_inspect_win7_v1),
    cmocka_unit_test (test_inspect_mario_placeholder),
    cmocka_unit_test (test_inspect_real_mac),
    cmocka_unit_test (test_inspect_node_local_and_multicast),
    cmocka_unit_test (test_inspect_v4_has_no_time),
    cmocka_unit_test (test_inspect_v1_before_1601),
    cmocka_unit_test (test_inspect_v1_max_time),
    cmocka_unit_test (test_inspect_mbr_derived),
    cmocka_unit_test (test_inspect_not_mbr_derived),
    cmocka_unit_test (test_inspect_variants),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
