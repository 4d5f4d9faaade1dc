/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The device history (issue 16): the pure decoders of dev_*.c on names
 * and bytes, then the join on the real hives read in place.  Expected
 * values come from reading the hives with hivex directly (key names,
 * values, LastWrite times), not from this library.  Without the real
 * hives their tests report SKIPPED, by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "dev.h"

/* ---- decoders ---------------------------------------------------------------- */

static void
span_is (const char *s, md_span sp, const char *want)
{
  if (want == NULL) {
    assert_int_equal (sp.n, 0);
    return;
  }
  assert_int_equal (sp.n, strlen (want));
  assert_memory_equal (s + sp.off, want, sp.n);
}

static void
devkey_usbstor (void **state)
{
  (void) state;
  md_devkey k;
  const char *n = "Disk&Ven_HP&Prod_v100w&Rev_1024";
  assert_int_equal (md_dev_parse_devkey (n, &k), 0);
  span_is (n, k.type, "Disk");
  span_is (n, k.vendor, "HP");
  span_is (n, k.product, "v100w");
  span_is (n, k.revision, "1024");
  /* Empty parts (a real XP stick reports none). */
  n = "Disk&Ven_&Prod_&Rev_";
  assert_int_equal (md_dev_parse_devkey (n, &k), 0);
  span_is (n, k.vendor, NULL);
  span_is (n, k.product, NULL);
  /* SCSI has no Rev_; tags are matched whole, at an '&'. */
  n = "CdRom&Ven_PLDS&Prod_DVD-ROM_DU-8D5LH";
  assert_int_equal (md_dev_parse_devkey (n, &k), 0);
  span_is (n, k.type, "CdRom");
  span_is (n, k.product, "DVD-ROM_DU-8D5LH");
  span_is (n, k.revision, NULL);
  n = "Disk&XVen_a&Prod_b";
  assert_int_equal (md_dev_parse_devkey (n, &k), 0);
  span_is (n, k.vendor, NULL);
  span_is (n, k.product, "b");
  n = "Disk&nothing";
  assert_int_equal (md_dev_parse_devkey (n, &k), -1);
}

static void
devkey_ide (void **state)
{
  (void) state;
  md_devkey k;
  const char *n = "CdRomSAMSUNG_CDRW/DVD_SM-348B________________T502____";
  assert_int_equal (md_dev_parse_devkey (n, &k), 0);
  span_is (n, k.type, "CdRom");
  span_is (n, k.product, "SAMSUNG_CDRW/DVD_SM-348B");
  span_is (n, k.revision, "T502");
  n = "DiskWDC_AC313000R___________________________17.01J17";
  assert_int_equal (md_dev_parse_devkey (n, &k), 0);
  span_is (n, k.product, "WDC_AC313000R");
  span_is (n, k.revision, "17.01J17");
  n = "Disk";
  assert_int_equal (md_dev_parse_devkey (n, &k), -1);
  n = "Unknown";
  assert_int_equal (md_dev_parse_devkey (n, &k), -1);
  span_is (n, k.type, "Unknown");
}

static void
instance_ids (void **state)
{
  (void) state;
  md_span s;
  int gen;
  md_dev_parse_instance ("AA951D0000007252&0", &s, &gen);
  assert_false (gen);
  span_is ("AA951D0000007252&0", s, "AA951D0000007252");
  md_dev_parse_instance ("7&18ec28b&0", &s, &gen);
  assert_true (gen);
  assert_int_equal (s.n, 0);
  /* No "&N": the whole name; "&x" is not a LUN. */
  md_dev_parse_instance ("51491E64", &s, &gen);
  span_is ("51491E64", s, "51491E64");
  md_dev_parse_instance ("AB&x", &s, &gen);
  span_is ("AB&x", s, "AB&x");
  md_dev_parse_instance ("", &s, &gen);
  assert_false (gen);
  assert_int_equal (s.n, 0);
  md_dev_parse_instance ("A&", &s, &gen);
  assert_true (gen);
}

static void
usb_keys (void **state)
{
  (void) state;
  uint16_t v, p;
  assert_int_equal (md_dev_parse_usb_key ("VID_03F0&PID_3207", &v, &p), 0);
  assert_int_equal (v, 0x03f0);
  assert_int_equal (p, 0x3207);
  assert_int_equal (md_dev_parse_usb_key ("Vid_058f&Pid_6387", &v, &p), 0);
  assert_int_equal (v, 0x058f);
  assert_int_equal (md_dev_parse_usb_key ("VID_0E0F&PID_0003&MI_00", &v, &p),
                    -1);
  assert_int_equal (md_dev_parse_usb_key ("ROOT_HUB20", &v, &p), -1);
  assert_int_equal (md_dev_parse_usb_key ("VID_03G0&PID_3207", &v, &p), -1);
}

