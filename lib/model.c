/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The model: entries in value order, classified and decoded, and volumes
 * grouped by identical REG_BINARY data (section 3: Windows compares IDs by
 * exact length and bytes only). */
#include <config.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "model.h"


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

/* The arena: entries' names, data and IDs, carved from blocks of
 * ARENA_BLOCK bytes (larger for a larger value) and freed together with
 * the handle.  One malloc per value would cost its header and rounding
 * for each of four objects on keys of 100k values.  Blocks are mapped
 * populated: faulting their pages in one by one cost a fifth of check's
 * CPU on such a key (page faults are dear in virtual machines). */
#define ARENA_BLOCK ((size_t) 256 << 10)
/* The first block comes from the heap: most keys fit in it, and in a batch
 * mapping and unmapping a block per hive interrupted the other workers'
 * CPUs (TLB shootdowns; issue 14). */
#define FIRST_BLOCK ((size_t) 32 << 10)
/* Enough for the decoded ID (uint64_t and pointers) and the data bytes. */
#define ARENA_ALIGN (_Alignof (uint64_t) > _Alignof (void *) \
                     ? _Alignof (uint64_t) : _Alignof (void *))

struct md_arena_block {
  struct md_arena_block *next;
  size_t size;               /* of data */
  size_t mapped;             /* of the whole block; 0: from malloc */
  max_align_t data[];
};

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

#define HUGE_BLOCK ((size_t) 2 << 20)

/* A block of HUGE_BLOCK bytes on a huge page where the kernel allows it
 * (transparent huge pages, "madvise" mode): one fault and one clear of
 * 2 MiB instead of 512 faults, which were most of the system time on a
 * key of 100k values.  NULL when it cannot be had aligned. */
