/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb show: read, decode and group MountedDevices of each hive. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "mountdb.h"
#include "cli.h"
#include "batch.h"
#include "out_disk.h"

void
cmd_show_help (const struct command *c, FILE *f)
{
  cli_usage (f, c);
  fprintf (f,
    "Decode every value of SYSTEM\\MountedDevices and group the names by\n"
    "unique ID (one volume = all names with identical data).\n\n"
    "Each HIVE is opened read-only (no links followed, access time kept),\n"
    "read once and hashed with SHA-256 (rule F2); it is never written.\n\n"
    "Options:\n"
    COMMON_OPTIONS_HELP
    "      --disk=PATH        a disk or raw image of the machine (repeat for\n"
    "                         each; opened once, read-only): says where each\n"
    "                         volume is (present, absent, unresolved)\n"
    "  -h, --help             show this help and exit\n\n"
    STDIN_HELP
    "Formats: json is one schema-1 document: an object for one hive, an\n"
    "array for several (or with --json-array), with the findings of\n"
    "'mountdb check' included; jsonl, one document per hive per line, is\n"
    "the recommended batch form; csv is one row per value (with device\n"
    "vendor, product, serial, v1 GUID time and node, key LastWrite and\n"
    "SHA-256); xml follows %s/mountdb.rng.\n\n"
    "Exit status: 0 every hive read, 4 some hive is not a SYSTEM hive\n"
    "(a user hive, SOFTWARE, SAM...: rule R4), 8 some hive could not be\n"
    "read (the others are still shown) or the output failed, 12 both,\n"
    "16 usage error.\n",
    PKGDATADIR);
}

int
cmd_show (const struct command *cmd, int argc, char **argv)
{
  static const struct option opts[] = {
    COMMON_OPTIONS,
    { "disk", required_argument, NULL, 'D' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct batch b = { .fmt = FMT_TEXT, .mode = MODE_SHOW, .cmd = "show" };
  struct disk_set ds;
  memset (&ds, 0, sizeof ds);
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, COMMON_SHORT "h", opts, NULL)) != -1) {
    if (c == 'h') {
      cmd_show_help (cmd, stdout);
      disk_set_free (&ds);
      return EXIT_OK;
    }
    if (c == 'D') {
      if (disk_set_add (&ds, optarg) < 0) {
        disk_set_free (&ds);
        return EXIT_HIVE;
      }
      continue;
    }
    int rc = common_option (c, argc, argv, &b);
    if (rc != 0) {
      disk_set_free (&ds);
      return rc;
    }
  }
  int rc = batch_check_usage (&b, optind < argc);
  if (rc != 0) {
    disk_set_free (&ds);
    return rc;
  }
  b.hives = argv + optind;
  b.nhives = (size_t) (argc - optind);
  /* A disk that cannot be read is reported and the rest goes on; it
   * counts as an unreadable input (8). */
  int bad = ds.n ? disk_set_open (&ds, "show") : 0;
  b.disks = ds.n && bad >= 0 ? &ds : NULL;
  int status = bad < 0 ? EXIT_HIVE : batch_run (&b);
  if (bad == 0 && disk_set_wait (b.disks) > 0) /* opened during the run */
    status |= EXIT_HIVE;
  disk_set_free (&ds);
  return status;
}
