/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb devices: the storage device history of one machine (issue 16),
 * the library's join (mountdb_devices_build) of a SYSTEM hive with its
 * users' NTUSER.DAT and SOFTWARE, printed by out_devices.c; several
 * SYSTEM hives run through batch.c as show's do (issue 14). */
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
    BATCH_OPTIONS_HELP
    "  -h, --help             show this help and exit\n\n"
    "Several SYSTEM hives (operands or --files-from) are read as show reads\n"
    "them: on --jobs threads, each hive's output in input order, a hive that\n"
    "cannot be used reported in its place (its error document in json, jsonl,\n"
    "csv and xml) while the others go on.  --user and --software belong to\n"
    "one SYSTEM hive: with several they are refused (no key says which\n"
    "machine a user hive is from).\n\n"
    "Formats: text is one block per device, a person's summary first; json\n"
    "is one document (schema 1, devices section of mountdb(1)) whose every\n"
    "fact carries its source {hive, key, value}, an array of them for several\n"
    "SYSTEM hives; jsonl is the same document on one line per hive; csv is one row per device (and per volume no device\n"
    "holds); xml follows %s/mountdb.rng.\n\n"
    "Exit status, bits ORed over the SYSTEM hives: 0 every hive read and\n"
    "joined, 4 a hive of the wrong kind (a user hive given as SYSTEM, a\n"
    "SYSTEM hive given to --user, SOFTWARE misplaced: that join refused), 8\n"
    "a hive could not be read or the output failed, 16 usage error.  A\n"
    "refused or unreadable join lists no device: text prints nothing for it,\n"
    "the other formats its error (code refused or the reading error).\n",
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

/* Open one hive of the join into *out: 0, or EXIT_HIVE (unreadable) or
 * EXIT_FINDINGS (readable, but of the wrong kind) with err saying why,
 * naming the file. */
static int
open_hive (const char *path, int role, const struct batch *b, mountdb **out,
           mountdb_error *err)
{
  *out = NULL;
  /* --log names the SYSTEM hive's logs; the others use their own. */
  int rc = mountdb_open_with_logs (path, b->open_flags | MOUNTDB_OPEN_DEVICES,
                                   role == MOUNTDB_ROLE_SYSTEM ? b->logs : NULL,
                                   role == MOUNTDB_ROLE_SYSTEM ? b->nlogs : 0,
                                   out, err);
  if (rc < 0) {
    if (!err->message[0])
      snprintf (err->message, sizeof err->message, "%s: %s", path,
                mountdb_strerror (rc));
    return EXIT_HIVE;
  }
  int kind = mountdb_hive_kind (*out);
  if (kind != wanted_kind (role)) {
    const char *w = kind_words (kind);
    err->code = MOUNTDB_E_REFUSED;
    err->sys_errno = 0;
    snprintf (err->message, sizeof err->message, "%s: %s%s, not %s%s", path,
              w ? w : "a hive of kind ", w ? "" : mountdb_hive_kind_name (kind),
              kind_words (wanted_kind (role)), kind_hint (kind));
    mountdb_close (*out);
    *out = NULL;
    return EXIT_FINDINGS;
  }
  return 0;
}

/* The hives of one SYSTEM hive's join: --user and --software, which
 * belong to one machine (so to one SYSTEM operand). */
struct devices_opts {
  const char *users[MAX_USERS];
  size_t nusers;
  const char *software;
};

/* What a join holds open besides its SYSTEM hive (batch_item.own). */
struct devices_own {
  mountdb *users[MAX_USERS];
  size_t nusers;
  mountdb *software;
};

static void
devices_close (struct batch_item *it)
{
  struct devices_own *own = it->own;
  mountdb_devices_free (it->devices);
  it->devices = NULL;
  if (own != NULL) {
    for (size_t i = 0; i < own->nusers; i++)
      mountdb_close (own->users[i]);
    mountdb_close (own->software);
    free (own);
    it->own = NULL;
  }
  mountdb_close (it->db);
  it->db = NULL;
}

/* The step batch.c runs for each SYSTEM hive: open it and its user and
 * SOFTWARE hives, and join them.  Every hive is opened before anything
 * of this SYSTEM hive is printed: the first that cannot be used stops
 * the join (its message names it) rather than giving a history missing
 * its users. */
