/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libmountdb internals: the handle and what it owns.  Data flows one way:
 * evidence.c (bytes, hash) -> regf.c (base block) -> hive.c (hivex, the only
 * reader of hive structure) -> model.c (classify, decode, group) -> accessors
 * in handle.c.  Nothing here prints. */
#ifndef MOUNTDB_INTERNAL_H
#define MOUNTDB_INTERNAL_H

#include <stdarg.h>
#include "decode.h"
#include "undo.h"
#include "grow.h"

/* ---- error.c ------------------------------------------------------------- */
/* Fill err (may be NULL) with code, errno and "path: message".  Returns code. */
MD_HIDDEN int md_error (mountdb_error *err, int code, int sys_errno,
                        const char *path, const char *fmt, ...)
  __attribute__ ((format (printf, 5, 6)));

/* ---- evidence.c (F1, F2) -------------------------------------------------- */
/* An input read once into a sealed memfd, hashed on the way.  Changes made
 * to the copy before sealing (log replay, the checksum hivex wants) keep
 * the bytes they replace in undo, so the file as read is always memfd[0,
 * undo.len) with undo overlaid: backups and hashes come from there. */
typedef struct md_image {
  int memfd;                 /* -1 when not loaded */
  uint64_t size;             /* of the copy (>= undo.len after a replay) */
  uint64_t file_size;        /* bytes of the input (all hashed) */
  uint64_t cut;              /* bytes past the extent not kept (non-zero
                                ones among them): file_size - size at load */
  uint64_t extent;           /* what the extent function asked to keep */
  int from_stdin;            /* read from "-" (a pipe: no logs beside it) */
  int hashed;
  char sha256[65];
  uint8_t base[4096];        /* first bytes of the copy (the base block) */
  size_t base_len;
  md_undo undo;              /* the file as read: see above */
} md_image;
/* Bytes past a hive's bins kept in the copy (slack Windows leaves, room
 * the logs may grow the bins into); beyond, non-zero bytes are hashed but
 * not kept.  The memory bound is hive + this, logs included. */
#define MD_SLACK_KEEP ((uint64_t) 16 << 20)
/* How much of an input to keep, from its first bytes (len <= 4096, less
 * only when the input is shorter) and, when fd >= 0, reads (pread) of the
 * rest.  NULL: a hive (base block + bins + MD_SLACK_KEEP). */
typedef uint64_t (*md_extent_fn) (const uint8_t *base, size_t len, int fd,
                                  void *ctx);
/* path "-" reads standard input (a pipe or a file). */
MD_HIDDEN int md_image_load (const char *path, unsigned flags,
                             md_extent_fn extent, void *ctx, md_image *img,
                             mountdb_error *err);
/* The same from an open descriptor (read from its offset; always closed);
 * path only names it in messages. */
MD_HIDDEN int md_image_load_fd (int fd, const char *path, unsigned flags,
                                md_extent_fn extent, void *ctx,
                                md_image *img, mountdb_error *err);
/* Optionally overwrite the copy's checksum field (never the file), then
 * seal the copy against any change.  Returns 0 or -1 (errno). */
MD_HIDDEN int md_image_seal (md_image *img, const uint32_t *checksum);
/* Writable view of the unsealed copy with room bytes (the copy grows to
 * room, zeros, while mapped); md_image_unmap_rw with the copy's new length
 * (bytes past it are dropped, base reloaded).  Changes must be recorded in
 * img->undo.  NULL or -1 on failure (errno). */
MD_HIDDEN uint8_t *md_image_map_rw (md_image *img, uint64_t room);
MD_HIDDEN int md_image_unmap_rw (md_image *img, uint8_t *p, uint64_t room,
                                 uint64_t len);
/* Read-only view of the whole image; md_image_unmap when done. */
MD_HIDDEN const uint8_t *md_image_map (const md_image *img);
MD_HIDDEN void md_image_unmap (const md_image *img, const uint8_t *p);
MD_HIDDEN void md_image_release (md_image *img);

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

