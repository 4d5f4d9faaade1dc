/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unique IDs (value data) of section 3, decoded into a shape, typed fields
 * and a one-line summary.  Windows compares IDs only as bytes; the decoding
 * is for people and for the checks of V4, so it never rejects an input:
 * whatever it cannot read is "opaque". */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uid.h"
#include "common/display.h"
#include "common/utf8.h"

#define SUMMARY_PIECE_MAX 80    /* code points of one ID-provided piece */

#define UID_SIZE(n) (offsetof (struct mountdb_uid, fields) \
                     + (n) * sizeof (uid_field))

/* An ID is decoded into scratch room on the stack: the ID with room for
 * every field, and a pool for its strings (those that fit; longer ones
 * are malloc'd).  Then the ID and all its strings are copied into one
 * exact block from the caller's allocator (malloc, or the handle's arena):
 * no allocation per string, no second copy through malloc (issue 10
 * item 8: a key of 100k values holds 100k IDs).  The decoders only ever
 * see the ID in scratch.room, so md_uid_add_* and md_uid_sb_finish find
 * the pool from it.  room comes last: the ID ends in a flexible array. */
#define POOL_SIZE 512
struct scratch {
  size_t used;
  char pool[POOL_SIZE];
  _Alignas (max_align_t) unsigned char room[UID_SIZE (MD_UID_MAX_FIELDS)];
};

static struct scratch *
scratch_of (mountdb_uid *uid)
{
  return (struct scratch *) (void *) ((unsigned char *) uid
                                      - offsetof (struct scratch, room));
}

static int
in_pool (mountdb_uid *uid, const char *s)
{
  struct scratch *sc = scratch_of (uid);
  return s >= sc->pool && s < sc->pool + POOL_SIZE;
}

/* A copy of s[0..n) and a NUL in the pool, or malloc'd; NULL when out
 * of memory. */
static char *
pool_copy (mountdb_uid *uid, const char *s, size_t n)
{
  struct scratch *sc = scratch_of (uid);
  char *p;
  if (n < POOL_SIZE - sc->used)
    {
      p = sc->pool + sc->used;
      sc->used += n + 1;
    }
  else if ((p = malloc (n + 1)) == NULL)
    return NULL;
  memcpy (p, s, n);
  p[n] = '\0';
  return p;
}

static void
str_free (mountdb_uid *uid, char *s)
{
  if (!in_pool (uid, s))
    free (s);
}

/* ---- fields ------------------------------------------------------------- */

static int
add_field (mountdb_uid *uid, const char *key, char *s)
{
  if (s == NULL)
    return MOUNTDB_E_NOMEM;
  if (uid->nfields >= MD_UID_MAX_FIELDS) /* cannot happen: fixed layouts */
    {
      str_free (uid, s);
      return MOUNTDB_E_INVAL;
    }
  uid_field *f = &uid->fields[uid->nfields++];
  f->key = key;
  f->kind = MOUNTDB_FIELD_STRING;
  f->str = s;
  f->num = 0;
  return 0;
}

/* Takes ownership of s; s == NULL means allocation failed. */
int
md_uid_add_str (mountdb_uid *uid, const char *key, char *s)
{
  return add_field (uid, key, s);
}

int
md_uid_add_strdup (mountdb_uid *uid, const char *key, const char *s)
{
  return add_field (uid, key, pool_copy (uid, s, strlen (s)));
}

int
md_uid_add_num (mountdb_uid *uid, const char *key, int kind, uint64_t v)
{
  if (uid->nfields >= MD_UID_MAX_FIELDS)
    return MOUNTDB_E_INVAL;
  uid_field *f = &uid->fields[uid->nfields++];
  f->key = key;
  f->kind = kind;
  f->str = NULL;
  f->num = v;
  return 0;
}

/* ---- summary text ------------------------------------------------------- */

/* Append the first n bytes of text that came from the ID (NUL-terminated
 * beyond them): at most SUMMARY_PIECE_MAX code points, unsafe characters
 * replaced by U+FFFD. */
