/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Facts of ../shared/testdata/real/MANIFEST.md, read in place through the
 * public API.  The folder is not part of a user's clone: without it the
 * whole program reports SKIP (exit 77) and says why. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "mountdb.h"

static const char *real;

static mountdb *
open_real (const char *name, unsigned flags)
{
  char path[4096];
  snprintf (path, sizeof path, "%s/%s", real, name);
  mountdb *db = NULL;
  mountdb_error err;
  int rc = mountdb_open (path, flags, &db, &err);
  if (rc < 0)
    fail_msg ("%s", err.message);
  return db;
}

/* The entry named exactly `name`, or fail. */
static const mountdb_entry *
entry (const mountdb *db, const char *name)
{
  for (size_t i = 0; i < mountdb_entry_count (db); i++)
    if (strcmp (mountdb_entry_name (mountdb_entry_get (db, i)), name) == 0)
      return mountdb_entry_get (db, i);
  fail_msg ("no value named %s", name);
  return NULL;
}

static const char *
field (const mountdb_uid *u, const char *key)
{
  for (size_t i = 0; i < mountdb_uid_field_count (u); i++) {
    const char *k, *s;
    int kind;
    uint64_t n;
    mountdb_uid_field_get (u, i, &k, &kind, &s, &n);
    if (strcmp (k, key) == 0 && kind == MOUNTDB_FIELD_STRING)
      return s;
  }
  return NULL;
}

static void
letter_is_mbr (const mountdb *db, const char *name, uint32_t sig, uint64_t off)
{
  const mountdb_uid *u = mountdb_entry_uid (entry (db, name));
  assert_non_null (u);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_MBR);
  assert_int_equal (mountdb_uid_disk_signature (u), sig);
  assert_int_equal (mountdb_uid_partition_offset (u), off);
}

static size_t
letters_of (const mountdb_volume *v)
{
  size_t n = 0;
  for (size_t i = 0; i < mountdb_volume_entry_count (v); i++)
    n += mountdb_entry_class (mountdb_volume_entry_get (v, i))
         == MOUNTDB_CLASS_DRIVE_LETTER;
  return n;
}

static void
win7_usb (void **state)
{
  (void) state;
  mountdb *db = open_real ("win7-x86-usb.SYSTEM", 0);
  const mountdb_header *h = mountdb_file_header (db);
  assert_false (h->dirty);
  assert_true (h->checksum_ok);
  assert_int_equal (mountdb_key_state (db), MOUNTDB_KEY_PRESENT);
  assert_int_equal (mountdb_entry_count (db), 11);
  assert_int_equal (mountdb_volume_count (db), 7);
  letter_is_mbr (db, "\\DosDevices\\C:", 0x5cbea03e, 1048576);
  const mountdb_uid *a = mountdb_entry_uid (entry (db, "\\DosDevices\\A:"));
  assert_int_equal (mountdb_uid_shape (a), MOUNTDB_SHAPE_DEVICE_PATH);
  assert_string_equal (field (a, "bus"), "FDC");
  const mountdb_uid *d = mountdb_entry_uid (entry (db, "\\DosDevices\\D:"));
  assert_string_equal (field (d, "bus"), "IDE");
  const mountdb_entry *e = entry (db, "\\DosDevices\\E:");
  size_t len;
  mountdb_entry_data (e, &len);
  assert_int_equal (len, 202);
  assert_string_equal (field (mountdb_entry_uid (e), "bus"), "USBSTOR");
  assert_string_equal (field (mountdb_entry_uid (e), "prefix"), "_??_");
  char ts[40];
  mountdb_filetime_format (mountdb_key_last_written (db), ts);
  assert_int_equal (strncmp (ts, "2011-07-05T19:33:28", 19), 0);
  /* C: and its volume GUID name share one ID: one volume, one letter. */
  const mountdb_volume *v = mountdb_volume_get (db,
    mountdb_entry_volume (entry (db, "\\DosDevices\\C:")));
  assert_int_equal (mountdb_volume_entry_count (v), 2);
  assert_int_equal (letters_of (v), 1);
  /* Placeholder node 806e6f6e6963 is not a MAC (section 3). */
  const mountdb_guid_info *gi = mountdb_entry_guid_info (
    entry (db, "\\??\\Volume{656b1715-ecf6-11df-92e6-806e6f6e6963}"));
  assert_non_null (gi);
  assert_int_equal (gi->version, 1);
  assert_int_equal (gi->node_kind, MOUNTDB_NODE_PLACEHOLDER);
  mountdb_close (db);
}

