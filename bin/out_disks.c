/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A list of disks in every output format (out_disks.h). */
#include <config.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "out_disks.h"
#include "escape.h"
#include "common/diskfmt.h"
#include "common/utf8.h"

/* ---- JSON ----------------------------------------------------------------- */

/* The one disk object of every JSON document (common/jsonw_disk.c). */
void
out_disk_json (struct jw *j, const char *key, const struct disk_result *r)
{
  jw_disk (j, key, r->path, r->disk, r->err);
}

void
out_disks_json (struct jw *j, const char *key, const struct disk_result *r,
                size_t n)
{
  jw_open (j, key, '[');
  for (size_t i = 0; i < n; i++)
    out_disk_json (j, NULL, &r[i]);
  jw_close (j, ']');
}

/* ---- text ------------------------------------------------------------------- */

static void
human (char out[32], uint64_t v)
{
  static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
  int u = 0;
  while (u < 5 && v >= 1024 && v % 1024 == 0) {
    v /= 1024;
    u++;
  }
  if (v >= 10240) {             /* not a round number: one decimal */
    double x = (double) v;
    while (u < 5 && x >= 1024) {
      x /= 1024;
      u++;
    }
    snprintf (out, 32, "%.1f %s", x, unit[u]);
    return;
  }
  snprintf (out, 32, "%" PRIu64 " %s", v, unit[u]);
}

static void
text_attrs (char out[40], uint64_t a)
{
  out[0] = '\0';
  if (a & MOUNTDB_GPT_ATTR_NO_DRIVE_LETTER)
    strcat (out, "no-letter");
  if (a & MOUNTDB_GPT_ATTR_HIDDEN)
    strcat (out, out[0] ? ",hidden" : "hidden");
  if (out[0] == '\0')
    strcpy (out, "-");
}

static void
text_disk (struct md_sbuf *b, const mountdb_disk *d)
{
  char h[32], sig[9];
  md_sb_puts (b, "disk      ");
  esc_text_utf8 (b, mountdb_disk_path (d));
  human (h, mountdb_disk_size (d));
  md_sb_printf (b, "\nsize      %" PRIu64 " bytes (%s), %u-byte sectors\n",
                mountdb_disk_size (d), h, mountdb_disk_sector_size (d));
  md_sb_printf (b, "table     %s", mountdb_table_name (mountdb_disk_table (d)));
  if (mountdb_disk_signature (d)) {
    md_disk_sig_text (d, sig);
    md_sb_printf (b, ", disk signature %s", sig);
  }
  if (mountdb_disk_guid (d))
    md_sb_printf (b, ", disk GUID %s", mountdb_disk_guid (d));
  for (size_t i = 0; i < md_disk_nflags; i++)
    if (mountdb_disk_flags (d) & md_disk_flags[i].bit)
      md_sb_printf (b, ", %s", md_disk_flags[i].name);
  md_sb_putc (b, '\n');
  if (mountdb_disk_table (d) == MOUNTDB_TABLE_DYNAMIC)
    md_sb_puts (b, "note      dynamic disk (LDM): its volumes cannot be "
                "resolved from the table, their IDs are never stale (V14)\n");
  for (size_t i = 0; i < mountdb_disk_warning_count (d); i++) {
    md_sb_puts (b, "warning   ");
    esc_text_utf8 (b, mountdb_disk_warning_get (d, i));
    md_sb_putc (b, '\n');
  }
  if (mountdb_disk_partition_count (d) == 0)
    return;
  md_sb_printf (b, "\n%-4s %-15s %-10s %-14s %-16s %-6s %-17s %-46s %s\n",
                "NR", "START", "SIZE", "TYPE", "ATTRIBUTES", "FS", "SERIAL",
                "SPEC", "LABEL");
  for (size_t i = 0; i < mountdb_disk_partition_count (d); i++) {
    const mountdb_partition *p = mountdb_disk_partition_get (d, i);
    char tb[8], at[40];
    const char *type = mountdb_partition_type_name (p);
    if (type == NULL)
      type = md_disk_type_text (d, p, tb);
    human (h, mountdb_partition_size (p));
    if (md_disk_is_gpt (d))
      text_attrs (at, mountdb_partition_attributes (p));
    else
      strcpy (at, mountdb_partition_logical (p) ? "logical" : "-");
    const char *fs = mountdb_partition_fs (p);
    const char *serial = mountdb_partition_serial (p);
    const char *spec = mountdb_partition_spec (p);
    md_sb_printf (b, "%-4u %-15" PRIu64 " %-10s %-14s %-16s ",
                  mountdb_partition_number (p), mountdb_partition_start (p),
                  h, type ? type : "-", at);
    /* fs and serial come from the disk's bytes: escaped like the label. */
    struct md_sbuf cell;
    md_sb_init (&cell);
    esc_text_utf8 (&cell, fs ? fs : "-");
    md_sb_printf (b, "%-6s ", md_sb_str (&cell));
    md_sb_reset (&cell);
    esc_text_utf8 (&cell, serial ? serial : "-");
    md_sb_printf (b, "%-17s ", md_sb_str (&cell));
    md_sb_free (&cell);
    md_sb_printf (b, "%-46s ", spec ? spec : "-");
    if (mountdb_partition_label (p))
      esc_text_utf8 (b, mountdb_partition_label (p));
    else
      md_sb_putc (b, '-');
    md_sb_putc (b, '\n');
  }
}