static void
device_paths (void **state)
{
  (void) state;
  const char *id = "USBSTOR\\Disk&Ven_HP&Prod_v100w&Rev_1024\\AA951D0000007252&0";
  const char *p = "\\??\\USBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#"
                  "AA951D0000007252&0#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}";
  assert_true (md_dev_path_is (p, strlen (p), id));
  /* "_??_", "##?#" and no prefix; case ignored (WPD names are upper). */
  p = "_??_USBSTOR#DISK&VEN_HP&PROD_V100W&REV_1024#AA951D0000007252&0#";
  assert_true (md_dev_path_is (p, strlen (p), id));
  p = "##?#USBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#AA951D0000007252&0";
  assert_true (md_dev_path_is (p, strlen (p), id));
  /* Whole components only: a longer serial, another device, a prefix. */
  p = "\\??\\USBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#AA951D0000007252&01#{x}";
  assert_false (md_dev_path_is (p, strlen (p), id));
  p = "\\??\\USBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#AA951D000000725";
  assert_false (md_dev_path_is (p, strlen (p), id));
  p = "\\??\\XUSBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#AA951D0000007252&0";
  assert_false (md_dev_path_is (p, strlen (p), id));
  assert_false (md_dev_path_is (p, 0, id));
  assert_false (md_dev_path_is (p, strlen (p), ""));
  /* '/' in a device key is '#' in its interface key name (real XP). */
  p = "##?#USBSTOR#Disk&Ven_LaCie&Prod_Rugged_FW#USB&Rev_#00D04B881007C255&0#"
      "{53f56307-b6bf-11d0-94f2-00a0c91efb8b}";
  assert_true (md_dev_path_is (p, strlen (p), "USBSTOR\\Disk&Ven_LaCie&Prod_"
                               "Rugged_FW/USB&Rev_\\00D04B881007C255&0"));
  /* XP removable media by ParentIdPrefix. */
  p = "\\??\\STORAGE#RemovableMedia#7&18ec28b&0&RM#{53f5630d-b6bf-11d0-94f2-"
      "00a0c91efb8b}";
  assert_true (md_dev_path_is (p, strlen (p),
                               "STORAGE\\RemovableMedia\\7&18ec28b&0&RM"));
  assert_false (md_dev_path_is (p, strlen (p),
                                "STORAGE\\RemovableMedia\\7&18ec28b&0"));
  const char *w = "WPDBUSENUMROOT#UMB#2&37C186B&0&STORAGE#VOLUME#_??_USBSTOR#"
                  "DISK&VEN_HP&PROD_V100W&REV_1024#AA951D0000007252&0#";
  assert_int_equal (md_dev_find_path (w, strlen (w)), 46);
  assert_true (md_dev_path_is (w + 46, strlen (w) - 46, id));
  assert_int_equal (md_dev_find_path ("abc", 3), -1);
  assert_int_equal (md_dev_find_path ("_??", 3), -1);
}

static void
mountpoints2 (void **state)
{
  (void) state;
  char g[37], l;
  assert_int_equal (md_dev_parse_mp2 ("{B005E6D6-D0B3-11DE-89E2-000BDB635BD4}",
                                      g, &l), MD_MP2_GUID);
  assert_string_equal (g, "b005e6d6-d0b3-11de-89e2-000bdb635bd4");
  assert_int_equal (md_dev_parse_mp2 ("e", g, &l), MD_MP2_LETTER);
  assert_int_equal (l, 'E');
  assert_string_equal (g, "");
  assert_int_equal (md_dev_parse_mp2 ("##192.168.1.1#m57", g, &l),
                    MD_MP2_SHARE);
  assert_int_equal (md_dev_parse_mp2 ("{b005e6d6-d0b3-11de-89e2-000bdb635bdX}",
                                      g, &l), MD_MP2_OTHER);
  assert_int_equal (md_dev_parse_mp2 ("1", g, &l), MD_MP2_OTHER);
  assert_int_equal (md_dev_parse_mp2 ("", g, &l), MD_MP2_OTHER);
  assert_int_equal (md_dev_parse_mp2 ("#", g, &l), MD_MP2_OTHER);
}

static void
emdmgmt (void **state)
{
  (void) state;
  md_span p, lab;
  uint32_t sn;
  const char *n = "_??_USBSTOR#Disk&Ven_SanDisk&Prod_Cruzer&Rev_8.02#1234&0#"
                  "{53f56307-b6bf-11d0-94f2-00a0c91efb8b}MY_STICK_3735928559";
  assert_int_equal (md_dev_parse_emd (n, &p, &lab, &sn), 0);
  assert_int_equal (sn, 3735928559u);
  span_is (n, lab, "MY_STICK");
  assert_true (md_dev_path_is (n + p.off, p.n, "USBSTOR\\Disk&Ven_SanDisk&"
                               "Prod_Cruzer&Rev_8.02\\1234&0"));
  /* No label. */
  n = "_??_USBSTOR#x#y#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}_42";
  assert_int_equal (md_dev_parse_emd (n, &p, &lab, &sn), 0);
  assert_int_equal (lab.n, 0);
  assert_int_equal (sn, 42);
  assert_int_equal (md_dev_parse_emd ("x}_99999999999", &p, &lab, &sn), -1);
  assert_int_equal (md_dev_parse_emd ("x}_4294967296", &p, &lab, &sn), -1);
  assert_int_equal (md_dev_parse_emd ("x}_", &p, &lab, &sn), -1);
  assert_int_equal (md_dev_parse_emd ("x_1}", &p, &lab, &sn), -1);
  assert_int_equal (md_dev_parse_emd ("x}_1a", &p, &lab, &sn), -1);
  assert_int_equal (md_dev_parse_emd ("", &p, &lab, &sn), -1);
}

static void
user_from_path (void **state)
{
  (void) state;
  char *u = md_dev_user_from_path ("/mnt/c/Documents and Settings/Jo/NTUSER.DAT");
  assert_string_equal (u, "Jo");
  free (u);
  u = md_dev_user_from_path ("C:\\Users\\ann smith\\ntuser.dat");
  assert_string_equal (u, "ann smith");
  free (u);
  assert_null (md_dev_user_from_path ("/evidence/NTUSER.DAT"));
  assert_null (md_dev_user_from_path ("/Users/NTUSER.DAT"));
  assert_null (md_dev_user_from_path ("/home/jo/NTUSER.DAT"));
  assert_null (md_dev_user_from_path ("/Users/jo/SYSTEM"));
  assert_null (md_dev_user_from_path ("NTUSER.DAT"));
  assert_null (md_dev_user_from_path (""));
}

