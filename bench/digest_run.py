"""The digest figure: 1,000 verified claims (and their mentions) rendered in every format."""

from __future__ import annotations

import time
from pathlib import Path

from bench.bigdb import build
from db import Store
from wiredesk.export import FORMATS, render_digest


def measure_digest(work: Path, claims: int = 1000) -> dict[str, float]:
    path = build(work / "digest.db", items=claims * 5, claims_target=claims)
    with Store(path) as store:
        ids = [r[0] for r in store.db.execute("SELECT id FROM claims ORDER BY id LIMIT ?", [claims])]
        with store.write():
            for claim_id in ids:
                store.add_verdict(claim_id, "verified", "bench", "benchmark verdict")
        results = {}
        for fmt in FORMATS:
            start = time.perf_counter()
            render_digest(store, fmt)
            results[fmt] = time.perf_counter() - start
    return results
