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
#include "hive.h"
#include "dev.h"
#include "read.h"
#include "regf.h"

/* hive_value_h is the file offset of the vk cell.  The name is read from
 * our copy, not from hivex_value_key, which case-folds nothing but does
* convert to UTF-8 and fails on invalid UTF-16 (H8: keep the exact units).
 * The name is bounded by its cell, not by the file (hivex bounds it by
 * the file, and reads a neighbour's bytes as part of it).  map is the
 * image (one mapping for every name: two reads per value cost more). */
int
md_hive_vk_name (const uint8_t *map, uint64_t size, uint64_t v,
                 uint16_t **out, size_t *n, int *latin1, uint32_t *data_len)
{
  if (map == NULL || v >= size || size - v < 24)
    return -1;
  uint64_t avail = size - v;
  md_vk vk;
  int prc = md_regf_vk_parse (map + v, avail > 24 + UINT16_MAX
                                       ? 24 + UINT16_MAX : (size_t) avail,
                              &vk);
  if (prc == -1)
    return -1;
  int rc = prc == -2 ? MD_NAME_PAST_CELL : 0;
  *latin1 = (vk.flags & 1) != 0;
  size_t len = vk.name_fit;
  if (!*latin1 && len % 2 != 0 && rc == 0)
    rc = MD_NAME_ODD; /* half a UTF-16 unit: not a name Windows can hold */
  size_t units = *latin1 ? len : len / 2;
  uint16_t *u = malloc ((units ? units : 1) * sizeof *u);
  if (u == NULL)
    return -1;
  if (*latin1)
    for (size_t i = 0; i < len; i++)
      u[i] = vk.name[i];
  else
    md_utf16_load (vk.name, units, u);
  if (data_len)
    *data_len = vk.data_len;
  *out = u;
  *n = units;
  return rc;
}

