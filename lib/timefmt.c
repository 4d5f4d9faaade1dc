/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* FILETIME (100 ns ticks since 1601-01-01 UTC) to ISO 8601.  Pure. */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "decode.h"

int
mountdb_filetime_format (uint64_t ft, char buf[40])
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
