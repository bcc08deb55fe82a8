"""Every key, as currently mapped (config [keys] overrides included)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import APP_BINDINGS, DESK_BINDINGS, PANE_KEYS


def key_label(binding: Binding, keymap: dict[str, str]) -> str:
    keys = keymap.get(binding.id or "", binding.key)
    if binding.key_display and binding.id not in keymap:
        return binding.key_display
    return ", ".join("/" if k == "slash" else "?" if k == "question_mark" else k for k in keys.split(","))


def help_content(keymap: dict[str, str]) -> Content:
    lines = [Content.styled("wiredesk keys", "bold $text-accent"), Content("")]
    for binding in DESK_BINDINGS + APP_BINDINGS:
        lines.append(
            Content.assemble(
                (f"  {key_label(binding, keymap):<14}", "bold $text-accent"),
                binding.tooltip or binding.description,
            )
        )
    lines.append(Content(""))
    for key, what in PANE_KEYS:
        lines.append(Content.assemble((f"  {key:<14}", "bold $text-accent"), what))
    lines += [Content(""), Content.styled("escape or ? closes this help", "$text-muted")]
    return Content("\n").join(lines)


class HelpScreen(ModalScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Close"),
        Binding("question_mark", "app.pop_screen", "Close", show=False),
    ]

    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(help_content(self.keymap))
