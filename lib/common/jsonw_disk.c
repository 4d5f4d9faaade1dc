/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A disk in JSON (jw_disk, jsonw.h) and the words every format uses for
 * its facts (diskfmt.h): `mountdb disks` and the "disks" of a hive's
 * document are the same objects. */
#include <config.h>
#include <inttypes.h>
#include <stdio.h>
#include "common/diskfmt.h"
#include "common/jsonw.h"

const char *
md_disk_type_text (const mountdb_disk *d, const mountdb_partition *p,
                   char buf[8])
{
  if (mountdb_partition_type_guid (p))
    return mountdb_partition_type_guid (p);
  if (mountdb_disk_table (d) == MOUNTDB_TABLE_NONE)
    return NULL;
  snprintf (buf, 8, "0x%02x", mountdb_partition_mbr_type (p) & 0xFF);
  return buf;
}

int
md_disk_is_gpt (const mountdb_disk *d)
{
  return mountdb_disk_guid (d) != NULL;
}

void
md_disk_sig_text (const mountdb_disk *d, char out[9])
{
  snprintf (out, 9, "%08x", (unsigned) mountdb_disk_signature (d));
}

const struct md_disk_flag md_disk_flags[] = {
  { MOUNTDB_DISK_PROTECTIVE_MBR, "protective_mbr" },
  { MOUNTDB_DISK_HYBRID_MBR, "hybrid_mbr" },
  { MOUNTDB_DISK_GPT_BACKUP, "gpt_backup_used" },
};
const size_t md_disk_nflags = sizeof md_disk_flags / sizeof md_disk_flags[0];

/* The string, or null. */
static void
json_partition (struct jw *j, const mountdb_disk *d, const mountdb_partition *p)
{
  char tb[8];
  jw_open (j, NULL, '{');
  jw_uint (j, "number", mountdb_partition_number (p));
  jw_uint (j, "start", mountdb_partition_start (p));
  jw_uint (j, "size", mountdb_partition_size (p));
  jw_str_or_null (j, "type", md_disk_type_text (d, p, tb));
  jw_str_or_null (j, "type_name", mountdb_partition_type_name (p));
  jw_str_or_null (j, "partition_guid", mountdb_partition_guid (p));
  if (md_disk_is_gpt (d)) {
    /* A string: 64-bit values do not survive JSON numbers everywhere. */
    char a[24];
    snprintf (a, sizeof a, "0x%016" PRIx64, mountdb_partition_attributes (p));
    jw_str (j, "attributes", a);
  } else {
    jw_null (j, "attributes");
  }
  jw_bool (j, "logical", mountdb_partition_logical (p));
  jw_str_or_null (j, "fs", mountdb_partition_fs (p));
  jw_str_or_null (j, "label", mountdb_partition_label (p));
  jw_str_or_null (j, "serial", mountdb_partition_serial (p));
  size_t len;
  const uint8_t *id = mountdb_partition_unique_id (p, &len);
  if (id)
    jw_hex (j, "unique_id", id, len);
  else
    jw_null (j, "unique_id");
  jw_str_or_null (j, "spec", mountdb_partition_spec (p));
  jw_close (j, '}');
}

void
jw_disk (struct jw *j, const char *key, const char *path,
         const mountdb_disk *d, const mountdb_error *err)
{
  jw_open (j, key, '{');
  jw_str (j, "path", path);
  if (d == NULL) {
    jw_open (j, "error", '{');
    jw_str (j, "code", mountdb_error_name (err ? err->code : 0));
    jw_str (j, "message", err ? err->message : "");
    jw_close (j, '}');
    jw_close (j, '}');
    return;
  }
  jw_uint (j, "size", mountdb_disk_size (d));
  jw_uint (j, "sector_size", mountdb_disk_sector_size (d));
  jw_str (j, "table", mountdb_table_name (mountdb_disk_table (d)));
  if (mountdb_disk_signature (d)) {
    char sig[9];
    md_disk_sig_text (d, sig);
    jw_str (j, "disk_signature", sig);
  } else {
    jw_null (j, "disk_signature");
  }
  jw_str_or_null (j, "disk_guid", mountdb_disk_guid (d));
  jw_open (j, "flags", '[');
  for (size_t i = 0; i < md_disk_nflags; i++)
    if (mountdb_disk_flags (d) & md_disk_flags[i].bit)
      jw_str (j, NULL, md_disk_flags[i].name);
  jw_close (j, ']');
  jw_open (j, "warnings", '[');
  for (size_t i = 0; i < mountdb_disk_warning_count (d); i++)
    jw_str (j, NULL, mountdb_disk_warning_get (d, i));
  jw_close (j, ']');
  jw_open (j, "partitions", '[');
  for (size_t i = 0; i < mountdb_disk_partition_count (d); i++)
    json_partition (j, d, mountdb_disk_partition_get (d, i));
  jw_close (j, ']');
  jw_close (j, '}');
}
