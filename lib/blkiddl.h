/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libblkid, loaded when the first disk is opened (dlopen, dlload.h), not
 * linked: only --disk, `disks` and disk: specs need it, and linked it
 * cost every start 245 symbol and 552 relative relocations (`mountdb
 * --version`: 811 -> 566 and 1345 -> 793; issue 14).  A read without
 * disks never maps it.
 *
 * Include this after <blkid/blkid.h>: each libblkid function the library
 * calls becomes a call through a pointer that md_blkid_load() sets.
 * Code must call md_blkid_load() (and check it) before any of them. */
#ifndef MOUNTDB_BLKIDDL_H
#define MOUNTDB_BLKIDDL_H

#include <blkid/blkid.h>
#include "decode.h"
#include "dlload.h"
#include "mountdb.h"

/* X(function) for every libblkid function the library calls. */
#define MD_BLKID_FUNCTIONS(X) \
  X (blkid_new_probe) X (blkid_free_probe) X (blkid_probe_set_device) \
  X (blkid_probe_set_sectorsize) X (blkid_probe_enable_superblocks) \
  X (blkid_probe_enable_partitions) X (blkid_probe_get_partitions) \
  X (blkid_probe_set_superblocks_flags) \
  X (blkid_probe_filter_superblocks_type) X (blkid_probe_lookup_value) \
  X (blkid_do_safeprobe) X (blkid_partlist_get_table) \
  X (blkid_partlist_numof_partitions) X (blkid_partlist_get_partition) \
  X (blkid_parttable_get_type) X (blkid_parttable_get_id) \
  X (blkid_parttable_get_offset) X (blkid_partition_get_table) \
  X (blkid_partition_get_partno) X (blkid_partition_get_start) \
  X (blkid_partition_get_size) X (blkid_partition_get_type) \
  X (blkid_partition_get_type_string) X (blkid_partition_get_uuid) \
  X (blkid_partition_get_flags) X (blkid_partition_is_logical) \
  X (blkid_partition_is_extended)

MD_BLKID_FUNCTIONS (MD_DL_DECLARE)

/* md_dlload and md_dltry (dlload.h) for libblkid; path names the disk. */
MD_HIDDEN int md_blkid_load (const char *path, mountdb_error *err);
MD_HIDDEN int md_blkid_try (const char *soname, const char *path,
                            mountdb_error *err);

#ifndef MD_BLKIDDL_IMPL
#define blkid_new_probe (*md_dl_blkid_new_probe)
#define blkid_free_probe (*md_dl_blkid_free_probe)
#define blkid_probe_set_device (*md_dl_blkid_probe_set_device)
#define blkid_probe_set_sectorsize (*md_dl_blkid_probe_set_sectorsize)
#define blkid_probe_enable_superblocks (*md_dl_blkid_probe_enable_superblocks)
#define blkid_probe_enable_partitions (*md_dl_blkid_probe_enable_partitions)
#define blkid_probe_get_partitions (*md_dl_blkid_probe_get_partitions)
#define blkid_probe_set_superblocks_flags \
  (*md_dl_blkid_probe_set_superblocks_flags)
#define blkid_probe_filter_superblocks_type \
  (*md_dl_blkid_probe_filter_superblocks_type)
#define blkid_probe_lookup_value (*md_dl_blkid_probe_lookup_value)
#define blkid_do_safeprobe (*md_dl_blkid_do_safeprobe)
#define blkid_partlist_get_table (*md_dl_blkid_partlist_get_table)
#define blkid_partlist_numof_partitions (*md_dl_blkid_partlist_numof_partitions)
#define blkid_partlist_get_partition (*md_dl_blkid_partlist_get_partition)
#define blkid_parttable_get_type (*md_dl_blkid_parttable_get_type)
#define blkid_parttable_get_id (*md_dl_blkid_parttable_get_id)
#define blkid_parttable_get_offset (*md_dl_blkid_parttable_get_offset)
#define blkid_partition_get_table (*md_dl_blkid_partition_get_table)
#define blkid_partition_get_partno (*md_dl_blkid_partition_get_partno)
#define blkid_partition_get_start (*md_dl_blkid_partition_get_start)
#define blkid_partition_get_size (*md_dl_blkid_partition_get_size)
#define blkid_partition_get_type (*md_dl_blkid_partition_get_type)
#define blkid_partition_get_type_string (*md_dl_blkid_partition_get_type_string)
#define blkid_partition_get_uuid (*md_dl_blkid_partition_get_uuid)
#define blkid_partition_get_flags (*md_dl_blkid_partition_get_flags)
#define blkid_partition_is_logical (*md_dl_blkid_partition_is_logical)
#define blkid_partition_is_extended (*md_dl_blkid_partition_is_extended)
#endif

#endif
