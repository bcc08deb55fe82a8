"""The store on a real SQLite file: schema, dedup keys, transactions, verdict log, refusal of newer schemas."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

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


def test_a_rolled_back_batch_leaves_no_remembered_place_or_claim_behind(store):
    """The store remembers the places and claim ids it wrote, to skip rewriting them; a rollback must
    make it forget, or the next batch would point mentions at rows that were never kept."""
    feed = store.add_feed("https://a.example/rss")
    homs = Place("gn:169577", "Homs", "city", "Syria", "SY", "Homs", 34.73, 36.71)

    def broken(mentions):
        raise RuntimeError("assess bug")

    with pytest.raises(RuntimeError):
        store.add_items(feed.id, [new_item("g1", mentions=[mention(place=homs)])], broken, "A")
    assert store.db.execute("SELECT COUNT(*) FROM places").fetchone()[0] == 0
    ids = store.add_items(feed.id, [new_item("g1", mentions=[mention(place=homs)])], count_assess, "A")
    assert len(ids) == 1
    assert store.db.execute("SELECT name FROM places").fetchall() == [("Homs",)]
    (card,) = store.place_cards("Homs")
    assert card.claims[0].mention_count == 1 and store.integrity_check() == "ok"
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_place_written_again_with_new_details_is_updated(store):
    feed = store.add_feed("https://a.example/rss")
    store.add_items(feed.id, [new_item("g1", mentions=[mention()])], count_assess, "A")
    moved = replace(HAMA, admin1="Hama Governorate")
    store.add_items(feed.id, [new_item("g2", mentions=[mention(place=moved)])], count_assess, "A")
    store.add_items(feed.id, [new_item("g3", mentions=[mention()]), new_item("g4", mentions=[mention(n=[Figure(120, "killed")])])],
                    count_assess, "A")
    assert store.db.execute("SELECT admin1 FROM places WHERE key = ?", [HAMA.key]).fetchone()[0] == "Hama"
    rows = store.db.execute("SELECT numbers FROM mentions ORDER BY id").fetchall()
    assert [r[0] for r in rows][:3] == ["[]", "[]", "[]"] and '"value": 120' in rows[3][0]


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


@pytest.mark.parametrize("typed,expected", [
    ('"', []), ('""', []), ("OR", []), ("*", []),  # nothing searchable: no match, and no fts5 syntax error
    ("Morek OR Homs", ["Calm in Homs", "Shelling near Morek"]),
    ("morek or homs", []),  # lower-case "or" is a word
    ("near OR in Morek", ["Shelling near Morek"]),  # (near OR in) AND Morek
    ('"near Morek"', ["Shelling near Morek"]), ('"Morek near"', []),
    ("Mor*", ["Shelling near Morek"]), ("Shell* AND Morek", ["Shelling near Morek"]),
    ('al-Hasakah "and Khan', ["Fighting at al-Hasakah and Khan"]),  # a dangling quote opens a phrase to the end
])
def test_search_words_phrases_or_and_prefixes(store, typed, expected):
    feed = store.add_feed("https://a.example/rss")
    store.add_items(feed.id, [new_item("g1", title="Shelling near Morek"), new_item("g2", title="Calm in Homs"),
                              new_item("g3", title="Fighting at al-Hasakah and Khan")], count_assess, "A")
    assert sorted(r.title for r in store.items(search=typed)) == expected


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
    done = store.reextract(lambda item_id, title, text: [mention(), mention("denies")], count_assess)
    assert done == (1, 2, 1, 1, 0)  # items, mentions, kept, new, gone
    claim = store.claim(claim_id)
    assert claim.status == "verified" and claim.stance_counts == {"asserts": 1, "denies": 1}


def _three_claims(store):
    """Two items; claims: Hama control (asserted twice), Hama casualties (300 killed)."""
    feed = store.add_feed("https://a.example/rss")
    killed = mention("asserts", "casualties", n=[Figure(300, "killed")])
    store.add_items(feed.id, [new_item("g1", mentions=[mention(), killed]), new_item("g2", mentions=[mention()])],
                    count_assess, "A")
    by_item = {}
    for item_id, in store.db.execute("SELECT id FROM items ORDER BY id"):
        by_item[item_id] = list(store.item(item_id).mentions)
    return feed, by_item


def _state(store):
    return {c.id: (c.status, c.needs_review, tuple(m.id for m in c.mentions))
            for card in store.place_cards() for c in card.claims}


def test_reextract_with_the_same_extractor_keeps_every_id_and_flag(store):
    _feed, by_item = _three_claims(store)
    for card in store.place_cards():
        for c in card.claims:
            store.add_verdict(c.id, "verified", "ana")
    before = _state(store)
    same = lambda item_id, title, text: by_item[item_id]  # noqa: E731
    assert store.reextract(same, count_assess) == (2, 3, 3, 0, 0)
    assert _state(store) == before and not any(flag for _, flag, _ in before.values())


def test_reextract_gives_new_ids_only_to_changed_evidence_and_flags_only_its_claim(store):
    _feed, by_item = _three_claims(store)
    for card in store.place_cards():
        for c in card.claims:
            store.add_verdict(c.id, "verified", "ana")
    before = _state(store)
    first, second = sorted(by_item)
    control = next(i for i, (_, _, ms) in before.items() if len(ms) == 2)
    casualties = next(i for i in before if i != control)
    newest = max(m for _, _, ms in before.values() for m in ms)

    # A changed extractor: item 2's sentence now reads as a denial; item 1's moves down a sentence
    # and is placed less precisely (not a change in what it says).
    def changed(item_id, title, text):
        if item_id == second:
            return [replace(mention("denies"), attributed_to="the ministry")]
        return [replace(m, sentence_index=m.sentence_index + 1, precision=2) for m in by_item[item_id]]

    assert store.reextract(changed, count_assess) == (2, 3, 2, 1, 1)
    after = _state(store)
    assert after[casualties] == before[casualties]  # untouched evidence: same ids, no review
    status, review, ids = after[control]
    assert status == "verified" and review  # a denial from a source that had not said so
    assert ids[0] == before[control][2][0] and ids[1] > newest  # the kept mention and a never-used id
    assert {m.sentence_index for m in store.item(first).mentions} == {1}


def test_mention_ids_are_never_reused_after_deletion(store):
    _feed, by_item = _three_claims(store)
    newest = max(m.id for ms in by_item.values() for m in ms)
    # Re-extraction finds nothing in the item holding the newest mention: that id is freed...
    store.reextract(lambda item_id, title, text: [] if item_id == max(by_item) else by_item[item_id], count_assess)
    feed = store.feeds()[0]
    store.add_items(feed.id, [new_item("g3", mentions=[mention()])], count_assess, "A")
    # ... and the next mention stored does not take it (a verdict citing it would count it as seen).
    (fresh,) = store.item(max(store.db.execute("SELECT id FROM items").fetchall())[0]).mentions
    assert fresh.id > newest


def old_store(path, stop_before: str, title: str = "t", outlet: str = "A"):
    """A database written by a wiredesk before ``stop_before``, holding one feed and item 1."""
    from db._schema import migrations
    from sqlite_utils import Database

    db = Database(path)
    migrations.apply(db, stop_before=stop_before)
    db.execute("INSERT INTO feeds (url, added) VALUES ('u', 'now')")
    db.execute("""INSERT INTO items (id, feed_id, guid, content_hash, title, text, outlet, fetched, sort_at)
                  VALUES (1, 1, 'g', 'h', ?, 'x', ?, 'now', 'now')""", [title, outlet])
    return db


def test_migration_keeps_mention_ids_and_starts_above_every_cited_one(tmp_path):
    path = tmp_path / "old.db"
    db = old_store(path, "m003_mention_ids_never_reused")
    db.execute("INSERT INTO places (key, name, kind, source) VALUES ('gn:1', 'Hama', 'city', 'geonames')")
    db.execute("INSERT INTO claims (id, key, place_key, event) VALUES (1, 'gn:1|control', 'gn:1', 'control')")
    for mention_id in (5, 9):
        db.execute("""INSERT INTO mentions (id, item_id, claim_id, place_key, sentence, sentence_index, stance, event,
                      precision) VALUES (?, 1, 1, 'gn:1', 's', 0, 'asserts', 'control', 1)""", [mention_id])
    # A verdict cites a mention that was deleted when it was the newest (the old schema reused its id).
    db.execute("""INSERT INTO verdicts (claim_id, claim_key, status, editor, at, evidence)
                  VALUES (1, 'gn:1|control', 'verified', 'ana', 'now', '[5, 9, 12]')""")
    db.conn.commit()
    db.conn.close()
    with Store(path) as store:
        assert [m.id for m in store.item(1).mentions] == [5, 9]
        assert store.integrity_check() == "ok"
        feed = store.feeds()[0]
        store.add_items(feed.id, [new_item("g2", mentions=[mention()])], count_assess, "A")
        new_id = store.db.execute("SELECT MAX(id) FROM mentions").fetchone()[0]
        assert new_id == 13


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


def test_reextract_extracts_outside_its_write_transactions(store, tmp_path):
    """Extraction of big items takes seconds: other writers (editors) must not wait for it."""
    _feed, by_item = _three_claims(store)
    writes = []

    def extract_while_another_writes(item_id, title, text):
        other = sqlite3.connect(tmp_path / "w.db", timeout=0.05)
        try:
            other.execute("BEGIN IMMEDIATE")  # "database is locked" if reextract held the lock here
            other.execute("UPDATE items SET read = 1 WHERE id = ?", [item_id])
            other.execute("COMMIT")
            writes.append(item_id)
        finally:
            other.close()
        return by_item[item_id]

    assert store.reextract(extract_while_another_writes, count_assess) == (2, 3, 3, 0, 0)
    assert sorted(writes) == sorted(by_item)


def test_reextract_chunks_by_text_size(store):
    feed = store.add_feed("https://a.example/rss")
    store.add_items(feed.id, [new_item(f"g{i}") for i in range(5)], count_assess, "A")
    sizes = [len(c) for c in store._text_chunks(max_items=3, max_chars=len("T") + len("text of g0") + 1)]
    assert sizes == [1, 1, 1, 1, 1]
    assert [len(c) for c in store._text_chunks(max_items=3)] == [3, 2]


def test_place_cards_page_by_keyset_in_the_same_order_as_all_at_once(store):
    feed = store.add_feed("https://a.example/rss", outlet="A")
    items = []
    for n in range(23):
        place = Place(f"t:{n}", f"Town {n}", "town", "Syria", "SY", None, None, None, "pattern")
        # Pairs of towns share a time: ties are broken by place key on every page.
        items.append(new_item(f"g{n}", mentions=[mention(place=place), mention("denies", "attack", place)],
                              published=f"2026-11-20T10:{n // 2:02d}:00Z"))
    store.add_items(feed.id, items, count_assess, "A")
    everything = [card.place.key for card in store.place_cards()]
    paged, after = [], None
    while True:
        page = store.place_cards(limit=5, after=after)
        paged += [card.place.key for card in page]
        if len(page) < 5:
            break
        after = (page[-1].last_seen, page[-1].place.key)
    assert paged == everything and len(everything) == 23
    assert all(len(card.claims) == 2 for card in store.place_cards(limit=5, after=after))


def test_claim_with_mentions_per_claim_keeps_the_newest(store):
    feed = store.add_feed("https://a.example/rss", outlet="A")
    store.add_items(feed.id, [new_item(f"g{n}", mentions=[mention()], published=f"2026-11-20T10:{n:02d}:00Z")
                              for n in range(6)], count_assess, "A")
    claim_id = store.place_cards()[0].claims[0].id
    full = store.claim(claim_id)
    newest = store.claim(claim_id, mentions_per_claim=2)
    assert len(full.mentions) == 6 and full.mention_count == 6
    assert [m.id for m in newest.mentions] == [m.id for m in full.mentions[-2:]]
    assert newest.mention_count == 6


def test_claim_updates_made_elsewhere_apply_only_to_unchanged_claims(store):
    """Aggregates computed from a read in another process are written only where the claim's
    mentions are still those rows; a claim that changed meanwhile stays dirty for refresh_claims."""
    feed = store.add_feed("https://a.example/rss")
    homs = Place("gn:169577", "Homs", "city", "Syria", "SY", "Homs", 34.73, 36.71)
    store.add_items(feed.id, [new_item("g1", mentions=[mention(), mention(place=homs)])], count_assess, "A",
                    defer_claims=True)
    dirty = store.dirty_claims()
    assert len(dirty) == 2
    updates = store.assess_claims(dirty, count_assess)
    # Another writer adds a denial about Hama between the read and the write.
    store.add_items(feed.id, [new_item("g2", mentions=[mention("denies")])], count_assess, "A", defer_claims=True)
    assert store.apply_claim_updates(updates) == 1
    hama_claim = store.db.execute("SELECT id FROM claims WHERE place_key = ?", [HAMA.key]).fetchone()[0]
    assert store.dirty_claims() == [hama_claim]
    assert store.refresh_claims(count_assess) == 1
    (card,) = store.place_cards("Hama")
    assert card.claims[0].contested and card.claims[0].mention_count == 2
    (card,) = store.place_cards("Homs")
    assert card.claims[0].mention_count == 1 and store.dirty_claims() == []


def test_claim_updates_read_before_a_change_are_refused_even_after_the_claim_was_refreshed_and_marked_again(store):
    """The version a worker read never comes back: refreshed (clean) and changed again meanwhile, the
    claim still refuses the stale aggregates."""
    feed = store.add_feed("https://a.example/rss")
    store.add_items(feed.id, [new_item("g1", mentions=[mention()])], count_assess, "A", defer_claims=True)
    stale = store.assess_claims(store.dirty_claims(), count_assess)
    store.add_items(feed.id, [new_item("g2", mentions=[mention("denies")])], count_assess, "A")  # refreshed now
    store.add_items(feed.id, [new_item("g3", mentions=[mention()])], count_assess, "A", defer_claims=True)
    assert store.apply_claim_updates(stale) == 0
    assert store.refresh_claims(count_assess) == 1
    (card,) = store.place_cards("Hama")
    assert card.claims[0].mention_count == 3 and card.claims[0].contested


def test_a_schema_build_cut_short_leaves_no_tables_and_the_next_open_builds_them_all(tmp_path, monkeypatch):
    # A fetch killed while it creates the database must not leave half a schema (the next run
    # would find "feeds" already there and stop): the migrations and their record are one transaction.
    from sqlite_utils.db import Table

    path = tmp_path / "w.db"

    def cut(self, *args, **kwargs):
        raise KeyboardInterrupt  # as a signal would, after m001's tables exist

    monkeypatch.setattr(Table, "enable_fts", cut)
    with pytest.raises(KeyboardInterrupt):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").fetchall() == []
    conn.close()
    monkeypatch.undo()
    with Store(path) as store:
        assert store.integrity_check() == "ok"
        assert store.feeds() == []
        tables = {name for (name,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"feeds", "items", "claims", "mentions", "verdicts", "items_fts"} <= tables


def fts_writes(store, sql, args=()):
    """Rows the statement changed, its triggers' writes to the search index included."""
    before = store.db.conn.total_changes
    store.db.execute(sql, args)
    return store.db.conn.total_changes - before


