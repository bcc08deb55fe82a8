"""Screens: the desk (three panes) and the views and dialogs it opens."""

from .desk import DeskScreen
from .dialogs import ConfirmDialog, ExportDialog, FilterDialog, Filters, NoteDialog, SearchDialog
from .feeds import FeedHealthScreen
from .help import HelpScreen
from .item import ItemScreen

__all__ = [
    "ConfirmDialog",
    "DeskScreen",
    "ExportDialog",
    "FeedHealthScreen",
    "FilterDialog",
    "Filters",
    "HelpScreen",
    "ItemScreen",
    "NoteDialog",
    "SearchDialog",
]
