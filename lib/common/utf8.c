/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UTF-8 (see utf8.h). */
#include <config.h>
#include "common/utf8.h"

uint32_t
md_utf8_next (const unsigned char *p, size_t *len)
{
  uint32_t c = p[0];
  size_t need;
  uint32_t min;
  *len = 1;
  if (c < 0x80)
    return c;
  if (c >= 0xc2 && c <= 0xdf) {
    need = 1; min = 0x80; c &= 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    need = 2; min = 0x800; c &= 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3; min = 0x10000; c &= 0x07;
  } else
    return 0xfffd;
  for (size_t i = 1; i <= need; i++) {
    if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
      return 0xfffd;
    c = (c << 6) | (p[i] & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
    return 0xfffd;
  *len = need + 1;
  return c;
}
