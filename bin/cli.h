/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared pieces of the mountdb command line. */
#ifndef MOUNTDB_CLI_H
#define MOUNTDB_CLI_H

#include <stdio.h>

/* Exit codes, after fsck(8); documented in mountdb(1). */
enum {
  EXIT_OK = 0,         /* every hive read (check: nothing at the threshold) */
  EXIT_FINDINGS = 4,   /* check: findings at or above --fail-on */
  EXIT_HIVE = 8,       /* some hive could not be read, or output failed */
  EXIT_USAGE = 16,     /* bad command line */
};

/* The command table (mountdb.c): one row a command drives dispatch,
 * `mountdb --help`, `mountdb CMD --help` and, through them, the check of
 * the man page's synopsis (bin/tests/man.sh). */
struct edit_op;
struct command {
  const char *name;
  int (*run) (const struct command *c, int argc, char **argv);
  void (*help) (const struct command *c, FILE *f);
  const char *summary;          /* one line, lower case, no full stop */
  const char *usage;            /* the operands: "HIVE X: VOLUME" */
  const struct edit_op *edit;   /* a write command's operation (edit.h) */
};

/* "Usage: mountdb NAME USAGE" and a newline. */
void cli_usage (FILE *f, const struct command *c);

int cmd_show (const struct command *c, int argc, char **argv);
void cmd_show_help (const struct command *c, FILE *f);
int cmd_check (const struct command *c, int argc, char **argv);
void cmd_check_help (const struct command *c, FILE *f);
int cmd_disks (const struct command *c, int argc, char **argv);
void cmd_disks_help (const struct command *c, FILE *f);
int cmd_devices (const struct command *c, int argc, char **argv);
void cmd_devices_help (const struct command *c, FILE *f);
/* The write commands: one driver (cmd_edit.c), one operation a file. */
int cmd_edit (const struct command *c, int argc, char **argv);
void cmd_edit_help (const struct command *c, FILE *f);
extern const struct edit_op edit_assign, edit_unassign, edit_swap,
  edit_remap, edit_scrub, edit_reset, edit_automount, edit_apply,
  edit_replay;

/* Options every reading command takes (options.c). */
struct batch;
#define COMMON_OPTIONS \
  { "format", required_argument, NULL, 'f' }, \
  { "no-hash", no_argument, NULL, 'H' }, \
  { "unsafe", no_argument, NULL, 'U' }, \
  { "no-logs", no_argument, NULL, 'L' }, \
  { "log", required_argument, NULL, 'l' }, \
  { "json-array", no_argument, NULL, 'A' }, \
  BATCH_OPTIONS
/* Batches (options.c, batch.c): the short ones join each command's
 * getopt string through COMMON_SHORT. */
#define BATCH_OPTIONS \
  { "jobs", required_argument, NULL, 'j' }, \
  { "files-from", required_argument, NULL, 'T' }, \
  { "null", no_argument, NULL, '0' }, \
  { "quiet", no_argument, NULL, 'q' }
#define COMMON_SHORT "f:j:T:0q"
#define COMMON_OPTIONS_HELP \
  "  -f, --format=FMT       text (default), json, jsonl, csv or xml; for\n" \
  "                         batches jsonl is recommended (one line per hive)\n" \
  "      --json-array       json: an array even for one hive (default: an\n" \
  "                         object for one hive, an array for several)\n" \
  "      --no-hash          do not compute SHA-256 (faster in pipelines)\n" \
  "      --unsafe           read damaged hives (hivex unsafe mode); every\n" \
  "                         output marks the result as unsafe\n" \
  "      --no-logs          read a dirty hive without its transaction logs\n" \
  "      --log=FILE         a transaction log (repeat; default: HIVE.LOG1,\n" \
  "                         HIVE.LOG2, HIVE.LOG beside the hive)\n" \
  BATCH_OPTIONS_HELP
#define BATCH_OPTIONS_HELP \
  "  -j, --jobs=N           read N hives at a time on N threads (default:\n" \
  "                         the number of online CPUs); output stays in\n" \
  "                         input order\n" \
  "  -T, --files-from=FILE  read the names of the hives from FILE (- is\n" \
  "                         standard input), one a line; each hive's\n" \
  "                         output is flushed as soon as it is done\n" \
  "  -0, --null             --files-from names end with NUL, not newline\n" \
  "  -q, --quiet            no progress line (shown on stderr only when\n" \
  "                         it is a terminal)\n"
/* After the options of a reading command. */
#define STDIN_HELP \
  "A HIVE named - is read from standard input (./- names a file).\n\n"
/* Handles one of COMMON_OPTIONS (or reports an unknown option): returns 0,
 * or EXIT_USAGE after printing why. */
int common_option (int c, int argc, char **argv, struct batch *b);

/* "mountdb CMD: " + message + newline on stderr (cmd may be NULL).  The
 * message is escaped as text output is (escape.h: controls as \xNN, hidden
 * characters as \u{XXXX}): it carries paths, arguments and library
 * messages, any of which may hold terminal escapes.  Every message the CLI
 * prints on stderr goes through here. */
void cli_error (const char *cmd, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

/* cli_error + the --help hint; returns EXIT_USAGE for convenience. */
#define usage_error(cmd, ...) \
  (cli_error ((cmd), __VA_ARGS__), usage_hint (cmd))
/* The --help hint alone; returns EXIT_USAGE. */
int usage_hint (const char *cmd);

#endif
