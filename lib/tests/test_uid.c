/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/uid.c: unique IDs (section 3) -> shape, fields and
 * summary; the V4 data-shape facts (signature, alignment, odd length, NUL
 * units, empty data).  Real IDs come from the hives described in
 * ../shared/testdata/real/MANIFEST.md, as literals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"

#define VOLUME_CLASS "{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}"
#define DISK_CLASS "{53f56307-b6bf-11d0-94f2-00a0c91efb8b}"
#define FFFD "\xEF\xBF\xBD"

/* win7-x86-usb.SYSTEM, \DosDevices\E: (202 bytes, note "_??_"). */
static const uint8_t win7_usb[202] = {
  0x5f, 0x00, 0x3f, 0x00, 0x3f, 0x00, 0x5f, 0x00, 0x55, 0x00, 0x53, 0x00,
  0x42, 0x00, 0x53, 0x00, 0x54, 0x00, 0x4f, 0x00, 0x52, 0x00, 0x23, 0x00,
  0x44, 0x00, 0x69, 0x00, 0x73, 0x00, 0x6b, 0x00, 0x26, 0x00, 0x56, 0x00,
  0x65, 0x00, 0x6e, 0x00, 0x5f, 0x00, 0x48, 0x00, 0x50, 0x00, 0x26, 0x00,
  0x50, 0x00, 0x72, 0x00, 0x6f, 0x00, 0x64, 0x00, 0x5f, 0x00, 0x76, 0x00,
  0x31, 0x00, 0x30, 0x00, 0x30, 0x00, 0x77, 0x00, 0x26, 0x00, 0x52, 0x00,
  0x65, 0x00, 0x76, 0x00, 0x5f, 0x00, 0x31, 0x00, 0x30, 0x00, 0x32, 0x00,
  0x34, 0x00, 0x23, 0x00, 0x41, 0x00, 0x41, 0x00, 0x39, 0x00, 0x35, 0x00,
  0x31, 0x00, 0x44, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00,
  0x30, 0x00, 0x30, 0x00, 0x37, 0x00, 0x32, 0x00, 0x35, 0x00, 0x32, 0x00,
  0x26, 0x00, 0x30, 0x00, 0x23, 0x00, 0x7b, 0x00, 0x35, 0x00, 0x33, 0x00,
  0x66, 0x00, 0x35, 0x00, 0x36, 0x00, 0x33, 0x00, 0x30, 0x00, 0x37, 0x00,
  0x2d, 0x00, 0x62, 0x00, 0x36, 0x00, 0x62, 0x00, 0x66, 0x00, 0x2d, 0x00,
  0x31, 0x00, 0x31, 0x00, 0x64, 0x00, 0x30, 0x00, 0x2d, 0x00, 0x39, 0x00,
  0x34, 0x00, 0x66, 0x00, 0x32, 0x00, 0x2d, 0x00, 0x30, 0x00, 0x30, 0x00,
  0x61, 0x00, 0x30, 0x00, 0x63, 0x00, 0x39, 0x00, 0x31, 0x00, 0x65, 0x00,
  0x66, 0x00, 0x62, 0x00, 0x38, 0x00, 0x62, 0x00, 0x7d, 0x00,
};

/* Other real device paths, as text (encoded to UTF-16LE by u16le). */
#define WIN7_IDE "\\??\\IDE#CdRomNECVMWar_VMware_IDE_CDR10_______________" \
  "1.00____#5&290fd3ab&0&1.0.0#" VOLUME_CLASS
#define WIN7_FDC "\\??\\FDC#GENERIC_FLOPPY_DRIVE#6&2bc13940&0&0#" VOLUME_CLASS
#define XP_IDE "\\??\\IDE#CdRomSAMSUNG_CDRW#DVD_SM-348B________________" \
  "T502____#5&3a919bc3&0&0.0.0#" VOLUME_CLASS
#define XP_STORAGE "\\??\\STORAGE#RemovableMedia#7&18ec28b&0&RM#" VOLUME_CLASS
#define W81_SCSI "\\??\\SCSI#CdRom&Ven_VBOX&Prod_CD-ROM#4&8f5d389&0&010000#" \
  VOLUME_CLASS
#define W10_SCSI "\\??\\SCSI#CdRom&Ven_PLDS&Prod_DVD-ROM_DU-8D5LH#" \
  "4&241bacd1&0&010000#" VOLUME_CLASS
#define W10_USB "_??_USBSTOR#Disk&Ven_SanDisk&Prod_Extreme&Rev_0001#" \
  "AA010215170355310594&0#" DISK_CLASS

/* ---- helpers -------------------------------------------------------------- */

/* Text (Latin-1 bytes) -> UTF-16LE; returns a malloc'd buffer. */
static uint8_t *
u16le (const char *s, size_t *len)
{
  size_t n = strlen (s);
  uint8_t *b = malloc (2 * n + 1);
  assert_non_null (b);
  for (size_t i = 0; i < n; i++)
    {
      b[2 * i] = (uint8_t) s[i];
      b[2 * i + 1] = 0;
    }
  *len = 2 * n;
  return b;
}

static mountdb_uid *
dec (const void *d, size_t n)
{
  mountdb_uid *u = mountdb_uid_decode (d, n);
  assert_non_null (u);
  return u;
}

static mountdb_uid *
dec_path (const char *s)
{
  size_t n;
  uint8_t *b = u16le (s, &n);
  mountdb_uid *u = dec (b, n);
  free (b);
  return u;
}

/* The field named key, or -1. */
static ssize_t
find (const mountdb_uid *u, const char *key)
{
  for (size_t i = 0; i < mountdb_uid_field_count (u); i++)
    {
      const char *k;
      assert_int_equal (mountdb_uid_field_get (u, i, &k, NULL, NULL, NULL), 0);
      if (strcmp (k, key) == 0)
        return (ssize_t) i;
    }
  return -1;
}

static const char *
fstr (const mountdb_uid *u, const char *key)
{
  ssize_t i = find (u, key);
  if (i < 0)
    return NULL;
  int kind;
  const char *s;
  uint64_t num = 99;
  assert_int_equal (mountdb_uid_field_get (u, (size_t) i, NULL, &kind, &s, &num),
                    0);
  assert_int_equal (kind, MOUNTDB_FIELD_STRING);
  assert_non_null (s);
  assert_int_equal (num, 0);
  return s;
}

