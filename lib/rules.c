/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The V rules (section 5): one function per rule, run in rule order over
 * the model.  Findings say what the mount manager will do at next boot
 * (section 4); they name values by entry, never by copying untrusted names
 * into messages, so writers escape names once, their own way. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules.h"


struct mountdb_finding {
  char rule[4];
  int sev;
  char *message;
  size_t *entries;
  size_t nentries;
  const mountdb *db;
};

/* ---- findings ---------------------------------------------------------------- */

static int
add (struct md_findings *out, const mountdb *db, const char *rule, int sev,
     const size_t *entries, size_t n, const char *fmt, ...)
  __attribute__ ((format (printf, 7, 8)));

static int
add (struct md_findings *out, const mountdb *db, const char *rule, int sev,
     const size_t *entries, size_t n, const char *fmt, ...)
{
  if (md_grow (&out->v, &out->cap, out->n, sizeof *out->v) < 0)
    return MOUNTDB_E_NOMEM;
  struct mountdb_finding *f = out->v + out->n;
  memset (f, 0, sizeof *f);
  snprintf (f->rule, sizeof f->rule, "%s", rule);
  f->sev = sev;
  f->db = db;
  char buf[512];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  f->message = strdup (buf);
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

/* For rules_disk.c: one finding whose message is already formatted. */
int
md_findings_add (struct md_findings *out, const mountdb *db, const char *rule,
                 int sev, const size_t *entries, size_t n, const char *msg)
{
  return add (out, db, rule, sev, entries, n, "%s", msg);
}

/* ---- helpers on the model ------------------------------------------------------ */

static const struct mountdb_entry *
E (const mountdb *db, size_t i)
{
  return &db->entries[i];
}

static int
is_class (const mountdb *db, size_t i, int cls)
{
  return E (db, i)->nm.cls == cls;
}

static int
uid_flag (const mountdb_uid *u, const char *key)
{
  for (size_t i = 0; i < mountdb_uid_field_count (u); i++) {
    const char *k;
    int kind;
    uint64_t v;
    if (mountdb_uid_field_get (u, i, &k, &kind, NULL, &v) == 0
        && kind == MOUNTDB_FIELD_BOOL && strcmp (k, key) == 0)
      return v != 0;
  }
  return 0;
}

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

/* "C:, D:" of the given drive-letter entries. */
static void
letters (const mountdb *db, const size_t *idx, size_t n, char *buf, size_t sz)
{
  size_t at = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && at + 5 < sz; i++)
    at += (size_t) snprintf (buf + at, sz - at, "%s%c:", i ? ", " : "",
                             E (db, idx[i])->nm.letter);
}

/* ---- reading problems: L1, R1, R2, R3 ------------------------------------------ */

static int
rule_reading (const mountdb *db, struct md_findings *out)
{
  int rc = 0;
  if (db->hdr.dirty && !db->logs_applied)
    rc = add (out, db, "L1", MOUNTDB_SEV_WARNING, NULL, 0,
              "the hive is dirty (sequence %u/%u%s) and its transaction logs "
              "were not applied: Windows would replay them first, so these "
              "findings may be stale", db->hdr.seq1, db->hdr.seq2,
              db->hdr.checksum_ok ? "" : ", bad checksum");
  if (rc == 0 && (db->flags & MOUNTDB_OPEN_UNSAFE))
    rc = add (out, db, "R3", MOUNTDB_SEV_INFO, NULL, 0,
              "read in unsafe mode: damaged parts may have been skipped");
  if (rc == 0 && (db->key_state == MOUNTDB_KEY_UNREADABLE
                  || db->key_state == MOUNTDB_KEY_NO_ROOT))
    rc = add (out, db, "R2", MOUNTDB_SEV_ERROR, NULL, 0,
              db->key_state == MOUNTDB_KEY_NO_ROOT
              ? "the hive has no readable root key: Windows cannot boot "
                "from it as it is"
              : "MountedDevices exists but cannot be read: Windows may "
                "fail to read it too and assign letters anew");
  if (rc == 0 && db->hive_kind != MOUNTDB_HIVE_SYSTEM)
    rc = add (out, db, "R4", MOUNTDB_SEV_ERROR, NULL, 0,
              "not a SYSTEM hive but %s: it holds no MountedDevices and no "
              "mount manager settings; give the machine's SYSTEM hive",
              md_hive_kind_words (db->hive_kind));
  if (rc == 0 && db->layered)
    rc = add (out, db, "R5", MOUNTDB_SEV_WARNING, NULL, 0,
              "a differencing hive (layered keys): its MountedDevices holds "
              "only changes over a base hive that is not here, so what "
              "Windows mounts depends on that base hive too");
  for (size_t i = 0; i < db->nentries && rc == 0; i++)
    if (E (db, i)->error)
      rc = add (out, db, "R1", MOUNTDB_SEV_ERROR, &i, 1,
                "this value's data cannot be read: the mount manager "
                "cannot use it either");
  return rc;
}

