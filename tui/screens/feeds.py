"""Feed health: is a source going quiet? Last status, last error, share of 304s, next due, items today.

Each row names its outlet and, under it, its source (URL or file, shortened): one outlet often has
several feeds (a wire's RSS and dispatches imported from files), and the outlet alone did not tell
the rows apart. Two lines in one column, not a column of its own, so the last error still shows
on a 120-column screen. Under the table, the highlighted feed in full: its whole source and its
whole last error (the column cuts an error at 40 characters, and at 80 columns it is off screen)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from db import Feed, Store

from ..format import local_time, short_source
from ..text import one_line
from ..widgets import KeyBar


@dataclass(frozen=True)
class FeedHealth:
    feed: Feed
    items_today: int

    @property
    def not_modified_share(self) -> str:
        if not self.feed.fetches:
            return "—"
        return f"{100 * self.feed.not_modified / self.feed.fetches:.0f}%"

    @property
    def status(self) -> str:
        f = self.feed
        if not f.enabled and f.last_result is None:
            return "disabled"
        if f.last_result == "error":
            return f"error ×{f.failures}"
        if f.last_result is None:
            return "never fetched"
        if f.last_result == "not_modified" and f.last_status == 304:
            return "not modified"  # (304) said twice; "not_modified (304)" was cut at 16 columns
        return _word(f.last_result) + (f" ({f.last_status})" if f.last_status else "")

    @property
    def short_status(self) -> str:
        """The status for a narrow table: the HTTP code only when it is not the usual one (200, and
        304 for "not modified"); the detail under the table has it in full."""
        f = self.feed
        if f.last_result in (None, "error"):
            return self.status
        usual = 304 if f.last_result == "not_modified" else 200
        return _word(f.last_result) + ("" if f.last_status in (None, usual) else f" ({f.last_status})")


def _word(result: str) -> str:
    return result.replace("_", " ")  # not_modified is a database word


FEED_WIDTH = 28
TIME_WIDTH = 12


@dataclass(frozen=True)
class Columns:
    """The table's columns for a screen width. Wide enough, every column at its width and the last
    error in what is left; narrower, the feed column gives some room, the status is the short one,
    the share of 304s moves to the detail under the table and the error is only there: at 80
    columns the fixed widths put "Next due" half off the screen and "Today" out of it."""

    feed: int
    status: int
    share: bool
    error: int  # 0: no column

    @classmethod
    def for_width(cls, width: int) -> "Columns":
        room = width - 1  # the vertical scroll bar, when there is one
        times = 2 * (TIME_WIDTH + 2) + (5 + 2)  # last fetched, next due, today
        full = FEED_WIDTH + 2 + 16 + 2 + 4 + 2 + times
        if room >= full:
            rest = room - full - 2
            return cls(FEED_WIDTH, 16, True, min(rest, 60) if rest >= 12 else 0)
        status = 13
        return cls(min(max(room - times - (status + 2) - 2, 16), 36), status, False, 0)


def feed_cell(feed: Feed, width: int = FEED_WIDTH) -> Text:
    """The outlet, and under it where the feed comes from."""
    cell = Text(one_line(feed.display_outlet, width), style="bold")
    cell.append("\n" + short_source(one_line(feed.url), width), style="italic dim")
    cell.no_wrap = True
    return cell


def feed_detail(health: FeedHealth | None, share: bool = False) -> Content:
    """The highlighted feed in full: its whole source, then its whole last error (or its state);
    with ``share``, the share of its fetches answered 304 (when the table has no column for it)."""
    if health is None:
        return Content.styled("No feeds yet: wiredesk feeds add URL adds one.", "$text-muted")
    f = health.feed
    lines = [Content.assemble(("Source: ", "bold"), (one_line(f.url), "$text-muted"))]
    if f.last_error:
        when = f" (last fetched {local_time(f.last_fetched)}" + (f", next try {local_time(f.next_due)})" if f.next_due else ")")
        lines.append(Content.assemble(("Last error: ", "bold $text-error"), one_line(f.last_error), (when, "$text-muted")))
    else:
        lines.append(Content.styled(f"{health.status} · no error", "$text-muted"))
    if share and f.fetches:
        lines[-1] = lines[-1] + Content.styled(f" · 304s: {health.not_modified_share} of {f.fetches} fetch{'es' if f.fetches > 1 else ''}", "$text-muted")
    return Content("\n").join(lines)


class FeedHealthScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]

    @dataclass
    class Loaded(Message):
        rows: list[FeedHealth]

    def __init__(self, db_path: Path, refresh_seconds: float = 2.0) -> None:
        super().__init__()
        self.db_path = db_path
        self.refresh_seconds = refresh_seconds
        self.rows: dict[str, FeedHealth] = {}
        self.columns: Columns | None = None

    def compose(self) -> ComposeResult:
        yield Static("Feed health — escape to go back", id="feeds-title")
        yield DataTable(cursor_type="row", id="feeds-table")
        yield Static(id="feed-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self._lay_out(self.size.width or self.app.size.width)
        self.query_one(DataTable).focus()
        self.load()
        # Read again while it shows: a fetcher (`fetch --watch`, `r`) keeps changing what it says. It
        # was a snapshot of the moment it opened: "Last fetched" and "Next due" went stale in front of
        # an editor watching a failing feed recover.
        self.set_interval(self.refresh_seconds, self.load)

    def on_resize(self, event) -> None:
        self._lay_out(event.size.width)

    def _lay_out(self, width: int) -> None:
        columns = Columns.for_width(width)
        if columns == self.columns:
            return
        self.columns = columns
        table = self.query_one(DataTable)
        keep = self._cursor_key()
        table.clear(columns=True)
        for label, w in (("Feed", columns.feed), ("Status", columns.status), ("Last fetched", TIME_WIDTH),
                         ("304s", 4 if columns.share else 0), ("Next due", TIME_WIDTH), ("Today", 5),
                         ("Last error", columns.error)):
            if w:
                table.add_column(label, width=w)
        self._fill(keep)

    def _cursor_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        with Store(self.db_path, migrate=False) as store:
            today = store.items_today()
            rows = [FeedHealth(f, today.get(f.id, 0)) for f in store.feeds()]
        self.post_message(self.Loaded(rows))

    def on_feed_health_screen_loaded(self, message: Loaded) -> None:
        rows = {str(h.feed.id): h for h in message.rows}
        if self.rows and rows == self.rows:
            return  # nothing changed since the last read
        keep = self._cursor_key()
        self.rows = rows
        if not message.rows:
            self._show_detail(None)
        self._fill(keep)

    def _fill(self, keep: str | None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        c = self.columns
        for h in self.rows.values():
            f = h.feed
            error = f.last_result == "error"
            cells = [
                feed_cell(f, c.feed),
                Text(("⚠ " if error else "") + (h.status if c.share else h.short_status), style="bold" if error else ""),
                Text(local_time(f.last_fetched)),
            ]
            if c.share:
                cells.append(Text(h.not_modified_share, justify="right"))
            cells += [Text(local_time(f.next_due) if f.next_due else "—"), Text(str(h.items_today), justify="right")]
            if c.error:
                cells.append(Text(one_line(f.last_error, c.error) if f.last_error else "", style="italic"))
            table.add_row(*cells, key=str(f.id), height=2)
        if keep in self.rows:  # the cursor stays on its feed
            table.move_cursor(row=table.get_row_index(keep), animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(self.rows.get(str(event.row_key.value)))

    def _show_detail(self, health: FeedHealth | None) -> None:
        share = self.columns is None or not self.columns.share
        self.query_one("#feed-detail", Static).update(feed_detail(health, share=share))

    def action_cursor(self, direction: str) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if direction == "down" else table.action_cursor_up()