static uint64_t
fnum (const mountdb_uid *u, const char *key, int want_kind)
{
  ssize_t i = find (u, key);
  assert_true (i >= 0);
  int kind;
  const char *s = "x";
  uint64_t num;
  assert_int_equal (mountdb_uid_field_get (u, (size_t) i, NULL, &kind, &s, &num),
                    0);
  assert_int_equal (kind, want_kind);
  assert_null (s);
  return num;
}

/* Field keys, in order, NULL-terminated. */
static void
expect_keys (const mountdb_uid *u, const char *const *keys)
{
  size_t n = 0;
  for (; keys[n] != NULL; n++)
    {
      const char *k = NULL;
      assert_int_equal (mountdb_uid_field_get (u, n, &k, NULL, NULL, NULL), 0);
      assert_string_equal (k, keys[n]);
    }
  assert_int_equal (mountdb_uid_field_count (u), n);
}

static void
expect_opaque (const void *d, size_t n, const char *summary)
{
  mountdb_uid *u = dec (d, n);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_OPAQUE);
  static const char *const keys[] = { "length", NULL };
  expect_keys (u, keys);
  assert_int_equal (fnum (u, "length", MOUNTDB_FIELD_UINT), n);
  if (summary != NULL)
    assert_string_equal (mountdb_uid_summary (u), summary);
  mountdb_uid_free (u);
}

/* Valid UTF-8 with no C0/C1/DEL: what a summary shown to people must be. */
static void
assert_display_safe (const char *s)
{
  const unsigned char *p = (const unsigned char *) s;
  while (*p)
    {
      unsigned c = *p;
      assert_true (c >= 0x20 && c != 0x7F && c != 0xC0 && c != 0xC1
                   && c < 0xF5 && (c & 0xC0) != 0x80);
      size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      for (size_t i = 1; i < n; i++)
        assert_int_equal (p[i] & 0xC0, 0x80);
      if (c == 0xC2)
        assert_true (p[1] >= 0xA0);     /* no C1 control */
      p += n;
    }
}

/* ---- MBR (12 bytes) ------------------------------------------------------- */

static void
test_mbr_real_win7 (void **state)
{
  (void) state;
  const uint8_t d[] = { 0x3e, 0xa0, 0xbe, 0x5c, 0x00, 0x00, 0x10, 0x00,
                        0x00, 0x00, 0x00, 0x00 };
  mountdb_uid *u = dec (d, sizeof d);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_MBR);
  assert_string_equal (mountdb_uid_summary (u), "MBR disk 5CBEA03E @ 1 MiB");
  static const char *const keys[] = { "disk_signature", "partition_offset",
                                      "sector_aligned", NULL };
  expect_keys (u, keys);
  assert_string_equal (fstr (u, "disk_signature"), "5cbea03e");
  assert_int_equal (fnum (u, "partition_offset", MOUNTDB_FIELD_UINT), 1048576);
  assert_int_equal (fnum (u, "sector_aligned", MOUNTDB_FIELD_BOOL), 1);
  assert_int_equal (mountdb_uid_disk_signature (u), 0x5cbea03e);
  assert_int_equal (mountdb_uid_partition_offset (u), 1048576);
  assert_null (mountdb_uid_guid (u));
  mountdb_uid_free (u);
}

static void
test_mbr_real_xp_and_81 (void **state)
{
  (void) state;
  /* XP: partition at sector 63 (32256 bytes: no exact KiB). */
  const uint8_t xp[] = { 0x50, 0xd3, 0x50, 0xd3, 0x00, 0x7e, 0, 0, 0, 0, 0, 0 };
  mountdb_uid *u = dec (xp, sizeof xp);
  assert_string_equal (mountdb_uid_summary (u), "MBR disk D350D350 @ 32256 B");
  assert_int_equal (mountdb_uid_partition_offset (u), 32256);
  mountdb_uid_free (u);
  /* 8.1: C: at 368050176 = 351 MiB. */
  const uint8_t w81[] = { 0xfe, 0x4c, 0x3e, 0x27, 0x00, 0x00, 0xf0, 0x15,
                          0, 0, 0, 0 };
  u = dec (w81, sizeof w81);
  assert_string_equal (mountdb_uid_summary (u), "MBR disk 273E4CFE @ 351 MiB");
  assert_string_equal (fstr (u, "disk_signature"), "273e4cfe");
  mountdb_uid_free (u);
}

static void
check_mbr_offset (uint64_t off, const char *summary, int aligned)
{
  uint8_t d[12] = { 0x78, 0x56, 0x34, 0x12 };
  for (int i = 0; i < 8; i++)
    d[4 + i] = (uint8_t) (off >> (8 * i));
  mountdb_uid *u = dec (d, sizeof d);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_MBR);
  assert_string_equal (mountdb_uid_summary (u), summary);
  assert_int_equal (mountdb_uid_partition_offset (u), off);
  assert_int_equal (fnum (u, "partition_offset", MOUNTDB_FIELD_UINT), off);
  assert_int_equal (fnum (u, "sector_aligned", MOUNTDB_FIELD_BOOL), aligned);
  mountdb_uid_free (u);
}

/* V4: offset 0 or not a multiple of 512 ("sector_aligned"). */
static void
test_mbr_offsets (void **state)
{
  (void) state;
  check_mbr_offset (0, "MBR disk 12345678 @ 0 B", 1);
  check_mbr_offset (1, "MBR disk 12345678 @ 1 B", 0);
  check_mbr_offset (511, "MBR disk 12345678 @ 511 B", 0);
  check_mbr_offset (512, "MBR disk 12345678 @ 512 B", 1);
  check_mbr_offset (513, "MBR disk 12345678 @ 513 B", 0);
  check_mbr_offset (1024, "MBR disk 12345678 @ 1 KiB", 1);
  check_mbr_offset (1536, "MBR disk 12345678 @ 1536 B", 1);
  check_mbr_offset (3072, "MBR disk 12345678 @ 3 KiB", 1);
  check_mbr_offset (1048576 + 1024, "MBR disk 12345678 @ 1025 KiB", 1);
  check_mbr_offset (1ULL << 30, "MBR disk 12345678 @ 1 GiB", 1);
  check_mbr_offset (1ULL << 40, "MBR disk 12345678 @ 1024 GiB", 1);
  check_mbr_offset (UINT64_MAX,
                    "MBR disk 12345678 @ 18446744073709551615 B", 0);
  check_mbr_offset (0xFFFFFFFFC0000000ULL,
                    "MBR disk 12345678 @ 17179869183 GiB", 1);
}

