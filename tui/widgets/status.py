"""One line under the panes: what the queue shows, active filters, picks, fetch progress."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..text import one_line


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; padding: 0 1; background: $boost; color: $text-muted; }
    """

    def show(self, parts: list[str], busy: str = "") -> None:
        pieces: list[str | tuple[str, str]] = [" · ".join(one_line(p) for p in parts if p)]
        if busy:
            pieces += ["   ", (one_line(busy), "bold $text-warning")]
        self.update(Content.assemble(*pieces))
