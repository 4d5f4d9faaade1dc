/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness: mountdb_uid_decode on arbitrary bytes, then every
 * accessor.  Besides the sanitizers, it checks the promises of mountdb.h:
 * shapes in range, fields readable, strings valid UTF-8, summaries fit to
 * be shown to people (no controls). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap (); } while (0)

/* Strict UTF-8 (no overlongs, surrogates or values above U+10FFFF). */
static int
valid_utf8 (const char *s, int allow_controls)
{
  const unsigned char *p = (const unsigned char *) s;
  while (*p)
    {
      uint32_t c = *p;
      size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2
                 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      if (n == 0)
        return 0;
      if (n > 1)
        c &= 0x3Fu >> (n - 1);
      for (size_t i = 1; i < n; i++)
        {
          if ((p[i] & 0xC0) != 0x80)
            return 0;
          c = c << 6 | (p[i] & 0x3Fu);
        }
      static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
      if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
      if (!allow_controls && (c < 0x20 || (c >= 0x7F && c <= 0x9F)))
        return 0;
      p += n;
    }
  return 1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  mountdb_uid *u = mountdb_uid_decode (data, size);
  if (u == NULL)
    return 0;                   /* out of memory only */

  int shape = mountdb_uid_shape (u);
  CHECK (shape >= MOUNTDB_SHAPE_MBR && shape <= MOUNTDB_SHAPE_OPAQUE);
  CHECK (mountdb_shape_name (shape) != NULL);
  CHECK (shape != MOUNTDB_SHAPE_MBR || size == 12);
  CHECK (shape != MOUNTDB_SHAPE_DMIO || size == 24);
  CHECK (shape != MOUNTDB_SHAPE_FT8 || size == 8);

  const char *summary = mountdb_uid_summary (u);
  CHECK (summary != NULL && summary[0] != '\0');
  CHECK (valid_utf8 (summary, 0));

  uint32_t sig = mountdb_uid_disk_signature (u);
  uint64_t off = mountdb_uid_partition_offset (u);
  CHECK (shape == MOUNTDB_SHAPE_MBR || (sig == 0 && off == 0));
  const char *guid = mountdb_uid_guid (u);
  CHECK ((guid != NULL) == (shape == MOUNTDB_SHAPE_DMIO));
  CHECK (guid == NULL || strlen (guid) == 36);

  size_t n = mountdb_uid_field_count (u);
  CHECK (n >= 1);
  for (size_t i = 0; i < n; i++)
    {
      const char *key, *str;
      int kind;
      uint64_t num;
      CHECK (mountdb_uid_field_get (u, i, &key, &kind, &str, &num) == 0);
      CHECK (key != NULL && key[0] != '\0');
      if (kind == MOUNTDB_FIELD_STRING)
        CHECK (str != NULL && valid_utf8 (str, 1));
      else
        CHECK (str == NULL
               && (kind == MOUNTDB_FIELD_UINT
                   || (kind == MOUNTDB_FIELD_BOOL && num <= 1)));
    }
  CHECK (mountdb_uid_field_get (u, n, NULL, NULL, NULL, NULL) == MOUNTDB_E_INVAL);
  mountdb_uid_free (u);
  return 0;
}
