"""The peer's side (lemon24/reader), run with bench/.peer-venv's Python; imports nothing of wiredesk.

    peer_run.py import DB DIR      → prints "seconds cpu-seconds" (make_reader + add feeds + update_feeds)
    peer_run.py fetch DB URLFILE   → prints "first-pass-seconds second-pass-seconds"
"""

import os
import resource
import sys
import time

from reader import make_reader

WORKERS = 2


def run_import(db, folder):
    start = time.perf_counter()
    reader = make_reader(db, feed_root=folder)
    for name in sorted(os.listdir(folder)):
        reader.add_feed(name)
    reader.update_feeds(workers=WORKERS, scheduled=False)
    assert reader.get_entry_counts().total > 0
    return time.perf_counter() - start


def run_fetch(db, url_file):
    with open(url_file) as handle:
        urls = handle.read().split()
    reader = make_reader(db)
    for url in urls:
        reader.add_feed(url)
    times = []
    for _ in range(2):
        start = time.perf_counter()
        # reader's own default for concurrent updates is 1; give it the same 32 wiredesk uses.
        reader.update_feeds(workers=32, scheduled=False)
        times.append(time.perf_counter() - start)
    return times


if __name__ == "__main__":
    if sys.argv[1] == "import":
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime
        wall = run_import(sys.argv[2], sys.argv[3])
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(f"{wall:.4f} {usage.ru_utime + usage.ru_stime - cpu:.4f}")
    else:
        first, second = run_fetch(sys.argv[2], sys.argv[3])
        print(f"{first:.4f} {second:.4f}")
