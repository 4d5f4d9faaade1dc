/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The undo record of an in-place change (see undo.h). */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "undo.h"

#define S MD_UNDO_SECTOR

void
md_undo_init (md_undo *u, uint64_t len)
{
  memset (u, 0, sizeof *u);
  u->len = len;
  u->sorted = 1;
}

static int
reserve (md_undo *u, uint64_t more)
{
  if (u->mark == NULL) {
    uint64_t bytes = (u->len + S - 1) / S / 8 + 1;
    if (bytes > SIZE_MAX || (u->mark = calloc ((size_t) bytes, 1)) == NULL)
      return -1;
  }
  if (more <= u->cap - u->n)
    return 0;
  uint64_t want = (uint64_t) u->cap * 2;
  if (want < u->n + more)
    want = u->n + more;
  if (want < 16)
    want = 16;
  if (want > SIZE_MAX / S || want > SIZE_MAX / sizeof *u->recs)
    return -1;
  md_undo_rec *r = realloc (u->recs, (size_t) want * sizeof *r);
  if (r == NULL)
    return -1;
  u->recs = r;
  uint8_t *b = realloc (u->saved, (size_t) want * S);
  if (b == NULL)
    return -1;
  u->saved = b;
  u->cap = (size_t) want;
  return 0;
}

static int
marked (const md_undo *u, uint64_t s)
{
  return u->mark[s / 8] >> (s % 8) & 1;
}

int
md_undo_save (md_undo *u, const uint8_t *image, uint64_t off, uint64_t n)
{
  if (n == 0 || off >= u->len)
    return 0;
  uint64_t end = n > u->len - off ? u->len : off + n;
  uint64_t s0 = off / S, s1 = (end - 1) / S;
  uint64_t need = 0;
  if (u->mark != NULL) {
    for (uint64_t s = s0; s <= s1; s++)
      need += !marked (u, s);
    if (need == 0)
      return 0;
  } else
    need = s1 - s0 + 1;
  if (reserve (u, need) < 0)
    return -1;
  for (uint64_t s = s0; s <= s1; s++) {
    if (marked (u, s))
      continue;
    uint64_t at = s * S, take = u->len - at < S ? u->len - at : S;
    memcpy (u->saved + u->n * S, image + at, (size_t) take);
    if (u->n > 0 && u->recs[u->n - 1].sector > s)
      u->sorted = 0;
    u->recs[u->n].sector = s;
    u->recs[u->n].slot = u->n;
    u->n++;
    u->mark[s / 8] |= (uint8_t) (1u << (s % 8));
  }
  return 0;
}

static int
by_sector (const void *a, const void *b)
{
  uint64_t x = ((const md_undo_rec *) a)->sector;
  uint64_t y = ((const md_undo_rec *) b)->sector;
  return (x > y) - (x < y);
}

void
md_undo_sort (md_undo *u)
{
  if (!u->sorted && u->n > 1)
    qsort (u->recs, u->n, sizeof *u->recs, by_sector);
  u->sorted = 1;
}

/* Copy the saved bytes of rec r that fall in [off, off + n) into buf. */
static void
put_back (const md_undo *u, const md_undo_rec *r, uint8_t *buf, uint64_t off,
          uint64_t n)
{
  uint64_t lo = r->sector * S, hi = lo + S;
  if (hi > u->len)
    hi = u->len;
  if (lo < off)
    lo = off;
  if (hi > off + n)
    hi = off + n;
  if (lo < hi)
    memcpy (buf + (lo - off), u->saved + r->slot * S + (lo - r->sector * S),
            (size_t) (hi - lo));
}

void
md_undo_overlay (const md_undo *u, uint8_t *buf, uint64_t off, size_t n)
{
  if (n == 0 || u->n == 0)
    return;
  if (!u->sorted) {
    for (size_t i = 0; i < u->n; i++)
      put_back (u, &u->recs[i], buf, off, n);
    return;
  }
  /* First record whose sector ends past off. */
  size_t lo = 0, hi = u->n;
  uint64_t first = off / S;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (u->recs[mid].sector < first)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < u->n && u->recs[i].sector * S < off + n; i++)
    put_back (u, &u->recs[i], buf, off, n);
}

void
md_undo_rollback (md_undo *u, uint8_t *image)
{
  for (size_t i = 0; i < u->n; i++)
    put_back (u, &u->recs[i], image, 0, u->len);
  if (u->mark)
    memset (u->mark, 0, (size_t) ((u->len + S - 1) / S / 8 + 1));
  u->n = 0;
  u->sorted = 1;
}

void
md_undo_free (md_undo *u)
{
  free (u->recs);
  free (u->saved);
  free (u->mark);
  md_undo_init (u, u->len);
}
