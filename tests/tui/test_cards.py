"""The claims pane on a desk with more places than one page: cards page in as the editor moves or
scrolls, and a verdict redraws only its own claim while the card keeps every claim."""

from __future__ import annotations

import re
from dataclasses import replace

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


# -- the card header of the highlighted claim stays in view (80x24, the sample wire) ---------------

NARROW = (80, 24)


def claims_lines(app) -> list[str]:
    region = app.desk.claims.region
    lines = screen_text(app).splitlines()
    return [lines[y][region.x : region.right] for y in range(region.y, region.bottom)]


def assert_claim_and_header_shown(app) -> None:
    claims: ClaimsList = app.desk.claims
    claim = claims.selected_claim
    card = next(card for card in claims.cards if any(c.id == claim.id for c in card.claims))
    lines = claims_lines(app)
    header = [n for n, line in enumerate(lines) if line.startswith(f"▌{card.place.name}  ")]
    head = [n for n, line in enumerate(lines) if re.search(rf"^  (UNVERIFIED|VERIFIED|DISPUTED) .*#{claim.id}\b", line)]
    assert header, f"the card header of {card.place.name} is not on screen:\n" + "\n".join(lines)
    assert head, f"claim #{claim.id} is not on screen:\n" + "\n".join(lines)
    assert header[0] < head[0]


async def test_the_card_header_of_the_highlighted_claim_stays_in_view(demo_db):
    app = WiredeskApp(demo_db, "amira", poll_seconds=30)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        claims: ClaimsList = app.desk.claims
        first_card = claims.cards[0]
        assert len(first_card.claims) >= 3  # claims taller than the pane among them
        assert_claim_and_header_shown(app)
        for claim in first_card.claims[1:]:
            await pilot.press("j")
            await settle(pilot)
            assert claims.selected_claim.id == claim.id
            assert_claim_and_header_shown(app)
        await pilot.press("j")  # into the next card: its own header
        await settle(pilot)
        assert_claim_and_header_shown(app)
        for _ in range(len(first_card.claims)):
            await pilot.press("k")
            await settle(pilot)
            assert_claim_and_header_shown(app)
        await pilot.press("j", "j", "home")
        await settle(pilot)
        assert claims.selected_claim.id == first_card.claims[0].id
        assert_claim_and_header_shown(app)


async def test_k_on_the_first_claim_stays_there_as_in_the_queue(demo_db):
    app = WiredeskApp(demo_db, "amira", poll_seconds=30)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("k")
        assert app.desk.queue.cursor_row == 0  # the queue does not wrap
        await pilot.press("2")
        await settle(pilot)
        claims: ClaimsList = app.desk.claims
        first = claims.selected_claim.id
        assert first == claims.cards[0].claims[0].id
        await pilot.press("k")
        await settle(pilot)
        assert claims.selected_claim.id == first
        assert_claim_and_header_shown(app)
        while claims.more:  # later pages load as the highlight nears the end
            await pilot.press("end")
            await settle(pilot)
        await pilot.press("end")  # the last claim of all
        await settle(pilot)
        last = claims.selected_claim.id
        assert last == claims.cards[-1].claims[-1].id
        await pilot.press("j")
        await settle(pilot)
        assert claims.selected_claim.id == last  # nor at the end


async def test_after_an_undo_the_card_credits_the_verdict_it_brought_back(desk_db):
    """Root verified with a note; amira disputes and undoes: the card says verified by root with root's
    note (the undo is in the history), and undoing the first verdict leaves no one credited."""
    with Store(desk_db) as store:
        claim_id = sorted(c.id for card in store.place_cards() for c in card.claims)[0]
        store.add_verdict(claim_id, "verified", "root", "NNA and Levant agree")
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        while app.desk.claims.selected_claim.id != claim_id:
            await pilot.press("j")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        claim = app.desk.claims.selected_claim
        assert claim.id == claim_id and claim.status == "verified"
        text = screen_text(app)
        assert "verified by root" in text and "note: NNA and Levant agree" in text
        assert "by amira" not in text and "undo of" not in text
    with Store(desk_db) as store:
        assert [(v.editor, v.status) for v in store.history(claim_id)] == [
            ("root", "verified"), ("amira", "disputed"), ("amira", "verified")]
        assert "verdict" not in store.history(claim_id)[-1].note  # no internal ids in the log an editor reads
        store.undo("root", claim_id)  # root's undo of the only other decision: back to none
        [card_claim] = [c for card in store.place_cards() for c in card.claims if c.id == claim_id]
        assert card_claim.status == "unverified" and card_claim.decision is None


# -- working down a filtered list -------------------------------------------------------------------


