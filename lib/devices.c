/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device history (issue 16): one record per storage device of the
 * SYSTEM hive's Enum keys, joined exactly (never by substring) with its
 * MountedDevices volumes, the users' MountPoints2 subkeys and SOFTWARE's
 * portable-device and EMDMgmt keys.  It reads the keys hive.c copied in
 * its hivex session (MOUNTDB_OPEN_DEVICES) and the handles' public model;
 * every fact keeps the hive, key and value it was read from. */
#include <config.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "devices.h"
#include "common/sbuf.h"

#define DISK_IFACE "{53f56307-b6bf-11d0-94f2-00a0c91efb8b}"
#define DEVPROP_FMTID "{83da6326-97a6-4088-9453-a1923f573b29}"

/* ---- the string pool and facts ---------------------------------------------- */

/* Takes s (NULL: out of memory); the pool frees it with the join. */
static const char *
keep (mountdb_devices *d, char *s)
{
  if (s == NULL || (d->npool == d->cappool
                    && md_grow (&d->pool, &d->cappool, d->npool,
                   sizeof *d->pool) < 0)) {
    free (s);
    d->nomem = 1;
    return NULL;
  }
  d->pool[d->npool++] = s;
  return s;
}

static const char *
keepf (mountdb_devices *d, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));
static const char *
keepf (mountdb_devices *d, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *s = md_strdup_vprintf (fmt, ap);
  va_end (ap);
  return keep (d, s);
}

static const char *
keepn (mountdb_devices *d, const char *s, size_t n)
{
  char *c = malloc (n + 1);
  if (c) {
    memcpy (c, s, n);
    c[n] = '\0';
  }
  return keep (d, c);
}

/* A new fact of dev (or of the hive user list when dev is NULL); NULL
 * when out of memory (d->nomem set). */
static mountdb_fact *
add_fact (mountdb_devices *d, struct mountdb_device *dev, const char *field,
          int kind, size_t hive, const char *key, const char *value,
          const char *meaning)
{
  if (dev->nfacts == dev->capf
      && md_grow (&dev->facts, &dev->capf, dev->nfacts,
                   sizeof *dev->facts) < 0) {
    d->nomem = 1;
    return NULL;
  }
  mountdb_fact *f = &dev->facts[dev->nfacts++];
  memset (f, 0, sizeof *f);
  f->field = field;
  f->kind = kind;
  f->hive = hive;
  f->key = key;
  f->value = value;
  f->meaning = meaning;
  return f;
}

static void
str_fact (mountdb_devices *d, struct mountdb_device *dev, const char *field,
          const char *s, size_t hive, const char *key, const char *value,
          const char *meaning)
{
  if (s == NULL)
    return;
  mountdb_fact *f = add_fact (d, dev, field, MOUNTDB_FACT_STRING, hive, key,
                              value, meaning);
  if (f)
    f->str = s;
}

static void
num_fact (mountdb_devices *d, struct mountdb_device *dev, const char *field,
          int kind, uint64_t num, size_t hive, const char *key,
          const char *value, const char *meaning)
{
  mountdb_fact *f = add_fact (d, dev, field, kind, hive, key, value,
                              meaning);
  if (f)
    f->num = num;
}

/* A REG_SZ value of k as a fact (absent values give none). */
static void
value_fact (mountdb_devices *d, struct mountdb_device *dev,
            const char *field, const struct md_rkey *k, const char *kpath,
            const char *vname, const char *meaning)
{
  const struct md_rval *v = md_rkey_value (k, vname);
  if (v == NULL)
    return;
  char *s = md_rval_string (v);
  if (s == NULL && (v->type == MOUNTDB_REG_SZ
                    || v->type == MOUNTDB_REG_EXPAND_SZ)) {
    d->nomem = 1;
    return;
  }
  if (s)
    str_fact (d, dev, field, keep (d, s), 0, kpath, v->name, meaning);
}

/* ---- what each fact means (mountdb(3), DEVICES) ----------------------------- */

static const char M_BUS[] = "the Enum key the device is filed under: the "
  "enumerator (bus driver) that reported it";
static const char M_DEVKEY[] = "the device key: device type, vendor, product "
  "and revision as the device reported them";
