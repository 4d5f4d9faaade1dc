/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Plans, part 1: reading a plan file and validating it against the
 * embedded RELAX NG schema (lib/mountdb-plan.rng -> lib/plan-rng.h), with
 * messages that name the line.  plan.c builds and applies the result.
 *
 * Safety: the file is read once into memory (regular files only, at most
 * PLAN_MAX_BYTES); the parser gets no DTD at all (a DOCTYPE stops it, so
 * no external entity, no entity expansion), no network, at most
 * PLAN_MAX_ELEMENTS elements.  libxml2's messages are captured through
 * per-context handlers, never printed.  Every message is "PLAN:LINE: ...",
 * except when the file cannot be opened. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include "handle.h"
#include "edit.h"
#include "common/fullio.h"
#include "plan.h"
#include "lib/plan-rng.h" /* md_plan_rng[]: lib/mountdb-plan.rng */

/* libxml2 2.12 made the structured error const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *md_xml_error;
#else
typedef xmlErrorPtr md_xml_error;
#endif

#define PLAN_NS "urn:mountdb:plan:1"
#define PLAN_MAX_BYTES ((size_t) 1 << 20)
#define PLAN_MAX_ELEMENTS 10000

/* ---- messages ---------------------------------------------------------------- */

/* "PATH:LINE: message" (no line when line <= 0).  Returns code. */
int
md_plan_error (mountdb_error *err, int code, const char *path, long line,
            const char *fmt, ...)
{
  char msg[1024], where[4200];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  if (line > 0)
    snprintf (where, sizeof where, "%s:%ld", path, line);
  else
    snprintf (where, sizeof where, "%s", path);
  return md_error (err, code, 0, where, "%s", msg);
}

/* Text from the document or libxml2, fit for a one-line message: line
 * breaks and tabs become spaces, other controls '?', trailing whitespace
 * goes, long texts are cut. */
void
md_plan_clean_text (const char *s, char *out, size_t size)
{
  size_t n = s ? strlen (s) : 0, o = 0, max = size - 4;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r'
                   || s[n - 1] == '\t'))
    n--;
  for (size_t i = 0; i < n && o < max; i++) {
    unsigned char c = (unsigned char) s[i];
    out[o++] = c == '\n' || c == '\r' || c == '\t' ? ' '
               : (c < 0x20 || c == 0x7F) ? '?' : (char) c;
  }
  if (n > max) {
    memcpy (out + o, "...", 3);
    o += 3;
  }
  out[o] = '\0';
}

/* ---- parsing: libxml2 with hooks ----------------------------------------------- */

struct xml_state {
  int have;                  /* an error was recorded */
  int code;
  long line;
  char msg[800];
  int fallback;              /* an error without a line, kept in case */
  char fallback_msg[800];
  size_t nelements;
  const char *what;          /* "not well-formed XML", "not a valid plan" */
};

static void
note (struct xml_state *st, int code, long line, const char *fmt, ...)
  __attribute__ ((format (printf, 4, 5)));

static void
note (struct xml_state *st, int code, long line, const char *fmt, ...)
{
  if (st->have)
    return;
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (st->msg, sizeof st->msg, fmt, ap);
  va_end (ap);
  st->have = 1;
  st->code = code;
  st->line = line;
}

/* The line of an element: the parser hook keeps the exact number in
 * _private (node->line stops at 65535). */
long
md_plan_node_line (const xmlNode *n)
{
  if (n == NULL)
    return 0;
  if (n->type == XML_ELEMENT_NODE && n->_private != NULL)
    return (long) (intptr_t) n->_private;
  return xmlGetLineNo (n);
}

/* Hints for the messages libxml2's RELAX NG validator words tersely. */
static void
rng_hint (const xmlNode *n, const char *msg, char *out, size_t size)
{
  out[0] = '\0';
  if (strstr (msg, "failed to validate attributes") && n != NULL
      && n->type == XML_ELEMENT_NODE) {
    /* Name the required attributes that are missing: libxml2 does not. */
    static const char *const need[][3] = {
      { "remap", "from", "to" }, { "letter", "letter", "volume" },
      { "no-letter", "volume", NULL }, { "automount", "state", NULL },
    };
    size_t o = 0;
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) {
      if (strcmp ((const char *) n->name, need[k][0]) != 0)
        continue;
      for (int a = 1; a < 3 && need[k][a] && o < size; a++)
        if (!xmlHasProp (n, BAD_CAST need[k][a]))
          o += (size_t) snprintf (out + o, size - o, "%s%s", o ? ", " : 
                                  " (missing attribute ", need[k][a]);
      if (o && o < size)
        o += (size_t) snprintf (out + o, size - o, ";");
    }
    if (o >= size)
      return;
    o += (size_t) snprintf (out + o, size - o, o ? " attributes given:"
                            : " (attributes given:");
    int any = 0;
    for (const xmlAttr *a = n->properties; a && o < size; a = a->next) {
      char name[32], value[48];
      xmlChar *v = xmlNodeGetContent ((const xmlNode *) a);
      md_plan_clean_text ((const char *) a->name, name, sizeof name);
      md_plan_clean_text ((const char *) v, value, sizeof value);
      xmlFree (v);
      o += (size_t) snprintf (out + o, size - o, "%s %s=\"%s\"",
                              any ? "," : "", name, value);
      any = 1;
    }
    if (o < size)
      snprintf (out + o, size - o, "%s)", any ? "" : " none");
  } else if (strstr (msg, "Did not expect element"))
    snprintf (out, size, " (a plan holds remap, then letter, then "
              "no-letter elements, then at most one automount)");
  else if (strstr (msg, "Expecting a namespace"))
    snprintf (out, size, " (the root must be <mountdb-plan xmlns=\""
              PLAN_NS "\">)");
}

