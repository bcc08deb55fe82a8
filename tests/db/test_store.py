"""The store on a real SQLite file: schema, dedup keys, transactions, verdict log, refusal of newer schemas."""

from __future__ import annotations

import sqlite3

import pytest

from claims.types import Assessment, Figure, Item, Mention, Place
from db import NewItem, NotFound, SchemaTooNew, Store, StorageError

HAMA = Place("gn:170017", "Hama", "city", "Syria", "SY", "Hama", 35.13, 36.75)


def count_assess(mentions):
    stances = {}
    for m in mentions:
        stances[m.stance] = stances.get(m.stance, 0) + 1
    return Assessment(
        summary=f"{len(mentions)} mentions",
        contested="asserts" in stances and "denies" in stances,
        stance_counts=stances,
        outlets=len({m.outlet for m in mentions}),
        originators=len({m.attributed_to or m.outlet for m in mentions}),
    )


def mention(stance="asserts", event="control", place=HAMA, n=()):
    return Mention(place, f"Sentence {stance}.", 0, stance, event, tuple(n), attributed_to=None)


def new_item(guid, title="T", mentions=(), published="2026-11-20T10:00:00Z", link=None):
    return NewItem(Item(guid, title, f"text of {guid}", link, published), f"hash-{guid}", link, tuple(mentions))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "w.db") as s:
        yield s


def test_schema_is_plain_sqlite_in_wal_with_foreign_keys(store, tmp_path):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn = sqlite3.connect(tmp_path / "w.db")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"feeds", "items", "places", "claims", "mentions", "verdicts", "items_fts"} <= tables


def test_items_mentions_and_claims_commit_together(store):
    feed = store.add_feed("https://a.example/rss", outlet="A")
    ids = store.add_items(feed.id, [new_item("g1", mentions=[mention("asserts")]),
                                    new_item("g2", mentions=[mention("denies")])], count_assess, "A")
    assert len(ids) == 2
    (card,) = store.place_cards()
    (claim,) = card.claims
    assert claim.contested and claim.stance_counts == {"asserts": 1, "denies": 1}
    assert [m.outlet for m in claim.mentions] == ["A", "A"]


def test_failed_batch_stores_nothing(store):
    feed = store.add_feed("https://a.example/rss")

    def broken(mentions):
        raise RuntimeError("extractor bug")

    with pytest.raises(RuntimeError):
        store.add_items(feed.id, [new_item("g1", mentions=[mention()])], broken, "A")
    assert store.item_count() == 0
    assert store.db.execute("SELECT COUNT(*) FROM mentions").fetchone()[0] == 0
    assert store.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0


def test_known_dedup_keys(store):
    feed = store.add_feed("https://a.example/rss")
    store.add_items(feed.id, [new_item("g1", link="https://x.example/1")], count_assess, "A")
    guids, links, hashes = store.known(feed.id, ["g1", "g2"], ["https://x.example/1", "https://x.example/2"], ["hash-g1"])
    assert guids == {"g1"} and links == {"https://x.example/1"} and hashes == {"hash-g1"}
    other = store.add_feed("https://b.example/rss")
    assert store.known(other.id, ["g1"], [], [])[0] == set()  # guids are per feed


def test_queue_pages_newest_first_with_keyset(store):
    feed = store.add_feed("https://a.example/rss")
    batch = [new_item(f"g{i}", title=f"item {i}", published=f"2026-11-20T10:{i:02d}:00Z") for i in range(30)]
    store.add_items(feed.id, batch, count_assess, "A")
    first = store.items(limit=10)
    assert [r.title for r in first[:3]] == ["item 29", "item 28", "item 27"]
    second = store.items(limit=10, before=(first[-1].sort_at, first[-1].id))
    assert second[0].title == "item 19"