/* V4: a zero signature is still an MBR ID (unless all 12 bytes are 0). */
static void
test_mbr_zero_signature (void **state)
{
  (void) state;
  const uint8_t d[] = { 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0 };
  mountdb_uid *u = dec (d, sizeof d);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_MBR);
  assert_string_equal (fstr (u, "disk_signature"), "00000000");
  assert_int_equal (mountdb_uid_disk_signature (u), 0);
  assert_string_equal (mountdb_uid_summary (u), "MBR disk 00000000 @ 1 MiB");
  mountdb_uid_free (u);
}

/* 11 and 13 bytes are no MBR ID. */
static void
test_mbr_boundary_lengths (void **state)
{
  (void) state;
  const uint8_t d[13] = { 0x3e, 0xa0, 0xbe, 0x5c, 0x00, 0x00, 0x10 };
  expect_opaque (d, 11, "opaque id (11 bytes)");
  expect_opaque (d, 13, "opaque id (13 bytes)");
  mountdb_uid *u = dec (d, 12);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_MBR);
  mountdb_uid_free (u);
}

/* ---- DMIO (24 bytes) ------------------------------------------------------ */

static void
test_dmio_real_win10 (void **state)
{
  (void) state;
  const uint8_t d[] = { 'D', 'M', 'I', 'O', ':', 'I', 'D', ':',
                        0x21, 0x1f, 0x93, 0x09, 0xaf, 0x7f, 0xa9, 0x44,
                        0x81, 0xd8, 0x1e, 0x73, 0xc1, 0x4b, 0x9e, 0xaf };
  mountdb_uid *u = dec (d, sizeof d);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DMIO);
  static const char *const keys[] = { "guid", "gpt_or_ldm", NULL };
  expect_keys (u, keys);
  assert_string_equal (fstr (u, "guid"),
                       "09931f21-7faf-44a9-81d8-1e73c14b9eaf");
  assert_int_equal (fnum (u, "gpt_or_ldm", MOUNTDB_FIELD_BOOL), 1);
  assert_string_equal (mountdb_uid_guid (u),
                       "09931f21-7faf-44a9-81d8-1e73c14b9eaf");
  assert_string_equal (mountdb_uid_summary (u),
                       "GPT partition or dynamic volume "
                       "{09931f21-7faf-44a9-81d8-1e73c14b9eaf}");
  assert_int_equal (mountdb_uid_disk_signature (u), 0);
  assert_int_equal (mountdb_uid_partition_offset (u), 0);
  mountdb_uid_free (u);
}

/* V4: a nil DMIO GUID is still DMIO (the check sees the GUID). */
static void
test_dmio_nil_guid (void **state)
{
  (void) state;
  uint8_t d[24] = { 'D', 'M', 'I', 'O', ':', 'I', 'D', ':' };
  mountdb_uid *u = dec (d, sizeof d);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DMIO);
  assert_string_equal (mountdb_uid_guid (u),
                       "00000000-0000-0000-0000-000000000000");
  mountdb_uid_free (u);
}

/* 23 and 25 bytes, wrong magic or its case: not DMIO. */
static void
test_dmio_boundaries (void **state)
{
  (void) state;
  uint8_t d[25] = { 'D', 'M', 'I', 'O', ':', 'I', 'D', ':', 1, 2, 3 };
  expect_opaque (d, 23, "opaque id (23 bytes)");
  expect_opaque (d, 25, "opaque id (25 bytes)");
  uint8_t lower[24] = { 'd', 'm', 'i', 'o', ':', 'i', 'd', ':', 1 };
  expect_opaque (lower, 24, NULL);
  uint8_t semi[24] = { 'D', 'M', 'I', 'O', ':', 'I', 'D', ';', 1 };
  expect_opaque (semi, 24, NULL);
}

/* ---- NT4 FT ids (8 bytes) ------------------------------------------------- */

static void
test_ft8 (void **state)
{
  (void) state;
  const uint8_t d[] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xff };
  mountdb_uid *u = dec (d, sizeof d);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_FT8);
  static const char *const keys[] = { "hex", NULL };
  expect_keys (u, keys);
  assert_string_equal (fstr (u, "hex"), "00112233445566ff");
  assert_string_equal (mountdb_uid_summary (u), "NT4 FT id 00112233445566ff");
  assert_int_equal (mountdb_uid_disk_signature (u), 0);
  mountdb_uid_free (u);
}

static void
test_ft8_boundaries (void **state)
{
  (void) state;
  const uint8_t d[9] = { 0x80, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
  expect_opaque (d, 7, "opaque id (7 bytes)");
  expect_opaque (d, 9, "opaque id (9 bytes)");
}

/* ---- zero and empty -------------------------------------------------------- */

static void
check_zero (size_t n, const char *summary)
{
  uint8_t d[32] = { 0 };
  mountdb_uid *u = dec (d, n);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_ZERO);
  static const char *const keys[] = { "length", NULL };
  expect_keys (u, keys);
  assert_int_equal (fnum (u, "length", MOUNTDB_FIELD_UINT), n);
  assert_string_equal (mountdb_uid_summary (u), summary);
  assert_int_equal (mountdb_uid_disk_signature (u), 0);
  mountdb_uid_free (u);
}

/* Zero beats the length shapes: 12 zero bytes are seen in real images. */
static void
test_zero (void **state)
{
  (void) state;
  check_zero (12, "all-zero id (12 bytes)");
  check_zero (1, "all-zero id (1 byte)");
  check_zero (8, "all-zero id (8 bytes)");
  check_zero (24, "all-zero id (24 bytes)");
  check_zero (31, "all-zero id (31 bytes)");
}

/* V4: empty data. */
static void
test_empty (void **state)
{
  (void) state;
  expect_opaque ("", 0, "empty id (0 bytes)");
  expect_opaque (NULL, 0, "empty id (0 bytes)");
}

static void
test_opaque_one_byte (void **state)
{
  (void) state;
  const uint8_t d[] = { 0xff };
  expect_opaque (d, 1, "opaque id (1 byte)");
}

/* ---- Wine (NUL-terminated ASCII) ----------------------------------------- */

static void
test_wine_path (void **state)
{
  (void) state;
  const char d[] = "/media/cdrom";     /* 13 bytes with the NUL */
  mountdb_uid *u = dec (d, sizeof d);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_ASCII);
  static const char *const keys[] = { "path", NULL };
  expect_keys (u, keys);
  assert_string_equal (fstr (u, "path"), "/media/cdrom");
  assert_string_equal (mountdb_uid_summary (u), "Wine path /media/cdrom");
  mountdb_uid_free (u);

  const char sp[] = "/mnt/my cd~";       /* 12 bytes would be MBR */
  u = dec (sp, sizeof sp);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_MBR);
  mountdb_uid_free (u);
  const char sp2[] = "/mnt/my cd ~";
  u = dec (sp2, sizeof sp2);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_ASCII);
  assert_string_equal (fstr (u, "path"), "/mnt/my cd ~");
  mountdb_uid_free (u);
}

