"""The wiredesk app: a desk screen over one SQLite database, keys from one table, remappable.

``run_app`` is what the CLI calls. Fetching and digest export live outside tui (the product
package wires them in as plain callables), so the app never imports fetchers or the exporter.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from textual import events
from textual.app import App
from textual.scrollbar import ScrollBar, ScrollBarRender

from .commands import DeskCommands
from .keys import APP_BINDINGS, DESK_BINDINGS
from .screens import DeskScreen, HelpScreen

KNOWN_IDS = {b.id for b in DESK_BINDINGS + APP_BINDINGS if b.id}

# Full collections wait for the editor to pause: automatic ones ran every few seconds of keys (each
# rendered line the caches keep is a few tracked objects) and took ~35 ms at 100k items, landing on
# whichever key came next. Automatic full passes then need this many younger passes (Python's
# default is 10), and a full pass runs once no key has come for IDLE_SECONDS, at most every
# COLLECT_EVERY seconds.
FULL_PASS_AFTER = 1000
IDLE_SECONDS = 1.0
COLLECT_EVERY = 10.0


class WholeCellScrollBarRender(ScrollBarRender):
    """Scroll bar thumbs in whole cells. Textual draws a thumb's ends as partial blocks (▂ ▆) in the
    track's colours, for precision; in many terminals the thumb's body hardly shows, and those ends
    read as stray fragments in the middle of the text (the item view, help at 80 columns)."""

    VERTICAL_BARS = [" "] * len(ScrollBarRender.VERTICAL_BARS)
    HORIZONTAL_BARS = [" "] * len(ScrollBarRender.HORIZONTAL_BARS)


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
        fetch_now: Callable[[], list] | None = None,  # one fetch cycle: each feed's outcome
        export_digest: Callable[[str, str], str] | None = None,
        export_dir: Path | None = None,
    ) -> None:
        super().__init__()
        ScrollBar.renderer = WholeCellScrollBarRender  # Textual's documented hook, for every scroll bar
        self.db_path = Path(db_path)
        self.editor = editor
        self.keymap = {k: v for k, v in (keys or {}).items() if k in KNOWN_IDS}
        self.unknown_keys = sorted(set(keys or {}) - KNOWN_IDS)
        self.desk = DeskScreen(
            self.db_path, editor, poll_seconds=poll_seconds, fetch_now=fetch_now, export_digest=export_digest,
            export_dir=export_dir,
        )
        self._first_loads: set[str] | None = {"queue", "cards"}
        self._last_input = time.monotonic()
        self._collected_at = 0.0
        self._thresholds: tuple[int, int, int] | None = None

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
            # Once that data is painted: the collection (~50 ms on a big desk) and the item screen
            # built ahead no longer hold the first paint back.
            self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        if isinstance(self.screen, DeskScreen):
            self.screen.style_scroll_bars()
            self.screen.prepare_item_screen()
        gc.collect()
        gc.freeze()
        self._thresholds = gc.get_threshold()
        gc.set_threshold(self._thresholds[0], self._thresholds[1], FULL_PASS_AFTER)
        self.set_interval(IDLE_SECONDS / 2, self._collect_when_idle, name="idle-collect")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _collect_when_idle(self) -> None:
        now = time.monotonic()
        if now - self._last_input < IDLE_SECONDS or now - self._collected_at < COLLECT_EVERY:
            return
        if gc.get_count()[2]:  # younger passes promoted objects since the last full pass
            gc.collect()
            self._collected_at = now

    def on_unmount(self) -> None:
        gc.unfreeze()  # the app's objects become collectable again (tests run many apps in one process)
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)

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
    fetch_now: Callable[[], list] | None = None,  # one fetch cycle: each feed's outcome
    export_digest: Callable[[str, str], str] | None = None,
    export_dir: Path | None = None,
) -> None:
    """Run the desk on ``db_path`` until the editor quits. ``export_dir``: the folder the export
    dialog proposes first (the config's ``export_dir``; default the home folder)."""
    app = WiredeskApp(
        db_path, editor, keys=dict(getattr(config, "keys", {}) or {}), fetch_now=fetch_now, export_digest=export_digest,
        export_dir=export_dir,
    )
    app.run()
