"""One item in full: its text with claim sentences highlighted by stance, and its claims listed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from db import ItemDetail

from ..format import local_time
from ..text import neutralise, one_line
from ..widgets import KeyBar, ReadingScroll

HIGHLIGHT = {"asserts": "on $success-muted", "denies": "on $error-muted", "reports": "on $warning-muted"}
STANCE = {"asserts": "bold $success", "denies": "bold $error", "reports": "bold $warning"}


def item_body(detail: ItemDetail) -> Content:
    text = neutralise(detail.text)
    body = Content(text)
    for m in detail.mentions:
        sentence = neutralise(m.sentence).strip()
        if not sentence:
            continue
        start = text.find(sentence)
        if start < 0:  # sentences are whitespace-normalised by extraction; try a prefix
            start = text.find(sentence[:40])
            end = start + len(sentence) if start >= 0 else -1
        else:
            end = start + len(sentence)
        if start >= 0:
            body = body.stylize(HIGHLIGHT.get(m.stance, "underline"), start, min(end, len(text)))
    return body


def item_claims(detail: ItemDetail) -> Content:
    if not detail.mentions:
        return Content.styled("No claims found in this item.", "$text-muted")
    lines = [Content.styled("Claims in this item", "bold")]
    seen = set()
    for m in detail.mentions:
        key = (m.place.key, m.event, m.stance)
        if key in seen:
            continue
        seen.add(key)
        figures = ", ".join(f"{f.value:,} {f.counted}" for f in m.numbers if f.value is not None)
        lines.append(
            Content.assemble(
                "  ",
                (f"{m.stance:<7}", STANCE.get(m.stance, "")),
                " ",
                (one_line(m.place.name), "bold"),
                f" · {m.event}",
                (f" · {figures}" if figures else "", "$text-accent"),
                (f" — {one_line(m.attributed_to)}" if m.attributed_to else "", "$text-muted"),
            )
        )
    return Content("\n").join(lines)


class ItemPart(Static):
    """A part of the item view: it does not scroll, so its virtual size is the size the layout just
    gave it. Textual sets that through a reactive that asks for another layout (a second layout and
    paint a frame later, ~20 ms more, whenever a part's height changes from one item to the next)."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class ItemScreen(Screen):
    AUTO_FOCUS = "#item-body"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
    ]

    def __init__(self, detail: ItemDetail | None = None) -> None:
        """``detail`` None: an empty screen, built ahead (``DeskScreen.prepare_item_screen``) and
        filled by ``show``."""
        super().__init__()
        self.detail = detail

    PARTS = ("item-title", "item-meta", "item-link", "item-text", "item-claims")

    def compose(self) -> ComposeResult:
        with ReadingScroll(id="item-body"):
            for part, content in self._parts().items():
                yield ItemPart(content, id=part)
        yield KeyBar()

    def _parts(self) -> dict[str, Content]:
        if self.detail is None:
            return dict.fromkeys(self.PARTS, Content(""))
        row = self.detail.row
        meta = f"{one_line(row.outlet)} · {local_time(row.published or row.sort_at)}"
        if self.detail.author:
            meta += f" · {one_line(self.detail.author)}"
        if row.cluster_size > 1:
            meta += f" · +{row.cluster_size - 1} outlets carry this story"
        return {
            "item-title": Content.styled(one_line(row.title), "bold $text-accent"),
            "item-meta": Content.styled(meta, "$text-muted"),
            "item-link": Content.styled(one_line(row.link), "underline $text-muted") if row.link else Content(""),
            "item-text": item_body(self.detail),
            "item-claims": item_claims(self.detail),
        }

    def on_mount(self) -> None:
        self._show_link()
        if not self.is_current:  # built ahead: lay it out too, off screen
            self.call_after_refresh(self._layout_ahead)

    def _show_link(self) -> None:
        # Built ahead (no detail), every part is laid out, the link line too: a part first shown by
        # the first fill would get its width then, and laying it out again cost a second layout and
        # paint a frame later (~20 ms more on the first enter).
        self.query_one("#item-link").display = self.detail is None or bool(self.detail.row.link)

    def _layout_ahead(self) -> None:
        # Textual lays a screen out when it is first shown, and the resizes that layout sends made
        # the first open re-lay out the desk below too (~4 layouts and 2 full paints against 1 and
        # none later). Done here, the first push finds the screen already at the app's size.
        if not self.is_current and self.app.size:
            self._refresh_layout(self.app.size)
            # A screen's repaint timer waits a whole frame before its first tick (~17 ms more on the
            # first enter); run once now, off screen (where a tick paints nothing), it is due at once.
            self._update_timer.resume()

    def show(self, detail: ItemDetail) -> None:
        """Show another item. The desk keeps one item screen and refills it: building a screen per
        item (widgets, styles, layout) cost more than the rest of the key press."""
        self.detail = detail
        parts = self._parts()
        statics = {static.id: static for static in self.query(Static) if static.id in parts}
        if len(statics) < len(parts):
            return  # not composed yet: compose shows ``detail``
        for part, content in parts.items():
            statics[part].update(content)
        self._show_link()
        self.query_one("#item-body", ReadingScroll).scroll_home(animate=False, immediate=True)

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#item-body", ReadingScroll)
        body.action_scroll_down() if direction == "down" else body.action_scroll_up()
