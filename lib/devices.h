/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device history join (issue 16): its own layer above the handle's
 * entries and volumes.  devices.c builds it from the keys hive.c copied
 * (dev.h), devices_get.c has the accessors. */
#ifndef MOUNTDB_DEVICES_H
#define MOUNTDB_DEVICES_H

#include "model.h"
#include "dev.h"

struct md_devvol {
  size_t vol;                 /* mountdb_volume_get index (SYSTEM) */
  int match;                  /* enum mountdb_device_match */
};

struct mountdb_device {
  mountdb_fact *facts;
  size_t nfacts, capf;
  struct md_devvol *vols;
  size_t nvols, capv;
  const mountdb_volume **volp;       /* vols as pointers (after the build) */
  const mountdb_user_mount **mountp; /* its MountPoints2 subkeys */
  size_t nmounts;
  const char *id;             /* "BUS\DEVKEY\INSTANCE" (names as stored) */
  const char *serial;         /* or NULL (generated instance ID) */
  const char *pip;            /* ParentIdPrefix, or NULL */
};

struct mountdb_devices {
  const mountdb **hives;
  int *roles;
  size_t nhives;
  struct mountdb_device *users; /* per hive: facts[0] its user, if any */
  uint32_t cs;
  struct mountdb_device *devs;
  size_t ndevs, capd;
  mountdb_user_mount *mounts;
  size_t nmounts, capm;
  const mountdb_volume **unmatched;
  size_t nunmatched;
  char **pool;                /* every string the join made */
  size_t npool, cappool;
  int nomem;
};

#endif
