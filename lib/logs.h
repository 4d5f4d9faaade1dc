/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transaction-log replay (L rules, mountdb(1) RULES and TRANSACTION LOGS).
 *
 * Pure: bytes in, bytes out.  No files, no hivex, no global state; safe on
 * any input (fuzzed by lib/fuzz/fuzz_logs.c).  The caller reads the primary
 * file and its logs once (evidence.c, F2) and hands the bytes here; the
 * recovered image comes back in newly allocated memory (md_logs_replay) or
 * is built in the caller's copy of the primary with an undo record of the
 * primary's bytes (md_logs_replay_inplace: no second copy of the hive, and
 * the bytes read stay available).  The logs are never written.
 *
 * What is replayed (regf specification by M. Suhanov, "Format of
 * transaction log files", "Dirty state of a hive", "Multiple transaction
 * log files"):
 *
 * - Nothing when the primary is clean (valid checksum, seq1 == seq2): logs
 *   of a clean hive are ignored, as Windows does.
 * - New format (log file type 6, Windows 8.1+): HvLE log entries.  A log
 *   is usable when its base block is valid (signature, Windows' checksum
 *   rule, seq1 == seq2, type 6, version 1.x, format 1, clustering 1, hive
 *   bins size a non-zero multiple of 4096).  With a valid primary base
 *   block, the log with the earlier entries goes first (serial order of
 *   the logs' base block sequence numbers, whatever their names); it must
 *   start at a sequence number not below the primary's secondary sequence
 *   number.  A later start is accepted and reported (result seq_gap): it is
 *   what Windows leaves after a partial reconcile.  A log's first entry
 *   must carry its base block's sequence number.  Entries are applied
 *   while they are well formed (size, hive bins size, page count, page
 *   references 512-aligned and inside the entry and its hive bins), their
 *   Marvin32 hashes match and their sequence numbers are contiguous
 *   (uint32 wrap); the next log is used only if it starts exactly at
 *   last + 1 (or, if the log before applied nothing, exactly where that
 *   log started: a sequence number is never skipped).  With an invalid
 *   primary base block only the log with the latest entries is used, and
 *   its 512-byte base block replaces the primary's (the rest of the 4096
 *   bytes zeroed).  Each entry grows the hive to its hive bins size; only
 *   bit 0x1 of the base block's Flags is taken from the entries.
 * - Old format (log file type 1 or 2, up to Windows 8.0): a base block
 *   copy, "DIRT" and a bitmap with one bit per 512-byte page of hive bins
 *   data, then the dirty pages packed from the next 512-byte boundary.  A
 *   log is eligible when its Last written timestamp equals the primary's;
 *   when the primary base block is invalid, the first hive bin's timestamp
 *   (a lagging backup copy) is used, and the log must not be older than it.
 *   Every hive bin holding a dirty page must be valid after the replay
 *   (signature, offset, size >= 4096 and a multiple of 4096, inside the hive
 *   bins data); otherwise that log is refused as a whole (and the next
 *   eligible one, if any, is tried).  With a valid primary base block the
 *   result keeps it; with an invalid one the log's 512 bytes replace it.
 * - Logs of both formats: the new-format ones are tried first.
 * - Afterwards: both sequence numbers = the last entry applied (new format)
 *   or the base block's primary sequence number (old format), hive bins
 *   size updated, file type 0, checksum by Windows' rule.  The image keeps
 *   the primary's length (and its bytes past the hive bins) unless the hive
 *   bins grew past it.
 *
 * Limits (checked before anything is allocated for them):
 * - every offset, size and count is checked against the input lengths in
 *   64-bit arithmetic;
 * - the recovered image is at most opts->max_size bytes (default
 *   MOUNTDB_MAX_HIVE_SIZE, 4 GiB) and never larger than the primary plus the
 *   logs given: a log may only grow the hive by as many bytes as the logs
 *   hold (Windows writes a new hive bin to the log in full), so memory use
 *   is linear in the input whatever the size fields say;
 * - the number of entries and pages is bounded by the log length (an entry
 *   is at least 512 bytes, a page reference 8); each byte is hashed once.
 */
#ifndef MOUNTDB_LOGS_H
#define MOUNTDB_LOGS_H

#include <stddef.h>
#include <stdint.h>
#include "decode.h"
#include "undo.h"

/* ---- marvin.c ------------------------------------------------------------ */

/* The seed of HvLE hashes (regf spec: bytes 82 EF 4D 88 7A 4E 55 C5 read as
 * one 64-bit number: low half 0x7A4E55C5, high half 0x82EF4D88). */
#define MD_MARVIN32_HVLE_SEED 0x82EF4D887A4E55C5ULL

/* Marvin32, 64-bit result ((s1 << 32) | s0), as in Windows and .NET. */
MD_HIDDEN uint64_t md_marvin32 (uint64_t seed, const void *data, size_t len);

/* ---- logs.c -------------------------------------------------------------- */

#define MD_LOGS_MAX_INPUTS 3     /* e.g. LOG1, LOG2 (+ LOG), or just LOG */

typedef struct md_log_input {
  const uint8_t *data;           /* may be NULL when len is 0 (absent) */
  size_t len;
  const char *name;              /* for messages: "LOG1", ...; NULL = "log N" */
} md_log_input;

typedef struct md_logs_opts {
  uint64_t max_size;             /* cap on the recovered image; 0 = default */
} md_logs_opts;

enum md_logs_status {
  MD_LOGS_APPLIED = 0,           /* *out holds the recovered image */
  MD_LOGS_CLEAN = 1,             /* the primary is not dirty: nothing to do */
  MD_LOGS_NO_LOGS = 2,           /* dirty, but no log data was given */
  MD_LOGS_REFUSED = 3,           /* dirty, logs given, none applicable */
};

enum md_log_format {
  MD_LOG_FORMAT_NONE = 0,        /* absent, empty or unrecognised */
  MD_LOG_FORMAT_OLD = 1,         /* file type 1 or 2: DIRT bitmap */
  MD_LOG_FORMAT_NEW = 6,         /* file type 6: HvLE entries */
};

/* What became of one input. */
typedef struct md_log_report {
  int present;                   /* len > 0 */
  int valid;                     /* base block usable */
  int format;                    /* enum md_log_format (valid base block) */
  int used;                      /* contributed pages to the image */
  uint32_t seq1, seq2;           /* its base block's sequence numbers */
  uint64_t timestamp;            /* its base block's Last written (FILETIME) */
  uint32_t hbins_size;           /* its base block's hive bins size */
  uint32_t first_seq, last_seq;  /* new format: entries applied from it */
  uint32_t entries;              /* new format: entries applied from it */
  uint64_t pages;                /* pages applied from it (new: references,
                                    old: 512-byte pages) */
  char note[256];                /* one line: what happened and why */
} md_log_report;

typedef struct md_logs_result {
  int status;                    /* enum md_logs_status */
  int format;                    /* enum md_log_format that was applied */
  int primary_dirty;             /* seq1 != seq2 or bad base block */
  int primary_base_valid;        /* "regf" and checksum by Windows' rule */
  int base_from_log;             /* index of the log whose base block was
                                    used (invalid primary), else -1 */
  uint32_t first_seq, last_seq;  /* new format: first and last applied;
                                    old format: both the log's sequence */
  uint32_t seq_gap;              /* new format, valid primary base block:
                                    first_seq - the primary's secondary
                                    sequence number.  0 normally; > 0 when
                                    earlier entries were not in the logs
                                    (the primary was partly reconciled, as
                                    Windows does when it rotates the logs
                                    twice, or a log is missing) */
  uint32_t entries;              /* new format: entries applied, all logs */
  uint64_t pages;                /* pages applied, all logs */
  uint64_t page_bytes;           /* bytes written by those pages */
  uint32_t seq_after;            /* both sequence numbers of the result */
  uint32_t hbins_size_before;    /* primary's field (as stored) */
  uint32_t hbins_size_after;
  uint64_t size_before, size_after; /* image lengths */
  uint64_t unfilled;             /* bytes of the result past the primary's
                                    end that no page wrote (zeros): > 0 means
                                    the primary was truncated and the logs
                                    did not cover it */
  size_t nlogs;
  md_log_report logs[MD_LOGS_MAX_INPUTS];
  char reason[512];              /* one line: the outcome and, when nothing
                                    was applied, why */
} md_logs_result;

/* Replay logs[0..nlogs) (nlogs <= MD_LOGS_MAX_INPUTS; order = LOG1, LOG2,
 * then LOG; an absent log has len 0) onto primary.  opts may be NULL.
 *
 * Returns a status >= 0 (enum md_logs_status, also in res->status) or
 * MOUNTDB_E_INVAL (bad arguments), MOUNTDB_E_TOOBIG (primary larger than
 * the cap), MOUNTDB_E_NOMEM; res->reason says why in every case.  Only
 * MD_LOGS_APPLIED sets *out (free it) and *out_len; otherwise *out is
 * NULL.  The result is deterministic: the same bytes give the same image
 * and report (F7). */
MD_HIDDEN int md_logs_replay (const uint8_t *primary, size_t primary_len,
                              const md_log_input *logs, size_t nlogs,
                              const md_logs_opts *opts, uint8_t **out,
                              size_t *out_len, md_logs_result *res);

/* The same replay built in place, without a copy of the primary: image
 * holds the primary's primary_len bytes and has room for `room` >=
 * md_logs_room (...) bytes (the room past the primary is only written when
 * the hive grows; any content).  undo must be empty, md_undo_init'ed with
 * primary_len.  On MD_LOGS_APPLIED image[0, *out_len) is the recovered
 * hive and undo (sorted) holds the primary's bytes of every sector that
 * changed: md_undo_overlay turns image[0, primary_len) back into the
 * primary.  Otherwise image[0, primary_len) is the primary again, undo is
 * empty and *out_len is 0.  Other results as md_logs_replay. */
MD_HIDDEN int md_logs_replay_inplace (uint8_t *image, size_t primary_len,
                                      size_t room, const md_log_input *logs,
                                      size_t nlogs, const md_logs_opts *opts,
                                      size_t *out_len, md_undo *undo,
                                      md_logs_result *res);

/* The room md_logs_replay_inplace needs: the cap on the recovered image
 * (the size limit, and never more than the primary plus the logs), at
 * least primary_len. */
MD_HIDDEN size_t md_logs_room (size_t primary_len, const md_log_input *logs,
                               size_t nlogs, const md_logs_opts *opts);

/* "applied", "clean", "no-logs", "refused"; "error" for the rest. */
MD_HIDDEN const char *md_logs_status_name (int status);

#endif
