/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Plans (edit layer): what plan_load.c (reading, schema validation,
 * messages) offers plan.c (building and applying the plan). */
#ifndef MOUNTDB_PLAN_H
#define MOUNTDB_PLAN_H

#include <libxml/tree.h>
#include "edit.h"
#include "xmldl.h" /* libxml2 through md_xml_load() */

/* "PATH:LINE: message" (no line when line <= 0).  Returns code. */
MD_HIDDEN int md_plan_error (mountdb_error *err, int code, const char *path,
                             long line, const char *fmt, ...)
  __attribute__ ((format (printf, 5, 6)));
/* Text fit for a one-line message (controls replaced, long texts cut). */
MD_HIDDEN void md_plan_clean_text (const char *s, char *out, size_t size);
/* An element's line, exact past 65535 (kept in _private by the parser). */
MD_HIDDEN long md_plan_node_line (const xmlNode *n);
/* Parse and validate: returns 0 and the document, or an error. */
MD_HIDDEN int md_plan_load (const char *path, xmlDocPtr *out,
                            mountdb_error *err);

#endif
