/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness: value names as UTF-16LE units through
 * md_name_classify and md_utf16_to_utf8, and the first 16 bytes through
 * the GUID functions.  Checks the grammar's invariants (section 2, V3, H8)
 * besides the sanitizers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap (); } while (0)

/* Each class has its exact length or minimum (section 2). */
static void
check_name (const uint16_t *u, size_t n, const md_name *nm)
{
  CHECK (nm->cls >= MOUNTDB_CLASS_DRIVE_LETTER
         && nm->cls <= MOUNTDB_CLASS_OTHER);
  CHECK (mountdb_class_name (nm->cls) != NULL);
  if (nm->flags & MOUNTDB_NAME_CASE_VARIANT)
    CHECK (nm->cls == MOUNTDB_CLASS_OTHER
           && nm->variant_of != MOUNTDB_CLASS_OTHER);
  else
    CHECK (nm->variant_of == nm->cls);
  CHECK (!(nm->flags & MOUNTDB_NAME_MALFORMED_GUID)
         || nm->cls == MOUNTDB_CLASS_OTHER);

  switch (nm->cls)
    {
    case MOUNTDB_CLASS_DRIVE_LETTER:
      CHECK (n == 14 && nm->letter >= 'A' && nm->letter <= 'Z');
      break;
    case MOUNTDB_CLASS_MOUNT_POINT:
      CHECK (n > 15 && nm->letter >= 'A' && nm->letter <= 'Z');
      CHECK (nm->mount_path != NULL && nm->mount_path[0] == '\\');
      break;
    case MOUNTDB_CLASS_VOLUME_GUID:
    case MOUNTDB_CLASS_NO_LETTER:
      {
        CHECK (nm->has_guid);
        CHECK (n == (nm->cls == MOUNTDB_CLASS_VOLUME_GUID ? 48u : 39u));
        /* The GUID formats back to its text, ignoring case. */
        char text[37];
        mountdb_guid_format (nm->guid, text);
        const uint16_t *g = u + n - 37;
        for (size_t i = 0; i < 36; i++)
          {
            uint16_t c = g[i] >= 'A' && g[i] <= 'F' ? g[i] + 32 : g[i];
            CHECK (c == (uint8_t) text[i]);
          }
        break;
      }
    default:
      CHECK (nm->letter == 0 && !nm->has_guid && nm->mount_path == NULL);
    }
}

static void
check_guid (const uint8_t g[16])
{
  char text[37];
  uint16_t u[36];
  uint8_t back[16];
  int upper = 1;
  mountdb_guid_format (g, text);
  CHECK (strlen (text) == 36);
  for (size_t i = 0; i < 36; i++)
    u[i] = (uint8_t) text[i];
  CHECK (md_guid_parse16 (u, 36, back, &upper) == 0);
  CHECK (upper == 0 && memcmp (back, g, 16) == 0);

  mountdb_guid_info gi;
  mountdb_guid_inspect (g, &gi);
  CHECK (gi.version >= 0 && gi.version <= 15);
  CHECK (gi.has_time == 0 || gi.version == 1);
  CHECK (gi.has_node == (gi.version == 1));
  CHECK ((gi.node_kind == MOUNTDB_NODE_NONE) == (gi.version != 1));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  size_t n = size / 2;
  uint16_t *u = malloc (n ? n * sizeof *u : 1);
  if (u == NULL)
    return 0;
  md_utf16_load (data, n, u);

  unsigned flags = 0;
  char *s = md_utf16_to_utf8 (u, n, &flags);
  if (s != NULL)
    {
      CHECK (strlen (s) <= 3 * n);
      free (s);
    }

  md_name nm;
  if (md_name_classify (u, n, &nm) == 0)
    {
      CHECK ((nm.flags & (MOUNTDB_NAME_BAD_UTF16 | MOUNTDB_NAME_CONTROL))
             == flags);
      check_name (u, n, &nm);
      md_name_clear (&nm);
    }

  uint8_t g[16];
  if (md_guid_parse16 (u, n, g, NULL) == 0)
    check_guid (g);
  if (size >= 16)
    check_guid (data);
  free (u);
  return 0;
}