struct md_diag { int code; char *message; };

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
  struct md_diag *diags;
  size_t ndiags, diags_cap;
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
};

/* ---- handle.c --------------------------------------------------------------- */
/* mountdb_open of an open descriptor (consumed; no logs): the writer's dry
 * run reads its in-memory result back with it.  name is for messages. */
MD_HIDDEN int md_open_fd (int fd, const char *name, mountdb **out,
                          mountdb_error *err);

/* ---- logfiles.c: find, read and replay transaction logs (L rules) ---------- */
MD_HIDDEN int md_logs_attach (mountdb *db, const char *const *logs,
                              size_t nlogs, mountdb_error *err);
MD_HIDDEN void md_logs_free (mountdb *db);

/* ---- hive.c: everything hivex is asked ------------------------------------ */
MD_HIDDEN int md_hive_read (mountdb *db, const md_image *img,
                            mountdb_error *err);
/* The exact name of the vk cell at offset v of the image map (size bytes):
 * 0, or MD_NAME_PAST_CELL / MD_NAME_ODD when the stored name runs past
 * its cell / is UTF-16 of odd length (*out then holds what can be read:
 * such a name cannot be written back as it is), or -1. */
enum { MD_NAME_PAST_CELL = 1, MD_NAME_ODD = 2 };
MD_HIDDEN int md_hive_vk_name (const uint8_t *map, uint64_t size,
                                uint64_t v, uint16_t **out, size_t *n,
                                int *latin1, uint32_t *data_len);
/* handle.c: "a user hive (NTUSER.DAT)", ... for messages. */
MD_HIDDEN const char *md_hive_kind_words (int kind);
/* 0, or MOUNTDB_E_REFUSED (err says why) for a hive that must not be
 * written: not a SYSTEM hive, or a differencing hive. */
MD_HIDDEN int md_hive_writable (const mountdb *db, mountdb_error *err);
/* Why no boot control set was found, for messages: "Select\\Default
 * absent; Select\\Current 5, no ControlSet005". */
MD_HIDDEN const char *md_select_words (const mountdb *db, char *buf,
                                       size_t n);

/* ---- model.c ---------------------------------------------------------------- */
/* Room for n values at once (the value count is known up front). */
MD_HIDDEN int md_model_reserve (mountdb *db, size_t n);
/* Add one value (takes ownership of name16 and data). */
MD_HIDDEN int md_model_add_entry (mountdb *db, uint16_t *name16, size_t n16,
                                  int latin1, uint32_t type, uint8_t *data,
                                  size_t len, int error);
MD_HIDDEN int md_model_group (mountdb *db);
MD_HIDDEN int md_model_diag (mountdb *db, int code, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
MD_HIDDEN void md_model_free (mountdb *db);

/* ---- rules.c ------------------------------------------------------------------ */
MD_HIDDEN void md_rules_free (mountdb *db);
/* The V rules on db into out (emptied first; md_findings_free when done),
 * without touching db: a const handle stays const (mountdb_write runs
 * them on its input).  MOUNTDB_E_INVAL for a letter that is not A-Z (out
 * untouched), MOUNTDB_E_NOMEM (out empty). */
MD_HIDDEN int md_rules_run (const mountdb *db, char system_letter,
                            struct md_findings *out);
MD_HIDDEN void md_findings_free (struct md_findings *fs);
MD_HIDDEN const mountdb_finding *md_findings_get (const struct md_findings *fs,
                                                  size_t i);

/* ---- edit.c: the transaction (edit.h) ---------------------------------------- */
#include "edit.h"

/* The caller's write options (NULL: the defaults) into out, checked by
 * their struct_size (lib/opts.c).  0, or MOUNTDB_E_INVAL (err says why). */
MD_HIDDEN int md_write_opts_load (mountdb_write_opts *out,
                                  const mountdb_write_opts *in,
                                  const char *path, mountdb_error *err);

#endif
