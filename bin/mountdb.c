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

/* The write commands share one implementation (cmd_edit.c). */
#define EDIT_HELP(name) \
  static void help_##name (FILE *f) { cmd_edit_help (f, #name); }
EDIT_HELP (assign)
EDIT_HELP (unassign)
EDIT_HELP (swap)
EDIT_HELP (remap)
EDIT_HELP (scrub)
EDIT_HELP (reset)
EDIT_HELP (automount)
EDIT_HELP (apply)
EDIT_HELP (replay)

static const struct command commands[] = {
  { "show", cmd_show, cmd_show_help,
    "decode and group MountedDevices of offline SYSTEM hives" },
  { "check", cmd_check, cmd_check_help,
    "validate the drive-letter policy (rules V1-V11), fsck-style exit" },
  { "assign", cmd_edit, help_assign, "give a drive letter to a volume (W2)" },
  { "unassign", cmd_edit, help_unassign,
    "remove a drive letter, keeping Windows from re-adding it (W3)" },
  { "swap", cmd_edit, help_swap, "exchange two drive letters (W4)" },
  { "remap", cmd_edit, help_remap,
    "move names to a volume's new unique ID: MBR2GPT, clones (W1)" },
  { "scrub", cmd_edit, help_scrub,
    "delete entries of volumes that are gone (W5)" },
  { "reset", cmd_edit, help_reset, "delete all entries (W6)" },
  { "automount", cmd_edit, help_automount,
    "turn automatic drive letters on or off (W7)" },
  { "apply", cmd_edit, help_apply, "apply a declarative plan file" },
  { "replay", cmd_edit, help_replay,
    "write a dirty hive with its transaction logs applied (L rules)" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void vcli_error (const char *cmd, const char *fmt, va_list ap)
  __attribute__ ((format (printf, 2, 0)));

static void
vcli_error (const char *cmd, const char *fmt, va_list ap)
{
  struct sbuf out;
  sb_init (&out);
  char *msg = NULL;
  if (vasprintf (&msg, fmt, ap) < 0)
    msg = NULL;
  esc_text_utf8 (&out, msg ? msg : "out of memory");
  free (msg);
  fprintf (stderr, "mountdb%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "",
           sb_str (&out));
  sb_free (&out);
}

void
cli_error (const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vcli_error (cmd, fmt, ap);
  va_end (ap);
}

int
usage_error (const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vcli_error (cmd, fmt, ap);
  va_end (ap);
  fprintf (stderr, "Try 'mountdb %s%s--help' for more information.\n",
           cmd ? cmd : "", cmd ? " " : "");
  return EXIT_USAGE;
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
    c->help (stdout);
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
  return c->run (argc - 1, argv + 1);
}
