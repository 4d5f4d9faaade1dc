/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The hive layer: the only reader that asks hivex anything.  It opens the
 * sealed in-memory copy (never the evidence file), finds MountedDevices and
 * hands every value, raw, to the model in value order. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <hivex.h>
#include "internal.h"

/* hive_value_h is the file offset of the vk cell.  The name is read from
 * our copy, not from hivex_value_key, which case-folds nothing but does
 * convert to UTF-8 and fails on invalid UTF-16 (H8: keep the exact units). */
static int
read_name (int fd, uint64_t size, hive_value_h v, uint16_t **out,
           size_t *n, int *latin1)
{
  uint8_t head[24];
  if ((uint64_t) v + sizeof head > size
      || pread (fd, head, sizeof head, (off_t) v) != (ssize_t) sizeof head)
    return -1;
  md_vk vk;
  /* Only the fixed part is in head: the name is bounded against the file
   * below, so tell the parser the name fits. */
  if (md_regf_vk_parse (head, sizeof head + UINT16_MAX, &vk) < 0)
    return -1;
  size_t len = vk.name_len;
  if ((uint64_t) v + sizeof head + len > size)
    return -1;
  uint8_t *raw = malloc (len ? len : 1);
  if (raw == NULL)
    return -1;
  if (len && pread (fd, raw, len, (off_t) v + (off_t) sizeof head)
             != (ssize_t) len) {
    free (raw);
    return -1;
  }
  *latin1 = (vk.flags & 1) != 0;
  size_t units = *latin1 ? len : len / 2;
  uint16_t *u = malloc ((units ? units : 1) * sizeof *u);
  if (u == NULL) {
    free (raw);
    return -1;
  }
  if (*latin1)
    for (size_t i = 0; i < len; i++)
      u[i] = raw[i];
  else
    md_utf16_load (raw, units, u);
  free (raw);
  *out = u;
  *n = units;
  return 0;
}

/* Fallback when the vk cell cannot be parsed: hivex's UTF-8 name. */
static int
name_from_hivex (hive_h *h, hive_value_h v, uint16_t **out, size_t *n)
{
  char *s = hivex_value_key (h, v);
  if (s == NULL)
    return -1;
  size_t len = strlen (s);
  uint16_t *u = malloc ((len ? len : 1) * sizeof *u);
  if (u == NULL) {
    free (s);
    return -1;
  }
  /* ASCII is all a fallback needs to be exact about; others get U+FFFD. */
  for (size_t i = 0; i < len; i++)
    u[i] = (unsigned char) s[i] < 0x80 ? (unsigned char) s[i] : 0xFFFD;
  free (s);
  *out = u;
  *n = len;
  return 0;
}

static int
read_values (mountdb *db, hive_h *h, hive_node_h key, const md_image *img)
{
  errno = 0;
  hive_value_h *vals = hivex_node_values (h, key);
  if (vals == NULL) {
    db->key_state = MOUNTDB_KEY_UNREADABLE;
    return md_model_diag (db, MOUNTDB_DIAG_VALUE_UNREADABLE,
                          "the value list of MountedDevices cannot be read: %s",
                          strerror (errno ? errno : EINVAL));
  }
  int rc = 0;
  for (size_t i = 0; vals[i] != 0 && rc == 0; i++) {
    uint16_t *name = NULL;
    size_t n = 0;
    int latin1 = 0;
    if (read_name (img->memfd, img->size, vals[i], &name, &n, &latin1) < 0
        && name_from_hivex (h, vals[i], &name, &n) < 0) {
      md_model_diag (db, MOUNTDB_DIAG_VALUE_UNREADABLE,
                     "value %zu: name cannot be read", i);
      name = malloc (sizeof *name);
      n = 0;
      if (name == NULL) {
        rc = MOUNTDB_E_NOMEM;
        break;
      }
    }
    hive_type t = 0;
    size_t len = 0;
    errno = 0;
    char *data = hivex_value_value (h, vals[i], &t, &len);
    int verr = 0;
    if (data == NULL) {
      verr = MOUNTDB_E_CORRUPT;
      int e = errno;
      hive_type t2;
      size_t l2;
      if (hivex_value_type (h, vals[i], &t2, &l2) == 0)
        t = t2;
      len = 0;
      md_model_diag (db, MOUNTDB_DIAG_VALUE_UNREADABLE,
                     "value %zu: data cannot be read: %s", i,
                     strerror (e ? e : EINVAL));
    }
    rc = md_model_add_entry (db, name, n, latin1, (uint32_t) t,
                             (uint8_t *) data, len, verr);
  }
  free (vals);
  return rc;
}

