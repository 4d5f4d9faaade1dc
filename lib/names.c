/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Value-name grammar of section 2 (V3), applied to the exact stored
 * spelling (H8).  The mount manager's drive-letter test (ReactOS
 * IsDriveLetter) compares the `\DosDevices\` prefix ignoring case but
 * wants an upper-case letter: `\dosdevices\C:` is a drive letter (flagged
 * PREFIX_CASE), `\DosDevices\c:` is not.  The volume-name test
 * (MOUNTMGR_IS_VOLUME_NAME) is case-exact.  Names that are a known form
 * only when case is ignored are class "other", flagged CASE_VARIANT, and
 * say which class they imitate (variant_of); their letter, GUID and mount
 * path stay empty, since Windows gives them no meaning. */
#include <stdlib.h>
#include <string.h>

#include "decode.h"

#define DOS_PREFIX "\\DosDevices\\"   /* 12 units */
#define DOS_PREFIX_LEN 12
#define VOL_PREFIX "\\??\\Volume{"    /* 11 units */
#define VOL_PREFIX_LEN 11

static int
is_upper_letter (uint16_t c)
{
  return c >= 'A' && c <= 'Z';
}

static int
is_letter (uint16_t c)
{
  return is_upper_letter (c) || (c >= 'a' && c <= 'z');
}

/* `\DosDevices\X:` (14 units) or `\DosDevices\X:\path` (more than 15).
 * Returns the class it has with fold (case-insensitive) or exact matching,
 * or -1. */
static int
dos_form (const uint16_t *u, size_t n, int fold_prefix, int fold)
{
  if (n < DOS_PREFIX_LEN + 2
      || !md_units_eq (u, DOS_PREFIX_LEN, DOS_PREFIX,
                       fold_prefix || fold ? MD_EQ_FOLD : 0))
    return -1;
  uint16_t l = u[DOS_PREFIX_LEN];
  if (!(fold ? is_letter (l) : is_upper_letter (l))
      || u[DOS_PREFIX_LEN + 1] != ':')
    return -1;
  if (n == DOS_PREFIX_LEN + 2)
    return MOUNTDB_CLASS_DRIVE_LETTER;
  /* A mount point needs a non-empty path after `X:\`. */
  if (n > DOS_PREFIX_LEN + 3 && u[DOS_PREFIX_LEN + 2] == '\\')
    return MOUNTDB_CLASS_MOUNT_POINT;
  return -1;
}

/* GUID-carrying forms: `\??\Volume{GUID}` and `#{GUID}`.  Returns the
 * class when the frame (prefix with '{', final '}') matches, whatever lies
 * between the braces, else -1; *inner is where that text starts. */
static int
guid_frame (const uint16_t *u, size_t n, int fold, size_t *inner)
{
  if (n >= VOL_PREFIX_LEN + 1 && u[n - 1] == '}'
      && md_units_eq (u, VOL_PREFIX_LEN, VOL_PREFIX, fold ? MD_EQ_FOLD : 0))
    {
      *inner = VOL_PREFIX_LEN;
      return MOUNTDB_CLASS_VOLUME_GUID;
    }
  if (n >= 3 && u[0] == '#' && u[1] == '{' && u[n - 1] == '}')
    {
      *inner = 2;
      return MOUNTDB_CLASS_NO_LETTER;
    }
  return -1;
}

static void
classify_dos (const uint16_t *u, size_t n, md_name *out)
{
  int exact = dos_form (u, n, 1, 0);
  if (exact >= 0)
    {
      out->cls = out->variant_of = exact;
      out->letter = (char) u[DOS_PREFIX_LEN];
      if (!md_units_eq (u, DOS_PREFIX_LEN, DOS_PREFIX, 0))
        out->flags |= MOUNTDB_NAME_PREFIX_CASE;
      return;
    }
  int folded = dos_form (u, n, 1, 1);
  if (folded >= 0)
    {
      out->flags |= MOUNTDB_NAME_CASE_VARIANT;
      out->variant_of = folded;
    }
}

static void
classify_guid (const uint16_t *u, size_t n, md_name *out)
{
  size_t inner;
  int folded = guid_frame (u, n, 1, &inner);
  if (folded < 0)
    return;
  uint8_t g[16];
  int upper = 0;
  if (md_guid_parse16 (u + inner, n - 1 - inner, g, &upper) < 0)
    {
      /* The frame is there but the GUID is not: V3 "malformed GUID". */
      out->flags |= MOUNTDB_NAME_MALFORMED_GUID;
      return;
    }
  if (guid_frame (u, n, 0, &inner) < 0)
    {
      out->flags |= MOUNTDB_NAME_CASE_VARIANT;
      out->variant_of = folded;
      return;
    }
  out->cls = out->variant_of = folded;
  out->has_guid = 1;
  memcpy (out->guid, g, 16);
  if (upper)
    out->flags |= MOUNTDB_NAME_UPPER_HEX;
}

int
md_name_classify (const uint16_t *u, size_t n, md_name *out)
{
  /* Flags of the text itself (unpaired surrogates, controls, NUL). */
  unsigned fl = 0;
  char *tmp = md_utf16_to_utf8 (u, n, &fl);
  if (tmp == NULL)
    return MOUNTDB_E_NOMEM;
  free (tmp);
  return md_name_classify_text (u, n, fl, out);
}

int
md_name_classify_text (const uint16_t *u, size_t n, unsigned text_flags,
                       md_name *out)
{
  memset (out, 0, sizeof *out);
  out->cls = out->variant_of = MOUNTDB_CLASS_OTHER;
  out->flags = text_flags;

  classify_dos (u, n, out);
  if (out->cls == MOUNTDB_CLASS_OTHER && out->variant_of == MOUNTDB_CLASS_OTHER)
    classify_guid (u, n, out);

  if (out->cls == MOUNTDB_CLASS_MOUNT_POINT)
    {
      /* The path after "X:", e.g. "\mnt". */
      out->mount_path = md_utf16_to_utf8 (u + DOS_PREFIX_LEN + 2,
                                          n - DOS_PREFIX_LEN - 2, NULL);
      if (out->mount_path == NULL)
        {
          md_name_clear (out);
          return MOUNTDB_E_NOMEM;
        }
    }
  return 0;
}

void
md_name_clear (md_name *nm)
{
  if (nm == NULL)
    return;
  free (nm->mount_path);
  memset (nm, 0, sizeof *nm);
  nm->cls = nm->variant_of = MOUNTDB_CLASS_OTHER;
}

const char *
mountdb_class_name (int cls)
{
  static const char *const names[] = {
    [MOUNTDB_CLASS_DRIVE_LETTER] = "drive_letter",
    [MOUNTDB_CLASS_VOLUME_GUID] = "volume_guid",
    [MOUNTDB_CLASS_NO_LETTER] = "no_letter",
    [MOUNTDB_CLASS_MOUNT_POINT] = "mount_point",
    [MOUNTDB_CLASS_OTHER] = "other",
  };
  if (cls < 0 || (size_t) cls >= sizeof names / sizeof names[0])
    return NULL;
  return names[cls];
}
