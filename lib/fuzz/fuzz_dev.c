/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness: the device-history decoders (dev_*.c) on key names
 * and value bytes.  The input is split at its first NUL: a name, then a
 * device ID "BUS\DEVKEY\INSTANCE" for the path matcher; the raw bytes
 * also go through the property decoders and into a key tree.  Checks the
 * decoders' invariants besides the sanitizers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap (); } while (0)

static void
check_span (md_span s, size_t len)
{
  CHECK (s.off <= len && s.n <= len - s.off);
}

static void
names (const char *s, size_t len, const char *id)
{
  md_devkey k;
  md_dev_parse_devkey (s, &k);
  check_span (k.type, len);
  check_span (k.vendor, len);
  check_span (k.product, len);
  check_span (k.revision, len);

  md_span serial;
  int gen;
  md_dev_parse_instance (s, &serial, &gen);
  check_span (serial, len);
  CHECK (!gen || serial.n == 0);

  uint16_t vid, pid;
  CHECK (md_dev_parse_usb_key (s, &vid, &pid) < 0 || len == 17);

  /* A match consumes at least the ID, after at most a 4-byte prefix. */
  if (md_dev_path_is (s, len, id))
    CHECK (*id != '\0' && len >= strlen (id));
  long off = md_dev_find_path (s, len);
  CHECK (off >= -1 && (off < 0 || (size_t) off + 4 <= len));

  char guid[37], letter;
  int kind = md_dev_parse_mp2 (s, guid, &letter);
  if (kind == MD_MP2_GUID) {
    CHECK (strlen (guid) == 36);
    for (size_t i = 0; i < 36; i++)
      CHECK (guid[i] < 'A' || guid[i] > 'Z');
  }
  CHECK ((kind == MD_MP2_LETTER) == (letter != 0));
  CHECK (letter == 0 || (letter >= 'A' && letter <= 'Z'));

  md_span path, label;
  uint32_t sn;
  if (md_dev_parse_emd (s, &path, &label, &sn) == 0) {
    check_span (path, len);
    check_span (label, len);
    CHECK (path.n > 0 && s[path.n - 1] == '}');
    CHECK (label.off == path.n);
  }

  char *u = md_dev_user_from_path (s);
  if (u) {
    CHECK (*u != '\0' && strlen (u) < len);
    free (u);
  }
}

/* A tree from the bytes: each byte adds a child (or climbs back), every
 * value copied; then lookups and the release. */
static void
tree (const uint8_t *d, size_t n)
{
  struct md_rkey root = { 0 };
  struct md_rkey *stack[8] = { &root };
  int depth = 0;
  for (size_t i = 0; i < n && i < 64; i++) {
    char name[2] = { (char) ('a' + d[i] % 4), '\0' };
    if (d[i] & 0x80) {
      depth = depth ? depth - 1 : 0;
    } else if (d[i] & 0x40) {
      md_rkey_add_value (stack[depth], name, d[i] & 7u, d, n - i);
    } else if (depth < 7) {
      struct md_rkey *k = md_rkey_get_or_add (stack[depth], name);
      if (k == NULL)
        break;
      stack[++depth] = k;
    }
  }
  const struct md_rkey *k = md_rkey_path (&root, "a\\b\\c");
  CHECK (k == NULL || strcmp (k->name, "c") == 0);
  char *s = md_rval_string (md_rkey_value (md_rkey_child (&root, "a"), "b"));
  free (s);
  md_rkey_clear (&root);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *s = malloc (size + 2);
  if (s == NULL)
    return 0;
  memcpy (s, data, size);
  s[size] = s[size + 1] = '\0';
  size_t len = strlen (s);
  const char *id = len < size ? s + len + 1 : "";
  names (s, len, id);

  uint64_t ft;
  if (size >= 12) {
    uint32_t t = md_le32 (data);
    CHECK (md_dev_prop_filetime_w8 (t, data + 4, size - 4, &ft) < 0
           || size == 12);
    CHECK (md_dev_prop_filetime_w7 (data, 4, data + 4, size - 4, &ft) < 0
           || (size == 12 && t == MD_DEVPROP_TYPE_FILETIME));
  }
  tree (data, size);
  free (s);
  return 0;
}
