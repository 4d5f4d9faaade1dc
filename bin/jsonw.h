/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny streaming JSON emitter shared by the JSON documents and the
 * change reports: built in memory, written with one checked fwrite. */
#ifndef MOUNTDB_JSONW_H
#define MOUNTDB_JSONW_H

#include <stdint.h>
#include "escape.h"

#define JW_MAX_DEPTH 16

struct jw {
  struct md_sbuf b;
  int pretty;
  int base;                     /* depth of the document itself */
  int depth;
  unsigned char first[JW_MAX_DEPTH]; /* nothing written yet at this depth */
};

/* Separator, indentation and key before a value written by hand. */
void jw_sep (struct jw *j, const char *key);
void jw_open (struct jw *j, const char *key, char c);
void jw_close (struct jw *j, char c);
void jw_str (struct jw *j, const char *key, const char *s);
void jw_str16 (struct jw *j, const char *key, const uint16_t *u, size_t n);
void jw_uint (struct jw *j, const char *key, uint64_t v);
void jw_bool (struct jw *j, const char *key, int v);
void jw_null (struct jw *j, const char *key);
void jw_hex (struct jw *j, const char *key, const uint8_t *data, size_t len);
/* ISO 8601 UTC, or null when the FILETIME is unset or out of range. */
void jw_time (struct jw *j, const char *key, uint64_t ft);
/* A unique ID: {"shape", its fields, "summary"}. */
void jw_uid (struct jw *j, const char *key, const mountdb_uid *uid);

#endif
