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
#include "logs_fmt.h"

/* ---- little helpers ------------------------------------------------------ */

void
md_logs_setf (char *buf, size_t size, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (buf, size, fmt, ap);
  va_end (ap);
}

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


static void
image_init (md_logimg *im, uint8_t *buf, uint64_t len, uint64_t limit,
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
image_free (md_logimg *im)
{
  free (im->tail);
  im->tail = NULL;
}

/* Before changing [at, at + n): keep the primary's bytes there. */
int
md_logimg_edit (md_logimg *im, uint64_t at, uint64_t n)
{
  return md_undo_save (im->undo, im->buf, at, n);
}

/* Back to the primary (a refused log): nothing of it stays. */
void
md_logimg_rollback (md_logimg *im)
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
int
md_logimg_grow (md_logimg *im, uint64_t newlen)
{
  if (newlen <= im->len)
    return 0;
  if (im->tail == NULL) {
    uint64_t first = im->primary_len / MD_LOG_SECTOR;
    im->tail_bits = (im->limit + MD_LOG_SECTOR - 1) / MD_LOG_SECTOR - first;
    im->tail = calloc ((size_t) (im->tail_bits / 8 + 1), 1);
    if (im->tail == NULL)
      return -1;
  }
  memset (im->buf + im->len, 0, (size_t) (newlen - im->len));
  im->len = newlen;
  return 0;
}

/* Copy a page (already checked to lie inside the image). */
int
md_logimg_write (md_logimg *im, uint64_t at, const uint8_t *src, uint64_t n)
{
  if (md_logimg_edit (im, at, n) < 0)
    return -1;
  memcpy (im->buf + at, src, (size_t) n);
  if (im->tail == NULL || at + n <= im->primary_len)
    return 0;
  uint64_t first = im->primary_len / MD_LOG_SECTOR;
  uint64_t s = at / MD_LOG_SECTOR;
  uint64_t e = (at + n + MD_LOG_SECTOR - 1) / MD_LOG_SECTOR;
  if (s < first)
    s = first;
  for (; s < e && s - first < im->tail_bits; s++)
    im->tail[(s - first) / 8] |= (uint8_t) (1u << ((s - first) % 8));
  return 0;
}

/* Bytes past the primary's end that no page wrote. */
uint64_t
md_logimg_unfilled (const md_logimg *im)
{
  if (im->len <= im->primary_len)
    return 0;
  uint64_t first = im->primary_len / MD_LOG_SECTOR, n = 0;
  for (uint64_t s = first; s * MD_LOG_SECTOR < im->len; s++) {
    uint64_t i = s - first;
    int written = im->tail && i < im->tail_bits
                  && (im->tail[i / 8] >> (i % 8) & 1);
    if (written)
      continue;
    uint64_t lo = s * MD_LOG_SECTOR, hi = lo + MD_LOG_SECTOR;
    if (lo < im->primary_len)
      lo = im->primary_len;
    if (hi > im->len)
      hi = im->len;
    n += hi - lo;
  }
  return n;
}

/* ---- the formats, in the order they are tried ----------------------------- */

/* New-format logs first (logs.h); a format that applies ends the walk. */
static const md_log_fmt *const formats[] = {
  &md_log_fmt_hvle, &md_log_fmt_dirt,
};
#define NFORMATS (sizeof formats / sizeof formats[0])

/* The format of a log's file type, or NULL when it is no log. */
static const md_log_fmt *
fmt_of_type (uint32_t type)
{
  for (size_t i = 0; i < NFORMATS; i++)
    if (type >= formats[i]->type_min && type <= formats[i]->type_max)
      return formats[i];
  return NULL;
}

/* ---- base blocks --------------------------------------------------------- */
/* The base block as regf.c parses it (one parser), plus Flags. */
static void
bb_parse (const uint8_t *b, md_logs_bb *out)
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
  out->flags = md_le32 (b + MD_REGF_FLAGS);
  out->checksum_stored = h.checksum_stored;
  out->checksum_computed = h.checksum_computed;
}

