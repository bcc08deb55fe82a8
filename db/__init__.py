"""Storage: SQLite through sqlite-utils. The only package that speaks SQL."""

from ._digest import claims_with_status, item_links, triage_counts
from ._feeds import FeedRemoval, drop_unused_feed, feed_removal, remove_feed
from ._store import Store, mention_row, utcnow
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

__all__ = [
    "AlreadyStored",
    "ClaimView",
    "Feed",
    "FeedRemoval",
    "FetchRecord",
    "ItemDetail",
    "ItemRow",
    "MentionRow",
    "NewItem",
    "NotFound",
    "PlaceCard",
    "Reextracted",
    "SchemaTooNew",
    "StorageError",
    "Store",
    "Verdict",
    "VerdictResult",
    "claims_with_status",
    "drop_unused_feed",
    "feed_removal",
    "item_links",
    "mention_row",
    "remove_feed",
    "standing_verdict",
    "triage_counts",
    "utcnow",
]
