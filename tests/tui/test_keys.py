"""Every key of DESIGN.md §6, pressed in a real app on a real database: what the screen and the
database show afterwards."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path

from textual import events

from db import Store
from tests.tui.conftest import settle
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp
from tui.screens import (
    ExportDialog,
    FeedHealthScreen,
    FilterDialog,
    HelpScreen,
    ItemScreen,
    NoteDialog,
    SearchDialog,
)
from tui.widgets import ClaimsList, DiffScroll, QueueTable

SIZE = (120, 40)


def make_app(db: Path, **kwargs) -> WiredeskApp:
    return WiredeskApp(db, "amira", poll_seconds=0.1, **kwargs)


def verdicts(db: Path) -> list[tuple]:
    with Store(db) as store:
        return store.db.execute("SELECT claim_id, status, editor, note, undoes FROM verdicts ORDER BY id").fetchall()


async def test_queue_shows_newest_first_with_unread_cluster_and_claims(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.desk.queue
        assert app.focused is queue
        assert queue.row_count == 5
        text = screen_text(app)
        assert text.index("Convoy seen leaving") < text.index("Rebels push into Morek")
        assert "●" in text and "21 Nov 06:20" in text
        # The claim count at the row's right edge, under "Claims" (it was "2 claims" after the outlet).
        assert re.search(r"Item +Claims │", text) and re.search(r"20 Nov 16:05  Free Orient TV +2 │", text)
        assert "5 items" in text


async def test_number_keys_and_tab_focus_the_panes(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        assert isinstance(app.focused, ClaimsList)
        assert "2 Claims" in screen_text(app)
        await pilot.press("3")
        assert isinstance(app.focused, DiffScroll)
        assert "No reports to compare yet" in screen_text(app)
        await pilot.press("1")
        assert isinstance(app.focused, QueueTable)
        await pilot.press("tab")
        assert isinstance(app.focused, ClaimsList)
        await pilot.press("tab")
        assert isinstance(app.focused, DiffScroll)
        await pilot.press("tab")
        assert isinstance(app.focused, QueueTable)


async def test_j_k_and_arrows_move_in_queue_and_claims(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.desk.queue
        assert queue.cursor_row == 0
        await pilot.press("j", "j")
        assert queue.cursor_row == 2
        await pilot.press("k")
        assert queue.cursor_row == 1
        await pilot.press("down")
        assert queue.cursor_row == 2
        await pilot.press("up")
        assert queue.cursor_row == 1
        await pilot.press("2")
        claims = app.desk.claims
        first = claims.selected_claim.id
        await pilot.press("j")
        second = claims.selected_claim.id
        assert second != first
        await pilot.press("k")
        assert claims.selected_claim.id == first
        await pilot.press("down")
        assert claims.selected_claim.id == second


async def test_focusing_claims_selects_first_claim_of_first_card(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claims = app.desk.claims
        first_card = claims.cards[0]
        assert claims.selected_claim is not None
        assert claims.selected_claim.id == first_card.claims[0].id


async def test_enter_opens_the_item_and_marks_it_read(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemScreen)
        text = screen_text(app)
        assert "Opposition: thousands dead around Hama" in text
        assert "Around 2,000 people were killed" in text
        assert "Claims in this item" in text and "2,000 killed" in text
        with Store(desk_db) as store:
            assert store.item(app.screen.detail.row.id).row.read
        opened = app.screen.detail.row
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk
        row = app.desk.queue._rows[app.screen.queue.current_item]
        assert row.read
        # and on screen: the unread dot is gone from its row in the repaint that shows the desk
        lines = screen_text(app).splitlines()
        at = next(i for i, ln in enumerate(lines) if opened.title[:20] in ln)  # the row's second line
        queue_column = lambda ln: ln.split("││")[0]  # noqa: E731
        assert "●" not in queue_column(lines[at - 1]) + queue_column(lines[at])
        assert "●" in "".join(queue_column(ln) for ln in lines)  # other rows are still unread


async def test_v_d_u_set_status_stored_and_shown(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claim = app.desk.claims.selected_claim
        await pilot.press("v")
        await settle(pilot)
        assert verdicts(desk_db)[-1][:3] == (claim.id, "verified", "amira")
        assert app.desk.claims.claims[claim.id].status == "verified"
        assert "VERIFIED" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert verdicts(desk_db)[-1][:2] == (claim.id, "disputed")
        assert "DISPUTED" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert verdicts(desk_db)[-1][:2] == (claim.id, "unverified")
        assert len(verdicts(desk_db)) == 3


async def test_verdict_tells_what_changed_since_the_editor_looked(desk_db):
    app = make_app(desk_db, )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claim = app.desk.claims.selected_claim
        with Store(desk_db) as store:  # another editor, unseen by this screen yet
            store.add_verdict(claim.id, "disputed", "basel")
        await pilot.press("v")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("replaced disputed by basel" in m for m in messages)


async def test_n_adds_a_note_keeping_the_status(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "v")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"ministry only")
        await pilot.press("enter")
        await settle(pilot)
        last = verdicts(desk_db)[-1]
        assert last[1:4] == ("verified", "amira", "ministry only")
        assert "ministry only" in screen_text(app)


async def test_z_undoes_by_appending(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "d")
        await settle(pilot)
        claim = app.desk.claims.selected_claim
        await pilot.press("z")
        await settle(pilot)
        rows = verdicts(desk_db)
        assert [r[1] for r in rows] == ["disputed", "unverified"]
        assert rows[-1][4] is not None  # undoes the first
        assert app.desk.claims.claims[claim.id].status == "unverified"
        await pilot.press("z")
        await settle(pilot)
        assert any("Nothing of yours to undo" in n.message for n in app._notifications)


async def test_verdict_without_a_selected_claim_warns(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert verdicts(desk_db) == []
        assert any("Select a claim" in n.message for n in app._notifications)


async def test_enter_on_claim_diffs_its_two_most_disagreeing_reports(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claims = app.desk.claims
        morek = next(c for c in claims.claims.values() if c.place.name == "Morek")
        while claims.selected_claim.id != morek.id:
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, DiffScroll)
        text = screen_text(app)
        assert app.desk.diff_view.caption.endswith("asserts (Levant Wire) vs denies (National News Agency)")
        assert "asserts (Levant Wire) vs denies" in text
        assert "[denies · Morek]" in text and "[asserts · Morek]" in text
        assert "Residents reported heavy" in text


async def test_space_picks_two_items_and_enter_shows_their_diff(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "space", "j", "j", "space")
        await settle(pilot)
        assert app.desk.picked == (4, 3)
        assert "2 picked for diff" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, DiffScroll)
        text = screen_text(app)
        assert "#4 Free Orient TV" in text and "#3 National News Agency" in text
        await pilot.press("1", "escape")
        await settle(pilot)
        assert app.desk.picked == ()


async def test_slash_searches_the_items(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchDialog)
        await pilot.press(*"convoy", "enter")
        await settle(pilot)
        assert app.desk.queue.row_count == 1
        text = screen_text(app)
        assert "Convoy seen leaving" in text and "Rebels push" not in text
        assert "search “convoy”" in text
        await pilot.press("slash", "ctrl+u", "enter")
        await settle(pilot)
        assert app.desk.queue.row_count == 5


async def test_f_filters_by_outlet_status_contested_and_unread(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        assert "Levant Wire" in dialog.outlets
        dialog.query_one("#filter-outlet").value = "Levant Wire"
        dialog.query_one("#filter-contested").value = True
        await pilot.click("#apply")
        await settle(pilot)
        desk = app.desk
        assert desk.filters.outlet == "Levant Wire" and desk.filters.contested
        assert set(r.outlet for r in desk.queue._rows.values()) == {"Levant Wire"}
        assert all(c.contested for c in desk.claims.claims.values())
        assert "outlet Levant Wire" in screen_text(app) and "contested only" in screen_text(app)
        await pilot.press("f")
        await settle(pilot)
        await pilot.click("#clear")
        await settle(pilot)
        assert desk.queue.row_count == 5


async def test_e_exports_through_the_injected_exporter(desk_db, tmp_path):
    calls = []

    def export_digest(fmt: str, path: str) -> str:
        calls.append((fmt, path))
        Path(path).write_text("digest")
        return f"Digest ({fmt}) written to {path}"

    app = make_app(desk_db, export_digest=export_digest)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-format").value = "json"
        await pilot.pause()
        dialog.query_one("#export-path").value = str(tmp_path / "out.json")
        await pilot.click("#export")
        await settle(pilot)
        assert calls == [("json", str(tmp_path / "out.json"))]
        assert (tmp_path / "out.json").read_text() == "digest"
        assert any("written to" in n.message for n in app._notifications)


async def test_r_fetches_now_in_a_worker(desk_db):
    from db import Feed
    from wiredesk.fetching import FeedOutcome

    def fetch_now() -> list:
        return [FeedOutcome(Feed(1, "https://lw.example/rss", "Levant Wire", None, True, None, "2026-11-20"), "new", 2),
                FeedOutcome(Feed(2, "https://nna.example/rdf", "NNA", None, True, None, "2026-11-20"), "not_modified")]

    app = make_app(desk_db, fetch_now=fetch_now)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert any("Fetched 2 feeds: 2 new items from 1 feed; 1 unchanged" in n.message for n in app._notifications)
        assert app.desk.busy == ""


async def test_h_shows_feed_health(desk_db):
    with Store(desk_db) as store:
        from db import FetchRecord

        feed = store.feed_by_url("https://nna.example/rdf")
        store.record_fetch(feed.id, FetchRecord("not_modified", 304))
        store.record_fetch(feed.id, FetchRecord("error", 503, "HTTP 503 Service Unavailable"))
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, FeedHealthScreen)
        text = screen_text(app)
        assert "National News Agency" in text and "error ×1" in text
        assert "HTTP 503 Service Unavailable" in text and "50%" in text
        await pilot.press("escape")
        assert app.screen is app.desk


async def test_question_mark_lists_every_key(desk_db):
    app = make_app(desk_db, keys={"verify": "V"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for key in ("1 ", "2 ", "3 ", "tab", "V ", "d ", "u ", "n ", "z ", "/ ", "f ", "e ", "r ", "h ", "? ", "q ", "space", "enter", "ctrl+p"):
            assert key in text, key
        await pilot.press("escape")
        assert app.screen is app.desk


async def test_keymap_from_config_remaps_a_key(desk_db):
    app = make_app(desk_db, keys={"verify": "V"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "v")
        await settle(pilot)
        assert verdicts(desk_db) == []
        await pilot.press("V")
        await settle(pilot)
        assert [r[1] for r in verdicts(desk_db)] == ["verified"]


async def test_command_palette_runs_the_same_actions(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claim = app.desk.claims.selected_claim
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"verified")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert verdicts(desk_db)[-1][:2] == (claim.id, "verified")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"feed health")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedHealthScreen)


async def test_q_quits(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    assert not app.is_running


async def test_narrow_screen_shows_one_pane_at_a_time(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "─ 1 Queue" in screen_text(app) and "─ 2 Claims" not in screen_text(app)
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(app)
        assert "─ 2 Claims" in text and "─ 1 Queue" not in text
        await pilot.press("3")
        assert "─ 3 Diff" in screen_text(app)


async def test_medium_screen_shows_the_queue_and_the_last_used_right_pane(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "─ 1 Queue" in text and "─ 2 Claims" in text and "─ 3 Diff" not in text
        await pilot.press("3")
        await settle(pilot)
        text = screen_text(app)
        assert "─ 3 Diff" in text and "─ 2 Claims" not in text
        await pilot.press("1")  # back to the queue: the right side keeps the diff
        await settle(pilot)
        text = screen_text(app)
        assert "─ 1 Queue" in text and "─ 3 Diff" in text and "─ 2 Claims" not in text


async def test_a_resize_shows_the_pane_chosen_in_another_layout(desk_db):
    """Pane switches update only the class the current layout reads; a resize must still show the
    pane the editor chose while the other layout was on screen."""
    app = make_app(desk_db)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")  # wide: the diff pane focused, nothing hidden
        await settle(pilot)
        await pilot.resize_terminal(80, 24)  # narrow: only the active pane
        await settle(pilot)
        text = screen_text(app)
        assert "─ 3 Diff" in text and "─ 1 Queue" not in text and "─ 2 Claims" not in text
        await pilot.resize_terminal(130, 40)  # medium: the queue and the last right pane used
        await settle(pilot)
        text = screen_text(app)
        assert "─ 1 Queue" in text and "─ 3 Diff" in text and "─ 2 Claims" not in text


async def test_the_heap_is_frozen_once_the_desk_shows_data_and_released_at_exit(desk_db):
    import gc

    assert gc.get_freeze_count() == 0
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


async def test_full_collections_wait_for_the_editor_to_pause(desk_db, monkeypatch):
    """Full passes of the cyclic collector (tens of ms on a big desk) do not land on keys: none while
    keys come, one once they stop; Python's thresholds are back after the app."""
    import asyncio
    import gc

    import tui.app

    monkeypatch.setattr(tui.app, "COLLECT_EVERY", 0.0)
    default = gc.get_threshold()
    full: list[float] = []

    def record(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(time.monotonic())

    gc.callbacks.append(record)
    try:
        app = make_app(desk_db)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert gc.get_threshold()[2] == tui.app.FULL_PASS_AFTER
            await asyncio.sleep(tui.app.IDLE_SECONDS * 1.5)  # the start's own garbage, collected while idle
            full.clear()
            for key in "jkjkjkjkjk":
                for _ in range(30_000):  # cycles enough for many younger passes between two keys
                    cycle: list = []
                    cycle.append(cycle)
                await pilot.press(key)
            assert gc.get_count()[2] > 0 and full == []
            await asyncio.sleep(tui.app.IDLE_SECONDS * 1.5)
            assert full  # (the idle timer may run a second pass if the app allocated meanwhile)
        assert gc.get_threshold() == default
    finally:
        gc.callbacks.remove(record)


async def test_wide_screen_shows_three_panes(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "1 Queue" in text and "2 Claims" in text and "3 Diff" in text


async def test_light_theme_renders(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("2", "v")
        await settle(pilot)
        assert "VERIFIED" in screen_text(app)


async def test_item_screen_is_built_ahead_and_the_first_enter_fills_it(desk_db, monkeypatch):
    """Built (composed, laid out, every part at its width) once the desk shows its data, empty; the
    first enter shows the item under the cursor in that same screen with one layout, its link line
    only when the item has a link."""
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ahead = app.get_screen("item")
        assert isinstance(ahead, ItemScreen) and ahead.is_mounted and ahead.detail is None
        assert ahead.size == app.size  # laid out off screen
        widths = {part: ahead.query_one(f"#{part}").size.width for part in ItemScreen.PARTS}
        assert all(widths.values())  # every part laid out, the link line too
        assert str(ahead.query_one("#item-title").render()).strip() == ""
        layouts = []
        original = ahead._refresh_layout
        monkeypatch.setattr(ahead, "_refresh_layout", lambda *a, **k: layouts.append(1) or original(*a, **k))
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.screen is ahead
        assert len(layouts) == 1  # the parts' new heights did not ask for a second one
        assert widths == {part: ahead.query_one(f"#{part}").size.width for part in ItemScreen.PARTS}
        row = ahead.detail.row
        assert "Opposition: thousands dead around Hama" in screen_text(app)
        assert row.link and ahead.query_one("#item-link").display and row.link in screen_text(app)
        assert app.screen.focused is ahead.query_one("#item-body")
        await pilot.press("escape")
        await settle(pilot)
        with Store(desk_db) as store:
            store.db.execute("UPDATE items SET link = NULL")
            store.db.commit()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is ahead and not ahead.detail.row.link
        assert not ahead.query_one("#item-link").display


async def test_each_enter_shows_the_item_under_the_cursor(desk_db):
    """The item screen is kept and refilled: the second item must not show any of the first."""
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        first = app.screen
        assert "Opposition: thousands dead around Hama" in screen_text(app)
        await pilot.press("j")  # scrolls the item, kept from being carried over to the next one
        await pilot.press("escape", "j", "enter")
        await settle(pilot)
        assert app.screen is first and isinstance(app.screen, ItemScreen)
        text = screen_text(app)
        assert "Hama hospital overwhelmed, doctors say" in text
        assert "Opposition: thousands dead" not in text and "Around 2,000 people" not in text
        assert "Families fled toward Kafr Nabudah." in text
        assert app.screen.query_one("#item-body").scroll_y == 0
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk


async def test_a_pane_switch_repaints_the_panes_whose_focus_changed_not_the_whole_screen(desk_db, monkeypatch):
    """Textual repaints the whole screen on every focus change by default; the desk repaints the two
    panes whose look changes (border, tint, cursor) and the lines that say which pane has the keys,
    not the third pane."""
    app = make_app(desk_db)
    async with app.run_test(size=(200, 40)) as pilot:  # wide: three panes
        await settle(pilot)
        painted: list[str] = []
        for widget in (app.desk.diff_view, app.desk.queue, app.desk.claims):
            def render_lines(crop, widget=widget, original=widget.render_lines):
                painted.append(type(widget).__name__)
                return original(crop)
            monkeypatch.setattr(widget, "render_lines", render_lines)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.focused, ClaimsList)
        assert {"QueueTable", "ClaimsList"} <= set(painted)
        assert "DiffView" not in painted


async def test_keys_typed_after_a_pane_switch_go_to_the_new_pane(desk_db):
    """A pane key and the next key queued together (a quick typist): the second key acts on the
    pane just chosen. Focus used to move only after the keys already queued, so "1" then enter
    from the claims opened a diff instead of the queue's item."""
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        app.post_message(events.Key("1", "1"))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        assert isinstance(app.screen, ItemScreen)


async def test_a_pane_switch_is_one_frame_with_both_borders_in_it(desk_db):
    """The lists, the pane borders (:focus-within) and the scroll bars all change look on a pane
    switch; the pane borders and scroll bars used to reach the screen a frame after the lists, and
    the first switch, which gave the scroll bars their styles, laid out the screen for a third."""
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        frames: list[str] = []
        display = app._display

        def counting(screen, renderable) -> None:
            if renderable is not None:  # None paints nothing
                frames.append(renderable.render_segments(app.console))
            display(screen, renderable)

        app._display = counting
        for key, focused in (("2", ClaimsList), ("1", QueueTable), ("2", ClaimsList)):
            frames.clear()
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.focused, focused)
            assert len(frames) == 1, f"{key}: {len(frames)} frames"
            assert "1 Queue" in frames[0] and "2 Claims" in frames[0]  # both pane borders


async def test_the_queue_keeps_its_rendered_rows_across_focus_changes_not_across_themes(desk_db, monkeypatch):
    """DataTable re-renders every visible row on any style change, focus included; the queue keeps
    them per focus state, and drops them when the colours they were rendered with change."""
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.desk.queue
        for key in "2121":  # both focus states rendered once
            await pilot.press(key)
            await settle(pilot)
        rows: list[object] = []
        original = queue._render_line_in_row
        monkeypatch.setattr(queue, "_render_line_in_row", lambda *a, **k: rows.append(a[0]) or original(*a, **k))
        await pilot.press("2", "1")
        await settle(pilot)
        assert app.focused is queue and rows == []
        # A theme that changes only the cursor's colour: the rows' base style (in DataTable's cache
        # keys) stays the same, so only the queue's own check of the component styles can see it.
        app.register_theme(replace(app.current_theme, name="other-cursor", primary="#d02090"))
        app.theme = "other-cursor"
        await settle(pilot)
        assert len(rows) >= queue.row_count  # re-rendered in the new colours
        cursor = queue.get_component_rich_style("datatable--cursor").bgcolor
        line = queue.render_line(1)  # the header, then the row under the cursor
        assert any(segment.style and segment.style.bgcolor == cursor for segment in line)


async def test_a_verdict_repaints_its_claim_and_card_header_not_the_whole_list(desk_db, monkeypatch):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        claims = app.desk.claims
        claim = claims.selected_claim
        card = next(c for c in claims.cards if any(x.id == claim.id for x in c.claims))
        before = screen_text(app).splitlines()
        painted: set[str] = set()
        original = claims._get_option_render
        monkeypatch.setattr(claims, "_get_option_render",
                            lambda option, style: painted.add(option.id) or original(option, style))
        await pilot.press("v")
        await settle(pilot)
        assert painted == {f"claim:{claim.id}", f"place:{card.place.key}"}
        after = screen_text(app).splitlines()
        changed = [n for n, (a, b) in enumerate(zip(before, after)) if a != b]
        assert any("VERIFIED" in after[n] for n in changed)
        assert len(changed) <= 4  # the claim's line(s), its card's header, the status line


async def test_enter_on_a_claim_shows_its_reports_while_two_items_are_picked(desk_db):
    """Two items picked a while ago: enter on a claim showed the claim's diff and, as the diff took
    focus, put the picked items' diff back over it (no caption, other reports)."""
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "j", "space")
        await settle(pilot)
        picked = tuple(app.desk.picked)
        assert len(picked) == 2 and app.desk.diff_items == picked
        await pilot.press("2")
        claims = app.desk.claims
        morek = next(c for c in claims.claims.values() if c.place.name == "Morek")
        while claims.selected_claim.id != morek.id:
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, DiffScroll)
        assert app.desk.diff_view.caption.startswith(f"Claim #{morek.id} Morek")
        assert app.desk.diff_items != picked
        assert f"Claim #{morek.id} Morek" in screen_text(app)
        # 3 still shows the picked pair, as the status line's "2 picked for diff" says.
        await pilot.press("1", "3")
        await settle(pilot)
        assert app.desk.diff_items == picked


