"""Every key, as currently mapped (config [keys] overrides included)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import APP_BINDINGS, DESK_BINDINGS, PANE_KEYS
from ..widgets import ReadingScroll

KEY_STYLE = "bold $text-accent"


def key_label(binding: Binding, keymap: dict[str, str]) -> str:
    keys = keymap.get(binding.id or "", binding.key)
    if binding.key_display and binding.id not in keymap:
        return binding.key_display
    return ", ".join("/" if k == "slash" else "?" if k == "question_mark" else k for k in keys.split(","))


def help_rows(keymap: dict[str, str]) -> list[tuple[str, str]]:
    """(keys, what they do) in the order help lists them; ("", "") separates the groups."""
    rows = [(key_label(b, keymap), b.tooltip or b.description) for b in DESK_BINDINGS + APP_BINDINGS]
    return rows + [("", "")] + list(PANE_KEYS)


class HelpScreen(ModalScreen):
    """Keys in one column, what they do in the next: a long description wraps under its own column,
    not back under the keys. j and k scroll, as everywhere else."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Close"),
        Binding("question_mark", "app.pop_screen", "Close", show=False),
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
    ]

    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with ReadingScroll(classes="dialog", id="help"):
            yield Static(Content.styled("wiredesk keys", "bold $text-accent"), id="help-title")
            with Grid(id="help-keys"):
                for key, what in help_rows(self.keymap):
                    yield Static(Content.styled(key, KEY_STYLE), classes="help-key")
                    yield Static(Content(what), classes="help-what")
            yield Static(Content.styled("j k scroll · escape or ? closes this help", "$text-muted"), id="help-end")

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help", ReadingScroll)
        body.action_scroll_down() if direction == "down" else body.action_scroll_up()
