/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Volume specs: the one syntax that names a volume everywhere (CLI, plan
 * files, library), and how a spec finds its unique ID in a value list.
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
 *
 * Surrounding whitespace is ignored; the mbr:/gpt:/hex: prefixes and the
 * units are case-insensitive, and so is the "Volume" of the two name forms
 * (a typed spec, not a stored name: H8 applies to the hive's names, which
 * md_spec_resolve matches exactly).
 *
 * W11: md_guid_from_id derives GUIDs for new names from the ID, so the same
 * edit gives the same bytes.  It is a name-based UUID, version 5 (RFC 4122,
 * SHA-1), in the namespace
 *     ba877971-bebd-550e-9f85-7d5531c13750
 *     = uuid5(NAMESPACE_URL, "mountdb:W11")
 * over the name  purpose || 0x00 || ID bytes  ("volume" for volume GUID
 * names, "marker" for #{} markers; the NUL keeps purpose and ID apart).
 * In Python:  uuid.UUID(bytes=set_v5(sha1(ns.bytes + b"volume\0" + id))). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "internal.h"

#define MAX_HEX_BYTES 65536
#define DMIO_PREFIX "DMIO:ID:"
#define DMIO_PREFIX_LEN 8
#define DOS_PREFIX "\\DosDevices\\"   /* 12 units */
#define VOL_PREFIX "\\??\\Volume{"    /* 11 units */

struct mountdb_spec {
  int kind;                  /* enum mountdb_spec_kind */
  char *text;                /* as given, surrounding whitespace removed */
  char letter;               /* LETTER: 'A'..'Z' */
  uint8_t guid[16];          /* VOLUME_GUID, GPT: Windows binary layout */
  char guid_text[37];        /* lower case */
  uint32_t signature;        /* MBR */
  int has_offset;            /* MBR: 0 for "mbr:SIG" */
  uint64_t offset;           /* MBR: bytes */
  uint8_t *id;               /* MBR with offset, GPT, HEX; else NULL */
  size_t idlen;
};

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

/* "'TEXT': reason".  Returns code. */
static int spec_error (mountdb_error *err, int code, const char *s, size_t n,
                       const char *fmt, ...)
  __attribute__ ((format (printf, 5, 6)));

static int
spec_error (mountdb_error *err, int code, const char *s, size_t n,
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

/* s[0..n) equals the ASCII literal lit ignoring ASCII case. */
static int
eq_fold (const char *s, size_t n, const char *lit)
{
  size_t m = strlen (lit);
  if (n != m)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (md_fold16 ((unsigned char) s[i]) != md_fold16 ((unsigned char) lit[i]))
      return 0;
  return 1;
}

static int
prefix_fold (const char *s, size_t n, const char *lit)
{
  size_t m = strlen (lit);
  return n >= m && eq_fold (s, m, lit);
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
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "disk signature must be 1-8 hex digits "
                       "(mbr:SIG:OFFSET, e.g. mbr:5cbea03e:1MiB)");
  uint32_t v = 0;
  for (size_t i = 0; i < sn; i++)
    {
      int d = md_unhex ((unsigned char) sig[i]);
      if (d < 0)
        return spec_error (err, MOUNTDB_E_INVAL, t, n,
                           "disk signature must be 1-8 hex digits "
                           "(mbr:SIG:OFFSET, e.g. mbr:5cbea03e:1MiB)");
      v = (v << 4) | (uint32_t) d;
    }
  if (v == 0)
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
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
        return spec_error (err, MOUNTDB_E_INVAL, t, n,
                           "partition offset is too large");
      num = num * (uint64_t) base + (uint64_t) d;
    }
  if (i == digits0)
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "partition offset must be a number of bytes, "
                       "optionally with a unit (1048576, 1MiB, 2048s)");
  const char *unit = o + i;
  size_t un = on - i;
  uint64_t mul;
  if (un == 0 || eq_fold (unit, un, "b"))
    mul = 1;
  else if (eq_fold (unit, un, "s") || eq_fold (unit, un, "sector")
           || eq_fold (unit, un, "sectors"))
    mul = 512;
  else if (eq_fold (unit, un, "k") || eq_fold (unit, un, "kib"))
    mul = (uint64_t) 1 << 10;
  else if (eq_fold (unit, un, "m") || eq_fold (unit, un, "mib"))
    mul = (uint64_t) 1 << 20;
  else if (eq_fold (unit, un, "g") || eq_fold (unit, un, "gib"))
    mul = (uint64_t) 1 << 30;
  else if (eq_fold (unit, un, "t") || eq_fold (unit, un, "tib"))
    mul = (uint64_t) 1 << 40;
  else
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "unknown offset unit '%.*s' (use B, KiB, MiB, GiB, "
                       "TiB or s for 512-byte sectors)",
                       (int) (un > 16 ? 16 : un), unit);
  if (num > UINT64_MAX / mul)
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "partition offset is too large");
  num *= mul;
  if (num == 0)
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "partition offset 0 is the MBR itself, not a "
                       "partition (V4)");
  if (num % 512 != 0)
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "partition offset %llu is not a multiple of 512 "
                       "bytes (V4)", (unsigned long long) num);
  sp->has_offset = 1;
  sp->offset = num;
  sp->idlen = 12;
  if ((sp->id = malloc (12)) == NULL)
    return spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
  md_put_le32 (sp->id, v);
  md_put_le64 (sp->id + 4, num);
  return 0;
}

