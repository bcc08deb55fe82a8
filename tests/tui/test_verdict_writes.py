"""Verdicts, notes and undos from the keys are stored as pressed, whatever else writes meanwhile: in
the order of the keys, a note keeping the status another editor set while it was typed."""

from __future__ import annotations

import threading
import time

from db import Store
from tests.tui.conftest import settle
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp

SIZE = (120, 40)


async def test_v_then_d_while_the_database_is_busy_leaves_the_claim_disputed(desk_db, monkeypatch):
    """The first write waits on the lock (a fetch is storing a feed), the second key comes meanwhile:
    each key's verdict had its own worker, and the second could be stored first: `v` `d` left the claim
    verified. Stored in key order, the claim is disputed, on screen and in the log."""
    real = Store.add_verdict
    first = threading.Event()

    def add_verdict(self, *args, **kwargs):
        if not first.is_set():
            first.set()
            time.sleep(0.5)  # the database is busy: this write waits for the lock
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "add_verdict", add_verdict)
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claim_id = app.desk.claims.selected_claim.id
        await pilot.press("v", "d")
        await settle(pilot)
        assert app.desk.claims.claims[claim_id].status == "disputed"
        assert "marked disputed" in screen_text(app).splitlines()[-2]
        await pilot.press("z", "z")  # both undone, not the dispute twice
        await settle(pilot)
        assert app.desk.claims.claims[claim_id].status == "unverified"
    with Store(desk_db) as store:
        log = store.history(claim_id)
    assert [v.status for v in log] == ["verified", "disputed", "verified", "unverified"]
    assert [v.undoes for v in log[2:]] == [log[1].id, log[0].id]


async def test_a_note_typed_while_another_editor_disputes_keeps_the_dispute(desk_db):
    """amira opens the note dialog on a claim bob verified; while she types, carol disputes it. Her
    note used to be stored with the status the dialog opened on, and put `verified` back over carol's
    dispute. The note keeps carol's status, and amira is told the status changed under her."""
    with Store(desk_db) as store:
        claim_id = sorted(c.id for card in store.place_cards() for c in card.claims)[0]
        store.add_verdict(claim_id, "verified", "bob")
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        while app.desk.claims.selected_claim.id != claim_id:
            await pilot.press("j")
        await pilot.press("n")
        await settle(pilot)
        with Store(desk_db) as store:
            store.add_verdict(claim_id, "disputed", "carol", "ministry denial stands")
        await pilot.press(*"asking the stringer", "enter")
        await settle(pilot)
        claim = app.desk.claims.claims[claim_id]
        assert claim.status == "disputed"
        status = screen_text(app).splitlines()[-2]
        assert f"Note added to #{claim_id}" in status and "(disputed)" in status
        messages = [n.message for n in app._notifications]
        assert any("its status changed since you looked: disputed by carol" in m for m in messages), messages
    with Store(desk_db) as store:
        log = store.history(claim_id)
    assert [(v.editor, v.status, v.note) for v in log] == [
        ("bob", "verified", None), ("carol", "disputed", "ministry denial stands"), ("amira", "disputed", "asking the stringer")]


async def test_another_editor_replacing_my_verdict_is_told_not_only_redrawn(desk_db):
    """amira verifies a claim; basel disputes it from another process. Her card changed to DISPUTED
    silently, and her status line kept saying "… marked verified". Now she is told."""
    import asyncio

    app = WiredeskApp(desk_db, "amira", poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claim = app.desk.claims.selected_claim
        await pilot.press("v")
        await settle(pilot)
        assert "marked verified" in screen_text(app).splitlines()[-2]
        with Store(desk_db) as store:
            store.add_verdict(claim.id, "verified", "basel", "agreed: the same status is not news")
        for _ in range(100):
            await settle(pilot, rounds=1)
            if app.desk.claims.claims[claim.id].last_verdict.editor == "basel":
                break
            await asyncio.sleep(0.05)
        assert not any("replaced" in n.message for n in app._notifications)
        with Store(desk_db) as store:
            store.add_verdict(claim.id, "disputed", "basel", "the ministry's denial stands")
        for _ in range(100):
            await settle(pilot, rounds=1)
            if app.desk.claims.claims[claim.id].status == "disputed":
                break
            await asyncio.sleep(0.05)
        await settle(pilot)
        status = screen_text(app).splitlines()[-2]
        assert f"#{claim.id}" in status and "your verified was replaced, disputed by basel" in status
        assert any("your verified was replaced, disputed by basel" in n.message for n in app._notifications)


async def test_a_verdict_that_cannot_be_stored_is_told_and_the_next_key_still_writes(desk_db, monkeypatch):
    from db import StorageError

    real = Store.add_verdict
    calls = []

    def add_verdict(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise StorageError(f"{self.path}: cannot write (disk I/O error); the change was rolled back")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "add_verdict", add_verdict)
    app = WiredeskApp(desk_db, "amira", poll_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        claim_id = app.desk.claims.selected_claim.id
        await pilot.press("v")
        await settle(pilot)
        assert any("Could not store the verdict" in n.message and "disk I/O error" in n.message
                   for n in app._notifications if n.severity == "error")
        await pilot.press("d")
        await settle(pilot)
        assert app.desk.claims.claims[claim_id].status == "disputed"