static const char M_PARTS[] = "decoded from the device key (Ven_, Prod_, "
  "Rev_ parts; IDE: the model and revision fields)";
static const char M_INST[] = "the device instance key's name";
static const char M_SERIAL[] = "USBSTOR: the instance ID without its \"&N\" suffix: "
  "the serial number the device reported";
static const char M_GEN[] = "the instance ID's second character is '&': "
  "Windows made the ID up because the device reported no unique serial "
  "number, so it is no serial (examiners' reading of the ID format; "
  "inferred)";
static const char M_FRIENDLY[] = "FriendlyName: the name Windows shows for "
  "the device";
static const char M_PIP[] = "ParentIdPrefix: the prefix Windows gave the "
  "instance IDs of the device's children (on XP its volume is "
  "STORAGE\\RemovableMedia\\<prefix>&RM)";
static const char M_CONTAINER[] = "ContainerID: the physical device this "
  "device node belongs to";
static const char M_DISKID[] = "Partmgr DiskId: the partition manager's "
  "identifier of the disk";
static const char M_VIDPID[] = "USB vendor and product ID from the Enum\\USB "
  "key whose instance key has the same name as the serial";
static const char M_USBWRITTEN[] = "LastWrite time of the USB device's "
  "instance key: its last change (examiners read it as a recent "
  "connection; not documented: inferred)";
static const char M_INSTALL[] = "DEVPKEY_Device_InstallDate (devpkey.h: "
  DEVPROP_FMTID " 100): when the device was last installed (changes when "
  "its driver is updated)";
static const char M_FIRST[] = "DEVPKEY_Device_FirstInstallDate (devpkey.h: "
  DEVPROP_FMTID " 101): when the device instance was first installed";
static const char M_ARRIVAL[] = "DEVPKEY_Device_LastArrivalDate (devpkey.h: "
  DEVPROP_FMTID " 102): when the device was last connected";
static const char M_REMOVAL[] = "DEVPKEY_Device_LastRemovalDate (devpkey.h: "
  DEVPROP_FMTID " 103): when the device was last removed";
static const char M_INSTWRITTEN[] = "LastWrite time of the device's instance "
  "key: the last change to its values, not necessarily a connection";
static const char M_CLASSWRITTEN[] = "LastWrite time of the device's disk "
  "interface key (DeviceClasses\\" DISK_IFACE "): examiners read it as the "
  "first connection since boot on XP and 7 (not documented: inferred)";
static const char M_WPDLABEL[] = "FriendlyName of the device's Windows "
  "Portable Devices node (Enum\\SWD\\WPDBUSENUM): the volume label Explorer "
  "showed for it";
static const char M_WPDDISK[] = "FriendlyName of a Windows Portable "
  "Devices node (Enum\\SWD\\WPDBUSENUM) named by the device's Partmgr DiskId "
  "and a partition offset: the label Explorer showed for that volume (the "
  "naming is inferred from a real hive)";
static const char M_WPD[] = "FriendlyName of the portable-device key naming "
  "the device: the label (or letter) Explorer showed for its volume";
static const char M_EMDLABEL[] = "the volume label in the EMDMgmt "
  "(ReadyBoost) key name of a volume on the device";
static const char M_EMDSERIAL[] = "the volume serial number (decimal in the "
  "EMDMgmt key name) of a volume on the device";
static const char M_EMDWRITTEN[] = "LastWrite time of that EMDMgmt key";
static const char M_USERVAR[] = "Volatile Environment\\USERNAME: the user "
  "logged on when the hive was last saved";
static const char M_USERPATH[] = "the folder holding the hive (Users\\NAME or "
  "Documents and Settings\\NAME): the profile's name, usually the user's";

/* ---- identity, times ------------------------------------------------------------- */

static const char *
join_path (mountdb_devices *d, const char *a, const char *b)
{
  return keepf (d, "%s\\%s", a, b);
}

/* The Properties times (Win7: subkey 00000000 with Type and Data; Win8+:
 * the key's default value typed 0xFFFF0010). */
