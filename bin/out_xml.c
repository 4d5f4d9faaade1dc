/* SPDX-License-Identifier: GPL-2.0-or-later */
/* XML: one document per batch, valid against mountdb.rng.  Written with
 * the small writer below (it escapes markup).  Characters XML 1.0 cannot
 * carry become U+FFFD, and a name that could not be kept exactly also gets
 * name-hex, its stored UTF-16LE bytes; controls and hidden characters XML
 * can carry are written as character references (exact, and inert on a
 * terminal).  show and check write the same document; findings come
 * after the diagnostics, less those --ignore names. */
#include <config.h>
#include <inttypes.h>
#include <string.h>
#include "output.h"
#include "escape.h"
#include "common/utf8.h"

#define NO_VOLUME ((size_t) -1)
#define DOS_LETTER_UNITS 14     /* "\DosDevices\X:" */

/* The document spans begin(), hive() and end(), but each call gets its
 * own stream: the writer fills a memory buffer that every call moves to
 * its stream.  After an error the writer stays failed until end().
 *
 * The writer is our own, not libxml2's xmlTextWriter: it is all this
 * output needs (elements, attributes, text, two-space indentation, the
 * same bytes xmlTextWriter wrote), and linking libxml2 cost every run of
 * mountdb ~10 ms of dynamic loading (libxml2 pulls in ICU and libstdc++;
 * issue 14).  Escaping is the part that matters: &, <, >, " always, and
 * the controls XML could carry raw as character references (they reach
 * here only from trusted text: untrusted text is made safe first by
 * xw_text_src). */
#define XW_MAX_DEPTH 16

static struct md_sbuf xbuf;
static int xw_open;             /* between begin() and end() */
static int xw_failed;
static size_t xw_depth;
static const char *xw_names[XW_MAX_DEPTH];
static int xw_in_tag;           /* the innermost start tag is not closed */
static int xw_doindent;         /* indent the next end tag (no text before) */

static void
xw_indent (size_t n)
{
  for (size_t i = 0; i < n; i++)
    md_sb_puts (&xbuf, "  ");
}

/* Close a start tag before content: ">", and a line break before a child
 * element (none before text). */
static void
xw_close_tag (int child)
{
  if (!xw_in_tag)
    return;
  md_sb_puts (&xbuf, child ? ">\n" : ">");
  xw_in_tag = 0;
}

static void
xw_put (const char *s, size_t n)
{
  if (n == 0 || md_sb_grow (&xbuf, n) < 0)
    return;
  memcpy (xbuf.p + xbuf.len, s, n);
  xbuf.len += n;
  xbuf.p[xbuf.len] = '\0';
}

/* Markup characters as entities (as xmlTextWriter did); in attributes
 * also the white space an attribute value would normalise. */
static void
xw_escaped (const char *s, int attr)
{
  const char *run = s;
  for (; *s; s++) {
    const char *rep = NULL;
    switch (*s) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\r': rep = "&#13;"; break;
    case '\n': rep = attr ? "&#10;" : NULL; break;
    case '\t': rep = attr ? "&#9;" : NULL; break;
    default: break;
    }
    if (rep == NULL)
      continue;
    xw_put (run, (size_t) (s - run));
    md_sb_puts (&xbuf, rep);
    run = s + 1;
  }
  xw_put (run, (size_t) (s - run));
}

static void
xw_start (const char *name)
{
  if (xw_failed)
    return;
  if (xw_depth == XW_MAX_DEPTH) {
    xw_failed = 1;
    return;
  }
  xw_close_tag (1);
  xw_indent (xw_depth);
  xw_names[xw_depth++] = name;
  md_sb_printf (&xbuf, "<%s", name);
  xw_in_tag = 1;
}

static void
xw_end (void)
{
  if (xw_failed || xw_depth == 0)
    return;
  const char *name = xw_names[--xw_depth];
  if (xw_in_tag) {
    md_sb_puts (&xbuf, "/>\n");
    xw_in_tag = 0;
  } else {
    if (xw_doindent)
      xw_indent (xw_depth);
    md_sb_printf (&xbuf, "</%s>\n", name);
  }
  xw_doindent = 1;
}

