/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How a parsed volume spec (spec.c) finds its unique ID in a transaction's
 * value list, and the closest volumes for a spec that names none: the
 * edit layer's side of specs. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "spec.h"

#define DOS_PREFIX "\\DosDevices\\"   /* 12 units */
#define VOL_PREFIX "\\??\\Volume{"    /* 11 units */

/* ---- resolving against a value list ------------------------------------------- */


/* What *id points at for empty data (never NULL on success). */
static const uint8_t empty_id[1];

/* "\??\Volume{" exactly, then a GUID equal to g (hex in any case), "}". */
static int
is_volume_name_of (const uint16_t *u, size_t n, const uint8_t g[16])
{
  uint8_t h[16];
  if (n != 48 || u[47] != '}')
    return 0;
  if (!md_units_eq (u, 11, VOL_PREFIX, 0))
    return 0;
  return md_guid_parse16 (u + 11, 36, h, NULL) == 0 && memcmp (h, g, 16) == 0;
}

static int
resolve_letter (const mountdb_spec *sp, const struct md_val *vals,
                size_t nvals, const uint8_t **id, size_t *len,
                mountdb_error *err)
{
  char name[16];
  snprintf (name, sizeof name, DOS_PREFIX "%c:", sp->letter);
  const struct md_val *other_type = NULL, *variant = NULL;
  for (size_t i = 0; i < nvals; i++)
    {
      const struct md_val *v = &vals[i];
      if (md_units_eq (v->name16, v->n16, name, 0))
        {
          if (v->type == MOUNTDB_REG_BINARY)
            {
              *id = v->data ? v->data : empty_id;
              *len = v->len;
              return 0;
            }
          if (other_type == NULL)
            other_type = v;
        }
      else if (variant == NULL && md_units_eq (v->name16, v->n16, name,
                                                MD_EQ_FOLD))
        variant = v;
    }
  if (other_type != NULL)
    return md_spec_error (err, MOUNTDB_E_NOMATCH, sp->text, strlen (sp->text),
                       "no drive letter %c: in MountedDevices (%s is of type "
                       "%u, not REG_BINARY: the mount manager ignores it)",
                       sp->letter, name, (unsigned) other_type->type);
  if (variant != NULL)
    return md_spec_error (err, MOUNTDB_E_NOMATCH, sp->text, strlen (sp->text),
                       "no drive letter %c: in MountedDevices (a name that "
                       "differs in case is no drive letter to Windows, H8)",
                       sp->letter);
  return md_spec_error (err, MOUNTDB_E_NOMATCH, sp->text, strlen (sp->text),
                     "no drive letter %c: in MountedDevices", sp->letter);
}

static int
resolve_volume (const mountdb_spec *sp, const struct md_val *vals,
                size_t nvals, const uint8_t **id, size_t *len,
                mountdb_error *err)
{
  int other_type = 0;
  for (size_t i = 0; i < nvals; i++)
    {
      const struct md_val *v = &vals[i];
      if (!is_volume_name_of (v->name16, v->n16, sp->guid))
        continue;
      if (v->type == MOUNTDB_REG_BINARY)
        {
          *id = v->data ? v->data : empty_id;
          *len = v->len;
          return 0;
        }
      other_type = 1;
    }
  return md_spec_error (err, MOUNTDB_E_NOMATCH, sp->text, strlen (sp->text),
                     "no such volume GUID name \\??\\Volume{%s} in "
                     "MountedDevices%s", sp->guid_text,
                     other_type ? " (only a value that is not REG_BINARY, "
                                  "which the mount manager ignores)" : "");
}

/* "1MiB": the largest binary unit that divides v, in spec syntax. */
static void
format_offset (uint64_t v, char out[32])
{
  static const char *const units[] = { "TiB", "GiB", "MiB", "KiB" };
  for (int i = 0; i < 4 && v != 0; i++)
    {
      uint64_t unit = (uint64_t) 1 << (40 - 10 * i);
      if (v % unit == 0)
        {
          snprintf (out, 32, "%llu%s", (unsigned long long) (v / unit),
                    units[i]);
          return;
        }
    }
  snprintf (out, 32, "%llu", (unsigned long long) v);
}

