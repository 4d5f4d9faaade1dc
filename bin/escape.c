/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Escaping shared by every output format (see escape.h). */
#include <config.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"

/* ---- sbuf ---------------------------------------------------------------- */

void
sb_init (struct sbuf *b)
{
  memset (b, 0, sizeof *b);
}

void
sb_free (struct sbuf *b)
{
  free (b->p);
  sb_init (b);
}

void
sb_reset (struct sbuf *b)
{
  b->len = 0;
  if (b->p)
    b->p[0] = '\0';
}

/* Room for n more bytes and the terminating NUL. */
static int
sb_grow (struct sbuf *b, size_t n)
{
  if (b->err)
    return -1;
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
sb_putn (struct sbuf *b, const char *s, size_t n)
{
  if ((b->err || b->len + n + 1 > b->cap) && sb_grow (b, n) < 0)
    return;
  memcpy (b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void
sb_putc (struct sbuf *b, char c)
{
  sb_putn (b, &c, 1);
}

void
sb_puts (struct sbuf *b, const char *s)
{
  sb_putn (b, s, strlen (s));
}

void
sb_printf (struct sbuf *b, const char *fmt, ...)
{
  va_list ap;
  /* Formatted into the room there is first: measuring every number
   * before writing it was a tenth of show's CPU on large keys. */
  if (b->err)
    return;
  size_t room = b->cap > b->len ? b->cap - b->len : 0;
  va_start (ap, fmt);
  int n = vsnprintf (room ? b->p + b->len : NULL, room, fmt, ap);
  va_end (ap);
  if (n < 0) {
    b->err = 1;
    return;
  }
  if ((size_t) n < room) {
    b->len += (size_t) n;
    return;
  }
  if (sb_grow (b, (size_t) n) < 0)
    return;
  va_start (ap, fmt);
  vsnprintf (b->p + b->len, (size_t) n + 1, fmt, ap);
  va_end (ap);
  b->len += (size_t) n;
}

void
sb_hex (struct sbuf *b, const uint8_t *data, size_t len)
{
  static const char digits[] = "0123456789abcdef";
  if (len > (SIZE_MAX - 1) / 2 || sb_grow (b, 2 * len) < 0) {
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
sb_str (const struct sbuf *b)
{
  return b->p && !b->err ? b->p : "";
}

int
sb_write (const struct sbuf *b, FILE *f)
{
  if (b->err)
    return -1;
  if (b->len == 0)
    return 0;
  return fwrite (b->p, 1, b->len, f) == b->len ? 0 : -1;
}

/* ---- code points --------------------------------------------------------- */

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

/* Strict UTF-8 (no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF); each byte of a bad sequence reads as one U+FFFD. */
static uint32_t
next_utf8 (struct esc_src *s)
{
  const unsigned char *p = s->u8 + s->pos;
  uint32_t c = p[0];
  size_t need;
  uint32_t min;
  if (c < 0x80) {
    s->pos++;
    return c;
  }
  if (c >= 0xc2 && c <= 0xdf) {
    need = 1; min = 0x80; c &= 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    need = 2; min = 0x800; c &= 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3; min = 0x10000; c &= 0x07;
  } else {
    s->pos++;
    return 0xfffd;
  }
  for (size_t i = 1; i <= need; i++) {
    if ((p[i] & 0xc0) != 0x80) { /* also stops at the NUL */
      s->pos++;
      return 0xfffd;
    }
    c = (c << 6) | (p[i] & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
    s->pos++;
    return 0xfffd;
  }
  s->pos += need + 1;
  return c;
}

int
esc_next (struct esc_src *s, uint32_t *cp)
{
  if (s->u8) {
    if (s->u8[s->pos] == '\0')
      return 0;
    *cp = next_utf8 (s);
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

int
esc_is_control (uint32_t cp)
{
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

int
esc_is_hidden (uint32_t cp)
{
  /* Format characters (Unicode category Cf: bidi controls, zero-width and
   * invisible characters, tags), line and paragraph separators, and
   * noncharacters, which terminals show inconsistently or not at all. */
  static const uint32_t ranges[][2] = {
    { 0x00ad, 0x00ad }, { 0x0600, 0x0605 }, { 0x061c, 0x061c },
    { 0x06dd, 0x06dd }, { 0x070f, 0x070f }, { 0x180e, 0x180e },
    { 0x200b, 0x200f }, { 0x2028, 0x202e }, { 0x2060, 0x2064 },
    { 0x2066, 0x206f }, { 0xfdd0, 0xfdef }, { 0xfeff, 0xfeff },
    { 0xfff9, 0xfffb }, { 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
  };
  if ((cp & 0xfffe) == 0xfffe) /* U+FFFE, U+FFFF, U+1FFFE, ... */
    return 1;
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
    if (cp >= ranges[i][0] && cp <= ranges[i][1])
      return 1;
  return 0;
}

static int
is_surrogate (uint32_t cp)
{
  return cp >= 0xd800 && cp <= 0xdfff;
}

int
esc_xml_char_ok (uint32_t cp)
{
  return cp == 0x9 || cp == 0xa || cp == 0xd
         || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd)
         || (cp >= 0x10000 && cp <= 0x10ffff);
}

int
esc_xml_charref (uint32_t cp)
{
  return esc_xml_char_ok (cp) && (esc_is_control (cp) || esc_is_hidden (cp));
}

void
esc_utf8_put (struct sbuf *b, uint32_t cp)
{
  char u[4];
  if (cp > 0x10ffff || is_surrogate (cp))
    cp = 0xfffd; /* never emit invalid UTF-8 */
  if (cp < 0x80) {
    u[0] = (char) cp;
    sb_putn (b, u, 1);
  } else if (cp < 0x800) {
    u[0] = (char) (0xc0 | (cp >> 6));
    u[1] = (char) (0x80 | (cp & 0x3f));
    sb_putn (b, u, 2);
  } else if (cp < 0x10000) {
    u[0] = (char) (0xe0 | (cp >> 12));
    u[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
    u[2] = (char) (0x80 | (cp & 0x3f));
    sb_putn (b, u, 3);
  } else {
    u[0] = (char) (0xf0 | (cp >> 18));
    u[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
    u[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
    u[3] = (char) (0x80 | (cp & 0x3f));
    sb_putn (b, u, 4);
  }
}

/* ---- text ---------------------------------------------------------------- */

void
esc_text (struct sbuf *b, struct esc_src *s)
{
  uint32_t cp;
  while (esc_next (s, &cp)) {
    if (esc_is_control (cp))
      sb_printf (b, "\\x%02x", (unsigned) cp);
    else if (esc_is_hidden (cp) || is_surrogate (cp))
      sb_printf (b, "\\u{%04X}", (unsigned) cp);
    else
      esc_utf8_put (b, cp);
  }
}

void
esc_text_utf8 (struct sbuf *b, const char *str)
{
  struct esc_src s;
  esc_src_utf8 (&s, str);
  esc_text (b, &s);
}

/* A small wcwidth: combining marks take no column, East Asian wide and
 * fullwidth forms take two.  Locale-independent on purpose, so the table
 * lines up the same way wherever the output is read. */
static int
cp_width (uint32_t cp)
{
  static const uint32_t zero[][2] = {
    { 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
    { 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x1ab0, 0x1aff },
    { 0x1dc0, 0x1dff }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
    { 0xfe20, 0xfe2f },
  };
  static const uint32_t wide[][2] = {
    { 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
    { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
    { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
    { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
    { 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
  };
  for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
    if (cp >= zero[i][0] && cp <= zero[i][1])
      return 0;
  for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
    if (cp >= wide[i][0] && cp <= wide[i][1])
      return 2;
  return 1;
}

size_t
esc_width (const char *str)
{
  struct esc_src s;
  uint32_t cp;
  size_t w = 0;
  esc_src_utf8 (&s, str);
  while (esc_next (&s, &cp))
    w += (size_t) cp_width (cp);
  return w;
}

void
esc_truncate (struct sbuf *b, size_t maxw)
{
  if (b->err || b->len == 0 || esc_width (b->p) <= maxw || maxw < 3)
    return;
  struct esc_src s;
  uint32_t cp;
  size_t w = 0, cut = 0;
  esc_src_utf8 (&s, b->p);
  while (esc_next (&s, &cp)) {
    size_t cw = (size_t) cp_width (cp);
    if (w + cw > maxw - 3)
      break;
    w += cw;
    cut = s.pos; /* cut only between code points */
  }
  b->len = cut;
  b->p[cut] = '\0';
  sb_puts (b, "...");
}

/* ---- JSON -------------------------------------------------------------------- */

void
esc_json (struct sbuf *b, struct esc_src *s)
{
  uint32_t cp;
  sb_putc (b, '"');
  for (;;) {
    /* Runs of printable ASCII other than '"' and '\\' go out as they are,
     * in one copy: a 100k-value document is mostly such runs. */
    size_t run = 0;
    if (s->u8)
      while (s->u8[s->pos + run] >= 0x20 && s->u8[s->pos + run] < 0x7f
             && s->u8[s->pos + run] != '"' && s->u8[s->pos + run] != '\\')
        run++;
    else
      while (s->pos + run < s->n && s->u16[s->pos + run] >= 0x20
             && s->u16[s->pos + run] < 0x7f && s->u16[s->pos + run] != '"'
             && s->u16[s->pos + run] != '\\')
        run++;
    if (run) {
      if (sb_grow (b, run) < 0)
        return;
      if (s->u8)
        memcpy (b->p + b->len, s->u8 + s->pos, run);
      else
        for (size_t i = 0; i < run; i++)
          b->p[b->len + i] = (char) s->u16[s->pos + i];
      b->len += run;
      b->p[b->len] = '\0';
      s->pos += run;
    }
    if (!esc_next (s, &cp))
      break;
    switch (cp) {
    case '"': sb_puts (b, "\\\""); break;
    case '\\': sb_puts (b, "\\\\"); break;
    case '\b': sb_puts (b, "\\b"); break;
    case '\f': sb_puts (b, "\\f"); break;
    case '\n': sb_puts (b, "\\n"); break;
    case '\r': sb_puts (b, "\\r"); break;
    case '\t': sb_puts (b, "\\t"); break;
    default:
      /* Escaping hidden characters too keeps raw JSON safe to read on a
       * terminal; a \u escape is as exact as the character itself. */
      if (cp > 0xffff && esc_is_hidden (cp)) /* tags, U+xFFFE: a pair */
        sb_printf (b, "\\u%04x\\u%04x",
                   (unsigned) (0xd800 + ((cp - 0x10000) >> 10)),
                   (unsigned) (0xdc00 + ((cp - 0x10000) & 0x3ff)));
      else if (esc_is_control (cp) || esc_is_hidden (cp) || is_surrogate (cp))
        sb_printf (b, "\\u%04x", (unsigned) cp);
      else
        esc_utf8_put (b, cp);
    }
  }
  sb_putc (b, '"');
}

/* ---- XML ------------------------------------------------------------------------ */

int
esc_xml (struct sbuf *b, struct esc_src *s)
{
  uint32_t cp;
  int changed = 0;
  while (esc_next (s, &cp)) {
    if (!esc_xml_char_ok (cp)) {
      cp = 0xfffd;
      changed = 1;
    }
    esc_utf8_put (b, cp);
  }
  return changed;
}

/* ---- CSV --------------------------------------------------------------------------- */

void
esc_csv_cell (struct sbuf *b, const char *utf8)
{
  struct sbuf cell;
  sb_init (&cell);
  esc_text_utf8 (&cell, utf8);
  const char *c = sb_str (&cell);
  int formula = c[0] != '\0' && strchr ("=+-@\t\r", c[0]) != NULL;
  int quote = strpbrk (c, ",\"\r\n") != NULL;
  if (cell.err)
    b->err = 1;
  if (quote)
    sb_putc (b, '"');
  if (formula)
    sb_putc (b, '\'');
  for (; *c; c++) {
    if (*c == '"')
      sb_putc (b, '"');
    sb_putc (b, *c);
  }
  if (quote)
    sb_putc (b, '"');
  sb_free (&cell);
}

/* ---- formatting the library's vocabulary -------------------------------- */

const char *
esc_type_name (uint32_t type, char buf[24])
{
  const char *n = mountdb_type_name (type);
  if (n != NULL && strncmp (n, "REG_0x", 6) != 0
      && strcmp (n, "REG_UNKNOWN") != 0)
    return n;
  snprintf (buf, 24, "REG_0x%x", (unsigned) type);
  return buf;
}