/* Inside an attribute value (between xw_attr_begin and xw_attr_finish). */
static int xw_attr_open;

/* Escaped text, or raw markup (a character reference), at the writer's
 * position: an attribute value, or element content (which closes the
 * start tag and keeps the end tag on the same line). */
static void
xw_content (const char *s, int raw)
{
  if (xw_failed)
    return;
  if (!xw_attr_open) {
    xw_close_tag (0);
    xw_doindent = 0;
  }
  if (raw)
    md_sb_puts (&xbuf, s);
  else
    xw_escaped (s, xw_attr_open);
  if (xbuf.err)
    xw_failed = 1;
}

static void
xw_attr_begin (const char *name)
{
  if (xw_failed)
    return;
  if (!xw_in_tag) {
    xw_failed = 1;
    return;
  }
  md_sb_printf (&xbuf, " %s=\"", name);
  xw_attr_open = 1;
}

static void
xw_attr_finish (void)
{
  if (xw_failed)
    return;
  md_sb_puts (&xbuf, "\"");
  xw_attr_open = 0;
}

/* Attribute from trusted text (numbers, vocabulary, hex). */
static void
xw_attr (const char *name, const char *value)
{
  xw_attr_begin (name);
  xw_content (value, 0);
  xw_attr_finish ();
}

static void
xw_attr_uint (const char *name, uint64_t v)
{
  char num[24];
  snprintf (num, sizeof num, "%" PRIu64, v);
  xw_attr (name, num);
}

static void
xw_attr_bool (const char *name, int v)
{
  xw_attr (name, v ? "true" : "false");
}

/* Untrusted text at the writer's position (attribute value or element
 * content).  Characters XML cannot carry become U+FFFD; controls and
 * hidden characters that XML can carry become character references, so
 * they stay exact yet never reach a terminal raw.  Returns 1 when the
 * text was not kept exactly. */
static int
xw_text_src (struct esc_src *src)
{
  struct md_sbuf run;
  uint32_t cp;
  int changed = 0;
  md_sb_init (&run);
  while (esc_next (src, &cp) && !xw_failed) {
    if (!esc_xml_char_ok (cp)) {
      cp = 0xfffd;
      changed = 1;
    }
    if (!esc_xml_charref (cp)) {
      md_sb_utf8 (&run, cp);
      continue;
    }
    char ref[16];
    snprintf (ref, sizeof ref, "&#x%X;", (unsigned) cp);
    if (run.len)
      xw_content (md_sb_str (&run), 0);
    md_sb_reset (&run);
    xw_content (ref, 1);
  }
  if (run.err)
    xw_failed = 1;
  if (run.len)
    xw_content (md_sb_str (&run), 0);
  md_sb_free (&run);
  return changed;
}

static int
xw_attr_src (const char *name, struct esc_src *src)
{
  int changed = 0;
  xw_attr_begin (name);
  if (!xw_failed)
    changed = xw_text_src (src);
  xw_attr_finish ();
  return changed;
}

static void
xw_attr_str (const char *name, const char *utf8)
{
  struct esc_src src;
  esc_src_utf8 (&src, utf8);
  xw_attr_src (name, &src);
}

static void
xw_attr_time (const char *name, uint64_t ft)
{
  char t[40];
  if (mountdb_filetime_format (ft, t) == 0)
    xw_attr (name, t);
}

static void
xw_string (const char *utf8)
{
  struct esc_src src;
  esc_src_utf8 (&src, utf8);
  xw_text_src (&src);
}

static void
xw_hex_element (const char *name, const uint8_t *data, size_t len)
{
  struct md_sbuf s;
  md_sb_init (&s);
  md_sb_hex (&s, data, len);
  if (s.err)
    xw_failed = 1;
  /* Start, text (even empty: "<data></data>", as before), end. */
  xw_start (name);
  xw_content (md_sb_str (&s), 0);
  xw_end ();
  md_sb_free (&s);
}