/* ---- V1: the key ------------------------------------------------------------ */

static int
rule_v1 (const mountdb *db, struct md_findings *out)
{
  if (db->key_state != MOUNTDB_KEY_ABSENT
      || db->hive_kind != MOUNTDB_HIVE_SYSTEM || db->layered)
    return 0; /* R4 / R5 say what the hive is */
  if (db->winver == MOUNTDB_WINVER_NT4)
    return add (out, db, "V1", MOUNTDB_SEV_INFO, NULL, 0,
                "MountedDevices is missing, as expected: ControlSet%03u has "
                "%zu services but no MountMgr, so this is Windows NT 4.0 or "
                "older, which has no mount manager and never creates the key",
                db->boot_cs, db->nservices);
  if (!db->mountmgr)
    return add (out, db, "V1", MOUNTDB_SEV_WARNING, NULL, 0,
                "MountedDevices is missing and the hive has no %s: a partial "
                "hive says nothing about what Windows will do (Windows 2000 "
                "and later recreate the key empty at boot; NT 4.0 and older "
                "have no mount manager)",
                db->boot_cs == 0 ? "control set named by Select"
                : "Services\\MountMgr in its boot control set");
  return add (out, db, "V1", MOUNTDB_SEV_WARNING, NULL, 0,
              "MountedDevices is missing: Windows 2000 and later recreate it "
              "empty at boot and assign every drive letter anew");
}

/* ---- V2: value types ----------------------------------------------------------- */

static int
rule_v2 (const mountdb *db, struct md_findings *out)
{
  int rc = 0;
  for (size_t i = 0; i < db->nentries && rc == 0; i++) {
    const struct mountdb_entry *e = E (db, i);
    if (e->type != MOUNTDB_REG_BINARY && !e->error)
      rc = add (out, db, "V2", MOUNTDB_SEV_WARNING, &i, 1,
                "value type is %s (%u), not REG_BINARY: the mount manager "
                "ignores it", mountdb_type_name (e->type), e->type);
  }
  return rc;
}

/* ---- V3: name grammar -------------------------------------------------------- */

