/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Change reports (F6) of the write commands, in text or JSON (schema 1):
 * the input and output with their hashes and headers, the backup, and
 * every changed value before and after, decoded.  --dry-run prints the
 * same report without an output. */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "mountdb.h"
#include "escape.h"
#include "jsonw.h"
#include "report.h"

/* "MBR disk ... @ 1 MiB", or for NoAutoMount "1". */
static void
describe (struct md_sbuf *b, const mountdb_change *c, const uint8_t *d, size_t n)
{
  if (d == NULL) {
    md_sb_puts (b, "(none)");
    return;
  }
  if (c->kind == MOUNTDB_CHANGE_AUTOMOUNT) {
    md_sb_printf (b, "NoAutoMount=%u", n == 4 ? (unsigned) d[0] : 0u);
    return;
  }
  mountdb_uid *u = mountdb_uid_decode (d, n);
  if (u == NULL) {
    b->err = 1;
    return;
  }
  esc_text_utf8 (b, mountdb_uid_summary (u));
  mountdb_uid_free (u);
}

static void
text_header (struct md_sbuf *b, const char *label, const mountdb_header *h)
{
  char t[40];
  if (mountdb_filetime_format (h->last_written, t) < 0)
    strcpy (t, "unknown"); /* one wording with the text view */
  md_sb_printf (b, "%-9s seq %" PRIu32 "/%" PRIu32 ", written %s, checksum %s\n",
             label, h->seq1, h->seq2, t, h->checksum_ok ? "ok" : "BAD");
}

static void
text_path (struct md_sbuf *b, const char *label, const char *path,
           const char *sha)
{
  md_sb_printf (b, "%-9s ", label);
  esc_text_utf8 (b, path);
  md_sb_putc (b, '\n');
  if (sha)
    md_sb_printf (b, "%-9s %s\n", "", sha);
}

static void
text_report (struct md_sbuf *b, const struct report_info *ri)
{
  size_t n = mountdb_txn_change_count (ri->txn);
  if (mountdb_logs_applied (ri->db)) {
    md_sb_puts (b, "logs      ");
    esc_text_utf8 (b, mountdb_logs_summary (ri->db));
    md_sb_putc (b, '\n');
  }
  if (strcmp (ri->op, "replay") == 0)
    md_sb_printf (b, "mountdb replay: %s\n",
               !mountdb_logs_applied (ri->db)
               ? "nothing to replay (nothing written)"
               : ri->dry_run ? "the recovered hive (dry run: nothing written)"
               : ri->report ? "the recovered hive was written"
               : "the recovered hive (nothing written)");
  else
    md_sb_printf (b, "mountdb %s: %zu change%s%s\n", ri->op, n,
               n == 1 ? "" : "s", ri->dry_run ? " (dry run: nothing written)"
               : ri->report ? "" : " (nothing written)");
  /* Names as they will be shown (escaped, cut), then the widest of them. */
  struct md_sbuf *names = calloc (n ? n : 1, sizeof *names);
  if (names == NULL) {
    b->err = 1;
    return;
  }
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    const mountdb_change *c = mountdb_txn_change_get (ri->txn, i);
    struct esc_src src;
    md_sb_init (&names[i]);
    esc_src_utf16 (&src, c->name16, c->name16_len);
    esc_text (&names[i], &src);
    esc_truncate (&names[i], 52);
    if (names[i].err)
      b->err = 1;
    size_t k = esc_width (md_sb_str (&names[i]));
    w = k > w ? k : w;
  }
  for (size_t i = 0; i < n; i++) {
    const mountdb_change *c = mountdb_txn_change_get (ri->txn, i);
    static const char mark[] = "+-~~";
    md_sb_printf (b, "  %c %s", mark[c->kind & 3], md_sb_str (&names[i]));
    for (size_t pad = esc_width (md_sb_str (&names[i])); pad < w + 2; pad++)
      md_sb_putc (b, ' ');
    if (c->kind == MOUNTDB_CHANGE_MODIFIED
        || c->kind == MOUNTDB_CHANGE_AUTOMOUNT) {
      describe (b, c, c->before, c->before_len);
      md_sb_puts (b, " -> ");
    }
    describe (b, c, c->after ? c->after : c->before,
              c->after ? c->after_len : c->before_len);
    md_sb_putc (b, '\n');
  }
  for (size_t i = 0; i < n; i++)
    md_sb_free (&names[i]);
  free (names);
  for (size_t i = 0; i < ri->nwarnings; i++) {
    md_sb_puts (b, "warning: ");
    esc_text_utf8 (b, ri->warnings[i]);
    md_sb_putc (b, '\n');
  }
  text_path (b, "input", mountdb_path (ri->db), mountdb_sha256 (ri->db));
  if (ri->report) {
    const mountdb_report *r = ri->report;
    text_path (b, "output", ri->output_name ? ri->output_name
                                            : mountdb_report_output (r),
               mountdb_report_sha256_after (r));
    if (mountdb_report_backup (r))
      text_path (b, "backup", mountdb_report_backup (r), NULL);
    for (size_t i = 0; i < mountdb_report_moved_log_count (r); i++)
      text_path (b, i ? "" : "old logs", mountdb_report_moved_log_get (r, i), NULL);
    text_header (b, "before", mountdb_report_header_before (r));
    text_header (b, "after", mountdb_report_header_after (r));
  }
}