static void
property_times (void **state)
{
  (void) state;
  /* Win10 1709: 0066 of a SanDisk Extreme, type 0xFFFF0010. */
  const uint8_t d[8] = { 0xb0, 0xd4, 0x74, 0xfc, 0xc4, 0xc5, 0xd3, 0x01 };
  uint64_t ft = 0;
  assert_int_equal (md_dev_prop_filetime_w8 (0xFFFF0010u, d, 8, &ft), 0);
  assert_true (ft == UINT64_C (0x01d3c5c4fc74d4b0));
  assert_int_equal (md_dev_prop_filetime_w8 (0xFFFF0012u, d, 8, &ft), -1);
  assert_int_equal (md_dev_prop_filetime_w8 (0x10u, d, 8, &ft), -1);
  assert_int_equal (md_dev_prop_filetime_w8 (0xFFFF0010u, d, 7, &ft), -1);
  assert_int_equal (md_dev_prop_filetime_w8 (0xFFFF0010u, NULL, 8, &ft), -1);
  /* Win7: Type = 0x10 (4 bytes LE), Data = 8 bytes. */
  const uint8_t t[4] = { 0x10, 0, 0, 0 }, t12[4] = { 0x12, 0, 0, 0 };
  const uint8_t w7[8] = { 0xe0, 0x1b, 0x2d, 0xa0, 0x28, 0xf0, 0xcb, 0x01 };
  assert_int_equal (md_dev_prop_filetime_w7 (t, 4, w7, 8, &ft), 0);
  assert_true (ft == UINT64_C (0x01cbf028a02d1be0));
  assert_int_equal (md_dev_prop_filetime_w7 (t12, 4, w7, 8, &ft), -1);
  assert_int_equal (md_dev_prop_filetime_w7 (t, 3, w7, 8, &ft), -1);
  assert_int_equal (md_dev_prop_filetime_w7 (NULL, 4, w7, 8, &ft), -1);
  assert_int_equal (md_dev_prop_filetime_w7 (t, 4, w7, 9, &ft), -1);
}

static void
key_tree (void **state)
{
  (void) state;
  struct md_rkey root = { 0 };
  struct md_rkey *a = md_rkey_add (&root, "Enum");
  assert_non_null (a);
  struct md_rkey *b = md_rkey_add (a, "USBSTOR");
  assert_non_null (b);
  /* More children than the first allocation. */
  for (int i = 0; i < 9; i++) {
    char n[8];
    snprintf (n, sizeof n, "k%d", i);
    assert_non_null (md_rkey_add (b, n));
  }
  /* Pointers into a grown array are only taken after growth. */
  b = (struct md_rkey *) md_rkey_path (&root, "enum\\usbstor");
  assert_non_null (b);
  assert_int_equal (b->nkids, 9);
  assert_ptr_equal (md_rkey_get_or_add (b, "K3"), &b->kids[3]);
  const uint8_t sz[] = { 'H', 0, 'P', 0, 0, 0, 'x', 0 };
  assert_int_equal (md_rkey_add_value (b, "FriendlyName", MOUNTDB_REG_SZ, sz,
                                       sizeof sz), 0);
  assert_int_equal (md_rkey_add_value (b, "Bin", MOUNTDB_REG_BINARY, sz, 0),
                    0);
  char *s = md_rval_string (md_rkey_value (b, "friendlyname"));
  assert_string_equal (s, "HP");
  free (s);
  assert_null (md_rval_string (md_rkey_value (b, "Bin")));
  assert_null (md_rval_string (md_rkey_value (b, "absent")));
  assert_null (md_rkey_path (&root, "Enum\\USB"));
  assert_null (md_rkey_child (NULL, "x"));
  md_rkey_clear (&root);
  assert_int_equal (root.nkids, 0);
}

/* ---- the join on real hives ------------------------------------------------- */

static const char *real;

/* Skip (visibly, by test name) when the real hives are not there. */
static int
have_real (void)
{
  struct stat st;
  char probe[4096];
  snprintf (probe, sizeof probe, "%s/MANIFEST.md", real ? real : "");
  return real != NULL && stat (probe, &st) == 0;
}

static mountdb *
open_real (const char *name, unsigned flags)
{
  char path[4096];
  snprintf (path, sizeof path, "%s/%s", real, name);
  mountdb *db = NULL;
  mountdb_error err;
  if (mountdb_open (path, flags, &db, &err) < 0)
    fail_msg ("%s", err.message);
  return db;
}

static const mountdb_device *
device_by (const mountdb_devices *d, const char *field, const char *value)
{
  for (size_t i = 0; i < mountdb_device_count (d); i++) {
    const mountdb_fact *f = mountdb_device_fact (mountdb_device_get (d, i),
                                                 field);
    if (f && f->str && strcmp (f->str, value) == 0)
      return mountdb_device_get (d, i);
  }
  fail_msg ("no device with %s = %s", field, value);
  return NULL;
}

static const char *
str_of (const mountdb_device *dev, const char *field)
{
  const mountdb_fact *f = mountdb_device_fact (dev, field);
  return f && f->kind == MOUNTDB_FACT_STRING ? f->str : NULL;
}

static uint64_t
num_of (const mountdb_device *dev, const char *field)
{
  const mountdb_fact *f = mountdb_device_fact (dev, field);
  if (f == NULL)
    fail_msg ("no fact %s", field);
  return f->num;
}

/* The time fact, as ISO 8601 to the second. */
static void
time_is (const mountdb_device *dev, const char *field, const char *want)
{
  const mountdb_fact *f = mountdb_device_fact (dev, field);
  if (f == NULL)
    fail_msg ("no fact %s", field);
  assert_int_equal (f->kind, MOUNTDB_FACT_TIME);
  char buf[40];
  assert_int_equal (mountdb_filetime_format (f->num, buf), 0);
  assert_memory_equal (buf, want, 19);
}

