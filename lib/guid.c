/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GUIDs in value names and IDs: parsing, formatting and the forensic
 * reading of version-1 UUIDs (section 3: time and node of volume GUIDs). */
#include <string.h>

#include <nettle/sha1.h>

#include "decode.h"

/* 100 ns intervals from the UUID epoch (1582-10-15) to the FILETIME epoch
 * (1601-01-01): 6653 days. */
#define UUID_TO_FILETIME 5748192000000000ULL

/* Parse ndigits hex digits (<= 8) into *v. */
static int
parse_hex (const uint16_t *u, size_t ndigits, uint32_t *v, int *upper)
{
  uint32_t acc = 0;
  for (size_t i = 0; i < ndigits; i++)
    {
      int d = md_unhex (u[i]);
      if (d < 0)
        return -1;
      if (u[i] >= 'A' && u[i] <= 'F')
        *upper = 1;
      acc = (acc << 4) | (uint32_t) d;
    }
  *v = acc;
  return 0;
}

int
md_guid_parse16 (const uint16_t *u, size_t n, uint8_t out[16], int *upper)
{
  uint8_t g[16];
  uint32_t v;
  int up = 0;

  if (n != 36 || u[8] != '-' || u[13] != '-' || u[18] != '-' || u[23] != '-')
    return -1;
  /* Data1 (LE32), Data2 (LE16), Data3 (LE16): Windows binary layout. */
  if (parse_hex (u, 8, &v, &up) < 0)
    return -1;
  md_put_le32 (g, v);
  if (parse_hex (u + 9, 4, &v, &up) < 0)
    return -1;
  g[4] = (uint8_t) v;
  g[5] = (uint8_t) (v >> 8);
  if (parse_hex (u + 14, 4, &v, &up) < 0)
    return -1;
  g[6] = (uint8_t) v;
  g[7] = (uint8_t) (v >> 8);
  /* Data4: bytes in text order. */
  for (size_t i = 0; i < 8; i++)
    {
      size_t pos = i < 2 ? 19 + 2 * i : 24 + 2 * (i - 2);
      if (parse_hex (u + pos, 2, &v, &up) < 0)
        return -1;
      g[8 + i] = (uint8_t) v;
    }
  memcpy (out, g, 16);
  if (upper != NULL)
    *upper = up;
  return 0;
}

void
mountdb_guid_format (const uint8_t guid[16], char out[37])
{
  static const char hex[] = "0123456789abcdef";
  /* Text order of the bytes: Data1..Data3 reversed (little-endian). */
  static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
                                     8, 9, 10, 11, 12, 13, 14, 15 };
  size_t o = 0;
  for (size_t i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[o++] = '-';
      uint8_t b = guid[order[i]];
      out[o++] = hex[b >> 4];
      out[o++] = hex[b & 0xF];
    }
  out[o] = '\0';
}

/* Variant as its significant high bits of Data4[0]: 0 (NCS, 0xx),
 * 2 (RFC 4122, 10x), 6 (Microsoft, 110), 7 (reserved, 111). */
static int
guid_variant (uint8_t b)
{
  if ((b & 0x80) == 0)
    return 0;
  if ((b & 0xC0) == 0x80)
    return 2;
  if ((b & 0xE0) == 0xC0)
    return 6;
  return 7;
}

static int
node_kind (const uint8_t node[6])
{
  /* "\x80nonic" and "\x80mario": placeholders Windows used when it found
   * no network card; seen on unrelated machines, so no evidence. */
  static const uint8_t nonic[6] = { 0x80, 0x6e, 0x6f, 0x6e, 0x69, 0x63 };
  static const uint8_t mario[6] = { 0x80, 0x6d, 0x61, 0x72, 0x69, 0x6f };
  if (memcmp (node, nonic, 6) == 0 || memcmp (node, mario, 6) == 0)
    return MOUNTDB_NODE_PLACEHOLDER;
  /* Multicast or locally administered: random or virtual, not a NIC. */
  if (node[0] & 0x03)
    return MOUNTDB_NODE_LOCAL;
  return MOUNTDB_NODE_MAC;
}

