/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Volume specs: the one syntax that names a volume everywhere (CLI, plan
 * files, library), parsed into its kind and, where the spec gives it, the
 * unique ID.  A pure decoder (no hivex, no edit layer; fuzzed by
 * lib/fuzz/fuzz_spec.c).
 *
 *   C:  C                      drive letter (either case; stored upper)
 *   {GUID}  GUID               volume GUID name (hex either case; stored
 *   \??\Volume{GUID}           lower)
 *   \\?\Volume{GUID}\          Win32 form, trailing backslash optional
 *   mbr:SIG:OFFSET             12-byte MBR ID (W8): SIG 1-8 hex digits
 *                              (optional 0x), not 0; OFFSET decimal or 0x hex
 *                              with an optional unit B, K/KiB, M/MiB, G/GiB,
 *                              T/TiB (binary) or s/sector/sectors (512 bytes);
 *                              > 0 and a multiple of 512 (V4)
 *   mbr:SIG                    the one partition of disk SIG the hive knows
 *   gpt:GUID  gpt:{GUID}       "DMIO:ID:" + GUID (24 bytes), not nil
 *   hex:BYTES                  raw ID: hex pairs, optionally separated by
 *                              one ':', ' ' or '-'; 1..65536 bytes
 *   disk:PATH:N                partition N (decimal, 1..65535) of the disk
 *                              or image PATH (which may hold ':'; the last
 *                              one ends it): the ID comes from the disk,
 *                              read when the spec is resolved, not here
 *
 * Surrounding whitespace is ignored; the mbr:/gpt:/hex: prefixes and the
 * units are case-insensitive, and so is the "Volume" of the two name forms
 * (a typed spec, not a stored name: H8 applies to the hive's names, which
 * md_spec_resolve matches exactly).  Resolving a spec against a value list
 * is the edit layer's (spec_resolve.c). */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

#define MAX_HEX_BYTES 65536

/* ---- messages ----------------------------------------------------------------- */

/* The spec as quoted in messages: controls become '?', and long texts
 * (hex: specs) are cut so the reason still fits. */
static void
quote_text (const char *s, size_t n, char out[96])
{
  size_t o = 0;
  const size_t max = 80;
  for (size_t i = 0; i < n && o < max; i++)
    {
      unsigned char c = (unsigned char) s[i];
      out[o++] = (c < 0x20 || c == 0x7F) ? '?' : (char) c;
    }
  if (n > max)
    {
      memcpy (out + o, "...", 3);
      o += 3;
    }
  out[o] = '\0';
}

int
md_spec_error (mountdb_error *err, int code, const char *s, size_t n,
               const char *fmt, ...)
{
  if (err == NULL)
    return code;
  char q[96];
  quote_text (s, n, q);
  err->code = code;
  err->sys_errno = 0;
  int k = snprintf (err->message, sizeof err->message, "'%s': ", q);
  if (k < 0 || (size_t) k >= sizeof err->message)
    k = 0;
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (err->message + k, sizeof err->message - (size_t) k, fmt, ap);
  va_end (ap);
  return code;
}

/* ---- small parsers ---------------------------------------------------------- */

static int
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
         || c == '\f';
}

/* 36 characters 8-4-4-4-12 -> Windows binary layout.  Returns 0 or -1. */
static int
parse_guid (const char *s, size_t n, uint8_t out[16])
{
  uint16_t u[36];
  if (n != 36)
    return -1;
  for (size_t i = 0; i < 36; i++)
    u[i] = (unsigned char) s[i];
  return md_guid_parse16 (u, 36, out, NULL);
}

/* A GUID with or without braces. */
static int
parse_guid_braced (const char *s, size_t n, uint8_t out[16])
{
  if (n == 38 && s[0] == '{' && s[37] == '}')
    return parse_guid (s + 1, 36, out);
  return parse_guid (s, n, out);
}

static int
is_nil (const uint8_t g[16])
{
  for (size_t i = 0; i < 16; i++)
    if (g[i] != 0)
      return 0;
  return 1;
}

/* ---- the forms ------------------------------------------------------------------ */

