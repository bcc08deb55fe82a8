"""Small modal dialogs: note, search, filter, export. Each returns plain values to its caller."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select
from textual.widgets._select import NoSelection

from ..text import one_line


@dataclass(frozen=True)
class Filters:
    """What the desk shows. The queue uses search/outlet/place/unread; the cards place/status/contested/outlet."""

    search: str | None = None
    outlet: str | None = None
    place_key: str | None = None
    place_name: str | None = None
    status: str | None = None
    contested: bool = False
    unread: bool = False

    def describe(self) -> list[str]:
        parts = []
        if self.search:
            parts.append(f"search “{self.search}”")
        if self.outlet:
            parts.append(f"outlet {self.outlet}")
        if self.place_name:
            parts.append(f"place {self.place_name}")
        if self.status:
            parts.append(f"status {self.status}")
        if self.contested:
            parts.append("contested only")
        if self.unread:
            parts.append("unread only")
        return parts


class _Dialog(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteDialog(_Dialog):
    """A note on a claim; stored as a verdict that keeps the current status."""

    def __init__(self, claim_label: str) -> None:
        super().__init__()
        self.claim_label = claim_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content.assemble(("Note on ", "bold"), one_line(self.claim_label, 70)))
            yield Input(placeholder="why (enter to save, escape to cancel)", id="note-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class SearchDialog(_Dialog):
    """Full-text search over item titles and text; empty clears it."""

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content.styled("Search the items (empty clears)", "bold"))
            yield Input(value=self.current, placeholder="words, e.g. Morek airbase", id="search-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())


class _Form(VerticalScroll, can_focus=False):
    """A dialog body that scrolls to the control in focus but is no stop of its own for tab."""


class FilterDialog(_Dialog):
    def __init__(self, current: Filters, outlets: list[str], places: list[tuple[str, str]]) -> None:
        super().__init__()
        self.current = current
        self.outlets = outlets
        self.places = places  # (name, key)

    def compose(self) -> ComposeResult:
        # One line per control, labels beside the choices: the whole form fits 80x24 (bordered
        # controls three lines high put the unread box and the buttons below the screen), and the
        # dialog scrolls to the control in focus if a smaller terminal still cuts it.
        f = self.current
        with _Form(classes="dialog", id="filter-dialog"):
            yield Label(Content.styled("Filter the desk", "bold"))
            with Grid(classes="form"):
                yield Label("Outlet")
                yield Select([(one_line(o, 40), o) for o in self.outlets], prompt="any outlet",
                             value=f.outlet or Select.NULL, id="filter-outlet", compact=True)
                yield Label("Place")
                yield Select([(one_line(n, 40), k) for n, k in self.places], prompt="any place",
                             value=f.place_key or Select.NULL, id="filter-place", compact=True)
                yield Label("Status")
                yield Select([(s, s) for s in ("unverified", "verified", "disputed")], prompt="any status",
                             value=f.status or Select.NULL, id="filter-status", compact=True)
            yield Checkbox("contested claims only", f.contested, id="filter-contested", compact=True)
            yield Checkbox("unread items only", f.unread, id="filter-unread", compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Clear", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        elif event.button.id == "clear":
            self.dismiss(Filters(search=self.current.search))
        else:
            self.dismiss(self.collect())

    def collect(self) -> Filters:
        def value(selector: str) -> str | None:
            v = self.query_one(selector, Select).value
            return None if isinstance(v, NoSelection) or v is None else str(v)

        place_key = value("#filter-place")
        names = {k: n for n, k in self.places}
        return replace(
            self.current,
            outlet=value("#filter-outlet"),
            place_key=place_key,
            place_name=names.get(place_key) if place_key else None,
            status=value("#filter-status"),
            contested=self.query_one("#filter-contested", Checkbox).value,
            unread=self.query_one("#filter-unread", Checkbox).value,
        )


class ExportDialog(_Dialog):
    """Digest format and file; returns (format, path)."""

    def __init__(self, default_dir: Path) -> None:
        super().__init__()
        self.default_dir = default_dir

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content.styled("Export the digest", "bold"))
            yield Select(
                [("Markdown", "md"), ("HTML page", "html"), ("JSON", "json"), ("ClaimReview JSON-LD", "claimreview")],
                value="md", allow_blank=False, id="export-format",
            )
            yield Input(value=str(self.default_dir / "digest.md"), id="export-path")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value or "digest")
        suffix = {"claimreview": "jsonld"}.get(str(event.value), str(event.value))
        if path.suffix.lstrip(".") in ("md", "html", "json", "jsonld", ""):
            path_input.value = str(path.with_suffix(f".{suffix}"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self._done()

    def _done(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.notify("give a file path", severity="warning")
            return
        self.dismiss((str(self.query_one("#export-format", Select).value), path))
