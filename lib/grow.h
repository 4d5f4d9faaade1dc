/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One way to grow an array, shared by the library and the CLI (header-only:
 * the CLI cannot reach the library's hidden symbols).  The capacity doubles,
 * so n appends cost O(n) copies in all; growing by one element per append
 * made 100k-value keys quadratic (issue 10 item 8). */
#ifndef MOUNTDB_GROW_H
#define MOUNTDB_GROW_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Room for element n (the array *pp holds n elements of size bytes in *cap
 * slots): 0, or -1 with *pp unchanged when out of memory.  pp is the
 * address of the array pointer (any element type). */
static inline int
md_grow (void *pp, size_t *cap, size_t n, size_t size)
{
  if (n < *cap)
    return 0;
  size_t c = *cap >= 8 ? *cap : 8;
  while (c <= n) {
    if (c > SIZE_MAX / 2)
      return -1;
    c *= 2;
  }
  if (size == 0 || c > SIZE_MAX / size)
    return -1;
  void *old;
  memcpy (&old, pp, sizeof old);
  void *p = realloc (old, c * size);
  if (p == NULL)
    return -1;
  memcpy (pp, &p, sizeof p);
  *cap = c;
  return 0;
}

#endif
