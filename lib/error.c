/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Errors travel as codes plus a message naming the file; nothing prints. */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include "error.h"

int
md_error (mountdb_error *err, int code, int sys_errno, const char *path,
          const char *fmt, ...)
{
  if (err == NULL)
    return code;
  err->code = code;
  err->sys_errno = sys_errno;
  int n = snprintf (err->message, sizeof err->message, "%s: ",
                    path ? path : "(no file)");
  if (n < 0 || (size_t) n >= sizeof err->message)
    n = 0;
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (err->message + n, sizeof err->message - (size_t) n, fmt, ap);
  va_end (ap);
  return code;
}

const char *
mountdb_strerror (int code)
{
  switch (code) {
  case MOUNTDB_OK: return "success";
  case MOUNTDB_E_NOMEM: return "out of memory";
  case MOUNTDB_E_INVAL: return "invalid argument";
  case MOUNTDB_E_IO: return "input/output error";
  case MOUNTDB_E_NOTREG: return "not a regular file";
  case MOUNTDB_E_FORMAT: return "not a registry hive";
  case MOUNTDB_E_CORRUPT: return "corrupt hive";
  case MOUNTDB_E_TOOBIG: return "file too large";
  case MOUNTDB_E_CRYPTO: return "hashing failed";
  case MOUNTDB_E_NOMATCH: return "no such volume";
  case MOUNTDB_E_AMBIGUOUS: return "ambiguous volume";
  case MOUNTDB_E_REFUSED: return "refused";
  case MOUNTDB_E_EXISTS: return "file exists";
  default: return "unknown error";
  }
}

const char *
mountdb_version (void)
{
  return MOUNTDB_VERSION_STRING;
}
