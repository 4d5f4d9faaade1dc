/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The write commands: assign, unassign, swap, remap, scrub, reset,
 * automount, apply.  Each takes the hive first, builds one transaction
 * (W10) and hands it to the one writer (H1): to a new file (-o OUT) or in
 * place with a backup (--in-place).  --dry-run prints the change set. */
#include <config.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mountdb.h"
#include "cli.h"
#include "escape.h"
#include "report.h"
#include "grow.h"
#include "edit.h"
#include "common/fullio.h"
#include "common/timefmt.h"

/* ---- exit codes ------------------------------------------------------------------ */

/* Library errors -> documented exit codes: policy refusals 4, usage 16,
 * everything else (I/O, hive) 8. */
int
edit_fail (const struct edit *e, const mountdb_error *err, int rc)
{
  cli_error (e->op, "%s",
           err && err->message[0] ? err->message : mountdb_strerror (rc));
  switch (rc) {
  case MOUNTDB_E_REFUSED:
  case MOUNTDB_E_NOMATCH:
  case MOUNTDB_E_AMBIGUOUS:
  case MOUNTDB_E_EXISTS:
    return EXIT_FINDINGS;
  case MOUNTDB_E_INVAL:
    return EXIT_USAGE;
  default:
    return EXIT_HIVE;
  }
}

