"""Each hostile feed served by a real loopback server and fetched by the real CLI into a real SQLite
file: a clean one-line outcome, nothing executable stored, and output that shows text literally."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from tests.hostile.corpus import (
    BIDI_AND_INVISIBLE,
    CONTROL,
    ERROR_FILES,
    FILE_CASES,
    GENERATED,
    query,
    serve_files,
    serve_generated,
    stored_strings,
)
from wiredesk.cli import cli


def run(*args, db):
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def fetch_one(db, url):
    result = run("fetch", url, db=db)
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output  # one summary line per feed, nothing else
    assert url in lines[0]
    assert "Traceback" not in result.output
    return result, lines[0]


def assert_inert(db):
    for where, value in stored_strings(db):
        assert not CONTROL.search(value), f"{where} keeps a control character: {value[:120]!r}"


@pytest.mark.parametrize("name", FILE_CASES)
def test_every_corpus_file_fetches_cleanly_and_stores_no_controls(server, tmp_path, name):
    db = tmp_path / "w.db"
    url = serve_files(server, [name])[name]
    started = time.monotonic()
    result, line = fetch_one(db, url)
    assert time.monotonic() - started < 30
    if name in ERROR_FILES:
        assert result.exit_code == 1 and ": error: " in line
    else:
        assert result.exit_code == 0 and " new" in line, line
    assert_inert(db)
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


def test_console_markup_is_stored_and_printed_literally(server, tmp_path):
    db = tmp_path / "w.db"
    fetch_one(db, serve_files(server, ["markup.xml"])["markup.xml"])
    [(title, text, guid, author, outlet)] = query(db, "SELECT title, text, guid, author, outlet FROM items")
    assert title == "[bold]Rebels[/bold] enter Hama [@click=app.quit]quit[/] [red]x"
    assert "[link=https://x]a local official[/link]" in text and "[unbalanced" in text
    assert guid == "[link=https://evil.example]guid[/link]" and author == "[@click=app.bell]Reporter["
    assert outlet.startswith("[bold]Markup Wire[/bold]")
    listed = run("items", db=db).output
    assert "[bold]Rebels[/bold] enter Hama [@click=app.quit]quit[/] [red]x" in listed
    assert "[bold]Markup Wire[/bold]" in listed
    claims = run("claims", db=db).output
    assert "[bold]entered[/bold]" in claims and "[link=https://x]" in claims
    as_json = json.loads(run("items", "--json", db=db).output)
    assert as_json[0]["title"] == title


def test_terminal_escapes_are_removed_at_ingest(server, tmp_path):
    db = tmp_path / "w.db"
    fetch_one(db, serve_files(server, ["escapes.xml"])["escapes.xml"])
    [(title, text, link, outlet)] = query(db, "SELECT title, text, link, outlet FROM items")
    for value in (title, text, outlet):
        assert not CONTROL.search(value)
        # The payloads of escape sequences go with their introducers: no window title, no clipboard.
        assert "window title" not in value and "cm0gLXJmIH4=" not in value and "ZXZpbA==" not in value
        assert "pwned" not in value
    assert "Clashes in Homs" in title and "Fighters entered Homs" in text
    assert link is None or not CONTROL.search(link)
    printed = run("items", db=db).output + run("claims", db=db).output
    assert "\x1b" not in printed and "\x07" not in printed and "\x9b" not in printed


def test_bidi_and_zero_width_are_kept_in_storage_but_not_printed(server, tmp_path):
    db = tmp_path / "w.db"
    fetch_one(db, serve_files(server, ["bidi.xml"])["bidi.xml"])
    [(title, text)] = query(db, "SELECT title, text FROM items")
    # Legitimate in Arabic copy (RLM) and in names (ZWJ): the stored text is the outlet's text.
    assert "\u202e" in title and "\u200f" in text
    printed = run("items", db=db).output + run("claims", db=db).output + run("feeds", "list", db=db).output
    assert "Army" in printed
    assert not BIDI_AND_INVISIBLE.search(printed), repr(printed)


def test_scripts_frames_handlers_and_javascript_links_never_stored(server, tmp_path):
    db = tmp_path / "w.db"
    fetch_one(db, serve_files(server, ["scripts.xml"])["scripts.xml"])
    rows = query(db, "SELECT guid, title, text, link FROM items ORDER BY guid")
    assert [r[0] for r in rows] == ["js-1", "js-2"]
    for guid, title, text, link in rows:
        assert link is None  # javascript: and data: links dropped
        assert "alert(" not in text and "<iframe" not in text and "onerror" not in text and "onclick" not in text
    assert "Shelling hit Daraa" in rows[0][2] and "Residents fled Daraa." in rows[0][2]
    assert "click here" in rows[0][2]  # the link's words stay, as words
    # An escaped <script> in a title is HTML by feedparser's reading: reduced to its text like the body.
    assert rows[0][1] == "Shelling in Daraa"


def test_javascript_link_never_reaches_the_html_digest(server, tmp_path):
    db = tmp_path / "w.db"
    fetch_one(db, serve_files(server, ["scripts.xml"])["scripts.xml"])
    claims = json.loads(run("claims", "--json", db=db).output)
    assert claims, "the Daraa report should make a claim"
    claim_id = claims[0]["claims"][0]["id"]
    assert run("mark", str(claim_id), "verified", "--editor", "t", db=db).exit_code == 0
    html = run("export", "--format", "html", db=db).output
    lowered = html.lower()
    assert "javascript:" not in lowered and "<script>alert" not in lowered and "<iframe" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "alert(1)" not in html


def test_billion_laughs_is_refused_quickly(server, tmp_path):
    db = tmp_path / "w.db"
    started = time.monotonic()
    fetch_one(db, serve_files(server, ["billion_laughs.xml"])["billion_laughs.xml"])
    assert time.monotonic() - started < 15
    for _where, value in stored_strings(db):
        assert "lollollol" not in value


@pytest.mark.parametrize(
    "name,title",
    [
        ("latin1_declared_utf8.xml", "D\u00e9j\u00e0 vu in Hama, caf\u00e9 shelled"),
        ("no_declaration.xml", "Na\u00efve report from Homs"),
        ("utf16_bom.xml", "\u1e28am\u0101 report \u2014 \u062d\u0645\u0627\u0629"),
    ],
)
def test_wrong_or_missing_encodings_decode_to_the_right_text(server, tmp_path, name, title):
    db = tmp_path / "w.db"
    fetch_one(db, serve_files(server, [name])[name])
    assert query(db, "SELECT title FROM items") == [(title,)]


def test_absurd_dates_are_null_with_the_raw_value_kept(server, tmp_path):
    db = tmp_path / "w.db"
    fetch_one(db, serve_files(server, ["absurd_dates.xml"])["absurd_dates.xml"])
    rows = dict((g, (p, r)) for g, p, r in query(db, "SELECT guid, published, published_raw FROM items"))
    assert set(rows) == {"d-9999", "d-1970", "d-junk", "d-huge"}
    assert all(published is None for published, _ in rows.values())
    assert rows["d-9999"][1] == "Fri, 31 Dec 9999 23:59:59 GMT"
    listed = json.loads(run("items", "--json", db=db).output)
    assert len(listed) == 4 and all(i["published"] is None and i["fetched"] for i in listed)


def test_entries_without_title_link_or_guid(server, tmp_path):
    db = tmp_path / "w.db"
    result, line = fetch_one(db, serve_files(server, ["missing_fields.xml"])["missing_fields.xml"])
    rows = query(db, "SELECT guid, title, text, link FROM items ORDER BY title")
    # The two with some text are kept under a content guid; the empty ones are skipped.
    assert len(rows) == 2 and "2 new" in line
    assert all(guid.startswith("urn:wiredesk:") and title and link is None for guid, title, _, link in rows)
    assert {r[1] for r in rows} == {"A report with no title, link or guid: shelling near Aleppo.", "Only a title about Homs"}
    # Fetched again: the same content guid, so nothing new.
    _, again = fetch_one(db, serve_files(server, ["missing_fields.xml"])["missing_fields.xml"])
    assert "no new items" in again


def test_same_guid_in_two_feeds_keeps_both(server, tmp_path):
    db = tmp_path / "w.db"
    urls = serve_files(server, ["same_guid_a.xml", "same_guid_b.xml"])
    result = run("fetch", urls["same_guid_a.xml"], urls["same_guid_b.xml"], db=db)
    assert result.exit_code == 0 and result.output.count("1 new") == 2
    assert sorted(t for (t,) in query(db, "SELECT title FROM items")) == ["Calm in Latakia, Wire B", "Fighting in Aleppo, Wire A"]


def test_one_link_under_two_guids_is_stored_once(server, tmp_path):
    db = tmp_path / "w.db"
    _, line = fetch_one(db, serve_files(server, ["one_link_two_guids.xml"])["one_link_two_guids.xml"])
    assert "1 new, 1 duplicate" in line
    assert query(db, "SELECT guid FROM items") == [("link-a",)]


def test_html_page_instead_of_a_feed_is_an_error_on_that_feed(server, tmp_path):
    db = tmp_path / "w.db"
    url = serve_files(server, ["html_page.html"])["html_page.html"]
    assert run("feeds", "add", url, db=db).exit_code == 0  # a followed feed records its errors
    result, line = fetch_one(db, url)
    assert result.exit_code == 1 and line.startswith(url) and "not a feed" in line
    [(state, error, failures)] = query(db, "SELECT last_result, last_error, failures FROM feeds")
    assert state == "error" and "not a feed" in error and failures == 1


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_big_generated_feeds_are_bounded(server, tmp_path, name):
    db = tmp_path / "w.db"
    url = serve_generated(server)[name]
    started = time.monotonic()
    result, line = fetch_one(db, url)
    assert result.exit_code == 0, line
    assert time.monotonic() - started < 120
    if name == "huge_title":
        [(title,)] = query(db, "SELECT title FROM items")
        assert len(title) <= 1_000 and title.endswith("[…truncated]")
        assert title in run("items", db=db).output
    if name == "big_item":
        [(text,)] = query(db, "SELECT text FROM items")
        assert len(text) <= 200_000 and text.endswith("[…truncated]")
    if name == "many_items":
        assert "20000 new" in line
        assert query(db, "SELECT COUNT(*) FROM items") == [(20_000,)]