/* The names of a device's volumes, space-separated, value order. */
static void
volume_names (const mountdb_device *dev, size_t v, char *out, size_t n)
{
  const mountdb_volume *vol = mountdb_device_volume_get (dev, v);
  out[0] = '\0';
  for (size_t e = 0; e < mountdb_volume_entry_count (vol); e++) {
    if (e)
      strncat (out, " ", n - strlen (out) - 1);
    strncat (out, mountdb_entry_name (mountdb_volume_entry_get (vol, e)),
             n - strlen (out) - 1);
  }
}

static void
xp_m57 (void **state)
{
  (void) state;
  if (!have_real ())
    skip ();
  mountdb *sys = open_real ("xp-x86-m57-removable.SYSTEM",
                            MOUNTDB_OPEN_DEVICES);
  mountdb *usr = open_real ("xp-x86-m57-removable.NTUSER.DAT",
                            MOUNTDB_OPEN_DEVICES);
  mountdb_devices *d = NULL;
  mountdb_error err;
  const mountdb *users[] = { usr };
  assert_int_equal (mountdb_devices_build (sys, users, 1, NULL, &d, &err), 0);
  assert_int_equal (mountdb_devices_control_set (d), 1);
  assert_int_equal (mountdb_devices_hive_count (d), 2);
  assert_int_equal (mountdb_devices_hive_role (d, 1), MOUNTDB_ROLE_USER);
  assert_ptr_equal (mountdb_devices_hive_get (d, 1), usr);
  /* No Volatile Environment, and the path names no profile folder. */
  assert_null (mountdb_devices_hive_user (d, 1));
  /* 5 USBSTOR instances, then IDE's CD-ROM and disk. */
  assert_int_equal (mountdb_device_count (d), 7);

  const mountdb_device *cruzer = device_by (d, "serial", "43175107A4C24AD4");
  assert_string_equal (str_of (cruzer, "vendor"), "SanDisk");
  assert_string_equal (str_of (cruzer, "product"), "Cruzer");
  assert_string_equal (str_of (cruzer, "revision"), "7.01");
  assert_string_equal (str_of (cruzer, "parent_id_prefix"), "7&71229d7&0");
  assert_int_equal (num_of (cruzer, "vid"), 0x0781);
  assert_int_equal (num_of (cruzer, "pid"), 0x5406);
  time_is (cruzer, "device_class_written", "2009-11-17T20:52:34");
  time_is (cruzer, "instance_key_written", "2009-11-17T20:52:33");
  /* XP: no device properties. */
  assert_null (mountdb_device_fact (cruzer, "first_install"));
  assert_int_equal (mountdb_device_volume_count (cruzer), 1);
  assert_int_equal (mountdb_device_volume_match (cruzer, 0),
                    MOUNTDB_MATCH_PARENT_ID_PREFIX);
  char names[512];
  volume_names (cruzer, 0, names, sizeof names);
  assert_string_equal (names,
                       "\\??\\Volume{b005e6d6-d0b3-11de-89e2-000bdb635bd4}");
  assert_int_equal (mountdb_device_user_mount_count (cruzer), 1);
  const mountdb_user_mount *m = mountdb_device_user_mount_get (cruzer, 0);
  assert_string_equal (m->guid, "b005e6d6-d0b3-11de-89e2-000bdb635bd4");
  assert_int_equal (m->hive, 1);
  assert_false (m->by_letter);
  char t[40];
  mountdb_filetime_format (m->last_written, t);
  assert_memory_equal (t, "2009-11-17T20:52:36", 19);

  const mountdb_device *flash = device_by (d, "serial", "51491E64");
  assert_string_equal (str_of (flash, "parent_id_prefix"), "7&18ec28b&0");
  assert_string_equal (str_of (flash, "friendly_name"),
                       "USB 2.0 Flash Disk USB Device");
  assert_int_equal (num_of (flash, "vid"), 0x058f);
  assert_int_equal (num_of (flash, "pid"), 0x6387);
  assert_int_equal (mountdb_device_volume_count (flash), 1);
  volume_names (flash, 0, names, sizeof names);
  assert_string_equal (names, "\\DosDevices\\E: "
                       "\\??\\Volume{ef285bc8-d3a6-11de-89e3-000bdb635bd4}");
  /* By GUID, then the letter E (weaker: written 2009-11-14, when the
   * Cruzer was first plugged in). */
  assert_int_equal (mountdb_device_user_mount_count (flash), 2);
  assert_string_equal (mountdb_device_user_mount_get (flash, 0)->name,
                       "{ef285bc8-d3a6-11de-89e3-000bdb635bd4}");
  assert_int_equal (mountdb_device_user_mount_get (flash, 1)->letter, 'E');
  assert_true (mountdb_device_user_mount_get (flash, 1)->by_letter);

  /* The LaCie disks have no volume here; the '/' of their device key is
   * '#' in the interface key, which still matches. */
  const mountdb_device *lacie = device_by (d, "serial", "00D04B881007C255");
  assert_string_equal (str_of (lacie, "product"), "Rugged_FW/USB");
  assert_int_equal (mountdb_device_volume_count (lacie), 0);
  time_is (lacie, "device_class_written", "2009-11-17T00:06:21");
  /* Empty Ven_ and Prod_ give no vendor or product fact. */
  const mountdb_device *blank = device_by (d, "serial", "152D203380B6");
  assert_null (mountdb_device_fact (blank, "vendor"));
  assert_int_equal (num_of (blank, "vid"), 0x152d);

  /* IDE: instance IDs are not serials. */
  const mountdb_device *cd = device_by (d, "instance_id", "5&3a919bc3&0&0.0.0");
  assert_int_equal (num_of (cd, "serial_generated"), 1);
  assert_null (mountdb_device_fact (cd, "serial"));
  assert_int_equal (mountdb_device_volume_match (cd, 0),
                    MOUNTDB_MATCH_DEVICE_PATH);

  /* C: (MBR), A: (floppy), the second disk's MBR volume. */
  assert_int_equal (mountdb_devices_unmatched_volume_count (d), 3);
  /* 12 MountPoints2 subkeys: 5 name a device's volume. */
  assert_int_equal (mountdb_user_mount_count (d), 12);
  size_t named = 0;
  for (size_t i = 0; i < mountdb_user_mount_count (d); i++)
    named += mountdb_user_mount_get (d, i)->device != NULL;
  assert_int_equal (named, 5);

  /* Sources: every fact names its hive and a key. */
  const mountdb_fact *f = mountdb_device_fact (flash, "friendly_name");
  assert_int_equal (f->hive, 0);
  assert_string_equal (f->key, "ControlSet001\\Enum\\USBSTOR\\Disk&Ven_USB_2.0"
                       "&Prod_Flash_Disk&Rev_8.00\\51491E64&0");
  assert_string_equal (f->value, "FriendlyName");
  assert_non_null (f->meaning);
  for (size_t i = 0; i < mountdb_device_count (d); i++) {
    const mountdb_device *dev = mountdb_device_get (d, i);
    for (size_t j = 0; j < mountdb_device_fact_count (dev); j++) {
      assert_non_null (mountdb_device_fact_get (dev, j)->key);
      assert_non_null (mountdb_device_fact_get (dev, j)->meaning);
    }
  }
  mountdb_devices_free (d);
  mountdb_close (usr);
  mountdb_close (sys);
}

