"""Who a figure counts ("27 civilians wounded") is stored with the mention and with the claim's figure
ranges, and read back; mentions stored before figures had a group read as counting people in general."""

from __future__ import annotations

import json

import claims
from claims.types import Figure, Item, Mention, Place
from db import NewItem, Store
from wiredesk import serialise

MHARDEH = Place("gn:166365", "Mhardeh", "town", "Syria", "SY", "Hama", 35.25, 36.57)


def wounded(value, who=None):
    return Figure(value, "wounded", raw=f"{value} wounded", who=who)


def mention(figure, by):
    return Mention(MHARDEH, f"{figure.value} wounded in Mhardeh, {by} said.", 1, "asserts", "casualties", (figure,),
                   attributed_to=by)


def test_a_figures_group_is_stored_read_back_and_kept_apart_in_the_claim(tmp_path):
    with Store(tmp_path / "w.db") as store:
        feed = store.add_feed("https://a.example/rss", outlet="A")
        store.add_items(feed.id, [
            NewItem(Item("a1", "t1", "x1", None, "2026-11-21T08:00:00Z"), "h1", None,
                    (mention(wounded(27, "civilians"), "the health directorate"),)),
            NewItem(Item("a2", "t2", "x2", None, "2026-11-21T09:00:00Z"), "h2", None,
                    (mention(wounded(200), "a surgeon"),)),
        ], claims.assess, "A")
        (claim_id,) = store.db.execute("SELECT id FROM claims").fetchone()
        view = store.claim(claim_id)
        assert sorted((f.value, f.who) for m in view.mentions for f in m.numbers) == [(27, "civilians"), (200, None)]
        assert not view.contested
        assert {(r.counted, r.best) for r in view.figures} == {("civilians wounded", 27), ("wounded", 200)}
        # The JSON of the CLI and the digest says who, null when the copy does not.
        assert sorted((r["best"], r["who"]) for r in map(serialise.range_json, view.figures)) == [
            (27, "civilians"), (200, None)]

        # A mention stored before figures had a group: its JSON has no "who".
        with store.write() as db:
            db.execute("""UPDATE mentions SET numbers = '[{"value": 27, "what": "wounded", "qualifier": null,
                          "low": null, "high": null, "raw": "27 wounded"}]' WHERE numbers LIKE '%civilians%'""")
            db.execute("UPDATE claims SET dirty = 1")
        store.refresh_claims(claims.assess)
        view = store.claim(claim_id)
        assert sorted((f.value, f.who) for m in view.mentions for f in m.numbers) == [(27, None), (200, None)]
        assert view.contested and view.contest_reasons == ("wounded: 27 vs 200 on 2026-11-21",)
        assert all("who" not in json.loads(n) for (n,) in store.db.execute("SELECT figures FROM claims"))
