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


def _heading(item_id: int, outlet: str, when: str, title: str, column: int) -> list[Content]:
    """A report's heading in ``column`` cells: "#id outlet · time" (the time on a line of its own
    when the whole does not fit, never cut), then its title on at most two lines."""
    meta = one_line(f"#{item_id} {outlet} · {when}")
    if len(meta) <= column:
        metas = [meta]
    else:
        metas = [one_line(f"#{item_id} {outlet} ·", column), one_line(when, column)]
    titles = Content(one_line(title)).wrap(column) or [Content("")]
    if len(titles) > 2:
        titles = [titles[0], Content(one_line(" ".join(t.plain.strip() for t in titles[1:]), column))]
    return [Content.styled(m, "$text-accent") for m in metas] + [t.stylize("bold") for t in titles]


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
        # Each side's heading wraps in its column rather than losing its end: cut to one line, the
        # time of a report from "National News Agency (NNA)" was gone at 80 columns, and half of
        # most titles with it.
        heads = [_heading(r.item_id, r.outlet, r.when, r.title, column) for r in (d.left, d.right)]
        for n in range(max(len(heads[0]), len(heads[1]))):
            left, right = (h[n] if n < len(h) else Content("") for h in heads)
            out.append(Content.assemble("  ", left, " " * max(column - left.cell_length, 0), " │ ", right))
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
