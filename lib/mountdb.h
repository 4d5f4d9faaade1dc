/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libmountdb: the Windows mount manager's persistent name database
 * (SYSTEM\MountedDevices) in offline registry hives.
 *
 * Conventions (after hivex and libblkid):
 * - Every object is opaque and owned by the library; pointers returned by
 *   accessors stay valid until the owning handle is closed.
 * - Functions that can fail return 0 or a negative MOUNTDB_E_* code and, when
 *   the caller passes a mountdb_error, fill it with the code, errno and a
 *   message that names the file and the reason.  The library never prints.
 * - Lists are arrays with counts: mountdb_X_count() and mountdb_X_get(i),
 *   also for lists an object holds (mountdb_volume_entry_get (v, i)).
 * - Getters are nouns: mountdb_<object>_<attribute> (the handle's own
 *   attributes mountdb_<attribute>); verbs are for actions (open, check,
 *   parse, write); mountdb_<enum>_name (code) names a code.
 * - Rule IDs in comments (V3, F2, H8...) are defined in mountdb(1), RULES;
 *   the library is described in mountdb(3), plan files in mountdb-plan(5).
 */
#ifndef MOUNTDB_H
#define MOUNTDB_H

#include <stddef.h>
#include <stdint.h>
#include "mountdb-version.h" /* MOUNTDB_VERSION_MAJOR, ... _STRING */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ----------------------------------------------------------- */

enum mountdb_errcode {
  MOUNTDB_OK = 0,
  MOUNTDB_E_NOMEM = -1,     /* out of memory */
  MOUNTDB_E_INVAL = -2,     /* bad argument */
  MOUNTDB_E_IO = -3,        /* open/read failed (see sys_errno) */
  MOUNTDB_E_NOTREG = -4,    /* not a regular file, or a symbolic link */
  MOUNTDB_E_FORMAT = -5,    /* not a registry hive (signature, sizes) */
  MOUNTDB_E_CORRUPT = -6,   /* a hive hivex refuses to open */
  MOUNTDB_E_TOOBIG = -7,    /* larger than MOUNTDB_MAX_HIVE_SIZE */
  MOUNTDB_E_CRYPTO = -8,    /* hashing failed */
  MOUNTDB_E_NOMATCH = -20,  /* a volume spec names no volume */
  MOUNTDB_E_AMBIGUOUS = -21,/* a volume spec names several volumes */
  MOUNTDB_E_REFUSED = -22,  /* a rule forbids it (W, H, F rules) */
  MOUNTDB_E_EXISTS = -23,   /* the output file exists */
};

typedef struct mountdb_error {
  int code;                 /* enum mountdb_errcode */
  int sys_errno;            /* errno when relevant, else 0 */
  char message[1024];       /* "FILE: reason", UTF-8, NUL-terminated */
} mountdb_error;

const char *mountdb_strerror (int code);
/* The code's stable name, as the JSON and XML documents print it: "ok",
 * "nomem", "invalid", "io", "not_regular", "format", "corrupt", "too_big",
 * "crypto", "no_match", "ambiguous", "refused", "exists"; "unknown" for
 * anything else. */
const char *mountdb_error_name (int code);
/* The linked library's version, "MAJOR.MINOR.MICRO" (the headers':
 * MOUNTDB_VERSION_STRING). */
const char *mountdb_version (void);

/* ---- opening a hive (F1, F2) ------------------------------------------- */

/* The input is opened once, read-only (O_NOFOLLOW, O_NOATIME when allowed),
 * hashed while read and parsed from an in-memory copy; it is never written.
 * The hash of the copy runs on a thread beside the parse, joined before
 * mountdb_open returns. */
#define MOUNTDB_OPEN_NO_HASH  0x1u  /* skip SHA-256 (pipelines) */
#define MOUNTDB_OPEN_UNSAFE   0x2u  /* HIVEX_OPEN_UNSAFE: damaged hives, read-only */
#define MOUNTDB_OPEN_NO_LOGS  0x4u  /* a dirty hive: read the primary alone */

/* Hives larger than this are refused (MOUNTDB_E_TOOBIG): regf caps hive bins
 * at 4 GiB, and the cap keeps a hostile input from exhausting memory. */
#define MOUNTDB_MAX_HIVE_SIZE ((uint64_t) 4 << 30)

typedef struct mountdb mountdb;

int mountdb_open (const char *path, unsigned flags, mountdb **out,
                  mountdb_error *err);
/* The same with explicit transaction logs (section 8, L rules).  With
 * nlogs == 0, logs are looked for beside the hive: HIVE.LOG1, HIVE.LOG2
 * and HIVE.LOG, any letter case.  A dirty hive is replayed with its logs
 * into the in-memory copy (never into a file, F4); the logs are read once
 * and hashed like the hive. */
int mountdb_open_with_logs (const char *path, unsigned flags,
                            const char *const *logs, size_t nlogs,
                            mountdb **out, mountdb_error *err);
void mountdb_close (mountdb *db);
/* Threads (mountdb(3), THREAD SAFETY): the functions that take a const
 * mountdb * (accessors, mountdb_txn_new, mountdb_write, its dry run) may
 * run on one handle from several threads at once, each thread with its
 * own transaction; mountdb_check and mountdb_close need the handle to
 * themselves.  A transaction or report is used by one thread at a time. */

/* ---- the input file and its base block -------------------------------- */

const char *mountdb_path (const mountdb *db);
uint64_t mountdb_file_size (const mountdb *db);
/* 64 lower-case hex digits, or NULL with MOUNTDB_OPEN_NO_HASH. */
const char *mountdb_sha256 (const mountdb *db);
unsigned mountdb_open_flags (const mountdb *db);

/* Parsed without hivex, from the first 4096 bytes (regf base block). */
typedef struct mountdb_header {
  int signature_ok;         /* "regf" */
  uint32_t seq1, seq2;      /* primary and secondary sequence numbers */
  uint64_t last_written;    /* FILETIME (100 ns since 1601), 0 if unset */
  uint32_t major, minor;    /* format version, e.g. 1.3, 1.5 */
  uint32_t file_type;       /* 0 primary, 1/2 old log, 6 new log */
  uint32_t file_format;     /* 1 = direct memory load */
  uint32_t root_offset;     /* root cell, relative to the first hive bin */
  uint32_t hbins_size;      /* hive bins data size */
  uint32_t clustering;
  uint32_t checksum_stored;
  uint32_t checksum_computed; /* Windows' rule: XOR, 0 -> 1, ~0 -> ~1 */
  int checksum_ok;
  int dirty;                /* seq1 != seq2 or checksum bad (L rules) */
  char embedded_name[128];  /* UTF-8 of the 64-byte UTF-16 name field,
                               control characters kept: escape on output */
} mountdb_header;

/* Pure: parses len bytes (>= 4096 for a full result).  Returns 0, or
 * MOUNTDB_E_FORMAT when the bytes are too short or the signature is wrong
 * (fields that could be read are still filled). */
int mountdb_header_parse (const void *buf, size_t len, mountdb_header *out);
uint32_t mountdb_header_checksum (const void *base_block_508);
const mountdb_header *mountdb_file_header (const mountdb *db);

/* ---- transaction logs (section 8) ---------------------------------------- */

/* 1 when the results come from the primary plus its logs (F4). */
int mountdb_logs_applied (const mountdb *db);
/* The outcome in one line: "applied LOG1, LOG2: sequence 2107-2130, 143
 * pages", or why nothing was applied; NULL when the hive is clean and no
 * log was looked at. */
