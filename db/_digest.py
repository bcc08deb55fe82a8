"""Queries behind the digest: which claims have a status, and the links of their items."""

from __future__ import annotations

from collections.abc import Iterable

from ._store import Store
from .types import ClaimView


def claims_with_status(
    store: Store, statuses: Iterable[str], since: str | None = None, place: str | None = None
) -> list[ClaimView]:
    """Claims whose latest verdict is one of ``statuses``; with ``since``, only those whose verdict or
    newest mention falls in the period. Place matches name or key, case-insensitively."""
    statuses = list(statuses)
    marks = ",".join("?" * len(statuses))
    where = f"""WHERE c.id IN (SELECT v.claim_id FROM verdicts v
                  WHERE v.id IN (SELECT MAX(id) FROM verdicts GROUP BY claim_id) AND v.status IN ({marks})
                  AND (? IS NULL OR v.at >= ? OR c.last_seen >= ?))"""
    args: list = [*statuses, since, since or "", since or ""]
    if place:
        where += " AND c.place_key IN (SELECT key FROM places WHERE name = ? COLLATE NOCASE OR key = ?)"
        args += [place, place]
    return store._claim_views(where + " ORDER BY p.name COLLATE NOCASE, c.event, c.id", args)


def item_links(store: Store, item_ids: Iterable[int]) -> dict[int, tuple[str | None, str]]:
    """item id → (link, title)."""
    ids = list(dict.fromkeys(item_ids))
    found: dict[int, tuple[str | None, str]] = {}
    for chunk in store._chunks(ids):
        marks = ",".join("?" * len(chunk))
        for item_id, link, title in store.db.execute(f"SELECT id, link, title FROM items WHERE id IN ({marks})", chunk):
            found[item_id] = (link, title)
    return found


def triage_counts(store: Store, since: str | None = None) -> tuple[int, int]:
    """(items in the period, of which read)."""
    row = store.db.execute(
        "SELECT COUNT(*), COALESCE(SUM(read), 0) FROM items WHERE sort_at >= ?", [since or ""]
    ).fetchone()
    return row[0], row[1]
