/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text format: check's findings, one line each with the names
 * involved under it, and the counts show prints under its tables. */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "out_text.h"

/* ---- findings ------------------------------------------------------------------ */

#define SEV_WIDTH 9             /* "warning  " */
#define RULE_WIDTH 5            /* "V10  " */
/* Wider than in show's tables, where names share the line: a cut name
 * still reads as itself, JSON and XML have it exactly. */
#define CHECK_NAME_MAX_WIDTH 100

/* "1 error, 2 warnings, 0 info", or "no findings"; counts only the
 * findings --ignore leaves, and returns how many. */
static size_t
finding_counts (struct md_sbuf *b, const struct hive_result *r)
{
  size_t count[3] = { 0, 0, 0 };
  size_t n = mountdb_finding_count (r->db), total = 0;
  for (size_t i = 0; i < n; i++) {
    const mountdb_finding *f = mountdb_finding_get (r->db, i);
    int sev = f ? mountdb_finding_severity (f) : -1;
    if (f == NULL || !out_finding_shown (r, f)
        || sev < MOUNTDB_SEV_INFO || sev > MOUNTDB_SEV_ERROR)
      continue;
    count[sev]++;
    total++;
  }
  if (total == 0) {
    md_sb_puts (b, "no findings");
    return 0;
  }
  md_sb_printf (b, "%zu error%s, %zu warning%s, %zu info",
             count[MOUNTDB_SEV_ERROR], count[MOUNTDB_SEV_ERROR] == 1 ? "" : "s",
             count[MOUNTDB_SEV_WARNING],
             count[MOUNTDB_SEV_WARNING] == 1 ? "" : "s",
             count[MOUNTDB_SEV_INFO]);
  return total;
}

/* show: one line under the rest, pointing to check. */
void
text_check_summary (struct md_sbuf *b, const struct hive_result *r)
{
  md_sb_putc (b, '\n');
  text_label (b, "check");
  if (finding_counts (b, r) > 0)
    md_sb_puts (b, " (mountdb check HIVE for details)");
  md_sb_putc (b, '\n');
}

/* check: the hive, its state when the read is in doubt, then one line per
 * finding (severity, rule, message) with the names involved under the
 * message, and the counts. */
void
text_check (struct md_sbuf *b, const struct hive_result *r)
{
  const mountdb *db = r->db;
  const mountdb_header *h = mountdb_file_header (db);
  int unsafe = (mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE) != 0;
  struct md_sbuf name;
  md_sb_init (&name);

  text_label (b, "hive");
  esc_text_utf8 (b, r->path);
  md_sb_putc (b, '\n');
  if (h->dirty || unsafe) {
    text_label (b, "state");
    md_sb_printf (b, "%s%s%s%s\n", h->dirty ? "DIRTY" : "",
               h->dirty && mountdb_logs_applied (db) ? " (logs applied)" : "",
               h->dirty && unsafe ? ", " : "", unsafe ? "UNSAFE" : "");
  }

  size_t n = mountdb_finding_count (db);
  for (size_t i = 0; i < n; i++) {
    const mountdb_finding *f = mountdb_finding_get (db, i);
    if (f == NULL || !out_finding_shown (r, f))
      continue;
    md_sb_printf (b, "%-*s%-*s", SEV_WIDTH,
               mountdb_severity_name (mountdb_finding_severity (f)),
               RULE_WIDTH, mountdb_finding_rule (f));
    esc_text_utf8 (b, mountdb_finding_message (f));
    md_sb_putc (b, '\n');
    size_t ne = mountdb_finding_entry_count (f);
    for (size_t k = 0; k < ne; k++) {
      const mountdb_entry *e = mountdb_finding_entry_get (f, k);
      if (e == NULL)
        continue;
      md_sb_reset (&name);
      text_name_cell (&name, e, CHECK_NAME_MAX_WIDTH);
      md_sb_printf (b, "%-*s", SEV_WIDTH + RULE_WIDTH, "");
      md_sb_puts (b, md_sb_str (&name));
      md_sb_putc (b, '\n');
      if (name.err)
        b->err = 1;
    }
  }
  finding_counts (b, r);
  md_sb_putc (b, '\n');
  md_sb_free (&name);
}
