/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names of the device keys (dev.h): Enum device and instance keys, USB
 * VID/PID keys, device paths inside other names, MountPoints2 and EMDMgmt
 * subkeys, the user folder of a hive path.  Pure: NUL-terminated text in,
 * spans out. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "dev.h"

/* The span from p to the next '&' (or the end) after the tag, in name. */
static int
tagged (const char *name, const char *tag, md_span *out)
{
  size_t tl = strlen (tag);
  for (const char *p = name; (p = strchr (p, '&')) != NULL; p++)
    if (md_ascii_eq (p + 1, 1, strlen (p + 1), tag, MD_EQ_FOLD | MD_EQ_PREFIX)) {
      const char *s = p + 1 + tl;
      out->off = (size_t) (s - name);
      out->n = strcspn (s, "&");
      return 1;
    }
  return 0;
}

int
md_dev_parse_devkey (const char *name, md_devkey *out)
{
  memset (out, 0, sizeof *out);
  size_t amp = strcspn (name, "&");
  if (name[amp] == '&') {
    /* "Disk&Ven_X&Prod_Y&Rev_Z" (USBSTOR, SCSI, SD). */
    out->type.n = amp;
    int any = tagged (name, "Ven_", &out->vendor);
    any |= tagged (name, "Prod_", &out->product);
    any |= tagged (name, "Rev_", &out->revision);
    return any ? 0 : -1;
  }
  /* IDE: "Disk" or "CdRom" then the model, '_'-padded to 40 characters,
   * then the revision (8 characters, '_'-padded): ATA IDENTIFY's fields
   * as the IDE enumerator names them (inferred from real hives). */
  static const char *const types[] = { "Disk", "CdRom", "Other", "Tape",
                                       "Changer", "Worm", "Optical" };
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    size_t tl = strlen (types[i]);
    if (!md_ascii_eq (name, 1, strlen (name), types[i],
                      MD_EQ_FOLD | MD_EQ_PREFIX))
      continue;
    out->type.n = tl;
    size_t len = strlen (name);
    if (len < tl + 40 + 1) {
      out->product.off = tl;
      out->product.n = len - tl;
    } else {
      out->product.off = tl;
      out->product.n = 40;
      out->revision.off = tl + 40;
      out->revision.n = len - tl - 40;
    }
    /* The padding is not part of the model or revision. */
    while (out->product.n && name[out->product.off + out->product.n - 1] == '_')
      out->product.n--;
    while (out->revision.n
           && name[out->revision.off + out->revision.n - 1] == '_')
      out->revision.n--;
    return out->product.n ? 0 : -1;
  }
  out->type.n = strlen (name);
  return -1;
}

void
md_dev_parse_instance (const char *name, md_span *serial, int *generated)
{
  size_t len = strlen (name);
  *generated = len >= 2 && name[1] == '&';
  serial->off = 0;
  serial->n = 0;
  if (*generated)
    return;
  /* USBSTOR appends "&N" (the LUN) to the device's serial. */
  const char *amp = strrchr (name, '&');
  size_t n = len;
  if (amp && amp[1] != '\0' && strspn (amp + 1, "0123456789") == strlen (amp + 1))
    n = (size_t) (amp - name);
  serial->n = n;
}

static int
hex4 (const char *s, uint16_t *out)
{
  uint16_t v = 0;
  for (int i = 0; i < 4; i++) {
    int d = md_unhex ((unsigned char) s[i]);
    if (d < 0)
      return -1;
    v = (uint16_t) (v << 4 | d);
  }
  *out = v;
  return 0;
}

int
md_dev_parse_usb_key (const char *name, uint16_t *vid, uint16_t *pid)
{
  /* Exactly "VID_xxxx&PID_yyyy": interfaces (&MI_nn) are not devices. */
  if (strlen (name) != 17
      || !md_ascii_eq (name, 1, 4, "VID_", MD_EQ_FOLD)
      || !md_ascii_eq (name + 8, 1, 5, "&PID_", MD_EQ_FOLD)
      || hex4 (name + 4, vid) < 0 || hex4 (name + 13, pid) < 0)
    return -1;
  return 0;
}

static const char *const prefixes[] = { "\\??\\", "_??_", "##?#", "\\\\?\\" };

