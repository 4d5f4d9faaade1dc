/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CSV (RFC 4180): a header row once per batch, then (show) one row per
 * value, or (check) one row per finding and value involved.
 * Text cells are escaped as in the text format, neutralised against
 * spreadsheet formulas and quoted when needed; lines end in CRLF.
 * Rows that stand for the hive rather than a value have an empty class:
 * "error: MESSAGE" for a hive that could not be opened, "key: STATE"
 * (absent, no_root, unreadable, "present, no values") for a hive with no
 * value, and "warning: CODE: MESSAGE" for each diagnostic.  In check mode
 * a finding that involves no value has one row with empty entry and name,
 * and a hive that could not be opened one row with empty rule, severity
 * "error" and message "error: MESSAGE". */
#include <config.h>
#include <inttypes.h>
#include <string.h>
#include "output.h"
#include "out_disk.h"
#include "escape.h"

#define NO_VOLUME ((size_t) -1)

enum col {
  C_HIVE, C_INDEX, C_NAME, C_CLASS, C_LETTER, C_GUID, C_TYPE, C_LENGTH,
  C_DATA, C_VOLUME, C_SHAPE, C_SUMMARY, C_DISK_SIGNATURE,
  C_PARTITION_OFFSET, C_ID_GUID, C_PATH, C_FLAGS,
  /* Added after flags (existing columns keep their positions): device
   * identity, v1 GUID time and node, and per hive the key's LastWrite and
   * the input's SHA-256, repeated on each row as CSV is flat. */
  C_VENDOR, C_PRODUCT, C_SERIAL, C_GUID_TIME, C_GUID_NODE, C_GUID_NODE_KIND,
  C_KEY_LAST_WRITTEN, C_SHA256, NCOLS
};

static const char *const header[NCOLS] = {
  "hive", "index", "name", "class", "letter", "guid", "type", "length",
  "data", "volume", "shape", "summary", "disk_signature",
  "partition_offset", "id_guid", "path", "flags",
  "vendor", "product", "serial", "guid_time", "guid_node", "guid_node_kind",
  "key_last_written", "sha256",
};

/* One row under construction: every cell starts empty. */
struct row {
  struct md_sbuf cell[NCOLS];
};

static void
row_init (struct row *r)
{
  for (int i = 0; i < NCOLS; i++)
    md_sb_init (&r->cell[i]);
}

static void
row_free (struct row *r)
{
  for (int i = 0; i < NCOLS; i++)
    md_sb_free (&r->cell[i]);
}

/* Text cells get the full treatment; the numbers and hex the writer
 * makes itself cannot need it, but passing them through is harmless. */
static void
row_emit (struct md_sbuf *b, const struct row *r)
{
  for (int i = 0; i < NCOLS; i++) {
    if (i > 0)
      md_sb_putc (b, ',');
    if (r->cell[i].err)
      b->err = 1;
    esc_csv_cell (b, md_sb_str (&r->cell[i]));
  }
  md_sb_puts (b, "\r\n");
}

/* A unique-ID field by key, as text ("" when the shape has none). */
static void
uid_field_cell (struct md_sbuf *cell, const mountdb_uid *uid, const char *want)
{
  size_t n = mountdb_uid_field_count (uid);
  for (size_t i = 0; i < n; i++) {
    const char *k = NULL, *s = NULL;
    int kind = 0;
    uint64_t num = 0;
    if (mountdb_uid_field_get (uid, i, &k, &kind, &s, &num) < 0
        || k == NULL || strcmp (k, want) != 0)
      continue;
    if (kind == MOUNTDB_FIELD_UINT)
      md_sb_printf (cell, "%" PRIu64, num);
    else if (kind == MOUNTDB_FIELD_BOOL)
      md_sb_puts (cell, num ? "true" : "false");
    else if (s)
      md_sb_puts (cell, s);
    return;
  }
}

/* The hive's own columns, on every row of it. */
static void
hive_cells (struct row *r, const mountdb *db)
{
  char t[40];
  if (db == NULL)
    return;
  if (mountdb_key_state (db) == MOUNTDB_KEY_PRESENT
      && mountdb_filetime_format (mountdb_key_last_written (db), t) == 0)
    md_sb_puts (&r->cell[C_KEY_LAST_WRITTEN], t);
  if (mountdb_sha256 (db))
    md_sb_puts (&r->cell[C_SHA256], mountdb_sha256 (db));
}

static void
guid_cells (struct row *r, const mountdb_guid_info *gi)
{
  char t[40];
  if (gi == NULL)
    return;
  if (gi->has_time && mountdb_filetime_format (gi->time_filetime, t) == 0)
    md_sb_puts (&r->cell[C_GUID_TIME], t);
  if (gi->has_node) {
    const char *kind = gi->node_kind == MOUNTDB_NODE_NONE ? NULL
                         : mountdb_node_kind_name (gi->node_kind);
    md_sb_printf (&r->cell[C_GUID_NODE], "%02x:%02x:%02x:%02x:%02x:%02x",
               gi->node[0], gi->node[1], gi->node[2], gi->node[3],
               gi->node[4], gi->node[5]);
    md_sb_puts (&r->cell[C_GUID_NODE_KIND], kind ? kind : "");
  }
}