static void
json_header (struct jw *j, const char *key, const mountdb_header *h)
{
  jw_open (j, key, '{');
  jw_sequence (j, h);
  jw_time (j, "last_written", h->last_written);
  jw_bool (j, "checksum_ok", h->checksum_ok);
  jw_bool (j, "dirty", h->dirty);
  jw_close (j, '}');
}

static void
json_side (struct jw *j, const char *key, const mountdb_change *c,
           const uint8_t *d, size_t n)
{
  if (d == NULL) {
    jw_null (j, key);
    return;
  }
  jw_open (j, key, '{');
  jw_hex (j, "data", d, n);
  if (c->kind != MOUNTDB_CHANGE_AUTOMOUNT) {
    mountdb_uid *u = mountdb_uid_decode (d, n);
    if (u == NULL)
      j->b.err = 1;
    else
      jw_uid (j, "unique_id", u);
    mountdb_uid_free (u);
  }
  jw_close (j, '}');
}

static void
json_report (struct jw *j, const struct report_info *ri)
{
  jw_open (j, NULL, '{');
  jw_uint (j, "schema", 1);
  jw_open (j, "tool", '{');
  jw_str (j, "name", "mountdb");
  jw_str (j, "version", mountdb_version ());
  jw_close (j, '}');
  jw_str (j, "operation", ri->op);
  jw_bool (j, "dry_run", ri->dry_run);
  jw_open (j, "input", '{');
  jw_str (j, "path", mountdb_path (ri->db));
  if (mountdb_sha256 (ri->db))
    jw_str (j, "sha256", mountdb_sha256 (ri->db));
  else
    jw_null (j, "sha256");
  json_header (j, "header", mountdb_file_header (ri->db));
  jw_close (j, '}');
  if (ri->report) {
    const mountdb_report *r = ri->report;
    jw_open (j, "output", '{');
    jw_str (j, "path", ri->output_name ? ri->output_name
                                       : mountdb_report_output (r));
    jw_str (j, "sha256", mountdb_report_sha256_after (r));
    json_header (j, "header", mountdb_report_header_after (r));
    jw_close (j, '}');
    if (mountdb_report_backup (r))
      jw_str (j, "backup", mountdb_report_backup (r));
    else
      jw_null (j, "backup");
    jw_open (j, "logs_moved", '[');
    for (size_t i = 0; i < mountdb_report_moved_log_count (r); i++)
      jw_str (j, NULL, mountdb_report_moved_log_get (r, i));
    jw_close (j, ']');
  } else {
    jw_null (j, "output");
    jw_null (j, "backup");
  }
  jw_open (j, "changes", '[');
  for (size_t i = 0; i < mountdb_txn_change_count (ri->txn); i++) {
    const mountdb_change *c = mountdb_txn_change_get (ri->txn, i);
    jw_open (j, NULL, '{');
    jw_str (j, "kind", mountdb_change_kind_name (c->kind));
    jw_str16 (j, "name", c->name16, c->name16_len);
    if (c->kind != MOUNTDB_CHANGE_AUTOMOUNT)
      jw_str (j, "class", mountdb_class_name (c->cls));
    json_side (j, "before", c, c->before, c->before_len);
    json_side (j, "after", c, c->after, c->after_len);
    jw_close (j, '}');
  }
  jw_close (j, ']');
  jw_open (j, "warnings", '[');
  for (size_t i = 0; i < ri->nwarnings; i++)
    jw_str (j, NULL, ri->warnings[i]);
  jw_close (j, ']');
  jw_close (j, '}');
  md_sb_putc (&j->b, '\n');
}

int
report_print (FILE *f, const struct report_info *ri, int json)
{
  struct jw j;
  memset (&j, 0, sizeof j);
  md_sb_init (&j.b);
  j.pretty = 1;
  if (json)
    json_report (&j, ri);
  else
    text_report (&j.b, ri);
  int rc = md_sb_write (&j.b, f);
  md_sb_free (&j.b);
  return rc;
}