static void
win81_dirty_nolog (void **state)
{
  (void) state;
  mountdb *db = open_real ("win81-x64-dirty-nolog.SYSTEM", 0);
  const mountdb_header *h = mountdb_file_header (db);
  assert_true (h->dirty);
  assert_int_equal (h->seq1, 205);
  assert_int_equal (h->seq2, 204);
  int found = 0;
  for (size_t i = 0; i < mountdb_diag_count (db); i++) {
    int code;
    mountdb_diag_get (db, i, &code, NULL);
    found |= code == MOUNTDB_DIAG_DIRTY;
  }
  assert_true (found);
  assert_int_equal (mountdb_entry_count (db), 5);
  assert_int_equal (mountdb_volume_count (db), 3);
  letter_is_mbr (db, "\\DosDevices\\C:", 0x273e4cfe, 368050176);
  /* The letterless MBR volume at 1 MiB. */
  int letterless = 0;
  for (size_t i = 0; i < mountdb_volume_count (db); i++) {
    const mountdb_volume *v = mountdb_volume_get (db, i);
    const mountdb_uid *u = mountdb_volume_uid (v);
    if (mountdb_uid_shape (u) == MOUNTDB_SHAPE_MBR
        && mountdb_uid_partition_offset (u) == 1048576 && letters_of (v) == 0)
      letterless++;
  }
  assert_int_equal (letterless, 1);
  const mountdb_uid *d = mountdb_entry_uid (entry (db, "\\DosDevices\\D:"));
  assert_string_equal (field (d, "bus"), "SCSI");
  mountdb_close (db);
}

static void
win10_dirty_primary_alone (void **state)
{
  (void) state;
  mountdb *db = open_real ("win10-1709-dirty.SYSTEM", MOUNTDB_OPEN_NO_LOGS);
  const mountdb_header *h = mountdb_file_header (db);
  assert_false (mountdb_logs_applied (db));
  assert_true (h->dirty);
  assert_int_equal (h->seq1, 1622);
  assert_int_equal (h->seq2, 1621);
  assert_int_equal (mountdb_entry_count (db), 6);
  assert_int_equal (mountdb_volume_count (db), 4);
  const mountdb_entry *c = entry (db, "\\DosDevices\\C:");
  const mountdb_uid *u = mountdb_entry_uid (c);
  assert_int_equal (mountdb_uid_shape (u), MOUNTDB_SHAPE_DMIO);
  assert_string_equal (mountdb_uid_guid (u),
                       "09931f21-7faf-44a9-81d8-1e73c14b9eaf");
  /* C: has no volume GUID name (V8 info on Win10). */
  const mountdb_volume *v = mountdb_volume_get (db, mountdb_entry_volume (c));
  assert_int_equal (mountdb_volume_entry_count (v), 1);
  const mountdb_uid *d = mountdb_entry_uid (entry (db, "\\DosDevices\\D:"));
  assert_string_equal (field (d, "bus"), "USBSTOR");
  assert_string_equal (field (d, "vendor"), "SanDisk");
  const mountdb_uid *e = mountdb_entry_uid (entry (db, "\\DosDevices\\E:"));
  assert_string_equal (field (e, "bus"), "SCSI");
  char ts[40];
  mountdb_filetime_format (mountdb_key_last_written (db), ts);
  assert_int_equal (strncmp (ts, "2018-03-27", 10), 0);
  mountdb_close (db);
}

/* Section 8 / MANIFEST: after replaying LOG1 (2107-2110) and LOG2
 * (2111-2130), F: = MBR 76d45981 @ 1 MiB appears and the key's LastWrite
 * moves to 2018-04-06.  The file's own header facts stay those of the
 * primary; the image's are the recovered, clean ones. */
