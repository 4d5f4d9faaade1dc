/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The regf fields mountdb reads or patches without hivex, by name (regf
 * specification by M. Suhanov: "Base block", "Hive bin", "Format of
 * transaction log files").  Offsets in bytes, little-endian fields.  One
 * place for them: regf.c, regfscan.c, logs*.c, evidence.c, logfiles.c and
 * the writer. */
#ifndef MOUNTDB_REGF_H
#define MOUNTDB_REGF_H

/* ---- base block (the first 4096 bytes of a primary file) ----------------- */
#define MD_REGF_SIZE          4096u /* the base block; hive bins follow */
#define MD_REGF_SIGNATURE     0     /* "regf" */
#define MD_REGF_SEQ1          4     /* primary sequence number */
#define MD_REGF_SEQ2          8     /* secondary sequence number */
#define MD_REGF_TIMESTAMP     12    /* Last written, FILETIME (8 bytes) */
#define MD_REGF_MAJOR         20    /* format version major (1) */
#define MD_REGF_MINOR         24    /* format version minor (3, 5, 6) */
#define MD_REGF_TYPE          28    /* file type: 0 primary, 1/2/6 log */
#define MD_REGF_FORMAT        32    /* file format: 1 direct memory load */
#define MD_REGF_ROOT_CELL     36    /* root key cell, from the first bin */
#define MD_REGF_HBINS_SIZE    40    /* bytes of hive bins data */
#define MD_REGF_CLUSTERING    44    /* clustering factor (1) */
#define MD_REGF_FILE_NAME     48    /* UTF-16LE, 64 bytes */
#define MD_REGF_FILE_NAME_LEN 64
#define MD_REGF_FLAGS         144   /* bit 0x1: pending transactions */
#define MD_REGF_CHECKSUM      508   /* XOR of the 127 dwords before it */
#define MD_REGF_SIGNATURE_TEXT "regf"

/* ---- hive bins (from MD_REGF_SIZE on) ------------------------------------ */
#define MD_HBIN_SIGNATURE     0     /* "hbin" */
#define MD_HBIN_OFFSET        4     /* its offset from the first bin */
#define MD_HBIN_SIZE          8     /* a multiple of 4096 */
#define MD_HBIN_TIMESTAMP     20    /* first bin: copy of Last written */
#define MD_HBIN_HEADER        32    /* cells follow */
#define MD_HBIN_ALIGN         4096u
#define MD_HBIN_SIGNATURE_TEXT "hbin"

/* ---- transaction logs ---------------------------------------------------- */
#define MD_LOG_BASE_SIZE      512u  /* a log's copy of the base block */
#define MD_LOG_SECTOR         512u  /* old-format page, HvLE alignment */
/* Old format (file type 1 or 2): after the base block copy. */
#define MD_DIRT_SIGNATURE     512   /* "DIRT" */
#define MD_DIRT_BITMAP        516   /* one bit per 512-byte page of bins */
#define MD_DIRT_SIGNATURE_TEXT "DIRT"
/* New format (file type 6): log entries from MD_LOG_BASE_SIZE on. */
#define MD_HVLE_SIGNATURE     0     /* "HvLE" */
#define MD_HVLE_SIZE          4     /* of the entry, a multiple of 512 */
#define MD_HVLE_FLAGS         8     /* the base block's Flags */
#define MD_HVLE_SEQUENCE      12
#define MD_HVLE_HBINS_SIZE    16    /* hive bins data size after it */
#define MD_HVLE_PAGE_COUNT    20    /* dirty pages */
#define MD_HVLE_HASH1         24    /* Marvin32 of the page data (8 bytes) */
#define MD_HVLE_HASH2         32    /* Marvin32 of the first 32 bytes */
#define MD_HVLE_HEADER        40    /* page references follow */
#define MD_HVLE_REF_SIZE      8     /* offset (4) + size (4) */
#define MD_HVLE_SIGNATURE_TEXT "HvLE"

/* ---- cells (offsets from the cell's body, after its 4-byte size) ------- */
#define MD_CELL_HEADER        4     /* int32 size, negative when allocated */
#define MD_NK_SIGNATURE       0     /* "nk" */
#define MD_NK_FLAGS           2     /* 0x20: name stored as Latin-1 */
#define MD_NK_LAST_WRITTEN    4     /* FILETIME (8 bytes) */
#define MD_NK_ACCESS_BITS     0x0C  /* 2nd byte: layered key bits (RS1+) */
#define MD_NK_SUBKEYS         0x14
#define MD_NK_SUBKEY_LIST     0x1C
#define MD_NK_VALUES          0x24
#define MD_NK_VALUE_LIST      0x28
#define MD_NK_SECURITY        0x2C
#define MD_NK_CLASS           0x30
#define MD_NK_NAME_LEN        0x48
#define MD_NK_CLASS_LEN       0x4A
#define MD_NK_NAME            0x4C
#define MD_VK_NAME_LEN        2
#define MD_VK_DATA_LEN        4     /* top bit: data inline */
#define MD_VK_DATA_OFF        8
#define MD_VK_TYPE            12
#define MD_VK_FLAGS           16    /* 0x0001: name stored as Latin-1 */
#define MD_VK_NAME            20

#endif
