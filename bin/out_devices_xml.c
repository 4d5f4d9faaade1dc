/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb devices, XML (bin/mountdb.rng): a <devices> per SYSTEM hive, or
 * show's <error>, inside one <mountdb> document.  Names as character
 * references or U+FFFD (esc_xml_attr). */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "out_devices.h"
#include "escape.h"
#include "common/devsum.h"

#define MOUNTED_DEVICES "MountedDevices"

static void
xml_attr (struct md_sbuf *b, const char *name, const char *utf8)
{
  struct esc_src s;
  esc_src_utf8 (&s, utf8);
  md_sb_printf (b, " %s=\"", name);
  esc_xml_attr (b, &s);
  md_sb_putc (b, '"');
}

static void
xml_attr16 (struct md_sbuf *b, const char *name, const uint16_t *u, size_t n)
{
  struct esc_src s;
  esc_src_utf16 (&s, u, n);
  md_sb_printf (b, " %s=\"", name);
  esc_xml_attr (b, &s);
  md_sb_putc (b, '"');
}

static void
xml_attr_time (struct md_sbuf *b, const char *name, uint64_t ft)
{
  char t[40];
  if (mountdb_filetime_format (ft, t) == 0)
    md_sb_printf (b, " %s=\"%s\"", name, t);
}

static void
xml_source (struct md_sbuf *b, size_t hive, const char *key, const char *value)
{
  md_sb_printf (b, " source-hive=\"%zu\"", hive);
  if (key)
    xml_attr (b, "source-key", key);
  if (value)
    xml_attr (b, "source-value", value);
}

static void
xml_volume (struct md_sbuf *b, const mountdb_volume *v, const char *match,
            const char *indent)
{
  md_sb_printf (b, "%s<volume", indent);
  if (match)
    md_sb_printf (b, " match=\"%s\"", match);
  xml_attr (b, "id", mountdb_uid_summary (mountdb_volume_uid (v)));
  md_sb_puts (b, ">\n");
  for (size_t k = 0; k < mountdb_volume_entry_count (v); k++) {
    const mountdb_entry *e = mountdb_volume_entry_get (v, k);
    size_t n16;
    const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
    md_sb_printf (b, "%s  <name", indent);
    xml_attr16 (b, "name", u, n16);
    md_sb_printf (b, " class=\"%s\"", mountdb_class_name (mountdb_entry_class (e)));
    if (md_dev_is_letter_entry (e))
      md_sb_printf (b, " letter=\"%c\"", mountdb_entry_letter (e));
    if (mountdb_entry_guid (e))
      xml_attr (b, "guid", mountdb_entry_guid (e));
    md_sb_puts (b, " source-hive=\"0\" source-key=\"" MOUNTED_DEVICES "\"");
    xml_attr16 (b, "source-value", u, n16);
    md_sb_puts (b, "/>\n");
  }
  md_sb_printf (b, "%s</volume>\n", indent);
}

static void
xml_mount (struct md_sbuf *b, const mountdb_devices *d,
           const mountdb_user_mount *m, const char *indent)
{
  md_sb_printf (b, "%s<user-mount hive=\"%zu\"", indent, m->hive);
  const mountdb_fact *u = mountdb_devices_hive_user (d, m->hive);
  if (u && u->str)
    xml_attr (b, "user", u->str);
  xml_attr (b, "name", m->name ? m->name : "");
  if (m->guid)
    xml_attr (b, "guid", m->guid);
  if (m->letter)
    md_sb_printf (b, " letter=\"%c\"", m->letter);
  md_sb_printf (b, " by-letter=\"%s\"", m->by_letter ? "true" : "false");
  xml_attr_time (b, "last-written", m->last_written);
  xml_source (b, m->hive, m->key, NULL);
  md_sb_puts (b, "/>\n");
}

