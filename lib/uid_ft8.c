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
  char hex[17];
  int r;
  for (size_t i = 0; i < 8; i++)
    snprintf (hex + 2 * i, 3, "%02x", d[i]);
  if ((r = md_uid_add_strdup (uid, "hex", hex)) < 0)
    return r;
  struct md_sbuf b = { 0 };
  md_sb_printf (&b, "NT4 FT id %s", hex);
  return md_uid_sb_finish (&b, uid);
}

const md_uid_format md_uid_fmt_ft8 = {
  "ft8", MOUNTDB_SHAPE_FT8, 8, NULL, decode_ft8
};

