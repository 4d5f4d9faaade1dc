/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkhive: building the hive with hivex and patching what hivex cannot express. */
#include "mkhive.h"

/* ------------------------------------------------------ name encoding */

int
auto_enc (const ustr *s)
{
  if (s->n == 0) return ENC_UTF16;       /* hivex and Windows: flags 0 for the default value */
  for (size_t i = 0; i < s->n; i++)
    if (s->u[i] > 0xFF) return ENC_UTF16;
  return ENC_LATIN1;
}

int
value_enc (const struct value *v)
{
  return v->enc == ENC_AUTO ? auto_enc (&v->name) : v->enc;
}

/* Bytes stored in the vk cell for the name. */
void
name_bytes (const struct value *v, buf *out)
{
  if (value_enc (v) == ENC_LATIN1) {
    for (size_t i = 0; i < v->name.n; i++)
      buf_byte (out, (uint8_t) v->name.u[i]);
  } else
    put_units_le (out, &v->name);
}

/* Must the name be patched in after hivex wrote a placeholder? */
int
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

int
is_db (const struct desc *d, const struct value *v)
{
  return d->big_db && v->data.n > SEG_MAX;
}

/* ---------------------------------------------------------------- files */

void
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

void
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

void
unmap_file (struct map *m, const char *path, int sync)
{
  if (sync && msync (m->p, m->n, MS_SYNC) < 0) die ("%s: msync: %s", path, strerror (errno));
  munmap (m->p, m->n);
  if (sync && fsync (m->fd) < 0) die ("%s: fsync: %s", path, strerror (errno));
  close (m->fd);
}

/* ---------------------------------------------------------------- build */

double
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
void
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
void
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
