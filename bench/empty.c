/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The start-up floor for `make bench`: an empty C program, the least any
 * dynamically linked program costs to start.  mountdb --version is
 * measured against it (issue 14: <= 1.5x). */
int
main (void)
{
  return 0;
}
