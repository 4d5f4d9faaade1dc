/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text: one screen a person reads at a glance.  The hive facts, the key,
 * a table by volume (letters, volume GUID names, the ID in words), the
 * names the table cannot show, warnings, and the count of findings.
 * check prints the findings instead, one line each with the names
 * involved under it.  Every string from the hive goes through esc_text:
 * controls and bidi tricks cannot reach the terminal. */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "output.h"
#include "out_disk.h"
#include "escape.h"
#include "grow.h"

#define NO_VOLUME ((size_t) -1)
#define LABEL_WIDTH 10          /* "hive      " */
#define NAME_MAX_WIDTH 60       /* long names are cut in tables */
#define MOUNT_MAX_WIDTH 40
#define VOL_PREFIX_UNITS 10     /* "\??\Volume" before "{GUID}" */
#define DOS_PREFIX_UNITS 12     /* "\DosDevices\" before "X:\path" */
#define GAP "  "

/* ---- a table of escaped cells, widths computed from content ------------- */

struct table {
  size_t ncols, nrows, cap;
  char **cells;                 /* nrows * ncols, NULL = empty */
  int err;
};

static void
table_init (struct table *t, size_t ncols)
{
  memset (t, 0, sizeof *t);
  t->ncols = ncols;
}

static void
table_free (struct table *t)
{
  for (size_t i = 0; i < t->nrows * t->ncols; i++)
    free (t->cells[i]);
  free (t->cells);
}

/* Append a row; cells are copied (NULL for an empty cell). */
static void
table_row (struct table *t, const char *const *cells)
{
  if (t->err)
    return;
  if (t->nrows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    char **c = realloc (t->cells, cap * t->ncols * sizeof *c);
    if (c == NULL) {
      t->err = 1;
      return;
    }
    t->cells = c;
    t->cap = cap;
  }
  char **row = t->cells + t->nrows * t->ncols;
  for (size_t i = 0; i < t->ncols; i++) {
    row[i] = cells[i] ? strdup (cells[i]) : NULL;
    if (cells[i] && row[i] == NULL)
      t->err = 1;
  }
  t->nrows++;
}

/* Columns padded to their widest cell; the last one is never padded, so
 * lines carry no trailing blanks. */
static void
table_print (struct md_sbuf *b, const struct table *t, const char *indent)
{
  size_t w[8] = { 0 };
  if (t->err || t->ncols > 8) {
    b->err = 1;
    return;
  }
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = t->cells[r * t->ncols + c];
      size_t cw = s ? esc_width (s) : 0;
      if (cw > w[c])
        w[c] = cw;
    }
  for (size_t r = 0; r < t->nrows; r++) {
    /* The last non-empty cell ends the line. */
    size_t last = 0;
    for (size_t c = 0; c < t->ncols; c++)
      if (t->cells[r * t->ncols + c])
        last = c;
    md_sb_puts (b, indent);
    for (size_t c = 0; c <= last; c++) {
      const char *s = t->cells[r * t->ncols + c];
      md_sb_puts (b, s ? s : "");
      if (c == last)
        break;
      for (size_t k = s ? esc_width (s) : 0; k < w[c]; k++)
        md_sb_putc (b, ' ');
      md_sb_puts (b, GAP);
    }
    md_sb_putc (b, '\n');
  }
}

/* ---- small formatting helpers ------------------------------------------------- */

static void
label (struct md_sbuf *b, const char *name)
{
  md_sb_printf (b, "%-*s", LABEL_WIDTH, name);
}

/* Spaces that start or end a name would be invisible in a table: show
 * them as \x20, as other characters that do not show are. */
static void
spaces_at_edges (struct md_sbuf *b)
{
  if (b->err || b->len == 0 || (b->p[0] != ' ' && b->p[b->len - 1] != ' '))
    return;
  size_t lead = 0, trail = 0;
  while (lead < b->len && b->p[lead] == ' ')
    lead++;
  while (trail < b->len - lead && b->p[b->len - 1 - trail] == ' ')
    trail++;
  struct md_sbuf t;
  md_sb_init (&t);
  for (size_t i = 0; i < lead; i++)
    md_sb_puts (&t, "\\x20");
  md_sb_putn (&t, b->p + lead, b->len - lead - trail);
  for (size_t i = 0; i < trail; i++)
    md_sb_puts (&t, "\\x20");
  md_sb_reset (b);
  md_sb_putn (b, md_sb_str (&t), t.len);
  if (t.err)
    b->err = 1;
  md_sb_free (&t);
}

