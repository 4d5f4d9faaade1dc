/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text: one screen a person reads at a glance.  The hive facts, the key,
 * a table by volume (letters, volume GUID names, the ID in words), the
 * names the table cannot show, warnings, and the count of findings.
 * check prints the findings instead, one line each with the names
 * involved under it.  Every string from the hive goes through esc_text:
 * controls and bidi tricks cannot reach the terminal. */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "out_text.h"
#include "out_disk.h"

/* ---- a table of escaped cells, widths computed from content ------------- */

void
text_table_init (struct text_table *t, size_t ncols)
{
  memset (t, 0, sizeof *t);
  t->ncols = ncols;
}

void
text_table_free (struct text_table *t)
{
  for (size_t i = 0; i < t->nrows * t->ncols; i++)
    free (t->cells[i]);
  free (t->cells);
}

/* Append a row; cells are copied (NULL for an empty cell). */
void
text_table_row (struct text_table *t, const char *const *cells)
{
  if (t->err)
    return;
  if (t->nrows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    char **c = realloc (t->cells, cap * t->ncols * sizeof *c);
    if (c == NULL) {
      t->err = 1;
      return;
    }
    t->cells = c;
    t->cap = cap;
  }
  char **row = t->cells + t->nrows * t->ncols;
  for (size_t i = 0; i < t->ncols; i++) {
    row[i] = cells[i] ? strdup (cells[i]) : NULL;
    if (cells[i] && row[i] == NULL)
      t->err = 1;
  }
  t->nrows++;
}

/* Columns padded to their widest cell; the last one is never padded, so
 * lines carry no trailing blanks. */
void
text_table_print (struct md_sbuf *b, const struct text_table *t,
                  const char *indent)
{
  size_t w[8] = { 0 };
  if (t->err || t->ncols > 8) {
    b->err = 1;
    return;
  }
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = t->cells[r * t->ncols + c];
      size_t cw = s ? esc_width (s) : 0;
      if (cw > w[c])
        w[c] = cw;
    }
  for (size_t r = 0; r < t->nrows; r++) {
    /* The last non-empty cell ends the line. */
    size_t last = 0;
    for (size_t c = 0; c < t->ncols; c++)
      if (t->cells[r * t->ncols + c])
        last = c;
    md_sb_puts (b, indent);
    for (size_t c = 0; c <= last; c++) {
      const char *s = t->cells[r * t->ncols + c];
      md_sb_puts (b, s ? s : "");
      if (c == last)
        break;
      for (size_t k = s ? esc_width (s) : 0; k < w[c]; k++)
        md_sb_putc (b, ' ');
      md_sb_puts (b, GAP);
    }
    md_sb_putc (b, '\n');
  }
}

/* ---- small formatting helpers ------------------------------------------------- */

void
text_label (struct md_sbuf *b, const char *name)
{
  md_sb_printf (b, "%-*s", LABEL_WIDTH, name);
}

/* Spaces that start or end a name would be invisible in a table: show
 * them as \x20, as other characters that do not show are. */
static void
spaces_at_edges (struct md_sbuf *b)
{
  if (b->err || b->len == 0 || (b->p[0] != ' ' && b->p[b->len - 1] != ' '))
    return;
  size_t lead = 0, trail = 0;
  while (lead < b->len && b->p[lead] == ' ')
    lead++;
  while (trail < b->len - lead && b->p[b->len - 1 - trail] == ' ')
    trail++;
  struct md_sbuf t;
  md_sb_init (&t);
  for (size_t i = 0; i < lead; i++)
    md_sb_puts (&t, "\\x20");
  md_sb_putn (&t, b->p + lead, b->len - lead - trail);
  for (size_t i = 0; i < trail; i++)
    md_sb_puts (&t, "\\x20");
  md_sb_reset (b);
  md_sb_putn (b, md_sb_str (&t), t.len);
  if (t.err)
    b->err = 1;
  md_sb_free (&t);
}

/* A stored name, escaped and cut to maxw columns. */
void
text_name_cell (struct md_sbuf *b, const mountdb_entry *e, size_t maxw)
{
  size_t n16;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
  struct esc_src src;
  if (n16 == 0) { /* the unnamed value, as regedit shows it */
    md_sb_puts (b, "(Default)");
    return;
  }
  esc_src_utf16 (&src, u, n16);
  esc_text (b, &src);
  spaces_at_edges (b);
  esc_truncate (b, maxw);
}

void
text_time_or (struct md_sbuf *b, uint64_t ft, const char *none)
{
  char t[40];
  md_sb_puts (b, mountdb_filetime_format (ft, t) == 0 ? t : none);
}
/* ---- writer ------------------------------------------------------------------- */

/* Hives shown so far in this batch: a hive that could not be read shows
 * nothing here (the command reports it on stderr), so the blank line
 * between hives cannot go by index alone. */
static size_t text_shown;

static int
text_begin (FILE *f, size_t nhives)
{
  (void) f;
  (void) nhives;
  text_shown = 0;
  return 0;
}

static int
text_hive (FILE *f, const struct hive_result *r, size_t index)
{
  (void) index;
  if (r->db == NULL)
    return 0;
  struct md_sbuf b;
  md_sb_init (&b);
  if (text_shown > 0)
    md_sb_putc (&b, '\n'); /* hives are separated by a blank line */
  if (r->mode == MODE_CHECK) {
    text_check (&b, r);
  } else {
    text_header (&b, r);
    text_volumes (&b, r->db);
    out_text_disks (&b, r);
    text_guid_times (&b, r->db);
    text_others (&b, r->db);
    text_diagnostics (&b, r->db);
    text_check_summary (&b, r);
  }
  int rc = md_sb_write (&b, f);
  md_sb_free (&b);
  if (rc == 0)
    text_shown++;
  return rc;
}

static int
text_end (FILE *f, size_t nhives)
{
  (void) f;
  (void) nhives;
  return 0;
}

const struct out_writer out_text_writer = {
  FMT_TEXT, text_begin, text_hive, text_end,
};
