"""Removing a feed: what it would take with it, and the removal itself.

Items cascade with their feed, and their mentions with them; claims and the verdict log stay (a
claim's id is its place and event, and verdicts are never deleted), their aggregates recomputed
from the mentions left.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._store import Assess, Store


@dataclass(frozen=True, slots=True)
class FeedRemoval:
    """What removing a feed deletes, and which decided claims cite its items."""

    feed_id: int
    items: int
    decided_claims: tuple[int, ...]  # claims now verified or disputed that have mentions in its items
    cited_items: int  # of its items, those carrying such mentions


def feed_removal(store: Store, feed_id: int) -> FeedRemoval:
    items = store.db.execute("SELECT COUNT(*) FROM items WHERE feed_id = ?", [feed_id]).fetchone()[0]
    rows = store.db.execute(
        """SELECT m.claim_id, m.item_id FROM mentions m JOIN items i ON i.id = m.item_id
           WHERE i.feed_id = ? AND m.claim_id IN (
             SELECT v.claim_id FROM verdicts v
             WHERE v.id IN (SELECT MAX(id) FROM verdicts GROUP BY claim_id) AND v.status IN ('verified', 'disputed'))""",
        [feed_id],
    ).fetchall()
    return FeedRemoval(feed_id, items, tuple(sorted({c for c, _ in rows})), len({i for _, i in rows}))


def remove_feed(store: Store, feed_id: int, assess: Assess) -> int:
    """Delete the feed and its items (with their mentions); returns how many items went. Claims they
    mentioned are recomputed; their verdicts stay."""
    with store.write() as db:
        touched = [r[0] for r in db.execute(
            "SELECT DISTINCT m.claim_id FROM mentions m JOIN items i ON i.id = m.item_id WHERE i.feed_id = ?",
            [feed_id],
        )]
        items = db.execute("SELECT COUNT(*) FROM items WHERE feed_id = ?", [feed_id]).fetchone()[0]
        db.execute("DELETE FROM items WHERE feed_id = ?", [feed_id])
        db.execute("DELETE FROM feeds WHERE id = ?", [feed_id])
        store._mark_dirty(touched)
    store.refresh_claims(assess)
    return items


def drop_unused_feed(store: Store, feed_id: int) -> bool:
    """Delete the feed if it has no items (a source named once whose fetch never worked)."""
    with store.write() as db:
        return db.execute(
            "DELETE FROM feeds WHERE id = ? AND NOT EXISTS (SELECT 1 FROM items WHERE feed_id = ?)", [feed_id, feed_id]
        ).rowcount > 0
