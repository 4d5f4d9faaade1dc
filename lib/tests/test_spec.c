/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/spec.c: the volume spec grammar (every form, every
 * error with its message), resolving specs against hand-built value lists
 * (H8 exact names, non-binary values ignored, mbr:SIG ambiguity) and the
 * W11 name-based GUIDs (known answers cross-checked with Python's hashlib
 * and uuid modules). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "edit.h"

#define GUID_LO "01234567-89ab-cdef-0123-456789abcdef"
#define GUID_UP "01234567-89AB-CDEF-0123-456789ABCDEF"
/* GUID_LO in Windows binary layout. */
static const uint8_t guid_bin[16] = {
  0x67, 0x45, 0x23, 0x01, 0xab, 0x89, 0xef, 0xcd,
  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
};
/* MBR disk 5CBEA03E @ 1 MiB. */
static const uint8_t mbr_1mib[12] = {
  0x3e, 0xa0, 0xbe, 0x5c, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* ---- helpers ------------------------------------------------------------------ */

static mountdb_spec *
ok (const char *text)
{
  mountdb_spec *sp = NULL;
  mountdb_error err;
  memset (&err, 0, sizeof err);
  int rc = mountdb_spec_parse (text, &sp, &err);
  if (rc != 0)
    fail_msg ("\"%s\": %d %s", text, rc, err.message);
  assert_non_null (sp);
  return sp;
}

/* Parse must fail with MOUNTDB_E_INVAL and a message starting with want. */
static void
bad (const char *text, const char *want)
{
  mountdb_spec *sp = (mountdb_spec *) 1;
  mountdb_error err;
  memset (&err, 0x55, sizeof err);
  int rc = mountdb_spec_parse (text, &sp, &err);
  assert_int_equal (rc, MOUNTDB_E_INVAL);
  assert_null (sp);
  assert_int_equal (err.code, MOUNTDB_E_INVAL);
  assert_int_equal (err.sys_errno, 0);
  assert_non_null (memchr (err.message, '\0', sizeof err.message));
  if (strncmp (err.message, want, strlen (want)) != 0)
    fail_msg ("\"%s\": message \"%s\", expected \"%s...\"", text ? text : "",
              err.message, want);
  /* err may be NULL. */
  sp = (mountdb_spec *) 1;
  assert_int_equal (mountdb_spec_parse (text, &sp, NULL), MOUNTDB_E_INVAL);
  assert_null (sp);
}

static void
check_id (const mountdb_spec *sp, const uint8_t *want, size_t wantlen)
{
  size_t len = 99;
  const uint8_t *id = mountdb_spec_id (sp, &len);
  assert_non_null (id);
  assert_int_equal (len, wantlen);
  assert_memory_equal (id, want, wantlen);
}

static void
check_no_id (const mountdb_spec *sp)
{
  size_t len = 99;
  assert_null (mountdb_spec_id (sp, &len));
  assert_int_equal (len, 0);
  assert_null (mountdb_spec_id (sp, NULL));
}

static void
mbr_id (uint32_t sig, uint64_t off, uint8_t out[12])
{
  for (int i = 0; i < 4; i++)
    out[i] = (uint8_t) (sig >> (8 * i));
  for (int i = 0; i < 8; i++)
    out[4 + i] = (uint8_t) (off >> (8 * i));
}

/* Parses to an MBR spec with exactly this ID. */
static void
mbr_ok (const char *text, uint32_t sig, uint64_t off)
{
  uint8_t want[12];
  mbr_id (sig, off, want);
  mountdb_spec *sp = ok (text);
  assert_int_equal (mountdb_spec_kind (sp), MOUNTDB_SPEC_MBR);
  check_id (sp, want, 12);
  mountdb_spec_free (sp);
}

/* A value list built by hand (ASCII names). */
struct vlist {
  struct md_val v[256];
  size_t n;
};

static void
add (struct vlist *l, const char *name, uint32_t type, const uint8_t *data,
     size_t len)
{
  assert_true (l->n < 256);
  struct md_val *v = &l->v[l->n++];
  v->n16 = strlen (name);
  v->name16 = malloc ((v->n16 + 1) * sizeof *v->name16);
  assert_non_null (v->name16);
  for (size_t i = 0; i < v->n16; i++)
    v->name16[i] = (unsigned char) name[i];
  v->type = type;
  v->len = len;
  v->data = NULL;
  if (len)
    {
      v->data = malloc (len);
      assert_non_null (v->data);
      memcpy (v->data, data, len);
    }
  v->origin = -1;
}

static void
add_mbr (struct vlist *l, const char *name, uint32_t sig, uint64_t off)
{
  uint8_t id[12];
  mbr_id (sig, off, id);
  add (l, name, 3, id, 12);
}

static void
vlist_free (struct vlist *l)
{
  for (size_t i = 0; i < l->n; i++)
    {
      free (l->v[i].name16);
      free (l->v[i].data);
    }
  l->n = 0;
}

/* Resolve text in l: returns the index of the value whose data came back
 * (or -2 when the spec's own ID did), fails on error. */
static long
resolve_ok (const char *text, const struct vlist *l)
{
  mountdb_spec *sp = ok (text);
  const uint8_t *id = NULL;
  size_t len = 0;
  mountdb_error err;
  int rc = md_spec_resolve (sp, l->v, l->n, &id, &len, &err);
  if (rc != 0)
    fail_msg ("\"%s\": %d %s", text, rc, err.message);
  assert_non_null (id);
  long at = -1;
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].data == id || (l->v[i].data == NULL && len == 0
                               && l->v[i].len == 0 && at < 0))
      at = (long) i;
  size_t slen;
  if (mountdb_spec_id (sp, &slen) == id)
    {
      assert_int_equal (slen, len);
      at = -2;
    }
  mountdb_spec_free (sp);
  if (at == -1)
    fail_msg ("\"%s\": ID points nowhere known", text);
  return at;
}

