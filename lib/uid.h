/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unique IDs: what the dispatcher (uid.c) shares with the decoder of each
 * on-disk format (uid_*.c).  Internal to the uid files. */
#ifndef MOUNTDB_UID_H
#define MOUNTDB_UID_H

#include "decode.h"
#include "common/sbuf.h"

#define MD_UID_MAX_FIELDS 16

typedef struct uid_field {
  const char *key;              /* static JSON key */
  int kind;                     /* enum mountdb_field_kind */
  char *str;                    /* owned, STRING only */
  uint64_t num;                 /* UINT and BOOL */
} uid_field;

struct mountdb_uid {
  int shape;
  uint32_t disk_signature;      /* MBR */
  uint64_t partition_offset;    /* MBR */
  int has_guid;                 /* DMIO: fields[0] is "guid" (its text
                                   is not kept twice: 100k IDs) */
  char *summary;
  size_t nfields;
  uid_field fields[];           /* decoded with room for MD_UID_MAX_FIELDS,
                                   then shrunk to nfields */
};

/* ---- fields (uid.c) ------------------------------------------------------ */
/* Takes ownership of s; s == NULL means allocation failed.  0 or < 0. */
MD_HIDDEN int md_uid_add_str (mountdb_uid *uid, const char *key, char *s);
MD_HIDDEN int md_uid_add_strdup (mountdb_uid *uid, const char *key,
                                 const char *s);
MD_HIDDEN int md_uid_add_num (mountdb_uid *uid, const char *key, int kind,
                              uint64_t v);

/* ---- the summary line (uid.c) --------------------------------------------- */
/* Text from the ID: cut to a sane length, unsafe characters replaced. */
MD_HIDDEN void md_uid_sb_user_n (struct md_sbuf *b, const char *s, size_t n);
MD_HIDDEN void md_uid_sb_user (struct md_sbuf *b, const char *s);
/* label then value (from the ID) when value is not NULL. */
MD_HIDDEN void md_uid_sb_opt (struct md_sbuf *b, const char *label,
                              const char *value);
/* The summary becomes uid's (or MOUNTDB_E_NOMEM); b is freed. */
MD_HIDDEN int md_uid_sb_finish (struct md_sbuf *b, mountdb_uid *uid);
/* The summary from s[0..n), built without an md_sbuf. */
MD_HIDDEN int md_uid_set_summary (mountdb_uid *uid, const char *s, size_t n);
/* Lower- or upper-case hex of v in exactly w digits at p: p past them. */
static inline char *
md_uid_hex (char *p, uint64_t v, int w, int upper)
{
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (int i = w - 1; i >= 0; i--, v >>= 4)
    p[i] = digits[v & 15];
  return p + w;
}

/* ---- the formats (uid_*.c), as libblkid keeps one file per format ------- */
/* One on-disk format of an ID.  uid.c tries them in table order and the
 * first that claims the bytes (length, then match) decodes them, with
 * uid->shape already set; decode fills fields and the summary and returns
 * 0 or < 0. */
#define MD_UID_ANY_LEN ((size_t) -1)
typedef struct md_uid_format {
  const char *name;             /* mountdb_shape_name of shape */
  int shape;                    /* enum mountdb_shape */
  size_t len;                   /* the exact length, or MD_UID_ANY_LEN */
  int (*match) (const uint8_t *d, size_t len); /* NULL: the length says */
  int (*decode) (mountdb_uid *uid, const uint8_t *d, size_t len);
} md_uid_format;

MD_HIDDEN extern const md_uid_format md_uid_fmt_mbr;     /* uid_mbr.c */
MD_HIDDEN extern const md_uid_format md_uid_fmt_dmio;    /* uid_dmio.c */
MD_HIDDEN extern const md_uid_format md_uid_fmt_ft8;     /* uid_ft8.c */
MD_HIDDEN extern const md_uid_format md_uid_fmt_devpath; /* uid_devpath.c */
MD_HIDDEN extern const md_uid_format md_uid_fmt_wine;    /* uid_wine.c */

#endif