static void
prop_times (mountdb_devices *d, struct mountdb_device *dev,
            const struct md_rkey *inst, const char *ipath)
{
  static const struct { unsigned pid; const char *field, *meaning; } t[] = {
    { 100, "install_date", M_INSTALL }, { 101, "first_install", M_FIRST },
    { 102, "last_arrival", M_ARRIVAL }, { 103, "last_removal", M_REMOVAL },
  };
  const struct md_rkey *props = md_rkey_child (inst, "Properties");
  const struct md_rkey *fm = md_rkey_child (props, DEVPROP_FMTID);
  if (fm == NULL)
    return;
  const char *fpath = keepf (d, "%s\\%s\\%s", ipath, props->name, fm->name);
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    for (uint32_t k = 0; k < fm->nkids; k++) {
      const struct md_rkey *p = &fm->kids[k];
      char *end;
      unsigned long pid = strtoul (p->name, &end, 16);
      if (*end != '\0' || end == p->name || pid != t[i].pid)
        continue;
      uint64_t ft;
      const struct md_rval *v = md_rkey_value (p, "");
      const struct md_rkey *sub = md_rkey_child (p, "00000000");
      const struct md_rval *ty = md_rkey_value (sub, "Type");
      const struct md_rval *da = md_rkey_value (sub, "Data");
      if (v && md_dev_prop_filetime_w8 (v->type, v->data, v->len, &ft) == 0)
        num_fact (d, dev, t[i].field, MOUNTDB_FACT_TIME, ft, 0,
                  join_path (d, fpath, p->name), "", t[i].meaning);
      else if (ty && da
               && md_dev_prop_filetime_w7 (ty->data, ty->len, da->data,
                                           da->len, &ft) == 0)
        num_fact (d, dev, t[i].field, MOUNTDB_FACT_TIME, ft, 0,
                  keepf (d, "%s\\%s\\%s", fpath, p->name, sub->name),
                  da->name, t[i].meaning);
    }
}

static void
span_fact (mountdb_devices *d, struct mountdb_device *dev, const char *field,
           const char *s, md_span sp, const char *kpath)
{
  if (sp.n)
    str_fact (d, dev, field, keepn (d, s + sp.off, sp.n), 0, kpath, NULL,
              M_PARTS);
}

/* VID and PID from Enum\USB\VID_xxxx&PID_yyyy\SERIAL. */
static void
usb_ids (mountdb_devices *d, struct mountdb_device *dev,
         const struct md_rkey *usb, const char *usbpath)
{
  if (dev->serial == NULL)
    return;
  for (uint32_t i = 0; usb && i < usb->nkids; i++) {
    uint16_t vid, pid;
    if (md_dev_parse_usb_key (usb->kids[i].name, &vid, &pid) < 0)
      continue;
    const struct md_rkey *k = md_rkey_child (&usb->kids[i], dev->serial);
    if (k == NULL)
      continue;
    const char *kp = keepf (d, "%s\\%s\\%s", usbpath, usb->kids[i].name,
                            k->name);
    num_fact (d, dev, "vid", MOUNTDB_FACT_UINT, vid, 0, kp, NULL, M_VIDPID);
    num_fact (d, dev, "pid", MOUNTDB_FACT_UINT, pid, 0, kp, NULL, M_VIDPID);
    if (k->lastwrite)
      num_fact (d, dev, "usb_key_written", MOUNTDB_FACT_TIME, k->lastwrite,
                0, kp, NULL, M_USBWRITTEN);
  }
}

static struct mountdb_device *
new_device (mountdb_devices *d)
{
  if (d->ndevs == d->capd
      && md_grow (&d->devs, &d->capd, d->ndevs,
                   sizeof *d->devs) < 0) {
    d->nomem = 1;
    return NULL;
  }
  struct mountdb_device *dev = &d->devs[d->ndevs++];
  memset (dev, 0, sizeof *dev);
  return dev;
}

