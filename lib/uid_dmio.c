/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* "DMIO:ID:" + GUID (24 bytes): a GPT partition or an LDM volume. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uid.h"

static int
match_dmio (const uint8_t *d, size_t len)
{
  (void) len;
  return memcmp (d, "DMIO:ID:", 8) == 0;
}

static int
decode_dmio (mountdb_uid *uid, const uint8_t *d, size_t len)
{
  (void) len;
  int r;
  char guid[37];
  mountdb_guid_format (d + 8, guid);
  uid->has_guid = uid->nfields == 0; /* fields[0], for mountdb_uid_guid */
  /* A GPT partition GUID and an LDM volume GUID look the same here. */
  if ((r = md_uid_add_strdup (uid, "guid", guid)) < 0
      || (r = md_uid_add_num (uid, "gpt_or_ldm", MOUNTDB_FIELD_BOOL, 1)) < 0)
    return r;
  static const char head[] = "GPT partition or dynamic volume {";
  char sum[sizeof head + 37];
  memcpy (sum, head, sizeof head - 1);
  memcpy (sum + sizeof head - 1, guid, 36);
  sum[sizeof head - 1 + 36] = '}';
  return md_uid_set_summary (uid, sum, sizeof head + 36);
}

const md_uid_format md_uid_fmt_dmio = {
  "dmio", MOUNTDB_SHAPE_DMIO, 24, match_dmio, decode_dmio
};

