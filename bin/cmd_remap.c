/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb remap: move names to a volume's new unique ID (W1). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountdb.h"
#include "cli.h"
#include "edit.h"
#include "escape.h"
#include "common/sbuf.h"

/* mountdb remap --help, before the write options. */
static const char help[] =
  "OLD: a volume spec (a letter or GUID names its current ID); NEW:\n"
  "mbr:SIG:OFFSET, gpt:GUID, hex:BYTES or disk:PATH:N (the ID partition N\n"
  "of that disk gets).  Every REG_BINARY value with the\n"
  "old ID gets the new one (MBR2GPT's algorithm); with --table, drive\n"
  "letters of a converted disk left unmapped are named in warnings.\n\n"
  "      --table FILE            lines 'OLD NEW' (e.g. mbr:... gpt:...)\n"
  "      --disk-signature OLD NEW  all partitions of a re-signed MBR disk\n"
  "      --to-disk NEW           derive the table from disk or image NEW (no\n"
  "                              OLD NEW operands): the hive's MBR volumes map\n"
  "                              to NEW's partitions at the same start offset\n"
  "                              (a clone, a new signature, MBR->GPT in place);\n"
  "                              with --disk-signature OLD, disk OLD's only\n"
  "      --from-disk OLD         with --to-disk: the layout before (moved or\n"
  "                              resized partitions): match by partition\n"
  "                              number and filesystem serial\n"
  "The derived table is printed with why each row matched; a volume with\n"
  "no or several candidates refuses the whole table (exit 4, nothing\n"
  "written), --dry-run included.\n";

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
  if (p == NULL && !old_side
      && mountdb_spec_kind (spec) != MOUNTDB_SPEC_DISK) { /* read when resolved */
    mountdb_spec_free (spec);
    return usage_error (e->op, "'%s': the new side must carry an ID (mbr:, "
                        "gpt:, hex: or disk:)", text);
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

/* An ID as a spec for the table: mbr:SIG:OFFSET, gpt:GUID, hex:... */
static void
id_text (const uint8_t *id, size_t len, char out[96])
{
  if (len == 12) {
    uint32_t s = (uint32_t) id[0] | (uint32_t) id[1] << 8
                 | (uint32_t) id[2] << 16 | (uint32_t) id[3] << 24;
    uint64_t o = 0;
    for (int i = 7; i >= 0; i--)
      o = o << 8 | id[4 + i];
    snprintf (out, 96, "mbr:%08x:%llu", (unsigned) s, (unsigned long long) o);
  } else if (len == 24 && memcmp (id, "DMIO:ID:", 8) == 0) {
    char g[37];
    mountdb_guid_format (id + 8, g);
    snprintf (out, 96, "gpt:%s", g);
  } else {
    size_t o = (size_t) snprintf (out, 96, "hex:");
    for (size_t i = 0; i < len && o + 6 < 96; i++)
      o += (size_t) snprintf (out + o, 96 - o, "%02x", id[i]);
  }
}

/* The drive letter a hive value with this ID has, or 0. */
static char
letter_of (const mountdb *db, const uint8_t *id, size_t len)
{
  for (size_t i = 0; i < mountdb_entry_count (db); i++) {
    const mountdb_entry *en = mountdb_entry_get (db, i);
    size_t l;
    const uint8_t *d = mountdb_entry_data (en, &l);
    if (mountdb_entry_class (en) == MOUNTDB_CLASS_DRIVE_LETTER && l == len
        && d != NULL && memcmp (d, id, len) == 0)
      return mountdb_entry_letter (en);
  }
  return 0;
}

/* Paths and reasons (which hold paths) are escaped as all text output. */
static void
put_escaped (FILE *f, const char *s)
{
  struct md_sbuf b;
  md_sb_init (&b);
  esc_text_utf8 (&b, s);
  fputs (md_sb_str (&b), f);
  md_sb_free (&b);
}

static void
print_table (struct edit *e, const mountdb_remap_table *t, const char *to)
{
  /* Standard output holds the hive with -o -, and one document with
   * --format=json: the table then goes to standard error. */
  FILE *f = e->json || (e->out && strcmp (e->out, "-") == 0) ? stderr : stdout;
  fputs ("remap table derived from ", f);
  put_escaped (f, to);
  fputs (":\n", f);
  if (mountdb_remap_row_count (t) == 0)
    fprintf (f, "  (nothing to remap: the hive names its volumes already)\n");
  for (size_t i = 0; i < mountdb_remap_row_count (t); i++) {
    const mountdb_remap_row *r = mountdb_remap_row_get (t, i);
    char o[96], n[96] = "?";
    id_text (r->old_id, r->old_len, o);
    if (r->new_id)
      id_text (r->new_id, r->new_len, n);
    char l = letter_of (e->db, r->old_id, r->old_len);
    char lt[8] = "";
    if (l)
      snprintf (lt, sizeof lt, " (%c:)", l);
    fprintf (f, "  %s%s -> %s: ", o, lt, n);
    put_escaped (f, r->why);
    fputc ('\n', f);
  }
}

/* --to-disk NEW [--from-disk OLD] [--disk-signature OLD]: the table from
 * the disks (mountdb_remap_derive), printed, then applied as W1. */
static int
remap_disks (struct edit *e, uint8_t ***olds, size_t **olens, size_t *n)
{
  uint32_t sig = 0;
  if (e->disk_signature) {
    char *end;
    unsigned long o = strtoul (e->disk_signature, &end, 16);
    if (*e->disk_signature == '\0' || *end || o == 0 || o > 0xFFFFFFFFul)
      return usage_error (e->op, "'%s' is not a disk signature",
                          e->disk_signature);
    if (e->from_disk)
      return usage_error (e->op, "--disk-signature and --from-disk both name "
                          "the old disk: give one");
    sig = (uint32_t) o;
  }
  mountdb_disk *to = NULL, *from = NULL;
  mountdb_remap_table *t = NULL;
  mountdb_error err;
  int rc = mountdb_disk_open (e->to_disk, 0, &to, &err);
  if (rc == 0 && e->from_disk)
    rc = mountdb_disk_open (e->from_disk, 0, &from, &err);
  if (rc < 0) {
    cli_error (e->op, "%s", err.message);
    rc = EXIT_HIVE;            /* unreadable disk: 8, as a hive */
    goto out;
  }
  rc = mountdb_remap_derive (e->db, to, from, sig, &t, &err);
  if (t)
    print_table (e, t, e->to_disk);
  if (rc < 0) {
    rc = edit_fail (e, &err, rc);
    goto out;
  }
  for (size_t i = 0; i < mountdb_remap_row_count (t) && rc == 0; i++) {
    const mountdb_remap_row *r = mountdb_remap_row_get (t, i);
    if (r->unchanged)
      continue;
    int changed = mountdb_txn_remap (e->txn, r->old_id, r->old_len, r->new_id,
                                     r->new_len, &err);
    if (changed < 0) {
      rc = edit_fail (e, &err, changed);
      break;
    }
    uint8_t **o = realloc (*olds, (*n + 1) * sizeof *o);
    if (o)
      *olds = o;
    size_t *l = realloc (*olens, (*n + 1) * sizeof *l);
    if (l)
      *olens = l;
    if (o == NULL || l == NULL || (o[*n] = malloc (r->old_len)) == NULL) {
      rc = EXIT_HIVE;
      break;
    }
    memcpy (o[*n], r->old_id, r->old_len);
    l[(*n)++] = r->old_len;
  }
out:
  mountdb_remap_table_free (t);
  mountdb_disk_close (from);
  mountdb_disk_close (to);
  return rc;
}

static int
op_remap (struct edit *e, char **a, int nargs)
{
  uint8_t **olds = NULL;
  size_t *olens = NULL, n = 0;
  int rc;
  if (e->from_disk && !e->to_disk)
    return usage_error (e->op, "--from-disk goes with --to-disk NEW");
  if (e->to_disk) {
    if (nargs != 0 || e->table)
      return usage_error (e->op, "--to-disk takes no OLD NEW arguments and "
                          "no --table");
    rc = remap_disks (e, &olds, &olens, &n);
  } else if (e->table) {
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
  for (size_t i = 0; rc == 0 && (e->table || e->to_disk)
                     && i < mountdb_entry_count (e->db); i++) {
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
  .nargs = -1, .opts = O_TABLE | O_TO_DISK, .run = op_remap, .help = help
};
