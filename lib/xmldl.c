/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libxml2 on demand (see xmldl.h), through the loader of dlload.h. */
#include <config.h>
#include <stdio.h>
#define MD_XMLDL_IMPL
#include "xmldl.h"
#include "dlload.h"
#include "error.h"

#define MD_XML_DEFINE(f) __typeof__ (f) *md_dl_##f;
MD_XML_FUNCTIONS (MD_XML_DEFINE)
#undef MD_XML_DEFINE
xmlFreeFunc *md_dl_xmlFree;

#define MD_XML_NAME(f) #f,
static const char *const names[] = {
  MD_XML_FUNCTIONS (MD_XML_NAME) "xmlFree", NULL
};
#undef MD_XML_NAME
#define MD_XML_SLOT(f) (void **) &md_dl_##f,
static void **const slots[] = {
  MD_XML_FUNCTIONS (MD_XML_SLOT) (void **) &md_dl_xmlFree
};
#undef MD_XML_SLOT

static void
init (void)
{
  md_dl_xmlInitParser ();
}

/* libxml2 keeps global state: the handle is never closed. */
static struct md_dllib xml = { MD_XML_SONAME, names, slots, init, 0, "" };

static int
load_error (const char *soname, const char *path, const char *why,
            mountdb_error *err)
{
  return md_error (err, MOUNTDB_E_IO, 0, path,
                   "plans need libxml2 (%s), which cannot be loaded: %s; "
                   "install it (Debian: apt-get install libxml2)",
                   soname, why[0] ? why : "unknown error");
}

int
md_xml_try (const char *soname, const char *path, mountdb_error *err)
{
  char why[512];
  return md_dltry (soname, why, sizeof why) < 0
    ? load_error (soname, path, why, err) : 0;
}

int
md_xml_load (const char *path, mountdb_error *err)
{
  return md_dlload (&xml) < 0 ? load_error (MD_XML_SONAME, path, xml.why, err)
    : 0;
}
