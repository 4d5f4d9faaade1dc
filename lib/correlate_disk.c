/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The hive's volumes on opened disks (issue 13): descriptions of the
 * disks' partitions for the pure matching of correlate.c, the public
 * correlation (present / absent / unresolved per volume) and the remap
 * table derived from a new (and maybe an old) layout.  Only the disk
 * layer's public accessors are used: disks never depend on this. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate_disk.h"
#include "error.h"

/* ---- descriptions ---------------------------------------------------------------- */

void
md_disk_parts_free (struct md_disk_parts *dp)
{
  free (dp->parts);
  free (dp->disks);
  memset (dp, 0, sizeof *dp);
}

int
md_disk_parts_fill (const mountdb_disk *const *disks, size_t ndisks,
                    struct md_disk_parts *dp)
{
  size_t total = 0;
  memset (dp, 0, sizeof *dp);
  for (size_t d = 0; d < ndisks; d++)
    if (disks[d] != NULL)
      total += mountdb_disk_partition_count (disks[d]);
  dp->parts = calloc (total ? total : 1, sizeof *dp->parts);
  dp->disks = calloc (ndisks ? ndisks : 1, sizeof *dp->disks);
  if (dp->parts == NULL || dp->disks == NULL)
    {
      md_disk_parts_free (dp);
      return MOUNTDB_E_NOMEM;
    }
  dp->ndisks = ndisks;
  for (size_t d = 0; d < ndisks; d++)
    {
      const mountdb_disk *k = disks[d];
      if (k == NULL)             /* one that failed to open: no partitions */
        continue;
      dp->disks[d].dynamic = mountdb_disk_table (k) == MOUNTDB_TABLE_DYNAMIC;
      dp->disks[d].signature = mountdb_disk_signature (k);
      for (size_t i = 0; i < mountdb_disk_partition_count (k); i++)
        {
          const mountdb_partition *p = mountdb_disk_partition_get (k, i);
          struct md_part *q = &dp->parts[dp->nparts++];
          q->disk = d;
          q->number = mountdb_partition_number (p);
          q->start = mountdb_partition_start (p);
          q->size = mountdb_partition_size (p);
          q->signature = mountdb_disk_signature (k);
          q->gpt = mountdb_disk_table (k) == MOUNTDB_TABLE_GPT;
          q->attributes = mountdb_partition_attributes (p);
          q->fs = mountdb_partition_fs (p);
          q->serial = mountdb_partition_serial (p);
          q->id = mountdb_partition_unique_id (p, &q->idlen);
          if (q->id == NULL)
            q->idlen = 0;
          q->origin = p;
        }
    }
  return 0;
}

/* ---- correlation ---------------------------------------------------------------- */

struct mountdb_correlation {
  size_t n;
  int *status;
  const mountdb_partition **part;
  size_t *count;            /* partitions holding the ID (V12 when > 1) */
};

const char *
mountdb_disk_status_name (int status)
{
  switch (status)
    {
    case MOUNTDB_DISK_PRESENT: return "present";
    case MOUNTDB_DISK_ABSENT: return "absent";
    case MOUNTDB_DISK_UNRESOLVED: return "unresolved";
    default: return "unknown";
    }
}

int
mountdb_correlate (const mountdb *db, const mountdb_disk *const *disks,
                   size_t ndisks, mountdb_correlation **out,
                   mountdb_error *err)
{
  if (out != NULL)
    *out = NULL;
  if (db == NULL || out == NULL || (disks == NULL && ndisks))
    return md_error (err, MOUNTDB_E_INVAL, 0, NULL, "mountdb_correlate: bad arguments");
  struct md_disk_parts dp;
  if (md_disk_parts_fill (disks, ndisks, &dp) < 0)
    return md_error (err, MOUNTDB_E_NOMEM, 0, mountdb_path (db), "out of memory");
  size_t n = mountdb_volume_count (db);
  mountdb_correlation *c = calloc (1, sizeof *c);
  if (c != NULL)
    {
      c->n = n;
      c->status = calloc (n ? n : 1, sizeof *c->status);
      c->part = calloc (n ? n : 1, sizeof *c->part);
      c->count = calloc (n ? n : 1, sizeof *c->count);
    }
  if (c == NULL || c->status == NULL || c->part == NULL || c->count == NULL)
    {
      md_disk_parts_free (&dp);
      mountdb_correlation_free (c);
      return md_error (err, MOUNTDB_E_NOMEM, 0, mountdb_path (db), "out of memory");
    }
  for (size_t v = 0; v < n; v++)
    {
      const mountdb_volume *vol = mountdb_volume_get (db, v);
      size_t len, at;
      const uint8_t *id = mountdb_volume_data (vol, &len);
      c->status[v] = md_where (dp.parts, dp.nparts, dp.disks, dp.ndisks,
                               mountdb_uid_shape (mountdb_volume_uid (vol)),
                               id, len, &at, &c->count[v]);
      c->part[v] = at != (size_t) -1 ? dp.parts[at].origin : NULL;
    }
  md_disk_parts_free (&dp);
  *out = c;
  return 0;
}

