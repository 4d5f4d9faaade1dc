/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The engine floor for `make bench`: the least any hivex-based tool must
 * do to show MountedDevices: open the file with hivex, find the key, read
 * every value's name, type and data.  mountdb is measured against this. */
#include <stdio.h>
#include <stdlib.h>
#include <hivex.h>

int
main (int argc, char **argv)
{
  if (argc != 2) {
    fprintf (stderr, "usage: floor HIVE\n");
    return 2;
  }
  hive_h *h = hivex_open (argv[1], 0);
  if (h == NULL) {
    perror (argv[1]);
    return 1;
  }
  hive_node_h key = hivex_node_get_child (h, hivex_root (h), "MountedDevices");
  size_t total = 0, n = 0;
  if (key) {
    hive_value_h *v = hivex_node_values (h, key);
    for (size_t i = 0; v && v[i]; i++, n++) {
      hive_type t;
      size_t len;
      char *name = hivex_value_key (h, v[i]);
      char *data = hivex_value_value (h, v[i], &t, &len);
      total += len;
      free (name);
      free (data);
    }
    free (v);
  }
  printf ("%zu values, %zu bytes\n", n, total);
  hivex_close (h);
  return 0;
}