int
md_dev_path_is (const char *s, size_t n, const char *id)
{
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (md_ascii_eq (s, 1, n, prefixes[i], MD_EQ_PREFIX)) {
      s += 4;
      n -= 4;
      break;
    }
  size_t m = strlen (id);
  if (m == 0 || n < m)
    return 0;
  for (size_t i = 0; i < m; i++) {
    uint32_t a = md_ascii_lower ((unsigned char) s[i]);
    uint32_t b = md_ascii_lower ((unsigned char) id[i]);
    if (a == '/')
      a = '#';
    if (b == '/' || b == '\\')
      b = '#';
    if (a != b)
      return 0;
  }
  return n == m || s[m] == '#';
}

long
md_dev_find_path (const char *s, size_t n)
{
  for (size_t i = 0; i + 4 <= n; i++)
    for (size_t j = 0; j < sizeof prefixes / sizeof prefixes[0]; j++)
      if (memcmp (s + i, prefixes[j], 4) == 0)
        return (long) i;
  return -1;
}

int
md_dev_parse_mp2 (const char *name, char guid_out[37], char *letter)
{
  guid_out[0] = '\0';
  *letter = 0;
  size_t n = strlen (name);
  if (n == 1 && md_ascii_lower ((unsigned char) name[0]) - 'a' < 26) {
    *letter = (char) (md_ascii_lower ((unsigned char) name[0]) - 32);
    return MD_MP2_LETTER;
  }
  if (n == 38 && name[0] == '{' && name[37] == '}') {
    uint16_t u[36];
    for (int i = 0; i < 36; i++)
      u[i] = (unsigned char) name[1 + i];
    uint8_t g[16];
    if (md_guid_parse16 (u, 36, g, NULL) == 0) {
      mountdb_guid_format (g, guid_out);
      return MD_MP2_GUID;
    }
    return MD_MP2_OTHER;
  }
  if (n > 2 && name[0] == '#' && name[1] == '#')
    return MD_MP2_SHARE;
  return MD_MP2_OTHER;
}

int
md_dev_parse_emd (const char *name, md_span *path, md_span *label,
                  uint32_t *serial)
{
  /* "...#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}LABEL_SERIAL": the label
   * may hold '_', the serial (decimal) is after the last one. */
  const char *us = strrchr (name, '_');
  const char *brace = strrchr (name, '}');
  if (us == NULL || brace == NULL || brace > us || us[1] == '\0'
      || strspn (us + 1, "0123456789") != strlen (us + 1)
      || strlen (us + 1) > 10)
    return -1;
  uint64_t v = strtoull (us + 1, NULL, 10);
  if (v > UINT32_MAX)
    return -1;
  *serial = (uint32_t) v;
  path->off = 0;
  path->n = (size_t) (brace - name) + 1;
  label->off = path->n;
  label->n = (size_t) (us - brace) - 1;
  return 0;
}

char *
md_dev_user_from_path (const char *path)
{
  /* ".../Users/NAME/NTUSER.DAT", ".../Documents and Settings/NAME/..." */
  size_t n = strlen (path);
  size_t end = n;
  while (end && path[end - 1] != '/' && path[end - 1] != '\\')
    end--;
  if (end == 0 || !md_ascii_eq (path + end, 1, n - end, "ntuser.dat",
                                MD_EQ_FOLD | MD_EQ_PREFIX))
    return NULL;
  size_t uend = end - 1, ustart = uend;
  while (ustart && path[ustart - 1] != '/' && path[ustart - 1] != '\\')
    ustart--;
  if (ustart == 0 || uend == ustart)
    return NULL;
  size_t pend = ustart - 1, pstart = pend;
  while (pstart && path[pstart - 1] != '/' && path[pstart - 1] != '\\')
    pstart--;
  if (!md_ascii_eq (path + pstart, 1, pend - pstart, "Users", MD_EQ_FOLD)
      && !md_ascii_eq (path + pstart, 1, pend - pstart,
                       "Documents and Settings", MD_EQ_FOLD))
    return NULL;
  char *u = malloc (uend - ustart + 1);
  if (u) {
    memcpy (u, path + ustart, uend - ustart);
    u[uend - ustart] = '\0';
  }
  return u;
}
