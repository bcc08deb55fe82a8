"""One line under the panes: what the queue shows, active filters, picks, fetch progress, and the
last verdict stored."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from ..text import one_line


class StatusLine(Widget):
    """A fixed one-line widget: a new text repaints this line only (``Static.update`` would lay out
    the whole screen again, on every verdict)."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1; width: 1fr; padding: 0 1; background: $boost; color: $text-muted;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._content = Content("")

    def show(self, parts: list[str], busy: str = "") -> None:
        pieces: list[str | tuple[str, str]] = [" · ".join(one_line(p) for p in parts if p)]
        if busy:
            pieces += ["   ", (one_line(busy), "bold $text-warning")]
        content = Content.assemble(*pieces)
        if content != self._content:
            self._content = content
            self.refresh()

    def render(self) -> Content:
        return self._content
