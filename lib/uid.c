/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unique IDs (value data) of section 3, decoded into a shape, typed fields
 * and a one-line summary.  Windows compares IDs only as bytes; the decoding
 * is for people and for the checks of V4, so it never rejects an input:
 * whatever it cannot read is "opaque". */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

#define MAX_FIELDS 16
#define SUMMARY_PIECE_MAX 80    /* code points of one ID-provided piece */

typedef struct uid_field {
  const char *key;              /* static JSON key */
  int kind;                     /* enum mountdb_field_kind */
  char *str;                    /* owned, STRING only */
  uint64_t num;                 /* UINT and BOOL */
} uid_field;

struct mountdb_uid {
  int shape;
  uint32_t disk_signature;      /* MBR */
  uint64_t partition_offset;    /* MBR */
  int has_guid;
  char guid[37];                /* DMIO */
  char *summary;
  size_t nfields;
  uid_field fields[];           /* decoded with room for MAX_FIELDS, then
                                   shrunk to nfields */
};

#define UID_SIZE(n) (offsetof (struct mountdb_uid, fields) \
                     + (n) * sizeof (uid_field))

/* ---- small helpers ------------------------------------------------------ */

static uint16_t
lower16 (uint16_t c)
{
  return (c >= 'A' && c <= 'Z') ? (uint16_t) (c + 32) : c;
}

/* Units equal to an ASCII literal, ignoring ASCII case (device IDs are
 * case-insensitive to Windows). */
static int
units_eq_ci (const uint16_t *u, size_t n, const char *lit)
{
  size_t l = strlen (lit);
  if (n != l)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (lower16 (u[i]) != lower16 ((uint8_t) lit[i]))
      return 0;
  return 1;
}

/* ASCII-only strcasecmp: the C library's depends on the locale. */
static int
ascii_casecmp (const char *a, const char *b)
{
  for (;; a++, b++)
    {
      int ca = (unsigned char) *a, cb = (unsigned char) *b;
      ca = lower16 ((uint16_t) ca);
      cb = lower16 ((uint16_t) cb);
      if (ca != cb || ca == 0)
        return ca - cb;
    }
}

static int
units_prefix_ci (const uint16_t *u, size_t n, const char *lit)
{
  size_t l = strlen (lit);
  return n >= l && units_eq_ci (u, l, lit);
}

/* ---- fields ------------------------------------------------------------- */

/* Takes ownership of s; s == NULL means allocation failed. */
static int
add_str (mountdb_uid *uid, const char *key, char *s)
{
  if (s == NULL)
    return MOUNTDB_E_NOMEM;
  if (uid->nfields >= MAX_FIELDS)       /* cannot happen: fixed layouts */
    {
      free (s);
      return MOUNTDB_E_INVAL;
    }
  uid_field *f = &uid->fields[uid->nfields++];
  f->key = key;
  f->kind = MOUNTDB_FIELD_STRING;
  f->str = s;
  f->num = 0;
  return 0;
}

static int
add_strdup (mountdb_uid *uid, const char *key, const char *s)
{
  return add_str (uid, key, strdup (s));
}

static int
add_num (mountdb_uid *uid, const char *key, int kind, uint64_t v)
{
  if (uid->nfields >= MAX_FIELDS)
    return MOUNTDB_E_INVAL;
  uid_field *f = &uid->fields[uid->nfields++];
  f->key = key;
  f->kind = kind;
  f->str = NULL;
  f->num = v;
  return 0;
}

static const char *
field_str (const mountdb_uid *uid, const char *key)
{
  for (size_t i = 0; i < uid->nfields; i++)
    if (strcmp (uid->fields[i].key, key) == 0)
      return uid->fields[i].str;
  return NULL;
}

static int
field_flag (const mountdb_uid *uid, const char *key)
{
  for (size_t i = 0; i < uid->nfields; i++)
    if (strcmp (uid->fields[i].key, key) == 0)
      return uid->fields[i].num != 0;
  return 0;
}

/* ---- summary text ------------------------------------------------------- */

typedef struct sbuf {
  char *p;
  size_t len, cap;
  int oom;
} sbuf;

