/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one UTF-8 decoder and encoder of the library and the CLI. */
#ifndef MOUNTDB_COMMON_UTF8_H
#define MOUNTDB_COMMON_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include "common/sbuf.h"

/* Next code point of NUL-terminated UTF-8 at s (s[0] != 0), its length in
 * *len.  Strict: no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF; each byte of a bad sequence reads as one U+FFFD (*len 1). */
uint32_t md_utf8_next (const unsigned char *s, size_t *len);

/* cp as UTF-8 into u (1-4 bytes); the length.  Surrogates and values
 * above U+10FFFF become U+FFFD: never emits invalid UTF-8. */
static inline size_t
md_utf8_put (char u[4], uint32_t cp)
{
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    cp = 0xfffd;
  if (cp < 0x80) {
    u[0] = (char) cp;
    return 1;
  }
  if (cp < 0x800) {
    u[0] = (char) (0xc0 | (cp >> 6));
    u[1] = (char) (0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    u[0] = (char) (0xe0 | (cp >> 12));
    u[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
    u[2] = (char) (0x80 | (cp & 0x3f));
    return 3;
  }
  u[0] = (char) (0xf0 | (cp >> 18));
  u[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
  u[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
  u[3] = (char) (0x80 | (cp & 0x3f));
  return 4;
}

/* md_utf8_put appended to b. */
static inline void
md_sb_utf8 (struct md_sbuf *b, uint32_t cp)
{
  char u[4];
  md_sb_putn (b, u, md_utf8_put (u, cp));
}

#endif
