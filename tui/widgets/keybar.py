"""The footer: the screen's shown key bindings on one line, in one widget.

Textual's ``Footer`` recomposes a widget per key whenever the bindings change (every focus move,
every screen push and pop), and that restyling cost most of a key press on the desk. This bar
renders the same information as one ``Content`` line and only re-renders when it changes. A key
is clickable (mouse welcome): it simulates the key press, as the stock footer does.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

KEPT = {"help", "quit"}  # actions whose keys the bar shows at any width
# Too narrow for every key, the bar drops these first (the diff opens with enter from the queue or
# the claims; undo is for the odd slip), so search, filter and export keep their place at 80 columns.
DROPPED_FIRST = ("focus_pane('diff')", "undo")


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._content = Content("")
        self._spans: list[tuple[int, int, str]] = []  # (start cell, end cell, key) for mouse clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        content, spans = self.build()
        if content != self._content:
            self._content, self._spans = content, spans
            self.refresh()

    def build(self) -> tuple[Content, list[tuple[int, int, str]]]:
        keys: list[tuple[str, str, str, bool]] = []  # (display, description, key, enabled)
        actions: list[str] = []
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = binding
                continue
            if not binding.show or binding.action in actions:
                continue
            actions.append(binding.action)
            keys.append((self.app.get_key_display(binding), binding.description, binding.key, enabled))
        tail = None
        if palette is not None:
            tail = Content.assemble(
                ("▏", "$foreground 20%"),
                (self.app.get_key_display(palette), "bold $footer-key-foreground"),
                (f" {palette.description} ", "$footer-description-foreground"),
            )
        parts = [self._key(display, description, enabled) for display, description, _, enabled in keys]
        width = self.size.width
        if width and sum(part.cell_length for part in parts) > width:
            # Too narrow for every key: the palette's hint goes first, then the keys sit one space
            # apart instead of two (with 11 keys that is what lets 100 columns show them all), then
            # the least used keys go, then keys from the end of the line, never help and quit (help
            # lists every key; 80 columns cut both off before).
            tail = None
            parts = [self._key(display, description, enabled, tight=True) for display, description, _, enabled in keys]
            used = sum(part.cell_length for part in parts)
            order = [actions.index(a) for a in DROPPED_FIRST if a in actions]
            order += [n for n in reversed(range(len(keys))) if n not in order and actions[n] not in KEPT]
            dropped: set[int] = set()
            for n in order:
                if used <= width:
                    break
                dropped.add(n)
                used -= parts[n].cell_length
            keys = [key for n, key in enumerate(keys) if n not in dropped]
            parts = [part for n, part in enumerate(parts) if n not in dropped]
        elif tail is not None and width and sum(part.cell_length for part in parts) + 1 + tail.cell_length > width:
            tail = None
        spans: list[tuple[int, int, str]] = []
        x = 0
        for part, (_, _, key, _) in zip(parts, keys):
            spans.append((x, x + part.cell_length, key))
            x += part.cell_length
        line = Content("").join(parts)
        if tail is not None and palette is not None:
            gap = max(width - line.cell_length - tail.cell_length, 1)
            spans.append((x + gap, x + gap + tail.cell_length, palette.key))
            line = line + Content(" " * gap) + tail
        return line, spans

    @staticmethod
    def _key(display: str, description: str, enabled: bool, tight: bool = False) -> Content:
        """One key's hint, ending in a space so that two keys stand two spaces apart; ``tight``,
        without it (one space apart)."""
        # Keys and descriptions come from the binding table, never from feed text.
        dim = "" if enabled else " dim"
        return Content.assemble(
            (f" {display} ", f"bold $footer-key-foreground{dim}"),
            (description if tight else f"{description} ", f"$footer-description-foreground{dim}"),
        )

    def on_click(self, event) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return

    def on_resize(self) -> None:
        self._bindings_changed(self.screen)

    def render(self) -> Content:
        return self._content
