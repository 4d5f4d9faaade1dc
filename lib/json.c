/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The schema-1 JSON document of a hive (mountdb.h, "JSON document";
 * the schema is documented in mountdb(1)): the one implementation behind
 * `mountdb show|check --format=json|jsonl` and the Python bindings'
 * to_dict().  Keys come in a fixed order so outputs diff cleanly (F7).
 * It reads only the public model, the findings and the correlation: a
 * layer above them (lib/tests/layers.sh), through the emitter of
 * lib/common/jsonw.h, which the CLI's other JSON shares. */
#include <config.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "mountdb.h"
#include "error.h"
#include "common/jsonw.h"
#include "common/shown.h"
#include "json_int.h"

#define NO_VOLUME ((size_t) -1)
#define DOS_LETTER_UNITS 14     /* "\DosDevices\X:" */
#define CHUNK MD_JSON_CHUNK
#define MAX_INDENT 8

/* ---- pieces of the document ---------------------------------------------- */

/* hive.logs (F4): null when the hive is clean and no log was looked at.
 * The devices document's hives carry the same object. */
void
md_json_logs (struct jw *j, const mountdb *db)
{
  const char *summary = mountdb_logs_summary (db);
  if (summary == NULL && mountdb_log_count (db) == 0) {
    jw_null (j, "logs");
    return;
  }
  uint32_t first, last;
  uint64_t pages;
  mountdb_logs_range (db, &first, &last, &pages);
  jw_open (j, "logs", '{');
  jw_bool (j, "applied", mountdb_logs_applied (db));
  if (mountdb_logs_applied (db)) {
    jw_uint (j, "first_sequence", first);
    jw_uint (j, "last_sequence", last);
    jw_uint (j, "pages", pages);
    const mountdb_header *ih = mountdb_image_header (db);
    jw_open (j, "recovered", '{');
    jw_sequence (j, ih);
    jw_uint (j, "hbins_size", ih->hbins_size);
    jw_time (j, "last_written", ih->last_written);
    jw_close (j, '}');
  }
  jw_str (j, "summary", summary ? summary : "");
  jw_open (j, "files", '[');
  for (size_t i = 0; i < mountdb_log_count (db); i++) {
    const mountdb_log_info *l = mountdb_log_get (db, i);
    jw_open (j, NULL, '{');
    jw_str (j, "path", l->path);
    jw_uint (j, "size", l->size);
    jw_str_or_null (j, "sha256", l->sha256);
    jw_str (j, "format", mountdb_log_format_name (l->format));
    jw_bool (j, "valid", l->valid);
    jw_bool (j, "used", l->used);
    if (l->entries || l->first_seq || l->last_seq) {
      jw_uint (j, "first_sequence", l->first_seq);
      jw_uint (j, "last_sequence", l->last_seq);
      jw_uint (j, "entries", l->entries);
    }
    jw_uint (j, "pages", l->pages);
    jw_str (j, "note", l->note ? l->note : "");
    jw_close (j, '}');
  }
  jw_close (j, ']');
  jw_close (j, '}');
}

static void
json_guid_info (struct jw *j, const mountdb_guid_info *gi)
{
  jw_open (j, "guid_info", '{');
  jw_uint (j, "version", (uint64_t) gi->version);
  if (gi->has_time)
    jw_time (j, "timestamp", gi->time_filetime);
  if (gi->has_node) {
    /* By hand, as the hex below: printf per GUID name was a tenth of
     * the formatting of a key of 100k values (issue 10 item 8). */
    static const char hex[] = "0123456789abcdef";
    char node[18];
    for (int k = 0; k < 6; k++) {
      node[3 * k] = hex[gi->node[k] >> 4];
      node[3 * k + 1] = hex[gi->node[k] & 15];
      node[3 * k + 2] = k < 5 ? ':' : '\0';
    }
    jw_str (j, "node", node);
    const char *kind = gi->node_kind == MOUNTDB_NODE_NONE ? NULL
                         : mountdb_node_kind_name (gi->node_kind);
    if (kind)
      jw_str (j, "node_kind", kind);
  }
  if (gi->mbr_derived) {
    char sig[9];
    for (int k = 0; k < 8; k++)
      sig[k] = "0123456789abcdef"[(gi->mbr_signature >> (28 - 4 * k)) & 15];
    sig[8] = '\0';
    jw_bool (j, "mbr_derived", 1);
    jw_str (j, "mbr_signature", sig);
  }
  jw_close (j, '}');
}

