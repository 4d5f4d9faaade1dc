/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Code points from either kind of string the documents print: the exact
 * UTF-16 units of a value name, or UTF-8 from the library and the command
 * line.  One reader for every escaper (JSON here in lib/common, text, CSV
 * and XML in bin/escape.h). */
#ifndef MOUNTDB_COMMON_ESCSRC_H
#define MOUNTDB_COMMON_ESCSRC_H

#include <stddef.h>
#include <stdint.h>

struct esc_src {
  const unsigned char *u8;      /* NUL-terminated UTF-8, or NULL */
  const uint16_t *u16;          /* UTF-16 units, or NULL */
  size_t n, pos;
};

void esc_src_utf8 (struct esc_src *s, const char *str); /* NULL reads as "" */
void esc_src_utf16 (struct esc_src *s, const uint16_t *u, size_t n);
/* Next code point into *cp; 0 at the end.  A lone surrogate comes out as
 * itself (0xD800..0xDFFF) so exact writers can keep it; a byte that is not
 * valid UTF-8 comes out as U+FFFD. */
int esc_next (struct esc_src *s, uint32_t *cp);

#endif
