/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The writer's engine: hivex on the sealed in-memory copy builds the new
 * hive (W7, W10, H5, H8) and commits it into the temp file.  It asks hivex
 * for names, control sets and the copy through the hivex layer (hive.h)
 * the reader uses. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hive.h"
#include "write_int.h"

/* A bounded, printable rendering of a name for messages: names are
 * untrusted, so anything but printable ASCII becomes \uXXXX. */
void
md_w_name_for_msg (const uint16_t *u, size_t n, char *buf, size_t sz)
{
  size_t k = 0;
  size_t i = 0;
  for (; i < n && k + 8 < sz; i++) {
    if (u[i] >= 0x20 && u[i] < 0x7F && u[i] != '"')
      buf[k++] = (char) u[i];
    else
      k += (size_t) snprintf (buf + k, sz - k, "\\u%04X", u[i]);
  }
  if (i < n && k + 4 <= sz) {
    memcpy (buf + k, "...", 3);
    k += 3;
  }
  buf[k < sz ? k : sz - 1] = '\0';
}

/* ---- names: exactly these units through hivex's UTF-8 API -------------------- */

/* UTF-8 that hivex turns back into exactly these UTF-16 units (it stores a
 * name as Latin-1 when every unit fits, else as UTF-16LE).  Returns NULL
 * and sets *why when no UTF-8 C string can carry them; NULL with *why
 * NULL means out of memory. */
char *
md_w_name_utf8 (const uint16_t *u, size_t n, const char **why)
{
  *why = NULL;
  if (n > MD_MAX_NAME_UNITS) {
    *why = "is longer than the registry's limit of 16383 characters";
    return NULL;
  }
  char *s = malloc (3 * n + 1); /* 3 bytes per unit, 4 per pair */
  if (s == NULL)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = u[i];
    if (c == 0) {
      *why = "holds U+0000, which hivex's C-string API cannot carry";
      goto bad;
    }
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00
        && u[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (uint32_t) (u[i + 1] - 0xDC00);
      i++;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      *why = "holds an unpaired surrogate, which UTF-8 cannot carry";
      goto bad;
    }
    if (c < 0x80)
      s[k++] = (char) c;
    else if (c < 0x800) {
      s[k++] = (char) (0xC0 | (c >> 6));
      s[k++] = (char) (0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      s[k++] = (char) (0xE0 | (c >> 12));
      s[k++] = (char) (0x80 | ((c >> 6) & 0x3F));
      s[k++] = (char) (0x80 | (c & 0x3F));
    } else {
      s[k++] = (char) (0xF0 | (c >> 18));
      s[k++] = (char) (0x80 | ((c >> 12) & 0x3F));
      s[k++] = (char) (0x80 | ((c >> 6) & 0x3F));
      s[k++] = (char) (0x80 | (c & 0x3F));
    }
  }
  s[k] = '\0';
  return s;
bad:
  free (s);
  return NULL;
}

static const uint16_t noautomount16[] = { 'N', 'o', 'A', 'u', 't', 'o', 'M',
                                          'o', 'u', 'n', 't' };

/* ---- the engine: hivex on the in-memory copy -------------------------------------- */

static int
hivex_fail (struct wctx *w, const char *what)
{
  int e = errno ? errno : EINVAL;
  return md_error (w->err, e == ENOMEM ? MOUNTDB_E_NOMEM : MOUNTDB_E_CORRUPT,
                   e, w->db->path, "hivex: %s: %s", what, strerror (e));
}

static void
free_set_values (hive_set_value *sv, size_t n)
{
  for (size_t i = 0; sv && i < n; i++) {
    free (sv[i].key);
    free (sv[i].value);
  }
  free (sv);
}

/* The whole value list of *key in one call (H5, W10); *key is made under
 * parent as name first when 0 (*made set). */
static int
set_values (struct wctx *w, hive_h *h, hive_node_h parent, const char *name,
            hive_node_h *key, size_t n, hive_set_value *sv, int *made)
{
  char what[64];
  *made = 0;
  if (*key == 0) {
    snprintf (what, sizeof what, "creating %s", name);
    errno = 0;
    *key = hivex_node_add_child (h, parent, name);
    if (*key == 0)
      return hivex_fail (w, what);
    *made = 1;
  }
  snprintf (what, sizeof what, "setting the values of %s", name);
  errno = 0;
  if (hivex_node_set_values (h, *key, n, sv, 0) < 0)
    return hivex_fail (w, what);
  return 0;
}

/* W7: NoAutoMount in ControlSet00N\Services\mountmgr, N = the control set
 * the next boot loads (Select\Default, else Current).
 * hivex_node_set_value would read the key's other values back through
 * UTF-8 and big-data reassembly; this reads them exactly, refuses what
 * cannot go back unchanged and sets the whole list in one call. */