static void
json_entry (struct jw *j, const mountdb_entry *e, size_t i)
{
  size_t n16;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
  int cls = mountdb_entry_class (e);
  unsigned flags = mountdb_entry_name_flags (e);

  jw_open (j, NULL, '{');
  jw_uint (j, "index", i);
  jw_str16 (j, "name", u, n16);
  jw_str (j, "class", mountdb_class_name (cls));
  if (flags) {
    jw_open (j, "flags", '[');
    for (unsigned bit = 1; bit != 0; bit <<= 1)
      if ((flags & bit) && mountdb_name_flag_name (bit))
        jw_str (j, NULL, mountdb_name_flag_name (bit));
    jw_close (j, ']');
  }
  if (flags & MOUNTDB_NAME_CASE_VARIANT)
    jw_str (j, "variant_of", mountdb_class_name (mountdb_entry_variant_of (e)));
  char letter[2] = { mountdb_entry_letter (e), '\0' };
  if (cls == MOUNTDB_CLASS_DRIVE_LETTER && letter[0])
    jw_str (j, "letter", letter);
  if (cls == MOUNTDB_CLASS_MOUNT_POINT && letter[0] && n16 > DOS_LETTER_UNITS) {
    /* The path from the stored units, so it is as exact as the name. */
    jw_open (j, "mount_point", '{');
    jw_str (j, "letter", letter);
    jw_str16 (j, "path", u + DOS_LETTER_UNITS, n16 - DOS_LETTER_UNITS);
    jw_close (j, '}');
  }
  const char *guid = mountdb_entry_guid (e);
  const mountdb_guid_info *gi = mountdb_entry_guid_info (e);
  if (guid)
    jw_str (j, "guid", guid);
  if (guid && gi)
    json_guid_info (j, gi);

  char tbuf[24];
  uint32_t type = mountdb_entry_type (e);
  int err = mountdb_entry_error (e);
  size_t len;
  const uint8_t *data = mountdb_entry_data (e, &len);
  jw_str (j, "type", esc_type_name (type, tbuf));
  if (err == 0) {
    jw_uint (j, "length", len);
    jw_hex (j, "data", data, len);
  } else {
    /* The data could not be read: say so rather than print nothing. */
    jw_null (j, "length");
    jw_null (j, "data");
  }
  const mountdb_uid *uid = mountdb_entry_uid (e);
  if (err == 0 && type == MOUNTDB_REG_BINARY && uid)
    jw_uid (j, "unique_id", uid);
  size_t vol = mountdb_entry_volume (e);
  if (vol == NO_VOLUME)
    jw_null (j, "volume");
  else
    jw_uint (j, "volume", vol);
  if (err != 0)
    jw_str (j, "error", mountdb_strerror (err));
  jw_close (j, '}');
}

/* "disk" of volume vol: where the correlation found it (null without
 * disks). */
static void
json_volume_disk (struct jw *j, const mountdb_correlation *corr, size_t vol)
{
  if (corr == NULL) {
    jw_null (j, "disk");
    return;
  }
  int st = mountdb_correlation_status (corr, vol);
  const mountdb_partition *p = mountdb_correlation_partition (corr, vol);
  jw_open (j, "disk", '{');
  if (p) {
    jw_str (j, "path", mountdb_disk_path (mountdb_partition_disk (p)));
    jw_uint (j, "partition", mountdb_partition_number (p));
  } else {
    jw_null (j, "path");
    jw_null (j, "partition");
  }
  jw_str (j, "status", mountdb_disk_status_name (st));
  jw_close (j, '}');
}

