"""Parsers: feed documents (feedparser), plain-text dispatches and HTML article pages.

feedparser is handed bytes and headers, never a URL, so it never fetches anything itself. Its HTML
sanitiser and relative-URI pass are off: measured at ~60% of its parse time, and pointless here
because every HTML field is reduced to plain text by ``html_to_text`` before it is stored.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import feedparser
import feedparser.api
from selectolax.lexbor import LexborHTMLParser

from claims.types import Item

from ._normalise import (
    MAX_TEXT,
    fold_line,
    fold_text,
    html_to_text,
    date_warning,
    looks_like_html,
    read_published,
    safe_link,
)
from .errors import ParseError

MAX_ITEMS_PER_FEED = 20_000

# feedparser's strict parser reads through expat with character data buffered (see _xmlreader).
feedparser.api.PREFERRED_XML_PARSERS = ["fetchers._xmlreader"]


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed source: its title (the outlet, unless config names one) and its normalised items."""

    source: str
    title: str | None
    items: tuple[Item, ...]
    warnings: tuple[str, ...] = field(default=())


def parse_feed(content: bytes, source: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Parse an RSS/Atom/RDF/JSON Feed document. Raises ParseError when it is not a feed at all."""
    try:
        parsed = feedparser.parse(
            io.BytesIO(content),
            response_headers=headers or {},
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser's lenient path can still fail on pathological bytes
        raise ParseError(source, f"unreadable feed ({type(exc).__name__})") from exc
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    if not version and not entries:
        reason = "not a feed"
        bozo = parsed.get("bozo_exception")
        if bozo is not None:
            reason += f" ({_one_line(bozo)})"
        raise ParseError(source, reason)
    feed = parsed.get("feed") or {}
    title = fold_line(feed.get("title") or "", 200) or None
    items = []
    warnings = []
    dates: list[str | None] = []
    for index, entry in enumerate(entries[:MAX_ITEMS_PER_FEED]):
        found = _entry_item(entry, title, source, index)
        if found is not None:
            items.append(found[0])
            dates.append(found[1])
    if warning := date_warning(dates):
        warnings.append(warning)
    if len(entries) > MAX_ITEMS_PER_FEED:
        warnings.append(f"kept the first {MAX_ITEMS_PER_FEED} of {len(entries)} entries")
    # A server's Content-Type (missing, text/html, text/plain) says nothing of the document, which
    # parsed strictly: only the document's own faults make it "ill-formed".
    bozo = parsed.get("bozo_exception")
    if parsed.get("bozo") and bozo is not None and not isinstance(bozo, feedparser.NonXMLContentType):
        warnings.append(f"ill-formed feed, parsed leniently ({_one_line(parsed['bozo_exception'])})")
    return ParsedFeed(source, title, tuple(items), tuple(warnings))


def _one_line(exc: object) -> str:
    return fold_line(str(exc), 160) or type(exc).__name__


def _entry_item(entry: dict, outlet: str | None, source: str, index: int) -> tuple[Item, str | None] | None:
    """The entry's item, and why its date (if it had one) is not used; None for an empty entry."""
    title = fold_line(_as_text(entry.get("title_detail") or entry.get("title") or ""))
    body = ""
    for content in entry.get("content") or []:
        text = _as_text(content)
        if len(text) > len(body):
            body = text
    summary = _as_text(entry.get("summary_detail") or entry.get("summary") or "")
    if len(summary) > len(body):
        body = summary
    if not title and not body:
        return None
    if not title:
        title = fold_line(body.split("\n", 1)[0], 140)
    link = safe_link(entry.get("link"))
    raw_date = entry.get("published") or entry.get("updated") or entry.get("created")
    parsed_date = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("created_parsed")
    guid = fold_line(entry.get("id") or "", 500) or link or _fallback_guid(source, title, body, index)
    published, date_problem = read_published(raw_date, parsed_date)
    item = Item(
        guid=guid,
        title=title,
        text=body,
        link=link,
        published=published,
        published_raw=fold_line(raw_date, 200) if raw_date else None,
        author=fold_line(entry.get("author") or "", 200) or None,
        outlet=outlet,
    )
    return item, date_problem


def _as_text(detail: object) -> str:
    """A feedparser text construct (or plain string) as folded plain text (see ``fold_text``)."""
    if isinstance(detail, dict):
        value = detail.get("value") or ""
        kind = (detail.get("type") or "").lower()
        if "html" in kind or looks_like_html(value):
            return html_to_text(value)
        return fold_text(value)
    text = str(detail or "")
    return html_to_text(text) if looks_like_html(text) else fold_text(text)


def _fallback_guid(source: str, title: str, body: str, index: int) -> str:
    digest = hashlib.blake2b(f"{title}\n{body}".encode(), digest_size=12).hexdigest()
    return f"urn:wiredesk:{digest}"


# -- plain text and HTML article files ---------------------------------------------------------

_HEADLINE_MAX = 200


def parse_text(content: bytes, source: str, outlet: str | None = None) -> ParsedFeed:
    """A plain-text dispatch: the first short line is the headline, the rest is the body."""
    text = fold_text(_decode(content, source))
    if not text:
        raise ParseError(source, "empty file")
    first, _, rest = text.partition("\n")
    if len(first) <= _HEADLINE_MAX and rest.strip():
        title, body = first.strip(), rest.strip()
    else:
        title, body = fold_line(first, 140), text
    item = Item(guid=_file_guid(source, text), title=title, text=body, outlet=outlet)
    return ParsedFeed(source, outlet, (item,))


_DATE_META = (
    'meta[property="article:published_time"]',
    'meta[name="date"]',
    'meta[name="pubdate"]',
    'meta[itemprop="datePublished"]',
    "time[datetime]",
)


def parse_html_article(content: bytes, source: str, outlet: str | None = None) -> ParsedFeed:
    """An HTML article page: headline, publication time and main text (the densest block of <p>)."""
    tree = LexborHTMLParser(_decode(content, source)[: MAX_TEXT * 4])
    if tree.body is None:
        raise ParseError(source, "no HTML body")
    for junk in ("script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "form", "template"):
        for node in tree.css(junk):
            node.decompose()
    title_node = tree.css_first("article h1") or tree.css_first("h1") or tree.css_first("title")
    og_title = tree.css_first('meta[property="og:title"]')
    title = fold_line(title_node.text() if title_node else (og_title.attributes.get("content") or "" if og_title else ""))
    published_raw = None
    for selector in _DATE_META:
        node = tree.css_first(selector)
        if node is not None:
            published_raw = node.attributes.get("content") or node.attributes.get("datetime")
            if published_raw:
                break
    main = _main_block(tree)
    paragraphs = [fold_line(p.text(), MAX_TEXT) for p in main.css("p")] if main is not None else []
    body = "\n\n".join(p for p in paragraphs if p)
    if not body and main is not None:
        body = html_to_text(main.html or "")
    if not title and not body:
        raise ParseError(source, "no article text found")
    canonical = tree.css_first('link[rel="canonical"]')
    link = safe_link(canonical.attributes.get("href")) if canonical is not None else None
    site = tree.css_first('meta[property="og:site_name"]')
    outlet = outlet or (fold_line(site.attributes.get("content") or "", 200) if site is not None else None) or None
    published, date_problem = read_published(published_raw)
    item = Item(
        guid=link or _file_guid(source, body),
        title=title or fold_line(body, 140),
        text=fold_text(body),
        link=link,
        published=published,
        published_raw=fold_line(published_raw, 200) if published_raw else None,
        outlet=outlet,
    )
    warning = date_warning([date_problem])
    return ParsedFeed(source, outlet, (item,), (warning,) if warning else ())


def _main_block(tree: LexborHTMLParser):
    """<article> or <main> when present, else the element holding the most paragraph text."""
    for selector in ("article", "main", '[role="main"]'):
        node = tree.css_first(selector)
        if node is not None and node.css_first("p") is not None:
            return node
    best, best_len = tree.body, 0
    scores: dict[int, tuple[object, int]] = {}
    for p in tree.css("p"):
        parent = p.parent
        if parent is None:
            continue
        key = id(parent.html)  # stable enough within one pass; lexbor nodes are recreated per access
        node, total = scores.get(key, (parent, 0))
        scores[key] = (node, total + len(p.text()))
    for node, total in scores.values():
        if total > best_len:
            best, best_len = node, total
    return best


def _decode(content: bytes, source: str) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        head = content[:2048].decode("ascii", errors="ignore")
        match = re.search(r"charset=[\"']?([A-Za-z0-9_.:-]+)", head)
        if match:
            try:
                return content.decode(match.group(1), errors="replace")
            except LookupError:
                pass
        return content.decode("cp1252", errors="replace")


def _file_guid(source: str, text: str) -> str:
    digest = hashlib.blake2b(text.encode("utf-8", errors="replace"), digest_size=12).hexdigest()
    return f"file:{Path(source).name}:{digest}"


def looks_like_json(content: bytes) -> bool:
    return content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _json_text(value: object) -> str:
    """A JSON Feed string field; a number (ids often are) as its digits, anything else (an object,
    a list: a broken or hostile feed) as nothing rather than its Python repr."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def parse_json_feed(content: bytes, source: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (feedparser reads only XML feeds)."""
    try:
        data = json.loads(_decode(content, source))
    except ValueError as exc:
        raise ParseError(source, f"invalid JSON ({_one_line(exc)})") from exc
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise ParseError(source, "not a JSON Feed (no jsonfeed.org version)")
    title = fold_line(_json_text(data.get("title")), 200) or None
    entries = data.get("items")
    if not isinstance(entries, list):
        raise ParseError(source, "JSON Feed has no items list")
    items = []
    dates: list[str | None] = []
    for index, entry in enumerate(entries[:MAX_ITEMS_PER_FEED]):
        if not isinstance(entry, dict):
            continue
        text = entry.get("content_text")
        html = entry.get("content_html")
        body = fold_text(text) if isinstance(text, str) and text else html_to_text(_json_text(html))
        if not body and isinstance(entry.get("summary"), str):
            body = fold_text(entry["summary"])
        item_title = fold_line(_json_text(entry.get("title"))) or fold_line(body.split("\n", 1)[0], 140)
        if not item_title and not body:
            continue
        link = safe_link(entry.get("url") if isinstance(entry.get("url"), str) else None)
        raw_date = entry.get("date_published") or entry.get("date_modified")
        raw_date = raw_date if isinstance(raw_date, str) else None
        authors = entry.get("authors") if isinstance(entry.get("authors"), list) else []
        authors = authors or ([entry["author"]] if isinstance(entry.get("author"), dict) else [])
        author = next((_json_text(a.get("name")) for a in authors if isinstance(a, dict) and _json_text(a.get("name"))), None)
        guid = fold_line(_json_text(entry.get("id")), 500) or link or _fallback_guid(source, item_title, body, index)
        published, date_problem = read_published(raw_date)
        dates.append(date_problem)
        items.append(
            Item(
                guid=guid,
                title=item_title,
                text=body,
                link=link,
                published=published,
                published_raw=fold_line(raw_date, 200) if raw_date else None,
                author=fold_line(str(author), 200) if author else None,
                outlet=title,
            )
        )
    warnings = []
    if warning := date_warning(dates):
        warnings.append(warning)
    if len(entries) > MAX_ITEMS_PER_FEED:
        warnings.append(f"kept the first {MAX_ITEMS_PER_FEED} of {len(entries)} entries")
    return ParsedFeed(source, title, tuple(items), tuple(warnings))


def parse_document(content: bytes, source: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """A fetched or read feed document of any supported kind, chosen by content."""
    if looks_like_json(content):
        return parse_json_feed(content, source)
    return parse_feed(content, source, headers)
