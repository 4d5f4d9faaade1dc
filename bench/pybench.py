# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/pybench.py HIVE RUNS [--no-hash]: open HIVE with the Python
bindings and read every volume (data, unique ID with its fields, names and
GUIDs), RUNS times in this process; prints the median wall time of one
run in microseconds.  bench/capi_volumes does the same in C (issue 15)."""
import statistics
import sys
import time

import mountdb


def one_run(path, hash_):
    sink = 0
    with mountdb.open(path, hash=hash_) as hive:
        for v in hive.volumes:
            sink += len(v.data)
            uid = v.unique_id
            sink += len(uid.summary) + len(uid.fields)
            for e in v.entries:
                sink += len(e.name) + len(e.class_)
                e.letter, e.guid
    return sink


def main():
    path, runs = sys.argv[1], int(sys.argv[2])
    hash_ = "--no-hash" not in sys.argv[3:]
    one_run(path, hash_)  # warm-up
    t = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        one_run(path, hash_)
        t.append((time.perf_counter_ns() - t0) // 1000)
    print(int(statistics.median(t)))


if __name__ == "__main__":
    main()
