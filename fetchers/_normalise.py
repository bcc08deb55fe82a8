"""Turning hostile feed fields into plain, bounded text — once, at ingest.

Nothing from a feed is ever rendered as HTML or markup downstream, so HTML is reduced to text here
with a real parser (selectolax/lexbor), keeping paragraph breaks, and every control character a
terminal would act on is removed.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import time
import unicodedata
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

MAX_TITLE = 1_000
MAX_TEXT = 200_000
TRUNCATION_MARK = " […truncated]"

# C0 controls but tab/newline, DEL, C1 controls. ESC goes with C0, so CSI/OSC sequences lose their
# introducer; the visible remainder of an escape sequence is stripped by _ESCAPE_SEQ first.
_ESCAPE_SEQ = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x9c]*(?:\x07|\x9c)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt",
)
_BLOCK_SELECTOR = ", ".join(_BLOCK_TAGS)
_BREAK = "\u2029"
_DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "template", "svg", "head")
_LOOKS_LIKE_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")


# Printable ASCII with tab and newline: ASCII text made only of these has nothing to strip or fold
# beyond double spaces, which the fast paths below check with plain substring tests.
_ASCII_PLAIN = bytes([9, 10, *range(0x20, 0x7F)])


def strip_controls(text: str) -> str:
    if text.isascii() and not text.encode("ascii").translate(None, _ASCII_PLAIN):
        return text  # the usual case, without two regex scans of the whole text
    return _CONTROL.sub("", _ESCAPE_SEQ.sub("", text))


def _fold_spaces(text: str) -> str:
    if text.isascii() and "\t" not in text and "  " not in text:
        return text
    return _SPACES.sub(" ", text)


def fold_text(text: str, limit: int = MAX_TEXT) -> str:
    """Plain text with paragraphs kept: controls removed, runs of spaces folded, blank lines collapsed."""
    text = strip_controls(text.replace("\r\n", "\n").replace("\r", "\n"))
    # A run of spaces never spans a newline (not in the class): fold the whole text at once.
    lines = [line.strip() for line in _fold_spaces(text).split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return truncate(text, limit)


def fold_line(text: str, limit: int = MAX_TITLE) -> str:
    text = strip_controls(text.replace("\n", " ").replace("\r", " "))
    return truncate(_fold_spaces(text).strip(), limit)


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - len(TRUNCATION_MARK)].rstrip() + TRUNCATION_MARK


def html_to_text(html: str, limit: int = MAX_TEXT) -> str:
    """HTML fragment or page to plain text, one blank line between blocks."""
    if not _LOOKS_LIKE_HTML.search(html):
        return fold_text(html, limit)
    # Bound the parser's work on absurd inputs; the text is truncated to far less anyway.
    tree = LexborHTMLParser(html[: limit * 4].replace(_BREAK, " "))
    root = tree.body or tree.root
    if root is None:
        return ""
    root.strip_tags(list(_DROP_TAGS))
    for node in root.css(_BLOCK_SELECTOR):  # one pass over the tree for every block tag
        node.insert_before(_BREAK)
        node.insert_after(_BREAK)
    # Source newlines inside HTML are just spaces; only block boundaries break paragraphs.
    text = root.text(separator="", deep=True).replace("\r", " ").replace("\n", " ").replace(_BREAK, "\n\n")
    return fold_text(text, limit)


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text))


def parse_published(raw: str | None, parsed: time.struct_time | None = None) -> str | None:
    """UTC ISO-8601 ("2026-11-20T14:03:00Z"), or None for absent, unparseable or absurd dates."""
    return read_published(raw, parsed)[0]


DATE_UNREADABLE, DATE_FUTURE, DATE_PAST = "unreadable", "future", "past"


def read_published(raw: str | None, parsed: time.struct_time | None = None) -> tuple[str | None, str | None]:
    """(UTC ISO-8601 or None, why a date that was given is not used: ``DATE_UNREADABLE``,
    ``DATE_FUTURE`` or ``DATE_PAST``; None when it is used or there was none)."""
    dt: datetime | None = None
    if parsed is not None:
        try:
            dt = datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
        except (OverflowError, ValueError, OSError):
            dt = None
    if dt is None and raw and raw.strip():
        dt = _parse_raw_date(raw.strip())
        if dt is None:
            return None, DATE_UNREADABLE
    if dt is None:
        return None, None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        dt = dt.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None, DATE_UNREADABLE
    now = datetime.now(timezone.utc)
    # Wire items from before 1990 or more than two days ahead are feed bugs, not news.
    if dt.year < 1990:
        return None, DATE_PAST
    if (dt - now).days > 2:
        return None, DATE_FUTURE
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ"), None


def date_warning(problems: list[str | None]) -> str | None:
    """'2 with unreadable dates, 1 dated in the future: shown at their fetch time', or None."""
    words = {DATE_UNREADABLE: ("with an unreadable date", "with unreadable dates"),
             DATE_FUTURE: ("dated in the future",) * 2, DATE_PAST: ("dated before 1990",) * 2}
    counts = {kind: problems.count(kind) for kind in words}
    parts = [f"{n} {words[kind][n > 1]}" for kind, n in counts.items() if n]
    return f"{', '.join(parts)}: shown at their fetch time" if parts else None


def _parse_raw_date(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None


_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_|ref$|ocid$|cmpid$)")


def canonical_link(link: str | None) -> str | None:
    """A link's identity for dedup: http(s) only, lowercased host, no tracking params. Fragments stay:
    live pages link each entry as ``/live/story#post-0026``, and those are distinct reports."""
    if not link:
        return None
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    fragment = parts.fragment if not _TRACKING.match(parts.fragment) else ""
    return urlunsplit(("https", host, path, query, fragment))


def safe_link(link: str | None) -> str | None:
    """Keep only http(s) links; javascript:, data: and friends are dropped at ingest."""
    if not link:
        return None
    link = strip_controls(link).strip()
    scheme = link.split(":", 1)[0].lower() if ":" in link else ""
    return link[:2000] if scheme in ("http", "https") else None


_WORDS = re.compile(r"\w+")


# Every byte that is not an ASCII word character (``\w``: letter, digit, underscore) as a space: an
# ASCII text's words are then one translate and one split, a third of what the regex engine takes.
_ASCII_NOT_WORD = bytes(b if chr(b).isascii() and (chr(b).isalnum() or b == 0x5F) else 0x20 for b in range(256))


def text_words(title: str, text: str) -> list[bytes]:
    """An item's words, casefolded with accents split off (NFKD), in UTF-8: what its content hash and
    its near-duplicate shingles are both made of (the ingest computes them once for both)."""
    joined = f"{title}\n{text}"
    if joined.isascii():  # NFKD leaves ASCII as it is, and casefold is lower
        return joined.lower().encode().translate(_ASCII_NOT_WORD).split()
    return [word.encode() for word in _WORDS.findall(unicodedata.normalize("NFKD", joined).casefold())]


def words_hash(words: list[bytes]) -> str:
    """The content hash of ``text_words``."""
    return hashlib.blake2b(b" ".join(words), digest_size=16).hexdigest()


def content_hash(title: str, text: str) -> str:
    """Same words in the same order, whatever the markup, case, accents or spacing."""
    return words_hash(text_words(title, text))