static int
cmp_u64 (const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
  return x < y ? -1 : x > y;
}

static int
resolve_mbr_disk (const mountdb_spec *sp, const struct md_val *vals,
                  size_t nvals, const uint8_t **id, size_t *len,
                  mountdb_error *err)
{
  const struct md_val *first = NULL;
  size_t distinct = 0;
  uint64_t *offs = NULL;

  /* Distinct IDs are distinct offsets: the signature is fixed. */
  for (size_t i = 0; i < nvals; i++)
    {
      const struct md_val *v = &vals[i];
      if (v->type != MOUNTDB_REG_BINARY || v->len != 12 || v->data == NULL
          || md_le32 (v->data) != sp->signature)
        continue;
      uint64_t off = md_le64 (v->data + 4);
      size_t k;
      for (k = 0; k < distinct && offs[k] != off; k++)
        ;
      if (k < distinct)
        continue;
      uint64_t *grown = realloc (offs, (distinct + 1) * sizeof *offs);
      if (grown == NULL)
        {
          free (offs);
          return md_spec_error (err, MOUNTDB_E_NOMEM, sp->text,
                             strlen (sp->text), "out of memory");
        }
      offs = grown;
      offs[distinct++] = off;
      if (first == NULL)
        first = v;
    }

  if (distinct == 1)
    {
      free (offs);
      *id = first->data;
      *len = first->len;
      return 0;
    }
  if (distinct == 0)
    return md_spec_error (err, MOUNTDB_E_NOMATCH, sp->text, strlen (sp->text),
                       "no partition of MBR disk %08X in MountedDevices",
                       (unsigned) sp->signature);

  qsort (offs, distinct, sizeof *offs, cmp_u64);
  char list[700];
  size_t at = 0;
  list[0] = '\0';
  for (size_t k = 0; k < distinct; k++)
    {
      char one[32];
      format_offset (offs[k], one);
      size_t need = strlen (one) + 2;
      if (at + need + 8 >= sizeof list)
        {
          snprintf (list + at, sizeof list - at, ", ...");
          break;
        }
      at += (size_t) snprintf (list + at, sizeof list - at, "%s%s",
                               k ? ", " : "", one);
    }
  free (offs);
  return md_spec_error (err, MOUNTDB_E_AMBIGUOUS, sp->text, strlen (sp->text),
                     "MBR disk %08X has %zu partitions in MountedDevices, "
                     "at offsets %s: name one as mbr:%08x:OFFSET",
                     (unsigned) sp->signature, distinct, list,
                     (unsigned) sp->signature);
}

/* disk:PATH:N: the ID partition N of the disk gets, read once (the disk
 * is opened read-only, F1) and cached in the spec, so a plan or a
 * transaction that resolves the spec again does not read the disk again.
 * The spec is const to its users: the cache is the one thing resolving
 * adds to it, and it always holds the same bytes. */
