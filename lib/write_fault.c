/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fault injection for tests (fault.h; the writer's steps in write.h). */
#include <config.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "fault.h"
#include "write.h"

#ifndef MD_FAULT_INJECTION
#error "test builds only: the installed library has no fault hooks"
#endif

/* ---- fault injection (tests only) -------------------------------------------- */

static _Thread_local char fault_step[48];
static _Thread_local int fault_err;

void
md_write_set_fault (const char *step, int err)
{
  if (step == NULL)
    fault_step[0] = '\0';
  else
    snprintf (fault_step, sizeof fault_step, "%s", step);
  fault_err = err;
}

/* Nonzero, with errno set, when a test asked this step to fail. */
int
md_fault_fail_here (const char *step)
{
  if (fault_step[0] == '\0' || strcmp (fault_step, step) != 0)
    return 0;
  errno = fault_err ? fault_err : EIO;
  return 1;
}

int
md_fault_crash_here (const char *step)
{
  /* kill_after_STEP: the process dies there, as under kill -9. */
  if (strncmp (fault_step, "kill_after_", 11) == 0
      && strcmp (fault_step + 11, step) == 0)
    raise (SIGKILL);
  return strncmp (fault_step, "crash_after_", 12) == 0
         && strcmp (fault_step + 12, step) == 0;
}

/* The test hook named step is set (no failure: "tamper"). */
int
md_fault_is (const char *step)
{
  return fault_step[0] != '\0' && strcmp (fault_step, step) == 0;
}
