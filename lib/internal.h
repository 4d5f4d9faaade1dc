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
  int hashed;
  char sha256[65];
  uint8_t base[4096];        /* first bytes of the copy (the base block) */
  size_t base_len;
  md_undo undo;              /* the file as read: see above */
} md_image;
MD_HIDDEN int md_image_load (const char *path, unsigned flags, md_image *img,
                             mountdb_error *err);
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
struct mountdb_entry {
  uint16_t *name16;          /* stored name, UTF-16 units (Latin-1 widened) */
  size_t name16_len;
  char *name;                /* UTF-8 rendering */
  md_name nm;                /* classification (names.c) */
  char guid_text[37];        /* when nm.has_guid */
  mountdb_guid_info ginfo;
  uint32_t type;
  uint8_t *data;
  size_t len;
  mountdb_uid *uid;          /* REG_BINARY and readable only */
  int error;                 /* reading the value failed */
  size_t volume;             /* (size_t) -1 when none */
  size_t index;              /* value order */
};

struct mountdb_volume {
  size_t *members;           /* entry indexes, value order */
  size_t nmembers;
  const mountdb *db;
};

struct md_diag { int code; char *message; };

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
  size_t nentries;
  struct mountdb_volume *volumes;
  size_t nvolumes;
  struct md_diag *diags;
  size_t ndiags;
  int select_state;          /* enum mountdb_value_state */
  uint32_t select_current;
  int noautomount_state;
  uint32_t noautomount;
  struct mountdb_finding *findings; /* rules.c */
  size_t nfindings;
};

/* ---- logfiles.c: find, read and replay transaction logs (L rules) ---------- */
MD_HIDDEN int md_logs_attach (mountdb *db, const char *const *logs,
                              size_t nlogs, mountdb_error *err);
MD_HIDDEN void md_logs_free (mountdb *db);

/* ---- hive.c: everything hivex is asked ------------------------------------ */
MD_HIDDEN int md_hive_read (mountdb *db, const md_image *img,
                            mountdb_error *err);

/* ---- model.c ---------------------------------------------------------------- */
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

/* ---- edit.c: the transaction -------------------------------------------------- */
/* One value of the final list.  origin is the entry index it came from
 * (untouched values keep name, type and bytes), or -1 for a new value. */
struct md_val {
  uint16_t *name16;
  size_t n16;
  uint32_t type;
  uint8_t *data;
  size_t len;
  long origin;
};

struct mountdb_txn {
  const mountdb *db;
  struct md_val *vals;       /* final list, value order */
  size_t nvals;
  int automount;             /* -1 unchanged, 0 off, 1 on */
  struct mountdb_change *changes; /* computed on demand */
  size_t nchanges;
  int changes_valid;
};

/* Helpers edit.c shares with plan.c. */
struct md_txn_save {             /* a deep copy of the list, for rollback */
  struct md_val *vals;
  size_t nvals;
  int automount;
};
MD_HIDDEN int md_txn_save (const mountdb_txn *txn, struct md_txn_save *s);
/* Put the saved list back (consumes s). */
MD_HIDDEN void md_txn_restore (mountdb_txn *txn, struct md_txn_save *s);
MD_HIDDEN void md_txn_save_drop (struct md_txn_save *s);
/* Forget the cached change set after changing vals directly. */
MD_HIDDEN void md_txn_invalidate (mountdb_txn *txn);
/* A REG_BINARY value holds id. */
MD_HIDDEN int md_val_holds (const struct md_val *v, const uint8_t *id,
                            size_t len);
MD_HIDDEN int md_txn_has_id (const mountdb_txn *txn, const uint8_t *id,
                             size_t len);
/* Append a #{GUID} marker for id, GUID derived from it (W9, W11). */
MD_HIDDEN int md_txn_add_marker (mountdb_txn *txn, const uint8_t *id,
                                 size_t len);

/* spec.c: the unique ID a spec names in vals (after earlier edits).
 * LETTER / VOLUME_GUID specs need a REG_BINARY value of that name
 * (MOUNTDB_E_NOMATCH otherwise); MBR without an offset must match exactly
 * one ID (MOUNTDB_E_AMBIGUOUS lists them); MBR/GPT/HEX with a full ID
 * return it whether or not the hive has it.  *id points into vals or the
 * spec: copy it before changing vals. */
MD_HIDDEN int md_spec_resolve (const mountdb_spec *spec,
                               const struct md_val *vals, size_t nvals,
                               const uint8_t **id, size_t *len,
                               mountdb_error *err);
/* Name-based (version 5) GUID derived from a unique ID (W11).  Returns 0
 * or MOUNTDB_E_CRYPTO. */
MD_HIDDEN int md_guid_from_id (const uint8_t *id, size_t len,
                                const char *purpose, uint8_t out[16]);

#endif
