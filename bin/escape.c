/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Escaping shared by every output format (see escape.h). */
#include <config.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "common/display.h"
#include "common/utf8.h"

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

void
esc_xml_attr (struct md_sbuf *b, struct esc_src *s)
{
  uint32_t cp;
  while (esc_next (s, &cp)) {
    if (!esc_xml_char_ok (cp))
      md_sb_utf8 (b, 0xfffd);
    else if (cp == '&')
      md_sb_puts (b, "&amp;");
    else if (cp == '<')
      md_sb_puts (b, "&lt;");
    else if (cp == '>')
      md_sb_puts (b, "&gt;");
    else if (cp == '"')
      md_sb_puts (b, "&quot;");
    else if (esc_xml_charref (cp) || cp == '\t' || cp == '\n' || cp == '\r')
      md_sb_printf (b, "&#x%" PRIX32 ";", cp);
    else
      md_sb_utf8 (b, cp);
  }
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
