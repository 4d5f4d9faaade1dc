/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unique IDs against partition lists: pure functions over descriptions
 * (correlate.h).  Windows compares IDs by exact length and bytes
 * (section 3), so "present" is byte equality and nothing else. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "correlate.h"

static int
same_id (const struct md_part *p, const uint8_t *id, size_t len)
{
  return p->id != NULL && p->idlen == len && memcmp (p->id, id, len) == 0;
}

int
md_where (const struct md_part *parts, size_t nparts,
          const struct md_disk_desc *disks, size_t ndisks, int shape,
          const uint8_t *id, size_t len, size_t *at, size_t *count)
{
  *at = (size_t) -1;
  *count = 0;
  for (size_t i = 0; i < nparts; i++)
    if (same_id (&parts[i], id, len) && (*count)++ == 0)
      *at = i;
  if (*count > 0)
    return MD_PRESENT;
  switch (shape)
    {
    case MOUNTDB_SHAPE_MBR:
      /* A dynamic MBR disk keeps its signature, but its volumes are LDM's:
       * the table cannot say where they are. */
      for (size_t d = 0; d < ndisks; d++)
        if (disks[d].dynamic && len == 12
            && disks[d].signature == md_le32 (id))
          return MD_UNRESOLVED;
      return MD_ABSENT;
    case MOUNTDB_SHAPE_DMIO:
      /* The registry cannot tell a GPT partition GUID from an LDM volume
       * GUID (section 3): with a dynamic disk given, it may be on it. */
      for (size_t d = 0; d < ndisks; d++)
        if (disks[d].dynamic)
          return MD_UNRESOLVED;
      return MD_ABSENT;
    default:
      /* Device paths (USB sticks, CD-ROMs), Wine paths, FT and opaque
       * IDs: no partition table describes them. */
      return MD_UNRESOLVED;
    }
}

/* ---- remap tables ----------------------------------------------------------------- */

static int
serial_eq (const char *a, const char *b)
{
  return a != NULL && b != NULL && a[0] != '\0' && strcasecmp (a, b) == 0;
}

/* Candidates of old entry o in nw[]: count, first index. */
static size_t
candidates (const struct md_part *o, const struct md_part *nw, size_t nn,
            int mode, size_t *first, int *how)
{
  size_t c = 0;
  *first = (size_t) -1;
  for (size_t j = 0; j < nn; j++)
    if (same_id (&nw[j], o->id, o->idlen))
      {
        *first = j;
        *how = MD_HOW_SAME;
        return 1;
      }
#define CANDS(cond)                                                        \
  do {                                                                     \
    c = 0;                                                                 \
    for (size_t j = 0; j < nn; j++)                                        \
      if (nw[j].id != NULL && (cond) && c++ == 0)                          \
        *first = j;                                                        \
  } while (0)
  if (mode == MD_BY_OFFSET)
    {
      *how = MD_HOW_OFFSET;
      CANDS (nw[j].start == o->start);
      return c;
    }
  if (o->serial != NULL && o->serial[0] != '\0')
    {
      *how = MD_HOW_SERIAL_NUMBER;
      CANDS (serial_eq (nw[j].serial, o->serial) && nw[j].number == o->number);
      if (c == 0)
        {
          *how = MD_HOW_SERIAL;
          CANDS (serial_eq (nw[j].serial, o->serial));
        }
      return c;
    }
  *how = MD_HOW_NUMBER_START;
  CANDS (nw[j].number == o->number && nw[j].start == o->start);
#undef CANDS
  return c;
}

int
md_remap_derive (const struct md_part *old, size_t nold,
                 const struct md_part *nw, size_t nn, int mode,
                 struct md_remap_row *rows, size_t *nrows)
{
  size_t n = 0;
  int bad = 0;
  for (size_t i = 0; i < nold; i++)
    {
      if (old[i].id == NULL)
        continue;
      struct md_remap_row *r = &rows[n++];
      int how = MD_HOW_NONE;
      size_t first;
      r->old = i;
      r->candidates = candidates (&old[i], nw, nn, mode, &first, &how);
      r->new_at = r->candidates == 1 ? first : (size_t) -1;
      r->how = r->candidates == 1 ? how
               : r->candidates == 0 ? MD_HOW_NONE : MD_HOW_SEVERAL;
    }
  /* Two old volumes becoming one new one would merge their names: that
   * is no migration, refuse both. */
  for (size_t a = 0; a < n; a++)
    for (size_t b = a + 1; b < n; b++)
      if (rows[a].new_at != (size_t) -1 && rows[a].new_at == rows[b].new_at)
        rows[a].how = rows[b].how = MD_HOW_TAKEN;
  for (size_t a = 0; a < n; a++)
    bad += rows[a].how == MD_HOW_NONE || rows[a].how == MD_HOW_SEVERAL
           || rows[a].how == MD_HOW_TAKEN;
  *nrows = n;
  return bad;
}

