/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libxml2 on demand (see xmldl.h). */
#include <config.h>
#include <dlfcn.h>
#include <stdio.h>
#include <pthread.h>
#define MD_XMLDL_IMPL
#include "xmldl.h"
#include "error.h"

#define MD_XML_DEFINE(f) __typeof__ (f) *md_dl_##f;
MD_XML_FUNCTIONS (MD_XML_DEFINE)
#undef MD_XML_DEFINE
xmlFreeFunc *md_dl_xmlFree;

/* Resolve every symbol; the handle is never closed (libxml2 keeps global
 * state, and the pointers must stay valid). */
static int
resolve (void *h)
{
  void *p;
#define MD_XML_RESOLVE(f) \
  if ((p = dlsym (h, #f)) == NULL) \
    return -1; \
  *(void **) &md_dl_##f = p;
  MD_XML_FUNCTIONS (MD_XML_RESOLVE)
  MD_XML_RESOLVE (xmlFree)
#undef MD_XML_RESOLVE
  return 0;
}

static int
load_error (const char *soname, const char *path, const char *why,
            mountdb_error *err)
{
  return md_error (err, MOUNTDB_E_IO, 0, path,
                   "plans need libxml2 (%s), which cannot be loaded: %s; "
                   "install it (Debian: apt-get install libxml2)",
                   soname, why ? why : "unknown error");
}

int
md_xml_try (const char *soname, const char *path, mountdb_error *err)
{
  void *h = dlopen (soname, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL)
    return load_error (soname, path, dlerror (), err);
  dlclose (h);
  return 0;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;              /* 1 ok, -1 failed (set once) */
static char why[512];

static void
load_once (void)
{
  void *h = dlopen (MD_XML_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) {
    const char *e = dlerror ();
    snprintf (why, sizeof why, "%s", e ? e : "not found");
    loaded = -1;
    return;
  }
  if (resolve (h) < 0) {
    const char *e = dlerror ();
    snprintf (why, sizeof why, "%s", e ? e : "a symbol is missing");
    loaded = -1;
    return;
  }
  md_dl_xmlInitParser ();
  loaded = 1;
}

int
md_xml_load (const char *path, mountdb_error *err)
{
  pthread_once (&once, load_once);
  return loaded == 1 ? 0 : load_error (MD_XML_SONAME, path, why, err);
}
