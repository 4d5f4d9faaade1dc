/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every format of a hive's document shows, decided once for the
 * library's JSON (lib/json.c) and the CLI's text, CSV and XML. */
#ifndef MOUNTDB_COMMON_SHOWN_H
#define MOUNTDB_COMMON_SHOWN_H

#include "mountdb.h"

/* 1 when the NULL-terminated list (--ignore; NULL: empty) names rule. */
int md_rule_ignored (const char *const *ignore, const char *rule);

/* 1 and the GUID (no braces) when the volume's stable name is one Windows
 * 10 derives and does not store (V8): a Windows 10 hive, an MBR ID and no
 * stored volume GUID name.  Every format shows it marked "derived". */
int md_derived_guid (const mountdb *db, const mountdb_volume *v,
                     char out[37]);

/* mountdb_type_name, but unknown types keep their number: "REG_0x1234".
 * buf must hold 24 bytes. */
const char *esc_type_name (uint32_t type, char buf[24]);

#endif
