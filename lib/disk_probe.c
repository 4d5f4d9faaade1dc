/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Disks through libblkid: the partition table, each partition, the
 * filesystem in it.  MBR and GPT are libblkid's to parse; the two places
 * below that read table bytes themselves say why libblkid cannot help.
 * libblkid is loaded here, on the first disk (blkiddl.h), not linked. */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "blkiddl.h"               /* libblkid, loaded on first use */
#include "common/fullio.h"
#include "error.h"
#include "disk.h"

#define MBR_ENTRIES 446         /* first of four 16-byte entries */
#define GPT_MAX_WINDOWS 128     /* entries Windows supports (GPT FAQ) */
#define EBR_MAX 1024            /* links walked before giving up */

/* ---- the table ----------------------------------------------------------- */

static void
copy_lower (char out[37], const char *s)
{
  out[0] = '\0';
  if (s == NULL || strlen (s) != 36)
    return;
  for (size_t i = 0; i < 36; i++)
    out[i] = (char) tolower ((unsigned char) s[i]);
  out[36] = '\0';
}

/* A probe of the whole disk at one sector size; NULL when out of memory
 * or the device cannot be assigned. */
static blkid_probe
table_probe (int fd, uint64_t size, unsigned ss)
{
  blkid_probe pr = blkid_new_probe ();
  if (pr == NULL)
    return NULL;
  if (blkid_probe_set_device (pr, fd, 0, (blkid_loff_t) size) != 0
      || blkid_probe_set_sectorsize (pr, ss) != 0) {
    blkid_free_probe (pr);
    return NULL;
  }
  blkid_probe_enable_superblocks (pr, 0);
  blkid_probe_enable_partitions (pr, 1);
  return pr;
}

static const char *
table_type (blkid_probe pr, blkid_partlist *ls, blkid_parttable *tab)
{
  *ls = blkid_probe_get_partitions (pr);
  *tab = *ls ? blkid_partlist_get_table (*ls) : NULL;
  return *tab ? blkid_parttable_get_type (*tab) : NULL;
}

/* libblkid's dos prober ignores an MBR that holds a 0xEE entry (it leaves
 * it to the GPT prober), so only the MBR's own bytes say whether the MBR
 * of a GPT disk is protective or hybrid (more entries than the 0xEE), or
 * whether a disk without a readable GPT meant to have one.  Returns the
 * number of 0xEE entries. */
static int
classify_pmbr (mountdb_disk *d, int fd)
{
  uint8_t s[512];
  if (md_read_exact (fd, s, sizeof s, 0) < 0 || s[510] != 0x55
      || s[511] != 0xAA)
    return 0;
  int ee = 0, other = 0;
  for (int i = 0; i < 4; i++) {
    uint8_t t = s[MBR_ENTRIES + 16 * i + 4];
    if (t == 0xEE)
      ee++;
    else if (t != 0)
      other++;
  }
  if (ee && other)
    d->flags |= MOUNTDB_DISK_HYBRID_MBR;
  else if (ee)
    d->flags |= MOUNTDB_DISK_PROTECTIVE_MBR;
  return ee;
}

/* libblkid stops silently at an EBR it has seen (a loop) and at links
 * past the end, so to say that the chain was cut we follow the links
 * ourselves: only each EBR's "next" entry, never its partitions. */
static int
check_ebr_chain (mountdb_disk *d, int fd, uint64_t ext_lba)
{
  uint64_t seen[64];
  size_t nseen = 0;
  uint64_t link = 0;
  unsigned ss = d->sector_size;
  for (int n = 0; n < EBR_MAX; n++) {
    uint64_t lba = ext_lba + link;
    if (lba > d->size / ss - 1)
      return md_disk_warn (d, "the extended partition's EBR chain links "
                           "to sector %llu, past the end of the disk: "
                           "logical partitions from there are missing",
                           (unsigned long long) lba);
    for (size_t i = 0; i < nseen; i++)
      if (seen[i] == lba)
        return md_disk_warn (d, "the extended partition's EBR chain loops "
                             "back to sector %llu: cut there",
                             (unsigned long long) lba);
    if (nseen < sizeof seen / sizeof seen[0])
      seen[nseen++] = lba;
    uint8_t s[512];
    if (md_read_exact (fd, s, sizeof s, (off_t) (lba * ss)) < 0
        || s[510] != 0x55 || s[511] != 0xAA)
      return 0;               /* the end of the chain, as libblkid sees it */
    uint64_t next = 0;
    for (int i = 0; i < 4; i++) {
      const uint8_t *e = s + MBR_ENTRIES + 16 * i;
      if (e[4] == 0x05 || e[4] == 0x0F || e[4] == 0x85) {
        next = md_le32 (e + 8);
        break;
      }
    }
    if (next == 0)
      return 0;
    link = next;
  }
  return md_disk_warn (d, "the extended partition's EBR chain has more "
                       "than %d links: cut there", EBR_MAX);
}

