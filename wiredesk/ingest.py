"""The ingest pipeline: parsed items → dedup decisions → extraction → clusters → one store transaction.

The deciding part (``plan``) is pure over plain data; ``Ingestor.ingest`` carries it out.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from functools import cache
from typing import TYPE_CHECKING

import claims
from claims.types import Item
from db import Feed, MentionRow, NewItem, Store, mention_row
from fetchers import ParsedFeed, canonical_link, text_words, words_hash

NUM_PERM = 64
NEAR_DUPLICATE = 0.5  # estimated Jaccard of word 3-shingles above which two items are one wire story
CLUSTER_WINDOW = timedelta(days=7)

if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    from .workers import Preparer


# The LSH index's bands and rows per band: what datasketch's ``MinHashLSH`` chooses for NEAR_DUPLICATE
# and NUM_PERM (weighing false positives and negatives alike) when given none. Given, it needs no
# numerical integration (a test checks they are still its choice).
LSH_PARAMS = (14, 4)


def _import_datasketch():
    """``import datasketch``, without the 0.35 s of importing ``scipy.integrate``: datasketch imports
    its ``quad`` at start-up only to choose LSH parameters when none are given, and we give them
    (``LSH_PARAMS``). While datasketch loads, ``scipy.integrate`` is a stand-in whose ``quad`` imports
    the real one if ever called; the real module stays importable as usual afterwards."""
    import importlib
    import sys
    import types

    if "datasketch" in sys.modules or "scipy.integrate" in sys.modules:
        import datasketch

        return datasketch
    stand_in = types.ModuleType("scipy.integrate")

    def quad(*args, **kwargs):  # called only after the stand-in is gone: this loads the real module
        return importlib.import_module("scipy.integrate").quad(*args, **kwargs)

    stand_in.quad = quad  # type: ignore[attr-defined]
    sys.modules["scipy.integrate"] = stand_in
    try:
        import datasketch
    finally:
        if sys.modules.get("scipy.integrate") is stand_in:
            del sys.modules["scipy.integrate"]
    return datasketch


@cache
def _sketching():
    """datasketch and the MinHash parameters, loaded on first use: a fetch cycle answered by 304s
    never needs them."""
    import numpy

    datasketch = _import_datasketch()
    prototype = datasketch.MinHash(num_perm=NUM_PERM)
    return datasketch, numpy, prototype.scheme, prototype.seed, prototype.permutations


def load_sketching() -> None:
    """Load datasketch now, e.g. in a parent process before it forks workers that will need it."""
    _sketching()


@dataclass(frozen=True)
class IngestResult:
    new: int = 0
    unchanged: int = 0  # guid already stored for this feed
    duplicates: int = 0  # same link or same content already stored from elsewhere
    item_ids: tuple[int, ...] = ()
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Keyed:
    item: Item
    canonical_link: str | None
    content_hash: str


def dedup_keys(item: Item, words: list[bytes] | None = None) -> tuple[str | None, str]:
    """(canonical link, content hash): what an item is deduplicated by besides its guid. ``words``
    are the item's ``text_words`` when already computed."""
    return canonical_link(item.link), words_hash(text_words(item.title, item.text) if words is None else words)


def plan(
    items: Sequence[Item],
    known: tuple[set[str], set[str], set[str]],
    keys: Sequence[tuple[str | None, str]] | None = None,
) -> tuple[list[Keyed], int, int]:
    """Which items are new: (to store, unchanged, duplicates). Dedup by guid within the feed, then by
    canonical link and normalised content hash across all feeds, including within this batch.
    ``keys`` are the items' ``dedup_keys`` when already computed."""
    guids, links, hashes = (set(k) for k in known)
    fresh: list[Keyed] = []
    unchanged = duplicates = 0
    for n, item in enumerate(items):
        link, digest = keys[n] if keys is not None else dedup_keys(item)
        if item.guid in guids:
            unchanged += 1
            continue
        guids.add(item.guid)
        if (link and link in links) or digest in hashes:
            duplicates += 1
            continue
        if link:
            links.add(link)
        hashes.add(digest)
        fresh.append(Keyed(item, link, digest))
    return fresh, unchanged, duplicates


