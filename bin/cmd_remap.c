/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb remap: move names to a volume's new unique ID (W1). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"

/* mountdb remap --help, before the write options. */
static const char help[] =
  "OLD: a volume spec (a letter or GUID names its current ID); NEW:\n"
  "mbr:SIG:OFFSET, gpt:GUID or hex:BYTES.  Every REG_BINARY value with the\n"
  "old ID gets the new one (MBR2GPT's algorithm); with --table, drive\n"
  "letters of a converted disk left unmapped are named in warnings.\n\n"
  "      --table FILE            lines 'OLD NEW' (e.g. mbr:... gpt:...)\n"
  "      --disk-signature OLD NEW  all partitions of a re-signed MBR disk\n";

/* The ID a remap side names: its own (mbr:, gpt:, hex:), or for the old
 * side the current ID of a letter, volume GUID or mbr:SIG in the hive. */
static int
remap_id (struct edit *e, const char *text, int old_side, uint8_t **id,
          size_t *len)
{
  mountdb_spec *spec;
  int rc = edit_spec (e, text, &spec);
  if (rc != 0)
    return rc;
  const uint8_t *p = mountdb_spec_id (spec, len);
  if (p == NULL && !old_side) {
    mountdb_spec_free (spec);
    return usage_error (e->op, "'%s': the new side must carry an ID (mbr:, "
                        "gpt: or hex:)", text);
  }
  mountdb_error err;
  if (p == NULL && (rc = mountdb_txn_resolve (e->txn, spec, &p, len, &err)) < 0) {
    mountdb_spec_free (spec);
    return edit_fail (e, &err, rc);
  }
  *id = malloc (*len ? *len : 1);
  if (*id != NULL && *len)
    memcpy (*id, p, *len);
  mountdb_spec_free (spec);
  return *id ? 0 : EXIT_HIVE;
}

static int
remap_pair (struct edit *e, const char *old_text, const char *new_text,
            uint8_t ***olds, size_t **olens, size_t *n)
{
  uint8_t *old_id = NULL, *new_id = NULL;
  size_t ol = 0, nl = 0;
  int rc = remap_id (e, old_text, 1, &old_id, &ol);
  if (rc == 0)
    rc = remap_id (e, new_text, 0, &new_id, &nl);
  if (rc == 0) {
    mountdb_error err;
    int changed = mountdb_txn_remap (e->txn, old_id, ol, new_id, nl, &err);
    if (changed < 0)
      rc = edit_fail (e, &err, changed);
    else if (changed == 0)
      edit_warn (e, "%s: no value holds this ID; nothing remapped", old_text);
  }
  free (new_id);
  if (rc == 0) {
    uint8_t **o = realloc (*olds, (*n + 1) * sizeof *o);
    size_t *l = realloc (*olens, (*n + 1) * sizeof *l);
    if (o)
      *olds = o;
    if (l)
      *olens = l;
    if (o == NULL || l == NULL) {
      free (old_id);
      return EXIT_HIVE;
    }
    o[*n] = old_id;
    l[(*n)++] = ol;
  } else
    free (old_id);
  return rc;
}

struct remap_acc {
  uint8_t ***olds;
  size_t **olens;
  size_t *n;
};

static int
table_entry (struct edit *e, char **w, void *ctx)
{
  struct remap_acc *a = ctx;
  return remap_pair (e, w[0], w[1], a->olds, a->olens, a->n);
}

/* Read "OLD NEW" lines from a table file. */
static int
remap_table (struct edit *e, uint8_t ***olds, size_t **olens, size_t *n)
{
  struct remap_acc a = { olds, olens, n };
  return edit_read_list (e, e->table, 2, "'OLD NEW'", table_entry, &a);
}

