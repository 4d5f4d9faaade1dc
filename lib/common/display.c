/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The display-safety policy and display widths (see display.h). */
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

/* A small wcwidth: combining marks take no column, East Asian wide and
 * fullwidth forms take two.  Locale-independent on purpose, so tables
 * line up the same way wherever the output is read. */
int
md_cp_width (uint32_t cp)
{
  static const uint32_t zero[][2] = {
    { 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
    { 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x1ab0, 0x1aff },
    { 0x1dc0, 0x1dff }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
    { 0xfe20, 0xfe2f },
  };
  static const uint32_t wide[][2] = {
    { 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
    { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
    { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
    { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
    { 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
  };
  if (md_cp_in_ranges (cp, zero, sizeof zero / sizeof zero[0]))
    return 0;
  return md_cp_in_ranges (cp, wide, sizeof wide / sizeof wide[0]) ? 2 : 1;
}
