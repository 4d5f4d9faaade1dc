/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Escaping shared by every output format.
 *
 * Strings from a hive are untrusted.  One code point reader serves both
 * kinds of source (the exact UTF-16 units of a value name, or UTF-8 from
 * the library and the command line), one set of predicates says which
 * characters are unsafe to show, and each format has a small wrapper:
 *
 *   text, CSV  esc_text: controls as \xNN, hidden characters as \u{XXXX}
 *   JSON       esc_json (common/jsonw.h): exact; lone surrogates as \udXXX
 *   XML        esc_xml:  characters XML 1.0 forbids become U+FFFD, and
 *              esc_xml_charref says which to write as &#xNN;
 *
 * The vocabulary every format prints (flag names, diagnostic and error
 * codes, ...) comes from the library, so the formats cannot drift apart. */
#ifndef MOUNTDB_ESCAPE_H
#define MOUNTDB_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "mountdb.h"
#include "common/sbuf.h"
#include "common/escsrc.h"
#include "common/shown.h"

/* The growable string is lib/common/sbuf.h's. */

/* ---- code points from either kind of source: common/escsrc.h ------- */

/* Which characters are unsafe to show: lib/common/display.h. */
/* Allowed in XML 1.0 (Char production). */
int esc_xml_char_ok (uint32_t cp);
/* Allowed in XML but written as a character reference (&#x7F;): controls
 * and hidden characters, so the document stays exact and inert. */
int esc_xml_charref (uint32_t cp);

/* ---- per-format escapers -------------------------------------------------- */

/* Text and CSV: controls as \xNN, hidden characters and lone surrogates as
 * \u{XXXX}; everything else (backslashes included) as it is. */
void esc_text (struct md_sbuf *b, struct esc_src *s);
void esc_text_utf8 (struct md_sbuf *b, const char *str);
/* Columns the (already escaped) UTF-8 string takes on a terminal. */
size_t esc_width (const char *str);
/* Cut b to at most maxw columns, ending in "..." when cut. */
void esc_truncate (struct md_sbuf *b, size_t maxw);

/* JSON: esc_json in common/jsonw.h (the library writes JSON too). */

/* XML: characters XML 1.0 cannot carry become U+FFFD.  Returns 1 when
 * something was replaced (the result is not exact), else 0. */
int esc_xml (struct md_sbuf *b, struct esc_src *s);
/* XML attribute text (devices and disks): markup as entities, controls
 * and hidden characters as character references, what XML 1.0 cannot
 * carry as U+FFFD; exact, yet never raw on a terminal. */
void esc_xml_attr (struct md_sbuf *b, struct esc_src *s);

/* CSV (RFC 4180): one cell.  Text escaping first, then a leading ' when
 * the cell starts with = + - @ TAB or CR (spreadsheet formulas), then
 * quotes when the cell holds a comma, quote, CR or LF. */
void esc_csv_cell (struct md_sbuf *b, const char *utf8);

/* ---- the library's vocabulary, formatted ---------------------------- */

/* Every code the documents print is named by the library
 * (mountdb_error_name, mountdb_diag_name, mountdb_name_flag_name, ...):
 * the CLI only escapes and formats those names. */
/* esc_type_name (unknown types keep their number): common/shown.h. */

#endif
