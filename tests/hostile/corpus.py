"""The hostile corpus: small cases as files in ``data/`` (one per case), big ones generated at test
time, and the misbehaving-server cases as loopback routes. Shared by every test in this package."""

from __future__ import annotations

import functools
import re
import sqlite3
import zlib
from pathlib import Path

import brotli

from tests.loopback import Loopback, Reply

DATA = Path(__file__).resolve().parent / "data"

# Anything a terminal acts on: C0 but tab/newline, DEL, C1 (U+0080..U+009F, including U+009B CSI).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI_AND_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff]")

FILE_CASES = sorted(p.name for p in DATA.iterdir() if p.is_file())
# Cases whose fetch must end in a per-feed error rather than items.
ERROR_FILES = {"html_page.html"}

GOOD_FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Good Wire %d</title>'
    b"<item><guid>good-%d-1</guid><title>Rebels enter Hama, report %d</title><link>https://good%d.example/1</link>"
    b"<description>Rebel fighters entered the northern districts of Hama on Friday, a local official said. "
    b"Report number %d.</description></item></channel></rss>"
)


def good_feed(n: int) -> bytes:
    return GOOD_FEED % (n, n, n, n, n)


def rss(title: str, items: str) -> bytes:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'.encode()


def huge_title(chars: int = 100_000) -> bytes:
    return rss("Long Title Wire", f"<item><guid>long-1</guid><title>Hama {'A' * chars}</title>"
                                  "<description>Fighters entered Hama.</description></item>")


def big_item(megabytes: int = 5) -> bytes:
    sentence = "Shelling was reported near Aleppo overnight, residents said. "
    body = sentence * (megabytes * 1024 * 1024 // len(sentence))
    return rss("Big Item Wire", f"<item><guid>big-1</guid><title>A very long report</title><description>{body}</description></item>")


def many_items(count: int = 20_000) -> bytes:
    return rss("Many Items Wire", "".join(
        f"<item><guid>many-{i}</guid><title>Report {i} from Homs</title><link>https://many.example/{i}</link>"
        f"<description>Report {i}: clashes near Homs, the monitor said.</description></item>"
        for i in range(count)
    ))


GENERATED = {"huge_title": huge_title, "big_item": big_item, "many_items": many_items}

BOMB_BYTES = 1024 * 1024 * 1024  # what each bomb expands to


@functools.cache
def bomb(encoding: str) -> bytes:
    """A body that expands to a gigabyte of zeros, compressed a megabyte at a time (the test never
    holds the gigabyte)."""
    chunk = bytes(1024 * 1024)
    if encoding == "br":
        compressor = brotli.Compressor(quality=5)
        parts = [compressor.process(chunk) for _ in range(BOMB_BYTES // len(chunk))]
        return b"".join(parts) + compressor.finish()
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}[encoding]
    z = zlib.compressobj(9, zlib.DEFLATED, wbits)
    parts = [z.compress(chunk) for _ in range(BOMB_BYTES // len(chunk))]
    return b"".join(parts) + z.flush()


def server_cases(server: Loopback) -> dict[str, str]:
    """Misbehaving-server routes: case name → URL. Every one must end as an error on its feed."""
    feed = rss("Cut Wire", "<item><guid>cut-1</guid><title>Cut off</title><description>" + "x" * 20_000 + "</description></item>")
    routes = {
        "http_404": Reply(404, b"not found"),
        "http_410": Reply(410, b"gone"),
        "http_500": Reply(500, b"oops"),
        "http_503": Reply(503, b"busy", {"Retry-After": "1"}),
        "redirect_loop": Reply(302, headers={"Location": "/s/redirect_loop"}),
        "redirect_file": Reply(302, headers={"Location": "file:///etc/passwd"}),
        "redirect_javascript": Reply(301, headers={"Location": "javascript:alert(1)"}),
        "redirect_ftp": Reply(302, headers={"Location": "ftp://ftp.example/feed.xml"}),
        "stall_mid_body": Reply(200, feed, {"Content-Type": "application/rss+xml"}, stall_after=5_000, stall_for=30),
        "reset_mid_body": Reply(200, feed, {"Content-Type": "application/rss+xml"}, reset_after=5_000),
    }
    for encoding in ("gzip", "deflate", "br"):
        routes[f"bomb_{encoding}"] = Reply(200, bomb(encoding), {"Content-Encoding": encoding, "Content-Type": "application/rss+xml"})
    urls = {}
    for name, reply in routes.items():
        server.route(f"/s/{name}", reply)
        urls[name] = server.url(f"/s/{name}")
    # TLS spoken to a plain-HTTP port: the handshake fails.
    urls["tls_error"] = server.base.replace("http://", "https://") + "/s/tls"
    return urls


def serve_files(server: Loopback, names=None) -> dict[str, str]:
    urls = {}
    for name in names or FILE_CASES:
        server.route(f"/f/{name}", Reply(200, (DATA / name).read_bytes()))
        urls[name] = server.url(f"/f/{name}")
    return urls


def serve_generated(server: Loopback) -> dict[str, str]:
    urls = {}
    for name, make in GENERATED.items():
        server.route(f"/g/{name}", Reply(200, make(), {"Content-Type": "application/rss+xml"}))
        urls[name] = server.url(f"/g/{name}")
    return urls


TEXT_COLUMNS = {
    "items": ("guid", "link", "title", "text", "author", "outlet", "published", "published_raw"),
    "mentions": ("sentence", "attributed_to"),
    "feeds": ("url", "outlet", "title", "last_error"),
    "places": ("name",),
    "claims": ("summary",),
}


def stored_strings(db: Path):
    """Every stored text value that came from a feed, as (table.column, value)."""
    conn = sqlite3.connect(db)
    try:
        for table, columns in TEXT_COLUMNS.items():
            for column in columns:
                for (value,) in conn.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"):
                    yield f"{table}.{column}", value
    finally:
        conn.close()


def query(db: Path, sql: str, args=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()
