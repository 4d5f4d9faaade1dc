/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The stable names the JSON, XML and CSV documents print for the
 * library's codes, kept here so that every format (and every binding)
 * spells them alike.  The older name functions live beside their enums:
 * mountdb_class_name (names.c), mountdb_shape_name (uid.c),
 * mountdb_severity_name (rules.c), mountdb_hive_kind_name,
 * mountdb_windows_version_name and mountdb_type_name (handle.c). */
#include <config.h>
#include <stddef.h>
#include "internal.h"

#define LOOKUP(table, i) \
  ((i) >= 0 && (size_t) (i) < sizeof (table) / sizeof (table)[0] \
   ? (table)[i] : NULL)

const char *
mountdb_error_name (int code)
{
  /* Codes are negative: index by -code. */
  static const char *const names[] = {
    [-MOUNTDB_OK] = "ok",
    [-MOUNTDB_E_NOMEM] = "nomem",
    [-MOUNTDB_E_INVAL] = "invalid",
    [-MOUNTDB_E_IO] = "io",
    [-MOUNTDB_E_NOTREG] = "not_regular",
    [-MOUNTDB_E_FORMAT] = "format",
    [-MOUNTDB_E_CORRUPT] = "corrupt",
    [-MOUNTDB_E_TOOBIG] = "too_big",
    [-MOUNTDB_E_CRYPTO] = "crypto",
    [-MOUNTDB_E_NOMATCH] = "no_match",
    [-MOUNTDB_E_AMBIGUOUS] = "ambiguous",
    [-MOUNTDB_E_REFUSED] = "refused",
    [-MOUNTDB_E_EXISTS] = "exists",
  };
  const char *n = code <= 0 ? LOOKUP (names, -code) : NULL;
  return n ? n : "unknown";
}

const char *
mountdb_diag_name (int code)
{
  static const char *const names[] = {
    [MOUNTDB_DIAG_DIRTY] = "dirty",
    [MOUNTDB_DIAG_UNSAFE] = "unsafe",
    [MOUNTDB_DIAG_BAD_CHECKSUM] = "bad_checksum",
    [MOUNTDB_DIAG_VALUE_UNREADABLE] = "value_unreadable",
    [MOUNTDB_DIAG_SIZE_MISMATCH] = "size_mismatch",
    [MOUNTDB_DIAG_LOGS_APPLIED] = "logs_applied",
    [MOUNTDB_DIAG_LOGS_REFUSED] = "logs_refused",
    [MOUNTDB_DIAG_NOT_SYSTEM] = "not_system",
    [MOUNTDB_DIAG_LAYERED] = "layered",
    [MOUNTDB_DIAG_SETUP] = "setup_in_progress",
    [MOUNTDB_DIAG_SELECT] = "select_differs",
    [MOUNTDB_DIAG_NOT_KEPT] = "not_kept",
  };
  const char *n = LOOKUP (names, code);
  return n ? n : "other";
}

const char *
mountdb_key_state_name (int state)
{
  static const char *const names[] = {
    [MOUNTDB_KEY_PRESENT] = "present",
    [MOUNTDB_KEY_ABSENT] = "absent",
    [MOUNTDB_KEY_NO_ROOT] = "no_root",
    [MOUNTDB_KEY_UNREADABLE] = "unreadable",
  };
  const char *n = LOOKUP (names, state);
  return n ? n : "unknown";
}

const char *
mountdb_node_kind_name (int kind)
{
  static const char *const names[] = {
    [MOUNTDB_NODE_NONE] = "none",
    [MOUNTDB_NODE_MAC] = "mac",
    [MOUNTDB_NODE_PLACEHOLDER] = "placeholder",
    [MOUNTDB_NODE_LOCAL] = "local",
  };
  return LOOKUP (names, kind);
}

const char *
mountdb_name_flag_name (unsigned flag)
{
  /* In bit order: the formats list a value's flags in this order. */
  static const char *const names[] = {
    "case_variant", "bad_utf16", "control", "malformed_guid", "upper_hex",
    "latin1", "prefix_case",
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (flag == 1u << i)
      return names[i];
  return NULL;
}

const char *
mountdb_class_description (int cls)
{
  static const char *const words[] = {
    [MOUNTDB_CLASS_DRIVE_LETTER] = "a drive letter",
    [MOUNTDB_CLASS_VOLUME_GUID] = "a volume GUID name",
    [MOUNTDB_CLASS_NO_LETTER] = "a no-letter marker",
    [MOUNTDB_CLASS_MOUNT_POINT] = "a folder mount point",
  };
  const char *w = LOOKUP (words, cls);
  return w ? w : "a known name";
}

const char *
mountdb_change_kind_name (int kind)
{
  static const char *const names[] = {
    [MOUNTDB_CHANGE_ADDED] = "added",
    [MOUNTDB_CHANGE_DELETED] = "deleted",
    [MOUNTDB_CHANGE_MODIFIED] = "modified",
    [MOUNTDB_CHANGE_AUTOMOUNT] = "automount",
  };
  const char *n = LOOKUP (names, kind);
  return n ? n : "other";
}

const char *
mountdb_log_format_name (int format)
{
  switch (format) {
  case MOUNTDB_LOG_FORMAT_OLD: return "old";
  case MOUNTDB_LOG_FORMAT_NEW: return "new";
  default: return "unknown";
  }
}

const char *
mountdb_field_kind_name (int kind)
{
  static const char *const names[] = {
    [MOUNTDB_FIELD_STRING] = "string",
    [MOUNTDB_FIELD_UINT] = "uint",
    [MOUNTDB_FIELD_BOOL] = "bool",
  };
  return LOOKUP (names, kind);
}
