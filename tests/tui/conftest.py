from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

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


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The bundled sample wire imported by the real pipeline (`wiredesk demo --prepare-only`), once per
    session: tests that use it must not change it."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    wiredesk = str(Path(sys.executable).parent / "wiredesk")
    subprocess.run([wiredesk, "--db", str(db), "demo", "--prepare-only"], check=True, capture_output=True)
    return db


async def settle(pilot, rounds: int = 3) -> None:
    """Let every worker but the endless poll finish, and their messages land."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        busy = [w for w in app.workers if w.group != "poll" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause()
