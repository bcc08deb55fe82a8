"""Item ids are never given twice. A feed's removal deletes its items; when one of them was the
newest, the old schema (ids as MAX(id)+1) gave its id to the next item stored. An ingestor that had
indexed the deleted item (another process, e.g. `fetch --watch` while `wiredesk feeds remove` ran)
then kept the deleted story's signature under the new item's id, and its catch-up — "what was stored
after the highest id I cover" — never saw the new item: a copy of the new story started a cluster of
its own, and a copy of the deleted story joined the new, unrelated story's cluster. With ids never
reused, the index still held the deleted story: a copy of it joined the cluster of an item no longer
on the desk; the index now forgets deleted items it matches."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import claims
from claims.types import Item
from db import Store, remove_feed
from fetchers import ParsedFeed
from wiredesk.config import cache_dir
from wiredesk.ingest import Ingestor

SHELLING = (
    "Government forces shelled the northern districts of Saraqib overnight, residents said, and at least "
    "twelve civilians were killed as rockets struck a market and two schools near the main road. Rescue "
    "workers pulled survivors from the rubble until dawn while families fled towards the Turkish border "
    "in cars and trucks loaded with mattresses, a local official told reporters on Thursday morning."
)
CONVOY = (
    "A United Nations convoy of forty trucks carrying flour, medicine and winter blankets crossed into the "
    "province on Tuesday after weeks of negotiations over the route, aid officials said, adding that the "
    "warehouses in the provincial capital had been empty since the start of the month and that bakeries "
    "had closed one after another as fuel for their ovens ran out across the countryside."
)
HARVEST = (
    "Farmers in the eastern plains began the wheat harvest two weeks early this year because of the heat, "
    "the agriculture directorate said, warning that yields could fall by a third after a winter with "
    "little rain and a spring of repeated frosts that damaged the young crop in most of the villages."
)


def near(text: str) -> str:
    return text.replace("two", "three").replace("said", "reported")


@pytest.fixture(scope="module")
def gazetteer():
    return claims.Gazetteer.load(cache_dir())  # the run's shared cache (tests/conftest.py)


def _feed(store: Store, name: str, text: str) -> tuple:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    feed = store.add_feed(f"https://{name}.example/rss", outlet=name)
    item = Item(f"{name}-1", f"Report from {name}", text, f"https://{name}.example/1", now)
    return feed, ParsedFeed(feed.url, name, (item,))


def _cluster(store: Store, item_id: int) -> int:
    return store.item(item_id).row.cluster


def test_a_watching_ingestor_clusters_by_the_items_stored_after_another_process_removed_the_newest(tmp_path, gazetteer):
    path = tmp_path / "w.db"
    with Store(path) as watch_store, Store(path) as cli_store:
        watcher = Ingestor(watch_store, gazetteer)  # e.g. `wiredesk fetch --watch`
        (harvest_id,) = watcher.ingest(*_feed(watch_store, "harvest", HARVEST)).item_ids
        (shelling_id,) = watcher.ingest(*_feed(watch_store, "levant", SHELLING)).item_ids  # the newest item
        assert shelling_id > harvest_id

        # Another process removes the feed of the newest item, then stores an unrelated story.
        remove_feed(cli_store, cli_store.feed_by_url("https://levant.example/rss").id, claims.assess)
        (convoy_id,) = Ingestor(cli_store, gazetteer).ingest(*_feed(cli_store, "relief", CONVOY)).item_ids

        # The watcher then stores a copy of the new story: it joins that story's cluster ...
        (copy_id,) = watcher.ingest(*_feed(watch_store, "copy", near(CONVOY))).item_ids
        assert _cluster(watch_store, copy_id) == _cluster(watch_store, convoy_id)
        # ... and a copy of the deleted story does not join the unrelated new story's cluster, nor that
        # of the deleted item: it starts its own, as it would from an index loaded after the removal.
        (late_id,) = watcher.ingest(*_feed(watch_store, "late", near(SHELLING))).item_ids
        assert _cluster(watch_store, late_id) != _cluster(watch_store, convoy_id)
        assert _cluster(watch_store, late_id) == late_id
        assert convoy_id > shelling_id  # the deleted item's id is never given to another


def test_a_copy_joins_the_cluster_through_the_copies_still_stored_when_the_first_is_removed(tmp_path, gazetteer):
    with Store(tmp_path / "w.db") as store:
        ingestor = Ingestor(store, gazetteer)
        (first,) = ingestor.ingest(*_feed(store, "levant", SHELLING)).item_ids
        (second,) = ingestor.ingest(*_feed(store, "idlib", near(SHELLING))).item_ids
        assert _cluster(store, second) == first
        remove_feed(store, store.feed_by_url("https://levant.example/rss").id, claims.assess)
        (third,) = ingestor.ingest(*_feed(store, "late", SHELLING.replace("Thursday", "Friday"))).item_ids
        assert _cluster(store, third) == _cluster(store, second) == first
