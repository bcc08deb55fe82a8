"""The desk app, driven by Pilot, over a database filled from the hostile corpus by the real import:
markup shows literally, and nothing a terminal would act on reaches the screen."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.corpus import BIDI_AND_INVISIBLE, CONTROL, DATA
from tests.tui.conftest import settle
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp

WIREDESK = str(Path(sys.executable).parent / "wiredesk")


@pytest.fixture(autouse=True)
def _utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def test_app_shows_hostile_text_literally_and_inertly(tmp_path):
    db = tmp_path / "hostile.db"
    done = subprocess.run([WIREDESK, "--db", str(db), "import", str(DATA)], capture_output=True, text=True)
    assert "Traceback" not in done.stderr, done.stderr
    app = WiredeskApp(db, "amira", poll_seconds=0.2)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        screens = [screen_text(app)]
        await pilot.press("2")
        await settle(pilot)
        screens.append(screen_text(app))
        assert app.is_running  # [@click=app.quit] in a title did not quit the app
    queue, cards = screens
    assert "[bold]Rebels[/bold] enter Hama" in queue
    assert "[bold]" in cards or "[link=https://x]" in cards
    for text in screens:
        assert not CONTROL.search(text.replace("\n", "")), repr(CONTROL.search(text))
        assert not BIDI_AND_INVISIBLE.search(text)
        assert "pwned" not in text and "window title" not in text