/* One list of a volume's names, e.g. "drive_letters". */
static void
json_volume_names (struct jw *j, const mountdb_volume *v, const char *key,
                   int cls)
{
  size_t n = mountdb_volume_entry_count (v);
  jw_open (j, key, '[');
  for (size_t i = 0; i < n; i++) {
    const mountdb_entry *e = mountdb_volume_entry_get (v, i);
    if (mountdb_entry_class (e) != cls)
      continue;
    size_t n16;
    const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
    char letter[3] = { mountdb_entry_letter (e), ':', '\0' };
    switch (cls) {
    case MOUNTDB_CLASS_DRIVE_LETTER:
      letter[1] = '\0';
      jw_str (j, NULL, letter);
      break;
    case MOUNTDB_CLASS_VOLUME_GUID:
    case MOUNTDB_CLASS_NO_LETTER:
      jw_str (j, NULL, mountdb_entry_guid (e));
      break;
    case MOUNTDB_CLASS_MOUNT_POINT: {
      /* "C:" + the exact stored path: build the units, then escape. */
      jw_sep (j, NULL);
      md_sb_putc (&j->b, '"');
      md_sb_puts (&j->b, letter);
      struct md_sbuf tmp;
      struct esc_src src;
      md_sb_init (&tmp);
      esc_src_utf16 (&src, u + DOS_LETTER_UNITS, n16 - DOS_LETTER_UNITS);
      esc_json (&tmp, &src); /* quoted: drop its opening quote */
      if (tmp.err)
        j->b.err = 1;
      else
        md_sb_puts (&j->b, tmp.p + 1);
      md_sb_free (&tmp);
      break;
    }
    default:
      jw_str16 (j, NULL, u, n16);
    }
  }
  jw_close (j, ']');
}

static void
json_volume (struct md_json *w, const mountdb *db, const mountdb_volume *v,
             size_t i)
{
  struct jw *j = &w->j;
  size_t len;
  const uint8_t *data = mountdb_volume_data (v, &len);
  jw_open (j, NULL, '{');
  jw_uint (j, "index", i);
  jw_uid (j, "unique_id", mountdb_volume_uid (v));
  jw_hex (j, "data", data, len);
  jw_uint (j, "length", len);
  json_volume_names (j, v, "drive_letters", MOUNTDB_CLASS_DRIVE_LETTER);
  json_volume_names (j, v, "volume_guids", MOUNTDB_CLASS_VOLUME_GUID);
  char dg[37];
  if (md_derived_guid (db, v, dg))
    jw_str (j, "derived_volume_guid", dg);
  else
    jw_null (j, "derived_volume_guid");
  json_volume_names (j, v, "no_letter_markers", MOUNTDB_CLASS_NO_LETTER);
  json_volume_names (j, v, "mount_points", MOUNTDB_CLASS_MOUNT_POINT);
  json_volume_names (j, v, "other_names", MOUNTDB_CLASS_OTHER);
  json_volume_disk (j, w->o->correlation, i);
  jw_close (j, '}');
}

/* {"rule", "severity", "message", "entries": [value indices],
 * "names": [the exact names of those values]} */
static void
json_finding (struct jw *j, const mountdb_finding *f)
{
  size_t ne = mountdb_finding_entry_count (f);
  jw_open (j, NULL, '{');
  jw_str (j, "rule", mountdb_finding_rule (f));
  jw_str (j, "severity",
          mountdb_severity_name (mountdb_finding_severity (f)));
  jw_str (j, "message", mountdb_finding_message (f));
  jw_open (j, "entries", '[');
  for (size_t k = 0; k < ne; k++) {
    const mountdb_entry *e = mountdb_finding_entry_get (f, k);
    if (e)
      jw_uint (j, NULL, mountdb_entry_index (e));
  }
  jw_close (j, ']');
  jw_open (j, "names", '[');
  for (size_t k = 0; k < ne; k++) {
    const mountdb_entry *e = mountdb_finding_entry_get (f, k);
    size_t n16;
    const uint16_t *u = e ? mountdb_entry_name_utf16 (e, &n16) : NULL;
    if (e)
      jw_str16 (j, NULL, u, n16);
  }
  jw_close (j, ']');
  jw_close (j, '}');
}

