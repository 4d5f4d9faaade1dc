/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Optional libraries on demand (see dlload.h). */
#include <config.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include "dlload.h"
#include "error.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void
set_why (char *why, size_t len, const char *fallback)
{
  const char *e = dlerror ();
  snprintf (why, len, "%s", e ? e : fallback);
}

static int
load (struct md_dllib *lib)
{
  void *h = dlopen (lib->soname, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) {
    set_why (lib->why, sizeof lib->why, "not found");
    return -1;
  }
  for (size_t i = 0; lib->names[i]; i++) {
    void *p = dlsym (h, lib->names[i]);
    if (p == NULL) {
      /* Not dlclose'd: pointers already set may point into it. */
      set_why (lib->why, sizeof lib->why, "a symbol is missing");
      return -1;
    }
    *lib->slots[i] = p;
  }
  if (lib->init)
    lib->init ();
  return 1;
}

static int
load_error (const struct md_dllib *lib, const char *soname, const char *why,
            const char *path, mountdb_error *err)
{
  return md_error (err, MOUNTDB_E_IO, 0, path,
                   "%s (%s), which cannot be loaded: %s; install it "
                   "(Debian: apt-get install %s)", lib->need, soname,
                   why[0] ? why : "unknown error", lib->package);
}

int
md_dlload (struct md_dllib *lib, const char *path, mountdb_error *err)
{
  pthread_mutex_lock (&lock);
  if (lib->state == 0)
    lib->state = load (lib);
  int s = lib->state;
  pthread_mutex_unlock (&lock);
  return s == 1 ? 0 : load_error (lib, lib->soname, lib->why, path, err);
}

int
md_dltry (const struct md_dllib *lib, const char *soname, const char *path,
          mountdb_error *err)
{
  char why[512];
  void *h = dlopen (soname, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) {
    set_why (why, sizeof why, "not found");
    return load_error (lib, soname, why, path, err);
  }
  dlclose (h);
  return 0;
}