static void
win7_usb (void **state)
{
  (void) state;
  if (!have_real ())
    skip ();
  mountdb *sys = open_real ("win7-x86-usb.SYSTEM", MOUNTDB_OPEN_DEVICES);
  mountdb_devices *d = NULL;
  assert_int_equal (mountdb_devices_build (sys, NULL, 0, NULL, &d, NULL), 0);
  /* USBSTOR HP v100w, 2 SCSI disks (VMware), 4 IDE CD-ROMs. */
  assert_int_equal (mountdb_device_count (d), 7);
  const mountdb_device *hp = device_by (d, "serial", "AA951D0000007252");
  assert_string_equal (str_of (hp, "vendor"), "HP");
  assert_string_equal (str_of (hp, "product"), "v100w");
  assert_string_equal (str_of (hp, "revision"), "1024");
  assert_int_equal (num_of (hp, "serial_generated"), 0);
  assert_int_equal (num_of (hp, "vid"), 0x03f0);
  assert_int_equal (num_of (hp, "pid"), 0x3207);
  assert_string_equal (str_of (hp, "disk_id"),
                       "{eba74da4-5bb2-11e0-95d1-000c2971073c}");
  /* Windows 7 layout: ...\00000064\00000000, values Type and Data. */
  const mountdb_fact *f = mountdb_device_fact (hp, "install_date");
  assert_non_null (f);
  assert_true (f->num == UINT64_C (0x01cbf028a02d1be0));
  assert_string_equal (f->value, "Data");
  assert_non_null (strstr (f->key, "{83da6326-97a6-4088-9453-a1923f573b29}"
                           "\\00000064\\00000000"));
  time_is (hp, "first_install", "2011-04-01T04:52:38");
  assert_null (mountdb_device_fact (hp, "last_arrival"));
  time_is (hp, "device_class_written", "2011-04-01T04:52:38");
  time_is (hp, "instance_key_written", "2012-04-07T10:31:37");
  assert_int_equal (mountdb_device_volume_count (hp), 1);
  char names[512];
  volume_names (hp, 0, names, sizeof names);
  assert_string_equal (names, "\\??\\Volume{eba74da6-5bb2-11e0-95d1-"
                       "000c2971073c} \\DosDevices\\E:");
  /* C: (MBR) and A: (floppy) have no device. */
  assert_int_equal (mountdb_devices_unmatched_volume_count (d), 2);
  mountdb_devices_free (d);
  mountdb_close (sys);
}

