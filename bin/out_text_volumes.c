/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text format: show's table by volume (letters, volume GUID names,
 * the ID in words), the version-1 GUID times and the values the table
 * cannot show. */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "out_text.h"
#include "grow.h"


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

void
text_volumes (struct md_sbuf *b, const mountdb *db)
{
  size_t nvol = mountdb_volume_count (db);
  if (nvol == 0)
    return;
  struct text_table t;
  text_table_init (&t, 4);
  const char *head[4] = { "VOL", "LETTER", "VOLUME GUID", "UNIQUE ID" };
  text_table_row (&t, head);
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
      text_table_row (&t, row);
    }
    if (idx.err || sum.err || let.err || gu.err)
      t.err = 1;
    lines_free (&let);
    lines_free (&gu);
    md_sb_free (&idx);
    md_sb_free (&sum);
  }
  md_sb_putc (b, '\n');
  text_table_print (b, &t, "");
  text_table_free (&t);
}

/* Version-1 GUIDs carry their creation time and a node (often the MAC of
 * the machine that made them): examiners want both in the text view too.
 * One row per volume GUID name or marker that has either, spelled as
 * stored; the node's kind says when it is no MAC. */
void
text_guid_times (struct md_sbuf *b, const mountdb *db)
{
  struct text_table t;
  text_table_init (&t, 4);
  const char *head[4] = { "VOL", "GUID", "CREATED (v1)", "NODE (v1)" };
  text_table_row (&t, head);
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
        text_time_or (&when, gi->time_filetime, "out of range");
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
      text_table_row (&t, row);
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
    text_table_print (b, &t, "");
  }
  text_table_free (&t);
}

/* Values the table does not show: names Windows would not take as any
 * known form, values of other types, values that could not be read. */
void
text_others (struct md_sbuf *b, const mountdb *db)
{
  size_t n = mountdb_entry_count (db);
  struct text_table t;
  struct md_sbuf name, note;
  text_table_init (&t, 3);
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
      text_table_row (&t, head);
    }
    md_sb_reset (&name);
    md_sb_reset (&note);
    text_name_cell (&name, e, NAME_MAX_WIDTH);
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
    text_table_row (&t, row);
  }
  if (name.err || note.err)
    b->err = 1;
  if (t.nrows > 0) {
    md_sb_putc (b, '\n');
    text_table_print (b, &t, "");
  }
  text_table_free (&t);
  md_sb_free (&name);
  md_sb_free (&note);
}
