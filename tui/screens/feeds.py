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
        return f"{f.last_result}" + (f" ({f.last_status})" if f.last_status else "")


FEED_WIDTH = 28


def feed_cell(feed: Feed) -> Text:
    """The outlet, and under it where the feed comes from."""
    cell = Text(one_line(feed.display_outlet, FEED_WIDTH), style="bold")
    cell.append("\n" + short_source(one_line(feed.url), FEED_WIDTH), style="italic dim")
    cell.no_wrap = True
    return cell


def feed_detail(health: FeedHealth | None) -> Content:
    """The highlighted feed in full: its whole source, then its whole last error (or its state)."""
    if health is None:
        return Content.styled("No feeds yet: wiredesk feeds add URL adds one.", "$text-muted")
    f = health.feed
    lines = [Content.assemble(("Source: ", "bold"), (one_line(f.url), "$text-muted"))]
    if f.last_error:
        when = f" (last fetched {local_time(f.last_fetched)}" + (f", next try {local_time(f.next_due)})" if f.next_due else ")")
        lines.append(Content.assemble(("Last error: ", "bold $text-error"), one_line(f.last_error), (when, "$text-muted")))
    else:
        lines.append(Content.styled(f"{health.status} · no error", "$text-muted"))
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

    def compose(self) -> ComposeResult:
        yield Static("Feed health — escape to go back", id="feeds-title")
        yield DataTable(cursor_type="row", id="feeds-table")
        yield Static(id="feed-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Feed", FEED_WIDTH), ("Status", 16), ("Last fetched", 12), ("304s", 5),
                             ("Next due", 12), ("Today", 6), ("Last error", 40)):
            table.add_column(label, width=width)
        table.focus()
        self.load()
        # Read again while it shows: a fetcher (`fetch --watch`, `r`) keeps changing what it says. It
        # was a snapshot of the moment it opened: "Last fetched" and "Next due" went stale in front of
        # an editor watching a failing feed recover.
        self.set_interval(self.refresh_seconds, self.load)

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
        table = self.query_one(DataTable)
        keep = None
        if table.row_count:
            keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        table.clear()
        self.rows = rows
        if not message.rows:
            self._show_detail(None)
        for h in message.rows:
            f = h.feed
            table.add_row(
                feed_cell(f),
                Text(("⚠ " if f.last_result == "error" else "") + h.status, style="bold" if f.last_result == "error" else ""),
                Text(local_time(f.last_fetched)),
                Text(h.not_modified_share, justify="right"),
                Text(local_time(f.next_due) if f.next_due else "—"),
                Text(str(h.items_today), justify="right"),
                Text(one_line(f.last_error, 40) if f.last_error else "", style="italic"),
                key=str(f.id),
                height=2,
            )
        if keep in self.rows:  # the cursor stays on its feed
            table.move_cursor(row=table.get_row_index(keep), animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(self.rows.get(str(event.row_key.value)))

    def _show_detail(self, health: FeedHealth | None) -> None:
        self.query_one("#feed-detail", Static).update(feed_detail(health))

    def action_cursor(self, direction: str) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if direction == "down" else table.action_cursor_up()
