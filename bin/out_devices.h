/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb devices: the formats of the device history (out_devices.c). */
#ifndef MOUNTDB_OUT_DEVICES_H
#define MOUNTDB_OUT_DEVICES_H

#include <stdio.h>
#include "output.h"

/* The writers of `mountdb devices` (batch.c's interface: begin, one
 * call per SYSTEM hive with r->devices its join, or r->err, end): text,
 * CSV and XML here; json and jsonl are show's writers (out_json.c),
 * which print r->devices through mountdb_devices_json_write. */
const struct out_writer *out_devices_writer_for (enum out_format fmt);

/* ---- shared by the formats (out_devices.c) ---- */
#include "common/sbuf.h"

/* A fact's value as people read it (unescaped UTF-8): VID and PID in the
 * 4 hex digits of their key name, a volume serial as Windows prints it
 * (dir: XXXX-XXXX), times in ISO 8601 UTC. */
void dev_fact_value (struct md_sbuf *b, const mountdb_fact *f);
/* Where a fact comes from, for text and CSV (unescaped). */
void dev_source_words (struct md_sbuf *b, const mountdb_devices *d,
                       size_t hive, const char *key, const char *value,
                       int is_time);

/* Each format's pieces (out_devices_{text,csv,xml}.c): a join's whole
 * block, rows or element; the head of the document; a SYSTEM hive that
 * could not be joined. */
void dev_text_doc (struct md_sbuf *b, const mountdb_devices *d);
void dev_csv_header (struct md_sbuf *b);
void dev_csv_doc (struct md_sbuf *b, const mountdb_devices *d);
void dev_csv_error (struct md_sbuf *b, const struct hive_result *r);
void dev_xml_head (struct md_sbuf *b);
void dev_xml_doc (struct md_sbuf *b, const mountdb_devices *d);
void dev_xml_error (struct md_sbuf *b, const struct hive_result *r);

#endif
