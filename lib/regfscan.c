/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The writer's own look at the whole hive, without hivex (issue 10).
 *
 * Before a write: hivex_node_set_values frees the old value list, every vk
 * cell and every data cell of the key it rewrites.  A cell that another
 * key also uses then dangles (that key becomes unreadable), and a cell
 * freed twice (a value whose data is its own vk cell, two values on one
 * data cell) trips an assertion inside hivex and aborts the process.  So
 * every cell the write will free must be an allocated cell that the tree
 * reaches exactly once, and every name in the rewritten keys must be
 * readable exactly.
 *
 * Before and after a write: a SHA-256 of the whole tree (every key's name,
 * flags, LastWrite, class and security descriptor, every value's name,
 * type and data) except what the write is meant to change.  Equal digests
 * mean nothing else moved. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "digest.h"
#include "write.h"
#include "regf.h"

#define BIN0 MD_REGF_SIZE /* the first hive bin */
#define MAX_DEPTH 512        /* Windows allows 512 levels of keys */
#define SEG_MAX 16344u

/* A cell the tree references, and whether the write frees it. */
struct ref {
  uint32_t off;
  uint8_t freed;
};

struct scan {
  const uint8_t *b;
  size_t end;                /* of the hive bins, in the file */
  unsigned minor;
  uint8_t *used;             /* bitmap: allocated cell starts (by 8) */
  uint8_t *seen;             /* bitmap: nk cells already walked */
  struct ref *refs;
  size_t nrefs, crefs;
  md_digest *md;
  struct md_scan *s;
  int nomem, hash_err;
};