static int
parse_gpt (mountdb_spec *sp, const char *t, size_t n, const char *body,
           size_t bn, mountdb_error *err)
{
  if (parse_guid_braced (body, bn, sp->guid) < 0)
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "expected a GPT partition GUID "
                       "(gpt:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
  if (is_nil (sp->guid))
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "the nil GUID is no partition GUID (V4)");
  mountdb_guid_format (sp->guid, sp->guid_text);
  sp->idlen = DMIO_PREFIX_LEN + 16;
  if ((sp->id = malloc (sp->idlen)) == NULL)
    return spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
  memcpy (sp->id, DMIO_PREFIX, DMIO_PREFIX_LEN);
  memcpy (sp->id + DMIO_PREFIX_LEN, sp->guid, 16);
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
            return spec_error (err, MOUNTDB_E_INVAL, t, n,
                               "hex bytes must not end with a separator");
        }
      size_t badpos = bn;     /* a character that is no hex digit */
      if (md_unhex ((unsigned char) body[i]) < 0)
        badpos = i;
      else if (i + 1 == bn || is_sep (body[i + 1]))
        return spec_error (err, MOUNTDB_E_INVAL, t, n,
                           "odd number of hex digits (byte %zu is "
                           "incomplete)", count + 1);
      else if (md_unhex ((unsigned char) body[i + 1]) < 0)
        badpos = i + 1;
      if (badpos < bn)
        return spec_error (err, MOUNTDB_E_INVAL, t, n,
                           "expected hex digit pairs (optionally separated "
                           "by ':', ' ' or '-') at character %zu",
                           (size_t) (body - t) + badpos + 1);
      i += 2;
      if (++count > MAX_HEX_BYTES)
        return spec_error (err, MOUNTDB_E_INVAL, t, n,
                           "more than %d bytes: no unique ID is that long",
                           MAX_HEX_BYTES);
    }
  if (count == 0)
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "expected at least one byte (hex:0a1b2c...)");
  if ((sp->id = malloc (count)) == NULL)
    return spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
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
  else if (prefix_fold (t, n, "\\??\\volume{"))
    {
      g = t + 11;
      gn = n - 11;
      if (gn == 0 || g[gn - 1] != '}')
        gn = 0;
      else
        gn--;
    }
  else if (prefix_fold (t, n, "\\\\?\\volume{"))
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
      *rc = spec_error (err, MOUNTDB_E_INVAL, t, n,
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
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "empty volume spec (expected C:, {GUID}, "
                       "mbr:SIG:OFFSET, gpt:GUID or hex:BYTES)");

  /* A drive letter: "C" or "C:". */
  if ((n == 1 || (n == 2 && t[1] == ':'))
      && ((t[0] >= 'A' && t[0] <= 'Z') || (t[0] >= 'a' && t[0] <= 'z')))
    {
      sp->kind = MOUNTDB_SPEC_LETTER;
      sp->letter = (char) (t[0] >= 'a' ? t[0] - 32 : t[0]);
      return 0;
    }
  if (prefix_fold (t, n, "mbr:"))
    {
      sp->kind = MOUNTDB_SPEC_MBR;
      return parse_mbr (sp, t, n, t + 4, n - 4, err);
    }
  if (prefix_fold (t, n, "gpt:"))
    {
      sp->kind = MOUNTDB_SPEC_GPT;
      return parse_gpt (sp, t, n, t + 4, n - 4, err);
    }
  if (prefix_fold (t, n, "hex:"))
    {
      sp->kind = MOUNTDB_SPEC_HEX;
      return parse_hex_bytes (sp, t, n, t + 4, n - 4, err);
    }
  if (parse_volume_name (sp, t, n, err, &rc))
    return rc;
  if (n == 2 && t[1] == ':')
    return spec_error (err, MOUNTDB_E_INVAL, t, n,
                       "a drive letter must be A-Z");
  return spec_error (err, MOUNTDB_E_INVAL, t, n,
                     "not a volume spec (expected a drive letter C:, a "
                     "volume GUID {GUID} or \\\\?\\Volume{GUID}\\, "
                     "mbr:SIG:OFFSET, mbr:SIG, gpt:GUID or hex:BYTES)");
}