const char *mountdb_logs_summary (const mountdb *db);
/* First and last sequence numbers applied, pages applied (0 when none). */
void mountdb_logs_range (const mountdb *db, uint32_t *first, uint32_t *last,
                         uint64_t *pages);
/* The base block of the image analysed: the primary's, or the recovered
 * one after replay (clean, both sequence numbers equal). */
const mountdb_header *mountdb_image_header (const mountdb *db);

typedef struct mountdb_log_info {
  const char *path;
  uint64_t size;
  const char *sha256;       /* NULL with MOUNTDB_OPEN_NO_HASH */
  int format;               /* 0 unknown/absent, 1 old (DIRT), 6 new (HvLE) */
  int valid;                /* its base block is usable */
  int used;                 /* contributed pages to the image */
  uint32_t first_seq, last_seq, entries;
  uint64_t pages;
  const char *note;         /* what happened to it, in words */
} mountdb_log_info;
enum mountdb_log_format {    /* mountdb_log_info.format */
  MOUNTDB_LOG_FORMAT_NONE = 0, /* absent, empty or unrecognised */
  MOUNTDB_LOG_FORMAT_OLD = 1,  /* file type 1 or 2: DIRT bitmap */
  MOUNTDB_LOG_FORMAT_NEW = 6,  /* file type 6: HvLE entries */
};
/* "unknown", "old", "new". */
const char *mountdb_log_format_name (int format);
size_t mountdb_log_count (const mountdb *db);
const mountdb_log_info *mountdb_log_get (const mountdb *db, size_t i);

/* ---- the MountedDevices key -------------------------------------------- */

enum mountdb_key_state {
  MOUNTDB_KEY_PRESENT = 0,
  MOUNTDB_KEY_ABSENT = 1,     /* V1: Windows 2000+ recreates it at boot */
  MOUNTDB_KEY_NO_ROOT = 2,    /* the hive has no readable root key */
  MOUNTDB_KEY_UNREADABLE = 3, /* present but its value list cannot be read */
};
int mountdb_key_state (const mountdb *db);
/* "present", "absent", "no_root", "unreadable"; "unknown" otherwise. */
const char *mountdb_key_state_name (int state);
uint64_t mountdb_key_last_written (const mountdb *db); /* FILETIME, 0 if none */

/* ---- the current control set (V11) -------------------------------------- */

enum mountdb_value_state {
  MOUNTDB_VALUE_ABSENT = 0,      /* value (or its key) does not exist */
  MOUNTDB_VALUE_OK = 1,
  MOUNTDB_VALUE_BAD = 2,         /* wrong type or size, or unreadable */
  MOUNTDB_VALUE_NO_CONTROL_SET = 3, /* Select\Current names no ControlSet00N */
};
/* Select\Current: the N of ControlSet00N the last session ran from (0 in
 * setup-phase hives); the next boot loads Select\Default. */
int mountdb_select_current (const mountdb *db, uint32_t *n);
/* ControlSet00N\Services\mountmgr\NoAutoMount of the boot control set
 * (mountdb_boot_control_set; 1 = new basic volumes get no automatic
 * letter, `mountvol /N`). */
int mountdb_noautomount (const mountdb *db, uint32_t *value);

/* Select\Default: the control set the next boot loads (section 1). */
int mountdb_select_default (const mountdb *db, uint32_t *n);
/* The N of the ControlSet00N that boot-time settings (NoAutoMount,
 * SanPolicy) are read from and written to: Select\Default when it names
 * an existing control set, else Select\Current; 0 when neither does. */
uint32_t mountdb_boot_control_set (const mountdb *db);
/* That control set's Services\partmgr\Parameters\SanPolicy: 1 online
 * all, 2 offline shared, 3 offline all, 4 offline internal (V11). */
int mountdb_san_policy (const mountdb *db, uint32_t *value);
/* Setup\SystemSetupInProgress (1 = a setup-phase hive). */
int mountdb_setup_in_progress (const mountdb *db, uint32_t *value);

/* ---- what kind of hive this is ------------------------------------------ */

/* From the keys at the root: SYSTEM has Select, ControlSet00N or
 * MountedDevices; a user hive Software with Environment or Control Panel;
 * and so on.  Only a SYSTEM hive holds MountedDevices: writes to any other
 * kind are refused (MOUNTDB_E_REFUSED). */
enum mountdb_hive_kind {
  MOUNTDB_HIVE_SYSTEM = 0,
  MOUNTDB_HIVE_UNKNOWN = 1,   /* none of the signals below (e.g. empty) */
  MOUNTDB_HIVE_NTUSER = 2,    /* a user's NTUSER.DAT */
  MOUNTDB_HIVE_USRCLASS = 3,  /* a user's UsrClass.dat */
  MOUNTDB_HIVE_SOFTWARE = 4,
  MOUNTDB_HIVE_SAM = 5,
  MOUNTDB_HIVE_SECURITY = 6,
  MOUNTDB_HIVE_BCD = 7,       /* a boot configuration data store */
  MOUNTDB_HIVE_COMPONENTS = 8,
};
int mountdb_hive_kind (const mountdb *db);
/* "system", "unknown", "ntuser", "usrclass", "software", "sam",
 * "security", "bcd", "components". */
const char *mountdb_hive_kind_name (int kind);
/* Differencing hive (regf 1.6, or a key node with layer bits set: the
 * root or MountedDevices): its values are a delta over a base hive, never
 * the whole database.  Writes are refused. */
int mountdb_layered (const mountdb *db);

/* The Windows generation, inferred from the boot control set's services
 * (V1, V8).  A full Services key has 20 or more subkeys (real ones have
 * hundreds).  WIN10 = MountMgr and DoSvc or NgcSvc present (services only
 * Windows 10 and later install); PRE10 = a full Services key with MountMgr
 * and neither of those; NT4 = a full Services key without MountMgr (no
 * mount manager); UNKNOWN otherwise (no control set, or a partial one). */
enum mountdb_winver {
  MOUNTDB_WINVER_UNKNOWN = 0,
  MOUNTDB_WINVER_NT4 = 1,
  MOUNTDB_WINVER_PRE10 = 2,
  MOUNTDB_WINVER_10 = 3,
};
int mountdb_windows_version (const mountdb *db);
/* "unknown", "nt4", "2000-8.1", "10". */
const char *mountdb_windows_version_name (int v);

/* ---- unique IDs (value data), decoded without hivex -------------------- */

enum mountdb_shape {
  MOUNTDB_SHAPE_MBR = 0,        /* 12 bytes: signature + byte offset */
  MOUNTDB_SHAPE_DMIO,           /* "DMIO:ID:" + GUID: GPT or LDM */
  MOUNTDB_SHAPE_DEVICE_PATH,    /* UTF-16LE \??\BUS#TYPE#INSTANCE#{CLASS} */
  MOUNTDB_SHAPE_FT8,            /* 8 bytes, NT4-era FT id */
  MOUNTDB_SHAPE_ZERO,           /* all bytes zero */
  MOUNTDB_SHAPE_ASCII,          /* Wine: NUL-terminated ASCII path */
  MOUNTDB_SHAPE_OPAQUE,         /* anything else, including empty */
};

typedef struct mountdb_uid mountdb_uid;

enum mountdb_field_kind { MOUNTDB_FIELD_STRING = 0, MOUNTDB_FIELD_UINT = 1,
                          MOUNTDB_FIELD_BOOL = 2 };
/* "string", "uint", "bool"; NULL otherwise. */
const char *mountdb_field_kind_name (int kind);

/* Pure decoder: never reads outside data[0..len). Returns NULL only when
 * out of memory.  Free with mountdb_uid_free. */
