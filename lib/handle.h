/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What handle.c (mountdb_open and the accessors) offers the layers above
 * it: edit, plan and the writer. */
#ifndef MOUNTDB_HANDLE_H
#define MOUNTDB_HANDLE_H

#include "model.h"

/* ---- handle.c --------------------------------------------------------------- */
/* mountdb_open of an open descriptor (consumed; no logs): the writer's dry
 * run reads its in-memory result back with it.  name is for messages. */
MD_HIDDEN int md_open_fd (int fd, const char *name, mountdb **out,
                          mountdb_error *err);

/* 0, or MOUNTDB_E_REFUSED (err says why) for a hive that must not be
 * written: not a SYSTEM hive, or a differencing hive. */
MD_HIDDEN int md_hive_writable (const mountdb *db, mountdb_error *err);

#endif
