/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb devices: the formats of the device history (out_devices.c). */
#ifndef MOUNTDB_OUT_DEVICES_H
#define MOUNTDB_OUT_DEVICES_H

#include <stdio.h>
#include "output.h"

struct devices_out {
  enum out_format fmt;
};

/* The whole document into memory, then one write to f: 0, or -1 when
 * memory or the write failed (nothing, or a partial write, went out). */
int out_devices (FILE *f, const mountdb_devices *d,
                 const struct devices_out *o);

#endif
