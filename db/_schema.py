"""The schema, as forward migrations recorded by sqlite-utils' ``Migrations``.

Keep it plain: editors and other newsroom tools will open this file with any SQLite client.
Append new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "wiredesk"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            outlet TEXT,
            title TEXT,
            enabled INTEGER NOT NULL DEFAULT 1,
            interval INTEGER,
            added TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            last_fetched TEXT,
            last_status INTEGER,
            last_result TEXT,
            last_error TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            next_due TEXT,
            fetches INTEGER NOT NULL DEFAULT 0,
            not_modified INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            link TEXT,
            canonical_link TEXT,
            content_hash TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT,
            outlet TEXT NOT NULL,
            published TEXT,
            published_raw TEXT,
            fetched TEXT NOT NULL,
            sort_at TEXT NOT NULL,
            cluster INTEGER,
            minhash BLOB,
            read INTEGER NOT NULL DEFAULT 0,
            UNIQUE (feed_id, guid)
        );
        CREATE INDEX items_sort ON items(sort_at DESC, id DESC);
        CREATE INDEX items_link ON items(canonical_link);
        CREATE INDEX items_hash ON items(content_hash);
        CREATE INDEX items_cluster ON items(cluster);

        CREATE TABLE places (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            country TEXT,
            country_code TEXT,
            admin1 TEXT,
            lat REAL,
            lon REAL,
            source TEXT NOT NULL,
            parent_key TEXT
        );

        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            place_key TEXT NOT NULL REFERENCES places(key),
            event TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            contested INTEGER NOT NULL DEFAULT 0,
            contest_reasons TEXT NOT NULL DEFAULT '[]',
            stance_counts TEXT NOT NULL DEFAULT '{}',
            outlets INTEGER NOT NULL DEFAULT 0,
            originators INTEGER NOT NULL DEFAULT 0,
            figures TEXT NOT NULL DEFAULT '[]',
            mention_count INTEGER NOT NULL DEFAULT 0,
            first_seen TEXT,
            last_seen TEXT,
            updated TEXT
        );
        CREATE INDEX claims_place ON claims(place_key);
        CREATE INDEX claims_last_seen ON claims(last_seen DESC);

        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            place_key TEXT NOT NULL REFERENCES places(key),
            sentence TEXT NOT NULL,
            sentence_index INTEGER NOT NULL,
            stance TEXT NOT NULL,
            event TEXT NOT NULL,
            numbers TEXT NOT NULL DEFAULT '[]',
            attributed_to TEXT,
            precision INTEGER NOT NULL,
            qualifier TEXT
        );
        CREATE INDEX mentions_item ON mentions(item_id);
        CREATE INDEX mentions_claim ON mentions(claim_id);

        -- The verdict log: append-only, enforced by triggers. A claim's status is its latest row.
        CREATE TABLE verdicts (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            claim_key TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('verified', 'disputed', 'unverified')),
            editor TEXT NOT NULL,
            at TEXT NOT NULL,
            note TEXT,
            evidence TEXT NOT NULL DEFAULT '[]',
            previous_status TEXT,
            undoes INTEGER REFERENCES verdicts(id)
        );
        CREATE INDEX verdicts_claim ON verdicts(claim_id, id);
        CREATE TRIGGER verdicts_append_only_update BEFORE UPDATE ON verdicts
            BEGIN SELECT RAISE(ABORT, 'verdicts are append-only'); END;
        CREATE TRIGGER verdicts_append_only_delete BEFORE DELETE ON verdicts
            BEGIN SELECT RAISE(ABORT, 'verdicts are append-only'); END;

        CREATE VIEW claim_status AS
            SELECT c.id AS claim_id,
                   COALESCE((SELECT v.status FROM verdicts v WHERE v.claim_id = c.id
                             ORDER BY v.id DESC LIMIT 1), 'unverified') AS status
            FROM claims c;
        """
    )
    db["items"].enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True)


@migrations()
def m002_claim_dirty_flag(db: Database) -> None:
    # Claim aggregates (summary, tallies, figures) are derived from mentions. A bulk ingest marks the
    # claims it touched dirty in the item's transaction and recomputes them once at the end of the run.
    db.execute("ALTER TABLE claims ADD COLUMN dirty INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX claims_dirty ON claims(dirty) WHERE dirty = 1")
    db.execute("CREATE INDEX places_name ON places(name COLLATE NOCASE)")
    db.execute("CREATE INDEX mentions_place ON mentions(place_key)")


MENTION_COLUMNS = """item_id, claim_id, place_key, sentence, sentence_index, stance, event, numbers, attributed_to,
    precision, qualifier"""