/* A stored name, escaped and cut to maxw columns. */
static void
name_cell (struct md_sbuf *b, const mountdb_entry *e, size_t maxw)
{
  size_t n16;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
  struct esc_src src;
  if (n16 == 0) { /* the unnamed value, as regedit shows it */
    md_sb_puts (b, "(Default)");
    return;
  }
  esc_src_utf16 (&src, u, n16);
  esc_text (b, &src);
  spaces_at_edges (b);
  esc_truncate (b, maxw);
}

static void
time_or (struct md_sbuf *b, uint64_t ft, const char *none)
{
  char t[40];
  md_sb_puts (b, mountdb_filetime_format (ft, t) == 0 ? t : none);
}

/* ---- sections ---------------------------------------------------------------- */

/* What V1 says of a missing key: NT 4.0, a partial hive, or Windows 2000
 * and later (the finding's own words follow the colon). */
static const char *
v1_words (const mountdb *db)
{
  for (size_t i = 0; i < mountdb_finding_count (db); i++) {
    const mountdb_finding *f = mountdb_finding_get (db, i);
    const char *m = mountdb_finding_message (f);
    const char *colon = strstr (m, ": ");
    if (strcmp (mountdb_finding_rule (f), "V1") == 0 && colon)
      return colon + 2;
  }
  return "see mountdb check";
}

static void
text_header (struct md_sbuf *b, const struct hive_result *r)
{
  const mountdb *db = r->db;
  const mountdb_header *h = mountdb_file_header (db);
  int unsafe = (mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE) != 0;

  label (b, "hive");
  esc_text_utf8 (b, r->path);
  md_sb_putc (b, '\n');

  label (b, "size");
  md_sb_printf (b, "%" PRIu64 " bytes, regf %" PRIu32 ".%" PRIu32 ", %s",
             mountdb_file_size (db), h->major, h->minor,
             h->dirty ? "DIRTY" : "clean");
  if (unsafe)
    md_sb_puts (b, ", UNSAFE");
  if (h->checksum_ok)
    md_sb_puts (b, ", checksum ok\n");
  else
    md_sb_printf (b, ", checksum BAD (stored %08" PRIx32 ", expected %08" PRIx32
               ")\n", h->checksum_stored, h->checksum_computed);
  if (h->dirty && mountdb_logs_applied (db)) {
    uint32_t first, last;
    uint64_t pages;
    mountdb_logs_range (db, &first, &last, &pages);
    md_sb_printf (b, "%-*stransaction logs applied in memory: sequence %" PRIu32
               "-%" PRIu32 ", %" PRIu64 " pages\n", LABEL_WIDTH, "", first,
               last, pages);
  } else if (h->dirty)
    md_sb_printf (b, "%-*stransaction logs were not applied: results may be "
               "stale\n", LABEL_WIDTH, "");
  for (size_t i = 0; i < mountdb_log_count (db); i++) {
    const mountdb_log_info *l = mountdb_log_get (db, i);
    label (b, i == 0 ? "logs" : "");
    esc_text_utf8 (b, l->path);
    md_sb_printf (b, " (%s)\n", l->used ? "used" : l->valid ? "not used"
               : "invalid");
  }
  if (unsafe)
    md_sb_printf (b, "%-*sopened with --unsafe: hivex skipped consistency "
               "checks, results may be incomplete\n", LABEL_WIDTH, "");

  const char *sha = mountdb_sha256 (db);
  label (b, "sha256");
  md_sb_puts (b, sha ? sha : "not computed (--no-hash)");
  md_sb_putc (b, '\n');

  label (b, "written");
  time_or (b, h->last_written, "unknown");
  md_sb_printf (b, "   (seq %" PRIu32 "/%" PRIu32, h->seq1, h->seq2);
  if (h->embedded_name[0]) {
    md_sb_puts (b, ", name ");
    esc_text_utf8 (b, h->embedded_name);
  }
  if (h->file_type != 0)
    md_sb_printf (b, ", file type %" PRIu32 ", not a primary hive", h->file_type);
  md_sb_puts (b, ")\n");

  label (b, "key");
  switch (mountdb_key_state (db)) {
  case MOUNTDB_KEY_PRESENT: {
    size_t nv = mountdb_entry_count (db), nvol = mountdb_volume_count (db);
    md_sb_printf (b, "MountedDevices, %zu value%s, %zu volume%s, last written ",
               nv, nv == 1 ? "" : "s", nvol, nvol == 1 ? "" : "s");
    time_or (b, mountdb_key_last_written (db), "unknown");
    md_sb_putc (b, '\n');
    break;
  }
  case MOUNTDB_KEY_ABSENT:
    if (mountdb_hive_kind (db) != MOUNTDB_HIVE_SYSTEM)
      md_sb_printf (b, "none: not a SYSTEM hive (%s hive, R4)\n",
                 mountdb_hive_kind_name (mountdb_hive_kind (db)));
    else
      md_sb_printf (b, "MountedDevices absent (V1: %s)\n", v1_words (db));
    break;
  case MOUNTDB_KEY_NO_ROOT:
    md_sb_puts (b, "not found: the hive has no readable root key\n");
    break;
  default:
    md_sb_puts (b, "MountedDevices present, but its values cannot be read\n");
    break;
  }
}

