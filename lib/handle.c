/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The handle: mountdb_open runs the layers in order, then the accessors
 * only read what they built. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "read.h"
#include "dev.h"
#include "regf.h"
#include "rules.h"
#include "handle.h"

static int
check_header (mountdb *db, const md_image *img, mountdb_error *err)
{
  if (img->file_size < MD_REGF_SIZE || img->base_len < MD_REGF_SIZE)
    return md_error (err, MOUNTDB_E_FORMAT, 0, db->path,
                     "%llu bytes is too short for a registry hive "
                     "(the base block alone is 4096)",
                     (unsigned long long) img->file_size);
  if (mountdb_header_parse (img->base, img->base_len, &db->hdr) < 0)
    return md_error (err, MOUNTDB_E_FORMAT, 0, db->path,
                     "not a registry hive (no \"regf\" signature)");
  const mountdb_header *h = &db->hdr;
  /* A log's base block is a copy of its hive's with another file type,
   * followed at 512 by a DIRT bitmap (old format) or HvLE entries (new);
   * hivex refuses it, and --unsafe would not help. */
  int log_body = memcmp (img->base + MD_DIRT_SIGNATURE,
                         MD_DIRT_SIGNATURE_TEXT, 4) == 0
                 || memcmp (img->base + MD_LOG_BASE_SIZE + MD_HVLE_SIGNATURE,
                            MD_HVLE_SIGNATURE_TEXT, 4) == 0;
  if (h->file_type != 0 && (h->checksum_ok || log_body))
    return md_error (err, MOUNTDB_E_FORMAT, 0, db->path,
                     "not a hive but %s (base block file type %u): open "
                     "the hive it belongs to, which finds its logs beside "
                     "it, or name this file with --log",
                     h->file_type == 6 ? "a new-format transaction log"
                     : h->file_type == 1 || h->file_type == 2
                     ? "an old-format transaction log"
                     : "an unknown kind of registry file", h->file_type);
  int rc = 0;
  if (!h->checksum_ok)
    rc = md_diag_add (&db->diags, MOUNTDB_DIAG_BAD_CHECKSUM,
                      "base block checksum is %08x, expected %08x (the hive "
                      "was read with the checksum recomputed in memory)",
                      h->checksum_stored, h->checksum_computed);
  /* Windows grows the file ahead of the hive bins, so only a file shorter
   * than the bins it declares is suspect (truncated copy). */
  if (rc == 0 && (uint64_t) h->hbins_size + MD_REGF_SIZE > img->file_size)
    rc = md_diag_add (&db->diags, MOUNTDB_DIAG_SIZE_MISMATCH,
                      "file is %llu bytes but the base block declares "
                      "%u bytes of hive bins (+4096): truncated?",
                      (unsigned long long) img->file_size, h->hbins_size);
  if (rc == 0 && img->cut)
    rc = md_diag_add (&db->diags, MOUNTDB_DIAG_NOT_KEPT,
                      "the last %llu bytes (past the hive bins + 16 MiB) "
                      "were hashed but not kept in memory: they are not "
                      "part of the hive; in-place writes are refused",
                      (unsigned long long) img->cut);
  if (rc == 0 && (db->flags & MOUNTDB_OPEN_UNSAFE))
    rc = md_diag_add (&db->diags, MOUNTDB_DIAG_UNSAFE,
                      "opened in unsafe mode: hivex skipped consistency "
                      "checks, results may be incomplete");
  if (rc < 0)
    return md_error (err, rc, ENOMEM, db->path, "out of memory");
  return 0;
}

/* After the logs: a dirty hive read without them may be stale (L1). */
static int
note_dirty (mountdb *db, mountdb_error *err)
{
  const mountdb_header *h = &db->hdr;
  if (!h->dirty || db->logs_applied)
    return 0;
  int rc = md_diag_add (&db->diags, MOUNTDB_DIAG_DIRTY,
                        "the hive is dirty (sequence %u/%u%s): transaction "
                        "logs were not applied, so recent changes may be "
                        "missing and results may be stale",
                        h->seq1, h->seq2, h->checksum_ok ? "" : ", bad checksum");
  return rc < 0 ? md_error (err, rc, ENOMEM, db->path, "out of memory") : 0;
}

/* hivex refuses a base block whose checksum is not the raw XOR: that is
 * every hive with a bad checksum (dirty, L rules) and also a correct one
 * where Windows mapped 0 to 1 or ~0 to ~1 (H6).  The in-memory copy gets
 * the raw XOR so such hives can be read; the file keeps its bytes and the
 * hash is the file's. */
