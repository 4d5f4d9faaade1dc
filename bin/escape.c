/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Escaping shared by every output format (see escape.h). */
#include <config.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "common/display.h"
#include "common/utf8.h"

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
  return esc_xml_char_ok (cp) && (md_is_control (cp) || md_is_hidden (cp));
}

/* ---- text ---------------------------------------------------------------- */

void
esc_text (struct md_sbuf *b, struct esc_src *s)
{
  uint32_t cp;
  while (esc_next (s, &cp)) {
    if (md_is_control (cp))
      md_sb_printf (b, "\\x%02x", (unsigned) cp);
    else if (md_is_hidden (cp) || is_surrogate (cp))
      md_sb_printf (b, "\\u{%04X}", (unsigned) cp);
    else
      md_sb_utf8 (b, cp);
  }
}

void
esc_text_utf8 (struct md_sbuf *b, const char *str)
{
  struct esc_src s;
  esc_src_utf8 (&s, str);
  esc_text (b, &s);
}

size_t
esc_width (const char *str)
{
  struct esc_src s;
  uint32_t cp;
  size_t w = 0;
  esc_src_utf8 (&s, str);
  while (esc_next (&s, &cp))
    w += (size_t) md_cp_width (cp);
  return w;
}

void
esc_truncate (struct md_sbuf *b, size_t maxw)
{
  if (b->err || b->len == 0 || esc_width (b->p) <= maxw || maxw < 3)
    return;
  struct esc_src s;
  uint32_t cp;
  size_t w = 0, cut = 0;
  esc_src_utf8 (&s, b->p);
  while (esc_next (&s, &cp)) {
    size_t cw = (size_t) md_cp_width (cp);
    if (w + cw > maxw - 3)
      break;
    w += cw;
    cut = s.pos; /* cut only between code points */
  }
  b->len = cut;
  b->p[cut] = '\0';
  md_sb_puts (b, "...");
}

/* ---- JSON -------------------------------------------------------------------- */

/* Printable ASCII but '"' and '\\': one load per byte in the runs. */
static const unsigned char json_plain[256] = { /* 128..255: 0 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
};

void
esc_json (struct md_sbuf *b, struct esc_src *s)
{
  uint32_t cp;
  md_sb_putc (b, '"');
  for (;;) {
    /* Runs of printable ASCII other than '"' and '\\' go out as they are,
     * in one copy: a 100k-value document is mostly such runs. */
    size_t run = 0;
    if (s->u8)
      while (json_plain[(unsigned char) s->u8[s->pos + run]])
        run++;
    else
      while (s->pos + run < s->n && s->u16[s->pos + run] < 0x80
             && json_plain[s->u16[s->pos + run]])
        run++;
    if (run) {
      if (md_sb_grow (b, run) < 0)
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
    case '"': md_sb_puts (b, "\\\""); break;
    case '\\': md_sb_puts (b, "\\\\"); break;
    case '\b': md_sb_puts (b, "\\b"); break;
    case '\f': md_sb_puts (b, "\\f"); break;
    case '\n': md_sb_puts (b, "\\n"); break;
    case '\r': md_sb_puts (b, "\\r"); break;
    case '\t': md_sb_puts (b, "\\t"); break;
    default:
      /* Escaping hidden characters too keeps raw JSON safe to read on a
       * terminal; a \u escape is as exact as the character itself. */
      if (cp > 0xffff && md_is_hidden (cp)) /* tags, U+xFFFE: a pair */
        md_sb_printf (b, "\\u%04x\\u%04x",
                   (unsigned) (0xd800 + ((cp - 0x10000) >> 10)),
                   (unsigned) (0xdc00 + ((cp - 0x10000) & 0x3ff)));
      else if (md_is_control (cp) || md_is_hidden (cp) || is_surrogate (cp))
        md_sb_printf (b, "\\u%04x", (unsigned) cp);
      else
        md_sb_utf8 (b, cp);
    }
  }
  md_sb_putc (b, '"');
}

/* ---- XML ------------------------------------------------------------------------ */

int
esc_xml (struct md_sbuf *b, struct esc_src *s)
{
  uint32_t cp;
  int changed = 0;
  while (esc_next (s, &cp)) {
    if (!esc_xml_char_ok (cp)) {
      cp = 0xfffd;
      changed = 1;
    }
    md_sb_utf8 (b, cp);
  }
  return changed;
}

/* ---- CSV --------------------------------------------------------------------------- */

void
esc_csv_cell (struct md_sbuf *b, const char *utf8)
{
  struct md_sbuf cell;
  md_sb_init (&cell);
  esc_text_utf8 (&cell, utf8);
  const char *c = md_sb_str (&cell);
  int formula = c[0] != '\0' && strchr ("=+-@\t\r", c[0]) != NULL;
  int quote = strpbrk (c, ",\"\r\n") != NULL;
  if (cell.err)
    b->err = 1;
  if (quote)
    md_sb_putc (b, '"');
  if (formula)
    md_sb_putc (b, '\'');
  for (; *c; c++) {
    if (*c == '"')
      md_sb_putc (b, '"');
    md_sb_putc (b, *c);
  }
  if (quote)
    md_sb_putc (b, '"');
  md_sb_free (&cell);
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