/* The stored UTF-16LE bytes of a name, lower-case hex. */
static void
xw_name_hex (const uint16_t *u, size_t n)
{
  struct md_sbuf s;
  md_sb_init (&s);
  for (size_t i = 0; i < n; i++)
    md_sb_printf (&s, "%02x%02x", u[i] & 0xff, u[i] >> 8);
  if (s.err)
    xw_failed = 1;
  xw_attr ("name-hex", md_sb_str (&s));
  md_sb_free (&s);
}

/* Attribute `name` (sanitised) and, when not exact, `name-hex`. */
static void
xw_name_attrs (const mountdb_entry *e)
{
  size_t n16;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
  struct esc_src src;
  esc_src_utf16 (&src, u, n16);
  int changed = xw_attr_src ("name", &src);
  if (changed || (mountdb_entry_name_flags (e)
                  & (MOUNTDB_NAME_BAD_UTF16 | MOUNTDB_NAME_CONTROL)))
    xw_name_hex (u, n16);
}

/* Move what the writer produced so far to this call's stream. */
static int
xw_drain (FILE *f)
{
  if (xw_failed)
    return -1;
  int rc = xbuf.len && fwrite (xbuf.p, 1, xbuf.len, f) != xbuf.len ? -1 : 0;
  md_sb_reset (&xbuf);
  return rc;
}

/* ---- pieces ------------------------------------------------------------------ */

static void
xml_uid (const mountdb_uid *uid)
{
  xw_start ("unique-id");
  xw_attr ("shape", mountdb_shape_name (mountdb_uid_shape (uid)));
  const char *sum = mountdb_uid_summary (uid);
  xw_attr_str ("summary", sum ? sum : "");
  size_t n = mountdb_uid_field_count (uid);
  for (size_t i = 0; i < n; i++) {
    const char *k = NULL, *s = NULL;
    int kind = 0;
    uint64_t num = 0;
    char tmp[24];
    if (mountdb_uid_field_get (uid, i, &k, &kind, &s, &num) < 0 || k == NULL)
      continue;
    xw_start ("field");
    xw_attr_str ("name", k);
    const char *type = mountdb_field_kind_name (kind);
    xw_attr ("type", type ? type : "string");
    if (kind == MOUNTDB_FIELD_UINT) {
      snprintf (tmp, sizeof tmp, "%" PRIu64, num);
      s = tmp;
    } else if (kind == MOUNTDB_FIELD_BOOL) {
      s = num ? "true" : "false";
    }
    if (s)
      xw_string (s);
    xw_end ();
  }
  xw_end ();
}

static void
xml_guid_info (const mountdb_guid_info *gi)
{
  xw_start ("guid-info");
  xw_attr_uint ("version", (uint64_t) gi->version);
  if (gi->has_time)
    xw_attr_time ("timestamp", gi->time_filetime);
  if (gi->has_node) {
    char node[18];
    snprintf (node, sizeof node, "%02x:%02x:%02x:%02x:%02x:%02x",
              gi->node[0], gi->node[1], gi->node[2], gi->node[3],
              gi->node[4], gi->node[5]);
    xw_attr ("node", node);
    if (gi->node_kind != MOUNTDB_NODE_NONE
        && mountdb_node_kind_name (gi->node_kind))
      xw_attr ("node-kind", mountdb_node_kind_name (gi->node_kind));
  }
  if (gi->mbr_derived) {
    char sig[9];
    snprintf (sig, sizeof sig, "%08" PRIx32, gi->mbr_signature);
    xw_attr_bool ("mbr-derived", 1);
    xw_attr ("mbr-signature", sig);
  }
  xw_end ();
}