/* Lines of one column of a volume's row; the caller frees them. */
struct lines {
  char **v;
  size_t n, cap;
  int err;
};

static void
lines_add (struct lines *l, struct md_sbuf *s)
{
  int grown = md_grow (&l->v, &l->cap, l->n, sizeof *l->v);
  char *line = s->err ? NULL : strdup (md_sb_str (s));
  if (grown < 0 || line == NULL) {
    free (line);
    l->err = 1;
  } else {
    l->v[l->n++] = line;
  }
  md_sb_reset (s);
}

static void
lines_free (struct lines *l)
{
  for (size_t i = 0; i < l->n; i++)
    free (l->v[i]);
  free (l->v);
  memset (l, 0, sizeof *l);
}

static int
has_mount_point (const mountdb_volume *v)
{
  size_t n = mountdb_volume_entry_count (v);
  for (size_t i = 0; i < n; i++)
    if (mountdb_entry_class (mountdb_volume_entry_get (v, i))
        == MOUNTDB_CLASS_MOUNT_POINT)
      return 1;
  return 0;
}

/* Column LETTER: the first drive letter in value order is the one Windows
 * keeps (V5); later ones are dropped at the next arrival.  Then mount
 * points, one per line. */
static void
letter_lines (const mountdb_volume *v, struct lines *out)
{
  struct md_sbuf s;
  size_t n = mountdb_volume_entry_count (v), nletters = 0, nmarkers = 0;
  md_sb_init (&s);
  for (size_t i = 0; i < n; i++) {
    const mountdb_entry *e = mountdb_volume_entry_get (v, i);
    int cls = mountdb_entry_class (e);
    if (cls == MOUNTDB_CLASS_NO_LETTER)
      nmarkers++;
    if (cls != MOUNTDB_CLASS_DRIVE_LETTER)
      continue;
    if (nletters == 0)
      md_sb_printf (&s, "%c:", mountdb_entry_letter (e));
    else
      md_sb_printf (&s, "%s%c:", nletters == 1 ? " (+" : ", ",
                 mountdb_entry_letter (e));
    nletters++;
  }
  if (nletters > 1)
    md_sb_puts (&s, " dropped)");
  if (nletters == 0 && nmarkers > 0)
    md_sb_puts (&s, "no letter");
  else if (nletters == 0 && !has_mount_point (v))
    md_sb_puts (&s, "-");
  if (s.len > 0)
    lines_add (out, &s); /* else the mount points take the first line */
  for (size_t i = 0; i < n; i++) {
    const mountdb_entry *e = mountdb_volume_entry_get (v, i);
    if (mountdb_entry_class (e) != MOUNTDB_CLASS_MOUNT_POINT)
      continue;
    /* "X:" and the path from the stored units, as exact as the name. */
    size_t n16;
    const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
    struct esc_src src;
    if (n16 < DOS_PREFIX_UNITS)
      continue;
    esc_src_utf16 (&src, u + DOS_PREFIX_UNITS, n16 - DOS_PREFIX_UNITS);
    esc_text (&s, &src);
    esc_truncate (&s, MOUNT_MAX_WIDTH);
    lines_add (out, &s);
  }
  md_sb_free (&s);
}