static void
one_device (mountdb_devices *d, const char *cspath, const char *bus,
            const struct md_rkey *dk, const struct md_rkey *inst,
            const struct md_rkey *cs)
{
  struct mountdb_device *dev = new_device (d);
  if (dev == NULL)
    return;
  const char *buspath = keepf (d, "%s\\Enum\\%s", cspath, bus);
  const char *dpath = buspath ? join_path (d, buspath, dk->name) : NULL;
  const char *ipath = dpath ? join_path (d, dpath, inst->name) : NULL;
  dev->id = keepf (d, "%s\\%s\\%s", bus, dk->name, inst->name);
  if (d->nomem)
    return;
  str_fact (d, dev, "bus", bus, 0, buspath, NULL, M_BUS);
  str_fact (d, dev, "device_key", dk->name, 0, dpath, NULL, M_DEVKEY);
  md_devkey p;
  md_dev_parse_devkey (dk->name, &p);
  span_fact (d, dev, "device_type", dk->name, p.type, dpath);
  span_fact (d, dev, "vendor", dk->name, p.vendor, dpath);
  span_fact (d, dev, "product", dk->name, p.product, dpath);
  span_fact (d, dev, "revision", dk->name, p.revision, dpath);
  str_fact (d, dev, "instance_id", inst->name, 0, ipath, NULL, M_INST);
  md_span serial;
  int generated;
  md_dev_parse_instance (inst->name, &serial, &generated);
  /* Only USB mass storage names its instance by the device's serial
   * number; other buses' instance IDs are locations (SCSI "000000"). */
  if (serial.n && md_ascii_casecmp (bus, "USBSTOR") == 0) {
    dev->serial = keepn (d, inst->name + serial.off, serial.n);
    str_fact (d, dev, "serial", dev->serial, 0, ipath, NULL, M_SERIAL);
  }
  num_fact (d, dev, "serial_generated", MOUNTDB_FACT_BOOL,
            (uint64_t) generated, 0, ipath, NULL, M_GEN);
  value_fact (d, dev, "friendly_name", inst, ipath, "FriendlyName",
              M_FRIENDLY);
  value_fact (d, dev, "parent_id_prefix", inst, ipath, "ParentIdPrefix",
              M_PIP);
  const struct md_rval *pv = md_rkey_value (inst, "ParentIdPrefix");
  if (pv)
    dev->pip = keep (d, md_rval_string (pv));
  value_fact (d, dev, "container_id", inst, ipath, "ContainerID",
              M_CONTAINER);
  const struct md_rkey *pm = md_rkey_path (inst, "Device Parameters\\Partmgr");
  if (pm)
    value_fact (d, dev, "disk_id", pm, keepf (d, "%s\\Device Parameters\\%s",
                                              ipath, pm->name),
                "DiskId", M_DISKID);
  const struct md_rkey *usb = md_rkey_path (cs, "Enum\\USB");
  if (md_ascii_casecmp (bus, "USBSTOR") == 0 && usb)
    usb_ids (d, dev, usb, keepf (d, "%s\\Enum\\%s", cspath, usb->name));
  prop_times (d, dev, inst, ipath);
  if (inst->lastwrite)
    num_fact (d, dev, "instance_key_written", MOUNTDB_FACT_TIME,
              inst->lastwrite, 0, ipath, NULL, M_INSTWRITTEN);
  const struct md_rkey *dc = md_rkey_path (cs, "Control\\DeviceClasses\\"
                                               DISK_IFACE);
  for (uint32_t i = 0; dc && i < dc->nkids; i++) {
    const struct md_rkey *k = &dc->kids[i];
    if (k->lastwrite && md_dev_path_is (k->name, strlen (k->name), dev->id))
      num_fact (d, dev, "device_class_written", MOUNTDB_FACT_TIME,
                k->lastwrite, 0, keepf (d, "%s\\Control\\DeviceClasses\\%s"
                                           "\\%s", cspath, dc->name,
                                        k->name), NULL, M_CLASSWRITTEN);
  }
}

/* SWD\WPDBUSENUM: Windows Portable Devices' node for a volume, named by
 * the storage device's path: its FriendlyName (the label Explorer shows)
 * goes to that device; one naming no known device is a device of its own
 * (bus SWD), so nothing read is dropped. */
