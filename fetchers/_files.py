"""Local sources: feed files, plain-text dispatches and HTML article pages, and folders of them."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from dataclasses import replace

from ._normalise import parse_published
from ._parse import ParsedFeed, parse_document, parse_html_article, parse_text
from .errors import ParseError, RetrieveError

FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf", ".json", ".feed"}
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
KNOWN_SUFFIXES = FEED_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES
DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files to import: each file named, and every known file under each folder, recursively, sorted.
    In a folder, only regular files (or links to them): a named pipe called ``wire.xml`` would block
    the import for ever; one named on the command line is read, as the user asked."""
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in files if not f.startswith(".") and Path(f).suffix.lower() in KNOWN_SUFFIXES]
            yield from sorted(p for p in found if not _special(p))
        else:
            yield path


def _special(path: Path) -> bool:
    """A pipe, socket or device: not a regular file (a dangling link is left to read_file to report)."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def read_file(path: Path, *, outlet: str | None = None, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> ParsedFeed:
    """Read and parse one local file; the kind is chosen by suffix, else by sniffing the content."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise RetrieveError(source, f"file is {size:,} bytes, over the {max_bytes:,} byte limit")
        with path.open("rb") as handle:
            content = handle.read(max_bytes + 1)
        if len(content) > max_bytes:  # a pipe or device named on the command line has no size
            raise RetrieveError(source, f"more than the {max_bytes:,} byte limit")
    except FileNotFoundError:
        raise RetrieveError(source, "no such file") from None
    except IsADirectoryError:
        raise RetrieveError(source, "is a directory") from None
    except OSError as exc:
        raise RetrieveError(source, exc.strerror or type(exc).__name__) from None
    parsed = parse_bytes(content, source, outlet=outlet, suffix=path.suffix.lower())
    if path.suffix.lower() in TEXT_SUFFIXES:
        parsed = _with_name_hints(parsed, path)
    if parsed.title is None and not any(item.outlet for item in parsed.items):
        # Neither the file nor the command names an outlet: a name from the file's, not its path.
        parsed = replace(parsed, title=name_of_file(path))
    return parsed


def name_of_file(path: Path) -> str:
    """A readable outlet name for a file that names none: ``levant-wire-2026-11-21-hama.txt`` →
    "Levant Wire" (as ``name_hints`` reads dispatches), ``syria_ledger.xml`` → "Syria Ledger"."""
    hinted, _date = name_hints(path)
    words = (hinted or slug(path.stem)).replace("-", " ")
    return words.title() if words else path.name


_TYPE_SUFFIX = re.compile(r"\.[a-z][a-z0-9]*")


def unsupported(path: Path) -> str | None:
    """Why a named file is not imported: a suffix of a kind wiredesk does not read (``.csv``,
    ``.pdf``). Files without one are read by their content. Folders skip such files unnamed."""
    suffix = path.suffix.lower()
    if suffix in KNOWN_SUFFIXES or not _TYPE_SUFFIX.fullmatch(suffix):
        return None
    return f"skipped: {suffix} is not a kind wiredesk reads (feeds: .xml .rss .atom .rdf .json; .txt; .html)"


def _with_name_hints(parsed: ParsedFeed, path: Path) -> ParsedFeed:
    """A text dispatch carries no metadata: take a missing outlet and date from its file name."""
    outlet_slug, date = name_hints(path)
    if outlet_slug is None:
        return parsed
    items = tuple(
        replace(
            item,
            outlet=item.outlet or outlet_slug.replace("-", " ").title(),
            published=item.published or parse_published(f"{date}T00:00:00Z"),
            published_raw=item.published_raw or date,
        )
        for item in parsed.items
    )
    return replace(parsed, title=parsed.title or items[0].outlet if items else parsed.title, items=items)


_DATED_NAME = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*?)-(?P<date>\d{4}-\d{2}-\d{2})(?:-.*)?$")


def name_hints(path: Path) -> tuple[str | None, str | None]:
    """(outlet slug, date) from a dispatch file named like ``free-orient-tv-2026-11-20-morek.txt``."""
    match = _DATED_NAME.match(path.stem.lower())
    if not match:
        return None, None
    return match.group("slug"), match.group("date")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def is_feed_file(path: Path) -> bool:
    return path.suffix.lower() in FEED_SUFFIXES


def parse_bytes(content: bytes, source: str, *, outlet: str | None = None, suffix: str = "") -> ParsedFeed:
    kind = _kind(content, suffix)
    if kind == "text":
        return parse_text(content, source, outlet)
    if kind == "html":
        return parse_html_article(content, source, outlet)
    parsed = parse_document(content, source)
    return parsed


def _kind(content: bytes, suffix: str) -> str:
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "feed" if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) else "html"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith((b"<", b"{")):
        return "feed"
    return "text"


__all__ = ["discover", "name_of_file", "read_file", "parse_bytes", "unsupported", "ParseError"]
