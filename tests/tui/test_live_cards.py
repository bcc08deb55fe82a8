"""The claims pane while reports arrive: the claim the editor is reading stays where it is on screen
when other places' cards move above or below it."""

from __future__ import annotations

import asyncio
import re

from db import Store
from tests.tui.conftest import settle
from tests.tui.fixtures import _item, _m, build_many_places_db, fixed_assess
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp
from tui.widgets import ClaimsList
from claims.types import Place

SIZE = (120, 40)


def claim_row(app, claim_id: int) -> int | None:
    """The screen row of the claim's status line in the claims pane, if it shows."""
    region = app.desk.claims.region
    lines = screen_text(app).splitlines()
    for y in range(region.y, region.bottom):
        if re.search(rf"^  (UNVERIFIED|VERIFIED|DISPUTED) .*#{claim_id}\b", lines[y][region.x : region.right]):
            return y
    return None


def report_about(path, n: int, guid: str, published: str) -> None:
    """Another writer (a fetcher) stores a new report about Town n: its card becomes the newest."""
    town = Place(f"pattern:town {n}", f"Town {n:03d}", "town", "Syria", "SY", None, None, None, "pattern")
    said = f"Rebels shelled Town {n:03d} again, residents said."
    with Store(path) as store:
        feed = store.add_feed("https://levant.example/rss", outlet="Levant Wire")
        store.add_items(feed.id, [_item(guid, f"Town {n:03d} shelled", [said], published,
                                        [_m(town, said, 0, "asserts", "control")])], fixed_assess, "Levant Wire")


async def test_the_highlighted_claim_stays_on_its_row_when_another_card_moves_above_it(tmp_path):
    """The editor reads the fourth card's claim; a report about the oldest place arrives and its card
    moves to the top. The highlight stayed on the claim, but the claim slid down the pane by the
    height of that card (and jumped back up when the next report moved a card the other way)."""
    db = build_many_places_db(tmp_path / "w.db", places=10, same_minute=1)
    app = WiredeskApp(db, "amira", poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "j", "j", "j")
        await settle(pilot)
        claims: ClaimsList = app.desk.claims
        chosen = claims.selected_claim.id
        row = claim_row(app, chosen)
        assert row is not None
        oldest = claims.cards[-1].place.key
        reloads = app.desk.reloads
        await asyncio.to_thread(report_about, db, 0, "late0", "2026-11-12T00:00:00Z")
        for _ in range(100):
            await settle(pilot, rounds=1)
            if app.desk.reloads > reloads and claims.cards[0].place.key == oldest:
                break
            await asyncio.sleep(0.05)
        assert claims.cards[0].place.key == oldest  # the card did move to the top
        await settle(pilot)
        assert claims.selected_claim.id == chosen
        assert claim_row(app, chosen) == row


async def test_the_highlighted_claim_stays_on_its_row_when_a_claim_above_it_grows(tmp_path):
    """Another editor notes the first card's claim: it gains a note line, redrawn in place, and every
    claim below it moved down a row."""
    db = build_many_places_db(tmp_path / "w.db", places=10, same_minute=1)
    app = WiredeskApp(db, "amira", poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "j", "j")
        await settle(pilot)
        claims: ClaimsList = app.desk.claims
        chosen = claims.selected_claim.id
        first = claims.cards[0].claims[0].id
        row = claim_row(app, chosen)
        with Store(db) as store:
            store.add_verdict(first, "disputed", "basel", "the ministry's denial is the only source")
        for _ in range(100):
            await settle(pilot, rounds=1)
            if claims.claims[first].status == "disputed":
                break
            await asyncio.sleep(0.05)
        assert "note: the ministry's denial" in screen_text(app)
        assert claims.selected_claim.id == chosen
        assert claim_row(app, chosen) == row
