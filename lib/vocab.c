/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The stable names the JSON, XML and CSV documents print for the
 * library's codes, kept here so that every format (and every binding)
 * spells them alike.  The older name functions live beside their enums:
 * mountdb_class_name (names.c), mountdb_shape_name (uid.c),
 * mountdb_severity_name (rules.c); mountdb_hive_kind_name,
 * mountdb_windows_version_name and mountdb_type_name are at the end. */
#include <config.h>
#include <limits.h>
#include <stddef.h>
#include "decode.h"

/* Which enum a row names. */
enum vocab_set {
  V_ERROR, V_DIAG, V_KEY, V_NODE, V_FLAG, V_CLASS_WORDS, V_CHANGE, V_LOG,
  V_FIELD,
};

/* One table: every name, beside the code it names. */
static const struct {
  unsigned char set;
  int code;
  const char *name;
} vocab[] = {
  { V_ERROR, MOUNTDB_OK, "ok" },
  { V_ERROR, MOUNTDB_E_NOMEM, "nomem" },
  { V_ERROR, MOUNTDB_E_INVAL, "invalid" },
  { V_ERROR, MOUNTDB_E_IO, "io" },
  { V_ERROR, MOUNTDB_E_NOTREG, "not_regular" },
  { V_ERROR, MOUNTDB_E_FORMAT, "format" },
  { V_ERROR, MOUNTDB_E_CORRUPT, "corrupt" },
  { V_ERROR, MOUNTDB_E_TOOBIG, "too_big" },
  { V_ERROR, MOUNTDB_E_CRYPTO, "crypto" },
  { V_ERROR, MOUNTDB_E_NOMATCH, "no_match" },
  { V_ERROR, MOUNTDB_E_AMBIGUOUS, "ambiguous" },
  { V_ERROR, MOUNTDB_E_REFUSED, "refused" },
  { V_ERROR, MOUNTDB_E_EXISTS, "exists" },

  { V_DIAG, MOUNTDB_DIAG_DIRTY, "dirty" },
  { V_DIAG, MOUNTDB_DIAG_UNSAFE, "unsafe" },
  { V_DIAG, MOUNTDB_DIAG_BAD_CHECKSUM, "bad_checksum" },
  { V_DIAG, MOUNTDB_DIAG_VALUE_UNREADABLE, "value_unreadable" },
  { V_DIAG, MOUNTDB_DIAG_SIZE_MISMATCH, "size_mismatch" },
  { V_DIAG, MOUNTDB_DIAG_LOGS_APPLIED, "logs_applied" },
  { V_DIAG, MOUNTDB_DIAG_LOGS_REFUSED, "logs_refused" },
  { V_DIAG, MOUNTDB_DIAG_NOT_SYSTEM, "not_system" },
  { V_DIAG, MOUNTDB_DIAG_LAYERED, "layered" },
  { V_DIAG, MOUNTDB_DIAG_SETUP, "setup_in_progress" },
  { V_DIAG, MOUNTDB_DIAG_SELECT, "select_differs" },
  { V_DIAG, MOUNTDB_DIAG_NOT_KEPT, "not_kept" },

  { V_KEY, MOUNTDB_KEY_PRESENT, "present" },
  { V_KEY, MOUNTDB_KEY_ABSENT, "absent" },
  { V_KEY, MOUNTDB_KEY_NO_ROOT, "no_root" },
  { V_KEY, MOUNTDB_KEY_UNREADABLE, "unreadable" },

  { V_NODE, MOUNTDB_NODE_NONE, "none" },
  { V_NODE, MOUNTDB_NODE_MAC, "mac" },
  { V_NODE, MOUNTDB_NODE_PLACEHOLDER, "placeholder" },
  { V_NODE, MOUNTDB_NODE_LOCAL, "local" },

  /* In bit order: the formats list a value's flags in this order. */
  { V_FLAG, MOUNTDB_NAME_CASE_VARIANT, "case_variant" },
  { V_FLAG, MOUNTDB_NAME_BAD_UTF16, "bad_utf16" },
  { V_FLAG, MOUNTDB_NAME_CONTROL, "control" },
  { V_FLAG, MOUNTDB_NAME_MALFORMED_GUID, "malformed_guid" },
  { V_FLAG, MOUNTDB_NAME_UPPER_HEX, "upper_hex" },
  { V_FLAG, MOUNTDB_NAME_LATIN1, "latin1" },
  { V_FLAG, MOUNTDB_NAME_PREFIX_CASE, "prefix_case" },

  { V_CLASS_WORDS, MOUNTDB_CLASS_DRIVE_LETTER, "a drive letter" },
  { V_CLASS_WORDS, MOUNTDB_CLASS_VOLUME_GUID, "a volume GUID name" },
  { V_CLASS_WORDS, MOUNTDB_CLASS_NO_LETTER, "a no-letter marker" },
  { V_CLASS_WORDS, MOUNTDB_CLASS_MOUNT_POINT, "a folder mount point" },

  { V_CHANGE, MOUNTDB_CHANGE_ADDED, "added" },
  { V_CHANGE, MOUNTDB_CHANGE_DELETED, "deleted" },
  { V_CHANGE, MOUNTDB_CHANGE_MODIFIED, "modified" },
  { V_CHANGE, MOUNTDB_CHANGE_AUTOMOUNT, "automount" },

  { V_LOG, MOUNTDB_LOG_FORMAT_OLD, "old" },
  { V_LOG, MOUNTDB_LOG_FORMAT_NEW, "new" },

  { V_FIELD, MOUNTDB_FIELD_STRING, "string" },
  { V_FIELD, MOUNTDB_FIELD_UINT, "uint" },
  { V_FIELD, MOUNTDB_FIELD_BOOL, "bool" },
};