/* mbr:SIG[:OFFSET]; body is what follows "mbr:". */
static int
parse_mbr (mountdb_spec *sp, const char *t, size_t n, const char *body,
           size_t bn, mountdb_error *err)
{
  const char *colon = memchr (body, ':', bn);
  size_t sn = colon ? (size_t) (colon - body) : bn;
  const char *sig = body;

  if (sn >= 2 && sig[0] == '0' && (sig[1] == 'x' || sig[1] == 'X'))
    {
      sig += 2;
      sn -= 2;
    }
  if (sn < 1 || sn > 8)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "disk signature must be 1-8 hex digits "
                       "(mbr:SIG:OFFSET, e.g. mbr:5cbea03e:1MiB)");
  uint32_t v = 0;
  for (size_t i = 0; i < sn; i++)
    {
      int d = md_unhex ((unsigned char) sig[i]);
      if (d < 0)
        return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                           "disk signature must be 1-8 hex digits "
                           "(mbr:SIG:OFFSET, e.g. mbr:5cbea03e:1MiB)");
      v = (v << 4) | (uint32_t) d;
    }
  if (v == 0)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "disk signature 0 is no disk signature: Windows "
                       "re-signs such a disk, so its IDs would not match "
                       "(W8)");
  sp->signature = v;
  if (colon == NULL)
    return 0;                /* a partition of disk SIG, found in the hive */

  /* OFFSET: number (decimal or 0x hex), then an optional unit. */
  /* Hex digits are taken greedily: 0x200B is 0x200b bytes, not 0x200 B. */
  const char *o = colon + 1;
  size_t on = bn - (size_t) (o - body);
  size_t i = 0;
  int base = 10;
  uint64_t num = 0;
  if (on >= 2 && o[0] == '0' && (o[1] == 'x' || o[1] == 'X'))
    {
      base = 16;
      i = 2;
    }
  size_t digits0 = i;
  for (; i < on; i++)
    {
      int d = md_unhex ((unsigned char) o[i]);
      if (d < 0 || d >= base)
        break;
      if (num > (UINT64_MAX - (uint64_t) d) / (uint64_t) base)
        return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                           "partition offset is too large");
      num = num * (uint64_t) base + (uint64_t) d;
    }
  if (i == digits0)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "partition offset must be a number of bytes, "
                       "optionally with a unit (1048576, 1MiB, 2048s)");
  const char *unit = o + i;
  size_t un = on - i;
  /* Units, case-insensitive, and the power of two each multiplies by. */
  static const struct { const char *name; unsigned shift; } units[] = {
    { "b", 0 }, { "s", 9 }, { "sector", 9 }, { "sectors", 9 },
    { "k", 10 }, { "kib", 10 }, { "m", 20 }, { "mib", 20 },
    { "g", 30 }, { "gib", 30 }, { "t", 40 }, { "tib", 40 },
  };
  uint64_t mul = un == 0 ? 1 : 0;
  for (size_t k = 0; k < sizeof units / sizeof *units && mul == 0; k++)
    if (md_text_eq (unit, un, units[k].name, MD_EQ_FOLD))
      mul = (uint64_t) 1 << units[k].shift;
  if (mul == 0)
    {
      /* Typed bytes, quoted as the whole spec is (no controls pass). */
      char uq[96];
      quote_text (unit, un > 16 ? 16 : un, uq);
      return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                            "unknown offset unit '%s' (use B, KiB, MiB, "
                            "GiB, TiB or s for 512-byte sectors)", uq);
    }
  if (num > UINT64_MAX / mul)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "partition offset is too large");
  num *= mul;
  if (num == 0)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "partition offset 0 is the MBR itself, not a "
                       "partition (V4)");
  if (num % 512 != 0)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "partition offset %llu is not a multiple of 512 "
                       "bytes (V4)", (unsigned long long) num);
  sp->has_offset = 1;
  sp->offset = num;
  sp->idlen = 12;
  if ((sp->id = malloc (12)) == NULL)
    return md_spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
  md_put_le32 (sp->id, v);
  md_put_le64 (sp->id + 4, num);
  return 0;
}

static int
parse_gpt (mountdb_spec *sp, const char *t, size_t n, const char *body,
           size_t bn, mountdb_error *err)
{
  if (parse_guid_braced (body, bn, sp->guid) < 0)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "expected a GPT partition GUID "
                       "(gpt:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
  if (is_nil (sp->guid))
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "the nil GUID is no partition GUID (V4)");
  mountdb_guid_format (sp->guid, sp->guid_text);
  sp->idlen = DMIO_PREFIX_LEN + 16;
  if ((sp->id = malloc (sp->idlen)) == NULL)
    return md_spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
  memcpy (sp->id, DMIO_PREFIX, DMIO_PREFIX_LEN);
  memcpy (sp->id + DMIO_PREFIX_LEN, sp->guid, 16);
  return 0;
}

/* disk:PATH:N; body is what follows "disk:".  Only the text: opening the
 * disk is the resolver's (spec_resolve.c), so this stays pure. */
