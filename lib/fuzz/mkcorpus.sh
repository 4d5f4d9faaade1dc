#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Seed corpora for the fuzzers: one small file per ID shape (section 3)
# and per name class (section 2).  Written from literals, not from hives.
# Usage: lib/fuzz/mkcorpus.sh [OUTDIR]   (default: the script's corpus/)
set -eu
out=${1:-$(dirname "$0")/corpus}
uid=$out/uid
names=$out/names
mkdir -p "$uid" "$names"

# UTF-16LE of an ASCII string.
u16() { printf '%s' "$1" | iconv -f ASCII -t UTF-16LE; }

vol='{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}'
disk='{53f56307-b6bf-11d0-94f2-00a0c91efb8b}'

# ---- unique IDs ----
printf '\076\240\276\134\000\000\020\000\000\000\000\000' > "$uid/mbr"
printf 'DMIO:ID:\041\037\223\011\257\177\251\104\201\330\036\163\301\113\236\257' > "$uid/dmio"
printf '\000\021\042\063\104\125\146\167' > "$uid/ft8"
printf '\000\000\000\000\000\000\000\000\000\000\000\000' > "$uid/zero"
printf '/media/cdrom\000' > "$uid/wine"
printf '\001\002\003\004\005' > "$uid/opaque"
u16 '_??_USBSTOR#Disk&Ven_HP&Prod_v100w&Rev_1024#AA951D0000007252&0#'"$disk" > "$uid/path-usb"
u16 '\??\IDE#CdRomNECVMWar_VMware_IDE_CDR10_______________1.00____#5&290fd3ab&0&1.0.0#'"$vol" > "$uid/path-ide"
u16 '\??\SCSI#CdRom&Ven_VBOX&Prod_CD-ROM#4&8f5d389&0&010000#'"$vol" > "$uid/path-scsi"
u16 '\??\FDC#GENERIC_FLOPPY_DRIVE#6&2bc13940&0&0#'"$vol" > "$uid/path-fdc"
u16 '\??\STORAGE#RemovableMedia#7&18ec28b&0&RM#'"$vol" > "$uid/path-storage"
{ u16 '\??\X'; printf '\000\000A'; } > "$uid/path-nul-odd"

# ---- value names (UTF-16LE) ----
g='656b1715-ecf6-11df-92e6-806e6f6e6963'
u16 '\DosDevices\C:' > "$names/drive"
u16 '\dosdevices\c:' > "$names/drive-case"
u16 "\\??\\Volume{$g}" > "$names/volume"
u16 "#{$g}" > "$names/marker"
u16 '\DosDevices\C:\mnt' > "$names/mount"
u16 '\??\Volume{656b1715-ecf6-11df-92e6-806e6f6e696g}' > "$names/malformed"
printf '\000\330a\000\000\334' > "$names/surrogates"

# ---- device-history key names (fuzz_dev: NAME, NUL, device ID) ----
dev=$out/dev
mkdir -p "$dev"
printf 'Disk&Ven_HP&Prod_v100w&Rev_1024\000USBSTOR\\Disk&Ven_HP&Prod_v100w&Rev_1024\\AA951D0000007252&0' > "$dev/devkey"
printf 'CdRomSAMSUNG_CDRW/DVD_SM-348B________________T502____' > "$dev/devkey-ide"
printf 'AA951D0000007252&0' > "$dev/instance"
printf '7&18ec28b&0' > "$dev/instance-generated"
printf 'VID_03F0&PID_3207' > "$dev/usb"
printf '##?#USBSTOR#Disk&Ven_LaCie&Prod_Rugged_FW#USB&Rev_#00D04B881007C255&0#%s\000USBSTOR\\Disk&Ven_LaCie&Prod_Rugged_FW/USB&Rev_\\00D04B881007C255&0' "$disk" > "$dev/interface"
printf '\\??\\STORAGE#RemovableMedia#7&18ec28b&0&RM#%s\000STORAGE\\RemovableMedia\\7&18ec28b&0&RM' "$vol" > "$dev/removable"
printf 'WPDBUSENUMROOT#UMB#2&37C186B&0&STORAGE#VOLUME#_??_USBSTOR#DISK&VEN_HP&PROD_V100W&REV_1024#AA951D0000007252&0#' > "$dev/wpd"
printf '{b005e6d6-d0b3-11de-89e2-000bdb635bd4}' > "$dev/mp2-guid"
printf 'E' > "$dev/mp2-letter"
printf '##192.168.1.1#m57' > "$dev/mp2-share"
printf '_??_USBSTOR#Disk&Ven_SanDisk&Prod_Cruzer&Rev_8.02#1234&0#%sMY_STICK_3735928559' "$disk" > "$dev/emd"
printf 'C:/Documents and Settings/Jo/NTUSER.DAT' > "$dev/user-path"
printf '\020\000\377\377\260\324\164\374\304\305\323\001' > "$dev/prop-w8"
printf '\020\000\000\000\340\033\055\240\050\360\313\001' > "$dev/prop-w7"

