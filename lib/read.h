/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The reading stages mountdb_open runs in order (handle.c): the logs
 * (logfiles.c, L rules) replay into the image, then hive.c asks hivex
 * for the values and hands them to the model. */
#ifndef MOUNTDB_READ_H
#define MOUNTDB_READ_H

#include "model.h"

/* ---- logfiles.c: find, read and replay transaction logs (L rules) ---------- */
MD_HIDDEN int md_logs_attach (mountdb *db, const char *const *logs,
                              size_t nlogs, mountdb_error *err);
MD_HIDDEN void md_logs_free (mountdb *db);

/* ---- hive.c: everything hivex is asked ------------------------------------ */
MD_HIDDEN int md_hive_read (mountdb *db, const md_image *img,
                            mountdb_error *err);

#endif
