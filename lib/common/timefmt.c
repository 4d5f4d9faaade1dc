/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ISO 8601 <-> FILETIME (see timefmt.h).  Pure. */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "common/timefmt.h"

/* v as exactly w decimal digits (zero-padded): p past them. */
static char *
put_digits (char *p, unsigned v, int w)
{
  for (int i = w - 1; i >= 0; i--, v /= 10)
    p[i] = (char) ('0' + v % 10);
  return p + w;
}

int
md_filetime_to_iso (uint64_t ft, char buf[40])
{
  buf[0] = '\0';
  /* 0 means "unset"; beyond year 9999 the text would not fit. */
  if (ft == 0 || ft >= 2650467744000000000ULL)
    return -1;
  int64_t unix_ticks = (int64_t) ft - (int64_t) MD_FILETIME_UNIX_EPOCH;
  int64_t secs = unix_ticks / 10000000;
  int64_t frac = unix_ticks % 10000000;
  if (frac < 0) {
    frac += 10000000;
    secs -= 1;
  }
  /* Civil from days (Howard Hinnant's algorithm, as below), not
   * gmtime_r: glibc's takes the time zone lock on every call, which
   * threads of a batch would contend for. */
  int64_t days = secs / 86400, sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    days -= 1;
  }
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  struct tm tm;
  tm.tm_mday = (int) (doy - (153 * mp + 2) / 5 + 1);
  tm.tm_mon = (int) (mp < 10 ? mp + 2 : mp - 10);
  tm.tm_year = (int) (yoe + era * 400 + (tm.tm_mon < 2)) - 1900;
  tm.tm_hour = (int) (sod / 3600);
  tm.tm_min = (int) (sod / 60 % 60);
  tm.tm_sec = (int) (sod % 60);
  /* Digits by hand: printf's machinery per timestamp was a tenth of
   * `show --format=json` on a key of 100k GUID names (issue 10 item 8).
   * The range check above keeps years to 4 digits. */
  char *p = buf;
  p = put_digits (p, (unsigned) (tm.tm_year + 1900), 4);
  *p++ = '-';
  p = put_digits (p, (unsigned) tm.tm_mon + 1, 2);
  *p++ = '-';
  p = put_digits (p, (unsigned) tm.tm_mday, 2);
  *p++ = 'T';
  p = put_digits (p, (unsigned) tm.tm_hour, 2);
  *p++ = ':';
  p = put_digits (p, (unsigned) tm.tm_min, 2);
  *p++ = ':';
  p = put_digits (p, (unsigned) tm.tm_sec, 2);
  if (frac) {
    *p++ = '.';
    p = put_digits (p, (unsigned) frac, 7);
  }
  *p++ = 'Z';
  *p = '\0';
  return 0;
}

/* ISO 8601 UTC "YYYY-MM-DDTHH:MM:SS[Z]" -> FILETIME. */
int
md_iso_to_filetime (const char *s, uint64_t *ft)
{
  int y, mo, d, h, mi, sec;
  char z[4] = "";
  if (sscanf (s, "%4d-%2d-%2dT%2d:%2d:%2d%3s", &y, &mo, &d, &h, &mi, &sec, z) < 6
      || (z[0] && strcmp (z, "Z") != 0) || mo < 1 || mo > 12 || d < 1 || d > 31
      || h > 23 || mi > 59 || sec > 59 || y < 1601)
    return -1;
  /* sscanf takes 2023-02-29 and the arithmetic below would make it
   * 2023-03-01: a day past its month's end is refused, not carried. */
  static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > mdays[mo - 1] + (mo == 2 && leap))
    return -1;
  /* Days from civil (Howard Hinnant's algorithm), proleptic Gregorian. */
  int yy = y - (mo <= 2);
  long era = (yy >= 0 ? yy : yy - 399) / 400;
  long yoe = yy - era * 400;
  long doy = (153L * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long days = era * 146097 + doe - 719468;
  long long secs = (long long) days * 86400 + h * 3600 + mi * 60 + sec;
  *ft = (uint64_t) (secs * 10000000LL + (long long) MD_FILETIME_UNIX_EPOCH);
  return 0;
}