mountdb_uid *mountdb_uid_decode (const void *data, size_t len);
void mountdb_uid_free (mountdb_uid *uid);

int mountdb_uid_shape (const mountdb_uid *uid);
const char *mountdb_shape_name (int shape); /* "mbr", "dmio", ... */
/* One line in words: "MBR disk 5CBEA03E @ 1 MiB", "USB disk HP v100w, ..." */
const char *mountdb_uid_summary (const mountdb_uid *uid);
/* Typed shortcuts; 0 / NULL when the shape has no such part. */
uint32_t mountdb_uid_disk_signature (const mountdb_uid *uid);
uint64_t mountdb_uid_partition_offset (const mountdb_uid *uid);
const char *mountdb_uid_guid (const mountdb_uid *uid); /* lower case, no braces */
/* The shape's fields in a stable order, as named in the JSON schema
 * (disk_signature, partition_offset, guid, path, bus, vendor, ...).
 * String values are UTF-8 (U+FFFD for invalid UTF-16). */
size_t mountdb_uid_field_count (const mountdb_uid *uid);
int mountdb_uid_field_get (const mountdb_uid *uid, size_t i,
                           const char **key, int *kind, const char **str,
                           uint64_t *num);

/* ---- disks: partition tables and the IDs their volumes get ------------ */

/* A disk read with libblkid: a block device or a raw image (a loop device,
 * qemu-nbd, ewfmount's or vhdimount's output...).  Opened once, read-only
 * (F1: O_NOFOLLOW, O_NOATIME when allowed), never written; the handle
 * keeps no descriptor.  Which partitions get a unique ID follows
 * mountdb(1), DISKS (partly inferred: see there). */
typedef struct mountdb_disk mountdb_disk;
typedef struct mountdb_partition mountdb_partition;

/* sector_size 0: from the device (BLKSSZGET); for an image 512 unless a
 * GPT is found at 4096.  Otherwise 512, 1024, 2048 or 4096.
 * Errors: MOUNTDB_E_IO / E_NOTREG (directory, FIFO, character device,
 * symbolic link) / E_FORMAT (empty, unreadable table) / E_INVAL, message
 * "PATH: reason". */
int mountdb_disk_open (const char *path, unsigned sector_size,
                       mountdb_disk **out, mountdb_error *err);
void mountdb_disk_close (mountdb_disk *disk);
const char *mountdb_disk_path (const mountdb_disk *disk);
uint64_t mountdb_disk_size (const mountdb_disk *disk);      /* bytes */
unsigned mountdb_disk_sector_size (const mountdb_disk *disk);
enum mountdb_table { MOUNTDB_TABLE_NONE = 0, MOUNTDB_TABLE_MBR,
                     MOUNTDB_TABLE_GPT, MOUNTDB_TABLE_DYNAMIC };
int mountdb_disk_table (const mountdb_disk *disk);
/* "none", "mbr", "gpt", "dynamic"; NULL otherwise. */
const char *mountdb_table_name (int table);
#define MOUNTDB_DISK_PROTECTIVE_MBR 0x1u
#define MOUNTDB_DISK_HYBRID_MBR     0x2u
#define MOUNTDB_DISK_GPT_BACKUP     0x4u  /* primary GPT bad, backup used */
unsigned mountdb_disk_flags (const mountdb_disk *disk);
/* MBR (also a dynamic MBR disk), 0 if none. */
uint32_t mountdb_disk_signature (const mountdb_disk *disk);
/* GPT (also a dynamic GPT disk), lower case, or NULL. */
const char *mountdb_disk_guid (const mountdb_disk *disk);
/* Problems that did not stop the probe (EBR loop cut, backup GPT used,
 * partition past the end): one line each, "PATH: reason". */
size_t mountdb_disk_warning_count (const mountdb_disk *disk);
const char *mountdb_disk_warning_get (const mountdb_disk *disk, size_t i);
/* In table order (MBR: primaries, then logicals in chain order). */
size_t mountdb_disk_partition_count (const mountdb_disk *disk);
const mountdb_partition *mountdb_disk_partition_get (const mountdb_disk *disk,
                                                     size_t i);

unsigned mountdb_partition_number (const mountdb_partition *p); /* logical from 5 */
uint64_t mountdb_partition_start (const mountdb_partition *p);  /* bytes, absolute */
uint64_t mountdb_partition_size (const mountdb_partition *p);   /* bytes */
unsigned mountdb_partition_mbr_type (const mountdb_partition *p); /* 0 on GPT */
/* GPT, lower case, or NULL. */
const char *mountdb_partition_type_guid (const mountdb_partition *p);
/* Stable words: "basic_data", "msr", "esp", "recovery", "ldm_metadata",
 * "ldm_data", "storage_spaces", "extended", "ntfs_exfat", "fat32", ...
 * (mountdb(1), DISKS); NULL when unknown. */
const char *mountdb_partition_type_name (const mountdb_partition *p);
const char *mountdb_partition_guid (const mountdb_partition *p); /* GPT, or NULL */
uint64_t mountdb_partition_attributes (const mountdb_partition *p); /* GPT bits */
#define MOUNTDB_GPT_ATTR_HIDDEN          (UINT64_C(1) << 62)
#define MOUNTDB_GPT_ATTR_NO_DRIVE_LETTER (UINT64_C(1) << 63)
int mountdb_partition_logical (const mountdb_partition *p);
/* The filesystem found in it: "ntfs", "vfat", "exfat"... or NULL. */
const char *mountdb_partition_fs (const mountdb_partition *p);
/* Filesystem label, UTF-8 or NULL: untrusted (escape it). */
const char *mountdb_partition_label (const mountdb_partition *p);
/* Volume serial as libblkid's UUID ("0123456789ABCDEF" NTFS, "1A2B-3C4D"
 * FAT), or NULL. */
const char *mountdb_partition_serial (const mountdb_partition *p);
/* The unique ID Windows stores for this partition's volume (12-byte MBR
 * ID, or "DMIO:ID:" + partition GUID), NULL when it gets none (extended
 * container, MSR, dynamic/LDM, no table). */
const uint8_t *mountdb_partition_unique_id (const mountdb_partition *p,
                                            size_t *len);
/* The volume spec for it: "mbr:5CBEA03E:1048576", "gpt:GUID"; NULL as above. */
const char *mountdb_partition_spec (const mountdb_partition *p);
const mountdb_disk *mountdb_partition_disk (const mountdb_partition *p);

/* ---- GUIDs in names (volume GUID names, no-letter markers) ------------- */

typedef struct mountdb_guid_info {
  int version;              /* UUID version nibble */
  int variant;              /* 2 = RFC 4122 */
  int has_time;             /* version 1 only */
  uint64_t time_filetime;   /* v1 timestamp as FILETIME */
  int has_node;             /* version 1 only */
  uint8_t node[6];
  int node_kind;            /* enum mountdb_node_kind */
  int mbr_derived;          /* Data2 = Data3 = 0: Data1 is a disk signature */
  uint32_t mbr_signature;
} mountdb_guid_info;

enum mountdb_node_kind {
  MOUNTDB_NODE_NONE = 0,
  MOUNTDB_NODE_MAC = 1,         /* globally administered unicast MAC */
  MOUNTDB_NODE_PLACEHOLDER = 2, /* 806e6f6e6963, 806d6172696f: not a MAC */
  MOUNTDB_NODE_LOCAL = 3,       /* multicast/locally administered bit set */
};
/* "none", "mac", "placeholder", "local"; NULL otherwise. */
const char *mountdb_node_kind_name (int kind);

