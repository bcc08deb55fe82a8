"""The app's `e` key writes the same digest the CLI does, through the real exporter wiring."""

from __future__ import annotations

from pathlib import Path

from tests.export.fixture import build
from tests.tui.conftest import settle
from tui.app import WiredeskApp
from tui.screens.dialogs import ExportDialog
from wiredesk.cli import Context, _export_digest
from wiredesk.config import Config


async def test_e_writes_the_html_digest(tmp_path, monkeypatch):
    store = build(tmp_path / "desk.db", monkeypatch)
    store.close()
    ctx = Context(Config(), tmp_path / "desk.db")
    app = WiredeskApp(tmp_path / "desk.db", "ana", export_digest=lambda fmt, path: _export_digest(ctx, fmt, path))
    target = tmp_path / "out" / "digest.html"
    target.parent.mkdir()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-format").value = "html"
        await pilot.pause()
        dialog.query_one("#export-path").value = str(target)
        await pilot.click("#export")
        await settle(pilot)
        assert any(str(target) in n.message for n in app._notifications)
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>") and "Ministry denial; no independent confirmation" in page
