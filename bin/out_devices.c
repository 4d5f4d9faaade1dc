/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb devices: the device history in every format (mountdb(1),
 * DEVICES).  The library gives each device as a list of facts, each with
 * its source (hive, key, value); every format prints them in that order,
 * so the formats cannot drift apart.  Names from a hive are untrusted:
 * text and CSV escape them as show does, JSON exactly, XML as character
 * references or U+FFFD. */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "out_devices.h"
#include "out_text.h"
#include "escape.h"
#include "common/devsum.h"
#include "common/utf8.h"

#define MOUNTED_DEVICES "MountedDevices"

/* ---- shared pieces --------------------------------------------------------- */

/* A fact's value as people read it (unescaped UTF-8): VID and PID in the
 * 4 hex digits of their key name, a volume serial as Windows prints it
 * too (dir: XXXX-XXXX), times in ISO 8601 UTC. */
static void
fact_value (struct md_sbuf *b, const mountdb_fact *f)
{
  char t[40];
  switch (f->kind) {
  case MOUNTDB_FACT_STRING:
    md_sb_puts (b, f->str ? f->str : "");
    break;
  case MOUNTDB_FACT_BOOL:
    md_sb_puts (b, f->num ? "yes" : "no");
    break;
  case MOUNTDB_FACT_TIME:
    md_sb_puts (b, mountdb_filetime_format (f->num, t) == 0 ? t : "invalid");
    break;
  default:
    if (strcmp (f->field, "vid") == 0 || strcmp (f->field, "pid") == 0)
      md_sb_printf (b, "%04" PRIX64, f->num);
    else if (strcmp (f->field, "emd_volume_serial") == 0)
      md_sb_printf (b, "%" PRIu64 " (%04" PRIX64 "-%04" PRIX64 ")", f->num,
                    (f->num >> 16) & 0xffff, f->num & 0xffff);
    else
      md_sb_printf (b, "%" PRIu64, f->num);
    break;
  }
}

/* "SYSTEM", "user 1", "SOFTWARE": which hive of the join. */
static void
hive_tag (struct md_sbuf *b, const mountdb_devices *d, size_t hive)
{
  int role = mountdb_devices_hive_role (d, hive);
  if (role == MOUNTDB_ROLE_USER)
    md_sb_printf (b, "user hive %zu", hive);
  else if (role == MOUNTDB_ROLE_SOFTWARE)
    md_sb_puts (b, "SOFTWARE");
  else
    md_sb_puts (b, "SYSTEM");
}

/* Where a fact comes from, for text and CSV (unescaped). */
static void
source_words (struct md_sbuf *b, const mountdb_devices *d, size_t hive,
              const char *key, const char *value, int is_time)
{
  hive_tag (b, d, hive);
  if (key == NULL) {
    md_sb_puts (b, ": the hive's file path");
    return;
  }
  md_sb_puts (b, ": ");
  md_sb_puts (b, key);
  if (value == NULL)
    md_sb_puts (b, is_time ? " (LastWrite)" : " (key name)");
  else if (value[0] == '\0')
    md_sb_puts (b, " (default value)");
  else {
    md_sb_puts (b, " value ");
    md_sb_puts (b, value);
  }
}

/* ---- text --------------------------------------------------------------------- */

/* Table cells are cut (ending in "...") past these widths, as show cuts
 * long names, so one hostile name cannot pad every row of a block to
 * thousands of columns; the last column (the source) is never cut, and
 * JSON and XML are exact. */
#define FIELD_MAX_WIDTH 40
#define VALUE_MAX_WIDTH 64
#define NAMES_MAX_WIDTH 80

/* Escape an unescaped UTF-8 buffer into a table cell of at most maxw
 * columns (0: no limit). */
static char *
cell (const char *utf8, size_t maxw)
{
  struct md_sbuf e;
  md_sb_init (&e);
  esc_text_utf8 (&e, utf8);
  if (maxw)
    esc_truncate (&e, maxw);
  return md_sb_take (&e);
}

static void
row3 (struct text_table *t, const char *a, const char *b, const char *c)
{
  char *cells[3] = { cell (a, FIELD_MAX_WIDTH), cell (b, VALUE_MAX_WIDTH),
                     cell (c, 0) };
  text_table_row (t, (const char *const *) cells);
  for (int i = 0; i < 3; i++)
    free (cells[i]);
}