static void *
map_huge (void)
{
#ifdef MADV_HUGEPAGE
  size_t span = 2 * HUGE_BLOCK;
  char *p = mmap (NULL, span, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  char *a = (char *) (((uintptr_t) p + HUGE_BLOCK - 1) & ~(HUGE_BLOCK - 1));
  if (a > p)
    munmap (p, (size_t) (a - p));
  if (a + HUGE_BLOCK < p + span)
    munmap (a + HUGE_BLOCK, (size_t) (p + span - (a + HUGE_BLOCK)));
  madvise (a, HUGE_BLOCK, MADV_HUGEPAGE);
  return a;
#else
  return NULL;
#endif
}

static struct md_arena_block *
block_new (size_t size, int huge)
{
  size_t total = offsetof (struct md_arena_block, data) + size;
  if (total <= FIRST_BLOCK) {
    struct md_arena_block *b = malloc (total);
    if (b != NULL) {
      b->size = size;
      b->mapped = 0;
    }
    return b;
  }
  void *p = huge && total == HUGE_BLOCK ? map_huge () : NULL;
  if (p == NULL)
    p = mmap (NULL, total, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  struct md_arena_block *b = p;
  b->size = size;
  b->mapped = total;
  return b;
}

static void *
arena_alloc (mountdb *db, size_t n, size_t align)
{
  struct md_arena_block *b = db->arena;
  size_t pad = b ? (size_t) (-(uintptr_t) ((char *) b->data + b->size
                                           - db->arena_left)) & (align - 1)
                 : 0;
  if (b == NULL || db->arena_left < n || db->arena_left - n < pad) {
    if (n > SIZE_MAX - ARENA_BLOCK)
      return NULL;
    /* Small blocks while the arena is small (most keys hold tens of
     * values); once it has 8 of them, huge ones. */
    size_t block = db->arena_blocks >= 8 ? HUGE_BLOCK
                   : db->arena_blocks == 0
                     && n <= FIRST_BLOCK - offsetof (struct md_arena_block,
                                                     data)
                   ? FIRST_BLOCK : ARENA_BLOCK;
    size_t size = n > ARENA_BLOCK / 4
                  ? n : block - offsetof (struct md_arena_block, data);
    b = block_new (size ? size : 1, block == HUGE_BLOCK);
    if (b == NULL)
      return NULL;
    if (size == n && db->arena) {
      /* A big value gets a block of its own, behind the current one. */
      b->next = db->arena->next;
      db->arena->next = b;
      return b->data;
    }
    b->next = db->arena;
    db->arena = b;
    db->arena_left = b->size;
    db->arena_blocks++;
    pad = 0;
  }
  char *p = (char *) b->data + b->size - db->arena_left + pad;
  db->arena_left -= pad + n;
  return p;
}

static void *
arena_copy (mountdb *db, const void *src, size_t n, size_t align)
{
  void *p = arena_alloc (db, n, align);
  if (p != NULL && n)
    memcpy (p, src, n);
  return p;
}

static void
arena_free (mountdb *db)
{
  while (db->arena) {
    struct md_arena_block *b = db->arena;
    db->arena = b->next;
    if (b->mapped)
      munmap (b, b->mapped);
    else
      free (b);
  }
  db->arena_left = 0;
  db->arena_blocks = 0;
}

static void *
arena_alloc_uid (void *db, size_t n)
{
  return arena_alloc (db, n, ARENA_ALIGN);
}

static void *
arena_alloc_name (void *db, size_t n)
{
  return arena_alloc (db, n, 1);
}

/* Fill e from the value; name16 and data are the caller's. */
static int
entry_fill (mountdb *db, struct mountdb_entry *e, const uint16_t *name16,
            size_t n16, int latin1, const uint8_t *data, size_t len)
{
  unsigned flags = 0;
  e->name = md_utf16_to_utf8_with (name16, n16, &flags, arena_alloc_name, db);
  e->name16 = arena_copy (db, name16, n16 * sizeof *name16,
                          _Alignof (uint16_t));
  if (data != NULL)
    e->data = arena_copy (db, data, len, ARENA_ALIGN);
  if (e->name == NULL || e->name16 == NULL || (data != NULL && e->data == NULL)
      || md_name_classify_text (name16, n16, flags, &e->nm) < 0)
    return MOUNTDB_E_NOMEM;
  e->nm.flags |= latin1 ? MOUNTDB_NAME_LATIN1 : 0;
  if (e->nm.has_guid) {
    e->guid = arena_alloc (db, sizeof *e->guid, _Alignof (struct md_entry_guid));
    if (e->guid == NULL)
      return MOUNTDB_E_NOMEM;
    mountdb_guid_format (e->nm.guid, e->guid->text);
    mountdb_guid_inspect (e->nm.guid, &e->guid->info);
  }
  if (!e->error && e->type == MOUNTDB_REG_BINARY) {
    e->uid = md_uid_decode_with (e->data, len, arena_alloc_uid, db);
    if (e->uid == NULL)
      return MOUNTDB_E_NOMEM;
  }
  return 0;
}

int
md_model_add_entry (mountdb *db, uint16_t *name16, size_t n16, int latin1,
                    uint32_t type, uint8_t *data, size_t len, int error)
{
  int rc = 0;
  if (db->nentries >= MD_NO_VOLUME || len > UINT32_MAX || n16 > UINT32_MAX
      || md_grow (&db->entries, &db->entries_cap, db->nentries,
                  sizeof *db->entries) < 0)
    rc = MOUNTDB_E_NOMEM;
  if (rc == 0) {
    struct mountdb_entry *e = &db->entries[db->nentries];
    memset (e, 0, sizeof *e);
    e->index = (uint32_t) db->nentries++;
    e->name16_len = (uint32_t) n16;
    e->type = type;
    e->len = (uint32_t) len;
    e->error = error;
    e->volume = MD_NO_VOLUME;
    md_name_clear (&e->nm);
    rc = entry_fill (db, e, name16, n16, latin1, data, len);
  }
  free (name16);
  free (data);
  return rc;
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
  /* slot: volume index + 1, 0 = free; then the member counts.  One
   * members array for all volumes: a malloc per volume cost more than its
   * members on keys where every value is its own volume. */
  size_t *slot = calloc (cap, sizeof *slot);
  size_t nall = db->nentries ? db->nentries : 1;
  db->volumes = calloc (nall, sizeof *db->volumes);
  db->members = malloc (nall * sizeof *db->members);
  if (slot == NULL || db->volumes == NULL || db->members == NULL) {
    free (slot);
    return MOUNTDB_E_NOMEM;
  }
  for (size_t i = 0; i < db->nentries; i++) {
    struct mountdb_entry *e = &db->entries[i];
    if (e->uid == NULL) /* not REG_BINARY, or unreadable: inert to Windows */
      continue;
    size_t k = hash_bytes (e->data, e->len) & (cap - 1);
    while (slot[k] != 0) {
      /* Until the slices are laid out, members[v] is v's first entry. */
      if (same_id (&db->entries[db->members[slot[k] - 1]], e))
        break;
      k = (k + 1) & (cap - 1);
    }
    if (slot[k] == 0) {
      slot[k] = ++db->nvolumes;
      db->volumes[slot[k] - 1].db = db;
      db->members[slot[k] - 1] = i;
    }
    e->volume = (uint32_t) (slot[k] - 1);
    db->volumes[e->volume].nmembers++;
  }
  free (slot);
  /* Lay out the slices in volume order, then fill them in value order. */
  size_t at = 0;
  for (size_t v = 0; v < db->nvolumes; v++) {
    db->volumes[v].members = db->members + at;
    at += db->volumes[v].nmembers;
    db->volumes[v].nmembers = 0;
  }
  for (size_t i = 0; i < db->nentries; i++) {
    struct mountdb_volume *v;
    if (db->entries[i].volume == MD_NO_VOLUME)
      continue;
    v = &db->volumes[db->entries[i].volume];
    v->members[v->nmembers++] = i;
  }
  if (db->nvolumes && db->nvolumes < nall) {
    struct mountdb_volume *v =
      realloc (db->volumes, db->nvolumes * sizeof *db->volumes);
    if (v != NULL)
      db->volumes = v;
  }
  return 0;
}

void
md_model_free (mountdb *db)
{
  for (size_t i = 0; i < db->nentries; i++) {
    struct mountdb_entry *e = &db->entries[i];
    md_name_clear (&e->nm); /* e->uid is in the arena */
  }
  free (db->entries);
  free (db->volumes);
  free (db->members);
  arena_free (db);
  md_diags_free (&db->diags);
}

/* One Select value in words: "5, no ControlSet005", "absent". */
static void
select_value (char *buf, size_t n, int state, uint32_t v)
{
  if (state == MOUNTDB_VALUE_OK)
    snprintf (buf, n, "%u, no ControlSet%03u", v, v);
  else
    snprintf (buf, n, "%s", state == MOUNTDB_VALUE_ABSENT ? "absent"
                            : "not a DWORD");
}

const char *
md_select_words (const mountdb *db, char *buf, size_t n)
{
  char d[48], c[48];
  select_value (d, sizeof d, db->select_default_state, db->select_default);
  select_value (c, sizeof c, db->select_state, db->select_current);
  snprintf (buf, n, "Select\\Default %s; Select\\Current %s", d, c);
  return buf;
}