static void
win10_replayed (void **state)
{
  (void) state;
  if (!have_real ())
    skip ();
  mountdb *sys = open_real ("win10-1709-dirty.SYSTEM", MOUNTDB_OPEN_DEVICES);
  assert_true (mountdb_logs_applied (sys));
  mountdb_devices *d = NULL;
  assert_int_equal (mountdb_devices_build (sys, NULL, 0, NULL, &d, NULL), 0);
  /* Two SanDisk Extreme, the CD-ROM, the internal SSD, and the Samsung
   * Portable SSD T5 the logs add (installed 2018-04-06). */
  assert_int_equal (mountdb_device_count (d), 5);
  const mountdb_device *a = device_by (d, "serial", "AA010215170355310594");
  /* Windows 8+ layout: the key's default value typed 0xFFFF0010. */
  const mountdb_fact *f = mountdb_device_fact (a, "last_arrival");
  assert_non_null (f);
  assert_true (f->num == UINT64_C (0x01d3c5c4fc74d4b0));
  assert_string_equal (f->value, "");
  assert_non_null (strstr (f->key, "b29}\\0066"));
  time_is (a, "last_removal", "2018-03-27T09:22:13");
  time_is (a, "install_date", "2018-03-27T12:11:32");
  time_is (a, "first_install", "2018-03-27T12:11:32");
  assert_int_equal (num_of (a, "pid"), 0x5580);
  assert_int_equal (mountdb_device_volume_count (a), 1);
  char names[512];
  volume_names (a, 0, names, sizeof names);
  assert_string_equal (names,
                       "\\??\\Volume{5c3108bf-31c0-11e8-9b10-806e6f6e6963}");
  const mountdb_device *b = device_by (d, "serial", "AA010603160707470215");
  assert_null (mountdb_device_fact (b, "last_removal"));
  time_is (b, "last_arrival", "2018-03-27T21:45:44");
  volume_names (b, 0, names, sizeof names);
  assert_string_equal (names, "\\DosDevices\\D: "
                       "\\??\\Volume{3869c27a-31b8-11e8-9b12-ecf4bb487fed}");
  /* Their portable-device nodes' labels (Enum\SWD\WPDBUSENUM). */
  assert_string_equal (str_of (a, "wpd_label"), "ESD-USB");
  assert_string_equal (str_of (b, "wpd_label"), "CloudLog");
  const mountdb_device *t5 = device_by (d, "product", "Portable_SSD_T5");
  assert_string_equal (str_of (t5, "bus"), "SCSI");
  time_is (t5, "first_install", "2018-04-06T12:35:08");
  assert_null (mountdb_device_fact (t5, "serial"));
  assert_int_equal (mountdb_device_volume_count (t5), 0);
  /* Its portable-device node is named "{its DiskId}#0000000000100000". */
  f = mountdb_device_fact (t5, "wpd_label");
  assert_non_null (f);
  assert_string_equal (f->str, "Samsung_T5");
  assert_non_null (strstr (f->key, "WPDBUSENUM\\{36c21bc6-396f-11e8-9b15-"
                           "28e347017777}#0000000000100000"));
  /* C: (GPT/DMIO) and the replayed F: (MBR 76d45981). */
  assert_int_equal (mountdb_devices_unmatched_volume_count (d), 2);
  mountdb_devices_free (d);
  mountdb_close (sys);

  /* The primary alone: no T5 yet. */
  sys = open_real ("win10-1709-dirty.SYSTEM",
                   MOUNTDB_OPEN_DEVICES | MOUNTDB_OPEN_NO_LOGS);
  assert_int_equal (mountdb_devices_build (sys, NULL, 0, NULL, &d, NULL), 0);
  assert_int_equal (mountdb_device_count (d), 4);
  for (size_t i = 0; i < mountdb_device_count (d); i++)
    assert_null (strstr (str_of (mountdb_device_get (d, i), "device_key"),
                         "T5"));
  mountdb_devices_free (d);
  mountdb_close (sys);
}

static void
wrong_kinds (void **state)
{
  (void) state;
  if (!have_real ())
    skip ();
  mountdb *sys = open_real ("xp-x86-m57-removable.SYSTEM",
                            MOUNTDB_OPEN_DEVICES);
  mountdb *usr = open_real ("xp-x86-m57-removable.NTUSER.DAT",
                            MOUNTDB_OPEN_DEVICES);
  mountdb_devices *d = NULL;
  mountdb_error err;
  /* NTUSER given as SYSTEM, and the reverse: refused, naming the file. */
  const mountdb *users[] = { sys };
  assert_int_equal (mountdb_devices_build (usr, NULL, 0, NULL, &d, &err),
                    MOUNTDB_E_REFUSED);
  assert_null (d);
  assert_non_null (strstr (err.message, "NTUSER.DAT: a user hive"));
  assert_non_null (strstr (err.message, "SYSTEM"));
  assert_int_equal (mountdb_devices_build (sys, users, 1, NULL, &d, &err),
                    MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "m57-removable.SYSTEM: "));
  assert_non_null (strstr (err.message, "user"));
  /* A SYSTEM or user hive as SOFTWARE. */
  assert_int_equal (mountdb_devices_build (sys, NULL, 0, usr, &d, &err),
                    MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "SOFTWARE"));
  /* Opened without the flag. */
  mountdb *plain = open_real ("xp-x86-m57-removable.SYSTEM", 0);
  assert_int_equal (mountdb_devices_build (plain, NULL, 0, NULL, &d, &err),
                    MOUNTDB_E_INVAL);
  assert_non_null (strstr (err.message, "MOUNTDB_OPEN_DEVICES"));
  assert_int_equal (mountdb_devices_build (NULL, NULL, 0, NULL, &d, &err),
                    MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_devices_build (sys, NULL, 1, NULL, &d, &err),
                    MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_devices_build (sys, NULL, 0, NULL, NULL, &err),
                    MOUNTDB_E_INVAL);
  mountdb_close (plain);
  mountdb_close (usr);
  mountdb_close (sys);
}

/* Hives with no device keys (NT4; a user hive's own keys) join to
 * nothing, without error. */
static void
no_device_keys (void **state)
{
  (void) state;
  if (!have_real ())
    skip ();
  mountdb *sys = open_real ("nt4-server-nokey.SYSTEM", MOUNTDB_OPEN_DEVICES);
  mountdb_devices *d = NULL;
  assert_int_equal (mountdb_devices_build (sys, NULL, 0, NULL, &d, NULL), 0);
  assert_int_equal (mountdb_device_count (d), 0);
  assert_int_equal (mountdb_devices_unmatched_volume_count (d), 0);
  assert_null (mountdb_device_get (d, 0));
  assert_null (mountdb_devices_hive_get (d, 1));
  assert_int_equal (mountdb_devices_hive_role (d, 1), -1);
  mountdb_devices_free (d);
  mountdb_close (sys);
}

/* ---- the join on generated fixtures (testdata/devlib-*.desc) ----------------- */