/* ---- partitions ------------------------------------------------------------ */

static int
add_partitions (mountdb_disk *d, int fd, blkid_partlist ls,
                blkid_parttable tab, int gpt)
{
  int n = blkid_partlist_numof_partitions (ls);
  int dynamic = 0, r;
  for (int i = 0; i < n; i++) {
    blkid_partition par = blkid_partlist_get_partition (ls, i);
    if (par == NULL || blkid_partition_get_table (par) != tab)
      continue;                 /* nested tables (BSD labels...) */
    mountdb_partition *p = md_disk_add_partition (d);
    if (p == NULL)
      return MOUNTDB_E_NOMEM;
    int no = blkid_partition_get_partno (par);
    p->number = no > 0 ? (unsigned) no : 0;
    /* libblkid counts in 512-byte units whatever the sector size. */
    p->start = (uint64_t) blkid_partition_get_start (par) * 512;
    p->size = (uint64_t) blkid_partition_get_size (par) * 512;
    if (gpt) {
      copy_lower (p->type_guid, blkid_partition_get_type_string (par));
      copy_lower (p->guid, blkid_partition_get_uuid (par));
      p->attributes = blkid_partition_get_flags (par);
      p->type_name = md_gpt_type_name (p->type_guid);
      dynamic |= md_gpt_type_dynamic (p->type_guid);
    } else {
      p->mbr_type = (unsigned) blkid_partition_get_type (par) & 0xFF;
      p->logical = blkid_partition_is_logical (par);
      p->extended = blkid_partition_is_extended (par);
      p->type_name = md_mbr_type_name (p->mbr_type);
      dynamic |= md_mbr_type_dynamic (p->mbr_type);
      if (p->extended && !p->logical
          && (r = check_ebr_chain (d, fd, p->start / d->sector_size)) < 0)
        return r;
    }
    if (p->start >= d->size || p->size > d->size - p->start)
      if ((r = md_disk_warn (d, "partition %u (bytes %llu-%llu) extends "
                             "past the end of the disk (%llu bytes): a "
                             "damaged table or a truncated image", p->number,
                             (unsigned long long) p->start,
                             (unsigned long long) (p->start + p->size),
                             (unsigned long long) d->size)) < 0)
        return r;
  }
  if (gpt && d->nparts > GPT_MAX_WINDOWS
      && (r = md_disk_warn (d, "%zu GPT partitions: Windows supports at "
                            "most %d", d->nparts, GPT_MAX_WINDOWS)) < 0)
    return r;
  if (dynamic)
    d->table = MOUNTDB_TABLE_DYNAMIC;
  return 0;
}

/* The unique IDs and specs of a basic disk's partitions. */
static int
set_ids (mountdb_disk *d)
{
  int r;
  if (d->table == MOUNTDB_TABLE_MBR && d->signature == 0 && d->nparts > 0)
    return md_disk_warn (d, "MBR disk signature is 0: Windows writes a new "
                         "one when it first uses the disk, so its volumes' "
                         "IDs cannot be told yet");
  for (size_t i = 0; i < d->nparts; i++) {
    mountdb_partition *p = &d->parts[i];
    char spec[64];
    if (d->table == MOUNTDB_TABLE_MBR && md_mbr_type_has_volume (p->mbr_type))
      snprintf (spec, sizeof spec, "mbr:%08X:%llu", (unsigned) d->signature,
                (unsigned long long) p->start);
    else if (d->table == MOUNTDB_TABLE_GPT && p->guid[0]
             && md_gpt_type_has_volume (p->type_guid))
      snprintf (spec, sizeof spec, "gpt:%s", p->guid);
    else
      continue;
    r = md_partition_set_id (p, spec);
    if (r == MOUNTDB_E_NOMEM)
      return r;
    if (r < 0 && (r = md_disk_warn (d, "partition %u has no valid unique "
                                    "ID (%s)", p->number, spec)) < 0)
      return r;
  }
  return 0;
}

/* ---- filesystems ------------------------------------------------------------ */

static int
dup_value (blkid_probe pr, const char *name, char **out)
{
  const char *v = NULL;
  if (blkid_probe_lookup_value (pr, name, &v, NULL) != 0 || v == NULL
      || *v == '\0')
    return 0;
  return (*out = strdup (v)) ? 0 : MOUNTDB_E_NOMEM;
}

