/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The devices document (mountdb.h, "devices"; mountdb(1), DEVICES): the
 * one implementation behind `mountdb devices --format=json|jsonl` and the
 * bindings' Devices.to_dict().  Every fact carries its source {hive, key,
 * value}; keys come in a fixed order.  It reads only the public model of
 * the join, through the emitter and the pieces the hive's document uses
 * (json_int.h), and the summary every format shares (common/devsum.h). */
#include <config.h>
#include <errno.h>
#include <string.h>
#include "mountdb.h"
#include "error.h"
#include "json_int.h"
#include "common/devsum.h"

#define MOUNTED_DEVICES "MountedDevices"

static void
json_source (struct jw *j, size_t hive, const char *key, const char *value)
{
  jw_open (j, "source", '{');
  jw_uint (j, "hive", hive);
  jw_str_or_null (j, "key", key);
  jw_str_or_null (j, "value", value);
  jw_close (j, '}');
}

static void
json_fact (struct jw *j, const mountdb_fact *f)
{
  jw_open (j, NULL, '{');
  jw_str (j, "field", f->field);
  const char *kind = mountdb_fact_kind_name (f->kind);
  jw_str (j, "kind", kind ? kind : "unknown");
  switch (f->kind) {
  case MOUNTDB_FACT_STRING:
    jw_str (j, "value", f->str ? f->str : "");
    break;
  case MOUNTDB_FACT_BOOL:
    jw_bool (j, "value", f->num != 0);
    break;
  case MOUNTDB_FACT_TIME:
    jw_time (j, "value", f->num);
    break;
  default:
    jw_uint (j, "value", f->num);
    break;
  }
  json_source (j, f->hive, f->key, f->value);
  jw_str (j, "meaning", f->meaning ? f->meaning : "");
  jw_close (j, '}');
}

static void
json_volume (struct jw *j, const mountdb_volume *v, const char *match)
{
  jw_open (j, NULL, '{');
  if (match)
    jw_str (j, "match", match);
  jw_str (j, "id", mountdb_uid_summary (mountdb_volume_uid (v)));
  jw_open (j, "names", '[');
  for (size_t k = 0; k < mountdb_volume_entry_count (v); k++) {
    const mountdb_entry *e = mountdb_volume_entry_get (v, k);
    size_t n16;
    const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
    jw_open (j, NULL, '{');
    jw_str16 (j, "name", u, n16);
    jw_str (j, "class", mountdb_class_name (mountdb_entry_class (e)));
    if (md_dev_is_letter_entry (e)) {
      char l[2] = { mountdb_entry_letter (e), 0 };
      jw_str (j, "letter", l);
    }
    if (mountdb_entry_guid (e))
      jw_str (j, "guid", mountdb_entry_guid (e));
    jw_open (j, "source", '{');
    jw_uint (j, "hive", 0);
    jw_str (j, "key", MOUNTED_DEVICES);
    jw_str16 (j, "value", u, n16);
    jw_close (j, '}');
    jw_close (j, '}');
  }
  jw_close (j, ']');
  jw_close (j, '}');
}

static void
json_mount (struct jw *j, const mountdb_devices *d, const mountdb_user_mount *m)
{
  jw_open (j, NULL, '{');
  jw_uint (j, "hive", m->hive);
  const mountdb_fact *u = mountdb_devices_hive_user (d, m->hive);
  if (u && u->str)
    jw_str (j, "user", u->str);
  else
    jw_null (j, "user");
  jw_str (j, "name", m->name ? m->name : "");
  jw_str_or_null (j, "guid", m->guid);
  if (m->letter) {
    char l[2] = { m->letter, 0 };
    jw_str (j, "letter", l);
  } else
    jw_null (j, "letter");
  jw_bool (j, "by_letter", m->by_letter);
  jw_time (j, "last_written", m->last_written);
  json_source (j, m->hive, m->key, NULL);
  jw_close (j, '}');
}

