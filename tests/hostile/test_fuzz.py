"""Property-based fuzzing of every importer and of the extractor: arbitrary bytes and text never raise
anything but FetchError, and what comes out is bounded plain text with no control characters."""

from __future__ import annotations

import functools
import json
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claims
from claims.types import Item
from fetchers import FetchError, ParsedFeed, parse_bytes
from fetchers._normalise import MAX_TEXT, MAX_TITLE
from tests.hostile.corpus import CONTROL
from wiredesk.config import cache_dir

SUFFIXES = [".xml", ".json", ".txt", ".html"]
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that reaches the interesting code: controls, escapes, markup, bidi, entities, surrogates' kin.
hostile_text = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
        st.sampled_from(["\x1b", "\x9b", "\x9d", "\x07", "\x00", "\u202e", "\u200b", "[", "]", "<", ">", "&", ";",
                         "[bold]", "\x1b]52;c;", "&#x1b;", "&#0;", "<script>", "javascript:", "\r", "\n", "Hama", "Homs ",
                         "http://", " killed ", "at least 300", " denied ", "the town of ", ". "]),
    ),
    max_size=40,
).map("".join)


@functools.cache
def gazetteer() -> claims.Gazetteer:
    return claims.Gazetteer.load(cache_dir())


def assert_clean(parsed: ParsedFeed) -> None:
    assert parsed.title is None or (not CONTROL.search(parsed.title) and len(parsed.title) <= MAX_TITLE)
    for item in parsed.items:
        for value in (item.guid, item.title, item.text, item.link, item.author, item.outlet, item.published_raw):
            assert value is None or not CONTROL.search(value), repr(value)
        assert len(item.title) <= MAX_TITLE and len(item.text) <= MAX_TEXT
        assert item.link is None or item.link.lower().startswith(("http://", "https://"))
        assert item.published is None or len(item.published) == 20


def parse(content: bytes, suffix: str) -> ParsedFeed | None:
    try:
        parsed = parse_bytes(content, f"fuzz{suffix}", suffix=suffix)
    except FetchError as exc:
        assert "\n" not in str(exc) and not CONTROL.search(str(exc))
        return None
    assert_clean(parsed)
    return parsed


PREFIXES = [
    b"",
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>',
    b'<?xml version="1.0" encoding="utf-16"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">',
    b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"content_html": "',
    b"\xef\xbb\xbf<!doctype html><html><body><article><h1>",
    b"\xff\xfe",
]


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), content=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES + [""]))
def test_arbitrary_bytes_for_every_importer(prefix, content, suffix):
    parse(prefix + content, suffix)


@FUZZ
@given(title=hostile_text, body=hostile_text, link=hostile_text, date=hostile_text, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_rss_with_hostile_fields(title, body, link, date, encoding):
    doc = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(title)}</title><item><title>{escape(title)}</title>'
           f"<link>{escape(link)}</link><pubDate>{escape(date)}</pubDate><description>{escape(body)}</description>"
           f"<author>{body}</author></item></channel></rss>")
    parse(doc.encode(encoding, errors="replace"), ".xml")


@FUZZ
@given(title=hostile_text, body=hostile_text, link=hostile_text, date=hostile_text, html=st.booleans())
def test_json_feed_with_hostile_fields(title, body, link, date, html):
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": title,
           "items": [{"id": link, "title": title, "url": link, "date_published": date,
                      ("content_html" if html else "content_text"): body, "authors": [{"name": title}]}]}
    parse(json.dumps(doc).encode(), ".json")


@FUZZ
@given(title=hostile_text, body=hostile_text)
def test_html_article_and_text_dispatch_with_hostile_fields(title, body):
    page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p><p>{title}</p></article></body></html>"
    parse(page.encode(), ".html")
    parse(f"{title}\n\n{body}".encode(), ".txt")


@FUZZ
@given(title=hostile_text, text=hostile_text)
def test_extract_never_raises_and_quotes_only_clean_text(title, text):
    raw = claims.extract(Item("g", title, text), gazetteer())  # never raises, whatever it is given
    assert all(isinstance(m.sentence, str) for m in raw)
    # Through an importer, as ingest always goes: mentions quote plain text only.
    parsed = parse(f"{title}\n{text}".encode("utf-8", errors="replace"), ".txt")
    for item in parsed.items if parsed else ():
        for m in claims.extract(item, gazetteer()):
            assert not CONTROL.search(m.sentence) and not CONTROL.search(m.attributed_to or "")
            assert m.sentence.strip() and m.place.name
