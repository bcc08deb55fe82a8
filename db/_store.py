"""The store: every SQL statement of wiredesk lives in this package.

Concurrency model (several editors, CLI writers and a fetcher on one file): WAL journal, a busy
timeout, and every write in a short ``BEGIN IMMEDIATE`` transaction, so writers queue on SQLite's
lock instead of failing on a read-to-write upgrade. A ``Store`` belongs to the thread that opened
it; thread workers open their own.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from claims.types import (
    PRECISION_EXACT,
    STATUSES,
    Assessment,
    Figure,
    FigureRange,
    Mention,
    Place,
    claim_key,
)

from ._schema import known_migrations, migrations
from ._search import fts_query
from .errors import AlreadyStored, NotFound, SchemaTooNew, StorageError
from .types import (
    ClaimView,
    Feed,
    FetchRecord,
    ItemDetail,
    ItemRow,
    MentionRow,
    NewItem,
    PlaceCard,
    Reextracted,
    Verdict,
    VerdictResult,
    standing_verdict,
)

BUSY_TIMEOUT_MS = 15_000
PAGE_CACHE_KB = 32_768
INCOMPATIBLE_RATIO = 1.5  # as claims.assess: figures further apart than this disagree
SEARCH_CAP = 5_000
# Given one claim's mentions in publication order as ``Store._claim_updates`` reads them for it: of
# each, only the place, event, stance, numbers, attributed_to, outlet and published are stored values.
Assess = Callable[[Sequence[Mention]], Assessment]


def utcnow() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Store:
    def __init__(self, path: str | Path, *, migrate: bool = True) -> None:
        self.path = Path(path)
        try:
            if migrate:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            elif not self.path.exists():
                raise StorageError(f"{self.path}: no such database")
            conn = sqlite3.connect(
                str(self.path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            self.db = Database(conn)
            # What this connection has written: places (as written) and claim ids by key. Neither is
            # ever deleted, so the caches stay true across commits; a rollback forgets them.
            self._places_written: dict[str, Place] = {}
            self._claim_ids: dict[str, int] = {}
            self._new_clusters: dict[int, int] = {}  # item id → cluster, for the last add_items
            self._check_schema()
            if migrate:
                self._migrate()
            self.db.execute("PRAGMA synchronous = NORMAL")
            # A place's mentions lie all over the mentions and items tables (they arrive with their
            # items): with SQLite's default 2 MB page cache the busiest card re-read its pages from
            # the OS every time. The cache grows only as pages are read.
            self.db.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KB}")
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"{self.path}: {exc}") from exc

    def _migrate(self) -> None:
        if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self._retry_busy(lambda: self.db.execute("PRAGMA journal_mode = WAL"))
        if not migrations.pending(self.db):
            return
        # Foreign keys off while migrating: a migration that rebuilds a table (m008: items) drops the
        # old one, and with them on that deletes every row referring to it (ON DELETE CASCADE). The
        # pragma has no effect inside a transaction, so it is set around it; what the migrations
        # leave is checked before they commit.
        self.db.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.write() as db:
                migrations.apply(db)
                broken = db.execute("PRAGMA foreign_key_check").fetchmany(5)
                if broken:
                    raise StorageError(f"{self.path}: migration left rows without their parent: {broken}")
        finally:
            self.db.execute("PRAGMA foreign_keys = ON")

    def _check_schema(self) -> None:
        table = self.db[migrations.migrations_table]
        if not table.exists():
            return
        applied = {m.name for m in migrations.applied(self.db)}
        unknown = applied - set(known_migrations())
        if unknown:
            raise SchemaTooNew(
                f"{self.path}: database was written by a newer wiredesk (schema {sorted(unknown)[-1]}); "
                "upgrade wiredesk to open it"
            )

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------------

    @staticmethod
    def _retry_busy(fn: Callable[[], object], attempts: int = 8) -> object:
        for attempt in range(attempts):
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.05 * (2**attempt))
        raise AssertionError("unreachable")

    @contextmanager
    def write(self) -> Iterator[Database]:
        """One short write transaction; nested calls join the outer one."""
        conn = self.db.conn
        if conn.in_transaction:
            yield self.db
            return
        try:
            self._retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"))
        except sqlite3.DatabaseError as exc:
            raise self._write_error(exc) from exc
        try:
            yield self.db
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, sqlite3.DatabaseError):
                raise self._write_error(exc) from exc
            raise
        else:
            try:
                self._retry_busy(lambda: conn.execute("COMMIT"))
            except BaseException as exc:
                self._rollback()
                if isinstance(exc, sqlite3.DatabaseError):
                    raise self._write_error(exc) from exc
                raise

    def _rollback(self) -> None:
        # After a full disk or an I/O error SQLite may have rolled back already, or fail to: either
        # way nothing of the transaction is kept, and the original error is the one to report.
        self._places_written.clear()
        self._claim_ids.clear()
        self._new_clusters.clear()
        try:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def _write_error(self, exc: sqlite3.DatabaseError) -> StorageError:
        """A full disk, a read-only file or a failing device, named in one line; nothing was written."""
        return StorageError(f"{self.path}: cannot write ({exc}); the change was rolled back")

    def data_version(self) -> int:
        """Changes when another connection commits: the app polls this to refresh."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def integrity_check(self) -> str:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0]

    # -- feeds ----------------------------------------------------------------------------------

    def add_feed(
        self, url: str, *, outlet: str | None = None, interval: int | None = None, enabled: bool = True
    ) -> Feed:
        with self.write() as db:
            # Looked up, then updated or inserted: an upsert (INSERT ... ON CONFLICT DO UPDATE) moves
            # the AUTOINCREMENT counter on even when it updates, so every re-added feed skipped an id.
            updated = db.execute(
                """UPDATE feeds SET outlet = COALESCE(?, outlet), interval = COALESCE(?, interval), enabled = ?
                   WHERE url = ?""",
                [outlet, interval, int(enabled), url],
            ).rowcount
            if not updated:
                db.execute(
                    "INSERT INTO feeds (url, outlet, interval, enabled, added) VALUES (?, ?, ?, ?, ?)",
                    [url, outlet, interval, int(enabled), utcnow()],
                )
        feed = self.feed_by_url(url)
        assert feed is not None
        return feed

    def feed_by_url(self, url: str) -> Feed | None:
        row = self.db.execute("SELECT * FROM feeds WHERE url = ?", [url]).fetchone()
        return self._feed(row) if row else None

    def feed(self, feed_id: int) -> Feed:
        row = self.db.execute("SELECT * FROM feeds WHERE id = ?", [feed_id]).fetchone()
        if not row:
            raise NotFound(f"no feed {feed_id}")
        return self._feed(row)

    def feeds(self) -> list[Feed]:
        return [self._feed(r) for r in self.db.execute("SELECT * FROM feeds ORDER BY id")]

    def feed_ids(self) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT id FROM feeds")}

    def _feed(self, row: tuple) -> Feed:
        cols = [d[0] for d in self.db.execute("SELECT * FROM feeds LIMIT 0").description]
        values = dict(zip(cols, row))
        values["enabled"] = bool(values["enabled"])
        return Feed(**values)

    def record_fetch(self, feed_id: int, record: FetchRecord) -> None:
        now = utcnow()
        with self.write() as db:
            if record.result == "error":
                db.execute(
                    """UPDATE feeds SET last_fetched = ?, last_status = ?, last_result = 'error',
                       last_error = ?, failures = failures + 1, next_due = ?, fetches = fetches + 1
                       WHERE id = ?""",
                    [now, record.status, record.error, record.next_due, feed_id],
                )
                return
            db.execute(
                """UPDATE feeds SET last_fetched = ?, last_status = ?, last_result = ?, last_error = NULL,
                   failures = 0, next_due = ?, fetches = fetches + 1,
                   not_modified = not_modified + ?,
                   etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),
                   title = COALESCE(?, title)
                   WHERE id = ?""",
                [
                    now,
                    record.status,
                    record.result,
                    record.next_due,
                    int(record.result == "not_modified"),
                    record.etag,
                    record.last_modified,
                    record.title,
                    feed_id,
                ],
            )
            if record.new_url:
                clash = db.execute("SELECT id FROM feeds WHERE url = ?", [record.new_url]).fetchone()
                if clash is None:
                    db.execute("UPDATE feeds SET url = ? WHERE id = ?", [record.new_url, feed_id])

    def record_fetches(self, records: Sequence[tuple[int, FetchRecord]]) -> None:
        """Many feeds' fetch state in one transaction."""
        if not records:
            return
        with self.write():
            for feed_id, record in records:
                self.record_fetch(feed_id, record)

    def items_today(self) -> dict[int, int]:
        today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        return dict(
            self.db.execute(
                "SELECT feed_id, COUNT(*) FROM items WHERE fetched >= ? GROUP BY feed_id", [today]
            ).fetchall()
        )

    # -- items ----------------------------------------------------------------------------------

    def known(
        self, feed_id: int, guids: Iterable[str], links: Iterable[str], hashes: Iterable[str]
    ) -> tuple[set[str], set[str], set[str]]:
        """Which of these dedup keys are already stored: (guids in this feed, links, content hashes)."""
        return (
            self._present("SELECT guid FROM items WHERE feed_id = ? AND guid IN ({})", [feed_id], guids),
            self._present("SELECT canonical_link FROM items WHERE canonical_link IN ({})", [], links),
            self._present("SELECT content_hash FROM items WHERE content_hash IN ({})", [], hashes),
        )

    def _present(self, sql: str, head: list, values: Iterable[str]) -> set[str]:
        values = [v for v in dict.fromkeys(values) if v]
        found: set[str] = set()
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            query = sql.format(",".join("?" * len(chunk)))
            found.update(r[0] for r in self.db.execute(query, head + chunk))
        return found

    def recent_signatures(self, since: str, limit: int = 50_000) -> list[tuple[int, int, bytes]]:
        """(item id, cluster, minhash) of recent items, for near-duplicate lookup."""
        return self.db.execute(
            """SELECT id, COALESCE(cluster, id), minhash FROM items
               WHERE sort_at >= ? AND minhash IS NOT NULL ORDER BY sort_at DESC LIMIT ?""",
            [since, limit],
        ).fetchall()

    def signatures_after(self, item_id: int, since: str) -> list[tuple[int, int, bytes]]:
        """(item id, cluster, minhash) of the recent items stored after ``item_id`` (ids ascend as items
        are stored), oldest first: what other writers stored since an index was loaded."""
        return self.db.execute(
            """SELECT id, COALESCE(cluster, id), minhash FROM items
               WHERE id > ? AND sort_at >= ? AND minhash IS NOT NULL ORDER BY id""",
            [item_id, since],
        ).fetchall()

    def item_texts(self, item_ids: Sequence[int]) -> list[tuple[int, str, str]]:
        """(id, title, text) of the items that exist among ``item_ids``."""
        rows: list[tuple[int, str, str]] = []
        for chunk in self._chunks(item_ids):
            rows += self.db.execute(
                f"SELECT id, title, text FROM items WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
        return rows

    def present_items(self, item_ids: Iterable[int]) -> set[int]:
        """Which of these items are still stored (a removed feed takes its items with it)."""
        return self._items_among(item_ids, "")

    def set_signatures(self, signatures: Sequence[tuple[int, bytes]]) -> None:
        """Store remade near-duplicate signatures: (item id, minhash blob)."""
        with self.write() as db:
            db.conn.executemany("UPDATE items SET minhash = ? WHERE id = ?", [(blob, i) for i, blob in signatures])

    def add_items(
        self, feed_id: int, batch: Sequence[NewItem], assess: Assess, outlet: str, *, defer_claims: bool = False
    ) -> list[int]:
        """Store items with their mentions and the claims they touch, in one transaction. The claims'
        aggregates are recomputed here, or — with ``defer_claims`` — marked dirty for ``refresh_claims``."""
        if not batch:
            return []
        now = utcnow()
        ids: list[int] = []
        touched: set[int] = set()
        mention_rows: list[tuple] = []
        self._new_clusters = {}
        with self.write() as db:
            # The batch was planned from a read before this transaction: another fetch of the same feed
            # may have stored some of its items since. Refused whole, before anything is written, for
            # the caller to plan again (the insert would fail on the feed's unique guids, and that
            # error ended the whole fetch: a watch stopped, the app said the write was rolled back).
            taken = self._present("SELECT guid FROM items WHERE feed_id = ? AND guid IN ({})", [feed_id],
                                  (new.item.guid for new in batch))
            if taken:
                raise AlreadyStored(f"{self.path}: {len(taken)} of these items were stored meanwhile by another writer")
            # Ids are assigned here, under the write lock, so that an item's cluster (its own id when
            # it starts one) goes in with the row instead of in a second UPDATE. Never one given
            # before: above the table's AUTOINCREMENT counter (m008), which inserting the id moves on.
            last_id = self._last_item_id()
            for new in batch:
                item = new.item
                last_id += 1
                item_id = last_id
                if new.cluster is not None:
                    cluster = new.cluster
                elif new.cluster_batch_index is not None and new.cluster_batch_index < len(ids):
                    cluster = self._new_clusters[ids[new.cluster_batch_index]]
                else:
                    cluster = item_id
                db.execute(
                    """INSERT INTO items (id, feed_id, guid, link, canonical_link, content_hash, title, text,
                       author, outlet, published, published_raw, fetched, sort_at, minhash, cluster)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [
                        item_id,
                        feed_id,
                        item.guid,
                        item.link,
                        new.canonical_link,
                        new.content_hash,
                        item.title,
                        item.text,
                        item.author,
                        item.outlet or outlet,
                        item.published,
                        item.published_raw,
                        now,
                        item.published or now,
                        new.minhash,
                        cluster,
                    ],
                )
                self._new_clusters[item_id] = cluster
                ids.append(item_id)
                touched |= self._mention_rows_of(item_id, new.mentions, item.published or now, mention_rows)
            self._insert_mention_rows(mention_rows)
            # The batch's search index, in one statement (see migration m005).
            db.execute("INSERT INTO items_fts (rowid, title, text) SELECT id, title, text FROM items WHERE id BETWEEN ? AND ?",
                       [ids[0], ids[-1]])
            self._mark_dirty(touched)
            if not defer_claims:
                self._refresh_claims(touched, assess)
        return ids

    def _mark_dirty(self, claim_ids: Iterable[int]) -> None:
        """Every transaction that changes a claim's mentions calls this: the claim's version moves on
        (it never goes back), so aggregates computed from an older read are refused (see
        ``apply_claim_updates``)."""
        ids = list(claim_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self.db.execute(
                f"UPDATE claims SET dirty = 1, version = version + 1 WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )

    def refresh_claims(self, assess: Assess, batch: int = 100) -> int:
        """Recompute every dirty claim, a few per short transaction so writers elsewhere aren't held up."""
        done = 0
        while True:
            with self.write() as db:
                ids = [r[0] for r in db.execute("SELECT id FROM claims WHERE dirty = 1 LIMIT ?", [batch])]
                if not ids:
                    return done
                self._refresh_claims(ids, assess)
                done += len(ids)

    def item_cluster(self, item_id: int) -> int:
        known = self._new_clusters.get(item_id)  # items of the last add_items: no query
        return known if known is not None else self._cluster_of(item_id)

    def _cluster_of(self, item_id: int) -> int:
        return self.db.execute("SELECT COALESCE(cluster, id) FROM items WHERE id = ?", [item_id]).fetchone()[0]

    def _insert_mentions(self, item_id: int, mentions: Iterable[Mention], seen: str) -> set[int]:
        rows: list[tuple] = []
        touched = self._mention_rows_of(item_id, mentions, seen, rows)
        self._insert_mention_rows(rows)
        return touched

    def _mention_rows_of(
        self, item_id: int, mentions: Iterable[Mention | MentionRow], seen: str, rows: list[tuple]
    ) -> set[int]:
        """Append the item's mention rows to ``rows`` (writing their places and claims as needed);
        returns the claims they touch."""
        touched: set[int] = set()
        written = self._places_written
        for m in mentions:
            row = m if type(m) is tuple else mention_row(m)
            place = row[0]
            known = written.get(place.key)
            if known is not place:
                if known != place:
                    self._upsert_place(place)
                # The latest object is kept: a feed's mentions of one place share it (one object
                # per place in a worker's pickled results), so the rest compare by identity.
                written[place.key] = place
            claim_id = self._claim_id(place.key, row[4], seen)
            rows.append((item_id, claim_id, place.key, *row[1:]))
            touched.add(claim_id)
        return touched

    _MENTION_ROWS_PER_INSERT = 500  # 11 parameters each: well under SQLite's 32,766

    def _insert_mention_rows(self, rows: Sequence[tuple]) -> None:
        """Mention rows in order (their ids ascend with it), several hundred per INSERT statement:
        a third cheaper than one statement per row."""
        step = self._MENTION_ROWS_PER_INSERT
        for start in range(0, len(rows), step):
            part = rows[start : start + step]
            self.db.conn.execute(
                f"""INSERT INTO mentions (item_id, claim_id, place_key, sentence, sentence_index, stance, event,
                   numbers, attributed_to, precision, qualifier) VALUES {','.join([_MENTION_ROW] * len(part))}""",
                [value for row in part for value in row],
            )

    def _upsert_place(self, place: Place) -> None:
        if place.parent_key and place.parent_key != place.key:
            exists = self.db.execute("SELECT 1 FROM places WHERE key = ?", [place.parent_key]).fetchone()
            if not exists:
                # A parent we only know by key still gets a row, so places.parent_key always resolves.
                self.db.execute(
                    "INSERT OR IGNORE INTO places (key, name, kind, source) VALUES (?, ?, 'area', 'parent')",
                    [place.parent_key, place.parent_key.split(":")[-1]],
                )
        self.db.execute(
            """INSERT INTO places (key, name, kind, country, country_code, admin1, lat, lon, source, parent_key)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(key) DO UPDATE SET
                 name = CASE WHEN places.source = 'parent' THEN excluded.name ELSE places.name END,
                 kind = excluded.kind,
                 country = excluded.country, country_code = excluded.country_code, admin1 = excluded.admin1,
                 lat = excluded.lat, lon = excluded.lon, source = excluded.source,
                 parent_key = excluded.parent_key""",
            [
                place.key,
                place.name,
                place.kind,
                place.country,
                place.country_code,
                place.admin1,
                place.lat,
                place.lon,
                place.source,
                place.parent_key,
            ],
        )

    def _claim_id(self, place_key: str, event: str, seen: str) -> int:
        key = claim_key(place_key, event)
        known = self._claim_ids.get(key)
        if known is not None:
            return known
        row = self.db.execute("SELECT id FROM claims WHERE key = ?", [key]).fetchone()
        if row:
            claim_id = row[0]
        else:
            claim_id = self.db.execute(
                "INSERT INTO claims (key, place_key, event, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)",
                [key, place_key, event, seen, seen],
            ).lastrowid
        self._claim_ids[key] = claim_id
        return claim_id

    def _refresh_claims(self, claim_ids: Iterable[int], assess: Assess) -> None:
        for _claim_id, _version, update in self._claim_updates(list(claim_ids), assess):
            self.db.execute(*update)

    def dirty_claims(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM claims WHERE dirty = 1")]

    def assess_claims(self, claim_ids: Sequence[int], assess: Assess) -> list[ClaimUpdate]:
        """Read only: each claim's new aggregates, with the version of the claim they were computed
        from (read in the same transaction as its mentions). Made in worker processes;
        ``apply_claim_updates`` writes them."""
        conn = self.db.conn
        conn.execute("BEGIN")  # one snapshot for the versions and the mentions
        try:
            return list(self._claim_updates(claim_ids, assess))
        finally:
            conn.execute("COMMIT")

    # Only what ``claims.assess`` and ``_claim_update`` read of a claim's mentions, in the order the
    # claim's mentions are read everywhere (publication, then id): which of two equal figures is a
    # conflict's low or high one depends on it.
    _ASSESSED_MENTIONS_SQL = """SELECT m.stance, m.numbers, m.attributed_to, i.outlet, i.published
        FROM mentions m JOIN items i ON i.id = m.item_id WHERE m.claim_id = ? ORDER BY i.sort_at, m.id"""

    def _claim_updates(self, claim_ids: Sequence[int], assess: Assess) -> Iterator[ClaimUpdate]:
        """Each of these claims that exists, with its version and the UPDATE of its aggregates,
        recomputed by ``assess`` from all its mentions. They are read for that alone, for about half
        the CPU of reading them whole (``_mentions``): no sentence text (the largest column), so
        ``sentence`` is "" and ``sentence_index``, ``precision``, ``qualifier``, ``id`` and ``item_id``
        are left at their defaults; the place and event are the claim's own (its key is made of them:
        every mention's claim is chosen by its place and event); and each distinct figures JSON is
        parsed once. ``assess`` must read nothing else (``claims.assess`` does not:
        tests/db/test_claim_aggregates.py compares the results with whole mentions')."""
        now = utcnow()
        conn = self.db.conn
        by_id: dict[int, tuple[int, str, str]] = {}
        for chunk in self._chunks(claim_ids):
            for claim_id, version, place_key, event in conn.execute(
                f"SELECT id, version, place_key, event FROM claims WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                by_id[claim_id] = (version, place_key, event)
        places = self._places({place_key for _, place_key, _ in by_id.values()})
        figures = _FiguresByJson()
        sql = self._ASSESSED_MENTIONS_SQL
        for claim_id in claim_ids:
            known = by_id.get(claim_id)
            if known is None:
                continue
            version, place_key, event = known
            place = places[place_key]
            mentions = [
                Mention(place, "", 0, stance, event, figures[numbers], attributed_to, PRECISION_EXACT, None,
                        None, None, outlet, published)
                for stance, numbers, attributed_to, outlet, published in conn.execute(sql, [claim_id])
            ]
            yield claim_id, version, _claim_update(claim_id, mentions, assess, now)

    def apply_claim_updates(self, updates: Sequence[ClaimUpdate], batch: int = 100) -> int:
        """Write aggregates made by ``assess_claims``, each only if the claim is still at the version
        they were computed from (checked by the UPDATE itself); a claim whose mentions changed
        meanwhile stays dirty for ``refresh_claims``. Returns how many were written."""
        applied = 0
        for start in range(0, len(updates), batch):
            with self.write() as db:
                for _claim_id, version, (sql, params) in updates[start : start + batch]:
                    applied += db.execute(f"{sql} AND version = ?", [*params, version]).rowcount
        return applied

    def reextract(self, extract: Callable[[int, str, str], Sequence[Mention]], assess: Assess) -> Reextracted:
        """Replace every item's mentions with fresh extraction, keeping identities: claims keep their ids
        (keyed by place and event), and a mention that says the same as before (same place, event,
        sentence, stance, figures and attribution) keeps its id, so the evidence a verdict cites still
        names it and only what really changed reads as new (``needs_review``, "new since you looked").
        Where it sits (sentence index, precision, qualifier) is updated in place. Ids of mentions that
        are gone are never given to another (AUTOINCREMENT)."""
        items = mentions = kept = 0
        removed: list[int] = []
        touched: set[int] = {r[0] for r in self.db.execute("SELECT id FROM claims")}
        for chunk in self._text_chunks():
            # Extraction runs outside the write transaction: other writers wait only for the writes.
            rows = self.db.execute(
                f"SELECT id, title, text, sort_at FROM items WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
            found_by_item = [(item_id, seen, extract(item_id, title, text)) for item_id, title, text, seen in rows]
            with self.write() as db:
                present = {r[0] for r in db.execute(
                    f"SELECT id FROM items WHERE id IN ({','.join('?' * len(chunk))})", chunk)}
                for item_id, seen, found in found_by_item:
                    if item_id not in present:  # deleted meanwhile (its feed removed)
                        continue
                    gone, fresh = self._keep_same_mentions(item_id, found)
                    for start_gone in range(0, len(gone), 500):
                        part = gone[start_gone : start_gone + 500]
                        db.execute(f"DELETE FROM mentions WHERE id IN ({','.join('?' * len(part))})", part)
                    touched.update(self._insert_mentions(item_id, fresh, seen))
                    items += 1
                    mentions += len(found)
                    kept += len(found) - len(fresh)
                    removed += gone
                self._mark_dirty(touched)
                touched = set()
        with self.write():
            self._mark_dirty(touched)
        self.refresh_claims(assess)
        return Reextracted(items, mentions, kept, mentions - kept, len(removed))

    def _text_chunks(self, max_items: int = 500, max_chars: int = 2_000_000) -> Iterator[list[int]]:
        """Item ids in order, in chunks of at most ``max_items`` items or ``max_chars`` of text."""
        chunk: list[int] = []
        size = 0
        for item_id, chars in self.db.execute("SELECT id, length(title) + length(text) FROM items ORDER BY id").fetchall():
            if chunk and (len(chunk) >= max_items or size + chars > max_chars):
                yield chunk
                chunk, size = [], 0
            chunk.append(item_id)
            size += chars
        if chunk:
            yield chunk

    def _keep_same_mentions(self, item_id: int, found: Sequence[Mention]) -> tuple[list[int], list[Mention]]:
        """Match an item's fresh mentions to its stored ones: (ids of stored ones now gone, fresh ones
        with no stored match). Matched rows stay, with their place refreshed and position updated."""
        stored: dict[tuple, list[tuple[int, int, int, str | None]]] = {}
        for r in self.db.execute(
            """SELECT id, sentence_index, precision, qualifier, place_key, event, sentence, stance, numbers,
               attributed_to FROM mentions WHERE item_id = ? ORDER BY id""",
            [item_id],
        ):
            stored.setdefault(tuple(r[4:]), []).append(r[:4])
        fresh: list[Mention] = []
        matched: list[tuple[Mention, tuple[int, int, int, str | None]]] = []
        for m in found:
            candidates = stored.get(_mention_evidence(m))
            if not candidates:
                fresh.append(m)
                continue
            # The same sentence repeated in one item: prefer the copy at the same position.
            row = next((c for c in candidates if c[1] == m.sentence_index), candidates[0])
            candidates.remove(row)
            matched.append((m, row))
        for m, (mention_id, index, precision, qualifier) in matched:
            self._upsert_place(m.place)
            self._places_written[m.place.key] = m.place
            if (index, precision, qualifier) != (m.sentence_index, m.precision, m.qualifier):
                self.db.execute(
                    "UPDATE mentions SET sentence_index = ?, precision = ?, qualifier = ? WHERE id = ?",
                    [m.sentence_index, m.precision, m.qualifier, mention_id],
                )
        return [row[0] for rows in stored.values() for row in rows], fresh

    def _item_row_sql(self, where: str = "", order: str = "ORDER BY i.sort_at DESC, i.id DESC") -> str:
        return f"""SELECT i.id, i.feed_id, i.outlet, i.title, i.link, i.published, i.fetched, i.sort_at,
                   i.cluster,
                   (SELECT COUNT(*) FROM items c WHERE c.cluster = i.cluster) AS cluster_size,
                   (SELECT COUNT(DISTINCT claim_id) FROM mentions m WHERE m.item_id = i.id) AS claim_count,
                   i.read
                   FROM items i {where} {order}"""

    def items(
        self,
        *,
        limit: int = 200,
        before: tuple[str, int] | None = None,
        search: str | None = None,
        outlet: str | None = None,
        unread: bool = False,
        place_key: str | None = None,
        ids: tuple[int, int] | None = None,
    ) -> list[ItemRow]:
        """A page of the queue, newest first; ``before`` is the (sort_at, id) of the last row seen.
        ``ids`` (low, high): only items stored with low < id <= high (what arrived since a read that
        saw up to ``low``, see ``max_item_id``)."""
        clauses, args = [], []
        if ids is not None:
            clauses.append("i.id > ? AND i.id <= ?")
            args += list(ids)
        if before is not None:
            clauses.append("(i.sort_at < ? OR (i.sort_at = ? AND i.id < ?))")
            args += [before[0], before[0], before[1]]
        if search:
            query = fts_query(search)
            if query is None:  # only quotes, spaces or a dangling OR: nothing can match
                return []
            # Newest matches by rowid first: a term in every item stays fast (FTS5 walks its rowids
            # backwards and stops), at the cost of capping a search at the newest SEARCH_CAP matches.
            clauses.append(
                "i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid DESC LIMIT ?)"
            )
            args += [query, SEARCH_CAP]
        if outlet:
            clauses.append("i.outlet = ?")
            args.append(outlet)
        if unread:
            clauses.append("i.read = 0")
        if place_key:
            clauses.append(  # a mention's place is its claim's (m007)
                "i.id IN (SELECT item_id FROM mentions WHERE claim_id IN (SELECT id FROM claims WHERE place_key = ?))"
            )
            args.append(place_key)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.db.execute(self._item_row_sql(where) + " LIMIT ?", args + [limit]).fetchall()
        return [_item_row(r) for r in rows]

    def max_item_id(self) -> int:
        """The newest item's id (0 on an empty desk): items stored later have greater ids, and no id is
        ever given twice (m008), even when the newest item is deleted with its feed."""
        return self.db.execute("SELECT COALESCE(MAX(id), 0) FROM items").fetchone()[0]

    def _last_item_id(self) -> int:
        """The greatest id ever given to an item (the AUTOINCREMENT counter; MAX(id) too, should a
        row have been inserted by hand with the counter edited)."""
        return self.db.execute(
            """SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'items'), 0),
                          COALESCE((SELECT MAX(id) FROM items), 0))"""
        ).fetchone()[0]

    def item_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM items").fetchone()[0]

    def read_among(self, item_ids: Sequence[int]) -> set[int]:
        """Which of these items are marked read (by anyone on the desk: the mark is the desk's)."""
        return self._items_among(item_ids, "read = 1 AND")

    def _items_among(self, item_ids: Iterable[int], condition: str) -> set[int]:
        """The stored items among ``item_ids`` that meet ``condition`` (SQL ending in AND, or "")."""
        found: set[int] = set()
        for chunk in self._chunks(list(item_ids)):
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.db.execute(f"SELECT id FROM items WHERE {condition} id IN ({marks})", chunk))
        return found

    def outlets(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT outlet FROM items ORDER BY outlet")]

    def item(self, item_id: int) -> ItemDetail:
        row = self.db.execute(self._item_row_sql("WHERE i.id = ?", ""), [item_id]).fetchone()
        if row is None:
            raise NotFound(f"no item {item_id}")
        text, author, guid, raw = self.db.execute(
            "SELECT text, author, guid, published_raw FROM items WHERE id = ?", [item_id]
        ).fetchone()
        mentions = tuple(self._mentions("WHERE m.item_id = ? ORDER BY m.sentence_index, m.id", [item_id]))
        claim_ids = tuple(
            r[0] for r in self.db.execute("SELECT DISTINCT claim_id FROM mentions WHERE item_id = ?", [item_id])
        )
        return ItemDetail(_item_row(row), text, author, guid, raw, mentions, claim_ids)

    def mark_read(self, item_id: int, read: bool = True) -> None:
        with self.write() as db:
            db.execute("UPDATE items SET read = ? WHERE id = ?", [int(read), item_id])

    # -- claims ---------------------------------------------------------------------------------

    def _mentions(self, where: str, args: list, with_claim: bool = False) -> list:
        rows = self._mention_rows(where, args)
        mentions = self._mentions_from_rows(rows)
        if with_claim:
            return [(r[13], m) for r, m in zip(rows, mentions)]
        return mentions

    def _mention_rows(self, where: str, args: list) -> list[tuple]:
        # Places are read once per key afterwards (a claim's mentions all name its place), not joined
        # to every row: the busiest card has a thousand rows and one place.
        return self.db.execute(
            f"""SELECT m.id, m.item_id, i.outlet, i.published, m.sentence, m.sentence_index, m.stance,
                m.event, m.numbers, m.attributed_to, m.precision, m.qualifier, m.place_key, m.claim_id
                FROM mentions m JOIN items i ON i.id = m.item_id {where}""",
            args,
        ).fetchall()

    def _places(self, keys: Iterable[str]) -> dict[str, Place]:
        places: dict[str, Place] = {}
        for chunk in self._chunks(list(keys)):
            for r in self.db.execute(
                f"""SELECT key, name, kind, country, country_code, admin1, lat, lon, source, parent_key FROM places
                    WHERE key IN ({','.join('?' * len(chunk))})""",
                chunk,
            ):
                places[r[0]] = Place(*r)
        return places

    def _mentions_from_rows(self, rows: Sequence[tuple]) -> list[Mention]:
        places = self._places({r[12] for r in rows})
        return [
            Mention(
                place=places[r[12]],
                sentence=r[4],
                sentence_index=r[5],
                stance=r[6],
                event=r[7],
                numbers=() if r[8] == "[]" else tuple(_figure(f) for f in json.loads(r[8])),
                attributed_to=r[9],
                precision=r[10],
                qualifier=r[11],
                id=r[0],
                item_id=r[1],
                outlet=r[2],
                published=r[3],
            )
            for r in rows
        ]

    _CLAIM_SQL = """SELECT c.id, c.key, c.event, c.summary, c.contested, c.contest_reasons, c.stance_counts,
        c.outlets, c.originators, c.figures, c.first_seen, c.last_seen,
        p.key, p.name, p.kind, p.country, p.country_code, p.admin1, p.lat, p.lon, p.source, p.parent_key,
        c.mention_count, (SELECT MAX(m.id) FROM mentions m WHERE m.claim_id = c.id)
        FROM claims c JOIN places p ON p.key = c.place_key"""

    def _claim_views(
        self, where: str, args: list, with_mentions: bool = True, mentions_per_claim: int | None = None
    ) -> list[ClaimView]:
        """Claims with their latest verdicts and mentions, in a constant number of queries."""
        rows = self.db.execute(f"{self._CLAIM_SQL} {where}", args).fetchall()
        ids = [r[0] for r in rows]
        last = self._last_verdicts(ids)
        # After an undo the decision that stands is an earlier verdict (rare: one log read each).
        decisions = {i: standing_verdict(self.history(i)) for i, v in last.items() if v.undoes is not None}
        mentions: dict[int, list[Mention]] = {}
        if with_mentions:
            for claim_id, m in self._mentions_of(ids, mentions_per_claim):
                mentions.setdefault(claim_id, []).append(m)
        review = self._review_flags([i for i in ids if last.get(i) and last[i].status == "verified"], last)
        places: dict[str, Place] = {}
        views = []
        for r in rows:
            claim_id = r[0]
            verdict = last.get(claim_id)
            place = places.get(r[12]) or places.setdefault(r[12], Place(*r[12:22]))
            views.append(
                ClaimView(
                    id=claim_id,
                    key=r[1],
                    place=place,
                    event=r[2],
                    summary=r[3],
                    status=verdict.status if verdict else "unverified",
                    contested=bool(r[4]),
                    contest_reasons=tuple(json.loads(r[5])),
                    stance_counts=json.loads(r[6]),
                    outlets=r[7],
                    originators=r[8],
                    figures=tuple(_range(f) for f in json.loads(r[9])),
                    first_seen=r[10],
                    last_seen=r[11],
                    needs_review=review.get(claim_id, False),
                    mentions=tuple(mentions.get(claim_id, ())),
                    last_verdict=verdict,
                    decision=decisions.get(claim_id, verdict),
                    mention_count=r[22],
                    latest_mention_id=r[23] or 0,
                )
            )
        return views

    def _chunks(self, ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
        for start in range(0, len(ids), size):
            yield list(ids[start : start + size])

    def _last_verdicts(self, claim_ids: Sequence[int]) -> dict[int, Verdict]:
        found: dict[int, Verdict] = {}
        for chunk in self._chunks(claim_ids):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                f"""SELECT * FROM verdicts WHERE id IN
                    (SELECT MAX(id) FROM verdicts WHERE claim_id IN ({marks}) GROUP BY claim_id)""",
                chunk,
            ):
                v = _verdict(row)
                found[v.claim_id] = v
        return found

    def _mentions_of(self, claim_ids: Sequence[int], per_claim: int | None) -> Iterator[tuple[int, Mention]]:
        """Mentions of these claims, oldest first; with ``per_claim``, only each claim's newest N."""
        for chunk in self._chunks(claim_ids):
            marks = ",".join("?" * len(chunk))
            if per_claim is None:
                where = f"WHERE m.claim_id IN ({marks}) ORDER BY m.claim_id, i.sort_at, m.id"
                args: list = chunk
            else:
                # Each claim's newest N by a LIMIT per claim (SQLite keeps only N in its sort), not a
                # window numbering every mention of every claim: the first page of cards at 100k
                # items read its mentions in 8.5 ms instead of 10.4.
                where = f"""WHERE m.id IN (SELECT m2.id FROM claims c2, mentions m2 WHERE c2.id IN ({marks}) AND m2.id IN
                            (SELECT m3.id FROM mentions m3 JOIN items i3 ON i3.id = m3.item_id WHERE m3.claim_id = c2.id
                             ORDER BY i3.sort_at DESC, m3.id DESC LIMIT ?)) ORDER BY m.claim_id, i.sort_at, m.id"""
                args = chunk + [per_claim]
            for m in self._mentions(where, args, with_claim=True):
                yield m

    def _review_flags(self, claim_ids: Sequence[int], last: dict[int, Verdict]) -> dict[int, bool]:
        flags: dict[int, bool] = {}
        if not claim_ids:
            return flags
        grouped: dict[int, list[Mention]] = {}
        for claim_id, m in self._mentions_of(claim_ids, None):
            grouped.setdefault(claim_id, []).append(m)
        for claim_id in claim_ids:
            flags[claim_id] = self._needs_review(last.get(claim_id), grouped.get(claim_id, []))
        return flags

    @staticmethod
    def _needs_review(last: Verdict | None, mentions: Sequence[Mention]) -> bool:
        """A verified claim needs review when a mention it was not verified on contradicts it: a denial
        (or, for a claim verified on denials, an assertion) from a source that had not said so in the
        evidence, or a figure for a count that falls outside what the verified evidence said by more
        than the ratio ``claims.assess`` calls incompatible."""
        if last is None or last.status != "verified":
            return False
        seen = set(last.evidence)
        old = [m for m in mentions if m.id in seen]
        new = [m for m in mentions if m.id not in seen]
        if not new:
            return False
        verified_side = "denies" if old and all(m.stance == "denies" for m in old) else "asserts"
        opposite = "asserts" if verified_side == "denies" else "denies"
        said_opposite = {_source(m) for m in old if m.stance == opposite}
        if any(m.stance == opposite and _source(m) not in said_opposite for m in new):
            return True
        old_figs: dict[str, list[int]] = {}
        for m in old:
            if m.stance != "denies":
                for f in m.numbers:
                    if f.value is not None:
                        old_figs.setdefault(f.counted, []).append(f.value)
        for m in new:
            if m.stance == "denies":
                continue
            for f in m.numbers:
                values = old_figs.get(f.counted)
                if f.value is not None and values:
                    lo, hi = min(values), max(values)
                    if f.value > hi * INCOMPATIBLE_RATIO or f.value * INCOMPATIBLE_RATIO < lo:
                        return True
        return False

    def claim(self, claim_id: int, *, mentions_per_claim: int | None = None) -> ClaimView:
        """One claim; with ``mentions_per_claim``, only its newest N mentions (as on a place card)."""
        views = self._claim_views("WHERE c.id = ?", [claim_id], mentions_per_claim=mentions_per_claim)
        if not views:
            raise NotFound(f"no claim {claim_id}")
        return views[0]

    def place_cards(
        self,
        place: str | None = None,
        *,
        with_mentions: bool = True,
        mentions_per_claim: int | None = None,
        limit: int | None = None,
        after: tuple[str, str] | None = None,
    ) -> list[PlaceCard]:
        """Cards per place, most recently active first (ties by place key); ``place`` matches name or
        key, case-insensitively. ``limit`` places at a time: ``after`` is the (last_seen, place key) of
        the last card of the previous page."""
        where, args = "WHERE c.mention_count > 0", []
        if place:
            where += " AND c.place_key IN (SELECT key FROM places WHERE name = ? COLLATE NOCASE OR key = ?)"
            args += [place, place]
        first_page = self._newest_places(limit) if limit is not None and after is None and not place else None
        if first_page is not None:
            where += f" AND c.place_key IN ({','.join('?' * len(first_page))})"
            args += first_page
        elif limit is not None or after is not None:
            # A page of places by their latest claim, with all their claims.
            having, page_args = "", []
            if after is not None:
                having = "HAVING seen < ? OR (seen = ? AND place_key > ?)"
                page_args = [after[0], after[0], after[1]]
            where += f""" AND c.place_key IN (SELECT place_key FROM (SELECT place_key,
                         COALESCE(MAX(last_seen), '') AS seen FROM claims WHERE mention_count > 0
                         GROUP BY place_key {having} ORDER BY seen DESC, place_key LIMIT ?))"""
            args += page_args + [-1 if limit is None else limit]
        views = self._claim_views(where + " ORDER BY c.last_seen DESC, c.id", args, with_mentions, mentions_per_claim)
        cards: dict[str, list[ClaimView]] = {}
        for v in views:
            cards.setdefault(v.place.key, []).append(v)
        result = [PlaceCard(vs[0].place, tuple(vs)) for vs in cards.values()]
        result.sort(key=lambda c: c.place.key)
        result.sort(key=lambda c: c.last_seen, reverse=True)
        return result

    def outlet_mentions(self, claim_ids: Sequence[int], outlet: str, per_claim: int) -> dict[int, tuple[Mention, ...]]:
        """The newest ``per_claim`` mentions by ``outlet`` of each of ``claim_ids`` that has any, oldest
        first, from all their mentions (a card reads only each claim's newest, and an outlet's report
        can be older than those): what a card filtered to that outlet shows."""
        found: dict[int, list[Mention]] = {}
        for chunk in self._chunks(claim_ids):
            marks = ",".join("?" * len(chunk))
            where = f"""WHERE m.id IN (SELECT m2.id FROM claims c2, mentions m2 WHERE c2.id IN ({marks}) AND m2.id IN
                        (SELECT m3.id FROM mentions m3 JOIN items i3 ON i3.id = m3.item_id
                         WHERE m3.claim_id = c2.id AND i3.outlet = ? ORDER BY i3.sort_at DESC, m3.id DESC LIMIT ?))
                        ORDER BY m.claim_id, i.sort_at, m.id"""
            for claim_id, m in self._mentions(where, chunk + [outlet, per_claim], with_claim=True):
                found.setdefault(claim_id, []).append(m)
        return {claim_id: tuple(ms) for claim_id, ms in found.items()}

    def place_names(self) -> list[tuple[str, str]]:
        """(name, key) of every place with a mentioned claim, most recently active first (ties by
        key): what a place picker lists, without reading any card."""
        rows = self.db.execute(
            """SELECT p.name, c.place_key, COALESCE(MAX(c.last_seen), '') AS seen FROM claims c
               JOIN places p ON p.key = c.place_key WHERE c.mention_count > 0
               GROUP BY c.place_key ORDER BY seen DESC, c.place_key"""
        )
        return [(name, key) for name, key, _ in rows]

    def _newest_places(self, limit: int) -> list[str] | None:
        """The ``limit`` most recently active places (ties by key), read down the claims' last-seen
        index until enough places are found: the first page costs the same on any size of desk.
        None when the index cannot answer (a claim without a last-seen time): the caller groups."""
        newest: dict[str, str] = {}
        boundary = None
        rows = self.db.execute(
            "SELECT place_key, last_seen FROM claims INDEXED BY claims_last_seen "
            "WHERE last_seen IS NOT NULL AND mention_count > 0 ORDER BY last_seen DESC"
        )
        for key, seen in rows:
            if boundary is not None and seen < boundary:
                break
            if key not in newest:
                newest[key] = seen  # the first row of a place is its latest
                if len(newest) == limit:
                    boundary = seen  # keep reading the places tied with the last one
        else:
            if self.db.execute("SELECT 1 FROM claims WHERE last_seen IS NULL AND mention_count > 0 LIMIT 1").fetchone():
                return None
        ordered = sorted(newest, key=lambda k: (_desc(newest[k]), k))
        return ordered[:limit]

    # -- verdicts -------------------------------------------------------------------------------

    def last_verdict(self, claim_id: int) -> Verdict | None:
        row = self.db.execute(
            "SELECT * FROM verdicts WHERE claim_id = ? ORDER BY id DESC LIMIT 1", [claim_id]
        ).fetchone()
        return _verdict(row) if row else None

    def add_verdict(
        self,
        claim_id: int,
        status: str,
        editor: str,
        note: str | None = None,
        *,
        seen_mentions: Sequence[int] | None = None,
        seen_upto: int | None = None,
        seen_verdict: int | None = None,
        undoes: int | None = None,
        evidence: Sequence[int] | None = None,
    ) -> VerdictResult:
        """Append a verdict. ``seen_mentions``/``seen_verdict`` are what the editor was looking at; the
        verdict is stored regardless, and the result says what changed since. ``evidence``: what the
        status rests on when that is not the claim's mentions now (an undo brings back an older
        decision, made on the mentions of its time); default, the claim's mentions now."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        return self._append(claim_id, status, editor, note, seen_mentions=seen_mentions, seen_upto=seen_upto,
                            seen_verdict=seen_verdict, undoes=undoes, evidence=evidence)

    def add_note(
        self,
        claim_id: int,
        editor: str,
        note: str,
        *,
        seen_mentions: Sequence[int] | None = None,
        seen_upto: int | None = None,
        seen_verdict: int | None = None,
    ) -> VerdictResult:
        """Append a note: a verdict that keeps the claim's status as it is when stored, not as the
        editor last saw it (another editor may have decided while this one typed: a note must not
        put the old status back), and the evidence that status rests on (a note is no review: a
        verified claim that needs review still does). The result's ``decided_since`` says whose
        status the note kept, when it is not the one the editor saw."""
        return self._append(claim_id, None, editor, note, seen_mentions=seen_mentions, seen_upto=seen_upto,
                            seen_verdict=seen_verdict)

    def _append(
        self,
        claim_id: int,
        status: str | None,
        editor: str,
        note: str | None,
        *,
        seen_mentions: Sequence[int] | None = None,
        seen_upto: int | None = None,
        seen_verdict: int | None = None,
        undoes: int | None = None,
        evidence: Sequence[int] | None = None,
    ) -> VerdictResult:
        """``status`` None: a note (see ``add_note``)."""
        with self.write() as db:
            row = db.execute("SELECT key FROM claims WHERE id = ?", [claim_id]).fetchone()
            if row is None:
                raise NotFound(f"no claim {claim_id}")
            current = [r[0] for r in db.execute("SELECT id FROM mentions WHERE claim_id = ? ORDER BY id", [claim_id])]
            last = self.last_verdict(claim_id)
            is_note = status is None
            if status is None:
                status = last.status if last else "unverified"
                if last is not None:
                    evidence = last.evidence
            # The log's time order is its id order, even if a writer's clock lags another's.
            newest = db.execute("SELECT at FROM verdicts ORDER BY id DESC LIMIT 1").fetchone()
            at = max(utcnow(), newest[0]) if newest else utcnow()
            cur = db.execute(
                """INSERT INTO verdicts (claim_id, claim_key, status, editor, at, note, evidence, previous_status,
                   undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    claim_id,
                    row[0],
                    status,
                    editor,
                    at,
                    note,
                    json.dumps(list(evidence) if evidence is not None else current),
                    last.status if last else None,
                    undoes,
                ],
            )
            verdict = _verdict(db.execute("SELECT * FROM verdicts WHERE id = ?", [cur.lastrowid]).fetchone())
        if seen_upto is not None:
            # Mention ids only grow, so "everything up to the newest shown" is what a capped card saw.
            shown = set(seen_mentions or ())
            new_mentions = tuple(i for i in current if i > seen_upto and i not in shown)
        elif seen_mentions is not None:
            new_mentions = tuple(sorted(set(current) - set(seen_mentions)))
        else:
            new_mentions = ()
        unseen = None
        if last is not None and seen_verdict is not None and last.id != seen_verdict:
            unseen = f"{last.status} by {last.editor}"
        if is_note:
            return VerdictResult(verdict, new_mentions, None, last, decided_since=unseen)
        return VerdictResult(verdict, new_mentions, unseen, last)

    def undo(self, editor: str, claim_id: int | None = None) -> VerdictResult | None:
        """Undo this editor's latest verdict (on one claim, or on any) by appending the status it
        replaced, with the evidence that status rested on (a verification brought back by an undo
        still needs review for what arrived since it was made). Chosen and appended in one write
        transaction: two undos at once (two keys pressed quickly, two apps of one editor) undo two
        verdicts, not the same one twice."""
        where, args = "editor = ? AND undoes IS NULL", [editor]
        if claim_id is not None:
            where += " AND claim_id = ?"
            args.append(claim_id)
        with self.write() as db:
            undone = {r[0] for r in db.execute("SELECT undoes FROM verdicts WHERE undoes IS NOT NULL")}
            for row in db.execute(f"SELECT * FROM verdicts WHERE {where} ORDER BY id DESC", args).fetchall():
                v = _verdict(row)
                if v.id in undone:
                    continue
                before = db.execute(
                    "SELECT * FROM verdicts WHERE claim_id = ? AND id < ? ORDER BY id DESC LIMIT 1", [v.claim_id, v.id]
                ).fetchone()
                # Seen = the verdict being undone, so the result says if someone else has decided since.
                return self.add_verdict(
                    v.claim_id, v.previous_status or "unverified", editor, f"undo of {v.status} ({_minute(v.at)})",
                    undoes=v.id, seen_verdict=v.id, evidence=_verdict(before).evidence if before else None,
                )
        return None

    def history(self, claim_id: int) -> list[Verdict]:
        if self.db.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone() is None:
            raise NotFound(f"no claim {claim_id}")
        return [_verdict(r) for r in self.db.execute("SELECT * FROM verdicts WHERE claim_id = ? ORDER BY id", [claim_id])]

    def verdicts_since(self, since: str | None = None) -> list[Verdict]:
        return [
            _verdict(r)
            for r in self.db.execute("SELECT * FROM verdicts WHERE at >= ? ORDER BY id", [since or ""]).fetchall()
        ]

    def items_between(self, since: str | None) -> int:
        return self.db.execute("SELECT COUNT(*) FROM items WHERE sort_at >= ?", [since or ""]).fetchone()[0]


def mention_row(m: Mention) -> MentionRow:
    """A mention as ``NewItem.mentions`` may carry it: the values stored, figures already JSON."""
    return (m.place, m.sentence, m.sentence_index, m.stance, m.event, _figures_json(m.numbers), m.attributed_to,
            m.precision, m.qualifier)


def _mention_evidence(m: Mention) -> tuple:
    """What a mention says, as stored: (place key, event, sentence, stance, figures JSON, attribution).
    Two extractions that give the same are one mention, with one id."""
    return (m.place.key, m.event, m.sentence, m.stance, _figures_json(m.numbers), m.attributed_to)


def _figures_json(figures: Sequence[Figure]) -> str:
    if not figures:
        return "[]"  # most mentions: what json.dumps([]) gives, without the encoder
    return json.dumps([_figure_json(f) for f in figures])


def _desc(text: str) -> tuple[int, ...]:
    """A sort key that orders strings descending inside an ascending sort."""
    return tuple(-ord(c) for c in text) + (1,)


def _source(m: Mention) -> str:
    """Who a mention speaks for, loosely: its attribution, else its outlet."""
    words = (m.attributed_to or m.outlet or "").casefold().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _item_row(r: tuple) -> ItemRow:
    return ItemRow(*r[:11], read=bool(r[11]))


def _verdict(r: tuple) -> Verdict:
    return Verdict(
        id=r[0],
        claim_id=r[1],
        status=r[3],
        editor=r[4],
        at=r[5],
        note=r[6],
        evidence=tuple(json.loads(r[7])),
        previous_status=r[8],
        undoes=r[9],
    )


def _figure_json(f: Figure) -> dict:
    d = {"value": f.value, "what": f.what, "qualifier": f.qualifier, "low": f.low, "high": f.high, "raw": f.raw}
    if f.who:  # stored only when known: mentions stored before it existed read the same
        d["who"] = f.who
    return d


def _minute(stamp: str) -> str:
    """'2026-11-21T14:56:03.123Z' as '2026-11-21 14:56 UTC'."""
    return f"{stamp[:10]} {stamp[11:16]} UTC"


def _figure(d: dict) -> Figure:
    return Figure(**d)


class _FiguresByJson(dict[str, tuple[Figure, ...]]):
    """A mention's figures by their stored JSON, each parsed once (most mentions share "[]" or a
    few common ones; Figures are frozen, so mentions may share them)."""

    def __missing__(self, numbers: str) -> tuple[Figure, ...]:
        figures = self[numbers] = tuple(_figure(f) for f in json.loads(numbers))
        return figures


def _range_json(r: FigureRange) -> dict:
    d = {"what": r.what, "low": r.low, "best": r.best, "high": r.high, "rule": r.rule, "values": list(r.values)}
    if r.who:
        d["who"] = r.who
    return d


def _range(d: dict) -> FigureRange:
    return replace(FigureRange(**{**d, "values": ()}), values=tuple(d.get("values", ())))


_MENTION_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
ClaimUpdate = tuple  # (claim id, the claim's version when read, (sql, params))


def _claim_update(claim_id: int, mentions: Sequence[Mention], assess: Assess, now: str) -> tuple[str, list]:
    """The UPDATE that stores a claim's aggregates, recomputed from all its mentions."""
    if not mentions:
        return (
            """UPDATE claims SET mention_count = 0, contested = 0, outlets = 0, originators = 0,
               updated = ?, dirty = 0 WHERE id = ?""",
            [now, claim_id],
        )
    a = assess(mentions)
    times = [m.published for m in mentions if m.published]
    return (
        """UPDATE claims SET summary = ?, contested = ?, contest_reasons = ?, stance_counts = ?,
           outlets = ?, originators = ?, figures = ?, mention_count = ?, first_seen = ?, last_seen = ?,
           updated = ?, dirty = 0 WHERE id = ?""",
        [
            a.summary,
            int(a.contested),
            json.dumps(list(a.contest_reasons)),
            json.dumps(a.stance_counts),
            a.outlets,
            a.originators,
            json.dumps([_range_json(r) for r in a.figures]),
            len(mentions),
            min(times) if times else None,
            max(times) if times else None,
            now,
            claim_id,
        ],
    )
