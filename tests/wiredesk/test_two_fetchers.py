"""Two fetches of one feed at once (the app's `r` while `wiredesk fetch --watch` runs): each stores
what the other has not, and neither fails."""

from __future__ import annotations

import asyncio
import threading

import pytest

import claims
from db import Store
from fetchers import HttpSettings
from tests.loopback import Reply
from wiredesk.config import cache_dir
from wiredesk.fetching import fetch_cycle
from wiredesk.ingest import Ingestor

FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Levant Wire</title>'
    "<link>https://levant.example/</link><description>d</description>"
    + "".join(
        f"<item><guid>lw-{n}</guid><title>Shelling reported in Saraqib, day {n}</title>"
        f"<link>https://levant.example/{n}</link><description>Government forces shelled Saraqib overnight "
        f"for the {n}th night, residents said. Item {n}.</description></item>"
        for n in range(20)
    )
    + "</channel></rss>"
).encode()


@pytest.fixture
def gazetteer():
    return claims.Gazetteer.load(cache_dir())  # the run's shared cache (tests/conftest.py)


def test_two_fetch_cycles_of_one_feed_at_once_store_each_item_once_and_both_succeed(server, tmp_path, gazetteer, monkeypatch):
    """Both cycles read the feed, find its items new and plan to store them; the second to write
    found them stored. Its insert failed on the feed's unique guids and the StorageError ended its
    whole cycle: the watch process stopped, the app said "Fetch failed: … cannot write … rolled back".
    Now it plans again and finds nothing new."""
    server.route("/lw.xml", Reply(200, FEED, {"Content-Type": "application/rss+xml"}))
    db = tmp_path / "w.db"
    with Store(db) as store:
        store.add_feed(server.url("/lw.xml"), outlet="Levant Wire")
    both_planned = threading.Barrier(2)
    real = Ingestor._index
    waited: set[int] = set()

    # Each cycle's first batch, found new and prepared before either writes. (The hook is not in
    # Store.add_items: the batch is now decided and stored in one write transaction, which the other
    # cycle waits for.)
    def index(self):
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            both_planned.wait(timeout=10)
        return real(self)

    monkeypatch.setattr(Ingestor, "_index", index)
    results: dict[str, object] = {}

    def cycle(name: str) -> None:
        try:
            with Store(db) as store:
                outcomes = asyncio.run(fetch_cycle(store, Ingestor(store, gazetteer), store.feeds(), HttpSettings(), 300))
                results[name] = [(o.result, o.new) for o in outcomes]
        except Exception as error:  # noqa: BLE001 — the assertion below says what failed
            results[name] = error

    threads = [threading.Thread(target=cycle, args=(name,)) for name in ("watch", "app")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results.values(), key=str) == [[("new", 20)], [("unchanged", 0)]], results
    with Store(db) as store:
        assert store.item_count() == 20
        assert store.dirty_claims() == []
