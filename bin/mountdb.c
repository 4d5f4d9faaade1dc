/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb: the command line.  Dispatches to one file per command. */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountdb.h"
#include "cli.h"
#include "escape.h"

/* The one command table. */
static const struct command commands[] = {
  { "show", cmd_show, cmd_show_help,
    "decode and group MountedDevices of offline SYSTEM hives",
    "[OPTION]... HIVE...", NULL },
  { "check", cmd_check, cmd_check_help,
    "validate the drive-letter policy (rules V1-V11), fsck-style exit",
    "[OPTION]... HIVE...", NULL },
  { "disks", cmd_disks, cmd_disks_help,
    "list disks' partitions with the unique IDs and specs Windows uses",
    "[OPTION]... DISK...", NULL },
  { "devices", cmd_devices, cmd_devices_help,
    "storage device history: USB sticks, their letters, times and users",
    "[OPTION]... SYSTEM... [--software SOFTWARE] [--user NTUSER.DAT]...", NULL },
  { "assign", cmd_edit, cmd_edit_help, "give a drive letter to a volume (W2)",
    "HIVE X: VOLUME", &edit_assign },
  { "unassign", cmd_edit, cmd_edit_help,
    "remove a drive letter, keeping Windows from re-adding it (W3)",
    "HIVE X:", &edit_unassign },
  { "swap", cmd_edit, cmd_edit_help, "exchange two drive letters (W4)",
    "HIVE X: Y:", &edit_swap },
  { "remap", cmd_edit, cmd_edit_help,
    "move names to a volume's new unique ID: MBR2GPT, clones (W1)",
    "HIVE OLD NEW", &edit_remap },
  { "scrub", cmd_edit, cmd_edit_help,
    "delete entries of volumes that are gone (W5)", "HIVE", &edit_scrub },
  { "reset", cmd_edit, cmd_edit_help, "delete all entries (W6)", "HIVE",
    &edit_reset },
  { "automount", cmd_edit, cmd_edit_help,
    "turn automatic drive letters on or off (W7)", "HIVE on|off",
    &edit_automount },
  { "apply", cmd_edit, cmd_edit_help, "apply a declarative plan file",
    "HIVE PLAN.xml", &edit_apply },
  { "replay", cmd_edit, cmd_edit_help,
    "write a dirty hive with its transaction logs applied (L rules)", "HIVE",
    &edit_replay },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

void
cli_error (const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = NULL;
  if (vasprintf (&msg, fmt, ap) < 0)
    msg = NULL;
  va_end (ap);
  struct md_sbuf out;
  md_sb_init (&out);
  esc_text_utf8 (&out, msg ? msg : "out of memory");
  free (msg);
  fprintf (stderr, "mountdb%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "",
           md_sb_str (&out));
  md_sb_free (&out);
}

int
usage_hint (const char *cmd)
{
  fprintf (stderr, "Try 'mountdb %s%s--help' for more information.\n",
           cmd ? cmd : "", cmd ? " " : "");
  return EXIT_USAGE;
}

void
cli_usage (FILE *f, const struct command *c)
{
  fprintf (f, "Usage: mountdb %s %s\n", c->name, c->usage);
}

static void
main_help (FILE *f)
{
  fprintf (f,
           "Usage: mountdb COMMAND HIVE [ARG]... [OPTION]...\n"
           "Read the Windows mount manager database (SYSTEM\\MountedDevices)\n"
           "in offline registry hives.  Reading never changes an input; the\n"
           "write commands write a new file (-o) or replace the hive\n"
           "atomically with a backup (--in-place).\n\n"
           "Commands:\n");
  for (size_t i = 0; i < NCOMMANDS; i++)
    fprintf (f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (f,
           "  help       show help for a command\n\n"
           "Options:\n"
           "  -h, --help     show this help and exit (also after a command)\n"
           "  -V, --version  show the version and exit (--version also after\n"
           "                 a command)\n\n"
           "Exit status: 0 success, 4 check found problems or a write was refused,\n"
           "8 a hive could not be read or written, 16 usage error; check ORs 8|4 = 12.\n"
           "See mountdb(1) for output formats and rule IDs.\n");
}

static int
print_version (void)
{
  printf ("mountdb %s (hivex-based; JSON schema 1)\n", mountdb_version ());
  return fflush (stdout) == 0 ? EXIT_OK : EXIT_HIVE;
}

static const struct command *
find (const char *name)
{
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    return usage_error (NULL, "missing command");
  const char *a = argv[1];
  if (strcmp (a, "-h") == 0 || strcmp (a, "--help") == 0) {
    main_help (stdout);
    return fflush (stdout) == 0 ? EXIT_OK : EXIT_HIVE;
  }
  if (strcmp (a, "-V") == 0 || strcmp (a, "--version") == 0)
    return print_version ();
  if (strcmp (a, "help") == 0) {
    if (argc < 3) {
      main_help (stdout);
      return EXIT_OK;
    }
    const struct command *c = find (argv[2]);
    if (c == NULL)
      return usage_error (NULL, "unknown command '%s'", argv[2]);
    c->help (c, stdout);
    return EXIT_OK;
  }
  if (a[0] == '-')
    return usage_error (NULL, "unknown option '%s' (options follow the command)", a);
  const struct command *c = find (a);
  if (c == NULL)
    return usage_error (NULL, "unknown command '%s'", a);
  /* --version anywhere before "--", as --help is: mountdb show --version. */
  for (int i = 2; i < argc && strcmp (argv[i], "--") != 0; i++)
    if (strcmp (argv[i], "--version") == 0)
      return print_version ();
  return c->run (c, argc - 1, argv + 1);
}
