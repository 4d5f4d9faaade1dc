/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The report of a write (F6): what was written where, hashes, headers and
 * the changes, owned by the caller. */
#include <config.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "write_int.h"

/* ---- the report (F6) ---------------------------------------------------------------- */

static void *
memdup (const void *p, size_t n)
{
  if (p == NULL)
    return NULL;
  void *q = malloc (n ? n : 1);
  if (q && n)
    memcpy (q, p, n);
  return q;
}

void
mountdb_report_free (mountdb_report *r)
{
  if (r == NULL)
    return;
  for (size_t i = 0; i < r->nchanges; i++) {
    free ((void *) r->changes[i].name);
    free ((void *) r->changes[i].name16);
    free ((void *) r->changes[i].before);
    free ((void *) r->changes[i].after);
  }
  free (r->changes);
  free (r->output);
  free (r->backup);
  for (size_t i = 0; i < r->nmoved; i++)
    free (r->moved[i]);
  free (r);
}

int
md_w_report_new (struct wctx *w, mountdb_report **out)
{
  mountdb_report *r = calloc (1, sizeof *r);
  if (r == NULL)
    goto nomem;
  r->output = w->target ? strdup (w->target) : NULL;
  if (w->target && r->output == NULL)
    goto nomem;
  if (w->o.in_place && w->o.backup && w->backup
      && (r->backup = strdup (w->backup)) == NULL)
    goto nomem;
  memcpy (r->sha_before, w->sha_before, sizeof r->sha_before);
  memcpy (r->sha_after, w->vdb->sha256, sizeof r->sha_after);
  r->before = w->db->img_hdr;
  r->after = w->vdb->hdr;
  size_t n = mountdb_txn_change_count (w->txn);
  r->changes = calloc (n ? n : 1, sizeof *r->changes);
  if (r->changes == NULL)
    goto nomem;
  for (size_t i = 0; i < n; i++) {
    const mountdb_change *c = mountdb_txn_change_get (w->txn, i);
    mountdb_change *d = &r->changes[i];
    if (c == NULL)
      goto nomem;
    *d = *c;
    d->name = c->name ? strdup (c->name) : NULL;
    d->name16 = memdup (c->name16, c->name16_len * sizeof *c->name16);
    d->before = memdup (c->before, c->before_len);
    d->after = memdup (c->after, c->after_len);
    r->nchanges++;
    if ((c->name && !d->name) || (c->name16 && !d->name16)
        || (c->before && !d->before) || (c->after && !d->after))
      goto nomem;
  }
  *out = r;
  return 0;
nomem:
  mountdb_report_free (r);
  return md_error (w->err, MOUNTDB_E_NOMEM, ENOMEM, w->named,
                   "out of memory");
}

const char *mountdb_report_output (const mountdb_report *r) { return r->output; }
const char *mountdb_report_backup (const mountdb_report *r) { return r->backup; }
size_t mountdb_report_moved_log_count (const mountdb_report *r) { return r->nmoved; }

const char *
mountdb_report_moved_log_get (const mountdb_report *r, size_t i)
{
  return i < r->nmoved ? r->moved[i] : NULL;
}
const char *mountdb_report_sha256_before (const mountdb_report *r) { return r->sha_before; }
const char *mountdb_report_sha256_after (const mountdb_report *r) { return r->sha_after; }

const mountdb_header *
mountdb_report_header_before (const mountdb_report *r)
{
  return &r->before;
}

const mountdb_header *
mountdb_report_header_after (const mountdb_report *r)
{
  return &r->after;
}

size_t mountdb_report_change_count (const mountdb_report *r) { return r->nchanges; }

const mountdb_change *
mountdb_report_change_get (const mountdb_report *r, size_t i)
{
  return i < r->nchanges ? &r->changes[i] : NULL;
}
