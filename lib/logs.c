/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transaction-log replay: the pure core (see logs.h for the rules and the
 * limits).  Bytes in, bytes out; every read is bounds-checked against the
 * input lengths in 64-bit arithmetic before it happens, and memory is
 * allocated only for sizes already checked against the cap and against
 * the input lengths. */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "logs.h"

#define BASE_BLOCK 4096u        /* primary base block; hive bins follow */
#define LOG_BASE 512u           /* base block copy in a log (clustering 1) */
#define SECTOR 512u
#define HBIN_ALIGN 4096u
#define ENTRY_HEADER 40u        /* HvLE header up to the page references */

/* ---- little helpers ------------------------------------------------------ */

/* Serial-number order of uint32 sequence numbers (they wrap). */
static int
seq_before (uint32_t a, uint32_t b)
{
  return ((a - b) & 0x80000000u) != 0;
}

static void vnote (char *buf, size_t size, int append, const char *fmt,
                   va_list ap) __attribute__ ((format (printf, 4, 0)));

static void
vnote (char *buf, size_t size, int append, const char *fmt, va_list ap)
{
  size_t used = append ? strnlen (buf, size) : 0;
  if (used >= size - 1)
    return;
  vsnprintf (buf + used, size - used, fmt, ap);
}

static void setf (char *buf, size_t size, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
static void addf (char *buf, size_t size, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

static void
setf (char *buf, size_t size, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vnote (buf, size, 0, fmt, ap);
  va_end (ap);
}

static void
addf (char *buf, size_t size, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vnote (buf, size, 1, fmt, ap);
  va_end (ap);
}

#define NOTE(r, ...) setf ((r)->note, sizeof (r)->note, __VA_ARGS__)
#define NOTE_ADD(r, ...) addf ((r)->note, sizeof (r)->note, __VA_ARGS__)
#define REASON(res, ...) setf ((res)->reason, sizeof (res)->reason, __VA_ARGS__)
#define REASON_ADD(res, ...) addf ((res)->reason, sizeof (res)->reason, \
                                   __VA_ARGS__)

const char *
md_logs_status_name (int status)
{
  switch (status) {
  case MD_LOGS_APPLIED: return "applied";
  case MD_LOGS_CLEAN: return "clean";
  case MD_LOGS_NO_LOGS: return "no-logs";
  case MD_LOGS_REFUSED: return "refused";
  default: return "error";
  }
}

/* ---- the image being recovered ------------------------------------------- */

/* The recovered image is built in place, in a buffer that holds the
 * primary and has room to grow; every change first saves the sectors it
 * overwrites in the undo record, so a refused log is rolled back and the
 * caller can still produce the primary's bytes (F2) without a copy. */
typedef struct image {
  uint8_t *buf;
  uint64_t len;              /* current length */
  uint64_t limit;            /* never longer than this (<= the room) */
  uint64_t primary_len;
  md_undo *undo;             /* original bytes of [0, primary_len) */
  /* 512-byte sectors at or past the primary's end that pages wrote: bit i
   * is sector (primary_len / 512) + i.  Allocated on first growth. */
  uint8_t *tail;
  uint64_t tail_bits;
} image;

static void
image_init (image *im, uint8_t *buf, uint64_t len, uint64_t limit,
            md_undo *undo)
{
  memset (im, 0, sizeof *im);
  im->buf = buf;
  im->primary_len = len;
  im->len = len;
  im->limit = limit;
  im->undo = undo;
}

static void
image_free (image *im)
{
  free (im->tail);
  im->tail = NULL;
}

/* Before changing [at, at + n): keep the primary's bytes there. */
static int
image_edit (image *im, uint64_t at, uint64_t n)
{
  return md_undo_save (im->undo, im->buf, at, n);
}

/* Back to the primary (a refused log): nothing of it stays. */
static void
image_rollback (image *im)
{
  md_undo_rollback (im->undo, im->buf);
  if (im->len > im->primary_len)
    memset (im->buf + im->primary_len, 0,
            (size_t) (im->len - im->primary_len));
  im->len = im->primary_len;
  if (im->tail)
    memset (im->tail, 0, (size_t) (im->tail_bits / 8 + 1));
}

/* Grow to newlen (<= limit, checked by the caller), zero-filled. */
static int
image_grow (image *im, uint64_t newlen)
{
  if (newlen <= im->len)
    return 0;
  if (im->tail == NULL) {
    uint64_t first = im->primary_len / SECTOR;
    im->tail_bits = (im->limit + SECTOR - 1) / SECTOR - first;
    im->tail = calloc ((size_t) (im->tail_bits / 8 + 1), 1);
    if (im->tail == NULL)
      return -1;
  }
  memset (im->buf + im->len, 0, (size_t) (newlen - im->len));
  im->len = newlen;
  return 0;
}

/* Copy a page (already checked to lie inside the image). */
static int
image_write (image *im, uint64_t at, const uint8_t *src, uint64_t n)
{
  if (image_edit (im, at, n) < 0)
    return -1;
  memcpy (im->buf + at, src, (size_t) n);
  if (im->tail == NULL || at + n <= im->primary_len)
    return 0;
  uint64_t first = im->primary_len / SECTOR;
  uint64_t s = at / SECTOR, e = (at + n + SECTOR - 1) / SECTOR;
  if (s < first)
    s = first;
  for (; s < e && s - first < im->tail_bits; s++)
    im->tail[(s - first) / 8] |= (uint8_t) (1u << ((s - first) % 8));
  return 0;
}

/* Bytes past the primary's end that no page wrote. */
static uint64_t
image_unfilled (const image *im)
{
  if (im->len <= im->primary_len)
    return 0;
  uint64_t first = im->primary_len / SECTOR, n = 0;
  for (uint64_t s = first; s * SECTOR < im->len; s++) {
    uint64_t i = s - first;
    int written = im->tail && i < im->tail_bits
                  && (im->tail[i / 8] >> (i % 8) & 1);
    if (written)
      continue;
    uint64_t lo = s * SECTOR, hi = lo + SECTOR;
    if (lo < im->primary_len)
      lo = im->primary_len;
    if (hi > im->len)
      hi = im->len;
    n += hi - lo;
  }
  return n;
}

/* ---- base blocks --------------------------------------------------------- */

typedef struct bb {
  int sig_ok;
  uint32_t seq1, seq2, major, minor, type, format, hbins, clustering;
  uint64_t ts;
  uint32_t flags;
  uint32_t checksum_stored, checksum_computed;
} bb;

/* The base block as regf.c parses it (one parser), plus Flags. */
static void
bb_parse (const uint8_t *b, bb *out)
{
  mountdb_header h;
  mountdb_header_parse (b, 512, &h); /* callers hold >= 512 bytes */
  out->sig_ok = h.signature_ok;
  out->seq1 = h.seq1;
  out->seq2 = h.seq2;
  out->ts = h.last_written;
  out->major = h.major;
  out->minor = h.minor;
  out->type = h.file_type;
  out->format = h.file_format;
  out->hbins = h.hbins_size;
  out->clustering = h.clustering;
  out->flags = md_le32 (b + 144);
  out->checksum_stored = h.checksum_stored;
  out->checksum_computed = h.checksum_computed;
}

/* Validate a log's base block; fills the report.  Returns 1 if usable. */
static int
log_check (const md_log_input *in, const char *name, md_log_report *r,
           bb *lb)
{
  memset (lb, 0, sizeof *lb);
  r->present = in->len > 0;
  if (in->len == 0) {
    NOTE (r, "%s: absent or empty", name);
    return 0;
  }
  if (in->len < LOG_BASE) {
    NOTE (r, "%s: invalid: %zu bytes, shorter than a log base block (512)",
          name, in->len);
    return 0;
  }
  bb_parse (in->data, lb);
  r->seq1 = lb->seq1;
  r->seq2 = lb->seq2;
  r->timestamp = lb->ts;
  r->hbins_size = lb->hbins;
  if (!lb->sig_ok) {
    NOTE (r, "%s: invalid: no \"regf\" signature", name);
    return 0;
  }
  if (lb->checksum_stored != lb->checksum_computed) {
    NOTE (r, "%s: invalid: base block checksum 0x%08x, expected 0x%08x",
          name, lb->checksum_stored, lb->checksum_computed);
    return 0;
  }
  if (lb->type != 1 && lb->type != 2 && lb->type != 6) {
    NOTE (r, "%s: invalid: file type %u is not a transaction log "
          "(1 or 2: old format, 6: new format)", name, lb->type);
    return 0;
  }
  if (lb->seq1 != lb->seq2) {
    NOTE (r, "%s: invalid: base block sequence numbers differ (%u/%u): "
          "the log itself was not completely written", name, lb->seq1,
          lb->seq2);
    return 0;
  }
  if (lb->major != 1) {
    NOTE (r, "%s: invalid: format version %u.%u not supported", name,
          lb->major, lb->minor);
    return 0;
  }
  if (lb->format != 1) {
    NOTE (r, "%s: invalid: file format %u (not direct memory load)", name,
          lb->format);
    return 0;
  }
  if (lb->clustering != 1) {
    NOTE (r, "%s: invalid: clustering factor %u not supported (1 expected)",
          name, lb->clustering);
    return 0;
  }
  if (lb->hbins == 0 || lb->hbins % HBIN_ALIGN != 0) {
    NOTE (r, "%s: invalid: hive bins size %u is not a non-zero multiple "
          "of 4096", name, lb->hbins);
    return 0;
  }
  r->valid = 1;
  r->format = lb->type == 6 ? MD_LOG_FORMAT_NEW : MD_LOG_FORMAT_OLD;
  return 1;
}

/* Final base block: seqs, hive bins size, file type 0, Windows' checksum. */
static void
bb_finish (uint8_t *b, uint32_t seq, uint32_t hbins)
{
  md_put_le32 (b + 4, seq);
  md_put_le32 (b + 8, seq);
  md_put_le32 (b + 28, 0);
  md_put_le32 (b + 40, hbins);
  md_put_le32 (b + 508, mountdb_header_checksum (b));
}

/* ---- the replay context -------------------------------------------------- */

typedef struct ctx {
  const uint8_t *primary;
  uint64_t primary_len;
  bb pb;                     /* primary base block */
  int pvalid;
  const md_log_input *logs;
  size_t nlogs;
  const char *names[MD_LOGS_MAX_INPUTS];
  bb lbs[MD_LOGS_MAX_INPUTS];
  uint64_t limit;            /* image cap: min(max_size, primary + logs) */
  uint64_t max_size;
  size_t used[MD_LOGS_MAX_INPUTS]; /* logs applied, in the order applied */
  size_t nused;
  md_logs_result *res;
} ctx;

/* Why a size is refused: the cap or the input-linear bound. */
static const char *
limit_why (const ctx *c, uint64_t len)
{
  return len > c->max_size ? "more than the size limit"
                           : "more than the primary and the logs hold";
}

/* ---- new format ---------------------------------------------------------- */

/* State carried across the logs of one replay. */
typedef struct newstate {
  image *im;
  int started;               /* at least one entry applied */
  uint32_t last;             /* last applied sequence number */
  uint32_t hbins;            /* hive bins size of the last applied entry */
  uint32_t flag1;            /* bit 0x1 of its Flags */
} newstate;

/* Apply the entries of log i, expected to start at `expect`.  Returns the
 * number of entries applied, or -1 when out of memory. */
static long
apply_entries (ctx *c, size_t i, uint32_t expect, newstate *st)
{
  const uint8_t *d = c->logs[i].data;
  const uint64_t len = c->logs[i].len;
  const char *name = c->names[i];
  md_log_report *r = &c->res->logs[i];
  char stop[200] = "";
  uint64_t off = LOG_BASE;
  long n = 0;

  for (;;) {
    if (off >= len) {
      setf (stop, sizeof stop, "end of the log");
      break;
    }
    const uint8_t *e = d + off;
    uint64_t left = len - off;
    if (left < ENTRY_HEADER || memcmp (e, "HvLE", 4) != 0) {
      setf (stop, sizeof stop, "no log entry at offset 0x%llx",
            (unsigned long long) off);
      break;
    }
    uint32_t size = md_le32 (e + 4), flags = md_le32 (e + 8), seq = md_le32 (e + 12);
    uint32_t hbins = md_le32 (e + 16), count = md_le32 (e + 20);
    if (size < 512 || size % 512 != 0) {
      setf (stop, sizeof stop, "entry at 0x%llx: size %u is not a non-zero "
            "multiple of 512", (unsigned long long) off, size);
      break;
    }
    if (size > left) {
      setf (stop, sizeof stop, "entry at 0x%llx (sequence %u): %u bytes "
            "run past the end of the log (truncated)",
            (unsigned long long) off, seq, size);
      break;
    }
    if (hbins == 0 || hbins % HBIN_ALIGN != 0) {
      setf (stop, sizeof stop, "entry at 0x%llx (sequence %u): hive bins "
            "size %u is not a non-zero multiple of 4096",
            (unsigned long long) off, seq, hbins);
      break;
    }
    if (count == 0 || count > (size - ENTRY_HEADER) / 8) {
      setf (stop, sizeof stop, "entry at 0x%llx (sequence %u): dirty page "
            "count %u does not fit the entry", (unsigned long long) off,
            seq, count);
      break;
    }
    if (md_marvin32 (MD_MARVIN32_HVLE_SEED, e, 32) != md_le64 (e + 32)) {
      setf (stop, sizeof stop, "entry at 0x%llx: hash-2 mismatch",
            (unsigned long long) off);
      break;
    }
    if (md_marvin32 (MD_MARVIN32_HVLE_SEED, e + ENTRY_HEADER,
                     size - ENTRY_HEADER) != md_le64 (e + 24)) {
      setf (stop, sizeof stop, "entry at 0x%llx (sequence %u): hash-1 "
            "mismatch", (unsigned long long) off, seq);
      break;
    }
    if (seq != expect) {
      setf (stop, sizeof stop, "entry at 0x%llx has sequence %u, expected %u",
            (unsigned long long) off, seq, expect);
      break;
    }
    /* Page references: 512-aligned, inside this entry's hive bins, data
     * inside the entry.  All checked before anything is written. */
    uint64_t total = 0;
    const char *bad = NULL;
    uint32_t bad_i = 0;
    for (uint32_t k = 0; k < count && !bad; k++) {
      uint32_t po = md_le32 (e + ENTRY_HEADER + 8 * (uint64_t) k);
      uint32_t ps = md_le32 (e + ENTRY_HEADER + 8 * (uint64_t) k + 4);
      bad_i = k;
      if (ps == 0 || ps % SECTOR != 0 || po % SECTOR != 0)
        bad = "is not 512-byte aligned";
      else if ((uint64_t) po + ps > hbins)
        bad = "lies past the entry's hive bins size";
      else if ((total += ps) > size - ENTRY_HEADER - 8 * (uint64_t) count)
        bad = "runs past the end of the entry";
    }
    if (bad) {
      setf (stop, sizeof stop, "entry at 0x%llx (sequence %u): page %u %s",
            (unsigned long long) off, seq, bad_i, bad);
      break;
    }
    uint64_t need = (uint64_t) BASE_BLOCK + hbins;
    if (need > c->limit && need > st->im->len) {
      setf (stop, sizeof stop, "entry at 0x%llx (sequence %u): hive bins "
            "size %u would make the hive %llu bytes, %s",
            (unsigned long long) off, seq, hbins, (unsigned long long) need,
            limit_why (c, need));
      break;
    }
    if (image_grow (st->im, need) < 0)
      return -1;
    const uint8_t *src = e + ENTRY_HEADER + 8 * (uint64_t) count;
    for (uint32_t k = 0; k < count; k++) {
      uint32_t po = md_le32 (e + ENTRY_HEADER + 8 * (uint64_t) k);
      uint32_t ps = md_le32 (e + ENTRY_HEADER + 8 * (uint64_t) k + 4);
      if (image_write (st->im, BASE_BLOCK + (uint64_t) po, src, ps) < 0)
        return -1;
      src += ps;
    }
    if (n == 0)
      r->first_seq = seq;
    r->last_seq = seq;
    r->entries++;
    r->pages += count;
    c->res->pages += count;
    c->res->page_bytes += total;
    if (!st->started) {
      c->res->first_seq = seq;
      st->started = 1;
    }
    st->last = seq;
    st->hbins = hbins;
    st->flag1 = flags & 1;
    c->res->entries++;
    n++;
    expect = seq + 1;
    off += size;
  }
  if (n > 0) {
    r->used = 1;
    c->used[c->nused++] = i;
    NOTE (r, "%s: applied entries %u-%u (%u entries, %llu pages); stopped: "
          "%s", name, r->first_seq, r->last_seq, r->entries,
          (unsigned long long) r->pages, stop);
  } else
    NOTE (r, "%s: no entry applied: %s", name, stop);
  return n;
}

/* Returns 1 applied, 0 not (the image rolled back), -1 out of memory. */
static int
replay_new (ctx *c, image *im)
{
  md_logs_result *res = c->res;
  size_t order[MD_LOGS_MAX_INPUTS], n = 0;
  for (size_t i = 0; i < c->nlogs; i++)
    if (res->logs[i].valid && res->logs[i].format == MD_LOG_FORMAT_NEW)
      order[n++] = i;
  if (n == 0)
    return 0;
  /* Earlier entries first (serial order of the base blocks' sequence
   * numbers; ties keep the input order: LOG1 before LOG2). */
  for (size_t a = 1; a < n; a++)
    for (size_t b = a;
         b > 0 && seq_before (c->lbs[order[b]].seq1,
                              c->lbs[order[b - 1]].seq1); b--) {
      size_t t = order[b];
      order[b] = order[b - 1];
      order[b - 1] = t;
    }

  newstate st;
  memset (&st, 0, sizeof st);
  st.im = im;

  size_t from = 0;
  if (!c->pvalid) {
    /* Only the log with the latest entries; its base block replaces the
     * primary's (the rest of the 4096 bytes is zeroed). */
    size_t latest = order[n - 1];
    for (size_t k = 0; k + 1 < n; k++)
      NOTE (&res->logs[order[k]], "%s: not used: the primary base block is "
            "invalid, so only the log with the latest entries (%s) is used",
            c->names[order[k]], c->names[latest]);
    order[0] = latest;
    n = 1;
    if (image_edit (im, 0, BASE_BLOCK) < 0)
      return -1;
    memcpy (im->buf, c->logs[latest].data, LOG_BASE);
    memset (im->buf + LOG_BASE, 0, BASE_BLOCK - LOG_BASE);
    st.flag1 = c->lbs[latest].flags & 1;
  }

  int attempted = 0;
  uint32_t next = 0;         /* sequence the next log must start at */
  for (; from < n; from++) {
    size_t i = order[from];
    uint32_t s = c->lbs[i].seq1;
    if (!attempted) {
      if (c->pvalid && seq_before (s, c->pb.seq2)) {
        NOTE (&res->logs[i], "%s: not eligible: its entries start at "
              "sequence %u, before the primary's secondary sequence number "
              "%u (already in the primary)", c->names[i], s, c->pb.seq2);
        continue;
      }
    } else if (s != next) {
      NOTE (&res->logs[i], "%s: ignored: does not continue the sequence "
            "(starts at %u, expected %u)", c->names[i], s, next);
      continue;
    }
    attempted = 1;
    long got = apply_entries (c, i, s, &st);
    if (got < 0)
      return -1;
    next = st.started ? st.last + 1 : s;
  }
  if (!st.started) {
    image_rollback (im);
    return 0;
  }

  if (image_edit (im, 0, LOG_BASE) < 0)
    return -1;
  if (c->pvalid) {
    uint32_t fl = (c->pb.flags & ~1u) | st.flag1;
    md_put_le32 (im->buf + 144, fl);
  } else {
    size_t latest = order[0];
    res->base_from_log = (int) latest;
    md_put_le32 (im->buf + 144, (c->lbs[latest].flags & ~1u) | st.flag1);
  }
  bb_finish (im->buf, st.last, st.hbins);
  res->format = MD_LOG_FORMAT_NEW;
  if (c->pvalid)
    res->seq_gap = res->first_seq - c->pb.seq2;
  res->last_seq = st.last;
  res->seq_after = st.last;
  res->hbins_size_after = st.hbins;
  res->unfilled = image_unfilled (im);
  res->size_after = im->len;
  return 1;
}

/* ---- old format ---------------------------------------------------------- */

static int
bit_set (const uint8_t *bm, uint64_t i)
{
  return bm[i / 8] >> (i % 8) & 1;
}

/* Any dirty page in [from, to) (page indexes)? */
static int
any_dirty (const uint8_t *bm, uint64_t from, uint64_t to)
{
  for (uint64_t i = from; i < to; i++) {
    if (i % 8 == 0 && i + 8 <= to && bm[i / 8] == 0) {
      i += 7;
      continue;
    }
    if (bit_set (bm, i))
      return 1;
  }
  return 0;
}

/* Apply old-format log i.  Returns 1 applied, 0 refused (note set, the
 * image rolled back), -1 out of memory. */
static int
apply_old (ctx *c, size_t i, image *im)
{
  md_logs_result *res = c->res;
  md_log_report *r = &res->logs[i];
  const char *name = c->names[i];
  const uint8_t *d = c->logs[i].data;
  const uint64_t len = c->logs[i].len;
  const bb *lb = &c->lbs[i];
  const uint64_t hbins = lb->hbins;
  const uint64_t npages = hbins / SECTOR, nbytes = hbins / HBIN_ALIGN;

  if (len < LOG_BASE + 4 + nbytes) {
    NOTE (r, "%s: refused: truncated: the dirty vector for %llu bytes of "
          "hive bins needs %llu bytes, the log has %llu", name,
          (unsigned long long) hbins,
          (unsigned long long) (LOG_BASE + 4 + nbytes),
          (unsigned long long) len);
    return 0;
  }
  if (memcmp (d + LOG_BASE, "DIRT", 4) != 0) {
    NOTE (r, "%s: refused: no \"DIRT\" signature at offset 512", name);
    return 0;
  }
  const uint8_t *bm = d + LOG_BASE + 4;
  uint64_t start = (LOG_BASE + 4 + nbytes + SECTOR - 1) / SECTOR * SECTOR;
  uint64_t count = 0;
  for (uint64_t k = 0; k < nbytes; k++)
    for (uint8_t v = bm[k]; v; v &= (uint8_t) (v - 1))
      count++;
  if (count == 0) {
    NOTE (r, "%s: refused: the dirty vector marks no page", name);
    return 0;
  }
  if (start > len || count > (len - start) / SECTOR) {
    NOTE (r, "%s: refused: truncated: %llu dirty pages need %llu bytes, "
          "the log has %llu", name, (unsigned long long) count,
          (unsigned long long) (start + count * SECTOR),
          (unsigned long long) len);
    return 0;
  }
  uint64_t need = BASE_BLOCK + hbins;
  if (need > c->limit && need > c->primary_len) {
    NOTE (r, "%s: refused: hive bins size %llu would make the hive %llu "
          "bytes, %s", name, (unsigned long long) hbins,
          (unsigned long long) need, limit_why (c, need));
    return 0;
  }

  if (image_grow (im, need) < 0)
    return -1;
  const uint8_t *src = d + start;
  for (uint64_t p = 0; p < npages; p++) {
    if (bm[p / 8] == 0) {
      p += 7;
      continue;
    }
    if (bit_set (bm, p)) {
      if (image_write (im, BASE_BLOCK + p * SECTOR, src, SECTOR) < 0)
        return -1;
      src += SECTOR;
    }
  }

  /* Every hive bin holding a dirty page must be valid now. */
  const char *bad = NULL;
  uint64_t pos = 0;
  while (pos < hbins) {
    const uint8_t *h = im->buf + BASE_BLOCK + pos;
    uint32_t size = md_le32 (h + 8);
    if (memcmp (h, "hbin", 4) != 0)
      bad = "no \"hbin\" signature";
    else if (md_le32 (h + 4) != pos)
      bad = "its offset field does not match its position";
    else if (size < HBIN_ALIGN || size % HBIN_ALIGN != 0)
      bad = "its size is not a non-zero multiple of 4096";
    else if (size > hbins - pos)
      bad = "it runs past the hive bins size";
    if (bad)
      break;
    pos += size;
  }
  if (bad && any_dirty (bm, pos / SECTOR, npages)) {
    NOTE (r, "%s: refused: after replay the hive bin at offset 0x%llx is "
          "invalid (%s) and it or a later bin holds logged pages", name,
          (unsigned long long) pos, bad);
    image_rollback (im);
    return 0;
  }

  uint32_t seq;
  if (image_edit (im, 0, BASE_BLOCK) < 0)
    return -1;
  if (c->pvalid)
    seq = c->pb.seq1;
  else {
    memcpy (im->buf, d, LOG_BASE);
    memset (im->buf + LOG_BASE, 0, BASE_BLOCK - LOG_BASE);
    res->base_from_log = (int) i;
    seq = lb->seq1;
  }
  bb_finish (im->buf, seq, (uint32_t) hbins);
  r->used = 1;
  c->used[c->nused++] = i;
  r->pages = count;
  NOTE (r, "%s: applied (old format): %llu dirty pages of 512 bytes", name,
        (unsigned long long) count);
  if (bad)
    NOTE_ADD (r, "; note: the primary's hive bins end early at offset 0x%llx "
              "(%s), after the last logged page", (unsigned long long) pos,
              bad);
  res->format = MD_LOG_FORMAT_OLD;
  res->pages = count;
  res->page_bytes = count * SECTOR;
  res->first_seq = res->last_seq = lb->seq1;
  res->seq_after = seq;
  res->hbins_size_after = (uint32_t) hbins;
  res->unfilled = image_unfilled (im);
  res->size_after = im->len;
  return 1;
}

static int
replay_old (ctx *c, image *im)
{
  md_logs_result *res = c->res;
  uint64_t ref = 0;
  int have_ref = 0;
  if (c->pvalid) {
    ref = c->pb.ts;
    have_ref = 1;
  } else if (c->primary_len >= BASE_BLOCK + 32
             && memcmp (c->primary + BASE_BLOCK, "hbin", 4) == 0) {
    ref = md_le64 (c->primary + BASE_BLOCK + 20);
    have_ref = 1;
  }
  int applied = 0;
  for (size_t i = 0; i < c->nlogs; i++) {
    md_log_report *r = &res->logs[i];
    if (!r->valid || r->format != MD_LOG_FORMAT_OLD)
      continue;
    if (applied) {
      NOTE (r, "%s: not used: another log was applied", c->names[i]);
      continue;
    }
    uint64_t ts = c->lbs[i].ts;
    if (!have_ref) {
      NOTE (r, "%s: not eligible: the primary base block is invalid and its "
            "first hive bin is unreadable, so the log's timestamp cannot be "
            "checked", c->names[i]);
      continue;
    }
    if (c->pvalid && ts != ref) {
      NOTE (r, "%s: not eligible: its Last written timestamp 0x%016llx "
            "differs from the primary's 0x%016llx", c->names[i],
            (unsigned long long) ts, (unsigned long long) ref);
      continue;
    }
    if (!c->pvalid && ts < ref) {
      NOTE (r, "%s: not eligible: its Last written timestamp 0x%016llx is "
            "older than the first hive bin's 0x%016llx", c->names[i],
            (unsigned long long) ts, (unsigned long long) ref);
      continue;
    }
    int rc = apply_old (c, i, im);
    if (rc < 0)
      return -1;
    applied = rc;
  }
  return applied;
}

/* ---- entry point --------------------------------------------------------- */

/* The cap on the recovered image: the size limit, and never more than
 * the primary and the logs hold. */
static uint64_t
cap_of (size_t primary_len, const md_log_input *logs, size_t nlogs,
        const md_logs_opts *opts, uint64_t *max_size)
{
  uint64_t max = MOUNTDB_MAX_HIVE_SIZE;
  if (opts && opts->max_size && opts->max_size < max)
    max = opts->max_size;
  if ((uint64_t) SIZE_MAX < max)
    max = SIZE_MAX;
  uint64_t total = primary_len;
  for (size_t i = 0; logs && i < nlogs && i < MD_LOGS_MAX_INPUTS; i++)
    total += logs[i].len;      /* no overflow: each is < 2^63 in practice */
  if (max_size)
    *max_size = max;
  return total < max ? total : max;
}

size_t
md_logs_room (size_t primary_len, const md_log_input *logs, size_t nlogs,
              const md_logs_opts *opts)
{
  uint64_t cap = cap_of (primary_len, logs, nlogs, opts, NULL);
  return cap > primary_len ? (size_t) cap : primary_len;
}

/* Both entry points.  copy: image is NULL and the primary is copied into
 * a new buffer (returned in *out) once the replay is known to be needed;
 * in place: image holds the primary and has `room` bytes. */
static int
replay (const uint8_t *primary, size_t primary_len, uint8_t *inplace,
        size_t room, const md_log_input *logs, size_t nlogs,
        const md_logs_opts *opts, uint8_t **out, size_t *out_len,
        md_undo *undo, md_logs_result *res)
{
  md_logs_result local;
  if (res == NULL)
    res = &local;
  memset (res, 0, sizeof *res);
  res->base_from_log = -1;
  res->status = MOUNTDB_E_INVAL;
  if (out)
    *out = NULL;
  if (out_len)
    *out_len = 0;
  if (out_len == NULL || (inplace == NULL && out == NULL)
      || (primary == NULL && primary_len > 0)
      || nlogs > MD_LOGS_MAX_INPUTS || (logs == NULL && nlogs > 0)
      || undo == NULL || undo->len != primary_len || undo->n != 0) {
    REASON (res, "invalid arguments");
    return MOUNTDB_E_INVAL;
  }
  for (size_t i = 0; i < nlogs; i++)
    if (logs[i].data == NULL && logs[i].len > 0) {
      REASON (res, "invalid arguments: log %zu has no data", i + 1);
      return MOUNTDB_E_INVAL;
    }

  ctx c;
  memset (&c, 0, sizeof c);
  c.primary = primary;
  c.primary_len = primary_len;
  c.logs = logs;
  c.nlogs = nlogs;
  c.res = res;
  res->nlogs = nlogs;
  res->size_before = primary_len;
  c.limit = cap_of (primary_len, logs, nlogs, opts, &c.max_size);

  static const char *const defaults[MD_LOGS_MAX_INPUTS] =
    { "log 1", "log 2", "log 3" };
  for (size_t i = 0; i < nlogs; i++)
    c.names[i] = logs[i].name ? logs[i].name : defaults[i];

  if (primary_len > c.max_size) {
    res->status = MOUNTDB_E_TOOBIG;
    REASON (res, "the primary is %zu bytes, more than the %llu-byte limit",
            primary_len, (unsigned long long) c.max_size);
    return MOUNTDB_E_TOOBIG;
  }
  if (inplace && room < c.limit) {
    REASON (res, "invalid arguments: %zu bytes of room, the replay may "
            "need %llu", room, (unsigned long long) c.limit);
    return MOUNTDB_E_INVAL;
  }

  if (primary_len < BASE_BLOCK) {
    res->status = MD_LOGS_REFUSED;
    REASON (res, "the primary is %zu bytes, shorter than a base block "
            "(4096): not a hive", primary_len);
    for (size_t i = 0; i < nlogs; i++) {
      res->logs[i].present = logs[i].len > 0;
      NOTE (&res->logs[i], "%s: not used: the primary is not a hive",
            c.names[i]);
    }
    return MD_LOGS_REFUSED;
  }

  bb_parse (primary, &c.pb);
  c.pvalid = c.pb.sig_ok && c.pb.checksum_stored == c.pb.checksum_computed;
  res->primary_base_valid = c.pvalid;
  res->primary_dirty = !c.pvalid || c.pb.seq1 != c.pb.seq2;
  res->hbins_size_before = c.pb.hbins;
  res->hbins_size_after = c.pb.hbins;
  res->seq_after = c.pb.seq2;

  int any = 0;
  for (size_t i = 0; i < nlogs; i++) {
    log_check (&logs[i], c.names[i], &res->logs[i], &c.lbs[i]);
    any |= logs[i].len > 0;
  }

  if (c.pvalid && c.pb.type != 0) {
    res->status = MD_LOGS_REFUSED;
    REASON (res, "the primary's base block has file type %u, not 0: not a "
            "primary file", c.pb.type);
    return MD_LOGS_REFUSED;
  }
  if (!res->primary_dirty) {
    res->status = MD_LOGS_CLEAN;
    REASON (res, "the primary is clean (sequence numbers %u/%u, checksum "
            "valid): logs are not applied", c.pb.seq1, c.pb.seq2);
    for (size_t i = 0; i < nlogs; i++)
      if (res->logs[i].valid)
        NOTE (&res->logs[i], "%s: not used: the primary is clean",
              c.names[i]);
    return MD_LOGS_CLEAN;
  }
  char why[160];
  if (!c.pvalid)
    setf (why, sizeof why, "its base block is invalid (%s)",
          !c.pb.sig_ok ? "no \"regf\" signature" : "checksum mismatch");
  else
    setf (why, sizeof why, "sequence numbers %u/%u", c.pb.seq1, c.pb.seq2);
  if (!any) {
    res->status = MD_LOGS_NO_LOGS;
    REASON (res, "the primary is dirty (%s) and no log data was given: "
            "recent changes may be missing", why);
    return MD_LOGS_NO_LOGS;
  }

  uint8_t *buf = inplace;
  if (buf == NULL) {
    if ((buf = malloc ((size_t) c.limit)) == NULL) {
      res->status = MOUNTDB_E_NOMEM;
      REASON (res, "out of memory");
      return MOUNTDB_E_NOMEM;
    }
    memcpy (buf, primary, primary_len);
  }
  image im;
  image_init (&im, buf, primary_len, c.limit, undo);
  int rc = replay_new (&c, &im);
  if (rc == 0)
    rc = replay_old (&c, &im);
  if (rc != 1)
    image_rollback (&im);
  image_free (&im);
  if (rc == 1) {
    md_undo_sort (undo);
    *out_len = (size_t) im.len;
    if (inplace == NULL) {
      /* Give back the room not used. */
      uint8_t *shrunk = im.len < c.limit ? realloc (buf, (size_t) im.len)
                                         : NULL;
      *out = shrunk ? shrunk : buf;
    }
  } else if (inplace == NULL)
    free (buf);
  if (rc < 0) {
    res->status = MOUNTDB_E_NOMEM;
    REASON (res, "out of memory");
    return MOUNTDB_E_NOMEM;
  }
  if (rc == 0) {
    res->status = MD_LOGS_REFUSED;
    REASON (res, "the primary is dirty (%s) and no log could be applied",
            why);
    for (size_t i = 0; i < nlogs; i++)
      if (res->logs[i].present)
        REASON_ADD (res, "; %s", res->logs[i].note);
    return MD_LOGS_REFUSED;
  }

  res->status = MD_LOGS_APPLIED;
  REASON (res, "the primary was dirty (%s): applied", why);
  for (size_t k = 0; k < c.nused; k++) {
    size_t i = c.used[k];
    const md_log_report *r = &res->logs[i];
    if (res->format == MD_LOG_FORMAT_NEW)
      REASON_ADD (res, "%s %s (entries %u-%u)", k == 0 ? "" : " then",
                  c.names[i], r->first_seq, r->last_seq);
    else
      REASON_ADD (res, " %s (old format, %llu dirty pages)", c.names[i],
                  (unsigned long long) r->pages);
  }
  if (res->format == MD_LOG_FORMAT_NEW)
    REASON_ADD (res, ": %u entries, %llu pages", res->entries,
                (unsigned long long) res->pages);
  REASON_ADD (res, "; sequence numbers now %u", res->seq_after);
  if (res->seq_gap)
    REASON_ADD (res, "; entries %u-%u were not in the logs (already in the "
                "primary if Windows partly reconciled it)", c.pb.seq2,
                res->first_seq - 1);
  if (res->base_from_log >= 0)
    REASON_ADD (res, "; base block taken from %s",
                c.names[res->base_from_log]);
  if (res->unfilled)
    REASON_ADD (res, "; %llu bytes past the primary's end were not in the "
                "logs (zeros)", (unsigned long long) res->unfilled);
  return MD_LOGS_APPLIED;
}

int
md_logs_replay (const uint8_t *primary, size_t primary_len,
                const md_log_input *logs, size_t nlogs,
                const md_logs_opts *opts, uint8_t **out, size_t *out_len,
                md_logs_result *res)
{
  md_undo undo;
  md_undo_init (&undo, primary_len);
  int rc = replay (primary, primary_len, NULL, 0, logs, nlogs, opts, out,
                   out_len, &undo, res);
  md_undo_free (&undo);
  return rc;
}

int
md_logs_replay_inplace (uint8_t *buf, size_t primary_len, size_t room,
                        const md_log_input *logs, size_t nlogs,
                        const md_logs_opts *opts, size_t *out_len,
                        md_undo *undo, md_logs_result *res)
{
  return replay (buf, primary_len, buf, room, logs, nlogs, opts, NULL,
                 out_len, undo, res);
}
