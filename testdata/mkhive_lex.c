/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkhive: the lexer of the description language and its value data. */
#include "mkhive.h"

/* ---------------------------------------------------------------- lexer */

static int is_ws (char c) { return c == ' ' || c == '\t' || c == '\r'; }

static void
lx_ws (struct lex *lx)
{
  while (is_ws (*lx->p)) lx->p++;
}

/* End of the line's content: NUL, or a lone '#' word (comment). */
int
lx_end (struct lex *lx)
{
  lx_ws (lx);
  return *lx->p == 0 || (lx->p[0] == '#' && (lx->p[1] == 0 || is_ws (lx->p[1])));
}

/* Next bare word (malloc'd). */
char *
lx_word (struct lex *lx, const char *what)
{
  if (lx_end (lx))
    die ("expected %s", what);
  const char *s = lx->p;
  while (*lx->p && !is_ws (*lx->p)) lx->p++;
  size_t n = (size_t) (lx->p - s);
  char *w = xmalloc (n + 1);
  memcpy (w, s, n);
  w[n] = 0;
  return w;
}

void
lx_done (struct lex *lx)
{
  if (!lx_end (lx))
    die ("unexpected '%.40s' at end of line", lx->p);
}

/* Decode one UTF-8 character at p into s; returns the next position. */
static const char *
utf8_one (const char *p, ustr *s)
{
  const unsigned char *q = (const unsigned char *) p;
  uint32_t cp;
  int n;
  if (q[0] < 0x80) { ustr_push (s, q[0]); return p + 1; }
  else if ((q[0] & 0xE0) == 0xC0) { cp = q[0] & 0x1Fu; n = 1; }
  else if ((q[0] & 0xF0) == 0xE0) { cp = q[0] & 0x0Fu; n = 2; }
  else if ((q[0] & 0xF8) == 0xF0) { cp = q[0] & 0x07u; n = 3; }
  else die ("invalid UTF-8 in description");
  for (int i = 1; i <= n; i++) {
    if ((q[i] & 0xC0) != 0x80)
      die ("invalid UTF-8 in description");
    cp = cp << 6 | (q[i] & 0x3Fu);
  }
  if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)
      || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    die ("invalid UTF-8 in description (overlong, surrogate or out of range); "
         "use u\"\\uXXXX\" for arbitrary UTF-16 units");
  ustr_push_cp (s, cp);
  return p + n + 1;
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static uint32_t
hex_fixed (const char *p, int n)
{
  uint32_t v = 0;
  for (int i = 0; i < n; i++) {
    int h = hexval (p[i]);
    if (h < 0)
      die ("bad escape: expected %d hex digits", n);
    v = v << 4 | (uint32_t) h;
  }
  return v;
}

/* One piece: bare word, "literal" or u"escaped", the quoted ones with an
 * optional *N repeat. Appended to out. */