int
edit_warn (struct edit *e, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

int
edit_warn (struct edit *e, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  if (md_grow (&e->warnings, &e->warnings_cap, e->nwarnings,
               sizeof *e->warnings) < 0
      || (e->warnings[e->nwarnings] = strdup (buf)) == NULL)
    return -1;
  e->nwarnings++;
  return 0;
}

int
edit_spec (const struct edit *e, const char *text, mountdb_spec **out)
{
  mountdb_error err;
  int rc = mountdb_spec_parse (text, out, &err);
  if (rc < 0)
    return edit_fail (e, &err, rc);
  return 0;
}

int
edit_letter (const struct edit *e, const char *s, char *out)
{
  if (((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))
      && (s[1] == '\0' || (s[1] == ':' && s[2] == '\0'))) {
    *out = (char) toupper ((unsigned char) s[0]);
    return 0;
  }
  return usage_error (e->op, "'%s' is not a drive letter (such as E:)", s);
}

/* Read a list file: one entry of exactly `nwords` words per line, '#'
 * starts a comment, blank lines are skipped.  Each entry goes to fn with
 * its line number; a wrong word count, an over-long line or an error from
 * fn stops the reading with a message naming FILE:LINE. */
int
edit_read_list (struct edit *e, const char *path, int nwords, const char *what,
           int (*fn) (struct edit *e, char **words, void *ctx), void *ctx)
{
  FILE *f = fopen (path, "r");
  if (f == NULL) {
    cli_error (e->op, "%s: %s", path, strerror (errno));
    return EXIT_HIVE;
  }
  char line[4096];
  int rc = 0, lineno = 0;
  while (rc == 0 && fgets (line, sizeof line, f)) {
    lineno++;
    if (strchr (line, '\n') == NULL && !feof (f)) {
      cli_error (e->op, "%s:%d: line longer than %zu bytes", path, lineno, sizeof line - 1);
      rc = EXIT_USAGE;
      break;
    }
    char *hash = strchr (line, '#');
    if (hash)
      *hash = '\0';
    char *save = NULL, *w[3];
    int n = 0;
    for (char *t = strtok_r (line, " \t\r\n", &save); t;
         t = strtok_r (NULL, " \t\r\n", &save))
      if (n < 3)
        w[n++] = t;
      else
        n = 3; /* too many either way */
    if (n == 0)
      continue;
    if (n != nwords) {
      cli_error (e->op, "%s:%d: expected %s", path,
               lineno, what);
      rc = EXIT_USAGE;
      break;
    }
    rc = fn (e, w, ctx);
    if (rc != 0)
      cli_error (e->op, "(in %s:%d)", path, lineno);
  }
  fclose (f);
  return rc;
}

/* ---- help ------------------------------------------------------------------------ */

void
cmd_edit_help (const struct command *c, FILE *f)
{
  fprintf (f, "Usage: mountdb %s %s (-o OUT | --in-place | --dry-run) "
           "[OPTION]...\n%c%s.\n\n", c->name, c->usage,
           toupper ((unsigned char) c->summary[0]), c->summary + 1);
  if (c->edit->help)
    fputs (c->edit->help, f);
  fprintf (f,
    "\nWriting (the input is never changed unless --in-place):\n"
    "  -o, --output=OUT     write a new file OUT (must not exist); -o - writes\n"
    "                       the hive to standard output (not a terminal) and\n"
    "                       the report to standard error\n"
    "      --in-place       replace HIVE atomically, keeping a backup (HIVE is\n"
    "                       locked; refused if it changed since it was read)\n"
    "      --no-backup      with --in-place: no backup\n"
    "  -n, --dry-run        run every check of the write (same refusals and\n"
    "                       exit status), print the change set, write nothing;\n"
    "                       with -o or --in-place, their checks too\n"
    "      --force          write even if the result has new check errors\n"
    "      --discard-logs   write a dirty hive without its logs (they are lost)\n"
    "      --no-logs        do not replay the logs of a dirty hive\n"
    "      --log=FILE       a transaction log (repeat; default: beside HIVE)\n"
    "      --timestamp=T    now (default; honours SOURCE_DATE_EPOCH), keep,\n"
    "                       or an ISO 8601 UTC time (a real date)\n"
    "      --system-letter=X  the Windows volume's letter (default C)\n"
    "  -f, --format=FMT     report as text (default) or json\n"
    "  -h, --help           show this help and exit\n"
    "A HIVE named - is read from standard input (./- names a file): -o only.\n\n"
    "Exit status: 0 done (or nothing to do), 4 refused by policy or unsafe\n"
    "to write, 8 I/O or hive error, 16 usage error.\n");
}

/* ---- temp files and standard output (issue 10 item 10, issue 9 item 8) ---- */

/* Temp files of writers that were killed (kill -9, power loss) stay
 * beside the target as .BASE.mountdb-tmp-PID-XXXXXX: say so when the PID
 * is gone, so they can be removed (they are never the hive itself). */
static void
report_stale_temps (const struct edit *e, const char *target)
{
  const char *slash = strrchr (target, '/');
  const char *base = slash ? slash + 1 : target;
  char *dir = slash ? strndup (target, (size_t) (slash - target + (slash == target)))
                    : strdup (".");
  size_t plen = strlen (base) + sizeof MOUNTDB_TEMP_INFIX + 1;
  char *prefix = malloc (plen);
  DIR *d = dir && prefix ? opendir (dir) : NULL;
  if (d != NULL) {
    snprintf (prefix, plen, ".%s" MOUNTDB_TEMP_INFIX, base);
    size_t pl = strlen (prefix);
    struct dirent *de;
    while ((de = readdir (d)) != NULL) {
      if (strncmp (de->d_name, prefix, pl) != 0)
        continue;
      char *end;
      long pid = strtol (de->d_name + pl, &end, 10);
      if (*end != '-' || pid <= 0 || kill ((pid_t) pid, 0) == 0
          || errno != ESRCH)
        continue; /* not ours, or its writer is still running */
      cli_error (e->op, "warning: %s/%s was left by a writer (pid %ld) that "
                 "is gone, killed before it finished: it is not the hive "
                 "and can be removed (rm)", dir, de->d_name, pid);
    }
    closedir (d);
  }
  free (prefix);
  free (dir);
}

/* -o -: the write goes, verified as any, to a private temp directory and
 * is then copied to standard output (never a terminal). */
static int
stdout_begin (struct edit *e, char *tmpl, size_t len)
{
  if (isatty (STDOUT_FILENO))
    return usage_error (e->op, "-o - writes the hive to standard output, "
                        "which is a terminal: redirect it (> FILE, | CMD) or "
                        "name a file");
  const char *td = getenv ("TMPDIR");
  snprintf (tmpl, len, "%s/mountdb-stdout-XXXXXX", td && *td ? td : "/tmp");
  if (mkdtemp (tmpl) == NULL) {
    cli_error (e->op, "cannot make a temp directory in %s: %s",
               td && *td ? td : "/tmp", strerror (errno));
    return EXIT_HIVE;
  }
  size_t n = strlen (tmpl);
  snprintf (tmpl + n, len - n, "/hive");
  e->out = tmpl;
  return 0;
}

static int
stdout_finish (struct edit *e, int written)
{
  int status = EXIT_OK;
  if (written) {
    int fd = open (e->out, O_RDONLY | O_CLOEXEC);
    char buf[65536];
    ssize_t n = fd < 0 ? -1 : 0;
    void (*old) (int) = signal (SIGPIPE, SIG_IGN); /* EPIPE, then clean up */
    while (fd >= 0 && (n = read (fd, buf, sizeof buf)) > 0) {
      if (md_write_full (STDOUT_FILENO, buf, (size_t) n, -1) < 0) {
        n = -1;
        break;
      }
    }
    if (n < 0) {
      cli_error (e->op, "writing the hive to standard output: %s",
                 strerror (errno));
      status = EXIT_HIVE;
    }
    signal (SIGPIPE, old);
    if (fd >= 0)
      close (fd);
    unlink (e->out);
  }
  char *slash = strrchr (e->out, '/');
  *slash = '\0';
  rmdir (e->out);
  return status;
}

/* "assign E: SYSTEM F:": the first argument is no file but reads as a
 * drive letter or volume: the arguments are out of order (a usage error
 * that says what was expected, not "E:: cannot open"). */
static int
wrong_order (const struct edit *e, const struct command *cmd,
             const char *hive)
{
  struct stat st;
  mountdb_spec *sp = NULL;
  if (lstat (hive, &st) == 0 || errno != ENOENT
      || mountdb_spec_parse (hive, &sp, NULL) < 0)
    return 0;
  mountdb_spec_free (sp);
  usage_error (e->op, "'%s' is no file but a drive letter or volume: the "
               "hive comes first: mountdb %s %s", hive, cmd->name,
               cmd->usage);
  return 1;
}

int
cmd_edit (const struct command *cmd, int argc, char **argv)
{
  enum { OPT_IN_PLACE = 1000, OPT_NO_BACKUP, OPT_FORCE, OPT_DISCARD,
         OPT_TIMESTAMP, OPT_SYSTEM, OPT_MOVE, OPT_TAKE, OPT_ALLOW_AUTO,
         OPT_TABLE, OPT_SIG, OPT_KEEP, OPT_INVENTORY, OPT_ALL_SHAPES,
         OPT_KEEP_SYSTEM, OPT_NEW, OPT_TO_DISK, OPT_FROM_DISK, OPT_DISK,
         OPT_DISKS_COMPLETE };
  static const struct option opts[] = {
    { "output", required_argument, NULL, 'o' },
    { "in-place", no_argument, NULL, OPT_IN_PLACE },
    { "no-backup", no_argument, NULL, OPT_NO_BACKUP },
    { "dry-run", no_argument, NULL, 'n' },
    { "force", no_argument, NULL, OPT_FORCE },
    { "discard-logs", no_argument, NULL, OPT_DISCARD },
    { "timestamp", required_argument, NULL, OPT_TIMESTAMP },
    { "system-letter", required_argument, NULL, OPT_SYSTEM },
    { "format", required_argument, NULL, 'f' },
    { "move", no_argument, NULL, OPT_MOVE },
    { "take", no_argument, NULL, OPT_TAKE },
    { "new", no_argument, NULL, OPT_NEW },
    { "allow-auto", no_argument, NULL, OPT_ALLOW_AUTO },
    { "table", required_argument, NULL, OPT_TABLE },
    { "disk-signature", required_argument, NULL, OPT_SIG },
    { "keep", required_argument, NULL, OPT_KEEP },
    { "inventory", required_argument, NULL, OPT_INVENTORY },
    { "all-shapes", no_argument, NULL, OPT_ALL_SHAPES },
    { "keep-system", no_argument, NULL, OPT_KEEP_SYSTEM },
    { "to-disk", required_argument, NULL, OPT_TO_DISK },
    { "from-disk", required_argument, NULL, OPT_FROM_DISK },
    { "disk", required_argument, NULL, OPT_DISK },
    { "disks-complete", no_argument, NULL, OPT_DISKS_COMPLETE },
    { "no-logs", no_argument, NULL, 'L' },
    { "log", required_argument, NULL, 'l' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct edit e;
  memset (&e, 0, sizeof e);
  e.op = cmd->name;
  mountdb_write_opts_init (&e.wo);
  unsigned used = 0;
  int c, status = EXIT_USAGE, ts_given = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "o:nf:h", opts, NULL)) != -1) {
    switch (c) {
    case 'o': e.out = optarg; break;
    case OPT_IN_PLACE: e.in_place = 1; break;
    case OPT_NO_BACKUP: e.no_backup = 1; break;
    case 'n': e.dry_run = 1; break;
    case OPT_FORCE: e.force = 1; break;
    case OPT_DISCARD: e.discard_logs = 1; break;
    case OPT_TIMESTAMP:
      ts_given = 1;
      if (strcmp (optarg, "now") == 0)
        e.wo.timestamp_mode = MOUNTDB_TS_NOW;
      else if (strcmp (optarg, "keep") == 0)
        e.wo.timestamp_mode = MOUNTDB_TS_KEEP;
      else if (md_iso_to_filetime (optarg, &e.wo.timestamp) == 0)
        e.wo.timestamp_mode = MOUNTDB_TS_FIXED;
      else {
        usage_error (e.op, "--timestamp takes now, keep or an ISO 8601 UTC "
                     "time such as 2024-01-31T12:00:00Z, not '%s'", optarg);
        goto out;
      }
      break;
    case OPT_SYSTEM:
      if (edit_letter (&e, optarg, &e.wo.system_letter) != 0)
        goto out;
      break;
    case 'f':
      if (strcmp (optarg, "json") == 0)
        e.json = 1;
      else if (strcmp (optarg, "text") != 0) {
        usage_error (e.op, "reports are text or json, not '%s'", optarg);
        goto out;
      }
      break;
    case OPT_MOVE: e.move = 1; used |= O_MOVE; break;
    case OPT_TAKE: e.take = 1; used |= O_TAKE; break;
    case OPT_NEW: e.is_new = 1; used |= O_NEW; break;
    case OPT_ALLOW_AUTO: e.allow_auto = 1; used |= O_ALLOW_AUTO; break;
    case OPT_TABLE: e.table = optarg; used |= O_TABLE; break;
    case OPT_SIG: e.disk_signature = optarg; used |= O_TABLE; break;
    case OPT_KEEP: {
      if (md_grow (&e.keep, &e.keep_cap, e.nkeep, sizeof *e.keep) < 0)
        goto out;
      e.keep[e.nkeep++] = optarg;
      used |= O_SCRUB;
      break;
    }
    case OPT_INVENTORY: e.inventory = optarg; used |= O_SCRUB; break;
    case OPT_ALL_SHAPES: e.all_shapes = 1; used |= O_SCRUB; break;
    case OPT_KEEP_SYSTEM: e.keep_system = 1; used |= O_KEEP_SYSTEM; break;
    case OPT_TO_DISK: e.to_disk = optarg; used |= O_TO_DISK; break;
    case OPT_FROM_DISK: e.from_disk = optarg; used |= O_TO_DISK; break;
    case OPT_DISK:
      if (md_grow (&e.disks, &e.disks_cap, e.ndisks, sizeof *e.disks) < 0)
        goto out;
      e.disks[e.ndisks++] = optarg;
      used |= O_SCRUB;
      break;
    case OPT_DISKS_COMPLETE: e.disks_complete = 1; used |= O_SCRUB; break;
    case 'L': e.open_flags |= MOUNTDB_OPEN_NO_LOGS; break;
    case 'l':
      if (e.nlogs == 3) {
        usage_error (e.op, "at most 3 --log files");
        goto out;
      }
      e.logs[e.nlogs++] = optarg;
      break;
    case 'h':
      cmd_edit_help (cmd, stdout);
      status = EXIT_OK;
      goto out;
    case ':':
      usage_error (e.op, "option '%s' needs a value", argv[optind - 1]);
      goto out;
    default:
      usage_error (e.op, "unknown option '%s'", argv[optind - 1]);
      goto out;
    }
  }
  if (used & ~cmd->edit->opts) {
    usage_error (e.op, "an option given does not apply to %s", e.op);
    goto out;
  }
  int nargs = argc - optind - 1;
  if (nargs < 0) {
    usage_error (e.op, "no HIVE given");
    goto out;
  }
  if (cmd->edit->nargs >= 0 && nargs != cmd->edit->nargs) {
    usage_error (e.op, "expected %s", cmd->usage);
    goto out;
  }
  if (e.out && e.in_place) {
    usage_error (e.op, "-o OUT and --in-place conflict: -o writes a new "
                 "file and leaves HIVE as it is, --in-place replaces HIVE; "
                 "give one");
    goto out;
  }
  if (!e.dry_run && !e.out && !e.in_place) {
    usage_error (e.op, "say where to write: -o OUT (a new file) or "
                 "--in-place (with a backup), or use --dry-run");
    goto out;
  }
  if (e.no_backup && !e.in_place) {
    usage_error (e.op, "--no-backup goes with --in-place");
    goto out;
  }
  /* Keep-copy whatever keep[] points to: read_inventory appends strdup'd
   * entries after the argv ones; only those are freed below. */
  size_t argv_keeps = e.nkeep;

  const char *hive = argv[optind];
  mountdb_error err;
  char stdout_path[4096];
  int to_stdout = 0;
  if (wrong_order (&e, cmd, hive))
    goto out_keep;
  to_stdout = !e.dry_run && e.out && strcmp (e.out, "-") == 0;
  if (to_stdout && (status = stdout_begin (&e, stdout_path,
                                           sizeof stdout_path)) != 0)
    goto out;
  if (strcmp (e.op, "replay") == 0 && !ts_given)
    e.wo.timestamp_mode = MOUNTDB_TS_KEEP; /* nothing was edited */
  int rc = mountdb_open_with_logs (hive, e.open_flags, e.logs, e.nlogs, &e.db,
                                   &err);
  if (rc < 0) {
    status = edit_fail (&e, &err, rc);
    goto out_keep;
  }
  rc = mountdb_txn_new (e.db, &e.txn, &err);
  if (rc < 0) {
    status = edit_fail (&e, &err, rc);
    goto out_keep;
  }
  char **args = argv + optind + 1;
  status = EXIT_OK;
  for (int i = 0; i < cmd->edit->letters && status == 0; i++)
    status = edit_letter (&e, args[i], &e.letter[i]);
  if (status == 0)
    status = cmd->edit->run (&e, args, nargs);
  if (status != 0)
    goto out_keep;

  struct report_info ri = { e.op, e.db, e.txn, NULL, e.dry_run, e.warnings,
                            e.nwarnings, to_stdout ? "-" : NULL };
  mountdb_report *rep = NULL;
  /* replay writes only what the logs recovered: a clean (or already
   * recovered) hive has nothing to write. */
  int replay = strcmp (e.op, "replay") == 0 && mountdb_logs_applied (e.db);
  if (mountdb_txn_change_count (e.txn) > 0 || replay) {
    e.wo.in_place = e.in_place;
    e.wo.backup = !e.no_backup;
    e.wo.force = e.force;
    e.wo.discard_logs = e.discard_logs;
    const char *target = e.in_place ? hive : e.out;
    if (!to_stdout && target && strcmp (target, "-") != 0)
      report_stale_temps (&e, target);
    /* A dry run goes through the same writer, which runs every check up
     * to creating files: same refusals, same messages, same exit. */
    rc = e.dry_run ? mountdb_write_dry_run (e.db, e.txn,
                                            e.out && strcmp (e.out, "-") == 0
                                            ? NULL : e.out, /* -o - */
                                            &e.wo, &rep, &err)
         : mountdb_write (e.db, e.txn, e.out, &e.wo, &rep, &err);
    if (rc < 0) {
      status = edit_fail (&e, &err, rc);
      goto out_keep;
    }
    if (!e.dry_run)
      ri.report = rep;
  }
  /* With -o -, standard output is the hive: the report goes to stderr. */
  FILE *rf = to_stdout ? stderr : stdout;
  if (to_stdout) {
    status = stdout_finish (&e, rep != NULL);
    to_stdout = 0;
    if (status != EXIT_OK)
      goto out_keep;
  }
  status = report_print (rf, &ri, e.json) == 0 && fflush (rf) == 0
           ? EXIT_OK : EXIT_HIVE;
  if (status != EXIT_OK)
    cli_error (e.op, "cannot write the report: %s",
             strerror (errno));
  mountdb_report_free (rep);
out_keep:
  if (to_stdout)
    stdout_finish (&e, 0); /* not written: remove the temp directory */
  for (size_t i = argv_keeps; i < e.nkeep; i++)
    free (e.keep[i]);
out:
  free (e.keep);
  free (e.disks);
  for (size_t i = 0; i < e.nwarnings; i++)
    free (e.warnings[i]);
  free (e.warnings);
  mountdb_txn_free (e.txn);
  mountdb_close (e.db);
  return status;
}
