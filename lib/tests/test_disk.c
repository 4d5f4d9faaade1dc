/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Disks (issue 13) through the public API, on the images testdata/mkdisk
 * writes into $DISKS at test time (sparse: a few KiB each), and on bad
 * input: directories, FIFOs, character devices, empty and damaged images. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "mountdb.h"
#include "blkiddl.h" /* md_blkid_try: the message when libblkid is missing */
#include "disk.h"    /* md_fs_probe_kind: which filesystems are looked for */

static const char *dir;

static mountdb_disk *
open_img (const char *name, unsigned ss)
{
  char path[4096];
  snprintf (path, sizeof path, "%s/%s", dir, name);
  mountdb_disk *d = NULL;
  mountdb_error err;
  if (mountdb_disk_open (path, ss, &d, &err) < 0)
    fail_msg ("%s", err.message);
  assert_string_equal (mountdb_disk_path (d), path);
  return d;
}

/* Opening must fail with code and a message naming the path and
 * containing why. */
static void
refused (const char *path, int code, const char *why)
{
  mountdb_disk *d = (mountdb_disk *) 1;
  mountdb_error err;
  memset (&err, 0, sizeof err);
  assert_int_equal (mountdb_disk_open (path, 0, &d, &err), code);
  assert_null (d);
  assert_int_equal (err.code, code);
  assert_non_null (strstr (err.message, path));
  if (strstr (err.message, why) == NULL)
    fail_msg ("'%s' lacks '%s'", err.message, why);
}

static const mountdb_partition *
part (const mountdb_disk *d, unsigned number)
{
  for (size_t i = 0; i < mountdb_disk_partition_count (d); i++)
    if (mountdb_partition_number (mountdb_disk_partition_get (d, i)) == number)
      return mountdb_disk_partition_get (d, i);
  fail_msg ("no partition %u", number);
  return NULL;
}

static int
has_warning (const mountdb_disk *d, const char *what)
{
  for (size_t i = 0; i < mountdb_disk_warning_count (d); i++)
    if (strstr (mountdb_disk_warning_get (d, i), what)
        && strstr (mountdb_disk_warning_get (d, i), mountdb_disk_path (d)))
      return 1;
  return 0;
}

/* The 12-byte MBR ID: signature LE, byte offset LE. */
static void
assert_mbr_id (const mountdb_partition *p, uint32_t sig, uint64_t off)
{
  size_t len = 0;
  const uint8_t *id = mountdb_partition_unique_id (p, &len);
  assert_non_null (id);
  assert_int_equal (len, 12);
  uint8_t want[12];
  for (int i = 0; i < 4; i++)
    want[i] = (uint8_t) (sig >> (8 * i));
  for (int i = 0; i < 8; i++)
    want[4 + i] = (uint8_t) (off >> (8 * i));
  assert_memory_equal (id, want, 12);
  char spec[64];
  snprintf (spec, sizeof spec, "mbr:%08X:%llu", (unsigned) sig,
            (unsigned long long) off);
  assert_string_equal (mountdb_partition_spec (p), spec);
  /* The ID is the one the spec parser makes: one encoder. */
  mountdb_spec *sp;
  assert_int_equal (mountdb_spec_parse (spec, &sp, NULL), 0);
  size_t sl;
  const uint8_t *sid = mountdb_spec_id (sp, &sl);
  assert_int_equal (sl, 12);
  assert_memory_equal (sid, id, 12);
  mountdb_spec_free (sp);
}

static void
assert_no_id (const mountdb_partition *p)
{
  size_t len = 99;
  assert_null (mountdb_partition_unique_id (p, &len));
  assert_int_equal (len, 0);
  assert_null (mountdb_partition_spec (p));
}