void
out_disks_text (struct md_sbuf *b, const struct disk_result *r, size_t n)
{
  int first = 1;
  for (size_t i = 0; i < n; i++) {
    if (r[i].disk == NULL)
      continue;                 /* said on standard error */
    if (!first)
      md_sb_putc (b, '\n');
    first = 0;
    text_disk (b, r[i].disk);
  }
}

/* ---- CSV -------------------------------------------------------------------- */

static const char *const csv_cols[] = {
  "disk", "disk_size", "sector_size", "table", "disk_signature", "disk_guid",
  "number", "start", "size", "type", "type_name", "partition_guid",
  "attributes", "logical", "fs", "label", "serial", "unique_id", "spec",
  "error",
};
#define NCSV (sizeof csv_cols / sizeof csv_cols[0])

static void
csv_row (struct md_sbuf *b, const char *const cell[NCSV])
{
  for (size_t i = 0; i < NCSV; i++) {
    if (i)
      md_sb_putc (b, ',');
    esc_csv_cell (b, cell[i] ? cell[i] : "");
  }
  md_sb_puts (b, "\r\n");
}

static void
csv_disk (struct md_sbuf *b, const struct disk_result *r)
{
  const char *cell[NCSV] = { r->path };
  const mountdb_disk *d = r->disk;
  if (d == NULL) {
    cell[NCSV - 1] = r->err ? r->err->message : "";
    csv_row (b, cell);
    return;
  }
  char size[24], ss[12], sig[9];
  snprintf (size, sizeof size, "%" PRIu64, mountdb_disk_size (d));
  snprintf (ss, sizeof ss, "%u", mountdb_disk_sector_size (d));
  cell[1] = size;
  cell[2] = ss;
  cell[3] = mountdb_table_name (mountdb_disk_table (d));
  if (mountdb_disk_signature (d)) {
    md_disk_sig_text (d, sig);
    cell[4] = sig;
  }
  cell[5] = mountdb_disk_guid (d);
  if (mountdb_disk_partition_count (d) == 0) {
    csv_row (b, cell);
    return;
  }
  for (size_t i = 0; i < mountdb_disk_partition_count (d); i++) {
    const mountdb_partition *p = mountdb_disk_partition_get (d, i);
    char no[12], start[24], psize[24], tb[8], attrs[24];
    snprintf (no, sizeof no, "%u", mountdb_partition_number (p));
    snprintf (start, sizeof start, "%" PRIu64, mountdb_partition_start (p));
    snprintf (psize, sizeof psize, "%" PRIu64, mountdb_partition_size (p));
    cell[6] = no;
    cell[7] = start;
    cell[8] = psize;
    cell[9] = md_disk_type_text (d, p, tb);
    cell[10] = mountdb_partition_type_name (p);
    cell[11] = mountdb_partition_guid (p);
    attrs[0] = '\0';
    if (md_disk_is_gpt (d))
      snprintf (attrs, sizeof attrs, "0x%016" PRIx64,
                mountdb_partition_attributes (p));
    cell[12] = attrs;
    cell[13] = mountdb_partition_logical (p) ? "true" : "false";
    cell[14] = mountdb_partition_fs (p);
    cell[15] = mountdb_partition_label (p);
    cell[16] = mountdb_partition_serial (p);
    size_t len;
    const uint8_t *id = mountdb_partition_unique_id (p, &len);
    struct md_sbuf hex;
    md_sb_init (&hex);
    if (id)
      md_sb_hex (&hex, id, len);
    cell[17] = md_sb_str (&hex);
    cell[18] = mountdb_partition_spec (p);
    csv_row (b, cell);
    md_sb_free (&hex);
  }
}

void
out_disks_csv (struct md_sbuf *b, const struct disk_result *r, size_t n,
               int header)
{
  if (header) {
    for (size_t i = 0; i < NCSV; i++) {
      if (i)
        md_sb_putc (b, ',');
      md_sb_puts (b, csv_cols[i]);
    }
    md_sb_puts (b, "\r\n");
  }
  for (size_t i = 0; i < n; i++)
    csv_disk (b, &r[i]);
}