static void
take_error (struct xml_state *st, const xmlError *e)
{
  if (e == NULL || e->level == XML_ERR_WARNING || st->have)
    return;
  const xmlNode *n = e->node;
  long line = n ? md_plan_node_line (n) : 0;
  if (line <= 0)
    line = e->line;
  char msg[400], hint[300];
  md_plan_clean_text (e->message, msg, sizeof msg);
  hint[0] = '\0';
  if (e->domain == XML_FROM_RELAXNGV)
    rng_hint (n, msg, hint, sizeof hint);
  if (line > 0)
    note (st, MOUNTDB_E_INVAL, line, "%s: %s%s", st->what, msg, hint);
  else if (!st->fallback) {
    snprintf (st->fallback_msg, sizeof st->fallback_msg, "%s: %s%s",
              st->what, msg, hint);
    st->fallback = 1;
  }
}

static void
on_parse_error (void *ctx, md_xml_error e)
{
  xmlParserCtxtPtr p = ctx;
  take_error (p->_private, e);
}

static void
on_rng_error (void *data, md_xml_error e)
{
  take_error (data, e);
}

/* The unstructured SAX channels (some out-of-memory paths use them). */
static void
quiet (void *ctx, const char *msg, ...)
{
  (void) ctx;
  (void) msg;
}

static long
input_line (xmlParserCtxtPtr p)
{
  return p->input ? (long) p->input->line : 0;
}

/* No DTD: stopping here means no entity is ever declared, expanded or
 * loaded (XXE, "billion laughs"). */
static void
on_doctype (void *ctx, const xmlChar *name, const xmlChar *external_id,
            const xmlChar *system_id)
{
  xmlParserCtxtPtr p = ctx;
  (void) name;
  (void) external_id;
  (void) system_id;
  note (p->_private, MOUNTDB_E_INVAL, input_line (p),
        "a plan must not have a DOCTYPE (no DTD, no entities)");
  xmlStopParser (p);
}

static void
on_start (void *ctx, const xmlChar *localname, const xmlChar *prefix,
          const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
          int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
  xmlParserCtxtPtr p = ctx;
  struct xml_state *st = p->_private;
  long line = input_line (p);
  if (++st->nelements > PLAN_MAX_ELEMENTS) {
    note (st, MOUNTDB_E_TOOBIG, line, "more than %d elements: a plan holds "
          "at most %d", PLAN_MAX_ELEMENTS, PLAN_MAX_ELEMENTS);
    xmlStopParser (p);
    return;
  }
  xmlNodePtr parent = p->node;
  xmlSAX2StartElementNs (ctx, localname, prefix, uri, nb_namespaces,
                         namespaces, nb_attributes, nb_defaulted, attributes);
  if (p->node != NULL && p->node != parent && line > 0)
    p->node->_private = (void *) (intptr_t) line;
}

static int
read_plan (const char *path, char **out, size_t *outlen, mountdb_error *err)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int e = errno;
    return md_error (err, MOUNTDB_E_IO, e, path, "cannot open the plan: %s",
                     strerror (e));
  }
  struct stat sb;
  if (fstat (fd, &sb) < 0) {
    int e = errno;
    close (fd);
    return md_error (err, MOUNTDB_E_IO, e, path, "cannot read the plan: %s",
                     strerror (e));
  }
  if (!S_ISREG (sb.st_mode)) {
    close (fd);
    return md_error (err, MOUNTDB_E_NOTREG, 0, path,
                     "the plan is not a regular file");
  }
  char *buf = malloc (PLAN_MAX_BYTES + 1);
  if (buf == NULL) {
    close (fd);
    return md_error (err, MOUNTDB_E_NOMEM, 0, path, "out of memory");
  }
  ssize_t r = md_read_full (fd, buf, PLAN_MAX_BYTES + 1, -1);
  if (r < 0) {
    int e = errno;
    close (fd);
    free (buf);
    return md_error (err, MOUNTDB_E_IO, e, path,
                     "cannot read the plan: %s", strerror (e));
  }
  size_t len = (size_t) r;
  close (fd);
  if (len == 0) {
    free (buf);
    return md_plan_error (err, MOUNTDB_E_INVAL, path, 1, "the plan is empty "
                       "(expected <mountdb-plan xmlns=\"" PLAN_NS "\">)");
  }
  if (len > PLAN_MAX_BYTES) {
    long line = 1;
    for (size_t i = 0; i < PLAN_MAX_BYTES; i++)
      line += buf[i] == '\n';
    free (buf);
    unsigned long long size = (unsigned long long) sb.st_size;
    if (size <= PLAN_MAX_BYTES)
      size = PLAN_MAX_BYTES + 1;
    return md_plan_error (err, MOUNTDB_E_TOOBIG, path, line,
                       "the plan is larger than 1 MiB (%llu bytes; the "
                       "limit is reached on this line): split it",
                       size);
  }
  *out = buf;
  *outlen = len;
  return 0;
}