static void
test_mbr_extended (void **state)
{
  (void) state;
  mountdb_disk *d = open_img ("mbr-ext.img", 0);
  assert_int_equal (mountdb_disk_table (d), MOUNTDB_TABLE_MBR);
  assert_string_equal (mountdb_table_name (mountdb_disk_table (d)), "mbr");
  assert_int_equal (mountdb_disk_signature (d), 0x7C1D9E42);
  assert_null (mountdb_disk_guid (d));
  assert_int_equal (mountdb_disk_sector_size (d), 512);
  assert_true (mountdb_disk_size (d) == 600ULL << 30);
  assert_int_equal (mountdb_disk_flags (d), 0);
  assert_int_equal (mountdb_disk_warning_count (d), 0);
  assert_int_equal (mountdb_disk_partition_count (d), 5);

  const mountdb_partition *p1 = part (d, 1);
  assert_ptr_equal (mountdb_partition_disk (p1), d);
  assert_true (mountdb_partition_start (p1) == 1 << 20);
  assert_true (mountdb_partition_size (p1) == 100 << 20);
  assert_int_equal (mountdb_partition_mbr_type (p1), 0x07);
  assert_string_equal (mountdb_partition_type_name (p1), "ntfs_exfat");
  assert_null (mountdb_partition_type_guid (p1));
  assert_null (mountdb_partition_guid (p1));
  assert_string_equal (mountdb_partition_fs (p1), "ntfs");
  assert_string_equal (mountdb_partition_label (p1), "DATA");
  assert_string_equal (mountdb_partition_serial (p1), "1A2B3C4D5E6F7081");
  assert_false (mountdb_partition_logical (p1));
  assert_mbr_id (p1, 0x7C1D9E42, 1 << 20);

  const mountdb_partition *p2 = part (d, 2);
  assert_string_equal (mountdb_partition_type_name (p2), "fat32");
  assert_string_equal (mountdb_partition_fs (p2), "vfat");
  assert_string_equal (mountdb_partition_label (p2), "STICK");
  assert_string_equal (mountdb_partition_serial (p2), "5EED-1234");
  assert_mbr_id (p2, 0x7C1D9E42, 238475ULL << 20);

  const mountdb_partition *p3 = part (d, 3);
  assert_string_equal (mountdb_partition_type_name (p3), "extended");
  assert_no_id (p3);

  /* Logical partitions: IDs use the absolute byte offset. */
  const mountdb_partition *p5 = part (d, 5);
  assert_true (mountdb_partition_logical (p5));
  assert_true (mountdb_partition_start (p5) == 512ULL << 30);
  assert_string_equal (mountdb_partition_label (p5), "ARCHIVE");
  assert_mbr_id (p5, 0x7C1D9E42, 512ULL << 30);
  const mountdb_partition *p6 = part (d, 6);
  assert_true (mountdb_partition_logical (p6));
  assert_mbr_id (p6, 0x7C1D9E42, (520ULL << 30) + (1 << 20));
  assert_null (mountdb_partition_fs (p6));
  mountdb_disk_close (d);
}

static void
test_gpt (void **state)
{
  (void) state;
  mountdb_disk *d = open_img ("gpt.img", 0);
  assert_int_equal (mountdb_disk_table (d), MOUNTDB_TABLE_GPT);
  assert_string_equal (mountdb_disk_guid (d),
                       "6b1f0e3d-0000-4f7e-8d51-0c3b2a1f9e84");
  assert_int_equal (mountdb_disk_signature (d), 0);
  assert_int_equal (mountdb_disk_flags (d), MOUNTDB_DISK_PROTECTIVE_MBR);
  assert_int_equal (mountdb_disk_partition_count (d), 4);

  const mountdb_partition *esp = part (d, 1);
  assert_string_equal (mountdb_partition_type_name (esp), "esp");
  assert_string_equal (mountdb_partition_spec (esp),
                       "gpt:a452a769-2582-4a98-b8fe-1a60227c4df6");
  assert_int_equal (mountdb_partition_mbr_type (esp), 0);

  const mountdb_partition *msr = part (d, 2);
  assert_string_equal (mountdb_partition_type_name (msr), "msr");
  assert_no_id (msr);

  const mountdb_partition *c = part (d, 3);
  assert_string_equal (mountdb_partition_type_guid (c),
                       "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");
  assert_string_equal (mountdb_partition_type_name (c), "basic_data");
  assert_string_equal (mountdb_partition_guid (c),
                       "51146fa9-943d-479b-9598-be5a8c9516b6");
  assert_string_equal (mountdb_partition_fs (c), "ntfs");
  assert_string_equal (mountdb_partition_label (c), "Windows");
  size_t len;
  const uint8_t *id = mountdb_partition_unique_id (c, &len);
  assert_int_equal (len, 24);
  /* DMIO:ID: + the GUID in Windows' layout (Data1..3 little-endian). */
  static const uint8_t want[24] = {
    'D', 'M', 'I', 'O', ':', 'I', 'D', ':',
    0xa9, 0x6f, 0x14, 0x51, 0x3d, 0x94, 0x9b, 0x47,
    0x95, 0x98, 0xbe, 0x5a, 0x8c, 0x95, 0x16, 0xb6,
  };
  assert_memory_equal (id, want, 24);
  /* The hive's decoder reads it back as that GUID. */
  mountdb_uid *u = mountdb_uid_decode (id, len);
  assert_string_equal (mountdb_uid_guid (u), mountdb_partition_guid (c));
  mountdb_uid_free (u);

  const mountdb_partition *rec = part (d, 4);
  assert_string_equal (mountdb_partition_type_name (rec), "recovery");
  assert_true (mountdb_partition_attributes (rec)
               & MOUNTDB_GPT_ATTR_NO_DRIVE_LETTER);
  assert_false (mountdb_partition_attributes (rec) & MOUNTDB_GPT_ATTR_HIDDEN);
  assert_non_null (mountdb_partition_spec (rec));
  mountdb_disk_close (d);
}

