"""Other writers on the same database show up on the running desk: a second `wiredesk` process
marking a claim, a fetcher adding items. Hostile feed text stays text."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from claims.types import Item
from db import NewItem, Store
from tests.tui.conftest import settle
from tests.tui.fixtures import add_item, fixed_assess
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp
from tui.text import neutralise

SIZE = (120, 40)
WIREDESK = str(Path(sys.executable).parent / "wiredesk")


async def wait_for(pilot, predicate, timeout: float = 10.0) -> bool:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        await settle(pilot, rounds=1)
        if predicate():
            return True
        await asyncio.sleep(0.1)
    return predicate()


async def test_second_process_marking_a_claim_shows_up(desk_db):
    app = WiredeskApp(desk_db, "amira", poll_seconds=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claim = app.desk.claims.selected_claim
        assert " VERIFIED " not in screen_text(app)
        proc = await asyncio.to_thread(
            subprocess.run,
            [WIREDESK, "--db", str(desk_db), "mark", str(claim.id), "verified", "--editor", "basel"],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
        assert "verified by basel" in proc.stdout
        assert await wait_for(pilot, lambda: app.desk.claims.claims[claim.id].status == "verified")
        text = screen_text(app)
        assert " VERIFIED " in text and "verified by basel" in text


async def test_new_items_appear_with_cursor_kept_and_a_quiet_notice(desk_db):
    app = WiredeskApp(desk_db, "amira", poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        before = app.desk.queue.current_item
        await asyncio.to_thread(add_item, desk_db, "late1", "Army sends reinforcements to Suran", "2026-11-21T12:00:00Z")
        assert await wait_for(pilot, lambda: app.desk.queue.row_count == 6)
        assert app.desk.queue.current_item == before
        assert "Army sends reinforce" in screen_text(app)
        assert any("1 new item" in n.message for n in app._notifications)


HOSTILE = [
    "[bold]Not bold[/bold] and [@click=app.quit]click me[/]",
    "Casualties: \u202e0003\u202c killed \u2066near\u2069 Mo\u200brek\u200d\ufeff",
    "[link=https://evil.example]x[/link] \x1b[31mred\x1b[0m",
]


def _hostile_db(path):
    with Store(path) as store:
        feed = store.add_feed("https://evil.example/rss", outlet="[b]Evil[/b] \u202eWire")
        store.add_items(
            feed.id,
            [
                NewItem(Item(f"h{n}", title, f"{title} body.", None, f"2026-11-2{n}T10:00:00Z"), f"hash-h{n}", None)
                for n, title in enumerate(HOSTILE)
            ],
            fixed_assess,
            "[b]Evil[/b] \u202eWire",
        )
    return path


def test_neutralise_removes_bidi_and_invisible_characters():
    assert neutralise(HOSTILE[1]) == "Casualties: 0003 killed near Morek"
    assert "\x1b" not in neutralise(HOSTILE[2])


async def test_hostile_text_is_shown_literally_and_does_nothing(tmp_path):
    db = _hostile_db(tmp_path / "evil.db")
    app = WiredeskApp(db, "amira", poll_seconds=0.2)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[bold]Not bold[/bold] and [@click" in text
        assert "[b]Evil[/b]" in text
        assert "Casualties: 0003 killed near Morek" in text
        for bad in "\u202e\u202c\u2066\u2069\u200b\u200d\ufeff\x1b":
            assert bad not in text
        await pilot.click(QueueTableSelector, offset=(60, 3))
        await settle(pilot)
        assert app.is_running  # the [@click=app.quit] title is text, not an action
        await pilot.press("1")
        while app.desk.queue.current_item is not None and app.desk.queue.cursor_row < 2:
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        item_text = screen_text(app)
        assert "[bold]" in item_text or "[link=" in item_text or "Casualties" in item_text
        assert "\u202e" not in item_text


QueueTableSelector = "#queue"


async def test_scrolled_down_the_queue_the_cursor_row_stays_put_as_items_arrive(desk_db):
    """The editor has scrolled into the backlog, the cursor in the middle of the pane; a fetch stores
    new items at the top. The table is rebuilt on each merge, and the cursor landed on the pane's last
    row every time, wherever the editor had put it. Scrolled down, the rows stay where they were."""
    for n in range(40):
        add_item(desk_db, f"old{n}", f"Backlog {n:02d}", f"2026-11-18T{n // 6:02d}:{n % 6}0:00Z")
    app = WiredeskApp(desk_db, "amira", poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.desk.queue
        await pilot.press(*"j" * 30, *"k" * 6)
        await settle(pilot)
        assert queue.scroll_y > 0
        item = queue.current_item
        title = queue._rows[item].title

        def row_of_cursor_item() -> int | None:
            return next((y for y, line in enumerate(screen_text(app).splitlines()) if title in line), None)

        row = row_of_cursor_item()
        assert row is not None
        count = queue.row_count
        for n in range(3):
            await asyncio.to_thread(add_item, desk_db, f"new{n}", f"Fresh report {n}", f"2026-11-22T0{n}:00:00Z")
        assert await wait_for(pilot, lambda: queue.row_count == count + 3)
        await settle(pilot)
        assert queue.current_item == item
        assert row_of_cursor_item() == row


async def test_an_item_another_editor_opened_loses_its_unread_mark(desk_db):
    """The read mark is the desk's (one column): bob opening an item marks it read for everyone, but
    amira's queue kept its ● until she restarted, while a restarted app showed it read."""
    app = WiredeskApp(desk_db, "amira", poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.desk.queue
        item = queue.item_ids[1]
        assert not queue._rows[item].read

        def opened_by_bob() -> None:
            with Store(desk_db) as store:
                store.mark_read(item)

        await asyncio.to_thread(opened_by_bob)
        assert await wait_for(pilot, lambda: queue._rows[item].read)
        mark = queue.get_cell(str(item), "mark")
        assert str(mark) == ""
        await asyncio.to_thread(add_item, desk_db, "late2", "Army sends reinforcements to Suran", "2026-11-21T12:00:00Z")
        assert await wait_for(pilot, lambda: queue.row_count == 6)
        assert queue._rows[item].read  # a merge keeps it


async def test_home_in_the_queue_goes_back_to_the_newest_item(desk_db):
    """Home scrolled the queue sideways (DataTable's cell-cursor binding) and the cursor stayed where
    it was, far down the list as new items pushed it: the way back to the newest was k, many times."""
    for n in range(30):
        add_item(desk_db, f"old{n}", f"Backlog {n:02d}", f"2026-11-18T{n // 6:02d}:{n % 6}0:00Z")
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.desk.queue
        newest = queue.item_ids[0]
        await pilot.press(*"j" * 25)
        assert queue.cursor_row == 25
        await pilot.press("home")
        assert queue.current_item == newest and queue.scroll_y == 0
        await pilot.press("end")
        assert queue.current_item == queue.item_ids[-1]