static void
wpd_nodes (mountdb_devices *d, const struct md_rkey *cs)
{
  const struct md_rkey *w = md_rkey_path (cs, "Enum\\SWD\\WPDBUSENUM");
  const struct md_rkey *swd = md_rkey_path (cs, "Enum\\SWD");
  size_t nstorage = d->ndevs;
  for (uint32_t k = 0; w && k < w->nkids && !d->nomem; k++) {
    const struct md_rkey *inst = &w->kids[k];
    size_t n = strlen (inst->name);
    long off = md_dev_find_path (inst->name, n);
    int found = 0;
    for (size_t i = 0; off >= 0 && i < nstorage && !d->nomem; i++)
      if (md_dev_path_is (inst->name + off, n - (size_t) off, d->devs[i].id)) {
        value_fact (d, &d->devs[i], "wpd_label", inst,
                    keepf (d, "%s\\Enum\\%s\\%s\\%s", cs->name, swd->name,
                           w->name, inst->name), "FriendlyName", M_WPDLABEL);
        found = 1;
      }
    /* "{DiskId}#OFFSET": a volume of the disk with that Partmgr DiskId
     * (seen in the real Windows 10 hive: the T5's DiskId, offset 1 MiB
     * in hex; the naming is not documented: inferred). */
    for (size_t i = 0; off < 0 && n > 39 && inst->name[0] == '{'
                       && inst->name[37] == '}' && inst->name[38] == '#'
                       && i < nstorage && !d->nomem; i++) {
      const mountdb_fact *id = mountdb_device_fact (&d->devs[i], "disk_id");
      if (id && strlen (id->str) == 38
          && md_ascii_eq (inst->name, 1, 38, id->str, MD_EQ_FOLD)) {
        value_fact (d, &d->devs[i], "wpd_label", inst,
                    keepf (d, "%s\\Enum\\%s\\%s\\%s", cs->name, swd->name,
                           w->name, inst->name), "FriendlyName", M_WPDDISK);
        found = 1;
      }
    }
    if (!found)
      one_device (d, cs->name, swd->name, w, inst, cs);
  }
}

static void
system_devices (mountdb_devices *d, const struct md_devkeys *dk)
{
  static const char *const buses[] = { "USBSTOR", "SCSI", "IDE", "SD" };
  if (dk->cs == 0 || dk->root.nkids == 0)
    return;
  const struct md_rkey *cs = &dk->root.kids[0];
  d->cs = dk->cs;
  for (size_t b = 0; b < sizeof buses / sizeof buses[0]; b++) {
    const struct md_rkey *enm = md_rkey_path (cs, "Enum");
    const struct md_rkey *bk = md_rkey_child (enm, buses[b]);
    for (uint32_t i = 0; bk && i < bk->nkids && !d->nomem; i++)
      for (uint32_t j = 0; j < bk->kids[i].nkids && !d->nomem; j++)
        one_device (d, cs->name, bk->name, &bk->kids[i],
                    &bk->kids[i].kids[j], cs);
  }
  wpd_nodes (d, cs);
}

/* ---- volumes -------------------------------------------------------------------- */

static const char *
uid_path (const mountdb_uid *uid)
{
  if (uid == NULL || mountdb_uid_shape (uid) != MOUNTDB_SHAPE_DEVICE_PATH)
    return NULL;
  for (size_t i = 0; i < mountdb_uid_field_count (uid); i++) {
    const char *key, *str;
    int kind;
    uint64_t num;
    if (mountdb_uid_field_get (uid, i, &key, &kind, &str, &num) == 0
        && strcmp (key, "path") == 0)
      return str;
  }
  return NULL;
}

static int
add_volume (mountdb_devices *d, struct mountdb_device *dev, size_t vol,
            int match)
{
  if (dev->nvols == dev->capv
      && md_grow (&dev->vols, &dev->capv, dev->nvols,
                   sizeof *dev->vols) < 0) {
    d->nomem = 1;
    return -1;
  }
  dev->vols[dev->nvols].vol = vol;
  dev->vols[dev->nvols].match = match;
  dev->nvols++;
  return 0;
}

