/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ISO 8601 <-> FILETIME (see timefmt.h).  Pure. */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "common/timefmt.h"

int
md_filetime_to_iso (uint64_t ft, char buf[40])
{
  buf[0] = '\0';
  /* 0 means "unset"; beyond year 9999 gmtime_r cannot help. */
  if (ft == 0 || ft >= 2650467744000000000ULL)
    return -1;
  int64_t unix_ticks = (int64_t) ft - (int64_t) MD_FILETIME_UNIX_EPOCH;
  int64_t secs = unix_ticks / 10000000;
  int64_t frac = unix_ticks % 10000000;
  if (frac < 0) {
    frac += 10000000;
    secs -= 1;
  }
  time_t t = (time_t) secs;
  struct tm tm;
  if (gmtime_r (&t, &tm) == NULL)
    return -1;
  /* The range check above keeps years to 4 digits; the compiler cannot
   * know, so format into a roomy buffer. */
  char tmp[96];
  if (frac)
    snprintf (tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%07dZ",
              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
              tm.tm_min, tm.tm_sec, (int) frac);
  else
    snprintf (tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  snprintf (buf, 40, "%.39s", tmp);
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