static mountdb *
open_fixture (const char *name)
{
  const char *dir = getenv ("FIXTURES");
  char path[4096];
  snprintf (path, sizeof path, "%s/%s.hive", dir ? dir : ".", name);
  mountdb *db = NULL;
  mountdb_error err;
  if (mountdb_open (path, MOUNTDB_OPEN_DEVICES, &db, &err) < 0)
    fail_msg ("%s", err.message);
  return db;
}

static size_t
count_field (const mountdb_device *dev, const char *field)
{
  size_t n = 0;
  for (size_t i = 0; i < mountdb_device_fact_count (dev); i++)
    n += strcmp (mountdb_device_fact_get (dev, i)->field, field) == 0;
  return n;
}

static void
fixtures (void **state)
{
  (void) state;
  if (getenv ("FIXTURES") == NULL)
    skip ();
  mountdb *sys = open_fixture ("devlib-system");
  mountdb *jo = open_fixture ("devlib-ntuser");
  mountdb *ann = open_fixture ("devlib-ntuser-nomp2");
  mountdb *sw = open_fixture ("devlib-software");
  const mountdb *users[] = { jo, ann };
  mountdb_devices *d = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_devices_build (sys, users, 2, sw, &d, &err), 0);
  /* Select\Current = 2: ControlSet001's stale device is not read. */
  assert_int_equal (mountdb_devices_control_set (d), 2);
  /* 3 USBSTOR instances and the portable-device node of no device. */
  assert_int_equal (mountdb_device_count (d), 4);
  const mountdb_device *phone = device_by (d, "friendly_name", "Phone");
  assert_string_equal (str_of (phone, "bus"), "SWD");
  assert_string_equal (str_of (phone, "device_key"), "WPDBUSENUM");
  assert_int_equal (mountdb_devices_hive_count (d), 4);
  assert_int_equal (mountdb_devices_hive_role (d, 3), MOUNTDB_ROLE_SOFTWARE);
  const mountdb_fact *u = mountdb_devices_hive_user (d, 1);
  assert_non_null (u);
  assert_string_equal (u->str, "jo\033[31m");
  assert_string_equal (u->key, "Volatile Environment");
  assert_string_equal (u->value, "USERNAME");
  assert_int_equal (u->hive, 1);
  assert_null (mountdb_devices_hive_user (d, 2));
  assert_null (mountdb_devices_hive_user (d, 0));

  const mountdb_device *k = device_by (d, "serial",
                                       "0019E06B9C85F9A0E7320147");
  assert_true (num_of (k, "install_date") == UINT64_C (0x01d5c7a000000000));
  assert_true (num_of (k, "first_install") == UINT64_C (0x01d5c7a100000000));
  assert_true (num_of (k, "last_arrival") == UINT64_C (0x01d5c7a200000000));
  /* 0067 holds a string (0xFFFF0012): no removal time is made up. */
  assert_null (mountdb_device_fact (k, "last_removal"));
  /* VID_0951&PID_1666&MI_00 is an interface, not the device. */
  assert_int_equal (count_field (k, "vid"), 1);
  assert_int_equal (num_of (k, "vid"), 0x0951);
  assert_int_equal (num_of (k, "pid"), 0x1666);
  time_is (k, "usb_key_written", "2020-01-10T09:59:59");
  time_is (k, "device_class_written", "2020-01-10T10:00:01");
  assert_string_equal (str_of (k, "disk_id"),
                       "{11111111-2222-3333-4444-555555555555}");
  assert_string_equal (str_of (k, "wpd_label"), "KINGSTON-LBL");
  assert_int_equal (count_field (k, "wpd_label"), 2); /* and {DiskId}#... */
  const mountdb_fact *f = mountdb_device_fact (k, "wpd_friendly_name");
  assert_non_null (f);
  assert_string_equal (f->str, "KINGSTON");
  assert_int_equal (f->hive, 3);
  assert_string_equal (f->value, "FriendlyName");
  /* EMDMgmt: the stick's key, not the one of the longer serial. */
  assert_int_equal (count_field (k, "emd_volume_serial"), 1);
  assert_int_equal (num_of (k, "emd_volume_serial"), 1234567890);
  assert_string_equal (str_of (k, "emd_label"), "KINGSTON");
  time_is (k, "emd_key_written", "2020-01-10T10:06:00");
  assert_int_equal (mountdb_device_volume_count (k), 1);
  char names[512];
  volume_names (k, 0, names, sizeof names);
  assert_string_equal (names, "\\DosDevices\\F: "
                       "\\??\\Volume{aaaaaaaa-1111-11ea-8000-000000000001}");
  assert_int_equal (mountdb_device_user_mount_count (k), 2);
  assert_false (mountdb_device_user_mount_get (k, 0)->by_letter);
  assert_int_equal (mountdb_device_user_mount_get (k, 1)->letter, 'F');
  assert_true (mountdb_device_user_mount_get (k, 1)->by_letter);
  assert_ptr_equal (mountdb_device_user_mount_get (k, 1)->device, k);

  const mountdb_device *g = device_by (d, "instance_id", "7&2a3b4c5d&0");
  assert_int_equal (num_of (g, "serial_generated"), 1);
  assert_null (mountdb_device_fact (g, "serial"));
  assert_null (mountdb_device_fact (g, "vid"));
  assert_int_equal (mountdb_device_volume_count (g), 0);

  /* Hostile names are kept as stored (the outputs escape them). */
  const mountdb_device *h = device_by (d, "serial", "SER");
  assert_string_equal (str_of (h, "vendor"), "\033[31mEvil");
  assert_string_equal (str_of (h, "product"), "<b>\"x");
  assert_string_equal (str_of (h, "friendly_name"), "Evil\nInjected: line");

  /* The longer serial's volume and C: have no device. */
  assert_int_equal (mountdb_devices_unmatched_volume_count (d), 2);
  /* jo's four subkeys; ann's hive has no MountPoints2. */
  assert_int_equal (mountdb_user_mount_count (d), 4);
  for (size_t i = 0; i < mountdb_user_mount_count (d); i++) {
    const mountdb_user_mount *m = mountdb_user_mount_get (d, i);
    assert_int_equal (m->hive, 1);
    if (strncmp (m->name, "{bbbbbbbb", 9) == 0 || m->name[0] == '#')
      assert_null (m->device);
  }
  mountdb_devices_free (d);
  mountdb_close (sw);
  mountdb_close (ann);
  mountdb_close (jo);
  mountdb_close (sys);
}

