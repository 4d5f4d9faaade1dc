/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb devices: what its formats share, and its writers for batch.c
 * (text, CSV and XML in out_devices_{text,csv,xml}.c; JSON is the
 * library's, framed by out_json.c); mountdb(1), DEVICES.  The library
 * gives each device as a list of facts, each with its source (hive, key,
 * value); every format prints them in that order, so the formats cannot
 * drift apart.  Names from a hive are untrusted:
 * text and CSV escape them as show does, JSON exactly, XML as character
 * references or U+FFFD. */
#include <config.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "out_devices.h"
#include "escape.h"
#include "common/devsum.h"

/* A fact's value as people read it (unescaped UTF-8): VID and PID in the
 * 4 hex digits of their key name, a volume serial as Windows prints it
 * too (dir: XXXX-XXXX), times in ISO 8601 UTC. */
void
dev_fact_value (struct md_sbuf *b, const mountdb_fact *f)
{
  char t[40];
  switch (f->kind) {
  case MOUNTDB_FACT_STRING:
    md_sb_puts (b, f->str ? f->str : "");
    break;
  case MOUNTDB_FACT_BOOL:
    md_sb_puts (b, f->num ? "yes" : "no");
    break;
  case MOUNTDB_FACT_TIME:
    md_sb_puts (b, mountdb_filetime_format (f->num, t) == 0 ? t : "invalid");
    break;
  default:
    if (strcmp (f->field, "vid") == 0 || strcmp (f->field, "pid") == 0)
      md_sb_printf (b, "%04" PRIX64, f->num);
    else if (strcmp (f->field, "emd_volume_serial") == 0)
      md_sb_printf (b, "%" PRIu64 " (%04" PRIX64 "-%04" PRIX64 ")", f->num,
                    (f->num >> 16) & 0xffff, f->num & 0xffff);
    else
      md_sb_printf (b, "%" PRIu64, f->num);
    break;
  }
}

/* "SYSTEM", "user 1", "SOFTWARE": which hive of the join. */
static void
hive_tag (struct md_sbuf *b, const mountdb_devices *d, size_t hive)
{
  int role = mountdb_devices_hive_role (d, hive);
  if (role == MOUNTDB_ROLE_USER)
    md_sb_printf (b, "user hive %zu", hive);
  else if (role == MOUNTDB_ROLE_SOFTWARE)
    md_sb_puts (b, "SOFTWARE");
  else
    md_sb_puts (b, "SYSTEM");
}

/* Where a fact comes from, for text and CSV (unescaped). */
void
dev_source_words (struct md_sbuf *b, const mountdb_devices *d, size_t hive,
              const char *key, const char *value, int is_time)
{
  hive_tag (b, d, hive);
  if (key == NULL) {
    md_sb_puts (b, ": the hive's file path");
    return;
  }
  md_sb_puts (b, ": ");
  md_sb_puts (b, key);
  if (value == NULL)
    md_sb_puts (b, is_time ? " (LastWrite)" : " (key name)");
  else if (value[0] == '\0')
    md_sb_puts (b, " (default value)");
  else {
    md_sb_puts (b, " value ");
    md_sb_puts (b, value);
  }
}

/* ---- the writers (batch.c) ------------------------------------------------ */

/* One format's pieces: the document's head, a SYSTEM hive's join, a hive
 * that could not be joined (NULL: its message on stderr only, as show's
 * text does), what goes between two joins, the document's tail. */
struct devices_fmt {
  void (*head) (struct md_sbuf *b);
  void (*doc) (struct md_sbuf *b, const mountdb_devices *d);
  void (*error) (struct md_sbuf *b, const struct hive_result *r);
  const char *between;
  const char *tail;
};

static const struct devices_fmt text_fmt = {
  NULL, dev_text_doc, NULL, "\n", NULL,
};
static const struct devices_fmt csv_fmt = {
  dev_csv_header, dev_csv_doc, dev_csv_error, NULL, NULL,
};
static const struct devices_fmt xml_fmt = {
  dev_xml_head, dev_xml_doc, dev_xml_error, NULL, "</mountdb>\n",
};

/* The writer interface has no context: the batch's format and how many
 * joins are out, as show's text and XML writers keep theirs. */
static const struct devices_fmt *fmt_now;
static size_t joins_shown;

static int
flush (struct md_sbuf *b, FILE *f)
{
  int rc = b->err ? -1 : md_sb_write (b, f);
  md_sb_free (b);
  return rc < 0 ? -1 : 0;
}

static int
begin_with (FILE *f, const struct devices_fmt *df)
{
  struct md_sbuf b;
  md_sb_init (&b);
  fmt_now = df;
  joins_shown = 0;
  if (df->head)
    df->head (&b);
  return flush (&b, f);
}

static int
text_begin (FILE *f, size_t nhives)
{
  (void) nhives;
  return begin_with (f, &text_fmt);
}

static int
csv_begin (FILE *f, size_t nhives)
{
  (void) nhives;
  return begin_with (f, &csv_fmt);
}

static int
xml_begin (FILE *f, size_t nhives)
{
  (void) nhives;
  return begin_with (f, &xml_fmt);
}

static int
devices_hive (FILE *f, const struct hive_result *r, size_t index)
{
  (void) index;
  struct md_sbuf b;
  md_sb_init (&b);
  if (r->devices) {
    if (joins_shown++ > 0 && fmt_now->between)
      md_sb_puts (&b, fmt_now->between);
    fmt_now->doc (&b, r->devices);
  } else if (fmt_now->error)
    fmt_now->error (&b, r);
  return flush (&b, f);
}

static int
devices_end (FILE *f, size_t nhives)
{
  (void) nhives;
  return fmt_now->tail && fputs (fmt_now->tail, f) < 0 ? -1 : 0;
}

static const struct out_writer devices_text = {
  FMT_TEXT, text_begin, devices_hive, devices_end,
};
static const struct out_writer devices_csv = {
  FMT_CSV, csv_begin, devices_hive, devices_end,
};
static const struct out_writer devices_xml = {
  FMT_XML, xml_begin, devices_hive, devices_end,
};

const struct out_writer *
out_devices_writer_for (enum out_format fmt)
{
  switch (fmt) {
  case FMT_JSON:
  case FMT_JSONL:
    return out_writer_for (fmt);
  case FMT_CSV:
    return &devices_csv;
  case FMT_XML:
    return &devices_xml;
  default:
    return &devices_text;
  }
}
