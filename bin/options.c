/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Options shared by the reading commands. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include "cli.h"
#include "batch.h"

int
common_option (int c, int argc, char **argv, struct batch *b)
{
  (void) argc;
  switch (c) {
  case 'f':
    if (out_format_parse (optarg, &b->fmt) < 0)
      return usage_error (b->cmd, "unknown format '%s' (text, json, jsonl, "
                          "csv, xml)", optarg);
    return 0;
  case 'H':
    b->open_flags |= MOUNTDB_OPEN_NO_HASH;
    return 0;
  case 'U':
    b->open_flags |= MOUNTDB_OPEN_UNSAFE;
    return 0;
  case 'L':
    b->open_flags |= MOUNTDB_OPEN_NO_LOGS;
    return 0;
  case 'A':
    out_json_always_array = 1;
    return 0;
  case 'l':
    if (b->nlogs == 3)
      return usage_error (b->cmd, "at most 3 --log files");
    b->logs[b->nlogs++] = optarg;
    return 0;
  case 'j': {
    char *end;
    errno = 0;
    unsigned long n = strtoul (optarg, &end, 10);
    if (errno || end == optarg || *end || optarg[0] == '-' || n < 1 || n > 1024)
      return usage_error (b->cmd, "--jobs takes a number from 1 to 1024, "
                          "not '%s'", optarg);
    b->jobs = (unsigned) n;
    return 0;
  }
  case 'T':
    b->files_from = optarg;
    return 0;
  case '0':
    b->nul = 1;
    return 0;
  case 'q':
    b->quiet = 1;
    return 0;
  case ':':
    return usage_error (b->cmd, "option '%s' needs a value", argv[optind - 1]);
  default:
    return usage_error (b->cmd, "unknown option '%s'", argv[optind - 1]);
  }
}
