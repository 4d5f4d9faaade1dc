/* libmountdb: the Windows mount manager's persistent name database
 * (SYSTEM\MountedDevices) in offline registry hives.
 *
 * Conventions (after hivex and libblkid):
 * - Every object is opaque and owned by the library; pointers returned by
 *   accessors stay valid until the owning handle is closed.
 * - Functions that can fail return 0 or a negative MOUNTDB_E_* code and, when
 *   the caller passes a mountdb_error, fill it with the code, errno and a
 *   message that names the file and the reason.  The library never prints.
 * - Lists are arrays with counts: mountdb_X_count() and mountdb_X_get(i).
 * - Rule IDs in comments (V3, F2, H8...) refer to docs/mounteddevices.md.
 */
#ifndef MOUNTDB_H
#define MOUNTDB_H

#include <stddef.h>
#include <stdint.h>

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
};

typedef struct mountdb_error {
  int code;                 /* enum mountdb_errcode */
  int sys_errno;            /* errno when relevant, else 0 */
  char message[1024];       /* "FILE: reason", UTF-8, NUL-terminated */
} mountdb_error;

const char *mountdb_strerror (int code);
const char *mountdb_version (void);

/* ---- opening a hive (F1, F2) ------------------------------------------- */

/* The input is opened once, read-only (O_NOFOLLOW, O_NOATIME when allowed),
 * hashed while read and parsed from an in-memory copy; it is never written. */
#define MOUNTDB_OPEN_NO_HASH  0x1u  /* skip SHA-256 (pipelines) */
#define MOUNTDB_OPEN_UNSAFE   0x2u  /* HIVEX_OPEN_UNSAFE: damaged hives, read-only */

/* Hives larger than this are refused (MOUNTDB_E_TOOBIG): regf caps hive bins
 * at 4 GiB, and the cap keeps a hostile input from exhausting memory. */
#define MOUNTDB_MAX_HIVE_SIZE ((uint64_t) 4 << 30)

typedef struct mountdb mountdb;

int mountdb_open (const char *path, unsigned flags, mountdb **out,
                  mountdb_error *err);
void mountdb_close (mountdb *db);

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
const mountdb_header *mountdb_get_header (const mountdb *db);

/* ---- the MountedDevices key -------------------------------------------- */

enum mountdb_key_state {
  MOUNTDB_KEY_PRESENT = 0,
  MOUNTDB_KEY_ABSENT = 1,     /* V1: Windows recreates it at boot */
  MOUNTDB_KEY_NO_ROOT = 2,    /* the hive has no readable root key */
  MOUNTDB_KEY_UNREADABLE = 3, /* present but its value list cannot be read */
};
int mountdb_key_state (const mountdb *db);
uint64_t mountdb_key_last_written (const mountdb *db); /* FILETIME, 0 if none */

/* ---- the current control set (V11) -------------------------------------- */

enum mountdb_value_state {
  MOUNTDB_VALUE_ABSENT = 0,      /* value (or its key) does not exist */
  MOUNTDB_VALUE_OK = 1,
  MOUNTDB_VALUE_BAD = 2,         /* wrong type or size, or unreadable */
  MOUNTDB_VALUE_NO_CONTROL_SET = 3, /* Select\Current names no ControlSet00N */
};
/* Select\Current: the N of ControlSet00N in use at next boot. */
int mountdb_select_current (const mountdb *db, uint32_t *n);
/* ControlSet00N\Services\mountmgr\NoAutoMount of the current control set
 * (1 = new basic volumes get no automatic letter, `mountvol /N`). */
int mountdb_noautomount (const mountdb *db, uint32_t *value);

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
int mountdb_uid_field (const mountdb_uid *uid, size_t i, const char **key,
                       int *kind, const char **str, uint64_t *num);

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

/* Name flags (H8: classified on the exact stored spelling). */
#define MOUNTDB_NAME_CASE_VARIANT   0x01u /* a known form but for case: "other" */
#define MOUNTDB_NAME_BAD_UTF16      0x02u /* unpaired surrogates */
#define MOUNTDB_NAME_CONTROL        0x04u /* control characters (incl. NUL) */
#define MOUNTDB_NAME_MALFORMED_GUID 0x08u /* GUID-like form with a bad GUID */
#define MOUNTDB_NAME_UPPER_HEX      0x10u /* GUID hex digits not lower case */
#define MOUNTDB_NAME_LATIN1         0x20u /* stored as compressed (ASCII) name */

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
const mountdb_entry *mountdb_volume_entry (const mountdb_volume *v, size_t i);

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
 * in unsafe mode. */
const char *mountdb_finding_rule (const mountdb_finding *f);
int mountdb_finding_severity (const mountdb_finding *f);
/* One line in plain words that says what Windows will do. */
const char *mountdb_finding_message (const mountdb_finding *f);
/* The values involved, in value order. */
size_t mountdb_finding_entry_count (const mountdb_finding *f);
const mountdb_entry *mountdb_finding_entry (const mountdb_finding *f, size_t i);

/* ---- diagnostics met while reading (not policy findings) --------------- */

enum mountdb_diag {
  MOUNTDB_DIAG_DIRTY = 1,          /* logs not applied: results may be stale */
  MOUNTDB_DIAG_UNSAFE = 2,         /* opened with HIVEX_OPEN_UNSAFE */
  MOUNTDB_DIAG_BAD_CHECKSUM = 3,   /* base block checksum wrong */
  MOUNTDB_DIAG_VALUE_UNREADABLE = 4,
  MOUNTDB_DIAG_SIZE_MISMATCH = 5,  /* file shorter than its hive bins */
};
size_t mountdb_diag_count (const mountdb *db);
int mountdb_diag_get (const mountdb *db, size_t i, int *code,
                      const char **message);

/* ---- helpers ----------------------------------------------------------- */

/* FILETIME -> "YYYY-MM-DDTHH:MM:SSZ" (fraction ".fffffffZ" when non-zero).
 * Returns 0, or -1 for 0 / out-of-range values (buf gets ""). */
int mountdb_filetime_format (uint64_t ft, char buf[40]);

#ifdef __cplusplus
}
#endif
#endif /* MOUNTDB_H */
