/* Pure decoders shared inside libmountdb: bytes in, values out.
 * No hivex, no I/O, no global state; safe on any input (fuzzed). */
#ifndef MOUNTDB_DECODE_H
#define MOUNTDB_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "mountdb.h"

#define MD_HIDDEN __attribute__ ((visibility ("hidden")))

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

/* ---- guid.c ------------------------------------------------------------ */

/* Parse 36 units "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (no braces) into the
 * Windows binary layout.  Returns 0, or -1 when malformed.  *upper is set
 * when any hex digit is upper case (may be NULL). */
MD_HIDDEN int md_guid_parse16 (const uint16_t *u, size_t n, uint8_t out[16],
                               int *upper);

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
MD_HIDDEN void md_name_clear (md_name *nm);

/* ---- regf.c (regf structures that hivex does not expose) --------------- */

/* A value key (vk) cell as stored: offset is the cell start (its size
 * field), as in hive_value_h.  Returns 0, or -1 when the cell does not fit
 * in avail bytes or is not "vk". */
typedef struct md_vk {
  uint16_t name_len;        /* bytes */
  uint16_t flags;           /* 0x0001: name stored as Latin-1 */
  uint32_t type;
  uint32_t data_len;        /* raw field, top bit = data inline */
  const uint8_t *name;      /* points into the cell */
} md_vk;
MD_HIDDEN int md_regf_vk_parse (const uint8_t *cell, size_t avail, md_vk *out);

/* Windows' FILETIME for a struct timespec-like pair, and back. */
#define MD_FILETIME_UNIX_EPOCH 116444736000000000ULL

#endif
