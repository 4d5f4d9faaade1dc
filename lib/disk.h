/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Disks (issue 13): a partition table read with libblkid and the unique
 * ID each partition's volume gets.  Beside the rules layer: it reads a
 * device, never a hive, and nothing of the edit or write layers.
 * disk.c opens and owns the handle, disk_probe.c asks libblkid,
 * disk_types.c names partition types and says which get an ID. */
#ifndef MOUNTDB_DISK_H
#define MOUNTDB_DISK_H

#include <stdint.h>
#include "decode.h"

struct mountdb_partition {
  const mountdb_disk *disk;
  unsigned number;
  uint64_t start, size;         /* bytes */
  unsigned mbr_type;            /* 0 on GPT */
  char type_guid[37];           /* GPT, lower case; "" otherwise */
  const char *type_name;        /* static, or NULL */
  char guid[37];                /* GPT partition GUID; "" otherwise */
  uint64_t attributes;          /* GPT attribute bits */
  int logical, extended;
  char *fs, *label, *serial;    /* owned, or NULL */
  uint8_t id[24];               /* the unique ID, idlen bytes */
  size_t idlen;                 /* 0: none */
  char *spec;                   /* owned, or NULL */
};

struct mountdb_disk {
  char *path;
  uint64_t size;
  unsigned sector_size;
  int table;                    /* enum mountdb_table */
  unsigned flags;               /* MOUNTDB_DISK_* */
  uint32_t signature;
  char guid[37];                /* "" when none */
  char **warnings;
  size_t nwarnings;
  mountdb_partition *parts;
  size_t nparts, capparts;
  int is_device;                /* a block device, not an image */
};

/* ---- disk.c -------------------------------------------------------------- */
/* Append "PATH: message" to the disk's warnings.  0 or MOUNTDB_E_NOMEM. */
MD_HIDDEN int md_disk_warn (mountdb_disk *d, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));
/* A new zeroed partition at the end of the list, or NULL (no memory). */
MD_HIDDEN mountdb_partition *md_disk_add_partition (mountdb_disk *d);

/* ---- disk_probe.c (libblkid) ---------------------------------------------- */
/* Fill d (size and sector size already set) from the open descriptor:
 * table, partitions, filesystems.  sector_size_given: the caller or the
 * device fixed it (no 4096 detection).  0 or < 0 with err filled. */
MD_HIDDEN int md_disk_probe (mountdb_disk *d, int fd, int sector_size_given,
                             mountdb_error *err);

/* ---- disk_types.c ----------------------------------------------------------- */
/* Stable names for the Windows types and a few common others; NULL when
 * unknown.  guid lower case. */
MD_HIDDEN const char *md_mbr_type_name (unsigned type);
MD_HIDDEN const char *md_gpt_type_name (const char *guid);
/* Types that make a disk dynamic (LDM): MBR 0x42, GPT LDM metadata. */
MD_HIDDEN int md_mbr_type_dynamic (unsigned type);
MD_HIDDEN int md_gpt_type_dynamic (const char *guid);
/* Whether a partition of this type on a basic disk becomes a volume the
 * mount manager gives a unique ID (mountdb(1), DISKS: partly inferred). */
MD_HIDDEN int md_mbr_type_has_volume (unsigned type);
MD_HIDDEN int md_gpt_type_has_volume (const char *guid);
/* Which filesystems to look for in a partition, by its type: none where
 * Windows makes no volume (MSR, LDM metadata and data, Storage Spaces
 * members, MBR 0x42: no filesystem Windows mounts can be there), FAT only
 * in an ESP (the firmware reads only FAT from it: UEFI specification,
 * 13.3), all but Linux's swap, LUKS and LVM in a Windows data type (basic
 * data, recovery, MBR FAT/NTFS types: Linux gives those containers their
 * own types), else all the probe knows.  gpt: p is a GPT entry. */
enum { MD_FS_PROBE_NONE, MD_FS_PROBE_FAT, MD_FS_PROBE_DATA, MD_FS_PROBE_ALL,
       MD_FS_PROBE_LINUX /* DATA's rest: only after DATA found nothing */ };
MD_HIDDEN int md_fs_probe_kind (const mountdb_partition *p, int gpt);
/* The unique ID and spec of a partition on a basic disk, through the
 * volume spec parser (spec.c), the one encoder of IDs.  0 or < 0. */
MD_HIDDEN int md_partition_set_id (mountdb_partition *p, const char *spec);

#endif
