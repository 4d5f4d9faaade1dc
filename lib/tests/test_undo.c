/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The undo record of in-place changes (lib/undo.c): what log replay uses
 * to keep the primary's bytes reproducible (F2) without a second copy. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "undo.h"

/* A deterministic pattern: every byte differs from its neighbours. */
static void
fill (uint8_t *b, size_t n, unsigned seed)
{
  for (size_t i = 0; i < n; i++)
    b[i] = (uint8_t) (i * 131u + seed * 7u + (i >> 9));
}

/* An original of len bytes (pattern seed), a working copy of it with
 * `spare` bytes of room, and an empty record. */
typedef struct fx {
  uint8_t *orig, *b;
  md_undo u;
} fx;

static void
fx_init (fx *f, size_t len, size_t spare, unsigned seed)
{
  f->orig = malloc (len);
  f->b = malloc (len + spare);
  assert_non_null (f->orig);
  assert_non_null (f->b);
  fill (f->orig, len, seed);
  memcpy (f->b, f->orig, len);
  md_undo_init (&f->u, len);
}

static void
fx_free (fx *f)
{
  md_undo_free (&f->u);
  free (f->b);
  free (f->orig);
}

/* Change b[off, off + n) the way a replay does: save, then write. */
static void
change (md_undo *u, uint8_t *b, uint64_t off, uint64_t n, uint8_t v)
{
  assert_int_equal (md_undo_save (u, b, off, n), 0);
  memset (b + off, v, (size_t) n);
}

static void
empty_record (void **state)
{
  (void) state;
  md_undo u;
  md_undo_init (&u, 1000);
  uint8_t b[1000], c[1000];
  fill (b, sizeof b, 1);
  memcpy (c, b, sizeof c);
  md_undo_overlay (&u, b, 0, sizeof b);
  md_undo_rollback (&u, b);
  assert_memory_equal (b, c, sizeof b);
  assert_int_equal (md_undo_save (&u, b, 0, 0), 0);      /* nothing */
  assert_int_equal (md_undo_save (&u, b, 1000, 10), 0);  /* past the end */
  assert_int_equal (u.n, 0);
  assert_null (u.recs);
  md_undo_free (&u);
}

/* Whole sectors are saved the first time only, clipped to the length. */
static void
sectors_and_clipping (void **state)
{
  (void) state;
  enum { LEN = 3 * 512 + 100 };
  uint8_t orig[LEN], b[LEN + 2048];
  fill (orig, LEN, 2);
  memcpy (b, orig, LEN);
  md_undo u;
  md_undo_init (&u, LEN);
  change (&u, b, 508, 4, 0xee);             /* inside sector 0 */
  assert_int_equal (u.n, 1);
  change (&u, b, 0, 512, 0x11);             /* sector 0 again: kept */
  assert_int_equal (u.n, 1);
  change (&u, b, 1500, 200, 0x22);          /* sectors 2 and 3 (clipped) */
  assert_int_equal (u.n, 3);
  change (&u, b, LEN, 1000, 0x33);          /* growth: not the original */
  assert_int_equal (u.n, 3);
  assert_int_equal (u.recs[2].sector, 3);
  md_undo_sort (&u);
  uint8_t view[LEN];
  memcpy (view, b, LEN);
  md_undo_overlay (&u, view, 0, LEN);
  assert_memory_equal (view, orig, LEN);
  /* The first change is what counts: sector 0 reads as before both. */
  assert_int_equal (view[508], orig[508]);
  md_undo_free (&u);
}

/* Windows that start and end anywhere, as a chunked reader sees them. */
static void
overlay_windows (void **state)
{
  (void) state;
  enum { LEN = 40 * 512 + 17 };
  fx f;
  fx_init (&f, LEN, 1024, 3);    /* room: the last change grows it */
  uint8_t *orig = f.orig, *b = f.b;
  md_undo *u = &f.u;
  /* Out of order, as log pages come. */
  static const uint64_t at[] = { 30 * 512, 2 * 512 + 7, 39 * 512, 0,
                                 17 * 512 + 511, 40 * 512 + 3 };
  for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
    change (u, b, at[i], 600, (uint8_t) (0x40 + i));
  assert_false (u->sorted);
  /* Unsorted overlay still right; sorted too, for every window size. */
  uint8_t *v = malloc (LEN);
  assert_non_null (v);
  memcpy (v, b, LEN);
  md_undo_overlay (u, v, 0, LEN);
  assert_memory_equal (v, orig, LEN);
  md_undo_sort (u);
  assert_true (u->sorted);
  for (size_t i = 1; i < u->n; i++)
    assert_true (u->recs[i - 1].sector < u->recs[i].sector);
  static const size_t win[] = { 1, 3, 511, 512, 513, 4096, 10000 };
  for (size_t w = 0; w < sizeof win / sizeof win[0]; w++) {
    memcpy (v, b, LEN);
    for (size_t off = 0; off < LEN; off += win[w]) {
      size_t n = LEN - off < win[w] ? LEN - off : win[w];
      md_undo_overlay (u, v + off, off, n);
    }
    assert_memory_equal (v, orig, LEN);
  }
  free (v);
  fx_free (&f);
}

/* Rollback restores the buffer and empties the record, which can be used
 * again (a refused log, then the next one). */
static void
rollback_and_reuse (void **state)
{
  (void) state;
  enum { LEN = 8192 };
  uint8_t orig[LEN], b[LEN];
  fill (orig, LEN, 4);
  memcpy (b, orig, LEN);
  md_undo u;
  md_undo_init (&u, LEN);
  change (&u, b, 4096, 2048, 0x55);
  change (&u, b, 100, 10, 0x66);
  md_undo_rollback (&u, b);
  assert_memory_equal (b, orig, LEN);
  assert_int_equal (u.n, 0);
  change (&u, b, 4096, 512, 0x77);          /* saved again after rollback */
  assert_int_equal (u.n, 1);
  md_undo_sort (&u);
  uint8_t v[LEN];
  memcpy (v, b, LEN);
  md_undo_overlay (&u, v, 0, LEN);
  assert_memory_equal (v, orig, LEN);
  md_undo_free (&u);
  assert_int_equal (u.n, 0);
  assert_int_equal (u.len, LEN);            /* still usable */
}

/* Many random changes, larger than any growth step of the record. */
static void
random_changes (void **state)
{
  (void) state;
  enum { LEN = 1 << 20 };
  fx f;
  fx_init (&f, LEN, 0, 5);
  uint8_t *orig = f.orig, *b = f.b;
  md_undo *u = &f.u;
  uint32_t x = 12345;
  for (int i = 0; i < 3000; i++) {
    x = x * 1103515245u + 12345u;
    uint64_t off = (x >> 8) % LEN;
    x = x * 1103515245u + 12345u;
    uint64_t n = 1 + (x >> 8) % 3000;
    if (n > LEN - off)
      n = LEN - off;
    change (u, b, off, n, (uint8_t) i);
  }
  md_undo_sort (u);
  uint8_t *v = malloc (LEN);
  assert_non_null (v);
  memcpy (v, b, LEN);
  for (size_t off = 0; off < LEN; off += 65536)
    md_undo_overlay (u, v + off, off, 65536);
  assert_memory_equal (v, orig, LEN);
  md_undo_rollback (u, b);
  assert_memory_equal (b, orig, LEN);
  free (v);
  fx_free (&f);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (empty_record),
    cmocka_unit_test (sectors_and_clipping),
    cmocka_unit_test (overlay_windows),
    cmocka_unit_test (rollback_and_reuse),
    cmocka_unit_test (random_changes),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