static int
set_automount (struct wctx *w, hive_h *h, hive_node_h root)
{
  const mountdb *db = w->db;
  uint32_t cur = db->boot_cs; /* Select\Default, else Current */
  char sel[160];
  if (cur == 0 || cur > 999)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "Select names no existing control set (%s), so "
                     "NoAutoMount cannot be set (W7)",
                     md_select_words (db, sel, sizeof sel));
  char csname[32];
  snprintf (csname, sizeof csname, "ControlSet%03u", cur);
  hive_node_h cs = md_hive_control_set (h, root, cur);
  if (cs == 0 && errno)
    return hivex_fail (w, csname);
  if (cs == 0)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "the boot control set is %u but there is no %s: "
                     "refusing to set NoAutoMount (W7)", cur, csname);
  errno = 0;
  hive_node_h svc = hivex_node_get_child (h, cs, "Services");
  if (svc == 0 && errno)
    return hivex_fail (w, "Services");
  if (svc == 0)
    return md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "%s has no Services key: refusing to set NoAutoMount "
                     "in a control set that cannot boot", csname);
  errno = 0;
  hive_node_h mm = hivex_node_get_child (h, svc, "mountmgr");
  if (mm == 0 && errno)
    return hivex_fail (w, "mountmgr");

  uint8_t want[4];
  md_put_le32 (want, w->txn->automount ? 0u : 1u);
  hive_value_h *vals = NULL;
  size_t nv = 0;
  if (mm) {
    errno = 0;
    vals = hivex_node_values (h, mm);
    if (vals == NULL)
      return hivex_fail (w, "the values of mountmgr");
    while (vals[nv])
      nv++;
  }
  hive_set_value *sv = calloc (nv + 1, sizeof *sv);
  if (sv == NULL) {
    free (vals);
    return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, db->path,
                     "out of memory");
  }
  int rc = 0;
  size_t at = (size_t) -1, n = 0;
  int same = 0, made = 0;
  char shown[200];
  for (size_t i = 0; i < nv && rc == 0; i++, n++) {
    uint16_t *u = NULL;
    size_t nu = 0;
    uint32_t dlen = 0;
    if (md_hive_value_name (&db->img, vals[i], &u, &nu, &dlen) < 0) {
      rc = md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "value %zu of %s\\Services\\mountmgr cannot be read: "
                     "refusing to rewrite the key", i, csname);
      break;
    }
    md_w_name_for_msg (u, nu, shown, sizeof shown);
    const char *why = NULL;
    sv[i].key = md_w_name_utf8 (u, nu, &why);
    int is_nam = md_cmp_fold (u, nu, noautomount16, 11) == 0;
    free (u);
    if (sv[i].key == NULL) {
      rc = why ? md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                           "%s\\Services\\mountmgr value \"%s\" %s: refusing "
                           "to rewrite the key", csname, shown, why)
               : md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, db->path,
                           "out of memory");
      break;
    }
    if (dlen > MD_MAX_CELL_DATA) {
      rc = md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                     "%s\\Services\\mountmgr value \"%s\" holds %u bytes "
                     "(big data): refusing to rewrite the key (H4)", csname,
                     shown, dlen);
      break;
    }
    hive_type t;
    size_t len;
    errno = 0;
    sv[i].value = hivex_value_value (h, vals[i], &t, &len);
    if (sv[i].value == NULL) {
      rc = md_error (w->err, MOUNTDB_E_REFUSED, errno, db->path,
                     "%s\\Services\\mountmgr value \"%s\" cannot be read: "
                     "refusing to rewrite the key", csname, shown);
      break;
    }
    sv[i].t = t;
    sv[i].len = len;
    if (is_nam) {
      if (at != (size_t) -1) {
        rc = md_error (w->err, MOUNTDB_E_REFUSED, 0, db->path,
                       "%s\\Services\\mountmgr holds NoAutoMount twice "
                       "(names equal but for case): refusing to guess which "
                       "one Windows reads", csname);
        break;
      }
      at = i;
      same = t == hive_t_REG_DWORD && len == 4
             && memcmp (sv[i].value, want, 4) == 0;
    }
  }
  free (vals);
  if (rc == 0 && same)
    goto out; /* already so: leave the key (and its time) alone */
  if (rc == 0 && at == (size_t) -1) {
    at = n++;
    sv[at].key = strdup ("NoAutoMount");
  } else if (rc == 0)
    free (sv[at].value);
  if (rc == 0) {
    sv[at].value = malloc (4);
    if (sv[at].key == NULL || sv[at].value == NULL)
      rc = md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, db->path,
                     "out of memory");
  }
  if (rc == 0) {
    memcpy (sv[at].value, want, 4);
    sv[at].t = hive_t_REG_DWORD;
    sv[at].len = 4;
    rc = set_values (w, h, svc, "mountmgr", &mm, n, sv, &made);
    /* KEEP: an existing key keeps its LastWrite (hivex leaves it). */
    if (rc == 0 && (made || w->o.timestamp_mode != MOUNTDB_TS_KEEP))
      w->mm = (struct stamp) { mm, w->edit_time };
  }
