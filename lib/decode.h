/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pure decoders shared inside libmountdb: bytes in, values out.
 * No hivex, no I/O, no global state; safe on any input (fuzzed). */
#ifndef MOUNTDB_DECODE_H
#define MOUNTDB_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "mountdb.h"
#include "common/fold.h"
#include "common/timefmt.h"

#define MD_HIDDEN __attribute__ ((visibility ("hidden")))

/* ---- little-endian fields, hex, the registry's name folding -------------- */

static inline uint16_t
md_le16 (const uint8_t *p)
{
  return (uint16_t) (p[0] | p[1] << 8);
}

static inline uint32_t
md_le32 (const uint8_t *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16
         | (uint32_t) p[3] << 24;
}

static inline uint64_t
md_le64 (const uint8_t *p)
{
  return (uint64_t) md_le32 (p) | (uint64_t) md_le32 (p + 4) << 32;
}

static inline void
md_put_le32 (uint8_t *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static inline void
md_put_le64 (uint8_t *p, uint64_t v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

/* The value of one hex digit (a character or a UTF-16 unit), or -1. */
static inline int
md_unhex (uint32_t c)
{
  if (c >= '0' && c <= '9')
    return (int) (c - '0');
  if (c >= 'a' && c <= 'f')
    return (int) (c - 'a' + 10);
  if (c >= 'A' && c <= 'F')
    return (int) (c - 'A' + 10);
  return -1;
}

/* Lower-case hex of n bytes into out (2n + 1 bytes, NUL-terminated). */
static inline void
md_hex (const uint8_t *p, size_t n, char *out)
{
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 15];
  }
  out[2 * n] = '\0';
}

/* ---- vocab.c ----------------------------------------------------------- */
/* "a user hive (NTUSER.DAT)", ... for messages (enum mountdb_hive_kind). */
MD_HIDDEN const char *md_hive_kind_words (int kind);

/* ---- utf16.c ----------------------------------------------------------- */

/* Load n little-endian UTF-16 units from bytes (no alignment needed). */
MD_HIDDEN void md_utf16_load (const uint8_t *bytes, size_t n, uint16_t *out);

/* UTF-16 code units -> malloc'd NUL-terminated UTF-8.  Unpaired surrogates
 * become U+FFFD and set MOUNTDB_NAME_BAD_UTF16 in *flags.  C0/C1 controls
 * and DEL set MOUNTDB_NAME_CONTROL and are kept, except U+0000, which would
 * end the C string and becomes U+FFFD.  Writers that must be exact (JSON)
 * work from the UTF-16 units instead.  flags may be NULL.  Returns NULL only
 * when out of memory. */
MD_HIDDEN char *md_utf16_to_utf8 (const uint16_t *u, size_t n,
                                  unsigned *flags);
/* The same into a block from alloc (the handle's arena: model.c). */
MD_HIDDEN char *md_utf16_to_utf8_with (const uint16_t *u, size_t n,
                                       unsigned *flags,
                                       void *(*alloc) (void *ctx, size_t n),
                                       void *ctx);

/* ---- guid.c ------------------------------------------------------------ */

/* Parse 36 units "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (no braces) into the
 * Windows binary layout.  Returns 0, or -1 when malformed.  *upper is set
 * when any hex digit is upper case (may be NULL). */
MD_HIDDEN int md_guid_parse16 (const uint16_t *u, size_t n, uint8_t out[16],
                               int *upper);
/* Name-based (version 5) GUID derived from a unique ID (W11).  Returns 0
 * or MOUNTDB_E_CRYPTO. */
MD_HIDDEN int md_guid_from_id (const uint8_t *id, size_t len,
                                const char *purpose, uint8_t out[16]);

/* ---- names.c (section 2, V3, H8) --------------------------------------- */

typedef struct md_name {
  int cls;                  /* enum mountdb_class */
  int variant_of;           /* class ignoring case, for CASE_VARIANT */
  unsigned flags;           /* MOUNTDB_NAME_* (CASE_VARIANT, MALFORMED_GUID,
                               UPPER_HEX; BAD_UTF16/CONTROL from utf16.c) */
  char letter;              /* drive letter / mount point host, else 0 */
  int has_guid;
  uint8_t guid[16];         /* volume GUID name or marker */
  char *mount_path;         /* mount point: the path after "X:", UTF-8 */
} md_name;

/* Classify a stored name exactly (case-sensitive grammar of section 2).
 * Returns 0 or MOUNTDB_E_NOMEM.  Release with md_name_clear. */
MD_HIDDEN int md_name_classify (const uint16_t *u, size_t n, md_name *out);
/* uid.c: mountdb_uid_decode into one block from alloc (see uid.c). */
MD_HIDDEN mountdb_uid *md_uid_decode_with (const void *data, size_t len,
                                           void *(*alloc) (void *ctx,
                                                           size_t n),
                                           void *ctx);
/* The same when the caller has converted the name already: text_flags are
 * the flags md_utf16_to_utf8 gave (one conversion per value, not two). */
MD_HIDDEN int md_name_classify_text (const uint16_t *u, size_t n,
                                     unsigned text_flags, md_name *out);
MD_HIDDEN void md_name_clear (md_name *nm);

/* ---- regf.c (regf structures that hivex does not expose) --------------- */

/* A value key (vk) cell as stored: offset is the cell start (its size
 * field), as in hive_value_h.  Returns 0; -1 when fewer than 24 bytes are
 * available or the cell is not "vk"; -2 when the name runs past the cell
 * (its size field) or past avail: only name_fit bytes of it are there. */
typedef struct md_vk {
  uint16_t name_len;        /* bytes, as stored */
  uint16_t name_fit;        /* bytes of the name inside the cell */
  uint32_t data_off;        /* raw field */
  uint16_t flags;           /* 0x0001: name stored as Latin-1 */
  uint32_t type;
  uint32_t data_len;        /* raw field, top bit = data inline */
  const uint8_t *name;      /* points into the cell */
} md_vk;
MD_HIDDEN int md_regf_vk_parse (const uint8_t *cell, size_t avail, md_vk *out);

/* MD_FILETIME_UNIX_EPOCH: lib/common/timefmt.h. */

#endif
