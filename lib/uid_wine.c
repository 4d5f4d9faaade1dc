/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Wine's IDs: a Unix path in ASCII, NUL-terminated. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uid.h"

/* Wine: printable ASCII ending with its only NUL. */
static int
match_wine (const uint8_t *d, size_t len)
{
  if (len < 4 || d[len - 1] != 0)
    return 0;
  for (size_t i = 0; i + 1 < len; i++)
    if (d[i] < 0x20 || d[i] > 0x7E)
      return 0;
  return 1;
}

static int
decode_wine (mountdb_uid *uid, const uint8_t *d, size_t len)
{
  char *s = malloc (len);
  if (s == NULL)
    return MOUNTDB_E_NOMEM;
  memcpy (s, d, len);           /* ends with its own NUL (checked) */
  int r = md_uid_add_str (uid, "path", s);
  if (r < 0)
    return r;
  struct md_sbuf b = { 0 };
  md_sb_puts (&b, "Wine path ");
  md_uid_sb_user (&b, s);
  return md_uid_sb_finish (&b, uid);
}

const md_uid_format md_uid_fmt_wine = {
  "ascii", MOUNTDB_SHAPE_ASCII, MD_UID_ANY_LEN, match_wine, decode_wine
};
