"""The wiredesk app: a desk screen over one SQLite database, keys from one table, remappable.

``run_app`` is what the CLI calls. Fetching and digest export live outside tui (the product
package wires them in as plain callables), so the app never imports fetchers or the exporter.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from textual.app import App

from .commands import DeskCommands
from .keys import APP_BINDINGS, DESK_BINDINGS
from .screens import DeskScreen, HelpScreen

KNOWN_IDS = {b.id for b in DESK_BINDINGS + APP_BINDINGS if b.id}


class DeskConfig(Protocol):
    """What the app reads from ``wiredesk.config.Config``."""

    keys: dict[str, str]


class WiredeskApp(App):
    TITLE = "wiredesk"
    CSS_PATH = ["desk.tcss"]
    BINDINGS = APP_BINDINGS
    COMMANDS = App.COMMANDS | {DeskCommands}

    def __init__(
        self,
        db_path: Path,
        editor: str,
        *,
        keys: dict[str, str] | None = None,
        poll_seconds: float = 1.0,
        fetch_now: Callable[[], list[str]] | None = None,
        export_digest: Callable[[str, str], str] | None = None,
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.editor = editor
        self.keymap = {k: v for k, v in (keys or {}).items() if k in KNOWN_IDS}
        self.unknown_keys = sorted(set(keys or {}) - KNOWN_IDS)
        self.desk = DeskScreen(
            self.db_path, editor, poll_seconds=poll_seconds, fetch_now=fetch_now, export_digest=export_digest
        )
        self._first_loads: set[str] | None = {"queue", "cards"}

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        self.push_screen(self.desk)
        if self.unknown_keys:
            self.notify(
                f"config [keys]: unknown action ids {', '.join(self.unknown_keys)} "
                f"(known: {', '.join(sorted(KNOWN_IDS))})",
                severity="warning",
                markup=False,
            )

    # Once the desk's first data is on screen, what is alive (Textual, the stylesheet, widgets, the
    # first pages) lives as long as the app. Frozen, the collector's full passes no longer walk it:
    # measured, those passes were the 50–100 ms pauses that landed on random keys.
    def on_desk_screen_queue_loaded(self) -> None:
        self._first_load_done("queue")

    def on_desk_screen_cards_loaded(self) -> None:
        self._first_load_done("cards")

    def _first_load_done(self, part: str) -> None:
        if self._first_loads is None:
            return
        self._first_loads.discard(part)
        if not self._first_loads:
            self._first_loads = None
            if isinstance(self.screen, DeskScreen):
                self.screen.prepare_item_screen()
            gc.collect()
            gc.freeze()

    def on_unmount(self) -> None:
        gc.unfreeze()  # the app's objects become collectable again (tests run many apps in one process)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(self.keymap))


def run_app(
    db_path: Path,
    config: DeskConfig,
    editor: str,
    *,
    fetch_now: Callable[[], list[str]] | None = None,
    export_digest: Callable[[str, str], str] | None = None,
) -> None:
    """Run the desk on ``db_path`` until the editor quits."""
    app = WiredeskApp(
        db_path, editor, keys=dict(getattr(config, "keys", {}) or {}), fetch_now=fetch_now, export_digest=export_digest
    )
    app.run()