static int
prepare_copy (mountdb *db, md_image *img, mountdb_error *err)
{
  uint32_t raw = 0;
  for (size_t i = 0; i < MD_REGF_CHECKSUM; i += 4)
    raw ^= (uint32_t) img->base[i] | (uint32_t) img->base[i + 1] << 8
           | (uint32_t) img->base[i + 2] << 16
           | (uint32_t) img->base[i + 3] << 24;
  int patch = raw != md_le32 (img->base + MD_REGF_CHECKSUM);
  if (md_image_seal (img, patch ? &raw : NULL) < 0)
    return md_error (err, MOUNTDB_E_IO, errno, db->path,
                     "cannot prepare the in-memory copy: %s", strerror (errno));
  return 0;
}

/* A base block without "regf" (issue 10 item 7): Windows takes the base
 * block from a log then, and so does the replay (logs.h), so the logs are
 * tried before the hive is refused. */
static int
recover_base (mountdb *db, const char *const *logs, size_t nlogs,
              mountdb_error *err)
{
  mountdb_error first, lerr;
  if (err)
    first = *err;
  else
    md_error (&first, MOUNTDB_E_FORMAT, 0, db->path,
              "not a registry hive (no \"regf\" signature)");
  int rc = md_logs_attach (db, logs, nlogs, &lerr);
  if (rc == 0 && db->logs_applied) {
    if (err)
      memset (err, 0, sizeof *err);
    rc = check_header (db, &db->img, err);
    db->img_hdr = db->hdr;
    return rc;
  }
  if (err) {
    *err = first;
    size_t at = strlen (err->message);
    snprintf (err->message + at, sizeof err->message - at,
              "; its transaction logs cannot replace the base block: %s",
              rc < 0 ? lerr.message
              : db->logs_summary ? db->logs_summary : "none found");
  }
  return MOUNTDB_E_FORMAT;
}

int
mountdb_open (const char *path, unsigned flags, mountdb **out,
              mountdb_error *err)
{
  return mountdb_open_with_logs (path, flags, NULL, 0, out, err);
}

static int open_common (const char *path, int fd, unsigned flags,
                        const char *const *logs, size_t nlogs, mountdb **out,
                        mountdb_error *err);

int
mountdb_open_with_logs (const char *path, unsigned flags,
                        const char *const *logs, size_t nlogs, mountdb **out,
                        mountdb_error *err)
{
  return open_common (path, -1, flags, logs, nlogs, out, err);
}

int
md_open_fd (int fd, const char *name, mountdb **out, mountdb_error *err)
{
  return open_common (name, fd, MOUNTDB_OPEN_NO_LOGS, NULL, 0, out, err);
}

/* fd >= 0: read that descriptor (consumed) instead of opening path. */
static int
open_common (const char *path, int fd, unsigned flags,
             const char *const *logs, size_t nlogs, mountdb **out,
             mountdb_error *err)
{
  if (err)
    memset (err, 0, sizeof *err);
  if (out == NULL || path == NULL
      || (nlogs && logs == NULL)
      || (flags & ~(MOUNTDB_OPEN_NO_HASH | MOUNTDB_OPEN_UNSAFE
                    | MOUNTDB_OPEN_NO_LOGS | MOUNTDB_OPEN_DEVICES))) {
    if (fd >= 0)
      close (fd);
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, path, "invalid argument");
  }
  *out = NULL;
  mountdb *db = calloc (1, sizeof *db);
  if (db == NULL || (db->path = strdup (path)) == NULL) {
    free (db);
    if (fd >= 0)
      close (fd);
    return md_error (err, MOUNTDB_E_NOMEM, ENOMEM, path, "out of memory");
  }
  db->img.memfd = -1;
  db->flags = flags;
  db->key_state = MOUNTDB_KEY_ABSENT;

  md_image *img = &db->img;
  /* The hash is taken on a thread while hivex parses the copy (issue 14);
   * mountdb_open returns only once it is done. */
  unsigned lflags = flags | MD_IMAGE_HASH_THREAD;
  int rc = fd >= 0 ? md_image_load_fd (fd, path, lflags, NULL, NULL, img, err)
           : md_image_load (path, lflags, NULL, NULL, img, err);
  if (rc < 0)
    goto fail;
  db->size = img->file_size;
  db->hashed = img->hashed;
  memcpy (db->sha256, img->sha256, sizeof db->sha256);
  rc = check_header (db, img, err);
  db->img_hdr = db->hdr;
  if (rc == MOUNTDB_E_FORMAT && img->base_len >= MD_REGF_SIZE
      && !(flags & MOUNTDB_OPEN_NO_LOGS))
    rc = recover_base (db, logs, nlogs, err);
  /* Replay the logs of a dirty hive (or those named explicitly) in the
   * in-memory copy: db->img then holds the recovered hive, and its undo
   * record the file as read. */
  if (rc == 0 && !db->logs_applied && !(flags & MOUNTDB_OPEN_NO_LOGS)
      && (db->hdr.dirty || nlogs) && db->logs_summary == NULL)
    rc = md_logs_attach (db, logs, nlogs, err);
  if (rc == 0)
    rc = note_dirty (db, err);
  if (rc == 0)
    rc = prepare_copy (db, &db->img, err);
  if (rc == 0)
    rc = md_hive_read (db, &db->img, err);
  if (rc == 0 && (rc = md_model_group (db)) < 0)
    md_error (err, rc, ENOMEM, path, "out of memory");
  if (rc == 0 && (rc = md_image_hash_wait (img, path, err)) == 0) {
    db->hashed = img->hashed;
    memcpy (db->sha256, img->sha256, sizeof db->sha256);
  }
  if (rc < 0)
    goto fail;
  *out = db;
  return 0;