void
mountdb_guid_inspect (const uint8_t guid[16], mountdb_guid_info *out)
{
  uint32_t d1 = md_le32 (guid);
  uint16_t d2 = md_le16 (guid + 4);
  uint16_t d3 = md_le16 (guid + 6);

  memset (out, 0, sizeof *out);
  out->version = d3 >> 12;
  out->variant = guid_variant (guid[8]);
  out->node_kind = MOUNTDB_NODE_NONE;

  /* Section 3: only version-1 UUIDs carry a time and a node. */
  if (out->version == 1)
    {
      uint64_t t = (uint64_t) (d3 & 0x0FFF) << 48 | (uint64_t) d2 << 32 | d1;
      /* Before 1601 a FILETIME cannot say it: no usable time. */
      if (t >= UUID_TO_FILETIME)
        {
          out->has_time = 1;
          out->time_filetime = t - UUID_TO_FILETIME;
        }
      out->has_node = 1;
      memcpy (out->node, guid + 10, 6);
      out->node_kind = node_kind (out->node);
    }

  /* Some Win10 volume GUIDs are built from the MBR ID (section 3).  The nil
   * GUID is excluded: a zero signature is no disk signature (V4). */
  if (d2 == 0 && d3 == 0 && d1 != 0)
    {
      out->mbr_derived = 1;
      out->mbr_signature = d1;
    }
}

/* ---- W11: GUIDs derived from an ID -------------------------------------- */

/* md_guid_from_id derives GUIDs for new names from the ID, so the same
 * edit gives the same bytes.  It is a name-based UUID, version 5 (RFC 4122,
 * SHA-1), in the namespace
 *     ba877971-bebd-550e-9f85-7d5531c13750
 *     = uuid5(NAMESPACE_URL, "mountdb:W11")
 * over the name  purpose || 0x00 || ID bytes  ("volume" for volume GUID
 * names, "marker" for #{} markers; the NUL keeps purpose and ID apart).
 * In Python:  uuid.UUID(bytes=set_v5(sha1(ns.bytes + b"volume\0" + id))). */

/* ba877971-bebd-550e-9f85-7d5531c13750 = uuid5(NAMESPACE_URL, "mountdb:W11"),
 * in RFC 4122 (big-endian) byte order as hashed. */
static const uint8_t w11_namespace[16] = {
  0xba, 0x87, 0x79, 0x71, 0xbe, 0xbd, 0x55, 0x0e,
  0x9f, 0x85, 0x7d, 0x55, 0x31, 0xc1, 0x37, 0x50,
};

int
md_guid_from_id (const uint8_t *id, size_t len, const char *purpose,
                 uint8_t out[16])
{
  static const uint8_t nul = 0;
  uint8_t md[SHA1_DIGEST_SIZE];

  if (purpose == NULL)
    purpose = "";
  /* nettle, as lib/digest.c: its SHA-1 cannot fail. */
  struct sha1_ctx ctx;
  sha1_init (&ctx);
  sha1_update (&ctx, 16, w11_namespace);
  sha1_update (&ctx, strlen (purpose), (const uint8_t *) purpose);
  sha1_update (&ctx, 1, &nul);
  if (len > 0)
    sha1_update (&ctx, len, id);
  sha1_digest (&ctx, sizeof md, md);

  md[6] = (uint8_t) ((md[6] & 0x0F) | 0x50);   /* version 5 */
  md[8] = (uint8_t) ((md[8] & 0x3F) | 0x80);   /* variant RFC 4122 */
  /* Big-endian UUID -> Windows layout: Data1..Data3 little-endian. */
  out[0] = md[3];
  out[1] = md[2];
  out[2] = md[1];
  out[3] = md[0];
  out[4] = md[5];
  out[5] = md[4];
  out[6] = md[7];
  out[7] = md[6];
  memcpy (out + 8, md + 8, 8);
  return 0;
}
