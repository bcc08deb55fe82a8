"""What the desk tells the editor when something fails, when a pane is empty, and what the status
line says after each action (a user review at 80x24 found the gaps these tests pin down)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from db import Feed, Store
from tests.tui.conftest import settle
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp
from tui.widgets import ClaimsList, QueueTable
from wiredesk.fetching import FeedOutcome

NARROW = (80, 24)
SIZE = (120, 40)


def make_app(db: Path, **kwargs) -> WiredeskApp:
    return WiredeskApp(db, "amira", poll_seconds=0.1, **kwargs)


def status_line(app) -> str:
    return screen_text(app).splitlines()[-2]


def empty_message(app, pane: str) -> str:
    """What the pane's empty state says, as one line (it wraps on screen), or "" when it is hidden."""
    widget = app.desk.query_one(f"#{pane}-empty")
    if not widget.has_class("-shown"):
        return ""
    lines = screen_text(app).splitlines()
    region = widget.region
    assert region.height and app.screen.region.contains_region(region)  # on screen
    shown = [lines[y][region.x : region.right] for y in range(region.y, region.bottom)]
    return " ".join(" ".join(line.split()) for line in shown).strip()


class OperationalError(Exception):
    """Named like the driver's error: the editor must not see the class name."""


def failing_search(monkeypatch, query: str) -> None:
    original = Store.items

    def items(self, *args, search=None, **kwargs):
        if search == query:
            raise OperationalError('fts5: syntax error near """')
        return original(self, *args, search=search, **kwargs)

    monkeypatch.setattr(Store, "items", items)


async def test_a_failed_search_leaves_the_list_and_the_picks_can_still_be_cleared(desk_db, monkeypatch):
    """The review's crash: two items picked, a search that fails, then escape. The table was cleared
    before the read while the queue still listed its rows, and clearing the picks updated rows the
    table no longer had (CellDoesNotExist ended the app)."""
    failing_search(monkeypatch, '"')
    app = make_app(desk_db)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        queue = app.desk.queue
        await pilot.press("space", "j", "space")
        await settle(pilot)
        assert app.desk.picked == (5, 4)
        before = list(queue.item_ids)
        await pilot.press("slash", '"', "enter")
        await settle(pilot)
        assert app.is_running
        assert queue.item_ids == before and queue.row_count == len(before)  # the list as it was
        assert app.desk.filters.search is None and app.desk.shown.search is None  # and its filters
        status = status_line(app)
        assert 'Search “"” failed' in status
        assert "5 items" in status and "search" not in status.split("·")[0]
        messages = [n.message for n in app._notifications]
        assert any('Search “"” failed (fts5: syntax error near """); the list is unchanged' in m for m in messages)
        assert not any("OperationalError" in m for m in messages) and "OperationalError" not in screen_text(app)
        await pilot.press("escape")  # clear the picks
        await settle(pilot)
        assert app.is_running and app.desk.picked == ()
        assert "◆" not in screen_text(app)
        # The next search works, and the failure is no longer on the status line.
        await pilot.press("slash", "ctrl+u", *"convoy", "enter")
        await settle(pilot)
        assert queue.row_count == 1
        assert "failed" not in status_line(app) and "search “convoy”" in status_line(app)


