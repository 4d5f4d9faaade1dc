/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Disks: opening (F1), the handle and its accessors.  The probing itself
 * is disk_probe.c's. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>
#include "error.h"
#include "evidence.h"
#include "disk.h"

int
md_disk_warn (mountdb_disk *d, const char *fmt, ...)
{
  char *msg = NULL, *line = NULL;
  va_list ap;
  va_start (ap, fmt);
  int n = vasprintf (&msg, fmt, ap);
  va_end (ap);
  if (n < 0)
    return MOUNTDB_E_NOMEM;
  n = asprintf (&line, "%s: %s", d->path, msg);
  free (msg);
  if (n < 0)
    return MOUNTDB_E_NOMEM;
  char **w = realloc (d->warnings, (d->nwarnings + 1) * sizeof *w);
  if (w == NULL) {
    free (line);
    return MOUNTDB_E_NOMEM;
  }
  d->warnings = w;
  d->warnings[d->nwarnings++] = line;
  return 0;
}

mountdb_partition *
md_disk_add_partition (mountdb_disk *d)
{
  if (d->nparts == d->capparts) {
    size_t cap = d->capparts ? d->capparts * 2 : 8;
    mountdb_partition *p = realloc (d->parts, cap * sizeof *p);
    if (p == NULL)
      return NULL;
    d->parts = p;
    d->capparts = cap;
  }
  mountdb_partition *p = &d->parts[d->nparts++];
  memset (p, 0, sizeof *p);
  p->disk = d;
  return p;
}

static const char *
file_kind (mode_t m)
{
  if (S_ISDIR (m))
    return "a directory";
  if (S_ISFIFO (m))
    return "a FIFO";
  if (S_ISCHR (m))
    return "a character device";
  if (S_ISSOCK (m))
    return "a socket";
  return "not a regular file";
}

/* Size and, for a block device, its logical sector size. */
static int
disk_geometry (mountdb_disk *d, int fd, unsigned *dev_sector,
               mountdb_error *err)
{
  struct stat st;
  if (fstat (fd, &st) < 0)
    return md_error (err, MOUNTDB_E_IO, errno, d->path, "cannot stat: %s",
                     strerror (errno));
  *dev_sector = 0;
  if (S_ISREG (st.st_mode)) {
    d->size = (uint64_t) st.st_size;
  } else if (S_ISBLK (st.st_mode)) {
    uint64_t sz = 0;
    int ss = 0;
    if (ioctl (fd, BLKGETSIZE64, &sz) < 0)
      return md_error (err, MOUNTDB_E_IO, errno, d->path,
                       "cannot read the device size: %s", strerror (errno));
    if (ioctl (fd, BLKSSZGET, &ss) < 0 || ss <= 0)
      return md_error (err, MOUNTDB_E_IO, errno, d->path,
                       "cannot read the device's sector size: %s",
                       strerror (errno));
    d->size = sz;
    d->is_device = 1;
    *dev_sector = (unsigned) ss;
  } else {
    return md_error (err, MOUNTDB_E_NOTREG, 0, d->path,
                     "is %s, not a disk (a block device or a raw image "
                     "file)", file_kind (st.st_mode));
  }
  /* Reads block from here on (a device may be slow, never a FIFO). */
  int fl = fcntl (fd, F_GETFL);
  if (fl >= 0)
    (void) fcntl (fd, F_SETFL, fl & ~O_NONBLOCK);
  if (d->size == 0)
    return md_error (err, MOUNTDB_E_FORMAT, 0, d->path, "is empty");
  return 0;
}

static int
valid_sector_size (unsigned s)
{
  return s == 512 || s == 1024 || s == 2048 || s == 4096;
}

int
mountdb_disk_open (const char *path, unsigned sector_size,
                   mountdb_disk **out, mountdb_error *err)
{
  if (out)
    *out = NULL;
  if (path == NULL || out == NULL)
    return md_error (err, MOUNTDB_E_INVAL, 0, path, "no disk or no result");
  if (sector_size != 0 && !valid_sector_size (sector_size))
    return md_error (err, MOUNTDB_E_INVAL, 0, path,
                     "sector size %u: use 512, 1024, 2048 or 4096",
                     sector_size);
  mountdb_disk *d = calloc (1, sizeof *d);
  if (d == NULL || (d->path = strdup (path)) == NULL) {
    free (d);
    return md_error (err, MOUNTDB_E_NOMEM, 0, path, "out of memory");
  }
  int fd = md_open_evidence (path, "F1", err);
  if (fd < 0) {
    mountdb_disk_close (d);
    return fd;
  }
  unsigned dev_sector = 0;
  int r = disk_geometry (d, fd, &dev_sector, err);
  if (r == 0) {
    if (sector_size == 0 && dev_sector != 0)
      d->sector_size = dev_sector;
    else
      d->sector_size = sector_size ? sector_size : 512;
    if (d->size < d->sector_size)
      r = md_error (err, MOUNTDB_E_FORMAT, 0, path,
                    "is %llu bytes, less than one %u-byte sector",
                    (unsigned long long) d->size, d->sector_size);
  }
  if (r == 0)
    r = md_disk_probe (d, fd, sector_size != 0 || dev_sector != 0, err);
  close (fd);
  if (r < 0) {
    mountdb_disk_close (d);
    return r;
  }
  *out = d;
  return 0;
}

