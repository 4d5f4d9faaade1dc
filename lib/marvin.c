/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Marvin32 (the 64-bit form Windows uses for HvLE log entry hashes, and
 * .NET for string hashing).  Pure; any length, no alignment needed.
 *
 * State (s0, s1) starts as the seed's low and high halves; every 32-bit
 * little-endian word w is mixed as s0 += w, then the block function; the
 * 0-3 trailing bytes are packed little-endian with 0x80 after them (so the
 * tail word is 0x80 for none, 0x80XX, 0x80YYXX, 0x80ZZYYXX), mixed the
 * same way, then one more block with 0.  The result is (s1 << 32) | s0.
 *
 * Checked against the .NET runtime's MarvinTests vectors (seed
 * 0x004FB61A001BDBCC, lengths 0-7) and the hashes of every HvLE entry in
 * the real logs of ../shared/testdata/real (lib/tests/test_logs.c). */
#include <config.h>
#include "logs.h"

static inline uint32_t
rotl32 (uint32_t x, unsigned n)
{
  return (x << n) | (x >> (32 - n));
}

static inline void
block (uint32_t *s0, uint32_t *s1)
{
  uint32_t a = *s0, b = *s1;
  b ^= a;
  a = rotl32 (a, 20);
  a += b;
  b = rotl32 (b, 9);
  b ^= a;
  a = rotl32 (a, 27);
  a += b;
  b = rotl32 (b, 19);
  *s0 = a;
  *s1 = b;
}

uint64_t
md_marvin32 (uint64_t seed, const void *data, size_t len)
{
  const uint8_t *p = data;
  uint32_t s0 = (uint32_t) seed, s1 = (uint32_t) (seed >> 32);
  for (; len >= 4; p += 4, len -= 4) {
    s0 += (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16
          | (uint32_t) p[3] << 24;
    block (&s0, &s1);
  }
  uint32_t tail = 0x80;
  while (len > 0) {         /* bytes in reverse: little-endian below 0x80 */
    len--;
    tail = tail << 8 | p[len];
  }
  s0 += tail;
  block (&s0, &s1);
  block (&s0, &s1);
  return (uint64_t) s1 << 32 | s0;
}