static void
xml_entry (const mountdb_entry *e, size_t i)
{
  int cls = mountdb_entry_class (e);
  unsigned flags = mountdb_entry_name_flags (e);
  int err = mountdb_entry_error (e);
  uint32_t type = mountdb_entry_type (e);
  size_t len, vol = mountdb_entry_volume (e);
  const uint8_t *data = mountdb_entry_data (e, &len);
  const char *guid = mountdb_entry_guid (e);
  const mountdb_guid_info *gi = mountdb_entry_guid_info (e);
  const mountdb_uid *uid = mountdb_entry_uid (e);
  char letter[2] = { mountdb_entry_letter (e), '\0' };
  char tb[24];

  xw_start ("entry");
  xw_attr_uint ("index", i);
  xw_name_attrs (e);
  xw_attr ("class", mountdb_class_name (cls));
  if (flags) {
    struct md_sbuf fl;
    md_sb_init (&fl);
    for (unsigned bit = 1; bit != 0; bit <<= 1)
      if ((flags & bit) && mountdb_name_flag_name (bit))
        md_sb_printf (&fl, "%s%s", fl.len ? " " : "",
                   mountdb_name_flag_name (bit));
    if (fl.err)
      xw_failed = 1;
    xw_attr ("flags", md_sb_str (&fl));
    md_sb_free (&fl);
  }
  if (flags & MOUNTDB_NAME_CASE_VARIANT)
    xw_attr ("variant-of", mountdb_class_name (mountdb_entry_variant_of (e)));
  if (cls == MOUNTDB_CLASS_DRIVE_LETTER && letter[0])
    xw_attr ("letter", letter);
  if (guid)
    xw_attr ("guid", guid);
  xw_attr ("type", esc_type_name (type, tb));
  if (err == 0)
    xw_attr_uint ("length", len);
  if (vol != NO_VOLUME)
    xw_attr_uint ("volume", vol);
  if (err != 0)
    xw_attr ("error", mountdb_strerror (err));

  size_t n16;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
  if (cls == MOUNTDB_CLASS_MOUNT_POINT && letter[0] && n16 > DOS_LETTER_UNITS) {
    struct esc_src src;
    xw_start ("mount-point");
    xw_attr ("letter", letter);
    esc_src_utf16 (&src, u + DOS_LETTER_UNITS, n16 - DOS_LETTER_UNITS);
    xw_attr_src ("path", &src);
    xw_end ();
  }
  if (guid && gi)
    xml_guid_info (gi);
  if (err == 0)
    xw_hex_element ("data", data, len);
  if (err == 0 && type == MOUNTDB_REG_BINARY && uid)
    xml_uid (uid);
  xw_end ();
}

/* <name entry=N [class=]> with the stored name as content; name-hex (an
 * attribute, so decided before the content) when it is not exact. */
static void
xml_name_element (const mountdb_entry *e, int with_class)
{
  size_t n16;
  const uint16_t *u = mountdb_entry_name_utf16 (e, &n16);
  struct md_sbuf s;
  struct esc_src src;
  md_sb_init (&s);
  esc_src_utf16 (&src, u, n16);
  int changed = esc_xml (&s, &src);
  if (s.err)
    xw_failed = 1;
  md_sb_free (&s);
  xw_start ("name");
  xw_attr_uint ("entry", mountdb_entry_index (e));
  if (with_class)
    xw_attr ("class", mountdb_class_name (mountdb_entry_class (e)));
  if (changed || (mountdb_entry_name_flags (e)
                  & (MOUNTDB_NAME_BAD_UTF16 | MOUNTDB_NAME_CONTROL)))
    xw_name_hex (u, n16);
  esc_src_utf16 (&src, u, n16);
  xw_text_src (&src);
  xw_end ();
}

static void
xml_volume (const struct hive_result *r, const mountdb_volume *v, size_t i)
{
  const mountdb *db = r->db;
  size_t len, n = mountdb_volume_entry_count (v);
  const uint8_t *data = mountdb_volume_data (v, &len);
  char dg[37];
  xw_start ("volume");
  xw_attr_uint ("index", i);
  xw_attr_uint ("length", len);
  if (out_derived_guid (db, v, dg))
    xw_attr ("derived-volume-guid", dg);
  xw_hex_element ("data", data, len);
  xml_uid (mountdb_volume_uid (v));
  if (r->corr != NULL) {         /* --disk: where it is (out_disk.h) */
    const mountdb_partition *p = mountdb_correlation_partition (r->corr, i);
    xw_start ("disk");
    xw_attr ("status", mountdb_disk_status_name (
                         mountdb_correlation_status (r->corr, i)));
    if (p) {
      xw_attr_str ("path", mountdb_disk_path (mountdb_partition_disk (p)));
      xw_attr_uint ("partition", mountdb_partition_number (p));
    }
    xw_end ();
  }
  for (size_t k = 0; k < n; k++)
    xml_name_element (mountdb_volume_entry_get (v, k), 1);
  xw_end ();
}

