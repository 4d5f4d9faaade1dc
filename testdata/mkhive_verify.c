/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkhive: damage on request and the verification of a hive against its description. */
#include "mkhive.h"

/* ---------------------------------------------------------------- verify */

/* The damage directives, on the built and verified hive. */
void
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
void
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