static int
resolve_disk (const mountdb_spec *sp, const uint8_t **id, size_t *len,
              mountdb_error *err)
{
  mountdb_spec *cache = (mountdb_spec *) sp;
  size_t tn = strlen (sp->text);
  if (sp->disk_id == NULL)
    {
      mountdb_disk *d;
      mountdb_error e;
      memset (&e, 0, sizeof e);
      int rc = mountdb_disk_open (sp->disk_path, 0, &d, &e);
      if (rc < 0)
        return md_spec_error (err, rc, sp->text, tn, "cannot read the disk: "
                              "%s", e.message);
      const mountdb_partition *p = NULL;
      char have[160];
      size_t at = 0;
      have[0] = '\0';
      for (size_t i = 0; i < mountdb_disk_partition_count (d); i++)
        {
          const mountdb_partition *q = mountdb_disk_partition_get (d, i);
          if (mountdb_partition_number (q) == sp->partition)
            p = q;
          int w = snprintf (have + at, sizeof have - at, "%s%u", i ? ", " : "",
                            mountdb_partition_number (q));
          if (w > 0 && (size_t) w < sizeof have - at)
            at += (size_t) w;
        }
      if (p == NULL)
        {
          rc = md_spec_error (err, MOUNTDB_E_NOMATCH, sp->text, tn,
                              "%s has no partition %u (%s%s%s)",
                              sp->disk_path, sp->partition,
                              at ? "it has " : "it has none: table ",
                              at ? have
                                 : mountdb_table_name (mountdb_disk_table (d)),
                              at ? "" : "");
          mountdb_disk_close (d);
          return rc;
        }
      size_t l = 0;
      const uint8_t *u = mountdb_partition_unique_id (p, &l);
      if (u == NULL || l == 0)
        {
          const char *tname = mountdb_partition_type_name (p);
          rc = md_spec_error (err, MOUNTDB_E_REFUSED, sp->text, tn,
                              "partition %u of %s (%s%s) gets no Windows "
                              "unique ID: MSR, extended and dynamic (LDM) "
                              "partitions are no volumes the mount manager "
                              "names", sp->partition, sp->disk_path,
                              tname ? tname : "type unknown",
                              mountdb_disk_table (d) == MOUNTDB_TABLE_DYNAMIC
                              ? ", dynamic disk" : "");
          mountdb_disk_close (d);
          return rc;
        }
      if ((cache->disk_id = malloc (l)) == NULL)
        {
          mountdb_disk_close (d);
          return md_spec_error (err, MOUNTDB_E_NOMEM, sp->text, tn,
                                "out of memory");
        }
      memcpy (cache->disk_id, u, l);
      cache->disk_idlen = l;
      mountdb_disk_close (d);
    }
  *id = sp->disk_id;
  *len = sp->disk_idlen;
  return 0;
}

int
md_spec_resolve (const mountdb_spec *spec, const struct md_val *vals,
                 size_t nvals, const uint8_t **id, size_t *len,
                 mountdb_error *err)
{
  if (spec == NULL || id == NULL || len == NULL || (vals == NULL && nvals))
    return md_spec_error (err, MOUNTDB_E_INVAL, "", 0, "bad arguments");
  *id = NULL;
  *len = 0;
  switch (spec->kind)
    {
    case MOUNTDB_SPEC_LETTER:
      return resolve_letter (spec, vals, nvals, id, len, err);
    case MOUNTDB_SPEC_VOLUME_GUID:
      return resolve_volume (spec, vals, nvals, id, len, err);
    case MOUNTDB_SPEC_MBR:
      if (!spec->has_offset)
        return resolve_mbr_disk (spec, vals, nvals, id, len, err);
      /* fall through */
    case MOUNTDB_SPEC_GPT:
    case MOUNTDB_SPEC_HEX:
      /* The ID itself: present in the hive or not (pre-seeding, W8). */
      *id = spec->id;
      *len = spec->idlen;
      return 0;
    case MOUNTDB_SPEC_DISK:
      return resolve_disk (spec, id, len, err);
    default:
      return md_spec_error (err, MOUNTDB_E_INVAL, spec->text,
                         strlen (spec->text), "unknown spec kind");
    }
}

/* ---- the closest volumes, for a spec that names none -------------------------- */

/* An ID in spec syntax, as a user would type it: mbr:SIG:OFFSET (no
 * leading zeros), gpt:GUID, or hex:BYTES (cut after 40 bytes). */
static void
id_text (const uint8_t *id, size_t len, char out[128])
{
  if (len == 12)
    {
      char off[32];
      format_offset (md_le64 (id + 4), off);
      snprintf (out, 128, "mbr:%x:%s", (unsigned) md_le32 (id), off);
      return;
    }
  if (len == DMIO_PREFIX_LEN + 16 && memcmp (id, DMIO_PREFIX, DMIO_PREFIX_LEN) == 0)
    {
      char g[37];
      mountdb_guid_format (id + DMIO_PREFIX_LEN, g);
      snprintf (out, 128, "gpt:%s", g);
      return;
    }
  static const char hexd[] = "0123456789abcdef";
  size_t o = (size_t) snprintf (out, 128, "hex:");
  for (size_t i = 0; i < len && i < 40; i++)
    {
      out[o++] = hexd[id[i] >> 4];
      out[o++] = hexd[id[i] & 15];
    }
  if (len > 40)
    o += (size_t) snprintf (out + o, 128 - o, "...");
  out[o] = '\0';
}

