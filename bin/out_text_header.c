/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text format: show's hive and evidence block (path, size, logs,
 * digest, header, key) and the diagnostics under the tables. */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "out_text.h"

/* ---- sections ---------------------------------------------------------------- */

/* What V1 says of a missing key: NT 4.0, a partial hive, or Windows 2000
 * and later (the finding's own words follow the colon). */
static const char *
v1_words (const mountdb *db)
{
  for (size_t i = 0; i < mountdb_finding_count (db); i++) {
    const mountdb_finding *f = mountdb_finding_get (db, i);
    const char *m = mountdb_finding_message (f);
    const char *colon = strstr (m, ": ");
    if (strcmp (mountdb_finding_rule (f), "V1") == 0 && colon)
      return colon + 2;
  }
  return "see mountdb check";
}

void
text_header (struct md_sbuf *b, const struct hive_result *r)
{
  const mountdb *db = r->db;
  const mountdb_header *h = mountdb_file_header (db);
  int unsafe = (mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE) != 0;

  text_label (b, "hive");
  esc_text_utf8 (b, r->path);
  md_sb_putc (b, '\n');

  text_label (b, "size");
  md_sb_printf (b, "%" PRIu64 " bytes, regf %" PRIu32 ".%" PRIu32 ", %s",
             mountdb_file_size (db), h->major, h->minor,
             h->dirty ? "DIRTY" : "clean");
  if (unsafe)
    md_sb_puts (b, ", UNSAFE");
  if (h->checksum_ok)
    md_sb_puts (b, ", checksum ok\n");
  else
    md_sb_printf (b, ", checksum BAD (stored %08" PRIx32 ", expected %08" PRIx32
               ")\n", h->checksum_stored, h->checksum_computed);
  if (h->dirty && mountdb_logs_applied (db)) {
    uint32_t first, last;
    uint64_t pages;
    mountdb_logs_range (db, &first, &last, &pages);
    md_sb_printf (b, "%-*stransaction logs applied in memory: sequence %" PRIu32
               "-%" PRIu32 ", %" PRIu64 " pages\n", LABEL_WIDTH, "", first,
               last, pages);
  } else if (h->dirty)
    md_sb_printf (b, "%-*stransaction logs were not applied: results may be "
               "stale\n", LABEL_WIDTH, "");
  for (size_t i = 0; i < mountdb_log_count (db); i++) {
    const mountdb_log_info *l = mountdb_log_get (db, i);
    text_label (b, i == 0 ? "logs" : "");
    esc_text_utf8 (b, l->path);
    md_sb_printf (b, " (%s)\n", l->used ? "used" : l->valid ? "not used"
               : "invalid");
  }
  if (unsafe)
    md_sb_printf (b, "%-*sopened with --unsafe: hivex skipped consistency "
               "checks, results may be incomplete\n", LABEL_WIDTH, "");

  const char *sha = mountdb_sha256 (db);
  text_label (b, "sha256");
  md_sb_puts (b, sha ? sha : "not computed (--no-hash)");
  md_sb_putc (b, '\n');

  text_label (b, "written");
  text_time_or (b, h->last_written, "unknown");
  md_sb_printf (b, "   (seq %" PRIu32 "/%" PRIu32, h->seq1, h->seq2);
  if (h->embedded_name[0]) {
    md_sb_puts (b, ", name ");
    esc_text_utf8 (b, h->embedded_name);
  }
  if (h->file_type != 0)
    md_sb_printf (b, ", file type %" PRIu32 ", not a primary hive", h->file_type);
  md_sb_puts (b, ")\n");

  text_label (b, "key");
  switch (mountdb_key_state (db)) {
  case MOUNTDB_KEY_PRESENT: {
    size_t nv = mountdb_entry_count (db), nvol = mountdb_volume_count (db);
    md_sb_printf (b, "MountedDevices, %zu value%s, %zu volume%s, last written ",
               nv, nv == 1 ? "" : "s", nvol, nvol == 1 ? "" : "s");
    text_time_or (b, mountdb_key_last_written (db), "unknown");
    md_sb_putc (b, '\n');
    break;
  }
  case MOUNTDB_KEY_ABSENT:
    if (mountdb_hive_kind (db) != MOUNTDB_HIVE_SYSTEM)
      md_sb_printf (b, "none: not a SYSTEM hive (%s hive, R4)\n",
                 mountdb_hive_kind_name (mountdb_hive_kind (db)));
    else
      md_sb_printf (b, "MountedDevices absent (V1: %s)\n", v1_words (db));
    break;
  case MOUNTDB_KEY_NO_ROOT:
    md_sb_puts (b, "not found: the hive has no readable root key\n");
    break;
  default:
    md_sb_puts (b, "MountedDevices present, but its values cannot be read\n");
    break;
  }
}

void
text_diagnostics (struct md_sbuf *b, const mountdb *db)
{
  size_t n = mountdb_diag_count (db);
  if (n > 0)
    md_sb_putc (b, '\n');
  for (size_t i = 0; i < n; i++) {
    const char *msg = NULL;
    if (mountdb_diag_get (db, i, NULL, &msg) < 0)
      continue;
    int code = 0;
    mountdb_diag_get (db, i, &code, NULL);
    md_sb_puts (b, code == MOUNTDB_DIAG_LOGS_APPLIED ? "note: " : "warning: ");
    esc_text_utf8 (b, msg);
    md_sb_putc (b, '\n');
  }
}
