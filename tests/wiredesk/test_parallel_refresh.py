"""Claims refreshed in the worker processes come out exactly as the serial refresh makes them."""

from __future__ import annotations

import claims
import wiredesk.workers as workers
from bench.wire import write_feeds
from db import Store
from wiredesk.config import cache_dir
from wiredesk.fetching import import_files
from wiredesk.ingest import Ingestor

COLUMNS = ("id, key, summary, contested, contest_reasons, stance_counts, outlets, originators, figures, "
           "mention_count, first_seen, last_seen, dirty")


def test_worker_refresh_equals_serial_refresh(tmp_path, monkeypatch):
    wire = tmp_path / "wire"
    write_feeds(wire, feeds=8, items=4, words=120)
    monkeypatch.setattr(workers, "MIN_CLAIMS_FOR_POOL", 1)
    used = []
    real = workers.Preparer.refresh_claims
    monkeypatch.setattr(workers.Preparer, "refresh_claims", lambda self, store: used.append(real(self, store)) or used[-1])
    with Store(tmp_path / "w.db") as store:
        ingestor = Ingestor(store, claims.Gazetteer.load(cache_dir()))
        import_files(store, ingestor, [wire], None, {}, lambda path, result: None)
        assert used and used[0] > 0  # the pool did the work
        parallel = store.db.execute(f"SELECT {COLUMNS} FROM claims ORDER BY id").fetchall()
        store.db.execute("UPDATE claims SET dirty = 1")
        store.refresh_claims(claims.assess)
        serial = store.db.execute(f"SELECT {COLUMNS} FROM claims ORDER BY id").fetchall()
    assert parallel == serial and all(row[-1] == 0 for row in parallel)