static void
test_wine_boundaries (void **state)
{
  (void) state;
  mountdb_uid *u = dec ("/ab", 4);      /* shortest: 4 bytes */
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_ASCII);
  assert_string_equal (fstr (u, "path"), "/ab");
  mountdb_uid_free (u);
  expect_opaque ("/a", 3, NULL);                /* too short */
}

/* Each case is 11 bytes including its last byte (sizeof - 1 drops the
 * literal's own terminator). */
#define NOT_WINE(lit) expect_opaque (lit, sizeof lit - 1, NULL)
static void
test_wine_rejects (void **state)
{
  (void) state;
  NOT_WINE ("/media/cdro");             /* no final NUL */
  NOT_WINE ("/med\0/cdro\0");           /* inner NUL */
  NOT_WINE ("/media/cd\0\0");           /* two NULs */
  NOT_WINE ("/media\t/cd\0");           /* control */
  NOT_WINE ("/media\x7F/cd\0");         /* DEL */
  NOT_WINE ("/m\xE9" "dia/cd\0");       /* not ASCII */
  NOT_WINE ("\0/media/cd\0");           /* leading NUL */
}

/* ---- device paths ---------------------------------------------------------- */

static void
test_path_real_usb_win7 (void **state)
{
  (void) state;
  mountdb_uid *u = dec (win7_usb, sizeof win7_usb);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DEVICE_PATH);
  static const char *const keys[] = {
    "path", "prefix", "bus", "device_type", "vendor", "product", "revision",
    "instance", "serial", "class_guid", "class", NULL,
  };
  expect_keys (u, keys);
  assert_string_equal (fstr (u, "path"),
                       "_??_USBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#"
                       "AA951D0000007252&0#" DISK_CLASS);
  assert_string_equal (fstr (u, "prefix"), "_??_");
  assert_string_equal (fstr (u, "bus"), "USBSTOR");
  assert_string_equal (fstr (u, "device_type"), "Disk");
  assert_string_equal (fstr (u, "vendor"), "HP");
  assert_string_equal (fstr (u, "product"), "v100w");
  assert_string_equal (fstr (u, "revision"), "1024");
  assert_string_equal (fstr (u, "instance"), "AA951D0000007252&0");
  assert_string_equal (fstr (u, "serial"), "AA951D0000007252");
  assert_string_equal (fstr (u, "class_guid"),
                       "53f56307-b6bf-11d0-94f2-00a0c91efb8b");
  assert_string_equal (fstr (u, "class"), "disk");
  assert_string_equal (mountdb_uid_summary (u),
                       "USB disk HP v100w, serial AA951D0000007252");
  assert_null (mountdb_uid_guid (u));
  assert_int_equal (mountdb_uid_disk_signature (u), 0);
  mountdb_uid_free (u);
}

static void
test_path_real_usb_win10 (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path (W10_USB);
  assert_string_equal (fstr (u, "vendor"), "SanDisk");
  assert_string_equal (fstr (u, "product"), "Extreme");
  assert_string_equal (fstr (u, "revision"), "0001");
  assert_string_equal (fstr (u, "serial"), "AA010215170355310594");
  assert_string_equal (mountdb_uid_summary (u),
                       "USB disk SanDisk Extreme, serial AA010215170355310594");
  mountdb_uid_free (u);
}

/* IDE: type + 40 units vendor/product + 8 units revision. */
static void
test_path_real_ide (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path (WIN7_IDE);
  static const char *const keys[] = {
    "path", "prefix", "bus", "device_type", "product", "revision",
    "instance", "class_guid", "class", NULL,
  };
  expect_keys (u, keys);
  assert_string_equal (fstr (u, "prefix"), "\\??\\");
  assert_string_equal (fstr (u, "bus"), "IDE");
  assert_string_equal (fstr (u, "device_type"), "CdRom");
  assert_string_equal (fstr (u, "product"), "NECVMWar VMware IDE CDR10");
  assert_string_equal (fstr (u, "revision"), "1.00");
  assert_string_equal (fstr (u, "instance"), "5&290fd3ab&0&1.0.0");
  assert_string_equal (fstr (u, "class"), "volume");
  assert_string_equal (mountdb_uid_summary (u),
                       "IDE CD-ROM NECVMWar VMware IDE CDR10");
  mountdb_uid_free (u);
}

/* A '#' inside the IDE model (xp-x86-m57-removable.SYSTEM): the instance
 * is the part before the class GUID, not the third '#'-part. */
static void
test_path_real_ide_hash_in_model (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path (XP_IDE);
  assert_string_equal (fstr (u, "device_type"), "CdRom");
  assert_string_equal (fstr (u, "product"), "SAMSUNG CDRW#DVD SM-348B");
  assert_string_equal (fstr (u, "revision"), "T502");
  assert_string_equal (fstr (u, "instance"), "5&3a919bc3&0&0.0.0");
  assert_string_equal (fstr (u, "class"), "volume");
  assert_string_equal (mountdb_uid_summary (u),
                       "IDE CD-ROM SAMSUNG CDRW#DVD SM-348B");
  mountdb_uid_free (u);
}

static void
test_path_real_scsi (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path (W81_SCSI);
  static const char *const keys[] = {
    "path", "prefix", "bus", "device_type", "vendor", "product",
    "instance", "class_guid", "class", NULL,
  };
  expect_keys (u, keys);
  assert_string_equal (fstr (u, "bus"), "SCSI");
  assert_string_equal (fstr (u, "vendor"), "VBOX");
  assert_string_equal (fstr (u, "product"), "CD-ROM");
  assert_string_equal (fstr (u, "instance"), "4&8f5d389&0&010000");
  assert_string_equal (mountdb_uid_summary (u), "SCSI CD-ROM VBOX CD-ROM");
  mountdb_uid_free (u);

  u = dec_path (W10_SCSI);
  assert_string_equal (fstr (u, "product"), "DVD-ROM DU-8D5LH");
  assert_string_equal (mountdb_uid_summary (u),
                       "SCSI CD-ROM PLDS DVD-ROM DU-8D5LH");
  mountdb_uid_free (u);
}

