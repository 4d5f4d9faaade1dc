/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rules on volumes and names together: the names of one volume (V5,
 * V7, V8), names equal but for case (V6), the system letter (V10). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules_int.h"
#include "common/sbuf.h"

/* The members of volume v of class cls, in value order. */
static size_t
members (const mountdb *db, const struct mountdb_volume *v, int cls,
         size_t *out)
{
  size_t n = 0;
  for (size_t i = 0; i < v->nmembers; i++)
    if (is_class (db, v->members[i], cls))
      out[n++] = v->members[i];
  return n;
}

/* "C:, D:" of the given drive-letter entries, all of them (a volume may
 * hold many values of one letter spelt differently). */
static void
letters (const mountdb *db, const size_t *idx, size_t n, struct md_sbuf *b)
{
  for (size_t i = 0; i < n; i++)
    md_sb_printf (b, "%s%c:", i ? ", " : "", E (db, idx[i])->nm.letter);
}

/* "C:" of one drive-letter entry. */
static void
letter (const mountdb *db, size_t i, char kept[8])
{
  snprintf (kept, 8, "%c:", E (db, i)->nm.letter);
}

/* ---- V5, V7, V8: names of one volume ------------------------------------------ */

/* V8, a letter without a stored volume GUID name.  Windows 10 asks the
 * volume for a stable GUID and does not store it (for MBR volumes, the ID
 * laid out as a GUID); before Windows 10 the mount manager makes a new
 * random one at next mount.  The generation comes from the services
 * (mountdb_windows_version); when it is unknown, both outcomes are said. */
static int
v8_no_name (const mountdb *db, struct md_findings *out,
            const struct mountdb_volume *vol, size_t letter,
            const char *kept)
{
  char g[37], w10[200];
  if (mountdb_volume_derived_guid (vol, g))
    snprintf (w10, sizeof w10, "Windows 10 asks the volume for a stable GUID "
              "at each mount and does not store it; for this MBR volume that "
              "is {%s}, derived from its ID", g);
  else
    snprintf (w10, sizeof w10, "Windows 10 asks the volume for a stable GUID "
              "at each mount and does not store it (for %s the registry does "
              "not tell its value)",
              mountdb_uid_shape (E (db, vol->members[0])->uid)
              == MOUNTDB_SHAPE_DMIO ? "a GPT or dynamic volume"
                                    : "this kind of volume");
  static const char old[] = "makes a new random one at next mount, so "
                            "\\\\?\\Volume{} paths to it change";
  if (db->winver == MOUNTDB_WINVER_10)
    return md_finding_add (
      out, db, "V8", MOUNTDB_SEV_INFO, &letter, 1,
      "%s has no stored volume GUID name, normal on Windows 10 "
      "(the version is inferred from the hive's services): %s",
      kept, w10);
  if (db->winver == MOUNTDB_WINVER_PRE10)
    return md_finding_add (
      out, db, "V8", MOUNTDB_SEV_INFO, &letter, 1,
      "%s has no volume GUID name: Windows before 10 (inferred: "
      "the hive has none of Windows 10's services) %s",
      kept, old);
  return md_finding_add (
    out, db, "V8", MOUNTDB_SEV_INFO, &letter, 1,
    "%s has no volume GUID name and the hive does not tell the "
    "Windows version: %s; earlier Windows %s",
    kept, w10, old);
}

int
md_rule_per_volume (const mountdb *db, struct md_findings *out,
                    const char *rule)
{
  int rc = 0;
  size_t *tmp = malloc ((db->nentries ? db->nentries : 1) * sizeof *tmp);
  size_t *tmp2 = malloc ((db->nentries ? db->nentries : 1) * sizeof *tmp2);
  if (tmp == NULL || tmp2 == NULL) {
    free (tmp);
    free (tmp2);
    return MOUNTDB_E_NOMEM;
  }
  for (size_t v = 0; v < db->nvolumes && rc == 0; v++) {
    const struct mountdb_volume *vol = &db->volumes[v];
    size_t nl = members (db, vol, MOUNTDB_CLASS_DRIVE_LETTER, tmp);
    char kept[8];
    if (strcmp (rule, "V5") == 0 && nl > 1) {
      struct md_sbuf dropped;
      md_sb_init (&dropped);
      letter (db, tmp[0], kept);
      letters (db, tmp + 1, nl - 1, &dropped);
      rc = dropped.err ? MOUNTDB_E_NOMEM : md_finding_add (
        out, db, "V5", MOUNTDB_SEV_WARNING, tmp, nl,
        "one volume holds %zu drive letters: Windows keeps one and "
        "deletes the others at next mount; inferred from ReactOS: it "
        "keeps %s (first in value order) and deletes %s, unless "
        "another present volume already holds %s, then the next "
        "letter in value order",
        nl, kept, md_sb_str (&dropped), kept);
      md_sb_free (&dropped);
    } else if (strcmp (rule, "V7") == 0 && nl > 0) {
      size_t nm = members (db, vol, MOUNTDB_CLASS_NO_LETTER, tmp + nl);
      if (nm > 0) {
        letter (db, tmp[0], kept);
        rc = md_finding_add (
          out, db, "V7", MOUNTDB_SEV_WARNING, tmp, nl + nm,
          "the volume has drive letter %s and a no-letter marker: "
          "Windows mounts it as %s; the marker is stale (it is "
          "deleted whenever a letter is assigned)",
          kept, kept);
      }
    } else if (strcmp (rule, "V8") == 0) {
      size_t ng = members (db, vol, MOUNTDB_CLASS_VOLUME_GUID, tmp2);
      if (nl > 0 && ng == 0) {
        letter (db, tmp[0], kept);
        rc = v8_no_name (db, out, vol, tmp[0], kept);
      } else if (ng > 1)
        rc = md_finding_add (
          out, db, "V8", MOUNTDB_SEV_INFO, tmp2, ng,
          "one volume has %zu volume GUID names: Windows links them "
          "all to it",
          ng);
    }
  }
  free (tmp);
  free (tmp2);
  return rc;
}

