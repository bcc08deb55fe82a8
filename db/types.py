"""Plain data that db/ hands out and takes in. No SQL types leak past these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from claims.types import Figure, FigureRange, Item, Mention, Place


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    outlet: str | None
    title: str | None
    enabled: bool
    interval: int | None
    added: str
    etag: str | None = None
    last_modified: str | None = None
    last_fetched: str | None = None
    last_status: int | None = None
    last_result: str | None = None  # new | unchanged | not_modified | error
    last_error: str | None = None
    failures: int = 0
    next_due: str | None = None
    fetches: int = 0
    not_modified: int = 0

    @property
    def display_outlet(self) -> str:
        return self.outlet or self.title or self.url


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """What one fetch of one feed did, for ``Store.record_fetch``."""

    result: str  # new | unchanged | not_modified | error
    status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    next_due: str | None = None
    new_url: str | None = None  # after a permanent redirect
    title: str | None = None


# A mention as the store writes it: (place, sentence, sentence index, stance, event, figures as JSON,
# attributed to, precision, qualifier). Made by ``db.mention_row`` where mentions are extracted (in
# worker processes): plain values pickle and load several times faster than Mention objects.
MentionRow = tuple


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item ready to store: the normalised item, its dedup keys and its extracted mentions.

    ``cluster`` is an existing item's cluster id when the pipeline found a near-duplicate already
    stored; ``cluster_batch_index`` points at an earlier item of the same batch instead.
    """

    item: Item
    content_hash: str
    canonical_link: str | None
    mentions: tuple[Mention | MentionRow, ...] = ()  # rows: see ``db.mention_row``
    minhash: bytes | None = None
    cluster: int | None = None
    cluster_batch_index: int | None = None


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One queue row: no body text, so a page of them is cheap."""

    id: int
    feed_id: int
    outlet: str
    title: str
    link: str | None
    published: str | None
    fetched: str
    sort_at: str
    cluster: int | None
    cluster_size: int
    claim_count: int
    read: bool


@dataclass(frozen=True, slots=True)
class ItemDetail:
    row: ItemRow
    text: str
    author: str | None
    guid: str
    published_raw: str | None
    mentions: tuple[Mention, ...]
    claim_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    id: int
    claim_id: int
    status: str
    editor: str
    at: str
    note: str | None
    evidence: tuple[int, ...] = ()
    previous_status: str | None = None
    undoes: int | None = None


def standing_verdict(history: Sequence[Verdict]) -> Verdict | None:
    """The decision a claim's status rests on, from its verdict log (oldest first): the latest
    verdict, or, when that is an undo, the verdict the undo brought back: the one in force before
    the undone verdict (itself resolved the same way). None when the undo went back to no decision.
    The undo itself stands when the log does not explain its status (a verdict it undid is missing)."""
    if not history:
        return None
    position = {v.id: i for i, v in enumerate(history)}
    latest = history[-1]
    i = len(history) - 1
    while history[i].undoes is not None:
        undone = position.get(history[i].undoes)
        if undone is None:
            return latest
        if undone == 0:
            return None if latest.status == "unverified" else latest
        i = undone - 1
    return history[i] if history[i].status == latest.status else latest


@dataclass(frozen=True, slots=True)
class VerdictResult:
    """A stored verdict plus what changed since the evidence the editor saw."""

    verdict: Verdict
    new_mentions: tuple[int, ...] = ()
    overridden_status: str | None = None  # another editor's status this verdict replaced unseen
    replaced: Verdict | None = None  # the claim's latest verdict before this one, seen or not
    # A note: the status it kept, when another editor set it since the editor looked ("disputed by
    # amira"); a note replaces no status, so ``overridden_status`` stays None.
    decided_since: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimView:
    id: int
    key: str
    place: Place
    event: str
    summary: str
    status: str
    contested: bool
    contest_reasons: tuple[str, ...]
    stance_counts: dict[str, int]
    outlets: int
    originators: int
    figures: tuple[FigureRange, ...]
    first_seen: str | None
    last_seen: str | None
    needs_review: bool = False
    mentions: tuple[Mention, ...] = ()
    last_verdict: Verdict | None = None
    # The verdict the status rests on: last_verdict, or after an undo the one it brought back (None
    # when it went back to no decision). Who decided and their note are this one's.
    decision: Verdict | None = None
    mention_count: int = 0  # all mentions, where ``mentions`` may hold only the newest few
    latest_mention_id: int = 0  # the highest mention id when read: what an editor looking at it has seen
    shown_outlet: str | None = None  # ``mentions`` are only this outlet's (a card filtered to it)


@dataclass(frozen=True, slots=True)
class PlaceCard:
    place: Place
    claims: tuple[ClaimView, ...] = field(default_factory=tuple)

    @property
    def last_seen(self) -> str:
        return max((c.last_seen or "" for c in self.claims), default="")


__all__ = [
    "ClaimView",
    "Feed",
    "FetchRecord",
    "Figure",
    "ItemDetail",
    "ItemRow",
    "NewItem",
    "PlaceCard",
    "Verdict",
    "VerdictResult",
]


class Reextracted(NamedTuple):
    """What ``Store.reextract`` did: mentions kept their ids (``kept``), were new (``added``), or
    are gone (``removed``)."""

    items: int
    mentions: int
    kept: int = 0
    added: int = 0
    removed: int = 0
