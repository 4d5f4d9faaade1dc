/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Output formats of the mountdb CLI.  Each writer only reads the model
 * (lib/mountdb.h); none decides policy.  Writers print into a stream that
 * holds the document until it is complete, so a failure leaves no partial
 * output; past 2 MiB it streams instead (batch.c says why). */
#ifndef MOUNTDB_OUTPUT_H
#define MOUNTDB_OUTPUT_H

#include <stdio.h>
#include "mountdb.h"

enum out_format { FMT_TEXT, FMT_JSON, FMT_JSONL, FMT_CSV, FMT_XML };

/* The JSON schema version, MOUNTDB_JSON_SCHEMA, is mountdb.h's. */

/* show prints the model (and findings in structured formats); check
 * prints findings. */
enum out_mode { MODE_SHOW = 0, MODE_CHECK = 1 };

/* One hive's result: either an open handle or the error met opening it.
 * mountdb_check has run on db; writers print the findings that
 * out_finding_shown accepts. */
struct hive_result {
  const char *path;             /* as given on the command line */
  const mountdb *db;            /* NULL when err applies */
  const mountdb_error *err;
  enum out_mode mode;
  const char *const *ignore;    /* NULL-terminated rule IDs (--ignore) */
  const struct disk_set *disks; /* --disk (out_disk.h), or NULL */
  const mountdb_correlation *corr; /* where each volume is, with --disk */
  const mountdb_devices *devices; /* devices: the join (db is its SYSTEM) */
};

/* 0 when --ignore names the finding's rule. */
int out_finding_shown (const struct hive_result *r, const mountdb_finding *f);

/* 1 and the GUID (no braces) when the volume's stable name is one Windows
 * 10 derives and does not store (V8): a Windows 10 hive, an MBR ID and no
 * stored volume GUID name.  Every format shows it marked "derived". */
int out_derived_guid (const mountdb *db, const mountdb_volume *v,
                      char out[37]);

/* A writer sees the batch: begin, one call per hive, end.  `index` counts
 * hives from 0 (CSV writes its header once, JSON separates documents). */
struct out_writer {
  enum out_format fmt;
  int (*begin) (FILE *f, size_t nhives);
  int (*hive) (FILE *f, const struct hive_result *r, size_t index);
  int (*end) (FILE *f, size_t nhives);
};

/* --json-array: --format=json is an array even for one hive (by default
 * one hive gives an object, several an array; both shapes are stable). */
extern int out_json_always_array;

const struct out_writer *out_writer_for (enum out_format fmt);
int out_format_parse (const char *s, enum out_format *fmt);

extern const struct out_writer out_text_writer;
extern const struct out_writer out_json_writer;
extern const struct out_writer out_jsonl_writer;
extern const struct out_writer out_csv_writer;
extern const struct out_writer out_xml_writer;

#endif
