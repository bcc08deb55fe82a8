"""The desk's widgets. They take plain data from their screen and post messages up; none imports db."""

from .cards import ClaimsList
from .diff import DiffScroll, DiffView
from .keybar import KeyBar
from .queue import QueueTable
from .scroll import ReadingScroll
from .status import StatusLine

__all__ = ["ClaimsList", "DiffScroll", "DiffView", "KeyBar", "QueueTable", "ReadingScroll", "StatusLine"]