/* Validate a log's base block; fills the report.  Returns 1 if usable. */
static int
log_check (const md_log_input *in, const char *name, md_log_report *r,
           md_logs_bb *lb)
{
  memset (lb, 0, sizeof *lb);
  r->present = in->len > 0;
  if (in->len == 0) {
    MD_LOG_NOTE (r, "%s: absent or empty", name);
    return 0;
  }
  if (in->len < MD_LOG_BASE_SIZE) {
    MD_LOG_NOTE (r, "%s: invalid: %zu bytes, shorter than a log base block (512)",
          name, in->len);
    return 0;
  }
  bb_parse (in->data, lb);
  r->seq1 = lb->seq1;
  r->seq2 = lb->seq2;
  r->timestamp = lb->ts;
  r->hbins_size = lb->hbins;
  if (!lb->sig_ok) {
    MD_LOG_NOTE (r, "%s: invalid: no \"regf\" signature", name);
    return 0;
  }
  if (lb->checksum_stored != lb->checksum_computed) {
    MD_LOG_NOTE (r, "%s: invalid: base block checksum 0x%08x, expected 0x%08x",
          name, lb->checksum_stored, lb->checksum_computed);
    return 0;
  }
  const md_log_fmt *f = fmt_of_type (lb->type);
  if (f == NULL) {
    MD_LOG_NOTE (r, "%s: invalid: file type %u is not a transaction log "
          "(1 or 2: old format, 6: new format)", name, lb->type);
    return 0;
  }
  if (lb->seq1 != lb->seq2) {
    MD_LOG_NOTE (r, "%s: invalid: base block sequence numbers differ (%u/%u): "
          "the log itself was not completely written", name, lb->seq1,
          lb->seq2);
    return 0;
  }
  if (lb->major != 1) {
    MD_LOG_NOTE (r, "%s: invalid: format version %u.%u not supported", name,
          lb->major, lb->minor);
    return 0;
  }
  if (lb->format != 1) {
    MD_LOG_NOTE (r, "%s: invalid: file format %u (not direct memory load)", name,
          lb->format);
    return 0;
  }
  if (lb->clustering != 1) {
    MD_LOG_NOTE (r, "%s: invalid: clustering factor %u not supported (1 expected)",
          name, lb->clustering);
    return 0;
  }
  if (lb->hbins == 0 || lb->hbins % MD_HBIN_ALIGN != 0) {
    MD_LOG_NOTE (r, "%s: invalid: hive bins size %u is not a non-zero multiple "
          "of 4096", name, lb->hbins);
    return 0;
  }
  r->valid = 1;
  r->format = f->format;
  return 1;
}

/* Final base block: seqs, hive bins size, file type 0, Windows' checksum. */
void
md_logs_bb_finish (uint8_t *b, uint32_t seq, uint32_t hbins)
{
  md_put_le32 (b + MD_REGF_SEQ1, seq);
  md_put_le32 (b + MD_REGF_SEQ2, seq);
  md_put_le32 (b + MD_REGF_TYPE, 0);
  md_put_le32 (b + MD_REGF_HBINS_SIZE, hbins);
  md_put_le32 (b + MD_REGF_CHECKSUM, mountdb_header_checksum (b));
}