def test_search_index_is_rewritten_only_when_title_or_text_change(store):
    feed = store.add_feed("https://a.example/rss")
    (item_id,) = store.add_items(feed.id, [new_item("g1", title="Shelling near Morek")], count_assess, "A")
    # Marking read or setting a cluster changes the row alone (the old trigger re-indexed the text).
    store.mark_read(item_id)
    assert fts_writes(store, "UPDATE items SET read = 0 WHERE id = ?", [item_id]) == 1
    assert fts_writes(store, "UPDATE items SET cluster = ? WHERE id = ?", [item_id, item_id]) == 1
    assert [r.title for r in store.items(search="Morek")] == ["Shelling near Morek"]
    # A changed title is searchable under its new words only.
    assert fts_writes(store, "UPDATE items SET title = 'Calm in Homs' WHERE id = ?", [item_id]) > 1
    assert store.items(search="Morek") == []
    assert [r.title for r in store.items(search="Homs")] == ["Calm in Homs"]
    store.db.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")  # raises if index and rows differ


def test_upgrade_from_the_old_search_trigger_keeps_items_searchable(tmp_path):
    path = tmp_path / "old.db"
    db = old_store(path, "m004_search_index_follows_only_the_text", "Shelling near Morek", "Levant Wire")
    db.conn.commit()
    db.conn.close()
    with Store(path) as store:
        assert [r.title for r in store.items(search="Morek")] == ["Shelling near Morek"]
        assert fts_writes(store, "UPDATE items SET read = 1 WHERE id = 1") == 1
        assert store.outlets() == ["Levant Wire"]
        plan = " ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN SELECT DISTINCT outlet FROM items ORDER BY outlet"))
        assert "items_outlet" in plan


