/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Optional libraries loaded on first use (dlopen), as systemd loads its
 * own: libxml2 for plans (xmldl.h) and libblkid for disks (blkiddl.h).
 * Linking them cost every program using libmountdb their loading and
 * relocation at each start, whether it read a plan or a disk or not
 * (issue 14).  One loader for both: each library is a table of names and
 * the pointers they go to, filled once, never unloaded. */
#ifndef MOUNTDB_DLLOAD_H
#define MOUNTDB_DLLOAD_H

#include <stddef.h>
#include "decode.h"

struct md_dllib {
  const char *soname;           /* the file name a link would record */
  const char *const *names;     /* symbols, NULL-terminated */
  void **const *slots;          /* where each symbol's address goes */
  void (*init) (void);          /* run once after resolving, or NULL */
  int state;                    /* 0 not tried, 1 loaded, -1 failed */
  char why[512];                /* dlerror() of the failure */
};

/* Load lib once (thread-safe; the handle stays open, so the pointers stay
 * valid).  0, or -1 with lib->why saying what is missing. */
MD_HIDDEN int md_dlload (struct md_dllib *lib);
/* Whether soname loads at all (then unloaded): 0, or -1 with why filled.
 * For the tests of the message when a library is missing. */
MD_HIDDEN int md_dltry (const char *soname, char *why, size_t len);

#endif