static void
sb_add (sbuf *b, const char *s, size_t n)
{
  if (b->oom)
    return;
  if (b->cap - b->len < n + 1)
    {
      size_t cap = b->cap ? b->cap : 64;
      while (cap - b->len < n + 1)
        {
          if (cap > SIZE_MAX / 2)
            {
              b->oom = 1;
              return;
            }
          cap *= 2;
        }
      char *p = realloc (b->p, cap);
      if (p == NULL)
        {
          b->oom = 1;
          return;
        }
      b->p = p;
      b->cap = cap;
    }
  memcpy (b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void
sb_puts (sbuf *b, const char *s)
{
  sb_add (b, s, strlen (s));
}

static void sb_printf (sbuf *b, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

static void
sb_printf (sbuf *b, const char *fmt, ...)
{
  char tmp[128];
  va_list ap;
  va_start (ap, fmt);
  int n = vsnprintf (tmp, sizeof tmp, fmt, ap);
  va_end (ap);
  if (n > 0)
    sb_add (b, tmp, (size_t) n < sizeof tmp ? (size_t) n : sizeof tmp - 1);
}

/* Decode one code point of UTF-8; invalid bytes count as U+FFFD. */
static uint32_t
utf8_next (const unsigned char *s, size_t *len)
{
  uint32_t c = s[0];
  size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
             : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0)
    {
      *len = 1;
      return 0xFFFD;
    }
  if (n > 1)
    c &= 0x3F >> (n - 1);
  for (size_t i = 1; i < n; i++)
    {
      if ((s[i] & 0xC0) != 0x80)   /* also stops at the terminating NUL */
        {
          *len = i;
          return 0xFFFD;
        }
      c = c << 6 | (s[i] & 0x3F);
    }
  *len = n;
  return c;
}

/* Characters that would break one line shown to a person: controls,
 * line/paragraph separators and bidirectional overrides. */
static int
unsafe_for_display (uint32_t c)
{
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029
         || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
         || c == 0x200E || c == 0x200F || c == 0x061C;
}

/* Append the first n bytes of text that came from the ID (NUL-terminated
 * beyond them): at most SUMMARY_PIECE_MAX code points, unsafe characters
 * replaced by U+FFFD. */
static void
sb_user_n (sbuf *b, const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *) s;
  const unsigned char *end = p + n;
  size_t count = 0;
  while (p < end && *p != '\0')
    {
      if (count++ == SUMMARY_PIECE_MAX)
        {
          sb_puts (b, "\xE2\x80\xA6");  /* ellipsis */
          return;
        }
      size_t len;
      uint32_t c = utf8_next (p, &len);
      if (c == 0xFFFD || unsafe_for_display (c))
        sb_puts (b, "\xEF\xBF\xBD");
      else
        sb_add (b, (const char *) p, len);
      p += len;
    }
}

static void
sb_user (sbuf *b, const char *s)
{
  sb_user_n (b, s, strlen (s));
}

/* " label value" when the value is there. */
static void
sb_opt (sbuf *b, const char *label, const char *value)
{
  if (value == NULL)
    return;
  sb_puts (b, label);
  sb_user (b, value);
}

static int
sb_finish (sbuf *b, mountdb_uid *uid)
{
  if (b->oom || b->p == NULL)
    {
      free (b->p);
      return MOUNTDB_E_NOMEM;
    }
  uid->summary = b->p;
  return 0;
}

/* ---- MBR, DMIO, FT, zero, Wine, opaque ---------------------------------- */

/* "1 MiB": the largest binary unit that divides the offset exactly. */
static void
sb_size (sbuf *b, uint64_t v)
{
  static const char *const units[] = { "GiB", "MiB", "KiB" };
  for (int i = 0; i < 3 && v != 0; i++)
    {
      uint64_t unit = (uint64_t) 1 << (30 - 10 * i);
      if (v % unit == 0)
        {
          sb_printf (b, "%llu %s", (unsigned long long) (v / unit), units[i]);
          return;
        }
    }
  sb_printf (b, "%llu B", (unsigned long long) v);
}

static int
decode_mbr (mountdb_uid *uid, const uint8_t *d)
{
  char sig[9];
  int r;
  uid->disk_signature = md_le32 (d);
  uid->partition_offset = md_le64 (d + 4);
  snprintf (sig, sizeof sig, "%08x", (unsigned) uid->disk_signature);
  if ((r = add_strdup (uid, "disk_signature", sig)) < 0
      || (r = add_num (uid, "partition_offset", MOUNTDB_FIELD_UINT,
                       uid->partition_offset)) < 0
      || (r = add_num (uid, "sector_aligned", MOUNTDB_FIELD_BOOL,
                       uid->partition_offset % 512 == 0)) < 0)
    return r;
  sbuf b = { 0 };
  sb_printf (&b, "MBR disk %08X @ ", (unsigned) uid->disk_signature);
  sb_size (&b, uid->partition_offset);
  return sb_finish (&b, uid);
}

static int
decode_dmio (mountdb_uid *uid, const uint8_t *d)
{
  int r;
  mountdb_guid_format (d + 8, uid->guid);
  uid->has_guid = 1;
  /* A GPT partition GUID and an LDM volume GUID look the same here. */
  if ((r = add_strdup (uid, "guid", uid->guid)) < 0
      || (r = add_num (uid, "gpt_or_ldm", MOUNTDB_FIELD_BOOL, 1)) < 0)
    return r;
  sbuf b = { 0 };
  sb_printf (&b, "GPT partition or dynamic volume {%s}", uid->guid);
  return sb_finish (&b, uid);
}

static int
decode_ft8 (mountdb_uid *uid, const uint8_t *d)
{
  char hex[17];
  int r;
  for (size_t i = 0; i < 8; i++)
    snprintf (hex + 2 * i, 3, "%02x", d[i]);
  if ((r = add_strdup (uid, "hex", hex)) < 0)
    return r;
  sbuf b = { 0 };
  sb_printf (&b, "NT4 FT id %s", hex);
  return sb_finish (&b, uid);
}

static int
decode_length (mountdb_uid *uid, size_t len, const char *what)
{
  int r = add_num (uid, "length", MOUNTDB_FIELD_UINT, len);
  if (r < 0)
    return r;
  sbuf b = { 0 };
  sb_printf (&b, "%s (%zu byte%s)", what, len, len == 1 ? "" : "s");
  return sb_finish (&b, uid);
}

static int
decode_ascii (mountdb_uid *uid, const uint8_t *d, size_t len)
{
  char *s = malloc (len);
  if (s == NULL)
    return MOUNTDB_E_NOMEM;
  memcpy (s, d, len);           /* ends with its own NUL (checked) */
  int r = add_str (uid, "path", s);
  if (r < 0)
    return r;
  sbuf b = { 0 };
  sb_puts (&b, "Wine path ");
  sb_user (&b, s);
  return sb_finish (&b, uid);
}

static int
all_zero (const uint8_t *d, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if (d[i] != 0)
      return 0;
  return 1;
}

/* Wine: printable ASCII ending with its only NUL. */
static int
is_wine_path (const uint8_t *d, size_t len)
{
  if (len < 4 || d[len - 1] != 0)
    return 0;
  for (size_t i = 0; i + 1 < len; i++)
    if (d[i] < 0x20 || d[i] > 0x7E)
      return 0;
  return 1;
}

/* ---- device paths ------------------------------------------------------- */

typedef struct span {
  size_t off, n;                /* units; n == 0: absent */
} span;

typedef struct devpath {
  const uint16_t *u;            /* all units of the value */
  size_t n;
  const char *prefix;
  span bus, devid, instance, class_guid;
  span type, vendor, product, revision;
  int underscores;              /* vendor/product/revision: '_' = space */
} devpath;

/* The three prefixes, as UTF-16LE bytes. */
static const char *
path_prefix (const uint8_t *d, size_t len)
{
  static const struct { const char *text; uint8_t bytes[8]; } pfx[] = {
    { "\\??\\", { '\\', 0, '?', 0, '?', 0, '\\', 0 } },
    { "_??_", { '_', 0, '?', 0, '?', 0, '_', 0 } },
    { "\\\\?\\", { '\\', 0, '\\', 0, '?', 0, '\\', 0 } },
  };
  if (len < 8)
    return NULL;
  for (size_t i = 0; i < sizeof pfx / sizeof pfx[0]; i++)
    if (memcmp (d, pfx[i].bytes, 8) == 0)
      return pfx[i].text;
  return NULL;
}

static span
mk_span (size_t a, size_t b)
{
  span s = { a, b > a ? b - a : 0 };
  return s;
}

/* `{8-4-4-4-12}` */
static int
is_braced_guid (const uint16_t *u, size_t n)
{
  uint8_t g[16];
  return n == 38 && u[0] == '{' && u[37] == '}'
         && md_guid_parse16 (u + 1, 36, g, NULL) == 0;
}

/* BUS#DEVICE-ID#INSTANCE#{CLASS}.  The device ID itself may hold '#'
 * (a '/' in an IDE model, e.g. "CdRomSAMSUNG_CDRW#DVD_SM-348B..."), so
 * the instance is the part before the class slot, not the third part.
 * A last part in braces is the class slot even when it is no valid GUID
 * (then there is no class_guid), so that the instance stays right. */
static void
split_path (devpath *p)
{
  size_t a = 4, e = p->n;       /* after the prefix */
  size_t first = e, last = e, second_last = e, hashes = 0;
  for (size_t i = a; i < e; i++)
    if (p->u[i] == '#')
      {
        if (first == e)
          first = i;
        second_last = last;
        last = i;
        hashes++;
      }
  p->bus = mk_span (a, first);
  if (hashes == 0)
    return;
  if (last + 1 < e && p->u[last + 1] == '{')
    {
      if (is_braced_guid (p->u + last + 1, e - last - 1))
        p->class_guid = mk_span (last + 1, e);
      if (hashes == 2)
        p->devid = mk_span (first + 1, last);
      else if (hashes >= 3)
        {
          p->instance = mk_span (second_last + 1, last);
          p->devid = mk_span (first + 1, second_last);
        }
      return;
    }
  if (hashes == 1)
    p->devid = mk_span (first + 1, e);
  else
    {
      p->instance = mk_span (last + 1, e);
      p->devid = mk_span (first + 1, last);
    }
}

/* Device types that prefix an IDE device ID ("CdRom" + model + revision)
 * or stand alone. */
static const char *const ide_types[] = {
  "CdRom", "Disk", "Sequential", "Tape", "Worm", "Optical", "Changer",
  "Other",
};

/* IDE: TYPE + 40 units vendor/product + 8 units revision, '_'-padded. */
static void
parse_ide_id (devpath *p, span t)
{
  const uint16_t *u = p->u + t.off;
  for (size_t i = 0; i < sizeof ide_types / sizeof ide_types[0]; i++)
    {
      size_t l = strlen (ide_types[i]);
      if (!units_prefix_ci (u, t.n, ide_types[i]))
        continue;
      p->type = mk_span (t.off, t.off + l);
      span rest = mk_span (t.off + l, t.off + t.n);
      if (rest.n == 48)
        {
          p->product = mk_span (rest.off, rest.off + 40);
          p->revision = mk_span (rest.off + 40, rest.off + 48);
        }
      else
        p->product = rest;
      p->underscores = 1;
      return;
    }
  p->type = t;                  /* GENERIC_FLOPPY_DRIVE, RemovableMedia... */
}

/* A Ven_/Prod_/Rev_ token: store its value, return 1. */
static int
named_token (devpath *p, span t)
{
  const uint16_t *tu = p->u + t.off;
  if (units_prefix_ci (tu, t.n, "Ven_"))
    p->vendor = mk_span (t.off + 4, t.off + t.n);
  else if (units_prefix_ci (tu, t.n, "Prod_"))
    p->product = mk_span (t.off + 5, t.off + t.n);
  else if (units_prefix_ci (tu, t.n, "Rev_"))
    p->revision = mk_span (t.off + 4, t.off + t.n);
  else
    return 0;
  return 1;
}

/* TYPE&Ven_X&Prod_Y&Rev_Z (SCSI, USBSTOR) or an IDE-style ID. */
static void
parse_devid (devpath *p)
{
  span d = p->devid, first = { 0, 0 };
  int first_named = 0, named = 0;
  size_t start = d.off, end = d.off + d.n;
  if (d.n == 0)
    return;
  for (size_t i = start; i <= end; i++)
    {
      if (i < end && p->u[i] != '&')
        continue;
      span t = mk_span (start, i);
      int is_named = named_token (p, t);
      if (start == d.off)
        {
          first = t;
          first_named = is_named;
        }
      named |= is_named;
      start = i + 1;
    }
  if (named)
    {
      if (!first_named)
        p->type = first;
      p->underscores = 1;       /* Windows writes spaces as '_' */
      return;
    }
  parse_ide_id (p, first);
}

/* Trim '_' and ' ' (padding) from both ends of a span. */
static span
trim_padding (const uint16_t *u, span s)
{
  while (s.n > 0 && (u[s.off] == '_' || u[s.off] == ' '))
    {
      s.off++;
      s.n--;
    }
  while (s.n > 0 && (u[s.off + s.n - 1] == '_' || u[s.off + s.n - 1] == ' '))
    s.n--;
  return s;
}

/* UTF-8 of a span; with underscores, '_' becomes ' ' and padding goes. */
static char *
span_utf8 (const devpath *p, span s, int underscores)
{
  if (!underscores)
    return md_utf16_to_utf8 (p->u + s.off, s.n, NULL);
  s = trim_padding (p->u, s);
  uint16_t *tmp = malloc (s.n ? s.n * sizeof *tmp : 1);
  if (tmp == NULL)
    return NULL;
  for (size_t i = 0; i < s.n; i++)
    tmp[i] = p->u[s.off + i] == '_' ? ' ' : p->u[s.off + i];
  char *r = md_utf16_to_utf8 (tmp, s.n, NULL);
  free (tmp);
  return r;
}

/* Add a string field from a span, omitted when absent or empty. */
static int
add_span (mountdb_uid *uid, const devpath *p, const char *key, span s,
          int underscores)
{
  if (s.n == 0)
    return 0;
  char *str = span_utf8 (p, s, underscores);
  if (str == NULL)
    return MOUNTDB_E_NOMEM;
  if (str[0] == '\0')
    {
      free (str);
      return 0;
    }
  return add_str (uid, key, str);
}

/* USBSTOR: the serial is the instance without its final "&N"; a '&' as
 * second character means Windows made the instance up (no serial). */
static span
usb_serial (const devpath *p)
{
  span i = p->instance, none = { 0, 0 };
  if (p->bus.n == 0 || !units_eq_ci (p->u + p->bus.off, p->bus.n, "USBSTOR")
      || i.n == 0 || (i.n >= 2 && p->u[i.off + 1] == '&'))
    return none;
  size_t amp = i.n;
  for (size_t k = i.n; k-- > 0;)
    if (p->u[i.off + k] == '&')
      {
        amp = k;
        break;
      }
  if (amp < i.n)
    {
      int digits = amp + 1 < i.n;
      for (size_t k = amp + 1; k < i.n; k++)
        if (p->u[i.off + k] < '0' || p->u[i.off + k] > '9')
          digits = 0;
      if (digits)
        i.n = amp;
    }
  return i;
}

static const char *
class_name (const char *guid)
{
  static const struct { const char *prefix, *name; } cls[] = {
    { "53f56307", "disk" }, { "53f56308", "cdrom" },
    { "53f5630a", "partition" }, { "53f5630b", "tape" },
    { "53f5630c", "write_once_disk" }, { "53f5630d", "volume" },
    { "53f56310", "medium_changer" }, { "53f56311", "floppy" },
    { "53f56312", "cd_changer" },
  };
  static const char tail[] = "-b6bf-11d0-94f2-00a0c91efb8b";
  if (strlen (guid) != 36 || strcmp (guid + 8, tail) != 0)
    return NULL;
  for (size_t i = 0; i < sizeof cls / sizeof cls[0]; i++)
    if (strncmp (guid, cls[i].prefix, 8) == 0)
      return cls[i].name;
  return NULL;
}

static int
add_class (mountdb_uid *uid, const devpath *p)
{
  if (p->class_guid.n == 0)
    return 0;
  uint8_t g[16];
  char text[37];
  md_guid_parse16 (p->u + p->class_guid.off + 1, 36, g, NULL);
  mountdb_guid_format (g, text);
  int r = add_strdup (uid, "class_guid", text);
  const char *name = class_name (text);
  if (r == 0 && name != NULL)
    r = add_strdup (uid, "class", name);
  return r;
}

static int
device_fields (mountdb_uid *uid, const devpath *p, int odd, int nul)
{
  int r;
  int us = p->underscores;
  if ((r = add_str (uid, "path", md_utf16_to_utf8 (p->u, p->n, NULL))) < 0
      || (r = add_strdup (uid, "prefix", p->prefix)) < 0
      || (r = add_span (uid, p, "bus", p->bus, 0)) < 0
      || (r = add_span (uid, p, "device_type", p->type, 0)) < 0
      || (r = add_span (uid, p, "vendor", p->vendor, us)) < 0
      || (r = add_span (uid, p, "product", p->product, us)) < 0
      || (r = add_span (uid, p, "revision", p->revision, us)) < 0
      || (r = add_span (uid, p, "instance", p->instance, 0)) < 0
      || (r = add_span (uid, p, "serial", usb_serial (p), 0)) < 0
      || (r = add_class (uid, p)) < 0)
    return r;
  if (odd && (r = add_num (uid, "odd_length", MOUNTDB_FIELD_BOOL, 1)) < 0)
    return r;
  if (nul && (r = add_num (uid, "contains_nul", MOUNTDB_FIELD_BOOL, 1)) < 0)
    return r;
  return 0;
}

/* Words for a device type, or NULL when unknown. */
static const char *
type_words (const char *type)
{
  static const struct { const char *type, *words; } w[] = {
    { "disk", "disk" }, { "cdrom", "CD-ROM" },
    { "removablemedia", "removable media" },
    { "generic_floppy_drive", "floppy drive" }, { "sequential", "tape" },
    { "tape", "tape" }, { "worm", "WORM drive" },
    { "optical", "optical drive" }, { "changer", "changer" },
    { "volume", "volume" }, { "other", "device" },
  };
  if (type == NULL)
    return NULL;
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
    if (ascii_casecmp (type, w[i].type) == 0)
      return w[i].words;
  return NULL;
}

/* "USB disk HP v100w, serial X", "IDE CD-ROM NECVMWar VMware IDE CDR10",
 * "floppy drive (FDC)", "removable media (STORAGE), instance 7&18ec28b&0". */
static void
device_summary (sbuf *b, const mountdb_uid *uid)
{
  const char *bus = field_str (uid, "bus");
  const char *type = field_str (uid, "device_type");
  const char *vendor = field_str (uid, "vendor");
  const char *product = field_str (uid, "product");
  const char *instance = field_str (uid, "instance");
  const char *serial = field_str (uid, "serial");
  const char *words = type_words (type);

  if (bus == NULL)
    {
      const char *path = field_str (uid, "path");
      if (strlen (path) <= 4)
        sb_puts (b, "empty device path");
      else
        {
          sb_puts (b, "device path ");
          sb_user (b, path);
        }
    }
  else if (vendor != NULL || product != NULL)
    {
      sb_user (b, ascii_casecmp (bus, "USBSTOR") == 0 ? "USB" : bus);
      sb_puts (b, " ");
      if (words != NULL)
        sb_puts (b, words);
      else if (type != NULL)
        sb_user (b, type);
      else
        sb_puts (b, "device");
      sb_opt (b, " ", vendor);
      sb_opt (b, " ", product);
      sb_opt (b, ", serial ", serial);
    }
  else
    {
      if (words != NULL)
        sb_puts (b, words);
      else
        {
          sb_puts (b, "device");
          sb_opt (b, " ", type);
        }
      sb_opt (b, " (", bus);
      sb_puts (b, ")");
      /* Without a model, only the instance tells such volumes apart; a
       * floppy controller's instance says nothing useful. */
      if (instance != NULL && ascii_casecmp (bus, "FDC") != 0)
        {
          size_t l = strlen (instance);
          /* "&RM" only repeats "removable media". */
          if (l > 3 && ascii_casecmp (instance + l - 3, "&RM") == 0)
            l -= 3;
          sb_puts (b, ", instance ");
          sb_user_n (b, instance, l);
        }
    }
  if (field_flag (uid, "odd_length"))
    sb_puts (b, ", odd length");
  if (field_flag (uid, "contains_nul"))
    sb_puts (b, ", contains NUL");
}

/* UTF-16LE path; an odd trailing byte is ignored (and flagged, V4). */
static int
decode_device_path (mountdb_uid *uid, const uint8_t *d, size_t len,
                    const char *prefix)
{
  devpath p;
  memset (&p, 0, sizeof p);
  p.n = len / 2;
  p.prefix = prefix;
  uint16_t *u = malloc (p.n * sizeof *u);
  if (u == NULL)
    return MOUNTDB_E_NOMEM;
  md_utf16_load (d, p.n, u);
  p.u = u;

  int nul = 0;
  for (size_t i = 0; i < p.n; i++)
    if (u[i] == 0)
      nul = 1;
  split_path (&p);
  parse_devid (&p);

  int r = device_fields (uid, &p, len % 2 != 0, nul);
  free (u);
  if (r < 0)
    return r;
  sbuf b = { 0 };
  device_summary (&b, uid);
  return sb_finish (&b, uid);
}

/* ---- public API --------------------------------------------------------- */

static int
decode_into (mountdb_uid *uid, const uint8_t *d, size_t len)
{
  static const char dmio[8] = { 'D', 'M', 'I', 'O', ':', 'I', 'D', ':' };
  const char *prefix;

  /* Order matters: lengths first (V4 shapes), content tests after. */
  if (len == 0)
    {
      uid->shape = MOUNTDB_SHAPE_OPAQUE;
      return decode_length (uid, 0, "empty id");
    }
  if (all_zero (d, len))
    {
      uid->shape = MOUNTDB_SHAPE_ZERO;
      return decode_length (uid, len, "all-zero id");
    }
  if (len == 24 && memcmp (d, dmio, 8) == 0)
    {
      uid->shape = MOUNTDB_SHAPE_DMIO;
      return decode_dmio (uid, d);
    }
  if (len == 12)
    {
      uid->shape = MOUNTDB_SHAPE_MBR;
      return decode_mbr (uid, d);
    }
  if (len == 8)
    {
      uid->shape = MOUNTDB_SHAPE_FT8;
      return decode_ft8 (uid, d);
    }
  if ((prefix = path_prefix (d, len)) != NULL)
    {
      uid->shape = MOUNTDB_SHAPE_DEVICE_PATH;
      return decode_device_path (uid, d, len, prefix);
    }
  if (is_wine_path (d, len))
    {
      uid->shape = MOUNTDB_SHAPE_ASCII;
      return decode_ascii (uid, d, len);
    }
  uid->shape = MOUNTDB_SHAPE_OPAQUE;
  return decode_length (uid, len, "opaque id");
}

mountdb_uid *
mountdb_uid_decode (const void *data, size_t len)
{
  /* Decoded in scratch room for every field, then copied to an exact
   * allocation: a key with 100k values holds 100k IDs (shrinking in place
   * would leave a hole per ID in the heap). */
  union {
    struct mountdb_uid u;
    unsigned char room[UID_SIZE (MAX_FIELDS)];
  } scratch;
  memset (&scratch, 0, sizeof scratch);
  mountdb_uid *tmp = &scratch.u;
  if (data == NULL)
    len = 0;
  mountdb_uid *uid = NULL;
  if (decode_into (tmp, data, len) == 0
      && (uid = malloc (UID_SIZE (tmp->nfields))) != NULL)
    {
      memcpy (uid, tmp, UID_SIZE (tmp->nfields));
      return uid;
    }
  for (size_t i = 0; i < tmp->nfields; i++)
    free (tmp->fields[i].str);
  free (tmp->summary);
  return NULL;
}

/* Hook for the model (issue 10 item 8): the decoded ID and its strings in
 * one block from alloc (the handle's arena, freed with it; never pass the
 * result to mountdb_uid_free).  Three allocations per value were a third
 * of the memory of a key of 100k values. */
mountdb_uid *
md_uid_decode_with (const void *data, size_t len,
                    void *(*alloc) (void *ctx, size_t n), void *ctx)
{
  mountdb_uid *tmp = mountdb_uid_decode (data, len);
  if (tmp == NULL)
    return NULL;
  size_t size = UID_SIZE (tmp->nfields), at = size;
  size += strlen (tmp->summary ? tmp->summary : "") + 1;
  for (size_t i = 0; i < tmp->nfields; i++)
    if (tmp->fields[i].str != NULL)
      size += strlen (tmp->fields[i].str) + 1;
  mountdb_uid *uid = alloc (ctx, size);
  if (uid != NULL)
    {
      memcpy (uid, tmp, UID_SIZE (tmp->nfields));
      char *p = (char *) uid;
      for (size_t i = 0; i < tmp->nfields; i++)
        if (tmp->fields[i].str != NULL)
          {
            size_t n = strlen (tmp->fields[i].str) + 1;
            uid->fields[i].str = memcpy (p + at, tmp->fields[i].str, n);
            at += n;
          }
      if (tmp->summary != NULL)
        uid->summary = strcpy (p + at, tmp->summary);
    }
  mountdb_uid_free (tmp);
  return uid;
}

void
mountdb_uid_free (mountdb_uid *uid)
{
  if (uid == NULL)
    return;
  for (size_t i = 0; i < uid->nfields; i++)
    free (uid->fields[i].str);
  free (uid->summary);
  free (uid);
}

int
mountdb_uid_shape (const mountdb_uid *uid)
{
  return uid != NULL ? uid->shape : MOUNTDB_E_INVAL;
}

const char *
mountdb_shape_name (int shape)
{
  static const char *const names[] = {
    [MOUNTDB_SHAPE_MBR] = "mbr",
    [MOUNTDB_SHAPE_DMIO] = "dmio",
    [MOUNTDB_SHAPE_DEVICE_PATH] = "device_path",
    [MOUNTDB_SHAPE_FT8] = "ft8",
    [MOUNTDB_SHAPE_ZERO] = "zero",
    [MOUNTDB_SHAPE_ASCII] = "ascii",
    [MOUNTDB_SHAPE_OPAQUE] = "opaque",
  };
  if (shape < 0 || (size_t) shape >= sizeof names / sizeof names[0])
    return NULL;
  return names[shape];
}

const char *
mountdb_uid_summary (const mountdb_uid *uid)
{
  return uid != NULL ? uid->summary : NULL;
}

uint32_t
mountdb_uid_disk_signature (const mountdb_uid *uid)
{
  return uid != NULL && uid->shape == MOUNTDB_SHAPE_MBR
         ? uid->disk_signature : 0;
}

uint64_t
mountdb_uid_partition_offset (const mountdb_uid *uid)
{
  return uid != NULL && uid->shape == MOUNTDB_SHAPE_MBR
         ? uid->partition_offset : 0;
}

const char *
mountdb_uid_guid (const mountdb_uid *uid)
{
  return uid != NULL && uid->has_guid ? uid->guid : NULL;
}

size_t
mountdb_uid_field_count (const mountdb_uid *uid)
{
  return uid != NULL ? uid->nfields : 0;
}

int
mountdb_uid_field (const mountdb_uid *uid, size_t i, const char **key,
                   int *kind, const char **str, uint64_t *num)
{
  if (uid == NULL || i >= uid->nfields)
    return MOUNTDB_E_INVAL;
  const uid_field *f = &uid->fields[i];
  if (key != NULL)
    *key = f->key;
  if (kind != NULL)
    *kind = f->kind;
  if (str != NULL)
    *str = f->str;
  if (num != NULL)
    *num = f->num;
  return 0;
}
