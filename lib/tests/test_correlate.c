/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/correlate.c on hand-built partition descriptions:
 * where an ID is (present, absent, unresolved: V14's dynamic disks and
 * device paths), and the remap tables a clone, an MBR->GPT conversion
 * and moved partitions give, with every refusal (none, several, two old
 * volumes onto one new one, several hive disks that fit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "correlate.h"

#define MiB ((uint64_t) 1 << 20)
#define NONE ((size_t) -1)

static uint8_t ids[64][24];   /* storage for the IDs the helpers make */
static size_t nids;

static const uint8_t *
mbr_id (uint32_t sig, uint64_t off)
{
  uint8_t *b = ids[nids++ % 64];
  md_put_le32 (b, sig);
  md_put_le64 (b + 4, off);
  return b;
}

static const uint8_t *
dmio_id (uint8_t fill)
{
  uint8_t *b = ids[nids++ % 64];
  memcpy (b, "DMIO:ID:", 8);
  memset (b + 8, fill, 16);
  return b;
}

/* A partition of an MBR disk. */
static struct md_part
mbr_part (uint32_t sig, unsigned number, uint64_t start, const char *serial)
{
  struct md_part p = { 0 };
  p.number = number;
  p.start = start;
  p.size = 100 * MiB;
  p.signature = sig;
  p.serial = serial;
  p.id = mbr_id (sig, start);
  p.idlen = 12;
  return p;
}

static struct md_part
gpt_part (uint8_t guid, unsigned number, uint64_t start, const char *serial)
{
  struct md_part p = { 0 };
  p.number = number;
  p.start = start;
  p.size = 100 * MiB;
  p.gpt = 1;
  p.serial = serial;
  p.id = dmio_id (guid);
  p.idlen = 24;
  return p;
}

/* ---- md_where ----------------------------------------------------------------------- */

static void
test_where (void **state)
{
  (void) state;
  struct md_part parts[3] = {
    mbr_part (0x5cbea03e, 1, MiB, NULL),
    gpt_part (0x11, 2, 16 * MiB, NULL),
    mbr_part (0x5cbea03e, 1, MiB, NULL),       /* a clone: same ID */
  };
  struct md_disk_desc disks[2] = { { 0, 0x5cbea03e }, { 0, 0 } };
  size_t at, count;

  assert_int_equal (md_where (parts, 3, disks, 2, MOUNTDB_SHAPE_MBR,
                              mbr_id (0x5cbea03e, MiB), 12, &at, &count),
                    MD_PRESENT);
  assert_int_equal (at, 0);
  assert_int_equal (count, 2);
  assert_int_equal (md_where (parts, 3, disks, 2, MOUNTDB_SHAPE_DMIO,
                              dmio_id (0x11), 24, &at, &count), MD_PRESENT);
  assert_int_equal (at, 1);
  assert_int_equal (count, 1);
  /* Same signature, another offset: absent.  A length that differs is
   * another ID even with the same leading bytes. */
  assert_int_equal (md_where (parts, 3, disks, 2, MOUNTDB_SHAPE_MBR,
                              mbr_id (0x5cbea03e, 2 * MiB), 12, &at, &count),
                    MD_ABSENT);
  assert_int_equal (at, NONE);
  assert_int_equal (count, 0);
  assert_int_equal (md_where (parts, 3, disks, 2, MOUNTDB_SHAPE_OPAQUE,
                              mbr_id (0x5cbea03e, MiB), 11, &at, &count),
                    MD_UNRESOLVED);
  assert_int_equal (md_where (parts, 3, disks, 2, MOUNTDB_SHAPE_DMIO,
                              dmio_id (0x22), 24, &at, &count), MD_ABSENT);
  /* Device paths: no table describes a USB stick or a CD-ROM. */
  static const uint8_t usb[] = { '_', 0, '?', 0, '?', 0, '_', 0 };
  assert_int_equal (md_where (parts, 3, disks, 2, MOUNTDB_SHAPE_DEVICE_PATH,
                              usb, sizeof usb, &at, &count), MD_UNRESOLVED);
  /* No disks at all: still absent (on none of them). */
  assert_int_equal (md_where (NULL, 0, NULL, 0, MOUNTDB_SHAPE_MBR,
                              mbr_id (1, MiB), 12, &at, &count), MD_ABSENT);
}

/* V14: with a dynamic disk given, a DMIO ID no GPT holds may be an LDM
 * volume, and an MBR ID of the dynamic disk's signature is LDM's too. */
static void
test_where_dynamic (void **state)
{
  (void) state;
  struct md_part parts[1] = { gpt_part (0x11, 1, MiB, NULL) };
  struct md_disk_desc disks[2] = { { 0, 0 }, { 1, 0xabcdef01 } };
  size_t at, count;
  assert_int_equal (md_where (parts, 1, disks, 2, MOUNTDB_SHAPE_DMIO,
                              dmio_id (0x33), 24, &at, &count),
                    MD_UNRESOLVED);
  assert_int_equal (md_where (parts, 1, disks, 2, MOUNTDB_SHAPE_MBR,
                              mbr_id (0xabcdef01, MiB), 12, &at, &count),
                    MD_UNRESOLVED);
  assert_int_equal (md_where (parts, 1, disks, 2, MOUNTDB_SHAPE_MBR,
                              mbr_id (0xabcdef02, MiB), 12, &at, &count),
                    MD_ABSENT);
  /* Present wins: a GPT partition's own ID is where it is. */
  assert_int_equal (md_where (parts, 1, disks, 2, MOUNTDB_SHAPE_DMIO,
                              dmio_id (0x11), 24, &at, &count), MD_PRESENT);
}

/* ---- md_remap_derive ----------------------------------------------------------------- */

/* A clone with a new signature: each old partition to the one at its
 * offset. */
static void
test_derive_clone (void **state)
{
  (void) state;
  struct md_part old[3] = {
    mbr_part (0x11111111, 1, MiB, NULL),
    mbr_part (0x11111111, 2, 101 * MiB, NULL),
    mbr_part (0x11111111, 5, 300 * MiB, NULL),  /* logical: absolute */
  };
  struct md_part nw[3] = {
    mbr_part (0x22222222, 5, 300 * MiB, NULL),
    mbr_part (0x22222222, 1, MiB, NULL),
    mbr_part (0x22222222, 2, 101 * MiB, NULL),
  };
  struct md_remap_row rows[3];
  size_t n;
  assert_int_equal (md_remap_derive (old, 3, nw, 3, MD_BY_OFFSET, rows, &n), 0);
  assert_int_equal (n, 3);
  assert_int_equal (rows[0].new_at, 1);
  assert_int_equal (rows[1].new_at, 2);
  assert_int_equal (rows[2].new_at, 0);
  for (size_t i = 0; i < 3; i++)
    {
      assert_int_equal (rows[i].old, i);
      assert_int_equal (rows[i].how, MD_HOW_OFFSET);
      assert_int_equal (rows[i].candidates, 1);
    }
}

/* MBR2GPT in place: the GPT partition at the same start; a partition that
 * gets no ID (the MSR MBR2GPT may add) is no candidate; one that keeps its
 * ID is SAME. */
static void
test_derive_mbr2gpt (void **state)
{
  (void) state;
  struct md_part old[2] = {
    mbr_part (0x5cbea03e, 1, MiB, NULL),
    mbr_part (0x5cbea03e, 2, 501 * MiB, NULL),
  };
  struct md_part nw[3] = {
    gpt_part (0xa1, 1, MiB, NULL),
    gpt_part (0xa2, 2, 501 * MiB, NULL),
    gpt_part (0xa3, 3, 900 * MiB, NULL),
  };
  nw[2].id = NULL;             /* MSR: no Windows ID */
  nw[2].start = 501 * MiB;     /* even at the same start */
  struct md_remap_row rows[2];
  size_t n;
  assert_int_equal (md_remap_derive (old, 2, nw, 3, MD_BY_OFFSET, rows, &n), 0);
  assert_int_equal (n, 2);
  assert_int_equal (rows[0].new_at, 0);
  assert_int_equal (rows[1].new_at, 1);

  /* Run again on the converted layout: every ID is SAME. */
  struct md_part again[2] = { nw[0], nw[1] };
  assert_int_equal (md_remap_derive (again, 2, nw, 3, MD_BY_OFFSET, rows, &n), 0);
  assert_int_equal (rows[0].how, MD_HOW_SAME);
  assert_int_equal (rows[1].how, MD_HOW_SAME);
}

static void
test_derive_refusals (void **state)
{
  (void) state;
  struct md_part old[3] = {
    mbr_part (0x11111111, 1, MiB, NULL),
    mbr_part (0x11111111, 2, 101 * MiB, NULL),
    { 0 },                      /* no ID: no row */
  };
  struct md_part nw[2] = {
    mbr_part (0x22222222, 1, MiB, NULL),
    gpt_part (0xb1, 1, MiB, NULL),      /* two at 1 MiB: several */
  };
  struct md_remap_row rows[3];
  size_t n;
  assert_int_equal (md_remap_derive (old, 3, nw, 2, MD_BY_OFFSET, rows, &n), 2);
  assert_int_equal (n, 2);
  assert_int_equal (rows[0].how, MD_HOW_SEVERAL);
  assert_int_equal (rows[0].candidates, 2);
  assert_int_equal (rows[0].new_at, NONE);
  assert_int_equal (rows[1].how, MD_HOW_NONE);
  assert_int_equal (rows[1].candidates, 0);
  assert_int_equal (md_remap_derive (old, 3, NULL, 0, MD_BY_OFFSET, rows, &n), 2);
}

/* Moved and resized (--from-disk): number and serial; a serial alone when
 * the number changed; without serials, number and start. */
static void
test_derive_serial (void **state)
{
  (void) state;
  struct md_part old[4] = {
    mbr_part (0x11111111, 1, MiB, "1A2B3C4D5E6F7081"),
    mbr_part (0x11111111, 2, 101 * MiB, "AAAA-BBBB"),
    mbr_part (0x11111111, 3, 201 * MiB, NULL),
    mbr_part (0x11111111, 4, 301 * MiB, "dead-beef"),
  };
  struct md_part nw[4] = {
    gpt_part (0xc1, 1, 2 * MiB, "1a2b3c4d5e6f7081"),    /* moved */
    gpt_part (0xc2, 3, 150 * MiB, "AAAA-BBBB"),          /* renumbered */
    gpt_part (0xc3, 3, 201 * MiB, NULL),                 /* no serial */
    gpt_part (0xc4, 4, 301 * MiB, "other"),
  };
  struct md_remap_row rows[4];
  size_t n;
  assert_int_equal (md_remap_derive (old, 4, nw, 4, MD_BY_SERIAL, rows, &n), 1);
  assert_int_equal (rows[0].how, MD_HOW_SERIAL_NUMBER);
  assert_int_equal (rows[0].new_at, 0);
  assert_int_equal (rows[1].how, MD_HOW_SERIAL);
  assert_int_equal (rows[1].new_at, 1);
  assert_int_equal (rows[2].how, MD_HOW_NUMBER_START);
  assert_int_equal (rows[2].new_at, 2);
  /* A serial that is gone is no match, even at the same number and
   * start: the filesystem was replaced. */
  assert_int_equal (rows[3].how, MD_HOW_NONE);
}

/* Two old volumes onto one new partition: both refused. */
static void
test_derive_taken (void **state)
{
  (void) state;
  struct md_part old[2] = {
    mbr_part (0x11111111, 1, MiB, "S1"),
    mbr_part (0x22222222, 2, MiB, "S1"),   /* a clone of the same fs */
  };
  struct md_part nw[1] = { gpt_part (0xd1, 1, MiB, "S1") };
  struct md_remap_row rows[2];
  size_t n;
  assert_int_equal (md_remap_derive (old, 2, nw, 1, MD_BY_SERIAL, rows, &n), 2);
  assert_int_equal (rows[0].how, MD_HOW_TAKEN);
  assert_int_equal (rows[1].how, MD_HOW_TAKEN);
  assert_int_equal (md_remap_derive (old, 2, nw, 1, MD_BY_OFFSET, rows, &n), 2);
}

/* ---- md_remap_from_hive -------------------------------------------------------------- */

static void
test_from_hive (void **state)
{
  (void) state;
  /* The hive: system disk 11111111 (1 MiB, 101 MiB), a USB disk 33333333
   * at 64 KiB, and a device path (no MBR ID: ignored). */
  struct md_part hive[4] = {
    mbr_part (0x11111111, 0, MiB, NULL),
    mbr_part (0x33333333, 0, 64 * 1024, NULL),
    mbr_part (0x11111111, 0, 101 * MiB, NULL),
    { 0 },
  };
  struct md_part nw[3] = {
    gpt_part (0xe1, 1, MiB, NULL),
    gpt_part (0xe2, 2, 101 * MiB, NULL),
    gpt_part (0xe3, 3, 500 * MiB, NULL),  /* new partition: not needed */
  };
  struct md_remap_row rows[4];
  size_t n;
  uint32_t sig, sig2;
  assert_int_equal (md_remap_from_hive (hive, 4, nw, 3, 0, rows, &n, &sig,
                                        &sig2), 0);
  assert_int_equal (sig, 0x11111111);
  assert_int_equal (n, 2);
  assert_int_equal (rows[0].old, 0);
  assert_int_equal (rows[0].new_at, 0);
  assert_int_equal (rows[1].old, 2);
  assert_int_equal (rows[1].new_at, 1);

  /* A second hive disk that fits too (one partition at 1 MiB): refused,
   * naming both; naming one (only_sig) settles it. */
  hive[1] = mbr_part (0x44444444, 0, MiB, NULL);
  assert_int_equal (md_remap_from_hive (hive, 4, nw, 3, 0, rows, &n, &sig,
                                        &sig2), MOUNTDB_E_AMBIGUOUS);
  assert_int_equal (sig, 0x11111111);
  assert_int_equal (sig2, 0x44444444);
  assert_int_equal (n, 0);
  assert_int_equal (md_remap_from_hive (hive, 4, nw, 3, 0x44444444, rows, &n,
                                        &sig, &sig2), 0);
  assert_int_equal (n, 1);
  assert_int_equal (rows[0].old, 1);

  /* Partial: the old disk had a partition the new layout lacks. */
  hive[1] = mbr_part (0x11111111, 0, 700 * MiB, NULL);
  assert_int_equal (md_remap_from_hive (hive, 4, nw, 3, 0, rows, &n, &sig,
                                        &sig2), MOUNTDB_E_NOMATCH);
  assert_int_equal (sig, 0x11111111);
  assert_int_equal (n, 3);
  assert_int_equal (rows[1].old, 1);
  assert_int_equal (rows[1].how, MD_HOW_NONE);
}

/* Idempotent: after the remap the hive holds the new IDs, and no MBR
 * group is left to match. */
static void
test_from_hive_current (void **state)
{
  (void) state;
  struct md_part nw[1] = { mbr_part (0x22222222, 1, MiB, NULL) };
  struct md_part hive[1] = { mbr_part (0x22222222, 0, MiB, NULL) };
  struct md_remap_row rows[1];
  size_t n;
  uint32_t sig, sig2;
  assert_int_equal (md_remap_from_hive (hive, 1, nw, 1, 0, rows, &n, &sig,
                                        &sig2), MOUNTDB_E_NOMATCH);
  assert_int_equal (sig, 0);
  assert_int_equal (n, 0);
  assert_int_equal (md_remap_from_hive (NULL, 0, nw, 1, 0, rows, &n, &sig,
                                        &sig2), MOUNTDB_E_NOMATCH);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_where),
    cmocka_unit_test (test_where_dynamic),
    cmocka_unit_test (test_derive_clone),
    cmocka_unit_test (test_derive_mbr2gpt),
    cmocka_unit_test (test_derive_refusals),
    cmocka_unit_test (test_derive_serial),
    cmocka_unit_test (test_derive_taken),
    cmocka_unit_test (test_from_hive),
    cmocka_unit_test (test_from_hive_current),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
