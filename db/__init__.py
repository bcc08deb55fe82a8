"""Storage: SQLite through sqlite-utils. The only package that speaks SQL."""

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
    "SchemaTooNew",
    "StorageError",
    "Store",
    "Verdict",
    "VerdictResult",
    "utcnow",
]