/* <finding rule= severity=><message/><name entry=/>...</finding> */
static void
xml_finding (const mountdb_finding *f)
{
  size_t ne = mountdb_finding_entry_count (f);
  xw_start ("finding");
  xw_attr ("rule", mountdb_finding_rule (f));
  xw_attr ("severity", mountdb_severity_name (mountdb_finding_severity (f)));
  xw_start ("message");
  xw_string (mountdb_finding_message (f));
  xw_end ();
  for (size_t k = 0; k < ne; k++) {
    const mountdb_entry *e = mountdb_finding_entry_get (f, k);
    if (e)
      xml_name_element (e, 0);
  }
  xw_end ();
}

static void
xml_hive (const struct hive_result *r)
{
  const mountdb *db = r->db;
  const mountdb_header *h = mountdb_file_header (db);
  const char *sha = mountdb_sha256 (db);
  char fmt[24];
  snprintf (fmt, sizeof fmt, "%" PRIu32 ".%" PRIu32, h->major, h->minor);

  xw_start ("hive");
  xw_attr_str ("path", r->path);
  xw_attr_uint ("size", mountdb_file_size (db));
  if (sha)
    xw_attr ("sha256", sha);
  xw_attr ("format", fmt);
  xw_attr_uint ("seq1", h->seq1);
  xw_attr_uint ("seq2", h->seq2);
  xw_attr_bool ("dirty", h->dirty);
  xw_attr_bool ("checksum-ok", h->checksum_ok);
  xw_attr_time ("last-written", h->last_written);
  xw_attr_str ("embedded-name", h->embedded_name);
  xw_attr_uint ("file-type", h->file_type);
  xw_attr_bool ("unsafe", (mountdb_open_flags (db) & MOUNTDB_OPEN_UNSAFE) != 0);
  xw_attr_bool ("logs-applied", mountdb_logs_applied (db));
  xw_attr ("hive-kind", mountdb_hive_kind_name (mountdb_hive_kind (db)));
  xw_attr_bool ("layered", mountdb_layered (db));
  uint32_t v;
  xw_attr_bool ("setup-in-progress",
                mountdb_setup_in_progress (db, &v) == MOUNTDB_VALUE_OK
                && v == 1);
  xw_attr ("windows-version",
           mountdb_windows_version_name (mountdb_windows_version (db)));

  /* <logs> (F4): only when logs were looked at. */
  if (mountdb_logs_summary (db) != NULL || mountdb_log_count (db) > 0) {
    uint32_t first, last;
    uint64_t pages;
    mountdb_logs_range (db, &first, &last, &pages);
    xw_start ("logs");
    xw_attr_bool ("applied", mountdb_logs_applied (db));
    if (mountdb_logs_applied (db)) {
      xw_attr_uint ("first-sequence", first);
      xw_attr_uint ("last-sequence", last);
      xw_attr_uint ("pages", pages);
    }
    xw_attr_str ("summary", mountdb_logs_summary (db) ? mountdb_logs_summary (db) : "");
    for (size_t i = 0; i < mountdb_log_count (db); i++) {
      const mountdb_log_info *l = mountdb_log_get (db, i);
      xw_start ("log");
      xw_attr_str ("path", l->path);
      xw_attr_uint ("size", l->size);
      if (l->sha256)
        xw_attr ("sha256", l->sha256);
      xw_attr ("format", mountdb_log_format_name (l->format));
      xw_attr_bool ("valid", l->valid);
      xw_attr_bool ("used", l->used);
      xw_attr_uint ("pages", l->pages);
      xw_attr_str ("note", l->note ? l->note : "");
      xw_end ();
    }
    xw_end ();
  }

  /* <control-set>: Select and the boot control set's settings (V11);
   * an attribute is absent when its value is absent or unreadable. */
  xw_start ("control-set");
  if (mountdb_select_default (db, &v) == MOUNTDB_VALUE_OK)
    xw_attr_uint ("select-default", v);
  if (mountdb_select_current (db, &v) == MOUNTDB_VALUE_OK)
    xw_attr_uint ("select-current", v);
  if ((v = mountdb_boot_control_set (db)) != 0)
    xw_attr_uint ("boot", v);
  if (mountdb_noautomount (db, &v) == MOUNTDB_VALUE_OK)
    xw_attr_uint ("no-auto-mount", v);
  if (mountdb_san_policy (db, &v) == MOUNTDB_VALUE_OK)
    xw_attr_uint ("san-policy", v);
  xw_end ();

  int ks = mountdb_key_state (db);
  xw_start ("key");
  xw_attr_bool ("present", ks == MOUNTDB_KEY_PRESENT);
  xw_attr ("state", mountdb_key_state_name (ks));
  xw_attr_time ("last-written", mountdb_key_last_written (db));
  xw_end ();

  size_t n = mountdb_entry_count (db);
  for (size_t i = 0; i < n; i++)
    xml_entry (mountdb_entry_get (db, i), i);
  n = mountdb_volume_count (db);
  for (size_t i = 0; i < n && !xw_failed; i++)
    xml_volume (r, mountdb_volume_get (db, i), i);
  n = mountdb_diag_count (db);
  for (size_t i = 0; i < n; i++) {
    int code = 0;
    const char *msg = NULL;
    if (mountdb_diag_get (db, i, &code, &msg) < 0)
      continue;
    xw_start ("diagnostic");
    xw_attr ("code", mountdb_diag_name (code));
    xw_string (msg);
    xw_end ();
  }
  /* Findings of mountdb_check, in both modes, less --ignore. */
  n = mountdb_finding_count (db);
  for (size_t i = 0; i < n && !xw_failed; i++) {
    const mountdb_finding *f = mountdb_finding_get (db, i);
    if (f && out_finding_shown (r, f))
      xml_finding (f);
  }
  xw_end ();
}

