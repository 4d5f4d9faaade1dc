/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Accessors of the device history (mountdb.h, devices): they only read. */
#include <config.h>
#include <string.h>
#include "devices.h"

const char *
mountdb_hive_role_name (int role)
{
  switch (role) {
  case MOUNTDB_ROLE_SYSTEM: return "system";
  case MOUNTDB_ROLE_USER: return "user";
  case MOUNTDB_ROLE_SOFTWARE: return "software";
  default: return "unknown";
  }
}

const char *
mountdb_fact_kind_name (int kind)
{
  switch (kind) {
  case MOUNTDB_FACT_STRING: return "string";
  case MOUNTDB_FACT_UINT: return "uint";
  case MOUNTDB_FACT_BOOL: return "bool";
  case MOUNTDB_FACT_TIME: return "time";
  default: return NULL;
  }
}

const char *
mountdb_device_match_name (int match)
{
  switch (match) {
  case MOUNTDB_MATCH_DEVICE_PATH: return "device_path";
  case MOUNTDB_MATCH_PARENT_ID_PREFIX: return "parent_id_prefix";
  default: return "unknown";
  }
}

size_t mountdb_devices_hive_count (const mountdb_devices *d) { return d->nhives; }

const mountdb *
mountdb_devices_hive_get (const mountdb_devices *d, size_t i)
{
  return i < d->nhives ? d->hives[i] : NULL;
}

int
mountdb_devices_hive_role (const mountdb_devices *d, size_t i)
{
  return i < d->nhives ? d->roles[i] : -1;
}

const mountdb_fact *
mountdb_devices_hive_user (const mountdb_devices *d, size_t i)
{
  return i < d->nhives && d->users[i].nfacts ? &d->users[i].facts[0] : NULL;
}

uint32_t mountdb_devices_control_set (const mountdb_devices *d) { return d->cs; }
size_t mountdb_device_count (const mountdb_devices *d) { return d->ndevs; }

const mountdb_device *
mountdb_device_get (const mountdb_devices *d, size_t i)
{
  return i < d->ndevs ? &d->devs[i] : NULL;
}

size_t mountdb_device_fact_count (const mountdb_device *dev) { return dev->nfacts; }

const mountdb_fact *
mountdb_device_fact_get (const mountdb_device *dev, size_t i)
{
  return i < dev->nfacts ? &dev->facts[i] : NULL;
}

const mountdb_fact *
mountdb_device_fact (const mountdb_device *dev, const char *field)
{
  for (size_t i = 0; field && i < dev->nfacts; i++)
    if (strcmp (dev->facts[i].field, field) == 0)
      return &dev->facts[i];
  return NULL;
}

size_t mountdb_device_volume_count (const mountdb_device *dev) { return dev->nvols; }

const mountdb_volume *
mountdb_device_volume_get (const mountdb_device *dev, size_t i)
{
  return i < dev->nvols ? dev->volp[i] : NULL;
}

int
mountdb_device_volume_match (const mountdb_device *dev, size_t i)
{
  return i < dev->nvols ? dev->vols[i].match : -1;
}

size_t mountdb_user_mount_count (const mountdb_devices *d) { return d->nmounts; }

const mountdb_user_mount *
mountdb_user_mount_get (const mountdb_devices *d, size_t i)
{
  return i < d->nmounts ? &d->mounts[i] : NULL;
}

size_t
mountdb_device_user_mount_count (const mountdb_device *dev)
{
  return dev->nmounts;
}

const mountdb_user_mount *
mountdb_device_user_mount_get (const mountdb_device *dev, size_t i)
{
  return i < dev->nmounts ? dev->mountp[i] : NULL;
}

size_t
mountdb_devices_unmatched_volume_count (const mountdb_devices *d)
{
  return d->nunmatched;
}

const mountdb_volume *
mountdb_devices_unmatched_volume_get (const mountdb_devices *d, size_t i)
{
  return i < d->nunmatched ? d->unmatched[i] : NULL;
}
