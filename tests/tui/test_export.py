"""The export dialog (e): where it proposes to write, and never overwriting a file unasked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.tui.conftest import settle
from tests.tui.screen_text import screen_text
from tui.app import WiredeskApp
from tui.screens import ConfirmDialog, ExportDialog


def make_app(db: Path, calls: list, **kwargs) -> WiredeskApp:
    def export_digest(fmt: str, path: str) -> str:
        calls.append((fmt, path))
        Path(path).write_text(f"digest {len(calls)}")
        return f"Digest ({fmt}) written to {path}"

    return WiredeskApp(db, "amira", poll_seconds=30, export_digest=export_digest, **kwargs)


async def test_the_export_goes_to_the_home_folder_by_default_not_the_current_one(desk_db, tmp_path, monkeypatch):
    home, elsewhere = tmp_path / "home", tmp_path / "started-here"
    home.mkdir()
    elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    calls: list = []
    app = make_app(desk_db, calls)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        expected = home / f"digest-{date.today().isoformat()}.md"
        shown = f"~/digest-{date.today().isoformat()}.md"
        assert dialog.query_one("#export-path").value == shown
        assert shown in screen_text(app)
        dialog.query_one("#export-format").value = "html"
        await pilot.pause()
        assert dialog.query_one("#export-path").value == shown.replace(".md", ".html")
        await pilot.click("#export")
        await settle(pilot)
        assert calls == [("html", str(expected.with_suffix(".html")))]
        assert list(elsewhere.iterdir()) == []
        assert f"Digest (html) written to {shown.replace('.md', '.html')}" in screen_text(app).splitlines()[-2]


async def test_a_configured_folder_and_then_the_last_one_used(desk_db, tmp_path):
    configured, chosen = tmp_path / "a-long-folder-name-for-digests" / "of-the-night-desk", tmp_path / "chosen"
    configured.mkdir(parents=True)
    chosen.mkdir()
    calls: list = []
    app = make_app(desk_db, calls, export_dir=configured)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#export-path").value.startswith(str(configured) + "/")
        assert f"/digest-{date.today().isoformat()}.md" in screen_text(app)  # a long folder: the name shows
        app.screen.query_one("#export-path").value = str(chosen / "night.md")
        await pilot.press("enter")
        await settle(pilot)
        assert calls == [("md", str(chosen / "night.md"))]
        await pilot.press("e")
        await settle(pilot)
        assert Path(app.screen.query_one("#export-path").value).parent == chosen
        # a bare name is written in the folder shown, not the current directory
        app.screen.query_one("#export-path").value = "bare.md"
        await pilot.press("enter")
        await settle(pilot)
        assert calls[-1] == ("md", str(chosen / "bare.md"))


async def test_an_existing_file_is_replaced_only_when_the_editor_says_so(desk_db, tmp_path):
    target = tmp_path / "digest.md"
    target.write_text("yesterday's digest")
    calls: list = []
    app = make_app(desk_db, calls)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "digest.md already exists in" in screen_text(app)
        await pilot.press("enter")  # focus starts on the safe answer
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog) and calls == []
        assert target.read_text() == "yesterday's digest"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog) and calls == []
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is app.desk
        assert calls == [("md", str(target))] and target.read_text() == "digest 1"


async def test_a_folder_or_a_missing_folder_is_refused_with_a_reason(desk_db, tmp_path):
    calls: list = []
    app = make_app(desk_db, calls)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        for value, said in ((str(tmp_path), "is a folder"), (str(tmp_path / "nope" / "d.md"), "No folder")):
            app.screen.query_one("#export-path").value = value
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ExportDialog)
            assert said in list(app._notifications)[-1].message
        assert calls == []


def test_run_app_hands_the_configured_folder_to_the_desk(desk_db, tmp_path, monkeypatch):
    """The CLI passes the config's export_dir to run_app; the dialog must propose it, not home."""
    from types import SimpleNamespace

    import tui.app

    seen = {}
    monkeypatch.setattr(tui.app.WiredeskApp, "run", lambda self: seen.setdefault("dir", self.desk.export_dir))
    tui.app.run_app(desk_db, SimpleNamespace(keys={}), "amira", export_dir=tmp_path / "digests")
    assert seen == {"dir": tmp_path / "digests"}