/* Levenshtein distance (strings under 128 bytes). */
static size_t
edit_distance (const char *a, const char *b)
{
  size_t n = strlen (a), m = strlen (b), row[128];
  for (size_t j = 0; j <= m; j++)
    row[j] = j;
  for (size_t i = 1; i <= n; i++)
    {
      size_t diag = row[0];
      row[0] = i;
      for (size_t j = 1; j <= m; j++)
        {
          size_t up = row[j];
          size_t best = diag + (a[i - 1] != b[j - 1]);
          if (up + 1 < best)
            best = up + 1;
          if (row[j - 1] + 1 < best)
            best = row[j - 1] + 1;
          row[j] = best;
          diag = up;
        }
    }
  return row[m];
}

/* 0 MBR, 1 GPT/DMIO, 2 anything else: a typo keeps the shape. */
static int
id_kind (const uint8_t *id, size_t len)
{
  if (len == 12)
    return 0;
  if (len == DMIO_PREFIX_LEN + 16 && memcmp (id, DMIO_PREFIX, DMIO_PREFIX_LEN) == 0)
    return 1;
  return 2;
}

struct near { size_t score, at; };

static int
cmp_near (const void *x, const void *y)
{
  const struct near *a = x, *b = y;
  if (a->score != b->score)
    return a->score < b->score ? -1 : 1;
  return a->at < b->at ? -1 : a->at > b->at;
}

void
md_spec_closest (const uint8_t *id, size_t len, const struct md_val *vals,
                 size_t nvals, char *out, size_t size)
{
  char want[128], have[128];
  struct near *nr = malloc ((nvals ? nvals : 1) * sizeof *nr);
  size_t n = 0, o = 0;
  out[0] = '\0';
  if (nr == NULL)
    return;
  id_text (id, len, want);
  for (size_t i = 0; i < nvals; i++)
    {
      const struct md_val *v = &vals[i];
      if (v->type != MOUNTDB_REG_BINARY || v->len == 0)
        continue;
      size_t k;
      for (k = 0; k < i; k++)  /* one entry per volume: its first value */
        if (vals[k].type == MOUNTDB_REG_BINARY && vals[k].len == v->len
            && memcmp (vals[k].data, v->data, v->len) == 0)
          break;
      if (k < i)
        continue;
      id_text (v->data, v->len, have);
      nr[n].score = edit_distance (want, have)
                    + (id_kind (id, len) != id_kind (v->data, v->len)
                       ? 1000 : 0);
      nr[n++].at = i;
    }
  qsort (nr, n, sizeof *nr, cmp_near);
  for (size_t k = 0; k < n && k < 3 && o + 1 < size; k++)
    {
      const struct md_val *v = &vals[nr[k].at];
      char letter = 0;
      for (size_t i = 0; i < nvals && !letter; i++)
        if (vals[i].n16 == 14
            && md_units_eq (vals[i].name16, 12, DOS_PREFIX, 0)
            && vals[i].name16[13] == ':' && vals[i].len == v->len
            && vals[i].type == MOUNTDB_REG_BINARY
            && memcmp (vals[i].data, v->data, v->len) == 0)
          letter = (char) vals[i].name16[12];
      id_text (v->data, v->len, have);
      int w = letter ? snprintf (out + o, size - o, "%s%s (%c:)", k ? ", " : "",
                                 have, letter)
                     : snprintf (out + o, size - o, "%s%s", k ? ", " : "", have);
      if (w < 0 || (size_t) w >= size - o)
        break;
      o += (size_t) w;
    }
  free (nr);
}
