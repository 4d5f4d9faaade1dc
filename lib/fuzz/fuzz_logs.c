/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: transaction-log replay (lib/logs.c) on any bytes.
 *
 * Input layout (little-endian):
 *   byte 0      control: bits 0-1 number of logs (0-3);
 *               bit 2 repair the base block checksums (primary and logs),
 *               bit 3 recompute the HvLE hashes of every entry,
 *               bit 4 a 64 KiB cap instead of 1 MiB
 *   bytes 1-12  lengths of the primary, log 1 and log 2 (uint32 each,
 *               clamped to what is left); log 3 is the rest
 *   then        the parts, one after the other
 * Each part is copied into its own allocation, so ASan sees a read past
 * any part.  The repairs let the fuzzer past the checksum and the hashes
 * into the replay logic: a hostile log can carry correct Marvin32 hashes
 * (the seed is public), so that is the case that matters.
 *
 * Checked: no crash, leak or undefined behaviour; the status and the
 * result agree; an applied image is a clean hive with a valid checksum,
 * within the cap and linear in the input; the reason is a terminated
 * string; the replay built in place (what the library runs) gives the
 * same outcome and image, and its undo record gives back the primary.  Build with -DFUZZ_LOGS_VERBOSE to print each outcome. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "logs.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static uint32_t
rd32 (const uint8_t *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16
         | (uint32_t) p[3] << 24;
}

static void
wr32 (uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t) v;
  p[1] = (uint8_t) (v >> 8);
  p[2] = (uint8_t) (v >> 16);
  p[3] = (uint8_t) (v >> 24);
}

static void
wr64 (uint8_t *p, uint64_t v)
{
  wr32 (p, (uint32_t) v);
  wr32 (p + 4, (uint32_t) (v >> 32));
}

static void
fix_hashes (uint8_t *b, size_t len)
{
  size_t off = 512;
  while (off <= len && len - off >= 40 && memcmp (b + off, "HvLE", 4) == 0) {
    uint32_t sz = rd32 (b + off + 4);
    if (sz < 40 || sz > len - off)
      break;
    wr64 (b + off + 24,
          md_marvin32 (MD_MARVIN32_HVLE_SEED, b + off + 40, sz - 40));
    wr64 (b + off + 32, md_marvin32 (MD_MARVIN32_HVLE_SEED, b + off, 32));
    if (sz % 512 != 0)
      break;
    off += sz;
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 13)
    return 0;
  uint8_t ctl = data[0];
  size_t nlogs = ctl & 3;
  size_t lens[4], left = size - 13;
  const uint8_t *p = data + 13;
  for (int i = 0; i < 3; i++) {
    uint32_t want = rd32 (data + 1 + 4 * i);
    lens[i] = want < left ? want : left;
    left -= lens[i];
  }
  lens[3] = left;

  uint8_t *parts[4] = { NULL, NULL, NULL, NULL };
  for (int i = 0; i < 4; i++) {
    parts[i] = malloc (lens[i] ? lens[i] : 1);
    if (parts[i] == NULL)
      goto out;
    memcpy (parts[i], p, lens[i]);
    p += lens[i];
    if ((ctl & 4) && lens[i] >= 512)
      wr32 (parts[i] + 508, mountdb_header_checksum (parts[i]));
    if ((ctl & 8) && i > 0)
      fix_hashes (parts[i], lens[i]);
  }

  md_log_input in[MD_LOGS_MAX_INPUTS];
  static const char *const names[3] = { "LOG1", "LOG2", "LOG" };
  for (size_t i = 0; i < nlogs; i++) {
    in[i].data = lens[i + 1] ? parts[i + 1] : NULL;
    in[i].len = lens[i + 1];
    in[i].name = names[i];
  }
  md_logs_opts opts = { (ctl & 16) ? (uint64_t) 64 << 10 : (uint64_t) 1 << 20 };
  uint8_t *img = NULL;
  size_t img_len = 0;
  md_logs_result res;
  int rc = md_logs_replay (parts[0], lens[0], in, nlogs, &opts, &img,
                           &img_len, &res);

#ifdef FUZZ_LOGS_VERBOSE /* -DFUZZ_LOGS_VERBOSE: say what each input did */
  fprintf (stderr, "%s: %s\n", md_logs_status_name (rc), res.reason);
#endif
  if (rc != res.status || memchr (res.reason, 0, sizeof res.reason) == NULL
      || res.reason[0] == '\0')
    abort ();
  for (size_t i = 0; i < nlogs; i++)
    if (memchr (res.logs[i].note, 0, sizeof res.logs[i].note) == NULL)
      abort ();
  if (rc == MD_LOGS_APPLIED) {
    uint64_t total = lens[0];
    for (size_t i = 0; i < nlogs; i++)
      total += lens[i + 1];
    mountdb_header h;
    if (img == NULL || img_len < 4096 || img_len > opts.max_size
        || img_len > total || img_len != res.size_after
        || mountdb_header_parse (img, img_len, &h) != 0 || !h.checksum_ok
        || h.dirty || h.file_type != 0 || h.seq1 != res.seq_after
        || (uint64_t) 4096 + h.hbins_size > img_len
        || res.unfilled > img_len)
      abort ();
    /* Touch every byte: ASan checks the whole image is ours. */
    volatile uint8_t x = 0;
    for (size_t i = 0; i < img_len; i += 512)
      x ^= img[i];
    x ^= img[img_len - 1];
    (void) x;
  } else if (img != NULL || img_len != 0)
    abort ();

  /* In place, in a buffer with exactly the room asked for (ASan sees any
   * write past it), its spare bytes not zero. */
  size_t room = md_logs_room (lens[0], in, nlogs, &opts);
  uint8_t *buf = malloc (room ? room : 1);
  if (buf != NULL) {
    memcpy (buf, parts[0], lens[0]);
    memset (buf + lens[0], 0x5a, room - lens[0]);
    md_undo undo;
    md_undo_init (&undo, lens[0]);
    size_t len2 = 0;
    md_logs_result res2;
    int rc2 = md_logs_replay_inplace (buf, lens[0], room, in, nlogs, &opts,
                                      &len2, &undo, &res2);
    if (rc2 != rc && rc != MOUNTDB_E_NOMEM && rc2 != MOUNTDB_E_NOMEM)
      abort ();
    if (rc2 == MD_LOGS_APPLIED && rc == MD_LOGS_APPLIED
        && (len2 != img_len || memcmp (buf, img, img_len) != 0))
      abort ();
    if (rc2 == MD_LOGS_APPLIED)
      md_undo_overlay (&undo, buf, 0, lens[0]);
    if (memcmp (buf, parts[0], lens[0]) != 0)
      abort ();
    md_undo_free (&undo);
    free (buf);
  }
  free (img);
out:
  for (int i = 0; i < 4; i++)
    free (parts[i]);
  return 0;
}