static void
text_hives (struct md_sbuf *b, const mountdb_devices *d)
{
  for (size_t i = 0; i < mountdb_devices_hive_count (d); i++) {
    const mountdb *db = mountdb_devices_hive_get (d, i);
    const mountdb_header *h = mountdb_file_header (db);
    const char *sha = mountdb_sha256 (db);
    md_sb_printf (b, "hive %zu    %s", i,
                  mountdb_hive_role_name (mountdb_devices_hive_role (d, i)));
    if (mountdb_devices_hive_role (d, i) == MOUNTDB_ROLE_USER) {
      const mountdb_fact *u = mountdb_devices_hive_user (d, i);
      md_sb_puts (b, " ");
      if (u && u->str) {
        esc_text_utf8 (b, u->str);
        md_sb_puts (b, u->key ? " (Volatile Environment)" : " (from the path)");
      } else
        md_sb_puts (b, "(name unknown)");
    }
    md_sb_puts (b, "  ");
    esc_text_utf8 (b, mountdb_path (db));
    md_sb_printf (b, "\n          %" PRIu64 " bytes, %s", mountdb_file_size (db),
                  h->dirty ? (mountdb_logs_applied (db)
                              ? "DIRTY, transaction logs applied in memory"
                              : "DIRTY, logs not applied: may be stale")
                           : "clean");
    if (mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE)
      md_sb_puts (b, ", UNSAFE (--unsafe)");
    md_sb_printf (b, "\n          sha256 %s\n",
                  sha ? sha : "not computed (--no-hash)");
    for (size_t k = 0; k < mountdb_log_count (db); k++) {
      const mountdb_log_info *l = mountdb_log_get (db, k);
      md_sb_puts (b, "          log ");
      esc_text_utf8 (b, l->path);
      md_sb_printf (b, " (%s)%s%s\n", l->used ? "used" : l->valid ? "not used"
                    : "invalid", l->sha256 ? " sha256 " : "",
                    l->sha256 ? l->sha256 : "");
    }
  }
}

static void
volume_words (struct md_sbuf *names, const mountdb_volume *v)
{
  for (size_t k = 0; k < mountdb_volume_entry_count (v); k++) {
    const mountdb_entry *e = mountdb_volume_entry_get (v, k);
    size_t n16;
    const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
    struct esc_src s;
    if (k)
      md_sb_putc (names, ' ');
    esc_src_utf16 (&s, u, n16);
    esc_text (names, &s);
  }
}

static void
text_volume_rows (struct text_table *t, const mountdb_volume *v,
                  const char *how)
{
  struct md_sbuf names, id;
  md_sb_init (&names);
  md_sb_init (&id);
  volume_words (&names, v);     /* escaped already */
  esc_truncate (&names, NAMES_MAX_WIDTH);
  esc_text_utf8 (&id, mountdb_uid_summary (mountdb_volume_uid (v)));
  const char *cells[3] = { md_sb_str (&names), how, md_sb_str (&id) };
  text_table_row (t, cells);
  md_sb_free (&names);
  md_sb_free (&id);
}

/* A MountPoints2 entry: user, LastWrite, the subkey's name, source. */
static void
text_mount_row (struct text_table *t, const mountdb_devices *d,
                const mountdb_user_mount *m)
{
  struct md_sbuf who, when, src;
  char tm[40];
  md_sb_init (&who);
  md_sb_init (&when);
  md_sb_init (&src);
  md_dev_user_name (&who, d, m->hive);
  md_sb_printf (&when, "%s%s", mountdb_filetime_format (m->last_written, tm)
                == 0 ? tm : "time unknown",
                m->by_letter ? " (by letter: inferred)" : "");
  source_words (&src, d, m->hive, m->key, NULL, 1);
  char *cells[4] = { cell (md_sb_str (&who), FIELD_MAX_WIDTH),
                     cell (md_sb_str (&when), 0),
                     cell (m->name ? m->name : "", VALUE_MAX_WIDTH),
                     cell (md_sb_str (&src), 0) };
  text_table_row (t, (const char *const *) cells);
  for (int i = 0; i < 4; i++)
    free (cells[i]);
  md_sb_free (&who);
  md_sb_free (&when);
  md_sb_free (&src);
}