/* Column VOLUME GUID: {guid} per volume GUID name, #{guid} per no-letter
 * marker, spelled as stored: two names that differ only in the case of
 * their hex digits are two values, and must not look like one. */
static void
guid_lines (const mountdb *db, const mountdb_volume *v, struct lines *out)
{
  struct md_sbuf s;
  size_t n = mountdb_volume_entry_count (v);
  md_sb_init (&s);
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
      const mountdb_entry *e = mountdb_volume_entry_get (v, i);
      int cls = mountdb_entry_class (e);
      size_t n16, skip = pass ? 0 : VOL_PREFIX_UNITS;
      const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
      struct esc_src src;
      if (cls != (pass ? MOUNTDB_CLASS_NO_LETTER : MOUNTDB_CLASS_VOLUME_GUID)
          || n16 < skip)
        continue;
      esc_src_utf16 (&src, u + skip, n16 - skip);
      esc_text (&s, &src);
      lines_add (out, &s);
    }
  char dg[37];
  if (out->n == 0 && out_derived_guid (db, v, dg)) {
    md_sb_printf (&s, "{%s} derived", dg); /* V8: Windows 10, not stored */
    lines_add (out, &s);
  } else if (out->n == 0) {
    md_sb_puts (&s, "-");
    lines_add (out, &s);
  }
  md_sb_free (&s);
}

static void
text_volumes (struct md_sbuf *b, const mountdb *db)
{
  size_t nvol = mountdb_volume_count (db);
  if (nvol == 0)
    return;
  struct table t;
  table_init (&t, 4);
  const char *head[4] = { "VOL", "LETTER", "VOLUME GUID", "UNIQUE ID" };
  table_row (&t, head);
  for (size_t i = 0; i < nvol; i++) {
    const mountdb_volume *v = mountdb_volume_get (db, i);
    struct lines let = { NULL, 0, 0, 0 }, gu = { NULL, 0, 0, 0 };
    struct md_sbuf idx, sum;
    md_sb_init (&idx);
    md_sb_init (&sum);
    md_sb_printf (&idx, "%zu", i);
    const mountdb_uid *uid = mountdb_volume_uid (v);
    esc_text_utf8 (&sum, uid ? mountdb_uid_summary (uid) : "");
    letter_lines (v, &let);
    guid_lines (db, v, &gu);
    size_t nl = let.n > gu.n ? let.n : gu.n;
    for (size_t l = 0; l < nl; l++) {
      const char *row[4] = {
        l == 0 ? md_sb_str (&idx) : NULL,
        l < let.n ? let.v[l] : NULL,
        l < gu.n ? gu.v[l] : NULL,
        l == 0 ? md_sb_str (&sum) : NULL,
      };
      table_row (&t, row);
    }
    if (idx.err || sum.err || let.err || gu.err)
      t.err = 1;
    lines_free (&let);
    lines_free (&gu);
    md_sb_free (&idx);
    md_sb_free (&sum);
  }
  md_sb_putc (b, '\n');
  table_print (b, &t, "");
  table_free (&t);
}

/* Version-1 GUIDs carry their creation time and a node (often the MAC of
 * the machine that made them): examiners want both in the text view too.
 * One row per volume GUID name or marker that has either, spelled as
 * stored; the node's kind says when it is no MAC. */
