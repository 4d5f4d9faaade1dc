/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The V rules that need the machine's disks (issue 13): one function per
 * rule, run after the hive-only rules by mountdb_check_disks.  What
 * Windows will do is said only where section 4 of the domain reference
 * says it; elsewhere the message says "inferred".  Values are named by
 * entry; disk paths come from the caller (writers escape messages). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "correlate_disk.h"

struct dctx {
  const mountdb *db;
  const mountdb_disk *const *disks;
  size_t ndisks;
  mountdb_correlation *corr;
  char sys;
  struct md_findings *out;
  size_t *idx;                  /* room for the entries of one finding */
  size_t ne;                    /* mountdb_entry_count */
};

static const char *
path_of (const mountdb_partition *p)
{
  return mountdb_disk_path (mountdb_partition_disk (p));
}

/* The drive-letter entry at i with its volume index, or 0. */
static int
letter_entry (const mountdb *db, size_t i, size_t *vol, char *letter)
{
  const mountdb_entry *e = mountdb_entry_get (db, i);
  if (mountdb_entry_class (e) != MOUNTDB_CLASS_DRIVE_LETTER
      || (mountdb_entry_name_flags (e) & MOUNTDB_NAME_CASE_VARIANT)
      || (*vol = mountdb_entry_volume (e)) == (size_t) -1)
    return 0;
  *letter = mountdb_entry_letter (e);
  return 1;
}

static void
volume_text (const mountdb *db, size_t v, char out[96])
{
  size_t len;
  const uint8_t *id = mountdb_volume_data (mountdb_volume_get (db, v), &len);
  md_id_spec_text (id, len, out);
}

/* V9: a letter whose volume is on none of the given disks. */
static int
rule_v9 (struct dctx *c)
{
  char idt[96];
  for (size_t i = 0; i < mountdb_entry_count (c->db); i++)
    {
      size_t v;
      char l;
      if (!letter_entry (c->db, i, &v, &l)
          || mountdb_correlation_status (c->corr, v) != MOUNTDB_DISK_ABSENT)
        continue;
      volume_text (c->db, v, idt);
      int rc;
      if (l == c->sys)
        rc = md_finding_add (c->out, c->db, "V9", MOUNTDB_SEV_ERROR, &i, 1,
                             "%c: is the system letter, but its volume "
                             "(%s) is on none of the given disks: if they are "
                             "all the machine's disks, the Windows volume "
                             "will not get %c: from this value (inferred)",
                             l, idt, l);
      else
        rc = md_finding_add (c->out, c->db, "V9", MOUNTDB_SEV_INFO, &i, 1,
                             "%c: names a volume (%s) on none of the given "
                             "disks: stale if they are all the machine's "
                             "disks; the letter stays reserved until a scrub "
                             "(mountvol /R, diskpart automount scrub: "
                             "Microsoft)", l, idt);
      if (rc < 0)
        return rc;
    }
  return 0;
}

/* V10 with disks: the system letter's partition is not NTFS. */
static int
rule_v10_fs (struct dctx *c)
{
  for (size_t i = 0; i < mountdb_entry_count (c->db); i++)
    {
      size_t v;
      char l;
      if (!letter_entry (c->db, i, &v, &l) || l != c->sys)
        continue;
      const mountdb_partition *p = mountdb_correlation_partition (c->corr, v);
      const char *fs = p ? mountdb_partition_fs (p) : NULL;
      if (p == NULL || (fs != NULL && strcmp (fs, "ntfs") == 0))
        return 0;
      return md_finding_add (c->out, c->db, "V10", MOUNTDB_SEV_WARNING, &i,
                             1, "the system letter %c: is partition %u of "
                             "%s, which holds %s%s, not NTFS: Windows runs "
                             "only from NTFS volumes, so this is likely not "
                             "the Windows volume (inferred)",
                             l, mountdb_partition_number (p), path_of (p),
                             fs ? "a filesystem of type "
                             : "no filesystem blkid knows", fs ? fs : "");
    }
  return 0;
}

/* The entries of every volume whose ID is an MBR ID of signature sig. */
static size_t
entries_of_signature (const mountdb *db, uint32_t sig, size_t *idx,
                      size_t cap)
{
  size_t n = 0;
  for (size_t i = 0; i < mountdb_entry_count (db) && n < cap; i++)
    {
      const mountdb_uid *u = mountdb_entry_uid (mountdb_entry_get (db, i));
      if (mountdb_entry_volume (mountdb_entry_get (db, i)) != (size_t) -1
          && u != NULL && mountdb_uid_shape (u) == MOUNTDB_SHAPE_MBR
          && mountdb_uid_disk_signature (u) == sig)
        idx[n++] = i;
    }
  return n;
}

/* All entries of volume v. */
static size_t
entries_of_volume (const mountdb *db, size_t v, size_t *idx, size_t cap)
{
  const mountdb_volume *vol = mountdb_volume_get (db, v);
  size_t n = 0;
  for (size_t k = 0; k < mountdb_volume_entry_count (vol) && n < cap; k++)
    idx[n++] = mountdb_entry_index (mountdb_volume_entry_get (vol, k));
  return n;
}

/* The entries of volume v in c->idx, and its ID as text, when that ID is
 * a DMIO one (a GPT partition's); else 0. */
static size_t
dmio_volume (const struct dctx *c, size_t v, char idt[96])
{
  const mountdb_uid *u = mountdb_volume_uid (mountdb_volume_get (c->db, v));
  if (mountdb_uid_shape (u) != MOUNTDB_SHAPE_DMIO)
    return 0;
  volume_text (c->db, v, idt);
  return entries_of_volume (c->db, v, c->idx, c->ne);
}

