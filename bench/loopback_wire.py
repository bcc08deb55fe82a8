"""Hundreds of feeds on a loopback HTTP server, with ETag/Last-Modified and 304s, for the fetch benchmark."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from bench.wire import report


def feed_bytes(index: int, items: int) -> bytes:
    import random

    rng = random.Random(index)
    when = format_datetime(datetime(2026, 11, 20, tzinfo=timezone.utc))
    entries = []
    for i in range(items):
        title, text = report(rng, 120)
        entries.append(f"<item><guid>f{index}-{i}</guid><title>{escape(title)}</title><link>https://f{index}.example/{i}</link>"
                       f"<pubDate>{when}</pubDate><description>{escape(text)}</description></item>")
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {index}</title><link>https://f{index}.example/</link>'
            f"<description>b</description>{''.join(entries)}</channel></rss>").encode()


Route = Callable[[str], "tuple[str, bytes] | None"]


@contextmanager
def serve(route: Route, last_modified: str | None = None) -> Iterator[tuple[str, int]]:
    """A loopback HTTP/1.1 server answering GET by ``route(path) -> (etag, body)`` (None: 404), with
    304s for a matching If-None-Match (or If-Modified-Since, when ``last_modified`` is given)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _empty(self, status: int, etag: str | None = None) -> None:
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            found = route(self.path)
            if found is None:
                return self._empty(404)
            etag, body = found
            if self.headers.get("If-None-Match") == etag or (
                    last_modified and self.headers.get("If-Modified-Since") == last_modified):
                return self._empty(304, etag)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            if last_modified:
                self.send_header("Last-Modified", last_modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        # The listen backlog is fixed when the socket listens, in the constructor: set on the class.
        # With the default of 5, simultaneous connects beyond it wait out a 1 s SYN retransmit.
        request_queue_size = 256
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield host, port
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_feeds(count: int, items: int = 10) -> Iterator[list[str]]:
    bodies = {f"/feed/{i}.xml": feed_bytes(i, items) for i in range(count)}

    def route(path: str) -> tuple[str, bytes] | None:
        body = bodies.get(path)
        return None if body is None else (f'"{hash(path) & 0xFFFFFF:x}"', body)

    with serve(route, last_modified="Fri, 20 Nov 2026 10:00:00 GMT") as (host, port):
        yield [f"http://{host}:{port}{path}" for path in bodies]
