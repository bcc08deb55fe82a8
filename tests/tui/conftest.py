from __future__ import annotations

import time

import pytest
from textual.worker import WorkerState

from tests.tui.fixtures import build_desk_db


@pytest.fixture(autouse=True)
def _utc(monkeypatch):
    """Times on screen are local times: pin the zone so screens and snapshots are stable."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def desk_db(tmp_path):
    return build_desk_db(tmp_path / "desk.db")


async def settle(pilot, rounds: int = 3) -> None:
    """Let every worker but the endless poll finish, and their messages land."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        busy = [w for w in app.workers if w.group != "poll" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause()