static void
text_device (struct md_sbuf *b, const mountdb_devices *d,
             const mountdb_device *dev, size_t i)
{
  struct md_sbuf s;
  md_sb_init (&s);
  md_dev_summary (&s, d, dev);
  md_sb_printf (b, "\ndevice %zu: ", i + 1);
  esc_text_utf8 (b, md_sb_str (&s));
  md_sb_puts (b, "\n");
  md_sb_free (&s);

  struct text_table t;
  text_table_init (&t, 3);
  for (size_t k = 0; k < mountdb_device_fact_count (dev); k++) {
    const mountdb_fact *f = mountdb_device_fact_get (dev, k);
    struct md_sbuf val, src;
    md_sb_init (&val);
    md_sb_init (&src);
    fact_value (&val, f);
    source_words (&src, d, f->hive, f->key, f->value,
                  f->kind == MOUNTDB_FACT_TIME);
    row3 (&t, f->field, md_sb_str (&val), md_sb_str (&src));
    md_sb_free (&val);
    md_sb_free (&src);
  }
  text_table_print (b, &t, "  ");
  text_table_free (&t);

  if (mountdb_device_volume_count (dev)) {
    md_sb_puts (b, "  volumes (SYSTEM: MountedDevices)\n");
    text_table_init (&t, 3);
    for (size_t k = 0; k < mountdb_device_volume_count (dev); k++)
      text_volume_rows (&t, mountdb_device_volume_get (dev, k),
                        mountdb_device_match_name (
                          mountdb_device_volume_match (dev, k)));
    text_table_print (b, &t, "    ");
    text_table_free (&t);
  }
  if (mountdb_device_user_mount_count (dev)) {
    md_sb_puts (b, "  users (MountPoints2)\n");
    text_table_init (&t, 4);
    for (size_t k = 0; k < mountdb_device_user_mount_count (dev); k++)
      text_mount_row (&t, d, mountdb_device_user_mount_get (dev, k));
    text_table_print (b, &t, "    ");
    text_table_free (&t);
  }
}

static void
text_doc (struct md_sbuf *b, const mountdb_devices *d)
{
  size_t n = mountdb_device_count (d);
  uint32_t cs = mountdb_devices_control_set (d);
  md_sb_printf (b, "devices   %zu storage device%s, ", n, n == 1 ? "" : "s");
  if (cs)
    md_sb_printf (b, "control set ControlSet%03" PRIu32 "\n", cs);
  else
    md_sb_puts (b, "no control set (Select names none)\n");
  text_hives (b, d);
  for (size_t i = 0; i < n; i++)
    text_device (b, d, mountdb_device_get (d, i), i);

  size_t nv = mountdb_devices_unmatched_volume_count (d);
  if (nv) {
    md_sb_puts (b, "\nvolumes no device holds (fixed disks, or devices whose "
                "Enum keys are gone)\n");
    struct text_table t;
    text_table_init (&t, 3);
    for (size_t i = 0; i < nv; i++)
      text_volume_rows (&t, mountdb_devices_unmatched_volume_get (d, i), "");
    text_table_print (b, &t, "  ");
    text_table_free (&t);
  }
  int head = 0;
  struct text_table t;
  text_table_init (&t, 4);
  for (size_t i = 0; i < mountdb_user_mount_count (d); i++) {
    const mountdb_user_mount *m = mountdb_user_mount_get (d, i);
    if (m->device)
      continue;
    head = 1;
    text_mount_row (&t, d, m);
  }
  if (head) {
    md_sb_puts (b, "\nMountPoints2 entries naming no device's volume\n");
    text_table_print (b, &t, "  ");
  }
  text_table_free (&t);
}

/* ---- CSV ------------------------------------------------------------------------- */

/* One row per device, columns in this order; "record" says what the row
 * is: "device", or "volume" for a volume no device holds.  Sources are in
 * JSON and XML only (a flat row has no room for them). */
static const char *const csv_facts[] = {
  "bus", "device_type", "vendor", "product", "revision", "instance_id",
  "serial", "serial_generated", "friendly_name", "parent_id_prefix",
  "container_id", "disk_id", "vid", "pid", "first_install", "install_date",
  "last_arrival", "last_removal", "instance_key_written",
  "device_class_written", "usb_key_written", "wpd_label", "wpd_friendly_name",
  "emd_label", "emd_volume_serial", "emd_key_written",
};
#define NCSV_FACTS (sizeof csv_facts / sizeof csv_facts[0])

static void
csv_cell (struct md_sbuf *b, const char *utf8, int first)
{
  if (!first)
    md_sb_putc (b, ',');
  esc_csv_cell (b, utf8 ? utf8 : "");
}

static void
csv_volumes_cell (struct md_sbuf *b, const mountdb_device *dev,
                  const mountdb_volume *only)
{
  struct md_sbuf s;
  md_sb_init (&s);
  size_t n = only ? 1 : mountdb_device_volume_count (dev);
  for (size_t i = 0; i < n; i++) {
    const mountdb_volume *v = only ? only : mountdb_device_volume_get (dev, i);
    if (i)
      md_sb_puts (&s, "; ");
    for (size_t k = 0; k < mountdb_volume_entry_count (v); k++) {
      const mountdb_entry *e = mountdb_volume_entry_get (v, k);
      if (k)
        md_sb_putc (&s, ' ');
      md_sb_puts (&s, mountdb_entry_name (e));
    }
  }
  csv_cell (b, md_sb_str (&s), 0);
  md_sb_free (&s);
}

