"""wiredesk's side of the import and fetch benchmarks, timed in-process (imports excluded).

    python -m bench.ingest_run import DB DIR     → prints "seconds cpu-seconds" (this process and its workers)
    python -m bench.ingest_run stages DIR        → prints "parse extract prepare" CPU seconds on one core
    python -m bench.ingest_run fetch CONFIG      → prints "first-pass-seconds second-pass-seconds"
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from pathlib import Path

import claims
from db import Store
from wiredesk.config import cache_dir, load_config
from wiredesk.fetching import fetch_cycle, import_files
from wiredesk.ingest import Ingestor
from wiredesk.workers import Preparer


def run_import(db: Path, folder: Path) -> float:
    """What `wiredesk import DIR` does, timed from opening the store to the last claim refreshed."""
    start = time.perf_counter()
    with Store(db) as store:
        ingestor = Ingestor(store, claims.Gazetteer.load(cache_dir()))
        import_files(store, ingestor, [folder], None, {}, lambda path, result: None)
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (the worker pool, joined at its shutdown)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_stages(folder: Path) -> tuple[float, float, float]:
    """What the import's workers do, on one core, without the store: parsing the files, extracting
    claims from their items (each stage alone), then the whole of it as a worker does it per file
    (parse, extract, duplicate signatures, rows for the writer). CPU seconds of each."""
    from fetchers import read_file
    from wiredesk.ingest import load_sketching
    from wiredesk.workers import _prepare_file

    gazetteer = claims.Gazetteer.load(cache_dir())
    load_sketching()  # loaded once before the workers fork, outside the timing there too
    files = sorted(folder.iterdir())
    start = time.process_time()
    parsed = [read_file(path) for path in files]
    parse = time.process_time() - start
    items = [item for feed in parsed for item in feed.items]
    start = time.process_time()
    for item in items:
        claims.extract(item, gazetteer)
    extract = time.process_time() - start
    start = time.process_time()
    for path in files:
        _prepare_file(path, None, gazetteer)
    return parse, extract, time.process_time() - start


def run_fetch(config_path: Path) -> tuple[float, float]:
    """What `wiredesk fetch` does for configured feeds, twice: the second pass is all 304s."""
    config = load_config(config_path, required=True)
    with Store(config.database) as store:
        feeds = [store.add_feed(f.url) for f in config.feeds]
        ingestor = Ingestor(store, claims.Gazetteer.load(cache_dir()))
        times = []
        for _ in range(2):
            start = time.perf_counter()
            with Preparer(ingestor.gazetteer, cache_dir(), {}, len(feeds)) as preparer:
                outcomes = asyncio.run(
                    fetch_cycle(store, ingestor, [store.feed(f.id) for f in feeds], config.http, 300, None, preparer)
                )
            times.append(time.perf_counter() - start)
            errors = [o for o in outcomes if o.result == "error"]
            if errors:
                raise SystemExit(f"{len(errors)} feeds failed, e.g. {errors[0].line()}")
        results = {o.result for o in outcomes}
        if results != {"not_modified"}:
            raise SystemExit(f"second pass was not all 304: {results}")
    return times[0], times[1]


if __name__ == "__main__":
    if sys.argv[1] == "import":
        cpu = cpu_seconds()
        wall = run_import(Path(sys.argv[2]), Path(sys.argv[3]))
        print(f"{wall:.4f} {cpu_seconds() - cpu:.4f}")
    elif sys.argv[1] == "stages":
        print(" ".join(f"{s:.4f}" for s in run_stages(Path(sys.argv[2]))))
    else:
        first, second = run_fetch(Path(sys.argv[2]))
        print(f"{first:.4f} {second:.4f}")