static void
test_path_real_floppy (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path (WIN7_FDC);
  static const char *const keys[] = {
    "path", "prefix", "bus", "device_type", "instance", "class_guid",
    "class", NULL,
  };
  expect_keys (u, keys);
  assert_string_equal (fstr (u, "bus"), "FDC");
  assert_string_equal (fstr (u, "device_type"), "GENERIC_FLOPPY_DRIVE");
  assert_string_equal (fstr (u, "instance"), "6&2bc13940&0&0");
  assert_string_equal (mountdb_uid_summary (u), "floppy drive (FDC)");
  mountdb_uid_free (u);
}

static void
test_path_real_xp_removable (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path (XP_STORAGE);
  assert_string_equal (fstr (u, "bus"), "STORAGE");
  assert_string_equal (fstr (u, "device_type"), "RemovableMedia");
  assert_string_equal (fstr (u, "instance"), "7&18ec28b&0&RM");
  assert_null (fstr (u, "serial"));
  assert_string_equal (mountdb_uid_summary (u),
                       "removable media (STORAGE), instance 7&18ec28b&0");
  mountdb_uid_free (u);
}

/* USBSTOR serials: Windows-made instances ("7&...") are no serial. */
static void
test_path_usb_serials (void **state)
{
  (void) state;
  static const struct { const char *instance, *serial; } c[] = {
    { "7&2a3b4c5d&0", NULL },
    { "ABC", "ABC" },
    { "ABC&12", "ABC" },
    { "ABC&X", "ABC&X" },
    { "A&B&0", NULL },          /* '&' second: made by Windows */
    { "AB&C&0", "AB&C" },
    { "ABC&", "ABC&" },
    { "&0", NULL },
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
    {
      char text[256];
      snprintf (text, sizeof text,
                "_??_USBSTOR#Disk&Ven_Generic&Prod_Flash_Disk&Rev_8.07#%s#"
                DISK_CLASS, c[i].instance);
      mountdb_uid *u = dec_path (text);
      assert_string_equal (fstr (u, "instance"), c[i].instance);
      if (c[i].serial == NULL)
        {
          assert_null (fstr (u, "serial"));
          assert_string_equal (mountdb_uid_summary (u),
                               "USB disk Generic Flash Disk");
        }
      else
        assert_string_equal (fstr (u, "serial"), c[i].serial);
      mountdb_uid_free (u);
    }
  /* Serials are for USBSTOR only. */
  mountdb_uid *u = dec_path ("\\??\\SCSI#Disk&Ven_A&Prod_B#SER&0#" DISK_CLASS);
  assert_null (fstr (u, "serial"));
  mountdb_uid_free (u);
}

static void
test_path_win32_prefix (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path ("\\\\?\\SCSI#CdRom&Ven_VBOX&Prod_CD-ROM#1#"
                             VOLUME_CLASS);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DEVICE_PATH);
  assert_string_equal (fstr (u, "prefix"), "\\\\?\\");
  assert_string_equal (fstr (u, "vendor"), "VBOX");
  mountdb_uid_free (u);
  /* Other spellings are no device path. */
  u = dec_path ("\\?\\\\SCSI#CdRom#1");
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_OPAQUE);
  mountdb_uid_free (u);
  u = dec_path ("/?" "?/SCSI#CdRom#1");
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_OPAQUE);
  mountdb_uid_free (u);
}

/* Lengths win over content: `\??\` alone is 8 bytes (FT id), `\??\AB` is
 * 12 (MBR); the next sizes are paths. */
static void
test_path_length_precedence (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path ("\\??\\");
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_FT8);
  mountdb_uid_free (u);
  u = dec_path ("\\??\\AB");
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_MBR);
  mountdb_uid_free (u);
  u = dec_path ("\\??\\A");
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DEVICE_PATH);
  assert_string_equal (fstr (u, "bus"), "A");
  mountdb_uid_free (u);
  u = dec_path ("\\??\\ABCDEFGH");      /* 24 bytes, no DMIO magic */
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DEVICE_PATH);
  assert_string_equal (fstr (u, "bus"), "ABCDEFGH");
  mountdb_uid_free (u);
}

/* V4: the prefix with nothing after it, made a path by one odd byte. */
static void
test_path_prefix_only (void **state)
{
  (void) state;
  const uint8_t d[] = { '\\', 0, '?', 0, '?', 0, '\\', 0, 'X' };
  mountdb_uid *u = dec (d, sizeof d);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DEVICE_PATH);
  static const char *const keys[] = { "path", "prefix", "odd_length", NULL };
  expect_keys (u, keys);
  assert_string_equal (fstr (u, "path"), "\\??\\");
  assert_int_equal (fnum (u, "odd_length", MOUNTDB_FIELD_BOOL), 1);
  assert_string_equal (mountdb_uid_summary (u),
                       "empty device path, odd length");
  mountdb_uid_free (u);

  const uint8_t z[] = { '_', 0, '?', 0, '?', 0, '_', 0, 0, 0 };
  u = dec (z, sizeof z);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DEVICE_PATH);
  static const char *const zkeys[] = { "path", "prefix", "bus",
                                       "contains_nul", NULL };
  expect_keys (u, zkeys);
  assert_string_equal (fstr (u, "path"), "_??_" FFFD);
  assert_string_equal (fstr (u, "bus"), FFFD);
  assert_int_equal (fnum (u, "contains_nul", MOUNTDB_FIELD_BOOL), 1);
  assert_display_safe (mountdb_uid_summary (u));
  mountdb_uid_free (u);
}

/* V4: odd length; the trailing byte is ignored for the text. */
static void
test_path_odd_length (void **state)
{
  (void) state;
  uint8_t d[sizeof win7_usb + 1];
  memcpy (d, win7_usb, sizeof win7_usb);
  d[sizeof win7_usb] = 0x41;
  mountdb_uid *u = dec (d, sizeof d);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DEVICE_PATH);
  assert_string_equal (fstr (u, "serial"), "AA951D0000007252");
  assert_string_equal (fstr (u, "class"), "disk");
  assert_int_equal (fnum (u, "odd_length", MOUNTDB_FIELD_BOOL), 1);
  assert_true (find (u, "contains_nul") < 0);
  assert_string_equal (mountdb_uid_summary (u),
                       "USB disk HP v100w, serial AA951D0000007252, "
                       "odd length");
  mountdb_uid_free (u);
}

