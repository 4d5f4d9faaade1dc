/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The model: entries in value order, classified and decoded, and volumes
 * grouped by identical REG_BINARY data (section 3: Windows compares IDs by
 * exact length and bytes only). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define NO_VOLUME ((size_t) -1)

int
md_model_diag (mountdb *db, int code, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  if (md_grow (&db->diags, &db->diags_cap, db->ndiags, sizeof *db->diags) < 0)
    return MOUNTDB_E_NOMEM;
  struct md_diag *d = db->diags;
  d[db->ndiags].code = code;
  d[db->ndiags].message = strdup (buf);
  if (d[db->ndiags].message == NULL)
    return MOUNTDB_E_NOMEM;
  db->ndiags++;
  return 0;
}

int
md_model_reserve (mountdb *db, size_t n)
{
  if (n <= db->entries_cap)
    return 0;
  if (n > SIZE_MAX / sizeof *db->entries)
    return MOUNTDB_E_NOMEM;
  struct mountdb_entry *e = realloc (db->entries, n * sizeof *e);
  if (e == NULL)
    return MOUNTDB_E_NOMEM;
  db->entries = e;
  db->entries_cap = n;
  return 0;
}

int
md_model_add_entry (mountdb *db, uint16_t *name16, size_t n16, int latin1,
                    uint32_t type, uint8_t *data, size_t len, int error)
{
  if (md_grow (&db->entries, &db->entries_cap, db->nentries,
               sizeof *db->entries) < 0) {
    free (name16);
    free (data);
    return MOUNTDB_E_NOMEM;
  }
  struct mountdb_entry *e = &db->entries[db->nentries];
  memset (e, 0, sizeof *e);
  e->index = db->nentries++;
  e->name16 = name16;
  e->name16_len = n16;
  e->type = type;
  e->data = data;
  e->len = len;
  e->error = error;
  e->volume = NO_VOLUME;

  unsigned flags = 0;
  e->name = md_utf16_to_utf8 (name16, n16, &flags);
  if (e->name == NULL || md_name_classify (name16, n16, &e->nm) < 0)
    return MOUNTDB_E_NOMEM;
  e->nm.flags |= flags | (latin1 ? MOUNTDB_NAME_LATIN1 : 0);
  if (e->nm.has_guid) {
    mountdb_guid_format (e->nm.guid, e->guid_text);
    mountdb_guid_inspect (e->nm.guid, &e->ginfo);
  }
  if (!error && type == MOUNTDB_REG_BINARY) {
    e->uid = mountdb_uid_decode (data, len);
    if (e->uid == NULL)
      return MOUNTDB_E_NOMEM;
  }
  return 0;
}

/* FNV-1a: IDs are short; an open-addressing table keeps grouping linear
 * even for keys with thousands of USB sticks. */
static uint64_t
hash_bytes (const uint8_t *p, size_t n)
{
  uint64_t h = 0xcbf29ce484222325ULL ^ n;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

static int
same_id (const struct mountdb_entry *a, const struct mountdb_entry *b)
{
  return a->len == b->len && (a->len == 0 || memcmp (a->data, b->data, a->len) == 0);
}

static int
volume_add (struct mountdb_volume *v, size_t entry)
{
  if ((v->nmembers & (v->nmembers - 1)) == 0) { /* 0, 1, 2, 4, ...: grow */
    size_t cap = v->nmembers ? v->nmembers * 2 : 1;
    size_t *m = realloc (v->members, cap * sizeof *m);
    if (m == NULL)
      return MOUNTDB_E_NOMEM;
    v->members = m;
  }
  v->members[v->nmembers++] = entry;
  return 0;
}

int
md_model_group (mountdb *db)
{
  /* All values are in: drop the growth slack (a third of the array on
   * large keys). */
  if (db->nentries && db->nentries < db->entries_cap) {
    struct mountdb_entry *e =
      realloc (db->entries, db->nentries * sizeof *db->entries);
    if (e != NULL) {
      db->entries = e;
      db->entries_cap = db->nentries;
    }
  }
  size_t cap = 16;
  while (cap < db->nentries * 2)
    cap *= 2;
  size_t *slot = malloc (cap * sizeof *slot); /* volume index + 1, 0 = free */
  db->volumes = calloc (db->nentries ? db->nentries : 1, sizeof *db->volumes);
  if (slot == NULL || db->volumes == NULL) {
    free (slot);
    return MOUNTDB_E_NOMEM;
  }
  memset (slot, 0, cap * sizeof *slot);
  int rc = 0;
  for (size_t i = 0; i < db->nentries && rc == 0; i++) {
    struct mountdb_entry *e = &db->entries[i];
    if (e->uid == NULL) /* not REG_BINARY, or unreadable: inert to Windows */
      continue;
    size_t k = hash_bytes (e->data, e->len) & (cap - 1);
    while (slot[k] != 0) {
      struct mountdb_volume *v = &db->volumes[slot[k] - 1];
      if (same_id (&db->entries[v->members[0]], e))
        break;
      k = (k + 1) & (cap - 1);
    }
    if (slot[k] == 0) {
      slot[k] = ++db->nvolumes;
      db->volumes[slot[k] - 1].db = db;
    }
    e->volume = slot[k] - 1;
    rc = volume_add (&db->volumes[e->volume], i);
  }
  free (slot);
  return rc;
}

void
md_model_free (mountdb *db)
{
  for (size_t i = 0; i < db->nentries; i++) {
    struct mountdb_entry *e = &db->entries[i];
    free (e->name16);
    free (e->name);
    md_name_clear (&e->nm);
    free (e->data);
    mountdb_uid_free (e->uid);
  }
  free (db->entries);
  for (size_t i = 0; i < db->nvolumes; i++)
    free (db->volumes[i].members);
  free (db->volumes);
  for (size_t i = 0; i < db->ndiags; i++)
    free (db->diags[i].message);
  free (db->diags);
}