fail:
  mountdb_close (db);
  return rc;
}

void
mountdb_close (mountdb *db)
{
  if (db == NULL)
    return;
  md_rules_free (db);
  md_model_free (db);
  md_devkeys_free (db->devkeys);
  md_logs_free (db);
  md_image_release (&db->img);
  free (db->path);
  free (db);
}

const char *mountdb_path (const mountdb *db) { return db->path; }
uint64_t mountdb_file_size (const mountdb *db) { return db->size; }
unsigned mountdb_open_flags (const mountdb *db) { return db->flags; }
const mountdb_header *mountdb_file_header (const mountdb *db) { return &db->hdr; }
int mountdb_key_state (const mountdb *db) { return db->key_state; }
uint64_t mountdb_key_last_written (const mountdb *db) { return db->key_lastwrite; }

int
mountdb_select_current (const mountdb *db, uint32_t *n)
{
  if (n)
    *n = db->select_current;
  return db->select_state;
}

int
mountdb_noautomount (const mountdb *db, uint32_t *value)
{
  if (value)
    *value = db->noautomount;
  return db->noautomount_state;
}

int
mountdb_select_default (const mountdb *db, uint32_t *n)
{
  if (n)
    *n = db->select_default;
  return db->select_default_state;
}

uint32_t mountdb_boot_control_set (const mountdb *db) { return db->boot_cs; }

int
mountdb_san_policy (const mountdb *db, uint32_t *value)
{
  if (value)
    *value = db->sanpolicy;
  return db->sanpolicy_state;
}

int
mountdb_setup_in_progress (const mountdb *db, uint32_t *value)
{
  if (value)
    *value = db->setup_in_progress;
  return db->setup_state;
}

int mountdb_hive_kind (const mountdb *db) { return db->hive_kind; }
int mountdb_layered (const mountdb *db) { return db->layered; }
int mountdb_windows_version (const mountdb *db) { return db->winver; }

int
md_hive_writable (const mountdb *db, mountdb_error *err)
{
  if (db->hive_kind != MOUNTDB_HIVE_SYSTEM)
    return md_error (err, MOUNTDB_E_REFUSED, 0, db->path,
                     "not a SYSTEM hive (%s): refusing to write "
                     "MountedDevices into it",
                     md_hive_kind_words (db->hive_kind));
  if (db->layered)
    return md_error (err, MOUNTDB_E_REFUSED, 0, db->path,
                     "a differencing hive (layered keys): its MountedDevices "
                     "is a delta over a base hive, so editing it alone "
                     "cannot give a known result; refusing to write");
  return 0;
}

const char *
mountdb_sha256 (const mountdb *db)
{
  return db->hashed ? db->sha256 : NULL;
}

/* ---- entries ---------------------------------------------------------------- */

size_t mountdb_entry_count (const mountdb *db) { return db->nentries; }