static int
rule_v3 (const mountdb *db, struct md_findings *out)
{
  int rc = 0;
  for (size_t i = 0; i < db->nentries && rc == 0; i++) {
    const md_name *nm = &E (db, i)->nm;
    if ((nm->flags & MOUNTDB_NAME_CASE_VARIANT)
        && (nm->variant_of == MOUNTDB_CLASS_DRIVE_LETTER
            || nm->variant_of == MOUNTDB_CLASS_MOUNT_POINT))
      rc = add (out, db, "V3", MOUNTDB_SEV_WARNING, &i, 1,
                "a lower-case drive letter: the mount manager's drive-letter "
                "test needs A-Z, so the volume gets no letter from this name, "
                "but the name still becomes a symbolic link to it (ReactOS "
                "IsDriveLetter)");
    else if (nm->flags & MOUNTDB_NAME_CASE_VARIANT)
      rc = add (out, db, "V3", MOUNTDB_SEV_WARNING, &i, 1,
                "%s but for case: the mount manager's test for it is "
                "case-exact, so Windows does not treat this name as one",
                mountdb_class_description (nm->variant_of));
    else if (nm->flags & MOUNTDB_NAME_PREFIX_CASE)
      rc = add (out, db, "V3", MOUNTDB_SEV_INFO, &i, 1,
                "the \\DosDevices\\ prefix is not in Windows' spelling: "
                "harmless, the mount manager's drive-letter test ignores the "
                "prefix's case, so this is drive letter %c: (ReactOS "
                "IsDriveLetter)", nm->letter);
    else if (nm->flags & MOUNTDB_NAME_MALFORMED_GUID)
      rc = add (out, db, "V3", MOUNTDB_SEV_WARNING, &i, 1,
                "the GUID in this name is malformed: Windows does not treat "
                "it as a volume name or no-letter marker");
    else if (nm->flags & (MOUNTDB_NAME_BAD_UTF16 | MOUNTDB_NAME_CONTROL))
      rc = add (out, db, "V3", MOUNTDB_SEV_WARNING, &i, 1,
                "the name holds %s: no Windows component writes such names",
                (nm->flags & MOUNTDB_NAME_BAD_UTF16) ? "invalid UTF-16"
                : "control characters");
    else if (nm->cls == MOUNTDB_CLASS_OTHER)
      rc = add (out, db, "V3", MOUNTDB_SEV_INFO, &i, 1,
                "unknown name: the mount manager keeps it but gives it no "
                "meaning (its volume gets no drive letter from it)");
    else if (nm->flags & MOUNTDB_NAME_UPPER_HEX)
      rc = add (out, db, "V3", MOUNTDB_SEV_INFO, &i, 1,
                "upper-case GUID digits: Windows writes lower case; the "
                "name still works");
  }
  return rc;
}

/* ---- V4: data shape (per volume: the ID is shared) -------------------------- */

static int
rule_v4 (const mountdb *db, struct md_findings *out)
{
  int rc = 0;
  for (size_t v = 0; v < db->nvolumes && rc == 0; v++) {
    const struct mountdb_volume *vol = &db->volumes[v];
    const struct mountdb_entry *e = E (db, vol->members[0]);
    const mountdb_uid *u = e->uid;
    const char *why = NULL;
    char buf[160];
    switch (mountdb_uid_shape (u)) {
    case MOUNTDB_SHAPE_MBR:
      if (mountdb_uid_disk_signature (u) == 0)
        why = "MBR disk signature 0: Windows writes a new signature to such a "
              "disk, so this ID will never match";
      else if (mountdb_uid_partition_offset (u) == 0)
        why = "MBR partition offset 0 (the MBR itself): no partition starts "
              "there, so this ID will never match";
      else if (mountdb_uid_partition_offset (u) % 512) {
        snprintf (buf, sizeof buf, "MBR partition offset %llu is not a "
                  "multiple of 512: no partition starts there, so this ID "
                  "will never match",
                  (unsigned long long) mountdb_uid_partition_offset (u));
        why = buf;
      }
      break;
    case MOUNTDB_SHAPE_DMIO: {
      static const char nil[] = "00000000-0000-0000-0000-000000000000";
      const char *g = mountdb_uid_guid (u);
      if (g && strcmp (g, nil) == 0)
        why = "DMIO ID with the nil GUID: no partition or dynamic volume has "
              "it, so this ID will never match";
      break;
    }
    case MOUNTDB_SHAPE_DEVICE_PATH:
      if (uid_flag (u, "odd_length"))
        why = "device path of odd length: not UTF-16, no device reports it";
      else if (uid_flag (u, "contains_nul"))
        why = "device path containing NUL: no device reports it";
      break;
    case MOUNTDB_SHAPE_OPAQUE:
      if (e->len == 0)
        why = "empty data: no volume has an empty unique ID";
      break;
    default:
      break;
    }
    if (why)
      rc = add (out, db, "V4", MOUNTDB_SEV_WARNING, vol->members, vol->nmembers,
                "%s", why);
  }
  return rc;
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
    return add (out, db, "V8", MOUNTDB_SEV_INFO, &letter, 1,
                "%s has no stored volume GUID name, normal on Windows 10 "
                "(the version is inferred from the hive's services): %s", kept,
                w10);
  if (db->winver == MOUNTDB_WINVER_PRE10)
    return add (out, db, "V8", MOUNTDB_SEV_INFO, &letter, 1,
                "%s has no volume GUID name: Windows before 10 (inferred: "
                "the hive has none of Windows 10's services) %s", kept, old);
  return add (out, db, "V8", MOUNTDB_SEV_INFO, &letter, 1,
              "%s has no volume GUID name and the hive does not tell the "
              "Windows version: %s; earlier Windows %s", kept, w10, old);
}

