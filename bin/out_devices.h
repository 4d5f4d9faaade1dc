/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb devices: the formats of the device history (out_devices.c). */
#ifndef MOUNTDB_OUT_DEVICES_H
#define MOUNTDB_OUT_DEVICES_H

#include <stdio.h>
#include "output.h"

/* The writers of `mountdb devices` (batch.c's interface: begin, one
 * call per SYSTEM hive with r->devices its join, or r->err, end): text,
 * CSV and XML here; json and jsonl are show's writers (out_json.c),
 * which print r->devices through mountdb_devices_json_write. */
const struct out_writer *out_devices_writer_for (enum out_format fmt);

#endif