static void
json_hive (struct jw *j, const mountdb_devices *d, size_t i)
{
  const mountdb *db = mountdb_devices_hive_get (d, i);
  const mountdb_header *h = mountdb_file_header (db);
  const char *sha = mountdb_sha256 (db);
  jw_open (j, NULL, '{');
  jw_uint (j, "index", i);
  jw_str (j, "role", mountdb_hive_role_name (mountdb_devices_hive_role (d, i)));
  jw_str (j, "path", mountdb_path (db));
  jw_uint (j, "size", mountdb_file_size (db));
  jw_str_or_null (j, "sha256", sha);
  jw_str (j, "kind", mountdb_hive_kind_name (mountdb_hive_kind (db)));
  jw_bool (j, "dirty", h->dirty);
  jw_bool (j, "logs_applied", mountdb_logs_applied (db));
  jw_bool (j, "unsafe", (mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE) != 0);
  jw_time (j, "last_written", h->last_written);
  /* The hive document's logs object (F4): one writer for both. */
  md_json_logs (j, db);
  const mountdb_fact *u = mountdb_devices_hive_user (d, i);
  if (u && u->str) {
    jw_open (j, "user", '{');
    jw_str (j, "name", u->str);
    json_source (j, u->hive, u->key, u->value);
    jw_close (j, '}');
  } else
    jw_null (j, "user");
  jw_close (j, '}');
}

static void
json_doc (struct md_json *w, const mountdb_devices *d)
{
  struct jw *j = &w->j;
  jw_open (j, NULL, '{');
  md_json_tool (j);
  jw_str (j, "command", "devices");
  jw_uint (j, "control_set", mountdb_devices_control_set (d));
  jw_open (j, "hives", '[');
  for (size_t i = 0; i < mountdb_devices_hive_count (d); i++)
    json_hive (j, d, i);
  jw_close (j, ']');
  jw_open (j, "devices", '[');
  for (size_t i = 0; i < mountdb_device_count (d); i++) {
    const mountdb_device *dev = mountdb_device_get (d, i);
    struct md_sbuf s;
    md_sb_init (&s);
    md_dev_summary (&s, d, dev);
    jw_open (j, NULL, '{');
    jw_uint (j, "index", i);
    jw_str (j, "summary", md_sb_str (&s));
    md_sb_free (&s);
    jw_open (j, "facts", '[');
    for (size_t k = 0; k < mountdb_device_fact_count (dev); k++)
      json_fact (j, mountdb_device_fact_get (dev, k));
    jw_close (j, ']');
    jw_open (j, "volumes", '[');
    for (size_t k = 0; k < mountdb_device_volume_count (dev); k++)
      json_volume (j, mountdb_device_volume_get (dev, k),
                   mountdb_device_match_name (
                     mountdb_device_volume_match (dev, k)));
    jw_close (j, ']');
    jw_open (j, "users", '[');
    for (size_t k = 0; k < mountdb_device_user_mount_count (dev); k++)
      json_mount (j, d, mountdb_device_user_mount_get (dev, k));
    jw_close (j, ']');
    jw_close (j, '}');
    if (md_json_flush (w, MD_JSON_CHUNK))
      return;
  }
  jw_close (j, ']');
  jw_open (j, "unmatched_volumes", '[');
  for (size_t i = 0; i < mountdb_devices_unmatched_volume_count (d); i++)
    json_volume (j, mountdb_devices_unmatched_volume_get (d, i), NULL);
  jw_close (j, ']');
  jw_open (j, "unmatched_user_mounts", '[');
  for (size_t i = 0; i < mountdb_user_mount_count (d); i++) {
    const mountdb_user_mount *m = mountdb_user_mount_get (d, i);
    if (m->device == NULL)
      json_mount (j, d, m);
  }
  jw_close (j, ']');
  jw_close (j, '}');
}

int
mountdb_devices_json_write (const mountdb_devices *d,
                            const mountdb_json_opts *opts, mountdb_sink sink,
                            void *ctx, mountdb_error *err)
{
  if (d == NULL)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, NULL, "no device history");
  const char *path = mountdb_path (mountdb_devices_hive_get (d, 0));
  mountdb_json_opts o;
  struct md_json w;
  int rc = md_json_begin (&w, &o, opts, path, sink, ctx, err);
  if (rc < 0)
    return rc;
  json_doc (&w, d);
  return md_json_end (&w, path, err);
}