/* The hive entries of disk sig (MBR IDs) into sub[], their hive indices
 * into map[].  Returns their count. */
static size_t
group_of (const struct md_part *hive, size_t nhive, uint32_t sig,
          struct md_part *sub, size_t *map)
{
  size_t k = 0;
  for (size_t i = 0; i < nhive; i++)
    if (hive[i].id != NULL && hive[i].idlen == 12
        && md_le32 (hive[i].id) == sig)
      {
        sub[k] = hive[i];
        map[k++] = i;
      }
  return k;
}

/* All of the group's IDs are IDs of the new layout: nothing to remap. */
static int
already_current (const struct md_part *sub, size_t k,
                 const struct md_part *nw, size_t nn)
{
  for (size_t i = 0; i < k; i++)
    {
      size_t j;
      for (j = 0; j < nn && !same_id (&nw[j], sub[i].id, sub[i].idlen); j++)
        ;
      if (j == nn)
        return 0;
    }
  return 1;
}

int
md_remap_from_hive (const struct md_part *hive, size_t nhive,
                    const struct md_part *nw, size_t nn, uint32_t only_sig,
                    struct md_remap_row *rows, size_t *nrows, uint32_t *sig,
                    uint32_t *sig2)
{
  struct md_part *sub = malloc ((nhive ? nhive : 1) * sizeof *sub);
  size_t *map = malloc ((nhive ? nhive : 1) * sizeof *map);
  struct md_remap_row *tmp = malloc ((nhive ? nhive : 1) * sizeof *tmp);
  int rc = MOUNTDB_E_NOMATCH;
  size_t full = 0, best_matched = 0;
  uint32_t best = 0;
  *nrows = 0;
  *sig = *sig2 = 0;
  if (sub == NULL || map == NULL || tmp == NULL)
    {
      rc = MOUNTDB_E_NOMEM;
      goto out;
    }
  for (size_t i = 0; i < nhive; i++)
    {
      if (hive[i].id == NULL || hive[i].idlen != 12)
        continue;
      uint32_t s = md_le32 (hive[i].id);
      size_t p;
      for (p = 0; p < i; p++)   /* each signature once, at its first ID */
        if (hive[p].id != NULL && hive[p].idlen == 12
            && md_le32 (hive[p].id) == s)
          break;
      if (p < i || (only_sig != 0 && s != only_sig))
        continue;
      size_t k = group_of (hive, nhive, s, sub, map);
      if (already_current (sub, k, nw, nn))
        continue;
      size_t nr;
      int bad = md_remap_derive (sub, k, nw, nn, MD_BY_OFFSET, tmp, &nr);
      if (bad < 0)
        {
          rc = bad;
          goto out;
        }
      if (bad == 0)
        {
          if (full++ == 0)
            *sig = s;
          else if (full == 2)
            *sig2 = s;
        }
      if (full == 0 && (best == 0 || nr - (size_t) bad > best_matched))
        {
          best = s;
          best_matched = nr - (size_t) bad;
          for (size_t r = 0; r < nr; r++)
            {
              rows[r] = tmp[r];
              rows[r].old = map[tmp[r].old];
            }
          *nrows = nr;
        }
    }
  if (full == 1)
    {
      /* Again for the rows of the group chosen. */
      size_t k = group_of (hive, nhive, *sig, sub, map);
      md_remap_derive (sub, k, nw, nn, MD_BY_OFFSET, rows, nrows);
      for (size_t r = 0; r < *nrows; r++)
        rows[r].old = map[rows[r].old];
      rc = 0;
    }
  else if (full > 1)
    {
      *nrows = 0;
      rc = MOUNTDB_E_AMBIGUOUS;
    }
  else
    *sig = best;
out:
  free (sub);
  free (map);
  free (tmp);
  return rc;
}