static void
win10_with_logs (void **state)
{
  (void) state;
  mountdb *db = open_real ("win10-1709-dirty.SYSTEM", 0);
  assert_true (mountdb_logs_applied (db));
  assert_true (mountdb_file_header (db)->dirty);
  const mountdb_header *ih = mountdb_image_header (db);
  assert_false (ih->dirty);
  assert_int_equal (ih->seq1, ih->seq2);
  assert_int_equal (ih->file_type, 0);
  uint32_t first, last;
  mountdb_logs_range (db, &first, &last, NULL);
  assert_int_equal (first, 2107);
  assert_int_equal (last, 2130);
  assert_int_equal (mountdb_log_count (db), 2);
  for (size_t i = 0; i < 2; i++) {
    assert_true (mountdb_log_get (db, i)->used);
    assert_non_null (mountdb_log_get (db, i)->sha256);
  }
  assert_int_equal (mountdb_entry_count (db), 7);
  letter_is_mbr (db, "\\DosDevices\\F:", 0x76d45981, 1048576);
  char ts[40];
  mountdb_filetime_format (mountdb_key_last_written (db), ts);
  assert_int_equal (strncmp (ts, "2018-04-06", 10), 0);
  mountdb_close (db);
}

static void
xp_corrupt (void **state)
{
  (void) state;
  char path[4096];
  snprintf (path, sizeof path, "%s/xp-x86-corrupt.SYSTEM", real);
  mountdb *db = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_open (path, 0, &db, &err), MOUNTDB_E_CORRUPT);
  assert_null (db);
  assert_non_null (strstr (err.message, "xp-x86-corrupt.SYSTEM"));
  assert_non_null (strstr (err.message, "--unsafe"));
  db = open_real ("xp-x86-corrupt.SYSTEM", MOUNTDB_OPEN_UNSAFE);
  assert_int_equal (mountdb_entry_count (db), 6);
  entry (db, "\\DosDevices\\A:");
  entry (db, "\\DosDevices\\C:");
  entry (db, "\\DosDevices\\D:");
  int unsafe = 0;
  for (size_t i = 0; i < mountdb_diag_count (db); i++) {
    int code;
    mountdb_diag_get (db, i, &code, NULL);
    unsafe |= code == MOUNTDB_DIAG_UNSAFE;
  }
  assert_true (unsafe);
  mountdb_close (db);
}

static void
nt4_no_key (void **state)
{
  (void) state;
  mountdb *db = open_real ("nt4-server-nokey.SYSTEM", 0);
  const mountdb_header *h = mountdb_file_header (db);
  assert_int_equal (h->major, 1);
  assert_int_equal (h->minor, 3);
  assert_int_equal (mountdb_key_state (db), MOUNTDB_KEY_ABSENT);
  assert_int_equal (mountdb_entry_count (db), 0);
  assert_int_equal (mountdb_volume_count (db), 0);
  mountdb_close (db);
}

static void
xp_m57_removable (void **state)
{
  (void) state;
  mountdb *db = open_real ("xp-x86-m57-removable.SYSTEM", 0);
  assert_int_equal (mountdb_entry_count (db), 10);
  assert_int_equal (mountdb_volume_count (db), 6);
  letter_is_mbr (db, "\\DosDevices\\C:", 0xd350d350, 32256);
  int second_disk = 0, storage = 0;
  for (size_t i = 0; i < mountdb_volume_count (db); i++) {
    const mountdb_volume *v = mountdb_volume_get (db, i);
    const mountdb_uid *u = mountdb_volume_uid (v);
    if (mountdb_uid_shape (u) == MOUNTDB_SHAPE_MBR
        && mountdb_uid_disk_signature (u) == 0x7e80b73b) {
      assert_int_equal (mountdb_uid_partition_offset (u), 32256);
      assert_int_equal (letters_of (v), 0);
      second_disk++;
    }
    const char *bus = field (u, "bus");
    storage += bus && strcmp (bus, "STORAGE") == 0;
  }
  assert_int_equal (second_disk, 1);
  assert_true (storage >= 2); /* E: and a letterless stick, different ids */
  const mountdb_uid *e = mountdb_entry_uid (entry (db, "\\DosDevices\\E:"));
  assert_string_equal (field (e, "bus"), "STORAGE");
  mountdb_close (db);
}

/* F2: the hash computed while reading equals SHA256SUMS for every file. */
static void
hashes_match_sha256sums (void **state)
{
  (void) state;
  char path[4096];
  snprintf (path, sizeof path, "%s/SHA256SUMS", real);
  FILE *f = fopen (path, "r");
  assert_non_null (f);
  char line[8192];
  int checked = 0;
  while (fgets (line, sizeof line, f)) {
    char sum[65], name[1024];
    if (sscanf (line, "%64s %1023s", sum, name) != 2)
      continue;
    const char *n = name[0] == '*' ? name + 1 : name;
    snprintf (path, sizeof path, "%s/%s", real, n);
    mountdb *db = NULL;
    mountdb_error err;
    /* Damaged files fail in hivex, after hashing: check the good ones. */
    if (mountdb_open (path, 0, &db, &err) < 0)
      continue;
    assert_string_equal (mountdb_sha256 (db), sum);
    mountdb_close (db);
    checked++;
  }
  fclose (f);
  assert_true (checked >= 6);
}