const mountdb_entry *
mountdb_entry_get (const mountdb *db, size_t i)
{
  return i < db->nentries ? &db->entries[i] : NULL;
}

size_t mountdb_entry_index (const mountdb_entry *e) { return e->index; }
const char *mountdb_entry_name (const mountdb_entry *e) { return e->name; }

const uint16_t *
mountdb_entry_name_utf16 (const mountdb_entry *e, size_t *n)
{
  if (n)
    *n = e->name16_len;
  return e->name16;
}

int mountdb_entry_class (const mountdb_entry *e) { return e->nm.cls; }
unsigned mountdb_entry_name_flags (const mountdb_entry *e) { return e->nm.flags; }
int mountdb_entry_variant_of (const mountdb_entry *e) { return e->nm.variant_of; }

char
mountdb_entry_letter (const mountdb_entry *e)
{
  return e->nm.cls == MOUNTDB_CLASS_DRIVE_LETTER
         || e->nm.cls == MOUNTDB_CLASS_MOUNT_POINT ? e->nm.letter : 0;
}

const char *
mountdb_entry_mount_path (const mountdb_entry *e)
{
  return e->nm.cls == MOUNTDB_CLASS_MOUNT_POINT ? e->nm.mount_path : NULL;
}

const char *
mountdb_entry_guid (const mountdb_entry *e)
{
  return e->nm.has_guid ? e->guid->text : NULL;
}

const mountdb_guid_info *
mountdb_entry_guid_info (const mountdb_entry *e)
{
  return e->nm.has_guid ? &e->guid->info : NULL;
}

uint32_t mountdb_entry_type (const mountdb_entry *e) { return e->type; }

const uint8_t *
mountdb_entry_data (const mountdb_entry *e, size_t *len)
{
  if (len)
    *len = e->len;
  return e->data;
}

const mountdb_uid *mountdb_entry_uid (const mountdb_entry *e) { return e->uid; }
int mountdb_entry_error (const mountdb_entry *e) { return e->error; }
size_t
mountdb_entry_volume (const mountdb_entry *e)
{
  return e->volume == MD_NO_VOLUME ? (size_t) -1 : e->volume;
}

/* ---- volumes ------------------------------------------------------------------ */

size_t mountdb_volume_count (const mountdb *db) { return db->nvolumes; }

const mountdb_volume *
mountdb_volume_get (const mountdb *db, size_t i)
{
  return i < db->nvolumes ? &db->volumes[i] : NULL;
}

static const struct mountdb_entry *
first_entry (const mountdb_volume *v)
{
  return &v->db->entries[v->members[0]];
}

const uint8_t *
mountdb_volume_data (const mountdb_volume *v, size_t *len)
{
  return mountdb_entry_data (first_entry (v), len);
}

const mountdb_uid *
mountdb_volume_uid (const mountdb_volume *v)
{
  return first_entry (v)->uid;
}

size_t mountdb_volume_entry_count (const mountdb_volume *v) { return v->nmembers; }

int
mountdb_volume_derived_guid (const mountdb_volume *v, char out[37])
{
  const mountdb_uid *u = first_entry (v)->uid;
  size_t len;
  const uint8_t *d = mountdb_volume_data (v, &len);
  if (u == NULL || mountdb_uid_shape (u) != MOUNTDB_SHAPE_MBR || len != 12)
    return 0;
  /* Data1 = the signature (its LE bytes as stored), Data2 = Data3 = 0,
   * Data4 = the 8 offset bytes as stored: GUID binary layout is exactly
   * the 4 signature bytes, 4 zero bytes, then the offset bytes. */
  uint8_t g[16];
  memcpy (g, d, 4);
  memset (g + 4, 0, 4);
  memcpy (g + 8, d + 4, 8);
  mountdb_guid_format (g, out);
  return 1;
}

const mountdb_entry *
mountdb_volume_entry_get (const mountdb_volume *v, size_t i)
{
  return i < v->nmembers ? &v->db->entries[v->members[i]] : NULL;
}

/* ---- diagnostics ------------------------------------------------------------------ */

size_t mountdb_diag_count (const mountdb *db) { return db->diags.n; }

int
mountdb_diag_get (const mountdb *db, size_t i, int *code, const char **message)
{
  if (i >= db->diags.n)
    return MOUNTDB_E_INVAL;
  if (code)
    *code = db->diags.v[i].code;
  if (message)
    *message = db->diags.v[i].message;
  return 0;
}
