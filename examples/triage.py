#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Triage a folder of registry hives into one CSV: one row per volume of
every SYSTEM hive found (recursively), with its letters, GUID names, what
its unique ID says, the storage device the hive's Enum keys say holds it
(a USB stick's vendor, product and serial: mountdb.devices), and the
worst finding of the hive; hives that cannot be read get one row saying
why.  A progress line goes to stderr.

    python3 examples/triage.py /cases/evidence > triage.csv
    python3 examples/triage.py --jobs 4 --no-hash /cases > triage.csv

Hives are opened read-only and never written (mountdb's rule F1); names
from a hive are untrusted text, and csv quotes them.  With --jobs N, N
threads open hives side by side (mountdb releases the GIL while reading
and hashing).  Exit status 0, or 1 when a hive could not be read."""
import argparse
import concurrent.futures
import csv
import os
import sys
import time

import mountdb

COLUMNS = ["hive", "sha256", "last_written", "windows_version", "dirty",
           "volume", "drive_letters", "volume_guids", "shape", "summary",
           "mount_points", "device", "worst_severity", "findings", "error"]
SEVERITY = {"info": 0, "warning": 1, "error": 2}


def candidates(root):
    """Files that may be hives: SYSTEM, *.SYSTEM, SYSTEM.* but not logs."""
    for dirpath, _dirs, files in os.walk(root):
        for f in sorted(files):
            up = f.upper()
            if up.endswith((".LOG", ".LOG1", ".LOG2", ".SAV", ".CSV")):
                continue
            if up == "SYSTEM" or up.startswith("SYSTEM.") or up.endswith(".SYSTEM") \
                    or up.endswith(".HIVE"):
                yield os.path.join(dirpath, f)


def devices_by_volume(hive):
    """{volume index: "USBSTOR SanDisk Extreme serial ..."} from the
    device history of a SYSTEM hive opened with devices=True."""
    out = {}
    for dev in mountdb.devices(hive).devices:
        f = {fact.field: fact.value for fact in dev.facts}
        words = [str(f[k]) for k in ("bus", "vendor", "product") if f.get(k)]
        if f.get("serial"):
            words.append("serial %s" % f["serial"])
        for dv in dev.volumes:
            out[dv.volume.index] = " ".join(words)
    return out


def triage(path, hash_):
    """The rows of one hive (a list of dicts)."""
    try:
        with mountdb.open(path, hash=hash_, devices=True) as hive:
            if hive.hive_kind != "system":
                return [{"hive": path, "error": "not a SYSTEM hive (%s)"
                         % hive.hive_kind}]
            findings = hive.check()
            worst = max((f.severity for f in findings), key=SEVERITY.get,
                        default="")
            common = {
                "hive": path, "sha256": hive.sha256 or "",
                "last_written": hive.last_written.isoformat()
                if hive.last_written else "",
                "windows_version": hive.windows_version,
                "dirty": "yes" if hive.dirty else "no",
                "worst_severity": worst,
                "findings": " ".join(sorted({f.rule for f in findings})),
            }
            device = devices_by_volume(hive)
            rows = []
            for v in hive.volumes:
                uid = v.unique_id
                rows.append(dict(common, volume=v.index,
                                 drive_letters=" ".join(l + ":" for l in v.drive_letters),
                                 volume_guids=" ".join(str(g) for g in v.volume_guids),
                                 shape=uid.shape, summary=uid.summary,
                                 mount_points=" ".join(v.mount_points),
                                 device=device.get(v.index, "")))
            return rows or [dict(common, error="no volumes")]
    except mountdb.Error as e:
        return [{"hive": path, "error": "%s: %s" % (e.code, e)}]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder")
    ap.add_argument("-o", "--output", help="CSV file (default: stdout)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--no-hash", action="store_true", help="skip SHA-256")
    args = ap.parse_args()

    paths = list(candidates(args.folder))
    out = open(args.output, "w", newline="") if args.output else sys.stdout
    w = csv.DictWriter(out, COLUMNS, extrasaction="ignore")
    w.writeheader()
    t0 = time.monotonic()
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        # map keeps the input order, so the CSV is the same for any --jobs.
        for n, rows in enumerate(pool.map(lambda p: triage(p, not args.no_hash),
                                          paths), 1):
            failed += any(r.get("error") for r in rows)
            w.writerows(rows)
            if (sys.stderr.isatty() and n % 10 == 0) or n == len(paths):
                print("\r%d/%d hives, %d unreadable, %.1f s" %
                      (n, len(paths), failed, time.monotonic() - t0),
                      end="\n" if n == len(paths) else "", file=sys.stderr)
    if out is not sys.stdout:
        out.close()
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # | head: stop quietly
        sys.stderr.close()
        sys.exit(1)
