/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The findings layer: the V rules (rules.c) read the model and write
 * findings into a list; they never change the model. */
#ifndef MOUNTDB_RULES_H
#define MOUNTDB_RULES_H

#include "model.h"

/* ---- rules.c ------------------------------------------------------------------ */
MD_HIDDEN void md_rules_free (mountdb *db);
/* The V rules on db into out (emptied first; md_findings_free when done),
 * without touching db: a const handle stays const (mountdb_write runs
 * them on its input).  MOUNTDB_E_INVAL for a letter that is not A-Z (out
 * untouched), MOUNTDB_E_NOMEM (out empty). */
MD_HIDDEN int md_rules_run (const mountdb *db, char system_letter,
                            struct md_findings *out);
MD_HIDDEN void md_findings_free (struct md_findings *fs);
MD_HIDDEN const mountdb_finding *md_findings_get (const struct md_findings *fs,
                                                  size_t i);

#endif
