/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device paths (UTF-16LE): \\??\\BUS#DEVICE-ID#INSTANCE#{CLASS} as the
 * storage stack names volumes (USBSTOR, SCSI, IDE, FDC, STORAGE, SWD...). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uid.h"

/* ---- small helpers ------------------------------------------------------ */

/* Device IDs are case-insensitive to Windows: their tokens are compared
 * with md_units_eq (..., MD_EQ_FOLD). */

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

/* A table keyed by the first 8 bytes of what is looked up. */
typedef struct key8 {
  const char *key;              /* 8 bytes (may hold NULs) */
  const char *value;
} key8;

static const char *
find_key8 (const key8 *t, size_t n, const void *k)
{
  for (size_t i = 0; i < n; i++)
    if (memcmp (k, t[i].key, 8) == 0)
      return t[i].value;
  return NULL;
}

/* The three prefixes, as UTF-16LE bytes. */
static const char *
path_prefix (const uint8_t *d, size_t len)
{
  static const key8 pfx[] = {
    { "\\\0?\0?\0\\\0", "\\??\\" },
    { "_\0?\0?\0_\0", "_??_" },
    { "\\\0\\\0?\0\\\0", "\\\\?\\" },
  };
  return len < 8 ? NULL : find_key8 (pfx, sizeof pfx / sizeof pfx[0], d);
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
      if (!md_units_eq (u, t.n, ide_types[i], MD_EQ_FOLD | MD_EQ_PREFIX))
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
  if (md_units_eq (tu, t.n, "Ven_", MD_EQ_FOLD | MD_EQ_PREFIX))
    p->vendor = mk_span (t.off + 4, t.off + t.n);
  else if (md_units_eq (tu, t.n, "Prod_", MD_EQ_FOLD | MD_EQ_PREFIX))
    p->product = mk_span (t.off + 5, t.off + t.n);
  else if (md_units_eq (tu, t.n, "Rev_", MD_EQ_FOLD | MD_EQ_PREFIX))
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
  return md_uid_add_str (uid, key, str);
}

/* USBSTOR: the serial is the instance without its final "&N"; a '&' as
 * second character means Windows made the instance up (no serial). */
static span
usb_serial (const devpath *p)
{
  span i = p->instance, none = { 0, 0 };
  if (p->bus.n == 0
      || !md_units_eq (p->u + p->bus.off, p->bus.n, "USBSTOR", MD_EQ_FOLD)
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
  static const key8 cls[] = {
    { "53f56307", "disk" }, { "53f56308", "cdrom" },
    { "53f5630a", "partition" }, { "53f5630b", "tape" },
    { "53f5630c", "write_once_disk" }, { "53f5630d", "volume" },
    { "53f56310", "medium_changer" }, { "53f56311", "floppy" },
    { "53f56312", "cd_changer" },
  };
  static const char tail[] = "-b6bf-11d0-94f2-00a0c91efb8b";
  if (strlen (guid) != 36 || strcmp (guid + 8, tail) != 0)
    return NULL;
  return find_key8 (cls, sizeof cls / sizeof cls[0], guid);
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
  int r = md_uid_add_strdup (uid, "class_guid", text);
  const char *name = class_name (text);
  if (r == 0 && name != NULL)
    r = md_uid_add_strdup (uid, "class", name);
  return r;
}

static int
device_fields (mountdb_uid *uid, const devpath *p, int odd, int nul)
{
  int r;
  int us = p->underscores;
  if ((r = md_uid_add_str (uid, "path",
                           md_utf16_to_utf8 (p->u, p->n, NULL))) < 0
      || (r = md_uid_add_strdup (uid, "prefix", p->prefix)) < 0
      || (r = add_span (uid, p, "bus", p->bus, 0)) < 0
      || (r = add_span (uid, p, "device_type", p->type, 0)) < 0
      || (r = add_span (uid, p, "vendor", p->vendor, us)) < 0
      || (r = add_span (uid, p, "product", p->product, us)) < 0
      || (r = add_span (uid, p, "revision", p->revision, us)) < 0
      || (r = add_span (uid, p, "instance", p->instance, 0)) < 0
      || (r = add_span (uid, p, "serial", usb_serial (p), 0)) < 0
      || (r = add_class (uid, p)) < 0)
    return r;
  if (odd
      && (r = md_uid_add_num (uid, "odd_length", MOUNTDB_FIELD_BOOL, 1)) < 0)
    return r;
  if (nul
      && (r = md_uid_add_num (uid, "contains_nul", MOUNTDB_FIELD_BOOL, 1)) < 0)
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
    if (md_ascii_casecmp (type, w[i].type) == 0)
      return w[i].words;
  return NULL;
}

/* "USB disk HP v100w, serial X", "IDE CD-ROM NECVMWar VMware IDE CDR10",
 * "floppy drive (FDC)", "removable media (STORAGE), instance 7&18ec28b&0". */
static void
device_summary (struct md_sbuf *b, const mountdb_uid *uid)
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
        md_sb_puts (b, "empty device path");
      else
        {
          md_sb_puts (b, "device path ");
          md_uid_sb_user (b, path);
        }
    }
  else if (vendor != NULL || product != NULL)
    {
      md_uid_sb_user (b, md_ascii_casecmp (bus, "USBSTOR") == 0 ? "USB" : bus);
      md_sb_puts (b, " ");
      if (words != NULL)
        md_sb_puts (b, words);
      else if (type != NULL)
        md_uid_sb_user (b, type);
      else
        md_sb_puts (b, "device");
      md_uid_sb_opt (b, " ", vendor);
      md_uid_sb_opt (b, " ", product);
      md_uid_sb_opt (b, ", serial ", serial);
    }
  else
    {
      if (words != NULL)
        md_sb_puts (b, words);
      else
        {
          md_sb_puts (b, "device");
          md_uid_sb_opt (b, " ", type);
        }
      md_uid_sb_opt (b, " (", bus);
      md_sb_puts (b, ")");
      /* Without a model, only the instance tells such volumes apart; a
       * floppy controller's instance says nothing useful. */
      if (instance != NULL && md_ascii_casecmp (bus, "FDC") != 0)
        {
          size_t l = strlen (instance);
          /* "&RM" only repeats "removable media". */
          if (l > 3 && md_ascii_casecmp (instance + l - 3, "&RM") == 0)
            l -= 3;
          md_sb_puts (b, ", instance ");
          md_uid_sb_user_n (b, instance, l);
        }
    }
  if (field_flag (uid, "odd_length"))
    md_sb_puts (b, ", odd length");
  if (field_flag (uid, "contains_nul"))
    md_sb_puts (b, ", contains NUL");
}

/* UTF-16LE path; an odd trailing byte is ignored (and flagged, V4). */
static int
match_devpath (const uint8_t *d, size_t len)
{
  return path_prefix (d, len) != NULL;
}

static int
decode_devpath (mountdb_uid *uid, const uint8_t *d, size_t len)
{
  devpath p;
  memset (&p, 0, sizeof p);
  p.n = len / 2;
  p.prefix = path_prefix (d, len);
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
  struct md_sbuf b = { 0 };
  device_summary (&b, uid);
  return md_uid_sb_finish (&b, uid);
}

const md_uid_format md_uid_fmt_devpath = {
  "device_path", MOUNTDB_SHAPE_DEVICE_PATH, MD_UID_ANY_LEN,
  match_devpath, decode_devpath
};
