/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hidden helpers of the writer (write.c), shared only with its tests. */
#ifndef MOUNTDB_WRITE_H
#define MOUNTDB_WRITE_H

#include "handle.h"
#include "rules.h"
#include "edit.h"

/* Fault injection for tests, only in the test build of the library
 * (libmountdb-fault.la, compiled with -DMD_FAULT_INJECTION): the installed
 * library has none of it (lib/tests/no-fault.sh checks).
 * step names one step of mountdb_write:
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
 * test can see what a crash at that point leaves on disk.  "tamper"
 * changes the root key's LastWrite in the temp file (the whole-tree
 * comparison must catch it); "hold_lock" sleeps 0.5 s after the backup,
 * lock held (in place).  NULL clears.  fault.h names the hooks other
 * layers have ("seal_busy").  Per thread. */
#ifdef MD_FAULT_INJECTION
MD_HIDDEN void md_write_set_fault (const char *step, int err);
/* The caller's write options (NULL: the defaults) into out, checked by
 * their struct_size (lib/opts.c).  0, or MOUNTDB_E_INVAL (err says why). */
MD_HIDDEN int md_write_opts_load (mountdb_write_opts *out,
                                  const mountdb_write_opts *in,
                                  const char *path, mountdb_error *err);

#endif

/* regfscan.c: the whole hive (b, n: the file) walked without hivex.
 * In: what the write rewrites.  Out: digest of everything else, or why
 * writing would damage the hive.  Returns 0, MOUNTDB_E_REFUSED (why set),
 * MOUNTDB_E_NOMEM or MOUNTDB_E_CRYPTO. */
struct md_scan {
  uint32_t control_set;   /* NoAutoMount's: ControlSetNNN (0: not edited) */
  int free_md;            /* MountedDevices' values are replaced */
  int free_mm;            /* mountmgr's values are replaced */
  uint8_t digest[32];
  char why[400];
};
MD_HIDDEN int md_scan_hive (const uint8_t *b, size_t n, struct md_scan *s);

/* The caller's write options (NULL: the defaults) into out, checked by
 * their struct_size (lib/opts.c).  0, or MOUNTDB_E_INVAL (err says why). */
MD_HIDDEN int md_write_opts_load (mountdb_write_opts *out,
                                  const mountdb_write_opts *in,
                                  const char *path, mountdb_error *err);

#endif