static void
parse_piece (struct lex *lx, ustr *out)
{
  ustr piece = { 0 };
  const char *p = lx->p;
  int quoted = 1;

  if (p[0] == '"') {
    p++;
    for (;;) {
      if (!*p) die ("unterminated string");
      if (*p == '"') {
        if (p[1] == '"') { ustr_push (&piece, '"'); p += 2; continue; }
        p++;
        break;
      }
      p = utf8_one (p, &piece);
    }
  } else if (p[0] == 'u' && p[1] == '"') {
    p += 2;
    for (;;) {
      if (!*p) die ("unterminated string");
      if (*p == '"') { p++; break; }
      if (*p != '\\') { p = utf8_one (p, &piece); continue; }
      p++;
      switch (*p) {
      case '\\': ustr_push (&piece, '\\'); p++; break;
      case '"': ustr_push (&piece, '"'); p++; break;
      case '0': ustr_push (&piece, 0); p++; break;
      case 'a': ustr_push (&piece, 7); p++; break;
      case 'b': ustr_push (&piece, 8); p++; break;
      case 't': ustr_push (&piece, 9); p++; break;
      case 'n': ustr_push (&piece, 10); p++; break;
      case 'v': ustr_push (&piece, 11); p++; break;
      case 'f': ustr_push (&piece, 12); p++; break;
      case 'r': ustr_push (&piece, 13); p++; break;
      case 'e': ustr_push (&piece, 27); p++; break;
      case 'x': ustr_push (&piece, (uint16_t) hex_fixed (p + 1, 2)); p += 3; break;
      case 'u': ustr_push (&piece, (uint16_t) hex_fixed (p + 1, 4)); p += 5; break;
      case 'U': {
        if (p[1] != '{') die ("bad escape: \\U needs {HEX}");
        uint32_t cp = 0;
        int nd = 0;
        p += 2;
        while (hexval (*p) >= 0 && nd < 7) { cp = cp << 4 | (uint32_t) hexval (*p); p++; nd++; }
        if (*p != '}' || nd == 0 || nd > 6 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
          die ("bad escape: \\U{HEX} must be a Unicode scalar value (use \\uXXXX for surrogates)");
        p++;
        ustr_push_cp (&piece, cp);
        break;
      }
      default:
        die ("unknown escape '\\%c' in u\"...\" (known: \\\\ \\\" \\0 \\a \\b \\t \\n \\v \\f \\r \\e "
             "\\xHH \\uHHHH \\U{H..})", *p ? *p : '?');
      }
    }
  } else {
    quoted = 0;
    while (*p && !is_ws (*p))
      p = utf8_one (p, &piece);
  }

  uint64_t rep = 1;
  if (quoted && *p == '*') {
    p++;
    if (*p < '0' || *p > '9') die ("expected a repeat count after '*'");
    rep = 0;
    while (*p >= '0' && *p <= '9') {
      rep = rep * 10 + (uint64_t) (*p - '0');
      if (rep > MAX_UNITS) die ("repeat count too large");
      p++;
    }
  }
  if (*p && !is_ws (*p))
    die ("unexpected '%c' after string", *p);
  if (piece.n * rep > MAX_UNITS)
    die ("string longer than %u UTF-16 units", MAX_UNITS);
  for (uint64_t r = 0; r < rep; r++)
    for (size_t i = 0; i < piece.n; i++)
      ustr_push (out, piece.u[i]);
  free (piece.u);
  lx->p = p;
}

/* String expression: piece { '+' piece }. */
void
parse_str (struct lex *lx, ustr *out, const char *what)
{
  if (lx_end (lx))
    die ("expected %s", what);
  parse_piece (lx, out);
  for (;;) {
    lx_ws (lx);
    if (lx->p[0] == '+' && (lx->p[1] == 0 || is_ws (lx->p[1]))) {
      lx->p++;
      if (lx_end (lx)) die ("expected a string after '+'");
      parse_piece (lx, out);
    } else
      break;
  }
}

int
parse_u64 (const char *w, uint64_t *v)
{
  uint64_t x = 0;
  const char *p = w;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    p += 2;
    if (!*p) return 0;
    for (; *p; p++) {
      int h = hexval (*p);
      if (h < 0 || x >> 60) return 0;
      x = x << 4 | (uint64_t) h;
    }
  } else {
    if (!*p) return 0;
    for (; *p; p++) {
      if (*p < '0' || *p > '9') return 0;
      if (x > (UINT64_MAX - 9) / 10) return 0;
      x = x * 10 + (uint64_t) (*p - '0');
    }
  }
  *v = x;
  return 1;
}

uint64_t
word_u64 (struct lex *lx, const char *what, uint64_t max)
{
  char *w = lx_word (lx, what);
  uint64_t v;
  if (!parse_u64 (w, &v) || v > max)
    die ("bad %s '%s' (decimal or 0x hex, at most %" PRIu64 ")", what, w, max);
  free (w);
  return v;
}