void
dev_xml_doc (struct md_sbuf *b, const mountdb_devices *d)
{
  md_sb_printf (b, "  <devices control-set=\"%" PRIu32 "\">\n",
                mountdb_devices_control_set (d));
  for (size_t i = 0; i < mountdb_devices_hive_count (d); i++) {
    const mountdb *db = mountdb_devices_hive_get (d, i);
    const mountdb_header *h = mountdb_file_header (db);
    const char *sha = mountdb_sha256 (db);
    md_sb_printf (b, "    <hive index=\"%zu\" role=\"%s\"", i,
                  mountdb_hive_role_name (mountdb_devices_hive_role (d, i)));
    xml_attr (b, "path", mountdb_path (db));
    md_sb_printf (b, " size=\"%" PRIu64 "\"", mountdb_file_size (db));
    if (sha)
      md_sb_printf (b, " sha256=\"%s\"", sha);
    md_sb_printf (b, " kind=\"%s\" dirty=\"%s\" logs-applied=\"%s\" "
                  "unsafe=\"%s\"", mountdb_hive_kind_name (mountdb_hive_kind (db)),
                  h->dirty ? "true" : "false",
                  mountdb_logs_applied (db) ? "true" : "false",
                  mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE ? "true"
                  : "false");
    const mountdb_fact *u = mountdb_devices_hive_user (d, i);
    if (u && u->str) {
      xml_attr (b, "user", u->str);
      if (u->key)
        xml_attr (b, "user-key", u->key);
      if (u->value)
        xml_attr (b, "user-value", u->value);
    }
    if (mountdb_log_count (db) == 0) {
      md_sb_puts (b, "/>\n");
      continue;
    }
    md_sb_puts (b, ">\n");
    for (size_t k = 0; k < mountdb_log_count (db); k++) {
      const mountdb_log_info *l = mountdb_log_get (db, k);
      md_sb_puts (b, "      <log");
      xml_attr (b, "path", l->path);
      md_sb_printf (b, " size=\"%" PRIu64 "\"", (uint64_t) l->size);
      if (l->sha256)
        md_sb_printf (b, " sha256=\"%s\"", l->sha256);
      md_sb_printf (b, " valid=\"%s\" used=\"%s\"/>\n",
                    l->valid ? "true" : "false", l->used ? "true" : "false");
    }
    md_sb_puts (b, "    </hive>\n");
  }
  for (size_t i = 0; i < mountdb_device_count (d); i++) {
    const mountdb_device *dev = mountdb_device_get (d, i);
    struct md_sbuf s;
    md_sb_init (&s);
    md_dev_summary (&s, d, dev);
    md_sb_printf (b, "    <device index=\"%zu\"", i);
    xml_attr (b, "summary", md_sb_str (&s));
    md_sb_puts (b, ">\n");
    for (size_t k = 0; k < mountdb_device_fact_count (dev); k++) {
      const mountdb_fact *f = mountdb_device_fact_get (dev, k);
      const char *kind = mountdb_fact_kind_name (f->kind);
      md_sb_reset (&s);
      if (f->kind == MOUNTDB_FACT_BOOL)
        md_sb_puts (&s, f->num ? "true" : "false");
      else if (f->kind == MOUNTDB_FACT_UINT)
        md_sb_printf (&s, "%" PRIu64, f->num);
      else
        dev_fact_value (&s, f);
      md_sb_puts (b, "      <fact");
      xml_attr (b, "field", f->field);
      md_sb_printf (b, " kind=\"%s\"", kind ? kind : "unknown");
      xml_attr (b, "value", md_sb_str (&s));
      xml_source (b, f->hive, f->key, f->value);
      xml_attr (b, "meaning", f->meaning ? f->meaning : "");
      md_sb_puts (b, "/>\n");
    }
    md_sb_free (&s);
    for (size_t k = 0; k < mountdb_device_volume_count (dev); k++)
      xml_volume (b, mountdb_device_volume_get (dev, k),
                  mountdb_device_match_name (
                    mountdb_device_volume_match (dev, k)), "      ");
    for (size_t k = 0; k < mountdb_device_user_mount_count (dev); k++)
      xml_mount (b, d, mountdb_device_user_mount_get (dev, k), "      ");
    md_sb_puts (b, "    </device>\n");
  }
  for (size_t i = 0; i < mountdb_devices_unmatched_volume_count (d); i++)
    xml_volume (b, mountdb_devices_unmatched_volume_get (d, i), NULL, "    ");
  for (size_t i = 0; i < mountdb_user_mount_count (d); i++) {
    const mountdb_user_mount *m = mountdb_user_mount_get (d, i);
    if (m->device == NULL)
      xml_mount (b, d, m, "    ");
  }
  md_sb_puts (b, "  </devices>\n");
}

void
dev_xml_head (struct md_sbuf *b)
{
  md_sb_puts (b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  md_sb_printf (b, "<mountdb schema=\"%d\"", MOUNTDB_JSON_SCHEMA);
  xml_attr (b, "version", mountdb_version ());
  md_sb_puts (b, ">\n");
}

/* As show's XML: <error path= code= message=/> in the hive's place. */
void
dev_xml_error (struct md_sbuf *b, const struct hive_result *r)
{
  md_sb_puts (b, "  <error");
  xml_attr (b, "path", r->path);
  md_sb_printf (b, " code=\"%s\"",
                mountdb_error_name (r->err ? r->err->code : MOUNTDB_E_IO));
  xml_attr (b, "message", r->err ? r->err->message : "cannot open");
  md_sb_puts (b, "/>\n");
}
