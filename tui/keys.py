"""Every key of the desk in one table: the footer, the help screen, the command palette and the
keymap overrides from config (``[keys]`` in config.toml: binding id = "key[,key]") all read it.
``description`` is the short footer label; ``tooltip`` the full sentence for help and palette."""

from __future__ import annotations

from textual.binding import Binding

DESK_BINDINGS: list[Binding] = [
    Binding("1", "focus_pane('queue')", "Queue", id="focus_queue", tooltip="Focus the queue of incoming items"),
    Binding("2", "focus_pane('claims')", "Claims", id="focus_claims", tooltip="Focus the claims: cards per place"),
    Binding("3", "focus_pane('diff')", "Diff", id="focus_diff", tooltip="Focus the diff of two reports"),
    Binding("tab", "next_pane", "Next pane", show=False, id="next_pane", tooltip="Next pane"),
    Binding("v", "verdict('verified')", "Verified", id="verify", tooltip="Mark the selected claim verified"),
    Binding("d", "verdict('disputed')", "Disputed", id="dispute", tooltip="Mark the selected claim disputed"),
    Binding("u", "verdict('unverified')", "Unverified", show=False, id="unverify",
            tooltip="Mark the selected claim unverified"),
    Binding("n", "note", "Note", show=False, id="note", tooltip="Add a note to the selected claim (keeps its status)"),
    Binding("z", "undo", "Undo", id="undo", tooltip="Undo your last verdict (appends the status it replaced)"),
    Binding("slash", "search", "Search", key_display="/", id="search", tooltip="Search the items (full text)"),
    Binding("f", "filter", "Filter", id="filter",
            tooltip="Filter by outlet, place, status, contested only, unread only"),
    Binding("e", "export", "Export", id="export", tooltip="Export the digest (Markdown, HTML, JSON or ClaimReview)"),
    Binding("r", "fetch", "Fetch", show=False, id="fetch", tooltip="Fetch the feeds now"),
    Binding("h", "feeds", "Feeds", show=False, id="feeds", tooltip="Feed health: status, errors, 304s, next due"),
]

APP_BINDINGS: list[Binding] = [
    Binding("question_mark", "help", "Help", key_display="?", id="help", tooltip="Help: every key"),
    Binding("q", "quit", "Quit", id="quit", tooltip="Quit wiredesk"),
]

# Keys that belong to one pane (handled by its widget), listed in help for completeness.
PANE_KEYS: list[tuple[str, str]] = [
    ("j / ↓, k / ↑", "Move down / up in the focused pane"),
    ("home / end", "First / last row of the focused pane (the queue: newest item / oldest loaded)"),
    ("enter", "Queue: open the item (or the diff of two picked items)"),
    ("", "Claims: compare the claim's two most disagreeing reports in the diff"),
    ("space", "Queue: pick an item for the diff (pick two)"),
    ("escape", "Close a dialog or view; in the queue, clear the picks"),
    ("ctrl+p", "Command palette: every action above by name"),
]