static void
test_gpt_hybrid_backup_4k (void **state)
{
  (void) state;
  mountdb_disk *d = open_img ("gpt-hybrid.img", 0);
  assert_int_equal (mountdb_disk_table (d), MOUNTDB_TABLE_GPT);
  assert_int_equal (mountdb_disk_flags (d), MOUNTDB_DISK_HYBRID_MBR);
  assert_true (mountdb_partition_attributes (part (d, 1))
               == (MOUNTDB_GPT_ATTR_HIDDEN | MOUNTDB_GPT_ATTR_NO_DRIVE_LETTER));
  mountdb_disk_close (d);

  d = open_img ("gpt-backup.img", 0);
  assert_int_equal (mountdb_disk_table (d), MOUNTDB_TABLE_GPT);
  assert_true (mountdb_disk_flags (d) & MOUNTDB_DISK_GPT_BACKUP);
  assert_true (has_warning (d, "backup GPT"));
  assert_string_equal (mountdb_partition_spec (part (d, 1)),
                       "gpt:0badc0de-0000-4000-8000-00000000b0b0");
  mountdb_disk_close (d);

  /* 4096-byte sectors: found in an image, or told. */
  d = open_img ("gpt-4k.img", 0);
  assert_int_equal (mountdb_disk_sector_size (d), 4096);
  assert_int_equal (mountdb_disk_table (d), MOUNTDB_TABLE_GPT);
  assert_true (mountdb_partition_start (part (d, 1)) == 256 * 4096);
  assert_true (mountdb_partition_size (part (d, 1)) == 10ULL << 30);
  assert_string_equal (mountdb_partition_label (part (d, 1)), "FOURK");
  mountdb_disk_close (d);
  d = open_img ("gpt-4k.img", 4096);
  assert_int_equal (mountdb_disk_sector_size (d), 4096);
  assert_int_equal (mountdb_disk_partition_count (d), 1);
  mountdb_disk_close (d);
  /* Told 512, the 4K GPT is only a protective MBR: refused, not guessed. */
  char path[4096];
  snprintf (path, sizeof path, "%s/gpt-4k.img", dir);
  mountdb_disk *x = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_disk_open (path, 512, &x, &err), MOUNTDB_E_FORMAT);
  assert_int_equal (mountdb_disk_open (path, 777, &x, &err), MOUNTDB_E_INVAL);
  assert_non_null (strstr (err.message, "sector size"));
}

static void
test_dynamic (void **state)
{
  (void) state;
  static const char *const imgs[] = { "dynamic-mbr.img", "dynamic-gpt.img" };
  for (int i = 0; i < 2; i++) {
    mountdb_disk *d = open_img (imgs[i], 0);
    assert_int_equal (mountdb_disk_table (d), MOUNTDB_TABLE_DYNAMIC);
    assert_string_equal (mountdb_table_name (MOUNTDB_TABLE_DYNAMIC), "dynamic");
    assert_true (mountdb_disk_partition_count (d) > 0);
    for (size_t k = 0; k < mountdb_disk_partition_count (d); k++)
      assert_no_id (mountdb_disk_partition_get (d, k));
    if (i == 0) {
      assert_int_equal (mountdb_disk_signature (d), 0xD1A2B3C4);
      assert_string_equal (mountdb_partition_type_name (part (d, 1)), "ldm");
    } else {
      assert_string_equal (mountdb_partition_type_name (part (d, 2)),
                           "ldm_metadata");
      assert_string_equal (mountdb_partition_type_name (part (d, 3)),
                           "ldm_data");
    }
    mountdb_disk_close (d);
  }
}

