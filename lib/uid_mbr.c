/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MBR unique IDs (12 bytes): disk signature and partition offset. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uid.h"

/* v in decimal at p: p past it. */
static char *
put_dec (char *p, uint64_t v)
{
  char d[20], *q = d + sizeof d;
  do
    *--q = (char) ('0' + v % 10);
  while ((v /= 10) != 0);
  size_t n = (size_t) (d + sizeof d - q);
  memcpy (p, q, n);
  return p + n;
}

/* "1 MiB": the largest binary unit that divides the offset exactly. */
static char *
put_size (char *p, uint64_t v)
{
  static const char *const units[] = { " GiB", " MiB", " KiB" };
  for (int i = 0; i < 3 && v != 0; i++)
    {
      uint64_t unit = (uint64_t) 1 << (30 - 10 * i);
      if (v % unit == 0)
        {
          p = put_dec (p, v / unit);
          memcpy (p, units[i], 4);
          return p + 4;
        }
    }
  p = put_dec (p, v);
  memcpy (p, " B", 2);
  return p + 2;
}

/* Text by hand, not printf: the MBR ID is the one of every value on the
 * keys of 100k values of issue 10 item 8. */
static int
decode_mbr (mountdb_uid *uid, const uint8_t *d, size_t len)
{
  (void) len;
  char sig[9], sum[64], *p = sum;
  int r;
  uid->disk_signature = md_le32 (d);
  uid->partition_offset = md_le64 (d + 4);
  *md_uid_hex (sig, uid->disk_signature, 8, 0) = '\0';
  if ((r = md_uid_add_strdup (uid, "disk_signature", sig)) < 0
      || (r = md_uid_add_num (uid, "partition_offset", MOUNTDB_FIELD_UINT,
                              uid->partition_offset)) < 0
      || (r = md_uid_add_num (uid, "sector_aligned", MOUNTDB_FIELD_BOOL,
                              uid->partition_offset % 512 == 0)) < 0)
    return r;
  memcpy (p, "MBR disk ", 9);
  p = md_uid_hex (p + 9, uid->disk_signature, 8, 1);
  memcpy (p, " @ ", 3);
  p = put_size (p + 3, uid->partition_offset);
  return md_uid_set_summary (uid, sum, (size_t) (p - sum));
}

const md_uid_format md_uid_fmt_mbr = {
  "mbr", MOUNTDB_SHAPE_MBR, 12, NULL, decode_mbr
};