static void
text_guid_times (struct md_sbuf *b, const mountdb *db)
{
  struct table t;
  table_init (&t, 4);
  const char *head[4] = { "VOL", "GUID", "CREATED (v1)", "NODE (v1)" };
  table_row (&t, head);
  size_t rows = 0;
  for (size_t i = 0; i < mountdb_volume_count (db); i++) {
    const mountdb_volume *v = mountdb_volume_get (db, i);
    for (size_t k = 0; k < mountdb_volume_entry_count (v); k++) {
      const mountdb_entry *e = mountdb_volume_entry_get (v, k);
      int cls = mountdb_entry_class (e);
      const mountdb_guid_info *gi = mountdb_entry_guid_info (e);
      size_t n16, skip = cls == MOUNTDB_CLASS_VOLUME_GUID ? VOL_PREFIX_UNITS : 0;
      const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
      if ((cls != MOUNTDB_CLASS_VOLUME_GUID && cls != MOUNTDB_CLASS_NO_LETTER)
          || gi == NULL || (!gi->has_time && !gi->has_node) || n16 < skip)
        continue;
      struct md_sbuf idx, name, when, node;
      struct esc_src src;
      md_sb_init (&idx);
      md_sb_init (&name);
      md_sb_init (&when);
      md_sb_init (&node);
      md_sb_printf (&idx, "%zu", i);
      esc_src_utf16 (&src, u + skip, n16 - skip);
      esc_text (&name, &src);
      if (gi->has_time)
        time_or (&when, gi->time_filetime, "out of range");
      if (gi->has_node) {
        const char *kind = gi->node_kind == MOUNTDB_NODE_NONE ? NULL
                         : mountdb_node_kind_name (gi->node_kind);
        md_sb_printf (&node, "%02x:%02x:%02x:%02x:%02x:%02x", gi->node[0],
                   gi->node[1], gi->node[2], gi->node[3], gi->node[4],
                   gi->node[5]);
        if (kind && gi->node_kind != MOUNTDB_NODE_MAC)
          md_sb_printf (&node, " (%s, not a MAC)", kind);
        else if (kind)
          md_sb_puts (&node, " (MAC)");
      }
      const char *row[4] = { md_sb_str (&idx), md_sb_str (&name), md_sb_str (&when),
                             md_sb_str (&node) };
      table_row (&t, row);
      if (idx.err || name.err || when.err || node.err)
        t.err = 1;
      md_sb_free (&idx);
      md_sb_free (&name);
      md_sb_free (&when);
      md_sb_free (&node);
      rows++;
    }
  }
  if (rows > 0) {
    md_sb_putc (b, '\n');
    table_print (b, &t, "");
  }
  table_free (&t);
}

/* Values the table does not show: names Windows would not take as any
 * known form, values of other types, values that could not be read. */
