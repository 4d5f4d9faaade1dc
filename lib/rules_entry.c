/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rules on one value at a time: its type (V2), its name's grammar
 * (V3), its data's shape (V4, once per volume: the ID is shared). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules_int.h"

/* ---- V2: value types ----------------------------------------------------------- */

int
md_rule_v2 (const mountdb *db, struct md_findings *out)
{
  int rc = 0;
  for (size_t i = 0; i < db->nentries && rc == 0; i++) {
    const struct mountdb_entry *e = E (db, i);
    if (e->type != MOUNTDB_REG_BINARY && !e->error)
      rc = md_finding_add (
        out, db, "V2", MOUNTDB_SEV_WARNING, &i, 1,
        "value type is %s (%u), not REG_BINARY: the mount manager "
        "ignores it",
        mountdb_type_name (e->type), e->type);
  }
  return rc;
}

/* ---- V3: name grammar -------------------------------------------------------- */

int
md_rule_v3 (const mountdb *db, struct md_findings *out)
{
  int rc = 0;
  for (size_t i = 0; i < db->nentries && rc == 0; i++) {
    const md_name *nm = &E (db, i)->nm;
    if ((nm->flags & MOUNTDB_NAME_CASE_VARIANT)
        && (nm->variant_of == MOUNTDB_CLASS_DRIVE_LETTER
            || nm->variant_of == MOUNTDB_CLASS_MOUNT_POINT))
      rc = md_finding_add (
        out, db, "V3", MOUNTDB_SEV_WARNING, &i, 1,
        "a lower-case drive letter: the mount manager's drive-letter "
        "test needs A-Z, so the volume gets no letter from this name, "
        "but the name still becomes a symbolic link to it (ReactOS "
        "IsDriveLetter)");
    else if (nm->flags & MOUNTDB_NAME_CASE_VARIANT)
      rc = md_finding_add (
        out, db, "V3", MOUNTDB_SEV_WARNING, &i, 1,
        "%s but for case: the mount manager's test for it is "
        "case-exact, so Windows does not treat this name as one",
        mountdb_class_description (nm->variant_of));
    else if (nm->flags & MOUNTDB_NAME_PREFIX_CASE)
      rc = md_finding_add (
        out, db, "V3", MOUNTDB_SEV_INFO, &i, 1,
        "the \\DosDevices\\ prefix is not in Windows' spelling: "
        "harmless, the mount manager's drive-letter test ignores the "
        "prefix's case, so this is drive letter %c: (ReactOS "
        "IsDriveLetter)",
        nm->letter);
    else if (nm->flags & MOUNTDB_NAME_MALFORMED_GUID)
      rc = md_finding_add (
        out, db, "V3", MOUNTDB_SEV_WARNING, &i, 1,
        "the GUID in this name is malformed: Windows does not treat "
        "it as a volume name or no-letter marker");
    else if (nm->flags & (MOUNTDB_NAME_BAD_UTF16 | MOUNTDB_NAME_CONTROL))
      rc = md_finding_add (
        out, db, "V3", MOUNTDB_SEV_WARNING, &i, 1,
        "the name holds %s: no Windows component writes such names",
        (nm->flags & MOUNTDB_NAME_BAD_UTF16) ? "invalid UTF-16"
                                             : "control characters");
    else if (nm->cls == MOUNTDB_CLASS_OTHER)
      rc = md_finding_add (
        out, db, "V3", MOUNTDB_SEV_INFO, &i, 1,
        "unknown name: the mount manager keeps it but gives it no "
        "meaning (its volume gets no drive letter from it)");
    else if (nm->flags & MOUNTDB_NAME_UPPER_HEX)
      rc = md_finding_add (
        out, db, "V3", MOUNTDB_SEV_INFO, &i, 1,
        "upper-case GUID digits: Windows writes lower case; the "
        "name still works");
  }
  return rc;
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

/* ---- V4: data shape (per volume: the ID is shared) -------------------------- */

int
md_rule_v4 (const mountdb *db, struct md_findings *out)
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
      rc = md_finding_add (out, db, "V4", MOUNTDB_SEV_WARNING, vol->members,
                           vol->nmembers, "%s", why);
  }
  return rc;
}
