"""The pipeline's near-duplicate signatures and dedup keys, made in worker processes and stored."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash, MinHashLSH

from claims.types import Item
from wiredesk.ingest import NUM_PERM, _minhash, dedup_keys, plan, shingles, signature

STORY = "Rebel fighters entered the northern districts of Hama on Friday, a local official said."


def test_signature_is_datasketchs_own_minhash():
    """Signatures are stored: the shared permutations must give exactly what a fresh MinHash gives."""
    fresh = MinHash(num_perm=NUM_PERM)
    fresh.update_batch(shingles("Rebels enter Hama", STORY))
    ours = signature("Rebels enter Hama", STORY)
    assert ours.hashvalues.dtype == fresh.hashvalues.dtype
    assert np.array_equal(ours.hashvalues, fresh.hashvalues)


def test_a_stored_signature_finds_its_near_duplicate():
    stored = _minhash(signature("Rebels enter Hama", STORY).hashvalues.tobytes())
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
