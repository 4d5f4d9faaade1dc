/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Old-format transaction logs (log file type 1 or 2, up to Windows 8.0):
 * "DIRT" and a bitmap of dirty pages (see logs.h for the rules). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "logs_fmt.h"

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
apply_old (md_logs_ctx *c, size_t i, md_logimg *im)
{
  md_logs_result *res = c->res;
  md_log_report *r = &res->logs[i];
  const char *name = c->names[i];
  const uint8_t *d = c->logs[i].data;
  const uint64_t len = c->logs[i].len;
  const md_logs_bb *lb = &c->lbs[i];
  const uint64_t hbins = lb->hbins;
  const uint64_t npages = hbins / MD_LOG_SECTOR, nbytes = hbins / MD_HBIN_ALIGN;

  if (len < MD_DIRT_BITMAP + nbytes) {
    MD_LOG_NOTE (r, "%s: refused: truncated: the dirty vector for %llu bytes of "
          "hive bins needs %llu bytes, the log has %llu", name,
          (unsigned long long) hbins,
          (unsigned long long) (MD_DIRT_BITMAP + nbytes),
          (unsigned long long) len);
    return 0;
  }
  if (memcmp (d + MD_DIRT_SIGNATURE, MD_DIRT_SIGNATURE_TEXT, 4) != 0) {
    MD_LOG_NOTE (r, "%s: refused: no \"DIRT\" signature at offset 512", name);
    return 0;
  }
  const uint8_t *bm = d + MD_DIRT_BITMAP;
  uint64_t start = (MD_DIRT_BITMAP + nbytes + MD_LOG_SECTOR - 1)
                   / MD_LOG_SECTOR * MD_LOG_SECTOR;
  uint64_t count = 0;
  for (uint64_t k = 0; k < nbytes; k++)
    for (uint8_t v = bm[k]; v; v &= (uint8_t) (v - 1))
      count++;
  if (count == 0) {
    MD_LOG_NOTE (r, "%s: refused: the dirty vector marks no page", name);
    return 0;
  }
  if (start > len || count > (len - start) / MD_LOG_SECTOR) {
    MD_LOG_NOTE (r, "%s: refused: truncated: %llu dirty pages need %llu bytes, "
          "the log has %llu", name, (unsigned long long) count,
          (unsigned long long) (start + count * MD_LOG_SECTOR),
          (unsigned long long) len);
    return 0;
  }
  uint64_t need = MD_REGF_SIZE + hbins;
  if (need > c->limit && need > c->primary_len) {
    MD_LOG_NOTE (r, "%s: refused: hive bins size %llu would make the hive %llu "
          "bytes, %s", name, (unsigned long long) hbins,
          (unsigned long long) need, md_logs_limit_why (c, need));
    return 0;
  }

  if (md_logimg_grow (im, need) < 0)
    return -1;
  const uint8_t *src = d + start;
  for (uint64_t p = 0; p < npages; p++) {
    if (bm[p / 8] == 0) {
      p += 7;
      continue;
    }
    if (bit_set (bm, p)) {
      if (md_logimg_write (im, MD_REGF_SIZE + p * MD_LOG_SECTOR, src,
                           MD_LOG_SECTOR) < 0)
        return -1;
      src += MD_LOG_SECTOR;
    }
  }

  /* Every hive bin holding a dirty page must be valid now. */
  const char *bad = NULL;
  uint64_t pos = 0;
  while (pos < hbins) {
    const uint8_t *h = im->buf + MD_REGF_SIZE + pos;
    uint32_t size = md_le32 (h + MD_HBIN_SIZE);
    if (memcmp (h + MD_HBIN_SIGNATURE, MD_HBIN_SIGNATURE_TEXT, 4) != 0)
      bad = "no \"hbin\" signature";
    else if (md_le32 (h + MD_HBIN_OFFSET) != pos)
      bad = "its offset field does not match its position";
    else if (size < MD_HBIN_ALIGN || size % MD_HBIN_ALIGN != 0)
      bad = "its size is not a non-zero multiple of 4096";
    else if (size > hbins - pos)
      bad = "it runs past the hive bins size";
    if (bad)
      break;
    pos += size;
  }
  if (bad && any_dirty (bm, pos / MD_LOG_SECTOR, npages)) {
    MD_LOG_NOTE (r, "%s: refused: after replay the hive bin at offset 0x%llx is "
          "invalid (%s) and it or a later bin holds logged pages", name,
          (unsigned long long) pos, bad);
    md_logimg_rollback (im);
    return 0;
  }

  uint32_t seq;
  if (md_logimg_edit (im, 0, MD_REGF_SIZE) < 0)
    return -1;
  if (c->pvalid)
    seq = c->pb.seq1;
  else {
    memcpy (im->buf, d, MD_LOG_BASE_SIZE);
    memset (im->buf + MD_LOG_BASE_SIZE, 0, MD_REGF_SIZE - MD_LOG_BASE_SIZE);
    res->base_from_log = (int) i;
    seq = lb->seq1;
  }
  md_logs_bb_finish (im->buf, seq, (uint32_t) hbins);
  r->used = 1;
  c->used[c->nused++] = i;
  r->pages = count;
  MD_LOG_NOTE (r, "%s: applied (old format): %llu dirty pages of 512 bytes", name,
        (unsigned long long) count);
  if (bad)
    MD_LOG_NOTE_ADD (r, "; note: the primary's hive bins end early at offset 0x%llx "
              "(%s), after the last logged page", (unsigned long long) pos,
              bad);
  res->format = MD_LOG_FORMAT_OLD;
  res->pages = count;
  res->page_bytes = count * MD_LOG_SECTOR;
  res->first_seq = res->last_seq = lb->seq1;
  res->seq_after = seq;
  res->hbins_size_after = (uint32_t) hbins;
  res->unfilled = md_logimg_unfilled (im);
  res->size_after = im->len;
  return 1;
}