/* Pure: 16 bytes in Windows binary layout. */
void mountdb_guid_inspect (const uint8_t guid[16], mountdb_guid_info *out);
/* Lower-case 8-4-4-4-12 text, no braces; out must hold 37 bytes. */
void mountdb_guid_format (const uint8_t guid[16], char out[37]);

/* ---- entries: one per value, in the key's value order ------------------ */

enum mountdb_class {
  MOUNTDB_CLASS_DRIVE_LETTER = 0,
  MOUNTDB_CLASS_VOLUME_GUID,
  MOUNTDB_CLASS_NO_LETTER,
  MOUNTDB_CLASS_MOUNT_POINT,
  MOUNTDB_CLASS_OTHER,
};
const char *mountdb_class_name (int cls); /* "drive_letter", ... */
/* The class in words for messages: "a drive letter", "a volume GUID
 * name", "a no-letter marker", "a folder mount point", "a known name". */
const char *mountdb_class_description (int cls);

/* Name flags (H8: classified on the exact stored spelling). */
#define MOUNTDB_NAME_CASE_VARIANT   0x01u /* a known form but for case: "other" */
#define MOUNTDB_NAME_BAD_UTF16      0x02u /* unpaired surrogates */
#define MOUNTDB_NAME_CONTROL        0x04u /* control characters (incl. NUL) */
#define MOUNTDB_NAME_MALFORMED_GUID 0x08u /* GUID-like form with a bad GUID */
#define MOUNTDB_NAME_UPPER_HEX      0x10u /* GUID hex digits not lower case */
#define MOUNTDB_NAME_LATIN1         0x20u /* stored as compressed (ASCII) name */
#define MOUNTDB_NAME_PREFIX_CASE    0x40u /* \DosDevices\ prefix in another
                                             case: still a drive letter */
/* One flag's stable name: "case_variant", "bad_utf16", "control",
 * "malformed_guid", "upper_hex", "latin1", "prefix_case"; NULL for
 * anything that is not exactly one MOUNTDB_NAME_* bit. */
const char *mountdb_name_flag_name (unsigned flag);

typedef struct mountdb_entry mountdb_entry;

size_t mountdb_entry_count (const mountdb *db);
const mountdb_entry *mountdb_entry_get (const mountdb *db, size_t i);
/* The entry's position in value order (the i of mountdb_entry_get). */
size_t mountdb_entry_index (const mountdb_entry *e);

/* UTF-8 (U+FFFD for invalid UTF-16); may contain control characters. */
const char *mountdb_entry_name (const mountdb_entry *e);
/* The stored name as UTF-16 code units (Latin-1 names widened). */
const uint16_t *mountdb_entry_name_utf16 (const mountdb_entry *e, size_t *n);
int mountdb_entry_class (const mountdb_entry *e);
unsigned mountdb_entry_name_flags (const mountdb_entry *e);
/* For MOUNTDB_NAME_CASE_VARIANT: the class the name would have ignoring case. */
int mountdb_entry_variant_of (const mountdb_entry *e);
/* 'A'..'Z' for drive letters and mount points (the host volume), else 0. */
char mountdb_entry_letter (const mountdb_entry *e);
const char *mountdb_entry_mount_path (const mountdb_entry *e); /* or NULL */
const char *mountdb_entry_guid (const mountdb_entry *e); /* lower case, or NULL */
const mountdb_guid_info *mountdb_entry_guid_info (const mountdb_entry *e);
uint32_t mountdb_entry_type (const mountdb_entry *e);
/* Registry value types (winnt.h values; mountdb_entry_type). */
enum mountdb_reg_type {
  MOUNTDB_REG_NONE = 0,
  MOUNTDB_REG_SZ = 1,
  MOUNTDB_REG_EXPAND_SZ = 2,
  MOUNTDB_REG_BINARY = 3,       /* the only type the mount manager reads */
  MOUNTDB_REG_DWORD = 4,
  MOUNTDB_REG_DWORD_BIG_ENDIAN = 5,
  MOUNTDB_REG_LINK = 6,
  MOUNTDB_REG_MULTI_SZ = 7,
  MOUNTDB_REG_RESOURCE_LIST = 8,
  MOUNTDB_REG_FULL_RESOURCE_DESCRIPTOR = 9,
  MOUNTDB_REG_RESOURCE_REQUIREMENTS_LIST = 10,
  MOUNTDB_REG_QWORD = 11,
};
/* "REG_BINARY", ...; "REG_UNKNOWN" for types past REG_QWORD (11), so
 * outputs also carry the numeric type. */
const char *mountdb_type_name (uint32_t type);
const uint8_t *mountdb_entry_data (const mountdb_entry *e, size_t *len);
const mountdb_uid *mountdb_entry_uid (const mountdb_entry *e);
/* 0, or the error (MOUNTDB_E_CORRUPT...) met reading this value's data. */
int mountdb_entry_error (const mountdb_entry *e);
/* Index into the volume list, or (size_t) -1 for values that are not
 * REG_BINARY or could not be read (the mount manager ignores them). */
size_t mountdb_entry_volume (const mountdb_entry *e);

/* ---- volumes: names grouped by identical REG_BINARY data --------------- */

typedef struct mountdb_volume mountdb_volume;

size_t mountdb_volume_count (const mountdb *db);
const mountdb_volume *mountdb_volume_get (const mountdb *db, size_t i);
const uint8_t *mountdb_volume_data (const mountdb_volume *v, size_t *len);
const mountdb_uid *mountdb_volume_uid (const mountdb_volume *v);
/* All entries of the volume, in value order. */
size_t mountdb_volume_entry_count (const mountdb_volume *v);
const mountdb_entry *mountdb_volume_entry_get (const mountdb_volume *v,
                                               size_t i);
/* The stable volume GUID Windows 10 derives, unstored, for an MBR volume
 * (V8): Data1 = disk signature, Data2 = Data3 = 0, Data4 = the offset
 * bytes as stored.  Fills out (lower case, no braces) and returns 1 for
 * an MBR-shaped ID, else returns 0.  Pure: says nothing about whether the
 * hive is from Windows 10 (see mountdb_windows_version). */
int mountdb_volume_derived_guid (const mountdb_volume *v, char out[37]);

/* ---- policy checks (section 5: V rules), one function per rule ---------- */

enum mountdb_severity {
  MOUNTDB_SEV_INFO = 0,
  MOUNTDB_SEV_WARNING = 1,
  MOUNTDB_SEV_ERROR = 2,
};
const char *mountdb_severity_name (int sev); /* "info", "warning", "error" */
/* Parses "info", "warning", "error"; returns -1 for anything else. */
int mountdb_severity_parse (const char *s);

typedef struct mountdb_finding mountdb_finding;

/* Validate the database the way the mount manager will read it at next
 * boot.  system_letter is the Windows volume's letter ('A'..'Z'; 0 means
 * 'C').  Findings are owned by the handle; a new run replaces them.
 * Returns 0, MOUNTDB_E_INVAL or MOUNTDB_E_NOMEM. */
int mountdb_check (mountdb *db, char system_letter);
size_t mountdb_finding_count (const mountdb *db);
const mountdb_finding *mountdb_finding_get (const mountdb *db, size_t i);
/* Stable rule ID: "V1".."V14" (section 5), "L1" dirty hive read without
 * its logs, "R1" unreadable value, "R2" unreadable key or root, "R3" read
 * in unsafe mode, "R4" not a SYSTEM hive, "R5" differencing hive. */
