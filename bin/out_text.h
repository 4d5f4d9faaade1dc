/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text format's parts, shared by its files: out_text.c (the cell
 * table, small helpers and the writer), out_text_header.c (the hive and
 * its evidence, diagnostics), out_text_volumes.c (the volume table and
 * the names it cannot show), out_text_check.c (findings). */
#ifndef MOUNTDB_OUT_TEXT_H
#define MOUNTDB_OUT_TEXT_H

#include "output.h"
#include "escape.h"

#define NO_VOLUME ((size_t) -1)
#define LABEL_WIDTH 10          /* "hive      " */
#define NAME_MAX_WIDTH 60       /* long names are cut in tables */
#define MOUNT_MAX_WIDTH 40
#define VOL_PREFIX_UNITS 10     /* "\??\Volume" before "{GUID}" */
#define DOS_PREFIX_UNITS 12     /* "\DosDevices\" before "X:\path" */
#define GAP "  "

/* A table of escaped cells, widths computed from content. */
struct text_table {
  size_t ncols, nrows, cap;
  char **cells;                 /* nrows * ncols, NULL = empty */
  int err;
};

/* ---- out_text.c ---------------------------------------------------------- */
void text_table_init (struct text_table *t, size_t ncols);
void text_table_free (struct text_table *t);
/* Append a row; cells are copied (NULL for an empty cell). */
void text_table_row (struct text_table *t, const char *const *cells);
void text_table_print (struct md_sbuf *b, const struct text_table *t,
                       const char *indent);
void text_label (struct md_sbuf *b, const char *name);
/* A stored name, escaped and cut to maxw columns. */
void text_name_cell (struct md_sbuf *b, const mountdb_entry *e, size_t maxw);
void text_time_or (struct md_sbuf *b, uint64_t ft, const char *none);

/* ---- out_text_header.c: show's first lines and last warnings ------------ */
void text_header (struct md_sbuf *b, const struct hive_result *r);
void text_diagnostics (struct md_sbuf *b, const mountdb *db);

/* ---- out_text_volumes.c: the table by volume, GUID times, other values -- */
void text_volumes (struct md_sbuf *b, const mountdb *db);
void text_guid_times (struct md_sbuf *b, const mountdb *db);
void text_others (struct md_sbuf *b, const mountdb *db);

/* ---- out_text_check.c: findings ------------------------------------------ */
/* check's whole view of a hive. */
void text_check (struct md_sbuf *b, const struct hive_result *r);
/* show: one line under the rest, pointing to check. */
void text_check_summary (struct md_sbuf *b, const struct hive_result *r);

#endif