/* V4: NUL units inside a path (e.g. a NUL-terminated path). */
static void
test_path_contains_nul (void **state)
{
  (void) state;
  size_t n;
  uint8_t *b = u16le (WIN7_FDC "#", &n);
  b[n - 2] = 0;                 /* replace the last '#' by NUL */
  mountdb_uid *u = dec (b, n);
  assert_int_equal (fnum (u, "contains_nul", MOUNTDB_FIELD_BOOL), 1);
  assert_true (find (u, "odd_length") < 0);
  /* The NUL spoils the class GUID, which still marks the class slot. */
  assert_string_equal (fstr (u, "instance"), "6&2bc13940&0&0");
  assert_null (fstr (u, "class_guid"));
  assert_string_equal (fstr (u, "path"), WIN7_FDC FFFD);
  assert_string_equal (mountdb_uid_summary (u),
                       "floppy drive (FDC), contains NUL");
  free (b);
  mountdb_uid_free (u);

  /* NUL in the vendor: field keeps U+FFFD, as does the summary. */
  b = u16le ("\\??\\SCSI#Disk&Ven_AB&Prod_C#1#" DISK_CLASS, &n);
  b[2 * 18] = 0;                /* 'A' of the vendor */
  u = dec (b, n);
  assert_string_equal (fstr (u, "vendor"), FFFD "B");
  assert_string_equal (mountdb_uid_summary (u),
                       "SCSI disk " FFFD "B C, contains NUL");
  free (b);
  mountdb_uid_free (u);
}

/* Missing '#' parts: bus only, no instance, class only, empty parts. */
static void
test_path_missing_parts (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path ("\\??\\FDC");
  static const char *const k1[] = { "path", "prefix", "bus", NULL };
  expect_keys (u, k1);
  assert_string_equal (mountdb_uid_summary (u), "device (FDC)");
  mountdb_uid_free (u);

  u = dec_path ("\\??\\SCSI#CdRom&Ven_X&Prod_Y");
  static const char *const k2[] = { "path", "prefix", "bus", "device_type",
                                    "vendor", "product", NULL };
  expect_keys (u, k2);
  assert_string_equal (mountdb_uid_summary (u), "SCSI CD-ROM X Y");
  mountdb_uid_free (u);

  u = dec_path ("\\??\\SCSI#CdRom&Ven_X&Prod_Y#inst");
  assert_string_equal (fstr (u, "instance"), "inst");
  assert_null (fstr (u, "class_guid"));
  mountdb_uid_free (u);

  u = dec_path ("\\??\\USBSTOR#" DISK_CLASS);
  static const char *const k3[] = { "path", "prefix", "bus", "class_guid",
                                    "class", NULL };
  expect_keys (u, k3);
  mountdb_uid_free (u);

  u = dec_path ("\\??\\STORAGE#RemovableMedia#" VOLUME_CLASS);
  assert_string_equal (fstr (u, "device_type"), "RemovableMedia");
  assert_null (fstr (u, "instance"));
  assert_string_equal (mountdb_uid_summary (u), "removable media (STORAGE)");
  mountdb_uid_free (u);

  u = dec_path ("\\??\\SCSI##inst#" VOLUME_CLASS);
  assert_null (fstr (u, "device_type"));
  assert_string_equal (fstr (u, "instance"), "inst");
  assert_string_equal (mountdb_uid_summary (u),
                       "device (SCSI), instance inst");
  mountdb_uid_free (u);

  u = dec_path ("\\??\\#");
  static const char *const k4[] = { "path", "prefix", NULL };
  expect_keys (u, k4);
  assert_string_equal (mountdb_uid_summary (u), "device path \\??\\#");
  mountdb_uid_free (u);

  u = dec_path ("\\??\\#X#Y#" VOLUME_CLASS);
  assert_null (fstr (u, "bus"));
  assert_string_equal (fstr (u, "device_type"), "X");
  assert_string_equal (fstr (u, "instance"), "Y");
  mountdb_uid_free (u);
}

/* A last part in braces that is no GUID: still the class slot. */
static void
test_path_bad_class_guid (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path ("\\??\\FDC#GENERIC_FLOPPY_DRIVE#6&2bc13940&0&0#"
                             "{53f5630d-b6bf-11d0-94f2-00a0c91efb8}");
  assert_string_equal (fstr (u, "device_type"), "GENERIC_FLOPPY_DRIVE");
  assert_string_equal (fstr (u, "instance"), "6&2bc13940&0&0");
  assert_null (fstr (u, "class_guid"));
  assert_null (fstr (u, "class"));
  mountdb_uid_free (u);
}

