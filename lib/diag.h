/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Diagnostics: what a reading stage noticed about its input (bad checksum,
 * unreadable value, logs applied, ...).  A bottom layer of its own, so the
 * stages that notice (handle.c, logfiles.c, hive.c) append to the list
 * directly and the model only holds and reads it. */
#ifndef MOUNTDB_DIAG_H
#define MOUNTDB_DIAG_H

#include <stddef.h>
#include "decode.h"

struct md_diag { int code; char *message; };

struct md_diags {
  struct md_diag *v;
  size_t n, cap;
};

/* Append one (code: enum mountdb_diag).  0 or MOUNTDB_E_NOMEM. */
MD_HIDDEN int md_diag_add (struct md_diags *ds, int code, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
MD_HIDDEN void md_diags_free (struct md_diags *ds);

#endif
