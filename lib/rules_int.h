/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inside the findings layer: what the rule families (rules_*.c) share
 * with the list and the run in rules.c.  Not installed; only rules*.c
 * include it. */
#ifndef MOUNTDB_RULES_INT_H
#define MOUNTDB_RULES_INT_H

#include "rules.h"

/* ---- rules.c ------------------------------------------------------------------ */
/* Append a finding of rule (an ID) and severity sev, naming n entries
 * (indexes into db's entries, copied) and a printf-formatted message.
 * 0, or MOUNTDB_E_NOMEM (out unchanged). */
MD_HIDDEN int md_finding_add (struct md_findings *out, const mountdb *db,
                              const char *rule, int sev,
                              const size_t *entries, size_t n,
                              const char *fmt, ...)
  __attribute__ ((format (printf, 7, 8)));

/* ---- helpers on the model ------------------------------------------------------ */
static inline const struct mountdb_entry *
E (const mountdb *db, size_t i)
{
  return &db->entries[i];
}

static inline int
is_class (const mountdb *db, size_t i, int cls)
{
  return E (db, i)->nm.cls == cls;
}

/* ---- the rules, in the order md_rules_run runs them: 0 or MOUNTDB_E_* ----- */
/* rules_hive.c */
MD_HIDDEN int md_rule_reading (const mountdb *db, struct md_findings *out);
MD_HIDDEN int md_rule_v1 (const mountdb *db, struct md_findings *out);
MD_HIDDEN int md_rule_v11 (const mountdb *db, struct md_findings *out);
/* rules_entry.c */
MD_HIDDEN int md_rule_v2 (const mountdb *db, struct md_findings *out);
MD_HIDDEN int md_rule_v3 (const mountdb *db, struct md_findings *out);
MD_HIDDEN int md_rule_v4 (const mountdb *db, struct md_findings *out);
/* rules_volume.c: rule is "V5", "V7" or "V8" */
MD_HIDDEN int md_rule_per_volume (const mountdb *db, struct md_findings *out,
                                  const char *rule);
MD_HIDDEN int md_rule_v6 (const mountdb *db, struct md_findings *out);
MD_HIDDEN int md_rule_v10 (const mountdb *db, struct md_findings *out,
                           char sys);

#endif