async def test_a_verdict_that_takes_its_claim_off_a_status_filter_leaves_the_highlight_where_it_was(desk_db):
    """Filtered to unverified claims, the editor verifies one: the live reload that follows drops it
    from the list, and the highlight goes to the claim after it, not back to the first card."""
    import asyncio

    app = WiredeskApp(desk_db, "amira", poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        desk = app.desk
        desk._apply_filters(replace(desk.filters, status="unverified"))
        await settle(pilot)
        await pilot.press("2", "j")
        claims: ClaimsList = desk.claims
        order = list(claims.claims)
        assert len(order) >= 3
        chosen = claims.selected_claim
        assert chosen.id == order[1]
        reloads = desk.reloads
        await pilot.press("v")
        for _ in range(100):  # the poll sees the verdict's write and reloads the filtered list
            await settle(pilot, rounds=1)
            if chosen.id not in claims.claims and desk.reloads > reloads:
                break
            await asyncio.sleep(0.05)
        assert chosen.id not in claims.claims
        assert claims.selected_claim is not None and claims.selected_claim.id == order[2]


async def test_the_outlet_filter_keeps_a_claim_the_outlet_reported_before_its_newest_mentions(tmp_path):
    """A card shows each claim's newest mentions only; a claim one outlet reported early on, and
    others a dozen times since, is still that outlet's claim under its filter."""
    from claims.types import Place
    from tests.tui.fixtures import _item, _m, fixed_assess
    from tui.screens.desk import MENTIONS_SHOWN

    suran = Place("gn:163915", "Suran", "town", "Syria", "SY", "Hama", 35.29, 36.74)
    db = tmp_path / "busy.db"
    with Store(db) as store:
        nna = store.add_feed("https://nna.example/rdf", outlet="National News Agency")
        levant = store.add_feed("https://levant.example/rss", outlet="Levant Wire")
        denied = "The army denied that rebels had entered Suran."
        store.add_items(nna.id, [_item("n0", "Army: Suran secure", [denied], "2026-11-19T06:00:00Z",
                                       [_m(suran, denied, 0, "denies", "control")])], fixed_assess, "National News Agency")
        later = []
        for n in range(MENTIONS_SHOWN + 1):
            said = f"Rebels entered Suran, report {n} said."
            later.append(_item(f"l{n}", f"Suran update {n}", [said], f"2026-11-20T{n:02d}:00:00Z",
                               [_m(suran, said, 0, "asserts", "control")]))
        store.add_items(levant.id, later, fixed_assess, "Levant Wire")
    app = WiredeskApp(db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (claim,) = app.desk.claims.claims.values()
        assert "National News Agency" not in {m.outlet for m in claim.mentions}  # older than those on the card
        app.desk._apply_filters(replace(app.desk.filters, outlet="National News Agency"))
        await settle(pilot)
        assert list(app.desk.claims.claims) == [claim.id]
        assert "No claims match" not in screen_text(app)
        # The card shows what the outlet said, and says the others' mentions are not shown.
        (shown,) = app.desk.claims.claims.values()
        assert [(m.outlet, m.sentence) for m in shown.mentions] == [("National News Agency", denied)]
        text = screen_text(app)
        assert "The army denied that" in text and "Rebels entered Suran" not in text
        assert f"+ {MENTIONS_SHOWN + 1} more mentions, not shown: only National News Agency's are" in text
        # A verdict made there is on the claim, as anywhere: it rests on all the claim's mentions.
        await pilot.press("2", "v")
        await settle(pilot)
        with Store(db) as store:
            verdict = store.last_verdict(claim.id)
        assert verdict.status == "verified" and len(verdict.evidence) == MENTIONS_SHOWN + 2
        (redrawn,) = app.desk.claims.claims.values()
        assert redrawn.status == "verified" and [m.outlet for m in redrawn.mentions] == ["National News Agency"]


def test_a_mention_near_the_place_says_so_on_the_card(demo_db):
    # "rebels took control of the village of Tell Qasra and two military positions near Suran": on
    # "Control of Suran" the editor must tell that sentence from one about the town itself.
    from claims import claim_key
    from tui.widgets.cards import claim_content

    with Store(demo_db) as store:
        (claim_id,) = store.db.execute("SELECT id FROM claims WHERE key = ?",
                                       [claim_key("gn:163915", "control")]).fetchone()
        claim = store.claim(claim_id)
    lines = claim_content(claim).plain.splitlines()
    near = [line for line in lines if "two military positions near Suran" in line]
    assert near and all("[near Suran]" in line for line in near)
    town = [line for line in lines if "took control of the town of Suran" in line]
    assert town and not any("[" in line for line in town)
