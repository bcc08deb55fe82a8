"""Feed ids are never given twice (m009: AUTOINCREMENT on feeds). An editor is shown feed ids
(`feeds list`, the hint "wiredesk feeds remove 7 --force") and scripts keep them: with the old
schema, removing the newest feed gave its id to the next feed added, and a second
`feeds remove 7` deleted another outlet's feed with all its items."""

from __future__ import annotations

import pytest

from db import NotFound, Store, remove_feed
from tests.cli.test_review_cli import feeds, run
from tests.db.test_store import count_assess, new_item, old_store


def test_removing_the_newest_feed_does_not_give_its_id_to_the_next_one(tmp_path):
    db = tmp_path / "w.db"
    assert run("feeds", "add", "https://a.example/rss", db=db).exit_code == 0
    assert run("feeds", "add", "https://b.example/rss", db=db).exit_code == 0
    gone = {f["url"]: f["id"] for f in feeds(db)}["https://b.example/rss"]
    assert run("feeds", "remove", str(gone), db=db).exit_code == 0
    assert run("feeds", "add", "https://c.example/rss", db=db).exit_code == 0

    # The id the editor removed names nothing: running the same command again removes nothing.
    again = run("feeds", "remove", str(gone), db=db)
    assert again.exit_code == 1 and f"no feed {gone}" in again.output
    assert {f["url"] for f in feeds(db)} == {"https://a.example/rss", "https://c.example/rss"}
    assert {f["url"]: f["id"] for f in feeds(db)}["https://c.example/rss"] == gone + 1


def test_adding_a_known_feed_again_changes_it_and_uses_up_no_id(tmp_path):
    with Store(tmp_path / "w.db") as store:
        a = store.add_feed("https://a.example/rss", outlet="A")
        again = store.add_feed("https://a.example/rss", interval=600)
        assert (again.id, again.outlet, again.interval) == (a.id, "A", 600)
        assert not store.add_feed("https://a.example/rss", enabled=False).enabled
        b = store.add_feed("https://b.example/rss")
        assert b.id == a.id + 1
        assert [f.url for f in store.feeds()] == ["https://a.example/rss", "https://b.example/rss"]


def test_migration_keeps_every_feed_with_its_id_and_items_and_starts_above_them(tmp_path):
    path = tmp_path / "old.db"
    db = old_store(path, "m009_feed_ids_never_reused")  # feed 1 with item 1
    db.execute("""INSERT INTO feeds (id, url, outlet, title, enabled, interval, added, etag, last_modified,
                  last_fetched, last_status, last_result, failures, next_due, fetches, not_modified)
                  VALUES (5, 'https://b.example/rss', 'B', 'B wire', 0, 600, 'then', '"e1"', 'Tue', 'now', 304,
                          'not_modified', 2, 'later', 9, 4)""")
    db.execute("""INSERT INTO items (id, feed_id, guid, content_hash, title, text, outlet, fetched, sort_at)
                  VALUES (2, 5, 'g2', 'h2', 'Shelling near Morek', 'x', 'B', 'now', 'now')""")
    db.execute("INSERT INTO items_fts (rowid, title, text) SELECT id, title, text FROM items")  # as add_items does
    db.conn.commit()
    before = {t: db.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("feeds", "items")}
    db.conn.close()

    with Store(path) as store:
        assert {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in before} == before
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.integrity_check() == "ok"
        schema = store.db.execute("SELECT sql FROM sqlite_master WHERE name = 'feeds'").fetchone()[0]
        assert "AUTOINCREMENT" in schema
        # Items still go with their feed (the foreign key survived the rebuild) ...
        remove_feed(store, 5, count_assess)
        assert [r[0] for r in store.db.execute("SELECT id FROM items")] == [1]
        # ... and the removed feed's id is not given again.
        assert store.add_feed("https://c.example/rss").id == 6
        (fresh,) = store.add_items(6, [new_item("n1")], count_assess, "C")
        assert store.item(fresh).row.feed_id == 6
        with pytest.raises(NotFound):
            store.feed(5)


@pytest.mark.parametrize(("migration", "table"), [("m008_item_ids_never_reused", "items"),
                                                  ("m009_feed_ids_never_reused", "feeds")])
def test_a_rebuild_is_refused_with_foreign_keys_on_rather_than_cascade_deleting_rows(tmp_path, migration, table):
    from db._schema import migrations

    db = old_store(tmp_path / "old.db", migration)
    db.conn.commit()
    db.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(RuntimeError, match=f"rebuilds the {table} table: run it with foreign keys off"):
        migrations.apply(db)
    assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 1
    db.conn.close()
