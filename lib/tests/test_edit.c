/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Transactions (W1-W7, W9-W11) on the sample fixture, in memory: the
 * final value list and the change set, without writing anything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "handle.h"
#include "edit.h"

static const char *fixtures;

struct ctx {
  mountdb *db;
  mountdb_txn *txn;
};

static int
setup_sample (void **state)
{
  static struct ctx c;
  char path[4096];
  snprintf (path, sizeof path, "%s/sample.hive", fixtures);
  mountdb_error err;
  if (mountdb_open (path, MOUNTDB_OPEN_NO_HASH, &c.db, &err) < 0
      || mountdb_txn_new (c.db, &c.txn, &err) < 0) {
    fprintf (stderr, "%s\n", err.message);
    return -1;
  }
  *state = &c;
  return 0;
}

static int
teardown (void **state)
{
  struct ctx *c = *state;
  mountdb_txn_free (c->txn);
  mountdb_close (c->db);
  return 0;
}

static mountdb_spec *
spec (const char *text)
{
  mountdb_spec *s = NULL;
  mountdb_error err;
  if (mountdb_spec_parse (text, &s, &err) < 0)
    fail_msg ("%s", err.message);
  return s;
}

/* The final list's index of an exact ASCII name, or -1. */
static long
find (const mountdb_txn *t, const char *name)
{
  size_t n = strlen (name);
  for (size_t i = 0; i < t->nvals; i++) {
    if (t->vals[i].n16 != n)
      continue;
    size_t k = 0;
    while (k < n && t->vals[i].name16[k] == (unsigned char) name[k])
      k++;
    if (k == n)
      return (long) i;
  }
  return -1;
}

static size_t
count_markers (const mountdb_txn *t)
{
  size_t n = 0;
  for (size_t i = 0; i < t->nvals; i++)
    n += t->vals[i].n16 == 39 && t->vals[i].name16[0] == '#';
  return n;
}

static const uint8_t disk1_512g[12] = { 0x42, 0x9e, 0x1d, 0x7c, 0, 0, 0, 0,
                                        0x80, 0, 0, 0 };

/* W2: a letterless volume gets H:; its marker goes; untouched values keep
 * their place and bytes (W10). */
static void
assign_letterless (void **state)
{
  struct ctx *c = *state;
  mountdb_spec *s = spec ("mbr:7c1d9e42:512GiB");
  mountdb_error err;
  size_t before = c->txn->nvals;
  assert_int_equal (count_markers (c->txn), 1);
  assert_int_equal (mountdb_txn_assign (c->txn, 'H', s, 0, &err), 0);
  long h = find (c->txn, "\\DosDevices\\H:");
  assert_true (h >= 0);
  assert_memory_equal (c->txn->vals[h].data, disk1_512g, 12);
  assert_int_equal (count_markers (c->txn), 0);
  assert_int_equal (c->txn->nvals, before); /* +H:, -marker */
  assert_int_equal (c->txn->vals[0].origin, 0); /* C: untouched, first */
  assert_int_equal (mountdb_txn_change_count (c->txn), 2);
  const mountdb_change *a = mountdb_txn_change_get (c->txn, 0);
  assert_int_equal (a->kind, MOUNTDB_CHANGE_ADDED);
  assert_string_equal (a->name, "\\DosDevices\\H:");
  assert_int_equal (a->cls, MOUNTDB_CLASS_DRIVE_LETTER);
  assert_int_equal (mountdb_txn_change_get (c->txn, 1)->kind,
                    MOUNTDB_CHANGE_DELETED);
  /* Assigning again is a no-op (plans are idempotent). */
  assert_int_equal (mountdb_txn_assign (c->txn, 'H', s, 0, &err), 0);
  assert_int_equal (mountdb_txn_change_count (c->txn), 2);
  mountdb_spec_free (s);
}

/* W2 refusals leave the list as it was. */
static void
assign_refusals (void **state)
{
  struct ctx *c = *state;
  mountdb_error err;
  mountdb_spec *d = spec ("D:"), *free_vol = spec ("mbr:7c1d9e42:512GiB");
  assert_int_equal (mountdb_txn_assign (c->txn, 'H', d, 0, &err),
                    MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "--move"));
  assert_int_equal (mountdb_txn_assign (c->txn, 'D', free_vol, 0, &err),
                    MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "--take"));
  assert_int_equal (mountdb_txn_change_count (c->txn), 0);
  assert_int_equal (mountdb_txn_assign (c->txn, '1', d, 0, &err),
                    MOUNTDB_E_INVAL);
  mountdb_spec *nothing = spec ("{00000000-1111-2222-3333-444444444444}");
  assert_int_equal (mountdb_txn_assign (c->txn, 'H', nothing, 0, &err),
                    MOUNTDB_E_NOMATCH);
  assert_int_equal (mountdb_txn_change_count (c->txn), 0);
  mountdb_spec_free (d);
  mountdb_spec_free (free_vol);
  mountdb_spec_free (nothing);
}

