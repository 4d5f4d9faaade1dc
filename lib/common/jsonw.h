/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A tiny streaming JSON emitter shared by the library's JSON document
 * (lib/json.c, mountdb_json_write) and the CLI's other JSON (change
 * reports, `mountdb disks`): built in memory, handed on in pieces.
 * The CLI includes it as "jsonw.h". */
#ifndef MOUNTDB_JSONW_H
#define MOUNTDB_JSONW_H

#include <stdint.h>
#include "mountdb.h"
#include "common/sbuf.h"
#include "common/escsrc.h"

#define JW_MAX_DEPTH 16

struct jw {
  struct md_sbuf b;
  int pretty;
  int base;                     /* depth of the document itself */
  int depth;
  unsigned char first[JW_MAX_DEPTH]; /* nothing written yet at this depth */
};

/* JSON: a quoted string.  Exact for UTF-16 sources: only the escape
 * syntax changes, never the characters; controls, hidden characters and
 * lone surrogates as \uXXXX. */
void esc_json (struct md_sbuf *b, struct esc_src *s);

/* Separator, indentation and key before a value written by hand. */
void jw_sep (struct jw *j, const char *key);
void jw_open (struct jw *j, const char *key, char c);
void jw_close (struct jw *j, char c);
void jw_str (struct jw *j, const char *key, const char *s);
void jw_str16 (struct jw *j, const char *key, const uint16_t *u, size_t n);
void jw_uint (struct jw *j, const char *key, uint64_t v);
void jw_bool (struct jw *j, const char *key, int v);
void jw_null (struct jw *j, const char *key);
/* "sequence": [seq1, seq2] of a base block (the hive, a replayed image,
 * a change report's header). */
void jw_sequence (struct jw *j, const mountdb_header *h);
/* s as a string, or null when s is NULL. */
void jw_str_or_null (struct jw *j, const char *key, const char *s);
void jw_hex (struct jw *j, const char *key, const uint8_t *data, size_t len);
/* ISO 8601 UTC, or null when the FILETIME is unset or out of range. */
void jw_time (struct jw *j, const char *key, uint64_t ft);
/* A unique ID: {"shape", its fields, "summary"}. */
void jw_uid (struct jw *j, const char *key, const mountdb_uid *uid);
/* One disk as `mountdb disks` and the "disks" of a hive's document show
 * it (mountdb(1), DISKS): {path, size, sector_size, table, disk_signature,
 * disk_guid, flags, warnings, partitions[]}, or {path, error{code,
 * message}} when d is NULL (err says why; NULL: code "ok", message ""). */
void jw_disk (struct jw *j, const char *key, const char *path,
              const mountdb_disk *d, const mountdb_error *err);

#endif
