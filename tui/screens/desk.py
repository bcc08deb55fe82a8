"""The desk: queue, claims and diff panes, coordinated.

The screen owns the selection and every database access. Each read or write runs in a thread
worker that opens its own ``Store`` (a Store belongs to the thread that opened it) and posts a
message back; the event loop never runs SQL. A poll worker watches ``PRAGMA data_version`` so
writes by other processes (a fetcher, a second editor) show up within about a second.

Live reloads are coalesced: at most one is in flight, changes meanwhile only mark the desk dirty, and
while a fetch streams in they start at most once per ``reload_gap`` seconds. The editor's keys never
wait for them, and a verdict shown on screen is never overwritten by a reload that read the database
before it was stored.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from claims.types import Mention
from db import ClaimView, ItemDetail, ItemRow, PlaceCard, Store, VerdictResult

from ..diffing import Diff, Report, build, most_disagreeing
from ..format import local_time
from ..keys import DESK_BINDINGS
from ..text import one_line
from ..widgets import ClaimsList, DiffScroll, DiffView, KeyBar, QueueTable, StatusLine
from .dialogs import ExportDialog, FilterDialog, Filters, NoteDialog, SearchDialog
from .feeds import FeedHealthScreen
from .item import ItemScreen

PAGE = 200  # rows per queue page: DataTable first paint grows with rows held, so hold few
CARDS_PAGE = 25  # places per page of cards, most recently active first; more load as the editor scrolls
# The first page of cards (at start, after a filter): a few screens of claims. Reading and laying out
# 25 places' cards was most of the first paint's own work at 100k items (~40 ms to read, ~90 ms to
# wrap 150 claims); the rest page in as the editor moves, or at once when they do not fill the pane.
FIRST_CARDS_PAGE = 12
MAX_CARDS_WINDOW = 500  # a live refresh reloads at most this many places from the top
MENTIONS_SHOWN = 12  # newest mentions per claim on a card; the rest are counted, and open in the diff
# Mentions a claim's `enter` compares pairwise for the two that disagree most (~20,000 pairs at most,
# in a worker thread).
MENTIONS_COMPARED = 200
MAX_WINDOW = 1000  # a live refresh reloads at most this many rows around the top
RELOAD_GAP = 1.0  # seconds between the starts of two live reloads while changes keep arriving
PANES = ("queue", "claims", "diff")


class DeskScreen(Screen):
    BINDINGS = DESK_BINDINGS
    # Textual repaints the whole screen whenever focus moves (Screen.focused repaints by default);
    # the widgets whose look depends on focus restyle and repaint themselves (their :focus and
    # :focus-within rules), so a pane switch need not recompose the other panes, the status line
    # and the key bar as well (measured: a full-screen paint of ~40 ms on every `1`/`2`/`3`).
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (170, "-wide")]

    # -- messages from workers -------------------------------------------------------------

    @dataclass
    class QueueLoaded(Message):
        rows: list[ItemRow]
        more: bool
        append: bool
        keep: int | None
        live: bool
        total: int
        seen_id: int = 0  # the newest item id when the read began: later items are read as new ones
        new_only: bool = False  # ``rows`` are only the items stored since the last read, to merge
        filters: Filters | None = None  # what the rows were read for (None: the filters of the time)
        read: set[int] | None = None  # with ``new_only``: which of the rows shown are read now

    @dataclass
    class QueueFailed(Message):
        """A read of the queue failed (a search the index cannot read, say): the list stays as it was."""

        filters: Filters
        error: str
        append: bool = False

    @dataclass
    class CardsLoaded(Message):
        cards: list[PlaceCard]
        keep: int | None
        after: tuple[str, str] | None  # where the next page starts; None: every card is loaded
        append: bool = False
        start: tuple[str, str] | None = None  # the page an appended one follows
        verdicts_seen: int = -1  # verdicts shown before the read began (-1: not tracked)
        new_list: bool = False  # read for new filters (or the first read), not the list shown read again

    @dataclass
    class LiveLoaded(Message):
        """One coalesced live reload: the queue window and the cards window, read together."""

        queue: DeskScreen.QueueLoaded
        cards: DeskScreen.CardsLoaded
        filters: Filters

    @dataclass
    class ItemLoaded(Message):
        detail: ItemDetail

    @dataclass
    class DiffLoaded(Message):
        diff: Diff
        caption: str
        focus: bool
        claim_id: int | None = None  # the claim whose reports these are (None: two items picked)

    @dataclass
    class VerdictStored(Message):
        result: VerdictResult
        claim: ClaimView
        undo: bool = False
        note: bool = False

    @dataclass
    class VerdictFailed(Message):
        """A verdict, note or undo could not be stored: what to tell the editor."""

        error: str

    @dataclass
    class DatabaseChanged(Message):
        version: int

    @dataclass
    class FilterChoices(Message):
        outlets: list[str]
        places: list[tuple[str, str]]

    @dataclass
    class Done(Message):
        """A background job (fetch, export) finished: what to tell the editor."""

        text: str
        severity: str = "information"

    def __init__(
        self,
        db_path: Path,
        editor: str,
        *,
        poll_seconds: float = 1.0,
        reload_gap: float = RELOAD_GAP,
        fetch_now: Callable[[], list] | None = None,  # one fetch cycle: each feed's outcome
        export_digest: Callable[[str, str], str] | None = None,
        export_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.editor = editor
        self.poll_seconds = poll_seconds
        self.reload_gap = reload_gap
        self.fetch_now = fetch_now
        self.export_digest = export_digest
        # Where the export dialog proposes to write: the configured folder, else the home folder (the
        # current directory is wherever the app was started; the database's folder is a hidden data
        # folder, or a temporary one for the demo). The last export's folder after that.
        self.export_dir = Path(export_dir).expanduser() if export_dir else Path.home()
        self.filters = Filters()
        self.shown = self.filters  # the filters of the rows the queue shows (a load may be on its way)
        self.total = 0
        self.picked: tuple[int, ...] = ()
        self.diff_items: tuple[int, int] | None = None
        self.diff_claim: int | None = None  # the claim the diff shown compares reports of
        self.active = "queue"
        self.right = "claims"
        self.busy = ""
        self.said = ""  # the outcome of the editor's last action (verdict, undo, export, fetch, search)
        self.cards_after: tuple[str, str] | None = None
        self._cards_asked: tuple[str, str] | None = None
        self._claim_id: int | None = None
        # Live reloads: one in flight at most; ``reloads`` counts the ones started.
        self.reloads = 0
        self._seen_item_id = 0  # the newest item id the queue's last read could see
        self._live_running = False
        self._live_dirty = False
        self._live_started = float("-inf")
        self._live_timer = None
        # Verdicts shown, counted; a claim shown after a verdict, kept until a read that began after
        # it has been shown (an older read must not put the claim's previous status back on screen).
        self._verdicts_shown = 0
        self._fresh: dict[int, tuple[int, ClaimView]] = {}
        # Verdicts, notes and undos are written one at a time, in the order the keys were pressed, by
        # one worker at a time (``write_verdicts``). A worker each raced: `v` then `d` pressed while a
        # fetch held the write lock could be stored `d` then `v`, the claim left verified, and `z z`
        # could undo one verdict twice.
        self._verdict_jobs: deque[Callable[[Store], Message]] = deque()
        self._verdict_lock = threading.Lock()
        self._verdict_writing = False
        # The status this editor's latest verdict, note or undo left each claim in, this session: another
        # editor changing it is told (``_tell_replaced``).
        self._my_statuses: dict[int, str] = {}
        # Whether the queue and the cards have been read once: before that an empty pane is not news.
        self._queue_read = False
        self._cards_read = False
        self._empty_texts: dict[str, str] = {}

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="queue-pane", classes="pane"):
                yield QueueTable(id="queue")
                yield Static(id="queue-empty", classes="empty")
            with Vertical(id="claims-pane", classes="pane"):
                yield ClaimsList(id="claims")
                yield Static(id="claims-empty", classes="empty")
            with DiffScroll(id="diff-pane", classes="pane"):
                yield DiffView(id="diff")
        yield StatusLine(id="status")
        yield KeyBar()

    @property
    def queue(self) -> QueueTable:
        return self.query_one(QueueTable)

    @property
    def claims(self) -> ClaimsList:
        return self.query_one(ClaimsList)

    @property
    def diff_view(self) -> DiffView:
        return self.query_one(DiffView)

    def pane_widget(self, name: str):
        return {"queue": self.queue, "claims": self.claims, "diff": self.query_one(DiffScroll)}[name]

    def on_mount(self) -> None:
        self.query_one("#queue-pane").border_title = "1 Queue"
        self.query_one("#claims-pane").border_title = "2 Claims"
        self.query_one("#diff-pane").border_title = "3 Diff"
        self._show_panes(every_class=True)
        self.queue.focus()
        self.load_queue(keep=None)
        self.load_cards(self.filters, None)
        self.poll()
        self._status()

    def _show_panes(self, *, every_class: bool = False) -> None:
        # A class change restyles the node's whole subtree (the lists inside re-render from scratch),
        # so classes go on the panes, not the screen, and a pane switch updates only the class the
        # current layout reads: "-active" (narrow) or "-right" (medium). A resize, which can change
        # the layout, brings every class up to date.
        narrow, medium = self.has_class("-narrow"), self.has_class("-medium")
        for name in PANES:
            pane = self.query_one(f"#{name}-pane")
            if every_class or narrow:
                pane.set_class(self.active == name, "-active")
            if every_class or medium:
                pane.set_class(self.right == name, "-right")

    def on_resize(self, event: events.Resize) -> None:
        self._show_panes(every_class=True)

    def on_descendant_focus(self, event) -> None:
        for name in PANES:
            pane = self.query_one(f"#{name}-pane")
            if event.widget is pane or pane in event.widget.ancestors:
                self.active = name
                if name != "queue":
                    self.right = name
                self._show_panes()
                return

    def action_focus_pane(self, name: str, diff_picks: bool = True) -> None:
        """``diff_picks``: focusing the diff shows the two items picked, if it shows something else
        (3 after picking two); not when the diff was just filled with another pair (a claim's)."""
        self.active = name
        if name != "queue":
            self.right = name
        self._show_panes()
        if diff_picks and name == "diff" and len(self.picked) == 2 and self.diff_items != tuple(self.picked):
            self.load_diff(self.picked[0], self.picked[1], "", focus=False)
        # At once, not after the keys already queued (``Widget.focus`` defers to the app's queue):
        # "1" then enter typed quickly must open the queue's item, not act on the pane left.
        self.set_focus(self.pane_widget(name))

    def action_next_pane(self) -> None:
        self.action_focus_pane(PANES[(PANES.index(self.active) + 1) % len(PANES)])

    def _status(self) -> None:
        # What the queue shows, with the filters it was read for (a new filter's read may be on its way).
        # "N matching" only when a filter of the items is on: status and contested filter the claims,
        # and under them the queue holds every item ("59 matching · status unverified" read as if 59
        # items were unverified).
        shown = self.queue.row_count
        items_filtered = _item_filters(self.shown).describe()
        parts = [f"{shown}{'+' if self.queue.more else ''} matching" if items_filtered else f"{self.total:,} items"]
        parts += self.shown.describe()
        if self.picked:
            parts.append(f"{len(self.picked)} picked for diff")
        if self.said:  # before the editor's name: on a narrow screen the line is cut at the end
            parts.append(self.said)
        parts.append(f"editor {self.editor}")
        self.query_one(StatusLine).show(parts, self.busy)

    # -- stores in threads -------------------------------------------------------------------

    @contextmanager
    def _store(self) -> Iterator[Store]:
        store = Store(self.db_path, migrate=False)
        try:
            yield store
        finally:
            store.close()

    def _post(self, message: Message) -> None:
        if not get_current_worker().is_cancelled:
            self.post_message(message)

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False)
    def load_queue(self, keep: int | None, window: int = PAGE, live: bool = False) -> None:
        f = self.filters
        try:
            with self._store() as store:
                seen_id = store.max_item_id()
                rows = store.items(limit=window + 1, search=f.search, outlet=f.outlet, unread=f.unread, place_key=f.place_key)
                total = store.item_count()
        except Exception as error:  # noqa: BLE001 — told to the editor; the list shown stays as it was
            self._post(self.QueueFailed(f, plain_error(error)))
            return
        self._post(self.QueueLoaded(rows[:window], len(rows) > window, False, keep, live, total, seen_id, filters=f))

    @work(thread=True, exclusive=True, group="queue-more", exit_on_error=False)
    def load_more(self, before: tuple[str, int]) -> None:
        f = self.shown  # the next page of the list shown
        try:
            with self._store() as store:
                rows = store.items(
                    limit=PAGE + 1, before=before, search=f.search, outlet=f.outlet, unread=f.unread, place_key=f.place_key
                )
        except Exception as error:  # noqa: BLE001
            self._post(self.QueueFailed(f, plain_error(error), append=True))
            return
        self._post(self.QueueLoaded(rows[:PAGE], len(rows) > PAGE, True, None, False, self.total, filters=f))

    @work(thread=True, exclusive=True, group="cards", exit_on_error=False)
    def load_cards(self, filters: Filters, keep: int | None, window: int = FIRST_CARDS_PAGE) -> None:
        seen = self._verdicts_shown  # before the read: verdicts shown later are fresher than it
        with self._store() as store:
            cards, after = self._card_page(store, filters, None, window)
        self._post(self.CardsLoaded(cards, keep, after, verdicts_seen=seen, new_list=True))

    @work(thread=True, group="live", exit_on_error=False)
    def live_reload(self, filters: Filters, keep: int | None, window: int, cards_window: int, seen_id: int,
                    shown: tuple[int, ...] = ()) -> None:
        """After other writers' changes, in one worker and one Store: the items stored since the
        queue's last read (``seen_id``; the whole window if none was read or too many arrived), which
        of the items ``shown`` another editor has read since, and the cards window."""
        seen = self._verdicts_shown
        f = filters
        with self._store() as store:
            newest = store.max_item_id()
            rows: list[ItemRow] = []
            new_only = seen_id > 0
            read = store.read_among(shown) if new_only else None
            if new_only and newest > seen_id:
                rows = store.items(limit=MAX_WINDOW + 1, search=f.search, outlet=f.outlet, unread=f.unread,
                                   place_key=f.place_key, ids=(seen_id, newest))
                new_only = len(rows) <= MAX_WINDOW
            if not new_only:
                rows = store.items(limit=window + 1, search=f.search, outlet=f.outlet, unread=f.unread, place_key=f.place_key)
            total = store.item_count()
            cards, after = self._card_page(store, filters, None, cards_window)
        if new_only:
            queue = self.QueueLoaded(rows, False, False, keep, True, total, newest, new_only=True, read=read)
        else:
            queue = self.QueueLoaded(rows[:window], len(rows) > window, False, keep, True, total, newest)
        self.post_message(self.LiveLoaded(queue, self.CardsLoaded(cards, None, after, verdicts_seen=seen), filters))

    @work(thread=True, exclusive=True, group="cards-more", exit_on_error=False)
    def load_more_cards(self, filters: Filters, after: tuple[str, str]) -> None:
        with self._store() as store:
            cards, after_next = self._card_page(store, filters, after, CARDS_PAGE)
        self._post(self.CardsLoaded(cards, None, after_next, append=True, start=after))

    @staticmethod
    def _card_page(
        store: Store, filters: Filters, after: tuple[str, str] | None, window: int
    ) -> tuple[list[PlaceCard], tuple[str, str] | None]:
        """At least ``window`` places' cards (fewer at the end) that pass the filters, and where the
        next page starts. Only what a page shows is read: the first paint costs the same on any desk."""
        def passing(cards: list[PlaceCard]) -> list[PlaceCard]:
            # An outlet's claims are read from all their mentions (a card holds only the newest), and
            # each shows the outlet's own: what the editor filtered for.
            if not filters.outlet:
                return _filter_cards(cards, filters)
            own = store.outlet_mentions([c.id for card in cards for c in card.claims], filters.outlet, MENTIONS_SHOWN)
            return _filter_cards(cards, filters, own)

        if filters.place_key:
            return passing(store.place_cards(filters.place_key, mentions_per_claim=MENTIONS_SHOWN)), None
        shown: list[PlaceCard] = []
        while len(shown) < window:
            page = store.place_cards(mentions_per_claim=MENTIONS_SHOWN, limit=window, after=after)
            if page:
                after = (page[-1].last_seen, page[-1].place.key)
            shown += passing(page)
            if len(page) < window:
                return shown, None
        return shown, after

    @work(thread=True, exclusive=True, group="item", exit_on_error=False)
    def load_item(self, item_id: int) -> None:
        with self._store() as store:
            detail = store.item(item_id)
            if not detail.row.read:
                store.mark_read(item_id)
        self._post(self.ItemLoaded(detail))

    @work(thread=True, exclusive=True, group="diff", exit_on_error=False)
    def load_diff(self, a: int, b: int, caption: str, focus: bool = True, claim_id: int | None = None) -> None:
        with self._store() as store:
            left, right = store.item(a), store.item(b)
        diff = build(_report(left), _report(right))
        self._post(self.DiffLoaded(diff, caption, focus, claim_id))

    def store_verdict(
        self, claim_id: int, status: str, note: str | None, seen: tuple[int, ...], seen_verdict: int, seen_upto: int = 0
    ) -> None:
        """``seen_verdict`` 0 means the editor saw no verdict, so any stored since is reported."""
        def job(store: Store) -> Message:
            result = store.add_verdict(
                claim_id, status, self.editor, note, seen_mentions=seen, seen_upto=max(seen_upto, *seen, 0),
                seen_verdict=seen_verdict,
            )
            return self.VerdictStored(result, self._card_claim(store, claim_id))

        self._queue_verdict(job)

    def store_note(self, claim_id: int, note: str, seen: tuple[int, ...], seen_verdict: int, seen_upto: int = 0) -> None:
        """A note keeps the claim's status as it is when stored (``Store.add_note``), not the status
        shown when the dialog opened: another editor may decide while this one types."""
        def job(store: Store) -> Message:
            result = store.add_note(
                claim_id, self.editor, note, seen_mentions=seen, seen_upto=max(seen_upto, *seen, 0),
                seen_verdict=seen_verdict,
            )
            return self.VerdictStored(result, self._card_claim(store, claim_id), note=True)

        self._queue_verdict(job)

    def undo_verdict(self) -> None:
        def job(store: Store) -> Message:
            result = store.undo(self.editor)
            claim = self._card_claim(store, result.verdict.claim_id) if result else None
            if result is None or claim is None:
                return self.Done("Nothing of yours to undo", "warning")
            return self.VerdictStored(result, claim, undo=True)

        self._queue_verdict(job)

    def _queue_verdict(self, job: Callable[[Store], Message]) -> None:
        with self._verdict_lock:
            self._verdict_jobs.append(job)
            if self._verdict_writing:
                return  # the running writer takes it after the ones before it
            self._verdict_writing = True
        self.write_verdicts()

    @work(thread=True, group="verdict", exit_on_error=False)
    def write_verdicts(self) -> None:
        """Write the queued verdicts in order, each in its own short transaction, until none is left."""
        try:
            while True:
                with self._verdict_lock:
                    if not self._verdict_jobs:
                        self._verdict_writing = False
                        return
                    job = self._verdict_jobs.popleft()
                try:
                    with self._store() as store:
                        message = job(store)
                except Exception as error:  # noqa: BLE001 — told to the editor; the next verdict is still written
                    message = self.VerdictFailed(plain_error(error))
                self.post_message(message)
        finally:
            with self._verdict_lock:  # ended otherwise than by an empty queue: the next key starts a writer
                self._verdict_writing = False

    def _card_claim(self, store: Store, claim_id: int) -> ClaimView:
        """A claim as its card shows it: its newest mentions, or under an outlet filter the outlet's."""
        claim = store.claim(claim_id, mentions_per_claim=MENTIONS_SHOWN)
        outlet = self.filters.outlet
        if outlet:
            own = store.outlet_mentions([claim_id], outlet, MENTIONS_SHOWN).get(claim_id, ())
            claim = replace(claim, mentions=own, shown_outlet=outlet)
        return claim

    @work(thread=True, exclusive=True, group="choices", exit_on_error=False)
    def load_filter_choices(self) -> None:
        with self._store() as store:
            outlets = store.outlets()
            places = sorted(store.place_names())
        self._post(self.FilterChoices(outlets, places))

    @work(thread=True, exclusive=True, group="fetch", exit_on_error=False)
    def run_fetch(self) -> None:
        assert self.fetch_now is not None
        outcomes = self.fetch_now()
        if not outcomes:
            self.post_message(self.Done("Fetched: no feeds configured"))
            return
        text, failed = fetch_summary(outcomes)
        self.post_message(self.Done(text, "warning" if failed else "information"))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(self, fmt: str, path: str) -> None:
        assert self.export_digest is not None
        result = self.export_digest(fmt, path) or f"Digest written to {path}"
        # Home written ~ (an 80-column status line keeps the file name).
        self.post_message(self.Done(result.replace(f"{Path.home()}/", "~/")))

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def poll(self) -> None:
        worker = get_current_worker()
        with self._store() as store:
            version = store.data_version()
            while not worker.is_cancelled:
                deadline = time.monotonic() + self.poll_seconds
                while time.monotonic() < deadline and not worker.is_cancelled:
                    time.sleep(0.05)
                if worker.is_cancelled:
                    return
                now = store.data_version()
                if now != version:
                    version = now
                    self.post_message(self.DatabaseChanged(now))

    # -- results -------------------------------------------------------------------------------

    def on_desk_screen_queue_loaded(self, message: QueueLoaded) -> None:
        table = self.queue
        if message.append:
            if message.filters is not None and message.filters is not self.shown:
                return  # a page of a list replaced since
            table.append_rows(message.rows, message.more)
        elif message.new_only:
            self._seen_item_id = max(self._seen_item_id, message.seen_id)
            before = set(table.item_ids)
            if message.read:
                table.set_read_among(message.read)  # items another editor opened: no longer unread
            if message.rows:
                table.merge_rows(message.rows, keep=message.keep)
        else:
            if message.filters is not None and message.filters is not self.filters:
                return  # read for filters replaced since; their own read is on its way
            self._seen_item_id = message.seen_id
            before = set(table.item_ids) if self.shown is self.filters else set()
            self.shown = self.filters
            table.show_rows(message.rows, message.more, keep=message.keep)
        if not message.append:
            if message.live and before:
                new = [r for r in message.rows if r.id not in before]
                if new:
                    self.notify(
                        f"{len(new)} new item{'s' if len(new) > 1 else ''}: {one_line(new[0].outlet, 30)} — {one_line(new[0].title, 60)}",
                        title="Queue",
                        timeout=4,
                        markup=False,
                    )
        self.total = message.total
        self._queue_read = True
        self._status()
        self._show_empty_states()

    def on_desk_screen_queue_failed(self, message: QueueFailed) -> None:
        tried = message.filters
        if message.append:
            if tried is self.shown:
                self._say(f"Could not load more items: {message.error}", "warning")
            return
        if tried is not self.filters:
            return  # filters replaced since
        # Back to the filters of the list shown, which stays as it was; the cards follow them too.
        self.filters = self.shown
        if _card_filters(tried) != _card_filters(self.shown):
            self.load_cards(self.filters, None)
        if tried.search and tried.search != self.shown.search:
            what = f"Search “{one_line(tried.search, 40)}” failed"
        else:
            what = "Could not load the items"
        self._say(f"{what} ({message.error}); the list is unchanged", "warning")

    def _say(self, text: str, severity: str = "information") -> None:
        """An outcome for the editor: on the status line (replacing the last one) and in a toast."""
        self.said = text
        self._status()
        self.notify(text, severity=severity, markup=False)  # type: ignore[arg-type]

    def on_desk_screen_cards_loaded(self, message: CardsLoaded) -> None:
        if message.verdicts_seen >= 0:
            message = replace(message, cards=self._with_fresh_claims(message.cards, message.verdicts_seen))
        if message.append:
            if message.start != self.cards_after:
                return  # a page of an older list, replaced since
            self.cards_after = message.after
            self.claims.append_cards(message.cards, more=message.after is not None)
            return
        self.cards_after = message.after
        keep = message.keep if message.keep is not None else (self.claims.selected_claim.id if self.claims.selected_claim else None)
        if message.verdicts_seen >= 0 and message.keep is None:  # a live reload: redraw only what changed
            if not message.new_list:
                self._tell_replaced(message.cards)
            self.claims.refresh_cards(message.cards, keep, more=message.after is not None, follow=not message.new_list)
        else:
            self.claims.show_cards(message.cards, keep, more=message.after is not None)
        self._cards_read = True
        self._show_empty_states()

    def _tell_replaced(self, cards: list[PlaceCard]) -> None:
        """Another editor set another status on a claim whose status this editor set in this session:
        said on the status line and in a toast (once). The card changed silently, and the status line
        still said "#3 … marked verified" under a card that now read DISPUTED. A note that keeps the
        status is not news."""
        replaced = []
        for card in cards:
            for claim in card.claims:
                mine = self._my_statuses.get(claim.id)
                now = claim.last_verdict
                if mine is not None and now is not None and now.editor != self.editor and claim.status != mine:
                    replaced.append((claim, mine, now))
                    del self._my_statuses[claim.id]
        if not replaced:
            return
        claim, mine, now = replaced[0]
        text = (f"#{claim.id} {one_line(claim.place.name, 30)} {claim.event}: your {mine} was replaced, "
                f"{now.status} by {one_line(now.editor, 24)}")
        if len(replaced) > 1:
            text += f" (and {len(replaced) - 1} more of your verdicts)"
        self._say(text, "warning")

    # -- empty panes say why, and what to do ------------------------------------------------------

    def _fetch_hint(self) -> str:
        shell = "from a shell: wiredesk fetch, or wiredesk import FILES (wiredesk feeds add URL adds a feed)"
        return ("r fetches the configured feeds now; " + shell) if self.fetch_now is not None else "F" + shell[1:]

    def _queue_empty_text(self) -> str:
        f = self.shown
        # Only what filters the items (status and contested filter the claims).
        hiding = _item_filters(f)
        if hiding.describe():
            hints = []
            if f.search:
                hints.append("/ then enter on an empty search clears the search")
            if replace(hiding, search=None).describe():
                hints.append("f then Clear removes the filters")
            return f"No items match {' · '.join(hiding.describe())}.\n{'; '.join(hints)}."
        return f"No items yet.\n{self._fetch_hint()}."

    def _claims_empty_text(self) -> str:
        f = self.filters
        only = Filters(outlet=f.outlet, place_key=f.place_key, place_name=f.place_name, status=f.status,
                       contested=f.contested).describe()
        if only:
            return f"No claims match {' · '.join(only)}.\nf then Clear shows every claim."
        if not self.total:
            return f"No claims yet: they are read from the items as they arrive.\n{self._fetch_hint()}."
        return "No claims in the items yet.\nA claim is what reports say about a named place; these items name none."

    def _show_empty_states(self) -> None:
        for name, empty, text in (
            ("queue", self._queue_read and not self.queue.row_count, self._queue_empty_text),
            ("claims", self._cards_read and not self.claims.option_count, self._claims_empty_text),
        ):
            shown = text() if empty else ""
            if self._empty_texts.get(name) == shown:
                continue
            self._empty_texts[name] = shown
            widget = self.query_one(f"#{name}-empty", Static)
            widget.update(Content(shown))  # plain text: a search may hold "[bold]"
            widget.set_class(bool(shown), "-shown")

    def prepare_item_screen(self) -> None:
        """Build the item screen ahead, while the editor reads the desk: its widgets composed and
        styled, the first ``enter`` only fills and shows it (measured: the first open cost ~60 ms,
        later ones ~15 ms)."""
        if not self.app.is_screen_installed("item"):
            self.app.install_screen(ItemScreen(), "item")
            # Registers it, so its widgets mount now, off screen. Textual has no public call for
            # mounting a screen that is not shown (nor for ItemScreen's layout ahead); the version is
            # pinned and tests/tui/test_keys.py checks the screen is built ahead and then filled.
            self.app._get_screen("item")

    def style_scroll_bars(self) -> None:
        """Give the panes' scroll bars their styles now, after the first paint: Textual styles a
        scroll bar the first time its list restyles (on the first pane switch), and its first
        styles change its size, so that key also waited for a layout of the whole screen and a
        third frame (measured: the first `2` took ~110 ms, later ones ~50)."""
        self.query_one("#panes").update_node_styles(animate=False)

    def on_desk_screen_item_loaded(self, message: ItemLoaded) -> None:
        if not self.app.is_screen_installed("item"):
            self.app.install_screen(ItemScreen(message.detail), "item")
        screen = self.app.get_screen("item")
        assert isinstance(screen, ItemScreen)
        screen.show(message.detail)
        self.app.push_screen(screen)
        # Marked read once the item screen is on top: the desk's repaint is then skipped (see
        # _compositor_refresh) and the mark is in the full repaint when the desk comes back, not
        # in a second paint after it (measured: ~25 ms more on every return from an item).
        self.queue.set_read(message.detail.row.id)

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        super().set_focus(widget, scroll_visible, from_app_focus)
        # A focus change restyles both panes (their :focus-within borders) and the lists' scroll bars
        # (Textual re-sets every scroll-bar colour on a restyle, and each set refreshes the bar). Each
        # of those widgets reports that it needs a repaint from its own message loop, after the lists
        # did: the screen painted the lists first and the pane borders and bars ~30 ms later, in a
        # second frame. Collected here, as their own idle check would (private API, Textual pinned in
        # requirements.lock), a pane switch is one frame.
        for node in (n for panes in self.query("#panes") for n in panes.walk_children(with_self=True)):
            if not isinstance(node, Widget):
                continue
            for part in (node, node._vertical_scrollbar, node._horizontal_scrollbar):
                if part is not None and part._repaint_required:
                    part._repaint_required = False
                    if part.display:
                        self._dirty_widgets.add(part)
        self.check_idle()

    def _compositor_refresh(self) -> None:
        top = self.app.screen
        if top is not self and top.styles.background.a == 1 and not self.app.is_inline:
            # Hidden under an opaque screen (the item view, help, feed health): Textual would repaint
            # that whole screen for any change down here, a frame after the key that opened it. None
            # of the desk shows, and the desk repaints in full when it comes back (ScreenResume).
            self._compositor._dirty_regions.clear()
            self._dirty_widgets.clear()
            return
        super()._compositor_refresh()

    def on_desk_screen_diff_loaded(self, message: DiffLoaded) -> None:
        d = message.diff
        self.diff_items = (d.left.item_id, d.right.item_id)
        self.diff_claim = message.claim_id
        self.diff_view.show(d, message.caption)
        self.query_one(DiffScroll).scroll_home(animate=False)
        if message.focus:
            self.action_focus_pane("diff", diff_picks=False)

    def _with_fresh_claims(self, cards: list[PlaceCard], seen: int) -> list[PlaceCard]:
        """``cards`` read after ``seen`` verdicts were shown, with any claim given a verdict on screen
        since then as shown (the read may predate it)."""
        for claim_id in [c for c, (n, _) in self._fresh.items() if n <= seen]:
            del self._fresh[claim_id]  # the read began after it was stored: the read has it
        if not self._fresh:
            return cards
        fresher = {claim_id: claim for claim_id, (_, claim) in self._fresh.items()}
        out = []
        for card in cards:
            if any(c.id in fresher for c in card.claims):
                card = PlaceCard(card.place, tuple(fresher.get(c.id, c) for c in card.claims))
            out.append(card)
        return out

    def on_desk_screen_verdict_stored(self, message: VerdictStored) -> None:
        self._verdicts_shown += 1
        self._my_statuses[message.claim.id] = message.result.verdict.status
        self._fresh[message.claim.id] = (self._verdicts_shown, message.claim)
        self.claims.update_claim(message.claim)
        r, c = message.result, message.claim
        where = f"#{c.id} {one_line(c.place.name, 30)} {c.event}"
        if message.undo:
            text = f"Undone: {where} is {r.verdict.status} again"
        elif message.note:
            text = f"Note added to {where} ({r.verdict.status})"
        else:
            text = f"{where} marked {r.verdict.status}"
        warn = []
        if r.new_mentions:
            warn.append(f"{len(r.new_mentions)} report{'s' if len(r.new_mentions) > 1 else ''} arrived since you looked")
        if r.overridden_status:
            warn.append(f"it replaced {r.overridden_status}")
        if r.decided_since:
            warn.append(f"its status changed since you looked: {r.decided_since}")
        self.said = text
        self._status()
        if warn:
            # Only what the editor did not expect pops up; a plain verdict shows on its claim and in
            # the status line (a toast per verdict piled up over the cards on a busy desk).
            self.notify(text + " — " + "; ".join(warn), title="Verdict", severity="warning", markup=False)

    def on_desk_screen_verdict_failed(self, message: VerdictFailed) -> None:
        self.said = f"{FAILED['verdict']}: {message.error}"
        self._status()
        self.notify(self.said, title="Error", severity="error", markup=False, timeout=8)

    def on_desk_screen_database_changed(self, message: DatabaseChanged) -> None:
        self._live_dirty = True
        self._live_kick()

    def _live_kick(self) -> None:
        """Start a live reload if one is due: none in flight, something changed, and the last one
        started at least ``reload_gap`` ago (else a single timer comes back when it is)."""
        if self._live_running or not self._live_dirty:
            return
        wait = self._live_started + self.reload_gap - time.monotonic()
        if wait > 0:
            if self._live_timer is None:
                self._live_timer = self.set_timer(wait, self._live_timer_fired)
            return
        self._live_dirty = False
        self._live_running = True
        self._live_started = time.monotonic()
        self.reloads += 1
        window = min(max(self.queue.row_count, PAGE), MAX_WINDOW)
        cards_window = min(max(len(self.claims.cards), FIRST_CARDS_PAGE), MAX_CARDS_WINDOW)
        self.live_reload(self.filters, self.queue.current_item, window, cards_window, self._seen_item_id,
                         tuple(self.queue.item_ids[:MAX_WINDOW]))

    def _live_timer_fired(self) -> None:
        self._live_timer = None
        self._live_kick()

    def _live_done(self) -> None:
        self._live_running = False
        self._live_kick()

    def on_desk_screen_live_loaded(self, message: LiveLoaded) -> None:
        try:
            if message.filters is not self.filters:
                return  # read for filters replaced since; their own load is on its way
            if self.shown is self.filters:  # else a read for these filters is on its way, and replaces the list
                keep = self.queue.current_item  # where the cursor is now, not where it was when asked
                self.on_desk_screen_queue_loaded(replace(message.queue, keep=keep, filters=self.filters))
            self.on_desk_screen_cards_loaded(message.cards)
        finally:
            self._live_done()

    def on_desk_screen_filter_choices(self, message: FilterChoices) -> None:
        def apply(result: Filters | None) -> None:
            if result is not None:
                self._apply_filters(result)

        self.app.push_screen(FilterDialog(self.filters, message.outlets, message.places), apply)

    def on_desk_screen_done(self, message: Done) -> None:
        self.busy = ""
        self._say(message.text, message.severity)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "live" and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._live_done()
        if event.state == WorkerState.ERROR:
            if event.worker.group in ("fetch", "export"):
                self.busy = ""
            # A plain sentence on the status line and in a toast, never an exception's class name.
            what = FAILED.get(event.worker.group or "", "Something failed")
            self.said = f"{what}: {plain_error(event.worker.error)}"
            self._status()
            self.notify(self.said, title="Error", severity="error", markup=False, timeout=8)

    # -- widget messages ------------------------------------------------------------------------

    @on(QueueTable.Opened)
    def _open(self, message: QueueTable.Opened) -> None:
        if len(self.picked) == 2:
            if self.diff_items == tuple(self.picked):
                self.action_focus_pane("diff")
            else:
                self.load_diff(self.picked[0], self.picked[1], "", focus=True)
            return
        self.load_item(message.item_id)

    @on(QueueTable.Picked)
    def _picked(self, message: QueueTable.Picked) -> None:
        self.picked = message.item_ids
        self._status()
        if len(self.picked) == 2:
            self.load_diff(self.picked[0], self.picked[1], "", focus=False)
            self.notify("Two items picked: enter or 3 shows the diff", timeout=3)

    @on(QueueTable.NeedMore)
    def _more(self, message: QueueTable.NeedMore) -> None:
        ids = self.queue.item_ids
        if not ids:
            return
        last = self.queue._rows[ids[-1]]
        self.load_more((last.sort_at, last.id))

    @on(ClaimsList.NeedMore)
    def _more_cards(self, message: ClaimsList.NeedMore) -> None:
        if self.cards_after is not None and self.cards_after != self._cards_asked:
            self._cards_asked = self.cards_after
            self.load_more_cards(self.filters, self.cards_after)

    @on(ClaimsList.ClaimChosen)
    def _claim_chosen(self, message: ClaimsList.ClaimChosen) -> None:
        claim = self.claims.claims.get(message.claim_id)
        if claim is None:
            return
        self.diff_claim_reports(claim.id)

    @work(thread=True, exclusive=True, group="diff", exit_on_error=False)
    def diff_claim_reports(self, claim_id: int) -> None:
        """The claim's two most disagreeing reports side by side, chosen among its newest
        ``MENTIONS_COMPARED`` mentions, not only the few its card shows (a denial older than the
        card's newest mentions is often the report that disagrees most)."""
        with self._store() as store:
            claim = store.claim(claim_id, mentions_per_claim=MENTIONS_COMPARED)
            pair = most_disagreeing(claim.mentions)
            if pair is None:
                self._post(self.Done("This claim has only one report: nothing to compare", "warning"))
                return
            a, b = pair
            assert a.item_id is not None and b.item_id is not None
            left, right = store.item(a.item_id), store.item(b.item_id)
        caption = (
            f"Claim #{claim.id} {one_line(claim.place.name)} · {claim.event}: "
            f"{a.stance} ({one_line(a.outlet)}) vs {b.stance} ({one_line(b.outlet)})"
        )
        self._post(self.DiffLoaded(build(_report(left), _report(right)), caption, True, claim.id))

    # -- actions --------------------------------------------------------------------------------

    def _on_screen(self, pane: str) -> bool:
        """Whether ``pane`` shows in the current layout (one pane when narrow, two when medium)."""
        if self.has_class("-narrow"):
            return self.active == pane
        if self.has_class("-medium"):
            return pane == "queue" or self.right == pane
        return True

    def _selected_claim(self) -> ClaimView | None:
        """The claim a verdict or a note is for: the one highlighted in the claims, when the editor
        can see it there or in the diff of its reports. On a narrow screen the claims are hidden
        while the queue shows, and v pressed on an item marked a claim the editor could not see."""
        claim = self.claims.selected_claim
        if claim is not None and not self._on_screen("claims") and not (
            self._on_screen("diff") and self.diff_claim == claim.id
        ):
            self.notify(f"No claim on screen: 2 shows the claims (#{claim.id} {one_line(claim.place.name, 30)} "
                        f"{claim.event} is highlighted there)", severity="warning", markup=False)
            return None
        if claim is None:
            if not self.claims.claims:
                text = self._claims_empty_text().split("\n")[0]
            elif self.active == "claims":
                text = "Select a claim first: j and k move to one"
            else:
                text = "Select a claim first: 2 focuses the claims"
            self.notify(text, severity="warning", markup=False)
        return claim

    def action_verdict(self, status: str) -> None:
        claim = self._selected_claim()
        if claim is None:
            return
        seen = tuple(m.id for m in claim.mentions if m.id is not None)
        self.store_verdict(claim.id, status, None, seen, claim.last_verdict.id if claim.last_verdict else 0,
                           claim.latest_mention_id)

    def action_note(self) -> None:
        claim = self._selected_claim()
        if claim is None:
            return

        def save(note: str | None) -> None:
            if note:
                seen = tuple(m.id for m in claim.mentions if m.id is not None)
                self.store_note(claim.id, note, seen, claim.last_verdict.id if claim.last_verdict else 0,
                                claim.latest_mention_id)

        self.app.push_screen(NoteDialog(f"#{claim.id} {claim.place.name} · {claim.event} ({claim.status})"), save)

    def action_undo(self) -> None:
        self.undo_verdict()

    def action_search(self) -> None:
        def apply(query: str | None) -> None:
            if query is not None:
                self._apply_filters(replace(self.filters, search=query or None))
                self.action_focus_pane("queue")

        self.app.push_screen(SearchDialog(self.filters.search), apply)

    def action_filter(self) -> None:
        self.load_filter_choices()

    def _apply_filters(self, filters: Filters) -> None:
        # The queue keeps showing its rows until the new read lands (``show_rows`` replaces them, the
        # cursor kept on its item if the new list has it); a read that fails leaves them, and the
        # filters go back to theirs (``on_desk_screen_queue_failed``).
        self.filters = filters
        self.said = ""  # a new request: the last outcome is no longer news
        self.load_queue(keep=None)
        self.load_cards(filters, None)
        self._status()

    def action_export(self) -> None:
        if self.export_digest is None:
            self.notify("Export is not available in this session", severity="warning")
            return

        def run(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                self.export_dir = Path(choice[1]).parent
                self.busy = "exporting…"
                self._status()
                self.run_export(*choice)

        self.app.push_screen(ExportDialog(self.export_dir), run)

    def action_fetch(self) -> None:
        if self.fetch_now is None:
            self.notify("Fetching is not available in this session", severity="warning")
            return
        self.busy = "fetching…"
        self._status()
        self.run_fetch()

    def action_feeds(self) -> None:
        self.app.push_screen(FeedHealthScreen(self.db_path))


# What a failed background job was doing, for the editor (the worker's group names it).
FAILED = {
    "queue": "Could not load the items",
    "queue-more": "Could not load more items",
    "cards": "Could not load the claims",
    "cards-more": "Could not load more claims",
    "live": "Could not show the latest changes",
    "item": "Could not open the item",
    "diff": "Could not compare the reports",
    "verdict": "Could not store the verdict",
    "choices": "Could not read the filter choices",
    "fetch": "Fetch failed",
    "export": "Export failed",
}


def fetch_summary(outcomes: list) -> tuple[str, bool]:
    """A fetch in a few words, what failed first (a status line is cut at the screen's edge; the
    lines per feed, each with its URL, said which feed had new items and hid a failure at the end):
    "Fetched 5 feeds: 1 failed (Idlib Voice: HTTP 503); 3 new items from 2 feeds; 2 unchanged".
    ``outcomes``: the fetch's per-feed outcomes (``result``, ``new``, ``error``, ``feed``), and
    whether any failed."""
    failed = [o for o in outcomes if o.result == "error"]
    fresh = [o for o in outcomes if o.result == "new" and o.new]
    rest = len(outcomes) - len(failed) - len(fresh)
    parts = []
    if failed:
        first = failed[0]
        parts.append(f"{len(failed)} failed ({one_line(first.feed.display_outlet, 30)}: {one_line(first.error or 'error', 60)}"
                     + (", …)" if len(failed) > 1 else ")"))
    if fresh:
        items = sum(o.new for o in fresh)
        parts.append(f"{items} new item{'s' if items != 1 else ''} from {len(fresh)} feed{'s' if len(fresh) != 1 else ''}")
    if rest:
        parts.append(f"{rest} unchanged" if fresh or failed else "nothing new")
    n = len(outcomes)
    return f"Fetched {n} feed{'s' if n != 1 else ''}: {'; '.join(parts)}", bool(failed)


def plain_error(error: BaseException | None) -> str:
    """An exception as one line for the editor: its message, not its class (the class only when it
    says nothing else)."""
    if error is None:
        return "unknown error"
    text = one_line(str(error), 160)
    return text or type(error).__name__


def _item_filters(f: Filters) -> Filters:
    """The part of the filters the queue reads (status and contested filter the claims only)."""
    return Filters(search=f.search, outlet=f.outlet, place_key=f.place_key, place_name=f.place_name, unread=f.unread)


def _card_filters(f: Filters) -> tuple:
    """The part of the filters the claims pane reads."""
    return (f.place_key, f.status, f.contested, f.outlet)


def _filter_cards(
    cards: list[PlaceCard], f: Filters, own: dict[int, tuple[Mention, ...]] | None = None
) -> list[PlaceCard]:
    """The claims that pass the filters. ``own``: the filter outlet's mentions of the claims it
    reported (from all their mentions, not only those on the card), which those claims show instead."""
    if not (f.status or f.contested or f.outlet):
        return cards
    out = []
    for card in cards:
        kept = tuple(
            (replace(c, mentions=own[c.id], shown_outlet=f.outlet) if own is not None and f.outlet else c)
            for c in card.claims
            if (not f.status or c.status == f.status)
            and (not f.contested or c.contested)
            and (not f.outlet or (c.id in own if own is not None else any(m.outlet == f.outlet for m in c.mentions)))
        )
        if kept:
            out.append(PlaceCard(card.place, kept))
    return out


def _report(detail: ItemDetail) -> Report:
    row = detail.row
    return Report(row.id, row.outlet, local_time(row.published or row.sort_at), row.title, detail.text, detail.mentions)
