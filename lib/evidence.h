/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bytes layer: an input read once into a sealed copy (evidence.c,
 * F1, F2).  Knows nothing of hives beyond the base block's size fields. */
#ifndef MOUNTDB_EVIDENCE_H
#define MOUNTDB_EVIDENCE_H

#include <stdint.h>
#include "decode.h"
#include "undo.h"

/* ---- evidence.c (F1, F2) -------------------------------------------------- */
/* An input read once into a sealed memfd, hashed on the way.  Changes made
 * to the copy before sealing (log replay, the checksum hivex wants) keep
 * the bytes they replace in undo, so the file as read is always memfd[0,
 * undo.len) with undo overlaid: backups and hashes come from there. */
typedef struct md_image {
  int memfd;                 /* -1 when not loaded */
  uint64_t size;             /* of the copy (>= undo.len after a replay) */
  uint64_t file_size;        /* bytes of the input (all hashed) */
  uint64_t cut;              /* bytes past the extent not kept (non-zero
                                ones among them): file_size - size at load */
  uint64_t extent;           /* what the extent function asked to keep */
  int from_stdin;            /* read from "-" (a pipe: no logs beside it) */
  int hashed;
  char sha256[65];
  uint8_t base[4096];        /* first bytes of the copy (the base block) */
  size_t base_len;
  md_undo undo;              /* the file as read: see above */
  struct md_hashpipe *pipe;  /* the hash on its thread (see below) */
  int hash_failed, hash_errno; /* what the thread met, for hash_wait */
} md_image;
/* md_image_load flag (beside MOUNTDB_OPEN_*): hash the input on a thread
 * (hashpipe.h) that follows the copy and runs on until md_image_hash_wait,
 * while hivex parses the copy (issue 14: wall time = max, not sum).
 * Exact as the inline hash: the copy holds the input's bytes until
 * something changes it, and the hash is finished before that (log replay,
 * a patched checksum); from the first bytes past the extent the copy will
 * not hold, the rest is hashed inline. */
#define MD_IMAGE_HASH_THREAD 0x80000000u
/* Bytes past a hive's bins kept in the copy (slack Windows leaves, room
 * the logs may grow the bins into); beyond, non-zero bytes are hashed but
 * not kept.  The memory bound is hive + this, logs included. */
#define MD_SLACK_KEEP ((uint64_t) 16 << 20)
/* How much of an input to keep, from its first bytes (len <= 4096, less
 * only when the input is shorter) and, when fd >= 0, reads (pread) of the
 * rest.  NULL: a hive (base block + bins + MD_SLACK_KEEP). */
typedef uint64_t (*md_extent_fn) (const uint8_t *base, size_t len, int fd,
                                  void *ctx);
/* path "-" reads standard input (a pipe or a file). */
/* Open an input read-only as F1/F2 say (no link followed, O_NOATIME
 * when allowed, non-blocking); a refused link's message cites rule.
 * The fd, or a negative MOUNTDB_E_* code with err filled. */
MD_HIDDEN int md_open_evidence (const char *path, const char *rule,
                                mountdb_error *err);
MD_HIDDEN int md_image_load (const char *path, unsigned flags,
                             md_extent_fn extent, void *ctx, md_image *img,
                             mountdb_error *err);
/* The same from an open descriptor (read from its offset; always closed);
 * path only names it in messages. */
MD_HIDDEN int md_image_load_fd (int fd, const char *path, unsigned flags,
                                md_extent_fn extent, void *ctx,
                                md_image *img, mountdb_error *err);
/* Optionally overwrite the copy's checksum field (never the file), then
 * seal the copy against any change.  Returns 0 or -1 (errno). */
MD_HIDDEN int md_image_seal (md_image *img, const uint32_t *checksum);
/* Wait for the hash thread (MD_IMAGE_HASH_THREAD): then img->hashed and
 * img->sha256 are set.  0 or a MOUNTDB_E_* code with err filled (path
 * names the input). */
MD_HIDDEN int md_image_hash_wait (md_image *img, const char *path,
                                  mountdb_error *err);
/* Writable view of the unsealed copy with room bytes (the copy grows to
 * room, zeros, while mapped); md_image_unmap_rw with the copy's new length
 * (bytes past it are dropped, base reloaded).  Changes must be recorded in
 * img->undo.  NULL or -1 on failure (errno). */
MD_HIDDEN uint8_t *md_image_map_rw (md_image *img, uint64_t room);
MD_HIDDEN int md_image_unmap_rw (md_image *img, uint8_t *p, uint64_t room,
                                 uint64_t len);
/* Small enough to be read into the heap rather than mapped (views, and
 * hivex's own copy): in a batch every munmap interrupts the CPUs running
 * the other workers (a TLB shootdown). */
MD_HIDDEN int md_image_is_small (const md_image *img);
/* Read-only view of the whole image; md_image_unmap when done. */
MD_HIDDEN const uint8_t *md_image_map (const md_image *img);
MD_HIDDEN void md_image_unmap (const md_image *img, const uint8_t *p);
/* Drop a view's resident pages (a mapped view refaults them from the
 * image; a small view, read into memory, is kept). */
MD_HIDDEN void md_image_view_trim (const md_image *img, const uint8_t *p);
MD_HIDDEN void md_image_release (md_image *img);

#endif
