/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The person's summary of a device (devsum.h), for every format. */
#include <config.h>
#include <string.h>
#include "common/devsum.h"

static const char *
fact_str (const mountdb_device *dev, const char *field)
{
  const mountdb_fact *f = mountdb_device_fact (dev, field);
  return f && f->kind == MOUNTDB_FACT_STRING ? f->str : NULL;
}

static uint64_t
fact_time (const mountdb_device *dev, const char *field)
{
  const mountdb_fact *f = mountdb_device_fact (dev, field);
  return f && f->kind == MOUNTDB_FACT_TIME ? f->num : 0;
}

void
md_dev_user_name (struct md_sbuf *b, const mountdb_devices *d, size_t hive)
{
  const mountdb_fact *u = mountdb_devices_hive_user (d, hive);
  if (u && u->str && u->str[0])
    md_sb_puts (b, u->str);
  else
    md_sb_printf (b, "user hive %zu", hive);
}

int
md_dev_is_letter_entry (const mountdb_entry *e)
{
  return mountdb_entry_class (e) == MOUNTDB_CLASS_DRIVE_LETTER
         && mountdb_entry_letter (e) != 0;
}

void
md_dev_letters (struct md_sbuf *b, const mountdb_device *dev)
{
  int any = 0;
  for (size_t i = 0; i < mountdb_device_volume_count (dev); i++) {
    const mountdb_volume *v = mountdb_device_volume_get (dev, i);
    for (size_t k = 0; k < mountdb_volume_entry_count (v); k++) {
      const mountdb_entry *e = mountdb_volume_entry_get (v, k);
      if (md_dev_is_letter_entry (e)) {
        md_sb_printf (b, "%s%c:", any ? " " : "", mountdb_entry_letter (e));
        any = 1;
      }
    }
  }
}

static const char *
bus_words (const char *bus)
{
  static const struct { const char *bus, *words; } tab[] = {
    { "USBSTOR", "USB storage" }, { "SCSI", "SCSI" }, { "IDE", "IDE" },
    { "SD", "SD card" }, { "SWD", "portable device" },
    { "STORAGE", "storage" },
  };
  for (size_t i = 0; bus && i < sizeof tab / sizeof tab[0]; i++)
    if (strcmp (bus, tab[i].bus) == 0)
      return tab[i].words;
  return bus ? bus : "device";
}

static void
put_time (struct md_sbuf *b, const char *words, uint64_t ft)
{
  char t[40];
  if (ft && mountdb_filetime_format (ft, t) == 0)
    md_sb_printf (b, ", %s %s", words, t);
}

void
md_dev_summary (struct md_sbuf *b, const mountdb_devices *d,
                const mountdb_device *dev)
{
  const char *type = fact_str (dev, "device_type");
  const char *ven = fact_str (dev, "vendor"), *prod = fact_str (dev, "product");
  md_sb_puts (b, bus_words (fact_str (dev, "bus")));
  if (type) {
    md_sb_putc (b, ' ');
    md_sb_puts (b, strcmp (type, "Disk") == 0 ? "disk"
                   : strcmp (type, "CdRom") == 0 ? "CD-ROM" : type);
  }
  if (ven) {
    md_sb_putc (b, ' ');
    md_sb_puts (b, ven);
  }
  if (prod) {
    md_sb_putc (b, ' ');
    md_sb_puts (b, prod);
  }
  const char *serial = fact_str (dev, "serial");
  const char *inst = fact_str (dev, "instance_id");
  const mountdb_fact *gen = mountdb_device_fact (dev, "serial_generated");
  if (serial)
    md_sb_printf (b, ", serial %s", serial);
  else if (inst && gen && gen->num)
    md_sb_printf (b, ", instance %s (made by Windows, not a serial)", inst);
  else if (inst)
    md_sb_printf (b, ", instance %s", inst);
  size_t nvol = mountdb_device_volume_count (dev);
  if (nvol == 0)
    md_sb_puts (b, ", no volume in MountedDevices");
  else {
    struct md_sbuf l;
    md_sb_init (&l);
    md_dev_letters (&l, dev);
    if (l.len)
      md_sb_printf (b, ", %s", md_sb_str (&l));
    else
      md_sb_printf (b, ", %zu volume%s without a letter", nvol,
                    nvol == 1 ? "" : "s");
    md_sb_free (&l);
  }
  put_time (b, "first installed", fact_time (dev, "first_install"));
  put_time (b, "last connected", fact_time (dev, "last_arrival"));
  put_time (b, "last removed", fact_time (dev, "last_removal"));
  for (size_t i = 0; i < mountdb_device_user_mount_count (dev); i++) {
    const mountdb_user_mount *m = mountdb_device_user_mount_get (dev, i);
    char t[40];
    md_sb_puts (b, ", opened by ");
    md_dev_user_name (b, d, m->hive);
    if (mountdb_filetime_format (m->last_written, t) == 0)
      md_sb_printf (b, " at %s", t);
    if (m->by_letter)
      md_sb_printf (b, " (by letter %c:, inferred)", m->letter);
  }
}
