#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hide libmountdb's internal symbols in its static archive, as the version
# script hides them in the shared library.  md_* functions are global in
# their objects (one file calls another's), so an archive of those objects
# would export them to every program linking it statically, and clash with
# a program's own md_* names.  So: link the archive's objects into one
# relocatable object (ld -r resolves the calls between them), make every
# symbol local but those libmountdb.sym lists (objcopy), and make that
# object the archive's only member.  Idempotent.
#
# usage: static-localize.sh AR RANLIB LD OBJCOPY SYMFILE ARCHIVE
set -eu
ar=$1 ranlib=$2 ld=$3 objcopy=$4 sym=$5 archive=$6
case $archive in /*) ;; *) archive=$(pwd)/$archive ;; esac
case $sym in /*) ;; *) sym=$(pwd)/$sym ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mountdb-static.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
members=$($ar t "$archive")
# `ar x` keeps one file per name: two members with one name would lose one.
dup=$(printf '%s\n' $members | sort | uniq -d)
if [ -n "$dup" ]; then
  echo "static-localize.sh: $archive has members of the same name: $dup" >&2
  exit 1
fi
$ar x "$archive"
sed -n 's/^[[:space:]]*\(mountdb_[A-Za-z0-9_]*\);.*/\1/p' "$sym" >keep
[ -s keep ] || { echo "static-localize.sh: no symbol listed in $sym" >&2; exit 1; }
# shellcheck disable=SC2086 # LD may carry options ("ld -m elf_x86_64")
$ld -r -o libmountdb.o $members
$objcopy --keep-global-symbols=keep libmountdb.o
$ar cr new.a libmountdb.o
$ranlib new.a
mv -f new.a "$archive"