static int
parse_disk (mountdb_spec *sp, const char *t, size_t n, const char *body,
            size_t bn, mountdb_error *err)
{
  size_t colon = bn;
  while (colon > 0 && body[colon - 1] != ':')
    colon--;
  if (colon == 0)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "expected disk:PATH:N (partition N of the disk or "
                       "image PATH, e.g. disk:target.img:2)");
  size_t pn = colon - 1;
  const char *num = body + colon;
  size_t nn = bn - colon;
  if (pn == 0)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "no disk path (disk:PATH:N, e.g. disk:target.img:2)");
  if (memchr (body, '\0', pn) != NULL)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n, "bad disk path");
  unsigned long v = 0;
  if (nn == 0 || nn > 5)
    v = 0;
  else
    for (size_t i = 0; i < nn; i++)
      {
        if (num[i] < '0' || num[i] > '9')
          {
            v = 0;
            break;
          }
        v = v * 10 + (unsigned long) (num[i] - '0');
      }
  if (v == 0 || v > 65535)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "partition number must be 1-65535 (disk:PATH:N; "
                       "`mountdb disks PATH` lists them)");
  if ((sp->disk_path = malloc (pn + 1)) == NULL)
    return md_spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
  memcpy (sp->disk_path, body, pn);
  sp->disk_path[pn] = '\0';
  sp->partition = (unsigned) v;
  return 0;
}

static int
is_sep (char c)
{
  return c == ':' || c == ' ' || c == '-';
}

static int
parse_hex_bytes (mountdb_spec *sp, const char *t, size_t n, const char *body,
                 size_t bn, mountdb_error *err)
{
  /* Validate and count first: pairs, with at most one separator between
   * two pairs. */
  size_t count = 0;
  for (size_t i = 0; i < bn;)
    {
      if (count > 0 && is_sep (body[i]))
        {
          i++;
          if (i == bn)
            return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                               "hex bytes must not end with a separator");
        }
      size_t badpos = bn;     /* a character that is no hex digit */
      if (md_unhex ((unsigned char) body[i]) < 0)
        badpos = i;
      else if (i + 1 == bn || is_sep (body[i + 1]))
        return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                           "odd number of hex digits (byte %zu is "
                           "incomplete)", count + 1);
      else if (md_unhex ((unsigned char) body[i + 1]) < 0)
        badpos = i + 1;
      if (badpos < bn)
        return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                           "expected hex digit pairs (optionally separated "
                           "by ':', ' ' or '-') at character %zu",
                           (size_t) (body - t) + badpos + 1);
      i += 2;
      if (++count > MAX_HEX_BYTES)
        return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                           "more than %d bytes: no unique ID is that long",
                           MAX_HEX_BYTES);
    }
  if (count == 0)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "expected at least one byte (hex:0a1b2c...)");
  if ((sp->id = malloc (count)) == NULL)
    return md_spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
  size_t k = 0;
  for (size_t i = 0; i < bn;)
    {
      if (is_sep (body[i]))
        i++;
      sp->id[k++] = (uint8_t) (md_unhex ((unsigned char) body[i]) << 4
                               | md_unhex ((unsigned char) body[i + 1]));
      i += 2;
    }
  sp->idlen = count;
  return 0;
}

/* "{GUID}", "GUID", "\??\Volume{GUID}", "\\?\Volume{GUID}[\]".  Returns 1
 * when t has one of these shapes (sp filled, or an error for a bad GUID),
 * 0 when it is none of them. */
static int
parse_volume_name (mountdb_spec *sp, const char *t, size_t n,
                   mountdb_error *err, int *rc)
{
  const char *g = NULL;
  size_t gn = 0;

  if (n == 38 && t[0] == '{' && t[37] == '}')
    g = t + 1, gn = 36;
  else if (n == 36 && t[8] == '-' && t[13] == '-')
    g = t, gn = 36;
  else if (md_text_eq (t, n, "\\??\\volume{", MD_EQ_FOLD | MD_EQ_PREFIX))
    {
      g = t + 11;
      gn = n - 11;
      if (gn == 0 || g[gn - 1] != '}')
        gn = 0;
      else
        gn--;
    }
  else if (md_text_eq (t, n, "\\\\?\\volume{", MD_EQ_FOLD | MD_EQ_PREFIX))
    {
      g = t + 11;
      gn = n - 11;
      if (gn > 0 && g[gn - 1] == '\\')
        gn--;
      if (gn == 0 || g[gn - 1] != '}')
        gn = 0;
      else
        gn--;
    }
  else
    return 0;

  if (parse_guid (g, gn, sp->guid) < 0)
    {
      *rc = md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                        "malformed volume GUID (expected "
                        "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx})");
      return 1;
    }
  sp->kind = MOUNTDB_SPEC_VOLUME_GUID;
  mountdb_guid_format (sp->guid, sp->guid_text);
  *rc = 0;
  return 1;
}