static void
csv_header (struct md_sbuf *b)
{
  md_sb_puts (b, "record,device,summary");
  for (size_t k = 0; k < NCSV_FACTS; k++)
    md_sb_printf (b, ",%s", csv_facts[k]);
  md_sb_puts (b, ",letters,volumes,users,system_hive,system_sha256\r\n");
}

/* A SYSTEM hive that could not be read or joined: one row, record
 * "error", the message as its summary, the path as its system_hive. */
static void
csv_error (struct md_sbuf *b, const struct hive_result *r)
{
  md_sb_puts (b, "error,");
  csv_cell (b, r->err ? r->err->message : "cannot open", 0);
  for (size_t k = 0; k < NCSV_FACTS + 3; k++)
    md_sb_putc (b, ',');
  csv_cell (b, r->path, 0);
  md_sb_puts (b, ",\r\n");
}

static void
csv_doc (struct md_sbuf *b, const mountdb_devices *d)
{
  const mountdb *sys = mountdb_devices_hive_get (d, 0);
  const char *sha = mountdb_sha256 (sys);
  for (size_t i = 0; i < mountdb_device_count (d); i++) {
    const mountdb_device *dev = mountdb_device_get (d, i);
    struct md_sbuf s;
    md_sb_init (&s);
    md_sb_printf (b, "device,%zu", i + 1);
    md_dev_summary (&s, d, dev);
    csv_cell (b, md_sb_str (&s), 0);
    for (size_t k = 0; k < NCSV_FACTS; k++) {
      const mountdb_fact *f = mountdb_device_fact (dev, csv_facts[k]);
      md_sb_reset (&s);
      if (f)
        fact_value (&s, f);
      csv_cell (b, md_sb_str (&s), 0);
    }
    md_sb_reset (&s);
    md_dev_letters (&s, dev);
    csv_cell (b, md_sb_str (&s), 0);
    csv_volumes_cell (b, dev, NULL);
    md_sb_reset (&s);
    for (size_t k = 0; k < mountdb_device_user_mount_count (dev); k++) {
      const mountdb_user_mount *m = mountdb_device_user_mount_get (dev, k);
      char t[40];
      if (k)
        md_sb_puts (&s, "; ");
      md_dev_user_name (&s, d, m->hive);
      md_sb_printf (&s, " %s %s%s", m->name ? m->name : "",
                    mountdb_filetime_format (m->last_written, t) == 0 ? t : "",
                    m->by_letter ? " (by letter)" : "");
    }
    csv_cell (b, md_sb_str (&s), 0);
    csv_cell (b, mountdb_path (sys), 0);
    csv_cell (b, sha ? sha : "", 0);
    md_sb_puts (b, "\r\n");
    md_sb_free (&s);
  }
  for (size_t i = 0; i < mountdb_devices_unmatched_volume_count (d); i++) {
    const mountdb_volume *v = mountdb_devices_unmatched_volume_get (d, i);
    md_sb_puts (b, "volume,");
    csv_cell (b, mountdb_uid_summary (mountdb_volume_uid (v)), 0);
    for (size_t k = 0; k < NCSV_FACTS + 1; k++)
      md_sb_putc (b, ',');
    csv_volumes_cell (b, NULL, v);
    md_sb_putc (b, ',');
    csv_cell (b, mountdb_path (sys), 0);
    csv_cell (b, sha ? sha : "", 0);
    md_sb_puts (b, "\r\n");
  }
}

/* ---- XML ---------------------------------------------------------------------- */

/* Attribute text: markup as entities, controls and hidden characters as
 * character references, what XML 1.0 cannot carry as U+FFFD. */
static void
xml_esc (struct md_sbuf *b, struct esc_src *s)
{
  uint32_t cp;
  while (esc_next (s, &cp)) {
    if (!esc_xml_char_ok (cp))
      md_sb_utf8 (b, 0xfffd);
    else if (cp == '&')
      md_sb_puts (b, "&amp;");
    else if (cp == '<')
      md_sb_puts (b, "&lt;");
    else if (cp == '>')
      md_sb_puts (b, "&gt;");
    else if (cp == '"')
      md_sb_puts (b, "&quot;");
    else if (esc_xml_charref (cp) || cp == '\t' || cp == '\n' || cp == '\r')
      md_sb_printf (b, "&#x%" PRIX32 ";", cp);
    else
      md_sb_utf8 (b, cp);
  }
}

