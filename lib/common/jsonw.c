/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON emitter (see jsonw.h). */
#include <config.h>
#include <inttypes.h>
#include <string.h>
#include "mountdb.h"
#include "common/jsonw.h"
#include "common/display.h"
#include "common/timefmt.h"
#include "common/utf8.h"

/* ---- strings ----------------------------------------------------------- */

static int
is_surrogate (uint32_t cp)
{
  return cp >= 0xd800 && cp <= 0xdfff;
}

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

/* ---- the emitter ---------------------------------------------------------- */

static void
jw_indent (struct jw *j, int depth)
{
  /* One copy per line, not one call per level. */
  static const char nl[] = "\n                                ";
  if (depth >= 0 && (size_t) depth * 2 + 1 < sizeof nl) {
    md_sb_putn (&j->b, nl, (size_t) depth * 2 + 1);
    return;
  }
  md_sb_putc (&j->b, '\n');
  for (int i = 0; i < depth; i++)
    md_sb_puts (&j->b, "  ");
}

static void
jw_str_raw (struct jw *j, const char *s)
{
  struct esc_src src;
  esc_src_utf8 (&src, s);
  esc_json (&j->b, &src);
}

/* "key": (or "key":<space> when pretty).  Keys are the schema's names,
 * string literals of this program and the library (plain ASCII: never
 * text from a hive), copied as they are: escaping each of them again
 * per value was a fifth of `show --format=json` on a key of 100k
 * values (issue 10 item 8). */
static void
jw_key (struct jw *j, const char *key)
{
  size_t n = strlen (key);
  if (md_sb_grow (&j->b, n + 4) < 0)
    return;
  char *p = j->b.p + j->b.len;
  *p++ = '"';
  memcpy (p, key, n);
  p += n;
  *p++ = '"';
  *p++ = ':';
  if (j->pretty)
    *p++ = ' ';
  *p = '\0';
  j->b.len = (size_t) (p - j->b.p);
}

/* Separator, indentation and key before a value. */
void
jw_sep (struct jw *j, const char *key)
{
  if (j->depth > j->base) {
    if (!j->first[j->depth])
      md_sb_putc (&j->b, ',');
    j->first[j->depth] = 0;
    if (j->pretty)
      jw_indent (j, j->depth);
  }
  if (key)
    jw_key (j, key);
}

void
jw_open (struct jw *j, const char *key, char c)
{
  jw_sep (j, key);
  md_sb_putc (&j->b, c);
  if (j->depth + 1 >= JW_MAX_DEPTH) { /* cannot happen with this schema */
    j->b.err = 1;
    return;
  }
  j->first[++j->depth] = 1;
}

void
jw_close (struct jw *j, char c)
{
  if (j->pretty && !j->first[j->depth])
    jw_indent (j, j->depth - 1);
  if (j->depth > 0)
    j->depth--;
  md_sb_putc (&j->b, c);
}

void
jw_str (struct jw *j, const char *key, const char *s)
{
  jw_sep (j, key);
  jw_str_raw (j, s);
}

void
jw_str16 (struct jw *j, const char *key, const uint16_t *u, size_t n)
{
  struct esc_src src;
  jw_sep (j, key);
  esc_src_utf16 (&src, u, n);
  esc_json (&j->b, &src);
}

void
jw_uint (struct jw *j, const char *key, uint64_t v)
{
  char d[24], *p = d + sizeof d;
  jw_sep (j, key);
  /* By hand: printf's machinery per number cost more than the rest. */
  do
    *--p = (char) ('0' + v % 10);
  while ((v /= 10) != 0);
  md_sb_putn (&j->b, p, (size_t) (d + sizeof d - p));
}

void
jw_bool (struct jw *j, const char *key, int v)
{
  jw_sep (j, key);
  md_sb_puts (&j->b, v ? "true" : "false");
}

void
jw_null (struct jw *j, const char *key)
{
  jw_sep (j, key);
  md_sb_puts (&j->b, "null");
}

void
jw_hex (struct jw *j, const char *key, const uint8_t *data, size_t len)
{
  jw_sep (j, key);
  md_sb_putc (&j->b, '"');
  md_sb_hex (&j->b, data, len);
  md_sb_putc (&j->b, '"');
}

/* ISO 8601 UTC, or null when the FILETIME is unset or out of range. */
void
jw_time (struct jw *j, const char *key, uint64_t ft)
{
  char t[40];
  if (md_filetime_to_iso (ft, t) == 0)
    jw_str (j, key, t);
  else
    jw_null (j, key);
}

void
jw_uid (struct jw *j, const char *key, const mountdb_uid *uid)
{
  jw_open (j, key, '{');
  jw_str (j, "shape", mountdb_shape_name (mountdb_uid_shape (uid)));
  size_t n = mountdb_uid_field_count (uid);
  for (size_t i = 0; i < n; i++) {
    const char *k = NULL, *s = NULL;
    int kind = 0;
    uint64_t num = 0;
    if (mountdb_uid_field_get (uid, i, &k, &kind, &s, &num) < 0 || k == NULL)
      continue;
    if (kind == MOUNTDB_FIELD_UINT)
      jw_uint (j, k, num);
    else if (kind == MOUNTDB_FIELD_BOOL)
      jw_bool (j, k, num != 0);
    else if (s != NULL)
      jw_str (j, k, s);
    else
      jw_null (j, k);
  }
  const char *sum = mountdb_uid_summary (uid);
  jw_str (j, "summary", sum ? sum : "");
  jw_close (j, '}');
}

void
jw_str_or_null (struct jw *j, const char *key, const char *s)
{
  if (s)
    jw_str (j, key, s);
  else
    jw_null (j, key);
}

void
jw_sequence (struct jw *j, const mountdb_header *h)
{
  jw_open (j, "sequence", '[');
  jw_uint (j, NULL, h->seq1);
  jw_uint (j, NULL, h->seq2);
  jw_close (j, ']');
}