const char *mountdb_finding_rule (const mountdb_finding *f);
int mountdb_finding_severity (const mountdb_finding *f);
/* One line in plain words that says what Windows will do. */
const char *mountdb_finding_message (const mountdb_finding *f);
/* The values involved, in value order. */
size_t mountdb_finding_entry_count (const mountdb_finding *f);
const mountdb_entry *mountdb_finding_entry_get (const mountdb_finding *f,
                                                size_t i);

/* ---- volumes on disks: correlation, disk rules, remap tables (issue 13) - */

/* Where each volume of the hive is on a set of opened disks (the disks
 * section above).  IDs are compared by exact length and bytes, as
 * Windows does (section 3). */
enum mountdb_disk_status {
  MOUNTDB_DISK_PRESENT = 0,     /* a partition of a given disk has the ID */
  MOUNTDB_DISK_ABSENT = 1,      /* on none of the given disks */
  MOUNTDB_DISK_UNRESOLVED = 2,  /* no partition table can say: device
                                   paths (USB sticks, CD-ROMs) and other
                                   non-partition IDs, and IDs that may be
                                   a given dynamic disk's (V14) */
};
/* "present", "absent", "unresolved"; "unknown" otherwise. */
const char *mountdb_disk_status_name (int status);
typedef struct mountdb_correlation mountdb_correlation;
/* disks[i] may be NULL (a disk that failed to open counts as no disk).
 * The result refers to the disks' partitions: free it before closing
 * them.  Returns 0, MOUNTDB_E_INVAL or MOUNTDB_E_NOMEM. */
int mountdb_correlate (const mountdb *db, const mountdb_disk *const *disks,
                       size_t ndisks, mountdb_correlation **out,
                       mountdb_error *err);
void mountdb_correlation_free (mountdb_correlation *c);
/* For volume i (mountdb_volume_get order): enum mountdb_disk_status, or
 * MOUNTDB_E_INVAL for an index out of range. */
int mountdb_correlation_status (const mountdb_correlation *c, size_t volume);
/* The partition that holds it (PRESENT; the first when several do),
 * else NULL. */
const mountdb_partition *mountdb_correlation_partition (
  const mountdb_correlation *c, size_t volume);

/* mountdb_check plus the rules that need the disks: V9 (a drive letter
 * whose volume is on none of the disks: info, error for the system
 * letter), V10 (the system letter's partition is not NTFS), V12 (two
 * disks with one MBR signature, or one ID on two partitions), V13 (a
 * letter for a GPT partition with the no-drive-letter attribute), V14
 * (DMIO IDs that may be on a given dynamic disk: never stale).  disks[i]
 * may be NULL.  Returns as mountdb_check. */
int mountdb_check_disks (mountdb *db, char system_letter,
                         const mountdb_disk *const *disks, size_t ndisks);

/* W1 from layouts: the old->new ID table for `remap --to-disk`.  Without
 * an old disk (from NULL): the hive's MBR volumes, grouped by disk
 * signature, map to the partitions of `to` at the same start offset
 * (a clone, a new signature, MBR->GPT in place); the one group that maps
 * whole is used (from_signature != 0: that group only).  With the old
 * disk: each of its partitions whose ID the hive holds maps to the
 * partition of `to` with the same number and filesystem serial (the same
 * serial alone when renumbered; number and start when it has no serial).
 * Returns 0 with a complete table (rows whose ID is unchanged included;
 * no rows when the hive already names `to`'s volumes), or
 * MOUNTDB_E_NOMATCH / MOUNTDB_E_AMBIGUOUS with err naming the old volume
 * with no or several candidates: *out then still holds the rows with
 * their verdicts (for --dry-run), which must not be applied.  Rows point
 * into db and the disks: free the table first. */
typedef struct mountdb_remap_row {
  const uint8_t *old_id;        /* as the hive holds it */
  size_t old_len;
  const uint8_t *new_id;        /* NULL when not matched */
  size_t new_len;
  const mountdb_partition *partition; /* the match in `to`, or NULL */
  size_t candidates;            /* 1 matched, 0 none, > 1 several */
  int unchanged;                /* the match has the same ID already */
  const char *why;              /* why it matched, or did not, in words */
} mountdb_remap_row;
typedef struct mountdb_remap_table mountdb_remap_table;
int mountdb_remap_derive (const mountdb *db, const mountdb_disk *to,
                          const mountdb_disk *from, uint32_t from_signature,
                          mountdb_remap_table **out, mountdb_error *err);
size_t mountdb_remap_row_count (const mountdb_remap_table *t);
const mountdb_remap_row *mountdb_remap_row_get (const mountdb_remap_table *t,
                                                size_t i);
void mountdb_remap_table_free (mountdb_remap_table *t);

/* ---- naming a volume (one syntax everywhere: CLI, plans, library) ------- */

/* A volume spec:  "C:"               the volume that holds this letter now
 *                 "{GUID}" or "\\??\\Volume{GUID}"  a volume GUID name
 *                 "mbr:SIG:OFFSET"   MBR identity; OFFSET in bytes or with a
 *                                    unit: 1MiB, 2048s (sectors of 512), ...
 *                 "gpt:GUID"         GPT/DMIO identity ("DMIO:ID:" + GUID)
 *                 "hex:BYTES"        raw unique-ID bytes
 *                 "disk:PATH:N"      partition N of a disk or image (the
 *                                    ID it gets, read from the disk when
 *                                    the spec is resolved, issue 13)
 * The last three carry the unique ID itself, so they can name a volume the
 * hive does not know yet (pre-seeding, W8), which must be asked for
 * explicitly (MOUNTDB_ASSIGN_NEW, new="true" in plans). */
typedef struct mountdb_spec mountdb_spec;

enum mountdb_spec_kind {
  MOUNTDB_SPEC_LETTER = 0, MOUNTDB_SPEC_VOLUME_GUID, MOUNTDB_SPEC_MBR,
  MOUNTDB_SPEC_GPT, MOUNTDB_SPEC_HEX,
  MOUNTDB_SPEC_DISK,          /* disk:PATH:N */
};

/* Pure: parses text.  Returns 0 or MOUNTDB_E_INVAL (err says why). */
int mountdb_spec_parse (const char *text, mountdb_spec **out,
                        mountdb_error *err);
void mountdb_spec_free (mountdb_spec *spec);
int mountdb_spec_kind (const mountdb_spec *spec);
const char *mountdb_spec_text (const mountdb_spec *spec);
/* The unique ID an MBR/GPT/HEX spec carries (NULL for the others). */
const uint8_t *mountdb_spec_id (const mountdb_spec *spec, size_t *len);
/* A disk:PATH:N spec's PATH and N (NULL / 0 for the other kinds).  Its
 * ID is the disk's: mountdb_spec_id gives NULL; the resolvers
 * (mountdb_txn_resolve, assign, plans) open the disk read-only. */
const char *mountdb_spec_disk_path (const mountdb_spec *spec);
unsigned mountdb_spec_partition (const mountdb_spec *spec);

/* ---- editing: a transaction over the value list (W1-W11) ---------------- */

/* A transaction starts from the hive's current value list and computes the
 * final list in memory (W10); nothing touches a file until mountdb_write.
 * Operations either apply whole or change nothing and return an error:
 * MOUNTDB_E_INVAL (bad argument), MOUNTDB_E_NOMATCH / MOUNTDB_E_AMBIGUOUS
 * (a spec names no volume / several), MOUNTDB_E_REFUSED (policy: a W rule
 * says no unless a flag allows it), MOUNTDB_E_NOMEM. */

typedef struct mountdb_txn mountdb_txn;

int mountdb_txn_new (const mountdb *db, mountdb_txn **out, mountdb_error *err);
void mountdb_txn_free (mountdb_txn *txn);
/* The unique ID a spec names in the transaction's current list (letters
 * and GUIDs look it up; mbr:, gpt:, hex: carry their own).  *id stays
 * valid until the next change to the transaction. */
