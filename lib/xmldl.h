/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libxml2, loaded on first use (dlopen), as systemd loads its optional
 * libraries: only plans (parsing, RELAX NG validation) need it, and
 * linking it cost every program using libmountdb ~10 ms at start-up
 * (Debian's libxml2 pulls in ICU and libstdc++; issue 14).  A read never
 * maps it.
 *
 * Include this after the libxml2 headers: each libxml2 function the
 * library calls becomes a call through a pointer that md_xml_load() sets.
 * Code must call md_xml_load() (and check it) before any of them. */
#ifndef MOUNTDB_XMLDL_H
#define MOUNTDB_XMLDL_H

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include "decode.h"
#include "dlload.h"
#include "mountdb.h"

/* X(function) for every libxml2 function the library calls. */
#define MD_XML_FUNCTIONS(X) \
  X (xmlInitParser) X (xmlCreateMemoryParserCtxt) X (xmlCtxtUseOptions) \
  X (xmlParseDocument) X (xmlFreeParserCtxt) X (xmlStopParser) \
  X (xmlSAX2StartElementNs) X (xmlDocGetRootElement) X (xmlFreeDoc) \
  X (xmlGetLineNo) X (xmlHasProp) X (xmlGetNoNsProp) X (xmlNodeGetContent) \
  X (xmlRelaxNGNewMemParserCtxt) X (xmlRelaxNGSetParserStructuredErrors) \
  X (xmlRelaxNGParse) X (xmlRelaxNGFreeParserCtxt) X (xmlRelaxNGNewValidCtxt) \
  X (xmlRelaxNGSetValidStructuredErrors) X (xmlRelaxNGValidateDoc) \
  X (xmlRelaxNGFreeValidCtxt) X (xmlRelaxNGFree)

MD_XML_FUNCTIONS (MD_DL_DECLARE)
/* xmlFree is a variable (a function pointer) in libxml2. */
extern MD_HIDDEN xmlFreeFunc *md_dl_xmlFree;

/* md_dlload and md_dltry (dlload.h) for libxml2; path names the plan. */
MD_HIDDEN int md_xml_load (const char *path, mountdb_error *err);
MD_HIDDEN int md_xml_try (const char *soname, const char *path,
                          mountdb_error *err);

#ifndef MD_XMLDL_IMPL
#define xmlInitParser (*md_dl_xmlInitParser)
#define xmlCreateMemoryParserCtxt (*md_dl_xmlCreateMemoryParserCtxt)
#define xmlCtxtUseOptions (*md_dl_xmlCtxtUseOptions)
#define xmlParseDocument (*md_dl_xmlParseDocument)
#define xmlFreeParserCtxt (*md_dl_xmlFreeParserCtxt)
#define xmlStopParser (*md_dl_xmlStopParser)
#define xmlSAX2StartElementNs (*md_dl_xmlSAX2StartElementNs)
#define xmlDocGetRootElement (*md_dl_xmlDocGetRootElement)
#define xmlFreeDoc (*md_dl_xmlFreeDoc)
#define xmlGetLineNo (*md_dl_xmlGetLineNo)
#define xmlHasProp (*md_dl_xmlHasProp)
#define xmlGetNoNsProp (*md_dl_xmlGetNoNsProp)
#define xmlNodeGetContent (*md_dl_xmlNodeGetContent)
#define xmlRelaxNGNewMemParserCtxt (*md_dl_xmlRelaxNGNewMemParserCtxt)
#define xmlRelaxNGSetParserStructuredErrors \
  (*md_dl_xmlRelaxNGSetParserStructuredErrors)
#define xmlRelaxNGParse (*md_dl_xmlRelaxNGParse)
#define xmlRelaxNGFreeParserCtxt (*md_dl_xmlRelaxNGFreeParserCtxt)
#define xmlRelaxNGNewValidCtxt (*md_dl_xmlRelaxNGNewValidCtxt)
#define xmlRelaxNGSetValidStructuredErrors \
  (*md_dl_xmlRelaxNGSetValidStructuredErrors)
#define xmlRelaxNGValidateDoc (*md_dl_xmlRelaxNGValidateDoc)
#define xmlRelaxNGFreeValidCtxt (*md_dl_xmlRelaxNGFreeValidCtxt)
#define xmlRelaxNGFree (*md_dl_xmlRelaxNGFree)
#undef xmlFree
#define xmlFree (*md_dl_xmlFree)
#endif

#endif