static int
rule_per_volume (const mountdb *db, struct md_findings *out, const char *rule)
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
    char kept[8], dropped[160];
    if (strcmp (rule, "V5") == 0 && nl > 1) {
      letters (db, tmp, 1, kept, sizeof kept);
      letters (db, tmp + 1, nl - 1, dropped, sizeof dropped);
      rc = add (out, db, "V5", MOUNTDB_SEV_WARNING, tmp, nl,
                "one volume holds %zu drive letters: Windows keeps one and "
                "deletes the others at next mount; inferred from ReactOS: it "
                "keeps %s (first in value order) and deletes %s, unless "
                "another present volume already holds %s, then the next "
                "letter in value order", nl, kept, dropped, kept);
    } else if (strcmp (rule, "V7") == 0 && nl > 0) {
      size_t nm = members (db, vol, MOUNTDB_CLASS_NO_LETTER, tmp + nl);
      if (nm > 0) {
        letters (db, tmp, 1, kept, sizeof kept);
        rc = add (out, db, "V7", MOUNTDB_SEV_WARNING, tmp, nl + nm,
                  "the volume has drive letter %s and a no-letter marker: "
                  "Windows mounts it as %s; the marker is stale (it is "
                  "deleted whenever a letter is assigned)", kept, kept);
      }
    } else if (strcmp (rule, "V8") == 0) {
      size_t ng = members (db, vol, MOUNTDB_CLASS_VOLUME_GUID, tmp2);
      if (nl > 0 && ng == 0) {
        letters (db, tmp, 1, kept, sizeof kept);
        rc = v8_no_name (db, out, vol, tmp[0], kept);
      } else if (ng > 1)
        rc = add (out, db, "V8", MOUNTDB_SEV_INFO, tmp2, ng,
                  "one volume has %zu volume GUID names: Windows links them "
                  "all to it", ng);
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

static int
rule_v6 (const mountdb *db, struct md_findings *out)
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
    rc = add (out, db, "V6", MOUNTDB_SEV_ERROR, group, j - i,
              "%zu names equal but for case: the registry holds one name "
              "once, so Windows sees only one of them and which one is "
              "undefined", j - i);
  }
  free (group);
  free (s);
  return rc;
}

/* ---- V10: the system letter ------------------------------------------------------ */