int
md_hive_value_name (const md_image *img, hive_value_h v, uint16_t **out,
                    size_t *n, uint32_t *data_len)
{
  int latin1;
  const uint8_t *map = md_image_map (img);
  int rc = md_hive_vk_name (map, img->size, v, out, n, &latin1, data_len);
  md_image_unmap (img, map);
  if (rc > 0)
    free (*out);
  if (rc != 0)
    return -1;
  *data_len &= 0x7FFFFFFFu;
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
    return md_diag_add (&db->diags, MOUNTDB_DIAG_VALUE_UNREADABLE,
                        "the value list of MountedDevices cannot be read: %s",
                        strerror (errno ? errno : EINVAL));
  }
  size_t count = 0;
  while (vals[count] != 0)
    count++;
  int rc = md_model_reserve (db, count);
  /* One mapping for every name: two reads per value cost more than the
   * rest of the decoding on keys with 100k values. */
  const uint8_t *map = md_image_map (img);
  for (size_t i = 0; i < count && rc == 0; i++) {
    /* hivex maps the image too: drop this mapping's pages now and then so
     * the hive is not resident twice (issue 10 item 8); they refault from
     * the image as needed. */
    if (i % 4096 == 4095)
      md_image_view_trim (img, map);
    uint16_t *name = NULL;
    size_t n = 0;
    int latin1 = 0;
    int nrc = md_hive_vk_name (map, img->size, vals[i], &name, &n,
                               &latin1, NULL);
    if (nrc == MD_NAME_PAST_CELL)
      md_diag_add (&db->diags, MOUNTDB_DIAG_VALUE_UNREADABLE,
                   "value %zu: its name runs past its cell: shown up to "
                   "the cell's end; the hive cannot be written", i);
    else if (nrc == MD_NAME_ODD)
      md_diag_add (&db->diags, MOUNTDB_DIAG_VALUE_UNREADABLE,
                   "value %zu: its UTF-16 name has an odd number of "
                   "bytes: the last byte is not shown; the hive cannot "
                   "be written", i);
    if (nrc < 0 && name_from_hivex (h, vals[i], &name, &n) < 0) {
      md_diag_add (&db->diags, MOUNTDB_DIAG_VALUE_UNREADABLE,
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
      md_diag_add (&db->diags, MOUNTDB_DIAG_VALUE_UNREADABLE,
                   "value %zu: data cannot be read: %s", i,
                   strerror (e ? e : EINVAL));
    }
    rc = md_model_add_entry (db, name, n, latin1, (uint32_t) t,
                             (uint8_t *) data, len, verr);
  }
  md_image_unmap (img, map);
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

static int
has_child (hive_h *h, hive_node_h n, const char *name)
{
  return n != 0 && hivex_node_get_child (h, n, name) != 0;
}

hive_node_h
md_hive_control_set (hive_h *h, hive_node_h root, uint32_t n)
{
  errno = 0;
  if (n == 0 || n > 999)
    return 0;
  char name[32];
  snprintf (name, sizeof name, "ControlSet%03u", n);
  return hivex_node_get_child (h, root, name);
}

/* ControlSet00N of a Select value read as state, or 0. */
static hive_node_h
control_set (hive_h *h, hive_node_h root, int state, uint32_t n)
{
  return state == MOUNTDB_VALUE_OK ? md_hive_control_set (h, root, n) : 0;
}

/* The Windows generation from the boot control set's services (see
 * mountdb.h): DoSvc and NgcSvc are installed by Windows 10 and later only;
 * a full Services key without MountMgr means no mount manager (NT4). */
static int
windows_version (mountdb *db, hive_h *h, hive_node_h svc)
{
  if (svc == 0)
    return MOUNTDB_WINVER_UNKNOWN;
  hive_node_h *kids = hivex_node_children (h, svc);
  db->nservices = 0;
  while (kids && kids[db->nservices])
    db->nservices++;
  free (kids);
  /* A real control set has hundreds of services (136 on NT 4.0 Server):
   * fewer than 20 is a partial hive, which says nothing by absence. */
  int full = db->nservices >= 20;
  db->mountmgr = has_child (h, svc, "mountmgr");
  if (!db->mountmgr)
    return full ? MOUNTDB_WINVER_NT4 : MOUNTDB_WINVER_UNKNOWN;
  if (has_child (h, svc, "DoSvc") || has_child (h, svc, "NgcSvc"))
    return MOUNTDB_WINVER_10;
  return full ? MOUNTDB_WINVER_PRE10 : MOUNTDB_WINVER_UNKNOWN;
}

/* Select, and the boot-time settings of the control set the next boot
 * loads: Select\Default, falling back to Select\Current (V11). */
static void
read_control_set (mountdb *db, hive_h *h, hive_node_h root)
{
  hive_node_h sel = hivex_node_get_child (h, root, "Select");
  db->select_state = read_dword (h, sel, "Current", &db->select_current);
  db->select_default_state = read_dword (h, sel, "Default",
                                         &db->select_default);
  hive_node_h setup = hivex_node_get_child (h, root, "Setup");
  db->setup_state = read_dword (h, setup, "SystemSetupInProgress",
                                &db->setup_in_progress);
  db->noautomount_state = MOUNTDB_VALUE_NO_CONTROL_SET;
  db->sanpolicy_state = MOUNTDB_VALUE_NO_CONTROL_SET;
  hive_node_h cs = control_set (h, root, db->select_default_state,
                                db->select_default);
  db->boot_cs = cs ? db->select_default : 0;
  if (cs == 0 && (cs = control_set (h, root, db->select_state,
                                    db->select_current)) != 0)
    db->boot_cs = db->select_current;
  if (cs == 0)
    return;
  hive_node_h svc = hivex_node_get_child (h, cs, "Services");
  hive_node_h k = svc ? hivex_node_get_child (h, svc, "mountmgr") : 0;
  db->noautomount_state = read_dword (h, k, "NoAutoMount", &db->noautomount);
  k = svc ? hivex_node_get_child (h, svc, "partmgr") : 0;
  k = k ? hivex_node_get_child (h, k, "Parameters") : 0;
  db->sanpolicy_state = read_dword (h, k, "SanPolicy", &db->sanpolicy);
  db->winver = windows_version (db, h, svc);
}

/* The kind of hive from the keys at its root (a user hive or SOFTWARE
 * given by mistake has no MountedDevices for a reason). */
static int
hive_kind (hive_h *h, hive_node_h root)
{
  if (has_child (h, root, "Select") || has_child (h, root, "MountedDevices")
      || has_child (h, root, "ControlSet001")
      || has_child (h, root, "ControlSet002"))
    return MOUNTDB_HIVE_SYSTEM;
  if (has_child (h, root, "Software")
      && (has_child (h, root, "Environment")
          || has_child (h, root, "Control Panel")))
    return MOUNTDB_HIVE_NTUSER;
  if (has_child (h, root, "Local Settings"))
    return MOUNTDB_HIVE_USRCLASS;
  if (has_child (h, root, "Microsoft")
      && (has_child (h, root, "Classes") || has_child (h, root, "Policies")))
    return MOUNTDB_HIVE_SOFTWARE;
  if (has_child (h, root, "Policy") || has_child (h, root, "RXACT"))
    return MOUNTDB_HIVE_SECURITY;
  if (has_child (h, root, "SAM"))
    return MOUNTDB_HIVE_SAM;
  if (has_child (h, root, "Objects") && has_child (h, root, "Description"))
    return MOUNTDB_HIVE_BCD;
  if (has_child (h, root, "CanonicalData") || has_child (h, root, "DerivedData"))
    return MOUNTDB_HIVE_COMPONENTS;
  return MOUNTDB_HIVE_UNKNOWN;
}

/* A key node's layered key bit fields (regf spec, key node: the second
 * byte of Access bits, Windows 10 RS1+): Inherit class (0x80) and Layer
 * semantics (0x03).  hivex handles are file offsets of the cell. */
static unsigned
layer_bits (const md_image *img, hive_node_h n)
{
  uint8_t nk[MD_CELL_HEADER + MD_NK_ACCESS_BITS + 2];
  if (n == 0 || (uint64_t) n + sizeof nk > img->size
      || pread (img->memfd, nk, sizeof nk, (off_t) n) != (ssize_t) sizeof nk
      || memcmp (nk + MD_CELL_HEADER + MD_NK_SIGNATURE, "nk", 2) != 0)
    return 0;
  return nk[MD_CELL_HEADER + MD_NK_ACCESS_BITS + 1] & 0x83u;
}

static const char *const semantics[] = {
  "none", "tombstone", "supersede local", "supersede tree",
};

/* Hive-level facts the outputs and findings report: the kind, a
 * differencing hive, setup phase, Select\Default vs Current. */
static int
note_hive (mountdb *db, const md_image *img, hive_node_h root,
           hive_node_h md)
{
  int rc = 0;
  if (db->hive_kind != MOUNTDB_HIVE_SYSTEM)
    rc = md_diag_add (&db->diags, MOUNTDB_DIAG_NOT_SYSTEM,
                      "not a SYSTEM hive: %s; MountedDevices lives only in "
                      "the SYSTEM hive (Windows\\System32\\config\\SYSTEM)",
                      md_hive_kind_words (db->hive_kind));
  unsigned lb = layer_bits (img, md), lr = layer_bits (img, root);
  db->layered = db->hdr.minor == 6 || lb || lr;
  if (rc == 0 && db->layered) {
    char why[96];
    if (md)
      snprintf (why, sizeof why, "MountedDevices layer semantics %u (%s)%s",
                lb & 3u, semantics[lb & 3u], (lb & 0x80u) ? ", inherit class"
                                                          : "");
    else
      snprintf (why, sizeof why, "root key layer bits 0x%02x", lr);
    rc = md_diag_add (&db->diags, MOUNTDB_DIAG_LAYERED,
                      "a differencing hive (regf %u.%u, layered keys; %s): "
                      "its values are changes over a base hive that is not "
                      "here, never the whole database", db->hdr.major,
                      db->hdr.minor, why);
  }
  if (rc == 0 && db->setup_state == MOUNTDB_VALUE_OK
      && db->setup_in_progress == 1)
    rc = md_diag_add (&db->diags, MOUNTDB_DIAG_SETUP,
                      "a setup-phase hive (Setup\\SystemSetupInProgress = 1%s):"
                      " Windows setup had not finished when it was saved",
                      db->select_state == MOUNTDB_VALUE_OK
                      && db->select_current == 0 ? ", Select\\Current = 0"
                                                 : "");
  if (rc == 0 && db->boot_cs && db->select_default_state == MOUNTDB_VALUE_OK
      && db->select_state == MOUNTDB_VALUE_OK
      && db->select_default != db->select_current)
    rc = db->boot_cs == db->select_default
      ? md_diag_add (&db->diags, MOUNTDB_DIAG_SELECT,
                     "Select\\Default is %u but Select\\Current is %u: "
                     "the next boot loads ControlSet%03u, so NoAutoMount "
                     "and SanPolicy are read from it", db->select_default,
                     db->select_current, db->boot_cs)
      : md_diag_add (&db->diags, MOUNTDB_DIAG_SELECT,
                     "Select\\Default is %u but names no existing control "
                     "set: NoAutoMount and SanPolicy are read from "
                     "Select\\Current's ControlSet%03u",
                     db->select_default, db->boot_cs);
  return rc;
}

/* ---- the device keys (MOUNTDB_OPEN_DEVICES, issue 16) ------------------- */

struct devcopy {
  hive_h *h;
  struct md_devkeys *dk;
};

/* Copy key n (its values, its subkeys to depth levels) into dst. */
static int
copy_key (struct devcopy *c, hive_node_h n, struct md_rkey *dst, int depth)
{
  struct md_devkeys *dk = c->dk;
  int64_t ts = hivex_node_timestamp (c->h, n);
  dst->lastwrite = ts > 0 ? (uint64_t) ts : 0;
  hive_value_h *vals = hivex_node_values (c->h, n);
  int rc = 0;
  for (size_t i = 0; vals && vals[i] && rc == 0; i++) {
    char *name = hivex_value_key (c->h, vals[i]);
    hive_type t = 0;
    size_t len = 0;
    char *data = name ? hivex_value_value (c->h, vals[i], &t, &len) : NULL;
    if (data && dk->bytes + len + strlen (name) > MD_RKEY_MAX_BYTES)
      dk->truncated = 1;
    else if (data) {
      dk->bytes += len + strlen (name);
      rc = md_rkey_add_value (dst, name, (uint32_t) t, data, len);
    }
    free (name);
    free (data);
  }
  free (vals);
  if (depth <= 0 || rc < 0)
    return rc;
  hive_node_h *kids = hivex_node_children (c->h, n);
  for (size_t i = 0; kids && kids[i] && rc == 0; i++) {
    if (dk->keys >= MD_RKEY_MAX_KEYS) {
      dk->truncated = 1;
      break;
    }
    char *name = hivex_node_name (c->h, kids[i]);
    if (name == NULL)
      continue; /* a name hivex cannot convert: not a device key */
    struct md_rkey *k = md_rkey_add (dst, name);
    free (name);
    dk->keys++;
    rc = k ? copy_key (c, kids[i], k, depth - 1) : MOUNTDB_E_NOMEM;
  }
  free (kids);
  return rc;
}

/* Copy the key at path (from n; '\' separated) and depth levels below
 * it, the keys on the way as empty keys (names as stored).  A path that
 * does not exist copies nothing. */
static int
copy_path (struct devcopy *c, hive_node_h n, struct md_rkey *dst,
           const char *path, int depth)
{
  char part[128];
  while (*path) {
    size_t len = strcspn (path, "\\");
    if (len >= sizeof part)
      return 0;
    memcpy (part, path, len);
    part[len] = '\0';
    path += len + (path[len] == '\\');
    n = hivex_node_get_child (c->h, n, part);
    if (n == 0)
      return 0;
    char *name = hivex_node_name (c->h, n);
    if (name == NULL)
      return 0;
    dst = md_rkey_get_or_add (dst, name);
    free (name);
    if (dst == NULL)
      return MOUNTDB_E_NOMEM;
    int64_t ts = hivex_node_timestamp (c->h, n);
    dst->lastwrite = ts > 0 ? (uint64_t) ts : 0;
  }
  return copy_key (c, n, dst, depth);
}

/* What each kind of hive holds for the device history (mountdb.h,
 * MOUNTDB_OPEN_DEVICES); depth = levels of subkeys copied. */
struct devkey_path { const char *path; int depth; };
static const struct devkey_path system_paths[] = {
  { "Enum\\USBSTOR", 6 }, { "Enum\\USB", 2 }, { "Enum\\SCSI", 6 },
  { "Enum\\IDE", 6 }, { "Enum\\SD", 6 }, { "Enum\\SWD\\WPDBUSENUM", 2 },
  { "Enum\\STORAGE\\RemovableMedia", 1 },
  { "Control\\DeviceClasses\\{53f56307-b6bf-11d0-94f2-00a0c91efb8b}", 1 },
};
static const struct devkey_path ntuser_paths[] = {
  { "Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\MountPoints2", 1 },
  { "Volatile Environment", 0 },
};
static const struct devkey_path software_paths[] = {
  { "Microsoft\\Windows Portable Devices\\Devices", 1 },
  { "Microsoft\\Windows NT\\CurrentVersion\\EMDMgmt", 1 },
};

static int
read_devkeys (mountdb *db, hive_h *h, hive_node_h root)
{
  struct md_devkeys *dk = calloc (1, sizeof *dk);
  if (dk == NULL)
    return MOUNTDB_E_NOMEM;
  db->devkeys = dk;
  struct devcopy c = { h, dk };
  const struct devkey_path *paths = NULL;
  size_t np = 0;
  hive_node_h base = root;
  struct md_rkey *dst = &dk->root;
  if (db->hive_kind == MOUNTDB_HIVE_SYSTEM) {
    /* The set the last session ran from (CurrentControlSet), else the
     * one the next boot loads. */
    uint32_t n = db->select_state == MOUNTDB_VALUE_OK ? db->select_current
               : db->select_default_state == MOUNTDB_VALUE_OK
               ? db->select_default : 0;
    base = md_hive_control_set (h, root, n);
    if (base == 0 && n != db->select_default
        && db->select_default_state == MOUNTDB_VALUE_OK)
      base = md_hive_control_set (h, root, n = db->select_default);
    if (base == 0)
      return 0;
    char *name = hivex_node_name (h, base);
    dst = name ? md_rkey_add (dst, name) : NULL;
    free (name);
    if (dst == NULL)
      return MOUNTDB_E_NOMEM;
    dk->cs = n;
    paths = system_paths;
    np = sizeof system_paths / sizeof system_paths[0];
  } else if (db->hive_kind == MOUNTDB_HIVE_NTUSER) {
    paths = ntuser_paths;
    np = sizeof ntuser_paths / sizeof ntuser_paths[0];
  } else if (db->hive_kind == MOUNTDB_HIVE_SOFTWARE) {
    paths = software_paths;
    np = sizeof software_paths / sizeof software_paths[0];
  }
  int rc = 0;
  for (size_t i = 0; i < np && rc == 0; i++)
    rc = copy_path (&c, base, dst, paths[i].path, paths[i].depth);
  if (rc == 0 && dk->truncated)
    rc = md_diag_add (&db->diags, MOUNTDB_DIAG_VALUE_UNREADABLE,
                      "the device keys hold more than %u keys or %zu MiB: "
                      "only the first are read", MD_RKEY_MAX_KEYS,
                      MD_RKEY_MAX_BYTES >> 20);
  return rc;
}

hive_h *
md_hive_open (const md_image *img, int hflags)
{
  char proc[64];
  snprintf (proc, sizeof proc, "/proc/self/fd/%d", img->memfd);
  /* hivex reads a hive opened for writing into the heap instead of
   * mapping it; a small one is cheaper so (see md_image_is_small).  The
   * read path never writes through hivex, and the copy is sealed. */
  if (md_image_is_small (img))
    hflags |= HIVEX_OPEN_WRITE;
  errno = 0;
  return hivex_open (proc, hflags);
}

void
md_hive_close (hive_h *h)
{
  if (h)
    hivex_close (h);
}

int
md_hive_read (mountdb *db, const md_image *img, mountdb_error *err)
{
  int hflags = (db->flags & MOUNTDB_OPEN_UNSAFE) ? HIVEX_OPEN_UNSAFE : 0;
  hive_h *h = md_hive_open (img, hflags);
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
  db->hive_kind = hive_kind (h, root);
  errno = 0;
  hive_node_h key = hivex_node_get_child (h, root, "MountedDevices");
  int e = errno;
  if ((rc = note_hive (db, img, root, key)) < 0) {
    md_error (err, rc, ENOMEM, db->path, "out of memory");
    goto out;
  }
  if (key == 0) {
    db->key_state = e ? MOUNTDB_KEY_UNREADABLE : MOUNTDB_KEY_ABSENT;
    goto out;
  }
  db->key_state = MOUNTDB_KEY_PRESENT;
  int64_t ts = hivex_node_timestamp (h, key);
  db->key_lastwrite = ts > 0 ? (uint64_t) ts : 0;
  rc = read_values (db, h, key, img);
  if (rc < 0)
    md_error (err, rc, ENOMEM, db->path, "out of memory");
out:
  /* In the same hivex session: a second hivex_open of a large SYSTEM
   * hive would cost as much as the rest of the read. */
  if (rc == 0 && root != 0 && (db->flags & MOUNTDB_OPEN_DEVICES)
      && (rc = read_devkeys (db, h, root)) < 0)
    md_error (err, rc, ENOMEM, db->path, "out of memory");
  hivex_close (h);
  return rc;
}
