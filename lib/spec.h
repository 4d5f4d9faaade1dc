/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A parsed volume spec (spec.c), for the resolver of the edit layer
 * (spec_resolve.c).  Internal. */
#ifndef MOUNTDB_SPEC_H
#define MOUNTDB_SPEC_H

#include "decode.h"

#define DMIO_PREFIX "DMIO:ID:"
#define DMIO_PREFIX_LEN 8

struct mountdb_spec {
  int kind;                  /* enum mountdb_spec_kind */
  char *text;                /* as given, surrounding whitespace removed */
  char letter;               /* LETTER: 'A'..'Z' */
  uint8_t guid[16];          /* VOLUME_GUID, GPT: Windows binary layout */
  char guid_text[37];        /* lower case */
  uint32_t signature;        /* MBR */
  int has_offset;            /* MBR: 0 for "mbr:SIG" */
  uint64_t offset;           /* MBR: bytes */
  char *disk_path;           /* DISK: the disk, as given */
  unsigned partition;        /* DISK: partition number, >= 1 */
  uint8_t *disk_id;          /* DISK: the ID read from the disk, cached by
                                the first resolve (spec_resolve.c) */
  size_t disk_idlen;
  uint8_t *id;               /* MBR with offset, GPT, HEX; else NULL */
  size_t idlen;
};

/* Fill err (may be NULL) with code and "'TEXT': reason" (the spec text
 * s[0..n) quoted safely).  Returns code. */
MD_HIDDEN int md_spec_error (mountdb_error *err, int code, const char *s,
                             size_t n, const char *fmt, ...)
  __attribute__ ((format (printf, 5, 6)));

#endif
