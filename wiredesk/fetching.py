"""A fetch cycle: due feeds fetched concurrently, each parsed off the event loop, stored by one writer.

One feed's failure is recorded on that feed (error, consecutive failures, next due time with
backoff) and never stops the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from db import AlreadyStored, Feed, FetchRecord, Store
from fetchers import (
    FeedRequest,
    FetchError,
    Retrieved,
    HttpSettings,
    ParsedFeed,
    ParseError,
    discover,
    fetch_all,
    is_feed_file,
    next_due,
    parse_document,
    read_file,
    retry_after,
    slug,
    unsupported,
)

from .config import cache_dir
from .sources import is_local, local_path
from .ingest import IngestResult, Ingestor, Prepared, prepare
from .workers import Preparer, _prepare_bytes


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


def due_feeds(feeds: Sequence[Feed], now: datetime, *, named: bool = False) -> list[Feed]:
    """Feeds due at ``now``; disabled ones only when ``named`` (SOURCEs named on the command line)."""
    stamp = _iso(now)
    return [f for f in feeds if (named or f.enabled) and (f.next_due is None or f.next_due <= stamp)]


async def fetch_cycle(
    store: Store,
    ingestor: Ingestor,
    feeds: Sequence[Feed],
    settings: HttpSettings,
    default_interval: int,
    on_outcome: Callable[[FeedOutcome], None] | None = None,
    preparer: Preparer | None = None,
) -> list[FeedOutcome]:
    """Fetch ``feeds``; parsing and extraction run off the event loop (in ``preparer``'s worker
    processes when it has them), storing runs here, one feed at a time."""
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
    records: list[tuple[int, FetchRecord]] = []  # fetch state, written in batches: one commit, not hundreds
    in_flight: dict[asyncio.Future, tuple[Feed, Retrieved, datetime, int, str]] = {}
    max_in_flight = 2 * (preparer.workers if preparer else 1) + 2

    def failed(feed: Feed, status: int | None, reason: str, due: datetime) -> None:
        records.append((feed.id, FetchRecord("error", status, reason, next_due=_iso(due))))
        report(FeedOutcome(feed, "error", error=reason))

    def stored(task: asyncio.Future, feed: Feed, got: Retrieved, now: datetime, interval: int, due: str) -> None:
        try:
            prepared = task.result()
        except FetchError as exc:
            failed(feed, got.status, exc.reason, next_due(now, interval, failures=feed.failures + 1))
            return
        result = _ingest(ingestor, feed, prepared)
        title = prepared.parsed.title
        records.append((feed.id, FetchRecord("new" if result.new else "unchanged", got.status, etag=got.etag,
                                             last_modified=got.last_modified, next_due=due,
                                             new_url=got.permanent_url, title=title)))
        report(_outcome(replace(feed, title=feed.title or title), result))

    async def drain(wait_for: int) -> None:
        while len(in_flight) > wait_for:
            done, _ = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                stored(task, *in_flight.pop(task))

    async for got in fetch_all(requests, settings):
        feed = by_url[got.request.url]
        interval = feed.interval or default_interval
        now = datetime.now(timezone.utc)
        if got.error is not None:
            failed(feed, got.status, got.error.reason,
                   next_due(now, interval, failures=feed.failures + 1, retry_after_s=got.error.retry_after))
        else:
            due = _iso(next_due(now, interval, max_age_s=got.max_age, retry_after_s=retry_after(got.headers or {})))
            if got.not_modified:
                records.append((feed.id, FetchRecord("not_modified", 304, etag=got.etag, last_modified=got.last_modified,
                                                     next_due=due, new_url=got.permanent_url)))
                report(FeedOutcome(feed, "not_modified"))
            else:
                task = asyncio.ensure_future(_prepare(ingestor, preparer, got.content or b"", feed.url, got.headers))
                in_flight[task] = (feed, got, now, interval, due)
        for task in [t for t in in_flight if t.done()]:
            stored(task, *in_flight.pop(task))
        await drain(max_in_flight)
        if len(records) >= 100:
            store.record_fetches(records)
            records.clear()
    await drain(0)
    store.record_fetches(records)
    ingestor.finish(preparer)
    return outcomes


async def _prepare(
    ingestor: Ingestor, preparer: Preparer | None, content: bytes, source: str, headers: dict[str, str] | None
) -> Prepared:
    """Parse and extract off the event loop; raises FetchError."""
    future = preparer.submit_bytes(content, source, headers) if preparer is not None else None
    if future is None:
        result = await asyncio.to_thread(_prepare_bytes, content, source, headers, ingestor.gazetteer)
    else:
        result = await asyncio.wrap_future(future)
    if isinstance(result, FetchError):
        raise result
    return result


def ingest_local(store: Store, ingestor: Ingestor, feed: Feed, default_interval: int) -> FeedOutcome:
    now = datetime.now(timezone.utc)
    due = _iso(next_due(now, feed.interval or default_interval))
    try:
        parsed = read_file(local_path(feed.url), outlet=feed.outlet)
    except FetchError as exc:
        store.record_fetch(feed.id, FetchRecord("error", None, exc.reason, next_due=due))
        return FeedOutcome(feed, "error", error=exc.reason)
    result = _ingest(ingestor, feed, parsed)
    store.record_fetch(feed.id, FetchRecord("new" if result.new else "unchanged", None, next_due=due, title=parsed.title))
    return _outcome(store.feed(feed.id), result)


def import_parsed(
    store: Store, ingestor: Ingestor, source: str, parsed: ParsedFeed | Prepared, outlet: str | None
) -> IngestResult:
    title = parsed.parsed.title if isinstance(parsed, Prepared) else parsed.title
    known = store.feed_by_url(source)
    # An imported file is a feed that is not fetched, unless it already was one (`fetch FILE`).
    feed = store.add_feed(source, outlet=outlet or title, enabled=known.enabled if known else False)
    result = _ingest(ingestor, feed, parsed)
    store.record_fetch(feed.id, FetchRecord("new" if result.new else "unchanged", None, title=title))
    return result


def _ingest(ingestor: Ingestor, feed: Feed, parsed: ParsedFeed | Prepared, attempts: int = 5) -> IngestResult:
    """Store a feed's new items. When another writer stored some of them first (two fetches of one
    feed at once), nothing was written: what is new is read again and the rest stored."""
    for attempt in range(attempts):
        try:
            return ingestor.ingest(feed, parsed)
        except AlreadyStored:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def import_files(
    store: Store,
    ingestor: Ingestor,
    paths: Iterable[str | Path],
    outlet: str | None,
    aliases: Mapping[str, object],
    report: Callable[[Path, IngestResult | FetchError], None],
) -> None:
    """Import files and folders: parsed and extracted on every core, stored here in file order. A
    file named with a suffix wiredesk does not read is reported (a folder's are passed over)."""
    files = []
    for path in discover(paths):
        reason = unsupported(path)
        if reason:
            report(path, ParseError(str(path), reason))
        else:
            files.append(path)
    # Feeds first, so that dispatches named after an outlet find it already stored.
    files.sort(key=lambda p: not is_feed_file(p))
    with Preparer(ingestor.gazetteer, cache_dir(), aliases, len(files)) as preparer:
        for path, prepared in preparer.files(files, outlet):
            if isinstance(prepared, FetchError):
                report(path, prepared)
                continue
            source = str(path.resolve()) if path.exists() else str(path)
            item_outlet = outlet or known_outlet(store, prepared.parsed.title)
            report(path, import_parsed(store, ingestor, source, prepared, item_outlet))
        ingestor.finish(preparer)


def known_outlet(store: Store, guess: str | None) -> str | None:
    """A guessed outlet ("Free Orient Tv" from a file name) resolved to a stored spelling."""
    if not guess:
        return None
    wanted = slug(guess)
    for known in store.outlets():
        if slug(known) == wanted or slug(known).removeprefix("the-") == wanted:
            return known
    return guess


def _outcome(feed: Feed, result: IngestResult) -> FeedOutcome:
    return FeedOutcome(
        feed, "new" if result.new else "unchanged", result.new, result.duplicates, warnings=result.warnings
    )