@dataclass(frozen=True)
class Prepared:
    """A parsed feed with the per-item work that needs no database done: mentions and signatures.
    Made in worker processes (see ``wiredesk.workers``) so parsing and extraction use every core."""

    parsed: ParsedFeed
    mentions: tuple[tuple[MentionRow, ...], ...]  # per item, as the store writes them
    signatures: tuple[bytes, ...]
    keys: tuple[tuple[str | None, str], ...] = ()  # dedup_keys per item


def prepare(parsed: ParsedFeed, gazetteer: claims.Gazetteer) -> Prepared:
    words = [text_words(item.title, item.text) for item in parsed.items]  # for both hash and shingles
    return Prepared(
        parsed,
        tuple(tuple(map(mention_row, claims.extract(item, gazetteer))) for item in parsed.items),
        tuple(signature_blob(signature_of(w)) for w in words),
        tuple(dedup_keys(item, w) for item, w in zip(parsed.items, words)),
    )


# Odd multipliers that combine three word hashes into a shingle hash, position by position, so that
# the same words in another order make another shingle.
_SHINGLE_MULTIPLIERS = (0x9E3779B1, 0x85EBCA77)
# Stored signatures start with this; one without it (made by the SHA-1-per-shingle scheme before
# 2026-12) is made again from its item's text when the index is loaded (see ``Ingestor._index``).
SIGNATURE_SCHEME = b"wd2:"


def shingles_of(words: list[bytes]) -> list[int]:
    """32-bit hashes of the word 3-shingles of an item's ``text_words`` (casefolded, accents split
    off). Each word is hashed once (CRC-32 of its UTF-8) and the three of a shingle combined
    arithmetically: a tenth of the cost of hashing every shingle's bytes. datasketch's MinHash runs
    weak hashes like these through the MurmurHash3 finalizer before its permutations (its
    documented use of an identity hashfunc)."""
    _, np, _, _, _ = _sketching()
    if len(words) < 3:
        return [zlib.crc32(b" ".join(words))]
    h = np.fromiter(map(zlib.crc32, words), dtype=np.uint32, count=len(words))
    a, b = _SHINGLE_MULTIPLIERS
    return (h[:-2] * np.uint32(a) + h[1:-1] * np.uint32(b) + h[2:]).tolist()  # uint32: wraps mod 2**32


def _same(value: int) -> int:
    return value


def signature(title: str, text: str) -> MinHash:
    return signature_of(text_words(title, text))


def signature_of(words: list[bytes]) -> MinHash:
    """The MinHash of ``text_words``."""
    # The permutations are drawn once (they depend on the seed only), not per item.
    datasketch, _, scheme, seed, permutations = _sketching()
    m = datasketch.MinHash(num_perm=NUM_PERM, seed=seed, permutations=permutations, scheme=scheme, hashfunc=_same)
    m.update_batch(shingles_of(words))
    return m


def signature_blob(sig: MinHash | LeanMinHash) -> bytes:
    """A signature as stored in ``items.minhash``."""
    return SIGNATURE_SCHEME + sig.hashvalues.tobytes()