static void
test_bare (void **state)
{
  (void) state;
  mountdb_disk *d = open_img ("bare-ntfs.img", 0);
  assert_int_equal (mountdb_disk_table (d), MOUNTDB_TABLE_NONE);
  assert_string_equal (mountdb_table_name (MOUNTDB_TABLE_NONE), "none");
  assert_int_equal (mountdb_disk_partition_count (d), 1);
  const mountdb_partition *p = part (d, 0);
  assert_string_equal (mountdb_partition_fs (p), "ntfs");
  assert_string_equal (mountdb_partition_label (p), "BARE");
  assert_string_equal (mountdb_partition_serial (p), "BA5EBA11C0FFEE00");
  assert_true (mountdb_partition_size (p) == mountdb_disk_size (d));
  assert_no_id (p);
  mountdb_disk_close (d);
}

/* The disks behind the real hives' letters (MANIFEST.md). */
static void
test_real_disks (void **state)
{
  (void) state;
  mountdb_disk *d = open_img ("win7-x86-usb.img", 0);
  assert_mbr_id (part (d, 1), 0x5CBEA03E, 1048576);
  mountdb_disk_close (d);
  d = open_img ("win81-x64.img", 0);
  assert_mbr_id (part (d, 1), 0x273E4CFE, 1048576);
  assert_mbr_id (part (d, 2), 0x273E4CFE, 368050176);
  mountdb_disk_close (d);
  d = open_img ("xp-m57.img", 0);
  assert_mbr_id (part (d, 1), 0xD350D350, 32256);
  mountdb_disk_close (d);
  d = open_img ("win10-1709.img", 0);
  assert_string_equal (mountdb_partition_spec (part (d, 4)),
                       "gpt:09931f21-7faf-44a9-81d8-1e73c14b9eaf");
  mountdb_disk_close (d);
  d = open_img ("win10-1709-usb.img", 0);
  assert_mbr_id (part (d, 1), 0x76D45981, 1048576);
  mountdb_disk_close (d);
}

static void
test_bad_input (void **state)
{
  (void) state;
  char path[4096];
  refused (dir, MOUNTDB_E_NOTREG, "is a directory");
  refused ("/dev/zero", MOUNTDB_E_NOTREG, "character device");
  snprintf (path, sizeof path, "%s/test-disk-fifo", dir);
  unlink (path);
  assert_int_equal (mkfifo (path, 0600), 0);
  refused (path, MOUNTDB_E_NOTREG, "is a FIFO");  /* and does not block */
  unlink (path);
  snprintf (path, sizeof path, "%s/test-disk-link", dir);
  unlink (path);
  assert_int_equal (symlink ("gpt.img", path), 0);
  refused (path, MOUNTDB_E_NOTREG, "symbolic link");
  unlink (path);
  snprintf (path, sizeof path, "%s/no-such.img", dir);
  refused (path, MOUNTDB_E_IO, "cannot open");
  snprintf (path, sizeof path, "%s/bad-empty.img", dir);
  refused (path, MOUNTDB_E_FORMAT, "is empty");
  snprintf (path, sizeof path, "%s/bad-gpt-truncated.img", dir);
  refused (path, MOUNTDB_E_FORMAT, "no readable GPT");
  mountdb_error err;
  assert_int_equal (mountdb_disk_open (NULL, 0, NULL, &err), MOUNTDB_E_INVAL);
  mountdb_disk_close (NULL);
  assert_null (mountdb_disk_path (NULL));
  assert_null (mountdb_table_name (42));
}

static void
test_damaged_tables (void **state)
{
  (void) state;
  mountdb_disk *d = open_img ("bad-past-end.img", 0);
  assert_true (has_warning (d, "partition 2"));
  assert_true (has_warning (d, "past the end"));
  assert_int_equal (mountdb_disk_partition_count (d), 2);
  mountdb_disk_close (d);

  d = open_img ("bad-ebr-loop.img", 0);
  assert_true (has_warning (d, "EBR chain loops"));
  /* Each logical partition once, then the loop is cut. */
  assert_int_equal (mountdb_disk_partition_count (d), 5);
  mountdb_disk_close (d);

  d = open_img ("bad-gpt-1000.img", 0);
  assert_int_equal (mountdb_disk_partition_count (d), 1000);
  assert_true (has_warning (d, "1000 GPT partitions"));
  assert_string_equal (mountdb_partition_spec (part (d, 1000)),
                       "gpt:10001000-0000-4000-8000-000000001000");
  mountdb_disk_close (d);
}

