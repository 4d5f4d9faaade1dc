/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Output format registry: names on the command line -> writers. */
#include <config.h>
#include <string.h>
#include "output.h"
#include "common/shown.h"

static const struct {
  const char *name;
  enum out_format fmt;
  const struct out_writer *w;
} formats[] = {
  { "text", FMT_TEXT, &out_text_writer },
  { "json", FMT_JSON, &out_json_writer },
  { "jsonl", FMT_JSONL, &out_jsonl_writer },
  { "csv", FMT_CSV, &out_csv_writer },
  { "xml", FMT_XML, &out_xml_writer },
};
#define NFORMATS (sizeof formats / sizeof formats[0])

const struct out_writer *
out_writer_for (enum out_format fmt)
{
  for (size_t i = 0; i < NFORMATS; i++)
    if (formats[i].fmt == fmt)
      return formats[i].w;
  return &out_text_writer;
}

/* Exact, case-sensitive names: scripts should spell them one way. */
int
out_format_parse (const char *s, enum out_format *fmt)
{
  for (size_t i = 0; s != NULL && i < NFORMATS; i++)
    if (strcmp (s, formats[i].name) == 0) {
      *fmt = formats[i].fmt;
      return 0;
    }
  return -1;
}

/* Both decided in lib/common/shown.c, where the library's JSON asks too. */
int
out_finding_shown (const struct hive_result *r, const mountdb_finding *f)
{
  return !md_rule_ignored (r->ignore, mountdb_finding_rule (f));
}

int
out_derived_guid (const mountdb *db, const mountdb_volume *v, char out[37])
{
  return md_derived_guid (db, v, out);
}
