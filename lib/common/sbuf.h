/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one growable string of the library and the CLI (lib/common).
 * Always NUL-terminated once anything was added; errors are sticky and
 * checked once at the end, so building code needs no error paths. */
#ifndef MOUNTDB_COMMON_SBUF_H
#define MOUNTDB_COMMON_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct md_sbuf {
  char *p;
  size_t len, cap;
  int err;                      /* out of memory met: contents incomplete */
};

void md_sb_init (struct md_sbuf *b);
void md_sb_free (struct md_sbuf *b);
void md_sb_reset (struct md_sbuf *b);
/* Room for n more bytes and the NUL: 0, or -1 (and b->err set). */
int md_sb_grow_slow (struct md_sbuf *b, size_t n);
/* Inline: called per piece of output; the room is nearly always there. */
static inline int
md_sb_grow (struct md_sbuf *b, size_t n)
{
  if (!b->err && n < b->cap - b->len && b->len + n + 1 <= b->cap)
    return 0;
  return md_sb_grow_slow (b, n);
}
void md_sb_puts (struct md_sbuf *b, const char *s);
void md_sb_printf (struct md_sbuf *b, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));
void md_sb_vprintf (struct md_sbuf *b, const char *fmt, va_list ap)
  __attribute__ ((format (printf, 2, 0)));
/* A malloc'd formatted string (asprintf), NULL when out of memory. */
char *md_strdup_printf (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2)));
/* The same over a va_list (for printf-like callers: md_finding_add). */
char *md_strdup_vprintf (const char *fmt, va_list ap)
  __attribute__ ((format (printf, 1, 0)));
/* Lower-case hex of len bytes. */
void md_sb_hex (struct md_sbuf *b, const uint8_t *data, size_t len);
/* The contents, "" when empty or after an error (never NULL). */
const char *md_sb_str (const struct md_sbuf *b);
/* The malloc'd contents, handed over (b is emptied); NULL after an error
 * (b freed), "" when nothing was added. */
char *md_sb_take (struct md_sbuf *b);
/* Write the contents to f: 0, or -1 on a write error or an earlier
 * allocation failure. */
int md_sb_write (const struct md_sbuf *b, FILE *f);

/* Inline: the output formats call these per character on 100k-value
 * hives (the fast path is one compare and a copy). */
static inline void
md_sb_putn (struct md_sbuf *b, const char *s, size_t n)
{
  if ((b->err || b->len + n + 1 > b->cap) && md_sb_grow_slow (b, n) < 0)
    return;
  memcpy (b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static inline void
md_sb_putc (struct md_sbuf *b, char c)
{
  md_sb_putn (b, &c, 1);
}

#endif