static void
resolve_bad (const char *text, const struct vlist *l, int code,
             const char *want)
{
  mountdb_spec *sp = ok (text);
  const uint8_t *id = (const uint8_t *) 1;
  size_t len = 99;
  mountdb_error err;
  memset (&err, 0x55, sizeof err);
  assert_int_equal (md_spec_resolve (sp, l->v, l->n, &id, &len, &err), code);
  assert_null (id);
  assert_int_equal (len, 0);
  assert_int_equal (err.code, code);
  assert_int_equal (err.sys_errno, 0);
  if (strcmp (err.message, want) != 0)
    fail_msg ("\"%s\": message \"%s\", expected \"%s\"", text, err.message,
              want);
  assert_int_equal (md_spec_resolve (sp, l->v, l->n, &id, &len, NULL), code);
  mountdb_spec_free (sp);
}

/* ---- drive letters ------------------------------------------------------------- */

static void
test_letter_forms (void **state)
{
  (void) state;
  static const char *const forms[] = { "C:", "C", "c:", "c", " C:",
                                       "\t c: \r\n" };
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
    {
      mountdb_spec *sp = ok (forms[i]);
      assert_int_equal (mountdb_spec_kind (sp), MOUNTDB_SPEC_LETTER);
      check_no_id (sp);
      mountdb_spec_free (sp);
    }
  mountdb_spec *sp = ok ("  z: ");
  assert_string_equal (mountdb_spec_text (sp), "z:");  /* trimmed, as given */
  mountdb_spec_free (sp);
  sp = ok ("A");
  assert_string_equal (mountdb_spec_text (sp), "A");
  mountdb_spec_free (sp);
}

static void
test_letter_errors (void **state)
{
  (void) state;
  bad ("1:", "'1:': a drive letter must be A-Z");
  bad ("@:", "'@:': a drive letter must be A-Z");
  bad ("CD:", "'CD:': not a volume spec (expected a drive letter C:");
  bad ("C::", "'C::': not a volume spec");
  bad ("C:\\", "'C:\\': not a volume spec");
  bad ("\\DosDevices\\C:", "'\\DosDevices\\C:': not a volume spec");
}

/* ---- volume GUID names -------------------------------------------------------- */

static void
test_volume_forms (void **state)
{
  (void) state;
  static const char *const forms[] = {
    "{" GUID_LO "}", GUID_LO, "{" GUID_UP "}", GUID_UP,
    "\\??\\Volume{" GUID_LO "}", "\\??\\Volume{" GUID_UP "}",
    "\\??\\volume{" GUID_LO "}",
    "\\\\?\\Volume{" GUID_LO "}\\", "\\\\?\\Volume{" GUID_LO "}",
    "\\\\?\\VOLUME{" GUID_UP "}\\", "  {" GUID_LO "}\n",
  };
  /* Each form resolves to the stored lower-case name. */
  struct vlist l = { .n = 0 };
  add (&l, "\\??\\Volume{" GUID_LO "}", 3, mbr_1mib, 12);
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
    {
      mountdb_spec *sp = ok (forms[i]);
      assert_int_equal (mountdb_spec_kind (sp), MOUNTDB_SPEC_VOLUME_GUID);
      check_no_id (sp);
      mountdb_spec_free (sp);
      assert_int_equal (resolve_ok (forms[i], &l), 0);
    }
  vlist_free (&l);
}

static void
test_volume_errors (void **state)
{
  (void) state;
  bad ("{0123456z-89ab-cdef-0123-456789abcdef}",
       "'{0123456z-89ab-cdef-0123-456789abcdef}': malformed volume GUID "
       "(expected {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx})");
  bad ("0123456z-89ab-cdef-0123-456789abcdef", "'0123456z-89ab-cdef-0123-"
       "456789abcdef': malformed volume GUID");
  bad ("\\??\\Volume{abc}", "'\\??\\Volume{abc}': malformed volume GUID");
  bad ("\\??\\Volume{" GUID_LO, "'\\??\\Volume{" GUID_LO
       "': malformed volume GUID");
  bad ("\\??\\Volume{" GUID_LO "}\\", "'\\??\\Volume{" GUID_LO
       "}\\': malformed volume GUID");
  bad ("\\\\?\\Volume{" GUID_LO "}\\\\", "'\\\\?\\Volume{" GUID_LO
       "}\\\\': malformed volume GUID");
  bad ("\\\\?\\Volume{}", "'\\\\?\\Volume{}': malformed volume GUID");
  bad ("{" GUID_LO, "'{" GUID_LO "': not a volume spec");
  bad ("#{" GUID_LO "}", "'#{" GUID_LO "}': not a volume spec");
}

/* ---- mbr: ------------------------------------------------------------------------ */