static void
join_volumes (mountdb_devices *d, const mountdb *sys)
{
  size_t nv = mountdb_volume_count (sys);
  d->unmatched = calloc (nv ? nv : 1, sizeof *d->unmatched);
  if (d->unmatched == NULL) {
    d->nomem = 1;
    return;
  }
  for (size_t v = 0; v < nv && !d->nomem; v++) {
    const char *path = uid_path (mountdb_volume_uid (mountdb_volume_get (sys,
                                                                         v)));
    int found = 0;
    for (size_t i = 0; path && i < d->ndevs && !d->nomem; i++) {
      struct mountdb_device *dev = &d->devs[i];
      char rm[512];
      if (md_dev_path_is (path, strlen (path), dev->id))
        found = add_volume (d, dev, v, MOUNTDB_MATCH_DEVICE_PATH) == 0;
      else if (dev->pip
               && (size_t) snprintf (rm, sizeof rm,
                                     "STORAGE\\RemovableMedia\\%s&RM",
                                     dev->pip) < sizeof rm
               && md_dev_path_is (path, strlen (path), rm))
        found = add_volume (d, dev, v, MOUNTDB_MATCH_PARENT_ID_PREFIX) == 0;
    }
    if (!found)
      d->unmatched[d->nunmatched++] = mountdb_volume_get (sys, v);
  }
}

/* ---- SOFTWARE: portable devices, EMDMgmt ------------------------------------------ */

static void
software_facts (mountdb_devices *d, const struct md_devkeys *dk, size_t hive)
{
  const struct md_rkey *wpd = md_rkey_path (&dk->root, "Microsoft\\Windows "
                                            "Portable Devices\\Devices");
  const struct md_rkey *emd = md_rkey_path (&dk->root, "Microsoft\\Windows "
                                            "NT\\CurrentVersion\\EMDMgmt");
  for (size_t i = 0; i < d->ndevs && !d->nomem; i++) {
    struct mountdb_device *dev = &d->devs[i];
    for (uint32_t k = 0; wpd && k < wpd->nkids; k++) {
      const struct md_rkey *w = &wpd->kids[k];
      size_t n = strlen (w->name);
      long off = md_dev_find_path (w->name, n);
      if (off < 0 || !md_dev_path_is (w->name + off, n - (size_t) off,
                                      dev->id))
        continue;
      const struct md_rval *v = md_rkey_value (w, "FriendlyName");
      char *s = md_rval_string (v);
      if (s)
        str_fact (d, dev, "wpd_friendly_name", keep (d, s), hive,
                  keepf (d, "Microsoft\\Windows Portable Devices\\Devices\\%s",
                         w->name), v->name, M_WPD);
    }
    for (uint32_t k = 0; emd && k < emd->nkids; k++) {
      const struct md_rkey *e = &emd->kids[k];
      md_span path, label;
      uint32_t serial;
      if (md_dev_parse_emd (e->name, &path, &label, &serial) < 0
          || !md_dev_path_is (e->name + path.off, path.n, dev->id))
        continue;
      const char *kp = keepf (d, "Microsoft\\Windows NT\\CurrentVersion\\"
                              "EMDMgmt\\%s", e->name);
      str_fact (d, dev, "emd_label", keepn (d, e->name + label.off, label.n),
                hive, kp, NULL, M_EMDLABEL);
      num_fact (d, dev, "emd_volume_serial", MOUNTDB_FACT_UINT, serial, hive,
                kp, NULL, M_EMDSERIAL);
      if (e->lastwrite)
        num_fact (d, dev, "emd_key_written", MOUNTDB_FACT_TIME, e->lastwrite,
                  hive, kp, NULL, M_EMDWRITTEN);
    }
  }
}

/* ---- users: MountPoints2 ------------------------------------------------------------ */

#define MP2_PATH "Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\" \
                 "MountPoints2"

/* The device one of whose volumes holds a name of class cls that matches
 * (a volume GUID name, or a drive letter), or -1. */
