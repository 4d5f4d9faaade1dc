/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transaction-log replay: what the common driver (logs.c) shares with the
 * file of each log format (logs_hvle.c, logs_dirt.c).  Internal to them. */
#ifndef MOUNTDB_LOGS_FMT_H
#define MOUNTDB_LOGS_FMT_H

#include <string.h>
#include "logs.h"
#include "regf.h"

/* Serial-number order of uint32 sequence numbers (they wrap). */
static inline int
seq_before (uint32_t a, uint32_t b)
{
  return ((a - b) & 0x80000000u) != 0;
}

/* printf into a note (append: after what it holds), cut to size. */
MD_HIDDEN void md_logs_setf (char *buf, size_t size, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
#define md_logs_addf(buf, size, ...) \
  md_logs_setf ((buf) + strnlen ((buf), (size)), \
                (size) - strnlen ((buf), (size)), __VA_ARGS__)
#define MD_LOG_NOTE(r, ...) \
  md_logs_setf ((r)->note, sizeof (r)->note, __VA_ARGS__)
#define MD_LOG_NOTE_ADD(r, ...) \
  md_logs_addf ((r)->note, sizeof (r)->note, __VA_ARGS__)
#define MD_LOG_REASON(res, ...) \
  md_logs_setf ((res)->reason, sizeof (res)->reason, __VA_ARGS__)
#define MD_LOG_REASON_ADD(res, ...) \
  md_logs_addf ((res)->reason, sizeof (res)->reason, __VA_ARGS__)

/* ---- the image being recovered ------------------------------------------- */

/* The recovered image is built in place, in a buffer that holds the
 * primary and has room to grow; every change first saves the sectors it
 * overwrites in the undo record, so a refused log is rolled back and the
 * caller can still produce the primary's bytes (F2) without a copy. */
typedef struct md_logimg {
  uint8_t *buf;
  uint64_t len;              /* current length */
  uint64_t limit;            /* never longer than this (<= the room) */
  uint64_t primary_len;
  md_undo *undo;             /* original bytes of [0, primary_len) */
  /* 512-byte sectors at or past the primary's end that pages wrote: bit i
   * is sector (primary_len / 512) + i.  Allocated on first growth. */
  uint8_t *tail;
  uint64_t tail_bits;
} md_logimg;

/* Before changing [at, at + n): keep the primary's bytes there. */
MD_HIDDEN int md_logimg_edit (md_logimg *im, uint64_t at, uint64_t n);
/* Back to the primary (a refused log): nothing of it stays. */
MD_HIDDEN void md_logimg_rollback (md_logimg *im);
/* Grow to newlen (<= limit, checked by the caller), zero-filled. */
MD_HIDDEN int md_logimg_grow (md_logimg *im, uint64_t newlen);
/* Copy a page (already checked to lie inside the image). */
MD_HIDDEN int md_logimg_write (md_logimg *im, uint64_t at, const uint8_t *src,
                               uint64_t n);
/* Bytes past the primary's end that no page wrote. */
MD_HIDDEN uint64_t md_logimg_unfilled (const md_logimg *im);

/* ---- base blocks --------------------------------------------------------- */

typedef struct md_logs_bb {
  int sig_ok;
  uint32_t seq1, seq2, major, minor, type, format, hbins, clustering;
  uint64_t ts;
  uint32_t flags;
  uint32_t checksum_stored, checksum_computed;
} md_logs_bb;
/* Final base block: seqs, hive bins size, file type 0, Windows' checksum. */
MD_HIDDEN void md_logs_bb_finish (uint8_t *b, uint32_t seq, uint32_t hbins);

/* ---- the replay context -------------------------------------------------- */

typedef struct md_logs_ctx {
  const uint8_t *primary;
  uint64_t primary_len;
  md_logs_bb pb;                     /* primary base block */
  int pvalid;
  const md_log_input *logs;
  size_t nlogs;
  const char *names[MD_LOGS_MAX_INPUTS];
  md_logs_bb lbs[MD_LOGS_MAX_INPUTS];
  uint64_t limit;            /* image cap: min(max_size, primary + logs) */
  uint64_t max_size;
  size_t used[MD_LOGS_MAX_INPUTS]; /* logs applied, in the order applied */
  size_t nused;
  md_logs_result *res;
} md_logs_ctx;

/* Why a size is refused: the cap or the input-linear bound. */
MD_HIDDEN const char *md_logs_limit_why (const md_logs_ctx *c, uint64_t len);

/* ---- the formats, as libblkid keeps one file per on-disk format ---------- */
/* One log format: the base-block file types that announce it and its
 * replay of the valid logs of that format (c->res->logs[i].format).
 * replay returns 1 applied, 0 not (the image rolled back), -1 out of
 * memory. */
typedef struct md_log_fmt {
  int format;                /* enum md_log_format */
  uint32_t type_min, type_max; /* base block file types */
  int (*replay) (md_logs_ctx *c, md_logimg *im);
} md_log_fmt;

MD_HIDDEN extern const md_log_fmt md_log_fmt_hvle;  /* logs_hvle.c */
MD_HIDDEN extern const md_log_fmt md_log_fmt_dirt;  /* logs_dirt.c */

#endif
