/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The diagnostics list (diag.h). */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "grow.h"
#include "common/sbuf.h"

int
md_diag_add (struct md_diags *ds, int code, const char *fmt, ...)
{
  if (md_grow (&ds->v, &ds->cap, ds->n, sizeof *ds->v) < 0)
    return MOUNTDB_E_NOMEM;
  /* Whole, never cut: a diagnostic may quote a long name. */
  va_list ap;
  va_start (ap, fmt);
  char *msg = md_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (msg == NULL)
    return MOUNTDB_E_NOMEM;
  struct md_diag *d = ds->v;
  d[ds->n].code = code;
  d[ds->n].message = msg;
  ds->n++;
  return 0;
}

void
md_diags_free (struct md_diags *ds)
{
  for (size_t i = 0; i < ds->n; i++)
    free (ds->v[i].message);
  free (ds->v);
  ds->v = NULL;
  ds->n = ds->cap = 0;
}
