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
#include "mkhive.h"

/* ------------------------------------------------------------ utilities */

const char *g_prog = "mkhive";
const char *g_file;          /* description being parsed */
int g_line;                  /* current line, 0 outside parsing */

/* Temp files to remove on failure (paths are fixed-size so the signal
 * handler can unlink them without allocating). */
char g_tmp_out[PATH_MAX + 64];
char g_tmp_seed[PATH_MAX + 64];

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

void
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

void *
xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);
  if (!p) die ("out of memory");
  return p;
}

void *
xcalloc (size_t n, size_t m)
{
  void *p = calloc (n ? n : 1, m ? m : 1);
  if (!p) die ("out of memory");
  return p;
}

void *
xrealloc (void *p, size_t n)
{
  p = realloc (p, n ? n : 1);
  if (!p) die ("out of memory");
  return p;
}

char *
xstrdup (const char *s)
{
  size_t n = strlen (s) + 1;
  char *p = xmalloc (n);
  memcpy (p, s, n);
  return p;
}


void
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

void
buf_byte (buf *b, uint8_t c)
{
  buf_put (b, &c, 1);
}

void
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

void
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
int
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
char *
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
char *
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
void
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

/* Filler value i: name ValueNNNNNN, REG_BINARY of SIZE pseudo-random bytes. */
void
filler_name (uint64_t i, char out[32])
{
  snprintf (out, 32, "Value%06" PRIu64, i);
}

void
filler_data (uint64_t i, uint8_t *p, size_t n)
{
  prng_fill (p, n, 0xF111E4000000u + i);
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
