/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The engine floor for `make bench`: the least any hivex-based tool must
 * do to show MountedDevices: open the file with hivex, find the key, read
 * every value's name, type and data.  mountdb is measured against this.
 *
 *   floor HIVE                       one hive
 *   floor --jobs N --files-from LIST the hives named in LIST (one a line)
 *                                    on N threads: the floor's own scaling
 *                                    on this machine, beside mountdb's */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hivex.h>

static int
floor_one (const char *path, size_t *nvalues, size_t *nbytes)
{
  hive_h *h = hivex_open (path, 0);
  if (h == NULL)
    return -1;
  hive_node_h key = hivex_node_get_child (h, hivex_root (h), "MountedDevices");
  if (key) {
    hive_value_h *v = hivex_node_values (h, key);
    for (size_t i = 0; v && v[i]; i++, (*nvalues)++) {
      hive_type t;
      size_t len;
      char *name = hivex_value_key (h, v[i]);
      char *data = hivex_value_value (h, v[i], &t, &len);
      *nbytes += len;
      free (name);
      free (data);
    }
    free (v);
  }
  hivex_close (h);
  return 0;
}

static char **paths;
static size_t npaths, next;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *
worker (void *arg)
{
  size_t *done = arg;
  for (;;) {
    pthread_mutex_lock (&mu);
    size_t i = next++;
    pthread_mutex_unlock (&mu);
    if (i >= npaths)
      return NULL;
    size_t n = 0, b = 0;
    if (floor_one (paths[i], &n, &b) == 0)
      (*done)++;
  }
}

static int
batch (unsigned jobs, const char *list)
{
  FILE *f = fopen (list, "r");
  if (f == NULL) {
    perror (list);
    return 1;
  }
  char *line = NULL;
  size_t cap = 0, room = 0;
  ssize_t n;
  while ((n = getline (&line, &cap, f)) > 0) {
    if (line[n - 1] == '\n')
      line[--n] = '\0';
    if (npaths == room) {
      room = room ? 2 * room : 1024;
      if ((paths = realloc (paths, room * sizeof *paths)) == NULL)
        return 1;
    }
    if ((paths[npaths++] = strdup (line)) == NULL)
      return 1;
  }
  free (line);
  fclose (f);
  pthread_t tid[64];
  size_t done[64] = { 0 }, total = 0;
  if (jobs < 1 || jobs > 64)
    jobs = 1;
  for (unsigned t = 0; t < jobs; t++)
    if (pthread_create (&tid[t], NULL, worker, &done[t]) != 0)
      return 1;
  for (unsigned t = 0; t < jobs; t++) {
    pthread_join (tid[t], NULL);
    total += done[t];
  }
  printf ("%zu of %zu hives read\n", total, npaths);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 5 && strcmp (argv[1], "--jobs") == 0
      && strcmp (argv[3], "--files-from") == 0)
    return batch ((unsigned) atoi (argv[2]), argv[4]);
  if (argc != 2) {
    fprintf (stderr, "usage: floor HIVE\n"
             "       floor --jobs N --files-from LIST\n");
    return 2;
  }
  size_t n = 0, total = 0;
  if (floor_one (argv[1], &n, &total) < 0) {
    perror (argv[1]);
    return 1;
  }
  printf ("%zu values, %zu bytes\n", n, total);
  return 0;
}
