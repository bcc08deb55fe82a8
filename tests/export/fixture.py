"""A fixed desk database for digest tests: three places, verdicts by two editors, hostile feed text."""

from __future__ import annotations

import itertools
from pathlib import Path

import claims
import db._store as store_module
from claims.types import Figure, Item, Mention, Place
from db import NewItem, Store

HAMA = Place("gn:170017", "Hama", "city", "Syria", "SY", "Hama", 35.13, 36.75, "geonames", "country:SY")
MOREK = Place("gn:166640", "Morek", "town", "Syria", "SY", "Hama", 35.37, 36.68, "geonames", "country:SY")
SARAQIB = Place("gn:163270", "Saraqib", "town", "Syria", "SY", "Idlib", 35.86, 36.80, "geonames", "country:SY")
HOSTILE = 'Strike <script>alert(1)</script> [bold]x[/bold] <img src=x onerror="alert(2)"> *boom* [link](javascript:alert(3))'


def m(place, stance, event, sentence, who=None, figures=(), qualifier=None):
    return Mention(place, sentence, 1, stance, event, tuple(figures), who, precision=2 if qualifier else 1,
                   qualifier=qualifier)


def build(path: Path, monkeypatch) -> Store:
    clock = (f"2026-11-21T{h:02d}:{mi:02d}:00.000000Z" for h, mi in itertools.product(range(10, 24), range(0, 60, 5)))
    monkeypatch.setattr(store_module, "utcnow", lambda: next(clock))
    store = Store(path)
    lw = store.add_feed("https://lw.example/rss", outlet="Levant Wire")
    nna = store.add_feed("https://nna.example/rdf", outlet="National News Agency")
    fo = store.add_feed("https://fo.example/atom", outlet="Free Orient TV")

    def item(feed, guid, title, published, mentions, link=None):
        store.add_items(feed.id, [NewItem(Item(guid, title, title, link or f"https://x.example/{guid}", published),
                                          f"h-{guid}", link or f"https://x.example/{guid}", tuple(mentions))],
                        claims.assess, feed.outlet)

    item(fo, "fo1", "Factions storm Morek", "2026-11-20T05:55:00Z",
         [m(MOREK, "asserts", "control", "Factions stormed Morek and took control of the town.", "the operations room")])
    item(lw, "lw1", "Rebels say they entered Morek", "2026-11-20T06:48:00Z",
         [m(MOREK, "reports", "control", "Rebels said they had entered Morek.", "rebels")])
    item(nna, "nna1", "Reports of entry into Morek false", "2026-11-20T07:05:00Z",
         [m(MOREK, "denies", "control", "The Defence Ministry said reports of entry into Morek were false.", "the defence ministry")])
    item(lw, "lw2", "Death toll disputed", "2026-11-20T17:54:00Z",
         [m(HAMA, "asserts", "casualties", "At least 300 people were killed, the monitor said.", "the monitor", [Figure(300, "killed", "at least")]),
          m(HAMA, "asserts", "casualties", "The ministry said more than 1,000 militants were killed.", "the defence ministry", [Figure(1000, "killed", "more than")])])
    item(fo, "fo2", HOSTILE, "2026-11-20T11:30:00Z",
         [m(SARAQIB, "asserts", "attack", HOSTILE, "hospital sources", [Figure(14, "killed")])],
         link="javascript:alert(4)")
    item(lw, "lw3", "Shelling on the road to Saraqib", "2026-11-20T12:10:00Z",
         [m(SARAQIB, "asserts", "attack", "Shells fell on farms on the road to Saraqib, residents said.", "residents",
            qualifier="road to")])
    cards = {c.place.name: c for c in store.place_cards()}
    morek = cards["Morek"].claims[0].id
    hama = cards["Hama"].claims[0].id
    saraqib = cards["Saraqib"].claims[0].id
    store.add_verdict(morek, "disputed", "ana", "Ministry denial; no independent confirmation")
    store.add_verdict(hama, "verified", "ben", "Monitor figure; ministry figure noted")
    store.add_verdict(saraqib, "verified", "ana", 'Hospital confirmed <b>14</b> "dead"')
    return store