/* Every file of the folder, logs and odd hives included, gets a result or
 * a clean error with the file named: never a crash, in both modes. */
static void
every_file_has_a_result (void **state)
{
  (void) state;
  static const char *const files[] = {
    "logs/bad-baseblock/BadBaseBlockHive", "logs/bad-log/BadLogHive",
    "logs/new-dirty/NewDirtyHive", "logs/new-dirty/RecoveredHive_Windows10",
    "logs/old-dirty/OldDirtyHive", "logs/old-dirty/RecoveredHive_Windows7",
    "logs/truncated-dirty/TruncatedDirtyHive", "logs/new-dirty/NewDirtyHive.LOG1",
    "odd/BigDataHive", "odd/DupNameHive", "odd/EmptyHive", "odd/GarbageHive",
    "odd/ManySubkeysHive", "odd/TruncatedHive", "odd/UnicodeHive",
    "MANIFEST.md",
  };
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
    for (unsigned flags = 0; flags <= MOUNTDB_OPEN_UNSAFE;
         flags += MOUNTDB_OPEN_UNSAFE) {
      char path[4096];
      snprintf (path, sizeof path, "%s/%s", real, files[i]);
      mountdb *db = NULL;
      mountdb_error err;
      int rc = mountdb_open (path, flags, &db, &err);
      if (rc < 0) {
        assert_null (db);
        assert_non_null (strstr (err.message, files[i]));
        continue;
      }
      /* None of these has MountedDevices. */
      assert_int_not_equal (mountdb_key_state (db), MOUNTDB_KEY_PRESENT);
      mountdb_close (db);
    }
}

/* The finding of `rule` (the first), or NULL. */
static const mountdb_finding *
finding (const mountdb *db, const char *rule)
{
  for (size_t i = 0; i < mountdb_finding_count (db); i++)
    if (strcmp (mountdb_finding_rule (mountdb_finding_get (db, i)), rule) == 0)
      return mountdb_finding_get (db, i);
  return NULL;
}

/* Issue 11: NT 4.0 has no mount manager: V1 is information and says so. */
static void
nt4_v1_no_mount_manager (void **state)
{
  (void) state;
  mountdb *db = open_real ("nt4-server-nokey.SYSTEM", 0);
  assert_int_equal (mountdb_hive_kind (db), MOUNTDB_HIVE_SYSTEM);
  assert_int_equal (mountdb_windows_version (db), MOUNTDB_WINVER_NT4);
  assert_int_equal (mountdb_check (db, 0), 0);
  const mountdb_finding *f = finding (db, "V1");
  assert_non_null (f);
  assert_int_equal (mountdb_finding_severity (f), MOUNTDB_SEV_INFO);
  assert_non_null (strstr (mountdb_finding_message (f), "NT 4.0 or older"));
  assert_null (strstr (mountdb_finding_message (f), "recreate"));
  mountdb_close (db);
}

/* Issue 11: Windows 10 stores no name for F: (MBR 76d45981 @ 1 MiB) and
 * derives {76d45981-0000-0000-0000-100000000000}; V8 no longer says a new
 * random one is made.  The older hives have the Windows 10 services not. */
static void
win10_v8_derived (void **state)
{
  (void) state;
  mountdb *db = open_real ("win10-1709-dirty.SYSTEM", 0);
  assert_int_equal (mountdb_windows_version (db), MOUNTDB_WINVER_10);
  const mountdb_volume *v =
    mountdb_volume_get (db, mountdb_entry_volume (entry (db, "\\DosDevices\\F:")));
  char g[37];
  assert_int_equal (mountdb_volume_derived_guid (v, g), 1);
  assert_string_equal (g, "76d45981-0000-0000-0000-100000000000");
  assert_int_equal (mountdb_check (db, 0), 0);
  size_t nv8 = 0;
  for (size_t i = 0; i < mountdb_finding_count (db); i++) {
    const mountdb_finding *f = mountdb_finding_get (db, i);
    if (strcmp (mountdb_finding_rule (f), "V8") != 0)
      continue;
    nv8++;
    assert_null (strstr (mountdb_finding_message (f), "random"));
    assert_non_null (strstr (mountdb_finding_message (f), "Windows 10"));
  }
  assert_int_equal (nv8, 2); /* C: (GPT) and F: (MBR) */
  mountdb_close (db);
  static const char *const older[] = {
    "win7-x86-usb.SYSTEM", "win81-x64-dirty-nolog.SYSTEM",
    "xp-x86-m57-removable.SYSTEM",
  };
  for (size_t i = 0; i < sizeof older / sizeof older[0]; i++) {
    db = open_real (older[i], MOUNTDB_OPEN_NO_LOGS);
    assert_int_equal (mountdb_windows_version (db), MOUNTDB_WINVER_PRE10);
    assert_int_equal (mountdb_boot_control_set (db), 1);
    mountdb_close (db);
  }
}