static long
device_of (const mountdb_devices *d, const mountdb *sys, const char *guid,
           char letter)
{
  for (size_t i = 0; i < d->ndevs; i++)
    for (size_t v = 0; v < d->devs[i].nvols; v++) {
      const mountdb_volume *vol = mountdb_volume_get (sys,
                                                      d->devs[i].vols[v].vol);
      for (size_t e = 0; e < mountdb_volume_entry_count (vol); e++) {
        const mountdb_entry *en = mountdb_volume_entry_get (vol, e);
        int cls = mountdb_entry_class (en);
        if (guid && cls == MOUNTDB_CLASS_VOLUME_GUID
            && strcmp (mountdb_entry_guid (en), guid) == 0)
          return (long) i;
        if (letter && cls == MOUNTDB_CLASS_DRIVE_LETTER
            && mountdb_entry_letter (en) == letter)
          return (long) i;
      }
    }
  return -1;
}

static void
user_mounts (mountdb_devices *d, const mountdb *sys,
             const struct md_devkeys *dk, size_t hive)
{
  const struct md_rkey *mp = md_rkey_path (&dk->root, MP2_PATH);
  for (uint32_t k = 0; mp && k < mp->nkids && !d->nomem; k++) {
    const struct md_rkey *s = &mp->kids[k];
    if (d->nmounts == d->capm
        && md_grow (&d->mounts, &d->capm, d->nmounts,
                   sizeof *d->mounts) < 0) {
      d->nomem = 1;
      return;
    }
    mountdb_user_mount *m = &d->mounts[d->nmounts];
    memset (m, 0, sizeof *m);
    char guid[37];
    char letter;
    int kind = md_dev_parse_mp2 (s->name, guid, &letter);
    m->hive = hive;
    m->name = s->name;
    m->guid = kind == MD_MP2_GUID ? keepn (d, guid, 36) : NULL;
    m->letter = kind == MD_MP2_LETTER ? letter : 0;
    m->last_written = s->lastwrite;
    m->key = keepf (d, MP2_PATH "\\%s", s->name);
    long dev = device_of (d, sys, m->guid, m->letter);
    /* Stored as an index until the device array stops growing. */
    m->device = dev >= 0 ? (const mountdb_device *) (uintptr_t) (dev + 1)
                         : NULL;
    m->by_letter = dev >= 0 && kind == MD_MP2_LETTER;
    d->nmounts++;
  }
}

/* The user of hive i: Volatile Environment\USERNAME, else its path. */
static void
hive_user (mountdb_devices *d, size_t i, const mountdb *db)
{
  struct mountdb_device *u = &d->users[i];
  const struct md_rkey *ve = md_rkey_child (&db->devkeys->root,
                                            "Volatile Environment");
  const struct md_rval *v = md_rkey_value (ve, "USERNAME");
  char *s = md_rval_string (v);
  if (s && *s) {
    str_fact (d, u, "user", keep (d, s), i, ve->name, v->name, M_USERVAR);
    return;
  }
  free (s);
  s = md_dev_user_from_path (mountdb_path (db));
  if (s)
    str_fact (d, u, "user", keep (d, s), i, NULL, NULL, M_USERPATH);
}

/* ---- build ---------------------------------------------------------------------- */

static int
check_hive (const mountdb *db, int kind, const char *what,
            mountdb_error *err)
{
  if (db == NULL)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, "devices",
                     "no %s hive given", what);
  if (db->devkeys == NULL)
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, mountdb_path (db),
                     "opened without MOUNTDB_OPEN_DEVICES: its device keys "
                     "were not read");
  if (mountdb_hive_kind (db) != kind)
    return md_error (err, MOUNTDB_E_REFUSED, 0, mountdb_path (db),
                     "%s, not the %s hive expected here",
                     md_hive_kind_words (mountdb_hive_kind (db)), what);
  return 0;
}

static int
hive_list (mountdb_devices *d, const mountdb *sys,
           const mountdb *const *users, size_t nusers,
           const mountdb *software)
{
  d->nhives = 1 + nusers + (software != NULL);
  d->hives = calloc (d->nhives, sizeof *d->hives);
  d->roles = calloc (d->nhives, sizeof *d->roles);
  d->users = calloc (d->nhives, sizeof *d->users);
  if (d->hives == NULL || d->roles == NULL || d->users == NULL)
    return MOUNTDB_E_NOMEM;
  d->hives[0] = sys;
  d->roles[0] = MOUNTDB_ROLE_SYSTEM;
  for (size_t i = 0; i < nusers; i++) {
    d->hives[1 + i] = users[i];
    d->roles[1 + i] = MOUNTDB_ROLE_USER;
  }
  if (software) {
    d->hives[d->nhives - 1] = software;
    d->roles[d->nhives - 1] = MOUNTDB_ROLE_SOFTWARE;
  }
  return 0;
}