void
md_uid_sb_user_n (struct md_sbuf *b, const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *) s;
  const unsigned char *end = p + n;
  size_t count = 0;
  while (p < end && *p != '\0')
    {
      if (count++ == SUMMARY_PIECE_MAX)
        {
          md_sb_puts (b, "\xE2\x80\xA6");  /* ellipsis */
          return;
        }
      size_t len;
      uint32_t c = md_utf8_next (p, &len);
      if (c == 0xFFFD || md_display_unsafe (c))
        md_sb_puts (b, "\xEF\xBF\xBD");
      else
        md_sb_putn (b, (const char *) p, len);
      p += len;
    }
}

void
md_uid_sb_user (struct md_sbuf *b, const char *s)
{
  md_uid_sb_user_n (b, s, strlen (s));
}

/* " label value" when the value is there. */
void
md_uid_sb_opt (struct md_sbuf *b, const char *label, const char *value)
{
  if (value == NULL)
    return;
  md_sb_puts (b, label);
  md_uid_sb_user (b, value);
}

int
md_uid_sb_finish (struct md_sbuf *b, mountdb_uid *uid)
{
  int r = b->err ? MOUNTDB_E_NOMEM : md_uid_set_summary (uid, md_sb_str (b), b->len);
  md_sb_free (b);
  return r;
}

int
md_uid_set_summary (mountdb_uid *uid, const char *s, size_t n)
{
  uid->summary = pool_copy (uid, s, n);
  return uid->summary ? 0 : MOUNTDB_E_NOMEM;
}

/* ---- empty, zero, opaque: what no format claims --------------------------- */

/* "empty id (0 bytes)", "all-zero id (16 bytes)", "opaque id (5 bytes)". */
static int
decode_length (mountdb_uid *uid, const uint8_t *d, size_t len)
{
  (void) d;
  int r = md_uid_add_num (uid, "length", MOUNTDB_FIELD_UINT, len);
  if (r < 0)
    return r;
  const char *what = len == 0 ? "empty id"
                     : uid->shape == MOUNTDB_SHAPE_ZERO ? "all-zero id"
                     : "opaque id";
  struct md_sbuf b = { 0 };
  md_sb_printf (&b, "%s (%zu byte%s)", what, len, len == 1 ? "" : "s");
  return md_uid_sb_finish (&b, uid);
}

static int
match_zero (const uint8_t *d, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if (d[i] != 0)
      return 0;
  return 1;
}

static const md_uid_format fmt_empty = {
  "opaque", MOUNTDB_SHAPE_OPAQUE, 0, NULL, decode_length
};
static const md_uid_format fmt_zero = {
  "zero", MOUNTDB_SHAPE_ZERO, MD_UID_ANY_LEN, match_zero, decode_length
};
static const md_uid_format fmt_opaque = {
  "opaque", MOUNTDB_SHAPE_OPAQUE, MD_UID_ANY_LEN, NULL, decode_length
};

/* ---- the table ------------------------------------------------------------ */

/* Order matters: lengths first (V4 shapes), content tests after; the
 * last entry takes anything. */
static const md_uid_format *const formats[] = {
  &fmt_empty, &fmt_zero, &md_uid_fmt_dmio, &md_uid_fmt_mbr, &md_uid_fmt_ft8,
  &md_uid_fmt_devpath, &md_uid_fmt_wine, &fmt_opaque,
};
#define NFORMATS (sizeof formats / sizeof formats[0])

static int
decode_into (mountdb_uid *uid, const uint8_t *d, size_t len)
{
  const md_uid_format *f = NULL;
  for (size_t i = 0; i < NFORMATS && f == NULL; i++)
    if ((formats[i]->len == MD_UID_ANY_LEN || formats[i]->len == len)
        && (formats[i]->match == NULL || formats[i]->match (d, len)))
      f = formats[i];           /* fmt_opaque takes anything */
  uid->shape = f->shape;
  return f->decode (uid, d, len);
}

/* ---- public API --------------------------------------------------------- */

static void *
alloc_malloc (void *ctx, size_t n)
{
  (void) ctx;
  return malloc (n);
}

/* The scratch's strings back to malloc (those not in the pool). */
static void
scratch_free (mountdb_uid *tmp)
{
  for (size_t i = 0; i < tmp->nfields; i++)
    if (tmp->fields[i].str != NULL)
      str_free (tmp, tmp->fields[i].str);
  if (tmp->summary != NULL)
    str_free (tmp, tmp->summary);
}