/* --move and --take in one transaction. */
static void
assign_move_take (void **state)
{
  struct ctx *c = *state;
  mountdb_error err;
  mountdb_spec *d = spec ("D:");
  assert_int_equal (mountdb_txn_assign (c->txn, 'H', d, MOUNTDB_ASSIGN_MOVE,
                                        &err), 0);
  assert_true (find (c->txn, "\\DosDevices\\D:") < 0);
  assert_true (find (c->txn, "\\DosDevices\\H:") >= 0);
  mountdb_spec_free (d);
  /* E: takes H: from the disk-1 volume at 1 MiB, which gets a marker. */
  mountdb_spec *e = spec ("E:");
  size_t markers = count_markers (c->txn);
  assert_int_equal (mountdb_txn_assign (c->txn, 'H', e, MOUNTDB_ASSIGN_TAKE
                                        | MOUNTDB_ASSIGN_MOVE, &err), 0);
  assert_true (find (c->txn, "\\DosDevices\\E:") < 0);
  assert_int_equal (count_markers (c->txn), markers + 1);
  mountdb_spec_free (e);
}

/* W8/W11: pre-seeding a volume the hive does not know adds its letter and
 * a volume GUID name derived from the ID (same ID, same GUID). */
static void
assign_new_volume (void **state)
{
  struct ctx *c = *state;
  mountdb_error err;
  mountdb_spec *g = spec ("gpt:0f0e0d0c-0b0a-4908-8706-050403020100");
  /* Only when asked: otherwise it is no volume (a typo is no new disk). */
  assert_int_equal (mountdb_txn_assign (c->txn, 'K', g, 0, &err),
                    MOUNTDB_E_NOMATCH);
  assert_non_null (strstr (err.message, "no volume in MountedDevices"));
  assert_int_equal (mountdb_txn_change_count (c->txn), 0);
  assert_int_equal (mountdb_txn_assign (c->txn, 'K', g, MOUNTDB_ASSIGN_NEW,
                                        &err), 0);
  assert_int_equal (mountdb_txn_change_count (c->txn), 2);
  const mountdb_change *v = mountdb_txn_change_get (c->txn, 1);
  assert_int_equal (v->cls, MOUNTDB_CLASS_VOLUME_GUID);
  uint8_t guid[16];
  char text[37], want[64];
  size_t len;
  const uint8_t *id = mountdb_spec_id (g, &len);
  assert_int_equal (md_guid_from_id (id, len, "volume", guid), 0);
  mountdb_guid_format (guid, text);
  snprintf (want, sizeof want, "\\??\\Volume{%s}", text);
  assert_string_equal (v->name, want); /* W9: canonical, lower case */
  mountdb_spec_free (g);
}

/* A typo in an ID (7c1d9e4 for 7c1d9e42) is refused, naming the closest
 * volumes: the same disk's partitions, the one at the same offset first. */
static void
assign_typo_closest (void **state)
{
  struct ctx *c = *state;
  mountdb_error err;
  mountdb_spec *t = spec ("mbr:7c1d9e4:1MiB");
  assert_int_equal (mountdb_txn_assign (c->txn, 'H', t, 0, &err),
                    MOUNTDB_E_NOMATCH);
  assert_non_null (strstr (err.message, "'mbr:7c1d9e4:1MiB': no volume"));
  assert_non_null (strstr (err.message, "closest: mbr:7c1d9e42:1MiB (D:), "));
  assert_non_null (strstr (err.message, "--new"));
  assert_int_equal (mountdb_txn_change_count (c->txn), 0);
  mountdb_spec_free (t);
}

/* W3 with and without a marker; unknown letter refused. */
static void
unassign (void **state)
{
  struct ctx *c = *state;
  mountdb_error err;
  assert_int_equal (mountdb_txn_unassign (c->txn, 'E', 0, &err), 0);
  assert_true (find (c->txn, "\\DosDevices\\E:") < 0);
  assert_int_equal (count_markers (c->txn), 2);
  assert_int_equal (mountdb_txn_unassign (c->txn, 'D',
                                          MOUNTDB_UNASSIGN_ALLOW_AUTO, &err), 0);
  assert_int_equal (count_markers (c->txn), 2);
  assert_int_equal (mountdb_txn_unassign (c->txn, 'Q', 0, &err),
                    MOUNTDB_E_NOMATCH);
}