void
mountdb_correlation_free (mountdb_correlation *c)
{
  if (c == NULL)
    return;
  free (c->status);
  free (c->part);
  free (c->count);
  free (c);
}

int
mountdb_correlation_status (const mountdb_correlation *c, size_t volume)
{
  return c != NULL && volume < c->n ? c->status[volume] : MOUNTDB_E_INVAL;
}

const mountdb_partition *
mountdb_correlation_partition (const mountdb_correlation *c, size_t volume)
{
  return c != NULL && volume < c->n ? c->part[volume] : NULL;
}

size_t
md_correlation_holders (const mountdb_correlation *c, size_t volume)
{
  return c != NULL && volume < c->n ? c->count[volume] : 0;
}

/* ---- remap tables ----------------------------------------------------------------- */

struct row {
  mountdb_remap_row pub;
  char why[256];
};

struct mountdb_remap_table {
  struct row *rows;
  size_t n;
};

/* An ID as a spec, for messages: mbr:SIG:OFFSET, gpt:GUID, hex:... */
void
md_id_spec_text (const uint8_t *id, size_t len, char out[96])
{
  if (len == 12)
    {
      snprintf (out, 96, "mbr:%08x:%llu", (unsigned) md_le32 (id),
                (unsigned long long) md_le64 (id + 4));
      return;
    }
  if (len == 24 && memcmp (id, "DMIO:ID:", 8) == 0)
    {
      char g[37];
      mountdb_guid_format (id + 8, g);
      snprintf (out, 96, "gpt:%s", g);
      return;
    }
  size_t o = (size_t) snprintf (out, 96, "hex:");
  for (size_t i = 0; i < len && o + 6 < 96; i++)
    o += (size_t) snprintf (out + o, 96 - o, "%02x", id[i]);
}

/* " (C:)" when a drive letter of the hive holds id, else "". */
static void
letter_of (const mountdb *db, const uint8_t *id, size_t len, char out[8])
{
  out[0] = '\0';
  for (size_t i = 0; i < mountdb_entry_count (db); i++)
    {
      const mountdb_entry *e = mountdb_entry_get (db, i);
      size_t l;
      const uint8_t *d = mountdb_entry_data (e, &l);
      if (mountdb_entry_class (e) == MOUNTDB_CLASS_DRIVE_LETTER
          && mountdb_entry_type (e) == MOUNTDB_REG_BINARY && l == len
          && d != NULL && memcmp (d, id, len) == 0)
        {
          snprintf (out, 8, " (%c:)", mountdb_entry_letter (e));
          return;
        }
    }
}

static void
explain (struct row *r, const struct md_remap_row *mr,
         const struct md_part *o, const struct md_part *nw,
         const char *newpath, int from_disk)
{
  const struct md_part *p = mr->new_at != (size_t) -1 ? &nw[mr->new_at] : NULL;
  const char *conv = p && p->gpt && o->idlen == 12
                     ? "MBR->GPT conversion in place"
                     : "clone or new disk signature";
  switch (mr->how)
    {
    case MD_HOW_SAME:
      snprintf (r->why, sizeof r->why, "partition %u of %s has this ID "
                "already: unchanged", p->number, newpath);
      break;
    case MD_HOW_OFFSET:
      snprintf (r->why, sizeof r->why, "partition %u of %s starts at the "
                "same offset, %llu bytes (%s)", p->number, newpath,
                (unsigned long long) p->start, conv);
      break;
    case MD_HOW_SERIAL_NUMBER:
      snprintf (r->why, sizeof r->why, "partition %u on both disks, same "
                "filesystem serial %s", p->number, p->serial);
      break;
    case MD_HOW_SERIAL:
      snprintf (r->why, sizeof r->why, "same filesystem serial %s (partition "
                "%u of the old disk is %u of %s)", p->serial, o->number,
                p->number, newpath);
      break;
    case MD_HOW_NUMBER_START:
      snprintf (r->why, sizeof r->why, "partition %u at the same start, %llu "
                "bytes (no filesystem serial to compare)", p->number,
                (unsigned long long) p->start);
      break;
    case MD_HOW_SEVERAL:
      snprintf (r->why, sizeof r->why, "%zu partitions of %s qualify",
                mr->candidates, newpath);
      break;
    case MD_HOW_TAKEN:
      snprintf (r->why, sizeof r->why, "its match is another old volume's "
                "match too");
      break;
    default:
      if (!from_disk)
        snprintf (r->why, sizeof r->why, "no partition of %s with a Windows "
                  "ID starts at %llu bytes", newpath,
                  (unsigned long long) o->start);
      else if (o->serial != NULL && o->serial[0] != '\0')
        snprintf (r->why, sizeof r->why, "no partition of %s has filesystem "
                  "serial %s", newpath, o->serial);
      else
        snprintf (r->why, sizeof r->why, "no partition %u of %s at %llu bytes "
                  "(and no filesystem serial to compare)", o->number,
                  newpath, (unsigned long long) o->start);
    }
}

