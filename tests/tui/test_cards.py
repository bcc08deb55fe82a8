"""The claims pane on a desk with more places than one page: cards page in as the editor moves or
scrolls, and a verdict redraws only its own claim while the card keeps every claim."""

from __future__ import annotations

from db import Store
from tests.tui.conftest import settle
from tests.tui.fixtures import build_many_places_db
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp
from tui.screens.desk import CARDS_PAGE, FIRST_CARDS_PAGE
from tui.widgets import ClaimsList, KeyBar

SIZE = (120, 40)


def all_places(db) -> list[str]:
    with Store(db) as store:
        return [card.place.name for card in store.place_cards()]


async def test_moving_down_a_long_card_list_loads_later_cards_in_order(tmp_path):
    db = build_many_places_db(tmp_path / "many.db", places=70)
    app = WiredeskApp(db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        claims = app.desk.claims
        # The first page, and one more at once when it does not fill the pane and two screens more
        # (these cards are one claim each): not every place.
        assert len(claims.cards) == FIRST_CARDS_PAGE + CARDS_PAGE < 70
        assert "Town 069" in screen_text(app)  # the newest first
        await pilot.press("2")
        for _ in range(5):
            await pilot.press("end")
            await settle(pilot)
        places = all_places(db)
        assert [card.place.name for card in claims.cards] == places
        assert claims.selected_claim.place.name == places[-1]  # the oldest (ties by place key)
        assert places[-1] in screen_text(app)
        assert not claims.more


async def test_scrolling_the_card_list_loads_later_cards(tmp_path):
    db = build_many_places_db(tmp_path / "many.db", places=70)
    app = WiredeskApp(db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        claims = app.desk.claims
        first = claims.selected_claim
        for _ in range(4):
            claims.scroll_end(animate=False, immediate=True)
            await settle(pilot)
        assert len(claims.cards) == 70
        assert len({card.place.key for card in claims.cards}) == 70
        claims.scroll_end(animate=False, immediate=True)
        await settle(pilot)
        assert all_places(db)[-1] in screen_text(app)
        assert claims.selected_claim == first  # scrolling moved no highlight


async def test_verdict_redraws_only_its_claim_and_the_card_keeps_all_claims(desk_db):
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "j")
        claims: ClaimsList = app.desk.claims
        chosen = claims.selected_claim
        card = next(c for c in claims.cards if any(cl.id == chosen.id for cl in c.claims))
        before = {claims.get_option_at_index(i).id: claims.get_option_at_index(i).prompt for i in range(claims.option_count)}
        await pilot.press("v")
        await settle(pilot)
        after = {claims.get_option_at_index(i).id: claims.get_option_at_index(i).prompt for i in range(claims.option_count)}
        assert list(after) == list(before)  # same options, same order: nothing rebuilt or dropped
        changed = {option_id for option_id in before if after[option_id] is not before[option_id]}
        assert changed == {f"claim:{chosen.id}", f"place:{card.place.key}"}
        assert claims.claims[chosen.id].status == "verified"
        assert [c.id for c in next(c for c in claims.cards if c.place.key == card.place.key).claims] == [c.id for c in card.claims]
        assert {c.id: c.status for c in claims.claims.values() if c.id != chosen.id} == {
            c.id: c.status for c in claims.claims.values() if c.id != chosen.id and c.status == "unverified"
        }
        # The shifted line map equals one measured from scratch, so every later claim is where it is drawn.
        lines = list(claims._lines)
        claims._clear_caches()
        assert list(claims._lines) == lines
        text = screen_text(app)
        assert "VERIFIED" in text and "verified by amira" in text


async def test_key_bar_lists_the_keys_and_a_click_presses_one(desk_db):
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = screen_text(app).splitlines()[-1]
        for label in ("1 Queue", "2 Claims", "v Verified", "z Undo", "/ Search", "? Help", "q Quit", "^p palette"):
            assert label in line
        await pilot.click(bar, offset=(line.index("2 Claims") + 2, 0))
        await settle(pilot)
        assert isinstance(app.focused, ClaimsList)


async def test_a_plain_verdict_is_confirmed_in_the_status_line_not_a_toast(desk_db):
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claim = app.desk.claims.selected_claim
        await pilot.press("v")
        await settle(pilot)
        status = screen_text(app).splitlines()[-2]
        assert f"#{claim.id}" in status and "marked verified" in status
        assert not list(app._notifications)
        await pilot.press("z")
        await settle(pilot)
        assert "is unverified again" in screen_text(app).splitlines()[-2]
        assert not list(app._notifications)
