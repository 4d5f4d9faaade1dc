/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb check: validate the drive-letter policy (section 5, V rules),
 * with fsck-style exit codes. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountdb.h"
#include "cli.h"
#include "batch.h"
#include "out_disk.h"

void
cmd_check_help (const struct command *c, FILE *f)
{
  cli_usage (f, c);
  fprintf (f,
    "Validate SYSTEM\\MountedDevices the way the mount manager will read it\n"
    "at next boot, and say what Windows will do with each problem.\n\n"
    "Rules (see mountdb(1)): V1 missing key, V2 value types, V3 name grammar,\n"
    "V4 data shapes, V5 several letters for one volume, V6 names equal but\n"
    "for case, V7 letter and no-letter marker, V8 volume GUID names, V10 the\n"
    "system letter, V11 NoAutoMount or SanPolicy offline; with --disk: V9\n"
    "letters of volumes on none of the disks, V12 cloned disk signatures,\n"
    "V13 letters for no-drive-letter GPT partitions, V14 possibly dynamic\n"
    "volumes, and V10 a system letter on no NTFS volume; L1 dirty hive\n"
    "read without its logs, R1 unreadable value, R2 unreadable key, R3\n"
    "unsafe read, R4 not a SYSTEM hive, R5 differencing hive.\n\n"
    "Options:\n"
    COMMON_OPTIONS_HELP
    "      --fail-on=SEV      exit 4 on findings at or above SEV: error\n"
    "                         (default), warning or info\n"
    "      --ignore=RULE,...  do not report these rules (e.g. V8,V3)\n"
    "      --system-letter=X  the Windows volume's letter (default C)\n"
    "      --disk=PATH        a disk or raw image of the machine (repeat for\n"
    "                         each; opened once, read-only): says where each\n"
    "                         volume is (present, absent, unresolved), and adds\n"
    "                         V9, V12, V13, V14 and V10's NTFS check\n"
    "  -h, --help             show this help and exit\n\n"
    STDIN_HELP
    "Exit status (after fsck): 0 nothing at or above --fail-on, 4 findings\n"
    "at or above it, 8 a hive could not be read or the output failed,\n"
    "12 both (8|4: one hive unreadable, another with findings), 16 usage\n"
    "error.\n");
}

/* --ignore=V8,V3: split into a NULL-terminated list, checked against the
 * known rule IDs so a typo is not silently ignored. */
static int
parse_ignore (const char *arg, char ***list, size_t *n)
{
  static const char *const known[] = {
    "V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10", "V11",
    "V12", "V13", "V14", "L1", "R1", "R2", "R3", "R4", "R5",
  };
  char *copy = strdup (arg);
  if (copy == NULL)
    return -1;
  char *save = NULL;
  for (char *t = strtok_r (copy, ",", &save); t; t = strtok_r (NULL, ",", &save)) {
    size_t k;
    for (k = 0; k < sizeof known / sizeof known[0]; k++)
      if (strcmp (t, known[k]) == 0)
        break;
    if (k == sizeof known / sizeof known[0]) {
      usage_error ("check", "unknown rule '%s' in --ignore", t);
      free (copy);
      return -1;
    }
    char **l = realloc (*list, (*n + 2) * sizeof *l);
    if (l == NULL) {
      free (copy);
      return -1;
    }
    *list = l;
    l[(*n)++] = (char *) known[k];
    l[*n] = NULL;
  }
  free (copy);
  return 0;
}

int
cmd_check (const struct command *cmd, int argc, char **argv)
{
  enum { OPT_FAIL_ON = 1000, OPT_IGNORE, OPT_SYSTEM, OPT_DISK };
  static const struct option opts[] = {
    COMMON_OPTIONS,
    { "fail-on", required_argument, NULL, OPT_FAIL_ON },
    { "ignore", required_argument, NULL, OPT_IGNORE },
    { "system-letter", required_argument, NULL, OPT_SYSTEM },
    { "disk", required_argument, NULL, OPT_DISK },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct batch b = { .fmt = FMT_TEXT, .mode = MODE_CHECK, .cmd = "check",
                     .fail_on = MOUNTDB_SEV_ERROR };
  char **ignore = NULL;
  struct disk_set ds;
  memset (&ds, 0, sizeof ds);
  size_t nignore = 0;
  int c, status = EXIT_USAGE;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, COMMON_SHORT "h", opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      cmd_check_help (cmd, stdout);
      status = EXIT_OK;
      goto out;
    case OPT_FAIL_ON:
      b.fail_on = mountdb_severity_parse (optarg);
      if (b.fail_on < 0) {
        usage_error ("check", "--fail-on takes error, warning or info, not '%s'",
                     optarg);
        goto out;
      }
      break;
    case OPT_DISK:
      if (disk_set_add (&ds, optarg) < 0) {
        status = EXIT_HIVE;
        goto out;
      }
      break;
    case OPT_IGNORE:
      if (parse_ignore (optarg, &ignore, &nignore) < 0)
        goto out;
      break;
    case OPT_SYSTEM: {
      const char *s = optarg;
      if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))
          || !(s[1] == '\0' || (s[1] == ':' && s[2] == '\0'))) {
        usage_error ("check", "--system-letter takes a letter such as C or "
                     "C:, not '%s'", s);
        goto out;
      }
      b.system_letter = s[0];
      break;
    }
    default:
      if ((status = common_option (c, argc, argv, &b)) != 0)
        goto out;
      status = EXIT_USAGE;
    }
  }
  if ((status = batch_check_usage (&b, optind < argc)) != 0)
    goto out;
  b.ignore = (const char *const *) ignore;
  b.hives = argv + optind;
  b.nhives = (size_t) (argc - optind);
  int bad = ds.n ? disk_set_open (&ds, "check") : 0;
  b.disks = ds.n && bad >= 0 ? &ds : NULL;
  status = bad < 0 ? EXIT_HIVE : batch_run (&b);
  if (bad == 0 && disk_set_wait (b.disks) > 0) /* opened during the run */
    status |= EXIT_HIVE;
out:
  disk_set_free (&ds);
  free (ignore);
  return status;
}