/* Pointers into the arrays, now that they no longer move. */
static int
finish (mountdb_devices *d)
{
  for (size_t i = 0; i < d->nmounts; i++) {
    uintptr_t dev = (uintptr_t) d->mounts[i].device;
    d->mounts[i].device = dev ? &d->devs[dev - 1] : NULL;
  }
  for (size_t i = 0; i < d->ndevs; i++) {
    struct mountdb_device *dev = &d->devs[i];
    dev->volp = calloc (dev->nvols ? dev->nvols : 1, sizeof *dev->volp);
    dev->mountp = calloc (d->nmounts ? d->nmounts : 1, sizeof *dev->mountp);
    if (dev->volp == NULL || dev->mountp == NULL)
      return MOUNTDB_E_NOMEM;
    for (size_t v = 0; v < dev->nvols; v++)
      dev->volp[v] = mountdb_volume_get (d->hives[0], dev->vols[v].vol);
    /* By volume GUID first, then the weaker letter matches. */
    for (int by_letter = 0; by_letter < 2; by_letter++)
      for (size_t m = 0; m < d->nmounts; m++)
        if (d->mounts[m].device == dev && d->mounts[m].by_letter == by_letter)
          dev->mountp[dev->nmounts++] = &d->mounts[m];
  }
  return 0;
}

int
mountdb_devices_build (const mountdb *system, const mountdb *const *users,
                       size_t nusers, const mountdb *software,
                       mountdb_devices **out, mountdb_error *err)
{
  if (err)
    memset (err, 0, sizeof *err);
  if (out == NULL || (nusers && users == NULL))
    return md_error (err, MOUNTDB_E_INVAL, EINVAL, "devices",
                     "invalid argument");
  *out = NULL;
  int rc = check_hive (system, MOUNTDB_HIVE_SYSTEM, "SYSTEM", err);
  for (size_t i = 0; i < nusers && rc == 0; i++)
    rc = check_hive (users[i], MOUNTDB_HIVE_NTUSER, "user (NTUSER.DAT)", err);
  if (rc == 0 && software)
    rc = check_hive (software, MOUNTDB_HIVE_SOFTWARE, "SOFTWARE", err);
  if (rc < 0)
    return rc;
  mountdb_devices *d = calloc (1, sizeof *d);
  if (d == NULL || hive_list (d, system, users, nusers, software) < 0) {
    mountdb_devices_free (d);
    return md_error (err, MOUNTDB_E_NOMEM, ENOMEM, mountdb_path (system),
                     "out of memory");
  }
  system_devices (d, system->devkeys);
  if (!d->nomem)
    join_volumes (d, system);
  if (software && !d->nomem)
    software_facts (d, software->devkeys, d->nhives - 1);
  for (size_t i = 0; i < nusers && !d->nomem; i++) {
    hive_user (d, 1 + i, users[i]);
    user_mounts (d, system, users[i]->devkeys, 1 + i);
  }
  if (d->nomem || finish (d) < 0) {
    mountdb_devices_free (d);
    return md_error (err, MOUNTDB_E_NOMEM, ENOMEM, mountdb_path (system),
                     "out of memory");
  }
  *out = d;
  return 0;
}

void
mountdb_devices_free (mountdb_devices *d)
{
  if (d == NULL)
    return;
  for (size_t i = 0; i < d->ndevs; i++) {
    free (d->devs[i].facts);
    free (d->devs[i].vols);
    free (d->devs[i].volp);
    free (d->devs[i].mountp);
  }
  for (size_t i = 0; d->users && i < d->nhives; i++)
    free (d->users[i].facts);
  for (size_t i = 0; i < d->npool; i++)
    free (d->pool[i]);
  free (d->pool);
  free (d->devs);
  free (d->mounts);
  free (d->unmatched);
  free (d->users);
  free (d->roles);
  free (d->hives);
  free (d);
}