static void
devices_open (const struct batch *b, struct batch_item *it)
{
  const struct devices_opts *o = b->ctx;
  struct devices_own *own = calloc (1, sizeof *own);
  mountdb *sys = NULL;
  int status;
  if (own == NULL) {
    snprintf (it->err.message, sizeof it->err.message, "%s: %s", it->path,
              mountdb_strerror (MOUNTDB_E_NOMEM));
    it->err.code = MOUNTDB_E_NOMEM;
    it->unreadable = 1;
    return;
  }
  it->own = own;
  if (strcmp (it->path, "-") == 0) {
    /* A hive is read from a file: "-" in a list is no exception. */
    it->err.code = MOUNTDB_E_INVAL;
    snprintf (it->err.message, sizeof it->err.message, "-: the SYSTEM hive "
              "must be a file (./- names a file called -)");
    status = EXIT_HIVE;
  } else
    status = open_hive (it->path, MOUNTDB_ROLE_SYSTEM, b, &sys, &it->err);
  for (size_t i = 0; status == 0 && i < o->nusers; i++) {
    status = open_hive (o->users[i], MOUNTDB_ROLE_USER, b,
                        &own->users[own->nusers], &it->err);
    if (status == 0)
      own->nusers++;
  }
  if (status == 0 && o->software != NULL)
    status = open_hive (o->software, MOUNTDB_ROLE_SOFTWARE, b,
                        &own->software, &it->err);
  if (status == 0) {
    int rc = mountdb_devices_build (sys, (const mountdb *const *) own->users,
                                    own->nusers, own->software,
                                    &it->devices, &it->err);
    if (rc < 0) {
      if (!it->err.message[0])
        snprintf (it->err.message, sizeof it->err.message, "%s: %s",
                  it->path, mountdb_strerror (rc));
      status = rc == MOUNTDB_E_REFUSED ? EXIT_FINDINGS : EXIT_HIVE;
    }
  }
  it->db = sys;
  if (status != 0) {
    devices_close (it);
    it->unreadable = status == EXIT_HIVE;
    it->findings = status == EXIT_FINDINGS;
  }
}

static const struct batch_step devices_step = {
  devices_open, devices_close, out_devices_writer_for,
};

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
  static struct devices_opts dopts;
  struct batch b = { .fmt = FMT_TEXT, .mode = MODE_SHOW, .cmd = "devices",
                     .step = &devices_step, .ctx = &dopts };
  int c;
  memset (&dopts, 0, sizeof dopts);
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, COMMON_SHORT "h", opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      cmd_devices_help (cmd, stdout);
      return fflush (stdout) == 0 ? EXIT_OK : EXIT_HIVE;
    case OPT_USER:
      if (dopts.nusers == MAX_USERS)
        return usage_error ("devices", "at most %d --user hives",
                            MAX_USERS);
      dopts.users[dopts.nusers++] = optarg;
      break;
    case OPT_SOFTWARE:
      if (dopts.software != NULL)
        return usage_error ("devices", "--software given twice");
      dopts.software = optarg;
      break;
    default: {
      int rc = common_option (c, argc, argv, &b);
      if (rc != 0)
        return rc;
    }
    }
  }
  int rc = batch_check_usage (&b, optind < argc);
  if (rc != 0)
    return rc;
  /* --user and --software are one machine's: they cannot be paired with
   * several SYSTEM hives (no key says which machine a user hive is
   * from, and a path rule would guess). */
  if ((dopts.nusers || dopts.software)
      && (b.files_from != NULL || argc - optind > 1))
    return usage_error ("devices", "--user and --software belong to one "
                        "SYSTEM hive: give one SYSTEM hive with them, or "
                        "several (or --files-from) without them");
  for (int i = optind; i < argc; i++)
    if (strcmp (argv[i], "-") == 0)
      return usage_error ("devices", "the SYSTEM hive must be a file (./- "
                          "names a file called -)");
  b.hives = argv + optind;
  b.nhives = (size_t) (argc - optind);
  return batch_run (&b);
}