# ---- transaction logs (fuzz_logs input layout, see fuzz_logs.c) ----
# Small dirty hives with logs that replay: the harness repairs checksums
# and HvLE hashes (control bits 2 and 3), so these are literals too.  They
# also set libFuzzer's input size limit above one base block.
logs=$out/logs
mkdir -p "$logs"
python3 - "$logs" <<'PY'
import struct, sys
out = sys.argv[1]
TS = 0x01d3cd8f6a1b2c3d

def base(seq1, seq2, ftype, hbins, ts=TS):
    b = bytearray(4096)
    b[0:4] = b"regf"
    struct.pack_into("<IIQIIIII", b, 4, seq1, seq2, ts, 1, 5, ftype, 1, 32)
    struct.pack_into("<II", b, 40, hbins, 1)
    return b

def hbin(off, size):
    h = bytearray(size)
    h[0:4] = b"hbin"
    struct.pack_into("<II", h, 4, off, size)
    struct.pack_into("<i", h, 32, -(size - 32))   # one free cell
    return h

def primary(seq1, seq2, good_base=True):
    b = base(seq1, seq2, 0, 4096)
    if not good_base:
        b[0:4] = b"rexf"
    return bytes(b) + bytes(hbin(0, 4096))

def entry(seq, hbins, pages):
    refs = b"".join(struct.pack("<II", o, len(d)) for o, d in pages)
    data = b"".join(d for _, d in pages)
    size = 40 + len(refs) + len(data)
    size = (size + 511) // 512 * 512
    e = bytearray(size)
    e[0:4] = b"HvLE"
    struct.pack_into("<IIIII", e, 4, size, 0, seq, hbins, len(pages))
    e[40:40 + len(refs)] = refs
    e[40 + len(refs):40 + len(refs) + len(data)] = data
    return bytes(e)

def newlog(seq, entries):
    return bytes(base(seq, seq, 6, 4096)[:512]) + b"".join(entries)

def oldlog(pages, hbins=4096, ts=TS, fill=None):
    bm = bytearray(hbins // 4096)
    for p in pages:
        bm[p // 8] |= 1 << (p % 8)
    head = bytes(base(3, 3, 1, hbins, ts)[:512]) + b"DIRT" + bytes(bm)
    head += bytes(-len(head) % 512)
    return head + b"".join(fill or bytes(hbin(0, 4096)[p * 512:(p + 1) * 512])
                           for p in pages)

def seed(name, ctl, parts):
    lens = [len(p) for p in parts[:3]] + [0] * (3 - len(parts[:3]))
    with open(f"{out}/{name}", "wb") as f:
        f.write(bytes([ctl]) + struct.pack("<III", *lens) + b"".join(parts))

grow = hbin(4096, 4096)
e1 = entry(4, 8192, [(4096, bytes(grow))])   # a new bin goes whole
e2 = entry(5, 8192, [(0, bytes(hbin(0, 4096)[:512]))])
e3 = entry(6, 8192, [(512, b"\x11" * 1024)])
seed("new-one-log", 0x0d, [primary(5, 4), newlog(4, [e1, e2])])
seed("new-two-logs", 0x0e, [primary(7, 4), newlog(4, [e1, e2]),
                            newlog(6, [e3])])
seed("new-bad-base", 0x0d, [primary(5, 4, False), newlog(4, [e1, e2])])
seed("new-gap", 0x0d, [primary(9, 2), newlog(4, [e1, e2])])
seed("old-one-log", 0x05, [primary(3, 2), oldlog([0, 3])])
seed("old-two-logs", 0x06, [primary(3, 2), oldlog([1], ts=TS + 1),
                            oldlog([0, 7])])
seed("old-retry", 0x06, [primary(3, 2), oldlog([0], fill=b"\x22" * 512),
                         oldlog([0, 7])])   # LOG1 breaks the bin: rolled back
seed("old-bad-base", 0x05, [primary(3, 2, False), oldlog([0])])
seed("mixed", 0x0e, [primary(5, 4), oldlog([0]), newlog(4, [e1])])
PY

# ---- volume specs (fuzz_spec: the text as typed) ----
spec=$out/spec
mkdir -p "$spec"
printf 'C:' > "$spec/letter"
printf ' d ' > "$spec/letter-bare"
printf '{656b1715-ecf6-11df-92e6-806e6f6e6963}' > "$spec/guid"
printf '\\\\?\\Volume{656b1715-ecf6-11df-92e6-806e6f6e6963}\\' > "$spec/win32"
printf '\\??\\volume{656B1715-ECF6-11DF-92E6-806E6F6E6963}' > "$spec/nt"
printf 'mbr:5cbea03e:1MiB' > "$spec/mbr"
printf 'MBR:0x5CBEA03E:0x100000' > "$spec/mbr-hex"
printf 'mbr:5cbea03e:2048s' > "$spec/mbr-sectors"
printf 'mbr:5cbea03e' > "$spec/mbr-disk"
printf 'gpt:{21931f09-7faf-44a9-81d8-1e73c14b9eaf}' > "$spec/gpt"
printf 'hex:0a:1b 2c-3d' > "$spec/hex"
printf 'mbr:0:1M' > "$spec/bad-sig"
