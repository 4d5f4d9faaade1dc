/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Code points from either kind of string the documents print: the exact
 * UTF-16 units of a value name, or UTF-8 from the library and the command
 * line.  One reader for every escaper (JSON here in lib/common, text, CSV
 * and XML in bin/escape.h). */
#ifndef MOUNTDB_COMMON_ESCSRC_H
#define MOUNTDB_COMMON_ESCSRC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "common/utf8.h"

struct esc_src {
  const unsigned char *u8;      /* NUL-terminated UTF-8, or NULL */
  const uint16_t *u16;          /* UTF-16 units, or NULL */
  size_t n, pos;
};

/* NULL reads as "". */
static inline void
esc_src_utf8 (struct esc_src *s, const char *str)
{
  memset (s, 0, sizeof *s);
  s->u8 = (const unsigned char *) (str ? str : "");
}

static inline void
esc_src_utf16 (struct esc_src *s, const uint16_t *u, size_t n)
{
  memset (s, 0, sizeof *s);
  s->u16 = u;
  s->n = u ? n : 0;
}

/* Next code point into *cp; 0 at the end.  A lone surrogate comes out as
 * itself (0xD800..0xDFFF) so exact writers can keep it; a byte that is not
 * valid UTF-8 comes out as U+FFFD.  Inline: every escaper calls it per
 * character. */
static inline int
esc_next (struct esc_src *s, uint32_t *cp)
{
  if (s->u8) {
    if (s->u8[s->pos] == '\0')
      return 0;
    size_t len;
    *cp = md_utf8_next (s->u8 + s->pos, &len);
    s->pos += len;
    return 1;
  }
  if (s->pos >= s->n)
    return 0;
  uint32_t u = s->u16[s->pos++];
  if (u >= 0xd800 && u <= 0xdbff && s->pos < s->n) {
    uint32_t lo = s->u16[s->pos];
    if (lo >= 0xdc00 && lo <= 0xdfff) {
      s->pos++;
      u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
    }
  }
  *cp = u; /* a lone surrogate stays itself */
  return 1;
}

#endif
