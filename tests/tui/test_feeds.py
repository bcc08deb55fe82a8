"""Feed health (h): one outlet's several feeds are told apart by their source."""

from __future__ import annotations

from pathlib import Path

from db import Store
from tests.tui.conftest import settle
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp
from tui.format import short_source
from tui.screens import FeedHealthScreen


async def test_feeds_of_one_outlet_show_their_sources_at_80_columns(desk_db, tmp_path):
    dispatch = tmp_path / "wire" / "dispatches" / "levant-wire-2026-11-21-hama-hospital.txt"
    with Store(desk_db) as store:
        store.add_feed(str(dispatch), outlet="Levant Wire")
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=(80, 24)) as pilot:  # (the error and the counts scroll in from the right)
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, FeedHealthScreen)
        lines = screen_text(app).splitlines()
        # each feed: its outlet, and under it its source
        sources = [lines[n + 1].strip() for n, line in enumerate(lines) if line.lstrip().startswith("Levant Wire")]
        assert len(sources) == 2 and sources[0] != sources[1]
        assert sources[0] == "levant.example/rss"
        assert sources[1].startswith("levant-wire-2") and sources[1].endswith("hospital.txt")  # start and end


def test_short_source_keeps_what_tells_feeds_apart(monkeypatch):
    monkeypatch.setenv("HOME", "/home/amira")
    assert short_source("https://levant.example/rss", 30) == "levant.example/rss"
    url = "https://wire.example.org/feeds/english/levant/latest/rss.xml"
    assert len(short_source(url, 30)) <= 30
    assert short_source(url, 30).startswith("wire.example.org") and short_source(url, 30).endswith("/rss.xml")
    assert short_source("/home/amira/wire/a.rss", 30) == "~/wire/a.rss"
    assert short_source("file:///home/amira/wire/a.rss", 30) == "~/wire/a.rss"
    assert short_source("/srv/desk/sample/dispatches/levant-wire.xml", 30) == "…/dispatches/levant-wire.xml"
    long_name = "/srv/desk/free-orient-tv-2026-11-20-morek-and-suran.txt"
    short = short_source(long_name, 30)
    assert len(short) == 30 and short.startswith("free-orient") and short.endswith("suran.txt")
    for source in (url, long_name, "https://" + "x" * 60 + ".example/" + "y" * 40, str(Path("/a") / ("z" * 80))):
        for width in (8, 20, 30, 45):
            assert len(short_source(source, width)) <= max(width, 8)


async def test_a_failing_feeds_whole_error_shows_at_80_columns(desk_db):
    """The error column cuts an error at 40 characters and sits off screen at 80 columns: the
    highlighted feed's whole source and last error show under the table."""
    from db.types import FetchRecord

    error = "network error: All connection attempts failed [bold]\x1b[31m"
    with Store(desk_db) as store:
        feed = store.add_feed("https://wire.example.org/feeds/english/levant/latest/rss.xml", outlet="Levant Wire")
        store.record_fetch(feed.id, FetchRecord("error", None, error, next_due="2026-11-21T10:00:00Z"))
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        table = app.screen.query_one("#feeds-table")
        while str(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value) != str(feed.id):
            await pilot.press("j")
        await settle(pilot)
        text = screen_text(app)
        assert "https://wire.example.org/feeds/english/levant/latest/rss.xml" in text
        assert "Last error: network error: All connection attempts failed [bold]" in text  # literal, whole
        assert "\x1b" not in text
        await pilot.press("k")
        await settle(pilot)
        assert "Last error" not in screen_text(app)


async def test_feed_health_follows_the_fetcher_while_it_shows_with_the_cursor_kept(desk_db):
    """It was read once when it opened: a feed fetched meanwhile (`fetch --watch` runs) still showed
    its old status, time and error until the editor left and came back."""
    import asyncio

    from db.types import FetchRecord
    from textual.widgets import DataTable

    with Store(desk_db) as store:
        feeds = store.feeds()
        store.record_fetch(feeds[1].id, FetchRecord("error", None, "HTTP 503 Service Unavailable"))
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, FeedHealthScreen)
        await pilot.press("j")
        await settle(pilot)
        assert "HTTP 503" in screen_text(app)
        with Store(desk_db) as store:
            store.record_fetch(feeds[1].id, FetchRecord("new", 200))
        for _ in range(60):
            await settle(pilot, rounds=1)
            if "HTTP 503" not in screen_text(app):
                break
            await asyncio.sleep(0.1)
        text = screen_text(app)
        assert "HTTP 503" not in text and "new (200) · no error" in text
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == 1


async def test_next_due_and_today_fit_at_80_columns_and_the_304_share_moves_under_the_table(desk_db):
    """At 80 columns the fixed widths put "Next due" half off the screen and "Today" out of it."""
    from db.types import FetchRecord

    with Store(desk_db) as store:
        feeds = store.feeds()
        store.record_fetch(feeds[0].id, FetchRecord("not_modified", 304, next_due="2026-11-21T10:00:00Z"))
        store.record_fetch(feeds[1].id, FetchRecord("error", None, "HTTP 503", next_due="2026-11-21T10:05:00Z"))
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        header = lines[1]
        assert "Next due" in header and "Today" in header and "Last error" not in header
        levant = next(line for line in lines if line.lstrip().startswith("Levant Wire"))
        assert "not modified" in levant and "21 Nov 10:00" in levant and levant.rstrip().endswith("2")
        nna = next(line for line in lines if line.lstrip().startswith("National News Agency"))
        assert "⚠ error ×1" in nna and "21 Nov 10:05" in nna
        assert all(len(line.rstrip()) <= 80 for line in lines)
        assert "304s: 100% of 1 fetch" in screen_text(app)  # the highlighted feed's share, under the table
        # wider again: the 304s column and the error column come back, the cursor kept
        await pilot.press("j")
        await pilot.resize_terminal(130, 24)
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert "304s" in lines[1] and "Last error" in lines[1]
        nna = next(line for line in lines if line.lstrip().startswith("National News Agency"))
        assert "HTTP 503" in nna
        assert app.screen.query_one("#feeds-table").cursor_row == 1
        assert "304s:" not in screen_text(app)
