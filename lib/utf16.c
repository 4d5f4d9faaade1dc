/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UTF-16LE -> UTF-8 for registry value names and device-path IDs.
 *
 * Registry names are arbitrary 16-bit units: they may hold unpaired
 * surrogates and control characters (V3).  The conversion never fails on
 * content: bad units become U+FFFD and are reported through flags, so a
 * caller can show the name and still say what was wrong with it. */
#include <stdlib.h>

#include "decode.h"
#include "common/display.h"
#include "common/utf8.h"

void
md_utf16_load (const uint8_t *bytes, size_t n, uint16_t *out)
{
  for (size_t i = 0; i < n; i++)
    out[i] = (uint16_t) (bytes[2 * i] | (bytes[2 * i + 1] << 8));
}

static int
is_high_surrogate (uint32_t c)
{
  return c >= 0xD800 && c <= 0xDBFF;
}

static int
is_low_surrogate (uint32_t c)
{
  return c >= 0xDC00 && c <= 0xDFFF;
}

/* One pass of the conversion: the UTF-8 length, and the bytes when out is
 * not NULL. */
static size_t
convert (const uint16_t *u, size_t n, char *out, unsigned *fl)
{
  size_t o = 0;
  char tmp[4];
  for (size_t i = 0; i < n; i++)
    {
      uint32_t c = u[i];
      if (c - 0x20u < 0x5Fu)    /* printable ASCII: most of every name */
        {
          if (out)
            out[o] = (char) c;
          o++;
          continue;
        }
      if (is_high_surrogate (c) && i + 1 < n && is_low_surrogate (u[i + 1]))
        {
          c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00u);
          i++;
        }
      else if (is_high_surrogate (c) || is_low_surrogate (c))
        {
          *fl |= MOUNTDB_NAME_BAD_UTF16;
          c = 0xFFFD;
        }
      else if (md_is_control (c))
        {
          *fl |= MOUNTDB_NAME_CONTROL;
          if (c == 0)           /* would end the C string early */
            c = 0xFFFD;
        }
      o += md_utf8_put (out ? out + o : tmp, c);
    }
  return o;
}

static void *
alloc_malloc (void *ctx, size_t n)
{
  (void) ctx;
  return malloc (n);
}

char *
md_utf16_to_utf8 (const uint16_t *u, size_t n, unsigned *flags)
{
  return md_utf16_to_utf8_with (u, n, flags, alloc_malloc, NULL);
}

char *
md_utf16_to_utf8_with (const uint16_t *u, size_t n, unsigned *flags,
                       void *(*alloc) (void *ctx, size_t n), void *ctx)
{
  unsigned fl = 0;
  /* Measured first, then allocated exactly: keys hold up to 100k names. */
  size_t len = convert (u, n, NULL, &fl);
  char *out = alloc (ctx, len + 1);
  if (out == NULL)
    return NULL;
  convert (u, n, out, &fl);
  out[len] = '\0';
  if (flags != NULL)
    *flags |= fl;
  return out;
}
