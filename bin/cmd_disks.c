/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mountdb disks: list disks, each partition with the unique ID Windows
 * stores for it and the spec to name it in assign and plans (issue 13).
 * A disk that cannot be read is reported and the others still listed. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountdb.h"
#include "cli.h"
#include "output.h"
#include "out_disks.h"
#include "escape.h"

void
cmd_disks_help (const struct command *c, FILE *f)
{
  cli_usage (f, c);
  fprintf (f,
    "List each DISK's partition table (MBR, GPT, dynamic, none) and its\n"
    "partitions: start, size, type, GPT attributes, filesystem, label,\n"
    "serial, the unique ID Windows stores for the volume and the volume\n"
    "spec to use in assign and plans (mbr:SIG:OFFSET, gpt:GUID).\n\n"
    "A DISK is a block device or a raw image (a loop device, qemu-nbd,\n"
    "ewfmount's or vhdimount's output file).  It is opened read-only (no\n"
    "links followed, access time kept: rule F1) and never written.\n\n"
    "Options:\n"
    "  -f, --format=FMT       text (default), json, jsonl, csv or xml\n"
    "      --sector-size=N    logical sector size: 512, 1024, 2048 or 4096\n"
    "                         (default: the device's; for an image 512, or\n"
    "                         4096 when a GPT is found there)\n"
    "  -h, --help             show this help and exit\n\n"
    "Formats: json is one schema-1 document {schema, version, disks[]};\n"
    "jsonl one disk object per line; csv one row per partition; xml\n"
    "follows %s/mountdb.rng.  A disk that cannot be read gets {path,\n"
    "error} (text: a message on standard error) and the rest is listed.\n\n"
    "Exit status: 0 every disk read (warnings about damaged tables\n"
    "included), 8 some disk could not be read or the output failed,\n"
    "16 usage error.\n",
    PKGDATADIR);
}

static int
parse_sector_size (const char *s, unsigned *out)
{
  char *end;
  unsigned long v = strtoul (s, &end, 10);
  if (*s == '\0' || *end != '\0'
      || (v != 512 && v != 1024 && v != 2048 && v != 4096))
    return -1;
  *out = (unsigned) v;
  return 0;
}

static void
print_doc (struct md_sbuf *b, enum out_format fmt, struct disk_result *r,
           size_t n)
{
  struct jw j;
  switch (fmt) {
  case FMT_TEXT:
    out_disks_text (b, r, n);
    break;
  case FMT_JSON:
  case FMT_JSONL:
    memset (&j, 0, sizeof j);
    md_sb_init (&j.b);
    j.pretty = fmt == FMT_JSON;
    if (fmt == FMT_JSON) {
      jw_open (&j, NULL, '{');
      jw_uint (&j, "schema", MOUNTDB_JSON_SCHEMA);
      jw_str (&j, "version", mountdb_version ());
      out_disks_json (&j, "disks", r, n);
      jw_close (&j, '}');
      md_sb_putc (&j.b, '\n');
    } else {
      for (size_t i = 0; i < n; i++) {
        out_disk_json (&j, NULL, &r[i]);
        md_sb_putc (&j.b, '\n');
      }
    }
    md_sb_puts (b, md_sb_str (&j.b));
    md_sb_free (&j.b);
    break;
  case FMT_CSV:
    out_disks_csv (b, r, n, 1);
    break;
  case FMT_XML:
    md_sb_printf (b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<mountdb schema=\"%d\" version=\"%s\">\n",
                  MOUNTDB_JSON_SCHEMA, mountdb_version ());
    out_disks_xml (b, r, n, 1);
    md_sb_puts (b, "</mountdb>\n");
    break;
  }
}

int
cmd_disks (const struct command *cmd, int argc, char **argv)
{
  static const struct option opts[] = {
    { "format", required_argument, NULL, 'f' },
    { "sector-size", required_argument, NULL, 's' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  enum out_format fmt = FMT_TEXT;
  unsigned sector_size = 0;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "f:h", opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      cmd_disks_help (cmd, stdout);
      return EXIT_OK;
    case 'f':
      if (out_format_parse (optarg, &fmt) < 0)
        return usage_error ("disks", "unknown format '%s'", optarg);
      break;
    case 's':
      if (parse_sector_size (optarg, &sector_size) < 0)
        return usage_error ("disks", "--sector-size: '%s' is not 512, 1024, "
                            "2048 or 4096", optarg);
      break;
    default:
      return usage_error ("disks", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc)
    return usage_error ("disks", "no DISK given");
  size_t n = (size_t) (argc - optind);
  struct disk_result *r = calloc (n, sizeof *r);
  mountdb_disk **disks = calloc (n, sizeof *disks);
  mountdb_error *errs = calloc (n, sizeof *errs);
  if (r == NULL || disks == NULL || errs == NULL) {
    free (r), free (disks), free (errs);
    cli_error ("disks", "out of memory");
    return EXIT_HIVE;
  }
  int rc = EXIT_OK;
  for (size_t i = 0; i < n; i++) {
    r[i].path = argv[optind + (int) i];
    if (mountdb_disk_open (r[i].path, sector_size, &disks[i], &errs[i]) < 0) {
      r[i].err = &errs[i];
      cli_error ("disks", "%s", errs[i].message);
      rc = EXIT_HIVE;
    }
    r[i].disk = disks[i];
  }
  struct md_sbuf b;
  md_sb_init (&b);
  print_doc (&b, fmt, r, n);
  if (b.err || md_sb_write (&b, stdout) < 0 || fflush (stdout) != 0) {
    cli_error ("disks", "cannot write the output");
    rc = EXIT_HIVE;
  }
  md_sb_free (&b);
  for (size_t i = 0; i < n; i++)
    mountdb_disk_close (disks[i]);
  free (r), free (disks), free (errs);
  return rc;
}
