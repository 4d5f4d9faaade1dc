/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one display-safety policy: which code points must not reach a
 * person's screen as they are, and how wide the others show.  Library summaries replace them, the CLI
 * escapes them; both ask here, so the two cannot drift apart. */
#ifndef MOUNTDB_COMMON_DISPLAY_H
#define MOUNTDB_COMMON_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

/* cp falls in one of the n inclusive ranges {first, last}. */
int md_cp_in_ranges (uint32_t cp, const uint32_t (*r)[2], size_t n);
/* C0, DEL and C1. */
int md_is_control (uint32_t cp);
/* Characters that change how a line reads without showing themselves:
 * format characters (bidi controls U+061C, U+200E/F, U+202A-202E,
 * U+2066-2069; zero-width U+200B-200D, U+2060, U+FEFF; soft hyphen; tags),
 * U+2028/U+2029 and noncharacters (U+FDD0-FDEF, U+xxFFFE/F). */
int md_is_hidden (uint32_t cp);
/* Either of those, or a lone surrogate: unsafe to show as it is. */
int md_display_unsafe (uint32_t cp);
/* Columns cp takes on a terminal: 0 for a combining mark, 2 for East
 * Asian wide and fullwidth forms, else 1 (for a safe cp; the CLI escapes
 * unsafe ones first).  The one width table of lib and bin. */
int md_cp_width (uint32_t cp);

#endif
