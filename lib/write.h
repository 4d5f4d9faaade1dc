/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hidden helpers of the writer (write.c), shared only with its tests. */
#ifndef MOUNTDB_WRITE_H
#define MOUNTDB_WRITE_H

#include "internal.h"

/* Fault injection for tests.  step names one step of mountdb_write:
 *   "mkstemp"    creating the temp file next to the target
 *   "commit"     hivex_commit into the temp file
 *   "open_temp"  reading the committed temp file back for patching
 *   "write_temp" writing the patched timestamps and checksum
 *   "fsync_temp" fsync of the temp file
 *   "verify"     re-opening and comparing the temp file
 *   "backup"     writing the backup (in place)
 *   "rename"     putting the temp file in place
 *   "fsync_dir"  fsync of the target's directory
 * That step then fails with errno err (EIO when 0), and mountdb_write must
 * clean up as for a real failure.  "crash_after_STEP" instead returns
 * MOUNTDB_E_IO right after STEP succeeded, with no cleanup at all, so a
 * test can see what a crash at that point leaves on disk.  NULL clears.
 * Per thread. */
MD_HIDDEN void md_write_set_fault (const char *step, int err);

#endif
