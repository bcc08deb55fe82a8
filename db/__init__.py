"""Storage: SQLite through sqlite-utils. The only package that speaks SQL."""

from ._digest import claims_with_status, item_links, triage_counts
from ._store import Store, utcnow
from .errors import NotFound, SchemaTooNew, StorageError
from .types import (
    ClaimView,
    Feed,
    FetchRecord,
    ItemDetail,
    ItemRow,
    NewItem,
    PlaceCard,
    Reextracted,
    Verdict,
    VerdictResult,
)

__all__ = [
    "ClaimView",
    "Feed",
    "FetchRecord",
    "ItemDetail",
    "ItemRow",
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
    "item_links",
    "triage_counts",
    "utcnow",
]
