/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The writer's files share one write's state (struct wctx) and these
 * steps; nothing outside lib/write*.c and lib/report.c includes this.
 * write.c runs the steps in order (see there); each returns 0 or a
 * MOUNTDB_E_* code with w->err filled. */
#ifndef MOUNTDB_WRITE_INT_H
#define MOUNTDB_WRITE_INT_H

#include <sys/stat.h>
#include "fault.h"
#include "hive.h" /* the engine's handle: hivex only through its layer */
#include "write.h"
#include "common/sbuf.h" /* md_strdup_printf */

#define MD_MAX_CELL_DATA 16344u    /* H4: more is big data to Windows */
#define MD_MAX_NAME_UNITS 16383u   /* the registry's value name limit */
#define MD_NO_HANDLE ((uint64_t) 0)

struct stamp {
  uint64_t node;     /* nk cell (file offset), MD_NO_HANDLE when none */
  uint64_t time;     /* FILETIME to put there */
};

struct wctx {
  const mountdb *db;
  const mountdb_txn *txn;
  mountdb_write_opts o;
  mountdb_error *err;
  const char *target;        /* out, or the input itself in place */
  const char *named;         /* for messages: target, or (a dry run with
                                no target) the input */
  char *dir;                 /* the target's directory */
  const char *base;          /* the target's last component */
  struct stat in_st;         /* the input as it is on disk now */
  int in_st_ok;
  mode_t mode;               /* for the new file */
  char sha_before[65];
  /* times */
  int set_hdr_time;
  uint64_t hdr_time;
  uint64_t edit_time;        /* for keys whose values changed */
  /* what the engine did */
  struct stamp md, mm;       /* MountedDevices, mountmgr */
  int md_absent;             /* no key before, none after */
  /* files */
  char *tmp;
  int tmpfd;
  char *bak_tmp;
  int bakfd;
  char *backup;              /* the backup's final name, once made */
  int replaced;              /* the target now holds the new hive */
  int crashed;
  int dry;                   /* dry run: the result is built in a memfd
                                (tmp names it), no file is made */
  mountdb *vdb;              /* the temp file, read back */
  int lockfd;                /* in place: the target, flock'ed */
  struct md_scan scan;       /* the input's tree, without the changes */
};

/* The temp file's base block and first hbin header, read back. */
struct patch {
  uint8_t hdr[512];
  uint8_t hbin[32];
};

struct mountdb_report {
  char *output;
  char *backup;
  char *moved[MD_LOGS_MAX_MOVED];  /* "LOG -> LOG.mountdb-backup-..." */
  size_t nmoved;
  char sha_before[65];
  char sha_after[65];
  mountdb_header before;
  mountdb_header after;
  mountdb_change *changes;
  size_t nchanges;
};

/* ---- write_file.c: files and durability ----------------------------------- */
/* MOUNTDB_E_IO (MOUNTDB_E_NOMEM for ENOMEM): "path: step: strerror". */
MD_HIDDEN int md_w_io_fail (struct wctx *w, const char *path,
                            const char *step);
/* F1: the output is never the input, and it is a new file. */
MD_HIDDEN int md_w_check_target (struct wctx *w);
/* The input as it was read, hashed (and copied to outfd when >= 0). */
MD_HIDDEN int md_w_image_pass (const md_image *img, int outfd,
                               char out_hex[65]);
/* A file as it is on disk now. */
MD_HIDDEN int md_w_hash_fd (int fd, char out_hex[65]);
MD_HIDDEN int md_w_input_hash (struct wctx *w);
/* DIR/.BASE.mountdb-tmp-PID-XXXXXX; step names the fault hook (or NULL). */
MD_HIDDEN int md_w_make_temp (struct wctx *w, char **path, int *fd,
                              const char *step);
/* Dry run: the result in a memfd. */
MD_HIDDEN int md_w_mem_temp (struct wctx *w);
MD_HIDDEN int md_w_rename_noreplace (const char *from, const char *to,
                                     int *leftover);
MD_HIDDEN int md_w_fsync_dir (const char *dir);
MD_HIDDEN int md_w_sync_temp (struct wctx *w);
MD_HIDDEN int md_w_put_in_place (struct wctx *w);
MD_HIDDEN int md_w_sync_dir_or_undo (struct wctx *w);
MD_HIDDEN void md_w_cleanup (struct wctx *w, int failed);

/* ---- write_inplace.c ------------------------------------------------------ */
MD_HIDDEN int md_w_make_backup (struct wctx *w);
/* Locks the input (unless a dry run) and compares it with what was read. */
MD_HIDDEN int md_w_input_unchanged (struct wctx *w);
MD_HIDDEN void md_w_move_logs_aside (struct wctx *w,
                                     struct mountdb_report *r);

/* ---- write_hive.c: the engine --------------------------------------------- */
/* A bounded, printable rendering of a name for messages. */
MD_HIDDEN void md_w_name_for_msg (const uint16_t *u, size_t n, char *buf,
                                  size_t sz);
/* UTF-8 that hivex turns back into exactly these units; NULL with *why set
 * when none can, NULL with *why NULL when out of memory. */
MD_HIDDEN char *md_w_name_utf8 (const uint16_t *u, size_t n,
                                const char **why);
MD_HIDDEN int md_w_list_unchanged (const mountdb *db, const mountdb_txn *txn);
MD_HIDDEN int md_w_engine_build (struct wctx *w, hive_h **out);
MD_HIDDEN int md_w_commit (struct wctx *w, hive_h *h);

/* ---- write_patch.c -------------------------------------------------------- */
MD_HIDDEN int md_w_read_back (struct wctx *w, struct patch *p);
MD_HIDDEN int md_w_write_patch (struct wctx *w, struct patch *p);

/* ---- write_verify.c ------------------------------------------------------- */
MD_HIDDEN int md_w_scan_input (struct wctx *w);
MD_HIDDEN int md_w_verify (struct wctx *w);
MD_HIDDEN int md_w_policy (struct wctx *w);

/* ---- report.c ------------------------------------------------------------- */
MD_HIDDEN int md_w_report_new (struct wctx *w, mountdb_report **out);

#endif
