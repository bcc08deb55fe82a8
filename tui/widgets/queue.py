"""The queue: a window of incoming items, newest first, paged in from SQLite by the screen.

DataTable measures every cell it is given, so it only ever holds the pages loaded so far (≤ 500
rows each); the screen fetches the next page when the cursor nears the end (``NeedMore``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from db import ItemRow

from ..format import local_time
from ..text import one_line

UNREAD, PICKED = "●", "◆"
FIXED = {"mark": 1, "time": 12, "outlet": 16, "cluster": 10, "claims": 6}
COMPACT_MARK = 3  # two-line rows: the mark between spaces, in a column without padding
NEAR_END = 40


def meta_line(time: str, outlet: str | None, others: int, claims: int, width: int) -> Text:
    """A two-line row's first line, ``width`` cells: "21 Nov 22:05  Free Orient TV  +2 outlets     3",
    the claim count right-aligned under the column's "Claims". The time and the count stay whole;
    short of room, "+2 outlets" becomes "+2" before the outlet is cut (the outlet's name says more
    than the word), then the outlet is cut (to 8 characters at the least, else the cluster goes too).
    Feed text (the outlet) goes in as a plain string, never markup."""
    count = str(claims) if claims else ""
    name = one_line(outlet)

    def room_beside(cluster: str) -> int:
        return width - (len(time) + (2 + len(cluster) if cluster else 0) + 2 + len(count)) - 2

    if others > 0:
        marks = [f"+{others} outlet{'s' if others > 1 else ''}", f"+{others}"]
        cluster = next((mark for mark in marks if room_beside(mark) >= len(name)), marks[1])
        if room_beside(cluster) < min(8, len(name)):
            cluster = ""
    else:
        cluster = ""
    room = room_beside(cluster)
    line = Text(time)
    if name:
        line.append("  ")
        line.append(one_line(name, max(room, 1)), style="italic")
    if cluster:
        line.append(f"  {cluster}", style="dim")
    if count:
        line.append(" " * max(width - line.cell_len - len(count), 2))
        line.append(count)
    return line


def item_heading(width: int) -> Text:
    """The two-line rows' column heading: "Item" over the rows, "Claims" over their counts."""
    return Text("Item" + " " * max(width - 10, 2) + "Claims")


class QueueTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        # DataTable's home and end scroll sideways (its cell cursor's first and last column): in a row
        # list, with new items arriving at the top, home is the way back to the newest.
        Binding("home", "scroll_top", "Newest", show=False),
        Binding("end", "scroll_bottom", "Oldest loaded", show=False),
        Binding("space", "pick", "Pick for diff", show=False),
        Binding("escape", "clear_picks", "Clear picks", show=False),
    ]

    @dataclass
    class Opened(Message):
        """Enter on an item."""

        item_id: int

    @dataclass
    class Picked(Message):
        """The items picked for a diff changed (at most two, oldest pick first)."""

        item_ids: tuple[int, ...]

    class NeedMore(Message):
        """The cursor is near the last loaded row."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.picked: list[int] = []
        self.more = False
        self._rows: dict[int, ItemRow] = {}
        self._title_width = 40
        self._compact_width = 40
        # Per focus state, the look the rendered rows were made with (see ``render_lines``).
        self._looks: dict[object, tuple] = {}

    def on_mount(self) -> None:
        self._add_columns()

    # -- rendered rows kept across focus changes --------------------------------------------------

    def notify_style_update(self) -> None:
        """DataTable drops every rendered row on any style change, and moving focus is one (the
        focused table's cursor is brighter): every pane switch re-rendered the visible page (~45
        rows, ~50 ms at 160x48). Its row caches are keyed by the focus state and the base
        style already; the component styles (cursor, header) are not, so ``render_lines`` checks
        them per focus state and drops the rows only when they changed (a theme, a stylesheet)."""
        super(DataTable, self).notify_style_update()  # Widget's, not DataTable's cache clearing
        self._styles_cache.clear()
        self._get_styles_to_render_cell.cache_clear()  # not keyed by focus state
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        state = self.get_pseudo_class_state()
        look = (self.rich_style, *(self.get_component_rich_style(name) for name in sorted(self.COMPONENT_CLASSES)))
        if self._looks.get(state, look) != look:
            self._clear_caches()
            self._looks.clear()
        self._looks[state] = look
        return super().render_lines(crop)

    def on_resize(self) -> None:
        if self._wanted_title_width() != self._title_width or self._wanted_compact_width() != self._compact_width:
            self.show_rows(list(self._rows.values()), self.more)

    def _wanted_compact_width(self) -> int:
        """The item column's width in two-line rows: the pane's width less the scroll bar and the
        mark's column. The time is on the outlet line, so the title has the row (at 100 columns, with
        the time a column of its own, titles showed 17 characters), and the two columns have no cell
        padding: the mark is centred in its three cells."""
        width = (self.size.width - 1) if self.size.width else 80
        return max(width - COMPACT_MARK, 12)

    def _wanted_title_width(self) -> int:
        """The title column's width; 0 means the pane is narrow: two-line rows (meta, then title)."""
        width = (self.size.width - 1) if self.size.width else 120
        title = width - sum(FIXED.values()) - 2 * len(FIXED) - 1
        return title if title >= 30 else 0

    def _add_columns(self) -> None:
        self._title_width = self._wanted_title_width()
        if not self._title_width:
            self._compact_width = self._wanted_compact_width()
            self.cell_padding = 0
            self.add_column("", width=COMPACT_MARK, key="mark")
            self.add_column(item_heading(self._compact_width), width=self._compact_width, key="title")
            return
        self.cell_padding = 1
        self.add_column("", width=FIXED["mark"], key="mark")
        self.add_column("Time", width=FIXED["time"], key="time")
        self.add_column("Outlet", width=FIXED["outlet"], key="outlet")
        self.add_column("Title", width=self._title_width, key="title")
        self.add_column("Cluster", width=FIXED["cluster"], key="cluster")
        self.add_column("Claims", width=FIXED["claims"], key="claims")

    def clear(self, columns: bool = False):
        """Empty the table and the items it shows together: ``_rows`` always lists exactly the rows
        the table holds (a caller clearing the table alone left ``_rows`` naming rows that were gone,
        and the next update of one of them raised)."""
        self._rows = {}
        return super().clear(columns)

    @property
    def item_ids(self) -> list[int]:
        return list(self._rows)

    @property
    def current_item(self) -> int | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key
        except Exception:
            return None
        return int(key.value) if key.value is not None else None

    def _cells(self, row: ItemRow) -> list[Text]:
        mark = PICKED if row.id in self.picked else ("" if row.read else UNREAD)
        others = row.cluster_size - 1
        cluster = f"+{others} outlet{'s' if others > 1 else ''}" if others > 0 else ""
        if not self._title_width:
            meta = meta_line(local_time(row.sort_at), row.outlet, others, row.claim_count, self._compact_width)
            meta.append("\n")
            meta.append(one_line(row.title, self._compact_width), style="" if row.read else "bold")
            meta.no_wrap = True
            meta.overflow = "ellipsis"
            return [Text(mark, style="bold", justify="center"), meta]
        return [
            Text(mark, style="bold"),
            Text(local_time(row.sort_at)),
            Text(one_line(row.outlet, FIXED["outlet"]), style="italic"),
            Text(one_line(row.title, self._title_width), style="" if row.read else "bold"),
            Text(cluster, style="dim"),
            Text(str(row.claim_count) if row.claim_count else "", justify="right"),
        ]

    def show_rows(self, rows: list[ItemRow], more: bool, keep: int | None = None) -> None:
        """Replace the window; the cursor stays on item ``keep`` when it is still in it."""
        keep = self.current_item if keep is None else keep
        if self._wanted_title_width() != self._title_width or self._wanted_compact_width() != self._compact_width:
            self.clear(columns=True)
            self._add_columns()
        else:
            self.clear()
        self._rows = {}
        self.append_rows(rows, more)
        if keep is not None and keep in self._rows:
            self.move_cursor(row=self.get_row_index(str(keep)), animate=False, scroll=True)

    def merge_rows(self, rows: list[ItemRow], keep: int | None = None) -> None:
        """Add items stored since the window was read, each in its place (newest first); the cursor
        stays on item ``keep``. Items that sort below the last loaded row wait for their page. Rows
        already shown in the same cluster as a new one take its cluster size."""
        sizes = {row.cluster: row.cluster_size for row in rows if row.cluster is not None}
        shown = [replace(r, cluster_size=sizes[r.cluster]) if r.cluster in sizes else r for r in self._rows.values()]
        if self.more and shown:
            last = min((r.sort_at, r.id) for r in shown)
            rows = [r for r in rows if (r.sort_at, r.id) > last]
        merged = {r.id: r for r in shown}
        merged.update((r.id, r) for r in rows)
        ordered = sorted(merged.values(), key=lambda r: (r.sort_at, r.id), reverse=True)
        anchor = self._anchor(keep)
        self.show_rows(ordered, self.more, keep=keep)
        if anchor is not None:
            self.call_after_refresh(self._restore_anchor, *anchor)

    def _row_height(self) -> int:
        return 1 if self._title_width else 2

    def _anchor(self, keep: int | None) -> tuple[int, int] | None:
        """Where the editor is in the list when it is scrolled down from the top: an item (the cursor's,
        else the first in view) and the row of the pane it shows on. At the top of the list new items
        show above the cursor, which moves down with its item; scrolled down, the rows stay put. The
        table is rebuilt on a merge (scrolled back to the top, then just far enough to show the
        cursor), and every merge put the cursor on the pane's last row, wherever the editor had it."""
        top = round(self.scroll_y)
        if not top or not self._rows:
            return None
        height, view = self._row_height(), self.scrollable_content_region.height - self.header_height
        ids = list(self._rows)
        if keep in self._rows:
            row = ids.index(keep) * height - top
            if 0 <= row < view:
                return keep, row
        first = min(top // height, len(ids) - 1)
        return ids[first], first * height - top

    def _restore_anchor(self, item_id: int, row: int) -> None:
        if item_id not in self._rows:
            return
        y = list(self._rows).index(item_id) * self._row_height() - row
        self.scroll_to(y=max(0, y), animate=False, force=True)

    def append_rows(self, rows: list[ItemRow], more: bool) -> None:
        self.more = more
        for row in rows:
            if row.id in self._rows:
                continue
            self._rows[row.id] = row
            self.add_row(*self._cells(row), key=str(row.id), height=1 if self._title_width else 2)

    def set_read_among(self, read: set[int]) -> None:
        """Mark these items read where they are shown unread (opened by another editor: the read mark
        is the desk's). Never the other way: an item this editor just opened may be marked read on
        screen before the read that brought ``read`` was made."""
        for item_id in [i for i in read if i in self._rows and not self._rows[i].read]:
            self.set_read(item_id)

    def set_read(self, item_id: int) -> None:
        row = self._rows.get(item_id)
        if row is None or row.read:
            return
        self._rows[item_id] = replace(row, read=True)
        self._refresh_row(item_id)

    def _refresh_row(self, item_id: int) -> None:
        row = self._rows.get(item_id)
        if row is None:  # not in the window shown (a pick made under another search, say)
            return
        cells = self._cells(row)
        try:
            self.update_cell(str(item_id), "mark", cells[0])
            self.update_cell(str(item_id), "title", cells[-1] if not self._title_width else cells[3])
        except (RowDoesNotExist, CellDoesNotExist):
            pass

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.more and event.cursor_row >= self.row_count - NEAR_END:
            self.post_message(self.NeedMore())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Opened(int(event.row_key.value)))

    def action_pick(self) -> None:
        item = self.current_item
        if item is None:
            return
        if item in self.picked:
            self.picked.remove(item)
        else:
            self.picked.append(item)
            if len(self.picked) > 2:
                self._refresh_row(self.picked.pop(0))
        self._refresh_row(item)
        self.post_message(self.Picked(tuple(self.picked)))

    def action_clear_picks(self) -> None:
        picked, self.picked = self.picked, []
        for item in picked:
            self._refresh_row(item)
        self.post_message(self.Picked(()))