static void
text_others (struct md_sbuf *b, const mountdb *db)
{
  size_t n = mountdb_entry_count (db);
  struct table t;
  struct md_sbuf name, note;
  table_init (&t, 3);
  md_sb_init (&name);
  md_sb_init (&note);
  for (size_t i = 0; i < n; i++) {
    const mountdb_entry *e = mountdb_entry_get (db, i);
    int cls = mountdb_entry_class (e);
    size_t vol = mountdb_entry_volume (e);
    unsigned flags = mountdb_entry_name_flags (e);
    int err = mountdb_entry_error (e);
    uint32_t type = mountdb_entry_type (e);
    if (cls != MOUNTDB_CLASS_OTHER && vol != NO_VOLUME && err == 0)
      continue;
    if (t.nrows == 0) {
      const char *head[3] = { "VALUE", "NAME", "NOTE" };
      table_row (&t, head);
    }
    md_sb_reset (&name);
    md_sb_reset (&note);
    name_cell (&name, e, NAME_MAX_WIDTH);
    if (err != 0) {
      md_sb_printf (&note, "unreadable: %s", mountdb_strerror (err));
    } else if (type != MOUNTDB_REG_BINARY) {
      char tb[24];
      md_sb_printf (&note, "%s, ignored by Windows (V2)", esc_type_name (type, tb));
    }
    int vo = mountdb_entry_variant_of (e);
    if ((flags & MOUNTDB_NAME_CASE_VARIANT)
        && (vo == MOUNTDB_CLASS_DRIVE_LETTER || vo == MOUNTDB_CLASS_MOUNT_POINT))
      md_sb_printf (&note, "%slower-case letter: no drive letter to Windows, "
                 "still a link (V3)", note.len ? "; " : "");
    else if (flags & MOUNTDB_NAME_CASE_VARIANT)
      md_sb_printf (&note, "%s%s but for case: not one to Windows (V3)",
                 note.len ? "; " : "", mountdb_class_description (vo));
    else if (flags & MOUNTDB_NAME_PREFIX_CASE)
      md_sb_printf (&note, "%sprefix case differs: still a drive letter (V3)",
                 note.len ? "; " : "");
    else if (cls == MOUNTDB_CLASS_OTHER)
      md_sb_printf (&note, "%sother name (V3)", note.len ? "; " : "");
    /* latin1 is how Windows stores ASCII names: not worth a mention. */
    for (unsigned bit = MOUNTDB_NAME_BAD_UTF16; bit != 0; bit <<= 1)
      if ((flags & bit) && bit != MOUNTDB_NAME_LATIN1
          && bit != MOUNTDB_NAME_PREFIX_CASE && mountdb_name_flag_name (bit))
        md_sb_printf (&note, ", %s", mountdb_name_flag_name (bit));
    if (vol != NO_VOLUME)
      md_sb_printf (&note, ", volume %zu", vol);
    char idx[24];
    snprintf (idx, sizeof idx, "%zu", i);
    const char *row[3] = { idx, md_sb_str (&name), md_sb_str (&note) };
    table_row (&t, row);
  }
  if (name.err || note.err)
    b->err = 1;
  if (t.nrows > 0) {
    md_sb_putc (b, '\n');
    table_print (b, &t, "");
  }
  table_free (&t);
  md_sb_free (&name);
  md_sb_free (&note);
}

static void
text_diagnostics (struct md_sbuf *b, const mountdb *db)
{
  size_t n = mountdb_diag_count (db);
  if (n > 0)
    md_sb_putc (b, '\n');
  for (size_t i = 0; i < n; i++) {
    const char *msg = NULL;
    if (mountdb_diag_get (db, i, NULL, &msg) < 0)
      continue;
    int code = 0;
    mountdb_diag_get (db, i, &code, NULL);
    md_sb_puts (b, code == MOUNTDB_DIAG_LOGS_APPLIED ? "note: " : "warning: ");
    esc_text_utf8 (b, msg);
    md_sb_putc (b, '\n');
  }
}

/* ---- findings ------------------------------------------------------------------ */

#define SEV_WIDTH 9             /* "warning  " */
#define RULE_WIDTH 5            /* "V10  " */
/* Wider than in show's tables, where names share the line: a cut name
 * still reads as itself, JSON and XML have it exactly. */
#define CHECK_NAME_MAX_WIDTH 100

/* "1 error, 2 warnings, 0 info", or "no findings"; counts only the
 * findings --ignore leaves, and returns how many. */
static size_t
finding_counts (struct md_sbuf *b, const struct hive_result *r)
{
  size_t count[3] = { 0, 0, 0 };
  size_t n = mountdb_finding_count (r->db), total = 0;
  for (size_t i = 0; i < n; i++) {
    const mountdb_finding *f = mountdb_finding_get (r->db, i);
    int sev = f ? mountdb_finding_severity (f) : -1;
    if (f == NULL || !out_finding_shown (r, f)
        || sev < MOUNTDB_SEV_INFO || sev > MOUNTDB_SEV_ERROR)
      continue;
    count[sev]++;
    total++;
  }
  if (total == 0) {
    md_sb_puts (b, "no findings");
    return 0;
  }
  md_sb_printf (b, "%zu error%s, %zu warning%s, %zu info",
             count[MOUNTDB_SEV_ERROR], count[MOUNTDB_SEV_ERROR] == 1 ? "" : "s",
             count[MOUNTDB_SEV_WARNING],
             count[MOUNTDB_SEV_WARNING] == 1 ? "" : "s",
             count[MOUNTDB_SEV_INFO]);
  return total;
}