void
md_json_tool (struct jw *j)
{
  jw_uint (j, "schema", MOUNTDB_JSON_SCHEMA);
  jw_open (j, "tool", '{');
  jw_str (j, "name", "mountdb");
  jw_str (j, "version", mountdb_version ());
  jw_close (j, '}');
}

static void
json_error_doc (struct jw *j, const char *path, const mountdb_error *e)
{
  jw_open (j, NULL, '{');
  md_json_tool (j);
  jw_open (j, "hive", '{');
  jw_str (j, "path", path);
  jw_close (j, '}');
  jw_open (j, "error", '{');
  jw_str (j, "code", mountdb_error_name (e ? e->code : MOUNTDB_E_IO));
  jw_str (j, "message", e ? e->message : "cannot open");
  jw_close (j, '}');
  jw_close (j, '}');
}

static void
json_dword (struct jw *j, const char *key, int state, uint32_t v)
{
  if (state == MOUNTDB_VALUE_OK)
    jw_uint (j, key, v);
  else
    jw_null (j, key);
}

static void
json_hive (struct jw *j, const mountdb *db, const char *path)
{
  const mountdb_header *h = mountdb_file_header (db);
  const char *sha = mountdb_sha256 (db);
  char fmt[24];
  snprintf (fmt, sizeof fmt, "%" PRIu32 ".%" PRIu32, h->major, h->minor);

  jw_open (j, "hive", '{');
  jw_str (j, "path", path);
  jw_uint (j, "size", mountdb_file_size (db));
  jw_str_or_null (j, "sha256", sha);
  jw_str (j, "format", fmt);
  jw_sequence (j, h);
  jw_bool (j, "dirty", h->dirty);
  jw_bool (j, "checksum_ok", h->checksum_ok);
  jw_time (j, "last_written", h->last_written);
  jw_str (j, "embedded_name", h->embedded_name);
  jw_uint (j, "file_type", h->file_type);
  jw_bool (j, "unsafe", (mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE) != 0);
  jw_bool (j, "logs_applied", mountdb_logs_applied (db));
  md_json_logs (j, db);
  jw_str (j, "hive_kind", mountdb_hive_kind_name (mountdb_hive_kind (db)));
  jw_bool (j, "layered", mountdb_layered (db));
  uint32_t v;
  jw_bool (j, "setup_in_progress",
           mountdb_setup_in_progress (db, &v) == MOUNTDB_VALUE_OK && v == 1);
  jw_str (j, "windows_version",
          mountdb_windows_version_name (mountdb_windows_version (db)));
  jw_close (j, '}');

  /* Select and the boot-time settings of the control set the next boot
   * loads (V11): null when absent or unreadable. */
  jw_open (j, "control_set", '{');
  int st = mountdb_select_default (db, &v);  /* before v is read */
  json_dword (j, "select_default", st, v);
  st = mountdb_select_current (db, &v);
  json_dword (j, "select_current", st, v);
  v = mountdb_boot_control_set (db);
  json_dword (j, "boot", v ? MOUNTDB_VALUE_OK : MOUNTDB_VALUE_ABSENT, v);
  st = mountdb_noautomount (db, &v);
  json_dword (j, "no_auto_mount", st, v);
  st = mountdb_san_policy (db, &v);
  json_dword (j, "san_policy", st, v);
  jw_close (j, '}');

  int ks = mountdb_key_state (db);
  jw_open (j, "key", '{');
  jw_bool (j, "present", ks == MOUNTDB_KEY_PRESENT);
  jw_str (j, "state", mountdb_key_state_name (ks));
  jw_time (j, "last_written", mountdb_key_last_written (db));
  jw_close (j, '}');
}

