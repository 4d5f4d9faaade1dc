/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb_write (H1-H9, F1, F5-F7) on copies of the generated fixtures
 * ($FIXTURES) and of real hives ($REAL_HIVES, skipped visibly when
 * absent).  Every write is read back twice: through mountdb_open and
 * through a plain hivex walk of the whole tree, which must find every key
 * and value outside what was changed byte for byte as in the input.
 * Links the test build of the library (libmountdb-fault.la): the fault
 * hooks (md_write_set_fault) exist only there. */
#include <config.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <hivex.h>
#include <nettle/sha2.h>
#include "write.h"
#include "digest.h"

static char tmpdir[] = "/tmp/mountdb-write-XXXXXX";
static const char *fixtures;
static const char *real;      /* NULL when the real hives are absent */
static int case_no;

#define FT_SECOND 10000000ULL

static uint64_t
now_ft (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_REALTIME, &ts);
  return (uint64_t) ts.tv_sec * FT_SECOND + (uint64_t) ts.tv_nsec / 100
         + MD_FILETIME_UNIX_EPOCH;
}

/* ---- files ------------------------------------------------------------------------ */

/* A fresh directory per test case, so "nothing left behind" can be
 * checked by listing it. */
static char *
case_dir (void)
{
  static char buf[4096];
  snprintf (buf, sizeof buf, "%s/case%d", tmpdir, ++case_no);
  assert_int_equal (mkdir (buf, 0700), 0);
  return buf;
}

