/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fault injection for tests, only in the test build of the library
 * (libmountdb-fault.la, compiled with -DMD_FAULT_INJECTION): the installed
 * library has none of it (lib/tests/no-fault.sh checks).  A test names a
 * step with md_write_set_fault (write.h lists the writer's; the evidence
 * layer has "seal_busy": the first F_SEAL_WRITE is refused with EBUSY, as
 * when the hash thread's read holds a page).  Per thread. */
#ifndef MOUNTDB_FAULT_H
#define MOUNTDB_FAULT_H

#include "decode.h"

#ifdef MD_FAULT_INJECTION
/* Nonzero, with errno set, when a test asked step to fail. */
MD_HIDDEN int md_fault_fail_here (const char *step);
/* Nonzero when a test asked for a crash right after step (or kills the
 * process there: "kill_after_STEP"). */
MD_HIDDEN int md_fault_crash_here (const char *step);
/* The test hook named step is set ("tamper", "hold_lock"). */
MD_HIDDEN int md_fault_is (const char *step);
#else
/* The installed library has no hooks: they fold away at compile time. */
static inline int md_fault_fail_here (const char *step) { (void) step; return 0; }
static inline int md_fault_crash_here (const char *step) { (void) step; return 0; }
static inline int md_fault_is (const char *step) { (void) step; return 0; }
#endif

#endif