static int
problem (struct scan *c, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

static int
problem (struct scan *c, const char *fmt, ...)
{
  if (c->s->why[0] == '\0') {
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (c->s->why, sizeof c->s->why, fmt, ap);
    va_end (ap);
  }
  return -1;
}

static int bit (const uint8_t *m, size_t i) { return (m[i >> 3] >> (i & 7)) & 1; }
static void set_bit (uint8_t *m, size_t i) { m[i >> 3] |= (uint8_t) (1u << (i & 7)); }

/* The allocated cells, walked as hivex does when it opens a hive. */
static int
map_cells (struct scan *c)
{
  size_t nbits = c->end / 8 + 1;
  c->used = calloc (nbits / 8 + 1, 1);
  c->seen = calloc (nbits / 8 + 1, 1);
  if (c->used == NULL || c->seen == NULL)
    return c->nomem = 1, -1;
  for (size_t bin = BIN0; bin + MD_HBIN_HEADER <= c->end;) {
    const uint8_t *h = c->b + bin;
    size_t size = md_le32 (h + MD_HBIN_SIZE);
    if (memcmp (h + MD_HBIN_SIGNATURE, MD_HBIN_SIGNATURE_TEXT, 4) != 0
        || size < MD_HBIN_HEADER || size % MD_HBIN_ALIGN != 0
        || size > c->end - bin)
      return problem (c, "the hive bin at %zu is damaged", bin);
    for (size_t at = bin + MD_HBIN_HEADER; at < bin + size;) {
      int32_t raw = (int32_t) md_le32 (c->b + at);
      size_t len = raw < 0 ? (size_t) -(int64_t) raw : (size_t) raw;
      if (len < 8 || len % 8 != 0 || len > bin + size - at)
        return problem (c, "the cell at %zu is damaged", at);
      if (raw < 0)
        set_bit (c->used, at / 8);
      at += len;
    }
    bin += size;
  }
  return 0;
}

/* The cell at hive offset off: its body (after the size field) and body
 * length, or NULL when off is not an allocated cell. */
static const uint8_t *
cell (struct scan *c, uint32_t off, size_t *len)
{
  size_t at = (size_t) off + BIN0;
  if (off % 8 != 0 || at + 8 > c->end || !bit (c->used, at / 8))
    return NULL;
  *len = (size_t) -(int64_t) (int32_t) md_le32 (c->b + at) - 4;
  return c->b + at + 4;
}

static void
ref (struct scan *c, uint32_t off, int freed)
{
  if (c->nrefs == c->crefs) {
    size_t n = c->crefs ? 2 * c->crefs : 256;
    struct ref *r = realloc (c->refs, n * sizeof *r);
    if (r == NULL) {
      c->nomem = 1;
      return;
    }
    c->refs = r;
    c->crefs = n;
  }
  c->refs[c->nrefs++] = (struct ref) { off, (uint8_t) freed };
}

static void
hash (struct scan *c, const void *p, size_t n)
{
  if (md_digest_update (c->md, p, n) < 0)
    c->hash_err = 1;
}

/* A tag and a length before every field: no two trees hash alike. */
static void
field (struct scan *c, char tag, const void *p, size_t n)
{
  uint8_t h[5];
  h[0] = (uint8_t) tag;
  md_put_le32 (h + 1, (uint32_t) n);
  hash (c, h, 5);
  if (n)
    hash (c, p, n);
}

/* ASCII case-insensitive compare of a stored key or value name. */
static int
name_is (const uint8_t *p, size_t n, int latin1, const char *want)
{
  size_t w = strlen (want);
  if ((latin1 ? n : n / 2) != w || (!latin1 && n % 2))
    return 0;
  for (size_t i = 0; i < w; i++) {
    unsigned u = latin1 ? p[i] : md_le16 (p + 2 * i);
    unsigned a = u >= 'a' && u <= 'z' ? u - 32 : u;
    unsigned b = (unsigned char) want[i];
    b = b >= 'a' && b <= 'z' ? b - 32 : b;
    if (a != b)
      return 0;
  }
  return 1;
}

/* A value's data, hashed; its cells referenced (freed when the key is
 * rewritten).  Returns -1 when a value of a rewritten key cannot be read. */
static int
value_data (struct scan *c, const uint8_t *vk, int freed, int skip,
            const char *where, size_t i)
{
  uint32_t dlen = md_le32 (vk + MD_VK_DATA_LEN);
  uint32_t doff = md_le32 (vk + MD_VK_DATA_OFF);
  uint32_t len = dlen & 0x7FFFFFFFu;
  if (dlen & 0x80000000u) {   /* inline, in the offset field */
    if (!skip)
      field (c, 'i', vk + MD_VK_DATA_OFF, len <= 4 ? len : 4);
    return 0;
  }
  size_t cl;
  const uint8_t *d = cell (c, doff, &cl);
  if (d == NULL) {
    if (freed)
      return problem (c, "%s value %zu: its data offset %u is not an "
                      "allocated cell", where, i, doff);
    if (!skip)
      field (c, 'X', NULL, 0);
    return 0;
  }
  ref (c, doff, freed);
  if (len > SEG_MAX && c->minor >= 4 && cl >= 8 && d[0] == 'd' && d[1] == 'b') {
    size_t nseg = md_le16 (d + 2), ll;
    uint32_t loff = md_le32 (d + 4);
    const uint8_t *list = cell (c, loff, &ll);
    if (list == NULL || ll < 4 * nseg) {
      if (freed)
        return problem (c, "%s value %zu: its big data list is damaged",
                        where, i);
      return 0;
    }
    ref (c, loff, freed);
    size_t left = len;
    for (size_t k = 0; k < nseg; k++) {
      uint32_t so = md_le32 (list + 4 * k);
      size_t sl;
      const uint8_t *seg = cell (c, so, &sl);
      if (seg == NULL) {
        if (freed)
          return problem (c, "%s value %zu: big data segment %zu is not an "
                          "allocated cell", where, i, k);
        return 0;
      }
      ref (c, so, freed);
      size_t take = left < SEG_MAX ? left : SEG_MAX;
      if (take > sl)
        take = sl;
      if (!skip)
        field (c, 's', seg, take);
      left -= take;
    }
    return 0;
  }
  if (len > cl) {
    if (freed)
      return problem (c, "%s value %zu: %u bytes of data in a %zu-byte cell",
                      where, i, len, cl);
    len = (uint32_t) cl;
  }
  if (!skip)
    field (c, 'd', d, len);
  return 0;
}

/* The values of one key.  rewrite: the write replaces them (their cells
 * are freed; their names must be exact).  skip_all / skip_nam: left out
 * of the digest (all of them / NoAutoMount only). */
static int
values (struct scan *c, const uint8_t *nk, int rewrite, int skip_all,
        int skip_nam, const char *where)
{
  uint32_t nv = md_le32 (nk + MD_NK_VALUES);
  uint32_t loff = md_le32 (nk + MD_NK_VALUE_LIST);
  if (nv == 0)
    return 0;
  size_t ll;
  const uint8_t *list = cell (c, loff, &ll);
  if (list == NULL || ll / 4 < nv) {
    if (rewrite)
      return problem (c, "%s: its value list is damaged", where);
    field (c, 'L', NULL, 0);
    return 0;
  }
  ref (c, loff, rewrite);
  for (size_t i = 0; i < nv; i++) {
    uint32_t vo = md_le32 (list + 4 * i);
    size_t vl;
    const uint8_t *vk = cell (c, vo, &vl);
    if (vk == NULL || vl < MD_VK_NAME || vk[0] != 'v' || vk[1] != 'k') {
      if (rewrite)
        return problem (c, "%s value %zu: not an allocated vk cell", where, i);
      field (c, 'V', NULL, 0);
      continue;
    }
    ref (c, vo, rewrite);
    size_t nlen = md_le16 (vk + MD_VK_NAME_LEN);
    int latin1 = md_le16 (vk + MD_VK_FLAGS) & 1;
    if (nlen > vl - MD_VK_NAME) {
      if (rewrite)
        return problem (c, "%s value %zu: its name (%zu bytes) runs past its "
                        "cell (%zu bytes of name room)", where, i, nlen,
                        vl - MD_VK_NAME);
      nlen = vl - MD_VK_NAME;
    } else if (rewrite && !latin1 && nlen % 2)
      return problem (c, "%s value %zu: its UTF-16 name has an odd number "
                      "of bytes (%zu)", where, i, nlen);
    int skip = skip_all || (skip_nam && name_is (vk + MD_VK_NAME, nlen, latin1,
                                                 "NoAutoMount"));
    if (!skip) {
      uint8_t fl[6];
      fl[0] = (uint8_t) latin1;
      fl[1] = 0;
      memcpy (fl + 2, vk + MD_VK_TYPE, 4);
      field (c, 'v', vk + MD_VK_NAME, nlen);
      field (c, 't', fl, sizeof fl);
      field (c, 'l', vk + MD_VK_DATA_LEN, 4);
    }
    if (value_data (c, vk, rewrite, skip, where, i) < 0)
      return -1;
  }
  return 0;
}

static int walk (struct scan *c, uint32_t off, int depth, int role);

/* Roles of a key in the walk (what the write does to it). */
enum { R_PLAIN, R_ROOT, R_CS, R_SERVICES, R_MD, R_MM };

/* freed: adding a child (MountedDevices, mountmgr when missing) makes
 * hivex replace the parent's list. */
static int
subkeys (struct scan *c, uint32_t loff, int depth, int role, int level)
{
  size_t ll;
  const uint8_t *l = cell (c, loff, &ll);
  if (l == NULL || ll < 4) {
    field (c, 'S', NULL, 0);
    return 0;
  }
  ref (c, loff, (role == R_ROOT && c->s->free_md)
                || (role == R_SERVICES && c->s->free_mm));
  size_t n = md_le16 (l + 2);
  int ri = l[0] == 'r' && l[1] == 'i', li = l[0] == 'l' && l[1] == 'i';
  int lf = l[0] == 'l' && (l[1] == 'f' || l[1] == 'h');
  size_t step = lf ? 8 : 4;
  if ((!ri && !li && !lf) || (ri && level > 0) || n > (ll - 4) / step) {
    field (c, 'S', NULL, 0);
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    uint32_t o = md_le32 (l + 4 + step * i);
    int rc = ri ? subkeys (c, o, depth, role, level + 1)
                : walk (c, o, depth + 1, role);
    if (rc < 0)
      return rc;
  }
  return 0;
}

/* The role of a child of a key with role parent, from its name. */
static int
child_role (const struct scan *c, int parent, const uint8_t *name,
            size_t n, int latin1)
{
  char csname[32];
  switch (parent) {
  case R_ROOT:
    if (name_is (name, n, latin1, "MountedDevices"))
      return R_MD;
    if (c->s->control_set) {
      snprintf (csname, sizeof csname, "ControlSet%03u", c->s->control_set);
      if (name_is (name, n, latin1, csname))
        return R_CS;
    }
    return R_PLAIN;
  case R_CS:
    return name_is (name, n, latin1, "Services") ? R_SERVICES : R_PLAIN;
  case R_SERVICES:
    return name_is (name, n, latin1, "mountmgr") ? R_MM : R_PLAIN;
  default:
    return R_PLAIN;
  }
}

static int
walk (struct scan *c, uint32_t off, int depth, int parent_role)
{
  size_t nl;
  const uint8_t *nk = cell (c, off, &nl);
  if (nk == NULL || nl < MD_NK_NAME || nk[0] != 'n' || nk[1] != 'k') {
    field (c, 'K', NULL, 0);
    return 0;
  }
  size_t at = ((size_t) off + BIN0) / 8;
  if (bit (c->seen, at))
    return problem (c, "the key tree reaches the key cell at %u twice", off);
  if (depth > MAX_DEPTH)
    return problem (c, "keys nested deeper than %d levels", MAX_DEPTH);
  set_bit (c->seen, at);
  ref (c, off, 0);
  size_t namelen = md_le16 (nk + MD_NK_NAME_LEN);
  size_t classlen = md_le16 (nk + MD_NK_CLASS_LEN);
  int latin1 = (md_le16 (nk + MD_NK_FLAGS) & 0x20) != 0;
  if (namelen > nl - 76)
    namelen = nl - 76;
  const uint8_t *name = nk + MD_NK_NAME;
  int role = depth == 0 ? R_ROOT : child_role (c, parent_role, name, namelen,
                                               latin1);
  /* The rewritten keys: their own fields and values change (or they are
   * made); everything under them must not. */
  int md = role == R_MD, mm = role == R_MM && c->s->control_set;
  /* Made by the write when missing: only their subkeys count. */
  int mark = !(md || mm) || md_le32 (nk + MD_NK_SUBKEYS) > 0;
  if (mark) {
    field (c, 'k', name, namelen);
    field (c, 'p', &depth, sizeof depth);
  }
  if (!md && !mm) {
    field (c, 'f', nk + MD_NK_FLAGS, 2);
    field (c, 'w', nk + MD_NK_LAST_WRITTEN, 8);
    size_t cll;
    uint32_t clo = md_le32 (nk + MD_NK_CLASS);
    const uint8_t *cls = classlen ? cell (c, clo, &cll) : NULL;
    if (cls) {
      ref (c, clo, 0);
      field (c, 'c', cls, classlen <= cll ? classlen : cll);
    }
    size_t sl;
    uint32_t sko = md_le32 (nk + MD_NK_SECURITY);
    const uint8_t *sk = cell (c, sko, &sl);
    if (sk && sl >= 20 && sk[0] == 's' && sk[1] == 'k') {
      ref (c, sko, 0);
      size_t dl = md_le32 (sk + 16);
      field (c, 'x', sk + 20, dl <= sl - 20 ? dl : sl - 20);
    }
  }
  char where[64];
  snprintf (where, sizeof where, "%s", md ? "MountedDevices"
            : mm ? "mountmgr" : "a key");
  int rc = values (c, nk, (md && c->s->free_md) || (mm && c->s->free_mm),
                   md, mm, where);
  if (rc == 0 && md_le32 (nk + MD_NK_SUBKEYS) > 0)
    rc = subkeys (c, md_le32 (nk + MD_NK_SUBKEY_LIST), depth, role, 0);
  if (mark)
    field (c, 'e', NULL, 0);
  return rc;
}

static int
cmp_ref (const void *a, const void *b)
{
  const struct ref *x = a, *y = b;
  return x->off < y->off ? -1 : x->off > y->off;
}

/* Every freed cell is referenced once, and only by the rewritten key. */
static int
check_refs (struct scan *c)
{
  qsort (c->refs, c->nrefs, sizeof *c->refs, cmp_ref);
  for (size_t i = 0; i < c->nrefs;) {
    size_t j = i, freed = 0;
    while (j < c->nrefs && c->refs[j].off == c->refs[i].off)
      freed += c->refs[j++].freed;
    if (freed && j - i > 1)
      return problem (c, "the cell at hive offset 0x%x is used %zu times "
                      "(%s): rewriting the key would free it under the "
                      "other use", c->refs[i].off, j - i, freed == j - i
                      ? "within the key the write replaces"
                      : "by the key the write replaces and by another key");
    i = j;
  }
  return 0;
}

int
md_scan_hive (const uint8_t *b, size_t n, struct md_scan *s)
{
  s->why[0] = '\0';
  memset (s->digest, 0, sizeof s->digest);
  if (n < BIN0 + MD_HBIN_HEADER
      || memcmp (b + MD_REGF_SIGNATURE, MD_REGF_SIGNATURE_TEXT, 4) != 0) {
    snprintf (s->why, sizeof s->why, "no hive bins");
    return MOUNTDB_E_REFUSED;
  }
  struct scan c;
  memset (&c, 0, sizeof c);
  c.b = b;
  c.s = s;
  c.minor = md_le32 (b + MD_REGF_MINOR);
  uint64_t bins = md_le32 (b + MD_REGF_HBINS_SIZE);
  c.end = bins < n - BIN0 ? (size_t) bins + BIN0 : n;
  c.md = md_digest_new ();
  int rc = c.md == NULL ? MOUNTDB_E_CRYPTO : 0;
  if (rc == 0 && map_cells (&c) < 0)
    rc = MOUNTDB_E_REFUSED;
  if (rc == 0 && walk (&c, md_le32 (b + MD_REGF_ROOT_CELL), 0, R_ROOT) < 0)
    rc = MOUNTDB_E_REFUSED;
  if (rc == 0 && !c.nomem && check_refs (&c) < 0)
    rc = MOUNTDB_E_REFUSED;
  if (rc == 0 && (c.hash_err || md_digest_final_raw (c.md, s->digest) < 0))
    rc = MOUNTDB_E_CRYPTO;
  if (c.nomem)
    rc = MOUNTDB_E_NOMEM;
  md_digest_free (c.md);
  free (c.used);
  free (c.seen);
  free (c.refs);
  return rc;
}