/* Why a size is refused: the cap or the input-linear bound. */
const char *
md_logs_limit_why (const md_logs_ctx *c, uint64_t len)
{
  return len > c->max_size ? "more than the size limit"
                           : "more than the primary and the logs hold";
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
    MD_LOG_REASON (res, "invalid arguments");
    return MOUNTDB_E_INVAL;
  }
  for (size_t i = 0; i < nlogs; i++)
    if (logs[i].data == NULL && logs[i].len > 0) {
      MD_LOG_REASON (res, "invalid arguments: log %zu has no data", i + 1);
      return MOUNTDB_E_INVAL;
    }

  md_logs_ctx c;
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
    MD_LOG_REASON (res, "the primary is %zu bytes, more than the %llu-byte limit",
            primary_len, (unsigned long long) c.max_size);
    return MOUNTDB_E_TOOBIG;
  }
  if (inplace && room < c.limit) {
    MD_LOG_REASON (res, "invalid arguments: %zu bytes of room, the replay may "
            "need %llu", room, (unsigned long long) c.limit);
    return MOUNTDB_E_INVAL;
  }

  if (primary_len < MD_REGF_SIZE) {
    res->status = MD_LOGS_REFUSED;
    MD_LOG_REASON (res, "the primary is %zu bytes, shorter than a base block "
            "(4096): not a hive", primary_len);
    for (size_t i = 0; i < nlogs; i++) {
      res->logs[i].present = logs[i].len > 0;
      MD_LOG_NOTE (&res->logs[i], "%s: not used: the primary is not a hive",
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
    MD_LOG_REASON (res, "the primary's base block has file type %u, not 0: not a "
            "primary file", c.pb.type);
    return MD_LOGS_REFUSED;
  }
  if (!res->primary_dirty) {
    res->status = MD_LOGS_CLEAN;
    MD_LOG_REASON (res, "the primary is clean (sequence numbers %u/%u, checksum "
            "valid): logs are not applied", c.pb.seq1, c.pb.seq2);
    for (size_t i = 0; i < nlogs; i++)
      if (res->logs[i].valid)
        MD_LOG_NOTE (&res->logs[i], "%s: not used: the primary is clean",
              c.names[i]);
    return MD_LOGS_CLEAN;
  }
  char why[160];
  if (!c.pvalid)
    md_logs_setf (why, sizeof why, "its base block is invalid (%s)",
                  !c.pb.sig_ok ? "no \"regf\" signature" : "checksum mismatch");
  else
    md_logs_setf (why, sizeof why, "sequence numbers %u/%u", c.pb.seq1,
                  c.pb.seq2);
  if (!any) {
    res->status = MD_LOGS_NO_LOGS;
    MD_LOG_REASON (res, "the primary is dirty (%s) and no log data was given: "
            "recent changes may be missing", why);
    return MD_LOGS_NO_LOGS;
  }

  uint8_t *buf = inplace;
  if (buf == NULL) {
    if ((buf = malloc ((size_t) c.limit)) == NULL) {
      res->status = MOUNTDB_E_NOMEM;
      MD_LOG_REASON (res, "out of memory");
      return MOUNTDB_E_NOMEM;
    }
    memcpy (buf, primary, primary_len);
  }
  md_logimg im;
  image_init (&im, buf, primary_len, c.limit, undo);
  int rc = 0;
  for (size_t i = 0; i < NFORMATS && rc == 0; i++)
    rc = formats[i]->replay (&c, &im);
  if (rc != 1)
    md_logimg_rollback (&im);
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
    MD_LOG_REASON (res, "out of memory");
    return MOUNTDB_E_NOMEM;
  }
  if (rc == 0) {
    res->status = MD_LOGS_REFUSED;
    MD_LOG_REASON (res, "the primary is dirty (%s) and no log could be applied",
            why);
    for (size_t i = 0; i < nlogs; i++)
      if (res->logs[i].present)
        MD_LOG_REASON_ADD (res, "; %s", res->logs[i].note);
    return MD_LOGS_REFUSED;
  }

  res->status = MD_LOGS_APPLIED;
  MD_LOG_REASON (res, "the primary was dirty (%s): applied", why);
  for (size_t k = 0; k < c.nused; k++) {
    size_t i = c.used[k];
    const md_log_report *r = &res->logs[i];
    if (res->format == MD_LOG_FORMAT_NEW)
      MD_LOG_REASON_ADD (res, "%s %s (entries %u-%u)", k == 0 ? "" : " then",
                  c.names[i], r->first_seq, r->last_seq);
    else
      MD_LOG_REASON_ADD (res, " %s (old format, %llu dirty pages)", c.names[i],
                  (unsigned long long) r->pages);
  }
  if (res->format == MD_LOG_FORMAT_NEW)
    MD_LOG_REASON_ADD (res, ": %u entries, %llu pages", res->entries,
                (unsigned long long) res->pages);
  MD_LOG_REASON_ADD (res, "; sequence numbers now %u", res->seq_after);
  if (res->seq_gap)
    MD_LOG_REASON_ADD (res, "; entries %u-%u were not in the logs (already in the "
                "primary if Windows partly reconciled it)", c.pb.seq2,
                res->first_seq - 1);
  if (res->base_from_log >= 0)
    MD_LOG_REASON_ADD (res, "; base block taken from %s",
                c.names[res->base_from_log]);
  if (res->unfilled)
    MD_LOG_REASON_ADD (res, "; %llu bytes past the primary's end were not in the "
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
