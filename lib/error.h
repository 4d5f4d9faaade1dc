/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bottom layer every other one reports through: md_error fills a
 * mountdb_error.  Nothing here prints. */
#ifndef MOUNTDB_ERROR_H
#define MOUNTDB_ERROR_H

#include <stdarg.h>
#include "decode.h"

/* ---- error.c ------------------------------------------------------------- */
/* Fill err (may be NULL) with code, errno and "path: message".  Returns code. */
MD_HIDDEN int md_error (mountdb_error *err, int code, int sys_errno,
                        const char *path, const char *fmt, ...)
  __attribute__ ((format (printf, 5, 6)));

#endif