@migrations()
def m003_mention_ids_never_reused(db: Database) -> None:
    # A verdict keeps the ids of the mentions its editor saw, and "new since you looked" compares ids:
    # an id freed by a deletion (re-extraction, a removed feed) must never name another mention.
    # AUTOINCREMENT guarantees that; SQLite only sets it at CREATE TABLE, so the table is rebuilt, and
    # its counter starts above every id stored or cited as evidence. (Plain statements, not
    # executescript, which would commit the migration's transaction half-way.)
    db.execute(
        """CREATE TABLE mentions_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            place_key TEXT NOT NULL REFERENCES places(key),
            sentence TEXT NOT NULL,
            sentence_index INTEGER NOT NULL,
            stance TEXT NOT NULL,
            event TEXT NOT NULL,
            numbers TEXT NOT NULL DEFAULT '[]',
            attributed_to TEXT,
            precision INTEGER NOT NULL,
            qualifier TEXT
        )"""
    )
    db.execute(f"INSERT INTO mentions_new (id, {MENTION_COLUMNS}) SELECT id, {MENTION_COLUMNS} FROM mentions")
    db.execute("DROP TABLE mentions")
    db.execute("ALTER TABLE mentions_new RENAME TO mentions")
    db.execute("CREATE INDEX mentions_item ON mentions(item_id)")
    db.execute("CREATE INDEX mentions_claim ON mentions(claim_id)")
    db.execute("CREATE INDEX mentions_place ON mentions(place_key)")
    high = db.execute(
        """SELECT MAX(COALESCE((SELECT MAX(id) FROM mentions), 0),
                      COALESCE((SELECT MAX(CAST(e.value AS INTEGER)) FROM verdicts v, json_each(v.evidence) e), 0))"""
    ).fetchone()[0]
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'mentions'")
    db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('mentions', ?)", [high])


@migrations()
def m004_search_index_follows_only_the_text(db: Database) -> None:
    # The update trigger sqlite-utils made fires on any column: setting an item's cluster at ingest
    # or marking it read deleted and re-indexed its whole text (half of an import's SQL time). Only
    # the indexed columns re-index now. And the outlets known to the store (import matches a file's
    # outlet against them, the desk lists them) come from an index, not a scan of every item.
    db.execute("DROP TRIGGER IF EXISTS items_au")
    db.execute(
        """CREATE TRIGGER items_au AFTER UPDATE OF title, text ON items BEGIN
            INSERT INTO items_fts (items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO items_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END"""
    )
    db.execute("CREATE INDEX items_outlet ON items(outlet)")


@migrations()
def m005_search_index_written_per_batch(db: Database) -> None:
    # FTS5 (SQLite 3.40) writes out its pending index at every statement savepoint, and the insert
    # trigger made every item insert open one: each item became an index segment of its own, merged
    # again and again (a fifth of an import's SQL work). ``Store.add_items`` now indexes its whole
    # batch with one statement at the end of its transaction. Items inserted by hand must be indexed
    # the same way: INSERT INTO items_fts (rowid, title, text) SELECT id, title, text FROM items ...
    db.execute("DROP TRIGGER IF EXISTS items_ai")


@migrations()
def m006_claim_versions(db: Database) -> None:
    # Claim aggregates computed in worker processes from a read are written only if the claim has not
    # changed since: every transaction that changes a claim's mentions moves its version on.
    db.execute("ALTER TABLE claims ADD COLUMN version INTEGER NOT NULL DEFAULT 0")


@migrations()
def m007_mentions_found_by_place_through_claims(db: Database) -> None:
    # A mention's place is its claim's place, so the queue's place filter finds items through the
    # claims of the place (mentions_claim) and the place index on every mention is not kept up at
    # each import (it was ~a fifth of inserting a batch's mentions). Places are never deleted, so
    # the foreign key to them needs no index either.
    db.execute("DROP INDEX IF EXISTS mentions_place")


def _refuse_with_foreign_keys_on(db: Database, migration: str, table: str) -> None:
    """A migration that drops and remakes a table others refer to (ON DELETE CASCADE) runs with
    foreign keys off, or the drop deletes every row referring to it."""
    if db.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise RuntimeError(f"{migration} rebuilds the {table} table: run it with foreign keys off (PRAGMA foreign_keys = OFF)")


def _start_ids_above(db: Database, table: str, high: int) -> None:
    """The AUTOINCREMENT counter of ``table``: the next id given is above ``high``."""
    db.execute("DELETE FROM sqlite_sequence WHERE name = ?", [table])
    db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [table, high])


ITEM_COLUMNS = """feed_id, guid, link, canonical_link, content_hash, title, text, author, outlet, published,
    published_raw, fetched, sort_at, cluster, minhash, read"""


