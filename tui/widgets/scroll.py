"""A scroller for reading: every key moves it, however fast the keys come.

Textual's keyboard scrolling (up/down, page up/down, and ``scroll_down()`` called by a j binding)
waits for the next refresh and counts from where the last scroll *landed*: keys that arrive between
two refreshes (a held j, a burst over ssh, ten keys pasted by tmux) all scroll to the same line, and
ten j moved an item one line. Here each key scrolls at once, from where the previous one left it,
without an animation (which is what kept the position behind)."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll


class ReadingScroll(VerticalScroll):
    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]

    def _scroll_by(self, lines: float) -> None:
        self.scroll_to(y=self.scroll_y + lines, animate=False, immediate=True)

    def action_scroll_down(self) -> None:
        self._scroll_by(1)

    def action_scroll_up(self) -> None:
        self._scroll_by(-1)

    def action_page_down(self) -> None:
        self._scroll_by(self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._scroll_by(-self.scrollable_content_region.height)
