/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Partition types: their stable names, which make a disk dynamic, and
 * which become a volume the mount manager gives a unique ID.
 *
 * Which types get an ID is partly inferred (mountdb(1), DISKS): the
 * mount manager stores the ID of every volume that arrives, and on a
 * basic disk Windows makes a volume of every partition except the
 * extended container, the MSR (Microsoft documents it as hidden from the
 * volume stack), LDM's metadata and data partitions (their volumes are
 * LDM's, with their own GUIDs) and Storage Spaces members (the pool's
 * virtual disks are the volumes).  ESP and recovery partitions are
 * volumes without a letter (mountvol lists them): they get an ID.  On a
 * dynamic disk no partition's ID can be told from the table (V14). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "disk.h"

const char *
mountdb_table_name (int table)
{
  switch (table) {
  case MOUNTDB_TABLE_NONE: return "none";
  case MOUNTDB_TABLE_MBR: return "mbr";
  case MOUNTDB_TABLE_GPT: return "gpt";
  case MOUNTDB_TABLE_DYNAMIC: return "dynamic";
  default: return NULL;
  }
}

static const struct { unsigned char type; const char *name; } mbr_types[] = {
  { 0x01, "fat12" },
  { 0x04, "fat16" },            /* < 32 MiB */
  { 0x05, "extended" },         /* CHS */
  { 0x06, "fat16" },
  { 0x07, "ntfs_exfat" },       /* also IFS, HPFS */
  { 0x0b, "fat32" },            /* CHS */
  { 0x0c, "fat32" },            /* LBA */
  { 0x0e, "fat16" },            /* LBA */
  { 0x0f, "extended" },         /* LBA */
  { 0x11, "fat12_hidden" },
  { 0x14, "fat16_hidden" },
  { 0x16, "fat16_hidden" },
  { 0x17, "ntfs_exfat_hidden" },
  { 0x1b, "fat32_hidden" },
  { 0x1c, "fat32_hidden" },
  { 0x1e, "fat16_hidden" },
  { 0x27, "recovery" },         /* Windows RE, hidden NTFS */
  { 0x42, "ldm" },              /* dynamic disk (LDM) */
  { 0x82, "linux_swap" },
  { 0x83, "linux" },
  { 0x85, "extended" },         /* Linux extended */
  { 0x8e, "linux_lvm" },
  { 0xa5, "freebsd" },
  { 0xaf, "hfs" },
  { 0xee, "gpt_protective" },
  { 0xef, "esp" },
  { 0xfd, "linux_raid" },
};

const char *
md_mbr_type_name (unsigned type)
{
  for (size_t i = 0; i < sizeof mbr_types / sizeof mbr_types[0]; i++)
    if (mbr_types[i].type == type)
      return mbr_types[i].name;
  return NULL;
}

#define GPT_BASIC_DATA   "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7"
#define GPT_MSR          "e3c9e316-0b5c-4db8-817d-f92df00215ae"
#define GPT_ESP          "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
#define GPT_RECOVERY     "de94bba4-06d1-4d40-a16a-bfd50179d6ac"
#define GPT_LDM_METADATA "5808c8aa-7e8f-42e0-85d2-e1e90434cfb3"
#define GPT_LDM_DATA     "af9b60a0-1431-4f62-bc68-3311714a69ad"
#define GPT_SPACES       "e75caf8f-f680-4cee-afa3-b001e56efc2d"

static const struct { const char *guid, *name; } gpt_types[] = {
  { GPT_BASIC_DATA, "basic_data" },
  { GPT_MSR, "msr" },
  { GPT_ESP, "esp" },
  { GPT_RECOVERY, "recovery" },
  { GPT_LDM_METADATA, "ldm_metadata" },
  { GPT_LDM_DATA, "ldm_data" },
  { GPT_SPACES, "storage_spaces" },
  { "21686148-6449-6e6f-744e-656564454649", "bios_boot" },
  { "0fc63daf-8483-4772-8e79-3d69d8477de4", "linux" },
  { "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "linux_swap" },
  { "e6d6d379-f507-44c2-a23c-238f2a3df928", "linux_lvm" },
  { "a19d880f-05fc-4d3b-a006-743f0f84911e", "linux_raid" },
  { "48465300-0000-11aa-aa11-00306543ecac", "hfs" },
  { "7c3457ef-0000-11aa-aa11-00306543ecac", "apfs" },
};

const char *
md_gpt_type_name (const char *guid)
{
  if (guid == NULL)
    return NULL;
  for (size_t i = 0; i < sizeof gpt_types / sizeof gpt_types[0]; i++)
    if (strcmp (gpt_types[i].guid, guid) == 0)
      return gpt_types[i].name;
  return NULL;
}

int
md_mbr_type_dynamic (unsigned type)
{
  return type == 0x42;
}

int
md_gpt_type_dynamic (const char *guid)
{
  return guid && strcmp (guid, GPT_LDM_METADATA) == 0;
}

static int
is_extended (unsigned type)
{
  return type == 0x05 || type == 0x0f || type == 0x85;
}

int
md_mbr_type_has_volume (unsigned type)
{
  return type != 0 && !is_extended (type) && type != 0x42 && type != 0xee;
}

int
md_gpt_type_has_volume (const char *guid)
{
  static const char *const none[] = {
    "00000000-0000-0000-0000-000000000000", GPT_MSR, GPT_LDM_METADATA,
    GPT_LDM_DATA, GPT_SPACES,
  };
  if (guid == NULL)
    return 0;
  for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
    if (strcmp (guid, none[i]) == 0)
      return 0;
  return 1;
}

/* The types Windows itself formats: FAT, NTFS, exFAT and its recovery
 * partition (MBR 0x01-0x1e, 0x27; GPT basic data and recovery). */
static int
windows_data_type (const mountdb_partition *p, int gpt)
{
  if (gpt)
    return strcmp (p->type_guid, GPT_BASIC_DATA) == 0
      || strcmp (p->type_guid, GPT_RECOVERY) == 0;
  switch (p->mbr_type) {
  case 0x01: case 0x04: case 0x06: case 0x07: case 0x0b: case 0x0c:
  case 0x0e: case 0x11: case 0x14: case 0x16: case 0x17: case 0x1b:
  case 0x1c: case 0x1e: case 0x27:
    return 1;
  default:
    return 0;
  }
}

int
md_fs_probe_kind (const mountdb_partition *p, int gpt)
{
  if (gpt ? !md_gpt_type_has_volume (p->type_guid)
      : !md_mbr_type_has_volume (p->mbr_type))
    return MD_FS_PROBE_NONE;
  if (gpt ? strcmp (p->type_guid, GPT_ESP) == 0 : p->mbr_type == 0xef)
    return MD_FS_PROBE_FAT;
  return windows_data_type (p, gpt) ? MD_FS_PROBE_DATA : MD_FS_PROBE_ALL;
}

int
md_partition_set_id (mountdb_partition *p, const char *spec)
{
  mountdb_spec *sp = NULL;
  mountdb_error e;
  int r = mountdb_spec_parse (spec, &sp, &e);
  if (r < 0)
    return r;
  size_t len = 0;
  const uint8_t *id = mountdb_spec_id (sp, &len);
  if (id == NULL || len == 0 || len > sizeof p->id) {
    mountdb_spec_free (sp);
    return MOUNTDB_E_INVAL;
  }
  if ((p->spec = strdup (spec)) == NULL) {
    mountdb_spec_free (sp);
    return MOUNTDB_E_NOMEM;
  }
  memcpy (p->id, id, len);
  p->idlen = len;
  mountdb_spec_free (sp);
  return 0;
}
