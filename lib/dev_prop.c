/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device property values (dev.h): Properties\{fmtid}\NNNN holds one
 * DEVPROPERTY.  Windows 7 keeps it in a subkey 00000000 as values Type
 * (the DEVPROPTYPE, 4 bytes) and Data; Windows 8 and later as the key's
 * default value, registry type 0xFFFF0000 | DEVPROPTYPE (both seen in the
 * real hives; the layout is not documented by Microsoft: inferred). */
#include <config.h>
#include "dev.h"

static int
filetime (const uint8_t *d, size_t len, uint64_t *ft)
{
  if (d == NULL || len != 8)
    return -1;
  *ft = md_le64 (d);
  return 0;
}

int
md_dev_prop_filetime_w8 (uint32_t reg_type, const uint8_t *d, size_t len,
                         uint64_t *ft)
{
  if (reg_type != (0xFFFF0000u | MD_DEVPROP_TYPE_FILETIME))
    return -1;
  return filetime (d, len, ft);
}

int
md_dev_prop_filetime_w7 (const uint8_t *type, size_t tlen, const uint8_t *d,
                         size_t len, uint64_t *ft)
{
  if (type == NULL || tlen != 4 || md_le32 (type) != MD_DEVPROP_TYPE_FILETIME)
    return -1;
  return filetime (d, len, ft);
}
