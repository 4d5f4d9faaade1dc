/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* FILETIME (100 ns ticks since 1601-01-01 UTC) to ISO 8601, public face of
 * lib/common/timefmt.c.  Pure. */
#include <config.h>
#include "decode.h"
#include "common/timefmt.h"

int
mountdb_filetime_format (uint64_t ft, char buf[40])
{
  return md_filetime_to_iso (ft, buf);
}