/* ---- public API ------------------------------------------------------------------ */

int
mountdb_spec_parse (const char *text, mountdb_spec **out, mountdb_error *err)
{
  if (out != NULL)
    *out = NULL;
  if (text == NULL || out == NULL)
    return spec_error (err, MOUNTDB_E_INVAL, "", 0,
                       "no volume spec given");

  size_t n = strlen (text);
  const char *t = text;
  while (n > 0 && is_space (t[0]))
    t++, n--;
  while (n > 0 && is_space (t[n - 1]))
    n--;

  mountdb_spec *sp = calloc (1, sizeof *sp);
  if (sp == NULL)
    return spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
  int rc = parse_trimmed (sp, t, n, err);
  if (rc == 0)
    {
      if ((sp->text = malloc (n + 1)) == NULL)
        rc = spec_error (err, MOUNTDB_E_NOMEM, t, n, "out of memory");
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

/* ---- resolving against a value list ------------------------------------------- */


/* What *id points at for empty data (never NULL on success). */
static const uint8_t empty_id[1];

/* Units equal to the ASCII literal, exactly or ignoring ASCII case. */
static int
units_eq (const uint16_t *u, size_t n, const char *lit, int fold)
{
  if (n != strlen (lit))
    return 0;
  for (size_t i = 0; i < n; i++)
    {
      uint16_t a = u[i], b = (unsigned char) lit[i];
      if (fold && a >= 'A' && a <= 'Z')
        a = (uint16_t) (a + 32);
      if (fold && b >= 'A' && b <= 'Z')
        b = (uint16_t) (b + 32);
      if (a != b)
        return 0;
    }
  return 1;
}

/* "\??\Volume{" exactly, then a GUID equal to g (hex in any case), "}". */
static int
is_volume_name_of (const uint16_t *u, size_t n, const uint8_t g[16])
{
  uint8_t h[16];
  if (n != 48 || u[47] != '}')
    return 0;
  if (!units_eq (u, 11, VOL_PREFIX, 0))
    return 0;
  return md_guid_parse16 (u + 11, 36, h, NULL) == 0 && memcmp (h, g, 16) == 0;
}

static int
resolve_letter (const mountdb_spec *sp, const struct md_val *vals,
                size_t nvals, const uint8_t **id, size_t *len,
                mountdb_error *err)
{
  char name[16];
  snprintf (name, sizeof name, DOS_PREFIX "%c:", sp->letter);
  const struct md_val *other_type = NULL, *variant = NULL;
  for (size_t i = 0; i < nvals; i++)
    {
      const struct md_val *v = &vals[i];
      if (units_eq (v->name16, v->n16, name, 0))
        {
          if (v->type == MOUNTDB_REG_BINARY)
            {
              *id = v->data ? v->data : empty_id;
              *len = v->len;
              return 0;
            }
          if (other_type == NULL)
            other_type = v;
        }
      else if (variant == NULL && units_eq (v->name16, v->n16, name, 1))
        variant = v;
    }
  if (other_type != NULL)
    return spec_error (err, MOUNTDB_E_NOMATCH, sp->text, strlen (sp->text),
                       "no drive letter %c: in MountedDevices (%s is of type "
                       "%u, not REG_BINARY: the mount manager ignores it)",
                       sp->letter, name, (unsigned) other_type->type);
  if (variant != NULL)
    return spec_error (err, MOUNTDB_E_NOMATCH, sp->text, strlen (sp->text),
                       "no drive letter %c: in MountedDevices (a name that "
                       "differs in case is no drive letter to Windows, H8)",
                       sp->letter);
  return spec_error (err, MOUNTDB_E_NOMATCH, sp->text, strlen (sp->text),
                     "no drive letter %c: in MountedDevices", sp->letter);
}

static int
resolve_volume (const mountdb_spec *sp, const struct md_val *vals,
                size_t nvals, const uint8_t **id, size_t *len,
                mountdb_error *err)
{
  int other_type = 0;
  for (size_t i = 0; i < nvals; i++)
    {
      const struct md_val *v = &vals[i];
      if (!is_volume_name_of (v->name16, v->n16, sp->guid))
        continue;
      if (v->type == MOUNTDB_REG_BINARY)
        {
          *id = v->data ? v->data : empty_id;
          *len = v->len;
          return 0;
        }
      other_type = 1;
    }
  return spec_error (err, MOUNTDB_E_NOMATCH, sp->text, strlen (sp->text),
                     "no such volume GUID name \\??\\Volume{%s} in "
                     "MountedDevices%s", sp->guid_text,
                     other_type ? " (only a value that is not REG_BINARY, "
                                  "which the mount manager ignores)" : "");
}

/* "1MiB": the largest binary unit that divides v, in spec syntax. */
static void
format_offset (uint64_t v, char out[32])
{
  static const char *const units[] = { "TiB", "GiB", "MiB", "KiB" };
  for (int i = 0; i < 4 && v != 0; i++)
    {
      uint64_t unit = (uint64_t) 1 << (40 - 10 * i);
      if (v % unit == 0)
        {
          snprintf (out, 32, "%llu%s", (unsigned long long) (v / unit),
                    units[i]);
          return;
        }
    }
  snprintf (out, 32, "%llu", (unsigned long long) v);
}

static int
cmp_u64 (const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
  return x < y ? -1 : x > y;
}

static int
resolve_mbr_disk (const mountdb_spec *sp, const struct md_val *vals,
                  size_t nvals, const uint8_t **id, size_t *len,
                  mountdb_error *err)
{
  const struct md_val *first = NULL;
  size_t distinct = 0;
  uint64_t *offs = NULL;

  /* Distinct IDs are distinct offsets: the signature is fixed. */
  for (size_t i = 0; i < nvals; i++)
    {
      const struct md_val *v = &vals[i];
      if (v->type != MOUNTDB_REG_BINARY || v->len != 12 || v->data == NULL
          || md_le32 (v->data) != sp->signature)
        continue;
      uint64_t off = md_le64 (v->data + 4);
      size_t k;
      for (k = 0; k < distinct && offs[k] != off; k++)
        ;
      if (k < distinct)
        continue;
      uint64_t *grown = realloc (offs, (distinct + 1) * sizeof *offs);
      if (grown == NULL)
        {
          free (offs);
          return spec_error (err, MOUNTDB_E_NOMEM, sp->text,
                             strlen (sp->text), "out of memory");
        }
      offs = grown;
      offs[distinct++] = off;
      if (first == NULL)
        first = v;
    }

  if (distinct == 1)
    {
      free (offs);
      *id = first->data;
      *len = first->len;
      return 0;
    }
  if (distinct == 0)
    return spec_error (err, MOUNTDB_E_NOMATCH, sp->text, strlen (sp->text),
                       "no partition of MBR disk %08X in MountedDevices",
                       (unsigned) sp->signature);

  qsort (offs, distinct, sizeof *offs, cmp_u64);
  char list[700];
  size_t at = 0;
  list[0] = '\0';
  for (size_t k = 0; k < distinct; k++)
    {
      char one[32];
      format_offset (offs[k], one);
      size_t need = strlen (one) + 2;
      if (at + need + 8 >= sizeof list)
        {
          snprintf (list + at, sizeof list - at, ", ...");
          break;
        }
      at += (size_t) snprintf (list + at, sizeof list - at, "%s%s",
                               k ? ", " : "", one);
    }
  free (offs);
  return spec_error (err, MOUNTDB_E_AMBIGUOUS, sp->text, strlen (sp->text),
                     "MBR disk %08X has %zu partitions in MountedDevices, "
                     "at offsets %s: name one as mbr:%08x:OFFSET",
                     (unsigned) sp->signature, distinct, list,
                     (unsigned) sp->signature);
}

int
md_spec_resolve (const mountdb_spec *spec, const struct md_val *vals,
                 size_t nvals, const uint8_t **id, size_t *len,
                 mountdb_error *err)
{
  if (spec == NULL || id == NULL || len == NULL || (vals == NULL && nvals))
    return spec_error (err, MOUNTDB_E_INVAL, "", 0, "bad arguments");
  *id = NULL;
  *len = 0;
  switch (spec->kind)
    {
    case MOUNTDB_SPEC_LETTER:
      return resolve_letter (spec, vals, nvals, id, len, err);
    case MOUNTDB_SPEC_VOLUME_GUID:
      return resolve_volume (spec, vals, nvals, id, len, err);
    case MOUNTDB_SPEC_MBR:
      if (!spec->has_offset)
        return resolve_mbr_disk (spec, vals, nvals, id, len, err);
      /* fall through */
    case MOUNTDB_SPEC_GPT:
    case MOUNTDB_SPEC_HEX:
      /* The ID itself: present in the hive or not (pre-seeding, W8). */
      *id = spec->id;
      *len = spec->idlen;
      return 0;
    default:
      return spec_error (err, MOUNTDB_E_INVAL, spec->text,
                         strlen (spec->text), "unknown spec kind");
    }
}

/* ---- the closest volumes, for a spec that names none -------------------------- */

/* An ID in spec syntax, as a user would type it: mbr:SIG:OFFSET (no
 * leading zeros), gpt:GUID, or hex:BYTES (cut after 40 bytes). */
static void
id_text (const uint8_t *id, size_t len, char out[128])
{
  if (len == 12)
    {
      char off[32];
      format_offset (md_le64 (id + 4), off);
      snprintf (out, 128, "mbr:%x:%s", (unsigned) md_le32 (id), off);
      return;
    }
  if (len == DMIO_PREFIX_LEN + 16 && memcmp (id, DMIO_PREFIX, DMIO_PREFIX_LEN) == 0)
    {
      char g[37];
      mountdb_guid_format (id + DMIO_PREFIX_LEN, g);
      snprintf (out, 128, "gpt:%s", g);
      return;
    }
  static const char hexd[] = "0123456789abcdef";
  size_t o = (size_t) snprintf (out, 128, "hex:");
  for (size_t i = 0; i < len && i < 40; i++)
    {
      out[o++] = hexd[id[i] >> 4];
      out[o++] = hexd[id[i] & 15];
    }
  if (len > 40)
    o += (size_t) snprintf (out + o, 128 - o, "...");
  out[o] = '\0';
}

/* Levenshtein distance (strings under 128 bytes). */
static size_t
edit_distance (const char *a, const char *b)
{
  size_t n = strlen (a), m = strlen (b), row[128];
  for (size_t j = 0; j <= m; j++)
    row[j] = j;
  for (size_t i = 1; i <= n; i++)
    {
      size_t diag = row[0];
      row[0] = i;
      for (size_t j = 1; j <= m; j++)
        {
          size_t up = row[j];
          size_t best = diag + (a[i - 1] != b[j - 1]);
          if (up + 1 < best)
            best = up + 1;
          if (row[j - 1] + 1 < best)
            best = row[j - 1] + 1;
          row[j] = best;
          diag = up;
        }
    }
  return row[m];
}

/* 0 MBR, 1 GPT/DMIO, 2 anything else: a typo keeps the shape. */
static int
id_kind (const uint8_t *id, size_t len)
{
  if (len == 12)
    return 0;
  if (len == DMIO_PREFIX_LEN + 16 && memcmp (id, DMIO_PREFIX, DMIO_PREFIX_LEN) == 0)
    return 1;
  return 2;
}

struct near { size_t score, at; };

static int
cmp_near (const void *x, const void *y)
{
  const struct near *a = x, *b = y;
  if (a->score != b->score)
    return a->score < b->score ? -1 : 1;
  return a->at < b->at ? -1 : a->at > b->at;
}

void
md_spec_closest (const uint8_t *id, size_t len, const struct md_val *vals,
                 size_t nvals, char *out, size_t size)
{
  char want[128], have[128];
  struct near *nr = malloc ((nvals ? nvals : 1) * sizeof *nr);
  size_t n = 0, o = 0;
  out[0] = '\0';
  if (nr == NULL)
    return;
  id_text (id, len, want);
  for (size_t i = 0; i < nvals; i++)
    {
      const struct md_val *v = &vals[i];
      if (v->type != MOUNTDB_REG_BINARY || v->len == 0)
        continue;
      size_t k;
      for (k = 0; k < i; k++)  /* one entry per volume: its first value */
        if (vals[k].type == MOUNTDB_REG_BINARY && vals[k].len == v->len
            && memcmp (vals[k].data, v->data, v->len) == 0)
          break;
      if (k < i)
        continue;
      id_text (v->data, v->len, have);
      nr[n].score = edit_distance (want, have)
                    + (id_kind (id, len) != id_kind (v->data, v->len)
                       ? 1000 : 0);
      nr[n++].at = i;
    }
  qsort (nr, n, sizeof *nr, cmp_near);
  for (size_t k = 0; k < n && k < 3 && o + 1 < size; k++)
    {
      const struct md_val *v = &vals[nr[k].at];
      char letter = 0;
      for (size_t i = 0; i < nvals && !letter; i++)
        if (vals[i].n16 == 14 && units_eq (vals[i].name16, 12, DOS_PREFIX, 0)
            && vals[i].name16[13] == ':' && vals[i].len == v->len
            && vals[i].type == MOUNTDB_REG_BINARY
            && memcmp (vals[i].data, v->data, v->len) == 0)
          letter = (char) vals[i].name16[12];
      id_text (v->data, v->len, have);
      int w = letter ? snprintf (out + o, size - o, "%s%s (%c:)", k ? ", " : "",
                                 have, letter)
                     : snprintf (out + o, size - o, "%s%s", k ? ", " : "", have);
      if (w < 0 || (size_t) w >= size - o)
        break;
      o += (size_t) w;
    }
  free (nr);
}

/* ---- W11: GUIDs derived from an ID -------------------------------------------- */

/* ba877971-bebd-550e-9f85-7d5531c13750 = uuid5(NAMESPACE_URL, "mountdb:W11"),
 * in RFC 4122 (big-endian) byte order as hashed. */
static const uint8_t w11_namespace[16] = {
  0xba, 0x87, 0x79, 0x71, 0xbe, 0xbd, 0x55, 0x0e,
  0x9f, 0x85, 0x7d, 0x55, 0x31, 0xc1, 0x37, 0x50,
};

int
md_guid_from_id (const uint8_t *id, size_t len, const char *purpose,
                 uint8_t out[16])
{
  static const uint8_t nul = 0;
  uint8_t md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  int ok = 0;

  if (purpose == NULL)
    purpose = "";
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  if (ctx != NULL)
    ok = EVP_DigestInit_ex (ctx, EVP_sha1 (), NULL) == 1
         && EVP_DigestUpdate (ctx, w11_namespace, 16) == 1
         && EVP_DigestUpdate (ctx, purpose, strlen (purpose)) == 1
         && EVP_DigestUpdate (ctx, &nul, 1) == 1
         && (len == 0 || EVP_DigestUpdate (ctx, id, len) == 1)
         && EVP_DigestFinal_ex (ctx, md, &mdlen) == 1 && mdlen >= 16;
  EVP_MD_CTX_free (ctx);
  if (!ok)
    {
      memset (out, 0, 16);
      return MOUNTDB_E_CRYPTO;
    }

  md[6] = (uint8_t) ((md[6] & 0x0F) | 0x50);   /* version 5 */
  md[8] = (uint8_t) ((md[8] & 0x3F) | 0x80);   /* variant RFC 4122 */
  /* Big-endian UUID -> Windows layout: Data1..Data3 little-endian. */
  out[0] = md[3];
  out[1] = md[2];
  out[2] = md[1];
  out[3] = md[0];
  out[4] = md[5];
  out[5] = md[4];
  out[6] = md[7];
  out[7] = md[6];
  memcpy (out + 8, md + 8, 8);
  return 0;
}
