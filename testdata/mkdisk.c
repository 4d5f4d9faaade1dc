/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkdisk: the disk image fixtures (issue 13), written sparse so that
 * partitions hundreds of GiB into a disk cost a few KiB on disk.
 *
 *   mkdisk DIR        writes every image below into DIR
 *
 * Tables are written from the specifications (MBR, EBR chains, GPT with
 * CRC32), filesystems as the least a prober needs: an NTFS boot sector
 * with $MFT records 0 and 3 ($Volume, for the label) and a FAT32 boot
 * sector.  Images whose names start with bad- are damaged on purpose.
 * The MBR and GPT identities match the sample hive (testdata/sample.desc)
 * and the real hives in ../shared/testdata/real (MANIFEST.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MiB ((uint64_t) 1 << 20)
#define GiB ((uint64_t) 1 << 30)

static int fd = -1;
static const char *cur;

static void
die (const char *what)
{
  fprintf (stderr, "mkdisk: %s: %s: %s\n", cur, what, strerror (errno));
  exit (1);
}

static void
put (uint64_t off, const void *p, size_t n)
{
  if (pwrite (fd, p, n, (off_t) off) != (ssize_t) n)
    die ("write");
}

static void
le16 (uint8_t *p, uint16_t v)
{
  p[0] = (uint8_t) v;
  p[1] = (uint8_t) (v >> 8);
}

static void
le32 (uint8_t *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static void
le64 (uint8_t *p, uint64_t v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static void
begin (const char *dir, const char *name, uint64_t size)
{
  static char path[4096];
  snprintf (path, sizeof path, "%s/%s", dir, name);
  cur = path;
  unlink (path);
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || ftruncate (fd, (off_t) size) < 0)
    die ("create");
}

static void
end (void)
{
  if (close (fd) < 0)
    die ("close");
  fd = -1;
}

/* ---- GUIDs: text to Windows' binary layout (as GPT stores them) -------- */

static int
hexv (char c)
{
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void
guid (uint8_t out[16], const char *s)
{
  uint8_t b[16];
  int n = 0;
  for (const char *p = s; *p && n < 16; p++) {
    if (*p == '-')
      continue;
    b[n++] = (uint8_t) (hexv (p[0]) << 4 | hexv (p[1]));
    p++;
  }
  /* Data1, Data2, Data3 little-endian; Data4 as written. */
  out[0] = b[3], out[1] = b[2], out[2] = b[1], out[3] = b[0];
  out[4] = b[5], out[5] = b[4], out[6] = b[7], out[7] = b[6];
  memcpy (out + 8, b + 8, 8);
}

/* ---- filesystems ---------------------------------------------------------- */

/* Linux swap (mkswap's v1 header for 4 KiB pages): version 1, the last
 * page, the magic at the end of the first page. */
static void
swap (uint64_t at, uint64_t size)
{
  uint8_t h[12] = { 0 };
  le32 (h, 1);
  le32 (h + 4, (uint32_t) (size / 4096 - 1));
  put (at + 1024, h, sizeof h);
  put (at + 4096 - 10, "SWAPSPACE2", 10);
}

/* NTFS: boot sector, $MFT record 0 and record 3 ($Volume) with the
 * volume name attribute (0x60) carrying the label. */
static void
ntfs (uint64_t at, uint64_t size, uint64_t serial, const char *label)
{
  uint8_t bs[512] = { 0xEB, 0x52, 0x90, 'N', 'T', 'F', 'S', ' ', ' ', ' ', ' ' };
  le16 (bs + 11, 512);
  bs[13] = 8;                         /* 4 KiB clusters */
  bs[21] = 0xF8;
  le64 (bs + 40, size / 512 - 1);
  le64 (bs + 48, 4);                  /* $MFT at cluster 4 */
  le64 (bs + 56, 2);                  /* $MFTMirr */
  bs[64] = 0xF6;                      /* -10: 1 KiB records */
  bs[68] = 1;
  le64 (bs + 72, serial);
  bs[510] = 0x55, bs[511] = 0xAA;
  put (at, bs, sizeof bs);
  uint8_t rec[1024];
  for (int r = 0; r < 4; r += 3) {
    memset (rec, 0, sizeof rec);
    memcpy (rec, "FILE", 4);
    le16 (rec + 20, 56);              /* first attribute */
    le32 (rec + 24, 1024);
    le32 (rec + 28, 1024);
    size_t a = 56;
    if (r == 3 && label) {
      size_t n = strlen (label);      /* ASCII labels only */
      uint8_t *at_ = rec + a;
      size_t len = (24 + 2 * n + 7) & ~(size_t) 7;
      le32 (at_, 0x60);
      le32 (at_ + 4, (uint32_t) len);
      le32 (at_ + 16, (uint32_t) (2 * n));
      le16 (at_ + 20, 24);
      for (size_t i = 0; i < n; i++)
        le16 (at_ + 24 + 2 * i, (uint8_t) label[i]);
      a += len;
    }
    le32 (rec + a, 0xFFFFFFFF);
    put (at + 4 * 4096 + (uint64_t) r * 1024, rec, sizeof rec);
  }
}

static uint64_t
md_fat_len (uint32_t clusters)
{
  return ((uint64_t) clusters * 4 + 511) / 512;
}

/* FAT32: the boot sector (serial) and the root directory's first entry
 * (the label). */
static void
fat32 (uint64_t at, uint64_t size, uint32_t serial, const char *label)
{
  uint8_t bs[512] = { 0xEB, 0x58, 0x90, 'M', 'S', 'D', 'O', 'S', '5', '.', '0' };
  le16 (bs + 11, 512);
  bs[13] = 8;
  le16 (bs + 14, 32);                 /* reserved sectors */
  bs[16] = 2;                         /* FATs */
  bs[21] = 0xF8;
  le32 (bs + 32, (uint32_t) (size / 512));
  uint32_t clusters = (uint32_t) (size / 512 / 8);
  le32 (bs + 36, (uint32_t) md_fat_len (clusters));  /* sectors per FAT */
  le32 (bs + 44, 2);                  /* root directory cluster */
  bs[66] = 0x29;
  le32 (bs + 67, serial);
  char lab[12];
  snprintf (lab, sizeof lab, "%-11s", label);
  memcpy (bs + 71, lab, 11);
  memcpy (bs + 82, "FAT32   ", 8);
  bs[510] = 0x55, bs[511] = 0xAA;
  put (at, bs, sizeof bs);
  /* The label a prober reports is the root directory's volume entry. */
  uint8_t de[32] = { 0 };
  memcpy (de, lab, 11);
  de[11] = 0x08;
  uint64_t fatlen = md_fat_len (clusters);
  put (at + (32 + 2 * fatlen) * 512, de, sizeof de);
  uint8_t eoc[4] = { 0xFF, 0xFF, 0xFF, 0x0F };
  put (at + 32 * 512 + 2 * 4, eoc, sizeof eoc);   /* FAT[2]: end of chain */
}

/* ---- MBR and EBR --------------------------------------------------------------- */

struct mbr_part { uint8_t type; uint64_t lba, sectors; };

static void
mbr_entry (uint8_t *e, uint8_t type, uint64_t lba, uint64_t sectors)
{
  memset (e, 0, 16);
  if (type == 0)
    return;
  e[1] = 0xFE, e[2] = 0xFF, e[3] = 0xFF; /* CHS: use LBA */
  e[4] = type;
  e[5] = 0xFE, e[6] = 0xFF, e[7] = 0xFF;
  le32 (e + 8, (uint32_t) lba);
  le32 (e + 12, (uint32_t) sectors);
}

static void
mbr (uint64_t at, uint32_t sig, const struct mbr_part p[4])
{
  uint8_t s[512] = { 0 };
  le32 (s + 440, sig);
  for (int i = 0; i < 4; i++)
    mbr_entry (s + 446 + 16 * i, p[i].type, p[i].lba, p[i].sectors);
  s[510] = 0x55, s[511] = 0xAA;
  put (at, s, sizeof s);
}

/* An EBR at ext + link: a logical partition at data (relative to this
 * EBR) and a link to the next EBR (relative to ext), 0 for none. */
static void
ebr (uint64_t ext, uint64_t link, uint8_t type, uint64_t data,
     uint64_t sectors, uint64_t next, uint64_t next_sectors)
{
  struct mbr_part p[4] = {
    { type, data, sectors },
    { next ? 0x05 : 0, next, next_sectors },
  };
  mbr ((ext + link) * 512, 0, p);
}

/* ---- GPT ---------------------------------------------------------------------- */

static uint32_t
crc32 (const uint8_t *p, size_t n)
{
  uint32_t c = 0xFFFFFFFF;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = c >> 1 ^ (0xEDB88320 & -(c & 1));
  }
  return ~c;
}

struct gpt_part { const char *type, *id; uint64_t lba, sectors, attrs;
                  const char *name; };

#define T_BASIC "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7"
#define T_ESP "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
#define T_MSR "e3c9e316-0b5c-4db8-817d-f92df00215ae"
#define T_RECOVERY "de94bba4-06d1-4d40-a16a-bfd50179d6ac"
#define T_LDM_META "5808c8aa-7e8f-42e0-85d2-e1e90434cfb3"
#define T_LDM_DATA "af9b60a0-1431-4f62-bc68-3311714a69ad"

/* Primary and backup GPT of a disk of size bytes at sector size ss with
 * nent entries (n used).  damage: 1 spoils the primary header's CRC,
 * 2 writes no backup. */
static void
gpt (uint64_t size, unsigned ss, const char *disk_guid, unsigned nent,
     const struct gpt_part *p, unsigned n, int damage)
{
  uint64_t last = size / ss - 1;
  size_t esz = (size_t) nent * 128;
  uint64_t esect = (esz + ss - 1) / ss;
  uint8_t *ent = calloc (1, esect * ss);
  if (ent == NULL)
    die ("memory");
  for (unsigned i = 0; i < n; i++) {
    uint8_t *e = ent + 128 * i;
    guid (e, p[i].type);
    guid (e + 16, p[i].id);
    le64 (e + 32, p[i].lba);
    le64 (e + 40, p[i].lba + p[i].sectors - 1);
    le64 (e + 48, p[i].attrs);
    for (size_t k = 0; p[i].name && p[i].name[k] && k < 36; k++)
      le16 (e + 56 + 2 * k, (uint8_t) p[i].name[k]);
  }
  uint32_t ecrc = crc32 (ent, esz);
  for (int backup = 0; backup < 2; backup++) {
    if (backup && damage == 2)
      break;
    uint8_t h[512] = "EFI PART";
    le32 (h + 8, 0x00010000);
    le32 (h + 12, 92);
    le64 (h + 24, backup ? last : 1);
    le64 (h + 32, backup ? 1 : last);
    le64 (h + 40, 2 + esect);           /* first usable */
    le64 (h + 48, last - esect - 1);    /* last usable */
    guid (h + 56, disk_guid);
    uint64_t elba = backup ? last - esect : 2;
    le64 (h + 72, elba);
    le32 (h + 80, nent);
    le32 (h + 84, 128);
    le32 (h + 88, ecrc);
    le32 (h + 16, crc32 (h, 92));
    if (!backup && damage == 1)
      h[16] ^= 0xFF;
    put ((backup ? last : 1) * ss, h, sizeof h);
    put (elba * ss, ent, esect * ss);
  }
  free (ent);
}

/* The protective MBR (one 0xEE entry over the disk) or, with extra, a
 * hybrid one. */
static void
pmbr (uint64_t size, unsigned ss, const struct mbr_part *extra)
{
  uint64_t sectors = size / ss - 1;
  struct mbr_part p[4] = {
    { 0xEE, 1, sectors > 0xFFFFFFFF ? 0xFFFFFFFF : sectors },
  };
  if (extra)
    p[1] = *extra;
  uint8_t s[512] = { 0 };
  for (int i = 0; i < 4; i++)
    mbr_entry (s + 446 + 16 * i, p[i].type, p[i].lba, p[i].sectors);
  s[510] = 0x55, s[511] = 0xAA;
  put (0, s, sizeof s);
}

/* ---- the images -------------------------------------------------------------- */

static void
images (const char *d)
{
  /* The sample hive's MBR disk 7C1D9E42: D: @ 1 MiB (NTFS), E: @ 238475
   * MiB (FAT32), a letterless logical @ 512 GiB, and one more logical. */
  begin (d, "mbr-ext.img", 600 * GiB);
  {
    uint64_t e = 238475 * MiB / 512, ext = 500 * GiB / 512;
    struct mbr_part p[4] = {
      { 0x07, 2048, 100 * MiB / 512 },
      { 0x0C, e, 200 * MiB / 512 },
      { 0x0F, ext, 90 * GiB / 512 },
    };
    mbr (0, 0x7C1D9E42, p);
    /* logical 5 @ 512 GiB = ext + 12 GiB; logical 6 two EBRs on */
    uint64_t l5 = 12 * GiB / 512, l6link = 20 * GiB / 512;
    ebr (ext, 0, 0x07, l5, 1 * GiB / 512, l6link, 1 * GiB / 512 + 2048);
    ebr (ext, l6link, 0x07, 2048, 1 * GiB / 512, 0, 0);
    ntfs (MiB, 100 * MiB, 0x1A2B3C4D5E6F7081ULL, "DATA");
    fat32 (e * 512, 200 * MiB, 0x5EED1234, "STICK");
    ntfs ((ext + l5) * 512, GiB, 0x0102030405060708ULL, "ARCHIVE");
  }
  end ();

  /* The sample hive's GPT volumes: C: 51146fa9 (NTFS), ESP a452a769,
   * recovery 83eaf838 (hidden, no drive letter), an MSR between. */
  begin (d, "gpt.img", 256 * GiB);
  {
    struct gpt_part p[] = {
      { T_ESP, "a452a769-2582-4a98-b8fe-1a60227c4df6", 2048, 100 * MiB / 512,
        0, "EFI system partition" },
      { T_MSR, "0c6ad5c4-1f33-4bb3-8f1e-d3a1a0a1a1a1", 206848, 16 * MiB / 512,
        0, "Microsoft reserved partition" },
      { T_BASIC, "51146fa9-943d-479b-9598-be5a8c9516b6", 239616,
        200 * GiB / 512, 0, "Basic data partition" },
      { T_RECOVERY, "83eaf838-3395-4e7d-9ee8-971982a844f9",
        239616 + 200 * GiB / 512, 600 * MiB / 512,
        0x8000000000000001ULL, "" },
    };
    pmbr (256 * GiB, 512, NULL);
    gpt (256 * GiB, 512, "6b1f0e3d-0000-4f7e-8d51-0c3b2a1f9e84", 128, p, 4, 0);
    ntfs (239616 * 512, 200 * GiB, 0x00C8D1E2F3A4B5C6ULL, "Windows");
  }
  end ();

  /* GPT with a hybrid MBR (an MBR entry beside the 0xEE one). */
  begin (d, "gpt-hybrid.img", 8 * GiB);
  {
    struct gpt_part p[] = {
      { T_BASIC, "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6", 2048, GiB / 512,
        0xC000000000000000ULL, "hidden, no letter" },
    };
    struct mbr_part hyb = { 0x07, 2048, GiB / 512 };
    pmbr (8 * GiB, 512, &hyb);
    gpt (8 * GiB, 512, "11111111-2222-4333-8444-555555555555", 128, p, 1, 0);
  }
  end ();

  /* Primary GPT header damaged, backup good. */
  begin (d, "gpt-backup.img", 4 * GiB);
  {
    struct gpt_part p[] = {
      { T_BASIC, "0badc0de-0000-4000-8000-00000000b0b0", 2048, GiB / 512, 0, "" },
    };
    pmbr (4 * GiB, 512, NULL);
    gpt (4 * GiB, 512, "22222222-3333-4444-8555-666666666666", 128, p, 1, 1);
  }
  end ();

  /* 4096-byte sectors: the GPT at LBA 1 = byte 4096. */
  begin (d, "gpt-4k.img", 64 * GiB);
  {
    struct gpt_part p[] = {
      { T_BASIC, "4b4b4b4b-0000-4000-8000-000000004096", 256, 10 * GiB / 4096,
        0, "" },
    };
    pmbr (64 * GiB, 4096, NULL);
    gpt (64 * GiB, 4096, "33333333-4444-4555-8666-777777777777", 128, p, 1, 0);
    ntfs (256 * 4096, 10 * GiB, 0x4096409640964096ULL, "FOURK");
  }
  end ();

  /* Dynamic disks: MBR type 0x42, GPT LDM metadata + data. */
  begin (d, "dynamic-mbr.img", 16 * GiB);
  {
    struct mbr_part p[4] = { { 0x42, 63, 16 * GiB / 512 - 63 - 2048 } };
    mbr (0, 0xD1A2B3C4, p);
  }
  end ();
  begin (d, "dynamic-gpt.img", 16 * GiB);
  {
    struct gpt_part p[] = {
      { T_MSR, "aaaaaaaa-0000-4000-8000-000000000001", 2048, 16 * MiB / 512, 0, "" },
      { T_LDM_META, "aaaaaaaa-0000-4000-8000-000000000002", 34816, MiB / 512, 0, "" },
      { T_LDM_DATA, "aaaaaaaa-0000-4000-8000-000000000003", 36864, 8 * GiB / 512, 0, "" },
    };
    pmbr (16 * GiB, 512, NULL);
    gpt (16 * GiB, 512, "44444444-5555-4666-8777-888888888888", 128, p, 3, 0);
  }
  end ();

  /* No table: a bare NTFS filesystem (no Windows ID from a table). */
  begin (d, "bare-ntfs.img", 2 * GiB);
  ntfs (0, 2 * GiB, 0xBA5EBA11C0FFEE00ULL, "BARE");
  end ();

  /* The real hives' disks (../shared/testdata/real/MANIFEST.md). */
  begin (d, "win7-x86-usb.img", 80 * GiB);       /* C: = 5cbea03e @ 1 MiB */
  {
    struct mbr_part p[4] = { { 0x07, 2048, 80 * GiB / 512 - 4096 } };
    mbr (0, 0x5CBEA03E, p);
    ntfs (MiB, 80 * GiB - 2 * MiB, 0x7A7A7A7A01020304ULL, "Win7");
  }
  end ();
  begin (d, "win81-x64.img", 60 * GiB);  /* 273e4cfe: @ 1 MiB, C: @ 350 MiB+1 */
  {
    struct mbr_part p[4] = {
      { 0x07, 2048, 350 * MiB / 512 },
      { 0x07, 368050176 / 512, 50 * GiB / 512 },
    };
    mbr (0, 0x273E4CFE, p);
    ntfs (MiB, 350 * MiB, 0x5353535353535353ULL, "System Reserved");
    ntfs (368050176, 50 * GiB, 0x8181818181818181ULL, "");
  }
  end ();
  begin (d, "xp-m57.img", 20 * GiB);             /* C: = d350d350 @ 32256 */
  {
    struct mbr_part p[4] = { { 0x07, 63, 20 * GiB / 512 - 1024 } };
    mbr (0, 0xD350D350, p);
    ntfs (32256, 20 * GiB - MiB, 0x5757575757575757ULL, "M57");
  }
  end ();
  begin (d, "win10-1709.img", 128 * GiB);        /* C: = DMIO 09931f21 */
  {
    struct gpt_part p[] = {
      { T_RECOVERY, "5e1f0a2b-0000-4000-8000-00000000000a", 2048, 450 * MiB / 512,
        0x8000000000000001ULL, "Basic data partition" },
      { T_ESP, "5e1f0a2b-0000-4000-8000-00000000000b", 923648, 99 * MiB / 512, 0, "" },
      { T_MSR, "5e1f0a2b-0000-4000-8000-00000000000c", 1126400, 16 * MiB / 512, 0, "" },
      { T_BASIC, "09931f21-7faf-44a9-81d8-1e73c14b9eaf", 1159168, 100 * GiB / 512,
        0, "Basic data partition" },
    };
    pmbr (128 * GiB, 512, NULL);
    gpt (128 * GiB, 512, "10101010-1709-4000-8000-000000001709", 128, p, 4, 0);
    ntfs (1159168 * 512, 100 * GiB, 0x1709170917091709ULL, "");
  }
  end ();
  begin (d, "win10-1709-usb.img", 32 * GiB);     /* F: = 76d45981 @ 1 MiB */
  {
    struct mbr_part p[4] = { { 0x0C, 2048, 31 * GiB / 512 } };
    mbr (0, 0x76D45981, p);
    fat32 (MiB, 31 * GiB, 0x76D45981, "USB");
  }
  end ();

  /* A label from the disk is untrusted: terminal escapes, markup, CSV
   * formula and separators, which every format must escape. */
  begin (d, "hostile-label.img", 4 * GiB);
  {
    struct mbr_part p[4] = { { 0x07, 2048, 2 * GiB / 512 } };
    mbr (0, 0xBADBAD00, p);
    ntfs (MiB, 2 * GiB, 0x0BAD0BAD0BAD0BADULL, "=1+2\x1b[31mRED\"<&>\a,\n;x");
  }
  end ();

  /* Four 2 TiB disks for the benchmark. */
  for (int i = 0; i < 4; i++) {
    char name[32];
    snprintf (name, sizeof name, "bench-%d.img", i);
    begin (d, name, 2048 * GiB);
    struct gpt_part p[] = {
      { T_ESP, "be000000-0000-4000-8000-000000000001", 2048, 100 * MiB / 512, 0, "" },
      { T_MSR, "be000000-0000-4000-8000-000000000002", 206848, 16 * MiB / 512, 0, "" },
      { T_BASIC, "be000000-0000-4000-8000-000000000003", 239616, 1000 * GiB / 512, 0, "" },
      { T_BASIC, "be000000-0000-4000-8000-000000000004", 239616 + 1000 * GiB / 512,
        1000 * GiB / 512, 0, "" },
    };
    pmbr (2048 * GiB, 512, NULL);
    gpt (2048 * GiB, 512, "be000000-1111-4000-8000-000000000000", 128, p, 4, 0);
    ntfs (239616 * 512, 1000 * GiB, 0xBE0000000000000ULL + (uint64_t) i, "BENCH");
    end ();
  }

  /* Which filesystems are looked for by partition type: an NTFS boot
   * sector in the ESP (only FAT is looked for there) and in the MSR
   * (nothing is), a FAT32 ESP and an NTFS basic data partition (found),
   * and Linux swap in a basic data partition (as Linux made them until
   * 2012: found, after the Windows filesystems found nothing). */
  begin (d, "types.img", 4 * GiB);
  {
    struct gpt_part p[] = {
      { T_ESP, "7e500000-0000-4000-8000-000000000001", 2048, 100 * MiB / 512, 0, "" },
      { T_MSR, "7e500000-0000-4000-8000-000000000002", 206848, 16 * MiB / 512, 0, "" },
      { T_BASIC, "7e500000-0000-4000-8000-000000000003", 239616, GiB / 512, 0, "" },
      { T_ESP, "7e500000-0000-4000-8000-000000000004", 239616 + GiB / 512,
        100 * MiB / 512, 0, "" },
      { T_BASIC, "7e500000-0000-4000-8000-000000000005",
        239616 + (GiB + 100 * MiB) / 512, 64 * MiB / 512, 0, "" },
    };
    pmbr (4 * GiB, 512, NULL);
    gpt (4 * GiB, 512, "7e500000-1111-4000-8000-000000000000", 128, p, 5, 0);
    ntfs (2048 * 512, 100 * MiB, 0x7E50000000000001ULL, "INESP");
    ntfs (206848 * 512, 16 * MiB, 0x7E50000000000002ULL, "INMSR");
    ntfs (239616 * 512, GiB, 0x7E50000000000003ULL, "DATA");
    fat32 ((239616 + GiB / 512) * 512, 100 * MiB, 0x7E500004, "EFI");
    swap (239616 * 512 + GiB + 100 * MiB, 64 * MiB);
  }
  end ();

  /* ---- damaged ---- */
  begin (d, "bad-empty.img", 0);
  end ();
  /* A GPT whose file ends inside its entry array, no backup. */
  begin (d, "bad-gpt-truncated.img", 4 * GiB);
  {
    struct gpt_part p[] = {
      { T_BASIC, "7e7e7e7e-0000-4000-8000-000000000001", 2048, GiB / 512, 0, "" },
    };
    pmbr (4 * GiB, 512, NULL);
    gpt (4 * GiB, 512, "55555555-6666-4777-8888-999999999999", 128, p, 1, 2);
    if (ftruncate (fd, 8 * 512) < 0)
      die ("truncate");
  }
  end ();
  /* An MBR partition that runs 1 TiB past the end of a 1 GiB image. */
  begin (d, "bad-past-end.img", GiB);
  {
    struct mbr_part p[4] = {
      { 0x07, 2048, 512 * MiB / 512 },
      { 0x07, 600 * MiB / 512, 1024 * GiB / 512 },
    };
    mbr (0, 0x0E0D0C0B, p);
  }
  end ();
  /* 1,000 GPT entries, all used. */
  begin (d, "bad-gpt-1000.img", 64 * GiB);
  {
    static struct gpt_part p[1000];
    static char ids[1000][37];
    for (int i = 0; i < 1000; i++) {
      snprintf (ids[i], sizeof ids[i], "10001000-0000-4000-8000-%012d", i + 1);
      p[i] = (struct gpt_part) { T_BASIC, ids[i], 2048 + (uint64_t) i * 2048,
                                 2048, 0, "" };
    }
    pmbr (64 * GiB, 512, NULL);
    gpt (64 * GiB, 512, "66666666-7777-4888-8999-aaaaaaaaaaaa", 1000, p, 1000, 0);
  }
  end ();
  /* An EBR chain whose second link points back to the first EBR. */
  begin (d, "bad-ebr-loop.img", 8 * GiB);
  {
    uint64_t ext = GiB / 512;
    struct mbr_part p[4] = {
      { 0x07, 2048, 512 * MiB / 512 },
      { 0x05, ext, 4 * GiB / 512 },
    };
    mbr (0, 0x100B100B, p);
    ebr (ext, 0, 0x07, 2048, 256 * MiB / 512, GiB / 512, GiB / 512);
    /* link 0 would end the chain: the loop is third -> second */
    ebr (ext, GiB / 512, 0x07, 2048, 256 * MiB / 512, 2 * GiB / 512, GiB / 512);
    ebr (ext, 2 * GiB / 512, 0x07, 2048, 256 * MiB / 512, GiB / 512, GiB / 512);
  }
  end ();
}

int
main (int argc, char **argv)
{
  if (argc != 2) {
    fprintf (stderr, "usage: mkdisk DIR\n");
    return 2;
  }
  images (argv[1]);
  return 0;
}
