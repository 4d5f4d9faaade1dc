/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The findings layer: the list of findings, the run of the rules in rule
 * order over the model, and the accessors.  One function per rule, by
 * family: rules_hive.c (reading problems, the key, the control set's
 * settings), rules_entry.c (one value at a time), rules_volume.c (the
 * names of one volume, names across values, the system letter).
 * Findings say what the mount manager will do at next boot (section 4);
 * they name values by entry, never by copying untrusted names into
 * messages, so writers escape names once, their own way. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules_int.h"
#include "common/sbuf.h"


struct mountdb_finding {
  char rule[4];
  int sev;
  char *message;
  size_t *entries;
  size_t nentries;
  const mountdb *db;
};

/* ---- findings ---------------------------------------------------------------- */

int
md_finding_add (struct md_findings *out, const mountdb *db, const char *rule,
                int sev, const size_t *entries, size_t n, const char *fmt, ...)
{
  if (md_grow (&out->v, &out->cap, out->n, sizeof *out->v) < 0)
    return MOUNTDB_E_NOMEM;
  struct mountdb_finding *f = out->v + out->n;
  memset (f, 0, sizeof *f);
  snprintf (f->rule, sizeof f->rule, "%s", rule);
  f->sev = sev;
  f->db = db;
  /* Built whole, never cut: a message lists every letter involved. */
  va_list ap;
  va_start (ap, fmt);
  f->message = md_strdup_vprintf (fmt, ap);
  va_end (ap);
  f->entries = malloc ((n ? n : 1) * sizeof *f->entries);
  if (f->message == NULL || f->entries == NULL) {
    free (f->message);
    free (f->entries);
    return MOUNTDB_E_NOMEM;
  }
  if (n)
    memcpy (f->entries, entries, n * sizeof *entries);
  f->nentries = n;
  out->n++;
  return 0;
}

void
md_findings_free (struct md_findings *fs)
{
  for (size_t i = 0; i < fs->n; i++) {
    free (fs->v[i].message);
    free (fs->v[i].entries);
  }
  free (fs->v);
  fs->v = NULL;
  fs->n = 0;
  fs->cap = 0;
}

const mountdb_finding *
md_findings_get (const struct md_findings *fs, size_t i)
{
  return i < fs->n ? &fs->v[i] : NULL;
}

/* ---- the run ------------------------------------------------------------------------ */

/* The system letter, upper case ('C' when 0), or 0 when not a letter. */
static char
system_letter_of (char l)
{
  if (l == 0)
    return 'C';
  if (l >= 'a' && l <= 'z')
    l = (char) (l - 32);
  return l >= 'A' && l <= 'Z' ? l : 0;
}

int
md_rules_run (const mountdb *db, char system_letter, struct md_findings *out)
{
  if (db == NULL || (system_letter = system_letter_of (system_letter)) == 0)
    return MOUNTDB_E_INVAL;
  md_findings_free (out);
  int rc = md_rule_reading (db, out);
  if (rc == 0) rc = md_rule_v1 (db, out);
  if (rc == 0) rc = md_rule_v2 (db, out);
  if (rc == 0) rc = md_rule_v3 (db, out);
  if (rc == 0) rc = md_rule_v4 (db, out);
  if (rc == 0) rc = md_rule_per_volume (db, out, "V5");
  if (rc == 0) rc = md_rule_v6 (db, out);
  if (rc == 0) rc = md_rule_per_volume (db, out, "V7");
  if (rc == 0) rc = md_rule_per_volume (db, out, "V8");
  if (rc == 0) rc = md_rule_v10 (db, out, system_letter);
  if (rc == 0) rc = md_rule_v11 (db, out);
  if (rc < 0)
    md_findings_free (out);
  return rc;
}

int
mountdb_check (mountdb *db, char system_letter)
{
  return md_rules_run (db, system_letter, db ? &db->findings : NULL);
}

void
md_rules_free (mountdb *db)
{
  md_findings_free (&db->findings);
}

size_t mountdb_finding_count (const mountdb *db) { return db->findings.n; }

const mountdb_finding *
mountdb_finding_get (const mountdb *db, size_t i)
{
  return md_findings_get (&db->findings, i);
}

const char *mountdb_finding_rule (const mountdb_finding *f) { return f->rule; }
int mountdb_finding_severity (const mountdb_finding *f) { return f->sev; }
const char *mountdb_finding_message (const mountdb_finding *f) { return f->message; }
size_t mountdb_finding_entry_count (const mountdb_finding *f) { return f->nentries; }

const mountdb_entry *
mountdb_finding_entry_get (const mountdb_finding *f, size_t i)
{
  return i < f->nentries ? &f->db->entries[f->entries[i]] : NULL;
}

const char *
mountdb_severity_name (int sev)
{
  switch (sev) {
  case MOUNTDB_SEV_INFO: return "info";
  case MOUNTDB_SEV_WARNING: return "warning";
  case MOUNTDB_SEV_ERROR: return "error";
  default: return "unknown";
  }
}

int
mountdb_severity_parse (const char *s)
{
  for (int i = MOUNTDB_SEV_INFO; i <= MOUNTDB_SEV_ERROR; i++)
    if (s && strcmp (s, mountdb_severity_name (i)) == 0)
      return i;
  return -1;
}
