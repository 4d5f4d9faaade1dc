/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rules on the hive as a whole: reading problems (L1, R1-R5), the
 * key (V1) and the boot control set's settings (V11). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules_int.h"

/* ---- reading problems: L1, R1, R2, R3 ------------------------------------------ */

int
md_rule_reading (const mountdb *db, struct md_findings *out)
{
  int rc = 0;
  if (db->hdr.dirty && !db->logs_applied)
    rc = md_finding_add (
      out, db, "L1", MOUNTDB_SEV_WARNING, NULL, 0,
      "the hive is dirty (sequence %u/%u%s) and its transaction logs "
      "were not applied: Windows would replay them first, so these "
      "findings may be stale",
      db->hdr.seq1, db->hdr.seq2, db->hdr.checksum_ok ? "" : ", bad checksum");
  if (rc == 0 && (db->flags & MOUNTDB_OPEN_UNSAFE))
    rc = md_finding_add (
      out, db, "R3", MOUNTDB_SEV_INFO, NULL, 0,
      "read in unsafe mode: damaged parts may have been skipped");
  if (rc == 0 && (db->key_state == MOUNTDB_KEY_UNREADABLE
                  || db->key_state == MOUNTDB_KEY_NO_ROOT))
    rc = md_finding_add (
      out, db, "R2", MOUNTDB_SEV_ERROR, NULL, 0,
      db->key_state == MOUNTDB_KEY_NO_ROOT
        ? "the hive has no readable root key: Windows cannot boot "
          "from it as it is"
        : "MountedDevices exists but cannot be read: Windows may "
          "fail to read it too and assign letters anew");
  if (rc == 0 && db->hive_kind != MOUNTDB_HIVE_SYSTEM)
    rc = md_finding_add (
      out, db, "R4", MOUNTDB_SEV_ERROR, NULL, 0,
      "not a SYSTEM hive but %s: it holds no MountedDevices and no "
      "mount manager settings; give the machine's SYSTEM hive",
      md_hive_kind_words (db->hive_kind));
  if (rc == 0 && db->layered)
    rc = md_finding_add (
      out, db, "R5", MOUNTDB_SEV_WARNING, NULL, 0,
      "a differencing hive (layered keys): its MountedDevices holds "
      "only changes over a base hive that is not here, so what "
      "Windows mounts depends on that base hive too");
  for (size_t i = 0; i < db->nentries && rc == 0; i++)
    if (E (db, i)->error)
      rc = md_finding_add (
        out, db, "R1", MOUNTDB_SEV_ERROR, &i, 1,
        "this value's data cannot be read: the mount manager "
        "cannot use it either");
  return rc;
}

/* ---- V1: the key ------------------------------------------------------------ */

int
md_rule_v1 (const mountdb *db, struct md_findings *out)
{
  if (db->key_state != MOUNTDB_KEY_ABSENT
      || db->hive_kind != MOUNTDB_HIVE_SYSTEM || db->layered)
    return 0; /* R4 / R5 say what the hive is */
  if (db->winver == MOUNTDB_WINVER_NT4)
    return md_finding_add (
      out, db, "V1", MOUNTDB_SEV_INFO, NULL, 0,
      "MountedDevices is missing, as expected: ControlSet%03u has "
      "%zu services but no MountMgr, so this is Windows NT 4.0 or "
      "older, which has no mount manager and never creates the key",
      db->boot_cs, db->nservices);
  if (!db->mountmgr)
    return md_finding_add (
      out, db, "V1", MOUNTDB_SEV_WARNING, NULL, 0,
      "MountedDevices is missing and the hive has no %s: a partial "
      "hive says nothing about what Windows will do (Windows 2000 "
      "and later recreate the key empty at boot; NT 4.0 and older "
      "have no mount manager)",
      db->boot_cs == 0 ? "control set named by Select"
                       : "Services\\MountMgr in its boot control set");
  return md_finding_add (
    out, db, "V1", MOUNTDB_SEV_WARNING, NULL, 0,
    "MountedDevices is missing: Windows 2000 and later recreate it "
    "empty at boot and assign every drive letter anew");
}

/* ---- V11: automount ---------------------------------------------------------------- */

int
md_rule_v11 (const mountdb *db, struct md_findings *out)
{
  if (db->hive_kind != MOUNTDB_HIVE_SYSTEM)
    return 0;
  if (db->boot_cs == 0) {
    if (db->select_state == MOUNTDB_VALUE_ABSENT
        && db->select_default_state == MOUNTDB_VALUE_ABSENT)
      return 0;
    char why[160];
    return md_finding_add (
      out, db, "V11", MOUNTDB_SEV_WARNING, NULL, 0,
      "Select names no existing control set (%s): the automount "
      "and SAN policy settings cannot be read",
      md_select_words (db, why, sizeof why));
  }
  int rc = 0;
  unsigned cs = db->boot_cs;
  if (db->noautomount_state == MOUNTDB_VALUE_BAD)
    rc = md_finding_add (
      out, db, "V11", MOUNTDB_SEV_WARNING, NULL, 0,
      "NoAutoMount in ControlSet%03u is not a DWORD: Windows "
      "treats automount as on",
      cs);
  else if (db->noautomount_state == MOUNTDB_VALUE_OK && db->noautomount == 1)
    rc = md_finding_add (
      out, db, "V11", MOUNTDB_SEV_WARNING, NULL, 0,
      "NoAutoMount = 1 in ControlSet%03u, the control set the next "
      "boot loads: new basic volumes get no drive letter, so letters "
      "must be pre-seeded",
      cs);
  static const char *const policy[] = {
    NULL, "online all", "offline shared", "offline all", "offline internal",
  };
  uint32_t sp = db->sanpolicy;
  if (rc == 0 && db->sanpolicy_state == MOUNTDB_VALUE_BAD)
    rc = md_finding_add (
      out, db, "V11", MOUNTDB_SEV_WARNING, NULL, 0,
      "SanPolicy in ControlSet%03u is not a DWORD: the SAN policy "
      "for new disks cannot be read",
      cs);
  else if (rc == 0 && db->sanpolicy_state == MOUNTDB_VALUE_OK
           && sp >= 2 && sp <= 4)
    rc = md_finding_add (
      out, db, "V11", MOUNTDB_SEV_WARNING, NULL, 0,
      "SanPolicy = %u (%s) in ControlSet%03u, the control set the "
      "next boot loads: new disks it covers stay offline, so their "
      "volumes get no drive letter (as with NoAutoMount) and letters "
      "must be pre-seeded",
      sp, policy[sp], cs);
  else if (rc == 0 && db->sanpolicy_state == MOUNTDB_VALUE_OK && sp != 1)
    rc = md_finding_add (
      out, db, "V11", MOUNTDB_SEV_INFO, NULL, 0,
      "SanPolicy = %u in ControlSet%03u is none of the documented "
      "policies (1 online all, 2 offline shared, 3 offline all, 4 "
      "offline internal)",
      sp, cs);
  return rc;
}
