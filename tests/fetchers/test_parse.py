"""Parsing and normalisation: every importer turns hostile input into plain, bounded text."""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fetchers import ParseError, discover, fold_text, html_to_text, parse_bytes, read_file
from fetchers._normalise import MAX_TITLE, canonical_link, content_hash, parse_published, safe_link, text_words
from tests.conftest import CORPORA, ROOT

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Orient Daily</title>
<entry><id>tag:od,2026:1</id><title type="html">Clashes in &lt;b&gt;Suran&lt;/b&gt;</title>
<link href="https://od.example/1?utm_source=x"/><updated>2026-11-20T09:30:00+02:00</updated>
<content type="html">&lt;p&gt;First paragraph.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;Second
 paragraph.&lt;/p&gt;</content></entry></feed>"""


def test_atom_html_becomes_plain_text_with_paragraphs():
    feed = parse_bytes(ATOM.encode(), "od.xml")
    assert feed.title == "Orient Daily"
    (item,) = feed.items
    assert item.title == "Clashes in Suran"
    assert item.text == "First paragraph.\n\nSecond paragraph."
    assert "alert" not in item.text
    assert item.published == "2026-11-20T07:30:00Z"
    assert item.guid == "tag:od,2026:1"


def test_rss_with_escapes_and_controls_is_cleaned():
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
        "<title>Bad \x1b]0;owned\x07title \x1b[31mred\x1b[0m [bold]x[/bold]</title>"
        "<link>javascript:alert(1)</link><description>a\x00b</description></item></channel></rss>"
    ).encode()
    (item,) = parse_bytes(rss, "x.xml").items
    assert "\x1b" not in item.title and "\x07" not in item.title and "\u0085" not in item.title
    assert item.title == "Bad title red [bold]x[/bold]"  # markup stays literal text
    assert item.link is None  # javascript: links never stored


def test_c1_controls_bell_and_nul_are_removed():
    from fetchers import fold_line

    assert fold_line("a\u0085b\u009b31mc\x07d\x00e\x7f") == "abcde"


def test_json_feed():
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Free Orient TV",
        "items": [
            {"id": "1", "url": "https://fo.example/1", "title": "Convoy", "content_html": "<p>A <i>convoy</i>.</p>",
             "date_published": "2026-11-20T10:00:00Z", "authors": [{"name": "Desk"}]},
            {"id": "2", "content_text": "No title here\nbody"},
            "junk",
        ],
    }
    feed = parse_bytes(json.dumps(doc).encode(), "fo.json")
    assert feed.title == "Free Orient TV"
    assert [i.title for i in feed.items] == ["Convoy", "No title here"]
    assert feed.items[0].text == "A convoy."
    assert feed.items[0].author == "Desk"


def test_json_that_is_not_a_feed_is_a_clear_error():
    with pytest.raises(ParseError, match="not a JSON Feed"):
        parse_bytes(b'{"hello": 1}', "x.json")


def test_html_page_served_as_feed_is_an_error():
    with pytest.raises(ParseError, match="not a feed"):
        parse_bytes(b"<html><body><p>Login</p></body></html>", "page.xml", suffix=".xml")


def test_plain_text_first_line_is_headline(tmp_path):
    f = tmp_path / "d.txt"
    f.write_text("Army reinforcements reach Morek\n\nHAMA — Columns were seen.\nMore text.")
    (item,) = read_file(f, outlet="Desk").items
    assert item.title == "Army reinforcements reach Morek"
    assert item.text.startswith("HAMA — Columns were seen.")
    assert item.outlet == "Desk"


def test_html_article_main_text(tmp_path):
    page = """<html><head><title>Site | Story</title>
    <meta property="article:published_time" content="2026-11-20T08:00:00Z">
    <meta property="og:site_name" content="Regional Daily"></head>
    <body><nav><p>Home News Sport</p></nav><article><h1>Airstrike hits Saraqib market</h1>
    <p>At least 12 people were killed.</p><p>Rescuers said more were trapped.</p></article>
    <footer><p>Copyright</p></footer><script>steal()</script></body></html>"""
    f = tmp_path / "story.html"
    f.write_text(page)
    (item,) = read_file(f).items
    assert item.title == "Airstrike hits Saraqib market"
    assert item.text == "At least 12 people were killed.\n\nRescuers said more were trapped."
    assert item.published == "2026-11-20T08:00:00Z"
    assert item.outlet == "Regional Daily"


def test_missing_file_error_names_the_file(tmp_path):
    with pytest.raises(Exception, match="nope.xml: no such file"):
        read_file(tmp_path / "nope.xml")


def test_discover_walks_folders_recursively_and_skips_unknown(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.xml").write_text("x")
    (tmp_path / "two.json").write_text("x")
    (tmp_path / "notes.docx").write_text("x")
    (tmp_path / ".hidden.xml").write_text("x")
    assert [p.name for p in discover([tmp_path])] == ["one.xml", "two.json"]


def test_dates_absurd_or_unparseable_are_null():
    assert parse_published("9999-01-01T00:00:00Z") is None
    assert parse_published("Thu, 01 Jan 1970 00:00:00 GMT") is None
    assert parse_published("yesterday-ish") is None
    assert parse_published("Fri, 20 Nov 2026 10:00:00 +0100") == "2026-11-20T09:00:00Z"
    assert parse_published(None, time.strptime("2026-11-20 10:00", "%Y-%m-%d %H:%M")) == "2026-11-20T10:00:00Z"


def test_unusable_dates_are_counted_in_the_parse_warnings():
    from fetchers import parse_document, parse_html_article, parse_json_feed

    dates = ["Not a date at all", "31 Feb 2026 25:61", "Fri, 20 Nov 2099 10:00:00 GMT", "Fri, 20 Nov 1970 10:00:00 GMT",
             "Fri, 20 Nov 2026 10:00:00 GMT"]
    rss = "".join(f"<item><guid>{i}</guid><title>t{i}</title><pubDate>{d}</pubDate></item>" for i, d in enumerate(dates))
    parsed = parse_document(f'<?xml version="1.0"?><rss version="2.0"><channel>{rss}</channel></rss>'.encode(), "x")
    assert [i.published for i in parsed.items][:4] == [None] * 4 and parsed.items[4].published
    assert parsed.warnings == (
        "2 with unreadable dates, 1 dated in the future, 1 dated before 1990: shown at their fetch time",)
    entries = [{"id": str(i), "title": f"t{i}", "date_published": d} for i, d in enumerate(["soon", "2026-11-20T10:00:00Z"])]
    feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": entries}).encode()
    assert parse_json_feed(feed, "j").warnings == ("1 with an unreadable date: shown at their fetch time",)
    page = b'<html><head><meta name="date" content="2099-01-01T00:00:00Z"></head><body><p>Text.</p></body></html>'
    assert parse_html_article(page, "p").warnings == ("1 dated in the future: shown at their fetch time",)
    undated = parse_document(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>t</title></item></channel></rss>', "u")
    assert undated.warnings == ()  # no date given is no warning


def test_titles_are_truncated_with_a_marker():
    rss = f'<rss version="2.0"><channel><item><title>{"A" * 100_000}</title></item></channel></rss>'.encode()
    (item,) = parse_bytes(rss, "x.xml").items
    assert len(item.title) == MAX_TITLE and item.title.endswith("[…truncated]")


def test_canonical_link_and_content_hash():
    assert canonical_link("HTTP://WWW.Example.org/a/?utm_source=rss&id=3") == "https://example.org/a?id=3"
    live = "https://tv.example/live/story"
    assert canonical_link(live + "#post-1") != canonical_link(live + "#post-2")
    assert canonical_link("javascript:alert(1)") is None
    assert safe_link("data:text/html,x") is None
    assert content_hash("Title", "Some  <b>text</b>") != content_hash("Title", "Other text")
    assert content_hash("TITLE", "some text") == content_hash("Title", "Some   text")
    assert content_hash("Hamá", "") == content_hash("HAMA", "") != content_hash("Hams", "")


def _words_by_regex(title: str, text: str) -> list[bytes]:
    """How an item's words were found before the ASCII fast path: its stored content hashes and
    near-duplicate signatures were made from these, so ``text_words`` must give exactly them."""
    norm = unicodedata.normalize("NFKD", f"{title}\n{text}").casefold()
    return [w.encode() for w in re.findall(r"\w+", norm)]


_ASCII = st.text(st.characters(max_codepoint=127), max_size=80)
_ANY = st.text(max_size=80)


@given(st.one_of(_ASCII, _ANY), st.one_of(_ASCII, _ANY))
def test_text_words_are_the_regex_words_of_the_folded_text(title, text):
    assert text_words(title, text) == _words_by_regex(title, text)
    old_hash = hashlib.blake2b(" ".join(w.decode() for w in _words_by_regex(title, text)).encode(), digest_size=16)
    assert content_hash(title, text) == old_hash.hexdigest()


def test_html_to_text_keeps_paragraphs_and_drops_scripts():
    assert html_to_text("<p>One</p><p>Two<br>Three</p><style>x{}</style>") == "One\n\nTwo\n\nThree"
    assert fold_text("a \t b\n\n\n\nc") == "a b\n\nc"


@pytest.mark.skipif(not (CORPORA / "feedparser-tests").is_dir(), reason="../shared/corpora/feedparser-tests is absent")
def test_every_feedparser_corpus_file_parses_or_fails_cleanly():
    """The third-party corpus: no crash, no hang, each file either items or a one-line ParseError."""
    files = list(discover([CORPORA / "feedparser-tests"]))
    assert len(files) > 1000
    outcomes = {"ok": 0, "error": 0}
    start = time.monotonic()
    for path in files:
        try:
            feed = read_file(path)
            for item in feed.items:
                assert "\x1b" not in item.title + item.text
            outcomes["ok"] += 1
        except ParseError as exc:
            assert str(path) in str(exc) and "\n" not in str(exc)
            outcomes["error"] += 1
    assert outcomes["ok"] > outcomes["error"]
    assert time.monotonic() - start < 120


def test_a_file_naming_no_outlet_is_named_after_its_file(tmp_path):
    from fetchers import name_of_file, unsupported

    (tmp_path / "data.txt").write_text("Headline\n\nBody text.")
    assert read_file(tmp_path / "data.txt").title == "Data"
    assert read_file(tmp_path / "data.txt", outlet="Desk").items[0].outlet == "Desk"
    assert name_of_file(Path("syria_ledger.xml")) == "Syria Ledger"
    assert name_of_file(Path("levant-wire-2026-11-21-hama.txt")) == "Levant Wire"
    assert unsupported(Path("a.csv")) and unsupported(Path("a.PDF"))
    assert not unsupported(Path("a.xml")) and not unsupported(Path("dispatch")) and not unsupported(Path("wire.2026"))


def test_text_dispatch_takes_outlet_and_date_from_its_file_name(tmp_path):
    f = tmp_path / "free-orient-tv-2026-11-20-morek.txt"
    f.write_text("In Morek: fighters in the square\n\nMOREK — Our correspondent entered Morek.")
    feed = read_file(f)
    (item,) = feed.items
    assert item.outlet == "Free Orient Tv" and feed.title == "Free Orient Tv"
    assert item.published == "2026-11-20T00:00:00Z" and item.published_raw == "2026-11-20"
    plain = tmp_path / "notes.txt"
    plain.write_text("Headline\n\nBody.")
    assert read_file(plain).items[0].outlet is None


def test_errors_survive_pickling_across_worker_processes():
    import pickle

    from fetchers import RetrieveError

    err = pickle.loads(pickle.dumps(ParseError("feed.xml", "not a feed")))
    assert isinstance(err, ParseError) and str(err) == "feed.xml: not a feed"
    err = pickle.loads(pickle.dumps(RetrieveError("u", "HTTP 503", status=503, transient=True, retry_after=5)))
    assert (err.status, err.transient, err.retry_after, err.reason) == (503, True, 5, "HTTP 503")


def test_fold_fast_paths_agree_with_the_regexes():
    """strip_controls and fold_text skip their regex passes for plain ASCII; every string, plain or
    not, must fold exactly as the regexes alone would fold it."""
    import random

    from fetchers import _normalise as n

    def by_regex(text: str) -> str:
        text = n._CONTROL.sub("", n._ESCAPE_SEQ.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
        lines = [line.strip() for line in n._SPACES.sub(" ", text).split("\n")]
        return n._BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()

    alphabet = ["a", "b", " ", " ", "\t", "\n", "\r", "\x1b", "[", "3", "m", "\x07", "\x00", "\x7f",
                "\u0085", "\u009b", "\u00a0", "\u2003", "é", "\x0b", "\x0c", "~"]
    rng = random.Random(7)
    samples = ["plain words, one space each", "two  spaces", "tab\there", "bell\x07", "esc \x1b[31mred"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(5000)]
    for text in samples:
        assert n.fold_text(text) == by_regex(text), repr(text)
        assert n.strip_controls(text) == n._CONTROL.sub("", n._ESCAPE_SEQ.sub("", text)), repr(text)


def _parse_all(paths):
    out = []
    for path in paths:
        try:
            out.append(read_file(path))
        except ParseError as exc:
            out.append(str(exc))
    return out


def test_buffered_xml_reader_gives_the_same_feeds_as_plain_expat(monkeypatch):
    """feedparser reads through expat with character data buffered: every sample, hostile and corpus
    feed parses exactly as it does with the standard reader."""
    import feedparser.api

    import fetchers._parse  # noqa: F401 - installs the reader

    assert feedparser.api.PREFERRED_XML_PARSERS == ["fetchers._xmlreader"]
    roots = [ROOT / "wiredesk" / "sample", ROOT / "tests" / "hostile" / "data"]
    if (CORPORA / "feedparser-tests").is_dir():
        roots.append(CORPORA / "feedparser-tests")
    paths = [p for p in discover(roots) if p.suffix in (".xml", ".rss", ".atom", ".rdf")]
    assert len(paths) >= 18
    buffered = _parse_all(paths)
    monkeypatch.setattr(feedparser.api, "PREFERRED_XML_PARSERS", ["xml.sax.expatreader"])
    assert _parse_all(paths) == buffered


def test_escaped_html_reaches_feedparser_as_one_piece_of_text(monkeypatch):
    """The point of the buffered reader: a description of escaped HTML arrives in one call, not one
    per entity and line (and the text is whole)."""
    from feedparser.parsers.strict import _StrictFeedParser

    pieces: list[str] = []
    original = _StrictFeedParser.characters

    def counting(self, text):
        pieces.append(text)
        return original(self, text)

    monkeypatch.setattr(_StrictFeedParser, "characters", counting)
    paragraphs = "".join(f"&lt;p&gt;Shelling near Town {i} &amp;amp; beyond.&lt;/p&gt;\n" for i in range(40))
    doc = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid>g</guid>'
           f"<title>Head</title><description>{paragraphs}</description></item></channel></rss>").encode()
    feed = parse_bytes(doc, "wire.xml")
    assert "Shelling near Town 39 & beyond." in feed.items[0].text
    assert len(feed.items[0].text.split("\n\n")) == 40
    description = [p for p in pieces if "Shelling" in p]
    assert len(description) == 1 and description[0].count("Shelling") == 40


@pytest.mark.parametrize("headers", [{"content-length": "300"}, {"content-type": "text/html; charset=utf-8"},
                                     {"content-type": "text/plain"}])
def test_a_well_formed_feed_served_with_a_non_xml_content_type_is_not_called_ill_formed(headers):
    from fetchers._parse import parse_feed

    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Levant Wire</title>'
           b"<item><guid>a</guid><title>Shelling near Morek</title></item></channel></rss>")
    parsed = parse_feed(rss, "https://lw.example/rss", headers)
    assert [i.title for i in parsed.items] == ["Shelling near Morek"] and parsed.warnings == ()
    broken = parse_feed(rss.replace(b"</channel>", b"&nbsp;</channel>"), "https://lw.example/rss", headers)
    assert broken.warnings and "ill-formed feed, parsed leniently" in broken.warnings[0]
    with pytest.raises(ParseError, match="not a feed"):
        parse_feed(b"<html><body><p>Login</p></body></html>", "https://lw.example/rss", headers)


def test_a_named_pipe_in_a_folder_is_passed_over_and_a_sizeless_source_is_bounded(tmp_path):
    import os

    from fetchers import RetrieveError

    os.mkfifo(tmp_path / "wire.xml")  # read, it would block until someone writes to it
    (tmp_path / "levant.xml").write_text("<rss/>")
    assert list(discover([tmp_path])) == [tmp_path / "levant.xml"]
    assert list(discover([tmp_path / "wire.xml"])) == [tmp_path / "wire.xml"]  # named: the user's choice
    with pytest.raises(RetrieveError, match="/dev/zero: more than the 1,000 byte limit"):
        read_file(Path("/dev/zero"), max_bytes=1000)  # st_size 0, endless


def test_json_feed_fields_of_the_wrong_type_are_ignored_not_shown_as_python_or_a_crash():
    from fetchers._parse import parse_json_feed

    feed = {"version": "https://jsonfeed.org/version/1.1", "title": {"x": 1},
            "items": [{"id": 7, "title": {"a": 1}, "content_html": ["<p>x</p>"], "content_text": "Shelling hit Morek.",
                       "authors": 5},
                      {"id": {"k": 1}, "title": "Convoy near Suran", "authors": [{"name": ["Ann"]}, {"name": "Bo"}]}]}
    parsed = parse_json_feed(json.dumps(feed).encode(), "f.json")
    assert parsed.title is None
    first, second = parsed.items
    assert (first.guid, first.title, first.text, first.author) == ("7", "Shelling hit Morek.", "Shelling hit Morek.", None)
    assert second.title == "Convoy near Suran" and second.author == "Bo" and "{" not in second.guid
