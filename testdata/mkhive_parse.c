/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkhive: parsing a description into struct desc. */
#include "mkhive.h"

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

void
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