/* Hand what is built to the sink once it passes a chunk: a document of
 * 100k entries is never held whole (issue 10 item 8).  Returns 1 when the
 * write is to stop (the sink said so, or memory ran out). */
int
md_json_flush (struct md_json *w, size_t at_least)
{
  struct md_sbuf *b = &w->j.b;
  if (w->stopped || b->err)
    return 1;
  if (b->len < at_least || b->len == 0)
    return 0;
  if (w->sink (w->ctx, b->p, b->len) != 0) {
    w->stopped = 1;
    return 1;
  }
  md_sb_reset (b);
  return 0;
}

static void
json_diagnostics (struct jw *j, const mountdb *db)
{
  size_t n = mountdb_diag_count (db);
  jw_open (j, "diagnostics", '[');
  for (size_t i = 0; i < n; i++) {
    int code = 0;
    const char *msg = NULL;
    if (mountdb_diag_get (db, i, &code, &msg) < 0)
      continue;
    jw_open (j, NULL, '{');
    jw_str (j, "code", mountdb_diag_name (code));
    jw_str (j, "message", msg);
    jw_close (j, '}');
  }
  jw_close (j, ']');
}

static void
json_doc (struct md_json *w, const mountdb *db, const char *path)
{
  struct jw *j = &w->j;
  const mountdb_json_opts *o = w->o;
  jw_open (j, NULL, '{');
  md_json_tool (j);
  json_hive (j, db, path);

  size_t n = mountdb_entry_count (db);
  jw_open (j, "entries", '[');
  for (size_t i = 0; i < n; i++) {
    json_entry (j, mountdb_entry_get (db, i), i);
    if (md_json_flush (w, CHUNK))
      return;
  }
  jw_close (j, ']');

  n = mountdb_volume_count (db);
  jw_open (j, "volumes", '[');
  for (size_t i = 0; i < n; i++) {
    json_volume (w, db, mountdb_volume_get (db, i), i);
    if (md_json_flush (w, CHUNK))
      return;
  }
  jw_close (j, ']');
  /* The disks as `mountdb disks` prints them (jw_disk). */
  jw_open (j, "disks", '[');
  for (size_t i = 0; i < o->ndisks; i++)
    jw_disk (j, NULL, o->disks[i].path, o->disks[i].disk, o->disks[i].err);
  jw_close (j, ']');
  json_diagnostics (j, db);

  /* The findings of mountdb_check (policy), after the diagnostics
   * (reading): the same in show and check mode, less --ignore. */
  n = mountdb_finding_count (db);
  jw_open (j, "findings", '[');
  for (size_t i = 0; i < n; i++) {
    const mountdb_finding *f = mountdb_finding_get (db, i);
    if (f == NULL || md_rule_ignored (o->ignore, mountdb_finding_rule (f)))
      continue;
    json_finding (j, f);
    if (md_json_flush (w, CHUNK))
      return;
  }
  jw_close (j, ']');
  jw_close (j, '}');
}

/* ---- the public functions ---------------------------------------------------- */

/* The size of the struct as released in 0.2 (its last field's end):
 * anything smaller was not set up by mountdb_json_opts_init. */
#define JSON_OPTS_SIZE_0_2 \
  (offsetof (mountdb_json_opts, correlation) + sizeof (void *))

void
mountdb_json_opts_init (mountdb_json_opts *opts)
{
  if (opts == NULL)
    return;
  memset (opts, 0, sizeof *opts);
  opts->struct_size = sizeof *opts;
}

/* The caller's options into out, every field there (as lib/opts.c does
 * for the write options): a newer caller's options we do not know must
 * be unset. */
