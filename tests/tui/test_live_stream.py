"""A desk while another writer keeps streaming items in: the editor's keys come first, live reloads
are coalesced (one in flight, the rest only mark the desk dirty), and a reload that read the
database before a verdict never puts the claim's old status back on screen."""

from __future__ import annotations

import asyncio
import threading

from db import Store
from tests.tui.conftest import settle
from tests.tui.fixtures import add_item, build_many_places_db
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp

SIZE = (140, 44)


def stream(path, stop: threading.Event, written: list[int]) -> None:
    """Another process's fetcher: one new item after another until told to stop."""
    n = 0
    while not stop.is_set():
        n += 1
        written.append(add_item(path, f"stream{n}", f"Streamed report {n}", f"2026-11-22T{8 + n // 60 % 12:02d}:{n % 60:02d}:00Z"))
        stop.wait(0.01)


async def test_a_verdict_shows_at_once_while_items_stream_in(desk_db):
    app = WiredeskApp(desk_db, "amira", poll_seconds=0.05)
    app.desk.reload_gap = 0.3
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        cursor = app.desk.queue.current_item
        await pilot.press("2")
        claim = app.desk.claims.selected_claim
        assert claim is not None and claim.status != "verified"
        stop, written = threading.Event(), []
        writer = threading.Thread(target=stream, args=(desk_db, stop, written))
        writer.start()
        try:
            for _ in range(200):  # live reloads are running while the editor works
                if app.desk.reloads >= 2:
                    break
                await pilot.pause(0.05)
            assert app.desk.reloads >= 2
            await pilot.press("v")
            shown = False
            for _ in range(40):
                await pilot.pause(0.05)
                if app.desk.claims.claims[claim.id].status == "verified" and "verified by amira" in screen_text(app):
                    shown = True
                    break
            assert shown, "the verdict waited for the stream"
            assert writer.is_alive() and not stop.is_set()  # shown while items still arrive
            # Further reloads, some of which read the database before the verdict, keep it on screen.
            reloads = app.desk.reloads
            for _ in range(200):
                if app.desk.reloads >= reloads + 2:
                    break
                await pilot.pause(0.05)
                assert app.desk.claims.claims[claim.id].status == "verified"
            assert app.desk.reloads >= reloads + 2
        finally:
            stop.set()
            await asyncio.to_thread(writer.join)
        await pilot.pause(app.desk.reload_gap + 0.2)
        await settle(pilot)
        for _ in range(100):  # the last change is reloaded too (it was marked dirty, not dropped)
            if written[-1] in app.desk.queue.item_ids:
                break
            await pilot.pause(0.05)
            await settle(pilot, rounds=1)
        assert written[-1] in app.desk.queue.item_ids
        assert app.desk.queue.current_item == cursor
        assert app.desk.claims.selected_claim.id == claim.id
        assert app.desk.claims.claims[claim.id].status == "verified"
        assert "verified by amira" in screen_text(app)
    with Store(desk_db) as store:
        assert store.last_verdict(claim.id).status == "verified"


async def test_rapid_changes_start_one_reload_and_mark_the_rest_dirty(desk_db):
    app = WiredeskApp(desk_db, "amira", poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        desk = app.desk
        desk.reload_gap = 0
        for n in range(20):  # all queued before the first reload can finish
            desk.post_message(desk.DatabaseChanged(n))
        await settle(pilot)
        await pilot.pause(0.1)
        await settle(pilot)
        assert desk.reloads == 2  # the first, then one for the 19 changes seen while it ran
        desk.reload_gap = 3600  # a fetch streaming in: the next reload only after the gap
        for n in range(20):
            desk.post_message(desk.DatabaseChanged(100 + n))
        await settle(pilot)
        assert desk.reloads == 2  # marked dirty, one timer waiting for the gap
        assert desk._live_dirty and desk._live_timer is not None


async def test_a_reload_read_before_a_verdict_does_not_undo_it_on_screen(desk_db):
    app = WiredeskApp(desk_db, "amira", poll_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claim = app.desk.claims.selected_claim
        stale = list(app.desk.claims.cards)  # what a reload that began before the verdict reads
        before = app.desk._verdicts_shown
        await pilot.press("v")
        await settle(pilot)
        assert app.desk.claims.claims[claim.id].status == "verified"
        app.desk.post_message(app.desk.CardsLoaded(stale, None, None, verdicts_seen=before))
        await settle(pilot)
        assert app.desk.claims.claims[claim.id].status == "verified"
        assert "verified by amira" in screen_text(app)
        # A read that began after the verdict is trusted: here the claim was undone meanwhile.
        await pilot.press("z")
        await settle(pilot)
        assert app.desk.claims.claims[claim.id].status == claim.status


def test_place_names_lists_every_place_by_activity(desk_db):
    with Store(desk_db) as store:
        cards = store.place_cards(with_mentions=False)
        assert store.place_names() == [(c.place.name, c.place.key) for c in cards]


async def test_another_editors_verdict_redraws_only_its_claim(tmp_path):
    db = build_many_places_db(tmp_path / "many.db", places=40)
    app = WiredeskApp(db, "amira", poll_seconds=0.05)
    app.desk.reload_gap = 0
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", *"jjjjjjjj")
        await settle(pilot)
        claims = app.desk.claims
        highlighted, scroll, selected = claims.highlighted, claims.scroll_y, claims.selected_claim
        other = next(c for c in claims.claims.values() if c.id != selected.id)
        options = [claims.get_option_at_index(i) for i in range(claims.option_count)]
        reloads = app.desk.reloads
        with Store(db) as store:
            store.add_verdict(other.id, "disputed", "basel")
        for _ in range(100):
            await pilot.pause(0.05)
            if claims.claims[other.id].status == "disputed":
                break
        await settle(pilot)
        assert app.desk.reloads > reloads and claims.claims[other.id].status == "disputed"
        assert (claims.highlighted, claims.scroll_y, claims.selected_claim.id) == (highlighted, scroll, selected.id)
        # The same options, not a rebuilt list: only the changed claim's prompt was replaced.
        assert all(claims.get_option_at_index(i) is option for i, option in enumerate(options))
