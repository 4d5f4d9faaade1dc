/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MBR unique IDs (12 bytes): disk signature and partition offset. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uid.h"

/* "1 MiB": the largest binary unit that divides the offset exactly. */
static void
sb_size (struct md_sbuf *b, uint64_t v)
{
  static const char *const units[] = { "GiB", "MiB", "KiB" };
  for (int i = 0; i < 3 && v != 0; i++)
    {
      uint64_t unit = (uint64_t) 1 << (30 - 10 * i);
      if (v % unit == 0)
        {
          md_sb_printf (b, "%llu %s", (unsigned long long) (v / unit),
                            units[i]);
          return;
        }
    }
  md_sb_printf (b, "%llu B", (unsigned long long) v);
}

static int
decode_mbr (mountdb_uid *uid, const uint8_t *d, size_t len)
{
  (void) len;
  char sig[9];
  int r;
  uid->disk_signature = md_le32 (d);
  uid->partition_offset = md_le64 (d + 4);
  snprintf (sig, sizeof sig, "%08x", (unsigned) uid->disk_signature);
  if ((r = md_uid_add_strdup (uid, "disk_signature", sig)) < 0
      || (r = md_uid_add_num (uid, "partition_offset", MOUNTDB_FIELD_UINT,
                              uid->partition_offset)) < 0
      || (r = md_uid_add_num (uid, "sector_aligned", MOUNTDB_FIELD_BOOL,
                              uid->partition_offset % 512 == 0)) < 0)
    return r;
  struct md_sbuf b = { 0 };
  md_sb_printf (&b, "MBR disk %08X @ ", (unsigned) uid->disk_signature);
  sb_size (&b, uid->partition_offset);
  return md_uid_sb_finish (&b, uid);
}

const md_uid_format md_uid_fmt_mbr = {
  "mbr", MOUNTDB_SHAPE_MBR, 12, NULL, decode_mbr
};