int mountdb_txn_resolve (const mountdb_txn *txn, const mountdb_spec *spec,
                         const uint8_t **id, size_t *len, mountdb_error *err);

#define MOUNTDB_ASSIGN_MOVE  0x1u /* the volume may lose its current letter */
#define MOUNTDB_ASSIGN_TAKE  0x2u /* the letter may be taken from its volume
                                     (which gets a no-letter marker) */
#define MOUNTDB_ASSIGN_NEW   0x4u /* the volume may be one the hive does not
                                     know yet (pre-seeding, W8); without
                                     it such a spec is MOUNTDB_E_NOMATCH,
                                     and the message names the closest
                                     volumes (a typo is no new disk) */
/* W2: give letter ('A'..'Z') to the volume; removes its #{} markers; adds a
 * volume GUID name (derived from the ID, W11) when the volume is new. */
int mountdb_txn_assign (mountdb_txn *txn, char letter,
                        const mountdb_spec *volume, unsigned flags,
                        mountdb_error *err);
#define MOUNTDB_UNASSIGN_ALLOW_AUTO 0x1u /* no #{} marker: Windows may give
                                            the volume a letter again */
/* W3: delete \DosDevices\X: and, by default, add a #{} marker. */
int mountdb_txn_unassign (mountdb_txn *txn, char letter, unsigned flags,
                          mountdb_error *err);
/* W4: exchange the data of two drive letters. */
int mountdb_txn_swap (mountdb_txn *txn, char a, char b, mountdb_error *err);
/* W1: every REG_BINARY value whose data equals old gets new.  Returns the
 * number of values changed (>= 0) or an error. */
int mountdb_txn_remap (mountdb_txn *txn, const uint8_t *old_id, size_t old_len,
                       const uint8_t *new_id, size_t new_len,
                       mountdb_error *err);
#define MOUNTDB_SCRUB_ALL_SHAPES 0x1u /* also device-path and unknown IDs */
/* W5: delete every value whose ID is not one of keep[] (a complete
 * inventory).  Returns the number of values deleted. */
int mountdb_txn_scrub (mountdb_txn *txn, const mountdb_spec *const *keep,
                       size_t nkeep, unsigned flags, mountdb_error *err);
/* W6: delete all values; with keep_system, the system volume's stay. */
int mountdb_txn_reset (mountdb_txn *txn, int keep_system, char system_letter,
                       mountdb_error *err);
/* W7: automount on (NoAutoMount = 0) or off (1) in the control set the
 * next boot loads (mountdb_boot_control_set). */
int mountdb_txn_automount (mountdb_txn *txn, int on, mountdb_error *err);

/* Apply a declarative plan file (XML, validated against the RELAX NG
 * schema mountdb-plan.rng embedded in the library): remaps, then letters,
 * then no-letter volumes, then automount.  Idempotent: applying a plan to
 * its own result changes nothing.  Errors name the file and line; on error
 * the transaction is unchanged. */
int mountdb_txn_apply_plan (mountdb_txn *txn, const char *path,
                            mountdb_error *err);

/* The change set, for --dry-run and reports: one change per value whose
 * name, type or data differs, in final value order, deletions last. */
typedef struct mountdb_change {
  int kind;                   /* enum mountdb_change_kind */
  const char *name;           /* UTF-8 of the (final, or deleted) name */
  const uint16_t *name16;     /* exact units */
  size_t name16_len;
  int cls;                    /* enum mountdb_class */
  const uint8_t *before;      /* NULL when added */
  size_t before_len;
  const uint8_t *after;       /* NULL when deleted */
  size_t after_len;
} mountdb_change;
enum mountdb_change_kind {
  MOUNTDB_CHANGE_ADDED = 0, MOUNTDB_CHANGE_DELETED, MOUNTDB_CHANGE_MODIFIED,
  MOUNTDB_CHANGE_AUTOMOUNT,   /* NoAutoMount: before/after are 4-byte LE */
};
/* "added", "deleted", "modified", "automount"; "other" otherwise. */
const char *mountdb_change_kind_name (int kind);
size_t mountdb_txn_change_count (const mountdb_txn *txn);
const mountdb_change *mountdb_txn_change_get (const mountdb_txn *txn, size_t i);

/* ---- writing (H1-H9, F5-F7): one verified atomic write ----------------- */

/* Extensible: set it up with mountdb_write_opts_init, then change fields.
 * struct_size (set by init) tells the library which version of the struct
 * the caller was built with; a later release only appends fields, which
 * an older caller gets at their defaults.  A struct_size smaller than 0.1's
 * struct, or options past this library's struct that are not zero, are
 * refused (MOUNTDB_E_INVAL). */
typedef struct mountdb_write_opts {
  size_t struct_size;       /* sizeof (mountdb_write_opts), from init */
  int in_place;             /* replace the input itself (after a backup) */
  int backup;               /* in place: keep a backup (default 1) */
  int force;                /* write even if the result has new V errors */
  int discard_logs;         /* write a dirty hive anyway (logs are lost) */
  int timestamp_mode;       /* enum mountdb_timestamp_mode */
  uint64_t timestamp;       /* FILETIME for MOUNTDB_TS_FIXED */
  char system_letter;       /* for the after-write check (0 = C) */
} mountdb_write_opts;
enum mountdb_timestamp_mode {
  MOUNTDB_TS_NOW = 0,       /* like Windows (honours SOURCE_DATE_EPOCH) */
  MOUNTDB_TS_KEEP = 1,      /* keep header and key times as they were */
  MOUNTDB_TS_FIXED = 2,
};
void mountdb_write_opts_init (mountdb_write_opts *opts);

/* The outcome of a write (F6): paths, hashes, header before/after and the
 * change set.  Owned by the caller; free with mountdb_report_free. */
typedef struct mountdb_report mountdb_report;

/* Write the transaction's final list to out (a new file), or in place
 * (out ignored).  Refuses (MOUNTDB_E_REFUSED, err says why): unsafe mode
 * (H3), a dirty hive (H2) unless discard_logs, names equal but for case
 * (V6), a key holding a value > 16344 bytes (H4), an output that is the
 * input (F1), an existing out, a result with new V errors unless force,
 * and any change to a hive that is not a SYSTEM hive or is a differencing
 * hive (the editing operations refuse those already).  Temp file in the target's directory, fsync, re-open and verify,
 * rename, fsync the directory (H1); on any failure nothing is left behind
 * and the target is unchanged.  Also refused: a hive whose cells the write
 * would free are used elsewhere, or whose rewritten names cannot be read
 * exactly; verification compares the whole key tree, not only
 * MountedDevices.  In place, the target is flock(2)ed from the check that
 * it is unchanged until the rename; a target changed since it was read is
 * refused.  Temp files are named .BASE MOUNTDB_TEMP_INFIX PID-XXXXXX. */
#define MOUNTDB_TEMP_INFIX ".mountdb-tmp-"
int mountdb_write (const mountdb *db, const mountdb_txn *txn, const char *out,
                   const mountdb_write_opts *opts, mountdb_report **report,
                   mountdb_error *err);
/* Dry run (--dry-run): every check mountdb_write runs, in the same order
 * and with the same refusals and messages (the new hive is built,
 * patched, read back and checked in memory), but no file is created,
 * replaced or moved.  out may be NULL when no target is named: then the
 * checks on the output file (F1, an existing out) are skipped.  The
 * report is what the write would report (no backup; output may be NULL). */