/* The hive's volumes as old entries: MBR IDs (signature + start). */
static int
hive_parts (const mountdb *db, struct md_part **out, size_t *n)
{
  size_t nv = mountdb_volume_count (db);
  struct md_part *h = calloc (nv ? nv : 1, sizeof *h);
  if (h == NULL)
    return MOUNTDB_E_NOMEM;
  for (size_t v = 0; v < nv; v++)
    {
      const mountdb_volume *vol = mountdb_volume_get (db, v);
      const mountdb_uid *u = mountdb_volume_uid (vol);
      if (mountdb_uid_shape (u) != MOUNTDB_SHAPE_MBR)
        continue;
      h[v].id = mountdb_volume_data (vol, &h[v].idlen);
      h[v].signature = mountdb_uid_disk_signature (u);
      h[v].start = mountdb_uid_partition_offset (u);
    }
  *out = h;
  *n = nv;
  return 0;
}

/* The old disk's partitions whose ID the hive holds. */
static int
old_disk_parts (const mountdb *db, const struct md_disk_parts *od,
                struct md_part **out, size_t *n)
{
  struct md_part *h = calloc (od->nparts ? od->nparts : 1, sizeof *h);
  size_t k = 0;
  if (h == NULL)
    return MOUNTDB_E_NOMEM;
  for (size_t i = 0; i < od->nparts; i++)
    {
      const struct md_part *p = &od->parts[i];
      if (p->id == NULL)
        continue;
      for (size_t v = 0; v < mountdb_volume_count (db); v++)
        {
          size_t len;
          const uint8_t *d = mountdb_volume_data (mountdb_volume_get (db, v),
                                                  &len);
          if (len == p->idlen && d != NULL && memcmp (d, p->id, len) == 0)
            {
              h[k++] = *p;
              break;
            }
        }
    }
  *out = h;
  *n = k;
  return 0;
}

/* The hive already holds some ID of the new layout. */
static int
hive_holds_any (const mountdb *db, const struct md_disk_parts *nd)
{
  for (size_t i = 0; i < nd->nparts; i++)
    for (size_t v = 0; nd->parts[i].id != NULL
                       && v < mountdb_volume_count (db); v++)
      {
        size_t len;
        const uint8_t *d = mountdb_volume_data (mountdb_volume_get (db, v),
                                                &len);
        if (len == nd->parts[i].idlen && d != NULL
            && memcmp (d, nd->parts[i].id, len) == 0)
          return 1;
      }
  return 0;
}

