/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb devices: the storage device history of one machine (issue 16),
 * the library's join (mountdb_devices_build) of a SYSTEM hive with its
 * users' NTUSER.DAT and SOFTWARE, printed by out_devices.c. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountdb.h"
#include "cli.h"
#include "batch.h"
#include "out_devices.h"

/* At most this many --user hives: a machine has a few users; the cap
 * keeps a runaway command line from opening thousands of hives. */
#define MAX_USERS 64

void
cmd_devices_help (const struct command *c, FILE *f)
{
  cli_usage (f, c);
  fprintf (f,
    "List every storage device the SYSTEM hive knows (Enum\\USBSTOR, SCSI,\n"
    "IDE, SD, SWD\\WPDBUSENUM), whether or not it still has a letter: its\n"
    "identity, its MountedDevices volumes (matched exactly, never by\n"
    "substring), its times, and which user opened it (MountPoints2 of each\n"
    "--user hive).  Every fact names the hive, key and value it came from.\n\n"
    "Every hive is opened read-only, read once, hashed with SHA-256 and\n"
    "listed in the output; a dirty hive is read with its transaction logs\n"
    "(found beside it) applied in memory.  No hive is ever written.\n\n"
    "Options:\n"
    "      --user=NTUSER.DAT  a user's hive (repeat for each user): the\n"
    "                         volumes that user's Explorer saw (MountPoints2)\n"
    "      --software=SOFTWARE  the SOFTWARE hive: portable device names\n"
    "                         (volume labels) and EMDMgmt labels and serials\n"
    "  -f, --format=FMT       text (default), json, jsonl, csv or xml\n"
    "      --json-array       json: the document inside an array\n"
    "      --no-hash          do not compute SHA-256 (faster in pipelines)\n"
    "      --unsafe           read damaged hives (hivex unsafe mode); every\n"
    "                         output marks the result as unsafe\n"
    "      --no-logs          read dirty hives without their transaction logs\n"
    "      --log=FILE         a transaction log of the SYSTEM hive (repeat;\n"
    "                         default: SYSTEM.LOG1, .LOG2, .LOG beside it;\n"
    "                         the other hives always use the ones beside them)\n"
    "  -q, --quiet            accepted for symmetry with show (no effect)\n"
    "  -h, --help             show this help and exit\n\n"
    "One SYSTEM hive a run (--jobs and --files-from are refused).\n\n"
    "Formats: text is one block per device, a person's summary first; json\n"
    "is one document (schema 1, devices section of mountdb(1)) whose every\n"
    "fact carries its source {hive, key, value}; jsonl is the same document\n"
    "on one line; csv is one row per device (and per volume no device\n"
    "holds); xml follows %s/mountdb.rng.\n\n"
    "Exit status: 0 every hive read and joined, 4 a hive of the wrong kind\n"
    "(a user hive given as SYSTEM, a SYSTEM hive given to --user, SOFTWARE\n"
    "misplaced: refused, nothing printed), 8 a hive could not be read or the\n"
    "output failed (nothing printed), 16 usage error.\n",
    PKGDATADIR);
}

/* A hive kind in words, and where a hive of that kind goes. */
static const char *
kind_words (int kind)
{
  switch (kind) {
  case MOUNTDB_HIVE_SYSTEM: return "a SYSTEM hive";
  case MOUNTDB_HIVE_NTUSER: return "a user hive (NTUSER.DAT)";
  case MOUNTDB_HIVE_SOFTWARE: return "a SOFTWARE hive";
  case MOUNTDB_HIVE_USRCLASS: return "a user's UsrClass.dat";
  default: return NULL;
  }
}

static const char *
kind_hint (int kind)
{
  switch (kind) {
  case MOUNTDB_HIVE_SYSTEM: return ": give it as the SYSTEM operand";
  case MOUNTDB_HIVE_NTUSER: return ": give it with --user";
  case MOUNTDB_HIVE_SOFTWARE: return ": give it with --software";
  default: return "";
  }
}

static int
wanted_kind (int role)
{
  return role == MOUNTDB_ROLE_USER ? MOUNTDB_HIVE_NTUSER
         : role == MOUNTDB_ROLE_SOFTWARE ? MOUNTDB_HIVE_SOFTWARE
         : MOUNTDB_HIVE_SYSTEM;
}

/* Open one hive of the join: 0, EXIT_HIVE (unreadable) or EXIT_FINDINGS
 * (readable, but of the wrong kind), each said on stderr naming the file. */