/* The name of code in set, or fallback. */
static const char *
lookup (enum vocab_set set, long code, const char *fallback)
{
  for (size_t i = 0; i < sizeof vocab / sizeof vocab[0]; i++)
    if (vocab[i].set == set && vocab[i].code == code)
      return vocab[i].name;
  return fallback;
}

const char *
mountdb_error_name (int code)
{
  return lookup (V_ERROR, code, "unknown");
}

const char *
mountdb_diag_name (int code)
{
  return lookup (V_DIAG, code, "other");
}

const char *
mountdb_key_state_name (int state)
{
  return lookup (V_KEY, state, "unknown");
}

const char *
mountdb_node_kind_name (int kind)
{
  return lookup (V_NODE, kind, NULL);
}

const char *
mountdb_change_kind_name (int kind)
{
  return lookup (V_CHANGE, kind, "other");
}

const char *
mountdb_log_format_name (int format)
{
  return lookup (V_LOG, format, "unknown");
}

const char *
mountdb_field_kind_name (int kind)
{
  return lookup (V_FIELD, kind, NULL);
}

const char *
mountdb_class_description (int cls)
{
  return lookup (V_CLASS_WORDS, cls, "a known name");
}

const char *
mountdb_name_flag_name (unsigned flag)
{
  /* Exactly one bit: a set of flags has no single name. */
  if (flag == 0 || (flag & (flag - 1)) != 0 || flag > INT_MAX)
    return NULL;
  return lookup (V_FLAG, (long) flag, NULL);
}

/* ---- hive kinds, Windows versions, registry types: below every layer,
 * so reading, rules and messages all spell them alike ---------------- */

static const struct {
  const char *name, *words;
} kinds[] = {
  [MOUNTDB_HIVE_SYSTEM] = { "system", "a SYSTEM hive" },
  [MOUNTDB_HIVE_UNKNOWN] = { "unknown", "a hive of unknown kind (none of "
                             "Select, ControlSet00N or MountedDevices at its "
                             "root, nor the keys of another known hive)" },
  [MOUNTDB_HIVE_NTUSER] = { "ntuser", "a user hive (NTUSER.DAT: Software "
                            "and Environment or Control Panel at its root)" },
  [MOUNTDB_HIVE_USRCLASS] = { "usrclass", "a user classes hive (UsrClass.dat:"
                              " Local Settings at its root)" },
  [MOUNTDB_HIVE_SOFTWARE] = { "software", "a SOFTWARE hive (Microsoft and "
                              "Classes or Policies at its root)" },
  [MOUNTDB_HIVE_SAM] = { "sam", "a SAM hive (SAM at its root)" },
  [MOUNTDB_HIVE_SECURITY] = { "security", "a SECURITY hive (Policy or RXACT "
                              "at its root)" },
  [MOUNTDB_HIVE_BCD] = { "bcd", "a boot configuration data store (BCD: "
                         "Objects and Description at its root)" },
  [MOUNTDB_HIVE_COMPONENTS] = { "components", "a COMPONENTS hive "
                                "(CanonicalData or DerivedData at its root)" },
};

const char *
mountdb_hive_kind_name (int kind)
{
  return kind >= 0 && (size_t) kind < sizeof kinds / sizeof kinds[0]
         ? kinds[kind].name : "unknown";
}

const char *
md_hive_kind_words (int kind)
{
  return kind >= 0 && (size_t) kind < sizeof kinds / sizeof kinds[0]
         ? kinds[kind].words : kinds[MOUNTDB_HIVE_UNKNOWN].words;
}

const char *
mountdb_windows_version_name (int v)
{
  switch (v) {
  case MOUNTDB_WINVER_NT4: return "nt4";
  case MOUNTDB_WINVER_PRE10: return "2000-8.1";
  case MOUNTDB_WINVER_10: return "10";
  default: return "unknown";
  }
}

const char *
mountdb_type_name (uint32_t type)
{
  static const char *const names[] = {
    "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
    "REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST",
    "REG_FULL_RESOURCE_DESCRIPTOR", "REG_RESOURCE_REQUIREMENTS_LIST",
    "REG_QWORD",
  };
  /* Other types get a stable spelling from a fixed table of buffers would
   * not be thread-safe; "REG_UNKNOWN" plus the numeric type in outputs. */
  return type < sizeof names / sizeof names[0] ? names[type] : "REG_UNKNOWN";
}
