/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The model: the handle (struct mountdb) and what it owns - entries,
 * volumes, diagnostics, the log record and the findings list the rules
 * fill.  The reading stages (read.h) fill it, model.c classifies and
 * groups, handle.c's accessors only read it.  Nothing here prints. */
#ifndef MOUNTDB_MODEL_H
#define MOUNTDB_MODEL_H

#include <stdarg.h>
#include "decode.h"
#include "grow.h"
#include "error.h"
#include "evidence.h"
#include "diag.h"

/* ---- the model --------------------------------------------------------------- */
/* Per value: the strings and bytes live in the handle's arena (model.c),
 * one allocation per megabyte instead of four per value, and the counts
 * are 32 bits (a hive is under 4 GiB): a key of 100k values must fit in
 * 64 MiB beyond its hive (issue 10 item 8). */
struct md_entry_guid {       /* when nm.has_guid */
  mountdb_guid_info info;
  char text[37];
};

struct mountdb_entry {
  uint16_t *name16;          /* stored name, UTF-16 units (Latin-1 widened) */
  char *name;                /* UTF-8 rendering */
  uint8_t *data;
  mountdb_uid *uid;          /* REG_BINARY and readable only */
  struct md_entry_guid *guid;
  md_name nm;                /* classification (names.c) */
  uint32_t name16_len;
  uint32_t len;
  uint32_t type;
  uint32_t volume;           /* MD_NO_VOLUME when none */
  uint32_t index;            /* value order */
  int error;                 /* reading the value failed */
};
#define MD_NO_VOLUME UINT32_MAX

struct mountdb_volume {
  size_t *members;           /* entry indexes, value order (a slice of
                                the handle's one members array) */
  size_t nmembers;
  const mountdb *db;
};

/* rules.c: a list of findings, owned by whoever runs the rules into it. */
struct md_findings {
  struct mountdb_finding *v;
  size_t n, cap;
};

#define MD_LOGS_MAX_MOVED 3

struct md_log {
  mountdb_log_info info;     /* public view; strings point below */
  char *path;
  char sha256[65];
  char note[256];
};

struct mountdb {
  md_image img;              /* the sealed copy hivex reads (recovered
                                after replay, the file as read in its
                                undo record), kept for the writer */
  mountdb_header img_hdr;    /* base block of img */
  int logs_applied;
  char *logs_summary;
  uint32_t logs_first, logs_last;
  uint64_t logs_pages;
  struct md_log *logs;
  size_t nlogs;
  char *path;
  unsigned flags;
  uint64_t size;
  int hashed;
  char sha256[65];
  mountdb_header hdr;
  int key_state;
  uint64_t key_lastwrite;
  struct mountdb_entry *entries;
  size_t nentries, entries_cap;
  struct mountdb_volume *volumes;
  size_t nvolumes;
  size_t *members;           /* every volume's members, one array */
  struct md_arena_block *arena; /* model.c: names and data of the entries */
  size_t arena_left;
  size_t arena_blocks;          /* model.c: blocks so far (their size grows) */
  struct md_diags diags;     /* what the reading stages noticed (diag.h) */
  int select_state;          /* enum mountdb_value_state */
  uint32_t select_current;
  int noautomount_state;
  uint32_t noautomount;
  int select_default_state;  /* Select\Default */
  uint32_t select_default;
  uint32_t boot_cs;          /* control set the next boot loads, 0 none */
  int sanpolicy_state;       /* partmgr\Parameters\SanPolicy of boot_cs */
  uint32_t sanpolicy;
  int setup_state;           /* Setup\SystemSetupInProgress */
  uint32_t setup_in_progress;
  int hive_kind;             /* enum mountdb_hive_kind */
  int layered;               /* differencing hive (layer bits, regf 1.6) */
  int winver;                /* enum mountdb_winver */
  size_t nservices;          /* subkeys of boot_cs\Services */
  int mountmgr;              /* boot_cs\Services\mountmgr exists */
  struct md_findings findings; /* rules.c: mountdb_check's */
  struct md_devkeys *devkeys; /* MOUNTDB_OPEN_DEVICES: hive.c copies the
                                 device keys (dev.h), devices.c joins them */
};

/* ---- model.c ---------------------------------------------------------------- */
/* Room for n values at once (the value count is known up front). */
MD_HIDDEN int md_model_reserve (mountdb *db, size_t n);
/* Add one value (takes ownership of name16 and data). */
MD_HIDDEN int md_model_add_entry (mountdb *db, uint16_t *name16, size_t n16,
                                  int latin1, uint32_t type, uint8_t *data,
                                  size_t len, int error);
MD_HIDDEN int md_model_group (mountdb *db);
MD_HIDDEN void md_model_free (mountdb *db);

/* Why no boot control set was found, for messages: "Select\\Default
 * absent; Select\\Current 5, no ControlSet005". */
MD_HIDDEN const char *md_select_words (const mountdb *db, char *buf,
                                       size_t n);

#endif
