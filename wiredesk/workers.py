"""Parse + extract on every core, one writer: worker processes turn files or fetched bytes into
``Prepared`` feeds; the calling process alone touches the database.

Each worker loads the gazetteer once (its cached index, ~0.5–1.5 s and ~170 MB), so a pool is worth
it only for runs with several sources; small runs prepare inline.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import claims
from fetchers import FetchError, ParsedFeed, ParseError, parse_document, read_file

from .ingest import Prepared, load_sketching, prepare

if TYPE_CHECKING:
    from db import Store

MIN_SOURCES_FOR_POOL = 8
MIN_CLAIMS_FOR_POOL = 50
_gazetteer: claims.Gazetteer | None = None


def _init(cache_dir: str | None, aliases: Mapping[str, Any]) -> None:
    global _gazetteer
    # Forked from the CLI, a worker inherits its SIGTERM-as-ctrl+c handler; a worker told to stop
    # just stops (the parent rolls back and reports).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _gazetteer = claims.Gazetteer.load(Path(cache_dir) if cache_dir else None, aliases=aliases)


def _prepare_file(path: Path, outlet: str | None, gazetteer: claims.Gazetteer | None = None) -> Prepared | FetchError:
    try:
        return prepare(read_file(path, outlet=outlet), gazetteer or _gazetteer)
    except FetchError as exc:
        return exc
    except Exception as exc:  # a bug on one odd file must not end an import of thousands
        return ParseError(str(path), f"could not be processed ({type(exc).__name__}: {str(exc)[:120]})")


def _assess_claims(db_path: str, claim_ids: list[int]) -> list:
    """Claims' new aggregates from a read-only look at the store, for the one writer to apply."""
    from db import Store

    with Store(db_path, migrate=False) as store:
        return store.assess_claims(claim_ids, claims.assess)


def _prepare_bytes(content: bytes, source: str, headers: dict[str, str] | None,
                   gazetteer: claims.Gazetteer | None = None) -> Prepared | FetchError:
    try:
        return prepare(parse_document(content, source, headers), gazetteer or _gazetteer)
    except FetchError as exc:
        return exc
    except Exception as exc:
        return ParseError(source, f"could not be processed ({type(exc).__name__}: {str(exc)[:120]})")


class Preparer:
    """``with Preparer(...) as p: for path, result in p.files(paths, outlet): ...`` — results in order."""

    def __init__(self, gazetteer: claims.Gazetteer, cache_dir: Path | None, aliases: Mapping[str, Any],
                 sources: int, processes: int | None = None) -> None:
        self.gazetteer = gazetteer
        cores = processes if processes is not None else (os.cpu_count() or 1)
        self.workers = min(cores, 4)
        self.pool = (
            ProcessPoolExecutor(max_workers=self.workers, initializer=_init,
                                initargs=(str(cache_dir) if cache_dir else None, dict(aliases)))
            if cores > 1 and sources >= MIN_SOURCES_FOR_POOL
            else None
        )
        if self.pool is None:
            self.workers = 1

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def _before_first_submit(self) -> None:
        # Workers start at the first submit, forked from this process: what it has loaded by then
        # they share instead of each loading it again.
        load_sketching()

    def files(self, paths: Iterable[Path], outlet: str | None) -> Iterator[tuple[Path, Prepared | FetchError]]:
        paths = list(paths)
        if self.pool is None:
            for path in paths:
                yield path, _prepare_file(path, outlet, self.gazetteer)
            return
        self._before_first_submit()
        yield from zip(paths, self.pool.map(_prepare_file, paths, [outlet] * len(paths), chunksize=1))

    def refresh_claims(self, store: Store) -> int:
        """Recompute the dirty claims' aggregates in the worker processes (reading only); this process
        writes each one whose mentions are still what was read. Returns how many were written; any
        left dirty are for ``store.refresh_claims``."""
        ids = store.dirty_claims()
        if self.pool is None or len(ids) < MIN_CLAIMS_FOR_POOL:
            return 0
        parts = [ids[i :: self.workers * 4] for i in range(self.workers * 4)]
        applied = 0
        for updates in self.pool.map(_assess_claims, [str(store.path)] * len(parts), parts):
            applied += store.apply_claim_updates(updates)
        return applied

    def parse(self, content: bytes, source: str, headers: dict[str, str] | None) -> Prepared | FetchError:
        """Inline parse + prepare; used off the event loop by the fetch cycle when there is no pool."""
        return _prepare_bytes(content, source, headers, self.gazetteer)

    def submit_bytes(self, content: bytes, source: str, headers: dict[str, str] | None):
        """A future of ``Prepared | FetchError`` when pooled, else None (the caller parses inline)."""
        if self.pool is None:
            return None
        self._before_first_submit()
        return self.pool.submit(_prepare_bytes, content, source, headers)


__all__ = ["Preparer", "ParsedFeed"]