/* show: one line under the rest, pointing to check. */
static void
text_check_summary (struct md_sbuf *b, const struct hive_result *r)
{
  md_sb_putc (b, '\n');
  label (b, "check");
  if (finding_counts (b, r) > 0)
    md_sb_puts (b, " (mountdb check HIVE for details)");
  md_sb_putc (b, '\n');
}

/* check: the hive, its state when the read is in doubt, then one line per
 * finding (severity, rule, message) with the names involved under the
 * message, and the counts. */
static void
text_check (struct md_sbuf *b, const struct hive_result *r)
{
  const mountdb *db = r->db;
  const mountdb_header *h = mountdb_file_header (db);
  int unsafe = (mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE) != 0;
  struct md_sbuf name;
  md_sb_init (&name);

  label (b, "hive");
  esc_text_utf8 (b, r->path);
  md_sb_putc (b, '\n');
  if (h->dirty || unsafe) {
    label (b, "state");
    md_sb_printf (b, "%s%s%s%s\n", h->dirty ? "DIRTY" : "",
               h->dirty && mountdb_logs_applied (db) ? " (logs applied)" : "",
               h->dirty && unsafe ? ", " : "", unsafe ? "UNSAFE" : "");
  }

  size_t n = mountdb_finding_count (db);
  for (size_t i = 0; i < n; i++) {
    const mountdb_finding *f = mountdb_finding_get (db, i);
    if (f == NULL || !out_finding_shown (r, f))
      continue;
    md_sb_printf (b, "%-*s%-*s", SEV_WIDTH,
               mountdb_severity_name (mountdb_finding_severity (f)),
               RULE_WIDTH, mountdb_finding_rule (f));
    esc_text_utf8 (b, mountdb_finding_message (f));
    md_sb_putc (b, '\n');
    size_t ne = mountdb_finding_entry_count (f);
    for (size_t k = 0; k < ne; k++) {
      const mountdb_entry *e = mountdb_finding_entry_get (f, k);
      if (e == NULL)
        continue;
      md_sb_reset (&name);
      name_cell (&name, e, CHECK_NAME_MAX_WIDTH);
      md_sb_printf (b, "%-*s", SEV_WIDTH + RULE_WIDTH, "");
      md_sb_puts (b, md_sb_str (&name));
      md_sb_putc (b, '\n');
      if (name.err)
        b->err = 1;
    }
  }
  finding_counts (b, r);
  md_sb_putc (b, '\n');
  md_sb_free (&name);
}

/* ---- writer ------------------------------------------------------------------- */

/* Hives shown so far in this batch: a hive that could not be read shows
 * nothing here (the command reports it on stderr), so the blank line
 * between hives cannot go by index alone. */
static size_t text_shown;

static int
text_begin (FILE *f, size_t nhives)
{
  (void) f;
  (void) nhives;
  text_shown = 0;
  return 0;
}

static int
text_hive (FILE *f, const struct hive_result *r, size_t index)
{
  (void) index;
  if (r->db == NULL)
    return 0;
  struct md_sbuf b;
  md_sb_init (&b);
  if (text_shown > 0)
    md_sb_putc (&b, '\n'); /* hives are separated by a blank line */
  if (r->mode == MODE_CHECK) {
    text_check (&b, r);
  } else {
    text_header (&b, r);
    text_volumes (&b, r->db);
    out_text_disks (&b, r);
    text_guid_times (&b, r->db);
    text_others (&b, r->db);
    text_diagnostics (&b, r->db);
    text_check_summary (&b, r);
  }
  int rc = md_sb_write (&b, f);
  md_sb_free (&b);
  if (rc == 0)
    text_shown++;
  return rc;
}

static int
text_end (FILE *f, size_t nhives)
{
  (void) f;
  (void) nhives;
  return 0;
}

const struct out_writer out_text_writer = {
  FMT_TEXT, text_begin, text_hive, text_end,
};