def test_clusters_are_stored_with_the_item_within_and_across_batches(store, tmp_path):
    feed = store.add_feed("https://a.example/feed")
    first = store.add_items(feed.id, [new_item("g1"), replace(new_item("g2"), cluster_batch_index=0), new_item("g3")],
                            count_assess, "A")
    second = store.add_items(feed.id, [replace(new_item("g4"), cluster=first[0]), new_item("g5")], count_assess, "A")
    stored = dict(sqlite3.connect(tmp_path / "w.db").execute("SELECT id, cluster FROM items"))
    assert stored == {first[0]: first[0], first[1]: first[0], first[2]: first[2],
                      second[0]: first[0], second[1]: second[1]}
    assert [store.item_cluster(i) for i in first + second] == [stored[i] for i in first + second]
    # A batch that fails leaves nothing behind, not even a remembered cluster for an id reused later.
    with pytest.raises(StorageError):
        store.add_items(feed.id, [new_item("g6"), new_item("g6")], count_assess, "A")
    (again,) = store.add_items(feed.id, [replace(new_item("g7"), cluster=first[2])], count_assess, "A")
    assert store.item_cluster(again) == first[2]


def test_items_are_indexed_for_search_per_batch_and_an_old_database_keeps_its_index(tmp_path):
    path = tmp_path / "old.db"
    db = old_store(path, "m005_search_index_written_per_batch", "Shelling near Morek", "Levant Wire")
    db.conn.commit()
    db.conn.close()
    with Store(path) as store:
        assert store.db.execute("SELECT name FROM sqlite_master WHERE name = 'items_ai'").fetchall() == []
        feed = store.add_feed("https://a.example/rss")
        store.add_items(feed.id, [new_item(f"a{n}", title=f"Convoy {n} reached Saraqib") for n in range(5)],
                        count_assess, "A")
        store.add_items(feed.id, [new_item("b1", title="Calm in Homs"), new_item("b2", title="Saraqib quiet")],
                        count_assess, "A")
        assert len(store.items(search="Saraqib")) == 6
        assert [r.title for r in store.items(search="Morek")] == ["Shelling near Morek"]
        assert [r.title for r in store.items(search="Homs")] == ["Calm in Homs"]
        store.db.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")
        # One index segment per batch, not one per item: the old database's item, then two batches.
        segments = store.db.execute("SELECT COUNT(*) FROM items_fts_idx WHERE segid > 0 AND term = ''").fetchone()[0]
        assert segments <= 3


