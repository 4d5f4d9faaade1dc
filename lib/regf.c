/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* regf structures read without hivex: the base block (for facts hivex does
 * not expose: sequence numbers, checksum, dirty state) and value-key cells
 * (for the exact stored name, rule H8).  Pure: bytes in, values out. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "regf.h"

/* Windows' rule (regf spec, "Base block"): XOR of the first 127 dwords,
 * with 0 mapped to 1 and 0xFFFFFFFF to 0xFFFFFFFE.  hivex writes the raw
 * XOR (section 7), which is why it is recomputed here. */
uint32_t
mountdb_header_checksum (const void *base_block_508)
{
  const uint8_t *b = base_block_508;
  uint32_t x = 0;
  for (size_t i = 0; i < MD_REGF_CHECKSUM; i += 4)
    x ^= md_le32 (b + i);
  if (x == 0)
    return 1;
  if (x == 0xFFFFFFFFu)
    return 0xFFFFFFFEu;
  return x;
}

/* The 64-byte file name field: UTF-16LE, NUL-terminated or full. */
static void
embedded_name (const uint8_t *p, char out[128])
{
  uint16_t u[32];
  size_t n = 0;
  md_utf16_load (p, 32, u);
  while (n < 32 && u[n] != 0)
    n++;
  char *s = md_utf16_to_utf8 (u, n, NULL);
  out[0] = '\0';
  if (s) {
    /* 32 units give at most 96 UTF-8 bytes: always fits. */
    strncpy (out, s, 127);
    out[127] = '\0';
    free (s);
  }
}

int
mountdb_header_parse (const void *buf, size_t len, mountdb_header *h)
{
  const uint8_t *b = buf;
  memset (h, 0, sizeof *h);
  if (b == NULL || len < MD_LOG_BASE_SIZE)
    return MOUNTDB_E_FORMAT;
  h->signature_ok =
    memcmp (b + MD_REGF_SIGNATURE, MD_REGF_SIGNATURE_TEXT, 4) == 0;
  h->seq1 = md_le32 (b + MD_REGF_SEQ1);
  h->seq2 = md_le32 (b + MD_REGF_SEQ2);
  h->last_written = md_le64 (b + MD_REGF_TIMESTAMP);
  h->major = md_le32 (b + MD_REGF_MAJOR);
  h->minor = md_le32 (b + MD_REGF_MINOR);
  h->file_type = md_le32 (b + MD_REGF_TYPE);
  h->file_format = md_le32 (b + MD_REGF_FORMAT);
  h->root_offset = md_le32 (b + MD_REGF_ROOT_CELL);
  h->hbins_size = md_le32 (b + MD_REGF_HBINS_SIZE);
  h->clustering = md_le32 (b + MD_REGF_CLUSTERING);
  embedded_name (b + MD_REGF_FILE_NAME, h->embedded_name);
  h->checksum_stored = md_le32 (b + MD_REGF_CHECKSUM);
  h->checksum_computed = mountdb_header_checksum (b);
  h->checksum_ok = h->checksum_stored == h->checksum_computed;
  h->dirty = h->seq1 != h->seq2 || !h->checksum_ok;
  return h->signature_ok ? 0 : MOUNTDB_E_FORMAT;
}

int
md_regf_vk_parse (const uint8_t *cell, size_t avail, md_vk *out)
{
  /* size(4) "vk"(2) name_len(2) data_len(4) data_off(4) type(4) flags(2)
   * spare(2) name(name_len) */
  const size_t head = MD_CELL_HEADER + MD_VK_NAME;  /* 24 */
  if (cell == NULL || avail < head || cell[MD_CELL_HEADER] != 'v'
      || cell[MD_CELL_HEADER + 1] != 'k')
    return -1;
  out->name_len = md_le16 (cell + MD_CELL_HEADER + MD_VK_NAME_LEN);
  out->data_len = md_le32 (cell + MD_CELL_HEADER + MD_VK_DATA_LEN);
  out->data_off = md_le32 (cell + MD_CELL_HEADER + MD_VK_DATA_OFF);
  out->type = md_le32 (cell + MD_CELL_HEADER + MD_VK_TYPE);
  out->flags = md_le16 (cell + MD_CELL_HEADER + MD_VK_FLAGS);
  out->name = cell + MD_CELL_HEADER + MD_VK_NAME;
  /* The name ends with its cell (the size field, negative when in use),
   * not with the file: past it are a neighbour's bytes (issue 10). */
  int32_t raw = (int32_t) md_le32 (cell);
  uint64_t cell_size = raw < 0 ? (uint64_t) -(int64_t) raw : (uint64_t) raw;
  size_t room = avail;
  if (cell_size < room)
    room = (size_t) cell_size;
  out->name_fit = room < head ? 0 : room - head;
  if (out->name_fit > out->name_len)
    out->name_fit = out->name_len;
  return out->name_fit == out->name_len ? 0 : -2;
}
