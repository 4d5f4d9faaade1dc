/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one ASCII case fold of the library and the CLI, over bytes (typed
 * text) and UTF-16 units (names and IDs from a hive).  ASCII only on
 * purpose: the C library's folding depends on the locale. */
#ifndef MOUNTDB_COMMON_FOLD_H
#define MOUNTDB_COMMON_FOLD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* c lower-cased when it is an ASCII capital. */
static inline uint32_t
md_ascii_lower (uint32_t c)
{
  return c - 'A' < 26 ? c + 32 : c;
}

/* <0, 0, >0 comparing NUL-terminated a and b, ignoring ASCII case. */
static inline int
md_ascii_casecmp (const char *a, const char *b)
{
  for (;; a++, b++) {
    uint32_t ca = md_ascii_lower ((unsigned char) *a);
    uint32_t cb = md_ascii_lower ((unsigned char) *b);
    if (ca != cb || ca == 0)
      return (int) ca - (int) cb;
  }
}

/* The registry compares names case-insensitively with its upcase table;
 * ASCII and Latin-1 folding covers every name Windows writes here (V6). */
static inline uint16_t
md_fold16 (uint16_t c)
{
  if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
    return (uint16_t) (c - 32);
  return c;
}

/* s[0..n) equals the ASCII literal lit (MD_EQ_PREFIX: starts with it),
 * exactly or ignoring ASCII case (MD_EQ_FOLD).  s holds bytes (width 1) or
 * UTF-16 units (width 2): specs are typed text, IDs and names units. */
enum { MD_EQ_FOLD = 1, MD_EQ_PREFIX = 2 };
static inline int
md_ascii_eq (const void *s, int width, size_t n, const char *lit, int how)
{
  size_t m = strlen (lit);
  if (n < m || (n > m && !(how & MD_EQ_PREFIX)))
    return 0;
  for (size_t i = 0; i < m; i++) {
    uint32_t a = width == 2 ? ((const uint16_t *) s)[i]
                            : ((const unsigned char *) s)[i];
    uint32_t b = (unsigned char) lit[i];
    if (how & MD_EQ_FOLD) {
      a = md_ascii_lower (a);
      b = md_ascii_lower (b);
    }
    if (a != b)
      return 0;
  }
  return 1;
}

/* md_ascii_eq typed for its two callers: typed text (bytes) and names or
 * IDs from a hive (UTF-16 units).  how: MD_EQ_FOLD, MD_EQ_PREFIX or 0. */
static inline int
md_text_eq (const char *s, size_t n, const char *lit, int how)
{
  return md_ascii_eq (s, 1, n, lit, how);
}

static inline int
md_units_eq (const uint16_t *u, size_t n, const char *lit, int how)
{
  return md_ascii_eq (u, 2, n, lit, how);
}

/* <0, 0, >0 comparing two names as the registry would (md_fold16). */
static inline int
md_cmp_fold (const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
  size_t n = na < nb ? na : nb;
  for (size_t i = 0; i < n; i++) {
    if (a[i] == b[i])           /* fast path: sorted names share prefixes */
      continue;
    uint16_t p = md_fold16 (a[i]), q = md_fold16 (b[i]);
    if (p != q)
      return p < q ? -1 : 1;
  }
  return na < nb ? -1 : na > nb;
}

#endif