static int
open_hive (const char *path, int role, const struct batch *b, mountdb **out)
{
  mountdb_error err;
  memset (&err, 0, sizeof err);
  *out = NULL;
  /* --log names the SYSTEM hive's logs; the others use their own. */
  int rc = mountdb_open_with_logs (path, b->open_flags | MOUNTDB_OPEN_DEVICES,
                                   role == MOUNTDB_ROLE_SYSTEM ? b->logs : NULL,
                                   role == MOUNTDB_ROLE_SYSTEM ? b->nlogs : 0,
                                   out, &err);
  if (rc < 0) {
    cli_error ("devices", "%s", err.message[0] ? err.message
               : mountdb_strerror (rc));
    return EXIT_HIVE;
  }
  int kind = mountdb_hive_kind (*out);
  if (kind != wanted_kind (role)) {
    const char *w = kind_words (kind);
    cli_error ("devices", "%s: %s%s, not %s%s", path,
               w ? w : "a hive of kind ", w ? "" : mountdb_hive_kind_name (kind),
               kind_words (wanted_kind (role)), kind_hint (kind));
    mountdb_close (*out);
    *out = NULL;
    return EXIT_FINDINGS;
  }
  return 0;
}

int
cmd_devices (const struct command *cmd, int argc, char **argv)
{
  enum { OPT_USER = 0x100, OPT_SOFTWARE };
  static const struct option opts[] = {
    COMMON_OPTIONS,
    { "user", required_argument, NULL, OPT_USER },
    { "software", required_argument, NULL, OPT_SOFTWARE },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct batch b = { .fmt = FMT_TEXT, .mode = MODE_SHOW, .cmd = "devices" };
  const char *users[MAX_USERS];
  size_t nusers = 0;
  const char *software = NULL;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, COMMON_SHORT "h", opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      cmd_devices_help (cmd, stdout);
      return fflush (stdout) == 0 ? EXIT_OK : EXIT_HIVE;
    case OPT_USER:
      if (nusers == MAX_USERS)
        return usage_error ("devices", "at most %d --user hives",
                            MAX_USERS);
      users[nusers++] = optarg;
      break;
    case OPT_SOFTWARE:
      if (software != NULL)
        return usage_error ("devices", "--software given twice");
      software = optarg;
      break;
    default: {
      int rc = common_option (c, argc, argv, &b);
      if (rc != 0)
        return rc;
    }
    }
  }
  if (b.files_from != NULL || b.jobs != 0 || b.nul)
    return usage_error ("devices", "one SYSTEM hive a run: --jobs, "
                        "--files-from and --null are for show and check");
  if (optind >= argc)
    return usage_error ("devices", "missing SYSTEM hive");
  if (argc - optind > 1)
    return usage_error ("devices", "one SYSTEM hive a run, not %d (give "
                        "user hives with --user)", argc - optind);
  const char *system_path = argv[optind];
  if (strcmp (system_path, "-") == 0)
    return usage_error ("devices", "the SYSTEM hive must be a file (./- "
                        "names a file called -)");

  /* Every hive is opened before anything is printed: one unusable input
   * gives no output at all rather than a history missing its users. */
  mountdb *sys = NULL, *soft = NULL, *u[MAX_USERS];
  size_t nu = 0;
  int status = open_hive (system_path, MOUNTDB_ROLE_SYSTEM, &b, &sys);
  for (size_t i = 0; i < nusers; i++) {
    int rc = open_hive (users[i], MOUNTDB_ROLE_USER, &b, &u[nu]);
    if (rc == 0)
      nu++;
    status |= rc;
  }
  if (software != NULL)
    status |= open_hive (software, MOUNTDB_ROLE_SOFTWARE, &b, &soft);

  mountdb_devices *d = NULL;
  if (status == 0) {
    mountdb_error err;
    memset (&err, 0, sizeof err);
    int rc = mountdb_devices_build (sys, (const mountdb *const *) u, nu, soft,
                                    &d, &err);
    if (rc < 0) {
      cli_error ("devices", "%s", err.message[0] ? err.message
                 : mountdb_strerror (rc));
      status = rc == MOUNTDB_E_REFUSED ? EXIT_FINDINGS : EXIT_HIVE;
    }
  }
  if (d != NULL) {
    struct devices_out o = { .fmt = b.fmt };
    if (out_devices (stdout, d, &o) < 0 || fflush (stdout) != 0) {
      cli_error ("devices", "writing the output failed");
      status = EXIT_HIVE;
    }
    mountdb_devices_free (d);
  }
  for (size_t i = 0; i < nu; i++)
    mountdb_close (u[i]);
  if (soft)
    mountdb_close (soft);
  if (sys)
    mountdb_close (sys);
  /* Wrong kind and unreadable together: unreadable is the worse. */
  return status & EXIT_HIVE ? EXIT_HIVE : status;
}