/* ---- V6: names equal but for case ---------------------------------------------- */

/* One name to sort: no global context (qsort has none in C11, and the
 * rules may run on several handles at once), and the name at hand rather
 * than behind two indirections. */
struct sort_name {
  const uint16_t *name16;
  size_t len;
  size_t index;
};

static int
cmp_names (const struct sort_name *x, const struct sort_name *y)
{
  return md_cmp_fold (x->name16, x->len, y->name16, y->len);
}

/* Folded name, then value order: equal names end up adjacent and each
 * group comes out in value order. */
static int
cmp_sort_name (const void *a, const void *b)
{
  const struct sort_name *x = a, *y = b;
  int c = cmp_names (x, y);
  return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

int
md_rule_v6 (const mountdb *db, struct md_findings *out)
{
  size_t n = db->nentries;
  if (n < 2)
    return 0;
  struct sort_name *s = malloc (n * sizeof *s);
  size_t *group = malloc (n * sizeof *group);
  int rc = s == NULL || group == NULL ? MOUNTDB_E_NOMEM : 0;
  for (size_t i = 0; i < n && rc == 0; i++)
    s[i] = (struct sort_name) { E (db, i)->name16, E (db, i)->name16_len, i };
  if (rc == 0)
    qsort (s, n, sizeof *s, cmp_sort_name);
  for (size_t i = 0, j; i < n && rc == 0; i = j) {
    for (j = i + 1; j < n && cmp_names (&s[i], &s[j]) == 0; j++)
      ;
    if (j - i < 2)
      continue;
    for (size_t k = i; k < j; k++)
      group[k - i] = s[k].index;
    rc = md_finding_add (
      out, db, "V6", MOUNTDB_SEV_ERROR, group, j - i,
      "%zu names equal but for case: the registry holds one name "
      "once, so Windows sees only one of them and which one is "
      "undefined",
      j - i);
  }
  free (group);
  free (s);
  return rc;
}

/* ---- V10: the system letter ------------------------------------------------------ */

int
md_rule_v10 (const mountdb *db, struct md_findings *out, char sys)
{
  if (db->key_state != MOUNTDB_KEY_PRESENT || db->layered)
    return 0; /* V1 / R2 / R5 already say it */
  for (size_t i = 0; i < db->nentries; i++) {
    const struct mountdb_entry *e = E (db, i);
    if (e->nm.cls != MOUNTDB_CLASS_DRIVE_LETTER || e->nm.letter != sys
        || e->uid == NULL)
      continue;
    int shape = mountdb_uid_shape (e->uid);
    if (shape != MOUNTDB_SHAPE_MBR && shape != MOUNTDB_SHAPE_DMIO)
      return md_finding_add (
        out, db, "V10", MOUNTDB_SEV_ERROR, &i, 1,
        "the system letter %c: belongs to a %s ID, not a "
        "partition: the Windows volume will get another letter",
        sys, mountdb_shape_name (shape));
    /* A later letter of its volume is deleted at mount (V5). */
    const struct mountdb_volume *v = &db->volumes[e->volume];
    size_t first = i;
    for (size_t k = 0; k < v->nmembers; k++)
      if (is_class (db, v->members[k], MOUNTDB_CLASS_DRIVE_LETTER)) {
        first = v->members[k];
        break;
      }
    if (first != i) {
      size_t pair[2] = { first, i };
      return md_finding_add (
        out, db, "V10", MOUNTDB_SEV_ERROR, pair, 2,
        "the system letter %c: is not the first letter of its "
        "volume: Windows keeps %c: and deletes %c:",
        sys, E (db, first)->nm.letter, sys);
    }
    return 0;
  }
  return md_finding_add (
    out, db, "V10", MOUNTDB_SEV_ERROR, NULL, 0,
    "no \\DosDevices\\%c: value for the system letter: Windows "
    "gives the system volume a letter at boot, usually but not "
    "certainly %c:",
    sys, sys);
}