/* GUID text (with or without braces) -> 16 bytes, Windows layout. */
static int
parse_guid (const char *w, uint8_t out[16])
{
  const char *p = w;
  size_t n = strlen (w);
  if (n == 38 && p[0] == '{' && p[37] == '}') { p++; n -= 2; }
  if (n != 36) return 0;
  static const int dash[] = { 8, 13, 18, 23 };
  uint8_t raw[16];
  int k = 0;
  for (int i = 0; i < 36;) {
    if (i == dash[0] || i == dash[1] || i == dash[2] || i == dash[3]) {
      if (p[i] != '-') return 0;
      i++;
      continue;
    }
    int a = hexval (p[i]), b = hexval (p[i + 1]);
    if (a < 0 || b < 0) return 0;
    raw[k++] = (uint8_t) (a << 4 | b);
    i += 2;
  }
  /* Data1 LE32, Data2 LE16, Data3 LE16, Data4 as is. */
  out[0] = raw[3]; out[1] = raw[2]; out[2] = raw[1]; out[3] = raw[0];
  out[4] = raw[5]; out[5] = raw[4];
  out[6] = raw[7]; out[7] = raw[6];
  memcpy (out + 8, raw + 8, 8);
  return 1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
days_from_civil (int64_t y, unsigned m, unsigned d)
{
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned) (y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? (unsigned) -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t) doe - 719468;
}

/* Timestamp: 0, 0xFILETIME, or YYYY-MM-DDTHH:MM:SS[.fffffff]Z (UTC). */
static int
parse_ts (const char *w, uint64_t *ft)
{
  if (strcmp (w, "0") == 0) { *ft = 0; return 1; }
  if (w[0] == '0' && (w[1] == 'x' || w[1] == 'X'))
    return parse_u64 (w, ft);
  unsigned v[6];
  const char *p = w;
  static const int width[6] = { 4, 2, 2, 2, 2, 2 };
  static const char sep[6] = { '-', '-', 'T', ':', ':', 0 };
  for (int i = 0; i < 6; i++) {
    v[i] = 0;
    for (int k = 0; k < width[i]; k++, p++) {
      if (*p < '0' || *p > '9') return 0;
      v[i] = v[i] * 10 + (unsigned) (*p - '0');
    }
    if (sep[i]) {
      if (*p != sep[i]) return 0;
      p++;
    }
  }
  uint64_t frac = 0;
  if (*p == '.') {
    int nd = 0;
    p++;
    while (*p >= '0' && *p <= '9' && nd < 7) { frac = frac * 10 + (uint64_t) (*p - '0'); p++; nd++; }
    if (nd == 0) return 0;
    for (; nd < 7; nd++) frac *= 10;
  }
  if (strcmp (p, "Z") != 0) return 0;
  static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  unsigned y = v[0], mo = v[1], d = v[2];
  if (y < 1601 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1]) return 0;
  if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
  if (v[3] > 23 || v[4] > 59 || v[5] > 59) return 0;
  int64_t secs = days_from_civil (y, mo, d) * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
  *ft = (uint64_t) (secs + INT64_C (11644473600)) * 10000000u + frac;
  return 1;
}

uint64_t
word_ts (struct lex *lx)
{
  char *w = lx_word (lx, "timestamp");
  uint64_t ft;
  if (!parse_ts (w, &ft))
    die ("bad timestamp '%s' (want YYYY-MM-DDTHH:MM:SS[.fffffff]Z, 0 or 0xFILETIME)", w);
  free (w);
  return ft;
}

/* ------------------------------------------------------------ data parse */

void
put_units_le (buf *b, const ustr *s)
{
  for (size_t i = 0; i < s->n; i++) {
    buf_byte (b, (uint8_t) s->u[i]);
    buf_byte (b, (uint8_t) (s->u[i] >> 8));
  }
}

static void
put_units_bytes (buf *b, const ustr *s, const char *seg)
{
  for (size_t i = 0; i < s->n; i++) {
    if (s->u[i] > 0xFF)
      die ("'%s' text has a character above U+00FF (use hex)", seg);
    buf_byte (b, (uint8_t) s->u[i]);
  }
}