static void
entry_row (struct md_sbuf *b, const mountdb *db, const char *path,
           const mountdb_entry *e, size_t i)
{
  struct row r;
  row_init (&r);
  size_t n16, len;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
  int cls = mountdb_entry_class (e);
  unsigned flags = mountdb_entry_name_flags (e);
  int err = mountdb_entry_error (e);
  uint32_t type = mountdb_entry_type (e);
  const uint8_t *data = mountdb_entry_data (e, &len);
  const mountdb_uid *uid = mountdb_entry_uid (e);
  size_t vol = mountdb_entry_volume (e);
  char tb[24];

  md_sb_puts (&r.cell[C_HIVE], path);
  md_sb_printf (&r.cell[C_INDEX], "%zu", i);
  /* From the exact units, so a lone surrogate shows as \u{D800}. */
  struct esc_src src;
  struct md_sbuf name;
  md_sb_init (&name);
  esc_src_utf16 (&src, u, n16);
  esc_text (&name, &src);
  md_sb_puts (&r.cell[C_NAME], md_sb_str (&name));
  if (name.err)
    r.cell[C_NAME].err = 1;
  md_sb_free (&name);
  md_sb_puts (&r.cell[C_CLASS], mountdb_class_name (cls));
  if (cls == MOUNTDB_CLASS_DRIVE_LETTER && mountdb_entry_letter (e))
    md_sb_putc (&r.cell[C_LETTER], mountdb_entry_letter (e));
  if (mountdb_entry_guid (e))
    md_sb_puts (&r.cell[C_GUID], mountdb_entry_guid (e));
  md_sb_puts (&r.cell[C_TYPE], esc_type_name (type, tb));
  if (err == 0) {
    md_sb_printf (&r.cell[C_LENGTH], "%zu", len);
    md_sb_hex (&r.cell[C_DATA], data, len);
  }
  if (vol != NO_VOLUME)
    md_sb_printf (&r.cell[C_VOLUME], "%zu", vol);
  if (err != 0) {
    md_sb_printf (&r.cell[C_SUMMARY], "error: %s", mountdb_strerror (err));
  } else if (type == MOUNTDB_REG_BINARY && uid) {
    md_sb_puts (&r.cell[C_SHAPE], mountdb_shape_name (mountdb_uid_shape (uid)));
    const char *sum = mountdb_uid_summary (uid);
    md_sb_puts (&r.cell[C_SUMMARY], sum ? sum : "");
    uid_field_cell (&r.cell[C_DISK_SIGNATURE], uid, "disk_signature");
    uid_field_cell (&r.cell[C_PARTITION_OFFSET], uid, "partition_offset");
    uid_field_cell (&r.cell[C_ID_GUID], uid, "guid");
    uid_field_cell (&r.cell[C_PATH], uid, "path");
    uid_field_cell (&r.cell[C_VENDOR], uid, "vendor");
    uid_field_cell (&r.cell[C_PRODUCT], uid, "product");
    uid_field_cell (&r.cell[C_SERIAL], uid, "serial");
  }
  if (mountdb_entry_guid (e))
    guid_cells (&r, mountdb_entry_guid_info (e));
  hive_cells (&r, db);
  for (unsigned bit = 1; bit != 0; bit <<= 1)
    if ((flags & bit) && mountdb_name_flag_name (bit))
      md_sb_printf (&r.cell[C_FLAGS], "%s%s", r.cell[C_FLAGS].len ? " " : "",
                 mountdb_name_flag_name (bit));
  row_emit (b, &r);
  row_free (&r);
}

/* The row that stands for a whole hive: an error, or an empty key. */
static void
hive_row (struct md_sbuf *b, const char *path, const char *summary_prefix,
          const char *summary)
{
  struct row r;
  row_init (&r);
  md_sb_puts (&r.cell[C_HIVE], path);
  md_sb_printf (&r.cell[C_SUMMARY], "%s%s", summary_prefix, summary);
  row_emit (b, &r);
  row_free (&r);
}

/* ---- check mode: one row per finding and value ---------------------------- */

enum ccol { K_HIVE, K_RULE, K_SEVERITY, K_MESSAGE, K_ENTRY, K_NAME, NKCOLS };

static const char *const check_header[NKCOLS] = {
  "hive", "rule", "severity", "message", "entry", "name",
};

static void
check_row (struct md_sbuf *b, const char *path, const char *rule,
           const char *severity, const char *message, const mountdb_entry *e)
{
  struct md_sbuf cell;
  md_sb_init (&cell);
  esc_csv_cell (b, path);
  md_sb_putc (b, ',');
  esc_csv_cell (b, rule);
  md_sb_putc (b, ',');
  esc_csv_cell (b, severity);
  md_sb_putc (b, ',');
  esc_csv_cell (b, message);
  md_sb_putc (b, ',');
  if (e) {
    md_sb_printf (b, "%zu", mountdb_entry_index (e));
    /* The name from its exact units, escaped as in show mode. */
    size_t n16;
    const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
    struct esc_src src;
    esc_src_utf16 (&src, u, n16);
    esc_text (&cell, &src);
    if (cell.err)
      b->err = 1;
  }
  md_sb_putc (b, ',');
  esc_csv_cell (b, md_sb_str (&cell));
  md_sb_puts (b, "\r\n");
  md_sb_free (&cell);
}

