/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What hivex leaves out or gets wrong, fixed in the temp file's bytes:
 * header and key times (F7), Windows' checksum rule (H6). */
#include <config.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "regf.h"
#include "write_int.h"
#include "common/fullio.h"

int
md_w_read_back (struct wctx *w, struct patch *p)
{
  if (md_fault_fail_here ("open_temp")
      || md_read_exact (w->tmpfd, p->hdr, sizeof p->hdr, 0) < 0
      || md_read_exact (w->tmpfd, p->hbin, sizeof p->hbin, MD_REGF_SIZE) < 0)
    return md_w_io_fail (w, w->tmp, "reading it back");
  const struct stamp *st[2] = { &w->md, &w->mm };
  for (int k = 0; k < 2; k++) {
    if (st[k]->node == MD_NO_HANDLE)
      continue;
    uint8_t nk[8];
    if (md_read_exact (w->tmpfd, nk, sizeof nk, (off_t) st[k]->node) < 0)
      return md_w_io_fail (w, w->tmp, "reading it back");
    if (memcmp (nk + MD_CELL_HEADER + MD_NK_SIGNATURE, "nk", 2) != 0)
      return md_error (w->err, MOUNTDB_E_IO, 0, w->tmp,
                       "hivex wrote no key cell at offset %llu",
                       (unsigned long long) st[k]->node);
  }
  if (memcmp (p->hdr + MD_REGF_SIGNATURE, MD_REGF_SIGNATURE_TEXT, 4) != 0)
    return md_error (w->err, MOUNTDB_E_IO, 0, w->tmp,
                     "hivex wrote no \"regf\" base block");
  return 0;
}

int
md_w_write_patch (struct wctx *w, struct patch *p)
{
  uint64_t old = md_le64 (p->hdr + MD_REGF_TIMESTAMP);
  int fix_hbin = 0;
  if (w->set_hdr_time) {
    md_put_le64 (p->hdr + MD_REGF_TIMESTAMP, w->hdr_time);
    /* Windows keeps a copy of the header time in the first hive bin. */
    fix_hbin = memcmp (p->hbin + MD_HBIN_SIGNATURE, MD_HBIN_SIGNATURE_TEXT, 4) == 0
               && md_le64 (p->hbin + MD_HBIN_TIMESTAMP) == old;
  }
  /* H6: hivex wrote the raw XOR; Windows maps 0 to 1 and ~0 to ~1. */
  md_put_le32 (p->hdr + MD_REGF_CHECKSUM, mountdb_header_checksum (p->hdr));
  if (md_fault_fail_here ("write_temp"))
    return md_w_io_fail (w, w->tmp, "write");
  const struct stamp *st[2] = { &w->md, &w->mm };
  uint8_t t[8];
  for (int k = 0; k < 2; k++) {
    if (st[k]->node == MD_NO_HANDLE)
      continue;
    md_put_le64 (t, st[k]->time);
    if (md_write_full (w->tmpfd, t, 8, (off_t) st[k]->node + MD_CELL_HEADER
                                              + MD_NK_LAST_WRITTEN) < 0)
      return md_w_io_fail (w, w->tmp, "write");
  }
  if (md_fault_is ("tamper")) {
    /* Test hook: a change outside what the write means to touch (the
     * root key's LastWrite), for the whole-tree comparison to find. */
    md_put_le64 (t, 1);
    if (md_write_full (w->tmpfd, t, 8, (off_t) md_le32 (p->hdr + MD_REGF_ROOT_CELL)
                          + MD_REGF_SIZE + MD_CELL_HEADER + MD_NK_LAST_WRITTEN)
        < 0)
      return md_w_io_fail (w, w->tmp, "write");
  }
  md_put_le64 (t, w->hdr_time);
  if ((fix_hbin && md_write_full (w->tmpfd, t, 8,
                                     MD_REGF_SIZE + MD_HBIN_TIMESTAMP) < 0)
      || md_write_full (w->tmpfd, p->hdr, sizeof p->hdr, 0) < 0)
    return md_w_io_fail (w, w->tmp, "write");
  if (fchmod (w->tmpfd, w->mode) < 0)
    return md_w_io_fail (w, w->tmp, "chmod");
  /* In place as root: keep the owner too (best effort). */
  if (w->o.in_place && geteuid () == 0 && w->in_st_ok
      && fchown (w->tmpfd, w->in_st.st_uid, w->in_st.st_gid) < 0)
    errno = 0;
  return 0;
}