/* Issue 9 item 5: a user hive is named as such, and not written. */
static void
ntuser_is_not_system (void **state)
{
  (void) state;
  mountdb *db = open_real ("xp-x86-m57-removable.NTUSER.DAT", 0);
  assert_int_equal (mountdb_hive_kind (db), MOUNTDB_HIVE_NTUSER);
  assert_string_equal (mountdb_hive_kind_name (mountdb_hive_kind (db)),
                       "ntuser");
  assert_int_equal (mountdb_check (db, 0), 0);
  assert_non_null (finding (db, "R4"));
  assert_null (finding (db, "V1"));
  mountdb_txn *t = NULL;
  mountdb_error err;
  mountdb_spec *sp = NULL;
  assert_int_equal (mountdb_txn_new (db, &t, &err), 0);
  assert_int_equal (mountdb_spec_parse ("mbr:11223344:1MiB", &sp, &err), 0);
  assert_int_equal (mountdb_txn_assign (t, 'E', sp, 0, &err),
                    MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "not a SYSTEM hive"));
  assert_int_equal (mountdb_txn_change_count (t), 0);
  mountdb_spec_free (sp);
  mountdb_txn_free (t);
  mountdb_close (db);
}

/* Issue 9 item 5: a transaction log given as the hive is refused with what
 * to do instead, --unsafe or not. */
static void
log_given_as_hive (void **state)
{
  (void) state;
  static const char *const logs[] = {
    "logs/new-dirty/NewDirtyHive.LOG1", "logs/old-dirty/OldDirtyHive.LOG1",
    "win10-1709-dirty.SYSTEM.LOG1", "logs/bad-log/BadLogHive.LOG1",
  };
  for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++)
    for (unsigned flags = 0; flags <= MOUNTDB_OPEN_UNSAFE;
         flags += MOUNTDB_OPEN_UNSAFE) {
      char path[4096];
      snprintf (path, sizeof path, "%s/%s", real, logs[i]);
      mountdb *db = NULL;
      mountdb_error err;
      assert_int_equal (mountdb_open (path, flags, &db, &err),
                        MOUNTDB_E_FORMAT);
      assert_null (db);
      assert_non_null (strstr (err.message, "transaction log"));
      assert_non_null (strstr (err.message, "--log"));
      assert_null (strstr (err.message, "--unsafe"));
    }
}

int
main (void)
{
  real = getenv ("REAL_HIVES");
  struct stat st;
  char probe[4096];
  snprintf (probe, sizeof probe, "%s/MANIFEST.md", real ? real : "");
  if (real == NULL || stat (probe, &st) != 0) {
    printf ("SKIP: real hives not found at %s (../shared/testdata/real is "
            "not part of a clone; set REAL_HIVES)\n", real ? real : "(unset)");
    return 77;
  }
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (win7_usb),
    cmocka_unit_test (win81_dirty_nolog),
    cmocka_unit_test (win10_dirty_primary_alone),
    cmocka_unit_test (win10_with_logs),
    cmocka_unit_test (xp_corrupt),
    cmocka_unit_test (nt4_no_key),
    cmocka_unit_test (xp_m57_removable),
    cmocka_unit_test (hashes_match_sha256sums),
    cmocka_unit_test (every_file_has_a_result),
    cmocka_unit_test (nt4_v1_no_mount_manager),
    cmocka_unit_test (win10_v8_derived),
    cmocka_unit_test (ntuser_is_not_system),
    cmocka_unit_test (log_given_as_hive),
  };
  return cmocka_run_group_tests_name ("real hives (MANIFEST.md)", tests,
                                      NULL, NULL);
}
