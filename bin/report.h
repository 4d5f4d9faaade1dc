/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Change reports of the write commands (F6). */
#ifndef MOUNTDB_REPORT_H
#define MOUNTDB_REPORT_H

#include <stdio.h>
#include "mountdb.h"

struct report_info {
  const char *op;               /* "assign", ... */
  const mountdb *db;            /* the input */
  const mountdb_txn *txn;       /* the change set */
  const mountdb_report *report; /* NULL: nothing written */
  int dry_run;
  char **warnings;              /* plain messages (W1 unmapped letters) */
  size_t nwarnings;
  const char *output_name;      /* shown instead of the report's output
                                   path (-o -: the temp file is gone) */
};

/* Text (json = 0) or JSON schema 1.  Returns 0 or -1 on a write error. */
int report_print (FILE *f, const struct report_info *ri, int json);

#endif
