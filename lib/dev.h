/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device history (issue 16): the copied device keys (a plain tree the
 * hive layer fills and the join reads) and the pure decoders of their
 * names and values.  No hivex, no I/O (fuzzed: lib/fuzz/fuzz_dev.c). */
#ifndef MOUNTDB_DEV_H
#define MOUNTDB_DEV_H

#include "decode.h"

/* ---- dev_keys.c: a copy of some keys of a hive ---------------------------- */
struct md_rval {
  char *name;                /* UTF-8 ("" for the default value) */
  uint32_t type;             /* as stored (Win8+ properties: 0xFFFF00nn) */
  uint32_t len;
  uint8_t *data;
};
struct md_rkey {
  char *name;                /* UTF-8 */
  uint64_t lastwrite;        /* FILETIME, 0 when unreadable */
  struct md_rval *vals;
  struct md_rkey *kids;      /* in hive order */
  uint32_t nvals, nkids;
  uint32_t cap_kids;
};
/* Bounds of a copy (a hostile hive cannot exhaust memory through it). */
#define MD_RKEY_MAX_KEYS 200000u
#define MD_RKEY_MAX_BYTES ((size_t) 64 << 20)

/* The device keys of one hive (MOUNTDB_OPEN_DEVICES): root mirrors the
 * hive's root, holding only the paths copied (names as stored). */
struct md_devkeys {
  struct md_rkey root;
  uint32_t cs;               /* SYSTEM: the N of the ControlSetNNN copied */
  size_t keys, bytes;        /* what the copy holds (bounded above) */
  int truncated;             /* a bound was reached: the copy is partial */
};
MD_HIDDEN void md_devkeys_free (struct md_devkeys *dk);

/* The child named name (ASCII case ignored, as the registry), or NULL. */
MD_HIDDEN const struct md_rkey *md_rkey_child (const struct md_rkey *k,
                                               const char *name);
/* Follow a '\'-separated path from k, or NULL. */
MD_HIDDEN const struct md_rkey *md_rkey_path (const struct md_rkey *k,
                                              const char *path);
MD_HIDDEN const struct md_rval *md_rkey_value (const struct md_rkey *k,
                                               const char *name);
/* A new empty child of k named name (a copy), or NULL when out of memory. */
MD_HIDDEN struct md_rkey *md_rkey_add (struct md_rkey *k, const char *name);
/* The child named name, created when absent. */
MD_HIDDEN struct md_rkey *md_rkey_get_or_add (struct md_rkey *k,
                                              const char *name);
/* Appends a value (copies name and data); 0 or MOUNTDB_E_NOMEM. */
MD_HIDDEN int md_rkey_add_value (struct md_rkey *k, const char *name,
                                 uint32_t type, const void *data,
                                 size_t len);
/* Frees what k holds (not k itself). */
MD_HIDDEN void md_rkey_clear (struct md_rkey *k);
/* REG_SZ / REG_EXPAND_SZ data as UTF-8 (to the first NUL), or NULL when
 * v is NULL, of another type or out of memory.  Free it. */
MD_HIDDEN char *md_rval_string (const struct md_rval *v);

/* ---- dev_names.c: names of keys ------------------------------------------- */
/* A device key under Enum\BUS: "Disk&Ven_HP&Prod_v100w&Rev_1024",
 * "CdRom&Ven_PLDS&Prod_DVD-ROM_DU-8D5LH", IDE's
 * "DiskWDC_AC313000R_____...____17.01J17".  Spans into the name; n == 0
 * when absent.  Returns 0, or -1 when the name has no known shape (type
 * then spans it all). */
typedef struct md_span { size_t off, n; } md_span;
typedef struct md_devkey {
  md_span type, vendor, product, revision;
} md_devkey;
MD_HIDDEN int md_dev_parse_devkey (const char *name, md_devkey *out);
/* An instance key name: its serial (without a trailing "&N"; n 0 when
 * generated) and whether Windows generated it (second character '&'). */
MD_HIDDEN void md_dev_parse_instance (const char *name, md_span *serial,
                                      int *generated);
/* "VID_03F0&PID_3207" (also "Vid_", and "&MI_nn" interfaces, which are
 * not devices: -1).  Returns 0 with vid and pid, or -1. */
MD_HIDDEN int md_dev_parse_usb_key (const char *name, uint16_t *vid,
                                    uint16_t *pid);
/* Device paths name a device by "BUS#DEVKEY#INSTANCE" after a prefix
 * ("\??\", "_??_", "##?#", "\\?\"): MountedDevices IDs, DeviceClasses
 * and EMDMgmt key names, WPD names.  1 when s[0..n), its prefix skipped
 * when present, starts with id ("BUS\DEVKEY\INSTANCE", '\' standing for
 * '#') followed by '#' or its end; ASCII case is ignored and '/' equals
 * '#' (a '/' in a device key is '#' in its interface key name: seen in a
 * real XP hive).  Exact component match, never a substring. */
MD_HIDDEN int md_dev_path_is (const char *s, size_t n, const char *id);
/* The offset of the first device path prefix inside s[0..n), or -1. */
MD_HIDDEN long md_dev_find_path (const char *s, size_t n);
/* A MountPoints2 subkey name: "{GUID}" (guid_out: lower case, no braces),
 * a single letter, "##server#share", or anything else. */
enum md_mp2_kind { MD_MP2_OTHER = 0, MD_MP2_GUID, MD_MP2_LETTER,
                   MD_MP2_SHARE };
MD_HIDDEN int md_dev_parse_mp2 (const char *name, char guid_out[37],
                                char *letter);
/* An EMDMgmt subkey name: "<device path>LABEL_SERIAL" where SERIAL is the
 * volume serial number in decimal and the device path ends with
 * "#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}".  Returns 0 with the spans of
 * the device path and label and the serial, or -1. */
MD_HIDDEN int md_dev_parse_emd (const char *name, md_span *path,
                                md_span *label, uint32_t *serial);
/* The user from a hive path: the folder holding NTUSER.DAT (any case)
 * when it is under "Users" or "Documents and Settings"; a malloc'd copy,
 * or NULL. */
MD_HIDDEN char *md_dev_user_from_path (const char *path);

/* ---- dev_prop.c: device property values ------------------------------------ */
/* DEVPROP_TYPE_FILETIME (devpropdef.h). */
#define MD_DEVPROP_TYPE_FILETIME 0x10u
/* A FILETIME property: Windows 8 and later store it as the key's default
 * value with registry type 0xFFFF0000 | DEVPROP_TYPE; Windows 7 as values
 * Type (REG_BINARY, 4 bytes LE) and Data of a subkey 00000000.  Returns
 * 0 with *ft, or -1 when the type is not FILETIME or the data is not 8
 * bytes. */
MD_HIDDEN int md_dev_prop_filetime_w8 (uint32_t reg_type, const uint8_t *d,
                                       size_t len, uint64_t *ft);
MD_HIDDEN int md_dev_prop_filetime_w7 (const uint8_t *type, size_t tlen,
                                       const uint8_t *d, size_t len,
                                       uint64_t *ft);

#endif