/* Decoded into scratch, then the ID and its strings into one block. */
static mountdb_uid *
decode_alloc (const void *data, size_t len,
              void *(*alloc) (void *ctx, size_t n), void *ctx)
{
  struct scratch sc;
  mountdb_uid *tmp = (mountdb_uid *) (void *) sc.room;
  memset (tmp, 0, UID_SIZE (0));
  sc.used = 0;
  if (data == NULL)
    len = 0;
  mountdb_uid *uid = NULL;
  if (decode_into (tmp, data, len) == 0)
    {
      size_t size = UID_SIZE (tmp->nfields), at = size;
      size_t sumlen = tmp->summary ? strlen (tmp->summary) + 1 : 0;
      size_t slen[MD_UID_MAX_FIELDS];
      size += sumlen;
      for (size_t i = 0; i < tmp->nfields; i++)
        size += slen[i] = tmp->fields[i].str ? strlen (tmp->fields[i].str) + 1 : 0;
      if ((uid = alloc (ctx, size)) != NULL)
        {
          char *p = (char *) uid;
          memcpy (uid, tmp, UID_SIZE (tmp->nfields));
          for (size_t i = 0; i < tmp->nfields; i++)
            if (tmp->fields[i].str != NULL)
              {
                uid->fields[i].str = memcpy (p + at, tmp->fields[i].str, slen[i]);
                at += slen[i];
              }
          if (tmp->summary != NULL)
            uid->summary = memcpy (p + at, tmp->summary, sumlen);
        }
    }
  scratch_free (tmp);
  return uid;
}

mountdb_uid *
mountdb_uid_decode (const void *data, size_t len)
{
  return decode_alloc (data, len, alloc_malloc, NULL);
}

/* Hook for the model (issue 10 item 8): the decoded ID and its strings in
 * one block from alloc (the handle's arena, freed with it; never pass the
 * result to mountdb_uid_free).  Three allocations per value were a third
 * of the memory of a key of 100k values. */
mountdb_uid *
md_uid_decode_with (const void *data, size_t len,
                    void *(*alloc) (void *ctx, size_t n), void *ctx)
{
  return decode_alloc (data, len, alloc, ctx);
}

void
mountdb_uid_free (mountdb_uid *uid)
{
  free (uid);                   /* its strings are in the same block */
}

int
mountdb_uid_shape (const mountdb_uid *uid)
{
  return uid != NULL ? uid->shape : MOUNTDB_E_INVAL;
}

const char *
mountdb_shape_name (int shape)
{
  for (size_t i = 0; i < NFORMATS; i++)
    if (formats[i]->shape == shape)
      return formats[i]->name;
  return NULL;
}

const char *
mountdb_uid_summary (const mountdb_uid *uid)
{
  return uid != NULL ? uid->summary : NULL;
}

uint32_t
mountdb_uid_disk_signature (const mountdb_uid *uid)
{
  return uid != NULL && uid->shape == MOUNTDB_SHAPE_MBR
         ? uid->disk_signature : 0;
}

uint64_t
mountdb_uid_partition_offset (const mountdb_uid *uid)
{
  return uid != NULL && uid->shape == MOUNTDB_SHAPE_MBR
         ? uid->partition_offset : 0;
}

const char *
mountdb_uid_guid (const mountdb_uid *uid)
{
  return uid != NULL && uid->has_guid ? uid->fields[0].str : NULL;
}

size_t
mountdb_uid_field_count (const mountdb_uid *uid)
{
  return uid != NULL ? uid->nfields : 0;
}

int
mountdb_uid_field_get (const mountdb_uid *uid, size_t i, const char **key,
                   int *kind, const char **str, uint64_t *num)
{
  if (uid == NULL || i >= uid->nfields)
    return MOUNTDB_E_INVAL;
  const uid_field *f = &uid->fields[i];
  if (key != NULL)
    *key = f->key;
  if (kind != NULL)
    *kind = f->kind;
  if (str != NULL)
    *str = f->str;
  if (num != NULL)
    *num = f->num;
  return 0;
}