/* V12: two given disks produce the same IDs (a cloned MBR signature, or
 * a GPT partition GUID on two disks). */
static int
rule_v12 (struct dctx *c)
{
  char idt[96];
  int rc = 0;
  for (size_t a = 0; a < c->ndisks && rc == 0; a++)
    for (size_t b = a + 1; b < c->ndisks && rc == 0; b++)
      {
        if (c->disks[a] == NULL || c->disks[b] == NULL)
          continue;
        uint32_t s = mountdb_disk_signature (c->disks[a]);
        if (s == 0 || s != mountdb_disk_signature (c->disks[b]))
          continue;
        size_t n = entries_of_signature (c->db, s, c->idx, c->ne);
        rc = md_finding_add (c->out, c->db, "V12", MOUNTDB_SEV_ERROR, c->idx,
                             n,
                             "disks %s and %s have the same MBR signature "
                             "%08X: Windows 7 and later take one of them "
                             "offline, older versions re-sign one, and the "
                             "IDs these values hold then match only one disk "
                             "(Microsoft's disk signature collision "
                             "documentation)",
                             mountdb_disk_path (c->disks[a]),
                             mountdb_disk_path (c->disks[b]), (unsigned) s);
      }
  /* GPT: one partition GUID on two partitions (MBR IDs are covered by
   * the signature above). */
  for (size_t v = 0; v < mountdb_volume_count (c->db) && rc == 0; v++)
    {
      size_t n;
      if (md_correlation_holders (c->corr, v) < 2
          || (n = dmio_volume (c, v, idt)) == 0)
        continue;
      rc = md_finding_add (c->out, c->db, "V12", MOUNTDB_SEV_ERROR, c->idx, n,
                           "%zu partitions of the given disks have the ID %s "
                           "(a cloned GPT): Windows can mount only one of "
                           "them under these names (inferred)",
                           md_correlation_holders (c->corr, v), idt);
    }
  return rc;
}

/* V13: a letter for a GPT partition with the no-drive-letter attribute. */
static int
rule_v13 (struct dctx *c)
{
  for (size_t i = 0; i < mountdb_entry_count (c->db); i++)
    {
      size_t v;
      char l;
      if (!letter_entry (c->db, i, &v, &l))
        continue;
      const mountdb_partition *p = mountdb_correlation_partition (c->corr, v);
      if (p == NULL || !(mountdb_partition_attributes (p)
                         & MOUNTDB_GPT_ATTR_NO_DRIVE_LETTER))
        continue;
      int rc = md_finding_add (c->out, c->db, "V13", MOUNTDB_SEV_WARNING, &i,
                               1, "%c: is given to partition %u of %s, whose "
                               "GPT attribute \"no drive letter\" "
                               "(0x8000000000000000) is set: Windows gives "
                               "such a volume no automatic letter (Microsoft "
                               "documents GPT_BASIC_DATA_ATTRIBUTE_NO_DRIVE_"
                               "LETTER); whether it honours this stored one "
                               "is not documented (inferred: it may)", l,
                               mountdb_partition_number (p), path_of (p));
      if (rc < 0)
        return rc;
    }
  return 0;
}

/* V14: a DMIO ID in no GPT of the given disks while a dynamic disk is
 * given: maybe an LDM volume, never stale. */
static int
rule_v14 (struct dctx *c)
{
  char idt[96];
  const char *dyn = NULL;
  int rc = 0;
  for (size_t d = 0; d < c->ndisks && dyn == NULL; d++)
    if (c->disks[d] != NULL
        && mountdb_disk_table (c->disks[d]) == MOUNTDB_TABLE_DYNAMIC)
      dyn = mountdb_disk_path (c->disks[d]);
  for (size_t v = 0; dyn && v < mountdb_volume_count (c->db) && rc == 0; v++)
    {
      size_t n;
      if (mountdb_correlation_status (c->corr, v) != MOUNTDB_DISK_UNRESOLVED
          || (n = dmio_volume (c, v, idt)) == 0)
        continue;
      rc = md_finding_add (c->out, c->db, "V14", MOUNTDB_SEV_INFO, c->idx, n,
                           "%s is in no GPT of the given disks, and %s is a "
                           "dynamic disk: it may be one of its LDM volumes, "
                           "so it is not called stale and scrub "
                           "--disks-complete keeps it", idt, dyn);
    }
  return rc;
}

int
mountdb_check_disks (mountdb *db, char system_letter,
                     const mountdb_disk *const *disks, size_t ndisks)
{
  if (db == NULL || (disks == NULL && ndisks))
    return MOUNTDB_E_INVAL;
  int rc = mountdb_check (db, system_letter);
  if (rc < 0)
    return rc;
  size_t ne = mountdb_entry_count (db);
  struct dctx c = { db, disks, ndisks, NULL,
                    system_letter ? system_letter : 'C', &db->findings,
                    malloc ((ne ? ne : 1) * sizeof *c.idx), ne };
  if (c.sys >= 'a' && c.sys <= 'z')
    c.sys = (char) (c.sys - 32);
  rc = c.idx ? mountdb_correlate (db, disks, ndisks, &c.corr, NULL)
    : MOUNTDB_E_NOMEM;
  if (rc == 0) rc = rule_v9 (&c);
  if (rc == 0) rc = rule_v10_fs (&c);
  if (rc == 0) rc = rule_v12 (&c);
  if (rc == 0) rc = rule_v13 (&c);
  if (rc == 0) rc = rule_v14 (&c);
  mountdb_correlation_free (c.corr);
  free (c.idx);
  if (rc < 0)
    md_findings_free (&db->findings);
  return rc;
}