def test_mentions_given_as_rows_are_stored_as_the_mentions_themselves(tmp_path):
    """Workers hand the writer ``mention_row``s instead of Mention objects: same rows in the store."""
    from db import mention_row

    homs = Place("gn:169577", "Homs", "city", "Syria", "SY", "Homs", 34.73, 36.71)
    found = [mention("asserts", "casualties", n=[Figure(300, "killed", "at least", 300, None, "at least 300")]),
             replace(mention("denies", place=homs), attributed_to="the ministry", qualifier="near", precision=2)]
    stored = []
    for name, given in (("objects", found), ("rows", [mention_row(m) for m in found])):
        with Store(tmp_path / f"{name}.db") as store:
            feed = store.add_feed("https://a.example/rss")
            store.add_items(feed.id, [new_item("g1", mentions=given)], count_assess, "A")
            stored.append(store.db.execute("SELECT * FROM mentions ORDER BY id").fetchall())
            stored.append(store.db.execute("SELECT * FROM places ORDER BY key").fetchall())
    assert stored[0] == stored[2] and stored[1] == stored[3] and len(stored[0]) == 2


def test_the_place_filter_finds_items_through_claims_after_the_place_index_is_dropped(tmp_path):
    """m007 drops the per-mention place index; the queue's place filter goes through the place's
    claims and still gives exactly the items that mention the place, newest first."""
    morek = Place("gn:166640", "Morek", "town", "Syria", "SY", "Hama", 35.37, 36.69)
    path = tmp_path / "old.db"
    old_store(path, "m007_mentions_found_by_place_through_claims").conn.close()
    with Store(path) as store:
        indexes = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'mentions'")}
        assert "mentions_place" not in indexes and "mentions_claim" in indexes
        feed = store.add_feed("https://a.example/rss")
        store.add_items(feed.id, [
            new_item("hama", mentions=[mention()], published="2026-11-20T10:00:00Z"),
            new_item("morek", mentions=[mention(place=morek, event="attack")], published="2026-11-20T11:00:00Z"),
            new_item("both", mentions=[mention("denies"), mention(place=morek)], published="2026-11-20T12:00:00Z"),
            new_item("none", published="2026-11-20T13:00:00Z"),
        ], count_assess, "A")
        guids = lambda key: [store.item(r.id).guid for r in store.items(place_key=key)]  # noqa: E731
        assert guids(HAMA.key) == ["both", "hama"]
        assert guids(morek.key) == ["both", "morek"]
        assert guids("gn:0") == []


def test_place_cards_keep_each_claims_newest_mentions_by_publication_time(store):
    """Items stored out of publication order, two claims on one place: each claim keeps the mentions
    of its N most recently published items (not the N stored last), shown oldest first."""
    feed = store.add_feed("https://a.example/rss", outlet="A")
    minutes = [30, 5, 50, 15, 40, 0, 25]
    store.add_items(feed.id, [
        new_item(f"g{n}", mentions=[mention(), mention(event="attack")], published=f"2026-11-20T10:{m:02d}:00Z")
        for n, m in enumerate(minutes)], count_assess, "A")
    full = {v.event: v.mentions for v in store.place_cards(HAMA.key)[0].claims}
    for per_claim in (1, 3, 7):
        shown = {v.event: v.mentions for v in store.place_cards(mentions_per_claim=per_claim, limit=5)[0].claims}
        assert shown.keys() == full.keys() == {"control", "attack"}
        for event, mentions in full.items():
            newest = sorted(mentions, key=lambda m: (m.published, m.id))[-per_claim:]
            assert [m.id for m in shown[event]] == [m.id for m in newest]
            assert [m.published[14:16] for m in shown[event]] == sorted(m.published[14:16] for m in newest)
