"""Claims' aggregates are recomputed from a lean read of their mentions (``Store._claim_updates``:
no sentence text, the place and event taken from the claim, figures parsed once per distinct JSON).
They must come out exactly as assessing the whole mentions, in the same order, would make them."""

from __future__ import annotations

import pytest

import claims
import db._store as store_module
from claims.types import PRECISION_NEAR, Figure, Item, Mention, Place
from db import NewItem, Store

NOW = "2026-11-21T00:00:00.000000Z"
HAMA = Place("gn:170017", "Hama", "city", "Syria", "SY", "Hama", 35.13, 36.75)
HOMS = Place("gn:169577", "Homs", "city", "Syria", "SY", "Homs", 34.73, 36.71)
IDLIB = Place("gn:169389", "Idlib", "city", "Syria", "SY", "Idlib", 35.93, 36.63)


def said(place, stance, event="casualties", figures=(), by=None, index=0, precision=1, qualifier=None):
    return Mention(place, f"{place.name}: {event} {stance} by {by or 'the outlet'} ({len(figures)} figures).", index,
                   stance, event, tuple(figures), attributed_to=by, precision=precision, qualifier=qualifier)


def killed(value, qualifier=None):
    return Figure(value, "killed", qualifier, raw=f"{value} killed")


def item(guid, mentions, published):
    return NewItem(Item(guid, f"title {guid}", f"text of {guid}", None, published), f"hash-{guid}", None,
                   tuple(mentions))


def whole_mentions(store, claim_id):
    """A claim's mentions read whole (every column, sentence included), in publication order."""
    return store._mentions("WHERE m.claim_id = ? ORDER BY i.sort_at, m.id", [claim_id])


def claim_id(store, place, event):
    return store.db.execute("SELECT id FROM claims WHERE key = ?", [claims.claim_key(place.key, event)]).fetchone()[0]


@pytest.fixture
def store(tmp_path, monkeypatch):
    """Three outlets; items stored out of publication order (mention ids ascend unlike publication),
    one with no publication time; figures exact and vague, denials, attributions written two ways,
    sentence positions and precision that vary; and a claim (Idlib movement) whose every mention a
    re-extraction removed."""
    monkeypatch.setattr(store_module, "utcnow", lambda: NOW)
    with Store(tmp_path / "w.db") as s:
        a = s.add_feed("https://a.example/rss", outlet="A")
        b = s.add_feed("https://b.example/rss", outlet="B")
        c = s.add_feed("https://c.example/rss", outlet="C")
        # Stored first, published last: the ministry's 10 then 30 killed in Hama, the same day.
        s.add_items(b.id, [item("b1", [
            said(HAMA, "asserts", figures=[killed(10)], by="the health ministry", index=2),
            said(HAMA, "asserts", figures=[killed(30), Figure(4, "wounded")], by="Health Ministry", index=3),
            said(HOMS, "asserts", "control", by="the defence ministry", precision=PRECISION_NEAR,
                 qualifier="outskirts"),
            said(IDLIB, "reports", "movement"),
        ], "2026-11-20T12:00:00Z")], claims.assess, "B", defer_claims=True)
        # Published first: outlet A's own 10 killed in Hama. In publication order A's 10 is the low
        # figure of the conflict (another source than the ministry's 30: contested); in id order the
        # ministry's 10 would be (the same source as the high one: not contested).
        s.add_items(a.id, [
            item("a1", [said(HAMA, "reports", figures=[killed(10)], index=1),
                        said(IDLIB, "asserts", "attack", figures=[Figure(None, "killed", low=24, high=60,
                                                                         raw="dozens killed")])],
                 "2026-11-20T09:00:00Z"),
            item("a2", [said(HOMS, "denies", "control", by="Ministry of Defence", index=5),
                        said(IDLIB, "asserts", "attack", figures=[killed(40, "at least")], by="rescuers")],
                 "2026-11-19T23:30:00Z"),
        ], claims.assess, "A", defer_claims=True)
        s.add_items(c.id, [
            item("c1", [said(HAMA, "denies", figures=[killed(500)], by="the army", index=4),
                        said(HOMS, "reports", "control", by="a war monitor")], None),
            item("c2", [said(IDLIB, "reports", "attack", figures=[killed(90)], by="rescuers"),
                        said(HAMA, "reports", figures=[killed(12)], by="the observatory")], "2026-11-20T10:15:00Z"),
        ], claims.assess, "C", defer_claims=True)
        by_item = {item_id: list(s.item(item_id).mentions) for (item_id,) in s.db.execute("SELECT id FROM items")}
        s.reextract(lambda item_id, title, text: [m for m in by_item[item_id] if m.event != "movement"], claims.assess)
        yield s