/* ---- the devices JSON document (mountdb_devices_json_write) ------------------ */

struct buf {
  char *p;
  size_t len;
  size_t calls;
  int refuse;                   /* the sink says stop */
};

static int
buf_sink (void *ctx, const char *s, size_t n)
{
  struct buf *b = ctx;
  if (b->refuse)
    return 1;
  b->calls++;
  b->p = realloc (b->p, b->len + n + 1);
  assert_non_null (b->p);
  memcpy (b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
  return 0;
}

static void
devices_json (void **state)
{
  (void) state;
  if (getenv ("FIXTURES") == NULL)
    skip ();
  mountdb *sys = open_fixture ("devlib-system");
  mountdb *jo = open_fixture ("devlib-ntuser");
  const mountdb *users[] = { jo };
  mountdb_devices *d = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_devices_build (sys, users, 1, NULL, &d, &err), 0);
  /* NULL options: pretty, two spaces a level, no newline at the end. */
  struct buf pretty = { 0 }, compact = { 0 };
  assert_int_equal (mountdb_devices_json_write (d, NULL, buf_sink, &pretty,
                                                &err), 0);
  const char *head = "{\n  \"schema\": 1,\n  \"tool\"";
  assert_true (strncmp (pretty.p, head, strlen (head)) == 0);
  assert_int_equal (pretty.p[pretty.len - 1], '}');
  assert_non_null (strstr (pretty.p, "\"command\": \"devices\""));
  /* Each hive's logs is the hive document's object: null when clean. */
  assert_non_null (strstr (pretty.p, "\"logs\": null"));
  /* Hostile names exactly, escaped: ESC as \u001b. */
  assert_non_null (strstr (pretty.p, "jo\\u001b[31m"));
  mountdb_json_opts o;
  mountdb_json_opts_init (&o);
  o.flags = MOUNTDB_JSON_COMPACT;
  assert_int_equal (mountdb_devices_json_write (d, &o, buf_sink, &compact,
                                                &err), 0);
  assert_null (strchr (compact.p, '\n'));
  assert_true (compact.len < pretty.len);
  /* A sink that stops: MOUNTDB_E_IO, nothing more handed on. */
  struct buf stop = { .refuse = 1 };
  assert_int_equal (mountdb_devices_json_write (d, &o, buf_sink, &stop, &err),
                    MOUNTDB_E_IO);
  assert_int_equal (stop.len, 0);
  /* Bad arguments. */
  assert_int_equal (mountdb_devices_json_write (NULL, NULL, buf_sink, &stop,
                                                &err), MOUNTDB_E_INVAL);
  assert_int_equal (mountdb_devices_json_write (d, NULL, NULL, NULL, &err),
                    MOUNTDB_E_INVAL);
  o.indent = 9;
  assert_int_equal (mountdb_devices_json_write (d, &o, buf_sink, &stop, &err),
                    MOUNTDB_E_INVAL);
  o.indent = 0;
  o.struct_size = 1;
  assert_int_equal (mountdb_devices_json_write (d, &o, buf_sink, &stop, &err),
                    MOUNTDB_E_INVAL);
  free (pretty.p);
  free (compact.p);
  free (stop.p);
  mountdb_devices_free (d);
  mountdb_close (jo);
  mountdb_close (sys);
}

static void
names_of_codes (void **state)
{
  (void) state;
  assert_string_equal (mountdb_hive_role_name (MOUNTDB_ROLE_SOFTWARE),
                       "software");
  assert_string_equal (mountdb_hive_role_name (9), "unknown");
  assert_string_equal (mountdb_fact_kind_name (MOUNTDB_FACT_TIME), "time");
  assert_null (mountdb_fact_kind_name (4));
  assert_string_equal (mountdb_device_match_name (1), "parent_id_prefix");
  assert_string_equal (mountdb_device_match_name (2), "unknown");
}

int
main (void)
{
  real = getenv ("REAL_HIVES");
  if (!have_real ())
    printf ("SKIP: the real-hive tests below: real hives not found at %s "
            "(../shared/testdata/real is not part of a clone; set "
            "REAL_HIVES)\n", real ? real : "(unset)");
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (devkey_usbstor),
    cmocka_unit_test (devkey_ide),
    cmocka_unit_test (instance_ids),
    cmocka_unit_test (usb_keys),
    cmocka_unit_test (device_paths),
    cmocka_unit_test (mountpoints2),
    cmocka_unit_test (emdmgmt),
    cmocka_unit_test (user_from_path),
    cmocka_unit_test (property_times),
    cmocka_unit_test (key_tree),
    cmocka_unit_test (names_of_codes),
    cmocka_unit_test (devices_json),
    cmocka_unit_test (xp_m57),
    cmocka_unit_test (win7_usb),
    cmocka_unit_test (win10_replayed),
    cmocka_unit_test (wrong_kinds),
    cmocka_unit_test (no_device_keys),
    cmocka_unit_test (fixtures),
  };
  return cmocka_run_group_tests_name ("devices (issue 16)", tests, NULL,
                                      NULL);
}
