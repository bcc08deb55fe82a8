"""The diff pane's body: two reports side by side, from the pure model in ``tui.diffing``."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from ..diffing import Diff, Line, layout
from ..text import one_line
from .scroll import ReadingScroll

ROLE_STYLE = {
    "same": "",
    "changed": "bold $text-warning on $warning-muted",
    "unique": "$text-accent",
    "tag": "italic",
}
STANCE_STYLE = {"asserts": "bold $success", "denies": "bold $error", "reports": "bold $warning"}
MARKER_STYLE = {"changed": "bold $warning", "left": "bold $accent", "right": "bold $accent", "same": ""}
EMPTY = (
    "No reports to compare yet.\n\n"
    "In the queue (1): space on two items, then enter.\n"
    "In the claims (2): enter on a claim compares its two most disagreeing reports."
)


class DiffView(Widget):
    DEFAULT_CSS = """
    DiffView { height: auto; width: 1fr; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.diff: Diff | None = None
        self.caption = ""
        self._cache: tuple[int, list[Content]] | None = None

    def show(self, diff: Diff | None, caption: str = "") -> None:
        self.diff = diff
        self.caption = caption
        self._cache = None
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Content]:
        if self._cache and self._cache[0] == width:
            return self._cache[1]
        lines = self._build(width)
        self._cache = (width, lines)
        return lines

    def _build(self, width: int) -> list[Content]:
        if self.diff is None:
            return [part for line in EMPTY.split("\n") for part in (Content(line).wrap(max(width, 10)) or [Content("")])]
        column = max((width - 5) // 2, 8)
        d = self.diff
        out: list[Content] = []
        if self.caption:
            out.extend(Content.styled(one_line(self.caption), "italic $text-muted").wrap(max(width, 10)))
        heads = [
            (one_line(f"#{r.item_id} {r.outlet} · {r.when}", column), one_line(r.title, column)) for r in (d.left, d.right)
        ]
        out.append(Content.assemble("  ", (heads[0][0].ljust(column), "$text-accent"), " │ ", (heads[1][0], "$text-accent")))
        out.append(Content.assemble("  ", (heads[0][1].ljust(column), "bold"), " │ ", (heads[1][1], "bold")))
        out.append(Content("  " + "─" * column + "─┼─" + "─" * column))
        for line in layout(d, column):
            out.append(self._line(line, column))
        out.append(
            Content.assemble(
                (
                    f"{d.count('same')} same · {d.count('changed')} changed · {d.count('left')} only left · "
                    f"{d.count('right')} only right   ~ changed  < > only one side",
                    "$text-muted",
                )
            )
        )
        return out

    def _line(self, line: Line, column: int) -> Content:
        parts: list[str | tuple[str, str]] = [(line.marker, MARKER_STYLE.get(line.kind, "")), " "]
        used = 0
        for piece in line.left:
            parts.append((piece.text, self._style(piece.role, piece.text, line.left_stances)))
            used += len(piece.text)
        parts.append(" " * max(column - used, 0) + " │ ")
        for piece in line.right:
            parts.append((piece.text, self._style(piece.role, piece.text, line.right_stances)))
        return Content.assemble(*parts)

    @staticmethod
    def _style(role: str, text: str, stances: tuple[str, ...]) -> str:
        if role == "tag":
            stance = text.strip("[] ").split(" ", 1)[0]
            return STANCE_STYLE.get(stance, "italic")
        return ROLE_STYLE.get(role, "")

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_region.width or self.size.width))


class DiffScroll(ReadingScroll):
    """The diff pane: a focusable scroller around one DiffView (j k scroll it)."""
