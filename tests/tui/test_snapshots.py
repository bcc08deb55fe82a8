"""The three panes on a fixed database at a fixed size and time zone (see conftest)."""

from __future__ import annotations

from tests.tui.conftest import settle
from tui.app import WiredeskApp

SIZE = (120, 40)


async def _ready(pilot) -> None:
    await settle(pilot)


def test_queue_pane(snap_compare, desk_db):
    assert snap_compare(WiredeskApp(desk_db, "amira"), terminal_size=SIZE, run_before=_ready)


def test_claims_pane(snap_compare, desk_db):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(WiredeskApp(desk_db, "amira"), terminal_size=SIZE, run_before=run_before)


def test_diff_pane(snap_compare, desk_db):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("2", "j", "j", "enter")  # Morek's control claim: assert vs deny
        await settle(pilot)

    assert snap_compare(WiredeskApp(desk_db, "amira"), terminal_size=SIZE, run_before=run_before)
