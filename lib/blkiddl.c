/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libblkid on demand (see blkiddl.h), through the loader of dlload.h. */
#include <config.h>
#define MD_BLKIDDL_IMPL
#include "blkiddl.h"
#include "dlload.h"

MD_BLKID_FUNCTIONS (MD_DL_DEFINE)

static const char *const names[] = { MD_BLKID_FUNCTIONS (MD_DL_NAME) NULL };
static void **const slots[] = { MD_BLKID_FUNCTIONS (MD_DL_SLOT) };

static struct md_dllib blkid = {
  MD_BLKID_SONAME, names, slots, NULL, "disks need libblkid", "libblkid1",
  0, "",
};

int
md_blkid_load (const char *path, mountdb_error *err)
{
  return md_dlload (&blkid, path, err);
}

int
md_blkid_try (const char *soname, const char *path, mountdb_error *err)
{
  return md_dltry (&blkid, soname, path, err);
}