static void
test_mbr_forms (void **state)
{
  (void) state;
  mountdb_spec *sp = ok ("mbr:5cbea03e:1MiB");
  assert_int_equal (mountdb_spec_kind (sp), MOUNTDB_SPEC_MBR);
  check_id (sp, mbr_1mib, 12);
  assert_string_equal (mountdb_spec_text (sp), "mbr:5cbea03e:1MiB");
  mountdb_spec_free (sp);

  mbr_ok ("MBR:0x5CBEA03E:2048s", 0x5cbea03e, 1048576);
  mbr_ok (" Mbr:0X5cBeA03e:1048576 ", 0x5cbea03e, 1048576);
  mbr_ok ("mbr:1:512", 1, 512);
  mbr_ok ("mbr:ffffffff:512B", 0xffffffff, 512);
  mbr_ok ("mbr:00000001:512b", 1, 512);
}

static void
test_mbr_units (void **state)
{
  (void) state;
  const uint64_t mib = 1048576;
  mbr_ok ("mbr:abc:1048576B", 0xabc, mib);
  mbr_ok ("mbr:abc:1024K", 0xabc, mib);
  mbr_ok ("mbr:abc:1024KiB", 0xabc, mib);
  mbr_ok ("mbr:abc:1024kib", 0xabc, mib);
  mbr_ok ("mbr:abc:1M", 0xabc, mib);
  mbr_ok ("mbr:abc:1mib", 0xabc, mib);
  mbr_ok ("mbr:abc:2048s", 0xabc, mib);
  mbr_ok ("mbr:abc:2048S", 0xabc, mib);
  mbr_ok ("mbr:abc:2048sector", 0xabc, mib);
  mbr_ok ("mbr:abc:2048sectors", 0xabc, mib);
  mbr_ok ("mbr:abc:0x100000", 0xabc, mib);
  mbr_ok ("mbr:abc:0x800s", 0xabc, mib);
  mbr_ok ("mbr:abc:1G", 0xabc, (uint64_t) 1 << 30);
  mbr_ok ("mbr:abc:1GiB", 0xabc, (uint64_t) 1 << 30);
  mbr_ok ("mbr:abc:3T", 0xabc, (uint64_t) 3 << 40);
  mbr_ok ("mbr:abc:16777215TiB", 0xabc, (uint64_t) 16777215 << 40);
  mbr_ok ("mbr:abc:000512", 0xabc, 512);
  /* The largest: 2^64 - 512, in bytes and in sectors. */
  mbr_ok ("mbr:abc:18446744073709551104", 0xabc, UINT64_MAX - 511);
  mbr_ok ("mbr:abc:36028797018963967s", 0xabc, UINT64_MAX - 511);
}

static void
test_mbr_disk_only (void **state)
{
  (void) state;
  mountdb_spec *sp = ok ("mbr:5cbea03e");
  assert_int_equal (mountdb_spec_kind (sp), MOUNTDB_SPEC_MBR);
  check_no_id (sp);
  mountdb_spec_free (sp);
  sp = ok ("MBR:0x1");
  check_no_id (sp);
  mountdb_spec_free (sp);
}

static void
test_mbr_errors (void **state)
{
  (void) state;
  bad ("mbr:zz:1MiB",
       "'mbr:zz:1MiB': disk signature must be 1-8 hex digits "
       "(mbr:SIG:OFFSET, e.g. mbr:5cbea03e:1MiB)");
  bad ("mbr:123456789:1MiB",
       "'mbr:123456789:1MiB': disk signature must be 1-8 hex digits");
  bad ("mbr::1MiB", "'mbr::1MiB': disk signature must be 1-8 hex digits");
  bad ("mbr:", "'mbr:': disk signature must be 1-8 hex digits");
  bad ("mbr:0x:1MiB", "'mbr:0x:1MiB': disk signature must be 1-8 hex");
  bad ("mbr:0x0x1:1MiB", "'mbr:0x0x1:1MiB': disk signature must be 1-8");
  bad ("mbr:-1:1MiB", "'mbr:-1:1MiB': disk signature must be 1-8 hex");
  /* W8: a zero signature. */
  bad ("mbr:0:1MiB", "'mbr:0:1MiB': disk signature 0 is no disk signature: "
       "Windows re-signs such a disk, so its IDs would not match (W8)");
  bad ("mbr:0x00000000:1MiB", "'mbr:0x00000000:1MiB': disk signature 0 is "
       "no disk signature");
  bad ("mbr:0", "'mbr:0': disk signature 0 is no disk signature");
  /* Offsets. */
  bad ("mbr:1:", "'mbr:1:': partition offset must be a number of bytes, "
       "optionally with a unit (1048576, 1MiB, 2048s)");
  bad ("mbr:1:MiB", "'mbr:1:MiB': partition offset must be a number");
  bad ("mbr:1:0x", "'mbr:1:0x': partition offset must be a number");
  bad ("mbr:1:-512", "'mbr:1:-512': partition offset must be a number");
  bad ("mbr:1:0", "'mbr:1:0': partition offset 0 is the MBR itself, not a "
       "partition (V4)");
  bad ("mbr:1:0s", "'mbr:1:0s': partition offset 0 is the MBR itself");
  bad ("mbr:1:100", "'mbr:1:100': partition offset 100 is not a multiple of "
       "512 bytes (V4)");
  bad ("mbr:1:1000B", "'mbr:1:1000B': partition offset 1000 is not a "
       "multiple of 512 bytes (V4)");
  bad ("mbr:1:0x201", "'mbr:1:0x201': partition offset 513 is not a "
       "multiple of 512 bytes (V4)");
  bad ("mbr:1:1MB", "'mbr:1:1MB': unknown offset unit 'MB' (use B, KiB, "
       "MiB, GiB, TiB or s for 512-byte sectors)");
  bad ("mbr:1:1 MiB", "'mbr:1:1 MiB': unknown offset unit ' MiB'");
  bad ("mbr:1:1MiB:2", "'mbr:1:1MiB:2': unknown offset unit 'MiB:2'");
  bad ("mbr:1:1.5MiB", "'mbr:1:1.5MiB': unknown offset unit '.5MiB'");
  /* A control character in the unit comes back quoted, as in the spec. */
  bad ("mbr:1:1\x1b[2JMiB", "'mbr:1:1?[2JMiB': unknown offset unit "
       "'?[2JMiB' (use B,");
  /* Overflow: of the unit product, of the number, of the sector count. */
  bad ("mbr:1:99999999999TiB", "'mbr:1:99999999999TiB': partition offset "
       "is too large");
  bad ("mbr:1:16777216TiB", "'mbr:1:16777216TiB': partition offset is too "
       "large");
  bad ("mbr:1:18446744073709551616", "'mbr:1:18446744073709551616': "
       "partition offset is too large");
  bad ("mbr:1:99999999999999999999999999", "'mbr:1:99999999999999999999999"
       "999': partition offset is too large");
  bad ("mbr:1:36028797018963968s", "'mbr:1:36028797018963968s': partition "
       "offset is too large");
  bad ("mbr:1:0x10000000000000000", "'mbr:1:0x10000000000000000': partition"
       " offset is too large");
}