out:
  free_set_values (sv, nv + 1);
  return rc;
}

int
md_w_list_unchanged (const mountdb *db, const mountdb_txn *txn)
{
  if (txn->nvals != db->nentries)
    return 0;
  for (size_t i = 0; i < txn->nvals; i++) {
    const struct md_val *v = &txn->vals[i];
    const struct mountdb_entry *e = &db->entries[i];
    if (v->n16 != e->name16_len || v->type != e->type || v->len != e->len
        || (v->n16 && memcmp (v->name16, e->name16,
                              v->n16 * sizeof *v->name16) != 0)
        || (v->len && memcmp (v->data, e->data, v->len) != 0))
      return 0;
  }
  return 1;
}

/* H5, W10: the whole final list in one hivex_node_set_values call. */
static int
set_mounted_devices (struct wctx *w, hive_h *h, hive_node_h root)
{
  const mountdb *db = w->db;
  const mountdb_txn *txn = w->txn;
  errno = 0;
  hive_node_h key = hivex_node_get_child (h, root, "MountedDevices");
  if (key == 0 && errno)
    return hivex_fail (w, "MountedDevices");
  if (key == 0 && txn->nvals == 0) {
    w->md_absent = 1; /* Windows makes it at boot: nothing to add */
    return 0;
  }
  if (key != 0 && md_w_list_unchanged (db, txn))
    return 0; /* its cells and time stay as they were */
  hive_set_value *sv = calloc (txn->nvals ? txn->nvals : 1, sizeof *sv);
  if (sv == NULL)
    return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, db->path,
                     "out of memory");
  int rc = 0;
  for (size_t i = 0; i < txn->nvals && rc == 0; i++) {
    const struct md_val *v = &txn->vals[i];
    const char *why;
    sv[i].key = md_w_name_utf8 (v->name16, v->n16, &why); /* checked before */
    sv[i].value = malloc (v->len ? v->len : 1);
    if (sv[i].key == NULL || sv[i].value == NULL) {
      rc = md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, db->path,
                     "out of memory");
      break;
    }
    if (v->len)
      memcpy (sv[i].value, v->data, v->len);
    sv[i].t = (hive_type) v->type;
    sv[i].len = v->len;
  }
  int made = 0;
  if (rc == 0)
    rc = set_values (w, h, root, "MountedDevices", &key, txn->nvals, sv,
                     &made);
  /* KEEP: an existing key keeps its LastWrite (hivex leaves it). */
  if (rc == 0 && (made || w->o.timestamp_mode != MOUNTDB_TS_KEEP))
    w->md = (struct stamp) { key, w->edit_time };
  free_set_values (sv, txn->nvals);
  return rc;
}

/* Build the new hive in hivex's memory (from the sealed copy). */
int
md_w_engine_build (struct wctx *w, hive_h **out)
{
  hive_h *h = md_hive_open (&w->db->img, HIVEX_OPEN_WRITE);
  if (h == NULL)
    return hivex_fail (w, "cannot open the in-memory copy for writing");
  int rc = 0;
  errno = 0;
  hive_node_h root = hivex_root (h);
  if (root == 0)
    rc = hivex_fail (w, "no root key");
  /* mountmgr first: it reads the copy's cells before anything moves. */
  if (rc == 0 && w->txn->automount != -1)
    rc = set_automount (w, h, root);
  if (rc == 0)
    rc = set_mounted_devices (w, h, root);
  if (rc < 0)
    md_hive_close (h);
  else
    *out = h;
  return rc;
}

int
md_w_commit (struct wctx *w, hive_h *h)
{
  char proc[64];
  snprintf (proc, sizeof proc, "/proc/self/fd/%d", w->tmpfd);
  /* Through our descriptor, not the name: nobody can swap the file. */
  errno = 0;
  if (md_fault_fail_here ("commit") || hivex_commit (h, proc, 0) < 0) {
    if (errno == 0)
      errno = EIO;
    return md_w_io_fail (w, w->tmp, "hivex_commit");
  }
  return 0;
}
