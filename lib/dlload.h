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
#include "mountdb.h"

/* The pieces a loader makes of its X(function) list: the pointers
 * (md_dl_NAME), their declarations, and the two tables below. */
#define MD_DL_DEFINE(f) __typeof__ (f) *md_dl_##f;
#define MD_DL_DECLARE(f) extern MD_HIDDEN __typeof__ (f) *md_dl_##f;
#define MD_DL_NAME(f) #f,
#define MD_DL_SLOT(f) (void **) &md_dl_##f,

struct md_dllib {
  const char *soname;           /* the file name a link would record */
  const char *const *names;     /* symbols, NULL-terminated */
  void **const *slots;          /* where each symbol's address goes */
  void (*init) (void);          /* run once after resolving, or NULL */
  const char *need;             /* "disks need libblkid": the message's */
  const char *package;          /* what Debian installs it with */
  int state;                    /* 0 not tried, 1 loaded, -1 failed */
  char why[512];                /* dlerror() of the failure */
};

/* Load lib once (thread-safe; the handle stays open, so the pointers stay
 * valid).  0, or MOUNTDB_E_IO with a message naming path (the file the
 * caller was about to read), what needs the library and what is missing:
 * "PATH: disks need libblkid (libblkid.so.1), which cannot be loaded:
 * WHY; install it (Debian: apt-get install libblkid1)". */
MD_HIDDEN int md_dlload (struct md_dllib *lib, const char *path,
                         mountdb_error *err);
/* Whether lib loads under another file name, soname (then unloaded): 0,
 * or the same error as md_dlload.  For the tests of that message. */
MD_HIDDEN int md_dltry (const struct md_dllib *lib, const char *soname,
                        const char *path, mountdb_error *err);

#endif