static void
xml_attr (struct md_sbuf *b, const char *name, const char *utf8)
{
  struct esc_src s;
  esc_src_utf8 (&s, utf8);
  md_sb_printf (b, " %s=\"", name);
  xml_esc (b, &s);
  md_sb_putc (b, '"');
}

static void
xml_attr16 (struct md_sbuf *b, const char *name, const uint16_t *u, size_t n)
{
  struct esc_src s;
  esc_src_utf16 (&s, u, n);
  md_sb_printf (b, " %s=\"", name);
  xml_esc (b, &s);
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

static void
xml_doc (struct md_sbuf *b, const mountdb_devices *d)
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
        fact_value (&s, f);
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

static void
xml_head (struct md_sbuf *b)
{
  md_sb_puts (b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  md_sb_printf (b, "<mountdb schema=\"%d\"", MOUNTDB_JSON_SCHEMA);
  xml_attr (b, "version", mountdb_version ());
  md_sb_puts (b, ">\n");
}

/* As show's XML: <error path= code= message=/> in the hive's place. */
static void
xml_error (struct md_sbuf *b, const struct hive_result *r)
{
  md_sb_puts (b, "  <error");
  xml_attr (b, "path", r->path);
  md_sb_printf (b, " code=\"%s\"",
                mountdb_error_name (r->err ? r->err->code : MOUNTDB_E_IO));
  xml_attr (b, "message", r->err ? r->err->message : "cannot open");
  md_sb_puts (b, "/>\n");
}

/* ---- the writers (batch.c) ------------------------------------------------ */

/* Text and XML keep state across hives as show's do: a blank line between
 * the blocks of two SYSTEM hives; one XML document around all. */
static size_t text_shown;

static int
flush (struct md_sbuf *b, FILE *f)
{
  int rc = b->err ? -1 : md_sb_write (b, f);
  md_sb_free (b);
  return rc < 0 ? -1 : 0;
}

static int
text_begin (FILE *f, size_t nhives)
{
  (void) f;
  (void) nhives;
  text_shown = 0;
  return 0;
}

/* A hive that could not be read or joined: its message on stderr only. */
static int
text_hive (FILE *f, const struct hive_result *r, size_t index)
{
  (void) index;
  if (r->devices == NULL)
    return 0;
  struct md_sbuf b;
  md_sb_init (&b);
  if (text_shown++ > 0)
    md_sb_putc (&b, '\n');
  text_doc (&b, r->devices);
  return flush (&b, f);
}

static int
csv_begin (FILE *f, size_t nhives)
{
  (void) nhives;
  struct md_sbuf b;
  md_sb_init (&b);
  csv_header (&b);
  return flush (&b, f);
}

static int
csv_hive (FILE *f, const struct hive_result *r, size_t index)
{
  (void) index;
  struct md_sbuf b;
  md_sb_init (&b);
  if (r->devices)
    csv_doc (&b, r->devices);
  else
    csv_error (&b, r);
  return flush (&b, f);
}

static int
xml_begin (FILE *f, size_t nhives)
{
  (void) nhives;
  struct md_sbuf b;
  md_sb_init (&b);
  xml_head (&b);
  return flush (&b, f);
}

static int
xml_hive (FILE *f, const struct hive_result *r, size_t index)
{
  (void) index;
  struct md_sbuf b;
  md_sb_init (&b);
  if (r->devices)
    xml_doc (&b, r->devices);
  else
    xml_error (&b, r);
  return flush (&b, f);
}

static int
xml_end (FILE *f, size_t nhives)
{
  (void) nhives;
  return fputs ("</mountdb>\n", f) < 0 ? -1 : 0;
}

static int
no_end (FILE *f, size_t nhives)
{
  (void) f;
  (void) nhives;
  return 0;
}

static const struct out_writer devices_text = {
  FMT_TEXT, text_begin, text_hive, no_end,
};
static const struct out_writer devices_csv = {
  FMT_CSV, csv_begin, csv_hive, no_end,
};
static const struct out_writer devices_xml = {
  FMT_XML, xml_begin, xml_hive, xml_end,
};

const struct out_writer *
out_devices_writer_for (enum out_format fmt)
{
  switch (fmt) {
  case FMT_JSON:
  case FMT_JSONL:
    return out_writer_for (fmt);
  case FMT_CSV:
    return &devices_csv;
  case FMT_XML:
    return &devices_xml;
  default:
    return &devices_text;
  }
}