static void
test_path_class_names (void **state)
{
  (void) state;
  static const struct { const char *d1, *name; } c[] = {
    { "53f56307", "disk" }, { "53f56308", "cdrom" },
    { "53f5630a", "partition" }, { "53f5630b", "tape" },
    { "53f5630c", "write_once_disk" }, { "53f5630d", "volume" },
    { "53f56310", "medium_changer" }, { "53f56311", "floppy" },
    { "53f56312", "cd_changer" }, { "53f56309", NULL },
    { "53f5630e", NULL },
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
    {
      char text[128], want[40];
      snprintf (text, sizeof text,
                "\\??\\X#Y#Z#{%s-b6bf-11d0-94f2-00a0c91efb8b}", c[i].d1);
      snprintf (want, sizeof want, "%s-b6bf-11d0-94f2-00a0c91efb8b", c[i].d1);
      mountdb_uid *u = dec_path (text);
      assert_string_equal (fstr (u, "class_guid"), want);
      if (c[i].name != NULL)
        assert_string_equal (fstr (u, "class"), c[i].name);
      else
        assert_null (fstr (u, "class"));
      mountdb_uid_free (u);
    }
  /* Same Data1, other tail: unknown. Upper case: lowered. */
  mountdb_uid *u = dec_path ("\\??\\X#Y#Z#{53f56307-b6bf-11d0-94f2-00a0c91efb8c}");
  assert_null (fstr (u, "class"));
  mountdb_uid_free (u);
  u = dec_path ("\\??\\X#Y#Z#{53F56307-B6BF-11D0-94F2-00A0C91EFB8B}");
  assert_string_equal (fstr (u, "class_guid"),
                       "53f56307-b6bf-11d0-94f2-00a0c91efb8b");
  assert_string_equal (fstr (u, "class"), "disk");
  mountdb_uid_free (u);
}

static void
test_path_device_ids (void **state)
{
  (void) state;
  /* IDE-style id not 48 units after the type: all of it is the product. */
  mountdb_uid *u = dec_path ("\\??\\IDE#DiskST3500418AS___#1#" DISK_CLASS);
  assert_string_equal (fstr (u, "device_type"), "Disk");
  assert_string_equal (fstr (u, "product"), "ST3500418AS");
  assert_null (fstr (u, "revision"));
  assert_string_equal (mountdb_uid_summary (u), "IDE disk ST3500418AS");
  mountdb_uid_free (u);

  /* The type alone. */
  u = dec_path ("\\??\\IDE#Disk#1#" DISK_CLASS);
  assert_string_equal (fstr (u, "device_type"), "Disk");
  assert_null (fstr (u, "product"));
  assert_string_equal (mountdb_uid_summary (u), "disk (IDE), instance 1");
  mountdb_uid_free (u);

  /* All padding: no product, no revision. */
  u = dec_path ("\\??\\IDE#CdRom________________________________________"
                "________#1#" VOLUME_CLASS);
  assert_null (fstr (u, "product"));
  assert_null (fstr (u, "revision"));
  mountdb_uid_free (u);

  /* Ven_ first (no type token), lower-case token names, extra tokens. */
  u = dec_path ("\\??\\SCSI#ven_A_&prod__B&Extra&rev_1#1#" DISK_CLASS);
  assert_null (fstr (u, "device_type"));
  assert_string_equal (fstr (u, "vendor"), "A");
  assert_string_equal (fstr (u, "product"), "B");
  assert_string_equal (fstr (u, "revision"), "1");
  assert_string_equal (mountdb_uid_summary (u), "SCSI device A B");
  mountdb_uid_free (u);

  /* An unknown type with '&' but no Ven_/Prod_. */
  u = dec_path ("\\??\\SWD#WPDBUSENUM&X#1#" VOLUME_CLASS);
  assert_string_equal (fstr (u, "device_type"), "WPDBUSENUM");
  assert_string_equal (mountdb_uid_summary (u),
                       "device WPDBUSENUM (SWD), instance 1");
  mountdb_uid_free (u);

  /* Empty Ven_ value: omitted. */
  u = dec_path ("\\??\\SCSI#Disk&Ven_&Prod_P#1#" DISK_CLASS);
  assert_null (fstr (u, "vendor"));
  assert_string_equal (fstr (u, "product"), "P");
  mountdb_uid_free (u);
}

/* Summaries are shown to people: no controls, bidi overrides, line
 * separators or invisible characters; long pieces cut.  Fields keep the
 * text. */
static void
test_path_summary_sanitized (void **state)
{
  (void) state;
  mountdb_uid *u = dec_path ("\\??\\SCSI#Disk&Ven_A\x1B[2J&Prod_B\x85\x7F"
                             "#1#" DISK_CLASS);
  assert_string_equal (fstr (u, "vendor"), "A\x1B[2J");
  assert_string_equal (fstr (u, "product"), "B\xC2\x85\x7F");
  assert_string_equal (mountdb_uid_summary (u),
                       "SCSI disk A" FFFD "[2J B" FFFD FFFD);
  mountdb_uid_free (u);

  /* U+202E and U+2028 in the product. */
  size_t n;
  uint8_t *b = u16le ("\\??\\SCSI#Disk&Ven_A&Prod_xy#1#" DISK_CLASS, &n);
  b[2 * 25] = 0x2E, b[2 * 25 + 1] = 0x20;
  b[2 * 26] = 0x28, b[2 * 26 + 1] = 0x20;
  u = dec (b, n);
  assert_string_equal (fstr (u, "product"), "\xE2\x80\xAE\xE2\x80\xA8");
  assert_string_equal (mountdb_uid_summary (u), "SCSI disk A " FFFD FFFD);
  mountdb_uid_free (u);
  free (b);

  /* Zero-width, soft hyphen and BOM: hidden on screen, so hidden from
   * summaries too, the same set the CLI escapes (lib/common/display.h;
   * the library's own list let them through, issue 12 item 3). */
  b = u16le ("\\??\\SCSI#Disk&Ven_A&Prod_xyz#1#" DISK_CLASS, &n);
  b[2 * 25] = 0x0B, b[2 * 25 + 1] = 0x20;
  b[2 * 26] = 0xAD, b[2 * 26 + 1] = 0x00;
  b[2 * 27] = 0xFF, b[2 * 27 + 1] = 0xFE;
  u = dec (b, n);
  assert_string_equal (fstr (u, "product"),
                       "\xE2\x80\x8B\xC2\xAD\xEF\xBB\xBF");
  assert_string_equal (mountdb_uid_summary (u),
                       "SCSI disk A " FFFD FFFD FFFD);
  mountdb_uid_free (u);
  free (b);

  /* A lone surrogate in the bus. */
  b = u16le ("\\??\\SCSI#Disk&Ven_A&Prod_B#1#" DISK_CLASS, &n);
  b[2 * 4] = 0x00, b[2 * 4 + 1] = 0xD8;
  u = dec (b, n);
  assert_string_equal (fstr (u, "bus"), FFFD "CSI");
  assert_string_equal (mountdb_uid_summary (u), FFFD "CSI disk A B");
  mountdb_uid_free (u);
  free (b);
}

static void
test_path_summary_truncated (void **state)
{
  (void) state;
  char text[512];
  char product[201];
  memset (product, 'x', 200);
  product[200] = '\0';
  snprintf (text, sizeof text, "\\??\\SCSI#Disk&Ven_A&Prod_%s#1#" DISK_CLASS,
            product);
  mountdb_uid *u = dec_path (text);
  assert_string_equal (fstr (u, "product"), product);
  char want[256];
  snprintf (want, sizeof want, "SCSI disk A %.80s\xE2\x80\xA6", product);
  assert_string_equal (mountdb_uid_summary (u), want);
  mountdb_uid_free (u);
}

/* Long values: linear work, bounded by len (here 1 MiB of units). */
static void
test_path_long (void **state)
{
  (void) state;
  enum { UNITS = 512 * 1024 };
  uint8_t *b = malloc (2 * UNITS);
  assert_non_null (b);
  memcpy (b, "\\\0?\0?\0\\\0", 8);
  for (size_t i = 4; i < UNITS; i++)
    {
      b[2 * i] = (i % 3 == 0) ? '#' : (i % 3 == 1) ? '&' : 'V';
      b[2 * i + 1] = 0;
    }
  mountdb_uid *u = dec (b, 2 * UNITS);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DEVICE_PATH);
  assert_int_equal (strlen (fstr (u, "path")), UNITS);
  assert_display_safe (mountdb_uid_summary (u));
  mountdb_uid_free (u);

  /* A long instance-free id of '&' tokens. */
  for (size_t i = 4; i < UNITS; i++)
    b[2 * i] = (i == 8) ? '#' : '&';
  u = dec (b, 2 * UNITS);
  assert_string_equal (fstr (u, "bus"), "&&&&");
  mountdb_uid_free (u);
  free (b);
}

