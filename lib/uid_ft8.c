/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* NT4 fault-tolerance IDs (8 bytes). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uid.h"

static int
decode_ft8 (mountdb_uid *uid, const uint8_t *d, size_t len)
{
  (void) len;
  char sum[10 + 17], *hex = sum + 10;
  int r;
  memcpy (sum, "NT4 FT id ", 10);
  for (size_t i = 0; i < 8; i++)
    md_uid_hex (hex + 2 * i, d[i], 2, 0);
  hex[16] = '\0';
  if ((r = md_uid_add_strdup (uid, "hex", hex)) < 0)
    return r;
  return md_uid_set_summary (uid, sum, 26);
}

const md_uid_format md_uid_fmt_ft8 = {
  "ft8", MOUNTDB_SHAPE_FT8, 8, NULL, decode_ft8
};

