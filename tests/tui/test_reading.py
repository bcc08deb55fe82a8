"""Reading long text: the item view, the diff and help scroll by every key pressed, also when the
keys come faster than the screen refreshes (a held j, a burst over ssh)."""

from __future__ import annotations

from tests.tui.conftest import settle
from tui.app import WiredeskApp
from tui.screens import HelpScreen, ItemScreen
from tui.widgets import DiffScroll

NARROW = (80, 24)


async def burst(pilot, *keys: str) -> None:
    """The keys posted at once, as a terminal delivers keys read in one go: no refresh between them."""
    for key in keys:
        pilot.app.simulate_key(key)
    await settle(pilot)


async def test_a_burst_of_j_scrolls_the_item_view_by_each_key(demo_db):
    app = WiredeskApp(demo_db, "amira", poll_seconds=30)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemScreen)
        body = app.screen.query_one("#item-body")
        assert body.max_scroll_y >= 6
        await burst(pilot, *"jjjj")
        assert body.scroll_y == 4
        await burst(pilot, "down", "down", "k")
        assert body.scroll_y == 5
        await burst(pilot, "pageup", "pageup")
        assert body.scroll_y == 0


async def test_a_burst_of_keys_scrolls_the_diff_and_help_by_each_key(demo_db):
    app = WiredeskApp(demo_db, "amira", poll_seconds=30)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")  # the first claim's two most disagreeing reports
        await settle(pilot)
        diff = app.desk.query_one(DiffScroll)
        assert app.focused is diff and diff.max_scroll_y >= 8
        await burst(pilot, *"jjjj", "down", "down")
        assert diff.scroll_y == 6
        await burst(pilot, "k", "up")
        assert diff.scroll_y == 4
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help")
        assert body.max_scroll_y >= 4
        await burst(pilot, *"jjjj")
        assert body.scroll_y == 4
