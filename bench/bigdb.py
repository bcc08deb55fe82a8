"""A large desk database for app and query benchmarks: N items, ~N/5 claims over many places.

Items are short synthetic reports stored through the real ``Store.add_items`` (mentions made
directly, not extracted: this measures the store and the app, not extraction).
"""

from __future__ import annotations

import random
from pathlib import Path

import claims
from claims.types import Figure, Item, Mention, Place
from db import NewItem, Store

OUTLETS = [f"Outlet {i:02d}" for i in range(40)]
EVENTS = ("control", "attack", "casualties", "displacement", "movement", "other")
STANCES = ("asserts", "asserts", "reports", "denies")


def build(path: Path, items: int, claims_target: int | None = None, seed: int = 3) -> Path:
    """Create ``path`` with ``items`` items and about ``claims_target`` claims (default items / 5)."""
    rng = random.Random(seed)
    claims_target = claims_target or max(1, items // 5)
    places = [
        Place(f"bench:{i}", f"Town {i}", "town", "Syria", "SY", f"Area {i % 14}", 35 + (i % 100) / 100,
              36 + (i // 100 % 100) / 100, "pattern", "country:SY")
        for i in range(max(1, claims_target // len(EVENTS)))
    ]
    # A few places are far busier than the rest, as on a real breaking story.
    weights = [50 if i < 5 else 1 for i in range(len(places))]
    path.unlink(missing_ok=True)
    with Store(path) as store:
        feeds = [store.add_feed(f"https://bench{i}.example/rss", outlet=o) for i, o in enumerate(OUTLETS)]
        made = 0
        minute = 0
        claim_seq = 0
        while made < items:
            feed_index = made // 50 % len(feeds)
            batch = []
            for _ in range(min(500, items - made)):
                minute += 1
                # Walk every place/event pair once first so the claim count hits its target.
                if claim_seq < len(places) * len(EVENTS):
                    place, event = places[claim_seq // len(EVENTS)], EVENTS[claim_seq % len(EVENTS)]
                    claim_seq += 1
                else:
                    place, event = rng.choices(places, weights)[0], rng.choice(EVENTS)
                stance = rng.choice(STANCES)
                figure = (Figure(rng.choice([120, 300, 1000, 2000]), "killed"),) if event == "casualties" else ()
                sentence = f"Fighters {'entered' if stance != 'denies' else 'did not enter'} {place.name}, a source said."
                mention = Mention(place, sentence, 1, stance, event, figure, rng.choice(["the ministry", None, "a monitor"]))
                day, rest = divmod(minute, 1440)
                published = f"2026-{10 + day // 28:02d}-{1 + day % 28:02d}T{rest // 60:02d}:{rest % 60:02d}:00Z"
                title = f"Report {made} on {place.name}: claims and denials"
                text = f"{sentence} Residents described heavy fighting. Officials gave conflicting accounts of {place.name}."
                batch.append(NewItem(Item(f"bench-{made}", title, text, f"https://bench.example/{made}", published),
                                     f"h{made}", f"https://bench.example/{made}", (mention,)))
                made += 1
            store.add_items(feeds[feed_index].id, batch, claims.assess, OUTLETS[feed_index], defer_claims=True)
        store.refresh_claims(claims.assess)
    return path