def test_claim_updates_are_those_of_the_whole_mentions_in_publication_order(store):
    ids = [r[0] for r in store.db.execute("SELECT id FROM claims ORDER BY id")]
    versions = dict(store.db.execute("SELECT id, version FROM claims").fetchall())
    expected = [(i, versions[i], store_module._claim_update(i, whole_mentions(store, i), claims.assess, NOW))
                for i in ids]
    missing = max(ids) + 1  # a claim that does not exist gets no update

    assert store.assess_claims([*ids, missing], claims.assess) == expected

    # The store above exercises what the lean read must keep: one mention-less claim...
    by_id = {i: params for i, _version, (_sql, params) in expected}
    gone = claim_id(store, IDLIB, "movement")
    assert by_id[gone] == [NOW, gone]
    # ... the order (the same mentions in id order make another update: not contested)...
    hama = claim_id(store, HAMA, "casualties")
    assert "killed: 10 vs 30 on 2026-11-20" in by_id[hama][2]
    by_id_order = sorted(whole_mentions(store, hama), key=lambda m: m.id)
    assert store_module._claim_update(hama, by_id_order, claims.assess, NOW)[1] != by_id[hama]
    # ... denials, several outlets and originators, figures, and a mention with no publication time.
    assert '"denies": 1' in by_id[hama][3] and by_id[hama][4:6] == [3, 4] and '"best": 12' in by_id[hama][6]
    assert by_id[hama][7:10] == [5, "2026-11-20T09:00:00Z", "2026-11-20T12:00:00Z"]
    assert by_id[claim_id(store, HOMS, "control")][1] == 1  # asserted and denied


def test_assess_is_given_what_the_whole_mentions_say_in_their_order(store):
    """Whatever ``assess`` reads of what ``claims.assess`` reads, it finds the stored values."""
    def what(mentions):
        return [(m.place, m.event, m.stance, m.numbers, m.attributed_to, m.outlet, m.published) for m in mentions]

    given = []
    ids = [r[0] for r in store.db.execute("SELECT id FROM claims ORDER BY id")]
    store.assess_claims(ids, lambda mentions: given.append(what(mentions)) or claims.assess(mentions))
    assert given == [what(ms) for i in ids if (ms := whole_mentions(store, i))]


def test_refresh_claims_writes_what_assessing_the_whole_mentions_makes(store):
    columns = ("id, summary, contested, contest_reasons, stance_counts, outlets, originators, figures, "
               "mention_count, first_seen, last_seen, updated, dirty")
    ids = [r[0] for r in store.db.execute("SELECT id FROM claims ORDER BY id")]
    with store.write() as db:
        for i in ids:
            db.execute(*store_module._claim_update(i, whole_mentions(store, i), claims.assess, NOW))
        expected = db.execute(f"SELECT {columns} FROM claims ORDER BY id").fetchall()
        db.execute("UPDATE claims SET summary = '', figures = '[]', mention_count = -1, dirty = 1")
    assert store.refresh_claims(claims.assess) == len(ids)
    assert store.db.execute(f"SELECT {columns} FROM claims ORDER BY id").fetchall() == expected