def test_search_quotes_user_text(store):
    feed = store.add_feed("https://a.example/rss")
    store.add_items(feed.id, [new_item("g1", title="Shelling near Morek"), new_item("g2", title="Calm in Homs")],
                    count_assess, "A")
    assert [r.title for r in store.items(search="Morek")] == ["Shelling near Morek"]
    assert store.items(search='"unbalanced AND (') == []


def test_verdicts_are_append_only_and_latest_wins(store):
    feed = store.add_feed("https://a.example/rss")
    store.add_items(feed.id, [new_item("g1", mentions=[mention()])], count_assess, "A")
    claim_id = store.place_cards()[0].claims[0].id
    store.add_verdict(claim_id, "verified", "ana", "two sources")
    store.add_verdict(claim_id, "disputed", "ben")
    assert store.claim(claim_id).status == "disputed"
    assert [v.status for v in store.history(claim_id)] == ["verified", "disputed"]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE verdicts SET status = 'verified'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM verdicts")
    with pytest.raises(NotFound):
        store.add_verdict(9999, "verified", "ana")
    with pytest.raises(ValueError):
        store.add_verdict(claim_id, "true", "ana")


def test_undo_appends_the_previous_status(store):
    feed = store.add_feed("https://a.example/rss")
    store.add_items(feed.id, [new_item("g1", mentions=[mention()])], count_assess, "A")
    claim_id = store.place_cards()[0].claims[0].id
    store.add_verdict(claim_id, "verified", "ana")
    store.add_verdict(claim_id, "disputed", "ana")
    store.undo("ana")
    assert store.claim(claim_id).status == "verified"
    store.undo("ana")
    assert store.claim(claim_id).status == "unverified"
    assert len(store.history(claim_id)) == 4
    assert store.undo("ana") is None


def test_verified_claim_with_new_denial_needs_review(store):
    feed = store.add_feed("https://a.example/rss")
    store.add_items(feed.id, [new_item("g1", mentions=[mention("asserts", "casualties", n=[Figure(300, "killed")])])],
                    count_assess, "A")
    claim_id = store.place_cards()[0].claims[0].id
    store.add_verdict(claim_id, "verified", "ana")
    assert not store.claim(claim_id).needs_review
    store.add_items(feed.id, [new_item("g2", mentions=[mention("asserts", "casualties", n=[Figure(2000, "killed")])])],
                    count_assess, "A")
    assert store.claim(claim_id).needs_review


def test_reextract_keeps_claim_ids_and_verdicts(store):
    feed = store.add_feed("https://a.example/rss")
    store.add_items(feed.id, [new_item("g1", mentions=[mention()])], count_assess, "A")
    claim_id = store.place_cards()[0].claims[0].id
    store.add_verdict(claim_id, "verified", "ana")
    items, found = store.reextract(lambda item_id, title, text: [mention(), mention("denies")], count_assess)
    assert (items, found) == (1, 2)
    claim = store.claim(claim_id)
    assert claim.status == "verified" and claim.stance_counts == {"asserts": 1, "denies": 1}


def test_newer_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "w.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('wiredesk', 'm999_future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew, match="newer wiredesk"):
        Store(path)


def test_corrupt_file_is_a_storage_error(tmp_path):
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="bad.db"):
        Store(path)
    assert path.read_bytes().startswith(b"this is not")


def test_feed_state_records_errors_and_permanent_redirects(store):
    from db import FetchRecord

    feed = store.add_feed("https://a.example/rss")
    store.record_fetch(feed.id, FetchRecord("error", 500, "HTTP 500", next_due="2026-11-20T10:10:00Z"))
    store.record_fetch(feed.id, FetchRecord("error", 500, "HTTP 500"))
    assert store.feed(feed.id).failures == 2 and store.feed(feed.id).last_error == "HTTP 500"
    store.record_fetch(feed.id, FetchRecord("not_modified", 304, etag='"e"', new_url="https://b.example/rss"))
    f = store.feed(feed.id)
    assert f.failures == 0 and f.last_error is None and f.etag == '"e"' and f.url == "https://b.example/rss"
    assert f.not_modified == 1 and f.fetches == 3
