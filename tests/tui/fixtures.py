"""A small, fixed desk database built through the real Store API: three outlets, two days, three
places, one contested control claim, one casualty claim with figures far apart."""

from __future__ import annotations

from pathlib import Path

from claims.types import Assessment, Figure, FigureRange, Item, Mention, Place
from db import NewItem, Store

MOREK = Place("gn:169897", "Morek", "town", "Syria", "SY", "Hama", 35.38, 36.67)
HAMA = Place("gn:170017", "Hama", "city", "Syria", "SY", "Hama", 35.13, 36.75)
KAFR = Place("pattern:kafr nabudah", "Kafr Nabudah", "village", "Syria", "SY", None, None, None, "pattern")


def fixed_assess(mentions):
    """Deterministic, so snapshots do not move when the real assessment is tuned."""
    stances: dict[str, int] = {}
    for m in mentions:
        stances[m.stance] = stances.get(m.stance, 0) + 1
    values: dict[str, list[int]] = {}
    for m in mentions:
        for f in m.numbers:
            if f.value is not None:
                values.setdefault(f.what, []).append(f.value)
    figures = tuple(
        FigureRange(what, min(vs), sorted(vs)[len(vs) // 2], max(vs), f"median of {len(vs)} reports", tuple(sorted(vs)))
        for what, vs in values.items()
    )
    contested = ("asserts" in stances and "denies" in stances) or any(max(v) > 2 * min(v) for v in values.values())
    event = mentions[0].event if mentions else "other"
    place = mentions[0].place.name if mentions else "?"
    return Assessment(
        summary=f"{event} at {place}: {len(mentions)} reports",
        contested=contested,
        stance_counts=stances,
        outlets=len({m.outlet for m in mentions}),
        originators=len({m.attributed_to or m.outlet for m in mentions}),
        figures=figures,
    )


def _m(place, sentence, index, stance, event, numbers=(), who=None):
    return Mention(place, sentence, index, stance, event, tuple(numbers), attributed_to=who)


def _item(guid, title, sentences, published, mentions):
    text = " ".join(sentences)
    return NewItem(Item(guid, title, text, f"https://{guid}.example/", published), f"hash-{guid}", f"https://{guid}.example/", tuple(mentions))


ENTERED = "Rebel fighters entered the northern districts of Morek on Thursday, a local official said."
DENIED = "The defence ministry denied reports that rebels had entered Morek."
KILLED_300 = "At least 300 people were killed in the fighting around Hama, the monitor said."
KILLED_2000 = "Around 2,000 people were killed in the fighting around Hama, opposition channels claimed."


def build_desk_db(path: Path) -> Path:
    with Store(path) as store:
        levant = store.add_feed("https://levant.example/rss", outlet="Levant Wire")
        nna = store.add_feed("https://nna.example/rdf", outlet="National News Agency")
        orient = store.add_feed("https://orient.example/atom", outlet="Free Orient TV")
        store.add_items(levant.id, [
            _item("lw1", "Rebels push into Morek as army lines break",
                  [ENTERED, "Residents reported heavy shelling overnight.", KILLED_300],
                  "2026-11-19T08:10:00Z",
                  [_m(MOREK, ENTERED, 0, "asserts", "control", who="a local official"),
                   _m(HAMA, KILLED_300, 2, "asserts", "casualties", [Figure(300, "killed", "at least")], "the monitor")]),
            _item("lw2", "Hama hospital overwhelmed, doctors say",
                  ["Doctors in Hama said the main hospital was overwhelmed.", "Families fled toward Kafr Nabudah."],
                  "2026-11-20T09:30:00Z",
                  [_m(KAFR, "Families fled toward Kafr Nabudah.", 1, "asserts", "displacement")]),
        ], fixed_assess, "Levant Wire")
        store.add_items(nna.id, [
            _item("nna1", "Ministry: terrorists repelled north of Hama",
                  [DENIED, "Residents reported heavy shelling overnight.", "The army said its positions were intact."],
                  "2026-11-19T11:45:00Z",
                  [_m(MOREK, DENIED, 0, "denies", "control", who="the defence ministry")]),
        ], fixed_assess, "National News Agency")
        store.add_items(orient.id, [
            _item("fo1", "Opposition: thousands dead around Hama",
                  [KILLED_2000, "Rebel fighters entered Morek on Thursday, an official said."],
                  "2026-11-20T16:05:00Z",
                  [_m(HAMA, KILLED_2000, 0, "reports", "casualties", [Figure(2000, "killed", "around")], "opposition channels"),
                   _m(MOREK, "Rebel fighters entered Morek on Thursday, an official said.", 1, "asserts", "control", who="an official")]),
            _item("fo2", "Convoy seen leaving Kafr Nabudah",
                  ["A convoy was seen leaving Kafr Nabudah at dawn.", "Opposition channels claimed the garrison had left the town of Kafr Nabudah."],
                  "2026-11-21T06:20:00Z",
                  [_m(KAFR, "Opposition channels claimed the garrison had left the town of Kafr Nabudah.", 1, "reports", "control", who="opposition channels")]),
        ], fixed_assess, "Free Orient TV")
    return path


def add_item(path: Path, guid: str, title: str, published: str) -> int:
    """Another writer adds one item (as a fetcher would)."""
    with Store(path) as store:
        feed = store.add_feed("https://levant.example/rss", outlet="Levant Wire")
        (item_id,) = store.add_items(feed.id, [_item(guid, title, [f"{title}."], published, [])], fixed_assess, "Levant Wire")
    return item_id


def build_many_places_db(path: Path, places: int = 70, same_minute: int = 3) -> Path:
    """``places`` towns, one control claim each (two mentions), one newer than the next; every
    ``same_minute`` towns share a last-seen time, so paging must break ties the same way each page."""
    with Store(path) as store:
        feed = store.add_feed("https://levant.example/rss", outlet="Levant Wire")
        batch = []
        for n in range(places):
            town = Place(f"pattern:town {n}", f"Town {n:03d}", "town", "Syria", "SY", None, None, None, "pattern")
            minute = n // same_minute
            published = f"2026-11-{10 + minute // 60:02d}T{minute % 60 // 10:02d}:{minute % 10:02d}:00Z"
            said = f"Rebels entered Town {n:03d}, a local official said."
            denied = f"The ministry denied that rebels entered Town {n:03d}."
            batch.append(_item(f"t{n}", f"Fighting in Town {n:03d}", [said, denied], published,
                               [_m(town, said, 0, "asserts", "control"), _m(town, denied, 1, "denies", "control")]))
        store.add_items(feed.id, batch, fixed_assess, "Levant Wire")
    return path