int mountdb_write_dry_run (const mountdb *db, const mountdb_txn *txn,
                           const char *out, const mountdb_write_opts *opts,
                           mountdb_report **report, mountdb_error *err);
void mountdb_report_free (mountdb_report *r);
const char *mountdb_report_output (const mountdb_report *r);
const char *mountdb_report_backup (const mountdb_report *r); /* or NULL */
const char *mountdb_report_sha256_before (const mountdb_report *r);
const char *mountdb_report_sha256_after (const mountdb_report *r);
const mountdb_header *mountdb_report_header_before (const mountdb_report *r);
const mountdb_header *mountdb_report_header_after (const mountdb_report *r);
/* In place over a replayed hive: the old logs moved aside, each as
 * "LOG -> NEW NAME" (or why it could not be moved). */
size_t mountdb_report_moved_log_count (const mountdb_report *r);
const char *mountdb_report_moved_log_get (const mountdb_report *r, size_t i);
/* The change set written (a copy: the report outlives the transaction). */
size_t mountdb_report_change_count (const mountdb_report *r);
const mountdb_change *mountdb_report_change_get (const mountdb_report *r,
                                                 size_t i);

/* ---- JSON document (schema 1: mountdb(1), OUTPUT FORMATS, json) -------- */

/* The document `mountdb show --format=json` prints for one hive: the one
 * implementation behind the CLI's json and jsonl and the bindings'
 * to_dict().  Schema changes bump MOUNTDB_JSON_SCHEMA. */
#define MOUNTDB_JSON_SCHEMA 1

/* Receives the document in order, in pieces of up to about 64 KiB, so a
 * key of 100k values is never held whole.  Returns 0 to go on; anything
 * else stops the write (mountdb_json_write returns MOUNTDB_E_IO). */
typedef int (*mountdb_sink) (void *ctx, const char *buf, size_t len);

enum mountdb_json_flag {
  MOUNTDB_JSON_COMPACT = 1u << 0, /* one line, no blanks (jsonl); else
                                     pretty: two spaces a level */
};

/* A disk given for the document's "disks" (as `mountdb disks` shows it):
 * the disk, or when it could not be opened the error met opening it. */
typedef struct mountdb_json_disk {
  const char *path;             /* as given */
  const mountdb_disk *disk;     /* NULL: err says why */
  const mountdb_error *err;
} mountdb_json_disk;

/* Extensible as mountdb_write_opts: set it up with mountdb_json_opts_init,
 * then change fields; a later release only appends fields. */
typedef struct mountdb_json_opts {
  size_t struct_size;           /* sizeof (mountdb_json_opts), from init */
  unsigned flags;               /* enum mountdb_json_flag */
  int indent;                   /* pretty: levels the document sits in
                                   (1 inside the CLI's array), 0..8 */
  const char *path;             /* hive.path as given; NULL: mountdb_path */
  const char *const *ignore;    /* NULL-terminated rule IDs whose findings
                                   are left out (--ignore), or NULL */
  const mountdb_json_disk *disks; /* "disks", in order (--disk) */
  size_t ndisks;
  const mountdb_correlation *correlation; /* each volume's "disk"; NULL:
                                   null (no disks given) */
} mountdb_json_opts;
void mountdb_json_opts_init (mountdb_json_opts *opts);

/* The document of an open hive: {schema, tool, hive, control_set, key,
 * entries, volumes, disks, diagnostics, findings}.  Findings are those
 * mountdb_check (or mountdb_check_disks) left on db, less opts->ignore;
 * without a check, none.  No newline after the closing brace.  Returns
 * 0; MOUNTDB_E_INVAL (bad options), MOUNTDB_E_NOMEM, or MOUNTDB_E_IO when
 * the sink stopped the write (what it received is then incomplete). */
int mountdb_json_write (const mountdb *db, const mountdb_json_opts *opts,
                        mountdb_sink sink, void *ctx, mountdb_error *err);
/* The document of a hive that could not be opened: {schema, tool,
 * hive{path}, error{code, message}} from what mountdb_open filled in
 * (NULL: code "io", message "cannot open").  opts->flags and indent
 * apply; returns as mountdb_json_write. */
int mountdb_json_write_error (const char *path, const mountdb_error *open_err,
                              const mountdb_json_opts *opts,
                              mountdb_sink sink, void *ctx,
                              mountdb_error *err);

/* ---- diagnostics met while reading (not policy findings) --------------- */

enum mountdb_diag {
  MOUNTDB_DIAG_DIRTY = 1,          /* logs not applied: results may be stale */
  MOUNTDB_DIAG_UNSAFE = 2,         /* opened with HIVEX_OPEN_UNSAFE */
  MOUNTDB_DIAG_BAD_CHECKSUM = 3,   /* base block checksum wrong */
  MOUNTDB_DIAG_VALUE_UNREADABLE = 4,
  MOUNTDB_DIAG_SIZE_MISMATCH = 5,  /* file shorter than its hive bins */
  MOUNTDB_DIAG_LOGS_APPLIED = 6,   /* a dirty hive replayed with its logs */
  MOUNTDB_DIAG_LOGS_REFUSED = 7,   /* logs found but not usable: why */
  MOUNTDB_DIAG_NOT_SYSTEM = 8,     /* not a SYSTEM hive: which kind */
  MOUNTDB_DIAG_LAYERED = 9,        /* differencing hive: a delta only */
  MOUNTDB_DIAG_SETUP = 10,         /* Setup\SystemSetupInProgress = 1 */
  MOUNTDB_DIAG_SELECT = 11,        /* Select\Default differs from Current */
  MOUNTDB_DIAG_NOT_KEPT = 12,      /* non-zero bytes past the hive bins +
                                      16 MiB: hashed, not kept in memory */
};
size_t mountdb_diag_count (const mountdb *db);
int mountdb_diag_get (const mountdb *db, size_t i, int *code,
                      const char **message);
/* The code's stable name: "dirty", "unsafe", "bad_checksum",
 * "value_unreadable", "size_mismatch", "logs_applied", "logs_refused",
 * "not_system", "layered", "setup_in_progress", "select_differs",
 * "not_kept"; "other" otherwise. */
const char *mountdb_diag_name (int code);

/* ---- devices: storage device history (issue 16) ------------------------ */

/* Open flag: also read, in the same hivex pass, the keys the device
 * history joins: SYSTEM: the current control set's Enum\USBSTOR, USB,
 * SCSI, IDE, SD, SWD\WPDBUSENUM, STORAGE\RemovableMedia and
 * Control\DeviceClasses\{53f56307-b6bf-11d0-94f2-00a0c91efb8b}; a user
 * hive: Software\Microsoft\Windows\CurrentVersion\Explorer\MountPoints2
 * and Volatile Environment; SOFTWARE: Microsoft\Windows Portable
 * Devices\Devices and Microsoft\Windows NT\CurrentVersion\EMDMgmt. */
#define MOUNTDB_OPEN_DEVICES  0x8u

typedef struct mountdb_devices mountdb_devices;  /* the join */
typedef struct mountdb_device mountdb_device;    /* one storage device */

/* The hives of a join, in index order: 0 the SYSTEM hive, then the user
 * hives in the order given, then SOFTWARE when given. */
enum mountdb_hive_role {
  MOUNTDB_ROLE_SYSTEM = 0,
  MOUNTDB_ROLE_USER = 1,
  MOUNTDB_ROLE_SOFTWARE = 2,
};
/* "system", "user", "software"; "unknown" otherwise. */
const char *mountdb_hive_role_name (int role);

/* One fact and where it was read: every field of a device, a user's name,
 * each time.  Strings from a hive are untrusted UTF-8 (escape them). */