/* ---- XML -------------------------------------------------------------------- */

/* An attribute value: markup characters as entities, characters XML
 * cannot carry as U+FFFD, controls and hidden ones as character
 * references (exact, yet never raw on a terminal). */
static void
xml_attr (struct md_sbuf *b, const char *name, const char *utf8)
{
  if (utf8 == NULL)
    return;
  md_sb_printf (b, " %s=\"", name);
  struct esc_src s;
  esc_src_utf8 (&s, utf8);
  esc_xml_attr (b, &s);
  md_sb_putc (b, '"');
}

static void
xml_attr_uint (struct md_sbuf *b, const char *name, uint64_t v)
{
  md_sb_printf (b, " %s=\"%" PRIu64 "\"", name, v);
}

static void
xml_indent (struct md_sbuf *b, int n)
{
  for (int i = 0; i < n; i++)
    md_sb_puts (b, "  ");
}

static void
xml_disk (struct md_sbuf *b, const struct disk_result *r, int in)
{
  const mountdb_disk *d = r->disk;
  xml_indent (b, in);
  md_sb_puts (b, "<disk");
  xml_attr (b, "path", r->path);
  if (d == NULL) {
    md_sb_puts (b, ">\n");
    xml_indent (b, in + 1);
    md_sb_puts (b, "<error");
    xml_attr (b, "code", mountdb_error_name (r->err ? r->err->code : 0));
    xml_attr (b, "message", r->err ? r->err->message : "");
    md_sb_puts (b, "/>\n");
    xml_indent (b, in);
    md_sb_puts (b, "</disk>\n");
    return;
  }
  char sig[9];
  xml_attr_uint (b, "size", mountdb_disk_size (d));
  xml_attr_uint (b, "sector-size", mountdb_disk_sector_size (d));
  xml_attr (b, "table", mountdb_table_name (mountdb_disk_table (d)));
  if (mountdb_disk_signature (d)) {
    md_disk_sig_text (d, sig);
    xml_attr (b, "disk-signature", sig);
  }
  xml_attr (b, "disk-guid", mountdb_disk_guid (d));
  for (size_t i = 0; i < md_disk_nflags; i++)
    if (mountdb_disk_flags (d) & md_disk_flags[i].bit)
      md_sb_printf (b, " %s=\"true\"", md_disk_flags[i].name);
  md_sb_puts (b, ">\n");
  for (size_t i = 0; i < mountdb_disk_warning_count (d); i++) {
    xml_indent (b, in + 1);
    md_sb_puts (b, "<warning");
    xml_attr (b, "message", mountdb_disk_warning_get (d, i));
    md_sb_puts (b, "/>\n");
  }
  for (size_t i = 0; i < mountdb_disk_partition_count (d); i++) {
    const mountdb_partition *p = mountdb_disk_partition_get (d, i);
    char tb[8], attrs[24];
    xml_indent (b, in + 1);
    md_sb_puts (b, "<partition");
    xml_attr_uint (b, "number", mountdb_partition_number (p));
    xml_attr_uint (b, "start", mountdb_partition_start (p));
    xml_attr_uint (b, "size", mountdb_partition_size (p));
    xml_attr (b, "type", md_disk_type_text (d, p, tb));
    xml_attr (b, "type-name", mountdb_partition_type_name (p));
    xml_attr (b, "partition-guid", mountdb_partition_guid (p));
    if (md_disk_is_gpt (d)) {
      snprintf (attrs, sizeof attrs, "0x%016" PRIx64,
                mountdb_partition_attributes (p));
      xml_attr (b, "attributes", attrs);
    }
    if (mountdb_partition_logical (p))
      md_sb_puts (b, " logical=\"true\"");
    xml_attr (b, "fs", mountdb_partition_fs (p));
    xml_attr (b, "label", mountdb_partition_label (p));
    xml_attr (b, "serial", mountdb_partition_serial (p));
    size_t len;
    const uint8_t *id = mountdb_partition_unique_id (p, &len);
    if (id) {
      md_sb_puts (b, " unique-id=\"");
      md_sb_hex (b, id, len);
      md_sb_putc (b, '"');
    }
    xml_attr (b, "spec", mountdb_partition_spec (p));
    md_sb_puts (b, "/>\n");
  }
  xml_indent (b, in);
  md_sb_puts (b, "</disk>\n");
}

void
out_disks_xml (struct md_sbuf *b, const struct disk_result *r, size_t n,
               int indent)
{
  for (size_t i = 0; i < n; i++)
    xml_disk (b, &r[i], indent);
}