static int
replay_dirt (md_logs_ctx *c, md_logimg *im)
{
  md_logs_result *res = c->res;
  uint64_t ref = 0;
  int have_ref = 0;
  if (c->pvalid) {
    ref = c->pb.ts;
    have_ref = 1;
  } else if (c->primary_len >= MD_REGF_SIZE + MD_HBIN_HEADER
             && memcmp (c->primary + MD_REGF_SIZE, MD_HBIN_SIGNATURE_TEXT,
                        4) == 0) {
    ref = md_le64 (c->primary + MD_REGF_SIZE + MD_HBIN_TIMESTAMP);
    have_ref = 1;
  }
  int applied = 0;
  for (size_t i = 0; i < c->nlogs; i++) {
    md_log_report *r = &res->logs[i];
    if (!r->valid || r->format != MD_LOG_FORMAT_OLD)
      continue;
    if (applied) {
      MD_LOG_NOTE (r, "%s: not used: another log was applied", c->names[i]);
      continue;
    }
    uint64_t ts = c->lbs[i].ts;
    if (!have_ref) {
      MD_LOG_NOTE (r, "%s: not eligible: the primary base block is invalid and its "
            "first hive bin is unreadable, so the log's timestamp cannot be "
            "checked", c->names[i]);
      continue;
    }
    if (c->pvalid && ts != ref) {
      MD_LOG_NOTE (r, "%s: not eligible: its Last written timestamp 0x%016llx "
            "differs from the primary's 0x%016llx", c->names[i],
            (unsigned long long) ts, (unsigned long long) ref);
      continue;
    }
    if (!c->pvalid && ts < ref) {
      MD_LOG_NOTE (r, "%s: not eligible: its Last written timestamp 0x%016llx is "
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

const md_log_fmt md_log_fmt_dirt = {
  MD_LOG_FORMAT_OLD, 1, 2, replay_dirt
};
