/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the library's JSON documents share (lib/json.c): the show/check
 * document and the devices document (lib/json_devices.c) load the same
 * options, stream to the sink in the same pieces, and print the same
 * tool and logs objects. */
#ifndef MOUNTDB_JSON_INT_H
#define MOUNTDB_JSON_INT_H

#include "mountdb.h"
#include "common/jsonw.h"

/* Pieces handed to the sink: a document is never held whole. */
#define MD_JSON_CHUNK ((size_t) 64 << 10)

/* One document being written: the emitter, where its pieces go, and the
 * options (loaded, so every field is there). */
struct md_json {
  struct jw j;
  mountdb_sink sink;
  void *ctx;
  int stopped;                  /* the sink said stop */
  const mountdb_json_opts *o;
};

/* Check and load opts into *o, set w up to write to sink: 0, or
 * MOUNTDB_E_INVAL (err names path). */
int md_json_begin (struct md_json *w, mountdb_json_opts *o,
                   const mountdb_json_opts *opts, const char *path,
                   mountdb_sink sink, void *ctx, mountdb_error *err);
/* Hand what is built on once it passes at_least bytes: 1 when the
 * write is to stop (the sink said so, or memory ran out). */
int md_json_flush (struct md_json *w, size_t at_least);
/* The rest to the sink, w released: 0, MOUNTDB_E_IO or MOUNTDB_E_NOMEM. */
int md_json_end (struct md_json *w, const char *path, mountdb_error *err);

/* "schema" and "tool" {name, version}. */
void md_json_tool (struct jw *j);
/* "logs": null, or {applied, ..., summary, files[]} (F4). */
void md_json_logs (struct jw *j, const mountdb *db);

#endif