void
mountdb_disk_close (mountdb_disk *d)
{
  if (d == NULL)
    return;
  for (size_t i = 0; i < d->nparts; i++) {
    free (d->parts[i].fs);
    free (d->parts[i].label);
    free (d->parts[i].serial);
    free (d->parts[i].spec);
  }
  free (d->parts);
  for (size_t i = 0; i < d->nwarnings; i++)
    free (d->warnings[i]);
  free (d->warnings);
  free (d->path);
  free (d);
}

/* The accessors: a field, or what NULL reads as (mountdb.h). */
#define MD_GETTER(type, name, obj, expr, none) \
  type name (const obj *x) { return x ? (expr) : (none); }

MD_GETTER (const char *, mountdb_disk_path, mountdb_disk, x->path, NULL)
MD_GETTER (uint64_t, mountdb_disk_size, mountdb_disk, x->size, 0)
MD_GETTER (unsigned, mountdb_disk_sector_size, mountdb_disk, x->sector_size, 0)
MD_GETTER (int, mountdb_disk_table, mountdb_disk, x->table,
           MOUNTDB_TABLE_NONE)
MD_GETTER (unsigned, mountdb_disk_flags, mountdb_disk, x->flags, 0)
MD_GETTER (uint32_t, mountdb_disk_signature, mountdb_disk, x->signature, 0)
MD_GETTER (const char *, mountdb_disk_guid, mountdb_disk,
           x->guid[0] ? x->guid : NULL, NULL)
MD_GETTER (size_t, mountdb_disk_warning_count, mountdb_disk, x->nwarnings, 0)
MD_GETTER (size_t, mountdb_disk_partition_count, mountdb_disk, x->nparts, 0)
MD_GETTER (unsigned, mountdb_partition_number, mountdb_partition, x->number,
           0)
MD_GETTER (uint64_t, mountdb_partition_start, mountdb_partition, x->start, 0)
MD_GETTER (uint64_t, mountdb_partition_size, mountdb_partition, x->size, 0)
MD_GETTER (unsigned, mountdb_partition_mbr_type, mountdb_partition,
           x->mbr_type, 0)
MD_GETTER (const char *, mountdb_partition_type_guid, mountdb_partition,
           x->type_guid[0] ? x->type_guid : NULL, NULL)
MD_GETTER (const char *, mountdb_partition_type_name, mountdb_partition,
           x->type_name, NULL)
MD_GETTER (const char *, mountdb_partition_guid, mountdb_partition,
           x->guid[0] ? x->guid : NULL, NULL)
MD_GETTER (uint64_t, mountdb_partition_attributes, mountdb_partition,
           x->attributes, 0)
MD_GETTER (int, mountdb_partition_logical, mountdb_partition, x->logical, 0)
MD_GETTER (const char *, mountdb_partition_fs, mountdb_partition, x->fs, NULL)
MD_GETTER (const char *, mountdb_partition_label, mountdb_partition, x->label,
           NULL)
MD_GETTER (const char *, mountdb_partition_serial, mountdb_partition,
           x->serial, NULL)
MD_GETTER (const char *, mountdb_partition_spec, mountdb_partition, x->spec,
           NULL)
MD_GETTER (const mountdb_disk *, mountdb_partition_disk, mountdb_partition,
           x->disk, NULL)

const char *
mountdb_disk_warning_get (const mountdb_disk *d, size_t i)
{
  return d && i < d->nwarnings ? d->warnings[i] : NULL;
}

const mountdb_partition *
mountdb_disk_partition_get (const mountdb_disk *d, size_t i)
{
  return d && i < d->nparts ? &d->parts[i] : NULL;
}

const uint8_t *
mountdb_partition_unique_id (const mountdb_partition *p, size_t *len)
{
  if (len)
    *len = p ? p->idlen : 0;
  return p && p->idlen ? p->id : NULL;
}
