/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb devices, text: one block per device, a person's summary first,
 * then a table of its facts with their sources (mountdb(1), DEVICES).
 * Names are escaped as show escapes them. */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "out_devices.h"
#include "escape.h"
#include "common/devsum.h"
#include "out_text.h"

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
  dev_source_words (&src, d, m->hive, m->key, NULL, 1);
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
    dev_fact_value (&val, f);
    dev_source_words (&src, d, f->hive, f->key, f->value,
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

void
dev_text_doc (struct md_sbuf *b, const mountdb_devices *d)
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