/* The filesystem of bytes [start, start+size) of the disk, if any. */
static int
probe_fs (blkid_probe pr, int fd, unsigned ss, mountdb_partition *p)
{
  if (blkid_probe_set_device (pr, fd, (blkid_loff_t) p->start,
                              (blkid_loff_t) p->size) != 0)
    return 0;
  blkid_probe_set_sectorsize (pr, ss);
  if (blkid_do_safeprobe (pr) != 0)
    return 0;                   /* nothing, or ambivalent */
  int r;
  if ((r = dup_value (pr, "TYPE", &p->fs)) < 0
      || (r = dup_value (pr, "LABEL", &p->label)) < 0
      || (r = dup_value (pr, "UUID", &p->serial)) < 0)
    return r;
  return 0;
}

/* Only what a Windows volume may hold, and the common Linux ones: the
 * other probers (ZFS, RAID members...) read megabytes each at both ends
 * of every partition, the whole cost of a disk (bench/run.sh, 6).  By a
 * partition's type (md_fs_probe_kind): FAT alone in an ESP; in a Windows
 * data partition swap (5 reads, one per page size), LUKS (9, one per
 * place of its second header) and LVM only when nothing else is there
 * (Linux used the basic data type for its own partitions until 2012, so
 * they do occur there): its NTFS one costs 6 reads instead of 18. */
static char *fs_fat[] = { "vfat", NULL };
static char *fs_data[] = {
  "ntfs", "vfat", "exfat", "refs", "udf", "iso9660", "ext2", "ext3",
  "ext4", "xfs", "btrfs", "BitLocker", NULL,
};
static char *fs_all[] = {
  "ntfs", "vfat", "exfat", "refs", "udf", "iso9660", "ext2", "ext3",
  "ext4", "xfs", "btrfs", "swap", "LVM2_member", "crypto_LUKS",
  "BitLocker", NULL,
};
static char *fs_linux[] = { "swap", "LVM2_member", "crypto_LUKS", NULL };
static char **const fs_sets[] = {
  [MD_FS_PROBE_FAT] = fs_fat, [MD_FS_PROBE_DATA] = fs_data,
  [MD_FS_PROBE_ALL] = fs_all, [MD_FS_PROBE_LINUX] = fs_linux,
};

/* A probe for one set of filesystems, filtered once: each filter call
 * costs libblkid ~20,000 instructions (its ~80 probers' names against the
 * list), and switching one probe's filter per partition cost more than
 * the probing itself.  NULL when out of memory. */
static blkid_probe
fs_probe (blkid_probe *probes, int kind)
{
  if (probes[kind] != NULL)
    return probes[kind];
  blkid_probe pr = blkid_new_probe ();
  if (pr == NULL)
    return NULL;
  blkid_probe_enable_partitions (pr, 0);
  blkid_probe_enable_superblocks (pr, 1);
  blkid_probe_set_superblocks_flags (pr, BLKID_SUBLKS_TYPE
                                     | BLKID_SUBLKS_LABEL
                                     | BLKID_SUBLKS_UUID);
  blkid_probe_filter_superblocks_type (pr, BLKID_FLTR_ONLYIN,
                                       fs_sets[kind]);
  return probes[kind] = pr;
}

/* The bare filesystem of a disk without a table: partition 0, the whole
 * disk, no ID. */
static int
probe_bare (mountdb_disk *d, int fd, blkid_probe pr)
{
  mountdb_partition whole = { .disk = d, .size = d->size };
  int r = probe_fs (pr, fd, d->sector_size, &whole);
  if (r == 0 && whole.fs) {
    mountdb_partition *p = md_disk_add_partition (d);
    if (p)
      *p = whole;
    else
      r = MOUNTDB_E_NOMEM;
  }
  if (r < 0 || d->nparts == 0) {
    free (whole.fs);
    free (whole.label);
    free (whole.serial);
  }
  return r;
}