static void
check_rows (struct md_sbuf *b, const struct hive_result *r)
{
  if (r->db == NULL) {
    char msg[sizeof r->err->message + 8];
    snprintf (msg, sizeof msg, "error: %s",
              r->err ? r->err->message : "cannot open");
    check_row (b, r->path, "", "error", msg, NULL);
    return;
  }
  size_t n = mountdb_finding_count (r->db);
  for (size_t i = 0; i < n; i++) {
    const mountdb_finding *f = mountdb_finding_get (r->db, i);
    if (f == NULL || !out_finding_shown (r, f))
      continue;
    const char *rule = mountdb_finding_rule (f);
    const char *sev = mountdb_severity_name (mountdb_finding_severity (f));
    const char *msg = mountdb_finding_message (f);
    size_t ne = mountdb_finding_entry_count (f);
    if (ne == 0)
      check_row (b, r->path, rule, sev, msg, NULL);
    for (size_t k = 0; k < ne; k++)
      check_row (b, r->path, rule, sev, msg, mountdb_finding_entry_get (f, k));
  }
}

/* ---- writer ------------------------------------------------------------------ */

/* The header depends on the mode, which only hive() is told: the first
 * hive() that succeeds writes it (batch_run calls hive() for every hive,
 * readable or not, so a batch always gets it). */
static int csv_header_done;

static int
csv_begin (FILE *f, size_t nhives)
{
  (void) f;
  (void) nhives;
  csv_header_done = 0;
  return 0;
}

static void
csv_header (struct md_sbuf *b, const char *const *names, int n)
{
  for (int i = 0; i < n; i++) {
    if (i > 0)
      md_sb_putc (b, ',');
    md_sb_puts (b, names[i]);
  }
  md_sb_puts (b, "\r\n");
}

static void
show_rows (struct md_sbuf *b, const struct hive_result *r)
{
  if (r->db == NULL) {
    hive_row (b, r->path, "error: ", r->err ? r->err->message : "cannot open");
    return;
  }
  size_t n = mountdb_entry_count (r->db);
  for (size_t i = 0; i < n; i++)
    entry_row (b, r->db, r->path, mountdb_entry_get (r->db, i), i);
  int ks = mountdb_key_state (r->db);
  if (n == 0)
    hive_row (b, r->path, "key: ", ks == MOUNTDB_KEY_PRESENT
              ? "present, no values" : mountdb_key_state_name (ks));
  /* The stable names Windows 10 derives and does not store (V8). */
  for (size_t v = 0; v < mountdb_volume_count (r->db); v++) {
    char dg[37], msg[96];
    if (!out_derived_guid (r->db, mountdb_volume_get (r->db, v), dg))
      continue;
    snprintf (msg, sizeof msg, "volume %zu: {%s}", v, dg);
    hive_row (b, r->path, "derived_volume_guid: ", msg);
  }
  for (size_t v = 0; r->corr && v < mountdb_volume_count (r->db); v++) {
    char words[4200];          /* --disk: where each volume is */
    hive_row (b, r->path, "disk: ", out_disk_words (r, v, words, sizeof words));
  }
  /* Diagnostics as rows too: a dirty or unsafe read must show in every
   * format, and CSV has no other place for it. */
  size_t nd = mountdb_diag_count (r->db);
  for (size_t i = 0; i < nd; i++) {
    int code = 0;
    const char *msg = NULL;
    char prefix[48];
    if (mountdb_diag_get (r->db, i, &code, &msg) < 0)
      continue;
    snprintf (prefix, sizeof prefix, "warning: %s: ", mountdb_diag_name (code));
    hive_row (b, r->path, prefix, msg ? msg : "");
  }
}

static int
csv_hive (FILE *f, const struct hive_result *r, size_t index)
{
  (void) index;
  struct md_sbuf b;
  md_sb_init (&b);
  if (!csv_header_done) {
    if (r->mode == MODE_CHECK)
      csv_header (&b, check_header, NKCOLS);
    else
      csv_header (&b, header, NCOLS);
  }
  if (r->mode == MODE_CHECK)
    check_rows (&b, r);
  else
    show_rows (&b, r);
  int rc = md_sb_write (&b, f);
  md_sb_free (&b);
  if (rc == 0)
    csv_header_done = 1;
  return rc;
}

static int
csv_end (FILE *f, size_t nhives)
{
  (void) f;
  (void) nhives;
  return 0;
}

const struct out_writer out_csv_writer = {
  FMT_CSV, csv_begin, csv_hive, csv_end,
};