/* Segments of binary-like data until the end of the line. */
void
parse_segments (struct lex *lx, buf *b)
{
  while (!lx_end (lx)) {
    char *kw = lx_word (lx, "data segment");
    uint8_t tmp[24];
    if (strcmp (kw, "mbr") == 0) {
      char *w = lx_word (lx, "MBR disk signature (8 hex digits)");
      const char *h = w;
      if (h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h += 2;
      if (strlen (h) != 8) die ("bad MBR disk signature '%s' (8 hex digits)", w);
      uint32_t sig = 0;
      for (int i = 0; i < 8; i++) {
        if (hexval (h[i]) < 0) die ("bad MBR disk signature '%s'", w);
        sig = sig << 4 | (uint32_t) hexval (h[i]);
      }
      free (w);
      uint64_t off = word_u64 (lx, "partition offset in bytes", UINT64_MAX);
      wr32 (tmp, sig);
      wr64 (tmp + 4, off);
      buf_put (b, tmp, 12);
    } else if (strcmp (kw, "dmio") == 0 || strcmp (kw, "guid") == 0) {
      char *w = lx_word (lx, "GUID");
      if (!parse_guid (w, tmp + 8)) die ("bad GUID '%s'", w);
      free (w);
      if (kw[0] == 'd') {
        memcpy (tmp, "DMIO:ID:", 8);
        buf_put (b, tmp, 24);
      } else
        buf_put (b, tmp + 8, 16);
    } else if (strcmp (kw, "path") == 0 || strcmp (kw, "utf16") == 0 || strcmp (kw, "utf16z") == 0) {
      ustr s = { 0 };
      parse_str (lx, &s, "string");
      put_units_le (b, &s);
      if (strcmp (kw, "utf16z") == 0) { buf_byte (b, 0); buf_byte (b, 0); }
      free (s.u);
    } else if (strcmp (kw, "ascii") == 0 || strcmp (kw, "text") == 0) {
      ustr s = { 0 };
      parse_str (lx, &s, "string");
      put_units_bytes (b, &s, kw);
      if (kw[0] == 'a') buf_byte (b, 0);
      free (s.u);
    } else if (strcmp (kw, "hex") == 0 || strcmp (kw, "ft8") == 0) {
      char *w = lx_word (lx, "hex bytes");
      size_t n = strlen (w);
      if (n % 2) die ("odd number of hex digits in '%.40s'", w);
      if (kw[0] == 'f' && n != 16) die ("ft8 needs exactly 8 bytes (16 hex digits)");
      for (size_t i = 0; i < n; i += 2) {
        int hi = hexval (w[i]), lo = hexval (w[i + 1]);
        if (hi < 0 || lo < 0) die ("bad hex digits in '%.40s'", w);
        buf_byte (b, (uint8_t) (hi << 4 | lo));
      }
      free (w);
    } else if (strcmp (kw, "zero") == 0) {
      uint64_t n = word_u64 (lx, "byte count", MAX_DATA);
      for (uint64_t i = 0; i < n; i++) buf_byte (b, 0);
    } else if (strcmp (kw, "random") == 0) {
      uint64_t n = word_u64 (lx, "byte count", MAX_DATA);
      uint64_t seed = word_u64 (lx, "seed", UINT64_MAX);
      uint8_t *r = xmalloc (n);
      prng_fill (r, n, seed);
      buf_put (b, r, n);
      free (r);
    } else if (strcmp (kw, "u8") == 0) {
      buf_byte (b, (uint8_t) word_u64 (lx, "number", 0xFF));
    } else if (strcmp (kw, "u16") == 0) {
      wr16 (tmp, (uint16_t) word_u64 (lx, "number", 0xFFFF));
      buf_put (b, tmp, 2);
    } else if (strcmp (kw, "u32") == 0) {
      wr32 (tmp, (uint32_t) word_u64 (lx, "number", 0xFFFFFFFFu));
      buf_put (b, tmp, 4);
    } else if (strcmp (kw, "u64") == 0) {
      wr64 (tmp, word_u64 (lx, "number", UINT64_MAX));
      buf_put (b, tmp, 8);
    } else if (strcmp (kw, "empty") == 0) {
      /* nothing */
    } else
      die ("unknown data segment '%s' (mbr dmio guid path utf16 utf16z ascii text hex ft8 "
           "zero random u8 u16 u32 u64 empty)", kw);
    free (kw);
  }
}