int
mountdb_remap_derive (const mountdb *db, const mountdb_disk *to,
                      const mountdb_disk *from, uint32_t from_signature,
                      mountdb_remap_table **out, mountdb_error *err)
{
  if (out != NULL)
    *out = NULL;
  if (db == NULL || to == NULL || out == NULL)
    return md_error (err, MOUNTDB_E_INVAL, 0, NULL,
                     "mountdb_remap_derive: bad arguments");
  const char *newpath = mountdb_disk_path (to);
  struct md_disk_parts nd = { 0 }, od = { 0 };
  struct md_part *old = NULL;
  struct md_remap_row *mr = NULL;
  mountdb_remap_table *t = NULL;
  size_t nold = 0, nrows = 0;
  uint32_t sig = 0, sig2 = 0;
  int rc = md_disk_parts_fill (&to, 1, &nd);
  if (rc == 0 && from != NULL)
    rc = md_disk_parts_fill (&from, 1, &od);
  if (rc == 0)
    rc = from ? old_disk_parts (db, &od, &old, &nold)
              : hive_parts (db, &old, &nold);
  if (rc == 0 && ((mr = calloc (nold ? nold : 1, sizeof *mr)) == NULL
                  || (t = calloc (1, sizeof *t)) == NULL))
    rc = MOUNTDB_E_NOMEM;
  if (rc < 0)
    {
      rc = md_error (err, rc, 0, mountdb_path (db), "out of memory");
      goto out;
    }
  int bad = 0;
  if (from != NULL)
    {
      bad = md_remap_derive (old, nold, nd.parts, nd.nparts, MD_BY_SERIAL,
                             mr, &nrows);
      rc = bad < 0 ? bad : bad > 0 ? MOUNTDB_E_AMBIGUOUS
           : nrows == 0 ? MOUNTDB_E_NOMATCH : 0; /* nothing of OLD in the hive */
    }
  else
    rc = md_remap_from_hive (old, nold, nd.parts, nd.nparts, from_signature,
                             mr, &nrows, &sig, &sig2);
  if (rc == MOUNTDB_E_NOMEM)
    {
      rc = md_error (err, rc, 0, mountdb_path (db), "out of memory");
      goto out;
    }
  if ((t->rows = calloc (nrows ? nrows : 1, sizeof *t->rows)) == NULL)
    {
      rc = md_error (err, MOUNTDB_E_NOMEM, 0, mountdb_path (db), "out of memory");
      goto out;
    }
  t->n = nrows;
  const struct md_remap_row *first_bad = NULL;
  for (size_t i = 0; i < nrows; i++)
    {
      struct row *r = &t->rows[i];
      const struct md_part *o = &old[mr[i].old];
      const struct md_part *p = mr[i].new_at != (size_t) -1
                                ? &nd.parts[mr[i].new_at] : NULL;
      r->pub.old_id = o->id;
      r->pub.old_len = o->idlen;
      r->pub.candidates = mr[i].candidates;
      int ok = mr[i].how >= MD_HOW_SAME;
      if (ok)
        {
          r->pub.new_id = p->id;
          r->pub.new_len = p->idlen;
          r->pub.partition = p->origin;
        }
      r->pub.unchanged = mr[i].how == MD_HOW_SAME;
      explain (r, &mr[i], o, nd.parts, newpath, from != NULL);
      r->pub.why = r->why;
      if (!ok && first_bad == NULL)
        first_bad = &mr[i];
    }
  char a[96], b[8];
  if (rc == MOUNTDB_E_AMBIGUOUS && from == NULL)
    rc = md_error (err, rc, 0, newpath, "the hive's MBR disks %08X and "
                   "%08X both match its layout by offset: name the old one "
                   "with --from-disk OLD or --disk-signature OLD",
                   (unsigned) sig, (unsigned) sig2);
  else if (rc < 0 && first_bad != NULL)
    {
      const struct md_part *o = &old[first_bad->old];
      md_id_spec_text (o->id, o->idlen, a);
      letter_of (db, o->id, o->idlen, b);
      rc = md_error (err, first_bad->how == MD_HOW_NONE ? MOUNTDB_E_NOMATCH
                                                        : MOUNTDB_E_AMBIGUOUS, 0,
                     newpath, "old volume %s%s has %s: %s; nothing remapped",
                     a, b,
                     first_bad->how == MD_HOW_NONE ? "no candidate"
                     : first_bad->how == MD_HOW_SEVERAL ? "several candidates"
                     : "a candidate another old volume has too",
                     t->rows[first_bad - mr].why);
    }
  else if (rc < 0 && nrows == 0 && hive_holds_any (db, &nd))
    rc = 0;                    /* idempotent: already remapped */
  else if (rc < 0)
    rc = md_error (err, MOUNTDB_E_NOMATCH, 0, newpath, "%s",
                   from ? "no partition of the old disk has an ID the hive "
                          "holds"
                        : "the hive has no MBR volume left to match by "
                          "offset (already remapped? for GPT or moved "
                          "partitions give --from-disk OLD)");
out:
  md_disk_parts_free (&nd);
  md_disk_parts_free (&od);
  free (old);
  free (mr);
  *out = t;
  return rc;
}

size_t
mountdb_remap_row_count (const mountdb_remap_table *t)
{
  return t ? t->n : 0;
}

const mountdb_remap_row *
mountdb_remap_row_get (const mountdb_remap_table *t, size_t i)
{
  return t && i < t->n ? &t->rows[i].pub : NULL;
}

void
mountdb_remap_table_free (mountdb_remap_table *t)
{
  if (t == NULL)
    return;
  free (t->rows);
  free (t);
}
