"""The desk on the bundled sample wire, imported by the real pipeline (`wiredesk demo --prepare-only`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from db import Store
from tests.tui.conftest import settle
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp

WIREDESK = str(Path(sys.executable).parent / "wiredesk")


async def test_triage_the_sample_wire(tmp_path):
    db = tmp_path / "demo.db"
    subprocess.run([WIREDESK, "--db", str(db), "demo", "--prepare-only"], check=True, capture_output=True)
    with Store(db) as store:
        items = store.item_count()
    app = WiredeskApp(db, "amira", poll_seconds=0.2)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert f"{items} items" in screen_text(app)
        await pilot.press("2")
        await settle(pilot)
        claim = app.desk.claims.selected_claim
        assert claim is not None and claim.id == app.desk.claims.cards[0].claims[0].id
        await pilot.press("enter")
        await settle(pilot)
        assert app.desk.diff_view.diff is not None
        await pilot.press("2", "v")
        await settle(pilot)
        with Store(db) as store:
            assert store.claim(claim.id).status == "verified"
        await pilot.press("z")
        await settle(pilot)
        with Store(db) as store:
            assert store.claim(claim.id).status == "unverified"
