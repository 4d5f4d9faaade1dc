/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The words every format of the device history shares (mountdb(1),
 * DEVICES): the person's summary of a device and its parts.  The
 * library's JSON (lib/json_devices.c) and the CLI's text, CSV and XML
 * (bin/out_devices*.c) print the same summary from here.  Output is
 * unescaped UTF-8: each format escapes it. */
#ifndef MOUNTDB_DEVSUM_H
#define MOUNTDB_DEVSUM_H

#include "mountdb.h"
#include "common/sbuf.h"

/* "USB storage disk SanDisk Extreme, serial ..., E:, first installed ...,
 * opened by alice at ...": what, which serial, which letters, when first
 * installed and last connected (only from the times Windows records as
 * such: 0064-0067), who opened it when. */
void md_dev_summary (struct md_sbuf *b, const mountdb_devices *d,
                     const mountdb_device *dev);
/* "E: F:" of the device's volumes now. */
void md_dev_letters (struct md_sbuf *b, const mountdb_device *dev);
/* A user hive's user: its USERNAME or folder, else "user hive N". */
void md_dev_user_name (struct md_sbuf *b, const mountdb_devices *d,
                       size_t hive);
/* A drive letter value (\DosDevices\X:) with its letter. */
int md_dev_is_letter_entry (const mountdb_entry *e);

#endif