/* All MBR partitions of one disk: a changed disk signature. */
static int
remap_signature (struct edit *e, char **a, uint8_t ***olds, size_t **olens,
                 size_t *n)
{
  char *end;
  unsigned long o = strtoul (a[0], &end, 16), w;
  if (*a[0] == '\0' || *end || o == 0 || o > 0xFFFFFFFFul)
    return usage_error (e->op, "'%s' is not a disk signature", a[0]);
  w = strtoul (a[1], &end, 16);
  if (*a[1] == '\0' || *end || w == 0 || w > 0xFFFFFFFFul)
    return usage_error (e->op, "'%s' is not a disk signature (W8: not 0)", a[1]);
  int rc = 0, found = 0;
  for (size_t v = 0; v < mountdb_volume_count (e->db) && rc == 0; v++) {
    const mountdb_uid *u = mountdb_volume_uid (mountdb_volume_get (e->db, v));
    if (mountdb_uid_shape (u) != MOUNTDB_SHAPE_MBR
        || mountdb_uid_disk_signature (u) != o)
      continue;
    char old_text[64], new_text[64];
    snprintf (old_text, sizeof old_text, "mbr:%lx:%llu", o,
              (unsigned long long) mountdb_uid_partition_offset (u));
    snprintf (new_text, sizeof new_text, "mbr:%lx:%llu", w,
              (unsigned long long) mountdb_uid_partition_offset (u));
    rc = remap_pair (e, old_text, new_text, olds, olens, n);
    found++;
  }
  if (rc == 0 && !found) {
    cli_error ("remap", "no MBR volume with disk signature %08lx", o);
    return EXIT_FINDINGS;
  }
  return rc;
}

static int
op_remap (struct edit *e, char **a, int nargs)
{
  uint8_t **olds = NULL;
  size_t *olens = NULL, n = 0;
  int rc;
  if (e->table) {
    if (nargs != 0)
      return usage_error (e->op, "--table takes no OLD NEW arguments");
    rc = remap_table (e, &olds, &olens, &n);
  } else if (e->disk_signature) {
    if (nargs != 1)
      return usage_error (e->op, "--disk-signature OLD takes one NEW signature");
    char *pair[2] = { (char *) e->disk_signature, a[0] };
    rc = remap_signature (e, pair, &olds, &olens, &n);
  } else if (nargs != 2)
    return usage_error (e->op, "expected OLD NEW (or --table FILE, or "
                        "--disk-signature OLD NEW)");
  else
    rc = remap_pair (e, a[0], a[1], &olds, &olens, &n);
  /* W1: a table is a whole migration (MBR2GPT); say which drive letters of
   * a converted disk (an MBR ID with the signature of an old ID) it left
   * with their old ID.  Other disks are not converted: no warning. */
  for (size_t i = 0; rc == 0 && e->table && i < mountdb_entry_count (e->db); i++) {
    const mountdb_entry *en = mountdb_entry_get (e->db, i);
    const mountdb_uid *u = mountdb_entry_uid (en);
    if (mountdb_entry_class (en) != MOUNTDB_CLASS_DRIVE_LETTER || u == NULL
        || mountdb_uid_shape (u) != MOUNTDB_SHAPE_MBR)
      continue;
    size_t len;
    const uint8_t *d = mountdb_entry_data (en, &len);
    int mapped = 0, converted = 0;
    for (size_t k = 0; k < n && !mapped; k++) {
      mapped = olens[k] == len && memcmp (olds[k], d, len) == 0;
      /* 12-byte MBR IDs start with the disk signature. */
      converted |= olens[k] == 12 && len == 12 && memcmp (olds[k], d, 4) == 0;
    }
    if (!mapped && converted)
      edit_warn (e, "%c: (%s) has no mapping and keeps its old ID (W1)",
            mountdb_entry_letter (en), mountdb_uid_summary (u));
  }
  for (size_t k = 0; k < n; k++)
    free (olds[k]);
  free (olds);
  free (olens);
  return rc;
}

const struct edit_op edit_remap = {
  .nargs = -1, .opts = O_TABLE, .run = op_remap, .help = help
};
