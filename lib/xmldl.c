/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libxml2 on demand (see xmldl.h), through the loader of dlload.h. */
#include <config.h>
#define MD_XMLDL_IMPL
#include "xmldl.h"
#include "dlload.h"

MD_XML_FUNCTIONS (MD_DL_DEFINE)
xmlFreeFunc *md_dl_xmlFree;

static const char *const names[] = {
  MD_XML_FUNCTIONS (MD_DL_NAME) "xmlFree", NULL
};
static void **const slots[] = {
  MD_XML_FUNCTIONS (MD_DL_SLOT) (void **) &md_dl_xmlFree
};

static void
init (void)
{
  md_dl_xmlInitParser ();
}

/* libxml2 keeps global state: the handle is never closed. */
static struct md_dllib xml = {
  MD_XML_SONAME, names, slots, init, "plans need libxml2", "libxml2", 0, "",
};

int
md_xml_load (const char *path, mountdb_error *err)
{
  return md_dlload (&xml, path, err);
}

int
md_xml_try (const char *soname, const char *path, mountdb_error *err)
{
  return md_dltry (&xml, soname, path, err);
}
