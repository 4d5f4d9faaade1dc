/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Extensible option structs: the caller's struct_size says which version
 * of mountdb_write_opts it was compiled with (mountdb(3), VERSIONS AND
 * ABI).  A new release appends fields; callers built against older
 * headers get the defaults for them, and a caller built against newer
 * headers is refused if it sets an option this library does not know. */
#include <config.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "write.h"

/* The size of the struct as released in 0.1 (its last field's end):
 * anything smaller was not set up by mountdb_write_opts_init. */
#define WRITE_OPTS_SIZE_0_1 \
  (offsetof (mountdb_write_opts, system_letter) + sizeof (char))

int
md_write_opts_load (mountdb_write_opts *out, const mountdb_write_opts *in,
                    const char *path, mountdb_error *err)
{
  mountdb_write_opts_init (out);
  if (in == NULL)
    return 0;
  size_t size = in->struct_size;
  if (size < WRITE_OPTS_SIZE_0_1)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, path,
                     "write options not set up by mountdb_write_opts_init "
                     "(struct_size %zu)", size);
  /* Options past our struct must be unset: we cannot honour them. */
  const unsigned char *p = (const unsigned char *) in;
  for (size_t i = sizeof *out; i < size; i++)
    if (p[i] != 0)
      return md_error (err, MOUNTDB_E_INVAL, EINVAL, path,
                       "write options from a newer libmountdb (struct_size "
                       "%zu > %zu) set an option this version does not "
                       "know", size, sizeof *out);
  memcpy (out, in, size < sizeof *out ? size : sizeof *out);
  out->struct_size = sizeof *out;
  return 0;
}
