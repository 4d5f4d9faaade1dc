/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Code points from UTF-8 or UTF-16 (see escsrc.h). */
#include <config.h>
#include <string.h>
#include "common/escsrc.h"
#include "common/utf8.h"

void
esc_src_utf8 (struct esc_src *s, const char *str)
{
  memset (s, 0, sizeof *s);
  s->u8 = (const unsigned char *) (str ? str : "");
}

void
esc_src_utf16 (struct esc_src *s, const uint16_t *u, size_t n)
{
  memset (s, 0, sizeof *s);
  s->u16 = u;
  s->n = u ? n : 0;
}

int
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