/* Parse and validate: returns 0 and the document, or an error. */
int
md_plan_load (const char *path, xmlDocPtr *out, mountdb_error *err)
{
  char *buf = NULL;
  size_t len = 0;
  int rc = md_xml_load (path, err); /* libxml2 is loaded here, not linked */
  if (rc < 0)
    return rc;
  rc = read_plan (path, &buf, &len, err);
  if (rc < 0)
    return rc;

  xmlInitParser ();
  struct xml_state st;
  memset (&st, 0, sizeof st);
  st.what = "not well-formed XML";
  xmlParserCtxtPtr p = xmlCreateMemoryParserCtxt (buf, (int) len);
  if (p == NULL) {
    free (buf);
    return md_error (err, MOUNTDB_E_NOMEM, 0, path, "out of memory");
  }
  /* No XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID or XINCLUDE. */
  xmlCtxtUseOptions (p, XML_PARSE_NONET);
  p->_private = &st;
  p->linenumbers = 1;
  p->sax->serror = on_parse_error;
  p->sax->error = quiet;
  p->sax->warning = quiet;
  p->sax->fatalError = quiet;
  p->sax->internalSubset = on_doctype;
  p->sax->startElementNs = on_start;
  xmlParseDocument (p);
  xmlDocPtr doc = p->myDoc;
  int wf = p->wellFormed;
  p->myDoc = NULL;
  xmlFreeParserCtxt (p);
  free (buf);
  if (st.have || !wf || doc == NULL || xmlDocGetRootElement (doc) == NULL) {
    xmlFreeDoc (doc);
    if (st.have)
      return md_plan_error (err, st.code, path, st.line, "%s", st.msg);
    return md_plan_error (err, MOUNTDB_E_INVAL, path, 1, "%s",
                       st.fallback ? st.fallback_msg
                       : "not well-formed XML (or out of memory)");
  }

  /* The schema: compiled from the embedded copy on each call (tens of
   * microseconds; no global state to guard). */
  memset (&st, 0, sizeof st);
  st.what = "not a valid plan";
  xmlRelaxNGParserCtxtPtr rp =
    xmlRelaxNGNewMemParserCtxt (md_plan_rng, (int) sizeof md_plan_rng - 1);
  xmlRelaxNGPtr schema = NULL;
  xmlRelaxNGValidCtxtPtr vc = NULL;
  if (rp != NULL) {
    xmlRelaxNGSetParserStructuredErrors (rp, on_rng_error, &st);
    schema = xmlRelaxNGParse (rp);
    xmlRelaxNGFreeParserCtxt (rp);
  }
  if (schema != NULL)
    vc = xmlRelaxNGNewValidCtxt (schema);
  if (vc == NULL) {
    xmlRelaxNGFree (schema);
    xmlFreeDoc (doc);
    if (st.have || st.fallback) /* a broken build: the .rng is tested */
      return md_error (err, MOUNTDB_E_INVAL, 0, path, "the embedded plan "
                       "schema does not compile: %s",
                       st.have ? st.msg : st.fallback_msg);
    return md_error (err, MOUNTDB_E_NOMEM, 0, path,
                     "cannot compile the plan schema (out of memory?)");
  }
  memset (&st, 0, sizeof st);
  st.what = "not a valid plan";
  xmlRelaxNGSetValidStructuredErrors (vc, on_rng_error, &st);
  int v = xmlRelaxNGValidateDoc (vc, doc);
  xmlRelaxNGFreeValidCtxt (vc);
  xmlRelaxNGFree (schema);
  if (v != 0) {
    long root = md_plan_node_line (xmlDocGetRootElement (doc));
    xmlFreeDoc (doc);
    if (v < 0 && !st.have && !st.fallback)
      return md_error (err, MOUNTDB_E_NOMEM, 0, path,
                       "cannot validate the plan (out of memory?)");
    if (st.have)
      return md_plan_error (err, st.code, path, st.line, "%s", st.msg);
    return md_plan_error (err, MOUNTDB_E_INVAL, path, root > 0 ? root : 1,
                       "%s", st.fallback ? st.fallback_msg
                       : "not a valid plan");
  }
  *out = doc;
  return 0;
}