static int
parse_trimmed (mountdb_spec *sp, const char *t, size_t n, mountdb_error *err)
{
  int rc;

  if (n == 0)
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "empty volume spec (expected C:, {GUID}, "
                       "mbr:SIG:OFFSET, gpt:GUID, hex:BYTES or disk:PATH:N)");

  /* A drive letter: "C" or "C:". */
  if ((n == 1 || (n == 2 && t[1] == ':'))
      && ((t[0] >= 'A' && t[0] <= 'Z') || (t[0] >= 'a' && t[0] <= 'z')))
    {
      sp->kind = MOUNTDB_SPEC_LETTER;
      sp->letter = (char) (t[0] >= 'a' ? t[0] - 32 : t[0]);
      return 0;
    }
  if (md_text_eq (t, n, "mbr:", MD_EQ_FOLD | MD_EQ_PREFIX))
    {
      sp->kind = MOUNTDB_SPEC_MBR;
      return parse_mbr (sp, t, n, t + 4, n - 4, err);
    }
  if (md_text_eq (t, n, "gpt:", MD_EQ_FOLD | MD_EQ_PREFIX))
    {
      sp->kind = MOUNTDB_SPEC_GPT;
      return parse_gpt (sp, t, n, t + 4, n - 4, err);
    }
  if (md_text_eq (t, n, "hex:", MD_EQ_FOLD | MD_EQ_PREFIX))
    {
      sp->kind = MOUNTDB_SPEC_HEX;
      return parse_hex_bytes (sp, t, n, t + 4, n - 4, err);
    }
  if (md_text_eq (t, n, "disk:", MD_EQ_FOLD | MD_EQ_PREFIX))
    {
      sp->kind = MOUNTDB_SPEC_DISK;
      return parse_disk (sp, t, n, t + 5, n - 5, err);
    }
  if (parse_volume_name (sp, t, n, err, &rc))
    return rc;
  if (n == 2 && t[1] == ':')
    return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "a drive letter must be A-Z");
  return md_spec_error (err, MOUNTDB_E_INVAL, t, n,
                     "not a volume spec (expected a drive letter C:, a "
                     "volume GUID {GUID} or \\\\?\\Volume{GUID}\\, "
                     "mbr:SIG:OFFSET, mbr:SIG, gpt:GUID, hex:BYTES or "
                     "disk:PATH:N)");
}

/* ---- public API ------------------------------------------------------------------ */

int
mountdb_spec_parse (const char *text, mountdb_spec **out, mountdb_error *err)
{
  if (out != NULL)
    *out = NULL;
  if (text == NULL || out == NULL)
    return md_spec_error (err, MOUNTDB_E_INVAL, "", 0,
                       "no volume spec given");

  size_t n = strlen (text);
  const char *t = text;
  while (n > 0 && is_space (t[0]))
    t++, n--;
  while (n > 0 && is_space (t[n - 1]))
    n--;

  mountdb_spec *sp = calloc (1, sizeof *sp);
  if (sp == NULL)
    return md_spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
  int rc = parse_trimmed (sp, t, n, err);
  if (rc == 0)
    {
      if ((sp->text = malloc (n + 1)) == NULL)
        rc = md_spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
      else
        {
          memcpy (sp->text, t, n);
          sp->text[n] = '\0';
        }
    }
  if (rc < 0)
    {
      mountdb_spec_free (sp);
      return rc;
    }
  *out = sp;
  return 0;
}

void
mountdb_spec_free (mountdb_spec *spec)
{
  if (spec == NULL)
    return;
  free (spec->text);
  free (spec->disk_path);
  free (spec->disk_id);
  free (spec->id);
  free (spec);
}

int
mountdb_spec_kind (const mountdb_spec *spec)
{
  return spec ? spec->kind : MOUNTDB_E_INVAL;
}

const char *
mountdb_spec_text (const mountdb_spec *spec)
{
  return spec ? spec->text : NULL;
}

const uint8_t *
mountdb_spec_id (const mountdb_spec *spec, size_t *len)
{
  if (spec == NULL || spec->id == NULL)
    {
      if (len != NULL)
        *len = 0;
      return NULL;
    }
  if (len != NULL)
    *len = spec->idlen;
  return spec->id;
}

const char *
mountdb_spec_disk_path (const mountdb_spec *spec)
{
  return spec && spec->kind == MOUNTDB_SPEC_DISK ? spec->disk_path : NULL;
}

unsigned
mountdb_spec_partition (const mountdb_spec *spec)
{
  return spec && spec->kind == MOUNTDB_SPEC_DISK ? spec->partition : 0;
}
