/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one ISO 8601 <-> FILETIME pair (100 ns ticks since 1601-01-01 UTC):
 * the library formats key and log times, the CLI parses --timestamp. */
#ifndef MOUNTDB_COMMON_TIMEFMT_H
#define MOUNTDB_COMMON_TIMEFMT_H

#include <stdint.h>

/* Ticks from 1601-01-01 to 1970-01-01. */
#define MD_FILETIME_UNIX_EPOCH 116444736000000000ULL

/* "YYYY-MM-DDTHH:MM:SS[.fffffff]Z" into buf: 0, or -1 (buf "") when ft is
 * 0 (unset) or past year 9999. */
int md_filetime_to_iso (uint64_t ft, char buf[40]);
/* "YYYY-MM-DDTHH:MM:SS[Z]", UTC, year 1601 or later -> FILETIME: 0, or -1
 * for anything else, days past their month's end included. */
int md_iso_to_filetime (const char *s, uint64_t *ft);

#endif
