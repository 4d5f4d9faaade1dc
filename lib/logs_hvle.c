/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* New-format transaction logs (log file type 6, Windows 8.1+): HvLE
 * entries (see logs.h for the rules). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "logs_fmt.h"

/* Page reference k of entry e: offset (4 bytes) and size (4 bytes). */
#define REF(e, k) ((e) + MD_HVLE_HEADER + MD_HVLE_REF_SIZE * (uint64_t) (k))

/* Why the entries of a log stop being applied. */
#define STOP(...) md_logs_setf (stop, sizeof stop, __VA_ARGS__)

/* ---- new format ---------------------------------------------------------- */

/* State carried across the logs of one replay. */
typedef struct newstate {
  md_logimg *im;
  int started;               /* at least one entry applied */
  uint32_t last;             /* last applied sequence number */
  uint32_t hbins;            /* hive bins size of the last applied entry */
  uint32_t flag1;            /* bit 0x1 of its Flags */
} newstate;

/* Apply the entries of log i, expected to start at `expect`.  Returns the
 * number of entries applied, or -1 when out of memory. */
static long
apply_entries (md_logs_ctx *c, size_t i, uint32_t expect, newstate *st)
{
  const uint8_t *d = c->logs[i].data;
  const uint64_t len = c->logs[i].len;
  const char *name = c->names[i];
  md_log_report *r = &c->res->logs[i];
  char stop[200] = "";
  uint64_t off = MD_LOG_BASE_SIZE;
  long n = 0;

  for (;;) {
    if (off >= len) {
      STOP ("end of the log");
      break;
    }
    const uint8_t *e = d + off;
    uint64_t left = len - off;
    if (left < MD_HVLE_HEADER || memcmp (e, MD_HVLE_SIGNATURE_TEXT, 4) != 0) {
      STOP ("no log entry at offset 0x%llx",
            (unsigned long long) off);
      break;
    }
    uint32_t size = md_le32 (e + MD_HVLE_SIZE);
    uint32_t flags = md_le32 (e + MD_HVLE_FLAGS);
    uint32_t seq = md_le32 (e + MD_HVLE_SEQUENCE);
    uint32_t hbins = md_le32 (e + MD_HVLE_HBINS_SIZE);
    uint32_t count = md_le32 (e + MD_HVLE_PAGE_COUNT);
    if (size < 512 || size % 512 != 0) {
      STOP ("entry at 0x%llx: size %u is not a non-zero "
            "multiple of 512", (unsigned long long) off, size);
      break;
    }
    if (size > left) {
      STOP ("entry at 0x%llx (sequence %u): %u bytes "
            "run past the end of the log (truncated)",
            (unsigned long long) off, seq, size);
      break;
    }
    if (hbins == 0 || hbins % MD_HBIN_ALIGN != 0) {
      STOP ("entry at 0x%llx (sequence %u): hive bins "
            "size %u is not a non-zero multiple of 4096",
            (unsigned long long) off, seq, hbins);
      break;
    }
    if (count == 0 || count > (size - MD_HVLE_HEADER) / MD_HVLE_REF_SIZE) {
      STOP ("entry at 0x%llx (sequence %u): dirty page "
            "count %u does not fit the entry", (unsigned long long) off,
            seq, count);
      break;
    }
    if (md_marvin32 (MD_MARVIN32_HVLE_SEED, e, MD_HVLE_HASH2)
        != md_le64 (e + MD_HVLE_HASH2)) {
      STOP ("entry at 0x%llx: hash-2 mismatch",
            (unsigned long long) off);
      break;
    }
    if (md_marvin32 (MD_MARVIN32_HVLE_SEED, e + MD_HVLE_HEADER,
                     size - MD_HVLE_HEADER) != md_le64 (e + MD_HVLE_HASH1)) {
      STOP ("entry at 0x%llx (sequence %u): hash-1 "
            "mismatch", (unsigned long long) off, seq);
      break;
    }
    if (seq != expect) {
      STOP ("entry at 0x%llx has sequence %u, expected %u",
            (unsigned long long) off, seq, expect);
      break;
    }
    /* Page references: 512-aligned, inside this entry's hive bins, data
     * inside the entry.  All checked before anything is written. */
    uint64_t total = 0;
    const char *bad = NULL;
    uint32_t bad_i = 0;
    for (uint32_t k = 0; k < count && !bad; k++) {
      uint32_t po = md_le32 (REF (e, k));
      uint32_t ps = md_le32 (REF (e, k) + 4);
      bad_i = k;
      if (ps == 0 || ps % MD_LOG_SECTOR != 0 || po % MD_LOG_SECTOR != 0)
        bad = "is not 512-byte aligned";
      else if ((uint64_t) po + ps > hbins)
        bad = "lies past the entry's hive bins size";
      else if ((total += ps) > size - MD_HVLE_HEADER
                                    - MD_HVLE_REF_SIZE * (uint64_t) count)
        bad = "runs past the end of the entry";
    }
    if (bad) {
      STOP ("entry at 0x%llx (sequence %u): page %u %s",
            (unsigned long long) off, seq, bad_i, bad);
      break;
    }
    uint64_t need = (uint64_t) MD_REGF_SIZE + hbins;
    if (need > c->limit && need > st->im->len) {
      STOP ("entry at 0x%llx (sequence %u): hive bins "
            "size %u would make the hive %llu bytes, %s",
            (unsigned long long) off, seq, hbins, (unsigned long long) need,
            md_logs_limit_why (c, need));
      break;
    }
    if (md_logimg_grow (st->im, need) < 0)
      return -1;
    const uint8_t *src = REF (e, count);
    for (uint32_t k = 0; k < count; k++) {
      uint32_t po = md_le32 (REF (e, k));
      uint32_t ps = md_le32 (REF (e, k) + 4);
      if (md_logimg_write (st->im, MD_REGF_SIZE + (uint64_t) po, src, ps) < 0)
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
    MD_LOG_NOTE (r, "%s: applied entries %u-%u (%u entries, %llu pages); stopped: "
          "%s", name, r->first_seq, r->last_seq, r->entries,
          (unsigned long long) r->pages, stop);
  } else
    MD_LOG_NOTE (r, "%s: no entry applied: %s", name, stop);
  return n;
}

/* Returns 1 applied, 0 not (the image rolled back), -1 out of memory. */
static int
replay_hvle (md_logs_ctx *c, md_logimg *im)
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
      MD_LOG_NOTE (&res->logs[order[k]], "%s: not used: the primary base block is "
            "invalid, so only the log with the latest entries (%s) is used",
            c->names[order[k]], c->names[latest]);
    order[0] = latest;
    n = 1;
    if (md_logimg_edit (im, 0, MD_REGF_SIZE) < 0)
      return -1;
    memcpy (im->buf, c->logs[latest].data, MD_LOG_BASE_SIZE);
    memset (im->buf + MD_LOG_BASE_SIZE, 0, MD_REGF_SIZE - MD_LOG_BASE_SIZE);
    st.flag1 = c->lbs[latest].flags & 1;
  }

  int attempted = 0;
  uint32_t next = 0;         /* sequence the next log must start at */
  for (; from < n; from++) {
    size_t i = order[from];
    uint32_t s = c->lbs[i].seq1;
    if (!attempted) {
      if (c->pvalid && seq_before (s, c->pb.seq2)) {
        MD_LOG_NOTE (&res->logs[i], "%s: not eligible: its entries start at "
              "sequence %u, before the primary's secondary sequence number "
              "%u (already in the primary)", c->names[i], s, c->pb.seq2);
        continue;
      }
    } else if (s != next) {
      MD_LOG_NOTE (&res->logs[i], "%s: ignored: does not continue the sequence "
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
    md_logimg_rollback (im);
    return 0;
  }

  if (md_logimg_edit (im, 0, MD_LOG_BASE_SIZE) < 0)
    return -1;
  if (c->pvalid) {
    uint32_t fl = (c->pb.flags & ~1u) | st.flag1;
    md_put_le32 (im->buf + MD_REGF_FLAGS, fl);
  } else {
    size_t latest = order[0];
    res->base_from_log = (int) latest;
    md_put_le32 (im->buf + MD_REGF_FLAGS,
                 (c->lbs[latest].flags & ~1u) | st.flag1);
  }
  md_logs_bb_finish (im->buf, st.last, st.hbins);
  res->format = MD_LOG_FORMAT_NEW;
  if (c->pvalid)
    res->seq_gap = res->first_seq - c->pb.seq2;
  res->last_seq = st.last;
  res->seq_after = st.last;
  res->hbins_size_after = st.hbins;
  res->unfilled = md_logimg_unfilled (im);
  res->size_after = im->len;
  return 1;
}

const md_log_fmt md_log_fmt_hvle = {
  MD_LOG_FORMAT_NEW, 6, 6, replay_hvle
};
