/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkhive: what its files (mkhive.c, mkhive_lex.c, mkhive_parse.c,
 * mkhive_seed.c, mkhive_build.c, mkhive_verify.c) share.  mkhive is an
 * independent hive writer for the fixtures: it uses hivex and libc only,
 * never lib/, so a bug in the library cannot hide in its own fixtures. */
#ifndef MKHIVE_H
#define MKHIVE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hivex.h>

/* ---------------------------------------------------------------- limits */

#define SEG_MAX        16344u     /* largest value data in one cell (big data segment) */
#define MAX_DATA       900000u    /* hivex refuses allocations of 1 MB or more */
#define MAX_UNITS      (1u << 20) /* longest string expression (UTF-16 units) */
#define MAX_FILLER     (1u << 20) /* filler values per directive */
#define HBIN_SIZE      4096u

static inline uint16_t rd16 (const uint8_t *p) { return (uint16_t) (p[0] | p[1] << 8); }
static inline uint32_t rd32 (const uint8_t *p)
{ return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24; }
static inline uint64_t rd64 (const uint8_t *p) { return rd32 (p) | (uint64_t) rd32 (p + 4) << 32; }
static inline void wr16 (uint8_t *p, uint16_t v) { p[0] = (uint8_t) v; p[1] = (uint8_t) (v >> 8); }
static inline void wr32 (uint8_t *p, uint32_t v)
{ p[0] = (uint8_t) v; p[1] = (uint8_t) (v >> 8); p[2] = (uint8_t) (v >> 16); p[3] = (uint8_t) (v >> 24); }
static inline void wr64 (uint8_t *p, uint64_t v) { wr32 (p, (uint32_t) v); wr32 (p + 4, (uint32_t) (v >> 32)); }
static inline size_t r8 (size_t n) { return (n + 7) & ~(size_t) 7; }


/* Growable byte buffer and UTF-16 string. */
typedef struct { uint8_t *p; size_t n, cap; } buf;
typedef struct { uint16_t *u; size_t n, cap; } ustr;

/* ----------------------------------------------------------------- model */

enum { ENC_AUTO, ENC_LATIN1, ENC_UTF16 };
enum { CK_GOOD, CK_BAD, CK_VALUE };

struct value {
  ustr name;
  int enc;                  /* requested; ENC_AUTO resolved at build time */
  uint32_t type;
  buf data;
  int line;
  hive_value_h vk;          /* after set_values */
};

struct key {
  char *name;               /* UTF-8, NULL for the root */
  char *path;               /* for messages */
  size_t parent;            /* index into keys, SIZE_MAX for the root */
  int line;
  int has_lw;
  uint64_t lw;
  int layer;                /* layered key bit fields (nk byte 13), 0..255 */
  struct value *v;
  size_t nv, cv;
  int filler;               /* values generated: fill_count x fill_size */
  uint64_t fill_first, fill_count, fill_size;
  hive_node_h node;
};

/* Damage applied after the hive is built and verified (hostile fixtures
 * for the writer, issue 10): it makes the hive wrong on purpose. */
enum { DMG_NAME_LEN, DMG_DATA_SELF, DMG_DATA_AT_DATA, DMG_DATA_AT_VK, DMG_VLIST_SLOT };

struct damage {
  int kind;
  size_t key, idx;          /* the value damaged (or the list slot) */
  size_t key2, idx2;        /* the value it is made to point at */
  uint64_t num;             /* DMG_NAME_LEN */
  int line;
};

struct desc {
  struct damage *dmg;
  size_t ndmg;
  const char *file;
  unsigned major, minor;
  int have_version;
  int have_ename;
  ustr ename;
  int have_ts;
  uint64_t ts;
  int have_seq;
  uint32_t seq1, seq2;
  int have_ck, ck_mode;
  uint32_t ck_value;
  int have_root;
  ustr root_name;
  int have_deflw;
  uint64_t deflw;
  int have_big, big_db;
  struct key *keys;
  size_t nkeys, ckeys;
};


/* The lexer's position in the current line (mkhive_lex.c). */
struct lex { const char *p; };
/* A mapped file (mkhive_build.c). */
struct map { uint8_t *p; size_t n; int fd; };

/* mkhive.c */
void die (const char *fmt, ...) __attribute__ ((noreturn, format (printf, 1, 2)));
void *xmalloc (size_t n);
void *xcalloc (size_t n, size_t m);
void *xrealloc (void *p, size_t n);
char *xstrdup (const char *s);
void buf_put (buf *b, const void *p, size_t n);
void buf_byte (buf *b, uint8_t c);
void ustr_push (ustr *s, uint16_t u);
void ustr_push_cp (ustr *s, uint32_t cp);
int lone_surrogate (const ustr *s, size_t i);
char *ustr_to_utf8 (const ustr *s);
char *ustr_show (const ustr *s);
void prng_fill (uint8_t *p, size_t n, uint64_t seed);
void filler_name (uint64_t i, char out[32]);
void filler_data (uint64_t i, uint8_t *p, size_t n);
extern const char *g_prog;
extern const char *g_file;
extern int g_line;
extern char g_tmp_out[PATH_MAX + 64];
extern char g_tmp_seed[PATH_MAX + 64];

/* mkhive_lex.c */
int lx_end (struct lex *lx);
char *lx_word (struct lex *lx, const char *what);
void lx_done (struct lex *lx);
void parse_str (struct lex *lx, ustr *out, const char *what);
int parse_u64 (const char *w, uint64_t *v);
uint64_t word_u64 (struct lex *lx, const char *what, uint64_t max);
uint64_t word_ts (struct lex *lx);
void put_units_le (buf *b, const ustr *s);
void parse_segments (struct lex *lx, buf *b);

/* mkhive_parse.c */
void parse_desc (struct desc *d, const char *file);

/* mkhive_seed.c */
uint32_t xor_sum (const uint8_t *b);
uint32_t windows_sum (const uint8_t *b);
void make_seed (const struct desc *d, uint8_t *b);

/* mkhive_build.c */
int auto_enc (const ustr *s);
int value_enc (const struct value *v);
void name_bytes (const struct value *v, buf *out);
int needs_patch (const struct value *v);
int is_db (const struct desc *d, const struct value *v);
void write_all (int fd, const void *p, size_t n, const char *path);
void map_file (struct map *m, const char *path, int writable);
void unmap_file (struct map *m, const char *path, int sync);
double now_s (void);
void build_with_hivex (struct desc *d, const char *out, int verbose);
void patch_hive (struct desc *d, uint8_t *b, size_t n, const char *path);

/* mkhive_verify.c */
void apply_damage (const struct desc *d, uint8_t *b, size_t n, const char *path);
void verify (const struct desc *d, const char *path);

#endif