/* F1: reading a disk changes nothing, not even its access time. */
static void
test_read_only (void **state)
{
  (void) state;
  char path[4096];
  snprintf (path, sizeof path, "%s/gpt.img", dir);
  struct stat before, after;
  assert_int_equal (stat (path, &before), 0);
  mountdb_disk *d = open_img ("gpt.img", 0);
  mountdb_disk_close (d);
  assert_int_equal (stat (path, &after), 0);
  assert_true (before.st_mtim.tv_sec == after.st_mtim.tv_sec
               && before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
  if (before.st_uid == geteuid ())  /* O_NOATIME is allowed */
    assert_true (before.st_atim.tv_sec == after.st_atim.tv_sec
                 && before.st_atim.tv_nsec == after.st_atim.tv_nsec);
}

/* libblkid missing at run time (it is loaded at the first disk, not
 * linked): a clear message naming it and the disk, MOUNTDB_E_IO (the
 * CLI's exit 8), never a crash. */
static void
test_blkid_missing (void **state)
{
  mountdb_error err;
  assert_int_equal (md_blkid_try ("libblkid-absent.so.99", "d.img", &err),
                    MOUNTDB_E_IO);
  assert_int_equal (err.code, MOUNTDB_E_IO);
  assert_non_null (strstr (err.message, "d.img: disks need libblkid "
                           "(libblkid-absent.so.99), which cannot be "
                           "loaded: "));
  assert_non_null (strstr (err.message, "apt-get install libblkid1"));
  assert_int_equal (md_blkid_try (MD_BLKID_SONAME, "d.img", &err), 0);
}

/* Which filesystems are looked for, by partition type: swap, LUKS and
 * LVM (14 of the 18 reads of a partition) only outside the types Windows
 * formats; FAT alone in an ESP; nothing where no volume can be. */
static int
kind_gpt (const char *type)
{
  mountdb_partition p;
  memset (&p, 0, sizeof p);
  snprintf (p.type_guid, sizeof p.type_guid, "%s", type);
  return md_fs_probe_kind (&p, 1);
}

static int
kind_mbr (unsigned type)
{
  mountdb_partition p;
  memset (&p, 0, sizeof p);
  p.mbr_type = type;
  return md_fs_probe_kind (&p, 0);
}

static void
test_probe_kind (void **state)
{
  (void) state;
  assert_int_equal (kind_gpt ("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7"),
                    MD_FS_PROBE_DATA);                 /* basic data */
  assert_int_equal (kind_gpt ("de94bba4-06d1-4d40-a16a-bfd50179d6ac"),
                    MD_FS_PROBE_DATA);                 /* recovery */
  assert_int_equal (kind_gpt ("c12a7328-f81f-11d2-ba4b-00a0c93ec93b"),
                    MD_FS_PROBE_FAT);                  /* ESP */
  assert_int_equal (kind_gpt ("e3c9e316-0b5c-4db8-817d-f92df00215ae"),
                    MD_FS_PROBE_NONE);                 /* MSR */
  assert_int_equal (kind_gpt ("0657fd6d-a4ab-43c4-84e5-0933c84b4f4f"),
                    MD_FS_PROBE_ALL);                  /* Linux swap */
  assert_int_equal (kind_gpt ("0fc63daf-8483-4772-8e79-3d69d8477de4"),
                    MD_FS_PROBE_ALL);                  /* Linux data */
  assert_int_equal (kind_gpt ("01234567-89ab-cdef-0123-456789abcdef"),
                    MD_FS_PROBE_ALL);                  /* unknown */
  assert_int_equal (kind_mbr (0x07), MD_FS_PROBE_DATA);
  assert_int_equal (kind_mbr (0x0c), MD_FS_PROBE_DATA);
  assert_int_equal (kind_mbr (0x27), MD_FS_PROBE_DATA);
  assert_int_equal (kind_mbr (0xef), MD_FS_PROBE_FAT);
  assert_int_equal (kind_mbr (0x42), MD_FS_PROBE_NONE);
  assert_int_equal (kind_mbr (0x82), MD_FS_PROBE_ALL);
  assert_int_equal (kind_mbr (0x83), MD_FS_PROBE_ALL);
  assert_int_equal (kind_mbr (0x8e), MD_FS_PROBE_ALL);
}

int
main (void)
{
  dir = getenv ("DISKS");
  if (dir == NULL || *dir == '\0') {
    fprintf (stderr, "SKIP: DISKS is not set (run through make check)\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_mbr_extended),
    cmocka_unit_test (test_gpt),
    cmocka_unit_test (test_gpt_hybrid_backup_4k),
    cmocka_unit_test (test_dynamic),
    cmocka_unit_test (test_bare),
    cmocka_unit_test (test_real_disks),
    cmocka_unit_test (test_bad_input),
    cmocka_unit_test (test_damaged_tables),
    cmocka_unit_test (test_read_only),
    cmocka_unit_test (test_blkid_missing),
    cmocka_unit_test (test_probe_kind),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