static int
probe_filesystems (mountdb_disk *d, int fd)
{
  blkid_probe probes[MD_FS_PROBE_LINUX + 1] = { NULL };
  int r = 0;
  if (d->table == MOUNTDB_TABLE_NONE) {
    blkid_probe pr = fs_probe (probes, MD_FS_PROBE_ALL);
    r = pr ? probe_bare (d, fd, pr) : MOUNTDB_E_NOMEM;
  } else {
    int gpt = d->table == MOUNTDB_TABLE_GPT
      || (d->table == MOUNTDB_TABLE_DYNAMIC && d->guid[0]);
    for (size_t i = 0; i < d->nparts && r == 0; i++) {
      mountdb_partition *p = &d->parts[i];
      if (p->extended || p->start >= d->size || p->size == 0)
        continue;
      int kind = md_fs_probe_kind (p, gpt);
      if (kind == MD_FS_PROBE_NONE)
        continue;
      blkid_probe pr = fs_probe (probes, kind);
      if (pr == NULL) {
        r = MOUNTDB_E_NOMEM;
        break;
      }
      mountdb_partition cut = *p;
      if (cut.size > d->size - cut.start)
        cut.size = d->size - cut.start;
      cut.fs = cut.label = cut.serial = NULL;
      r = probe_fs (pr, fd, d->sector_size, &cut);
      if (r == 0 && cut.fs == NULL && kind == MD_FS_PROBE_DATA) {
        pr = fs_probe (probes, MD_FS_PROBE_LINUX);
        r = pr ? probe_fs (pr, fd, d->sector_size, &cut) : MOUNTDB_E_NOMEM;
      }
      p->fs = cut.fs;
      p->label = cut.label;
      p->serial = cut.serial;
    }
  }
  for (size_t k = 0; k < sizeof probes / sizeof probes[0]; k++)
    if (probes[k])
      blkid_free_probe (probes[k]);
  return r;
}

/* ---- the disk ------------------------------------------------------------------ */

int
md_disk_probe (mountdb_disk *d, int fd, int sector_size_given,
               mountdb_error *err)
{
  blkid_partlist ls;
  blkid_parttable tab;
  int r = md_blkid_load (d->path, err);
  if (r < 0)
    return r;
  blkid_probe pr = table_probe (fd, d->size, d->sector_size);
  if (pr == NULL)
    return md_error (err, MOUNTDB_E_NOMEM, 0, d->path,
                     "libblkid cannot probe it (out of memory?)");
  const char *type = table_type (pr, &ls, &tab);
  /* An image with a GPT at 4096-byte sectors shows only its protective
   * MBR at 512. */
  if (!sector_size_given && (type == NULL || strcmp (type, "PMBR") == 0)) {
    blkid_probe pr4 = table_probe (fd, d->size, 4096);
    blkid_partlist ls4;
    blkid_parttable tab4;
    const char *t4 = pr4 ? table_type (pr4, &ls4, &tab4) : NULL;
    if (t4 && strcmp (t4, "gpt") == 0) {
      blkid_free_probe (pr);
      pr = pr4, ls = ls4, tab = tab4, type = t4;
      d->sector_size = 4096;
    } else if (pr4) {
      blkid_free_probe (pr4);
    }
  }
  if (type == NULL && classify_pmbr (d, fd) > 0)
    type = "PMBR";              /* libblkid saw nothing, not even that */
  if (type == NULL) {
    d->table = MOUNTDB_TABLE_NONE;
  } else if (strcmp (type, "dos") == 0) {
    d->table = MOUNTDB_TABLE_MBR;
    const char *id = blkid_parttable_get_id (tab);
    d->signature = id ? (uint32_t) strtoul (id, NULL, 16) : 0;
    r = add_partitions (d, fd, ls, tab, 0);
  } else if (strcmp (type, "gpt") == 0) {
    d->table = MOUNTDB_TABLE_GPT;
    copy_lower (d->guid, blkid_parttable_get_id (tab));
    classify_pmbr (d, fd);
    /* The offset of the header libblkid used: LBA 1 unless it fell back
     * to the backup at the last LBA. */
    if ((uint64_t) blkid_parttable_get_offset (tab) != d->sector_size) {
      d->flags |= MOUNTDB_DISK_GPT_BACKUP;
      r = md_disk_warn (d, "the primary GPT header or its entries are "
                        "damaged: the backup GPT at the end of the disk "
                        "was used");
    }
    if (r == 0)
      r = add_partitions (d, fd, ls, tab, 1);
  } else if (strcmp (type, "PMBR") == 0) {
    blkid_free_probe (pr);
    return md_error (err, MOUNTDB_E_FORMAT, 0, d->path,
                     "a protective MBR but no readable GPT (primary and "
                     "backup headers damaged, or the image is truncated)");
  } else {
    d->table = MOUNTDB_TABLE_NONE;
    r = md_disk_warn (d, "a %s partition table: Windows reads only MBR "
                      "and GPT, so it sees no partitions here", type);
  }
  blkid_free_probe (pr);
  if (r == 0 && (d->table == MOUNTDB_TABLE_MBR
                 || d->table == MOUNTDB_TABLE_GPT))
    r = set_ids (d);
  if (r == 0)
    r = probe_filesystems (d, fd);
  if (r < 0)
    return md_error (err, r, 0, d->path, "out of memory");
  return 0;
}
