"""The pipeline's near-duplicate signatures and dedup keys, made in worker processes and stored."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash, MinHashLSH

from claims.types import Item
from fetchers import text_words
from wiredesk.ingest import (
    NUM_PERM,
    SIGNATURE_SCHEME,
    _minhash,
    dedup_keys,
    plan,
    shingles_of,
    signature,
    signature_blob,
)


def shingle_hashes(title: str, text: str) -> list[int]:
    """An item's shingles, as the ingest makes them (from its words, found once for hash and shingles)."""
    return shingles_of(text_words(title, text))


STORY = "Rebel fighters entered the northern districts of Hama on Friday, a local official said."


def test_signature_is_datasketchs_own_minhash():
    """Signatures are stored: the shared permutations must give exactly what a fresh MinHash gives."""
    fresh = MinHash(num_perm=NUM_PERM, hashfunc=lambda value: value)
    fresh.update_batch(shingle_hashes("Rebels enter Hama", STORY))
    ours = signature("Rebels enter Hama", STORY)
    assert ours.hashvalues.dtype == fresh.hashvalues.dtype
    assert np.array_equal(ours.hashvalues, fresh.hashvalues)


def test_shingle_hashes_follow_words_in_order_whatever_the_case_or_accents():
    words = "Rebel fighters entered the northern districts of Hama".split()
    hashes = shingle_hashes("", " ".join(words))
    assert len(hashes) == len(words) - 2 and len(set(hashes)) == len(hashes)
    assert all(0 <= h < 2**32 for h in hashes)
    assert shingle_hashes("", "REBEL FIGHTERS ENTERED") == shingle_hashes("", "rebel fighters entered")
    assert shingle_hashes("", "Hama Hamá") == shingle_hashes("", "hama hama")
    assert shingle_hashes("", "fighters rebel entered") != shingle_hashes("", "rebel fighters entered")
    assert shingle_hashes("", "") != shingle_hashes("", "Hama")


def test_signatures_estimate_the_word_shingle_jaccard():
    """The cheap shingle hashes must not spoil the estimate: on pairs of reports sharing more or less
    of their text, the signature's estimate stays near the exact Jaccard of the 3-shingle sets."""
    import random

    rng = random.Random(3)
    vocabulary = [f"w{n}" for n in range(400)]
    errors = []
    for shared in (0, 20, 60, 120, 200):
        common = [rng.choice(vocabulary) for _ in range(shared)]
        a = " ".join(common + [rng.choice(vocabulary) for _ in range(200 - shared)])
        b = " ".join(common + [rng.choice(vocabulary) for _ in range(200 - shared)])
        sa, sb = set(shingle_hashes("", a)), set(shingle_hashes("", b))
        exact = len(sa & sb) / len(sa | sb)
        errors.append(abs(signature("", a).jaccard(signature("", b)) - exact))
    assert max(errors) < 0.2 and sum(errors) / len(errors) < 0.1


def test_a_stored_signature_finds_its_near_duplicate():
    stored = _minhash(signature_blob(signature("Rebels enter Hama", STORY)))
    lsh = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    lsh.insert("i1", stored)
    assert lsh.query(signature("Rebels enter Hama", STORY + " More to follow.")) == ["i1"]
    assert lsh.query(signature("Aid convoy", "An aid convoy was stopped near Saraqib on the highway.")) == []


def test_precomputed_keys_plan_as_computed_ones():
    items = [
        Item("a", "Rebels enter Hama", STORY, "https://www.lw.example/1?utm_source=x"),
        Item("b", "Rebels enter Hama", STORY, "https://other.example/2"),  # same text: duplicate
        Item("c", "Convoy", "A convoy was stopped.", "https://lw.example/1"),  # same canonical link
        Item("d", "New", "Something else entirely.", None),
    ]
    known = ({"x"}, set(), set())
    keys = [dedup_keys(i) for i in items]
    assert plan(items, known, keys) == plan(items, known)
    fresh, unchanged, duplicates = plan(items, known, keys)
    assert [k.item.guid for k in fresh] == ["a", "d"] and duplicates == 2 and unchanged == 0


def test_signatures_of_the_older_scheme_are_made_again_when_the_index_loads(tmp_path):
    """A database written before the scheme changed holds signatures without the scheme prefix: they
    are not comparable, so the index makes them again from the items' text and stores them."""
    import hashlib
    import struct
    from datetime import datetime, timezone

    import claims
    from db import NewItem, Store
    from fetchers import ParsedFeed
    from wiredesk.config import cache_dir
    from wiredesk.ingest import Ingestor

    def sha1_era_blob(text: str) -> bytes:  # what the SHA-1-per-shingle scheme stored: 64 uint32
        words = text.casefold().split()
        shingles = [" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)]
        old = MinHash(num_perm=NUM_PERM, hashfunc=lambda b: struct.unpack("<I", hashlib.sha1(b).digest()[:4])[0])
        old.update_batch(shingles)
        return old.hashvalues.tobytes()

    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with Store(tmp_path / "w.db") as store:
        feed = store.add_feed("https://a.example/rss")
        (old_id,) = store.add_items(feed.id, [NewItem(Item("g1", "Rebels enter Hama", STORY, None, now), "h1", None,
                                                      minhash=sha1_era_blob(STORY))], claims.assess, "A")
        ingestor = Ingestor(store, claims.Gazetteer.load(cache_dir()))
        copy = Item("g2", "Rebels enter Hama", STORY + " More to follow.", None, now)
        result = ingestor.ingest(store.add_feed("https://b.example/rss"), ParsedFeed("b", "B", (copy,)))
        (new_id,) = result.item_ids
        stored = dict(store.db.execute("SELECT id, minhash FROM items").fetchall())
        assert stored[old_id].startswith(SIGNATURE_SCHEME) and stored[new_id].startswith(SIGNATURE_SCHEME)
        assert store.item_cluster(new_id) == store.item_cluster(old_id) == old_id