class Ingestor:
    """Owns the gazetteer and the near-duplicate index for one process; one per store connection.

    Other processes may store items at the same time (`fetch --watch` and the app's `r`, two
    `wiredesk fetch`): what a batch stores is decided inside the write transaction that stores it
    (SQLite's ``BEGIN IMMEDIATE`` admits one writer at a time), from the dedup keys stored by then and
    an index brought up to date with the items stored since it was loaded. Two fetchers thus store
    one story from two feeds as one fetch after the other would: once for the same link or text, in
    the first copy's cluster for a near-duplicate. Extraction and signatures are made before the
    transaction, so other writers wait only for the deciding and the writing."""

    def __init__(self, store: Store, gazetteer: claims.Gazetteer, *, defer_claims: bool = True) -> None:
        self.store = store
        self.defer_claims = defer_claims
        self.gazetteer = gazetteer
        self._lsh: MinHashLSH | None = None
        self._clusters: dict[str, int] = {}  # index key → cluster, for stored items
        self._item_ids: dict[str, int] = {}  # batch key ("b…") → its item's id, once stored
        self._seq = 0
        self._indexed_upto = 0  # every item stored with an id up to this one is in the index (if recent)
        self._feeds: set[int] = set()  # the feeds stored when the index was last known to hold no deleted item

    def _index(self) -> MinHashLSH:
        if self._lsh is None:
            self._lsh = _sketching()[0].MinHashLSH(threshold=NEAR_DUPLICATE, num_perm=NUM_PERM, params=LSH_PARAMS)
            # Read first: an item stored after it has a greater id, and ``_catch_up`` adds it; a feed
            # removed after it is missed by ``_catch_up``, which forgets its items.
            self._indexed_upto = self.store.max_item_id()
            self._feeds = self.store.feed_ids()
            older: dict[int, int] = {}
            for item_id, cluster, blob in self.store.recent_signatures(_window_start()):
                sig = _minhash(blob)
                if sig is None:
                    older[item_id] = cluster
                else:
                    self._add(f"i{item_id}", sig, cluster)
            if older:  # signatures of an older scheme: made again, and stored for next time
                remade = {i: signature(title, text) for i, title, text in self.store.item_texts(list(older))}
                self.store.set_signatures([(i, signature_blob(sig)) for i, sig in remade.items()])
                for item_id, sig in remade.items():
                    self._add(f"i{item_id}", sig, older[item_id])
        return self._lsh

    def _catch_up(self) -> None:
        """Add to the index the items other writers stored since it was loaded or last caught up. Called
        in the write transaction, where no one else can store more before this one commits."""
        self._index()
        for item_id, cluster, blob in self.store.signatures_after(self._indexed_upto, _window_start()):
            sig = _minhash(blob)
            if sig is not None:  # another scheme's (an older wiredesk writing meanwhile): not comparable
                self._add(f"i{item_id}", sig, cluster)
        self._indexed_upto = max(self._indexed_upto, self.store.max_item_id())
        feeds = self.store.feed_ids()
        if not self._feeds <= feeds:
            self._forget_deleted()
        self._feeds = feeds

    def _add(self, key: str, sig: MinHash, cluster: int | None) -> None:
        assert self._lsh is not None
        if key not in self._lsh.keys:
            self._lsh.insert(key, sig)
        if cluster is not None:
            self._clusters[key] = cluster

    def extract(self, item: Item):
        return tuple(claims.extract(item, self.gazetteer))

    def _known(self, feed: Feed, items: Sequence[Item], keys: Sequence[tuple[str | None, str]]):
        return self.store.known(
            feed.id,
            (i.guid for i in items),
            filter(None, (link for link, _ in keys)),
            (digest for _, digest in keys),
        )

    def ingest(self, feed: Feed, parsed: ParsedFeed | Prepared) -> IngestResult:
        prepared = parsed if isinstance(parsed, Prepared) else None
        parsed = prepared.parsed if prepared else parsed
        position = {id(item): n for n, item in enumerate(parsed.items)}
        keys = prepared.keys if prepared and prepared.keys else [dedup_keys(i) for i in parsed.items]
        outlet = feed.outlet or parsed.title or feed.title or feed.url
        # A first plan from what is stored now. What it finds known stays known (nothing stored is
        # lost), so with nothing fresh there is nothing to write; otherwise the fresh items' mentions
        # and signatures are made here, outside the write transaction.
        fresh, unchanged, duplicates = plan(parsed.items, self._known(feed, parsed.items, keys), keys)
        if not fresh:
            return IngestResult(0, unchanged, duplicates, (), parsed.warnings)
        made: dict[int, tuple[Item, MinHash | LeanMinHash, tuple]] = {}

        def made_for(item: Item) -> tuple[Item, MinHash | LeanMinHash, tuple]:
            n = position[id(item)]
            if n not in made:
                if feed.outlet:
                    item = _with_outlet(item, feed.outlet)
                sig = _minhash(prepared.signatures[n]) if prepared else None
                if sig is None:
                    sig = signature(item.title, item.text)
                made[n] = (item, sig, prepared.mentions[n] if prepared else self.extract(item))
            return made[n]

        for keyed in fresh:
            made_for(keyed.item)
        self._index()
        with self.store.write():
            # Decided again where no other writer can store anything before this batch commits: the
            # first plan's read may predate another fetch's copy of the same story (same feed, same
            # link, same text, or a near-duplicate whose cluster this batch's copy must join).
            self._catch_up()
            fresh, unchanged, duplicates = plan(parsed.items, self._known(feed, parsed.items, keys), keys)
            batch, batch_keys = self._batch(fresh, made_for)
            ids = self.store.add_items(feed.id, batch, claims.assess, outlet, defer_claims=self.defer_claims)
            # Batch keys become stored-item keys so later batches find their cluster.
            clusters = [self.store.item_cluster(item_id) for item_id in ids]
        # Committed: the index holds this batch, and nothing else was stored before it.
        self._indexed_upto = max([self._indexed_upto, *ids])
        self._clusters.update(zip(batch_keys, clusters))
        self._item_ids.update(zip(batch_keys, ids))
        return IngestResult(len(ids), unchanged, duplicates, tuple(ids), parsed.warnings)

    def _batch(self, fresh: Sequence[Keyed], made_for) -> tuple[list[NewItem], list[str]]:
        """The fresh items as the store writes them, each in the cluster of a near-duplicate already
        stored or earlier in the batch; with their keys in the index."""
        lsh = self._index()
        batch: list[NewItem] = []
        batch_keys: list[str] = []
        for keyed in fresh:
            item, sig, mentions = made_for(keyed.item)
            cluster = batch_index = None
            for match in sorted(lsh.query(sig)):
                if match in self._clusters:
                    cluster = self._clusters[match]
                    break
                if match.startswith("b") and match in batch_keys:
                    batch_index = batch_keys.index(match)
                    break
            self._seq += 1
            key = f"b{self._seq}"
            batch_keys.append(key)
            lsh.insert(key, sig)
            batch.append(
                NewItem(
                    item=item,
                    content_hash=keyed.content_hash,
                    canonical_link=keyed.canonical_link,
                    mentions=mentions,
                    minhash=signature_blob(sig),
                    cluster=cluster,
                    cluster_batch_index=batch_index,
                )
            )
        return batch, batch_keys

    def _forget_deleted(self) -> None:
        """Drop from the index the items that are gone (their feed removed, by this process or another,
        after the index had them): a copy of a deleted story is clustered as a freshly loaded index
        would cluster it, with the copies still stored or on its own, not in the cluster of an item no
        longer on the desk. Items go only with their feed, and neither item nor feed ids are ever given
        twice (m008, m009), so this is needed only when a feed the index knew of is gone: one look at
        the feeds per transaction, not one at the items per match. Called in the write transaction:
        none can go meanwhile."""
        assert self._lsh is not None
        stored = {key: int(key[1:]) if key.startswith("i") else self._item_ids[key] for key in self._clusters}
        present = self.store.present_items(stored.values())
        for key, item_id in stored.items():
            if item_id not in present:
                self._lsh.remove(key)
                self._clusters.pop(key, None)
                self._item_ids.pop(key, None)

    def finish(self, preparer: Preparer | None = None) -> int:
        """Recompute the claims this run touched (and any a crashed run left dirty): in ``preparer``'s
        worker processes when it has them, then here whatever is still dirty."""
        done = preparer.refresh_claims(self.store) if preparer is not None else 0
        return done + self.store.refresh_claims(claims.assess)


def _window_start() -> str:
    """The oldest sort time of items a new one may be clustered with."""
    return (datetime.now(timezone.utc) - CLUSTER_WINDOW).strftime("%Y-%m-%dT%H:%M:%SZ")


def _minhash(blob: bytes) -> LeanMinHash | None:
    """A stored signature back as a sketch for the LSH index: only its hash values are needed, so no
    permutations are drawn (a full ``MinHash`` draws them per instance: ~0.6 ms each). None for a
    signature of another scheme, not comparable with today's."""
    if len(blob) != len(SIGNATURE_SCHEME) + NUM_PERM * 4 or not blob.startswith(SIGNATURE_SCHEME):
        return None
    datasketch, np, scheme, seed, _ = _sketching()
    values = np.frombuffer(blob, dtype=np.uint32, offset=len(SIGNATURE_SCHEME))
    return datasketch.LeanMinHash(seed=seed, hashvalues=values, scheme=scheme)


def _with_outlet(item: Item, outlet: str) -> Item:
    return replace(item, outlet=outlet)
