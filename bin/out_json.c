/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON schema 1 (documented in mountdb(1)): --format=json pretty-prints
 * one document, or an array of documents for several hives; --format=jsonl
 * writes one compact document per hive per line.  Keys come in a fixed
 * order so outputs diff cleanly (F7).  show and check write the same
 * document: the model, then the findings --ignore leaves. */
#include <config.h>
#include <string.h>
#include <stdlib.h>
#include "output.h"
#include "out_disk.h"

/* The document is the library's (mountdb_json_write, lib/json.c): one
 * implementation for the CLI and the bindings.  Here only the framing:
 * the array around several documents, the newlines, and the disks and
 * options of the command line. */

/* The sink: pieces go straight to the stream (batch.c's), so a document
 * of 100k entries is never held whole here either. */
static int
json_put (void *ctx, const char *buf, size_t len)
{
  return fwrite (buf, 1, len, (FILE *) ctx) == len ? 0 : -1;
}

/* ---- writers ---------------------------------------------------------------- */

static int
put (FILE *f, const char *s)
{
  return fputs (s, f) < 0 ? -1 : 0;
}

/* The --disk set as the library takes it: the disk, or why it failed. */
static int
json_disks (const struct hive_result *r, mountdb_json_disk **out,
            mountdb_error **errs)
{
  size_t n = r->disks ? r->disks->n : 0;
  *out = calloc (n ? n : 1, sizeof **out);
  *errs = calloc (n ? n : 1, sizeof **errs);
  if (*out == NULL || *errs == NULL)
    return -1;
  for (size_t i = 0; i < n; i++) {
    (*out)[i].path = r->disks->paths[i];
    (*out)[i].disk = r->disks->d[i];
    if ((*out)[i].disk == NULL) {
      (*errs)[i].code = r->disks->codes[i];
      snprintf ((*errs)[i].message, sizeof (*errs)[i].message, "%s",
                r->disks->errors[i] ? r->disks->errors[i] : "");
      (*out)[i].err = &(*errs)[i];
    }
  }
  return 0;
}

static int
write_doc (FILE *f, const struct hive_result *r, int pretty, int indent,
           const char *before, const char *after)
{
  mountdb_json_opts o;
  mountdb_json_disk *disks = NULL;
  mountdb_error *errs = NULL;
  int rc = -1;
  mountdb_json_opts_init (&o);
  o.flags = pretty ? 0 : MOUNTDB_JSON_COMPACT;
  o.indent = indent;
  o.path = r->path;
  o.ignore = r->ignore;
  o.correlation = r->corr;
  if (json_disks (r, &disks, &errs) < 0)
    goto out;
  o.disks = disks;
  o.ndisks = r->disks ? r->disks->n : 0;
  if (put (f, before) < 0)
    goto out;
  if (r->devices)       /* devices: the join's document, same framing */
    rc = mountdb_devices_json_write (r->devices, &o, json_put, f, NULL);
  else if (r->db)
    rc = mountdb_json_write (r->db, &o, json_put, f, NULL);
  else
    rc = mountdb_json_write_error (r->path, r->err, &o, json_put, f, NULL);
  if (rc == 0)
    rc = put (f, after);
out:
  free (disks);
  free (errs);
  return rc < 0 ? -1 : 0;
}

/* The writer interface passes nhives to begin() and end() only; several
 * hives make an array, so hive() needs to know which form begin() chose. */
static int json_in_array;
int out_json_always_array;

static int
json_begin (FILE *f, size_t nhives)
{
  json_in_array = nhives > 1 || out_json_always_array;
  return json_in_array ? put (f, "[") : 0;
}

static int
json_hive_doc (FILE *f, const struct hive_result *r, size_t index)
{
  if (!json_in_array)
    return write_doc (f, r, 1, 0, "", "\n");
  /* In the array each document sits one level in. */
  return write_doc (f, r, 1, 1, index > 0 ? ",\n  " : "\n  ", "");
}

static int
json_end (FILE *f, size_t nhives)
{
  (void) nhives;
  return json_in_array ? put (f, "\n]\n") : 0;
}

static int
jsonl_begin (FILE *f, size_t nhives)
{
  (void) f;
  (void) nhives;
  return 0;
}

/* One compact document per line; a hive that failed still gets its line. */
static int
jsonl_hive (FILE *f, const struct hive_result *r, size_t index)
{
  (void) index;
  return write_doc (f, r, 0, 0, "", "\n");
}

static int
jsonl_end (FILE *f, size_t nhives)
{
  (void) f;
  (void) nhives;
  return 0;
}

const struct out_writer out_json_writer = {
  FMT_JSON, json_begin, json_hive_doc, json_end,
};

const struct out_writer out_jsonl_writer = {
  FMT_JSONL, jsonl_begin, jsonl_hive, jsonl_end,
};
