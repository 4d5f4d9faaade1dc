/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every format shows (see shown.h). */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include "common/shown.h"

int
md_rule_ignored (const char *const *ignore, const char *rule)
{
  for (size_t i = 0; ignore && ignore[i]; i++)
    if (strcmp (ignore[i], rule) == 0)
      return 1;
  return 0;
}

int
md_derived_guid (const mountdb *db, const mountdb_volume *v, char out[37])
{
  if (mountdb_windows_version (db) != MOUNTDB_WINVER_10)
    return 0;
  for (size_t i = 0; i < mountdb_volume_entry_count (v); i++)
    if (mountdb_entry_class (mountdb_volume_entry_get (v, i))
        == MOUNTDB_CLASS_VOLUME_GUID)
      return 0;
  return mountdb_volume_derived_guid (v, out);
}

const char *
esc_type_name (uint32_t type, char buf[24])
{
  const char *n = mountdb_type_name (type);
  if (n != NULL && strncmp (n, "REG_0x", 6) != 0
      && strcmp (n, "REG_UNKNOWN") != 0)
    return n;
  snprintf (buf, 24, "REG_0x%x", (unsigned) type);
  return buf;
}