static int
rule_v10 (const mountdb *db, struct md_findings *out, char sys)
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
      return add (out, db, "V10", MOUNTDB_SEV_ERROR, &i, 1,
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
      return add (out, db, "V10", MOUNTDB_SEV_ERROR, pair, 2,
                  "the system letter %c: is not the first letter of its "
                  "volume: Windows keeps %c: and deletes %c:", sys,
                  E (db, first)->nm.letter, sys);
    }
    return 0;
  }
  return add (out, db, "V10", MOUNTDB_SEV_ERROR, NULL, 0,
              "no \\DosDevices\\%c: value for the system letter: Windows "
              "gives the system volume a letter at boot, usually but not "
              "certainly %c:", sys, sys);
}

/* ---- V11: automount ---------------------------------------------------------------- */

static int
rule_v11 (const mountdb *db, struct md_findings *out)
{
  if (db->hive_kind != MOUNTDB_HIVE_SYSTEM)
    return 0;
  if (db->boot_cs == 0) {
    if (db->select_state == MOUNTDB_VALUE_ABSENT
        && db->select_default_state == MOUNTDB_VALUE_ABSENT)
      return 0;
    char why[160];
    return add (out, db, "V11", MOUNTDB_SEV_WARNING, NULL, 0,
                "Select names no existing control set (%s): the automount "
                "and SAN policy settings cannot be read",
                md_select_words (db, why, sizeof why));
  }
  int rc = 0;
  unsigned cs = db->boot_cs;
  if (db->noautomount_state == MOUNTDB_VALUE_BAD)
    rc = add (out, db, "V11", MOUNTDB_SEV_WARNING, NULL, 0,
              "NoAutoMount in ControlSet%03u is not a DWORD: Windows "
              "treats automount as on", cs);
  else if (db->noautomount_state == MOUNTDB_VALUE_OK && db->noautomount == 1)
    rc = add (out, db, "V11", MOUNTDB_SEV_WARNING, NULL, 0,
              "NoAutoMount = 1 in ControlSet%03u, the control set the next "
              "boot loads: new basic volumes get no drive letter, so letters "
              "must be pre-seeded", cs);
  static const char *const policy[] = {
    NULL, "online all", "offline shared", "offline all", "offline internal",
  };
  uint32_t sp = db->sanpolicy;
  if (rc == 0 && db->sanpolicy_state == MOUNTDB_VALUE_BAD)
    rc = add (out, db, "V11", MOUNTDB_SEV_WARNING, NULL, 0,
              "SanPolicy in ControlSet%03u is not a DWORD: the SAN policy "
              "for new disks cannot be read", cs);
  else if (rc == 0 && db->sanpolicy_state == MOUNTDB_VALUE_OK
           && sp >= 2 && sp <= 4)
    rc = add (out, db, "V11", MOUNTDB_SEV_WARNING, NULL, 0,
              "SanPolicy = %u (%s) in ControlSet%03u, the control set the "
              "next boot loads: new disks it covers stay offline, so their "
              "volumes get no drive letter (as with NoAutoMount) and letters "
              "must be pre-seeded", sp, policy[sp], cs);
  else if (rc == 0 && db->sanpolicy_state == MOUNTDB_VALUE_OK && sp != 1)
    rc = add (out, db, "V11", MOUNTDB_SEV_INFO, NULL, 0,
              "SanPolicy = %u in ControlSet%03u is none of the documented "
              "policies (1 online all, 2 offline shared, 3 offline all, 4 "
              "offline internal)", sp, cs);
  return rc;
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
  int rc = rule_reading (db, out);
  if (rc == 0) rc = rule_v1 (db, out);
  if (rc == 0) rc = rule_v2 (db, out);
  if (rc == 0) rc = rule_v3 (db, out);
  if (rc == 0) rc = rule_v4 (db, out);
  if (rc == 0) rc = rule_per_volume (db, out, "V5");
  if (rc == 0) rc = rule_v6 (db, out);
  if (rc == 0) rc = rule_per_volume (db, out, "V7");
  if (rc == 0) rc = rule_per_volume (db, out, "V8");
  if (rc == 0) rc = rule_v10 (db, out, system_letter);
  if (rc == 0) rc = rule_v11 (db, out);
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