async def test_the_queue_forgets_its_rows_whenever_its_table_is_cleared(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue: QueueTable = app.desk.queue
        await pilot.press("space")
        queue.clear()
        assert queue.item_ids == []
        await pilot.press("escape")  # refreshes the picked row, gone from the table: no error
        await settle(pilot)
        assert app.is_running and app.desk.picked == ()


async def test_a_worker_error_is_told_in_plain_words_on_the_status_line(desk_db, monkeypatch):
    def item(self, item_id):
        raise OperationalError("database disk image is malformed")

    monkeypatch.setattr(Store, "item", item)
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.desk
        assert "Could not open the item: database disk image is malformed" in status_line(app)
        assert not any("OperationalError" in n.message for n in app._notifications)


async def test_nothing_to_undo_replaces_the_last_outcome_on_the_status_line(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "v")
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert "Undone:" in status_line(app)
        await pilot.press("z")
        await settle(pilot)
        status = status_line(app)
        assert "Nothing of yours to undo" in status and "Undone" not in status


async def test_fetch_and_export_outcomes_are_on_the_status_line(desk_db, tmp_path):
    app = make_app(
        desk_db,
        fetch_now=lambda: [FeedOutcome(Feed(1, "https://lw.example/rss", "Levant Wire", None, True, None, "2026-11-20"),
                                       "new", 2)],
        export_digest=lambda fmt, path: f"Digest ({fmt}) written to {path}",
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "Fetched 1 feed: 2 new items from 1 feed" in status_line(app)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-path").value = str(tmp_path / "d.md")
        await pilot.click("#export")
        await settle(pilot)
        status = status_line(app)
        assert f"Digest (md) written to {tmp_path / 'd.md'}" in status and "Fetched" not in status


def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    with Store(path):
        pass
    return path


async def test_an_empty_desk_says_how_to_get_items(tmp_path):
    app = make_app(empty_db(tmp_path), fetch_now=lambda: [])
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        text = empty_message(app, "queue")
        assert text.startswith("No items yet.") and "r fetches the configured feeds now" in text
        assert "wiredesk fetch" in text and "wiredesk import FILES" in text
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.focused, ClaimsList)
        text = empty_message(app, "claims")
        assert text.startswith("No claims yet") and "wiredesk import FILES" in text
        await pilot.press("v")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert messages and "2 focuses the claims" not in messages[-1]
        assert messages[-1].startswith("No claims yet")


async def test_a_filter_that_hides_everything_says_which_and_how_to_clear_it(desk_db):
    app = make_app(desk_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"nowhere", "enter")
        await settle(pilot)
        text = empty_message(app, "queue")
        assert text.startswith("No items match search “nowhere”.")
        assert "/ then enter on an empty search clears the search" in text
        assert empty_message(app, "claims") == ""  # a search filters the items, not the claims
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#filter-status").value = "verified"
        await pilot.click("#apply")
        await settle(pilot)
        text = empty_message(app, "claims")
        assert text == "No claims match status verified. f then Clear shows every claim."
        # The queue's message names only what hides items: the status filters the claims.
        assert empty_message(app, "queue") == (
            "No items match search “nowhere”. / then enter on an empty search clears the search."
        )
        await pilot.press("2", "v")
        await settle(pilot)
        assert app.screen is app.desk
        assert app._notifications and list(app._notifications)[-1].message.startswith("No claims match status verified")
        await pilot.press("f")
        await settle(pilot)
        await pilot.click("#clear")
        await pilot.press("slash", "ctrl+u", "enter")
        await settle(pilot)
        assert empty_message(app, "queue") == empty_message(app, "claims") == ""
        assert "No items match" not in screen_text(app)
        assert app.desk.queue.row_count == 5 and app.desk.claims.claims


async def test_a_claims_only_filter_leaves_the_item_count_as_it_is(desk_db):
    """Status and contested filter the claims: the queue still holds every item, and the status line
    said "5 matching · status unverified" as if the items had been filtered."""
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        desk = app.desk
        desk._apply_filters(replace(desk.filters, status="unverified", contested=True))
        await settle(pilot)
        status = screen_text(app).splitlines()[-2]
        assert status.lstrip().startswith("5 items · status unverified · contested only")
        assert "matching" not in status
        desk._apply_filters(replace(desk.filters, outlet="Levant Wire"))
        await settle(pilot)
        assert screen_text(app).splitlines()[-2].lstrip().startswith("2 matching · outlet Levant Wire")


async def test_a_fetch_is_summed_up_with_its_failures_first_on_a_narrow_status_line(desk_db):
    """`r` at 80 columns: the status line showed the first feeds' lines, each with its URL, and was
    cut before saying whether anything was new, let alone that a feed failed. Now a few words, what
    failed first; every line is still what `wiredesk fetch` prints."""

    def feed(n: int, outlet: str) -> Feed:
        return Feed(n, f"https://wire{n}.example.org/feeds/syria/latest/rss.xml", outlet, None, True, None, "2026-11-20")

    outcomes = [
        FeedOutcome(feed(1, "Levant Wire"), "new", 3),
        FeedOutcome(feed(2, "Orient Daily"), "not_modified"),
        FeedOutcome(feed(3, "National News Agency"), "new", 1),
        FeedOutcome(feed(4, "Idlib Voice"), "error", error="HTTP 503 Service Unavailable"),
    ]
    assert outcomes[0].line() == "Levant Wire (https://wire1.example.org/feeds/syria/latest/rss.xml): 3 new"
    app = make_app(desk_db, fetch_now=lambda: outcomes)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        status = status_line(app)
        assert "Fetched 4 feeds: 1 failed (Idlib Voice: HTTP 503" in status
        messages = [n.message for n in app._notifications]
        assert any(m == "Fetched 4 feeds: 1 failed (Idlib Voice: HTTP 503 Service Unavailable); "
                   "4 new items from 2 feeds; 1 unchanged" for m in messages), messages
