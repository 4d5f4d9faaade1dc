/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The display-safety policy (see display.h). */
#include <config.h>
#include <stddef.h>
#include "common/display.h"

int
md_cp_in_ranges (uint32_t cp, const uint32_t (*r)[2], size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (cp >= r[i][0] && cp <= r[i][1])
      return 1;
  return 0;
}

int
md_is_control (uint32_t cp)
{
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

int
md_is_hidden (uint32_t cp)
{
  /* Format characters (Unicode category Cf: bidi controls, zero-width and
   * invisible characters, tags), line and paragraph separators, and
   * noncharacters, which terminals show inconsistently or not at all. */
  static const uint32_t ranges[][2] = {
    { 0x00ad, 0x00ad }, { 0x0600, 0x0605 }, { 0x061c, 0x061c },
    { 0x06dd, 0x06dd }, { 0x070f, 0x070f }, { 0x180e, 0x180e },
    { 0x200b, 0x200f }, { 0x2028, 0x202e }, { 0x2060, 0x2064 },
    { 0x2066, 0x206f }, { 0xfdd0, 0xfdef }, { 0xfeff, 0xfeff },
    { 0xfff9, 0xfffb }, { 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
  };
  if ((cp & 0xfffe) == 0xfffe) /* U+FFFE, U+FFFF, U+1FFFE, ... */
    return 1;
  return md_cp_in_ranges (cp, ranges, sizeof ranges / sizeof ranges[0]);
}

int
md_display_unsafe (uint32_t cp)
{
  return md_is_control (cp) || md_is_hidden (cp)
         || (cp >= 0xd800 && cp <= 0xdfff);
}