/* A DWORD value (REG_DWORD, or REG_DWORD_BIG_ENDIAN) of `key`. */
static int
read_dword (hive_h *h, hive_node_h key, const char *name, uint32_t *out)
{
  if (key == 0)
    return MOUNTDB_VALUE_ABSENT;
  hive_value_h v = hivex_node_get_value (h, key, name);
  if (v == 0)
    return MOUNTDB_VALUE_ABSENT;
  hive_type t;
  size_t len;
  char *data = hivex_value_value (h, v, &t, &len);
  if (data == NULL)
    return MOUNTDB_VALUE_BAD;
  const uint8_t *b = (const uint8_t *) data;
  int rc = MOUNTDB_VALUE_BAD;
  if (len == 4 && t == hive_t_REG_DWORD) {
    *out = (uint32_t) b[0] | (uint32_t) b[1] << 8 | (uint32_t) b[2] << 16
           | (uint32_t) b[3] << 24;
    rc = MOUNTDB_VALUE_OK;
  } else if (len == 4 && t == hive_t_REG_DWORD_BIG_ENDIAN) {
    *out = (uint32_t) b[3] | (uint32_t) b[2] << 8 | (uint32_t) b[1] << 16
           | (uint32_t) b[0] << 24;
    rc = MOUNTDB_VALUE_OK;
  }
  free (data);
  return rc;
}

/* Select\Current and the current control set's NoAutoMount (V11). */
static void
read_control_set (mountdb *db, hive_h *h, hive_node_h root)
{
  hive_node_h sel = hivex_node_get_child (h, root, "Select");
  db->select_state = read_dword (h, sel, "Current", &db->select_current);
  db->noautomount_state = MOUNTDB_VALUE_NO_CONTROL_SET;
  if (db->select_state != MOUNTDB_VALUE_OK || db->select_current == 0
      || db->select_current > 999)
    return;
  char name[32];
  snprintf (name, sizeof name, "ControlSet%03u", db->select_current);
  hive_node_h cs = hivex_node_get_child (h, root, name);
  if (cs == 0)
    return;
  hive_node_h k = hivex_node_get_child (h, cs, "Services");
  k = k ? hivex_node_get_child (h, k, "mountmgr") : 0;
  db->noautomount_state = read_dword (h, k, "NoAutoMount", &db->noautomount);
}

int
md_hive_read (mountdb *db, const md_image *img, mountdb_error *err)
{
  char proc[64];
  snprintf (proc, sizeof proc, "/proc/self/fd/%d", img->memfd);
  int hflags = (db->flags & MOUNTDB_OPEN_UNSAFE) ? HIVEX_OPEN_UNSAFE : 0;
  errno = 0;
  hive_h *h = hivex_open (proc, hflags);
  if (h == NULL) {
    int e = errno;
    if (e == ENOMEM)
      return md_error (err, MOUNTDB_E_NOMEM, e, db->path, "out of memory");
    if (e == ENOENT && access ("/proc/self/fd", F_OK) != 0)
      return md_error (err, MOUNTDB_E_IO, e, db->path,
                       "/proc is not mounted: hivex cannot open the copy");
    return md_error (err, MOUNTDB_E_CORRUPT, e, db->path,
                     "hivex cannot open it (%s)%s", strerror (e ? e : EINVAL),
                     hflags ? "" : "; --unsafe may read a damaged hive");
  }
  errno = 0;
  hive_node_h root = hivex_root (h);
  int rc = 0;
  if (root == 0) {
    db->key_state = MOUNTDB_KEY_NO_ROOT;
    goto out;
  }
  read_control_set (db, h, root);
  errno = 0;
  hive_node_h key = hivex_node_get_child (h, root, "MountedDevices");
  if (key == 0) {
    db->key_state = errno ? MOUNTDB_KEY_UNREADABLE : MOUNTDB_KEY_ABSENT;
    goto out;
  }
  db->key_state = MOUNTDB_KEY_PRESENT;
  int64_t ts = hivex_node_timestamp (h, key);
  db->key_lastwrite = ts > 0 ? (uint64_t) ts : 0;
  rc = read_values (db, h, key, img);
  if (rc < 0)
    md_error (err, rc, ENOMEM, db->path, "out of memory");
out:
  hivex_close (h);
  return rc;
}