/* ---- gpt: ------------------------------------------------------------------------ */

static void
test_gpt_forms (void **state)
{
  (void) state;
  uint8_t want[24];
  memcpy (want, "DMIO:ID:", 8);
  memcpy (want + 8, guid_bin, 16);
  static const char *const forms[] = {
    "gpt:" GUID_LO, "gpt:{" GUID_LO "}", "GPT:" GUID_UP, "Gpt:{" GUID_UP "}",
    " gpt:" GUID_LO "\t",
  };
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
    {
      mountdb_spec *sp = ok (forms[i]);
      assert_int_equal (mountdb_spec_kind (sp), MOUNTDB_SPEC_GPT);
      check_id (sp, want, 24);
      mountdb_spec_free (sp);
    }
}

static void
test_gpt_errors (void **state)
{
  (void) state;
  bad ("gpt:", "'gpt:': expected a GPT partition GUID "
       "(gpt:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
  bad ("gpt:{" GUID_LO, "'gpt:{" GUID_LO "': expected a GPT partition GUID");
  bad ("gpt:0123456789abcdef0123456789abcdef", "'gpt:0123456789abcdef012345"
       "6789abcdef': expected a GPT partition GUID");
  bad ("gpt:\\??\\Volume{" GUID_LO "}", "'gpt:\\??\\Volume{" GUID_LO
       "}': expected a GPT partition GUID");
  bad ("gpt:00000000-0000-0000-0000-000000000000",
       "'gpt:00000000-0000-0000-0000-000000000000': the nil GUID is no "
       "partition GUID (V4)");
  bad ("gpt:{00000000-0000-0000-0000-000000000000}",
       "'gpt:{00000000-0000-0000-0000-000000000000}': the nil GUID");
}

/* ---- hex: ------------------------------------------------------------------------ */

static void
test_hex_forms (void **state)
{
  (void) state;
  static const uint8_t abc[3] = { 0x0a, 0x1b, 0x2c };
  static const char *const forms[] = {
    "hex:0a1b2c", "hex:0A1B2C", "HEX:0a:1b:2c", "hex:0a 1b 2c",
    "hex:0a-1b-2c", "Hex:0a:1b-2c", "hex:0a1b:2c", "  hex:0a1b2c  ",
  };
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
    {
      mountdb_spec *sp = ok (forms[i]);
      assert_int_equal (mountdb_spec_kind (sp), MOUNTDB_SPEC_HEX);
      check_id (sp, abc, 3);
      mountdb_spec_free (sp);
    }
  static const uint8_t ff[1] = { 0xff };
  mountdb_spec *sp = ok ("hex:fF");
  check_id (sp, ff, 1);
  mountdb_spec_free (sp);
  /* An MBR ID as raw bytes. */
  sp = ok ("hex:3ea0be5c0000100000000000");
  check_id (sp, mbr_1mib, 12);
  mountdb_spec_free (sp);
}

static void
test_hex_limits (void **state)
{
  (void) state;
  size_t nbytes = 65536;
  char *t = malloc (4 + 3 * (nbytes + 1) + 1);
  assert_non_null (t);
  memcpy (t, "hex:", 4);
  for (size_t i = 0; i < nbytes; i++)
    memcpy (t + 4 + 2 * i, i % 2 ? "a5" : "5A", 2);
  t[4 + 2 * nbytes] = '\0';
  mountdb_spec *sp = ok (t);
  size_t len;
  const uint8_t *id = mountdb_spec_id (sp, &len);
  assert_int_equal (len, nbytes);
  assert_int_equal (id[0], 0x5a);
  assert_int_equal (id[nbytes - 1], 0xa5);
  mountdb_spec_free (sp);

  /* One byte more, with separators: refused, and the message quotes a
   * shortened text. */
  char *p = t + 4;
  for (size_t i = 0; i <= nbytes; i++)
    {
      memcpy (p, i ? ":00" : "00", i ? 3 : 2);
      p += i ? 3 : 2;
    }
  *p = '\0';
  mountdb_error err;
  sp = NULL;
  assert_int_equal (mountdb_spec_parse (t, &sp, &err), MOUNTDB_E_INVAL);
  assert_null (sp);
  assert_string_equal (err.message,
                       "'hex:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:"
                       "00:00:00:00:00:00:00:00:00:00:0...': more than "
                       "65536 bytes: no unique ID is that long");
  free (t);
}

static void
test_hex_errors (void **state)
{
  (void) state;
  bad ("hex:", "'hex:': expected at least one byte (hex:0a1b2c...)");
  bad ("hex:a", "'hex:a': odd number of hex digits (byte 1 is incomplete)");
  bad ("hex:0a1", "'hex:0a1': odd number of hex digits (byte 2 is "
       "incomplete)");
  bad ("hex:0a:b", "'hex:0a:b': odd number of hex digits (byte 2");
  bad ("hex:0a:b:0c", "'hex:0a:b:0c': odd number of hex digits (byte 2 is "
       "incomplete)");
  bad ("hex:0a:0b0", "'hex:0a:0b0': odd number of hex digits (byte 3");
  bad ("hex:0g", "'hex:0g': expected hex digit pairs (optionally separated "
       "by ':', ' ' or '-') at character 6");
  bad ("hex:g0", "'hex:g0': expected hex digit pairs (optionally separated "
       "by ':', ' ' or '-') at character 5");
  bad ("hex:0a::1b", "'hex:0a::1b': expected hex digit pairs (optionally "
       "separated by ':', ' ' or '-') at character 8");
  bad ("hex:0a: 1b", "'hex:0a: 1b': expected hex digit pairs");
  bad ("hex::0a", "'hex::0a': expected hex digit pairs (optionally separated"
       " by ':', ' ' or '-') at character 5");
  bad ("hex:0a:", "'hex:0a:': hex bytes must not end with a separator");
  bad ("hex:0x0a", "'hex:0x0a': expected hex digit pairs");
  bad ("hex:0a,1b", "'hex:0a,1b': expected hex digit pairs");
  bad ("hex:0a\t1b", "'hex:0a?1b': expected hex digit pairs");
}

/* ---- general errors ------------------------------------------------------------ */

static void
test_general_errors (void **state)
{
  (void) state;
  bad ("", "'': empty volume spec (expected C:, {GUID}, mbr:SIG:OFFSET, "
       "gpt:GUID, hex:BYTES or disk:PATH:N)");
  bad (" \t\n ", "'': empty volume spec");
  bad (NULL, "'': no volume spec given");
  bad ("foo", "'foo': not a volume spec (expected a drive letter C:, a volume"
       " GUID {GUID} or \\\\?\\Volume{GUID}\\, mbr:SIG:OFFSET, mbr:SIG, "
       "gpt:GUID, hex:BYTES or disk:PATH:N)");
  bad ("mbr", "'mbr': not a volume spec");
  bad ("gpt " GUID_LO, "'gpt " GUID_LO "': not a volume spec");
  bad ("mbr 1:1MiB", "'mbr 1:1MiB': not a volume spec");
  /* Control characters are not echoed raw. */
  bad ("a\x1b[2Jb", "'a?[2Jb': not a volume spec");
  bad ("C:\n:", "'C:?:': not a volume spec");

  mountdb_error err;
  assert_int_equal (mountdb_spec_parse ("C:", NULL, &err), MOUNTDB_E_INVAL);
  assert_int_equal (err.code, MOUNTDB_E_INVAL);

  /* Accessors on NULL. */
  assert_int_equal (mountdb_spec_kind (NULL), MOUNTDB_E_INVAL);
  assert_null (mountdb_spec_text (NULL));
  size_t len = 7;
  assert_null (mountdb_spec_id (NULL, &len));
  assert_int_equal (len, 0);
  mountdb_spec_free (NULL);
}

/* ---- resolving -------------------------------------------------------------------- */

static void
test_resolve_letter (void **state)
{
  (void) state;
  static const uint8_t sz[4] = { 'x', 0, 0, 0 };
  struct vlist l = { .n = 0 };
  add (&l, "\\DosDevices\\c:", 3, sz, 4);          /* lower-case letter */
  add (&l, "\\dosdevices\\C:", 3, sz, 4);          /* prefix case */
  add (&l, "\\DosDevices\\C:", 3, mbr_1mib, 12);
  add (&l, "\\DosDevices\\D:", 1, sz, 4);          /* REG_SZ */
  add (&l, "\\DosDevices\\D:", 4, sz, 4);          /* REG_DWORD */
  add (&l, "\\dosdevices\\e:", 3, mbr_1mib, 12);
  add (&l, "\\DosDevices\\F:\\mnt", 3, mbr_1mib, 12);
  add (&l, "\\DosDevices\\G:", 3, NULL, 0);         /* empty data */
  add (&l, "\\DosDevices\\D:", 3, sz, 4);          /* binary, after others */

  assert_int_equal (resolve_ok ("C:", &l), 2);
  assert_int_equal (resolve_ok ("c", &l), 2);
  assert_int_equal (resolve_ok ("D:", &l), 8);
  assert_int_equal (resolve_ok ("G:", &l), 7);
  resolve_bad ("E:", &l, MOUNTDB_E_NOMATCH, "'E:': no drive letter E: in "
               "MountedDevices (a name that differs in case is no drive "
               "letter to Windows, H8)");
  resolve_bad ("f", &l, MOUNTDB_E_NOMATCH,
               "'f': no drive letter F: in MountedDevices");
  resolve_bad ("Z:", &l, MOUNTDB_E_NOMATCH,
               "'Z:': no drive letter Z: in MountedDevices");
  l.n--;                        /* drop the binary D: */
  free (l.v[l.n].name16);
  free (l.v[l.n].data);
  resolve_bad ("D:", &l, MOUNTDB_E_NOMATCH, "'D:': no drive letter D: in "
               "MountedDevices (\\DosDevices\\D: is of type 1, not "
               "REG_BINARY: the mount manager ignores it)");
  vlist_free (&l);
  /* An empty list. */
  resolve_bad ("C:", &l, MOUNTDB_E_NOMATCH,
               "'C:': no drive letter C: in MountedDevices");
}

static void
test_resolve_volume (void **state)
{
  (void) state;
  static const uint8_t other[12] = { 1, 2, 3, 4, 0, 0, 0x10, 0, 0, 0, 0, 0 };
  struct vlist l = { .n = 0 };
  add (&l, "\\??\\volume{" GUID_LO "}", 3, other, 12);   /* prefix case */
  add (&l, "\\??\\Volume{" GUID_LO "}", 1, other, 12);   /* REG_SZ */
  add (&l, "#{" GUID_LO "}", 3, other, 12);              /* a marker */
  add (&l, "\\??\\Volume{" GUID_UP "}", 3, mbr_1mib, 12); /* upper hex */
  add (&l, "\\??\\Volume{" GUID_LO "} ", 3, other, 12);  /* trailing space */
  add (&l, "\\??\\Volume{89abcdef-0123-4567-89ab-cdef01234567}", 1, other,
       12);

  assert_int_equal (resolve_ok ("{" GUID_LO "}", &l), 3);
  assert_int_equal (resolve_ok ("\\\\?\\Volume{" GUID_UP "}\\", &l), 3);
  resolve_bad ("{00000000-0000-0000-0000-000000000001}", &l,
               MOUNTDB_E_NOMATCH, "'{00000000-0000-0000-0000-000000000001}':"
               " no such volume GUID name \\??\\Volume{00000000-0000-0000-"
               "0000-000000000001} in MountedDevices");
  resolve_bad ("89ABCDEF-0123-4567-89AB-CDEF01234567", &l, MOUNTDB_E_NOMATCH,
               "'89ABCDEF-0123-4567-89AB-CDEF01234567': no such volume GUID "
               "name \\??\\Volume{89abcdef-0123-4567-89ab-cdef01234567} in "
               "MountedDevices (only a value that is not REG_BINARY, which "
               "the mount manager ignores)");
  vlist_free (&l);
  /* Only the case variant: no match. */
  add (&l, "\\??\\VOLUME{" GUID_LO "}", 3, other, 12);
  resolve_bad ("{" GUID_LO "}", &l, MOUNTDB_E_NOMATCH, "'{" GUID_LO "}': no "
               "such volume GUID name \\??\\Volume{" GUID_LO "} in "
               "MountedDevices");
  vlist_free (&l);
}

static void
test_resolve_mbr_disk (void **state)
{
  (void) state;
  struct vlist l = { .n = 0 };
  /* Disk 5CBEA03E: one partition under three names; disk 11111111: two
   * partitions; disk 22222222: only as REG_SZ or a 24-byte ID. */
  add_mbr (&l, "\\DosDevices\\C:", 0x5cbea03e, 1048576);
  add_mbr (&l, "\\??\\Volume{" GUID_LO "}", 0x5cbea03e, 1048576);
  add_mbr (&l, "#{" GUID_LO "}", 0x5cbea03e, 1048576);
  add_mbr (&l, "\\DosDevices\\E:", 0x11111111, 105906176);
  add_mbr (&l, "\\DosDevices\\D:", 0x11111111, 32256);
  add_mbr (&l, "\\??\\Volume{" GUID_UP "}", 0x11111111, 105906176);
  uint8_t id[24];
  mbr_id (0x22222222, 1048576, id);
  add (&l, "\\DosDevices\\F:", 1, id, 12);
  memcpy (id + 12, id, 12);
  add (&l, "\\DosDevices\\G:", 3, id, 24);
  add (&l, "\\DosDevices\\H:", 3, id, 11);
  add (&l, "\\DosDevices\\Z:", 3, NULL, 0);

  assert_int_equal (resolve_ok ("mbr:5cbea03e", &l), 0);
  assert_int_equal (resolve_ok ("MBR:0x5CBEA03E", &l), 0);
  resolve_bad ("mbr:11111111", &l, MOUNTDB_E_AMBIGUOUS,
               "'mbr:11111111': MBR disk 11111111 has 2 partitions in "
               "MountedDevices, at offsets 32256, 101MiB: name one as "
               "mbr:11111111:OFFSET");
  resolve_bad ("mbr:22222222", &l, MOUNTDB_E_NOMATCH,
               "'mbr:22222222': no partition of MBR disk 22222222 in "
               "MountedDevices");
  resolve_bad ("mbr:abc", &l, MOUNTDB_E_NOMATCH,
               "'mbr:abc': no partition of MBR disk 00000ABC in "
               "MountedDevices");
  /* With the offset, each partition is named. */
  assert_int_equal (resolve_ok ("mbr:11111111:63s", &l), -2);
  vlist_free (&l);

  /* Many partitions: the list is cut, the message stays whole. */
  for (unsigned i = 0; i < 200; i++)
    {
      char name[64];
      snprintf (name, sizeof name, "#{%08x-0000-0000-0000-000000000000}", i);
      add_mbr (&l, name, 0xabcdef01, (uint64_t) (200 - i) * 512 * 3);
    }
  add_mbr (&l, "\\DosDevices\\T:", 0xabcdef01, (uint64_t) 1 << 40);
  mountdb_spec *sp = ok ("mbr:abcdef01");
  const uint8_t *p;
  size_t len;
  mountdb_error err;
  assert_int_equal (md_spec_resolve (sp, l.v, l.n, &p, &len, &err),
                    MOUNTDB_E_AMBIGUOUS);
  const char *head = "'mbr:abcdef01': MBR disk ABCDEF01 has 201 partitions "
                     "in MountedDevices, at offsets 1536, 3KiB, 4608, 6KiB, ";
  assert_memory_equal (err.message, head, strlen (head));
  assert_non_null (strstr (err.message, ", ...: name one as "
                           "mbr:abcdef01:OFFSET"));
  assert_null (strstr (err.message, "1TiB"));      /* sorted: last, cut */
  mountdb_spec_free (sp);
  vlist_free (&l);
}

static void
test_resolve_own_id (void **state)
{
  (void) state;
  struct vlist l = { .n = 0 };
  /* Present or not, these specs name their own ID. */
  assert_int_equal (resolve_ok ("mbr:5cbea03e:1MiB", &l), -2);
  assert_int_equal (resolve_ok ("gpt:" GUID_LO, &l), -2);
  assert_int_equal (resolve_ok ("hex:00", &l), -2);
  add (&l, "\\DosDevices\\C:", 3, mbr_1mib, 12);
  add (&l, "\\DosDevices\\D:", 1, mbr_1mib, 12);
  assert_int_equal (resolve_ok ("mbr:5cbea03e:1MiB", &l), -2);
  assert_int_equal (resolve_ok ("hex:3ea0be5c0000100000000000", &l), -2);
  assert_int_equal (resolve_ok ("gpt:{" GUID_UP "}", &l), -2);
  vlist_free (&l);
}

static void
test_resolve_args (void **state)
{
  (void) state;
  mountdb_spec *sp = ok ("C:");
  const uint8_t *id;
  size_t len;
  mountdb_error err;
  assert_int_equal (md_spec_resolve (NULL, NULL, 0, &id, &len, &err),
                    MOUNTDB_E_INVAL);
  assert_int_equal (err.code, MOUNTDB_E_INVAL);
  assert_int_equal (md_spec_resolve (sp, NULL, 0, NULL, &len, &err),
                    MOUNTDB_E_INVAL);
  assert_int_equal (md_spec_resolve (sp, NULL, 0, &id, NULL, NULL),
                    MOUNTDB_E_INVAL);
  assert_int_equal (md_spec_resolve (sp, NULL, 3, &id, &len, NULL),
                    MOUNTDB_E_INVAL);
  assert_int_equal (md_spec_resolve (sp, NULL, 0, &id, &len, NULL),
                    MOUNTDB_E_NOMATCH);
  mountdb_spec_free (sp);
}

/* ---- W11: GUIDs from IDs ---------------------------------------------------------- */

static void
guid_text (const uint8_t *id, size_t len, const char *purpose, char out[37])
{
  uint8_t g[16];
  md_guid_from_id (id, len, purpose, g);
  mountdb_guid_format (g, out);
}

static void
test_guid_known (void **state)
{
  (void) state;
  /* Python: ns = uuid.uuid5(uuid.NAMESPACE_URL, "mountdb:W11");
   * h = sha1(ns.bytes + purpose + b"\0" + id).digest()[:16]; set version
   * 5 and the RFC 4122 variant; uuid.UUID(bytes=h). */
  char t[37];
  guid_text (mbr_1mib, 12, "volume", t);
  assert_string_equal (t, "82ce11bf-1c65-5b9c-a734-5f94dd0e4494");
  guid_text (mbr_1mib, 12, "marker", t);
  assert_string_equal (t, "93d0147d-a7db-5bee-961d-5e575e42075a");
  uint8_t gpt[24];
  memcpy (gpt, "DMIO:ID:", 8);
  memcpy (gpt + 8, guid_bin, 16);
  guid_text (gpt, 24, "volume", t);
  assert_string_equal (t, "b45debe5-5395-593a-81dd-6c9877192dab");
  guid_text (NULL, 0, "volume", t);
  assert_string_equal (t, "390ee5f1-e7f9-58bc-b512-830554016bcf");
}

static void
test_guid_properties (void **state)
{
  (void) state;
  uint8_t a[16], b[16], c[16], d[16];
  md_guid_from_id (mbr_1mib, 12, "volume", a);
  md_guid_from_id (mbr_1mib, 12, "volume", b);
  assert_memory_equal (a, b, 16);                     /* deterministic */
  md_guid_from_id (mbr_1mib, 12, "marker", c);
  assert_memory_not_equal (a, c, 16);                 /* purposes differ */
  uint8_t id2[12];
  memcpy (id2, mbr_1mib, 12);
  id2[11] ^= 1;
  md_guid_from_id (id2, 12, "volume", d);
  assert_memory_not_equal (a, d, 16);                 /* IDs differ */
  /* Purpose and ID stay apart: "volume" + "x..." != "volumex" + "...". */
  static const uint8_t x[2] = { 'x', 1 }, one[1] = { 1 };
  md_guid_from_id (x, 2, "volume", b);
  md_guid_from_id (one, 1, "volumex", c);
  assert_memory_not_equal (b, c, 16);

  const uint8_t *all[] = { a, b, c, d };
  for (size_t i = 0; i < 4; i++)
    {
      mountdb_guid_info info;
      mountdb_guid_inspect (all[i], &info);
      assert_int_equal (info.version, 5);
      assert_int_equal (info.variant, 2);
      assert_int_equal (info.has_time, 0);
      assert_int_equal (info.has_node, 0);
      /* Data3's top nibble in the text is the version. */
      char t[37];
      mountdb_guid_format (all[i], t);
      assert_int_equal (t[14], '5');
      assert_non_null (strchr ("89ab", t[19]));
    }
}

/* disk:PATH:N: the text only (the disk is read when resolved); the last
 * ':' ends the path, so paths with ':' work. */
static void
test_disk_forms (void **state)
{
  (void) state;
  mountdb_spec *sp = ok ("disk:target.img:2");
  assert_int_equal (mountdb_spec_kind (sp), MOUNTDB_SPEC_DISK);
  assert_string_equal (mountdb_spec_disk_path (sp), "target.img");
  assert_int_equal (mountdb_spec_partition (sp), 2);
  size_t len = 7;
  assert_null (mountdb_spec_id (sp, &len));
  assert_int_equal (len, 0);
  mountdb_spec_free (sp);

  sp = ok ("  DISK:/dev/disk/by-id/usb-X:0:1:65535 ");
  assert_int_equal (mountdb_spec_kind (sp), MOUNTDB_SPEC_DISK);
  assert_string_equal (mountdb_spec_disk_path (sp), "/dev/disk/by-id/usb-X:0:1");
  assert_int_equal (mountdb_spec_partition (sp), 65535);
  assert_string_equal (mountdb_spec_text (sp), "DISK:/dev/disk/by-id/usb-X:0:1:65535");
  mountdb_spec_free (sp);

  /* Other kinds have no disk part. */
  sp = ok ("C:");
  assert_null (mountdb_spec_disk_path (sp));
  assert_int_equal (mountdb_spec_partition (sp), 0);
  mountdb_spec_free (sp);
  assert_null (mountdb_spec_disk_path (NULL));
}

static void
test_disk_errors (void **state)
{
  (void) state;
  bad ("disk:", "'disk:': expected disk:PATH:N");
  bad ("disk:target.img", "'disk:target.img': expected disk:PATH:N");
  bad ("disk::2", "'disk::2': no disk path");
  bad ("disk:a.img:", "'disk:a.img:': partition number must be 1-65535");
  bad ("disk:a.img:0", "'disk:a.img:0': partition number must be 1-65535");
  bad ("disk:a.img:65536", "'disk:a.img:65536': partition number must be");
  bad ("disk:a.img:123456", "'disk:a.img:123456': partition number must be");
  bad ("disk:a.img:2x", "'disk:a.img:2x': partition number must be");
  bad ("disk:a.img:-1", "'disk:a.img:-1': partition number must be");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_letter_forms),
    cmocka_unit_test (test_letter_errors),
    cmocka_unit_test (test_volume_forms),
    cmocka_unit_test (test_volume_errors),
    cmocka_unit_test (test_mbr_forms),
    cmocka_unit_test (test_mbr_units),
    cmocka_unit_test (test_mbr_disk_only),
    cmocka_unit_test (test_mbr_errors),
    cmocka_unit_test (test_gpt_forms),
    cmocka_unit_test (test_gpt_errors),
    cmocka_unit_test (test_hex_forms),
    cmocka_unit_test (test_hex_limits),
    cmocka_unit_test (test_hex_errors),
    cmocka_unit_test (test_disk_forms),
    cmocka_unit_test (test_disk_errors),
    cmocka_unit_test (test_general_errors),
    cmocka_unit_test (test_resolve_letter),
    cmocka_unit_test (test_resolve_volume),
    cmocka_unit_test (test_resolve_mbr_disk),
    cmocka_unit_test (test_resolve_own_id),
    cmocka_unit_test (test_resolve_args),
    cmocka_unit_test (test_guid_known),
    cmocka_unit_test (test_guid_properties),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