async def test_enter_on_a_claim_compares_a_denial_older_than_the_cards_newest_mentions(tmp_path):
    """The only denial came first; fourteen outlets asserted after it, so the card shows only
    assertions. enter must still put an assertion beside the denial, the two that disagree most."""
    import claims
    from tests.tui.fixtures import MOREK, _item, _m

    db = tmp_path / "w.db"
    with Store(db) as store:
        state = store.add_feed("https://state.example/rss", outlet="State Agency")
        store.add_items(state.id, [_item("deny", "Ministry denies entry", ["The ministry denied rebels entered Morek."],
                                         "2026-11-20T06:00:00Z",
                                         [_m(MOREK, "The ministry denied rebels entered Morek.", 1, "denies", "control",
                                             who="the ministry")])], claims.assess, "State Agency")
        for n in range(14):
            feed = store.add_feed(f"https://o{n}.example/rss", outlet=f"Outlet {n}")
            sentence = f"Rebels entered Morek, outlet {n}'s correspondent said."
            store.add_items(feed.id, [_item(f"a{n}", f"Rebels in Morek ({n})", [sentence],
                                            f"2026-11-20T{7 + n:02d}:00:00Z",
                                            [_m(MOREK, sentence, 1, "asserts", "control")])],
                            claims.assess, f"Outlet {n}")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        claim = app.desk.claims.selected_claim
        assert {m.stance for m in claim.mentions} == {"asserts"}  # the card's newest mentions
        await pilot.press("enter")
        await settle(pilot)
        caption = app.desk.diff_view.caption
        assert caption.startswith(f"Claim #{claim.id} Morek") and "vs denies (State Agency)" in caption