static int
json_opts_load (mountdb_json_opts *out, const mountdb_json_opts *in,
                const char *path, mountdb_error *err)
{
  mountdb_json_opts_init (out);
  if (in == NULL)
    return 0;
  size_t size = in->struct_size;
  if (size < JSON_OPTS_SIZE_0_2)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, path,
                     "JSON options not set up by mountdb_json_opts_init "
                     "(struct_size %zu)", size);
  const unsigned char *p = (const unsigned char *) in;
  for (size_t i = sizeof *out; i < size; i++)
    if (p[i] != 0)
      return md_error (err, MOUNTDB_E_INVAL, EINVAL, path,
                       "JSON options from a newer libmountdb (struct_size "
                       "%zu > %zu) set an option this version does not "
                       "know", size, sizeof *out);
  memcpy (out, in, size < sizeof *out ? size : sizeof *out);
  out->struct_size = sizeof *out;
  if (out->flags & ~(unsigned) MOUNTDB_JSON_COMPACT)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, path,
                     "unknown JSON flags 0x%x", out->flags);
  if (out->indent < 0 || out->indent > MAX_INDENT)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, path,
                     "JSON indent %d out of range 0..%d", out->indent,
                     MAX_INDENT);
  if (out->ndisks > 0 && out->disks == NULL)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, path,
                     "%zu JSON disks but no array", out->ndisks);
  for (size_t i = 0; i < out->ndisks; i++)
    if (out->disks[i].path == NULL)
      return md_error (err, MOUNTDB_E_INVAL, EINVAL, path,
                       "JSON disk %zu has no path", i);
  return 0;
}

int
md_json_begin (struct md_json *w, mountdb_json_opts *o,
               const mountdb_json_opts *opts, const char *path,
               mountdb_sink sink, void *ctx, mountdb_error *err)
{
  if (sink == NULL)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, path, "no JSON sink");
  int rc = json_opts_load (o, opts, path, err);
  if (rc < 0)
    return rc;
  memset (w, 0, sizeof *w);
  md_sb_init (&w->j.b);
  w->j.pretty = !(o->flags & MOUNTDB_JSON_COMPACT);
  w->j.base = w->j.depth = w->j.pretty ? o->indent : 0;
  w->sink = sink;
  w->ctx = ctx;
  w->o = o;
  return 0;
}

int
md_json_end (struct md_json *w, const char *path, mountdb_error *err)
{
  md_json_flush (w, 0);
  int oom = w->j.b.err;
  md_sb_free (&w->j.b);
  if (w->stopped)
    return md_error (err, MOUNTDB_E_IO, EIO, path,
                     "the JSON document's sink stopped the write");
  if (oom)
    return md_error (err, MOUNTDB_E_NOMEM, ENOMEM, path,
                     "out of memory writing the JSON document");
  return 0;
}

/* One document: db's, or (db NULL) the error document. */
static int
json_write (const mountdb *db, const char *path, const mountdb_error *open_err,
            const mountdb_json_opts *opts, mountdb_sink sink, void *ctx,
            mountdb_error *err)
{
  mountdb_json_opts o;
  struct md_json w;
  int rc = md_json_begin (&w, &o, opts, path, sink, ctx, err);
  if (rc < 0)
    return rc;
  if (db != NULL && o.path != NULL)
    path = o.path;
  if (path == NULL)
    path = "";
  if (db != NULL)
    json_doc (&w, db, path);
  else
    json_error_doc (&w.j, path, open_err);
  return md_json_end (&w, path, err);
}

int
mountdb_json_write (const mountdb *db, const mountdb_json_opts *opts,
                    mountdb_sink sink, void *ctx, mountdb_error *err)
{
  if (db == NULL)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, NULL, "no hive");
  return json_write (db, mountdb_path (db), NULL, opts, sink, ctx, err);
}

int
mountdb_json_write_error (const char *path, const mountdb_error *open_err,
                          const mountdb_json_opts *opts, mountdb_sink sink,
                          void *ctx, mountdb_error *err)
{
  if (path == NULL)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, NULL, "no hive path");
  return json_write (NULL, path, open_err, opts, sink, ctx, err);
}
