/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkhive: build a deterministic SYSTEM hive fixture from a text description.
 *
 *   mkhive [-v] DESC OUT      build OUT from DESC (atomic: temp file + rename)
 *   mkhive --check DESC HIVE  verify an existing HIVE against DESC
 *
 * The description language is documented in testdata/README.md.
 *
 * How a hive is made:
 *  1. mkhive writes a minimal valid hive itself (base block, one hbin with a
 *     root nk cell and one sk cell) because hivex cannot create a hive;
 *  2. it opens that with hivex (HIVEX_OPEN_WRITE), adds the keys with
 *     hivex_node_add_child and sets each key's values with ONE
 *     hivex_node_set_values call holding the final, ordered list;
 *  3. it commits to a temp file next to OUT and patches bytes in place for
 *     what hivex cannot express: value names hivex cannot take (U+0000,
 *     lone surrogates) or an encoding (Latin-1 vs UTF-16) other than the one
 *     hivex would pick (written through a same-length ASCII placeholder,
 *     then overwritten in the vk cell), big data (db) records for values
 *     > 16344 bytes, every key's LastWrite, the hbin and base block
 *     timestamps, sequence numbers, the embedded file name and the checksum
 *     (Windows' rule, or a wrong one on request);
 *  4. it re-opens the result with hivex read-only (no UNSAFE) and checks
 *     every key, value name (raw bytes of the vk cell), type and data
 *     against the description, then fsyncs and renames over OUT.
 * Nothing depends on the clock, the environment or memory addresses: the
 * same description always gives the same bytes.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hivex.h>

/* ---------------------------------------------------------------- limits */

#define SEG_MAX        16344u     /* largest value data in one cell (big data segment) */
#define MAX_DATA       900000u    /* hivex refuses allocations of 1 MB or more */
#define MAX_UNITS      (1u << 20) /* longest string expression (UTF-16 units) */
#define MAX_FILLER     (1u << 20) /* filler values per directive */
#define HBIN_SIZE      4096u

/* ------------------------------------------------------------ utilities */

static const char *g_prog = "mkhive";
static const char *g_file;          /* description being parsed */
static int g_line;                  /* current line, 0 outside parsing */

/* Temp files to remove on failure (paths are fixed-size so the signal
 * handler can unlink them without allocating). */
static char g_tmp_out[PATH_MAX + 64];
static char g_tmp_seed[PATH_MAX + 64];

static void
cleanup_tmp (void)
{
  if (g_tmp_seed[0]) {
    unlink (g_tmp_seed);
    g_tmp_seed[0] = 0;
  }
  if (g_tmp_out[0]) {
    unlink (g_tmp_out);
    g_tmp_out[0] = 0;
  }
}

static void
on_signal (int sig)
{
  if (g_tmp_seed[0]) unlink (g_tmp_seed);
  if (g_tmp_out[0]) unlink (g_tmp_out);
  signal (sig, SIG_DFL);
  raise (sig);
}

static void die (const char *fmt, ...) __attribute__ ((noreturn, format (printf, 1, 2)));
static void
die (const char *fmt, ...)
{
  va_list ap;
  fprintf (stderr, "%s: ", g_prog);
  if (g_file && g_line > 0)
    fprintf (stderr, "%s:%d: ", g_file, g_line);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
  cleanup_tmp ();
  exit (1);
}

static void *
xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);
  if (!p) die ("out of memory");
  return p;
}

static void *
xcalloc (size_t n, size_t m)
{
  void *p = calloc (n ? n : 1, m ? m : 1);
  if (!p) die ("out of memory");
  return p;
}

static void *
xrealloc (void *p, size_t n)
{
  p = realloc (p, n ? n : 1);
  if (!p) die ("out of memory");
  return p;
}

static char *
xstrdup (const char *s)
{
  size_t n = strlen (s) + 1;
  char *p = xmalloc (n);
  memcpy (p, s, n);
  return p;
}

static uint16_t rd16 (const uint8_t *p) { return (uint16_t) (p[0] | p[1] << 8); }
static uint32_t rd32 (const uint8_t *p)
{ return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24; }
static uint64_t rd64 (const uint8_t *p) { return rd32 (p) | (uint64_t) rd32 (p + 4) << 32; }
static void wr16 (uint8_t *p, uint16_t v) { p[0] = (uint8_t) v; p[1] = (uint8_t) (v >> 8); }
static void wr32 (uint8_t *p, uint32_t v)
{ p[0] = (uint8_t) v; p[1] = (uint8_t) (v >> 8); p[2] = (uint8_t) (v >> 16); p[3] = (uint8_t) (v >> 24); }
static void wr64 (uint8_t *p, uint64_t v) { wr32 (p, (uint32_t) v); wr32 (p + 4, (uint32_t) (v >> 32)); }
static size_t r8 (size_t n) { return (n + 7) & ~(size_t) 7; }

/* Growable byte buffer and UTF-16 string. */
typedef struct { uint8_t *p; size_t n, cap; } buf;
typedef struct { uint16_t *u; size_t n, cap; } ustr;

static void
buf_put (buf *b, const void *p, size_t n)
{
  if (b->n + n > MAX_DATA)
    die ("value data longer than %u bytes", MAX_DATA);
  if (b->n + n > b->cap) {
    b->cap = (b->n + n) * 2 + 16;
    b->p = xrealloc (b->p, b->cap);
  }
  if (n) memcpy (b->p + b->n, p, n);
  b->n += n;
}

static void
buf_byte (buf *b, uint8_t c)
{
  buf_put (b, &c, 1);
}

static void
ustr_push (ustr *s, uint16_t u)
{
  if (s->n >= MAX_UNITS)
    die ("string longer than %u UTF-16 units", MAX_UNITS);
  if (s->n == s->cap) {
    s->cap = s->cap * 2 + 16;
    s->u = xrealloc (s->u, s->cap * sizeof *s->u);
  }
  s->u[s->n++] = u;
}

static void
ustr_push_cp (ustr *s, uint32_t cp)
{
  if (cp >= 0x10000) {
    cp -= 0x10000;
    ustr_push (s, (uint16_t) (0xD800 + (cp >> 10)));
    ustr_push (s, (uint16_t) (0xDC00 + (cp & 0x3FF)));
  } else
    ustr_push (s, (uint16_t) cp);
}

/* Is unit i of s a surrogate without its partner? */
static int
lone_surrogate (const ustr *s, size_t i)
{
  uint16_t u = s->u[i];
  if (u >= 0xD800 && u <= 0xDBFF)
    return !(i + 1 < s->n && s->u[i + 1] >= 0xDC00 && s->u[i + 1] <= 0xDFFF);
  if (u >= 0xDC00 && u <= 0xDFFF)
    return !(i > 0 && s->u[i - 1] >= 0xD800 && s->u[i - 1] <= 0xDBFF);
  return 0;
}

