/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libblkid on demand (see blkiddl.h), through the loader of dlload.h. */
#include <config.h>
#include <stdio.h>
#define MD_BLKIDDL_IMPL
#include "blkiddl.h"
#include "dlload.h"
#include "error.h"

#define MD_BLKID_DEFINE(f) __typeof__ (f) *md_dl_##f;
MD_BLKID_FUNCTIONS (MD_BLKID_DEFINE)
#undef MD_BLKID_DEFINE

#define MD_BLKID_NAME(f) #f,
static const char *const names[] = { MD_BLKID_FUNCTIONS (MD_BLKID_NAME) NULL };
#undef MD_BLKID_NAME
#define MD_BLKID_SLOT(f) (void **) &md_dl_##f,
static void **const slots[] = { MD_BLKID_FUNCTIONS (MD_BLKID_SLOT) };
#undef MD_BLKID_SLOT

static struct md_dllib blkid = { MD_BLKID_SONAME, names, slots, NULL, 0, "" };

static int
load_error (const char *soname, const char *path, const char *why,
            mountdb_error *err)
{
  return md_error (err, MOUNTDB_E_IO, 0, path,
                   "disks need libblkid (%s), which cannot be loaded: %s; "
                   "install it (Debian: apt-get install libblkid1)",
                   soname, why[0] ? why : "unknown error");
}

int
md_blkid_try (const char *soname, const char *path, mountdb_error *err)
{
  char why[512];
  return md_dltry (soname, why, sizeof why) < 0
    ? load_error (soname, path, why, err) : 0;
}

int
md_blkid_load (const char *path, mountdb_error *err)
{
  return md_dlload (&blkid) < 0
    ? load_error (MD_BLKID_SONAME, path, blkid.why, err) : 0;
}