static char *
join (const char *dir, const char *name)
{
  static char buf[8][4096];
  static int k;
  k = (k + 1) % 8;
  snprintf (buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

static void
copy_file (const char *from, const char *to)
{
  int in = open (from, O_RDONLY);
  assert_true (in >= 0);
  int out = open (to, O_WRONLY | O_CREAT | O_EXCL, 0644);
  assert_true (out >= 0);
  char buf[65536];
  ssize_t n;
  while ((n = read (in, buf, sizeof buf)) > 0)
    assert_int_equal (write (out, buf, (size_t) n), n);
  assert_int_equal (n, 0);
  close (in);
  assert_int_equal (close (out), 0);
}

static uint8_t *
slurp (const char *path, size_t *size)
{
  FILE *f = fopen (path, "rb");
  assert_non_null (f);
  fseek (f, 0, SEEK_END);
  long n = ftell (f);
  fseek (f, 0, SEEK_SET);
  uint8_t *p = malloc ((size_t) n + 1);
  assert_non_null (p);
  assert_int_equal (fread (p, 1, (size_t) n, f), (size_t) n);
  fclose (f);
  *size = (size_t) n;
  return p;
}

static void
sha_file (const char *path, char out[65])
{
  size_t n;
  uint8_t *p = slurp (path, &n);
  uint8_t d[32];
  struct sha256_ctx c;
  sha256_init (&c);
  sha256_update (&c, n, p);
  sha256_digest (&c, sizeof d, d);
  for (int i = 0; i < 32; i++)
    snprintf (out + 2 * i, 3, "%02x", d[i]);
  free (p);
}

static int
exists (const char *path)
{
  struct stat st;
  return lstat (path, &st) == 0;
}

/* Entries of dir other than . and .., and how many start with prefix. */
static size_t
dir_count (const char *dir, const char *prefix, size_t *with_prefix)
{
  DIR *d = opendir (dir);
  assert_non_null (d);
  size_t n = 0, p = 0;
  struct dirent *e;
  while ((e = readdir (d)) != NULL) {
    if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
      continue;
    n++;
    if (prefix && strncmp (e->d_name, prefix, strlen (prefix)) == 0)
      p++;
  }
  closedir (d);
  if (with_prefix)
    *with_prefix = p;
  return n;
}

/* The one entry of dir whose name contains part (fails otherwise). */
static char *
find_entry (const char *dir, const char *part)
{
  static char buf[4096];
  DIR *d = opendir (dir);
  assert_non_null (d);
  int found = 0;
  struct dirent *e;
  while ((e = readdir (d)) != NULL)
    if (strstr (e->d_name, part)) {
      assert_false (found);
      found = 1;
      snprintf (buf, sizeof buf, "%s/%s", dir, e->d_name);
    }
  closedir (d);
  if (!found)
    fail_msg ("no entry with \"%s\" in %s", part, dir);
  return buf;
}

static char *
fixture (const char *name)
{
  static char buf[4096];
  snprintf (buf, sizeof buf, "%s/%s", fixtures, name);
  return buf;
}

/* Copy a fixture (or real hive) into a fresh case directory as in.hive. */
static char *
stage (const char *from, char **dir_out)
{
  char *dir = case_dir ();
  char *in = join (dir, "in.hive");
  copy_file (from, in);
  *dir_out = strdup (dir);
  return strdup (in);
}

/* ---- library shortcuts ------------------------------------------------------------- */

static mountdb *
open_ok (const char *path, unsigned flags)
{
  mountdb *db = NULL;
  mountdb_error err;
  if (mountdb_open (path, flags, &db, &err) < 0)
    fail_msg ("%s", err.message);
  return db;
}

static mountdb_txn *
txn_ok (const mountdb *db)
{
  mountdb_txn *t = NULL;
  mountdb_error err;
  if (mountdb_txn_new (db, &t, &err) < 0)
    fail_msg ("%s", err.message);
  return t;
}

static mountdb_write_opts
opts_fixed (uint64_t ft)
{
  mountdb_write_opts o;
  mountdb_write_opts_init (&o);
  o.timestamp_mode = MOUNTDB_TS_FIXED;
  o.timestamp = ft;
  return o;
}

static void
write_ok (const mountdb *db, const mountdb_txn *txn, const char *out,
          const mountdb_write_opts *o, mountdb_report **r)
{
  mountdb_error err;
  if (mountdb_write (db, txn, out, o, r, &err) < 0)
    fail_msg ("%s", err.message);
}

/* Write must fail with code, and leave the input as it was. */
static mountdb_error
write_fails (const mountdb *db, const mountdb_txn *txn, const char *out,
             const mountdb_write_opts *o, int code)
{
  mountdb_error err;
  mountdb_report *r = (mountdb_report *) 1;
  int rc = mountdb_write (db, txn, out, o, &r, &err);
  if (rc != code)
    fail_msg ("expected %d, got %d: %s", code, rc, err.message);
  assert_int_equal (err.code, code);
  assert_null (r);
  assert_true (err.message[0] != '\0');
  return err;
}

static void
unassign_ok (mountdb_txn *t, char letter)
{
  mountdb_error err;
  if (mountdb_txn_unassign (t, letter, 0, &err) < 0)
    fail_msg ("%s", err.message);
}

/* Append a value to the final list by hand (for cases no operation
 * makes). */
static void
append_val (mountdb_txn *t, const char *ascii_name, uint32_t type,
            const uint8_t *data, size_t len)
{
  struct md_val *v = realloc (t->vals, (t->nvals + 1) * sizeof *v);
  assert_non_null (v);
  t->vals = v;
  v += t->nvals++;
  v->n16 = strlen (ascii_name);
  v->name16 = malloc ((v->n16 + 1) * sizeof *v->name16);
  for (size_t i = 0; i < v->n16; i++)
    v->name16[i] = (unsigned char) ascii_name[i];
  v->type = type;
  v->len = len;
  v->data = malloc (len + 1);
  if (len)
    memcpy (v->data, data, len);
  v->origin = -1;
  t->changes_valid = 0;
}

static void
read_header (const char *path, mountdb_header *h, uint64_t *hbin_time)
{
  size_t n;
  uint8_t *p = slurp (path, &n);
  assert_true (n >= 8192);
  assert_int_equal (mountdb_header_parse (p, n, h), 0);
  if (hbin_time) {
    *hbin_time = 0;
    for (int i = 7; i >= 0; i--)
      *hbin_time = *hbin_time << 8 | p[4096 + 20 + i];
  }
  free (p);
}

/* Windows' rule, computed here independently of the library (H6). */
static uint32_t
windows_checksum (const char *path)
{
  size_t n;
  uint8_t *p = slurp (path, &n);
  uint32_t x = 0;
  for (size_t i = 0; i < 508; i += 4)
    x ^= (uint32_t) p[i] | (uint32_t) p[i + 1] << 8
         | (uint32_t) p[i + 2] << 16 | (uint32_t) p[i + 3] << 24;
  free (p);
  return x == 0 ? 1 : x == 0xFFFFFFFFu ? 0xFFFFFFFEu : x;
}

/* ---- the final list against what was written ------------------------------------ */

static void
same_units (const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
  assert_int_equal (na, nb);
  if (na)
    assert_memory_equal (a, b, na * sizeof *a);
}

/* The output's MountedDevices is exactly the final list; values the
 * transaction took from the input keep its exact names and bytes. */
static void
check_final_list (const mountdb *in, const mountdb_txn *t, const char *out)
{
  mountdb *o = open_ok (out, 0);
  assert_int_equal (mountdb_entry_count (o), t->nvals);
  for (size_t i = 0; i < t->nvals; i++) {
    const struct mountdb_entry *e = &o->entries[i];
    const struct md_val *v = &t->vals[i];
    same_units (e->name16, e->name16_len, v->name16, v->n16);
    assert_int_equal (e->type, v->type);
    assert_int_equal (e->len, v->len);
    if (v->len)
      assert_memory_equal (e->data, v->data, v->len);
    if (v->origin >= 0) {
      const struct mountdb_entry *x = &in->entries[v->origin];
      same_units (e->name16, e->name16_len, x->name16, x->name16_len);
    }
  }
  mountdb_close (o);
}

/* ---- the whole tree, through hivex ------------------------------------------------- */

struct tree {
  hive_h *h;
  uint8_t *buf;
  size_t size;
};

static void
tree_open (struct tree *t, const char *path)
{
  t->h = hivex_open (path, 0);
  if (t->h == NULL)
    fail_msg ("hivex_open %s: %s", path, strerror (errno));
  t->buf = slurp (path, &t->size);
}

static void
tree_close (struct tree *t)
{
  hivex_close (t->h);
  free (t->buf);
}

/* The exact stored name units of a value (from its vk cell). */
static uint16_t *
vk_units (const struct tree *t, hive_value_h v, size_t *n)
{
  md_vk vk;
  assert_true (v < t->size);
  assert_int_equal (md_regf_vk_parse (t->buf + v, t->size - v, &vk), 0);
  int latin1 = vk.flags & 1;
  *n = latin1 ? vk.name_len : vk.name_len / 2u;
  uint16_t *u = malloc ((*n + 1) * sizeof *u);
  for (size_t i = 0; i < *n; i++)
    u[i] = latin1 ? vk.name[i]
                  : (uint16_t) (vk.name[2 * i] | vk.name[2 * i + 1] << 8);
  return u;
}

static int
is_noautomount (const struct tree *t, hive_value_h v)
{
  size_t n;
  uint16_t *u = vk_units (t, v, &n);
  static const char nam[] = "noautomount";
  int r = n == 11;
  for (size_t i = 0; r && i < n; i++)
    r = u[i] < 128 && (u[i] | 0x20) == nam[i];
  free (u);
  return r;
}

struct skip {
  int md_created;          /* the output has MountedDevices, the input not */
  const char *mm_path;     /* "\ControlSet00N\Services\mountmgr" changed */
  int mm_created;
};

struct walk {
  const struct tree *a, *b;
  const struct skip *sk;
  size_t keys, values;
};

static void
compare_values (struct walk *w, hive_node_h na, hive_node_h nb, int skip_nam)
{
  hive_value_h *va = hivex_node_values (w->a->h, na);
  hive_value_h *vb = hivex_node_values (w->b->h, nb);
  assert_non_null (va);
  assert_non_null (vb);
  size_t i = 0, j = 0;
  for (;;) {
    while (skip_nam && va[i] && is_noautomount (w->a, va[i]))
      i++;
    while (skip_nam && vb[j] && is_noautomount (w->b, vb[j]))
      j++;
    if (va[i] == 0 || vb[j] == 0)
      break;
    size_t n1, n2;
    uint16_t *u1 = vk_units (w->a, va[i], &n1);
    uint16_t *u2 = vk_units (w->b, vb[j], &n2);
    same_units (u1, n1, u2, n2);
    free (u1);
    free (u2);
    hive_type t1, t2;
    size_t l1, l2;
    char *d1 = hivex_value_value (w->a->h, va[i], &t1, &l1);
    char *d2 = hivex_value_value (w->b->h, vb[j], &t2, &l2);
    assert_non_null (d1);
    assert_non_null (d2);
    assert_int_equal (t1, t2);
    assert_int_equal (l1, l2);
    if (l1)
      assert_memory_equal (d1, d2, l1);
    free (d1);
    free (d2);
    w->values++;
    i++;
    j++;
  }
  assert_int_equal (va[i], 0);
  assert_int_equal (vb[j], 0);
  free (va);
  free (vb);
}

static void
compare_node (struct walk *w, hive_node_h na, hive_node_h nb,
              const char *path, int depth)
{
  w->keys++;
  char *a = hivex_node_name (w->a->h, na), *b = hivex_node_name (w->b->h, nb);
  assert_non_null (a);
  assert_non_null (b);
  assert_string_equal (a, b);
  size_t plen = strlen (path) + strlen (a) + 2;
  char *p = malloc (plen);
  if (depth)
    snprintf (p, plen, "%s\\%s", path, a);
  else
    p[0] = '\0'; /* the root: children are "\\NAME" */
  int is_md = depth == 1 && strcasecmp (a, "MountedDevices") == 0;
  int is_mm = w->sk->mm_path && strcasecmp (p, w->sk->mm_path) == 0;
  free (a);
  free (b);
  /* LastWrite: only the keys that were written may differ. */
  if (!is_md && !is_mm)
    assert_int_equal (hivex_node_timestamp (w->a->h, na),
                      hivex_node_timestamp (w->b->h, nb));
  if (!is_md) /* compared through mountdb (check_final_list) */
    compare_values (w, na, nb, is_mm);
  hive_node_h *ca = hivex_node_children (w->a->h, na);
  hive_node_h *cb = hivex_node_children (w->b->h, nb);
  assert_non_null (ca);
  assert_non_null (cb);
  size_t i = 0, j = 0;
  for (;;) {
    /* A key the write created exists only in the output. */
    if (cb[j] && ((depth == 0 && w->sk->md_created)
                  || (w->sk->mm_created && w->sk->mm_path
                      && strlen (p) + 9 == strlen (w->sk->mm_path)
                      && strncasecmp (p, w->sk->mm_path, strlen (p)) == 0))) {
      char *n = hivex_node_name (w->b->h, cb[j]);
      int skip = strcasecmp (n, depth == 0 && w->sk->md_created
                                ? "MountedDevices" : "mountmgr") == 0;
      free (n);
      if (skip) {
        j++;
        continue;
      }
    }
    if (ca[i] == 0 || cb[j] == 0)
      break;
    compare_node (w, ca[i], cb[j], p, depth + 1);
    i++;
    j++;
  }
  assert_int_equal (ca[i], 0);
  assert_int_equal (cb[j], 0);
  free (ca);
  free (cb);
  free (p);
}

/* Every key and value of in and out, in order, byte for byte, except
 * MountedDevices' values and what sk names. */
static void
compare_trees (const char *in, const char *out, const struct skip *sk)
{
  static const struct skip none = { 0, NULL, 0 };
  struct tree a, b;
  tree_open (&a, in);
  tree_open (&b, out);
  struct walk w = { &a, &b, sk ? sk : &none, 0, 0 };
  compare_node (&w, hivex_root (a.h), hivex_root (b.h), "", 0);
  assert_true (w.keys > 3);
  tree_close (&a);
  tree_close (&b);
}

/* ---- round trips ---------------------------------------------------------------------- */

/* Write in -> out with t, then check header, list and whole tree. */
static void
round_trip (const char *dir, const char *in, mountdb *db, mountdb_txn *t,
            const struct skip *sk)
{
  char *out = strdup (join (dir, "out.hive"));
  char sha_in[65], sha_in2[65], sha_out[65];
  sha_file (in, sha_in);
  mountdb_write_opts o = opts_fixed (130000000000000000ULL);
  mountdb_report *r = NULL;
  write_ok (db, t, out, &o, &r);
  sha_file (in, sha_in2);
  assert_string_equal (sha_in, sha_in2); /* F1: the input is untouched */
  sha_file (out, sha_out);
  struct stat st;
  assert_int_equal (stat (out, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0644); /* 0666 & ~umask */
  assert_non_null (r);
  assert_string_equal (mountdb_report_output (r), out);
  assert_null (mountdb_report_backup (r));
  assert_string_equal (mountdb_report_sha256_before (r), sha_in);
  assert_string_equal (mountdb_report_sha256_after (r), sha_out);
  assert_int_equal (mountdb_report_change_count (r), mountdb_txn_change_count (t));

  mountdb_header h;
  uint64_t hbin;
  read_header (out, &h, &hbin);
  assert_true (h.signature_ok);
  assert_true (h.checksum_ok);
  assert_int_equal (h.checksum_stored, windows_checksum (out));
  assert_false (h.dirty);
  assert_int_equal (h.seq1, db->hdr.seq1 + 1);
  assert_int_equal (h.seq2, db->hdr.seq1 + 1);
  assert_int_equal (h.last_written, 130000000000000000ULL);
  assert_memory_equal (mountdb_report_header_after (r), &h, sizeof h);
  assert_memory_equal (mountdb_report_header_before (r), &db->hdr, sizeof h);
  mountdb_report_free (r);

  check_final_list (db, t, out);
  compare_trees (in, out, sk);
  free (out);
}

static void
sample_round_trip (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'F');              /* a deletion and a new marker */
  mountdb_error err;
  assert_int_equal (mountdb_txn_swap (t, 'D', 'E', &err), 0);
  round_trip (dir, in, db, t, NULL);

  /* The key's LastWrite follows the fixed time too. */
  mountdb *o = open_ok (join (dir, "out.hive"), 0);
  assert_int_equal (mountdb_key_last_written (o), 130000000000000000ULL);
  mountdb_close (o);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

static void
real_round_trip (const char *name, char letter)
{
  if (real == NULL) {
    printf ("SKIP: real hives not found (set REAL_HIVES)\n");
    skip ();
  }
  char src[4096], *dir;
  snprintf (src, sizeof src, "%s/%s", real, name);
  char *in = stage (src, &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, letter);
  round_trip (dir, in, db, t, NULL);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

static void
real_win7 (void **state)
{
  (void) state;
  real_round_trip ("win7-x86-usb.SYSTEM", 'E');
}

static void
real_xp (void **state)
{
  (void) state;
  real_round_trip ("xp-x86-m57-removable.SYSTEM", 'E');
}

/* A list equal to the input's leaves the key (and its time) alone. */
static void
unchanged_list (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  round_trip (dir, in, db, t, NULL);
  mountdb *o = open_ok (join (dir, "out.hive"), 0);
  assert_int_equal (mountdb_key_last_written (o), db->key_lastwrite);
  mountdb_close (o);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* W6 with force (V10 is a new error): an empty key stays a key. */
static void
empty_list (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  mountdb_error err;
  assert_true (mountdb_txn_reset (t, 0, 'C', &err) > 0);
  mountdb_write_opts o = opts_fixed (0);
  err = write_fails (db, t, join (dir, "out.hive"), &o, MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "V10"));
  assert_non_null (strstr (err.message, "--force"));
  assert_false (exists (join (dir, "out.hive")));
  o.force = 1;
  write_ok (db, t, join (dir, "out.hive"), &o, NULL);
  mountdb *out = open_ok (join (dir, "out.hive"), 0);
  assert_int_equal (mountdb_key_state (out), MOUNTDB_KEY_PRESENT);
  assert_int_equal (mountdb_entry_count (out), 0);
  mountdb_close (out);
  compare_trees (in, join (dir, "out.hive"), NULL);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* No MountedDevices: the write creates it under the root. */
static void
creates_key (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("nokey.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  assert_int_equal (mountdb_key_state (db), MOUNTDB_KEY_ABSENT);
  mountdb_txn *t = txn_ok (db);
  mountdb_spec *s = NULL;
  mountdb_error err;
  assert_int_equal (mountdb_spec_parse ("mbr:11223344:1MiB", &s, &err), 0);
  if (mountdb_txn_assign (t, 'C', s, MOUNTDB_ASSIGN_NEW, &err) < 0)
    fail_msg ("%s", err.message);
  mountdb_spec_free (s);
  struct skip sk = { 1, NULL, 0 };
  round_trip (dir, in, db, t, &sk);
  mountdb *o = open_ok (join (dir, "out.hive"), 0);
  assert_int_equal (mountdb_key_state (o), MOUNTDB_KEY_PRESENT);
  assert_int_equal (mountdb_entry_count (o), 2);
  assert_int_equal (mountdb_key_last_written (o), 130000000000000000ULL);
  mountdb_close (o);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* ---- automount (W7) ----------------------------------------------------------------- */

/* LastWrite of ControlSet00N\Services\mountmgr, read with hivex. */
static int64_t
mountmgr_time (const char *path, int n)
{
  hive_h *h = hivex_open (path, 0);
  assert_non_null (h);
  char cs[32];
  snprintf (cs, sizeof cs, "ControlSet%03d", n);
  hive_node_h k = hivex_node_get_child (h, hivex_root (h), cs);
  k = k ? hivex_node_get_child (h, k, "Services") : 0;
  k = k ? hivex_node_get_child (h, k, "mountmgr") : 0;
  assert_true (k != 0);
  int64_t t = hivex_node_timestamp (h, k);
  hivex_close (h);
  return t;
}

static void
automount_sample (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  mountdb_error err;
  assert_int_equal (mountdb_txn_automount (t, 0, &err), 0);
  struct skip sk = { 0, "\\ControlSet001\\Services\\mountmgr", 0 };
  round_trip (dir, in, db, t, &sk);
  mountdb *o = open_ok (join (dir, "out.hive"), 0);
  uint32_t v = 9;
  assert_int_equal (mountdb_noautomount (o, &v), MOUNTDB_VALUE_OK);
  assert_int_equal (v, 1);
  assert_int_equal (mountmgr_time (join (dir, "out.hive"), 1),
                    130000000000000000LL);
  /* Untouched list: MountedDevices keeps its time. */
  assert_int_equal (mountdb_key_last_written (o), db->key_lastwrite);
  mountdb_close (o);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* KEEP: the changed mountmgr keeps its time too; NULL options are the
 * defaults (NOW). */
static void
automount_keep (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  mountdb_error err;
  assert_int_equal (mountdb_txn_automount (t, 0, &err), 0);
  mountdb_write_opts o;
  mountdb_write_opts_init (&o);
  o.timestamp_mode = MOUNTDB_TS_KEEP;
  write_ok (db, t, join (dir, "keep.hive"), &o, NULL);
  assert_int_equal (mountmgr_time (join (dir, "keep.hive"), 1),
                    mountmgr_time (in, 1));
  mountdb_header h;
  read_header (join (dir, "keep.hive"), &h, NULL);
  assert_int_equal (h.last_written, db->hdr.last_written);
  uint64_t before = now_ft ();
  write_ok (db, t, join (dir, "now.hive"), NULL, NULL);
  assert_true (mountmgr_time (join (dir, "now.hive"), 1) >= (int64_t) before);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* Select\Current = 2: ControlSet002 changes, ControlSet001 does not. */
static void
automount_current_set (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("controlset.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  mountdb_error err;
  assert_int_equal (mountdb_txn_automount (t, 1, &err), 0);
  assert_int_equal (t->automount, 1);
  struct skip sk = { 0, "\\ControlSet002\\Services\\mountmgr", 0 };
  round_trip (dir, in, db, t, &sk);
  mountdb *o = open_ok (join (dir, "out.hive"), 0);
  uint32_t v = 9;
  assert_int_equal (mountdb_noautomount (o, &v), MOUNTDB_VALUE_OK);
  assert_int_equal (v, 0);
  assert_int_equal (mountmgr_time (join (dir, "out.hive"), 2),
                    130000000000000000LL);
  assert_int_equal (mountmgr_time (join (dir, "out.hive"), 1),
                    mountmgr_time (in, 1));
  mountdb_close (o);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* No mountmgr key: it is created with NoAutoMount alone. */
static void
automount_creates_mountmgr (void **state)
{
  (void) state;
  char *dir = strdup (case_dir ());
  char *in = strdup (join (dir, "in.hive"));
  hive_h *h = hivex_open (fixture ("sample.hive"), HIVEX_OPEN_WRITE);
  assert_non_null (h);
  hive_node_h n = hivex_root (h);
  n = hivex_node_get_child (h, n, "ControlSet001");
  n = hivex_node_get_child (h, n, "Services");
  n = hivex_node_get_child (h, n, "mountmgr");
  assert_true (n != 0);
  assert_int_equal (hivex_node_delete_child (h, n), 0);
  assert_int_equal (hivex_commit (h, in, 0), 0);
  hivex_close (h);
  mountdb *db = open_ok (in, 0);
  assert_int_equal (mountdb_noautomount (db, NULL), MOUNTDB_VALUE_ABSENT);
  mountdb_txn *t = txn_ok (db);
  mountdb_error err;
  assert_int_equal (mountdb_txn_automount (t, 0, &err), 0);
  struct skip sk = { 0, "\\ControlSet001\\Services\\mountmgr", 1 };
  round_trip (dir, in, db, t, &sk);
  mountdb *o = open_ok (join (dir, "out.hive"), 0);
  uint32_t v = 9;
  assert_int_equal (mountdb_noautomount (o, &v), MOUNTDB_VALUE_OK);
  assert_int_equal (v, 1);
  mountdb_close (o);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

static void
automount_no_control_set (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("select-nocs.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  t->automount = 1; /* the operation refuses already; the writer must too */
  mountdb_write_opts o = opts_fixed (0);
  mountdb_error err =
    write_fails (db, t, join (dir, "out.hive"), &o, MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "ControlSet005"));
  assert_int_equal (dir_count (dir, NULL, NULL), 1);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* ---- timestamps (F7) --------------------------------------------------------------- */

struct times {
  uint64_t hdr, hbin, key;
};

static struct times
write_times (const mountdb_write_opts *o, const char *sde, struct times *in)
{
  char *dir;
  char *inp = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (inp, 0);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'G');
  if (sde)
    setenv ("SOURCE_DATE_EPOCH", sde, 1);
  else
    unsetenv ("SOURCE_DATE_EPOCH");
  write_ok (db, t, join (dir, "out.hive"), o, NULL);
  unsetenv ("SOURCE_DATE_EPOCH");
  struct times r;
  mountdb_header h;
  read_header (join (dir, "out.hive"), &h, &r.hbin);
  assert_true (h.checksum_ok);
  r.hdr = h.last_written;
  mountdb *out = open_ok (join (dir, "out.hive"), 0);
  r.key = mountdb_key_last_written (out);
  mountdb_close (out);
  read_header (inp, &h, &in->hbin);
  in->hdr = h.last_written;
  in->key = mountdb_key_last_written (db);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (inp);
  free (dir);
  return r;
}

static void
timestamps (void **state)
{
  (void) state;
  struct times in, r;
  mountdb_write_opts o;
  mountdb_write_opts_init (&o);
  assert_int_equal (o.timestamp_mode, MOUNTDB_TS_NOW);
  assert_int_equal (o.backup, 1);

  /* NOW: the clock, in header, first hive bin and key alike. */
  uint64_t before = now_ft ();
  r = write_times (&o, NULL, &in);
  uint64_t after = now_ft ();
  assert_true (r.hdr >= before && r.hdr <= after);
  assert_int_equal (r.hbin, r.hdr);
  assert_int_equal (r.key, r.hdr);
  assert_int_equal (in.hbin, in.hdr); /* the fixture mirrors it too */

  /* NOW with SOURCE_DATE_EPOCH. */
  r = write_times (&o, "1700000000", &in);
  uint64_t sde = 1700000000ULL * FT_SECOND + MD_FILETIME_UNIX_EPOCH;
  assert_int_equal (r.hdr, sde);
  assert_int_equal (r.hbin, sde);
  assert_int_equal (r.key, sde);

  /* KEEP: everything as it was. */
  o.timestamp_mode = MOUNTDB_TS_KEEP;
  r = write_times (&o, "1700000000", &in);
  assert_int_equal (r.hdr, in.hdr);
  assert_int_equal (r.hbin, in.hbin);
  assert_int_equal (r.key, in.key);
  assert_true (in.hdr != in.key);

  /* FIXED. */
  o = opts_fixed (125000000000000000ULL);
  r = write_times (&o, "1700000000", &in);
  assert_int_equal (r.hdr, 125000000000000000ULL);
  assert_int_equal (r.hbin, 125000000000000000ULL);
  assert_int_equal (r.key, 125000000000000000ULL);
}

static void
bad_source_date_epoch (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  mountdb_write_opts o;
  mountdb_write_opts_init (&o);
  const char *bad[] = { "12abc", "-5", " 1", "99999999999999999999" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    setenv ("SOURCE_DATE_EPOCH", bad[i], 1);
    mountdb_error err =
      write_fails (db, t, join (dir, "out.hive"), &o, MOUNTDB_E_INVAL);
    assert_non_null (strstr (err.message, "SOURCE_DATE_EPOCH"));
  }
  unsetenv ("SOURCE_DATE_EPOCH");
  o = opts_fixed ((uint64_t) INT64_MAX + 1);
  write_fails (db, t, join (dir, "out.hive"), &o, MOUNTDB_E_INVAL);
  assert_int_equal (dir_count (dir, NULL, NULL), 1);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* F7: same inputs and options, byte-identical outputs. */
static void
deterministic_one (const char *src, char letter)
{
  char *dir;
  char *in = stage (src, &dir);
  char sha[2][65];
  setenv ("SOURCE_DATE_EPOCH", "1600000000", 1);
  for (int k = 0; k < 2; k++) {
    mountdb *db = open_ok (in, MOUNTDB_OPEN_NO_HASH);
    mountdb_txn *t = txn_ok (db);
    unassign_ok (t, letter);
    char name[32];
    snprintf (name, sizeof name, "out%d.hive", k);
    mountdb_write_opts o;
    mountdb_write_opts_init (&o);
    write_ok (db, t, join (dir, name), &o, NULL);
    sha_file (join (dir, name), sha[k]);
    mountdb_txn_free (t);
    mountdb_close (db);
  }
  unsetenv ("SOURCE_DATE_EPOCH");
  assert_string_equal (sha[0], sha[1]);
  free (in);
  free (dir);
}

static void
deterministic (void **state)
{
  (void) state;
  deterministic_one (fixture ("sample.hive"), 'F');
}

static void
deterministic_real (void **state)
{
  (void) state;
  if (real == NULL) {
    printf ("SKIP: real hives not found (set REAL_HIVES)\n");
    skip ();
  }
  char src[4096];
  snprintf (src, sizeof src, "%s/win7-x86-usb.SYSTEM", real);
  deterministic_one (src, 'E');
}

/* H6: a header whose raw XOR is 0 gets checksum 1 (Windows' rule). */
static void
checksum_windows_rule (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'G');
  mountdb_write_opts o = opts_fixed (0);
  write_ok (db, t, join (dir, "zero.hive"), &o, NULL);
  /* XOR of the other 125 dwords: the time that cancels it. */
  size_t n;
  uint8_t *p = slurp (join (dir, "zero.hive"), &n);
  uint32_t x = 0;
  for (size_t i = 0; i < 508; i += 4)
    if (i != 12 && i != 16)
      x ^= (uint32_t) p[i] | (uint32_t) p[i + 1] << 8
           | (uint32_t) p[i + 2] << 16 | (uint32_t) p[i + 3] << 24;
  free (p);
  o = opts_fixed (x);
  write_ok (db, t, join (dir, "one.hive"), &o, NULL);
  mountdb_header h;
  read_header (join (dir, "one.hive"), &h, NULL);
  assert_int_equal (h.last_written, x);
  assert_int_equal (h.checksum_stored, 1);
  assert_true (h.checksum_ok);
  /* hivex itself would refuse it; mountdb still reads it back. */
  assert_null (hivex_open (join (dir, "one.hive"), 0));
  mountdb *back = open_ok (join (dir, "one.hive"), 0);
  assert_false (mountdb_file_header (back)->dirty);
  mountdb_close (back);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* ---- refusals ------------------------------------------------------------------------ */

/* A refused write leaves only the input in its directory. */
static void
refused (const char *fx, unsigned flags, void (*edit) (mountdb_txn *),
         const mountdb_write_opts *o, int code, const char *needle)
{
  char *dir;
  char *in = stage (fixture (fx), &dir);
  char sha[65], sha2[65];
  sha_file (in, sha);
  mountdb *db = open_ok (in, flags);
  mountdb_txn *t = txn_ok (db);
  if (edit)
    edit (t);
  mountdb_error err = write_fails (db, t, join (dir, "out.hive"), o, code);
  if (needle && strstr (err.message, needle) == NULL)
    fail_msg ("\"%s\" not in: %s", needle, err.message);
  sha_file (in, sha2);
  assert_string_equal (sha, sha2);
  assert_int_equal (dir_count (dir, NULL, NULL), 1);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

static void
refuse_dirty (void **state)
{
  (void) state;
  mountdb_write_opts o = opts_fixed (0);
  refused ("dirty.hive", 0, NULL, &o, MOUNTDB_E_REFUSED, "--discard-logs");
  refused ("dirty.hive", 0, NULL, &o, MOUNTDB_E_REFUSED, "replay");
  refused ("badsum.hive", 0, NULL, &o, MOUNTDB_E_REFUSED, "H2");

  /* discard_logs: written, and clean (seq1 + 1 twice). */
  char *dir;
  char *in = stage (fixture ("dirty.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  o.discard_logs = 1;
  write_ok (db, t, join (dir, "out.hive"), &o, NULL);
  mountdb_header h;
  read_header (join (dir, "out.hive"), &h, NULL);
  assert_int_equal (h.seq1, 8);
  assert_int_equal (h.seq2, 8);
  assert_false (h.dirty);
  compare_trees (in, join (dir, "out.hive"), NULL);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

static void
refuse_unsafe (void **state)
{
  (void) state;
  mountdb_write_opts o = opts_fixed (0);
  refused ("sample.hive", MOUNTDB_OPEN_UNSAFE, NULL, &o, MOUNTDB_E_REFUSED,
           "H3");
}

static void
add_case_twin (mountdb_txn *t)
{
  static const uint8_t id[12] = { 1, 2, 3, 4, 0, 0, 0x10 };
  append_val (t, "\\dosdevices\\c:", 3, id, sizeof id);
}

static void
refuse_case_twins (void **state)
{
  (void) state;
  mountdb_write_opts o = opts_fixed (0);
  refused ("case.hive", 0, NULL, &o, MOUNTDB_E_REFUSED, "V6");
  refused ("sample.hive", 0, add_case_twin, &o, MOUNTDB_E_REFUSED, "V6");
  o.force = 1; /* not a policy finding: force does not help */
  refused ("sample.hive", 0, add_case_twin, &o, MOUNTDB_E_REFUSED, "V6");
}

static void
add_big (mountdb_txn *t)
{
  static uint8_t big[16345];
  append_val (t, "\\??\\Volume{11111111-2222-3333-4444-555555555555}", 3, big,
              sizeof big);
}

static void
refuse_big_value (void **state)
{
  (void) state;
  mountdb_write_opts o = opts_fixed (0);
  refused ("big-value.hive", 0, NULL, &o, MOUNTDB_E_REFUSED, "H4");
  /* A value over 16344 bytes hivex once wrote as one cell: still H4. */
  refused ("big-cell.hive", 0, NULL, &o, MOUNTDB_E_REFUSED, "20000 bytes");
  refused ("sample.hive", 0, add_big, &o, MOUNTDB_E_REFUSED, "16345 bytes");

  /* 16344 bytes is one cell, as Windows keeps it. */
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  static uint8_t edge[16344];
  memset (edge, 0x5a, sizeof edge);
  append_val (t, "edge", 3, edge, sizeof edge);
  write_ok (db, t, join (dir, "out.hive"), &o, NULL);
  check_final_list (db, t, join (dir, "out.hive"));
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

static void
refuse_unwritable_names (void **state)
{
  (void) state;
  mountdb_write_opts o = opts_fixed (0);
  refused ("hostile.hive", 0, NULL, &o, MOUNTDB_E_REFUSED, "U+0000");
}

static void
unassign_c (mountdb_txn *t)
{
  unassign_ok (t, 'C');
}

static void
unassign_d (mountdb_txn *t)
{
  unassign_ok (t, 'D');
}

static void
automount_off (mountdb_txn *t)
{
  assert_int_equal (mountdb_txn_automount (t, 0, NULL), 0);
}

/* Issue 10 items 1-3: hostile fixtures (mkhive damage lines).  Each write
 * that would rewrite MountedDevices is refused before hivex sees the hive
 * (no abort, no other key damaged, nothing left); reading still works. */
static void
refuse_damaged_cells (void **state)
{
  (void) state;
  static const struct { const char *fx, *why; } c[] = {
    { "dmg-name-ffff.hive", "runs past its cell" },
    { "dmg-name-over.hive", "runs past its cell" },
    { "dmg-name-odd.hive", "odd number of bytes" },
    { "dmg-share-vk.hive", "by another key" },
    { "dmg-share-data.hive", "by another key" },
    { "dmg-data-self.hive", "within the key" },
    { "dmg-data-twice.hive", "within the key" },
  };
  mountdb_write_opts o = opts_fixed (0);
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
    refused (c[i].fx, 0, unassign_d, &o, MOUNTDB_E_REFUSED, c[i].why);
    refused (c[i].fx, 0, unassign_d, &o, MOUNTDB_E_REFUSED,
             "cannot be written safely");
    o.in_place = 1;
    refused (c[i].fx, 0, unassign_d, &o, MOUNTDB_E_REFUSED, c[i].why);
    o.in_place = 0;
    o.force = 1; /* not a policy finding: force does not help */
    refused (c[i].fx, 0, unassign_d, &o, MOUNTDB_E_REFUSED, c[i].why);
    o.force = 0;
    mountdb *db = open_ok (fixture (c[i].fx), 0);
    assert_int_equal (mountdb_entry_count (db), 3);
    mountdb_close (db);
  }
  /* Automount rewrites mountmgr's values: one shared with Select. */
  refused ("dmg-share-mm.hive", 0, automount_off, &o, MOUNTDB_E_REFUSED,
           "by another key");
  /* A name read short is said, not silently shortened. */
  mountdb *db = open_ok (fixture ("dmg-name-ffff.hive"), 0);
  assert_int_equal (mountdb_diag_count (db), 1);
  int code;
  const char *msg;
  assert_int_equal (mountdb_diag_get (db, 0, &code, &msg), 0);
  assert_int_equal (code, MOUNTDB_DIAG_VALUE_UNREADABLE);
  assert_non_null (strstr (msg, "past its cell"));
  mountdb_close (db);
}

/* The whole tree is compared after the write: a change outside
 * MountedDevices (here the root key's LastWrite, changed in the temp file
 * by a test hook) fails verification and nothing is put in place. */
/* The tree digest goes through digest.c's raw final (the one crypto
 * seam): the FIPS 180-2 "abc" vector, the same bytes as the hex form, and
 * a scan of one hive twice gives one digest. */
static void
digest_raw_and_scan (void **state)
{
  (void) state;
  static const uint8_t abc[32] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde,
    0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
    0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
  };
  uint8_t raw[32];
  char hex[65], want[65];
  md_digest *d = md_digest_new ();
  assert_non_null (d);
  assert_int_equal (md_digest_update (d, "abc", 3), 0);
  assert_int_equal (md_digest_final_raw (d, raw), 0);
  md_digest_free (d);
  assert_memory_equal (raw, abc, 32);
  assert_non_null (d = md_digest_new ());
  assert_int_equal (md_digest_update (d, "abc", 3), 0);
  assert_int_equal (md_digest_final (d, hex), 0);
  md_digest_free (d);
  for (int i = 0; i < 32; i++)
    snprintf (want + 2 * i, 3, "%02x", abc[i]);
  assert_string_equal (hex, want);

  size_t n;
  uint8_t *b = slurp (fixture ("sample.hive"), &n);
  struct md_scan s1, s2;
  memset (&s1, 0, sizeof s1); /* in: nothing rewritten */
  memset (&s2, 0, sizeof s2);
  static const uint8_t zero[32];
  assert_int_equal (md_scan_hive (b, n, &s1), 0);
  assert_int_equal (md_scan_hive (b, n, &s2), 0);
  assert_memory_equal (s1.digest, s2.digest, 32);
  assert_memory_not_equal (s1.digest, zero, 32);
  free (b);
}

static void
refuse_other_key_changed (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'F');
  mountdb_write_opts o = opts_fixed (0);
  for (int in_place = 0; in_place < 2; in_place++) {
    o.in_place = in_place;
    md_write_set_fault ("tamper", 0);
    mountdb_error err = write_fails (db, t, join (dir, "out.hive"), &o,
                                     MOUNTDB_E_IO);
    md_write_set_fault (NULL, 0);
    if (strstr (err.message, "whole-tree digest") == NULL)
      fail_msg ("%s", err.message);
    assert_int_equal (dir_count (dir, NULL, NULL), 1);
  }
  /* The unchanged write passes the same comparison. */
  o.in_place = 0;
  write_ok (db, t, join (dir, "out.hive"), &o, NULL);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

static void
refuse_new_errors (void **state)
{
  (void) state;
  mountdb_write_opts o = opts_fixed (0);
  refused ("sample.hive", 0, unassign_c, &o, MOUNTDB_E_REFUSED, "V10");
  /* An error the input already has is not new (case.hive has V6, so use
   * v10-missing, whose V10 error stays). */
  char *dir;
  char *in = stage (fixture ("v10-missing.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  size_t nf = (mountdb_check (db, 'C'), mountdb_finding_count (db));
  write_ok (db, t, join (dir, "out.hive"), &o, NULL);
  /* The caller's findings are left as they were. */
  assert_int_equal (mountdb_finding_count (db), nf);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* F1: never the input, however named; never an existing file. */
static void
refuse_same_file (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  char sha[65], sha2[65];
  sha_file (in, sha);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'F');
  mountdb_write_opts o = opts_fixed (0);
  mountdb_error err;

  err = write_fails (db, t, in, &o, MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "F1"));
  char dotted[4096];
  snprintf (dotted, sizeof dotted, "%s/../%s/./in.hive", dir,
            strrchr (dir, '/') + 1);
  write_fails (db, t, dotted, &o, MOUNTDB_E_REFUSED);
  assert_int_equal (link (in, join (dir, "hard.hive")), 0);
  err = write_fails (db, t, join (dir, "hard.hive"), &o, MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "same device and inode"));
  assert_int_equal (symlink (in, join (dir, "sym.hive")), 0);
  write_fails (db, t, join (dir, "sym.hive"), &o, MOUNTDB_E_REFUSED);
  assert_int_equal (symlink ("in.hive", join (dir, "rel.hive")), 0);
  write_fails (db, t, join (dir, "rel.hive"), &o, MOUNTDB_E_REFUSED);

  /* Existing files and dangling links are not replaced. */
  copy_file (fixture ("nokey.hive"), join (dir, "other.hive"));
  char osha[65], osha2[65];
  sha_file (join (dir, "other.hive"), osha);
  err = write_fails (db, t, join (dir, "other.hive"), &o, MOUNTDB_E_EXISTS);
  assert_int_equal (err.sys_errno, EEXIST);
  sha_file (join (dir, "other.hive"), osha2);
  assert_string_equal (osha, osha2);
  assert_int_equal (symlink ("nowhere", join (dir, "dangling.hive")), 0);
  write_fails (db, t, join (dir, "dangling.hive"), &o, MOUNTDB_E_EXISTS);
  assert_false (exists (join (dir, "nowhere")));
  /* A directory that does not exist. */
  err = write_fails (db, t, join (dir, "no/such/out.hive"), &o, MOUNTDB_E_IO);
  assert_int_equal (err.sys_errno, ENOENT);
  write_fails (db, t, join (dir, ""), &o, MOUNTDB_E_INVAL);
  write_fails (db, t, NULL, &o, MOUNTDB_E_INVAL);

  sha_file (in, sha2);
  assert_string_equal (sha, sha2);
  assert_int_equal (dir_count (dir, NULL, NULL), 6);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

static void
refuse_foreign_txn (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *a = open_ok (in, 0), *b = open_ok (in, 0);
  mountdb_txn *t = txn_ok (a);
  mountdb_write_opts o = opts_fixed (0);
  write_fails (b, t, join (dir, "out.hive"), &o, MOUNTDB_E_INVAL);
  write_fails (NULL, t, join (dir, "out.hive"), &o, MOUNTDB_E_INVAL);
  o.system_letter = '1';
  write_fails (a, t, join (dir, "out.hive"), &o, MOUNTDB_E_INVAL);
  o = opts_fixed (0);
  o.timestamp_mode = 7;
  write_fails (a, t, join (dir, "out.hive"), &o, MOUNTDB_E_INVAL);
  assert_int_equal (dir_count (dir, NULL, NULL), 1);
  mountdb_txn_free (t);
  mountdb_close (a);
  mountdb_close (b);
  free (in);
  free (dir);
}

/* ---- in place ----------------------------------------------------------------------- */

/* A dirty hive is replayed in its own in-memory copy (lib/logs.c builds
 * the recovered image there, keeping an undo record): what the writer
 * hashes and backs up must still be the file as read, byte for byte,
 * also when the input was opened without hashing. */
static void
in_place_after_replay (void **state)
{
  (void) state;
  if (real == NULL) {
    printf ("SKIP: real hives not found (set REAL_HIVES)\n");
    skip ();
  }
  char src[4096], *dir;
  snprintf (src, sizeof src, "%s/win10-1709-dirty.SYSTEM", real);
  char *in = stage (src, &dir);
  for (int k = 1; k <= 2; k++) {
    char from[4200], to[64];
    snprintf (from, sizeof from, "%s.LOG%d", src, k);
    snprintf (to, sizeof to, "in.hive.LOG%d", k);
    copy_file (from, join (dir, to));
  }
  char sha[65], sha2[65];
  sha_file (in, sha);
  mountdb *db = open_ok (in, MOUNTDB_OPEN_NO_HASH);
  assert_true (mountdb_logs_applied (db));
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'F');              /* F: exists only in the logs */
  mountdb_write_opts o = opts_fixed (130000000000000000ULL);
  o.in_place = 1;
  mountdb_report *r = NULL;
  write_ok (db, t, NULL, &o, &r);
  assert_string_equal (mountdb_report_sha256_before (r), sha);
  const char *bak = mountdb_report_backup (r);
  assert_non_null (bak);
  sha_file (bak, sha2);
  assert_string_equal (sha2, sha);
  struct stat sb, ss;
  assert_int_equal (stat (bak, &sb), 0);
  assert_int_equal (stat (src, &ss), 0);
  assert_int_equal (sb.st_size, ss.st_size);
  mountdb_report_free (r);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

static void
in_place_backup (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  assert_int_equal (chmod (in, 0444), 0); /* like evidence copies */
  char sha[65], sha2[65];
  sha_file (in, sha);
  /* An old file: the backup keeps its times (issue 9 item 11). */
  struct timespec old[2] = { { 1000000000, 123456789 }, { 1100000000, 987654321 } };
  assert_int_equal (utimensat (AT_FDCWD, in, old, 0), 0);
  mountdb *db = open_ok (in, MOUNTDB_OPEN_NO_HASH);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'F');
  mountdb_write_opts o = opts_fixed (130000000000000000ULL);
  o.in_place = 1;
  mountdb_report *r = NULL;
  write_ok (db, t, "ignored", &o, &r);
  assert_false (exists ("ignored"));
  assert_string_equal (mountdb_report_output (r), in);
  /* NO_HASH input: the writer hashed the in-memory copy. */
  assert_string_equal (mountdb_report_sha256_before (r), sha);
  sha_file (in, sha2);
  assert_string_equal (mountdb_report_sha256_after (r), sha2);
  assert_string_not_equal (sha, sha2);
  const char *bak = mountdb_report_backup (r);
  assert_non_null (bak);
  assert_non_null (strstr (bak, "in.hive.mountdb-backup-"));
  assert_int_equal (strlen (strstr (bak, "backup-") + 7), 16);
  sha_file (bak, sha2);
  assert_string_equal (sha, sha2); /* the original bytes */
  struct stat st;
  assert_int_equal (stat (in, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0444);
  assert_int_equal (stat (bak, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0444);
  assert_int_equal (st.st_mtim.tv_sec, old[1].tv_sec);
  assert_int_equal (st.st_mtim.tv_nsec, old[1].tv_nsec);
  assert_int_equal (st.st_uid, getuid ());
  assert_int_equal (dir_count (dir, NULL, NULL), 2);
  check_final_list (db, t, in);
  compare_trees (bak, in, NULL);
  mountdb_report_free (r);

  /* Again within the same second: the next backup name. */
  mountdb *db2 = open_ok (in, 0);
  mountdb_txn *t2 = txn_ok (db2);
  unassign_ok (t2, 'G');
  write_ok (db2, t2, NULL, &o, &r);
  assert_non_null (mountdb_report_backup (r));
  assert_int_equal (dir_count (dir, NULL, NULL), 3);
  mountdb_report_free (r);
  mountdb_txn_free (t2);
  mountdb_close (db2);

  /* backup = 0: no backup is left. */
  mountdb *db3 = open_ok (in, 0);
  mountdb_txn *t3 = txn_ok (db3);
  unassign_ok (t3, 'D');
  o.backup = 0;
  write_ok (db3, t3, NULL, &o, &r);
  assert_null (mountdb_report_backup (r));
  assert_int_equal (dir_count (dir, NULL, NULL), 3);
  mountdb_report_free (r);
  mountdb_txn_free (t3);
  mountdb_close (db3);

  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* In place refuses when the file changed after it was read. */
static void
in_place_changed_underneath (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'F');
  /* Someone else replaces the file. */
  assert_int_equal (unlink (in), 0);
  copy_file (fixture ("nokey.hive"), in);
  char sha[65], sha2[65];
  sha_file (in, sha);
  mountdb_write_opts o = opts_fixed (0);
  o.in_place = 1;
  mountdb_error err = write_fails (db, t, NULL, &o, MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "changed on disk"));
  sha_file (in, sha2);
  assert_string_equal (sha, sha2);
  assert_int_equal (dir_count (dir, NULL, NULL), 1);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* ---- faults: every step fails cleanly ----------------------------------------------- */

static void
fault_one (const char *step, int in_place, int e)
{
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  char sha[65], sha2[65];
  sha_file (in, sha);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'F');
  mountdb_write_opts o = opts_fixed (0);
  o.in_place = in_place;
  char *out = join (dir, "out.hive");
  md_write_set_fault (step, e);
  mountdb_error err;
  mountdb_report *r = (mountdb_report *) 1;
  int rc = mountdb_write (db, t, in_place ? NULL : out, &o, &r, &err);
  md_write_set_fault (NULL, 0);
  if (rc >= 0)
    fail_msg ("step %s%s: the write succeeded", step,
              in_place ? " (in place)" : "");
  assert_null (r);
  if (strcmp (step, "verify") == 0)
    assert_non_null (strstr (err.message, "verification failed"));
  else
    assert_int_equal (err.sys_errno, e);
  assert_non_null (strstr (err.message, strerror (e)));
  sha_file (in, sha2);
  assert_string_equal (sha, sha2);
  assert_false (exists (out));
  if (dir_count (dir, NULL, NULL) != 1)
    fail_msg ("step %s%s left files behind", step,
              in_place ? " (in place)" : "");
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

static const char *const steps[] = {
  "mkstemp", "commit", "open_temp", "write_temp", "fsync_temp", "verify",
  "backup", "rename", "fsync_dir",
};

static void
faults (void **state)
{
  (void) state;
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    if (strcmp (steps[i], "backup") != 0)
      fault_one (steps[i], 0, EIO);
    fault_one (steps[i], 1, EIO);
  }
  fault_one ("mkstemp", 0, ENOSPC);
  fault_one ("write_temp", 1, ENOSPC);
  fault_one ("rename", 0, EXDEV);
}

/* What a crash right after a step leaves: the target is always either the
 * old file or the complete new one. */
/* The edit the crash and kill tests interrupt: unassign F: of in, written
 * to out (or in place) with the fault KIND_after_STEP armed (none when
 * kind is NULL).  Returns mountdb_write's result. */
static int
unassign_f_faulted (const char *in, const char *out, int in_place,
                    const char *kind, const char *step, mountdb_error *err)
{
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'F');
  mountdb_write_opts o = opts_fixed (0);
  o.in_place = in_place;
  char fault[64];
  if (kind) {
    snprintf (fault, sizeof fault, "%s_after_%s", kind, step);
    md_write_set_fault (fault, 0);
  }
  int rc = mountdb_write (db, t, in_place ? NULL : out, &o, NULL, err);
  md_write_set_fault (NULL, 0);
  mountdb_txn_free (t);
  mountdb_close (db);
  return rc;
}

static void
crash_one (const char *step, int in_place, char *dir_out[1])
{
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb_error err;
  int rc = unassign_f_faulted (in, join (dir, "out.hive"), in_place, "crash",
                               step, &err);
  assert_int_equal (rc, MOUNTDB_E_IO);
  assert_non_null (strstr (err.message, "simulated crash"));
  free (in);
  *dir_out = dir;
}

static void
crashes (void **state)
{
  (void) state;
  char *dir, sha[65], sha2[65];
  sha_file (fixture ("sample.hive"), sha);
  size_t temps;

  /* After the commit: a temp file, the target untouched. */
  crash_one ("commit", 0, &dir);
  assert_int_equal (dir_count (dir, ".out.hive.mountdb-", &temps), 2);
  assert_int_equal (temps, 1);
  assert_false (exists (join (dir, "out.hive")));
  sha_file (join (dir, "in.hive"), sha2);
  assert_string_equal (sha, sha2);
  free (dir);

  /* After fsync of the temp: a complete, valid hive under a temp name. */
  crash_one ("fsync_temp", 0, &dir);
  mountdb *tmp = open_ok (find_entry (dir, ".mountdb-"), 0);
  assert_false (mountdb_file_header (tmp)->dirty);
  mountdb_close (tmp);
  free (dir);

  /* After the rename: the new file in place, complete. */
  crash_one ("rename", 0, &dir);
  assert_int_equal (dir_count (dir, NULL, NULL), 2);
  mountdb *out = open_ok (join (dir, "out.hive"), 0);
  assert_false (mountdb_file_header (out)->dirty);
  mountdb_close (out);
  free (dir);

  /* In place, after the backup: the input untouched, the backup made. */
  crash_one ("backup", 1, &dir);
  sha_file (join (dir, "in.hive"), sha2);
  assert_string_equal (sha, sha2);
  sha_file (find_entry (dir, "mountdb-backup-"), sha2);
  assert_string_equal (sha, sha2);
  assert_int_equal (dir_count (dir, ".in.hive.mountdb-", &temps), 3);
  assert_int_equal (temps, 1);
  free (dir);

  /* In place, after the rename: new input, original in the backup. */
  crash_one ("rename", 1, &dir);
  sha_file (join (dir, "in.hive"), sha2);
  assert_string_not_equal (sha, sha2);
  mountdb *now = open_ok (join (dir, "in.hive"), 0);
  assert_false (mountdb_file_header (now)->dirty);
  mountdb_close (now);
  sha_file (find_entry (dir, "mountdb-backup-"), sha2);
  assert_string_equal (sha, sha2);
  assert_int_equal (dir_count (dir, NULL, NULL), 2);
  free (dir);
}

/* ---- issue 10 item 4: concurrent in-place writers ------------------------------ */

/* Two in-place writers read the same hive; the first holds the lock
 * (test hook) between its check and its rename while the second tries.
 * Without the lock both passed the check and the second rename dropped
 * the first change.  Now the second waits, finds the hive changed and
 * refuses: every change lands or its writer fails clearly. */
static void
in_place_concurrent (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);    /* both read the original */
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'E');
  mountdb_write_opts o = opts_fixed (0);
  o.in_place = 1;
  pid_t pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0) {
    mountdb *cdb = open_ok (in, 0);
    mountdb_txn *ct = txn_ok (cdb);
    unassign_ok (ct, 'D');
    md_write_set_fault ("hold_lock", 0);
    mountdb_error err;
    _exit (mountdb_write (cdb, ct, NULL, &o, NULL, &err) == 0 ? 0 : 1);
  }
  /* The child holds the lock once its backup exists. */
  size_t made = 0;
  for (int i = 0; i < 2000 && made == 0; i++) {
    usleep (5000);
    dir_count (dir, "in.hive.mountdb-backup-", &made);
  }
  assert_int_equal (made, 1);
  mountdb_error err = write_fails (db, t, NULL, &o, MOUNTDB_E_REFUSED);
  assert_non_null (strstr (err.message, "changed on disk"));
  int st;
  assert_int_equal (waitpid (pid, &st, 0), pid);
  assert_true (WIFEXITED (st) && WEXITSTATUS (st) == 0);
  mountdb *now = open_ok (in, 0);
  char d = 0, e = 0;
  for (size_t i = 0; i < mountdb_entry_count (now); i++) {
    const char *n = mountdb_entry_name (mountdb_entry_get (now, i));
    d |= strcmp (n, "\\DosDevices\\D:") == 0;
    e |= strcmp (n, "\\DosDevices\\E:") == 0;
  }
  assert_false (d);   /* the child's change landed */
  assert_true (e);    /* ours was refused, not half made */
  mountdb_close (now);
  size_t backups;
  dir_count (dir, "in.hive.mountdb-backup-", &backups);
  assert_int_equal (backups, 1);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* ---- issue 10 item 10: kill -9 at every step ------------------------------------ */

/* A writer killed (SIGKILL) right after each step: the target is the old
 * hive or the new one, byte for byte; what is left is only temp files
 * named .BASE.mountdb-tmp-PID-XXXXXX with the dead writer's PID, and a
 * backup. */
static void
kill_one (const char *step, int in_place, const char *new_sha)
{
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  char old_sha[65], sha[65];
  sha_file (in, old_sha);
  char *out = in_place ? in : join (dir, "out.hive");
  pid_t pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0) {
    mountdb_error err;
    unassign_f_faulted (in, out, in_place, "kill", step, &err);
    _exit (3); /* not killed: the step was never reached */
  }
  int st;
  assert_int_equal (waitpid (pid, &st, 0), pid);
  if (!WIFSIGNALED (st) || WTERMSIG (st) != SIGKILL)
    fail_msg ("step %s: the writer was not killed there", step);
  if (exists (out)) {
    sha_file (out, sha);
    if (strcmp (sha, in_place ? old_sha : new_sha) != 0
        && strcmp (sha, new_sha) != 0)
      fail_msg ("step %s%s: the target is neither the old nor the new hive",
                step, in_place ? " (in place)" : "");
  }
  char prefix[128];
  snprintf (prefix, sizeof prefix, ".%s" MOUNTDB_TEMP_INFIX "%ld-",
            in_place ? "in.hive" : "out.hive", (long) pid);
  size_t temps, backups, n = dir_count (dir, prefix, &temps);
  dir_count (dir, "in.hive.mountdb-backup-", &backups);
  if (n != 1 + (!in_place && exists (out)) + temps + backups)
    fail_msg ("step %s: a file that is not a named temp file was left", step);
  free (in);
  free (dir);
}

static void
kills (void **state)
{
  (void) state;
  /* The new hive, made without interruption (fixed time: same bytes). */
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb_error err;
  assert_int_equal (unassign_f_faulted (in, join (dir, "new.hive"), 0, NULL,
                                        NULL, &err), 0);
  char new_sha[65];
  sha_file (join (dir, "new.hive"), new_sha);
  free (in);
  free (dir);
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    if (strcmp (steps[i], "backup") != 0)
      kill_one (steps[i], 0, new_sha);
    kill_one (steps[i], 1, new_sha);
  }
}

/* ---- the whole thing under the public API with every fixture that writes -------- */

/* Names UTF-8 can carry: control characters, C1 in Latin-1, an emoji
 * (surrogate pair), CJK, an empty name, 16383 units, a Latin-1-storable
 * name stored as UTF-16: all come back as the same units. */
static int
carriable (const struct md_val *v)
{
  for (size_t i = 0; i < v->n16; i++) {
    uint16_t c = v->name16[i];
    if (c == 0)
      return 0;
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < v->n16
        && v->name16[i + 1] >= 0xDC00 && v->name16[i + 1] <= 0xDFFF)
      i++;
    else if (c >= 0xD800 && c <= 0xDFFF)
      return 0;
  }
  return 1;
}

/* Equal but for case (ASCII, Latin-1) to one of vals[0..n). */
static int
folds_to_earlier (const struct md_val *vals, size_t n, const struct md_val *v)
{
  for (size_t k = 0; k < n; k++) {
    if (vals[k].n16 != v->n16)
      continue;
    size_t i = 0;
    for (; i < v->n16; i++) {
      uint16_t a = vals[k].name16[i], b = v->name16[i];
      if ((a >= 'a' && a <= 'z') || (a >= 0xE0 && a <= 0xFE && a != 0xF7))
        a -= 32;
      if ((b >= 'a' && b <= 'z') || (b >= 0xE0 && b <= 0xFE && b != 0xF7))
        b -= 32;
      if (a != b)
        break;
    }
    if (i == v->n16)
      return 1;
  }
  return 0;
}

static void
hostile_names (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("hostile.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  size_t kept = 0, dropped = 0;
  for (size_t i = 0; i < t->nvals; i++)
    if (carriable (&t->vals[i]) && !folds_to_earlier (t->vals, kept,
                                                      &t->vals[i]))
      t->vals[kept++] = t->vals[i];
    else {
      free (t->vals[i].name16);
      free (t->vals[i].data);
      dropped++;
    }
  t->nvals = kept;
  t->changes_valid = 0;
  assert_true (dropped >= 5);
  assert_true (kept > 30);
  mountdb_write_opts o = opts_fixed (0);
  o.force = 1;
  write_ok (db, t, join (dir, "out.hive"), &o, NULL);
  check_final_list (db, t, join (dir, "out.hive"));
  compare_trees (in, join (dir, "out.hive"), NULL);
  mountdb_txn_free (t);
  mountdb_close (db);
  free (in);
  free (dir);
}

/* Every fixture a write accepts: all its values go through hivex again
 * (one new marker forces the rewrite) and come out exactly. */
static void
every_fixture_rewritten (void **state)
{
  (void) state;
  const char *ok[] = { "sample.hive", "classes.hive", "shapes.hive",
                       "types.hive", "nokey.hive", "empty.hive", "multi.hive",
                       "controlset.hive", "v10-missing.hive",
                       "v10-devpath.hive", "v10-second.hive",
                       "select-bad.hive", "select-nocs.hive",
                       "automount-bad.hive" };
  static const uint8_t id[12] = { 0x78, 0x56, 0x34, 0x12, 0, 0, 0x10 };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    char *dir;
    char *in = stage (fixture (ok[i]), &dir);
    mountdb *db = open_ok (in, 0);
    mountdb_txn *t = txn_ok (db);
    append_val (t, "#{0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}", 3, id,
                sizeof id);
    mountdb_write_opts o = opts_fixed (0);
    o.force = 1; /* nokey: a key with only a marker lacks C: (V10) */
    mountdb_error err;
    if (mountdb_write (db, t, join (dir, "out.hive"), &o, NULL, &err) < 0)
      fail_msg ("%s: %s", ok[i], err.message);
    check_final_list (db, t, join (dir, "out.hive"));
    struct skip sk = { db->key_state == MOUNTDB_KEY_ABSENT, NULL, 0 };
    compare_trees (in, join (dir, "out.hive"), &sk);
    mountdb_txn_free (t);
    mountdb_close (db);
    free (in);
    free (dir);
  }
}

/* ---- setup ------------------------------------------------------------------------------ */

static int
rm_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st;
  (void) flag;
  (void) ftw;
  return remove (path);
}

static int
setup (void **state)
{
  (void) state;
  unsetenv ("SOURCE_DATE_EPOCH");
  umask (022);
  return mkdtemp (tmpdir) ? 0 : -1;
}

static int
teardown (void **state)
{
  (void) state;
  return nftw (tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Dry run: the same checks and verdicts as the write, and no file made.
 * unassign C: adds a V10 error: refused with the write's message; a
 * harmless edit passes and reports the hash the write then produces. */
static void
dry_run_same_verdict (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  mountdb_txn *t = txn_ok (db);
  unassign_ok (t, 'C');
  char *out = strdup (join (dir, "out.hive"));
  mountdb_write_opts o = opts_fixed (now_ft ());
  mountdb_error we, de;
  mountdb_report *r = NULL;
  int wrc = mountdb_write (db, t, out, &o, &r, &we);
  int drc = mountdb_write_dry_run (db, t, out, &o, &r, &de);
  assert_int_equal (wrc, MOUNTDB_E_REFUSED);
  assert_int_equal (drc, wrc);
  assert_string_equal (de.message, we.message);
  assert_null (r);
  /* No target named: the same verdict, the input named instead. */
  assert_int_equal (mountdb_write_dry_run (db, t, NULL, &o, &r, &de), wrc);
  assert_non_null (strstr (de.message, "V10"));
  assert_int_equal (dir_count (dir, NULL, NULL), 1);
  mountdb_txn_free (t);

  t = txn_ok (db);
  mountdb_error err;
  assert_int_equal (mountdb_txn_swap (t, 'D', 'E', &err), 0);
  if (mountdb_write_dry_run (db, t, out, &o, &r, &err) < 0)
    fail_msg ("%s", err.message);
  assert_int_equal (dir_count (dir, NULL, NULL), 1); /* nothing made */
  assert_false (exists (out));
  assert_string_equal (mountdb_report_output (r), out);
  assert_null (mountdb_report_backup (r));
  char want[65];
  strcpy (want, mountdb_report_sha256_after (r));
  mountdb_report_free (r);
  write_ok (db, t, out, &o, &r);
  char got[65];
  sha_file (out, got);
  assert_string_equal (got, want);
  mountdb_report_free (r);
  /* In place: no backup, the input untouched. */
  char before[65], after[65];
  sha_file (in, before);
  o.in_place = 1;
  if (mountdb_write_dry_run (db, t, NULL, &o, &r, &err) < 0)
    fail_msg ("%s", err.message);
  mountdb_report_free (r);
  sha_file (in, after);
  assert_string_equal (after, before);
  assert_int_equal (dir_count (dir, NULL, NULL), 2); /* in and out */
  mountdb_txn_free (t);
  mountdb_close (db);
  free (out);
  free (in);
  free (dir);
}

/* mountdb_write takes a const handle and keeps it so: several threads may
 * write from one handle (each with its own transaction) while others read
 * its findings (mountdb(3), THREAD SAFETY).  Before, the writer set the
 * handle's findings aside while it ran the rules, and a reader saw none. */
struct reader_arg {
  const mountdb *db;
  size_t n;
  const mountdb_finding *f0;
  atomic_int stop;
  atomic_long reads, wrong;
};

static void *
findings_reader (void *p)
{
  struct reader_arg *a = p;
  while (!atomic_load (&a->stop)) {
    if (mountdb_finding_count (a->db) != a->n
        || mountdb_finding_get (a->db, 0) != a->f0)
      atomic_fetch_add (&a->wrong, 1);
    atomic_fetch_add (&a->reads, 1);
  }
  return NULL;
}

struct writer_arg {
  const mountdb *db;
  const mountdb_txn *t;
  mountdb_write_opts o;
  int rc;
  char sha[65];
  char msg[sizeof ((mountdb_error *) 0)->message];
};

static void *
dry_writer (void *p)
{
  struct writer_arg *a = p;
  for (int k = 0; k < 4 && a->rc == 0; k++) {
    mountdb_report *r = NULL;
    mountdb_error err;
    a->rc = mountdb_write_dry_run (a->db, a->t, NULL, &a->o, &r, &err);
    if (a->rc < 0)
      snprintf (a->msg, sizeof a->msg, "%s", err.message);
    else
      snprintf (a->sha, sizeof a->sha, "%s", mountdb_report_sha256_after (r));
    mountdb_report_free (r);
  }
  return NULL;
}

static void
const_handle_threads (void **state)
{
  (void) state;
  char *dir;
  char *in = stage (fixture ("sample.hive"), &dir);
  mountdb *db = open_ok (in, 0);
  /* Z: the sample has no such letter, so V10 gives a finding to watch. */
  assert_int_equal (mountdb_check (db, 'Z'), 0);
  struct reader_arg ra = { db, mountdb_finding_count (db),
                           mountdb_finding_get (db, 0), 0, 0, 0 };
  assert_true (ra.n > 0);
  enum { NW = 3 };
  struct writer_arg wa[NW];
  pthread_t wt[NW], rt;
  for (int i = 0; i < NW; i++) {
    mountdb_txn *t = txn_ok (db);
    mountdb_error err;
    assert_int_equal (mountdb_txn_swap (t, 'D', 'E', &err), 0);
    wa[i] = (struct writer_arg) { db, t, opts_fixed (130000000000000000ULL),
                                  0, "", "" };
  }
  assert_int_equal (pthread_create (&rt, NULL, findings_reader, &ra), 0);
  /* The reader runs before the writers start: without libcrypto's set-up
   * the dry runs can all end before a loaded machine schedules it. */
  while (atomic_load (&ra.reads) == 0)
    sched_yield ();
  for (int i = 0; i < NW; i++)
    assert_int_equal (pthread_create (&wt[i], NULL, dry_writer, &wa[i]), 0);
  for (int i = 0; i < NW; i++)
    pthread_join (wt[i], NULL);
  atomic_store (&ra.stop, 1);
  pthread_join (rt, NULL);
  for (int i = 0; i < NW; i++) {
    if (wa[i].rc < 0)
      fail_msg ("writer %d: %s", i, wa[i].msg);
    assert_string_equal (wa[i].sha, wa[0].sha);
    mountdb_txn_free ((mountdb_txn *) wa[i].t);
  }
  assert_true (atomic_load (&ra.reads) > 0);
  assert_int_equal (atomic_load (&ra.wrong), 0);
  /* The findings are still the handle's own. */
  assert_int_equal (mountdb_finding_count (db), ra.n);
  assert_ptr_equal (mountdb_finding_get (db, 0), ra.f0);
  mountdb_close (db);
  free (in);
  free (dir);
}

int
main (void)
{
  fixtures = getenv ("FIXTURES");
  if (fixtures == NULL)
    fixtures = "testdata/out";
  real = getenv ("REAL_HIVES");
  char probe[4096];
  struct stat st;
  snprintf (probe, sizeof probe, "%s/MANIFEST.md", real ? real : "");
  if (real && stat (probe, &st) != 0)
    real = NULL;
  if (real == NULL)
    printf ("NOTE: real hives not found (REAL_HIVES=%s): their tests are "
            "skipped\n", getenv ("REAL_HIVES") ? getenv ("REAL_HIVES")
                                               : "(unset)");
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (sample_round_trip),
    cmocka_unit_test (digest_raw_and_scan),
    cmocka_unit_test (dry_run_same_verdict),
    cmocka_unit_test (const_handle_threads),
    cmocka_unit_test (real_win7),
    cmocka_unit_test (real_xp),
    cmocka_unit_test (unchanged_list),
    cmocka_unit_test (empty_list),
    cmocka_unit_test (creates_key),
    cmocka_unit_test (automount_sample),
    cmocka_unit_test (automount_keep),
    cmocka_unit_test (automount_current_set),
    cmocka_unit_test (automount_creates_mountmgr),
    cmocka_unit_test (automount_no_control_set),
    cmocka_unit_test (timestamps),
    cmocka_unit_test (bad_source_date_epoch),
    cmocka_unit_test (deterministic),
    cmocka_unit_test (deterministic_real),
    cmocka_unit_test (checksum_windows_rule),
    cmocka_unit_test (refuse_dirty),
    cmocka_unit_test (refuse_unsafe),
    cmocka_unit_test (refuse_case_twins),
    cmocka_unit_test (refuse_big_value),
    cmocka_unit_test (refuse_unwritable_names),
    cmocka_unit_test (refuse_new_errors),
    cmocka_unit_test (refuse_damaged_cells),
    cmocka_unit_test (refuse_other_key_changed),
    cmocka_unit_test (refuse_same_file),
    cmocka_unit_test (refuse_foreign_txn),
    cmocka_unit_test (in_place_backup),
    cmocka_unit_test (in_place_changed_underneath),
    cmocka_unit_test (in_place_after_replay),
    cmocka_unit_test (faults),
    cmocka_unit_test (in_place_concurrent),
    cmocka_unit_test (kills),
    cmocka_unit_test (crashes),
    cmocka_unit_test (hostile_names),
    cmocka_unit_test (every_fixture_rewritten),
  };
  return cmocka_run_group_tests_name ("write", tests, setup, teardown);
}
