/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb devices, CSV: one row per device, per volume no device holds,
 * and per SYSTEM hive that could not be joined (mountdb(1), DEVICES). */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "out_devices.h"
#include "escape.h"
#include "common/devsum.h"

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

void
dev_csv_header (struct md_sbuf *b)
{
  md_sb_puts (b, "record,device,summary");
  for (size_t k = 0; k < NCSV_FACTS; k++)
    md_sb_printf (b, ",%s", csv_facts[k]);
  md_sb_puts (b, ",letters,volumes,users,system_hive,system_sha256\r\n");
}

/* A SYSTEM hive that could not be read or joined: one row, record
 * "error", the message as its summary, the path as its system_hive. */
void
dev_csv_error (struct md_sbuf *b, const struct hive_result *r)
{
  md_sb_puts (b, "error,");
  csv_cell (b, r->err ? r->err->message : "cannot open", 0);
  for (size_t k = 0; k < NCSV_FACTS + 3; k++)
    md_sb_putc (b, ',');
  csv_cell (b, r->path, 0);
  md_sb_puts (b, ",\r\n");
}

void
dev_csv_doc (struct md_sbuf *b, const mountdb_devices *d)
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
        dev_fact_value (&s, f);
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
