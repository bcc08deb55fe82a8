"""Item ids are never given twice (m008: AUTOINCREMENT on items). Removing a feed deletes its items;
when one was the newest, the old schema gave its id to the next item stored, and everything that
remembered it outside the items table (the app's open queue and its "stored since" mark, its read
marks, an exported digest, the ids an editor passes to `wiredesk diff`) named another report."""

from __future__ import annotations

import sqlite3

import pytest

from db import NotFound, Store, remove_feed
from tests.db.test_store import count_assess, mention, new_item, old_store


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "w.db") as s:
        yield s


def test_the_newest_items_id_is_not_given_again_after_its_feed_is_removed(store):
    kept_feed = store.add_feed("https://a.example/rss", outlet="A")
    removed_feed = store.add_feed("https://b.example/rss", outlet="B")
    (kept,) = store.add_items(kept_feed.id, [new_item("a1")], count_assess, "A")
    (gone,) = store.add_items(removed_feed.id, [new_item("b1", title="Report B")], count_assess, "B")
    seen = store.max_item_id()  # what the app's queue has read up to
    remove_feed(store, removed_feed.id, count_assess)
    (fresh,) = store.add_items(kept_feed.id, [new_item("a2", title="Report A2")], count_assess, "A")

    # The app's open view marks the report it shows as read: the deleted one, not the new one.
    store.mark_read(gone)
    assert store.read_among([fresh]) == set()
    # What arrived since the queue's read is the new item.
    assert [r.id for r in store.items(ids=(seen, store.max_item_id()))] == [fresh]
    # An id remembered by an editor (`wiredesk diff`, a digest) names no other report.
    with pytest.raises(NotFound):
        store.item(gone)
    assert fresh > gone > kept


def test_ids_keep_rising_after_the_newest_items_are_deleted_by_hand_and_the_store_is_reopened(tmp_path):
    path = tmp_path / "w.db"
    with Store(path) as store:
        feed = store.add_feed("https://a.example/rss")
        ids = store.add_items(feed.id, [new_item(f"g{n}") for n in range(3)], count_assess, "A")
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM items WHERE id >= ?", [ids[1]])
    conn.commit()
    conn.close()
    with Store(path) as store:
        (again,) = store.add_items(feed.id, [new_item("g9")], count_assess, "A")
        assert again == ids[-1] + 1


def _dump(conn, table: str) -> list[tuple]:
    return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()


def test_migration_keeps_every_item_with_its_id_and_starts_above_every_id_named(tmp_path):
    path = tmp_path / "old.db"
    db = old_store(path, "m008_item_ids_never_reused", "Shelling near Morek", "Levant Wire")
    db.execute("INSERT INTO feeds (url, added) VALUES ('u2', 'now')")
    for item_id, feed_id, cluster, read in ((4, 1, 4, 1), (7, 2, 4, 0), (9, 2, 9, 0)):
        db.execute(
            """INSERT INTO items (id, feed_id, guid, link, canonical_link, content_hash, title, text, outlet,
               published, fetched, sort_at, cluster, minhash, read)
               VALUES (?, ?, ?, 'https://x.example/' || ?, 'x.example/' || ?, 'h' || ?, 'Convoy reached Saraqib',
                       'text', 'Idlib Voice', '2026-11-20T10:00:00Z', 'now', '2026-11-20T10:00:00Z', ?, ?, ?)""",
            [item_id, feed_id, f"g{item_id}", item_id, item_id, item_id, cluster, b"wd2:" + bytes([item_id]) * 8, read],
        )
    db.execute("INSERT INTO items_fts (rowid, title, text) SELECT id, title, text FROM items")  # as add_items does
    db.execute("INSERT INTO places (key, name, kind, source) VALUES ('gn:1', 'Morek', 'town', 'geonames')")
    db.execute("INSERT INTO claims (id, key, place_key, event) VALUES (1, 'gn:1|control', 'gn:1', 'control')")
    for mention_id, item_id in ((3, 1), (5, 7), (8, 9)):
        db.execute("""INSERT INTO mentions (id, item_id, claim_id, place_key, sentence, sentence_index, stance, event,
                      precision) VALUES (?, ?, 1, 'gn:1', 's', 0, 'asserts', 'control', 1)""", [mention_id, item_id])
    db.execute("""INSERT INTO verdicts (claim_id, claim_key, status, editor, at, evidence)
                  VALUES (1, 'gn:1|control', 'verified', 'ana', 'now', '[3, 5, 8]')""")
    db.conn.commit()
    before = {t: _dump(db.conn, t) for t in ("feeds", "items", "mentions", "claims", "verdicts", "places")}
    db.conn.close()

    with Store(path) as store:
        assert {t: _dump(store.db.conn, t) for t in before} == before
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.integrity_check() == "ok"
        store.db.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")
        schema = " ".join(r[0] for r in store.db.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'items' AND sql IS NOT NULL"))
        assert "AUTOINCREMENT" in schema
        assert {"items_sort", "items_link", "items_hash", "items_cluster", "items_outlet", "items_ad", "items_au"} <= {
            r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'items'")}
        assert [r.title for r in store.items(search="Morek")] == ["Shelling near Morek"]
        assert {r.id for r in store.items(search="Saraqib")} == {4, 7, 9}
        assert store.read_among([1, 4, 7, 9]) == {4}
        assert [m.id for m in store.item(9).mentions] == [8]
        assert store.known(2, ["g7"], ["x.example/9"], ["h4"]) == ({"g7"}, {"x.example/9"}, {"h4"})

        # The newest item goes with its feed; the next one stored does not take its id.
        remove_feed(store, 2, count_assess)
        assert _dump(store.db.conn, "verdicts") == before["verdicts"]
        (fresh,) = store.add_items(1, [new_item("n1", title="Calm in Homs", mentions=[mention()])], count_assess, "A")
        assert fresh == 10
        assert [r.id for r in store.items(search="Homs")] == [10]
        store.db.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")


def test_migration_starts_above_a_cluster_whose_first_item_is_gone(tmp_path):
    path = tmp_path / "old.db"
    db = old_store(path, "m008_item_ids_never_reused")
    db.execute("UPDATE items SET cluster = 12 WHERE id = 1")  # its cluster's first item, 12, was deleted
    db.conn.commit()
    db.conn.close()
    with Store(path) as store:
        (fresh,) = store.add_items(1, [new_item("n1")], count_assess, "A")
        assert fresh == 13
