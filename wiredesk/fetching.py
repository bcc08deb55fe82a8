"""A fetch cycle: due feeds fetched concurrently, each parsed off the event loop, stored by one writer.

One feed's failure is recorded on that feed (error, consecutive failures, next due time with
backoff) and never stops the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from db import Feed, FetchRecord, Store, StorageError
from fetchers import (
    FeedRequest,
    FetchError,
    HttpSettings,
    ParsedFeed,
    fetch_all,
    next_due,
    parse_document,
    read_file,
    retry_after,
)

from .ingest import IngestResult, Ingestor


@dataclass(frozen=True)
class FeedOutcome:
    feed: Feed
    result: str  # new | unchanged | not_modified | error
    new: int = 0
    duplicates: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = ()

    def line(self) -> str:
        name = self.feed.display_outlet
        where = f"{name} ({self.feed.url})" if name != self.feed.url else name
        if self.result == "error":
            return f"{where}: error: {self.error}"
        if self.result == "not_modified":
            return f"{where}: not modified (304)"
        detail = f"{self.new} new"
        if self.duplicates:
            detail += f", {self.duplicates} duplicate"
        if self.result == "unchanged":
            detail = "no new items"
        if self.warnings:
            detail += f" ({'; '.join(self.warnings)})"
        return f"{where}: {detail}"


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def is_local(source: str) -> bool:
    return "://" not in source or source.startswith("file://")


def local_path(source: str) -> Path:
    return Path(source[len("file://") :] if source.startswith("file://") else source)


def due_feeds(feeds: Sequence[Feed], now: datetime) -> list[Feed]:
    stamp = _iso(now)
    return [f for f in feeds if f.enabled and (f.next_due is None or f.next_due <= stamp)]


async def fetch_cycle(
    store: Store,
    ingestor: Ingestor,
    feeds: Sequence[Feed],
    settings: HttpSettings,
    default_interval: int,
    on_outcome: Callable[[FeedOutcome], None] | None = None,
) -> list[FeedOutcome]:
    outcomes: list[FeedOutcome] = []

    def report(outcome: FeedOutcome) -> None:
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    remote = [f for f in feeds if not is_local(f.url)]
    for feed in feeds:
        if is_local(feed.url):
            report(ingest_local(store, ingestor, feed, default_interval))
    by_url = {f.url: f for f in remote}
    requests = [FeedRequest(f.url, f.etag, f.last_modified) for f in remote]
    async for got in fetch_all(requests, settings):
        feed = by_url[got.request.url]
        interval = feed.interval or default_interval
        now = datetime.now(timezone.utc)
        if got.error is not None:
            due = next_due(now, interval, failures=feed.failures + 1, retry_after_s=got.error.retry_after)
            store.record_fetch(feed.id, FetchRecord("error", got.status, got.error.reason, next_due=_iso(due)))
            report(FeedOutcome(feed, "error", error=got.error.reason))
            continue
        due = _iso(next_due(now, interval, max_age_s=got.max_age, retry_after_s=retry_after(got.headers or {})))
        if got.not_modified:
            store.record_fetch(
                feed.id,
                FetchRecord("not_modified", 304, etag=got.etag, last_modified=got.last_modified, next_due=due,
                            new_url=got.permanent_url),
            )
            report(FeedOutcome(feed, "not_modified"))
            continue
        try:
            parsed = await asyncio.to_thread(parse_document, got.content or b"", feed.url, got.headers)
        except FetchError as exc:
            due = _iso(next_due(now, interval, failures=feed.failures + 1))
            store.record_fetch(feed.id, FetchRecord("error", got.status, exc.reason, next_due=due))
            report(FeedOutcome(feed, "error", error=exc.reason))
            continue
        try:
            result = ingestor.ingest(feed, parsed)
        except StorageError:
            raise
        store.record_fetch(
            feed.id,
            FetchRecord(
                "new" if result.new else "unchanged",
                got.status,
                etag=got.etag,
                last_modified=got.last_modified,
                next_due=due,
                new_url=got.permanent_url,
                title=parsed.title,
            ),
        )
        report(_outcome(store.feed(feed.id), result))
    ingestor.finish()
    return outcomes


def ingest_local(store: Store, ingestor: Ingestor, feed: Feed, default_interval: int) -> FeedOutcome:
    now = datetime.now(timezone.utc)
    due = _iso(next_due(now, feed.interval or default_interval))
    try:
        parsed = read_file(local_path(feed.url), outlet=feed.outlet)
    except FetchError as exc:
        store.record_fetch(feed.id, FetchRecord("error", None, exc.reason, next_due=due))
        return FeedOutcome(feed, "error", error=exc.reason)
    result = ingestor.ingest(feed, parsed)
    store.record_fetch(feed.id, FetchRecord("new" if result.new else "unchanged", None, next_due=due, title=parsed.title))
    return _outcome(store.feed(feed.id), result)


def import_parsed(store: Store, ingestor: Ingestor, source: str, parsed: ParsedFeed, outlet: str | None) -> IngestResult:
    feed = store.add_feed(source, outlet=outlet or parsed.title, enabled=False)
    result = ingestor.ingest(feed, parsed)
    store.record_fetch(feed.id, FetchRecord("new" if result.new else "unchanged", None, title=parsed.title))
    return result


def _outcome(feed: Feed, result: IngestResult) -> FeedOutcome:
    return FeedOutcome(
        feed, "new" if result.new else "unchanged", result.new, result.duplicates, warnings=result.warnings
    )