@migrations()
def m008_item_ids_never_reused(db: Database) -> None:
    # Item ids were MAX(id) + 1: removing a feed whose item was the newest gave that id to the next
    # item stored, and whatever still held the old one named another report (an ingestor's
    # near-duplicate index and its "stored after" mark, the app's open queue and its read marks, an
    # exported digest's item ids, the ids an editor passes to `wiredesk diff`). AUTOINCREMENT keeps
    # ids rising past every id ever given; SQLite only sets it at CREATE TABLE, so the table is
    # rebuilt with every row and id as it was. Dropping ``items`` with foreign keys on would delete
    # the mentions of every item (ON DELETE CASCADE), so ``Store`` runs migrations with them off and
    # checks them before committing; refused here if they are on. The search index (external content,
    # keyed by item id) stays valid as the ids do; the table's triggers and indexes are made again.
    _refuse_with_foreign_keys_on(db, "m008", "items")
    db.execute(
        """CREATE TABLE items_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            link TEXT,
            canonical_link TEXT,
            content_hash TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT,
            outlet TEXT NOT NULL,
            published TEXT,
            published_raw TEXT,
            fetched TEXT NOT NULL,
            sort_at TEXT NOT NULL,
            cluster INTEGER,
            minhash BLOB,
            read INTEGER NOT NULL DEFAULT 0,
            UNIQUE (feed_id, guid)
        )"""
    )
    db.execute(f"INSERT INTO items_new (id, {ITEM_COLUMNS}) SELECT id, {ITEM_COLUMNS} FROM items ORDER BY id")
    db.execute("DROP TABLE items")
    db.execute("ALTER TABLE items_new RENAME TO items")
    db.execute("CREATE INDEX items_sort ON items(sort_at DESC, id DESC)")
    db.execute("CREATE INDEX items_link ON items(canonical_link)")
    db.execute("CREATE INDEX items_hash ON items(content_hash)")
    db.execute("CREATE INDEX items_cluster ON items(cluster)")
    db.execute("CREATE INDEX items_outlet ON items(outlet)")  # m004
    db.execute(  # as sqlite-utils' enable_fts made it (m001)
        """CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
            INSERT INTO items_fts (items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        END"""
    )
    db.execute(  # m004; no insert trigger (m005)
        """CREATE TRIGGER items_au AFTER UPDATE OF title, text ON items BEGIN
            INSERT INTO items_fts (items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO items_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END"""
    )
    # The counter starts above every item id still named in the store: items, and clusters (a
    # cluster is named by the id of its first item, which may be gone while its copies stay).
    high = db.execute(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM items), 0), COALESCE((SELECT MAX(cluster) FROM items), 0))"
    ).fetchone()[0]
    _start_ids_above(db, "items", high)


FEED_COLUMNS = """url, outlet, title, enabled, interval, added, etag, last_modified, last_fetched, last_status,
    last_result, last_error, failures, next_due, fetches, not_modified"""


@migrations()
def m009_feed_ids_never_reused(db: Database) -> None:
    # Feed ids were MAX(id) + 1, as item ids were before m008: removing the newest feed gave its id
    # to the next feed added, and an id an editor had been shown (`feeds list`, the hint "wiredesk
    # feeds remove 7 --force", a script's `feeds remove 7`) named another outlet's feed. Rebuilt
    # with AUTOINCREMENT, every row and id kept; foreign keys off while the table is swapped (items
    # refer to it, ON DELETE CASCADE), as for m008.
    _refuse_with_foreign_keys_on(db, "m009", "feeds")
    db.execute(
        """CREATE TABLE feeds_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL UNIQUE,
            outlet TEXT,
            title TEXT,
            enabled INTEGER NOT NULL DEFAULT 1,
            interval INTEGER,
            added TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            last_fetched TEXT,
            last_status INTEGER,
            last_result TEXT,
            last_error TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            next_due TEXT,
            fetches INTEGER NOT NULL DEFAULT 0,
            not_modified INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(f"INSERT INTO feeds_new (id, {FEED_COLUMNS}) SELECT id, {FEED_COLUMNS} FROM feeds ORDER BY id")
    db.execute("DROP TABLE feeds")
    db.execute("ALTER TABLE feeds_new RENAME TO feeds")
    # Above every feed id still named in the store (a feed, or the items of one, should any be left).
    high = db.execute(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM feeds), 0), COALESCE((SELECT MAX(feed_id) FROM items), 0))"
    ).fetchone()[0]
    _start_ids_above(db, "feeds", high)


def known_migrations() -> list[str]:
    return [m.name for m in migrations._migrations]
