"""Misbehaving servers, real sockets: every case ends as a clear error on its own feed, with backoff,
while a good feed in the same run is ingested."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from fetchers import FeedRequest, HttpSettings, fetch_all
from tests.hostile.corpus import CONTROL, good_feed, query, server_cases
from tests.loopback import Reply
from wiredesk.cli import cli

FAST = HttpSettings(timeout=2, deadline=30, retries=0, max_bytes=16 * 1024 * 1024)

EXPECTED = {
    "http_404": "HTTP 404",
    "http_410": "HTTP 410",
    "http_500": "HTTP 500",
    "http_503": "HTTP 503",
    "redirect_loop": "more than 5 redirects",
    "redirect_file": "non-HTTP URL scheme 'file'",
    "redirect_javascript": "invalid URL or redirect Location",  # httpx refuses it before our scheme check
    "redirect_ftp": "non-HTTP URL scheme 'ftp'",
    "stall_mid_body": "timed out",
    "reset_mid_body": "network error",
    "bomb_gzip": "byte limit",
    "bomb_deflate": "byte limit",
    "bomb_br": "byte limit",
    "tls_error": "network error",
}


def fetch(urls, settings=FAST):
    async def go():
        return [r async for r in fetch_all([FeedRequest(u) for u in urls], settings)]

    return {r.request.url: r for r in asyncio.run(go())}


@pytest.fixture
def cases(server):
    return server_cases(server)


def test_each_server_fault_is_a_one_line_error_naming_its_cause(cases):
    assert set(cases) == set(EXPECTED)
    started = time.monotonic()
    got = fetch(list(cases.values()))
    assert time.monotonic() - started < 20
    for name, url in cases.items():
        result = got[url]
        assert result.error is not None and result.content is None, name
        assert EXPECTED[name] in result.error.reason, (name, result.error.reason)
        assert result.error.source == url
        message = str(result.error)
        assert "\n" not in message and message.startswith(url) and len(message) < 400


def test_bomb_stops_at_the_limit_without_reading_the_gigabyte(server, cases):
    settings = HttpSettings(timeout=5, deadline=30, retries=0, max_bytes=1024 * 1024)
    started = time.monotonic()
    got = fetch([cases["bomb_gzip"], cases["bomb_deflate"], cases["bomb_br"]], settings)
    # Decompressing a gigabyte takes seconds; stopping at a megabyte takes milliseconds.
    assert time.monotonic() - started < 5
    assert all("1,048,576 byte limit" in r.error.reason for r in got.values())


def test_fetch_cli_reports_every_fault_on_its_feed_and_ingests_the_good_one(server, cases, tmp_path):
    db = tmp_path / "w.db"
    config = tmp_path / "config.toml"
    config.write_text("[http]\ntimeout = 2\ndeadline = 30\nretries = 0\n")
    server.route("/good.xml", Reply(200, good_feed(1)))
    good = server.url("/good.xml")
    urls = [*cases.values(), good]
    for url in urls:  # followed feeds, so that each failure is recorded on its feed
        added = CliRunner().invoke(cli, ["--config", str(config), "--db", str(db), "feeds", "add", url])
        assert added.exit_code == 0, added.output
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["--config", str(config), "--db", str(db), "fetch", *urls])
    assert time.monotonic() - started < 40
    assert result.exit_code == 0, result.output  # not every feed failed
    lines = result.output.splitlines()
    assert len(lines) == len(urls)
    for name, url in cases.items():
        [line] = [line for line in lines if f"({url})" in line or line.startswith(url)]
        assert ": error: " in line and EXPECTED[name] in line, line
        assert not CONTROL.search(line)
    [good_line] = [line for line in lines if good in line]
    assert "1 new" in good_line
    assert query(db, "SELECT COUNT(*) FROM items") == [(1,)]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    stored = query(db, "SELECT url, last_result, last_error, failures, next_due FROM feeds")
    assert sorted(row[0] for row in stored) == sorted(urls)
    for url, result_, error, failures, due in stored:
        if url == good:
            assert result_ == "new" and failures == 0
            continue
        assert result_ == "error" and error and failures == 1, url
        assert due > now  # backed off, not retried in a hot loop


def test_reason_phrase_with_controls_is_cleaned(server, tmp_path):
    # A server-chosen reason phrase ends up in the error the editor reads and in feeds.last_error.
    server.route("/evil", Reply(418, b"", {}, reason="I'm a teapot \x9b31m\x1b]0;pwned\x07"))
    url = server.url("/evil")
    got = fetch([url])[url]
    assert got.error is not None and "418" in got.error.reason
    assert not CONTROL.search(str(got.error))
