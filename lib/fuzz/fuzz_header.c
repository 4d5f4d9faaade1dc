/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: the base block parser and the vk cell parser on any bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "decode.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static volatile uint8_t sink;

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  mountdb_header h;
  if (mountdb_header_parse (data, size, &h) == 0 || size >= 512) {
    /* Every field must be a plain value; the name a terminated string. */
    volatile size_t n = strlen (h.embedded_name);
    (void) n;
  }
  md_vk vk;
  if (md_regf_vk_parse (data, size, &vk) == 0)
    for (size_t i = 0; i < vk.name_len; i++)
      sink ^= vk.name[i]; /* ASan checks the name lies inside the input */
  char buf[40];
  if (size >= 8) {
    uint64_t ft;
    memcpy (&ft, data, 8);
    mountdb_filetime_format (ft, buf);
  }
  return 0;
}
