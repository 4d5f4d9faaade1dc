/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The growable string (see sbuf.h). */
#include <config.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "common/sbuf.h"

void
md_sb_init (struct md_sbuf *b)
{
  memset (b, 0, sizeof *b);
}

void
md_sb_free (struct md_sbuf *b)
{
  free (b->p);
  md_sb_init (b);
}

void
md_sb_reset (struct md_sbuf *b)
{
  b->len = 0;
  if (b->p)
    b->p[0] = '\0';
}

int
md_sb_grow_slow (struct md_sbuf *b, size_t n)
{
  if (b->err)
    return -1;
  if (n > SIZE_MAX - 1 - b->len) {
    b->err = 1;
    return -1;
  }
  if (b->len + n + 1 <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + n + 1) {
    if (cap > SIZE_MAX / 2) {
      b->err = 1;
      return -1;
    }
    cap *= 2;
  }
  char *p = realloc (b->p, cap);
  if (p == NULL) {
    b->err = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void
md_sb_puts (struct md_sbuf *b, const char *s)
{
  md_sb_putn (b, s, strlen (s));
}

void
md_sb_vprintf (struct md_sbuf *b, const char *fmt, va_list ap)
{
  va_list aq;
  /* Formatted into the room there is first: measuring every number
   * before writing it was a tenth of show's CPU on large keys. */
  if (b->err)
    return;
  size_t room = b->cap > b->len ? b->cap - b->len : 0;
  va_copy (aq, ap);
  int n = vsnprintf (room ? b->p + b->len : NULL, room, fmt, aq);
  va_end (aq);
  if (n < 0) {
    b->err = 1;
    return;
  }
  if ((size_t) n < room) {
    b->len += (size_t) n;
    return;
  }
  if (md_sb_grow (b, (size_t) n) < 0)
    return;
  vsnprintf (b->p + b->len, (size_t) n + 1, fmt, ap);
  b->len += (size_t) n;
}

void
md_sb_printf (struct md_sbuf *b, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  md_sb_vprintf (b, fmt, ap);
  va_end (ap);
}

char *
md_strdup_vprintf (const char *fmt, va_list ap)
{
  struct md_sbuf b;
  md_sb_init (&b);
  md_sb_vprintf (&b, fmt, ap);
  return md_sb_take (&b);
}

char *
md_strdup_printf (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *s = md_strdup_vprintf (fmt, ap);
  va_end (ap);
  return s;
}

void
md_sb_hex (struct md_sbuf *b, const uint8_t *data, size_t len)
{
  static const char digits[] = "0123456789abcdef";
  if (len > (SIZE_MAX - 1) / 2 || md_sb_grow (b, 2 * len) < 0) {
    b->err = 1;
    return;
  }
  for (size_t i = 0; i < len; i++) {
    b->p[b->len++] = digits[data[i] >> 4];
    b->p[b->len++] = digits[data[i] & 15];
  }
  b->p[b->len] = '\0';
}

const char *
md_sb_str (const struct md_sbuf *b)
{
  return b->p && !b->err ? b->p : "";
}

char *
md_sb_take (struct md_sbuf *b)
{
  if (b->p == NULL && !b->err)
    md_sb_putn (b, "", 0);
  char *s = b->err ? NULL : b->p;
  if (s == NULL)
    free (b->p);
  md_sb_init (b);
  return s;
}

int
md_sb_write (const struct md_sbuf *b, FILE *f)
{
  if (b->err)
    return -1;
  if (b->len == 0)
    return 0;
  return fwrite (b->p, 1, b->len, f) == b->len ? 0 : -1;
}
