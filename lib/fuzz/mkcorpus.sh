#!/bin/sh
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