/* ---- writer -------------------------------------------------------------------- */

static void
xw_release (void)
{
  md_sb_free (&xbuf);
  xw_open = 0;
}

static int
xml_begin (FILE *f, size_t nhives)
{
  (void) nhives;
  xw_release ();
  md_sb_init (&xbuf);
  xw_open = 1;
  xw_failed = 0;
  xw_depth = 0;
  xw_in_tag = 0;
  xw_attr_open = 0;
  xw_doindent = 1;
  md_sb_puts (&xbuf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  xw_start ("mountdb");
  xw_attr_uint ("schema", MOUNTDB_JSON_SCHEMA);
  xw_attr ("version", mountdb_version ());
  return xw_drain (f);
}

static int
xml_hive_doc (FILE *f, const struct hive_result *r, size_t index)
{
  (void) index;
  if (!xw_open)
    return -1;
  if (r->db) {
    xml_hive (r);
  } else {
    xw_start ("error");
    xw_attr_str ("path", r->path);
    xw_attr ("code", mountdb_error_name (r->err ? r->err->code : MOUNTDB_E_IO));
    xw_attr_str ("message", r->err ? r->err->message : "cannot open");
    xw_end ();
  }
  return xw_drain (f);
}

static int
xml_end (FILE *f, size_t nhives)
{
  (void) nhives;
  if (!xw_open)
    return -1;
  /* Ends <mountdb> and the document (a final newline included). */
  while (xw_depth > 0 && !xw_failed)
    xw_end ();
  int rc = xw_drain (f);
  xw_release ();
  return rc;
}

const struct out_writer out_xml_writer = {
  FMT_XML, xml_begin, xml_hive_doc, xml_end,
};