/* UTF-8 of a UTF-16 string; NULL if it holds U+0000 or a lone surrogate. */
static char *
ustr_to_utf8 (const ustr *s)
{
  char *out = xmalloc (s->n * 3 + 1);
  size_t o = 0;
  for (size_t i = 0; i < s->n; i++) {
    uint32_t cp = s->u[i];
    if (cp == 0 || lone_surrogate (s, i)) {
      free (out);
      return NULL;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (s->u[i + 1] - 0xDC00u);
      i++;
    }
    if (cp < 0x80)
      out[o++] = (char) cp;
    else if (cp < 0x800) {
      out[o++] = (char) (0xC0 | cp >> 6);
      out[o++] = (char) (0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out[o++] = (char) (0xE0 | cp >> 12);
      out[o++] = (char) (0x80 | ((cp >> 6) & 0x3F));
      out[o++] = (char) (0x80 | (cp & 0x3F));
    } else {
      out[o++] = (char) (0xF0 | cp >> 18);
      out[o++] = (char) (0x80 | ((cp >> 12) & 0x3F));
      out[o++] = (char) (0x80 | ((cp >> 6) & 0x3F));
      out[o++] = (char) (0x80 | (cp & 0x3F));
    }
  }
  out[o] = 0;
  return out;
}

/* Printable form of a string for messages (escapes like the u"" syntax). */
static char *
ustr_show (const ustr *s)
{
  size_t lim = s->n > 80 ? 80 : s->n;
  char *out = xmalloc (lim * 8 + 16);
  size_t o = 0;
  for (size_t i = 0; i < lim; i++) {
    uint16_t u = s->u[i];
    if (u >= 0x20 && u < 0x7F && u != '"')
      out[o++] = (char) u;
    else
      o += (size_t) sprintf (out + o, "\\u%04X", u);
  }
  if (lim < s->n)
    o += (size_t) sprintf (out + o, "...");
  out[o] = 0;
  return out;
}

/* Deterministic pseudo-random bytes (splitmix64). */
static void
prng_fill (uint8_t *p, size_t n, uint64_t seed)
{
  /* Start from a mixed seed so that nearby seeds give unrelated streams. */
  uint64_t x = (seed ^ 0x6D6B68697665u) * 0xD6E8FEB86659FD93u; /* "mkhive" */
  x ^= x >> 32;
  x *= 0xD6E8FEB86659FD93u;
  x ^= x >> 32;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t z = (x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    for (size_t k = 0; k < 8 && i + k < n; k++)
      p[i + k] = (uint8_t) (z >> (8 * k));
  }
}

/* ----------------------------------------------------------------- model */

enum { ENC_AUTO, ENC_LATIN1, ENC_UTF16 };
enum { CK_GOOD, CK_BAD, CK_VALUE };

struct value {
  ustr name;
  int enc;                  /* requested; ENC_AUTO resolved at build time */
  uint32_t type;
  buf data;
  int line;
  hive_value_h vk;          /* after set_values */
};

struct key {
  char *name;               /* UTF-8, NULL for the root */
  char *path;               /* for messages */
  size_t parent;            /* index into keys, SIZE_MAX for the root */
  int line;
  int has_lw;
  uint64_t lw;
  int layer;                /* layered key bit fields (nk byte 13), 0..255 */
  struct value *v;
  size_t nv, cv;
  int filler;               /* values generated: fill_count x fill_size */
  uint64_t fill_first, fill_count, fill_size;
  hive_node_h node;
};

/* Damage applied after the hive is built and verified (hostile fixtures
 * for the writer, issue 10): it makes the hive wrong on purpose. */
enum { DMG_NAME_LEN, DMG_DATA_SELF, DMG_DATA_AT_DATA, DMG_DATA_AT_VK, DMG_VLIST_SLOT };

struct damage {
  int kind;
  size_t key, idx;          /* the value damaged (or the list slot) */
  size_t key2, idx2;        /* the value it is made to point at */
  uint64_t num;             /* DMG_NAME_LEN */
  int line;
};

struct desc {
  struct damage *dmg;
  size_t ndmg;
  const char *file;
  unsigned major, minor;
  int have_version;
  int have_ename;
  ustr ename;
  int have_ts;
  uint64_t ts;
  int have_seq;
  uint32_t seq1, seq2;
  int have_ck, ck_mode;
  uint32_t ck_value;
  int have_root;
  ustr root_name;
  int have_deflw;
  uint64_t deflw;
  int have_big, big_db;
  struct key *keys;
  size_t nkeys, ckeys;
};

/* Filler value i: name ValueNNNNNN, REG_BINARY of SIZE pseudo-random bytes. */
static void
filler_name (uint64_t i, char out[32])
{
  snprintf (out, 32, "Value%06" PRIu64, i);
}

static void
filler_data (uint64_t i, uint8_t *p, size_t n)
{
  prng_fill (p, n, 0xF111E4000000u + i);
}

/* ---------------------------------------------------------------- lexer */

struct lex { const char *p; };

static int is_ws (char c) { return c == ' ' || c == '\t' || c == '\r'; }

static void
lx_ws (struct lex *lx)
{
  while (is_ws (*lx->p)) lx->p++;
}

/* End of the line's content: NUL, or a lone '#' word (comment). */
static int
lx_end (struct lex *lx)
{
  lx_ws (lx);
  return *lx->p == 0 || (lx->p[0] == '#' && (lx->p[1] == 0 || is_ws (lx->p[1])));
}

/* Next bare word (malloc'd). */
static char *
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

static void
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
static void
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

static int
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

static uint64_t
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

static uint64_t
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

static void
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
static void
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

/* ----------------------------------------------------------- desc parse */

static size_t
key_new (struct desc *d, size_t parent, const char *name, const char *path, int line)
{
  if (d->nkeys == d->ckeys) {
    d->ckeys = d->ckeys * 2 + 16;
    d->keys = xrealloc (d->keys, d->ckeys * sizeof *d->keys);
  }
  struct key *k = &d->keys[d->nkeys];
  memset (k, 0, sizeof *k);
  k->name = name ? xstrdup (name) : NULL;
  k->path = xstrdup (path);
  k->parent = parent;
  k->line = line;
  return d->nkeys++;
}

/* The key at PATH (a backslash-separated string starting with '\'),
 * created with its missing parents. Names compare case-insensitively
 * (ASCII folding, as hivex_node_get_child does). */
static size_t
key_at (struct desc *d, const ustr *path)
{
  if (path->n == 0 || path->u[0] != '\\')
    die ("key path must start with '\\'");
  size_t cur = 0;                        /* the root */
  size_t i = 1;
  char *full = xmalloc (path->n * 3 + 2);
  size_t fo = 0;
  full[fo] = 0;
  while (i < path->n) {
    ustr comp = { 0 };
    while (i < path->n && path->u[i] != '\\')
      ustr_push (&comp, path->u[i++]);
    if (i < path->n) i++;                /* skip '\' */
    if (comp.n == 0)
      die ("empty key name in path");
    if (comp.n > 255)
      die ("key name longer than 255 characters");
    char *name = ustr_to_utf8 (&comp);
    if (!name)
      die ("key names cannot hold U+0000 or lone surrogates");
    free (comp.u);
    fo += (size_t) sprintf (full + fo, "\\%s", name);
    size_t found = SIZE_MAX;
    for (size_t k = 1; k < d->nkeys; k++)
      if (d->keys[k].parent == cur && strcasecmp (d->keys[k].name, name) == 0) {
        found = k;
        break;
      }
    if (found == SIZE_MAX)
      found = key_new (d, cur, name, full, g_line);
    free (name);
    cur = found;
  }
  free (full);
  return cur;
}

static void
set_once (int *have, const char *what)
{
  if (*have) die ("'%s' given twice", what);
  *have = 1;
}

static void
parse_value (struct desc *d, struct lex *lx, size_t ki)
{
  struct key *k = &d->keys[ki];
  if (k->filler)
    die ("key %s is a filler key; it cannot also take values", k->path);
  struct value v;
  memset (&v, 0, sizeof v);
  v.line = g_line;
  parse_str (lx, &v.name, "value name");
  if (v.name.n > 16383)
    die ("value name longer than 16383 units (the vk name length is 16 bits of bytes)");
  char *t = lx_word (lx, "value type");
  if (strcmp (t, "latin1") == 0 || strcmp (t, "utf16") == 0) {
    v.enc = t[0] == 'l' ? ENC_LATIN1 : ENC_UTF16;
    free (t);
    t = lx_word (lx, "value type");
  }
  uint8_t tmp[8];
  if (strcmp (t, "binary") == 0) {
    v.type = 3;
    parse_segments (lx, &v.data);
  } else if (strcmp (t, "none") == 0) {
    v.type = 0;
    parse_segments (lx, &v.data);
  } else if (strcmp (t, "type") == 0) {
    v.type = (uint32_t) word_u64 (lx, "type number", 0xFFFFFFFFu);
    parse_segments (lx, &v.data);
  } else if (strcmp (t, "sz") == 0 || strcmp (t, "expand_sz") == 0 || strcmp (t, "link") == 0) {
    ustr s = { 0 };
    v.type = t[0] == 's' ? 1 : t[0] == 'e' ? 2 : 6;
    parse_str (lx, &s, "string");
    put_units_le (&v.data, &s);
    if (v.type != 6) { buf_byte (&v.data, 0); buf_byte (&v.data, 0); }
    free (s.u);
  } else if (strcmp (t, "multi_sz") == 0) {
    v.type = 7;
    while (!lx_end (lx)) {
      ustr s = { 0 };
      parse_str (lx, &s, "string");
      put_units_le (&v.data, &s);
      buf_byte (&v.data, 0); buf_byte (&v.data, 0);
      free (s.u);
    }
    buf_byte (&v.data, 0); buf_byte (&v.data, 0);
  } else if (strcmp (t, "dword") == 0 || strcmp (t, "dword_be") == 0) {
    uint32_t n = (uint32_t) word_u64 (lx, "number", 0xFFFFFFFFu);
    v.type = t[5] ? 5 : 4;
    if (v.type == 4) wr32 (tmp, n);
    else { tmp[0] = (uint8_t) (n >> 24); tmp[1] = (uint8_t) (n >> 16); tmp[2] = (uint8_t) (n >> 8); tmp[3] = (uint8_t) n; }
    buf_put (&v.data, tmp, 4);
  } else if (strcmp (t, "qword") == 0) {
    v.type = 11;
    wr64 (tmp, word_u64 (lx, "number", UINT64_MAX));
    buf_put (&v.data, tmp, 8);
  } else
    die ("unknown value type '%s' (binary none type sz expand_sz link multi_sz dword dword_be qword)", t);
  free (t);
  lx_done (lx);
  if (v.enc == ENC_LATIN1)
    for (size_t i = 0; i < v.name.n; i++)
      if (v.name.u[i] > 0xFF)
        die ("value name has a character above U+00FF: it cannot be stored as latin1");
  if (k->nv == k->cv) {
    k->cv = k->cv * 2 + 8;
    k->v = xrealloc (k->v, k->cv * sizeof *k->v);
  }
  k->v[k->nv++] = v;
}

/* PATH INDEX of an existing, described value. */
static void
damage_ref (struct desc *d, struct lex *lx, size_t *key, size_t *idx)
{
  ustr path = { 0 };
  parse_str (lx, &path, "key path");
  size_t before = d->nkeys;
  *key = key_at (d, &path);
  free (path.u);
  if (d->nkeys != before)
    die ("damage names a key not described before it");
  *idx = (size_t) word_u64 (lx, "value index", SIZE_MAX);
  if (d->keys[*key].filler || *idx >= d->keys[*key].nv)
    die ("damage names value #%zu of %s, which is not described before it", *idx,
         d->keys[*key].path);
}

/*   damage vk PATH IDX name-length N
 *   damage vk PATH IDX data-offset self
 *   damage vk PATH IDX data-offset data|vk PATH2 IDX2
 *   damage value-list PATH IDX vk PATH2 IDX2 */
static void
parse_damage (struct desc *d, struct lex *lx)
{
  struct damage g;
  memset (&g, 0, sizeof g);
  g.line = g_line;
  char *what = lx_word (lx, "vk or value-list");
  damage_ref (d, lx, &g.key, &g.idx);
  char *field = lx_word (lx, strcmp (what, "vk") == 0 ? "name-length or data-offset" : "vk");
  if (strcmp (what, "vk") == 0 && strcmp (field, "name-length") == 0) {
    g.kind = DMG_NAME_LEN;
    g.num = word_u64 (lx, "name length", 0xFFFF);
  } else if (strcmp (what, "vk") == 0 && strcmp (field, "data-offset") == 0) {
    char *to = lx_word (lx, "self, data or vk");
    if (strcmp (to, "self") == 0)
      g.kind = DMG_DATA_SELF;
    else if (strcmp (to, "data") == 0 || strcmp (to, "vk") == 0) {
      g.kind = to[0] == 'd' ? DMG_DATA_AT_DATA : DMG_DATA_AT_VK;
      damage_ref (d, lx, &g.key2, &g.idx2);
    } else
      die ("damage data-offset takes self, data PATH IDX or vk PATH IDX");
    free (to);
  } else if (strcmp (what, "value-list") == 0 && strcmp (field, "vk") == 0) {
    g.kind = DMG_VLIST_SLOT;
    damage_ref (d, lx, &g.key2, &g.idx2);
  } else
    die ("unknown damage '%s %s' (vk ... name-length|data-offset, value-list ... vk)", what, field);
  free (what);
  free (field);
  lx_done (lx);
  d->dmg = xrealloc (d->dmg, (d->ndmg + 1) * sizeof *d->dmg);
  d->dmg[d->ndmg++] = g;
}

static void
parse_desc (struct desc *d, const char *file)
{
  memset (d, 0, sizeof *d);
  d->file = file;
  d->major = 1;
  d->minor = 5;
  d->seq1 = d->seq2 = 1;
  key_new (d, SIZE_MAX, NULL, "\\", 0);

  FILE *f = fopen (file, "r");
  if (!f)
    die ("%s: %s", file, strerror (errno));
  g_file = file;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  size_t cur = SIZE_MAX;              /* current key */
  g_line = 0;
  while ((len = getline (&line, &cap, f)) != -1) {
    g_line++;
    if ((size_t) len != strlen (line))
      die ("NUL byte in description");
    if (len && line[len - 1] == '\n') line[--len] = 0;
    struct lex lx = { line };
    if (lx_end (&lx)) continue;
    char *kw = lx_word (&lx, "directive");
    if (strcmp (kw, "key") == 0) {
      ustr path = { 0 };
      parse_str (&lx, &path, "key path");
      lx_done (&lx);
      cur = key_at (d, &path);
      free (path.u);
    } else if (strcmp (kw, "lastwrite") == 0) {
      if (cur == SIZE_MAX) die ("'lastwrite' outside a key");
      uint64_t ts = word_ts (&lx);
      lx_done (&lx);
      if (d->keys[cur].has_lw && d->keys[cur].lw != ts)
        die ("conflicting lastwrite for key %s", d->keys[cur].path);
      d->keys[cur].has_lw = 1;
      d->keys[cur].lw = ts;
    } else if (strcmp (kw, "layer") == 0) {
      /* Differencing hives (regf spec, key node: Layered key bit fields,
       * the byte after Access bits): Inherit class 0x80, Layer semantics
       * 0x03 (1 tombstone, 2 supersede local, 3 supersede tree). */
      if (cur == SIZE_MAX) die ("'layer' outside a key");
      char *w = lx_word (&lx, "layer BITS");
      char *end;
      unsigned long v = strtoul (w, &end, 0);
      if (*w == '\0' || *end != '\0' || v > 255) die ("bad layer bits '%s' (0..255)", w);
      free (w);
      lx_done (&lx);
      d->keys[cur].layer = (int) v;
    } else if (strcmp (kw, "value") == 0) {
      if (cur == SIZE_MAX) die ("'value' outside a key");
      parse_value (d, &lx, cur);
    } else if (strcmp (kw, "filler") == 0) {
      ustr path = { 0 };
      parse_str (&lx, &path, "filler key path");
      uint64_t count = word_u64 (&lx, "value count", MAX_FILLER);
      uint64_t size = word_u64 (&lx, "value size", SEG_MAX);
      uint64_t per = 100;
      if (!lx_end (&lx)) per = word_u64 (&lx, "values per key", 65535);
      lx_done (&lx);
      if (size < 5) die ("filler value size must be at least 5 (not inline)");
      if (per == 0) die ("values per key must be at least 1");
      size_t parent = key_at (d, &path);
      free (path.u);
      uint64_t nsub = (count + per - 1) / per;
      for (uint64_t i = 0; i < nsub; i++) {
        char name[32], *full = xmalloc (strlen (d->keys[parent].path) + 40);
        snprintf (name, sizeof name, "Key%05" PRIu64, i);
        sprintf (full, "%s\\%s", d->keys[parent].path, name);
        for (size_t k = 1; k < d->nkeys; k++)
          if (d->keys[k].parent == parent && strcasecmp (d->keys[k].name, name) == 0)
            die ("filler key %s exists already", full);
        size_t ki = key_new (d, parent, name, full, g_line);
        free (full);
        d->keys[ki].filler = 1;
        d->keys[ki].fill_first = i * per;
        d->keys[ki].fill_count = (i + 1) * per <= count ? per : count - i * per;
        d->keys[ki].fill_size = size;
      }
      cur = SIZE_MAX;
    } else if (strcmp (kw, "version") == 0) {
      set_once (&d->have_version, kw);
      char *w = lx_word (&lx, "version MAJOR.MINOR");
      unsigned ma, mi;
      char extra;
      if (sscanf (w, "%u.%u%c", &ma, &mi, &extra) != 2)
        die ("bad version '%s' (want e.g. 1.5)", w);
      free (w);
      lx_done (&lx);
      d->major = ma;
      d->minor = mi;
    } else if (strcmp (kw, "embedded-name") == 0) {
      set_once (&d->have_ename, kw);
      parse_str (&lx, &d->ename, "embedded name");
      lx_done (&lx);
    } else if (strcmp (kw, "timestamp") == 0) {
      set_once (&d->have_ts, kw);
      d->ts = word_ts (&lx);
      lx_done (&lx);
    } else if (strcmp (kw, "default-lastwrite") == 0) {
      set_once (&d->have_deflw, kw);
      d->deflw = word_ts (&lx);
      lx_done (&lx);
    } else if (strcmp (kw, "sequence") == 0) {
      set_once (&d->have_seq, kw);
      d->seq1 = (uint32_t) word_u64 (&lx, "primary sequence number", 0xFFFFFFFFu);
      d->seq2 = (uint32_t) word_u64 (&lx, "secondary sequence number", 0xFFFFFFFFu);
      lx_done (&lx);
    } else if (strcmp (kw, "checksum") == 0) {
      set_once (&d->have_ck, kw);
      char *w = lx_word (&lx, "good, bad or 0xNNNNNNNN");
      uint64_t v;
      if (strcmp (w, "good") == 0) d->ck_mode = CK_GOOD;
      else if (strcmp (w, "bad") == 0) d->ck_mode = CK_BAD;
      else if (parse_u64 (w, &v) && v <= 0xFFFFFFFFu) { d->ck_mode = CK_VALUE; d->ck_value = (uint32_t) v; }
      else die ("bad checksum '%s' (good, bad or a number)", w);
      free (w);
      lx_done (&lx);
    } else if (strcmp (kw, "root-name") == 0) {
      set_once (&d->have_root, kw);
      parse_str (&lx, &d->root_name, "root key name");
      lx_done (&lx);
      if (d->root_name.n == 0 || d->root_name.n > 255)
        die ("root key name must have 1 to 255 characters");
    } else if (strcmp (kw, "damage") == 0) {
      parse_damage (d, &lx);
    } else if (strcmp (kw, "big-data") == 0) {
      set_once (&d->have_big, kw);
      char *w = lx_word (&lx, "db or cell");
      if (strcmp (w, "db") == 0) d->big_db = 1;
      else if (strcmp (w, "cell") == 0) d->big_db = 0;
      else die ("big-data must be 'db' or 'cell'");
      free (w);
      lx_done (&lx);
    } else
      die ("unknown directive '%s' (key lastwrite value filler version embedded-name timestamp "
           "default-lastwrite sequence checksum root-name big-data damage layer)", kw);
    free (kw);
  }
  if (ferror (f))
    die ("%s: read error: %s", file, strerror (errno));
  fclose (f);
  free (line);
  g_line = 0;

  if (!d->have_root) {
    const char *r = "ROOT";
    for (const char *p = r; *p; p++) ustr_push (&d->root_name, (uint16_t) *p);
  }
  if (!d->have_big)
    d->big_db = d->minor >= 4;
  if (!d->have_deflw)
    d->deflw = d->ts;
  for (size_t i = 0; i < d->nkeys; i++)
    if (!d->keys[i].has_lw)
      d->keys[i].lw = d->deflw;
}

/* ------------------------------------------------------ name encoding */

static int
auto_enc (const ustr *s)
{
  if (s->n == 0) return ENC_UTF16;       /* hivex and Windows: flags 0 for the default value */
  for (size_t i = 0; i < s->n; i++)
    if (s->u[i] > 0xFF) return ENC_UTF16;
  return ENC_LATIN1;
}

static int
value_enc (const struct value *v)
{
  return v->enc == ENC_AUTO ? auto_enc (&v->name) : v->enc;
}

/* Bytes stored in the vk cell for the name. */
static void
name_bytes (const struct value *v, buf *out)
{
  if (value_enc (v) == ENC_LATIN1) {
    for (size_t i = 0; i < v->name.n; i++)
      buf_byte (out, (uint8_t) v->name.u[i]);
  } else
    put_units_le (out, &v->name);
}

/* Must the name be patched in after hivex wrote a placeholder? */
static int
needs_patch (const struct value *v)
{
  for (size_t i = 0; i < v->name.n; i++)
    if (v->name.u[i] == 0 || lone_surrogate (&v->name, i))
      return 1;
  return value_enc (v) != auto_enc (&v->name);
}

/* Big data: total size of the db layout replacing one cell. */
static size_t
db_total (size_t len, size_t *nseg, size_t *rem)
{
  size_t n = (len + SEG_MAX - 1) / SEG_MAX;
  size_t r = len - (n - 1) * SEG_MAX;
  if (nseg) *nseg = n;
  if (rem) *rem = r;
  /* db cell, segment list, full segments, last segment (hivex reads a
   * segment as cell size - 8, so the last one keeps 4 bytes of slack). */
  return 16 + r8 (4 + 4 * n) + (n - 1) * r8 (SEG_MAX + 4) + r8 (r + 8);
}

static int
is_db (const struct desc *d, const struct value *v)
{
  return d->big_db && v->data.n > SEG_MAX;
}

/* ----------------------------------------------------------- seed hive */

static uint32_t
xor_sum (const uint8_t *b)
{
  uint32_t s = 0;
  for (int i = 0; i < 127; i++)
    s ^= rd32 (b + 4 * i);
  return s;
}

static uint32_t
windows_sum (const uint8_t *b)
{
  uint32_t s = xor_sum (b);
  if (s == 0) return 1;
  if (s == 0xFFFFFFFFu) return 0xFFFFFFFEu;
  return s;
}

static size_t
put_sid (uint8_t *p, uint8_t auth, const uint32_t *sub, int nsub)
{
  p[0] = 1;
  p[1] = (uint8_t) nsub;
  memset (p + 2, 0, 5);
  p[7] = auth;
  for (int i = 0; i < nsub; i++)
    wr32 (p + 8 + 4 * i, sub[i]);
  return 8 + 4 * (size_t) nsub;
}

/* Self-relative security descriptor: owner Administrators, group SYSTEM,
 * DACL: Everyone read, SYSTEM and Administrators full control. */
static size_t
make_sd (uint8_t *sd)
{
  static const uint32_t s_everyone[] = { 0 }, s_system[] = { 18 }, s_admins[] = { 32, 544 };
  size_t o = 20;
  memset (sd, 0, 128);
  sd[0] = 1;
  wr16 (sd + 2, 0x8004);                 /* SE_SELF_RELATIVE | SE_DACL_PRESENT */
  wr32 (sd + 16, 20);                    /* DACL */
  size_t acl = o;
  sd[acl] = 2;                           /* ACL_REVISION */
  o += 8;
  struct { uint32_t mask; uint8_t auth; const uint32_t *sub; int n; } ace[3] = {
    { 0x00020019, 1, s_everyone, 1 },    /* KEY_READ */
    { 0x000F003F, 5, s_system, 1 },      /* KEY_ALL_ACCESS */
    { 0x000F003F, 5, s_admins, 2 },
  };
  for (int i = 0; i < 3; i++) {
    size_t a = o;
    sd[a] = 0;                           /* ACCESS_ALLOWED_ACE_TYPE */
    sd[a + 1] = 2;                       /* CONTAINER_INHERIT_ACE */
    wr32 (sd + a + 4, ace[i].mask);
    size_t sl = put_sid (sd + a + 8, ace[i].auth, ace[i].sub, ace[i].n);
    wr16 (sd + a + 2, (uint16_t) (8 + sl));
    o += 8 + sl;
  }
  wr16 (sd + acl + 2, (uint16_t) (o - acl));
  wr16 (sd + acl + 4, 3);
  wr32 (sd + 4, (uint32_t) o);           /* owner */
  o += put_sid (sd + o, 5, s_admins, 2);
  wr32 (sd + 8, (uint32_t) o);           /* group */
  o += put_sid (sd + o, 5, s_system, 1);
  return o;                              /* 120 */
}

/* Base block + one 4 KiB hbin: root nk, sk, one free cell. */
static void
make_seed (const struct desc *d, uint8_t *b)
{
  memset (b, 0, 2 * HBIN_SIZE);
  int latin = auto_enc (&d->root_name) == ENC_LATIN1;
  size_t nlen = latin ? d->root_name.n : 2 * d->root_name.n;

  uint8_t *h = b + 4096;
  memcpy (h, "hbin", 4);
  wr32 (h + 4, 0);
  wr32 (h + 8, HBIN_SIZE);

  size_t nk = 0x20, nksz = r8 (80 + nlen);
  uint8_t *n = h + nk;
  wr32 (n, (uint32_t) -(int32_t) nksz);
  memcpy (n + 4, "nk", 2);
  wr16 (n + 6, (uint16_t) (0x0C | (latin ? 0x20 : 0)));   /* HIVE_ENTRY | NO_DELETE [| COMP_NAME] */
  wr32 (n + 20, 0);                       /* parent: meaningless for the root */
  wr32 (n + 32, 0xFFFFFFFFu);             /* subkey list */
  wr32 (n + 36, 0xFFFFFFFFu);             /* volatile subkey list */
  wr32 (n + 44, 0xFFFFFFFFu);             /* value list */
  wr32 (n + 52, 0xFFFFFFFFu);             /* class name */
  wr16 (n + 76, (uint16_t) nlen);
  for (size_t i = 0; i < d->root_name.n; i++) {
    if (latin) n[80 + i] = (uint8_t) d->root_name.u[i];
    else wr16 (n + 80 + 2 * i, d->root_name.u[i]);
  }

  size_t sk = nk + nksz;
  uint8_t sd[128];
  size_t sdlen = make_sd (sd);
  size_t sksz = r8 (24 + sdlen);
  uint8_t *s = h + sk;
  wr32 (s, (uint32_t) -(int32_t) sksz);
  memcpy (s + 4, "sk", 2);
  wr32 (s + 8, (uint32_t) sk);            /* flink: the only entry */
  wr32 (s + 12, (uint32_t) sk);           /* blink */
  wr32 (s + 16, 1);                       /* refcount (hivex adds one per new key) */
  wr32 (s + 20, (uint32_t) sdlen);
  memcpy (s + 24, sd, sdlen);
  wr32 (n + 48, (uint32_t) sk);

  size_t fr = sk + sksz;
  wr32 (h + fr, (uint32_t) (HBIN_SIZE - fr)); /* free cell up to the end */

  memcpy (b, "regf", 4);
  wr32 (b + 4, 1);
  wr32 (b + 8, 1);
  wr32 (b + 20, d->major);
  wr32 (b + 24, d->minor);
  wr32 (b + 28, 0);                       /* primary file */
  wr32 (b + 32, 1);                       /* direct memory load */
  wr32 (b + 36, (uint32_t) nk);
  wr32 (b + 40, HBIN_SIZE);
  wr32 (b + 44, 1);                       /* clustering factor */
  wr32 (b + 508, xor_sum (b));            /* hivex checks the raw XOR */
}

/* ---------------------------------------------------------------- files */

static void
write_all (int fd, const void *p, size_t n, const char *path)
{
  const uint8_t *q = p;
  while (n) {
    ssize_t w = write (fd, q, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      die ("%s: write: %s", path, strerror (errno));
    }
    q += w;
    n -= (size_t) w;
  }
}

/* dir/.base.TAG.XXXXXX for OUT = dir/base */
static void
tmp_name (char *dst, size_t cap, const char *out, const char *tag)
{
  const char *slash = strrchr (out, '/');
  int dl = slash ? (int) (slash - out + 1) : 0;
  const char *base = slash ? slash + 1 : out;
  if ((size_t) snprintf (dst, cap, "%.*s.%s.%s.XXXXXX", dl, out, base, tag) >= cap)
    die ("%s: path too long", out);
}

struct map { uint8_t *p; size_t n; int fd; };

static void
map_file (struct map *m, const char *path, int writable)
{
  m->fd = open (path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
  if (m->fd < 0) die ("%s: %s", path, strerror (errno));
  struct stat st;
  if (fstat (m->fd, &st) < 0) die ("%s: %s", path, strerror (errno));
  if (st.st_size < 2 * HBIN_SIZE) die ("%s: too small for a hive (%lld bytes)", path, (long long) st.st_size);
  m->n = (size_t) st.st_size;
  m->p = mmap (NULL, m->n, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, m->fd, 0);
  if (m->p == MAP_FAILED) die ("%s: mmap: %s", path, strerror (errno));
}

static void
unmap_file (struct map *m, const char *path, int sync)
{
  if (sync && msync (m->p, m->n, MS_SYNC) < 0) die ("%s: msync: %s", path, strerror (errno));
  munmap (m->p, m->n);
  if (sync && fsync (m->fd) < 0) die ("%s: fsync: %s", path, strerror (errno));
  close (m->fd);
}

/* ---------------------------------------------------------------- build */

static double
now_s (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);   /* for -v timings only, never written */
  return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

static void
hx_die (const char *what, const struct key *k)
{
  die ("hivex: %s (key %s): %s", what, k->path, strerror (errno));
}

/* Add all keys and values with hivex; commit to tmp. */
static void
build_with_hivex (struct desc *d, const char *out, int verbose)
{
  uint8_t seed[2 * HBIN_SIZE];
  make_seed (d, seed);
  tmp_name (g_tmp_seed, sizeof g_tmp_seed, out, "seed");
  int fd = mkstemp (g_tmp_seed);
  if (fd < 0) { g_tmp_seed[0] = 0; die ("%s: cannot create a temp file: %s", out, strerror (errno)); }
  write_all (fd, seed, sizeof seed, g_tmp_seed);
  close (fd);
  hive_h *h = hivex_open (g_tmp_seed, HIVEX_OPEN_WRITE);
  if (!h) die ("hivex_open of the seed hive failed: %s", strerror (errno));
  unlink (g_tmp_seed);                   /* write mode holds it in memory */
  g_tmp_seed[0] = 0;

  d->keys[0].node = hivex_root (h);
  double t0 = now_s ();
  uint64_t nvals = 0;
  for (size_t ki = 0; ki < d->nkeys; ki++) {
    struct key *k = &d->keys[ki];
    if (ki > 0) {
      k->node = hivex_node_add_child (h, d->keys[k->parent].node, k->name);
      if (!k->node) hx_die ("hivex_node_add_child", k);
    }
    if (k->filler) {
      size_t n = (size_t) k->fill_count, sz = (size_t) k->fill_size;
      hive_set_value *sv = xcalloc (n, sizeof *sv);
      uint8_t *blob = xmalloc (n * sz);
      char (*names)[32] = xmalloc (n * sizeof *names);
      for (size_t i = 0; i < n; i++) {
        filler_name (k->fill_first + i, names[i]);
        filler_data (k->fill_first + i, blob + i * sz, sz);
        sv[i].key = names[i];
        sv[i].t = hive_t_REG_BINARY;
        sv[i].len = sz;
        sv[i].value = (char *) blob + i * sz;
      }
      if (hivex_node_set_values (h, k->node, n, sv, 0) < 0) hx_die ("hivex_node_set_values", k);
      free (names);
      free (blob);
      free (sv);
      nvals += n;
      continue;
    }
    if (k->nv == 0)
      continue;
    hive_set_value *sv = xcalloc (k->nv, sizeof *sv);
    for (size_t i = 0; i < k->nv; i++) {
      struct value *v = &k->v[i];
      if (needs_patch (v)) {
        buf nb = { 0 };
        name_bytes (v, &nb);
        sv[i].key = xmalloc (nb.n + 1);
        memset (sv[i].key, 'x', nb.n);   /* same-length ASCII placeholder */
        sv[i].key[nb.n] = 0;
        free (nb.p);
      } else {
        sv[i].key = ustr_to_utf8 (&v->name);
        if (!sv[i].key) die ("internal error: unpatched name not representable");
      }
      sv[i].t = (hive_type) v->type;
      if (is_db (d, v)) {
        sv[i].len = db_total (v->data.n, NULL, NULL) - 4;
        sv[i].value = xcalloc (sv[i].len, 1);     /* room for the db layout */
      } else {
        sv[i].len = v->data.n;
        sv[i].value = (char *) v->data.p;
      }
    }
    if (hivex_node_set_values (h, k->node, k->nv, sv, 0) < 0) hx_die ("hivex_node_set_values", k);
    hive_value_h *vh = hivex_node_values (h, k->node);
    if (!vh) hx_die ("hivex_node_values", k);
    for (size_t i = 0; i < k->nv; i++) {
      if (!vh[i]) die ("hivex returned %zu values for key %s, expected %zu", i, k->path, k->nv);
      k->v[i].vk = vh[i];
    }
    if (vh[k->nv]) die ("hivex returned more values than set for key %s", k->path);
    free (vh);
    for (size_t i = 0; i < k->nv; i++) {
      free (sv[i].key);
      if (is_db (d, &k->v[i])) free (sv[i].value);
    }
    free (sv);
    nvals += k->nv;
  }
  double t1 = now_s ();

  tmp_name (g_tmp_out, sizeof g_tmp_out, out, "tmp");
  fd = mkstemp (g_tmp_out);
  if (fd < 0) { g_tmp_out[0] = 0; die ("%s: cannot create a temp file: %s", out, strerror (errno)); }
  close (fd);
  if (hivex_commit (h, g_tmp_out, 0) < 0)
    die ("hivex_commit to %s failed: %s", g_tmp_out, strerror (errno));
  hivex_close (h);
  if (verbose)
    fprintf (stderr, "%s: %zu keys, %" PRIu64 " values: hivex %.3f s, commit %.3f s\n",
             out, d->nkeys, nvals, t1 - t0, now_s () - t1);
}

static int
cmp_node (const void *a, const void *b)
{
  const struct key *const *x = a, *const *y = b;
  return (*x)->node < (*y)->node ? -1 : (*x)->node > (*y)->node;
}

/* Post-process the committed hive in place. */
static void
patch_hive (struct desc *d, uint8_t *b, size_t n, const char *path)
{
  if (memcmp (b, "regf", 4) != 0) die ("%s: hivex wrote no regf header", path);
  uint32_t datasize = rd32 (b + 40);
  if ((size_t) datasize + 4096 != n)
    die ("%s: hive bins data size %" PRIu32 " does not match file size %zu", path, datasize, n);

  /* Names, big data, per-key maxima. */
  for (size_t ki = 0; ki < d->nkeys; ki++) {
    struct key *k = &d->keys[ki];
    if (k->filler || k->nv == 0) continue;
    size_t maxname = 0, maxdata = 0;
    for (size_t i = 0; i < k->nv; i++) {
      struct value *v = &k->v[i];
      uint8_t *vk = b + v->vk;
      if (v->vk + 24 > n || memcmp (vk + 4, "vk", 2) != 0)
        die ("%s: value handle of %s #%zu is not a vk cell", path, k->path, i);
      if (needs_patch (v)) {
        buf nb = { 0 };
        name_bytes (v, &nb);
        if (rd16 (vk + 6) != nb.n)
          die ("%s: placeholder name length mismatch in %s #%zu", path, k->path, i);
        if (nb.n) memcpy (vk + 24, nb.p, nb.n);
        uint16_t fl = rd16 (vk + 20);
        fl = (uint16_t) ((fl & ~1u) | (value_enc (v) == ENC_LATIN1 ? 1u : 0u));
        wr16 (vk + 20, fl);
        free (nb.p);
      }
      if (is_db (d, v)) {
        size_t nseg, rem, total = db_total (v->data.n, &nseg, &rem);
        size_t c = rd32 (vk + 12) + 4096u;
        if (c + total > n || (int32_t) rd32 (b + c) != -(int32_t) total)
          die ("%s: unexpected data cell for big value in %s #%zu", path, k->path, i);
        memset (b + c, 0, total);
        size_t list = c + 16, seg = list + r8 (4 + 4 * nseg);
        wr32 (b + c, (uint32_t) -16);
        memcpy (b + c + 4, "db", 2);
        wr16 (b + c + 6, (uint16_t) nseg);
        wr32 (b + c + 8, (uint32_t) (list - 4096));
        wr32 (b + list, (uint32_t) -(int32_t) r8 (4 + 4 * nseg));
        for (size_t s = 0; s < nseg; s++) {
          int last = s + 1 == nseg;
          size_t chunk = last ? rem : SEG_MAX, cl = last ? r8 (rem + 8) : r8 (SEG_MAX + 4);
          wr32 (b + seg, (uint32_t) -(int32_t) cl);
          memcpy (b + seg + 4, v->data.p + s * SEG_MAX, chunk);
          wr32 (b + list + 4 + 4 * s, (uint32_t) (seg - 4096));
          seg += cl;
        }
        if (seg != c + total) die ("internal error: db layout size");
        wr32 (vk + 8, (uint32_t) v->data.n);
      }
      if (v->name.n * 2 > maxname) maxname = v->name.n * 2;
      if (v->data.n > maxdata) maxdata = v->data.n;
    }
    /* Largest value name (bytes as UTF-16) and data size, as Windows keeps them. */
    wr32 (b + k->node + 64, (uint32_t) maxname);
    wr32 (b + k->node + 68, (uint32_t) maxdata);
  }

  /* Every key's LastWrite; hbin timestamps. */
  struct key **byoff = xmalloc (d->nkeys * sizeof *byoff);
  for (size_t i = 0; i < d->nkeys; i++) byoff[i] = &d->keys[i];
  qsort (byoff, d->nkeys, sizeof *byoff, cmp_node);
  size_t nk_seen = 0;
  for (size_t off = 4096; off < n;) {
    uint8_t *hb = b + off;
    uint32_t hsz = rd32 (hb + 8);
    if (memcmp (hb, "hbin", 4) != 0 || rd32 (hb + 4) != off - 4096 || hsz < HBIN_SIZE
        || hsz % HBIN_SIZE || off + hsz > n)
      die ("%s: bad hbin at 0x%zx", path, off);
    wr64 (hb + 20, off == 4096 ? d->ts : 0);  /* the first one backs up the base block time */
    for (size_t c = off + 32; c < off + hsz;) {
      int32_t cs = (int32_t) rd32 (b + c);
      size_t len = cs < 0 ? (size_t) -(int64_t) cs : (size_t) cs;
      if (len < 8 || len % 8 || c + len > off + hsz)
        die ("%s: bad cell at 0x%zx", path, c);
      if (cs < 0 && b[c + 4] == 'n' && b[c + 5] == 'k') {
        struct key probe = { .node = c }, *pp = &probe;
        struct key **f = bsearch (&pp, byoff, d->nkeys, sizeof *byoff, cmp_node);
        if (!f) die ("%s: nk cell at 0x%zx belongs to no key", path, c);
        wr64 (b + c + 8, (*f)->lw);
        b[c + 4 + 13] = (uint8_t) (*f)->layer;
        nk_seen++;
      }
      c += len;
    }
    off += hsz;
  }
  if (nk_seen != d->nkeys)
    die ("%s: found %zu nk cells, expected %zu", path, nk_seen, d->nkeys);
  free (byoff);

  /* Base block. */
  wr32 (b + 4, d->seq1);
  wr32 (b + 8, d->seq2);
  wr64 (b + 12, d->ts);
  memset (b + 48, 0, 64);
  if (d->have_ename) {
    /* Like Windows: at most the last 31 units, NUL-terminated. */
    size_t first = d->ename.n > 31 ? d->ename.n - 31 : 0;
    for (size_t i = first; i < d->ename.n; i++)
      wr16 (b + 48 + 2 * (i - first), d->ename.u[i]);
  }
  uint32_t good = windows_sum (b);
  uint32_t ck = d->ck_mode == CK_GOOD ? good : d->ck_mode == CK_VALUE ? d->ck_value
                : (good ^ 0x5A5A0001u);
  wr32 (b + 508, ck);
}

/* ---------------------------------------------------------------- verify */

/* The damage directives, on the built and verified hive. */
static void
apply_damage (const struct desc *d, uint8_t *b, size_t n, const char *path)
{
  for (size_t i = 0; i < d->ndmg; i++) {
    const struct damage *g = &d->dmg[i];
    g_line = g->line;
    const struct key *k = &d->keys[g->key];
    size_t vk = (size_t) k->v[g->idx].vk;
    size_t vk2 = g->kind >= DMG_DATA_AT_DATA ? (size_t) d->keys[g->key2].v[g->idx2].vk : 0;
    if (vk + 24 > n || vk2 + 24 > n)
      die ("%s: damage: value handle out of the file", path);
    switch (g->kind) {
    case DMG_NAME_LEN:
      wr16 (b + vk + 6, (uint16_t) g->num);
      break;
    case DMG_DATA_SELF:
      wr32 (b + vk + 12, (uint32_t) (vk - 4096));
      break;
    case DMG_DATA_AT_DATA:        /* same data cell, same length */
      memcpy (b + vk + 8, b + vk2 + 8, 8);
      break;
    case DMG_DATA_AT_VK:
      wr32 (b + vk + 12, (uint32_t) (vk2 - 4096));
      break;
    case DMG_VLIST_SLOT: {
      size_t list = rd32 (b + (size_t) k->node + 44) + 4096u + 4u + 4u * g->idx;
      if (list + 4 > n) die ("%s: damage: value list out of the file", path);
      wr32 (b + list, (uint32_t) (vk2 - 4096));
      break;
    }
    }
  }
  g_line = 0;
}

static int g_vfail;

static void vfail (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
static void
vfail (const char *fmt, ...)
{
  va_list ap;
  fprintf (stderr, "%s: verify: ", g_prog);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
  if (++g_vfail > 20) die ("too many verification failures");
}

static void
expected_data (const struct key *k, size_t i, uint8_t **p, size_t *n, int *own)
{
  if (k->filler) {
    *n = (size_t) k->fill_size;
    *p = xmalloc (*n);
    filler_data (k->fill_first + i, *p, *n);
    *own = 1;
  } else {
    *p = k->v[i].data.p;
    *n = k->v[i].data.n;
    *own = 0;
  }
}

/* Check HIVE (raw bytes and through hivex, read-only, no UNSAFE). */
static void
verify (const struct desc *d, const char *path)
{
  struct map m;
  map_file (&m, path, 0);
  const uint8_t *b = m.p;
  g_vfail = 0;

  /* Base block. */
  if (memcmp (b, "regf", 4) != 0) vfail ("%s: no regf signature", path);
  if (rd32 (b + 4) != d->seq1 || rd32 (b + 8) != d->seq2)
    vfail ("%s: sequence %" PRIu32 "/%" PRIu32 ", expected %" PRIu32 "/%" PRIu32,
           path, rd32 (b + 4), rd32 (b + 8), d->seq1, d->seq2);
  if (rd64 (b + 12) != d->ts) vfail ("%s: base block timestamp differs", path);
  if (rd32 (b + 20) != d->major || rd32 (b + 24) != d->minor) vfail ("%s: version differs", path);
  if ((size_t) rd32 (b + 40) + 4096 != m.n) vfail ("%s: hive bins data size differs from file size", path);
  if (rd64 (b + 4096 + 20) != d->ts) vfail ("%s: first hbin timestamp differs", path);
  uint8_t en[64] = { 0 };
  if (d->have_ename) {
    size_t first = d->ename.n > 31 ? d->ename.n - 31 : 0;
    for (size_t i = first; i < d->ename.n; i++) wr16 (en + 2 * (i - first), d->ename.u[i]);
  }
  if (memcmp (b + 48, en, 64) != 0) vfail ("%s: embedded file name differs", path);
  uint32_t stored = rd32 (b + 508), good = windows_sum (b);
  if (d->ck_mode == CK_GOOD && stored != good) vfail ("%s: checksum 0x%08" PRIx32 " is not Windows' 0x%08" PRIx32, path, stored, good);
  if (d->ck_mode == CK_BAD && stored == good) vfail ("%s: checksum should be wrong", path);
  if (d->ck_mode == CK_VALUE && stored != d->ck_value) vfail ("%s: checksum differs", path);

  /* hivex compares the raw XOR: a hive whose stored sum differs must be
   * refused; check the rest through a temp copy with the sum fixed. */
  int fixed = 0;
  const char *open_path = path;
  if (stored != xor_sum (b)) {
    hive_h *hb = hivex_open (path, 0);
    if (hb) { vfail ("%s: hivex accepted a hive whose checksum is wrong", path); hivex_close (hb); }
    const char *td = getenv ("TMPDIR");
    if (snprintf (g_tmp_seed, sizeof g_tmp_seed, "%s/mkhive-check.XXXXXX", td && *td ? td : "/tmp")
        >= (int) sizeof g_tmp_seed)
      die ("TMPDIR too long");
    int fd = mkstemp (g_tmp_seed);
    if (fd < 0) { g_tmp_seed[0] = 0; die ("cannot create a temp file: %s", strerror (errno)); }
    uint8_t hdr[4096];
    memcpy (hdr, b, 4096);
    wr32 (hdr + 508, xor_sum (hdr));
    write_all (fd, hdr, 4096, g_tmp_seed);
    write_all (fd, b + 4096, m.n - 4096, g_tmp_seed);
    close (fd);
    open_path = g_tmp_seed;
    fixed = 1;
  }
  hive_h *h = hivex_open (open_path, 0);
  if (fixed) {                            /* a copy with the checksum fixed */
    unlink (g_tmp_seed);
    g_tmp_seed[0] = 0;
  }
  if (!h) {
    vfail ("%s: hivex_open (read-only) refused it: %s", path, strerror (errno));
    goto out;
  }
  if ((uint64_t) hivex_last_modified (h) != d->ts) vfail ("%s: hivex_last_modified differs", path);

  hive_node_h *node = xcalloc (d->nkeys, sizeof *node);
  size_t *nchild = xcalloc (d->nkeys, sizeof *nchild);
  for (size_t ki = 1; ki < d->nkeys; ki++) nchild[d->keys[ki].parent]++;
  for (size_t ki = 0; ki < d->nkeys && g_vfail == 0; ki++) {
    const struct key *k = &d->keys[ki];
    if (ki == 0) node[0] = hivex_root (h);
    else {
      node[ki] = hivex_node_get_child (h, node[k->parent], k->name);
      if (!node[ki]) { vfail ("key %s: missing", k->path); break; }
      char *nm = hivex_node_name (h, node[ki]);
      if (!nm || strcmp (nm, k->name) != 0) vfail ("key %s: name reads back as '%s'", k->path, nm ? nm : "(null)");
      free (nm);
    }
    if ((uint64_t) node[ki] + 18 > m.n || b[node[ki] + 4 + 13] != k->layer)
      vfail ("key %s: layer bits differ", k->path);
    if ((uint64_t) hivex_node_timestamp (h, node[ki]) != k->lw)
      vfail ("key %s: LastWrite 0x%" PRIx64 ", expected 0x%" PRIx64, k->path,
             (uint64_t) hivex_node_timestamp (h, node[ki]), k->lw);
    if (hivex_node_nr_children (h, node[ki]) != nchild[ki])
      vfail ("key %s: %zu subkeys, expected %zu", k->path, hivex_node_nr_children (h, node[ki]), nchild[ki]);

    size_t nv = k->filler ? (size_t) k->fill_count : k->nv;
    hive_value_h *vh = hivex_node_values (h, node[ki]);
    if (!vh) { vfail ("key %s: hivex_node_values: %s", k->path, strerror (errno)); continue; }
    size_t got = 0;
    while (vh[got]) got++;
    if (got != nv) vfail ("key %s: %zu values, expected %zu", k->path, got, nv);
    for (size_t i = 0; i < nv && i < got; i++) {
      const uint8_t *vk = b + vh[i];
      /* Raw name as stored. */
      buf nb = { 0 };
      int latin;
      if (k->filler) {
        char nm[32];
        filler_name (k->fill_first + i, nm);
        buf_put (&nb, nm, strlen (nm));
        latin = 1;
      } else {
        name_bytes (&k->v[i], &nb);
        latin = value_enc (&k->v[i]) == ENC_LATIN1;
      }
      if (rd16 (vk + 6) != nb.n || (nb.n && memcmp (vk + 24, nb.p, nb.n) != 0))
        vfail ("key %s value #%zu: stored name bytes differ", k->path, i);
      if ((rd16 (vk + 20) & 1) != (latin ? 1 : 0))
        vfail ("key %s value #%zu: name flag says %s", k->path, i, latin ? "UTF-16" : "Latin-1");
      if (!k->filler && !needs_patch (&k->v[i])) {
        char *want = ustr_to_utf8 (&k->v[i].name), *have = hivex_value_key (h, vh[i]);
        if (!have || strcmp (want, have) != 0) {
          char *show = ustr_show (&k->v[i].name);
          vfail ("key %s value #%zu \"%s\": hivex_value_key differs", k->path, i, show);
          free (show);
        }
        free (want);
        free (have);
      }
      free (nb.p);
      /* Type and data. */
      uint8_t *want;
      size_t wn;
      int own;
      expected_data (k, i, &want, &wn, &own);
      hive_type t;
      size_t len;
      char *data = hivex_value_value (h, vh[i], &t, &len);
      uint32_t wt = k->filler ? 3 : k->v[i].type;
      if (!data) vfail ("key %s value #%zu: hivex_value_value: %s", k->path, i, strerror (errno));
      else {
        if ((uint32_t) t != wt) vfail ("key %s value #%zu: type %u, expected %" PRIu32, k->path, i, (unsigned) t, wt);
        if (len != wn || (wn && memcmp (data, want, wn) != 0))
          vfail ("key %s value #%zu: data differs (%zu bytes, expected %zu)", k->path, i, len, wn);
      }
      if ((rd32 (vk + 8) & 0x7FFFFFFFu) != wn)
        vfail ("key %s value #%zu: raw data length differs", k->path, i);
      if (!k->filler && wn > SEG_MAX) {
        size_t c = rd32 (vk + 12) + 4096u;
        int db = c + 6 <= m.n && b[c + 4] == 'd' && b[c + 5] == 'b';
        if (db != is_db (d, &k->v[i]))
          vfail ("key %s value #%zu: big data stored %s", k->path, i, db ? "as db" : "in one cell");
      }
      free (data);
      if (own) free (want);
    }
    free (vh);
  }
  free (node);
  free (nchild);
  hivex_close (h);
out:
  unmap_file (&m, path, 0);
  if (g_vfail)
    die ("%s does not match %s", path, d->file);
}

/* ------------------------------------------------------------------ main */

static void
free_desc (struct desc *d)
{
  for (size_t k = 0; k < d->nkeys; k++) {
    for (size_t v = 0; v < d->keys[k].nv; v++) {
      free (d->keys[k].v[v].name.u);
      free (d->keys[k].v[v].data.p);
    }
    free (d->keys[k].v);
    free (d->keys[k].name);
    free (d->keys[k].path);
  }
  free (d->keys);
  free (d->dmg);
  free (d->ename.u);
  free (d->root_name.u);
}

static void
usage (void)
{
  fprintf (stderr,
           "usage: %s [-v] DESC OUT      build the hive described by DESC into OUT\n"
           "       %s --check DESC HIVE  verify HIVE against DESC\n"
           "The description language: testdata/README.md\n", g_prog, g_prog);
  exit (1);
}

int
main (int argc, char **argv)
{
  int verbose = 0, check = 0;
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp (argv[i], "-v") == 0) verbose = 1;
    else if (strcmp (argv[i], "--check") == 0) check = 1;
    else if (strcmp (argv[i], "--") == 0) { i++; break; }
    else usage ();
  }
  if (argc - i != 2) usage ();
  const char *descf = argv[i], *out = argv[i + 1];

  double t0 = now_s ();
  struct desc d;
  parse_desc (&d, descf);
  g_file = NULL;

  if (check) {
    if (d.ndmg)
      die ("%s: --check cannot compare a hive damaged on purpose (damage lines)", descf);
    verify (&d, out);
    free_desc (&d);
    return 0;
  }

  signal (SIGINT, on_signal);
  signal (SIGTERM, on_signal);
  signal (SIGHUP, on_signal);

  build_with_hivex (&d, out, verbose);
  double t1 = now_s ();

  struct map m;
  map_file (&m, g_tmp_out, 1);
  patch_hive (&d, m.p, m.n, out);
  size_t size = m.n;
  unmap_file (&m, g_tmp_out, 1);
  double t2 = now_s ();

  verify (&d, g_tmp_out);
  if (d.ndmg) {
    g_file = descf;
    map_file (&m, g_tmp_out, 1);
    apply_damage (&d, m.p, m.n, out);
    unmap_file (&m, g_tmp_out, 1);
    g_file = NULL;
  }
  double t3 = now_s ();

  mode_t um = umask (0);
  umask (um);
  if (chmod (g_tmp_out, 0666 & ~um) < 0) die ("%s: chmod: %s", g_tmp_out, strerror (errno));
  if (rename (g_tmp_out, out) < 0) die ("cannot rename %s to %s: %s", g_tmp_out, out, strerror (errno));
  g_tmp_out[0] = 0;
  {
    char dir[PATH_MAX];
    const char *slash = strrchr (out, '/');
    if (slash) snprintf (dir, sizeof dir, "%.*s", (int) (slash - out + (slash == out)), out);
    else strcpy (dir, ".");
    int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) { fsync (dfd); close (dfd); }
  }
  if (verbose)
    fprintf (stderr, "%s: %zu bytes; parse+hivex+commit %.3f s, patch %.3f s, verify %.3f s, total %.3f s\n",
             out, size, t1 - t0, t2 - t1, t3 - t2, now_s () - t0);

  free_desc (&d);
  return 0;
}