enum mountdb_fact_kind {
  MOUNTDB_FACT_STRING = 0,
  MOUNTDB_FACT_UINT = 1,
  MOUNTDB_FACT_BOOL = 2,
  MOUNTDB_FACT_TIME = 3,      /* num is a FILETIME (100 ns since 1601, UTC) */
};
/* "string", "uint", "bool", "time"; NULL otherwise. */
const char *mountdb_fact_kind_name (int kind);
typedef struct mountdb_fact {
  const char *field;          /* stable name (mountdb(3), DEVICES) */
  int kind;                   /* enum mountdb_fact_kind */
  const char *str;            /* STRING: the text; NULL for other kinds */
  uint64_t num;               /* UINT, BOOL (0/1), TIME */
  size_t hive;                /* the hive's index in the join */
  const char *key;            /* key path from the hive's root, '\'
                                 separated; NULL: from the hive's file
                                 path (a user name), not from a key */
  const char *value;          /* value name ("" the default value); NULL
                                 when the fact is the key's name or the
                                 key's LastWrite time */
  const char *meaning;        /* one line: what it means and on what
                                 basis (says "inferred" when no source) */
} mountdb_fact;

/* Join the device keys of system (opened with MOUNTDB_OPEN_DEVICES) with
 * its MountedDevices volumes, each user hive's MountPoints2 and, when
 * software is not NULL, SOFTWARE's portable-device names and EMDMgmt.
 * Every handle must have been opened with MOUNTDB_OPEN_DEVICES and be of
 * its kind (mountdb_hive_kind): SYSTEM, NTUSER, SOFTWARE.  Errors:
 * MOUNTDB_E_INVAL (system NULL, users NULL with nusers, a handle opened
 * without the flag), MOUNTDB_E_REFUSED (a hive of the wrong kind: "PATH:
 * a user hive (NTUSER.DAT), not the SYSTEM hive --system needs"),
 * MOUNTDB_E_NOMEM.  The join points into the handles: free it before
 * closing them. */
int mountdb_devices_build (const mountdb *system,
                           const mountdb *const *users, size_t nusers,
                           const mountdb *software, mountdb_devices **out,
                           mountdb_error *err);
void mountdb_devices_free (mountdb_devices *d);

size_t mountdb_devices_hive_count (const mountdb_devices *d);
const mountdb *mountdb_devices_hive_get (const mountdb_devices *d, size_t i);
int mountdb_devices_hive_role (const mountdb_devices *d, size_t i);
/* A user hive's user: Volatile Environment\USERNAME, else the folder
 * above NTUSER.DAT in the hive's path ("Documents and Settings\NAME",
 * "Users\NAME"; key NULL); NULL when neither names one or the hive is
 * not a user hive. */
const mountdb_fact *mountdb_devices_hive_user (const mountdb_devices *d,
                                               size_t i);
/* The N of the ControlSetNNN whose keys were read: Select\Current (the
 * set the last session ran from), else Select\Default; 0 when none. */
uint32_t mountdb_devices_control_set (const mountdb_devices *d);

/* Devices: one per instance key under Enum\USBSTOR, SCSI, IDE and SD, in
 * that order, keys in hive order; then one per SWD\WPDBUSENUM node that
 * names none of them (a node naming one gives it a wpd_label fact). */
size_t mountdb_device_count (const mountdb_devices *d);
const mountdb_device *mountdb_device_get (const mountdb_devices *d,
                                          size_t i);
/* Its facts in a stable order: identity, links, times. */
size_t mountdb_device_fact_count (const mountdb_device *dev);
const mountdb_fact *mountdb_device_fact_get (const mountdb_device *dev,
                                             size_t i);
/* The first fact named field, or NULL. */
const mountdb_fact *mountdb_device_fact (const mountdb_device *dev,
                                         const char *field);

/* Its MountedDevices volumes (volumes of the SYSTEM handle, mountdb_volume
 * order), each matched exactly (never by substring): */
enum mountdb_device_match {
  MOUNTDB_MATCH_DEVICE_PATH = 0,  /* the ID is a device path whose bus,
                                     device key and instance ID are the
                                     device's (ASCII case ignored) */
  MOUNTDB_MATCH_PARENT_ID_PREFIX = 1, /* XP: STORAGE#RemovableMedia#
                                     <its ParentIdPrefix>&RM#... */
};
/* "device_path", "parent_id_prefix"; "unknown" otherwise. */
const char *mountdb_device_match_name (int match);
size_t mountdb_device_volume_count (const mountdb_device *dev);
const mountdb_volume *mountdb_device_volume_get (const mountdb_device *dev,
                                                 size_t i);
int mountdb_device_volume_match (const mountdb_device *dev, size_t i);

/* A MountPoints2 subkey of a user hive. */
typedef struct mountdb_user_mount {
  size_t hive;                /* the user hive's index in the join */
  const char *name;           /* the subkey's name as stored (untrusted) */
  const char *guid;           /* "{GUID}" names: lower case, no braces */
  char letter;                /* one-letter names: 'A'..'Z', else 0 */
  uint64_t last_written;      /* the subkey's LastWrite time (FILETIME) */
  const char *key;            /* its key path from the hive's root */
  const mountdb_device *device; /* the device whose volume it names, or
                                   NULL */
  int by_letter;              /* matched by a letter the device's volume
                                 holds now (weaker: the letter may have
                                 been another volume's when written) */
} mountdb_user_mount;
/* Every MountPoints2 subkey of every user hive (hive, then key order). */
size_t mountdb_user_mount_count (const mountdb_devices *d);
const mountdb_user_mount *mountdb_user_mount_get (const mountdb_devices *d,
                                                  size_t i);
/* Those naming one of the device's volumes: by GUID, then by letter. */
size_t mountdb_device_user_mount_count (const mountdb_device *dev);
const mountdb_user_mount *mountdb_device_user_mount_get (
  const mountdb_device *dev, size_t i);

/* Volumes of the SYSTEM handle no device holds (mountdb_volume order):
 * fixed disks' MBR and GPT volumes, and device paths of devices whose
 * Enum keys are gone. */
size_t mountdb_devices_unmatched_volume_count (const mountdb_devices *d);
const mountdb_volume *mountdb_devices_unmatched_volume_get (
  const mountdb_devices *d, size_t i);

/* The devices document, byte for byte what `mountdb devices --format=json`
 * prints (without the newline after it): {schema, tool, command, control_set,
 * hives, devices, unmatched_volumes, unmatched_user_mounts}, each fact with
 * its source (mountdb(1), DEVICES).  The one implementation behind the
 * CLI's json and jsonl and the bindings' Devices.to_dict().  Of opts only
 * flags and indent apply (NULL: pretty, indent 0); the document streams
 * to sink as mountdb_json_write's does.  Returns 0, MOUNTDB_E_INVAL (d or
 * sink NULL, bad options), MOUNTDB_E_NOMEM, or MOUNTDB_E_IO when the sink
 * stopped the write. */
int mountdb_devices_json_write (const mountdb_devices *d,
                                const mountdb_json_opts *opts,
                                mountdb_sink sink, void *ctx,
                                mountdb_error *err);

/* ---- helpers ----------------------------------------------------------- */

/* FILETIME -> "YYYY-MM-DDTHH:MM:SSZ" (fraction ".fffffffZ" when non-zero).
 * Returns 0, or -1 for 0 / out-of-range values (buf gets ""). */
int mountdb_filetime_format (uint64_t ft, char buf[40]);

#ifdef __cplusplus
}
#endif
#endif /* MOUNTDB_H */