/* W4 twice = identity; W1 A->B->A = identity. */
static void
swap_and_remap_round_trips (void **state)
{
  struct ctx *c = *state;
  mountdb_error err;
  assert_int_equal (mountdb_txn_swap (c->txn, 'D', 'E', &err), 0);
  assert_int_equal (mountdb_txn_change_count (c->txn), 2);
  assert_int_equal (mountdb_txn_swap (c->txn, 'E', 'D', &err), 0);
  assert_int_equal (mountdb_txn_change_count (c->txn), 0);
  assert_int_equal (mountdb_txn_swap (c->txn, 'D', 'Q', &err),
                    MOUNTDB_E_NOMATCH);
  assert_int_equal (mountdb_txn_swap (c->txn, 'D', 'D', &err), MOUNTDB_E_INVAL);

  static const uint8_t newid[24] = "DMIO:ID:0123456789abcdef";
  const uint8_t *old = disk1_512g;
  /* Two values hold it: the volume name and the marker (W1: all names). */
  assert_int_equal (mountdb_txn_remap (c->txn, old, 12, newid, 24, &err), 2);
  assert_int_equal (mountdb_txn_change_count (c->txn), 2);
  assert_int_equal (mountdb_txn_remap (c->txn, newid, 24, old, 12, &err), 2);
  assert_int_equal (mountdb_txn_change_count (c->txn), 0);
  /* Remapping onto an ID another volume has would merge them: refused. */
  const uint8_t *cid = c->db->entries[0].data;
  assert_int_equal (mountdb_txn_remap (c->txn, old, 12, cid,
                                       c->db->entries[0].len, &err),
                    MOUNTDB_E_REFUSED);
}

/* W5: only partition IDs not kept go; device paths stay by default. */
static void
scrub (void **state)
{
  struct ctx *c = *state;
  mountdb_error err;
  mountdb_spec *keep[2] = { spec ("C:"), spec ("D:") };
  int n = mountdb_txn_scrub (c->txn, (const mountdb_spec *const *) keep, 2, 0,
                             &err);
  /* EFI + MSR volume names, E: + its name, 512 GiB name + marker. */
  assert_int_equal (n, 6);
  assert_true (find (c->txn, "\\DosDevices\\G:") >= 0);
  assert_true (find (c->txn, "\\DosDevices\\F:") >= 0);
  n = mountdb_txn_scrub (c->txn, (const mountdb_spec *const *) keep, 2,
                         MOUNTDB_SCRUB_ALL_SHAPES, &err);
  assert_int_equal (n, 4);
  assert_int_equal (c->txn->nvals, 4);
  mountdb_spec_free (keep[0]);
  mountdb_spec_free (keep[1]);
}

/* W6 and W7. */
static void
reset_and_automount (void **state)
{
  struct ctx *c = *state;
  mountdb_error err;
  assert_int_equal (mountdb_txn_reset (c->txn, 1, 'C', &err), 12);
  assert_int_equal (c->txn->nvals, 2);
  assert_int_equal (mountdb_txn_reset (c->txn, 1, 'Q', &err), MOUNTDB_E_NOMATCH);
  assert_int_equal (mountdb_txn_reset (c->txn, 0, 0, &err), 2);
  assert_int_equal (c->txn->nvals, 0);
  assert_int_equal (mountdb_txn_automount (c->txn, 1, &err), 0);
  assert_int_equal (c->txn->automount, -1); /* already on: no change */
  assert_int_equal (mountdb_txn_automount (c->txn, 0, &err), 0);
  assert_int_equal (c->txn->automount, 0);
  size_t n = mountdb_txn_change_count (c->txn);
  const mountdb_change *last = mountdb_txn_change_get (c->txn, n - 1);
  assert_int_equal (last->kind, MOUNTDB_CHANGE_AUTOMOUNT);
  assert_null (last->before); /* NoAutoMount absent */
  assert_int_equal (last->after[0], 1);
}

int
main (void)
{
  fixtures = getenv ("FIXTURES");
  if (fixtures == NULL)
    fixtures = "testdata/out";
#define T(f) cmocka_unit_test_setup_teardown (f, setup_sample, teardown)
  const struct CMUnitTest tests[] = {
    T (assign_letterless),
    T (assign_refusals),
    T (assign_move_take),
    T (assign_new_volume),
    T (assign_typo_closest),
    T (unassign),
    T (swap_and_remap_round_trips),
    T (scrub),
    T (reset_and_automount),
  };
  return cmocka_run_group_tests_name ("edit (W1-W7)", tests, NULL, NULL);
}
