"""Small modal dialogs: note, search, filter, export. Each returns plain values to its caller."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
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


class ConfirmDialog(_Dialog):
    """A yes/no question; returns True for yes. Focus starts on the safe answer."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("n", "cancel", "No", show=False),
        Binding("y", "yes", "Yes", show=False),
    ]

    def __init__(self, question: str, yes: str, no: str = "Cancel") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Label(Content(self.question))
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", variant="warning", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


SUFFIX = {"md": "md", "html": "html", "json": "json", "claimreview": "jsonld"}


def tilde(path: Path) -> str:
    """``path`` with the home folder written ``~``: shorter, and the part that matters shows."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def default_digest_name(fmt: str = "md") -> str:
    """digest-2026-11-21.md: one file a day unless the editor names another."""
    return f"digest-{date.today().isoformat()}.{SUFFIX.get(fmt, fmt)}"


class ExportDialog(_Dialog):
    """Digest format and file; returns (format, absolute path). A relative path or a bare name is
    taken in ``default_dir`` (the folder shown), ``~`` is the home folder; an existing file is
    overwritten only once the editor says so. The file is in focus: e then enter exports."""

    AUTO_FOCUS = "#export-path"

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
            yield Input(value=tilde(self.default_dir / default_digest_name()), id="export-path")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._show_end()

    def _show_end(self) -> None:
        # A long folder must not hide the file name: the field shows the end of the path.
        path_input = self.query_one("#export-path", Input)
        path_input.cursor_position = len(path_input.value)
        self.call_after_refresh(lambda: path_input.scroll_to(x=path_input.max_scroll_x, animate=False))

    def on_select_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value or "digest")
        suffix = SUFFIX.get(str(event.value), str(event.value))
        if path.suffix.lstrip(".") in ("md", "html", "json", "jsonld", ""):
            path_input.value = str(path.with_suffix(f".{suffix}"))
            self._show_end()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self._done()

    def target(self) -> Path | None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.is_absolute() else self.default_dir / path

    def _done(self) -> None:
        path = self.target()
        fmt = str(self.query_one("#export-format", Select).value)
        if path is None:
            self.notify("Give a file to write the digest to", severity="warning")
            return
        if path.is_dir():
            self.notify(f"{path} is a folder: give a file name in it", severity="warning", markup=False)
            return
        if not path.parent.is_dir():
            self.notify(f"No folder {path.parent}", severity="warning", markup=False)
            return
        if not path.exists():
            self.dismiss((fmt, str(path)))
            return

        def answer(overwrite: bool | None) -> None:
            if overwrite:
                self.dismiss((fmt, str(path)))
            else:
                self.query_one("#export-path", Input).focus()

        question = f"{path.name} already exists in {tilde(path.parent)}.\nReplace it with this digest?"
        self.app.push_screen(ConfirmDialog(question, "Replace"), answer)
