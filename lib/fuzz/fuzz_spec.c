/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness: mountdb_spec_parse on arbitrary text (spec.c is a
 * pure decoder since issue 12), then every accessor.  Besides the
 * sanitizers it checks what mountdb.h promises: a spec parses to a known
 * kind with the ID bytes its form implies, and parsing it again from its
 * own text gives the same spec; a refused spec gets a message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap (); } while (0)

static void
check_spec (const mountdb_spec *sp)
{
  int kind = mountdb_spec_kind (sp);
  const char *text = mountdb_spec_text (sp);
  size_t len = 1;
  const uint8_t *id = mountdb_spec_id (sp, &len);
  CHECK (text != NULL && text[0] != '\0');
  CHECK ((id == NULL) == (len == 0));
  switch (kind) {
  case MOUNTDB_SPEC_LETTER:
  case MOUNTDB_SPEC_VOLUME_GUID:
    CHECK (id == NULL);
    break;
  case MOUNTDB_SPEC_MBR:         /* mbr:SIG has no ID, mbr:SIG:OFFSET 12 */
    CHECK (id == NULL || (len == 12 && md_le32 (id) != 0
                          && md_le64 (id + 4) != 0
                          && md_le64 (id + 4) % 512 == 0));
    break;
  case MOUNTDB_SPEC_GPT:
    CHECK (len == 24 && memcmp (id, "DMIO:ID:", 8) == 0);
    break;
  case MOUNTDB_SPEC_HEX:
    CHECK (len >= 1 && len <= 65536);
    break;
  case MOUNTDB_SPEC_DISK:        /* the disk gives the ID, when resolved */
    CHECK (id == NULL && mountdb_spec_disk_path (sp) != NULL
           && mountdb_spec_disk_path (sp)[0] != '\0'
           && mountdb_spec_partition (sp) >= 1
           && mountdb_spec_partition (sp) <= 65535);
    break;
  default:
    CHECK (0);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *text = malloc (size + 1);
  if (text == NULL)
    return 0;
  memcpy (text, data, size);
  text[size] = '\0';            /* a C string: stops at the first NUL */

  mountdb_spec *sp = (mountdb_spec *) 1;
  mountdb_error err;
  memset (&err, 0, sizeof err);
  int rc = mountdb_spec_parse (text, &sp, &err);
  if (rc < 0) {
    CHECK (sp == NULL);
    CHECK (rc == MOUNTDB_E_INVAL || rc == MOUNTDB_E_NOMEM);
    CHECK (err.code == rc && err.message[0] != '\0');
    CHECK (mountdb_spec_parse (text, &sp, NULL) == rc && sp == NULL);
    free (text);
    return 0;
  }
  CHECK (rc == 0 && sp != NULL);
  check_spec (sp);

  /* The stored text is the spec again: same kind, same ID. */
  mountdb_spec *again = NULL;
  CHECK (mountdb_spec_parse (mountdb_spec_text (sp), &again, NULL) == 0);
  CHECK (mountdb_spec_kind (again) == mountdb_spec_kind (sp));
  size_t l1, l2;
  const uint8_t *i1 = mountdb_spec_id (sp, &l1), *i2 = mountdb_spec_id (again,
                                                                       &l2);
  CHECK (l1 == l2 && (l1 == 0 || memcmp (i1, i2, l1) == 0));
  CHECK (mountdb_spec_partition (again) == mountdb_spec_partition (sp));
  mountdb_spec_free (again);
  mountdb_spec_free (sp);
  free (text);
  return 0;
}