/* ---- accessors ------------------------------------------------------------- */

static void
test_field_accessor_bounds (void **state)
{
  (void) state;
  mountdb_uid *u = dec (win7_usb, sizeof win7_usb);
  size_t n = mountdb_uid_field_count (u);
  assert_int_equal (n, 11);
  const char *k = "unchanged";
  assert_int_equal (mountdb_uid_field_get (u, n, &k, NULL, NULL, NULL),
                    MOUNTDB_E_INVAL);
  assert_string_equal (k, "unchanged");
  assert_int_equal (mountdb_uid_field_get (u, (size_t) -1, NULL, NULL, NULL, NULL),
                    MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_uid_field_get (u, 0, NULL, NULL, NULL, NULL), 0);
  mountdb_uid_free (u);
}

static void
test_null_uid (void **state)
{
  (void) state;
  assert_int_equal (mountdb_uid_shape (NULL), MOUNTDB_E_INVAL);
  assert_null (mountdb_uid_summary (NULL));
  assert_int_equal (mountdb_uid_disk_signature (NULL), 0);
  assert_int_equal (mountdb_uid_partition_offset (NULL), 0);
  assert_null (mountdb_uid_guid (NULL));
  assert_int_equal (mountdb_uid_field_count (NULL), 0);
  assert_int_equal (mountdb_uid_field_get (NULL, 0, NULL, NULL, NULL, NULL),
                    MOUNTDB_E_INVAL);
  mountdb_uid_free (NULL);
}

static void
test_shape_names (void **state)
{
  (void) state;
  assert_string_equal (mountdb_shape_name (MOUNTDB_SHAPE_MBR), "mbr");
  assert_string_equal (mountdb_shape_name (MOUNTDB_SHAPE_DMIO), "dmio");
  assert_string_equal (mountdb_shape_name (MOUNTDB_SHAPE_DEVICE_PATH),
                       "device_path");
  assert_string_equal (mountdb_shape_name (MOUNTDB_SHAPE_FT8), "ft8");
  assert_string_equal (mountdb_shape_name (MOUNTDB_SHAPE_ZERO), "zero");
  assert_string_equal (mountdb_shape_name (MOUNTDB_SHAPE_ASCII), "ascii");
  assert_string_equal (mountdb_shape_name (MOUNTDB_SHAPE_OPAQUE), "opaque");
  assert_null (mountdb_shape_name (-1));
  assert_null (mountdb_shape_name (MOUNTDB_SHAPE_OPAQUE + 1));
}

/* Every shape: summaries are display-safe, typed shortcuts agree. */
static void
test_all_shapes_display_safe (void **state)
{
  (void) state;
  const uint8_t mbr[12] = { 1 };
  const uint8_t ft[8] = { 1 };
  const uint8_t zero[5] = { 0 };
  const uint8_t op[3] = { 1, 2, 3 };
  uint8_t dmio[24] = { 'D', 'M', 'I', 'O', ':', 'I', 'D', ':' };
  const struct { const void *d; size_t n; int shape; } c[] = {
    { mbr, 12, MOUNTDB_SHAPE_MBR }, { dmio, 24, MOUNTDB_SHAPE_DMIO },
    { win7_usb, sizeof win7_usb, MOUNTDB_SHAPE_DEVICE_PATH },
    { ft, 8, MOUNTDB_SHAPE_FT8 }, { zero, 5, MOUNTDB_SHAPE_ZERO },
    { "/cd", 4, MOUNTDB_SHAPE_ASCII }, { op, 3, MOUNTDB_SHAPE_OPAQUE },
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
    {
      mountdb_uid *u = dec (c[i].d, c[i].n);
      assert_int_equal (mountdb_uid_shape (u), c[i].shape);
      assert_non_null (mountdb_uid_summary (u));
      assert_display_safe (mountdb_uid_summary (u));
      assert_true (mountdb_uid_field_count (u) >= 1);
      assert_int_equal (mountdb_uid_guid (u) != NULL,
                        c[i].shape == MOUNTDB_SHAPE_DMIO);
      mountdb_uid_free (u);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_mbr_real_win7),
    cmocka_unit_test (test_mbr_real_xp_and_81),
    cmocka_unit_test (test_mbr_offsets),
    cmocka_unit_test (test_mbr_zero_signature),
    cmocka_unit_test (test_mbr_boundary_lengths),
    cmocka_unit_test (test_dmio_real_win10),
    cmocka_unit_test (test_dmio_nil_guid),
    cmocka_unit_test (test_dmio_boundaries),
    cmocka_unit_test (test_ft8),
    cmocka_unit_test (test_ft8_boundaries),
    cmocka_unit_test (test_zero),
    cmocka_unit_test (test_empty),
    cmocka_unit_test (test_opaque_one_byte),
    cmocka_unit_test (test_wine_path),
    cmocka_unit_test (test_wine_boundaries),
    cmocka_unit_test (test_wine_rejects),
    cmocka_unit_test (test_path_real_usb_win7),
    cmocka_unit_test (test_path_real_usb_win10),
    cmocka_unit_test (test_path_real_ide),
    cmocka_unit_test (test_path_real_ide_hash_in_model),
    cmocka_unit_test (test_path_real_scsi),
    cmocka_unit_test (test_path_real_floppy),
    cmocka_unit_test (test_path_real_xp_removable),
    cmocka_unit_test (test_path_usb_serials),
    cmocka_unit_test (test_path_win32_prefix),
    cmocka_unit_test (test_path_length_precedence),
    cmocka_unit_test (test_path_prefix_only),
    cmocka_unit_test (test_path_odd_length),
    cmocka_unit_test (test_path_contains_nul),
    cmocka_unit_test (test_path_missing_parts),
    cmocka_unit_test (test_path_bad_class_guid),
    cmocka_unit_test (test_path_class_names),
    cmocka_unit_test (test_path_device_ids),
    cmocka_unit_test (test_path_summary_sanitized),
    cmocka_unit_test (test_path_summary_truncated),
    cmocka_unit_test (test_path_long),
    cmocka_unit_test (test_field_accessor_bounds),
    cmocka_unit_test (test_null_uid),
    cmocka_unit_test (test_shape_names),
    cmocka_unit_test (test_all_shapes_display_safe),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
